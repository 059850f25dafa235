/* mail/mail.c - composing the reply to a request e-mail. Stage: mail.
 * Owns reading the request with GMime, deciding whom to answer (its
 * Reply-To, else its From, and never an address smuggled in by injected
 * lines or display-name tricks), the reply's headers (From, To, Subject,
 * Date, Message-ID, In-Reply-To, References, Auto-Submitted) and its MIME
 * structure: multipart/mixed with a quoted-printable text/plain body and the
 * PDF as a base64 attachment. GMime builds and encodes every header and
 * part; this file only decides what goes in. Delivery is in mail/send.c,
 * the command line in mail/command.c. */
#include "desk.h"
#include "internal.h"
#include "pipeline/pipeline.h"

#include <gmime/gmime.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* A request bigger than this (it may carry its own attachments) is not a
 * request for a report. */
#define MAX_REQUEST_BYTES (32u << 20)
/* Most mail servers refuse messages over 20-25 MB, and base64 adds a third. */
#define MAX_PDF_BYTES (18u << 20)
/* Message ids kept in References: the first (the thread's root) and the
 * most recent ones, as RFC 5322 3.6.4 / RFC 5537 3.4.4 advise for long
 * threads; keeps threading without an unbounded header. */
#define MAX_REFERENCES 20
/* A longer message id is not one a mail client wrote; the bound also keeps
 * every folded References line far under 998 octets. */
#define MAX_ID_LEN 250
/* Subject characters taken from the request; the rest becomes "...". */
#define MAX_SUBJECT_CHARS 200
/* A longer display name is dropped (the address alone is enough). */
#define MAX_NAME_BYTES 128
/* RFC 5321 4.5.3.1: local part 64 octets, a path 256 with its brackets. */
#define MAX_LOCAL_LEN 64
#define MAX_ADDR_LEN 254
/* RFC 5322 2.1.1: a line is at most 998 octets plus CRLF. */
#define MAX_LINE_LEN 998

#define CHECK(x) do { st = (x); if (st != RG_OK) goto fail; } while (0)

/* The agency's standard text lives in one place: the shipped
 * mail/antwoord-nl.txt (the mail desk's Dutch template), read once and
 * filled with no period ({?period ...} sections left out). */
static rg_reply_template default_template = {
    "Logius <communicatie@logius.nl>",
    "Re:",
    "Viermaandsrapportage",
    NULL,
};
static char default_body_path[4300], default_body_why[256];
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void default_template_load(void)
{
    char *text = NULL;
    rg_mail_shipped_file("antwoord-nl.txt", default_body_path, sizeof default_body_path);
    if (rg_mail_text_read(default_body_path, &text, default_body_why,
                          sizeof default_body_why) != RG_OK)
        return;
    default_template.body = rg_desk_fill_template(text, NULL, NULL, NULL);
    free(text);
}

const rg_reply_template *rg_reply_template_default(void)
{
    pthread_once(&default_once, default_template_load);
    return &default_template;
}

typedef struct mailbox {
    char *name;   /* display name, UTF-8, or NULL when none or not trusted */
    char *addr;   /* ASCII address (IDNA domain) */
} mailbox;

typedef struct mailbox_list {
    mailbox item[RG_MAIL_MAX_RECIPIENTS];
    int n;
} mailbox_list;

static void mailbox_list_clear(mailbox_list *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->item[i].name);
        free(l->item[i].addr);
    }
    l->n = 0;
}

/* ------------------------------------------------------------------ files */

rg_status rg_mail_read_file(rg_ctx *ctx, const char *path, size_t max, const char *what,
                            char **data, size_t *len)
{
    char why[256];
    rg_file_id id;
    /* non-blocking open and fstat first: a FIFO or a device named as the
     * request must be refused, not wait for a writer or read forever */
    rg_status st = rg_read_regular(path, max, data, len, &id, why, sizeof why);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read %s: %s", what, why);
        return st;
    }
    rg_ctx_note_file(ctx, id);     /* so that -o cannot write over it */
    return RG_OK;
}

/* -------------------------------------------------------------- addresses */

/* (internal.h) No quoted local parts, domain literals or source routes:
 * no person needs them to ask for a report. */
int rg_mail_addr_ok(const char *addr)
{
    static const char atext_extra[] = "!#$%&'*+-/=?^_`{|}~";
    const char *at = strrchr(addr, '@');
    size_t len = strlen(addr);
    if (!at || at == addr || len > MAX_ADDR_LEN || (size_t)(at - addr) > MAX_LOCAL_LEN)
        return 0;
    for (const char *p = addr; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (p == addr || p + 1 == at || p[1] == '.') return 0;
        } else if (!g_ascii_isalnum(c) && !strchr(atext_extra, c)) {
            return 0;
        }
    }
    const char *label = at + 1;
    int dots = 0;
    for (const char *p = at + 1;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.' || c == '\0') {
            size_t n = (size_t)(p - label);
            if (n == 0 || n > 63 || label[0] == '-' || p[-1] == '-') return 0;
            if (c == '\0') break;
            dots++;
            label = p + 1;
        } else if (!g_ascii_isalnum(c) && c != '-') {
            return 0;
        }
    }
    return dots > 0;
}

/* The display name as it may appear in the reply, or NULL. A name that
 * looks like an address or carries angle brackets or control characters
 * is dropped: it could make a reader (or a sloppy parser) take it for the
 * recipient. */
static char *safe_name(const char *name)
{
    if (!name) return NULL;
    while (*name == ' ' || *name == '\t') name++;
    size_t n = strlen(name);
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t')) n--;
    if (n == 0 || n > MAX_NAME_BYTES || !g_utf8_validate(name, (gssize)n, NULL)) return NULL;
    for (const char *p = name; p < name + n; p = g_utf8_next_char(p)) {
        gunichar u = g_utf8_get_char(p);
        if (u < 0x20 || (u >= 0x7f && u < 0xa0) || u == 0x2028 || u == 0x2029 ||
            u == '@' || u == '<' || u == '>' || u == 0xff20 /* fullwidth @ */ ||
            u == 0xfe6b || u == 0xff1c || u == 0xff1e)
            return NULL;
    }
    char *out = rg_xmalloc(n + 1);
    memcpy(out, name, n);
    out[n] = '\0';
    return out;
}

/* 1 when a raw header value holds only text and folds (CRLF or LF followed
 * by a space or tab): no bare CR or LF that another program could take for
 * the start of a new header, no other control character. */
static int raw_is_clean(const char *v)
{
    if (!v) return 0;
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\r' && p[1] == '\n') {
            p++;
            c = '\n';
        }
        if (c == '\n') {
            if (p[1] == ' ' || p[1] == '\t') continue;
            if (p[1] == '\0') break;   /* the value's own line end */
            return 0;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) return 0;
    }
    return 1;
}

/* Counts the elements of an address list by its punctuation alone, and
 * refuses lists a lenient parser would read in more than one way: two
 * angle-addrs in one element ("a <x@y> <evil@z>", encoded-words with raw
 * brackets), a group or header-like "Bcc:" text, unbalanced quotes,
 * comments or brackets. Returns the number of elements, or -1. */
static int plain_list_elements(const char *v)
{
    int elements = 0, angles = 0, nonblank = 0, in_angle = 0, after_angle = 0;
    for (const char *p = v;; p++) {
        char c = *p;
        if (c == '\0' || (c == ',' && !in_angle)) {
            if (in_angle) return -1;
            if (nonblank) elements++;
            if (c == '\0') break;
            nonblank = angles = after_angle = 0;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '"') {
            if (in_angle || after_angle) return -1;
            for (p++; *p != '"'; p++) {
                if (*p == '\0') return -1;
                if (*p == '\\' && p[1]) p++;
            }
            nonblank = 1;
            continue;
        }
        if (c == '(') {
            int depth = 1;
            for (p++; depth > 0; p++) {
                if (*p == '\0') return -1;
                if (*p == '\\' && p[1]) p++;
                else if (*p == '(') depth++;
                else if (*p == ')') depth--;
            }
            p--;
            continue;
        }
        if (in_angle) {
            if (c == '<') return -1;
            if (c == '>') {
                in_angle = 0;
                after_angle = 1;
            }
            continue;
        }
        if (after_angle) return -1;       /* text after the angle-addr */
        if (c == '<') {
            if (++angles > 1) return -1;
            in_angle = 1;
            nonblank = 1;
            continue;
        }
        if (c == '>' || c == ':' || c == ';' || c == ')') return -1;
        nonblank = 1;
    }
    return elements;
}

/* Finds the header called name: returns how many the request has and the
 * first in *first (NULL when none). */
static int find_header(GMimeMessage *msg, const char *name, GMimeHeader **first)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    int count = 0, total = g_mime_header_list_get_count(list);
    *first = NULL;
    for (int i = 0; i < total; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0) continue;
        if (!count++) *first = h;
    }
    return count;
}

/* The nth (0-based) header called name, or NULL. */
static GMimeHeader *nth_header(GMimeMessage *msg, const char *name, int nth)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    int total = g_mime_header_list_get_count(list);
    for (int i = 0; i < total; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) == 0 && nth-- == 0) return h;
    }
    return NULL;
}

/* The request's line on which header h starts (1-based), 0 when unknown. */
static int line_of(const char *req, size_t len, GMimeHeader *h)
{
    gint64 off = h ? g_mime_header_get_offset(h) : -1;
    if (off < 0 || (guint64)off > len) return 0;
    int line = 1;
    for (const char *p = req; p < req + off; p++)
        if (*p == '\n') line++;
    return line;
}

/* Reads the mailboxes of an address header (Reply-To, From) into *out,
 * leaving out own (the reply's own address: answering it would loop). On
 * trouble returns 0 with the reason in why; 1 on success. */
static int header_mailboxes(GMimeParserOptions *popts, GMimeHeader *h, const char *own,
                            mailbox_list *out, char *why, size_t whycap)
{
    int ok = 0;
    InternetAddressList *list = NULL;
    const char *raw = g_mime_header_get_raw_value(h);
    out->n = 0;
    if (!raw || !raw_is_clean(raw)) {
        snprintf(why, whycap, "carries a line break or control character (header injection)");
        goto fail;
    }
    int elements = plain_list_elements(raw);
    if (elements < 0) {
        snprintf(why, whycap, "ambiguous address list (a group, extra '<...>' or unbalanced quotes)");
        goto fail;
    }
    list = internet_address_list_parse(popts, raw);
    int n = list ? internet_address_list_length(list) : 0;
    if (n == 0) {
        snprintf(why, whycap, "no address");
        goto fail;
    }
    if (n != elements) {
        snprintf(why, whycap, "ambiguous address list");
        goto fail;
    }
    int skipped_own = 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(a)) {
            snprintf(why, whycap, "is a group, not a mailbox");
            goto fail;
        }
        const char *addr = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(a));
        if (!addr || !rg_mail_addr_ok(addr)) {
            snprintf(why, whycap, "'%.80s' is not a usable address", addr ? addr : "");
            goto fail;
        }
        if (own && !g_ascii_strcasecmp(addr, own)) {
            skipped_own++;
            continue;
        }
        int dup = 0;
        for (int k = 0; k < out->n; k++)
            if (!g_ascii_strcasecmp(out->item[k].addr, addr)) dup = 1;
        if (dup) continue;
        if (out->n == RG_MAIL_MAX_RECIPIENTS) {
            snprintf(why, whycap, "more than %d addresses", RG_MAIL_MAX_RECIPIENTS);
            goto fail;
        }
        out->item[out->n].addr = rg_xstrdup(addr);
        out->item[out->n].name = safe_name(internet_address_get_name(a));
        out->n++;
    }
    if (out->n == 0) {
        snprintf(why, whycap, skipped_own ? "is the reply's own address (a mail loop)"
                                          : "no address");
        goto fail;
    }
    ok = 1;
fail:
    if (!ok) mailbox_list_clear(out);
    if (list) g_object_unref(list);
    return ok;
}

int rg_mail_mailbox_parse(const char *text, char **name, char **addr)
{
    int ok = 0;
    InternetAddressList *list = NULL;
    *name = *addr = NULL;
    rg_mail_mime_init();
    if (!text || !raw_is_clean(text) || plain_list_elements(text) != 1) goto fail;
    list = internet_address_list_parse(NULL, text);
    if (!list || internet_address_list_length(list) != 1) goto fail;
    InternetAddress *a = internet_address_list_get_address(list, 0);
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) goto fail;
    const char *idn = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(a));
    if (!idn || !rg_mail_addr_ok(idn)) goto fail;
    *addr = rg_xstrdup(idn);
    *name = safe_name(internet_address_get_name(a));
    ok = 1;
fail:
    if (list) g_object_unref(list);
    return ok;
}

/* Parses the reply's own From ("Name <addr>" or "addr"). RG_EX_USAGE when
 * it is not exactly one usable mailbox. */
static rg_status parse_from(rg_ctx *ctx, const char *from, mailbox *out)
{
    if (rg_mail_mailbox_parse(from, &out->name, &out->addr)) return RG_OK;
    rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--from: '%s' is not a usable address",
            from ? from : "");
    return RG_EX_USAGE;
}

/* Whom to answer: the request's Reply-To when it is usable, else its From.
 * Errors (RG_EX_DATAERR) name the file and the header's line. */
static rg_status pick_recipients(rg_ctx *ctx, const char *path, const char *req, size_t len,
                                 GMimeMessage *msg, GMimeParserOptions *popts,
                                 const char *own, mailbox_list *to)
{
    char why[200];
    GMimeHeader *h;
    int n = find_header(msg, "Reply-To", &h);
    if (n > 1) {
        rg_diag(ctx, RG_SEV_WARNING, path, line_of(req, len, nth_header(msg, "Reply-To", 1)), 0,
                "more than one Reply-To header; answering From instead");
    } else if (n == 1) {
        if (header_mailboxes(popts, h, own, to, why, sizeof why)) return RG_OK;
        rg_diag(ctx, RG_SEV_WARNING, path, line_of(req, len, h), 0,
                "Reply-To: %s; answering From instead", why);
    }
    n = find_header(msg, "From", &h);
    if (n == 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "no sender address");
        return RG_EX_DATAERR;
    }
    if (n > 1) {
        rg_diag(ctx, RG_SEV_ERROR, path, line_of(req, len, nth_header(msg, "From", 1)), 0,
                "more than one From header; no sender address to trust");
        return RG_EX_DATAERR;
    }
    if (!header_mailboxes(popts, h, own, to, why, sizeof why)) {
        rg_diag(ctx, RG_SEV_ERROR, path, line_of(req, len, h), 0,
                "From: %s; no sender address", why);
        return RG_EX_DATAERR;
    }
    return RG_OK;
}

/* Adds a mailbox to one of the reply's address lists; GMime quotes the
 * display name or encodes it (RFC 2047, in UTF-8) as needed. */
static void add_mailbox(InternetAddressList *list, const mailbox *m)
{
    InternetAddress *a = internet_address_mailbox_new(m->name, m->addr);
    internet_address_set_charset(a, "UTF-8");
    internet_address_list_add(list, a);
    g_object_unref(a);
}

/* ----------------------------------------------------------- message ids */

/* 1 when id (without brackets) looks like a message id a client wrote. */
static int id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 3 || n > MAX_ID_LEN || !strchr(id, '@')) return 0;
    for (const char *p = id; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || strchr("<>()\\\",;", c)) return 0;
    }
    return 1;
}

/* The request's Message-ID (g_free), or NULL with a warning when it has
 * none we can refer to. */
static char *request_message_id(rg_ctx *ctx, const char *path, const char *req, size_t len,
                                GMimeMessage *msg)
{
    GMimeHeader *h;
    int n = find_header(msg, "Message-ID", &h);
    if (n == 0) return NULL;
    const char *raw = g_mime_header_get_raw_value(h);
    char *id = raw && raw_is_clean(raw) && n == 1 ? g_mime_utils_decode_message_id(raw) : NULL;
    if (!id_ok(id)) {
        rg_diag(ctx, RG_SEV_WARNING, path, line_of(req, len, h), 0,
                n > 1 ? "more than one Message-ID; the reply refers to none"
                      : "malformed Message-ID; the reply refers to none");
        g_free(id);
        id = NULL;
    }
    return id;
}

/* Appends the valid ids of a References or In-Reply-To header to ids. */
static void add_ids(GMimeParserOptions *popts, GMimeHeader *h, GPtrArray *ids)
{
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (!raw || !raw_is_clean(raw)) return;
    GMimeReferences *refs = g_mime_references_parse(popts, raw);
    if (!refs) return;
    int n = g_mime_references_length(refs);
    for (int i = 0; i < n; i++) {
        const char *id = g_mime_references_get_message_id(refs, i);
        if (id_ok(id)) g_ptr_array_add(ids, g_strdup(id));
    }
    g_mime_references_free(refs);
}

/* The reply's References value: the request's References (else its
 * In-Reply-To, RFC 5322 3.6.4) and its Message-ID, trimmed to the first id
 * and the MAX_REFERENCES-1 latest. g_free the result. */
static char *make_references(GMimeParserOptions *popts, GMimeMessage *msg, const char *msgid)
{
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    GMimeHeader *h;
    find_header(msg, "References", &h);
    add_ids(popts, h, ids);
    if (ids->len == 0) {
        find_header(msg, "In-Reply-To", &h);
        add_ids(popts, h, ids);
        if (ids->len > 1) g_ptr_array_set_size(ids, 0);   /* not one parent: ambiguous */
    }
    for (guint i = 0; i < ids->len; i++)        /* a loop back to the request itself */
        if (!strcmp(g_ptr_array_index(ids, i), msgid)) g_ptr_array_remove_index(ids, i--);
    g_ptr_array_add(ids, g_strdup(msgid));
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < ids->len; i++) {
        if (ids->len > MAX_REFERENCES && i > 0 && i < ids->len - (MAX_REFERENCES - 1)) continue;
        g_string_append_printf(s, "%s<%s>", s->len ? " " : "", (char *)g_ptr_array_index(ids, i));
    }
    g_ptr_array_free(ids, TRUE);
    return g_string_free(s, FALSE);
}

/* ---------------------------------------------------------------- subject */

/* Length of one reply prefix at s ("Re:", "RE :", "Re[2]:", "Re(2):",
 * "Antw:", "AW:"), 0 when s does not start with one. */
static size_t reply_prefix_len(const char *s)
{
    static const char *const words[] = { "re", "antw", "aw" };
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t n = strlen(words[w]);
        if (g_ascii_strncasecmp(s, words[w], n) != 0) continue;
        const char *p = s + n;
        if (*p == '[' || *p == '(') {
            char close = *p == '[' ? ']' : ')';
            const char *q = p + 1;
            while (g_ascii_isdigit(*q)) q++;
            if (q == p + 1 || *q != close) continue;
            p = q + 1;
        }
        while (*p == ' ') p++;
        if (*p == ':') return (size_t)(p + 1 - s);
    }
    return 0;
}

/* The reply's subject (g_free): prefix + the request's subject without its
 * own reply prefixes, control characters and runs of spaces, shortened to
 * MAX_SUBJECT_CHARS; the template's default subject when it has none. */
static char *make_subject(const char *orig, const rg_reply_template *t)
{
    GString *clean = g_string_new(NULL);
    char *valid = orig ? g_utf8_make_valid(orig, -1) : g_strdup("");
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar u = g_utf8_get_char(p);
        int space = u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0) || g_unichar_isspace(u);
        if (space) {
            if (clean->len && clean->str[clean->len - 1] != ' ') g_string_append_c(clean, ' ');
        } else {
            g_string_append_unichar(clean, u);
        }
    }
    g_free(valid);
    const char *s = clean->str;
    for (;;) {
        while (*s == ' ') s++;
        size_t n = reply_prefix_len(s);
        if (!n) break;
        s += n;
    }
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ') len--;
    GString *out = g_string_new(NULL);
    const char *prefix = t->subject_prefix ? t->subject_prefix : "";
    if (*prefix) g_string_append_printf(out, "%s ", prefix);
    if (len == 0) {
        g_string_append(out, t->default_subject ? t->default_subject : "");
    } else if (g_utf8_strlen(s, (gssize)len) > MAX_SUBJECT_CHARS) {
        const char *end = g_utf8_offset_to_pointer(s, MAX_SUBJECT_CHARS);
        g_string_append_len(out, s, end - s);
        g_string_append(out, "\xe2\x80\xa6");   /* ... */
    } else {
        g_string_append_len(out, s, (gssize)len);
    }
    while (out->len && out->str[out->len - 1] == ' ') g_string_truncate(out, out->len - 1);
    g_string_free(clean, TRUE);
    return g_string_free(out, FALSE);
}

/* --------------------------------------------------------------- the rest */

/* SOURCE_DATE_EPOCH (rg_build_source_date: 1970 to 9999, else a usage
 * error): *set says whether it is set, *t is the time. */
static rg_status source_date(rg_ctx *ctx, gint64 *t, int *set)
{
    long long v;
    rg_status st = rg_build_source_date(ctx, &v);
    *set = st == RG_OK && v >= 0;
    *t = *set ? (gint64)v : 0;
    return st;
}

/* The left part of a fresh Message-ID: 32 hex digits, random, or with
 * SOURCE_DATE_EPOCH a hash of everything the reply is made of (so that the
 * same inputs give the same reply). Fails only when no randomness is to be
 * had (RG_EX_SOFTWARE). */
static rg_status fresh_id(rg_ctx *ctx, int deterministic, const char *const *parts,
                          const size_t *lens, int nparts, char out[33])
{
    unsigned char b[16];
    if (deterministic) {
        GChecksum *cs = g_checksum_new(G_CHECKSUM_SHA256);
        for (int i = 0; i < nparts; i++) {
            guint64 n = lens[i];
            g_checksum_update(cs, (const guchar *)&n, sizeof n);
            g_checksum_update(cs, (const guchar *)parts[i], (gssize)lens[i]);
        }
        gsize blen = 32;
        guint8 digest[32];
        g_checksum_get_digest(cs, digest, &blen);
        g_checksum_free(cs);
        memcpy(b, digest, sizeof b);
    } else {
        ssize_t got = getrandom(b, sizeof b, 0);
        if (got != (ssize_t)sizeof b) {
            int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            got = fd >= 0 ? read(fd, b, sizeof b) : -1;
            if (fd >= 0) close(fd);
        }
        if (got != (ssize_t)sizeof b) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "no random bytes for a Message-ID");
            return RG_EX_SOFTWARE;
        }
    }
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
    return RG_OK;
}

/* The name the attachment is shown with: the base name of path (or name),
 * without control characters or slashes, valid UTF-8. g_free. */
static char *attachment_name(const char *path, const char *name)
{
    if (!name) {
        const char *slash = strrchr(path, '/');
        name = slash ? slash + 1 : path;
    }
    char *valid = g_utf8_make_valid(name, -1);
    GString *s = g_string_new(NULL);
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar u = g_utf8_get_char(p);
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0) || u == '/' || u == '\\') continue;
        g_string_append_unichar(s, u);
    }
    g_free(valid);
    if (s->len == 0 || !strcmp(s->str, ".") || !strcmp(s->str, ".."))
        g_string_assign(s, "rapportage.pdf");
    return g_string_free(s, FALSE);
}

/* Refuses a request that is not a mail message at all: empty, binary, or
 * not starting with a header field. */
static rg_status check_request_shape(rg_ctx *ctx, const char *path, const char *req, size_t len)
{
    if (len == 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "empty file; not a mail message");
        return RG_EX_DATAERR;
    }
    const char *p = req;
    while (p < req + len && *p > ' ' && *p < 0x7f && *p != ':') p++;
    if (p == req || p == req + len || *p != ':') {
        rg_diag(ctx, RG_SEV_ERROR, path, 1, 0, "not a mail message (no header field at the start)");
        return RG_EX_DATAERR;
    }
    /* the header block: up to the first empty line */
    int line = 1;
    for (p = req; p < req + len; p++) {
        if (*p == '\0') {
            rg_diag(ctx, RG_SEV_ERROR, path, line, 0, "not a mail message (binary data in the header)");
            return RG_EX_DATAERR;
        }
        if (*p == '\n') {
            line++;
            if (p + 1 < req + len && (p[1] == '\n' || (p[1] == '\r' && p + 2 < req + len && p[2] == '\n')))
                break;
        }
    }
    return RG_OK;
}

/* RFC 3834 2: an automatic reply is not sent to automatic messages. */
static rg_status check_not_automatic(rg_ctx *ctx, const char *path, const char *req, size_t len,
                                     GMimeMessage *msg)
{
    GMimeHeader *h;
    if (find_header(msg, "Auto-Submitted", &h)) {
        const char *v = g_mime_header_get_value(h);
        while (v && (*v == ' ' || *v == '\t')) v++;
        if (!v || g_ascii_strncasecmp(v, "no", 2) != 0 ||
            (v[2] && v[2] != ';' && v[2] != ' ' && v[2] != '\t' && v[2] != '\r' && v[2] != '\n')) {
            rg_diag(ctx, RG_SEV_ERROR, path, line_of(req, len, h), 0,
                    "the request is itself automatic (Auto-Submitted); no automatic reply (RFC 3834)");
            return RG_EX_DATAERR;
        }
    }
    if (find_header(msg, "Precedence", &h)) {
        const char *v = g_mime_header_get_value(h);
        while (v && (*v == ' ' || *v == '\t')) v++;
        if (v && (!g_ascii_strncasecmp(v, "bulk", 4) || !g_ascii_strncasecmp(v, "junk", 4) ||
                  !g_ascii_strncasecmp(v, "list", 4))) {
            rg_diag(ctx, RG_SEV_ERROR, path, line_of(req, len, h), 0,
                    "the request is bulk or list mail (Precedence); no automatic reply (RFC 3834)");
            return RG_EX_DATAERR;
        }
    }
    return RG_OK;
}

/* 1 when every line of the message ends in CRLF and none is longer than
 * 998 octets, with no NUL: the promise RFC 5322 2.1.1 and 2.3 ask for. */
static int well_formed(const char *d, size_t len)
{
    size_t col = 0;
    if (len < 2 || d[len - 2] != '\r' || d[len - 1] != '\n') return 0;
    for (size_t i = 0; i < len; i++) {
        if (d[i] == '\0') return 0;
        if (d[i] == '\r') {
            if (i + 1 >= len || d[i + 1] != '\n') return 0;
            i++;
            col = 0;
            continue;
        }
        if (d[i] == '\n') return 0;
        if (++col > MAX_LINE_LEN) return 0;
    }
    return 1;
}

/* GMime is set up once per process and never shut down: every
 * g_mime_init/g_mime_shutdown cycle leaks the names GMime 3.2 registers for
 * its crypto contexts (~90 bytes a reply, found by tests/fuzz/fuzz_mail.c). */
static pthread_once_t mime_once = PTHREAD_ONCE_INIT;

static void mime_init(void)
{
    g_mime_init();
}

void rg_mail_mime_init(void)
{
    pthread_once(&mime_once, mime_init);
}

rg_status rg_reply_compose(rg_ctx *ctx, const char *request_path, const char *pdf_path,
                           const rg_reply_opts *opts, rg_reply **out)
{
    rg_status st;
    char *req = NULL, *pdf = NULL;
    size_t req_len = 0, pdf_len = 0;
    *out = NULL;
    CHECK(rg_mail_read_file(ctx, request_path, MAX_REQUEST_BYTES, "the request", &req, &req_len));
    CHECK(rg_mail_read_file(ctx, pdf_path, MAX_PDF_BYTES, "the attachment", &pdf, &pdf_len));
    st = rg_reply_compose_mem(ctx, request_path, req, req_len, pdf_path, pdf, pdf_len, opts, out);
fail:
    free(req);
    free(pdf);
    return st;
}

rg_status rg_reply_compose_mem(rg_ctx *ctx, const char *request_path, const char *req,
                               size_t req_len, const char *pdf_path, const char *pdf,
                               size_t pdf_len, const rg_reply_opts *opts, rg_reply **out)
{
    rg_status st = RG_EX_SOFTWARE;
    static const rg_reply_opts no_opts = { NULL, NULL, 0, NULL };
    if (!opts) opts = &no_opts;
    const rg_reply_template *t = opts->tmpl ? opts->tmpl : rg_reply_template_default();
    const char *text_of_reply = t->body ? t->body : rg_reply_template_default()->body;
    char *msgid = NULL, *refs = NULL, *subject = NULL;
    char *fname = NULL, *body = NULL;
    mailbox from = { NULL, NULL };
    mailbox_list to = { .n = 0 };
    GMimeParserOptions *popts = NULL;
    GMimeStream *in = NULL, *pdf_stream = NULL, *mem = NULL;
    GMimeParser *parser = NULL;
    GMimeMessage *request = NULL, *reply = NULL;
    GMimeMultipart *mixed = NULL;
    GMimeTextPart *text = NULL;
    GMimePart *attachment = NULL;
    GMimeDataWrapper *wrapper = NULL;
    GMimeFormatOptions *fopts = NULL;
    GDateTime *date = NULL;
    rg_reply *r = NULL;
    char hex[33];
    *out = NULL;

    rg_mail_mime_init();
    popts = g_mime_parser_options_new();

    if (req_len > MAX_REQUEST_BYTES || pdf_len > MAX_PDF_BYTES) {
        rg_diag(ctx, RG_SEV_ERROR, req_len > MAX_REQUEST_BYTES ? request_path : pdf_path, 0, 0,
                "%s is larger than %u bytes",
                req_len > MAX_REQUEST_BYTES ? "the request" : "the attachment",
                req_len > MAX_REQUEST_BYTES ? MAX_REQUEST_BYTES : MAX_PDF_BYTES);
        CHECK(RG_EX_DATAERR);
    }
    if (pdf_len < 5 || memcmp(pdf, "%PDF-", 5) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, pdf_path, 0, 0, "not a PDF file (no %%PDF- at the start)");
        CHECK(RG_EX_DATAERR);
    }
    CHECK(check_request_shape(ctx, request_path, req, req_len));
    CHECK(parse_from(ctx, t->from, &from));
    if (!text_of_reply) {
        rg_diag(ctx, RG_SEV_ERROR, default_body_path, 0, 0, "cannot read the standard reply "
                "text: %s (the data folder is $REPORTGEN_DATADIR, the source tree or the "
                "installed one; --body-file gives a text of your own)", default_body_why);
        CHECK(RG_EX_NOINPUT);
    }
    if (opts->bcc && !rg_mail_addr_ok(opts->bcc)) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--bcc: '%s' is not a usable address (user@domain)",
                opts->bcc);
        CHECK(RG_EX_USAGE);
    }

    in = g_mime_stream_mem_new_with_buffer(req, req_len);
    parser = g_mime_parser_new_with_stream(in);
    request = g_mime_parser_construct_message(parser, popts);
    if (!request) {
        rg_diag(ctx, RG_SEV_ERROR, request_path, 0, 0, "not a mail message");
        CHECK(RG_EX_DATAERR);
    }
    CHECK(pick_recipients(ctx, request_path, req, req_len, request, popts, from.addr, &to));
    if (opts->auto_submitted) CHECK(check_not_automatic(ctx, request_path, req, req_len, request));

    /* --- headers --- */
    reply = g_mime_message_new(TRUE);
    add_mailbox(g_mime_message_get_from(reply), &from);
    for (int i = 0; i < to.n; i++) add_mailbox(g_mime_message_get_to(reply), &to.item[i]);

    GMimeHeader *sh;
    const char *orig_subject = NULL;
    if (find_header(request, "Subject", &sh) && raw_is_clean(g_mime_header_get_raw_value(sh)))
        orig_subject = g_mime_message_get_subject(request);
    subject = make_subject(orig_subject, t);
    g_mime_message_set_subject(reply, subject, "utf-8");

    gint64 epoch = 0;
    int deterministic = 0;
    CHECK(source_date(ctx, &epoch, &deterministic));
    date = deterministic ? g_date_time_new_from_unix_utc(epoch) : g_date_time_new_now_local();
    g_mime_message_set_date(reply, date);

    fname = attachment_name(pdf_path, opts->attach_name);
    body = g_strdup(text_of_reply);
    {
        char flags[2] = { opts->auto_submitted ? '1' : '0', '\0' };
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        const char *parts[] = { req, pdf, t->from, subject, body, fname, sde ? sde : "", flags };
        size_t lens[] = { req_len, pdf_len, strlen(t->from), strlen(subject), strlen(body),
                          strlen(fname), strlen(sde ? sde : ""), 1 };
        CHECK(fresh_id(ctx, deterministic, parts, lens, 8, hex));
        const char *domain = strrchr(from.addr, '@') + 1;
        char *id = g_strdup_printf("%s@%s", hex, domain);
        g_mime_message_set_message_id(reply, id);
        g_free(id);
    }

    msgid = request_message_id(ctx, request_path, req, req_len, request);
    if (msgid) {
        char *irt = g_strdup_printf("<%s>", msgid);
        g_mime_object_set_header(GMIME_OBJECT(reply), "In-Reply-To", irt, NULL);
        g_free(irt);
        refs = make_references(popts, request, msgid);
        g_mime_object_set_header(GMIME_OBJECT(reply), "References", refs, NULL);
    }
    if (opts->auto_submitted)
        g_mime_object_set_header(GMIME_OBJECT(reply), "Auto-Submitted", "auto-replied", NULL);

    /* --- body: text/plain; charset=utf-8, quoted-printable --- */
    if (!g_utf8_validate(body, -1, NULL)) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "the reply's text is not UTF-8");
        CHECK(RG_EX_DATAERR);
    }
    if (!*body || body[strlen(body) - 1] != '\n') {
        char *b = g_strconcat(body, "\n", NULL);
        g_free(body);
        body = b;
    }
    text = g_mime_text_part_new_with_subtype("plain");
    g_mime_text_part_set_text(text, body);
    g_mime_text_part_set_charset(text, "utf-8");
    g_mime_part_set_content_encoding(GMIME_PART(text), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);

    /* --- the PDF: application/pdf, base64, attachment; filename (RFC 2231) --- */
    attachment = g_mime_part_new_with_type("application", "pdf");
    pdf_stream = g_mime_stream_mem_new_with_buffer(pdf, pdf_len);
    wrapper = g_mime_data_wrapper_new_with_stream(pdf_stream, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(attachment, wrapper);
    g_mime_part_set_content_encoding(attachment, GMIME_CONTENT_ENCODING_BASE64);
    g_mime_object_set_disposition(GMIME_OBJECT(attachment), GMIME_DISPOSITION_ATTACHMENT);
    g_mime_part_set_filename(attachment, fname);
    /* GMime picks the smallest charset that fits (windows-1251 for an en
     * dash); UTF-8 is what every reader decodes. */
    GMimeParam *param = g_mime_param_list_get_parameter(
        g_mime_content_disposition_get_parameters(
            g_mime_object_get_content_disposition(GMIME_OBJECT(attachment))), "filename");
    if (param) g_mime_param_set_charset(param, "UTF-8");
    param = g_mime_param_list_get_parameter(
        g_mime_content_type_get_parameters(
            g_mime_object_get_content_type(GMIME_OBJECT(attachment))), "name");
    if (param) g_mime_param_set_charset(param, "UTF-8");

    mixed = g_mime_multipart_new_with_subtype("mixed");
    if (deterministic) {
        /* GMime's boundaries are random; the same inputs must give the same
         * bytes. "=-" cannot start a base64 or quoted-printable line. */
        char *boundary = g_strdup_printf("=-%.24s", hex);
        g_mime_multipart_set_boundary(mixed, boundary);
        g_free(boundary);
    }
    g_mime_multipart_add(mixed, GMIME_OBJECT(text));
    g_mime_multipart_add(mixed, GMIME_OBJECT(attachment));
    g_mime_message_set_mime_part(reply, GMIME_OBJECT(mixed));

    /* --- serialise with CRLF line ends --- */
    fopts = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(fopts, GMIME_NEWLINE_FORMAT_DOS);
    g_mime_format_options_set_param_encoding_method(fopts, GMIME_PARAM_ENCODING_METHOD_RFC2231);
    mem = g_mime_stream_mem_new();
    if (g_mime_object_write_to_stream(GMIME_OBJECT(reply), fopts, mem) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot compose the reply");
        CHECK(RG_EX_SOFTWARE);
    }
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    if (!well_formed((const char *)bytes->data, bytes->len)) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "internal error: the composed reply has a bare line end or a line over %d octets",
                MAX_LINE_LEN);
        CHECK(RG_EX_SOFTWARE);
    }
    r = rg_xcalloc(1, sizeof *r);
    r->data = rg_xmalloc(bytes->len + 1);
    memcpy(r->data, bytes->data, bytes->len);
    r->data[bytes->len] = '\0';
    r->len = bytes->len;
    r->mail_from = rg_xstrdup(from.addr);
    for (int i = 0; i < to.n; i++) r->rcpt[r->nrcpt++] = rg_xstrdup(to.item[i].addr);
    /* the archive copy: an envelope recipient only, so the person asking
     * never sees it (no Bcc header is written at all) */
    if (opts->bcc) r->bcc = rg_xstrdup(opts->bcc);
    *out = r;
    r = NULL;
    st = RG_OK;
fail:
    rg_reply_free(r);
    if (date) g_date_time_unref(date);
    if (fopts) g_mime_format_options_free(fopts);
    if (mem) g_object_unref(mem);
    if (mixed) g_object_unref(mixed);
    if (text) g_object_unref(text);
    if (wrapper) g_object_unref(wrapper);
    if (pdf_stream) g_object_unref(pdf_stream);
    if (attachment) g_object_unref(attachment);
    if (reply) g_object_unref(reply);
    if (request) g_object_unref(request);
    if (parser) g_object_unref(parser);
    if (in) g_object_unref(in);
    if (popts) g_mime_parser_options_free(popts);
    g_free(msgid);
    g_free(refs);
    g_free(subject);
    g_free(fname);
    g_free(body);
    free(from.name);
    free(from.addr);
    mailbox_list_clear(&to);
    return st;
}

const char *rg_reply_bytes(const rg_reply *r, size_t *len)
{
    *len = r->len;
    return r->data;
}

void rg_reply_free(rg_reply *r)
{
    if (!r) return;
    free(r->data);
    free(r->mail_from);
    for (int i = 0; i < r->nrcpt; i++) free(r->rcpt[i]);
    free(r->bcc);
    free(r);
}
