/* mail/inbox.c - the `reportgen inbox` subcommand: the mail desk's loop.
 * Stage: mail. Owns the command line, the order of the steps each request
 * goes through (each one durable before the next), what is done with a
 * request in every state the journal can hold, the log lines, --dry-run,
 * --outbox, the standard-input mode and the kill-injection test hook.
 * The parts it ties together are desk.h's: the period (period.c), the
 * journal and the Maildir (journal.c, maildir.c), the configuration and
 * the guard (config.c, guard.c), the served reports (served.c);
 * composing and sending are mail.c's and send.c's.
 *
 * Per request, in this order (docs/mail-desk.md):
 *   1. its key (Message-ID, else a hash of its header); a key the journal
 *      knows is a duplicate or a rerun: filed as its state says, nothing sent
 *   2. the guard (RFC 3834, own address, size)        -> refused
 *   3. a reply can be composed at all, to one address -> refused / handmatig
 *   4. the limits per address and in total            -> refused
 *   5. the period asked for, among the served reports -> handmatig
 *   6. the reply composed (template by language, the PDF attached)
 *   7. journal SENDING, send, journal SENT, file in cur/ as replied. */
#include "desk.h"
#include "internal.h"
#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x) do { st = (x); if (st != RG_OK) goto fail; } while (0)

/* A request is a short e-mail; one this big is not read at all (it goes
 * to .Handmatig unread). The configured max-request-bytes (guard.c) is
 * the real limit; this one only bounds the memory a run takes. */
#define MAX_READ_BYTES (64u << 20)
/* Mail servers refuse messages over 20-25 MB (mail.c's limit is the same). */
#define MAX_PDF_BYTES (18u << 20)
#define HANDMATIG_FOLDER ".Handmatig"
#define DEFAULT_JOURNAL_NAME ".reportgen-inbox.journal"
#define DAY_SECONDS (24 * 60 * 60)
/* What `reportgen inbox -` returns when a request needs a person and no
 * --handmatig folder was given: the message was filed nowhere, so the
 * caller (procmail, the MTA) must keep it. */
#define EXIT_NOT_FILED 1

static const char IN_FLIGHT_TEXT[] =
    "in flight when a run stopped: may have been sent; check before answering";

/* The points REPORTGEN_INBOX_KILL_AT may name (a test hook: the process
 * kills itself with SIGKILL there, at the first request that gets there). */
static const char *const KILL_STEPS[] = {
    "after-key", "after-guard", "after-pick", "after-compose", "after-journal-sending",
    "after-send", "after-journal-sent", "after-journal-decision", "after-file", NULL
};

/* ------------------------------------------------------------ options */

typedef struct inbox_options {
    const char *reports, *smtp, *credentials, *outbox, *config, *journal, *handmatig, *log_json;
    int sendmail, dry_run, verbosity;
} inbox_options;

#define STRING_OPTION(long_name, field, value_, help_)                                         \
    { .name = long_name, .kind = RG_OPT_STRING,                                                 \
      .at = RG_OPT_AT(inbox_options, field, const char *), .value = value_, .help = help_ }

static const rg_option INBOX_OPTIONS[] = {
    STRING_OPTION("reports", reports, "OUTDIR",
                  "the reports folder, as 'reportgen batch -o OUTDIR' wrote it: the desk sends "
                  "the PDFs its manifest lists that the configuration's serve pattern matches "
                  "(required)"),
    STRING_OPTION("smtp", smtp, "URL",
                  "send the replies over SMTP: smtp://HOST[:PORT] or smtps://HOST[:PORT], as "
                  "'reportgen reply --smtp' (default: the configuration's smtp, else sendmail)"),
    STRING_OPTION("smtp-credentials", credentials, "FILE",
                  "SMTP user (line 1) and password (line 2), as for 'reportgen reply'"),
    { .name = "sendmail", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(inbox_options, sendmail, int),
      .help = "hand each reply to `sendmail -t -oi`: $REPORTGEN_SENDMAIL, else the "
              "configuration's sendmail (default /usr/sbin/sendmail)" },
    STRING_OPTION("outbox", outbox, "DIR",
                  "send nothing: deliver each reply into the Maildir DIR (DIR/new/, made when "
                  "missing), for review in any mail client, and for tests"),
    STRING_OPTION("config", config, "FILE",
                  "the desk's configuration (key = value; docs/mail-desk.md); default: the "
                  "shipped example's values (share/reportgen/mail/inbox.conf.example)"),
    STRING_OPTION("journal", journal, "FILE",
                  "the exactly-once journal (default: MAILDIR/.reportgen-inbox.journal; "
                  "required with '-')"),
    STRING_OPTION("handmatig", handmatig, "MAILDIR",
                  "with '-' (standard input): where a request that needs a person is "
                  "delivered (a Maildir); without it such a request makes the run exit 1 and "
                  "is filed nowhere"),
    STRING_OPTION("log-json", log_json, "FILE",
                  "append each request's log line to FILE as a JSON object (default: the "
                  "configuration's log-json, else none)"),
    { .name = "dry-run", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(inbox_options, dry_run, int),
      .help = "decide and log everything (decision=dry-run, reason= what it would have "
              "done), but record, move and send nothing" },
    RG_OPT_QUIET(inbox_options, verbosity,
                 "log on stderr only the requests that need a person (handmatig, in flight) "
                 "and failures; the --log-json file still gets every line"),
    RG_OPT_VERBOSE(inbox_options, verbosity,
                   "also print a count of the decisions at the end"),
    { 0 }
};

static const rg_command INBOX = {
    "inbox", "MAILDIR --reports OUTDIR [--smtp URL | --sendmail | --outbox DIR] [options]\n"
             "- --journal FILE --reports OUTDIR [--handmatig MAILDIR] [options]",
    "Answers the requests in a Maildir (new/, and cur/ without the seen flag), each exactly "
    "once: picks the period a request asks for from its subject and body, and replies with "
    "that period's report attached. Requests it must not answer automatically (auto-replies, "
    "lists, bounces, over the limits) are filed in cur/ as seen; those it cannot decide "
    "(unclear period, no such report) go to the subfolder .Handmatig for a person. A journal "
    "records every decision, so a rerun, a crash or a kill never sends a second reply; what "
    "was being sent when a run died is reported and filed in .Handmatig, never sent again. "
    "One line per request on stderr:\n\n"
    "2026-12-07T10:00:00Z <id@example.nl> from=a@b.nl decision=sent period=2023-T1 "
    "attachment=viermaandsrapportage-2023-T1.pdf result=ok\n\n"
    "(decision: sent, handmatig, refused, duplicate, in-flight, dry-run; reason=\"...\" for "
    "all but sent). With '-' one request is read from standard input (a procmail or MTA "
    "pipe).",
    INBOX_OPTIONS,
    "exit codes:\n"
    "  0   every request was handled (sent, refused, duplicate, given to a person)\n"
    "  1   '-': the request needs a person and no --handmatig was given (not filed)\n"
    "  64  usage error\n"
    "  65  bad configuration (file:line:col on stderr)\n"
    "  66  the Maildir, the reports folder or its manifest is missing\n"
    "  69  a reply was refused for good (SMTP 5xx, sendmail failed): the request\n"
    "      stays where it is for the next run\n"
    "  73  cannot write the journal, file a request or write into --outbox\n"
    "  75  a temporary failure (the server unreachable, a 4xx reply), or another\n"
    "      reportgen inbox holds the journal: the rest waits for the next run\n"
    "\n"
    "environment:\n"
    "  REPORTGEN_SMTP_USER, REPORTGEN_SMTP_PASSWORD  SMTP credentials\n"
    "  REPORTGEN_SENDMAIL    the sendmail program (else the configuration's)\n"
    "  SOURCE_DATE_EPOCH     the replies' Date (tests)\n"
    "  REPORTGEN_INBOX_KILL_AT=STEP  test hook: SIGKILL at STEP (after-key, after-guard,\n"
    "                        after-pick, after-compose, after-journal-sending, after-send,\n"
    "                        after-journal-sent, after-journal-decision, after-file)\n"
};

static int kill_step_known(const char *step)
{
    for (int i = 0; KILL_STEPS[i]; i++)
        if (!strcmp(KILL_STEPS[i], step)) return 1;
    return 0;
}

/* The checks of the command line that the table cannot make. */
static int check_options(const rg_args *a, const inbox_options *o)
{
    if (a->noperands == 0) return rg_args_error(a, "no Maildir given (or '-' for standard input)");
    if (a->noperands > 1) return rg_args_error(a, "more than one Maildir given: %s", a->operands[1]);
    int from_stdin = !strcmp(a->operands[0], "-");
    if (!o->reports) return rg_args_error(a, "give --reports OUTDIR (the batch output folder)");
    if ((o->smtp != NULL) + o->sendmail + (o->outbox != NULL) > 1)
        return rg_args_error(a, "give at most one of --smtp, --sendmail and --outbox");
    if (o->credentials && !o->smtp) return rg_args_error(a, "--smtp-credentials without --smtp");
    if (from_stdin && !o->journal)
        return rg_args_error(a, "reading a request from standard input: give --journal FILE");
    if (o->handmatig && !from_stdin)
        return rg_args_error(a, "--handmatig is for '-' (a Maildir's requests go to its "
                                ".Handmatig folder)");
    const char *kill_at = getenv("REPORTGEN_INBOX_KILL_AT");
    if (kill_at && *kill_at && !kill_step_known(kill_at))
        return rg_args_error(a, "REPORTGEN_INBOX_KILL_AT=%s is not a step (see --help)", kill_at);
    return RG_OK;
}

/* --------------------------------------------------------------- desk */

/* The decisions a log line can name; "error" is the desk's own failure
 * (a bad From in the configuration, a PDF that cannot be read): the
 * request is left where it was. */
#define NDECISIONS 7
static const char *const DECISIONS[NDECISIONS] = { "sent", "handmatig", "refused", "duplicate",
                                                   "in-flight", "dry-run", "error" };

typedef enum { VIA_SMTP, VIA_SENDMAIL, VIA_OUTBOX } delivery;

typedef struct served_pdf {
    char *data;                    /* read at first use */
    size_t len;
} served_pdf;

typedef struct desk {
    const inbox_options *o;
    const char *maildir;           /* NULL: standard input */
    rg_ctx *ctx;
    rg_desk_config cfg;
    int have_cfg;
    delivery via;
    const char *smtp_url;
    rg_smtp_auth auth;
    rg_served_list served;
    served_pdf *pdfs;              /* one per served report */
    rg_journal *journal;
    int log_fd;                    /* the --log-json file, or -1 */
    const char *kill_at;
    char **in_flight;              /* keys found SENDING at start-up */
    int *in_flight_met;
    size_t n_in_flight;
    char **dry_sent;               /* --dry-run: the addresses it would have sent to */
    size_t n_dry_sent;
    rg_status status;              /* the run's exit status so far */
    unsigned counts[NDECISIONS];            /* per decision, for -v */
} desk;

/* What became of one request: its log line. */
typedef struct outcome {
    const char *decision;          /* sent, handmatig, refused, duplicate, in-flight */
    char reason[600];
    const char *to;                /* the reply's address */
    const char *period, *attachment;
    const char *result;            /* ok, or what went wrong */
} outcome;


typedef struct request {
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
} request;

/* The test hook: dies here when REPORTGEN_INBOX_KILL_AT names this step. */
static void kill_point(const desk *d, const char *step)
{
    if (d->kill_at && !strcmp(d->kill_at, step)) raise(SIGKILL);
}

/* --------------------------------------------------------------- log */

static void utc_now(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static int utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80) return 1;
    int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) return 0;
    if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))) return 0;
    return n;
}

/* A line being written: grows as needed (no value is cut short). */
typedef struct line_buf {
    char *s;
    size_t n, cap;
} line_buf;

static void put(line_buf *b, const void *p, size_t k)
{
    rg_grow(&b->s, &b->cap, b->n + k + 1, 1);
    memcpy(b->s + b->n, p, k);
    b->n += k;
    b->s[b->n] = '\0';
}

static void put_str(line_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* Appends s as a JSON string (NULL: null); bytes that are not UTF-8
 * become U+FFFD. */
static void json_value(line_buf *b, const char *s)
{
    if (!s) {
        put_str(b, "null");
        return;
    }
    put_str(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int k = utf8_len(p);
        char esc[8];
        if (k == 0) {
            put_str(b, "\\ufffd");
            p++;
        } else if (*p == '"' || *p == '\\') {
            esc[0] = '\\', esc[1] = (char)*p++;
            put(b, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", *p++);
            put_str(b, esc);
        } else {
            put(b, p, (size_t)k);
            p += k;
        }
    }
    put_str(b, "\"");
}

/* Appends " name=value" to the stderr line (NULL: nothing): quoted when
 * the value holds a space, a quote or '=' (or is empty), with \" and \\;
 * control characters as '?'. */
static void text_field(line_buf *b, const char *name, const char *value)
{
    if (!value) return;
    int quote = !*value || strpbrk(value, " \t\"=") != NULL;
    put_str(b, " ");
    put_str(b, name);
    put_str(b, quote ? "=\"" : "=");
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        char c[2] = { '\\', (char)(*p < 0x20 || *p == 0x7f ? '?' : *p) };
        int escaped = quote && (*p == '"' || *p == '\\');
        put(b, c + !escaped, 1 + (size_t)escaped);
    }
    if (quote) put_str(b, "\"");
}

/* Whether -q still prints a line of this decision: what a person must see. */
static int needs_a_person(const outcome *o)
{
    return !strcmp(o->decision, "handmatig") || !strcmp(o->decision, "in-flight") ||
           strcmp(o->result, "ok") != 0;
}

/* The line on stderr: the time, the Message-ID in <> (or the key), the
 * fields. */
static void print_line(const char *time_text, const char *id, const char *key, const char *from,
                       const outcome *o)
{
    line_buf b = { 0 };
    put_str(&b, time_text);
    put_str(&b, id ? " <" : " ");
    for (const char *p = id ? id : key; *p; p++)   /* one word, whatever the header held */
        put(&b, (unsigned char)*p <= ' ' || *p == 0x7f ? "?" : p, 1);
    if (id) put_str(&b, ">");
    text_field(&b, "from", from ? from : "-");
    text_field(&b, "decision", o->decision);
    text_field(&b, "reason", o->reason[0] ? o->reason : NULL);
    text_field(&b, "to", o->to);
    text_field(&b, "period", o->period);
    text_field(&b, "attachment", o->attachment);
    text_field(&b, "result", o->result);
    put_str(&b, "\n");
    fputs(b.s, stderr);
    free(b.s);
}

/* The same as one JSON object on a line of fd, in one write (O_APPEND:
 * lines of two runs never mix). 0, or -1 with errno. */
static int append_json(int fd, const char *time_text, const char *id, const char *key,
                       const char *from, const outcome *o)
{
    const char *names[] = { "time", "message_id", "key", "from", "to", "decision", "reason",
                            "period", "attachment", "result" };
    const char *values[] = { time_text, id, key, from, o->to, o->decision,
                             o->reason[0] ? o->reason : NULL, o->period, o->attachment,
                             o->result };
    line_buf b = { 0 };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        put_str(&b, i ? ",\"" : "{\"");
        put_str(&b, names[i]);
        put_str(&b, "\":");
        json_value(&b, values[i]);
    }
    put_str(&b, "}\n");
    int rc = rg_write_all(fd, b.s, b.n);
    free(b.s);
    return rc;
}

/* The log line of one request: on stderr, and as JSON into --log-json.
 * id is the request's Message-ID (NULL: none; the key is shown then). */
static void log_request(desk *d, const char *id, const char *key, const char *from,
                        const outcome *o)
{
    outcome shown = *o;
    int print = d->o->verbosity >= 0 || needs_a_person(o);
    if (d->o->dry_run) {   /* what it would have done */
        snprintf(shown.reason, sizeof shown.reason, "would be %s%s%.560s", o->decision,
                 o->reason[0] ? ": " : "", o->reason);
        shown.decision = "dry-run";
    }
    for (int i = 0; i < NDECISIONS; i++)
        if (!strcmp(DECISIONS[i], shown.decision)) d->counts[i]++;
    char time_text[32];
    utc_now(time_text, sizeof time_text);
    if (print) print_line(time_text, id, key, from, &shown);
    if (d->log_fd >= 0 && append_json(d->log_fd, time_text, id, key, from, &shown) != 0)
        rg_diag(d->ctx, RG_SEV_WARNING, d->o->log_json ? d->o->log_json : d->cfg.log_json, 0, 0,
                "cannot append the log line: %s", strerror(errno));
}

static void outcome_reason(outcome *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void outcome_reason(outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->reason, sizeof o->reason, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------ one request */

/* A request's diagnostics: errors are kept as the log's reason (the text
 * after "error: "), warnings go on to stderr. */
static void catch_diag(void *data, rg_severity sev, const char *once, const char *line)
{
    (void)once;
    request *r = data;
    if (sev == RG_SEV_WARNING) {
        if (!r->warned) fputs(line, stderr);
        return;
    }
    const char *msg = strstr(line, ": error: ");
    snprintf(r->error, sizeof r->error, "%s", msg ? msg + 9 : line);
    size_t n = strlen(r->error);
    while (n && r->error[n - 1] == '\n') r->error[--n] = '\0';
}

static void request_begin(request *r, const char *where, rg_maildir_msg *msg)
{
    memset(r, 0, sizeof *r);
    r->where = rg_xstrdup(where);
    r->msg = msg;
    r->ctx = rg_ctx_new(stderr);
    r->ctx->diag_hook = catch_diag;
    r->ctx->diag_hook_data = r;
}

static void request_end(request *r)
{
    free(r->where);
    free(r->data);
    rg_request_info_clear(&r->info);
    rg_ctx_free(r->ctx);
}

/* The key and the fields the steps need, from the bytes read. */
static void request_study(request *r)
{
    rg_request_info_read(r->data, r->len, &r->info);
    rg_journal_key(r->info.message_id, r->data, r->len, r->key, sizeof r->key);
}

static void log_outcome(desk *d, const request *r, const outcome *o)
{
    log_request(d, r->info.message_id, r->key, r->info.from, o);
}

/* Records key's state unless this is a dry run. */
static rg_status record(desk *d, const request *r, rg_jstate state, const char *address,
                        const char *detail)
{
    if (d->o->dry_run) return RG_OK;
    return rg_journal_record(d->journal, d->ctx, r->key, state, address ? address : "-", detail);
}

/* Files the request in cur/ with flags ("S", "RS"); standard input: nothing. */
static rg_status file_done(desk *d, request *r, const char *flags)
{
    if (d->o->dry_run || !r->msg) return RG_OK;
    rg_status st = rg_maildir_done(d->ctx, d->maildir, r->msg, flags);
    if (st == RG_OK) kill_point(d, "after-file");
    return st;
}

/* Gives the request to a person: the Maildir's .Handmatig folder, or with
 * standard input the --handmatig Maildir; EXIT_NOT_FILED when there is
 * none (the caller keeps the message). */
static rg_status file_for_person(desk *d, request *r, outcome *o)
{
    rg_status st = RG_OK;
    if (d->o->dry_run) return RG_OK;
    if (r->msg) st = rg_maildir_to_folder(d->ctx, d->maildir, HANDMATIG_FOLDER, r->msg);
    else if (d->o->handmatig) st = rg_maildir_deliver(d->ctx, d->o->handmatig, r->data, r->len, NULL);
    else {
        o->result = "not filed: no --handmatig given; exit 1";
        return (rg_status)EXIT_NOT_FILED;
    }
    if (st == RG_OK) kill_point(d, "after-file");
    else o->result = "failed to file";
    return st;
}

/* Step 1: a request the journal knows (a duplicate, or a rerun after a
 * run that stopped before filing it) is filed as its state says. */
static rg_status already_handled(desk *d, request *r, rg_jstate state)
{
    outcome o = { .decision = "duplicate", .result = "ok" };
    rg_status st;
    switch (state) {
    case RG_J_SENT:
        outcome_reason(&o, "already answered");
        st = file_done(d, r, "RS");
        break;
    case RG_J_REFUSED:
        outcome_reason(&o, "already refused");
        st = file_done(d, r, "S");
        break;
    case RG_J_HANDMATIG:
        outcome_reason(&o, "already given to a person (%s)", HANDMATIG_FOLDER);
        st = file_for_person(d, r, &o);
        break;
    default:   /* INFLIGHT, or SENDING in a dry run (not made INFLIGHT) */
        o.decision = "in-flight";
        outcome_reason(&o, "%s", IN_FLIGHT_TEXT);
        for (size_t i = 0; i < d->n_in_flight; i++)
            if (!strcmp(d->in_flight[i], r->key)) d->in_flight_met[i] = 1;
        st = file_for_person(d, r, &o);
        break;
    }
    log_outcome(d, r, &o);
    return st;
}

/* Steps 2-4 end here: REFUSED in the journal, filed in cur/ as seen. */
static rg_status refuse(desk *d, request *r, outcome *o)
{
    o->decision = "refused";
    rg_status st = record(d, r, RG_J_REFUSED, o->to, o->reason);
    if (st == RG_OK) {
        kill_point(d, "after-journal-decision");
        st = file_done(d, r, "S");
    }
    if (st != RG_OK) o->result = "failed to record or file";
    log_outcome(d, r, o);
    return st;
}

/* Steps 3 and 5 end here: HANDMATIG in the journal, given to a person. */
static rg_status to_person(desk *d, request *r, outcome *o)
{
    o->decision = "handmatig";
    if (!r->msg && !d->o->handmatig && !d->o->dry_run) {   /* nowhere to file it: record nothing */
        o->result = "not filed: no --handmatig given; exit 1";
        log_outcome(d, r, o);
        return (rg_status)EXIT_NOT_FILED;
    }
    rg_status st = record(d, r, RG_J_HANDMATIG, o->to, o->reason);
    if (st == RG_OK) {
        kill_point(d, "after-journal-decision");
        st = file_for_person(d, r, o);
    } else {
        o->result = "failed to record";
    }
    log_outcome(d, r, o);
    return st;
}

/* --dry-run's memory of the replies it would have sent, for the limits. */
static size_t dry_sent_to(const desk *d, const char *address)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_dry_sent; i++)
        if (!address || !strcasecmp(d->dry_sent[i], address)) n++;
    return n;
}

/* Step 4: the reason when a reply to address would pass a limit, else 0. */
static int over_limit(const desk *d, const char *address, outcome *o)
{
    time_t since = time(NULL) - DAY_SECONDS;
    size_t to_address = rg_journal_sent_to(d->journal, address, since) + dry_sent_to(d, address);
    size_t total = rg_journal_sent_total(d->journal, since) + dry_sent_to(d, NULL);
    if (to_address >= d->cfg.max_per_address) {
        outcome_reason(o, "limit: %zu replies to %s in the last 24 hours", to_address, address);
        return 1;
    }
    if (total >= d->cfg.max_per_day) {
        outcome_reason(o, "limit: %zu replies in the last 24 hours", total);
        return 1;
    }
    return 0;
}

/* The reply's template for a language: the configured text, the From. */
static rg_reply_template desk_template(const desk *d, const char *body, const char *title)
{
    rg_reply_template t = *rg_reply_template_default();
    t.from = d->cfg.from;
    if (d->cfg.subject_prefix) t.subject_prefix = d->cfg.subject_prefix;
    if (title) t.default_subject = title;
    if (body) t.body = body;
    return t;
}

/* Step 3: whether a reply can be composed at all (a usable sender, a
 * request GMime reads), tried with a stand-in PDF; its address into
 * *to (malloc'd). RG_EX_DATAERR with the reason in r->error when not;
 * another status is the desk's fault (the configured From, memory). */
static rg_status check_composable(const desk *d, request *r, char **to, int *nto)
{
    static const char stand_in[] = "%PDF-1.7\n%%EOF\n";
    rg_reply_template t = desk_template(d, d->cfg.template_nl, NULL);
    rg_reply_opts ro = { .tmpl = &t, .attach_name = "report.pdf" };
    rg_reply *reply = NULL;
    rg_status st = rg_reply_compose_mem(r->ctx, r->where, r->data, r->len, "report.pdf", stand_in,
                                        sizeof stand_in - 1, &ro, &reply);
    if (st == RG_OK) {
        *to = rg_xstrdup(reply->rcpt[0]);
        *nto = reply->nrcpt;
    }
    r->warned = 1;
    rg_reply_free(reply);
    return st;
}

/* Step 5: the served report the request asks for, or -1 with why. */
static long pick_report(const desk *d, const request *r, rg_period_ask *ask, char *why,
                        size_t why_size)
{
    rg_period_parse(r->info.subject, r->info.body, ask);
    return rg_period_pick(ask, d->served.items, d->served.n, why, why_size);
}

static const char *const MONTHS_NL[12] = { "januari", "februari", "maart", "april", "mei", "juni",
                                           "juli", "augustus", "september", "oktober",
                                           "november", "december" };
static const char *const MONTHS_EN[12] = { "January", "February", "March", "April", "May", "June",
                                           "July", "August", "September", "October",
                                           "November", "December" };

/* The period a report covers in words of the reply's language ("januari
 * t/m april 2023", "January to April 2023"); its id when the manifest
 * gives no dates. */
static void period_words(const rg_served_report *rep, const char *lang, char *out, size_t size)
{
    int en = !strcmp(lang, "en");
    const char *const *months = en ? MONTHS_EN : MONTHS_NL;
    const char *through = en ? "to" : "t/m";
    if (rep->from < 0 || rep->to < 0 || rep->to < rep->from) {
        snprintf(out, size, "%s", rep->period ? rep->period : rep->output);
        return;
    }
    int y1 = rep->from / 12, m1 = rep->from % 12, y2 = rep->to / 12, m2 = rep->to % 12;
    if (rep->from == rep->to)
        snprintf(out, size, "%s %d", months[m1], y1);
    else if (y1 == y2)
        snprintf(out, size, "%s %s %s %d", months[m1], through, months[m2], y1);
    else
        snprintf(out, size, "%s %d %s %s %d", months[m1], y1, through, months[m2], y2);
}

/* The served report's PDF, read once per run. */
static rg_status report_pdf(desk *d, size_t i, const char **data, size_t *len, char *path,
                            size_t path_size)
{
    snprintf(path, path_size, "%s/%s", d->o->reports, d->served.items[i].output);
    served_pdf *p = &d->pdfs[i];
    if (!p->data) {
        char why[300];
        rg_status st = rg_read_regular(path, MAX_PDF_BYTES, &p->data, &p->len, NULL, why, sizeof why);
        if (st != RG_OK) {
            rg_diag(d->ctx, RG_SEV_ERROR, path, 0, 0, "%s", why);
            return st;
        }
    }
    *data = p->data;
    *len = p->len;
    return RG_OK;
}

/* Step 6: the reply with report i attached, in the request's language. */
static rg_status compose(desk *d, request *r, size_t i, const rg_period_ask *ask, rg_reply **out)
{
    const rg_served_report *rep = &d->served.items[i];
    const char *tmpl = !strcmp(ask->lang, "en") && d->cfg.template_en ? d->cfg.template_en
                                                                       : d->cfg.template_nl;
    char words[200], path[4400];
    const char *pdf;
    size_t pdf_len;
    period_words(rep, ask->lang, words, sizeof words);
    rg_status st = report_pdf(d, i, &pdf, &pdf_len, path, sizeof path);
    if (st != RG_OK) return st;
    char *body = rg_desk_fill_template(tmpl, words, rep->title, rep->output);
    rg_reply_template t = desk_template(d, body, rep->title);
    rg_reply_opts ro = { .tmpl = &t, .attach_name = rep->output, .auto_submitted = 1,
                         .bcc = d->cfg.bcc };
    st = rg_reply_compose_mem(r->ctx, r->where, r->data, r->len, path, pdf, pdf_len, &ro, out);
    free(body);
    return st;
}

/* --outbox: the reply delivered into the Maildir DIR (new/, a unique
 * name; made when missing), with local line ends as Maildir keeps them. */
static rg_status deliver_to_outbox(const desk *d, const request *r, const rg_reply *reply)
{
    size_t len, n = 0;
    const char *bytes = rg_reply_bytes(reply, &len);
    char *local = rg_xmalloc(len + 1);
    for (size_t i = 0; i < len; i++)
        if (!(bytes[i] == '\r' && i + 1 < len && bytes[i + 1] == '\n')) local[n++] = bytes[i];
    rg_status st = rg_maildir_deliver(r->ctx, d->o->outbox, local, n, NULL);
    free(local);
    return st;
}

/* Sends (or delivers into --outbox) the reply. */
static rg_status deliver(desk *d, const request *r, const rg_reply *reply)
{
    if (d->via == VIA_SMTP) return rg_reply_send_smtp(r->ctx, reply, d->smtp_url, &d->auth);
    if (d->via == VIA_SENDMAIL) return rg_reply_send_sendmail(r->ctx, reply);
    return deliver_to_outbox(d, r, reply);
}

/* A failed send whose message may still arrive: the session timed out
 * after the whole message went out (smtp.c says so in its error). */
static int maybe_delivered(const request *r)
{
    return strstr(r->error, "may still deliver") != NULL;
}

/* After SENDING was recorded and the send failed: back to no state when
 * nothing can have gone out (the next run tries again), in flight (a
 * person checks) when it may have. */
static rg_status send_failed(desk *d, request *r, rg_status sent, outcome *o)
{
    outcome_reason(o, "%s", r->error[0] ? r->error : "sending failed");
    if (maybe_delivered(r)) {
        o->decision = "in-flight";
        o->result = "may have been sent";
        rg_status st = rg_journal_record(d->journal, d->ctx, r->key, RG_J_INFLIGHT, o->to, o->reason);
        if (st == RG_OK) st = file_for_person(d, r, o);
        log_outcome(d, r, o);
        return st != RG_OK ? st : sent;
    }
    o->result = sent == RG_EX_TEMPFAIL ? "temporary failure; tried again next run"
                                       : "failed; tried again next run";
    rg_status st = rg_journal_record(d->journal, d->ctx, r->key, RG_J_NONE, o->to, "send failed");
    log_outcome(d, r, o);
    return st != RG_OK ? st : sent;
}

/* Step 7: journal SENDING, send, journal SENT, file as replied. */
static rg_status send_reply(desk *d, request *r, const rg_reply *reply, outcome *o)
{
    o->decision = "sent";
    if (d->o->dry_run) {
        d->dry_sent = rg_xrealloc(d->dry_sent, (d->n_dry_sent + 1) * sizeof *d->dry_sent);
        d->dry_sent[d->n_dry_sent++] = rg_xstrdup(o->to);
        log_outcome(d, r, o);
        return RG_OK;
    }
    rg_status st = rg_journal_record(d->journal, d->ctx, r->key, RG_J_SENDING, o->to, o->attachment);
    if (st != RG_OK) {
        o->result = "failed to record";
        log_outcome(d, r, o);
        return st;
    }
    kill_point(d, "after-journal-sending");
    st = deliver(d, r, reply);
    if (st != RG_OK) return send_failed(d, r, st, o);
    kill_point(d, "after-send");
    st = rg_journal_record(d->journal, d->ctx, r->key, RG_J_SENT, o->to, o->attachment);
    if (st == RG_OK) {
        kill_point(d, "after-journal-sent");
        st = file_done(d, r, "RS");
    }
    if (st != RG_OK) o->result = "sent, but failed to record or file";
    log_outcome(d, r, o);
    return st;
}

/* Steps 2 to 7 for a request the journal does not know. */
static rg_status answer(desk *d, request *r)
{
    outcome o = { .result = "ok" };
    char *to = NULL;
    int nto = 0;
    rg_reply *reply = NULL;
    rg_status st;

    const char *refusal = rg_guard_refusal(r->data, r->len, d->cfg.own_addresses,
                                           d->cfg.max_request_bytes);
    kill_point(d, "after-guard");
    if (refusal) {
        outcome_reason(&o, "%s", refusal);
        return refuse(d, r, &o);
    }
    st = check_composable(d, r, &to, &nto);
    if (st == RG_EX_DATAERR) {
        outcome_reason(&o, "%s", r->error[0] ? r->error : "malformed request");
        return refuse(d, r, &o);
    }
    if (st != RG_OK) goto fail;
    o.to = to;
    if (nto > 1) {
        outcome_reason(&o, "the reply would go to %d addresses (Reply-To); a person decides", nto);
        st = to_person(d, r, &o);
        goto fail;
    }
    if (over_limit(d, to, &o)) {
        st = refuse(d, r, &o);
        goto fail;
    }
    rg_period_ask ask;
    long i = pick_report(d, r, &ask, o.reason, sizeof o.reason);
    kill_point(d, "after-pick");
    if (i < 0) {
        st = to_person(d, r, &o);
        goto fail;
    }
    o.period = d->served.items[i].period;
    o.attachment = d->served.items[i].output;
    st = compose(d, r, (size_t)i, &ask, &reply);
    if (st != RG_OK) goto fail;
    kill_point(d, "after-compose");
    st = send_reply(d, r, reply, &o);
fail:
    if (st != RG_OK && !o.decision) {   /* the desk's own failure, not the request's */
        o.decision = "error";
        outcome_reason(&o, "%s", r->error[0] ? r->error : "internal error");
        o.result = "not handled; left where it is";
        log_outcome(d, r, &o);
    }
    rg_reply_free(reply);
    free(to);
    return st;
}

/* One request, whose bytes are read: step 1, then the rest. */
static rg_status handle(desk *d, request *r)
{
    request_study(r);
    rg_jstate state = rg_journal_state(d->journal, r->key);
    kill_point(d, "after-key");
    if (state != RG_J_NONE) return already_handled(d, r, state);
    return answer(d, r);
}

/* A request too big to read is given to a person unread (not journaled:
 * moving it is all there is to do, and doing it twice is harmless). From
 * standard input, where what was not read cannot be delivered, it is
 * left to the caller (exit 1). */
static rg_status too_big(desk *d, request *r, const char *why)
{
    outcome o = { .decision = "handmatig", .result = "ok" };
    outcome_reason(&o, "not read: %s", why);
    snprintf(r->key, sizeof r->key, "%s", r->msg ? r->msg->name : "<stdin>");
    rg_status st = (rg_status)EXIT_NOT_FILED;
    if (r->msg) st = file_for_person(d, r, &o);
    else o.result = "not filed: too big to read from standard input; exit 1";
    log_outcome(d, r, &o);
    return st;
}

/* ------------------------------------------------------------ the run */

/* Which statuses end the run at once: the journal or the Maildir cannot
 * be written (nothing more is safe), the server is down (the rest would
 * fail alike), a request that needs a person on standard input. */
static int stops_the_run(rg_status st)
{
    return st != RG_OK && st != RG_EX_UNAVAILABLE && st != RG_EX_DATAERR;
}

static void note_status(desk *d, rg_status st)
{
    if (st != RG_OK && d->status == RG_OK) d->status = st;
}

static rg_status run_maildir(desk *d)
{
    rg_maildir_msg *msgs = NULL;
    size_t n = 0;
    rg_status st = rg_maildir_scan(d->ctx, d->maildir, &msgs, &n);
    if (st != RG_OK) return st;
    for (size_t i = 0; i < n; i++) {
        request r;
        char why[300];
        request_begin(&r, msgs[i].path, &msgs[i]);
        rg_status rs = rg_read_regular(msgs[i].path, MAX_READ_BYTES, &r.data, &r.len, NULL, why,
                                       sizeof why);
        int gone = rs == RG_EX_NOINPUT;   /* a mail client moved it, or not a file */
        if (gone) rg_diag(d->ctx, RG_SEV_WARNING, msgs[i].path, 0, 0, "%s; left where it is", why);
        else if (rs == RG_EX_DATAERR) rs = too_big(d, &r, why);
        else rs = handle(d, &r);
        request_end(&r);
        if (gone) continue;
        note_status(d, rs);
        if (stops_the_run(rs)) break;
    }
    rg_maildir_msgs_free(msgs, n);
    return RG_OK;
}

static rg_status run_stdin(desk *d)
{
    request r;
    char why[300];
    request_begin(&r, "<stdin>", NULL);
    rg_status st = rg_read_stream(STDIN_FILENO, MAX_READ_BYTES, &r.data, &r.len, NULL, NULL, why,
                                  sizeof why);
    if (st == RG_EX_DATAERR) st = too_big(d, &r, why);
    else if (st != RG_OK) rg_diag(d->ctx, RG_SEV_ERROR, "<stdin>", 0, 0, "%s", why);
    else st = handle(d, &r);
    request_end(&r);
    note_status(d, st);
    return RG_OK;
}

/* At start-up: every request the journal has as SENDING was being sent
 * when a run died; it becomes INFLIGHT (never sent again) and is given
 * to a person when the loop meets it. The keys are kept to report those
 * the loop does not meet. */
static rg_status take_in_flight(desk *d)
{
    size_t n = 0;
    const char *const *keys = rg_journal_in_flight(d->journal, &n);
    d->in_flight = rg_xmalloc((n + 1) * sizeof *d->in_flight);
    d->in_flight_met = rg_xmalloc((n + 1) * sizeof *d->in_flight_met);
    memset(d->in_flight_met, 0, (n + 1) * sizeof *d->in_flight_met);
    for (size_t i = 0; i < n; i++) d->in_flight[i] = rg_xstrdup(keys[i]);
    d->n_in_flight = n;
    if (d->o->dry_run) return RG_OK;
    for (size_t i = 0; i < n; i++) {   /* keys[] is the journal's: not used after a record */
        rg_status st = rg_journal_record(d->journal, d->ctx, d->in_flight[i], RG_J_INFLIGHT, "-",
                                         IN_FLIGHT_TEXT);
        if (st != RG_OK) return st;
    }
    return RG_OK;
}

/* The in-flight requests the loop did not meet (filed already, or read
 * from standard input by the run that died): one line each. */
static void report_unmet_in_flight(desk *d)
{
    for (size_t i = 0; i < d->n_in_flight; i++) {
        if (d->in_flight_met[i]) continue;
        outcome o = { .decision = "in-flight", .result = "ok" };
        outcome_reason(&o, "%s (the request is not among the new ones%s)", IN_FLIGHT_TEXT,
                       d->maildir ? "; look for it in cur/ or " HANDMATIG_FOLDER : "");
        log_request(d, NULL, d->in_flight[i], NULL, &o);
    }
}

/* Where the replies go: the option, else the configuration's smtp, else
 * sendmail (REPORTGEN_SENDMAIL, else the configuration's path). */
static rg_status choose_delivery(desk *d)
{
    const inbox_options *o = d->o;
    if (o->outbox) {   /* a Maildir, made at the first reply when missing */
        d->via = VIA_OUTBOX;
        return RG_OK;
    }
    d->smtp_url = o->smtp ? o->smtp : o->sendmail ? NULL : d->cfg.smtp;
    if (d->smtp_url) {
        d->via = VIA_SMTP;
        return rg_smtp_auth_load(d->ctx, o->credentials, &d->auth);
    }
    d->via = VIA_SENDMAIL;
    if (d->cfg.sendmail && !getenv("REPORTGEN_SENDMAIL"))
        setenv("REPORTGEN_SENDMAIL", d->cfg.sendmail, 1);
    return RG_OK;
}

static rg_status open_log(desk *d)
{
    const char *path = d->o->log_json ? d->o->log_json : d->cfg.log_json;
    d->log_fd = -1;
    if (!path) return RG_OK;
    d->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
    if (d->log_fd < 0) {
        rg_diag(d->ctx, RG_SEV_ERROR, path, 0, 0, "cannot open the log: %s", strerror(errno));
        return RG_EX_CANTCREAT;
    }
    return RG_OK;
}

/* Everything a run needs, checked before anything is written: the
 * configuration, where replies go, the served reports; then the log and
 * the journal (its lock keeps a second desk out). */
static rg_status desk_open(desk *d, const inbox_options *o, const char *operand)
{
    rg_status st;
    long long sde;
    d->o = o;
    d->maildir = strcmp(operand, "-") ? operand : NULL;
    d->log_fd = -1;
    d->ctx = rg_ctx_new(stderr);
    d->kill_at = getenv("REPORTGEN_INBOX_KILL_AT");
    if (d->kill_at && !*d->kill_at) d->kill_at = NULL;
    CHECK(rg_build_source_date(d->ctx, &sde));
    CHECK(rg_desk_config_load(d->ctx, o->config, &d->cfg));
    d->have_cfg = 1;
    CHECK(choose_delivery(d));
    CHECK(rg_served_read(d->ctx, o->reports, d->cfg.serve, &d->served));
    d->pdfs = rg_xmalloc(d->served.n * sizeof *d->pdfs);
    memset(d->pdfs, 0, d->served.n * sizeof *d->pdfs);
    if (d->maildir) {
        struct stat sb;
        char sub[4400];
        snprintf(sub, sizeof sub, "%s/new", d->maildir);
        if (stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            rg_diag(d->ctx, RG_SEV_ERROR, d->maildir, 0, 0, "not a Maildir (no new/ folder)");
            return RG_EX_NOINPUT;
        }
    }
    CHECK(open_log(d));
    char jpath[4400];
    if (o->journal) snprintf(jpath, sizeof jpath, "%s", o->journal);
    else snprintf(jpath, sizeof jpath, "%s/%s", d->maildir, DEFAULT_JOURNAL_NAME);
    CHECK(rg_journal_open(d->ctx, jpath, &d->journal));
    CHECK(take_in_flight(d));
fail:
    return st;
}

static void desk_close(desk *d)
{
    rg_journal_close(d->journal);
    for (size_t i = 0; i < d->served.n && d->pdfs; i++) free(d->pdfs[i].data);
    free(d->pdfs);
    rg_served_free(&d->served);
    for (size_t i = 0; i < d->n_in_flight; i++) free(d->in_flight[i]);
    free(d->in_flight);
    free(d->in_flight_met);
    for (size_t i = 0; i < d->n_dry_sent; i++) free(d->dry_sent[i]);
    free(d->dry_sent);
    if (d->have_cfg) rg_desk_config_free(&d->cfg);
    rg_smtp_auth_clear(&d->auth);
    if (d->log_fd >= 0) close(d->log_fd);
    rg_ctx_free(d->ctx);
}

/* -v: the count of each decision. */
static void tell_counts(const desk *d)
{
    fputs("reportgen inbox:", stderr);
    for (int i = 0; i < NDECISIONS; i++)
        if (d->counts[i] || i < 3) fprintf(stderr, "%s %u %s", i ? "," : "", d->counts[i], DECISIONS[i]);
    fputc('\n', stderr);
}

int rg_cmd_inbox(int argc, char **argv)
{
    inbox_options o = { 0 };
    rg_args a = { 0 };
    int rc = rg_args_parse(&INBOX, argc - 1, argv + 1, &o, &a);
    if (rc == RG_OK && !a.help) rc = check_options(&a, &o);
    const char *operand = a.noperands ? a.operands[0] : NULL;   /* into argv */
    int help = a.help;
    rg_args_free(&a);
    if (rc != RG_OK || help) return rc;

    desk d = { 0 };
    rg_status st = desk_open(&d, &o, operand);
    if (st == RG_OK) {
        st = d.maildir ? run_maildir(&d) : run_stdin(&d);
        report_unmet_in_flight(&d);
        if (st == RG_OK) st = d.status;
        if (o.verbosity > 0) tell_counts(&d);
    }
    desk_close(&d);
    return st;
}
