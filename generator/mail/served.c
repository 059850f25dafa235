/* mail/served.c - the reports the mail desk may send: the batch manifest
 * of the reports folder (OUTDIR/.reportgen-batch, JSON lines; its format is
 * described in batch/manifest.h) read for `reportgen inbox`. Stage: mail.
 *
 * The mail stage may not include the batch stage (tests/layers.py), so
 * this file reads the lines itself, with a parser for exactly that format:
 * one flat JSON object per line whose values are strings, numbers,
 * booleans or null. It takes the fields the desk needs (output, period,
 * from, to, title) from version 1 lines; a line of a newer version, or one
 * it cannot read, is skipped with a warning (file:line). */
#include "desk.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MANIFEST_FILE ".reportgen-batch"
/* The manifest of a folder of a few hundred reports is tens of kilobytes. */
#define MAX_MANIFEST_BYTES (16u << 20)
/* A manifest field longer than this is not one batch wrote. */
#define MAX_FIELD_BYTES 4096

/* One line's fields, as the parser finds them (malloc'd, NULL: absent or
 * JSON null). */
typedef struct line_fields {
    long version;              /* reportgen_manifest; 0 when absent */
    char *output, *period, *from, *to, *title;
} line_fields;

static void fields_clear(line_fields *f)
{
    free(f->output);
    free(f->period);
    free(f->from);
    free(f->to);
    free(f->title);
    memset(f, 0, sizeof *f);
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
    return p;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4) return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* A \uXXXX escape at p (after the backslash and 'u'), with its low
 * surrogate when it is a high one: the code point, or -1. */
static long unicode_escape(const char **pp, const char *end)
{
    unsigned hi, lo;
    const char *p = *pp;
    if (!hex4(p, end, &hi)) return -1;
    p += 4;
    if (hi >= 0xdc00 && hi <= 0xdfff) return -1;
    if (hi >= 0xd800 && hi <= 0xdbff) {
        if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, &lo) ||
            lo < 0xdc00 || lo > 0xdfff)
            return -1;
        p += 6;
        hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
    }
    *pp = p;
    return hi == 0 ? -1 : (long)hi;     /* a NUL would cut the string short */
}

/* A JSON string at *pp (at its opening quote): its value, malloc'd, with
 * *pp after the closing quote; NULL when it is not a string this reader
 * takes (bad escape, control character, longer than MAX_FIELD_BYTES). */
static char *json_string(const char **pp, const char *end)
{
    const char *p = *pp + 1;
    char *out = rg_xmalloc(MAX_FIELD_BYTES + 4);
    size_t n = 0;
    while (p < end && *p != '"') {
        if (n > MAX_FIELD_BYTES || (unsigned char)*p < 0x20) goto bad;
        if (*p != '\\') {
            out[n++] = *p++;
            continue;
        }
        if (++p >= end) goto bad;
        char c = *p++;
        const char *simple = strchr("\"\\/bfnrt", c);
        if (c && simple) {
            out[n++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
        } else if (c == 'u') {
            long cp = unicode_escape(&p, end);
            if (cp < 0) goto bad;
            n += put_utf8(out + n, (unsigned)cp);
        } else {
            goto bad;
        }
    }
    if (p >= end) goto bad;
    out[n] = '\0';
    *pp = p + 1;
    return out;
bad:
    free(out);
    return NULL;
}

/* A value that is not a string (number, true, false, null) at *pp: moves
 * past it; *number receives it when it is a whole number. 0 when the
 * text is none of them. */
static int json_scalar(const char **pp, const char *end, long *number, int *is_null)
{
    static const char *const WORDS[] = { "null", "true", "false" };
    const char *p = *pp, *start = p;
    *is_null = 0;
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(WORDS[i]);
        if ((size_t)(end - p) >= k && !memcmp(p, WORDS[i], k)) {
            *is_null = i == 0;
            *pp = p + k;
            return 1;
        }
    }
    if (p < end && *p == '-') p++;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
                       *p == '+' || *p == '-'))
        p++;
    if (p == start || (p == start + 1 && *start == '-')) return 0;
    *number = strtol(start, NULL, 10);
    *pp = p;
    return 1;
}

/* Where the value of key goes in f, or NULL for a key the desk ignores. */
static char **field_slot(line_fields *f, const char *key)
{
    if (!strcmp(key, "output")) return &f->output;
    if (!strcmp(key, "period")) return &f->period;
    if (!strcmp(key, "from")) return &f->from;
    if (!strcmp(key, "to")) return &f->to;
    if (!strcmp(key, "title")) return &f->title;
    return NULL;
}

/* One manifest line (without its '\n') into f: 1, or 0 when it is not a
 * flat JSON object (f is then cleared). A key given twice: the last
 * counts, as in most JSON readers. */
static int parse_line(const char *p, const char *end, line_fields *f)
{
    memset(f, 0, sizeof *f);
    p = skip_space(p, end);
    if (p >= end || *p++ != '{') return 0;
    p = skip_space(p, end);
    if (p < end && *p == '}') return skip_space(p + 1, end) == end;
    for (;;) {
        if (p >= end || *p != '"') goto bad;
        char *key = json_string(&p, end);
        if (!key) goto bad;
        p = skip_space(p, end);
        if (p >= end || *p++ != ':') { free(key); goto bad; }
        p = skip_space(p, end);
        char **slot = field_slot(f, key);
        int is_version = !strcmp(key, "reportgen_manifest");
        free(key);
        if (p < end && *p == '"') {
            char *v = json_string(&p, end);
            if (!v) goto bad;
            if (slot) { free(*slot); *slot = v; } else free(v);
        } else {
            long num = 0;
            int is_null;
            if (!json_scalar(&p, end, &num, &is_null)) goto bad;
            if (is_version) f->version = num;
            if (slot && is_null) { free(*slot); *slot = NULL; }
        }
        p = skip_space(p, end);
        if (p < end && *p == ',') { p = skip_space(p + 1, end); continue; }
        if (p < end && *p == '}') return skip_space(p + 1, end) == end;
        goto bad;
    }
bad:
    fields_clear(f);
    return 0;
}

/* "YYYY-MM-DD" -> its month, or -1. */
static rg_month month_of(const char *date)
{
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) return -1;
    int y = atoi(date), m = atoi(date + 5);
    return m >= 1 && m <= 12 ? RG_MONTH(y, m) : -1;
}

/* An output name the desk will attach: a plain file name in the folder. */
static int plain_name(const char *name)
{
    return name && *name && *name != '.' && !strchr(name, '/');
}

/* Puts f's report into l, replacing an earlier line for the same output
 * (the last line counts). Takes f's strings. */
static void keep_report(rg_served_list *l, line_fields *f)
{
    size_t i = 0;
    while (i < l->n && strcmp(l->items[i].output, f->output)) i++;
    if (i == l->n) {
        l->items = rg_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
        l->n++;
    } else {
        free((char *)l->items[i].output);
        free((char *)l->items[i].period);
        free((char *)l->items[i].title);
    }
    rg_served_report *r = &l->items[i];
    r->output = f->output;
    r->period = f->period;
    r->title = f->title;
    r->from = month_of(f->from);
    r->to = month_of(f->to);
    free(f->from);
    free(f->to);
    memset(f, 0, sizeof *f);
}

/* Reads every line of the manifest text into l (all outputs, served or
 * not); warnings for lines it skips. */
static void read_lines(rg_ctx *ctx, const char *path, const char *text, size_t len,
                       rg_served_list *l)
{
    int lineno = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        lineno++;
        line_fields f;
        if (skip_space(p, eol) == eol) {
            /* an empty line: nothing */
        } else if (!parse_line(p, eol, &f) || f.version < 1 || !plain_name(f.output)) {
            if (nl)   /* a torn last line is a run still appending */
                rg_diag(ctx, RG_SEV_WARNING, path, lineno, 0,
                        "not a manifest line this reader knows; skipped");
            fields_clear(&f);
        } else if (f.version > 1) {
            rg_diag(ctx, RG_SEV_WARNING, path, lineno, 0,
                    "a manifest line of version %ld (this reportgen reads 1); skipped", f.version);
            fields_clear(&f);
        } else {
            keep_report(l, &f);
        }
        p = eol + 1;
    }
}

/* Drops from l the reports that the pattern does not match or whose PDF
 * is not a regular file in dir. */
static void keep_served(const char *dir, const char *pattern, rg_served_list *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        rg_served_report *r = &l->items[i];
        char path[4400];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, r->output);
        int ok = (!pattern || fnmatch(pattern, r->output, 0) == 0) && stat(path, &st) == 0 &&
                 S_ISREG(st.st_mode);
        if (ok) {
            l->items[kept++] = *r;
        } else {
            free((char *)r->output);
            free((char *)r->period);
            free((char *)r->title);
        }
    }
    l->n = kept;
}

rg_status rg_served_read(rg_ctx *ctx, const char *dir, const char *pattern, rg_served_list *out)
{
    char path[4400], why[300];
    char *text = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/%s", dir, MANIFEST_FILE);
    rg_status st = rg_read_regular(path, MAX_MANIFEST_BYTES, &text, &len, NULL, why, sizeof why);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "%s (the reports folder needs the manifest that "
                "'reportgen batch -o %s' writes)", why, dir);
        return st;
    }
    read_lines(ctx, path, text, len, out);
    free(text);
    keep_served(dir, pattern, out);
    if (out->n == 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "no report in the manifest is served: none whose "
                "PDF exists matches serve = %s", pattern ? pattern : "*");
        rg_served_free(out);       /* a failure leaves the caller nothing to free */
        return RG_EX_NOINPUT;
    }
    return RG_OK;
}

void rg_served_free(rg_served_list *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->items[i].output);
        free((char *)l->items[i].period);
        free((char *)l->items[i].title);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
