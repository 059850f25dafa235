/* mail/inbox-log.c - the log line of `reportgen inbox`: one per request,
 * on stderr as "TIME <ID> name=value ..." and as a JSON object per line
 * into the --log-json file (docs/mail-desk.md, "The log"). Stage: mail. */
#include "inbox-imp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const RG_DECISIONS[RG_NDECISIONS] = { "sent", "handmatig", "refused", "duplicate",
                                                  "in-flight", "dry-run", "error" };

static void utc_now(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Appends s as a JSON string (NULL: null); bytes that are not UTF-8
 * become U+FFFD. */
static void json_value(rg_text *b, const char *s)
{
    if (!s) {
        rg_text_puts(b, "null");
        return;
    }
    rg_text_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t k = rg_utf8_sequence(p);
        char esc[8];
        if (k == 0) {
            rg_text_puts(b, "\\ufffd");
            p++;
        } else if (*p == '"' || *p == '\\') {
            esc[0] = '\\', esc[1] = (char)*p++;
            rg_text_put(b, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", *p++);
            rg_text_puts(b, esc);
        } else {
            rg_text_put(b, p, k);
            p += k;
        }
    }
    rg_text_puts(b, "\"");
}

/* Appends " name=value" to the stderr line (NULL: nothing): quoted when
 * the value holds a space, a quote or '=' (or is empty), with \" and \\;
 * control characters as '?'. */
static void text_field(rg_text *b, const char *name, const char *value)
{
    if (!value) return;
    int quote = !*value || strpbrk(value, " \t\"=") != NULL;
    rg_text_puts(b, " ");
    rg_text_puts(b, name);
    rg_text_puts(b, quote ? "=\"" : "=");
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        char c[2] = { '\\', (char)(*p < 0x20 || *p == 0x7f ? '?' : *p) };
        int escaped = quote && (*p == '"' || *p == '\\');
        rg_text_put(b, c + !escaped, 1 + (size_t)escaped);
    }
    if (quote) rg_text_puts(b, "\"");
}

/* Whether -q still prints a line of this decision: what a person must see. */
static int needs_a_person(const rg_outcome *o)
{
    return !strcmp(o->decision, "handmatig") || !strcmp(o->decision, "in-flight") ||
           strcmp(o->result, "ok") != 0;
}

/* The line on stderr: the time, the Message-ID in <> (or the key), the
 * fields. */
static void print_line(const char *time_text, const char *id, const char *key, const char *from,
                       const rg_outcome *o)
{
    rg_text b = { 0 };
    rg_text_puts(&b, time_text);
    rg_text_puts(&b, id ? " <" : " ");
    for (const char *p = id ? id : key; *p; p++)   /* one word, whatever the header held */
        rg_text_put(&b, (unsigned char)*p <= ' ' || *p == 0x7f ? "?" : p, 1);
    if (id) rg_text_puts(&b, ">");
    text_field(&b, "from", from ? from : "-");
    text_field(&b, "decision", o->decision);
    text_field(&b, "reason", o->reason[0] ? o->reason : NULL);
    text_field(&b, "to", o->to);
    text_field(&b, "period", o->period);
    text_field(&b, "attachment", o->attachment);
    text_field(&b, "result", o->result);
    rg_text_puts(&b, "\n");
    fputs(b.p, stderr);
    free(b.p);
}

/* The same as one JSON object on a line of fd, in one write (O_APPEND:
 * lines of two runs never mix). 0, or -1 with errno. */
static int append_json(int fd, const char *time_text, const char *id, const char *key,
                       const char *from, const rg_outcome *o)
{
    const char *names[] = { "time", "message_id", "key", "from", "to", "decision", "reason",
                            "period", "attachment", "result" };
    const char *values[] = { time_text, id, key, from, o->to, o->decision,
                             o->reason[0] ? o->reason : NULL, o->period, o->attachment,
                             o->result };
    rg_text b = { 0 };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rg_text_puts(&b, i ? ",\"" : "{\"");
        rg_text_puts(&b, names[i]);
        rg_text_puts(&b, "\":");
        json_value(&b, values[i]);
    }
    rg_text_puts(&b, "}\n");
    int rc = rg_write_all(fd, b.p, b.len);
    free(b.p);
    return rc;
}

/* The log line of one request: on stderr, and as JSON into --log-json.
 * id is the request's Message-ID (NULL: none; the key is shown then). */
void rg_inbox_log(rg_desk *d, const char *id, const char *key, const char *from,
                        const rg_outcome *o)
{
    rg_outcome shown = *o;
    int print = d->o->verbosity >= 0 || needs_a_person(o);
    if (d->o->dry_run) {   /* what it would have done */
        snprintf(shown.reason, sizeof shown.reason, "would be %s%s%.560s", o->decision,
                 o->reason[0] ? ": " : "", o->reason);
        shown.decision = "dry-run";
    }
    for (int i = 0; i < RG_NDECISIONS; i++)
        if (!strcmp(RG_DECISIONS[i], shown.decision)) d->counts[i]++;
    char time_text[32];
    utc_now(time_text, sizeof time_text);
    if (print) print_line(time_text, id, key, from, &shown);
    if (d->log_fd >= 0 && append_json(d->log_fd, time_text, id, key, from, &shown) != 0)
        rg_diag(d->ctx, RG_SEV_WARNING, d->o->log_json ? d->o->log_json : d->cfg.log_json, 0, 0,
                "cannot append the log line: %s", strerror(errno));
}

void rg_outcome_reason(rg_outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->reason, sizeof o->reason, fmt, ap);
    va_end(ap);
}
