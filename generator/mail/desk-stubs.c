/* TEMPORARY stand-ins for desk.h's other parts (period, journal, maildir,
 * config, guard) until their branches are merged; deleted then. */
#include "desk.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- config ---- */
rg_status rg_desk_config_load(rg_ctx *ctx, const char *path, rg_desk_config *out)
{
    (void)ctx;
    (void)path;
    memset(out, 0, sizeof *out);
    out->from = strdup("Logius Communicatie <communicatie@logius.nl>");
    out->own_addresses = strdup("communicatie@logius.nl");
    out->serve = strdup("viermaandsrapportage-*.pdf");
    out->subject_prefix = strdup("Re:");
    out->template_nl = strdup("Geachte heer/mevrouw,\n\nIn de bijlage vindt u de rapportage over {period}.\n\nMet vriendelijke groet,\nLogius\n");
    out->template_en = strdup("Dear Sir or Madam,\n\nPlease find attached the report for {period}.\n\nKind regards,\nLogius\n");
    out->sendmail = strdup("/usr/sbin/sendmail");
    out->max_per_address = 3;
    out->max_per_day = 200;
    out->max_request_bytes = 1048576;
    return RG_OK;
}

void rg_desk_config_free(rg_desk_config *c)
{
    free(c->from); free(c->own_addresses); free(c->serve); free(c->subject_prefix);
    free(c->template_nl); free(c->template_en); free(c->bcc); free(c->smtp); free(c->sendmail);
    free(c->log_json);
}

char *rg_desk_fill_template(const char *tmpl, const char *period, const char *title, const char *output)
{
    (void)title; (void)output;
    const char *p = strstr(tmpl, "{period}");
    size_t n = strlen(tmpl) + strlen(period) + 1;
    char *out = malloc(n);
    if (!p) { strcpy(out, tmpl); return out; }
    snprintf(out, n, "%.*s%s%s", (int)(p - tmpl), tmpl, period, p + 8);
    return out;
}

/* ---- guard, request info ---- */
static char *header(const char *req, size_t len, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = req; p < req + len;) {
        const char *e = memchr(p, '\n', (size_t)(req + len - p));
        if (!e) e = req + len;
        if (e == p || (e == p + 1 && *p == '\r')) break;
        if ((size_t)(e - p) > nl && !strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < e && (*v == ' ' || *v == '\t')) v++;
            size_t vl = (size_t)(e - v);
            if (vl && v[vl - 1] == '\r') vl--;
            return strndup(v, vl);
        }
        p = e + 1;
    }
    return NULL;
}

const char *rg_guard_refusal(const char *req, size_t len, const char *own, size_t max_bytes)
{
    (void)own;
    if (len > max_bytes) return "too large";
    char *v;
    static const char *names[] = { "Auto-Submitted", "Precedence", "List-Id", "X-Autoreply", NULL };
    for (int i = 0; names[i]; i++)
        if ((v = header(req, len, names[i]))) {
            int no = !strcasecmp(v, "no");
            free(v);
            if (!(i == 0 && no)) return names[i];
        }
    if ((v = header(req, len, "Return-Path"))) {
        int empty = !strcmp(v, "<>");
        free(v);
        if (empty) return "Return-Path: <>";
    }
    if ((v = header(req, len, "From"))) {
        int bad = strstr(v, "MAILER-DAEMON") || strstr(v, "noreply") || strstr(v, "communicatie@logius.nl");
        free(v);
        if (bad) return "From: automatic";
    }
    return NULL;
}

void rg_request_info_read(const char *req, size_t len, rg_request_info *out)
{
    memset(out, 0, sizeof *out);
    char *id = header(req, len, "Message-ID");
    if (id) {
        char *a = strchr(id, '<'), *b = strchr(id, '>');
        if (a && b && b > a + 1) out->message_id = strndup(a + 1, (size_t)(b - a - 1));
        free(id);
    }
    char *from = header(req, len, "From");
    if (from) {
        char *a = strchr(from, '<'), *b = strchr(from, '>');
        out->from = a && b && b > a ? strndup(a + 1, (size_t)(b - a - 1)) : strdup(from);
        free(from);
    }
    out->subject = header(req, len, "Subject");
    const char *body = strstr(req, "\n\n");
    const char *body2 = strstr(req, "\r\n\r\n");
    if (body2 && (!body || body2 < body)) body = body2 + 2;
    if (body) out->body = strndup(body + 2, len - (size_t)(body + 2 - req));
}

void rg_request_info_clear(rg_request_info *info)
{
    free(info->message_id); free(info->from); free(info->subject); free(info->body);
    memset(info, 0, sizeof *info);
}
