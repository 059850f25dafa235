/* mail/desk.h - the mail desk (`reportgen inbox`, issue 19): what its
 * files share. Stage: mail; included by the mail stage's files only.
 * Includes no third-party header (GMime stays in the .c files).
 *
 * The parts and their files:
 *   period.c   which report a request asks for (a grammar of Dutch and
 *              English period phrases) and which served report that is
 *   journal.c  the exactly-once journal, the per-address and total limits
 *              it counts, and the lock that keeps two desks apart
 *   maildir.c  reading new requests from a Maildir and filing them
 *              (cur/ with flags, the .Handmatig folder)
 *   config.c   the desk's configuration file (key = value), the reply
 *              templates it names
 *   guard.c    whether a request may get an automatic reply at all
 *              (RFC 3834 in full, own address, size)
 *   inbox.c    the `reportgen inbox` subcommand: the loop that ties them
 *              together, the log lines
 * Every function that can fail reports on ctx (rg_diag) and returns an
 * rg_status, as the rest of the project does. */
#ifndef RG_MAIL_DESK_H
#define RG_MAIL_DESK_H

#include "mail.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ===================================================== period.c ===== */

/* A month of a year: year * 12 + (month - 1), so that ranges compare as
 * integers. */
typedef int rg_month;
#define RG_MONTH(year, month) ((year) * 12 + (month) - 1)

typedef enum {
    RG_ASK_LATEST,     /* no period named (or "de laatste rapportage"): the latest report */
    RG_ASK_RANGE,      /* a period named: months from..to */
    RG_ASK_UNCLEAR     /* something period-like that the grammar cannot pin down, or two
                        * different periods named; why says what */
} rg_ask_kind;

typedef struct rg_period_ask {
    rg_ask_kind kind;
    rg_month from, to;             /* RG_ASK_RANGE: inclusive; one month: from == to */
    char lang[3];                  /* "nl" or "en": the language the request is written in
                                    * (for the reply's template) */
    char why[200];                 /* RG_ASK_UNCLEAR: the reason, for the log ("two periods
                                    * named: T1 2023 and T2 2023") */
    char said[120];                /* the phrase that named the period, as written (log) */
} rg_period_ask;

/* Reads the period a request asks for from its subject and its plain-text
 * body (UTF-8, either may be NULL; a quoted reply's lines starting with
 * '>' and a signature after "-- " are ignored). Understands month names
 * and abbreviations in Dutch and English, "t/m", "tot en met", "to",
 * "through", "-", ordinals ("eerste", "tweede", "derde", "first", ...,
 * "1e"), "viermaandsrapportage", "tertaal"/"tertiaal", "T1".."T3",
 * "2023-T1", "T1 2023", years (2023, '23 where unambiguous),
 * "laatste"/"meest recente"/"latest"/"most recent". Never fails. */
void rg_period_parse(const char *subject, const char *body, rg_period_ask *out);

/* A report the desk may send, from the batch manifest (batch/manifest.h). */
typedef struct rg_served_report {
    const char *output;            /* the PDF's name in the reports folder */
    const char *period;            /* "2023-T1", or NULL */
    rg_month from, to;             /* from the manifest's dates; -1 when absent */
    const char *title;             /* or NULL */
} rg_served_report;

/* The report ask names among reports[0..n): its index, or -1 with why
 * filled (no report covers the period; more than one does; ask is
 * unclear). RG_ASK_LATEST picks the report with the latest `to` (ties:
 * more than one). A range matches a report whose months contain it. */
long rg_period_pick(const rg_period_ask *ask, const rg_served_report *reports, size_t n,
                    char *why, size_t why_size);

/* ==================================================== journal.c ===== */

/* What the desk did with one request. A request's state only moves
 * forward: (none) -> SENDING -> SENT, or (none) -> HANDMATIG / REFUSED;
 * SENDING found at start-up (a run died between recording it and
 * recording SENT) -> INFLIGHT: reported and filed for a person, never
 * sent again. One step back is allowed: SENDING -> NONE, recorded by the
 * desk when a send failed cleanly and temporarily (nothing accepted: a
 * 4xx, the server unreachable), so that the next run tries again. */
typedef enum {
    RG_J_NONE = 0,                 /* not in the journal */
    RG_J_SENDING,
    RG_J_SENT,
    RG_J_HANDMATIG,
    RG_J_REFUSED,
    RG_J_INFLIGHT
} rg_jstate;

const char *rg_jstate_name(rg_jstate s);   /* "sending", "sent", ... */

typedef struct rg_journal rg_journal;

/* Opens (creating it) the journal at path: an append-only text file, one
 * line per state change ("<time> <state> <key> <address> <detail>"),
 * each line written whole and fsync'ed before the function that wrote it
 * returns; a torn last line (a crash mid-write) is ignored on reading.
 * Takes an exclusive lock (flock on path + ".lock") for the journal's
 * life: a second desk on the same journal gets RG_EX_TEMPFAIL at once
 * with a diagnostic "another reportgen inbox is working on ...". */
rg_status rg_journal_open(rg_ctx *ctx, const char *path, rg_journal **out);
void rg_journal_close(rg_journal *j);      /* releases the lock; accepts NULL */

/* The request's key: its Message-ID without angle brackets when it has a
 * usable one (1 to 250 bytes of printable ASCII, no blanks), else
 * "sha256:" and the hex digest of its header block (everything before the
 * first empty line; CRLF read as LF). Into out, of at least
 * RG_JOURNAL_KEY_SIZE bytes. (Changed by the journal's branch: it said
 * out_size >= 80, but Message-IDs of 80 to 100 bytes are common - Outlook's
 * - and a key must not depend on the caller's buffer; a smaller out gets
 * the hash for an ID that does not fit.) Cannot fail. */
#define RG_JOURNAL_KEY_SIZE 256
void rg_journal_key(const char *message_id, const char *req, size_t len, char *out,
                    size_t out_size);

rg_jstate rg_journal_state(const rg_journal *j, const char *key);

/* Records key's new state with the recipient address (or "-") and a
 * detail (the attachment, the reason; no newlines: they are replaced).
 * Durable when it returns RG_OK; RG_EX_CANTCREAT after a diagnostic.
 * A move the rules above do not allow (a handled state changed, SENDING
 * twice, (none) -> SENT or INFLIGHT without SENDING first; SENDING ->
 * HANDMATIG or REFUSED is allowed, for a send given up for good) is a
 * programming error: RG_EX_SOFTWARE, nothing written. */
rg_status rg_journal_record(rg_journal *j, rg_ctx *ctx, const char *key, rg_jstate state,
                            const char *address, const char *detail);

/* Replies SENT (or SENDING) to address (case-insensitive) since `since`,
 * and to anyone since `since`: for the limits. A request counts once (at
 * its SENDING line's time), also after it became INFLIGHT; a SENDING
 * stepped back to NONE (nothing was sent) does not count. */
size_t rg_journal_sent_to(const rg_journal *j, const char *address, time_t since);
size_t rg_journal_sent_total(const rg_journal *j, time_t since);

/* Every key in state SENDING (a run that died mid-request), for the
 * desk to report and mark INFLIGHT; *n receives the count; the array
 * and strings are the journal's, valid until the next record. */
const char *const *rg_journal_in_flight(const rg_journal *j, size_t *n);

/* ==================================================== maildir.c ===== */

typedef struct rg_maildir_msg {
    char *path;                    /* the file now (new/NAME or cur/NAME) */
    char *name;                    /* its unique name, without ":2,..." */
} rg_maildir_msg;

/* The messages in MAILDIR/new/, and those in MAILDIR/cur/ that carry no
 * "S" (seen) flag, sorted by name (delivery order), into *msgs (*n).
 * Checks MAILDIR has new/, cur/ and tmp/ (RG_EX_NOINPUT otherwise). Free
 * with rg_maildir_msgs_free. */
rg_status rg_maildir_scan(rg_ctx *ctx, const char *maildir, rg_maildir_msg **msgs, size_t *n);
void rg_maildir_msgs_free(rg_maildir_msg *msgs, size_t n);

/* Files a handled message in MAILDIR/cur/ as NAME:2,FLAGS (flags sorted:
 * "S" seen, "RS" replied too), by rename. Idempotent: a message already
 * there is left. */
rg_status rg_maildir_done(rg_ctx *ctx, const char *maildir, rg_maildir_msg *m,
                          const char *flags);

/* Moves a message into the subfolder MAILDIR/.Handmatig (Maildir++;
 * made with new/ cur/ tmp/ when missing) as new/NAME, by rename. */
rg_status rg_maildir_to_folder(rg_ctx *ctx, const char *maildir, const char *folder,
                               rg_maildir_msg *m);

/* Delivers bytes as a new message into the Maildir dir (tmp/ then
 * rename into new/, fsync'ed; the Maildir unique name scheme), for the
 * stdin mode's Handmatig and for --outbox. *name_out (may be NULL)
 * receives the file's name, malloc'd. */
rg_status rg_maildir_deliver(rg_ctx *ctx, const char *dir, const char *data, size_t len,
                             char **name_out);

/* ===================================================== config.c ===== */

/* The desk's configuration; see config.c's head for the file's format
 * (key = value lines, '#' comments, UTF-8) and docs/mail-desk.md. Every
 * string is owned by the config (rg_desk_config_free). */
typedef struct rg_desk_config {
    char *from;                    /* from = Logius Communicatie <communicatie@logius.nl> */
    char *own_addresses;           /* own-addresses = a@x, b@y  (from's address always is:
                                    * loading puts it first) */
    char *serve;                   /* serve = viermaandsrapportage-*.pdf  (fnmatch on outputs) */
    char *subject_prefix;          /* subject-prefix = Re: */
    char *template_nl;             /* template-nl = antwoord-nl.txt (the text itself, read) */
    char *template_en;             /* template-en = antwoord-en.txt (NULL: the Dutch one) */
    char *bcc;                     /* bcc = archief@logius.nl  (NULL: none) */
    char *smtp;                    /* smtp = smtp://localhost:25 (NULL: not set) */
    char *sendmail;                /* sendmail = /usr/sbin/sendmail (the default) */
    char *log_json;                /* log-json = /var/log/reportgen/inbox.jsonl (NULL: none) */
    unsigned max_per_address;      /* max-per-address-per-day = 3 */
    unsigned max_per_day;          /* max-per-day = 200 */
    size_t max_request_bytes;      /* max-request-bytes = 1048576 */
} rg_desk_config;

/* Reads and validates the file (unknown key, bad value, missing from or
 * templates: an error with path:line:col, RG_EX_DATAERR; missing file
 * RG_EX_NOINPUT). Template paths are relative to the file's folder. With
 * path NULL: the shipped example's values (share/reportgen/mail/). */
rg_status rg_desk_config_load(rg_ctx *ctx, const char *path, rg_desk_config *out);
void rg_desk_config_free(rg_desk_config *c);

/* The reply's text: template with {period} (the period's words as the
 * report's title gives them, or its id), {title} and {output} filled in
 * (a NULL value: nothing); "{{" gives '{'; "{?NAME TEXT}" gives TEXT,
 * filled, only when NAME's value is not NULL or empty (reply, which
 * knows no period, drops "{?period over {period}}"); an unknown {name}
 * stays as it is. malloc'd. */
char *rg_desk_fill_template(const char *tmpl, const char *period, const char *title,
                            const char *output);

/* ====================================================== guard.c ===== */

/* Why a request must get no automatic reply (RFC 3834 section 2 and
 * common practice): Auto-Submitted other than "no"; Precedence bulk,
 * junk or list; any List-* header; Return-Path empty ("<>") or missing;
 * From (or Sender) MAILER-DAEMON, postmaster, noreply/no-reply/
 * donotreply and the like; X-Autoreply, X-Autorespond,
 * X-Auto-Response-Suppress: All/OOF; From one of own (a comma-separated
 * list); larger than max_bytes. NULL when a reply is allowed, else a
 * short reason for the log ("Auto-Submitted: auto-replied"), static
 * (every one is in guard.c; tests/mail/desk/ has a request for each). The
 * header block is read raw: up to the first empty line, folded lines
 * unfolded, names without regard to case. The request's shape is not
 * judged here (rg_reply_compose does). */
const char *rg_guard_refusal(const char *req, size_t len, const char *own,
                             size_t max_bytes);

/* The request's Message-ID (without <>), From address, Subject (decoded
 * to UTF-8) and plain-text body (the first text/plain part, decoded),
 * each malloc'd or NULL. For the period matcher and the journal. */
typedef struct rg_request_info {
    char *message_id, *from, *subject, *body;
} rg_request_info;
void rg_request_info_read(const char *req, size_t len, rg_request_info *out);
void rg_request_info_clear(rg_request_info *info);

/* ============================================ inbox.c, served.c ===== */

/* The reports the desk serves: the batch manifest's lines for outputs
 * whose PDF is a regular file in the folder and whose name the config's
 * serve pattern matches (fnmatch; NULL: all), the last line for an
 * output counting. The strings are the list's (rg_served_free). */
typedef struct rg_served_list {
    rg_served_report *items;
    size_t n;
} rg_served_list;

/* Reads dir's manifest (dir/.reportgen-batch, batch/manifest.h's format;
 * lines this reader cannot take are skipped with a warning). Fails with
 * RG_EX_NOINPUT (no manifest, or nothing in it served) or RG_EX_DATAERR
 * (larger than 16 MB) after a diagnostic. */
rg_status rg_served_read(rg_ctx *ctx, const char *dir, const char *pattern,
                         rg_served_list *out);
void rg_served_free(rg_served_list *l);   /* accepts NULL and an emptied list */

#endif
