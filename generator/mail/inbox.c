/* mail/inbox.c - the `reportgen inbox` subcommand: the mail desk's loop.
 * Stage: mail. Owns the command line, setting a run up (configuration,
 * delivery, served reports, journal and its lock, requests found in
 * flight), reading the requests (Maildir or standard input) and the exit
 * status; inbox-request.c takes each request through the steps below,
 * inbox-log.c writes its log line (shared types: inbox-imp.h).
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
#include "inbox-imp.h"
#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(x) do { st = (x); if (st != RG_OK) goto fail; } while (0)

/* A request is a short e-mail; one this big is not read at all (it goes
 * to .Handmatig unread). The configured max-request-bytes (guard.c) is
 * the real limit; this one only bounds the memory a run takes. */
#define MAX_READ_BYTES (64u << 20)
#define DEFAULT_JOURNAL_NAME ".reportgen-inbox.journal"

/* The points REPORTGEN_INBOX_KILL_AT may name (a test hook: the process
 * kills itself with SIGKILL there, at the first request that gets there;
 * inbox-request.c's kill_point). */
static const char *const KILL_STEPS[] = {
    "after-key", "after-guard", "after-pick", "after-compose", "after-journal-sending",
    "after-send", "after-journal-sent", "after-journal-decision", "after-file", NULL
};

/* ------------------------------------------------------------ options */


#define STRING_OPTION(long_name, field, value_, help_)                                         \
    { .name = long_name, .kind = RG_OPT_STRING,                                                 \
      .at = RG_OPT_AT(rg_inbox_options, field, const char *), .value = value_, .help = help_ }

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
    { .name = "sendmail", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(rg_inbox_options, sendmail, int),
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
    { .name = "dry-run", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(rg_inbox_options, dry_run, int),
      .help = "decide and log everything (decision=dry-run, reason= what it would have "
              "done), but record, move and send nothing" },
    RG_OPT_QUIET(rg_inbox_options, verbosity,
                 "log on stderr only the requests that need a person (handmatig, in flight) "
                 "and failures; the --log-json file still gets every line"),
    RG_OPT_VERBOSE(rg_inbox_options, verbosity,
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
    "(decision: sent, handmatig, refused, duplicate, in-flight, dry-run, or error: the desk's "
    "own failure, the request left where it was; reason=\"...\" for all but sent). With '-' "
    "one request is read from standard input (a procmail or MTA pipe).",
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
static int check_options(const rg_args *a, const rg_inbox_options *o)
{
    if (a->noperands == 0) return rg_args_error(a, "no Maildir given (or '-' for standard input)");
    if (a->noperands > 1)
        return rg_args_error(a, "more than one Maildir given: %s", a->operands[1]);
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

/* ------------------------------------------------------------ the run */

/* Which statuses end the run at once: the journal or the Maildir cannot
 * be written (nothing more is safe), the server is down (the rest would
 * fail alike), a request that needs a person on standard input. */
static int stops_the_run(rg_status st)
{
    return st != RG_OK && st != RG_EX_UNAVAILABLE && st != RG_EX_DATAERR;
}

static void note_status(rg_desk *d, rg_status st)
{
    if (st != RG_OK && d->status == RG_OK) d->status = st;
}

static rg_status run_maildir(rg_desk *d)
{
    rg_maildir_msg *msgs = NULL;
    size_t n = 0;
    rg_status st = rg_maildir_scan(d->ctx, d->maildir, &msgs, &n);
    if (st != RG_OK) return st;
    for (size_t i = 0; i < n; i++) {
        rg_inbox_req r;
        char why[300];
        rg_inbox_req_begin(&r, msgs[i].path, &msgs[i]);
        rg_status rs = rg_read_regular(msgs[i].path, MAX_READ_BYTES, &r.data, &r.len, NULL, why,
                                       sizeof why);
        int gone = rs == RG_EX_NOINPUT;   /* a mail client moved it, or not a file */
        if (gone) rg_diag(d->ctx, RG_SEV_WARNING, msgs[i].path, 0, 0, "%s; left where it is", why);
        else if (rs == RG_EX_DATAERR) rs = rg_inbox_too_big(d, &r, why);
        else rs = rg_inbox_handle(d, &r);
        rg_inbox_req_end(&r);
        if (gone) continue;
        note_status(d, rs);
        if (stops_the_run(rs)) break;
    }
    rg_maildir_msgs_free(msgs, n);
    return RG_OK;
}

static rg_status run_stdin(rg_desk *d)
{
    rg_inbox_req r;
    char why[300];
    rg_inbox_req_begin(&r, "<stdin>", NULL);
    rg_status st = rg_read_stream(STDIN_FILENO, MAX_READ_BYTES, &r.data, &r.len, NULL, NULL, why,
                                  sizeof why);
    if (st == RG_EX_DATAERR) st = rg_inbox_too_big(d, &r, why);
    else if (st != RG_OK) rg_diag(d->ctx, RG_SEV_ERROR, "<stdin>", 0, 0, "%s", why);
    else st = rg_inbox_handle(d, &r);
    rg_inbox_req_end(&r);
    note_status(d, st);
    return RG_OK;
}

/* At start-up: every request the journal has as SENDING was being sent
 * when a run died; it becomes INFLIGHT (never sent again) and is given
 * to a person when the loop meets it. The keys are kept to report those
 * the loop does not meet. */
static rg_status take_in_flight(rg_desk *d)
{
    size_t n = 0;
    const char *const *keys = rg_journal_in_flight(d->journal, &n);
    d->in_flight = rg_xmalloc((n + 1) * sizeof *d->in_flight);
    d->in_flight_met = rg_xcalloc(n + 1, sizeof *d->in_flight_met);
    for (size_t i = 0; i < n; i++) d->in_flight[i] = rg_xstrdup(keys[i]);
    d->n_in_flight = n;
    if (d->o->dry_run) return RG_OK;
    for (size_t i = 0; i < n; i++) {   /* keys[] is the journal's: not used after a record */
        rg_status st = rg_journal_record(d->journal, d->ctx, d->in_flight[i], RG_J_INFLIGHT, "-",
                                         RG_IN_FLIGHT_TEXT);
        if (st != RG_OK) return st;
    }
    return RG_OK;
}

/* The in-flight requests the loop did not meet (filed already, or read
 * from standard input by the run that died): one line each. */
static void report_unmet_in_flight(rg_desk *d)
{
    for (size_t i = 0; i < d->n_in_flight; i++) {
        if (d->in_flight_met[i]) continue;
        rg_outcome o = { .decision = "in-flight", .result = "ok" };
        rg_outcome_reason(&o, "%s (the request is not among the new ones%s)", RG_IN_FLIGHT_TEXT,
                       d->maildir ? "; look for it in cur/ or " RG_HANDMATIG_FOLDER : "");
        rg_inbox_log(d, NULL, d->in_flight[i], NULL, &o);
    }
}

/* Where the replies go: the option, else the configuration's smtp, else
 * sendmail (REPORTGEN_SENDMAIL, else the configuration's path). */
static rg_status choose_delivery(rg_desk *d)
{
    const rg_inbox_options *o = d->o;
    if (o->outbox) {   /* a Maildir, made at the first reply when missing */
        d->via = RG_VIA_OUTBOX;
        return RG_OK;
    }
    d->smtp_url = o->smtp ? o->smtp : o->sendmail ? NULL : d->cfg.smtp;
    if (d->smtp_url) {
        d->via = RG_VIA_SMTP;
        return rg_smtp_auth_load(d->ctx, o->credentials, &d->auth);
    }
    d->via = RG_VIA_SENDMAIL;
    if (d->cfg.sendmail && !getenv("REPORTGEN_SENDMAIL"))
        setenv("REPORTGEN_SENDMAIL", d->cfg.sendmail, 1);
    return RG_OK;
}

static rg_status open_log(rg_desk *d)
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
static rg_status desk_open(rg_desk *d, const rg_inbox_options *o, const char *operand)
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
    d->pdfs = rg_xcalloc(d->served.n, sizeof *d->pdfs);
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

static void desk_close(rg_desk *d)
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
static void tell_counts(const rg_desk *d)
{
    fputs("reportgen inbox:", stderr);
    for (int i = 0; i < RG_NDECISIONS; i++)
        if (d->counts[i] || i < 3)
            fprintf(stderr, "%s %u %s", i ? "," : "", d->counts[i], RG_DECISIONS[i]);
    fputc('\n', stderr);
}

int rg_cmd_inbox(int argc, char **argv)
{
    rg_inbox_options o = { 0 };
    rg_args a = { 0 };
    int rc = rg_args_parse(&INBOX, argc - 1, argv + 1, &o, &a);
    if (rc == RG_OK && !a.help) rc = check_options(&a, &o);
    const char *operand = a.noperands ? a.operands[0] : NULL;   /* into argv */
    int help = a.help;
    rg_args_free(&a);
    if (rc != RG_OK || help) return rc;

    rg_desk d = { 0 };
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
