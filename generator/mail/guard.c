/* mail/guard.c - whether a request may get an automatic reply at all (RFC
 * 3834 section 2 and what mail servers and bulk senders do besides), and
 * what the desk reads of a request: its Message-ID, sender, subject and
 * text (desk.h). Stage: mail.
 *
 * The guard reads the raw header block itself (up to the first empty
 * line; folded lines unfolded, names compared without regard to case):
 * it must judge also what GMime would repair or drop, and it never needs
 * more than names and values. rg_request_info_read uses GMime (MIME
 * structure, RFC 2047 words, transfer encodings and charsets). */
#include "desk.h"
#include "internal.h"

#include <gmime/gmime.h>

#include <stdlib.h>
#include <string.h>

/* Headers judged; a request with more is judged on these (a real one has
 * a few dozen). */
#define MAX_HEADERS 500
/* The text of a request the period matcher reads. */
#define MAX_BODY_CHARS (256u << 10)

typedef struct header {
    const char *name;        /* into the request; not NUL-terminated */
    size_t name_len;
    char *value;             /* unfolded, trimmed, NUL-terminated, malloc'd */
} header;

typedef struct header_block {
    header h[MAX_HEADERS];
    size_t n;
} header_block;

/* ------------------------------------------------------------- headers */

/* 1 when p[0..n) is a header field name (RFC 5322 2.2: printable ASCII
 * but ':'). */
static int field_name_ok(const char *p, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] <= 32 || (unsigned char)p[i] >= 127 || p[i] == ':') return 0;
    return 1;
}

/* The end of the line starting at p (at its LF, or end). */
static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

/* Appends the line p..e (without a CR before e) to s. */
static void append_line(GString *s, const char *p, const char *e)
{
    if (e > p && e[-1] == '\r') e--;
    g_string_append_len(s, p, e - p);
}

static char *trimmed(GString *s)
{
    const char *b = s->str, *e = s->str + s->len;
    while (b < e && (*b == ' ' || *b == '\t')) b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
    char *out = rg_xmalloc((size_t)(e - b) + 1);
    memcpy(out, b, (size_t)(e - b));
    out[e - b] = '\0';
    return out;
}

/* Reads the header block of req: every "Name: value" line with its
 * continuation lines, to the first empty line. Lines that are no header
 * (a mbox "From " line, garbage) are passed over. */
static void read_headers(const char *req, size_t len, header_block *hb)
{
    const char *p = req, *end = req + len;
    hb->n = 0;
    while (p < end && hb->n < MAX_HEADERS) {
        const char *e = line_end(p, end);
        if (e == p || (e == p + 1 && *p == '\r')) break;          /* the empty line */
        const char *colon = memchr(p, ':', (size_t)(e - p));
        if (*p == ' ' || *p == '\t' || !colon || !field_name_ok(p, (size_t)(colon - p))) {
            p = e < end ? e + 1 : end;                            /* stray continuation */
            continue;
        }
        const char *name = p;
        GString *v = g_string_new(NULL);
        append_line(v, colon + 1, e);
        p = e < end ? e + 1 : end;
        while (p < end && (*p == ' ' || *p == '\t')) {            /* folded: unfold */
            e = line_end(p, end);
            append_line(v, p, e);
            p = e < end ? e + 1 : end;
        }
        header *h = &hb->h[hb->n++];
        h->name = name;
        h->name_len = (size_t)(colon - name);
        h->value = trimmed(v);
        g_string_free(v, TRUE);
    }
}

static void free_headers(header_block *hb)
{
    for (size_t i = 0; i < hb->n; i++) free(hb->h[i].value);
    hb->n = 0;
}

static int is_named(const header *h, const char *name)
{
    return strlen(name) == h->name_len && !g_ascii_strncasecmp(h->name, name, h->name_len);
}

/* The first token of a header value (up to a space, ';', ',' or '('),
 * into out. */
static void first_token(const char *v, char *out, size_t cap)
{
    size_t n = strcspn(v, " \t;,(");
    if (n >= cap) n = cap - 1;
    memcpy(out, v, n);
    out[n] = '\0';
}

/* The addr-spec of one mailbox (the text between '<' and '>' when there
 * are brackets, else the text itself without comments), into out. */
static void addr_spec(const char *v, char *out, size_t cap)
{
    const char *lt = strrchr(v, '<');
    const char *b = v, *e = v + strlen(v);
    if (lt) {
        b = lt + 1;
        const char *gt = strchr(b, '>');
        e = gt ? gt : e;
    } else {
        const char *paren = strchr(v, '(');
        if (paren) e = paren;
    }
    while (b < e && (*b == ' ' || *b == '\t')) b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
    size_t n = (size_t)(e - b) < cap ? (size_t)(e - b) : cap - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

/* ------------------------------------------------------------- senders */

enum { ROBOT_MAILER_DAEMON, ROBOT_POSTMASTER, ROBOT_NOREPLY, ROBOT_DONOTREPLY, ROBOT_BOUNCE,
       ROBOT_KINDS };

/* Which kind of robot the local part of addr names (its +tag left off,
 * case ignored), or -1. */
static int robot_kind(const char *addr)
{
    static const struct { const char *local; int kind; } robots[] = {
        { "mailer-daemon", ROBOT_MAILER_DAEMON }, { "mailer_daemon", ROBOT_MAILER_DAEMON },
        { "mailerdaemon", ROBOT_MAILER_DAEMON }, { "postmaster", ROBOT_POSTMASTER },
        { "noreply", ROBOT_NOREPLY }, { "no-reply", ROBOT_NOREPLY },
        { "no_reply", ROBOT_NOREPLY }, { "donotreply", ROBOT_DONOTREPLY },
        { "do-not-reply", ROBOT_DONOTREPLY }, { "do_not_reply", ROBOT_DONOTREPLY },
        { "bounce", ROBOT_BOUNCE }, { "bounces", ROBOT_BOUNCE },
    };
    const char *at = strrchr(addr, '@');
    size_t n = at ? (size_t)(at - addr) : strlen(addr);
    size_t plus = strcspn(addr, "+");
    if (plus < n) n = plus;
    for (size_t i = 0; i < sizeof robots / sizeof robots[0]; i++)
        if (strlen(robots[i].local) == n && !g_ascii_strncasecmp(addr, robots[i].local, n))
            return robots[i].kind;
    return -1;
}

/* The reason for a robot sender in header `which` (0 From, 1 Sender,
 * 2 Return-Path). */
static const char *robot_reason(int which, int kind)
{
    static const char *const reasons[3][ROBOT_KINDS] = {
        { "From: MAILER-DAEMON", "From: postmaster", "From: noreply", "From: donotreply",
          "From: bounce address" },
        { "Sender: MAILER-DAEMON", "Sender: postmaster", "Sender: noreply",
          "Sender: donotreply", "Sender: bounce address" },
        { "Return-Path: MAILER-DAEMON", "Return-Path: postmaster", "Return-Path: noreply",
          "Return-Path: donotreply", "Return-Path: bounce address" },
    };
    return reasons[which][kind];
}

/* 1 when addr is one of own (a comma-separated list), case ignored. */
static int is_own(const char *addr, const char *own)
{
    if (!own || !*addr) return 0;
    size_t n = strlen(addr);
    for (const char *p = own; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        size_t m = strcspn(p, ",");
        size_t t = m;
        while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t')) t--;
        if (t == n && t > 0 && !g_ascii_strncasecmp(p, addr, n)) return 1;
        p += m;
    }
    return 0;
}

/* 1 when c may be part of an address (so "xa@b.nl" does not hold "a@b.nl"). */
static int addr_char(char c)
{
    return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~.@", c));
}

/* 1 when own names an address that appears in v (an X-Loop value) as a
 * whole address. */
static int names_own(const char *v, const char *own)
{
    if (!own) return 0;
    char addr[300];
    for (const char *p = own; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        size_t m = strcspn(p, ",");
        size_t t = m;
        while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t')) t--;
        if (t > 0 && t < sizeof addr) {
            memcpy(addr, p, t);
            addr[t] = '\0';
            for (const char *q = v; *q; q++)
                if (!g_ascii_strncasecmp(q, addr, t) && (q == v || !addr_char(q[-1])) &&
                    !addr_char(q[t]))
                    return 1;
        }
        p += m;
    }
    return 0;
}

/* The reason an address header (From, Sender: every mailbox of its list;
 * Return-Path) refuses the request, or NULL. */
static const char *sender_refusal(const header *h, int which, const char *own)
{
    char addr[300];
    char *list = rg_xstrdup(h->value);
    const char *why = NULL;
    /* a list split at its commas: a quoted name with a comma gives a
     * piece without an address, which matches nothing */
    for (char *save = NULL, *piece = strtok_r(list, ",", &save); piece && !why;
         piece = strtok_r(NULL, ",", &save)) {
        addr_spec(piece, addr, sizeof addr);
        int kind = robot_kind(addr);
        if (kind >= 0) why = robot_reason(which, kind);
        else if (which == 0 && is_own(addr, own)) why = "From: own address (a mail loop)";
    }
    free(list);
    return why;
}

/* --------------------------------------------------------------- guard */

static const char *auto_submitted_refusal(const char *v)
{
    char tok[40];
    first_token(v, tok, sizeof tok);
    if (!g_ascii_strcasecmp(tok, "no")) return NULL;
    if (!g_ascii_strcasecmp(tok, "auto-replied")) return "Auto-Submitted: auto-replied";
    if (!g_ascii_strcasecmp(tok, "auto-generated")) return "Auto-Submitted: auto-generated";
    if (!g_ascii_strcasecmp(tok, "auto-notified")) return "Auto-Submitted: auto-notified";
    return "Auto-Submitted: not no";
}

static const char *precedence_refusal(const char *v)
{
    char tok[40];
    first_token(v, tok, sizeof tok);
    if (!g_ascii_strcasecmp(tok, "bulk")) return "Precedence: bulk";
    if (!g_ascii_strcasecmp(tok, "junk")) return "Precedence: junk";
    if (!g_ascii_strcasecmp(tok, "list")) return "Precedence: list";
    if (!g_ascii_strcasecmp(tok, "auto_reply")) return "Precedence: auto_reply";
    return NULL;
}

static const char *list_refusal(const header *h)
{
    static const char *const known[] = { "List-Id", "List-Unsubscribe", "List-Post",
                                         "List-Help", "List-Subscribe", "List-Owner",
                                         "List-Archive" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (is_named(h, known[i])) return known[i];
    return "List-* header";
}

/* Outlook/Exchange's X-Auto-Response-Suppress: a comma-separated list;
 * All, OOF or AutoReply asks for no automatic reply. */
static const char *suppress_refusal(const char *v)
{
    char *list = rg_xstrdup(v);
    const char *why = NULL;
    for (char *save = NULL, *t = strtok_r(list, ", \t", &save); t && !why;
         t = strtok_r(NULL, ", \t", &save))
        if (!g_ascii_strcasecmp(t, "All") || !g_ascii_strcasecmp(t, "OOF") ||
            !g_ascii_strcasecmp(t, "AutoReply"))
            why = "X-Auto-Response-Suppress";
    free(list);
    return why;
}

/* The reason one header refuses the request, or NULL. */
static const char *header_refusal(const header *h, const char *own)
{
    if (is_named(h, "Auto-Submitted")) return auto_submitted_refusal(h->value);
    if (is_named(h, "Precedence")) return precedence_refusal(h->value);
    if (h->name_len >= 5 && !g_ascii_strncasecmp(h->name, "List-", 5)) return list_refusal(h);
    if (is_named(h, "X-Autoreply")) return "X-Autoreply";
    if (is_named(h, "X-Autorespond")) return "X-Autorespond";
    if (is_named(h, "X-Auto-Response-Suppress")) return suppress_refusal(h->value);
    if (is_named(h, "X-Loop") && names_own(h->value, own)) return "X-Loop: own address";
    if (is_named(h, "Content-Type") && !g_ascii_strncasecmp(h->value, "multipart/report", 16))
        return "Content-Type: multipart/report (a delivery or read report)";
    if (is_named(h, "From")) return sender_refusal(h, 0, own);
    if (is_named(h, "Sender")) return sender_refusal(h, 1, own);
    if (is_named(h, "Return-Path")) {
        char addr[300];
        addr_spec(h->value, addr, sizeof addr);
        if (!*addr) return "Return-Path: <> (a bounce)";
        return sender_refusal(h, 2, own);
    }
    return NULL;
}

const char *rg_guard_refusal(const char *req, size_t len, const char *own, size_t max_bytes)
{
    if (len > max_bytes) return "size: larger than max-request-bytes";
    header_block *hb = rg_xmalloc(sizeof *hb);
    read_headers(req, len, hb);
    const char *why = NULL;
    int return_path = 0;
    for (size_t i = 0; i < hb->n && !why; i++) {
        if (is_named(&hb->h[i], "Return-Path")) return_path = 1;
        why = header_refusal(&hb->h[i], own);
    }
    /* Every message a mail server delivers carries a Return-Path (the
     * envelope sender, added at final delivery); so does one delivered
     * into a Maildir, where procmail, maildrop or the MTA's local
     * delivery add it. Without one, where the message came from is
     * unknown: no automatic reply to an unknown envelope. */
    if (!why && !return_path) why = "no Return-Path";
    free_headers(hb);
    free(hb);
    return why;
}

/* --------------------------------------------------------- request info */

/* A copy of s as valid UTF-8 with control characters but tab and line
 * feed made spaces (one_line: line feeds too), at most max characters;
 * malloc'd. */
static char *clean_text(const char *s, int one_line, size_t max)
{
    char *valid = g_utf8_make_valid(s, -1);
    GString *out = g_string_new(NULL);
    size_t chars = 0;
    for (const char *p = valid; *p && chars < max; p = g_utf8_next_char(p), chars++) {
        gunichar u = g_utf8_get_char(p);
        if (u == '\r') continue;
        if ((u < 0x20 && u != '\t' && (u != '\n' || one_line)) || u == 0x7f ||
            (u >= 0x80 && u < 0xa0))
            u = ' ';
        g_string_append_unichar(out, u);
    }
    g_free(valid);
    char *r = rg_xstrdup(out->str);
    g_string_free(out, TRUE);
    return r;
}

/* HTML made text, crudely: tags out (a block tag becomes a line end),
 * the contents of <style> and <script> out, the common entities
 * decoded. g_free. */
static char *html_to_text(const char *html)
{
    GString *out = g_string_new(NULL);
    const char *p = html;
    while (*p) {
        if (*p == '<') {
            int skip_content = !g_ascii_strncasecmp(p, "<style", 6) ||
                               !g_ascii_strncasecmp(p, "<script", 7);
            int block = !g_ascii_strncasecmp(p, "<br", 3) || !g_ascii_strncasecmp(p, "<p", 2) ||
                        !g_ascii_strncasecmp(p, "</p", 3) || !g_ascii_strncasecmp(p, "<div", 4) ||
                        !g_ascii_strncasecmp(p, "</div", 5);
            const char *gt = strchr(p, '>');
            if (!gt) break;
            p = gt + 1;
            if (skip_content) {
                const char *close = p;
                while ((close = strchr(close, '<')) && g_ascii_strncasecmp(close, "</s", 3)) close++;
                gt = close ? strchr(close, '>') : NULL;
                p = gt ? gt + 1 : p + strlen(p);
            }
            if (block) g_string_append_c(out, '\n');
            continue;
        }
        if (*p == '&') {
            static const struct { const char *ent, *text; } ents[] = {
                { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
                { "&nbsp;", " " }, { "&#39;", "'" }, { "&apos;", "'" },
            };
            size_t i;
            for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
                if (!g_ascii_strncasecmp(p, ents[i].ent, strlen(ents[i].ent))) break;
            if (i < sizeof ents / sizeof ents[0]) {
                g_string_append(out, ents[i].text);
                p += strlen(ents[i].ent);
                continue;
            }
        }
        g_string_append_c(out, *p++);
    }
    return g_string_free(out, FALSE);
}

typedef struct text_parts {
    GMimeTextPart *plain, *html;   /* the first of each that is not an attachment */
} text_parts;

static void find_text(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    (void)parent;
    text_parts *tp = data;
    if (!GMIME_IS_TEXT_PART(part)) return;
    GMimeContentDisposition *d = g_mime_object_get_content_disposition(part);
    if (d && g_mime_content_disposition_is_attachment(d)) return;
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    if (!tp->plain && g_mime_content_type_is_type(ct, "text", "plain"))
        tp->plain = GMIME_TEXT_PART(part);
    else if (!tp->html && g_mime_content_type_is_type(ct, "text", "html"))
        tp->html = GMIME_TEXT_PART(part);
}

/* The request's text: its first text/plain part, else its first
 * text/html part made text, decoded to UTF-8; malloc'd or NULL. */
static char *body_text(GMimeMessage *msg)
{
    text_parts tp = { NULL, NULL };
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (!top) return NULL;
    if (GMIME_IS_MULTIPART(top)) g_mime_multipart_foreach(GMIME_MULTIPART(top), find_text, &tp);
    else find_text(NULL, top, &tp);
    GMimeTextPart *part = tp.plain ? tp.plain : tp.html;
    if (!part) return NULL;
    char *text = g_mime_text_part_get_text(part);
    if (!text) return NULL;
    if (!tp.plain) {
        char *plain = html_to_text(text);
        g_free(text);
        text = plain;
    }
    char *out = clean_text(text, 0, MAX_BODY_CHARS);
    g_free(text);
    return out;
}

/* 1 when id (without brackets) can name the request in a journal and a
 * log line: printable ASCII without spaces or brackets, not too long. */
static int message_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 250) return 0;
    for (const char *p = id; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '<' || *p == '>')
            return 0;
    return 1;
}

void rg_request_info_read(const char *req, size_t len, rg_request_info *out)
{
    memset(out, 0, sizeof *out);
    if (!req || len == 0) return;
    rg_mail_mime_init();
    GMimeParserOptions *popts = g_mime_parser_options_new();
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(req, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(in);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, popts);
    if (msg) {
        const char *id = g_mime_message_get_message_id(msg);
        if (message_id_ok(id)) out->message_id = rg_xstrdup(id);
        InternetAddressList *from = g_mime_message_get_from(msg);
        if (from && internet_address_list_length(from) > 0) {
            InternetAddress *a = internet_address_list_get_address(from, 0);
            const char *addr = INTERNET_ADDRESS_IS_MAILBOX(a)
                ? internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(a)) : NULL;
            if (addr && rg_mail_addr_ok(addr)) out->from = rg_xstrdup(addr);
        }
        const char *subject = g_mime_message_get_subject(msg);
        if (subject) out->subject = clean_text(subject, 1, 1000);
        out->body = body_text(msg);
        g_object_unref(msg);
    }
    g_object_unref(parser);
    g_object_unref(in);
    g_mime_parser_options_free(popts);
}

void rg_request_info_clear(rg_request_info *info)
{
    if (!info) return;
    free(info->message_id);
    free(info->from);
    free(info->subject);
    free(info->body);
    memset(info, 0, sizeof *info);
}
