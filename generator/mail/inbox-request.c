/* mail/inbox-request.c - one request through the mail desk's steps
 * (inbox.c's head comment lists them), each durable before the next:
 * what the journal's state of it means, the guard, composing, the
 * limits, the period, the reply sent once, the request filed. Stage: mail. */
#include "inbox-imp.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Mail servers refuse messages over 20-25 MB (mail.c's limit is the same). */
#define MAX_PDF_BYTES (18u << 20)
#define DAY_SECONDS (24 * 60 * 60)

const char RG_IN_FLIGHT_TEXT[] =
    "in flight when a run stopped: may have been sent; check before answering";

/* The test hook: dies here when REPORTGEN_INBOX_KILL_AT names this step. */
static void kill_point(const rg_desk *d, const char *step)
{
    if (d->kill_at && !strcmp(d->kill_at, step)) raise(SIGKILL);
}

/* A request's diagnostics: errors are kept as the log's reason (the text
 * after "error: "), warnings go on to stderr. */
static void catch_diag(void *data, rg_severity sev, const char *once, const char *line)
{
    (void)once;
    rg_inbox_req *r = data;
    if (sev == RG_SEV_WARNING) {
        if (!r->warned) fputs(line, stderr);
        return;
    }
    const char *msg = strstr(line, ": error: ");
    snprintf(r->error, sizeof r->error, "%s", msg ? msg + 9 : line);
    size_t n = strlen(r->error);
    while (n && r->error[n - 1] == '\n') r->error[--n] = '\0';
}

void rg_inbox_req_begin(rg_inbox_req *r, const char *where, rg_maildir_msg *msg)
{
    memset(r, 0, sizeof *r);
    r->where = rg_xstrdup(where);
    r->msg = msg;
    r->ctx = rg_ctx_new(stderr);
    r->ctx->diag_hook = catch_diag;
    r->ctx->diag_hook_data = r;
}

void rg_inbox_req_end(rg_inbox_req *r)
{
    free(r->where);
    free(r->data);
    rg_request_info_clear(&r->info);
    rg_ctx_free(r->ctx);
}

/* The key and the fields the steps need, from the bytes read. */
static void request_study(rg_inbox_req *r)
{
    rg_request_info_read(r->data, r->len, &r->info);
    rg_journal_key(r->info.message_id, r->data, r->len, r->key, sizeof r->key);
}

static void log_outcome(rg_desk *d, const rg_inbox_req *r, const rg_outcome *o)
{
    rg_inbox_log(d, r->info.message_id, r->key, r->info.from, o);
}

/* Records key's state unless this is a dry run. */
static rg_status record(rg_desk *d, const rg_inbox_req *r, rg_jstate state, const char *address,
                        const char *detail)
{
    if (d->o->dry_run) return RG_OK;
    return rg_journal_record(d->journal, d->ctx, r->key, state, address ? address : "-", detail);
}

/* Files the request in cur/ with flags ("S", "RS"); standard input: nothing. */
static rg_status file_done(rg_desk *d, rg_inbox_req *r, const char *flags)
{
    if (d->o->dry_run || !r->msg) return RG_OK;
    rg_status st = rg_maildir_done(d->ctx, d->maildir, r->msg, flags);
    if (st == RG_OK) kill_point(d, "after-file");
    return st;
}

/* Gives the request to a person: the Maildir's .Handmatig folder, or with
 * standard input the --handmatig Maildir; RG_EXIT_NOT_FILED when there is
 * none (the caller keeps the message). */
static rg_status file_for_person(rg_desk *d, rg_inbox_req *r, rg_outcome *o)
{
    rg_status st = RG_OK;
    if (d->o->dry_run) return RG_OK;
    if (r->msg) st = rg_maildir_to_folder(d->ctx, d->maildir, RG_HANDMATIG_FOLDER, r->msg);
    else if (d->o->handmatig)
        st = rg_maildir_deliver(d->ctx, d->o->handmatig, r->data, r->len, NULL);
    else {
        o->result = "not filed: no --handmatig given; exit 1";
        return (rg_status)RG_EXIT_NOT_FILED;
    }
    if (st == RG_OK) kill_point(d, "after-file");
    else o->result = "failed to file";
    return st;
}

/* Step 1: a request the journal knows (a duplicate, or a rerun after a
 * run that stopped before filing it) is filed as its state says. */
static rg_status already_handled(rg_desk *d, rg_inbox_req *r, rg_jstate state)
{
    rg_outcome o = { .decision = "duplicate", .result = "ok" };
    rg_status st;
    switch (state) {
    case RG_J_SENT:
        rg_outcome_reason(&o, "already answered");
        st = file_done(d, r, "RS");
        break;
    case RG_J_REFUSED:
        rg_outcome_reason(&o, "already refused");
        st = file_done(d, r, "S");
        break;
    case RG_J_HANDMATIG:
        rg_outcome_reason(&o, "already given to a person (%s)", RG_HANDMATIG_FOLDER);
        st = file_for_person(d, r, &o);
        break;
    default:   /* INFLIGHT, or SENDING in a dry run (not made INFLIGHT) */
        o.decision = "in-flight";
        rg_outcome_reason(&o, "%s", RG_IN_FLIGHT_TEXT);
        for (size_t i = 0; i < d->n_in_flight; i++)
            if (!strcmp(d->in_flight[i], r->key)) d->in_flight_met[i] = 1;
        st = file_for_person(d, r, &o);
        break;
    }
    log_outcome(d, r, &o);
    return st;
}

/* Steps 2-4 end here: REFUSED in the journal, filed in cur/ as seen. */
static rg_status refuse(rg_desk *d, rg_inbox_req *r, rg_outcome *o)
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
static rg_status to_person(rg_desk *d, rg_inbox_req *r, rg_outcome *o)
{
    o->decision = "handmatig";
    if (!r->msg && !d->o->handmatig && !d->o->dry_run) {   /* nowhere to file it: record nothing */
        o->result = "not filed: no --handmatig given; exit 1";
        log_outcome(d, r, o);
        return (rg_status)RG_EXIT_NOT_FILED;
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
static size_t dry_sent_to(const rg_desk *d, const char *address)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_dry_sent; i++)
        if (!address || !strcasecmp(d->dry_sent[i], address)) n++;
    return n;
}

/* Step 4: the reason when a reply to address would pass a limit, else 0. */
static int over_limit(const rg_desk *d, const char *address, rg_outcome *o)
{
    time_t since = time(NULL) - DAY_SECONDS;
    size_t to_address = rg_journal_sent_to(d->journal, address, since) + dry_sent_to(d, address);
    size_t total = rg_journal_sent_total(d->journal, since) + dry_sent_to(d, NULL);
    if (to_address >= d->cfg.max_per_address) {
        rg_outcome_reason(o, "limit: %zu replies to %s in the last 24 hours", to_address, address);
        return 1;
    }
    if (total >= d->cfg.max_per_day) {
        rg_outcome_reason(o, "limit: %zu replies in the last 24 hours", total);
        return 1;
    }
    return 0;
}

/* The reply's template for a language: the configured text, the From. */
static rg_reply_template desk_template(const rg_desk *d, const char *body, const char *title)
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
static rg_status check_composable(const rg_desk *d, rg_inbox_req *r, char **to, int *nto)
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
static long pick_report(const rg_desk *d, const rg_inbox_req *r, rg_period_ask *ask, char *why,
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
static rg_status report_pdf(rg_desk *d, size_t i, const char **data, size_t *len, char *path,
                            size_t path_size)
{
    snprintf(path, path_size, "%s/%s", d->o->reports, d->served.items[i].output);
    rg_served_pdf *p = &d->pdfs[i];
    if (!p->data) {
        char why[300];
        rg_status st = rg_read_regular(path, MAX_PDF_BYTES, &p->data, &p->len, NULL, why,
                                       sizeof why);
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
static rg_status compose(rg_desk *d, rg_inbox_req *r, size_t i, const rg_period_ask *ask,
                         rg_reply **out)
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
static rg_status deliver_to_outbox(const rg_desk *d, const rg_inbox_req *r, const rg_reply *reply)
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

/* Sends (or delivers into --outbox) the reply; *maybe is 1 when it failed
 * after the server may have taken it (rg_reply_send_smtp). */
static rg_status deliver(rg_desk *d, const rg_inbox_req *r, const rg_reply *reply, int *maybe)
{
    *maybe = 0;
    if (d->via == RG_VIA_SMTP)
        return rg_reply_send_smtp(r->ctx, reply, d->smtp_url, &d->auth, maybe);
    if (d->via == RG_VIA_SENDMAIL) return rg_reply_send_sendmail(r->ctx, reply);
    return deliver_to_outbox(d, r, reply);
}

/* After SENDING was recorded and the send failed: back to no state when
 * nothing can have gone out (the next run tries again), in flight (a
 * person checks) when it may have. */
static rg_status send_failed(rg_desk *d, rg_inbox_req *r, rg_status sent, int maybe_delivered,
                             rg_outcome *o)
{
    rg_outcome_reason(o, "%s", r->error[0] ? r->error : "sending failed");
    if (maybe_delivered) {
        o->decision = "in-flight";
        o->result = "may have been sent";
        rg_status st = rg_journal_record(d->journal, d->ctx, r->key, RG_J_INFLIGHT, o->to,
                                         o->reason);
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
static rg_status send_reply(rg_desk *d, rg_inbox_req *r, const rg_reply *reply, rg_outcome *o)
{
    o->decision = "sent";
    if (d->o->dry_run) {
        d->dry_sent = rg_xrealloc(d->dry_sent, (d->n_dry_sent + 1) * sizeof *d->dry_sent);
        d->dry_sent[d->n_dry_sent++] = rg_xstrdup(o->to);
        log_outcome(d, r, o);
        return RG_OK;
    }
    rg_status st = rg_journal_record(d->journal, d->ctx, r->key, RG_J_SENDING, o->to,
                                     o->attachment);
    if (st != RG_OK) {
        o->result = "failed to record";
        log_outcome(d, r, o);
        return st;
    }
    kill_point(d, "after-journal-sending");
    int maybe = 0;
    st = deliver(d, r, reply, &maybe);
    if (st != RG_OK) return send_failed(d, r, st, maybe, o);
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
static rg_status answer(rg_desk *d, rg_inbox_req *r)
{
    rg_outcome o = { .result = "ok" };
    char *to = NULL;
    int nto = 0;
    rg_reply *reply = NULL;
    rg_status st;

    const char *refusal = rg_guard_refusal(r->data, r->len, d->cfg.own_addresses,
                                           d->cfg.max_request_bytes);
    kill_point(d, "after-guard");
    if (refusal) {
        rg_outcome_reason(&o, "%s", refusal);
        return refuse(d, r, &o);
    }
    st = check_composable(d, r, &to, &nto);
    if (st == RG_EX_DATAERR) {
        rg_outcome_reason(&o, "%s", r->error[0] ? r->error : "malformed request");
        return refuse(d, r, &o);
    }
    if (st != RG_OK) goto fail;
    o.to = to;
    if (nto > 1) {
        rg_outcome_reason(&o, "the reply would go to %d addresses (Reply-To); a person decides",
                          nto);
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
        rg_outcome_reason(&o, "%s", r->error[0] ? r->error : "internal error");
        o.result = "not handled; left where it is";
        log_outcome(d, r, &o);
    }
    rg_reply_free(reply);
    free(to);
    return st;
}

/* One request, whose bytes are read: step 1, then the rest. */
rg_status rg_inbox_handle(rg_desk *d, rg_inbox_req *r)
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
rg_status rg_inbox_too_big(rg_desk *d, rg_inbox_req *r, const char *why)
{
    rg_outcome o = { .decision = "handmatig", .result = "ok" };
    rg_outcome_reason(&o, "not read: %s", why);
    snprintf(r->key, sizeof r->key, "%s", r->msg ? r->msg->name : "<stdin>");
    rg_status st = (rg_status)RG_EXIT_NOT_FILED;
    if (r->msg) st = file_for_person(d, r, &o);
    else o.result = "not filed: too big to read from standard input; exit 1";
    log_outcome(d, r, &o);
    return st;
}
