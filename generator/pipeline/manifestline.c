/* pipeline/manifestline.c - one line of the batch manifest as JSON,
 * written and read (the format: batch/manifest.h; the functions:
 * pipeline.h). Stage: pipeline, so that the batch stage that writes the
 * manifest and the mail desk that reads it share one parser.
 *
 * The writer escapes what JSON requires (quote, backslash, control
 * characters) and passes other UTF-8 through as it is. The reader takes
 * exactly the shape the writer makes: one flat object whose values are
 * strings, numbers, booleans or null; anything else makes the line
 * RG_LINE_BAD, never a crash. */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

enum {
    MAX_LINE_FIELDS = 64           /* a flat object of a few fields; more is not ours */
};

void rg_manifest_entry_clear(rg_manifest_entry *e)
{
    free(e->output);
    free(e->definition);
    free(e->period);
    free(e->from);
    free(e->to);
    free(e->title);
    memset(e, 0, sizeof *e);
}

/* ------------------------------------------------------------ writing */

/* s as a JSON string, or null; -1 when s is not UTF-8. */
static int put_string(rg_text *t, const char *s)
{
    if (!s) {
        rg_text_puts(t, "null");
        return 0;
    }
    rg_text_puts(t, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = rg_utf8_sequence(p);
        char esc[8];
        if (n == 0) return -1;
        if (*p == '"' || *p == '\\') {
            snprintf(esc, sizeof esc, "\\%c", *p);
            rg_text_puts(t, esc);
        } else if (*p == '\n') {
            rg_text_puts(t, "\\n");
        } else if (*p == '\t') {
            rg_text_puts(t, "\\t");
        } else if (*p == '\r') {
            rg_text_puts(t, "\\r");
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            rg_text_puts(t, esc);
        } else {
            rg_text_put(t, (const char *)p, n);
        }
        p += n;
    }
    rg_text_puts(t, "\"");
    return 0;
}

static int put_field(rg_text *t, const char *key, const char *value)
{
    rg_text_puts(t, ",\"");
    rg_text_puts(t, key);
    rg_text_puts(t, "\":");
    return put_string(t, value);
}

char *rg_manifest_line_format(const rg_manifest_entry *e)
{
    rg_text t = { 0 };
    char head[64], hash[17];
    snprintf(head, sizeof head, "{\"reportgen_manifest\":%d", RG_MANIFEST_VERSION);
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)e->hash);
    rg_text_puts(&t, head);
    int bad = put_field(&t, "output", e->output) | put_field(&t, "hash", hash) |
              put_field(&t, "definition", e->definition) | put_field(&t, "period", e->period) |
              put_field(&t, "from", e->from) | put_field(&t, "to", e->to) |
              put_field(&t, "title", e->title);
    rg_text_puts(&t, "}\n");
    if (bad) {
        free(t.p);
        return NULL;
    }
    return t.p;
}

char *rg_list_line_format(const char *definition, const char *period, const char *output,
                       uint64_t hash)
{
    rg_text t = { 0 };
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)hash);
    rg_text_puts(&t, "{\"reportgen_list\":1");
    int bad = put_field(&t, "definition", definition) | put_field(&t, "period", period) |
              put_field(&t, "output", output) | put_field(&t, "hash", hex);
    rg_text_puts(&t, "}\n");
    if (bad) {
        free(t.p);
        return NULL;
    }
    return t.p;
}

/* ------------------------------------------------------------ reading */

typedef struct reader {
    const char *p, *end;
    const char *why;               /* the first thing wrong, or NULL */
} reader;

static int fail(reader *r, const char *why)
{
    if (!r->why) r->why = why;
    return -1;
}

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r')) r->p++;
}

static int take(reader *r, char c)
{
    skip_space(r);
    if (r->p >= r->end || *r->p != c) return 0;
    r->p++;
    return 1;
}

static int hex_digits(reader *r, unsigned *out)
{
    *out = 0;
    for (int i = 0; i < 4; i++, r->p++) {
        if (r->p >= r->end) return fail(r, "a \\u escape cut short");
        char c = *r->p;
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) return fail(r, "a \\u escape that is not hexadecimal");
        *out = *out * 16 + (unsigned)v;
    }
    return 0;
}

static void put_code_point(rg_text *t, unsigned c)
{
    char b[4];
    size_t n;
    if (c < 0x80) { b[0] = (char)c; n = 1; }
    else if (c < 0x800) { b[0] = (char)(0xC0 | c >> 6); b[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        b[0] = (char)(0xE0 | c >> 12); b[1] = (char)(0x80 | (c >> 6 & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | c >> 18); b[1] = (char)(0x80 | (c >> 12 & 0x3F));
        b[2] = (char)(0x80 | (c >> 6 & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    rg_text_put(t, b, n);
}

/* \uXXXX, with a surrogate pair taking the second escape too. */
static int unicode_escape(reader *r, rg_text *t)
{
    unsigned c, low;
    if (hex_digits(r, &c) < 0) return -1;
    if (c >= 0xDC00 && c <= 0xDFFF) return fail(r, "a lone low surrogate");
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
            return fail(r, "a lone high surrogate");
        r->p += 2;
        if (hex_digits(r, &low) < 0) return -1;
        if (low < 0xDC00 || low > 0xDFFF) return fail(r, "a lone high surrogate");
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
    }
    if (c == 0) return fail(r, "a NUL character");
    put_code_point(t, c);
    return 0;
}

static int escape(reader *r, rg_text *t)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (r->p >= r->end) return fail(r, "a string cut short");
    char c = *r->p++;
    if (c == 'u') return unicode_escape(r, t);
    const char *k = strchr(from, c);
    if (!k || !c) return fail(r, "an unknown escape");
    rg_text_put(t, &to[k - from], 1);
    return 0;
}

/* A JSON string after its opening quote, decoded into *out (malloc'd). */
static int string_value(reader *r, char **out)
{
    rg_text t = { 0 };
    rg_text_puts(&t, "");
    while (r->p < r->end && *r->p != '"') {
        const unsigned char *u = (const unsigned char *)r->p;
        size_t n = *u == '\\' ? 0 : rg_utf8_sequence(u);
        if (*u == '\\') {
            r->p++;
            if (escape(r, &t) < 0) break;
            continue;
        }
        if (*u < 0x20) { fail(r, "a control character in a string"); break; }
        if (n == 0 || (size_t)(r->end - r->p) < n) { fail(r, "bytes that are not UTF-8"); break; }
        rg_text_put(&t, r->p, n);
        r->p += n;
    }
    if (!r->why && r->p >= r->end) fail(r, "a string cut short");
    if (r->why) {
        free(t.p);
        return -1;
    }
    r->p++;                        /* the closing quote */
    *out = t.p;
    return 0;
}

/* A number, true, false or null: its bytes (a version is a number). */
static int bare_value(reader *r, const char **start, size_t *len)
{
    *start = r->p;
    while (r->p < r->end && *r->p && strchr("0123456789+-.eEtruefalsn", *r->p)) r->p++;
    *len = (size_t)(r->p - *start);
    static const char *const words[] = { "true", "false", "null" };
    for (int i = 0; i < 3; i++)
        if (*len == strlen(words[i]) && !memcmp(*start, words[i], *len)) return 0;
    if (*len == 0 || strchr("tfn", **start)) return fail(r, "a value that is not a string, number, boolean or null");
    return 0;
}

/* Where a key's string goes in e; NULL for a key this version does not know. */
static char **slot_of(rg_manifest_entry *e, const char *key)
{
    static const char *const keys[] = { "output", "definition", "period", "from", "to", "title" };
    char **slots[] = { &e->output, &e->definition, &e->period, &e->from, &e->to, &e->title };
    for (int i = 0; i < 6; i++)
        if (!strcmp(key, keys[i])) return slots[i];
    return NULL;
}

static int parse_hash(const char *s, uint64_t *out)
{
    if (!s || strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16) return -1;
    *out = strtoull(s, NULL, 16);
    return 0;
}

typedef struct fields {
    long version;                  /* 0: no "reportgen_manifest" */
    char *hash;
} fields;

/* key: value, stored where it belongs. */
static int member(reader *r, rg_manifest_entry *e, fields *f)
{
    char *key = NULL, *value = NULL;
    const char *bare = NULL;
    size_t bare_len = 0;
    if (!take(r, '"') || string_value(r, &key) < 0) return fail(r, "a key that is not a string");
    int rc = -1;
    if (!take(r, ':')) {
        fail(r, "no ':' after a key");
        goto done;
    }
    skip_space(r);
    if (take(r, '"') ? string_value(r, &value) < 0 : bare_value(r, &bare, &bare_len) < 0) goto done;
    if (!strcmp(key, "reportgen_manifest")) {
        int digits = bare && bare_len > 0 && bare_len < 9 && strspn(bare, "0123456789") >= bare_len;
        f->version = digits ? strtol(bare, NULL, 10) : 0;
        if (f->version < 1) fail(r, "a version that is not a positive whole number");
    } else if (!strcmp(key, "hash")) {
        free(f->hash);
        f->hash = value;
        value = NULL;
    } else {
        char **slot = slot_of(e, key);
        if (slot && !value && !(bare_len == 4 && !memcmp(bare, "null", 4)))
            fail(r, "a field that should be a string");
        if (slot) {
            free(*slot);
            *slot = value;
            value = NULL;
        }
    }
    rc = r->why ? -1 : 0;
done:
    free(key);
    free(value);
    return rc;
}

static int object(reader *r, rg_manifest_entry *e, fields *f)
{
    if (!take(r, '{')) return fail(r, "not a JSON object");
    if (take(r, '}')) return 0;
    for (int n = 0; n < MAX_LINE_FIELDS; n++) {
        if (member(r, e, f) < 0) return -1;
        if (take(r, '}')) {
            skip_space(r);
            return r->p == r->end ? 0 : fail(r, "more after the object");
        }
        if (!take(r, ',')) return fail(r, "no ',' or '}' after a value");
    }
    return fail(r, "too many fields");
}

/* "<16 hex digits> <name>": what batch wrote before version 1. */
static int old_format(const char *line, size_t len)
{
    return len > 17 && strspn(line, "0123456789abcdef") == 16 && line[16] == ' ' &&
           memchr(line + 17, ' ', len - 17) == NULL;
}

rg_manifest_line_kind rg_manifest_line_parse(const char *line, size_t len, rg_manifest_entry *e,
                              char *why, size_t whylen)
{
    memset(e, 0, sizeof *e);
    if (old_format(line, len)) return RG_LINE_OLD;
    reader r = { line, line + len, NULL };
    fields f = { 0, NULL };
    int ok = object(&r, e, &f) == 0;
    rg_manifest_line_kind kind = RG_LINE_BAD;
    if (ok && f.version > RG_MANIFEST_VERSION) kind = RG_LINE_NEWER;
    else if (ok && f.version == 0) r.why = "no \"reportgen_manifest\" version";
    else if (ok && !e->output) r.why = "no \"output\"";
    else if (ok && parse_hash(f.hash, &e->hash) < 0) r.why = "no \"hash\" of 16 hex digits";
    else if (ok) kind = RG_LINE_RECORD;
    free(f.hash);
    if (kind != RG_LINE_RECORD) rg_manifest_entry_clear(e);
    if (kind == RG_LINE_BAD) snprintf(why, whylen, "%s", r.why ? r.why : "not a manifest line");
    return kind;
}
