/* mail/inbox-imp.h - what the files of `reportgen inbox` share: inbox.c
 * (the command line and the run), inbox-request.c (the steps one request
 * goes through) and inbox-log.c (its log line). Stage: mail; included by
 * those three files only. */
#ifndef RG_MAIL_INBOX_IMP_H
#define RG_MAIL_INBOX_IMP_H

#include "desk.h"
#include "internal.h"

/* The Maildir++ folder for requests a person must answer. */
#define RG_HANDMATIG_FOLDER ".Handmatig"
/* What `reportgen inbox -` returns when a request needs a person and no
 * --handmatig folder was given: the message was filed nowhere, so the
 * caller (procmail, the MTA) must keep it. */
#define RG_EXIT_NOT_FILED 1

/* The reason of a request found in flight (a run died between SENDING
 * and SENT): never sent again, given to a person. */
extern const char RG_IN_FLIGHT_TEXT[];

/* The decisions a log line can name; "error" is the desk's own failure
 * (a bad From in the configuration, a PDF that cannot be read): the
 * request is left where it was. */
#define RG_NDECISIONS 7
/* sent, handmatig, refused, duplicate, in-flight, dry-run, error */
extern const char *const RG_DECISIONS[RG_NDECISIONS];

/* The command line (inbox.c's table). */
typedef struct rg_inbox_options {
    const char *reports, *smtp, *credentials, *outbox, *config, *journal, *handmatig, *log_json;
    int sendmail, dry_run, verbosity;
} rg_inbox_options;

/* Where the replies go. */
typedef enum { RG_VIA_SMTP, RG_VIA_SENDMAIL, RG_VIA_OUTBOX } rg_delivery;

/* A served report's PDF, read at its first use in a run. */
typedef struct rg_served_pdf {
    char *data;
    size_t len;
} rg_served_pdf;

/* One run of the desk: what desk_open found and set up, and what the
 * requests so far came to. */
typedef struct rg_desk {
    const rg_inbox_options *o;
    const char *maildir;           /* NULL: standard input */
    rg_ctx *ctx;
    rg_desk_config cfg;
    int have_cfg;
    rg_delivery via;
    const char *smtp_url;
    rg_smtp_auth auth;
    rg_served_list served;
    rg_served_pdf *pdfs;           /* one per served report */
    rg_journal *journal;
    int log_fd;                    /* the --log-json file, or -1 */
    const char *kill_at;
    char **in_flight;              /* keys found SENDING at start-up */
    int *in_flight_met;
    size_t n_in_flight;
    char **dry_sent;               /* --dry-run: the addresses it would have sent to */
    size_t n_dry_sent;
    rg_status status;              /* the run's exit status so far */
    unsigned counts[RG_NDECISIONS]; /* per decision, for -v */
} rg_desk;

/* What became of one request: its log line. */
typedef struct rg_outcome {
    const char *decision;          /* sent, handmatig, refused, duplicate, in-flight */
    char reason[600];
    const char *to;                /* the reply's address */
    const char *period, *attachment;
    const char *result;            /* ok, or what went wrong */
} rg_outcome;

/* One request while it is handled. */
typedef struct rg_inbox_req {
    char *where;                   /* the file's path when read, or "<stdin>" (diagnostics;
                                    * a copy: filing moves msg->path) */
    char *data;
    size_t len;
    rg_request_info info;
    char key[RG_JOURNAL_KEY_SIZE];
    rg_maildir_msg *msg;           /* NULL: standard input */
    rg_ctx *ctx;                   /* its own diagnostics: an error becomes the reason */
    char error[600];               /* the last error said on ctx */
    int warned;                    /* its warnings were printed (composing twice would
                                    * print them twice) */
} rg_inbox_req;

/* ---- inbox-log.c ---- */

/* Writes one request's log line: on stderr (unless -q and nothing for a
 * person), and as a JSON object into --log-json; counts the decision.
 * id is the request's Message-ID (NULL: none; key is shown then); from
 * may be NULL. A dry run shows decision=dry-run and what it would have
 * done. Cannot fail: a log file that cannot be written is a warning. */
void rg_inbox_log(rg_desk *d, const char *id, const char *key, const char *from,
                  const rg_outcome *o);

/* Fills o's reason (printf-style, cut at its size). */
void rg_outcome_reason(rg_outcome *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- inbox-request.c ---- */

/* Starts and ends a request (where: its path, or "<stdin>"; msg: its
 * Maildir entry, NULL for standard input). r->data and r->len are the
 * caller's to fill before rg_inbox_handle, freed by rg_inbox_req_end. */
void rg_inbox_req_begin(rg_inbox_req *r, const char *where, rg_maildir_msg *msg);
void rg_inbox_req_end(rg_inbox_req *r);

/* Takes one read request through the steps (inbox.c's head comment),
 * logs it, files it. RG_OK, or the status that tells the run what went
 * wrong: RG_EX_TEMPFAIL (the server away: stop), RG_EX_UNAVAILABLE (this
 * reply refused for good: go on), RG_EX_CANTCREAT (the journal or the
 * Maildir: stop), RG_EXIT_NOT_FILED (standard input, nowhere to file). */
rg_status rg_inbox_handle(rg_desk *d, rg_inbox_req *r);

/* A request too big to read (why: the reader's reason): to a person
 * unread, or from standard input RG_EXIT_NOT_FILED. */
rg_status rg_inbox_too_big(rg_desk *d, rg_inbox_req *r, const char *why);

#endif
