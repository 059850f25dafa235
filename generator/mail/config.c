/* mail/config.c - the mail desk's configuration file and its reply
 * templates (desk.h). Stage: mail.
 *
 * The file: UTF-8 text, one `key = value` per line. A line whose first
 * non-blank character is '#' is a comment; blank lines are ignored, and
 * so are spaces and tabs around '=' and at the ends of a line. A value
 * that begins and ends with '"' is taken without those quotes (to keep
 * spaces at its ends). Keys: those of rg_desk_config (the table below),
 * each at most once. Relative paths (templates, log-json) are relative to
 * the file's folder. Every mistake is an error at path:line:col (the
 * column of the key or value at fault), RG_EX_DATAERR; all are reported,
 * not only the first. The shipped example, mail/inbox.conf.example,
 * shows every key with Logius's values.
 *
 * Templates: UTF-8 text of at most 64 KiB with placeholders {period},
 * {title}, {output}; "{{" is a literal '{'; "{?NAME TEXT}" keeps TEXT
 * (which may hold placeholders) only when NAME has a value. Loading warns
 * of an unknown placeholder at its line:col in the template file. */
#include "desk.h"
#include "internal.h"
#include "pipeline/pipeline.h"

#include <gmime/gmime.h>      /* and GLib: UTF-8, paths */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A configuration is a page of lines; anything bigger is not one. */
#define MAX_CONFIG_BYTES (64u << 10)

typedef enum {
    V_MAILBOX,      /* "Name <addr>" or addr */
    V_ADDRESSES,    /* addr, addr, ... */
    V_ADDRESS,      /* addr */
    V_PATTERN,      /* a file name pattern */
    V_TEXT,         /* any one-line text, may be empty */
    V_TEMPLATE,     /* a template file's path: its text is kept */
    V_PATH,         /* a file's path (relative: to the config's folder) */
    V_PROGRAM,      /* an absolute path */
    V_SMTP_URL,     /* smtp:// or smtps:// */
    V_COUNT,        /* a whole number within [min, max] */
} value_kind;

typedef struct key_spec {
    const char *name;
    value_kind kind;
    size_t offset;           /* of the char * or number in rg_desk_config */
    unsigned long min, max;  /* V_COUNT */
} key_spec;

#define FIELD(f) offsetof(rg_desk_config, f)

static const key_spec KEYS[] = {
    { "from", V_MAILBOX, FIELD(from), 0, 0 },
    { "own-addresses", V_ADDRESSES, FIELD(own_addresses), 0, 0 },
    { "serve", V_PATTERN, FIELD(serve), 0, 0 },
    { "subject-prefix", V_TEXT, FIELD(subject_prefix), 0, 0 },
    { "template-nl", V_TEMPLATE, FIELD(template_nl), 0, 0 },
    { "template-en", V_TEMPLATE, FIELD(template_en), 0, 0 },
    { "bcc", V_ADDRESS, FIELD(bcc), 0, 0 },
    { "smtp", V_SMTP_URL, FIELD(smtp), 0, 0 },
    { "sendmail", V_PROGRAM, FIELD(sendmail), 0, 0 },
    { "log-json", V_PATH, FIELD(log_json), 0, 0 },
    { "max-per-address-per-day", V_COUNT, FIELD(max_per_address), 1, 1000 },
    { "max-per-day", V_COUNT, FIELD(max_per_day), 1, 1000000 },
    { "max-request-bytes", V_COUNT, FIELD(max_request_bytes), 1024, 32ul << 20 },
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

static const char *const REQUIRED[] = { "from", "template-nl" };

/* What loading one file needs to know and say. */
typedef struct loader {
    rg_ctx *ctx;
    const char *path;
    char *dir;               /* the file's folder, for relative paths */
    int errors;
    int seen_line[NKEYS];    /* where each key was given; 0: not yet */
    rg_desk_config *out;
} loader;

/* --------------------------------------------------------------- helpers */

/* The column (1-based, in characters) of p on the line starting at line. */
static int col_of(const char *line, const char *p)
{
    return (int)g_utf8_strlen(line, p - line) + 1;
}

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t')) (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t')) (*e)--;
}

/* Levenshtein distance of a and b, capped: enough for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1]));
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[lb];
}

/* The known key nearest to key (an underscore for a dash counts as
 * nothing), or NULL when none is near. */
static const char *near_key(const char *key)
{
    char norm[64];
    snprintf(norm, sizeof norm, "%s", key);
    for (char *p = norm; *p; p++)
        if (*p == '_' || *p == ' ') *p = '-';
    const char *best = NULL;
    size_t best_d = 3;       /* at most two edits away */
    for (size_t i = 0; i < NKEYS; i++) {
        size_t d = edit_distance(norm, KEYS[i].name);
        if (d < best_d) {
            best_d = d;
            best = KEYS[i].name;
        }
    }
    return best;
}

static char *xstrndup(const char *s, size_t n)
{
    char *out = rg_xmalloc(n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* path made relative to the loader's folder unless absolute (g_free). */
static char *beside_config(const loader *ld, const char *path)
{
    if (path[0] == '/' || !ld->dir) return g_strdup(path);
    return g_build_filename(ld->dir, path, NULL);
}

/* ----------------------------------------------------------- templates */

size_t rg_mail_text_lf(char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') continue;
        text[n++] = text[i] == '\r' ? '\n' : text[i];
    }
    text[n] = '\0';
    return n;
}

rg_status rg_mail_text_read(const char *path, char **text, char *why, size_t whylen)
{
    size_t len;
    *text = NULL;
    rg_status st = rg_read_regular(path, RG_MAIL_MAX_TEXT_BYTES, text, &len, NULL, why, whylen);
    if (st != RG_OK) return st;
    if (memchr(*text, '\0', len) || !g_utf8_validate(*text, (gssize)len, NULL)) {
        snprintf(why, whylen, "not UTF-8 text");
        free(*text);
        *text = NULL;
        return RG_EX_DATAERR;
    }
    rg_mail_text_lf(*text, len);
    return RG_OK;
}

void rg_mail_shipped_file(const char *name, char *out, size_t cap)
{
    rg_paths paths;
    rg_paths_find(&paths);
    snprintf(out, cap, "%s/%s", paths.mail, name);
}

static const char *const PLACEHOLDERS[] = { "period", "title", "output" };

/* The length of the placeholder name at p (lower-case letters). */
static size_t name_len(const char *p)
{
    size_t n = 0;
    while (p[n] >= 'a' && p[n] <= 'z') n++;
    return n;
}

/* The index in PLACEHOLDERS of the name p[0..n), or -1. */
static int placeholder_index(const char *p, size_t n)
{
    for (int i = 0; i < 3; i++)
        if (strlen(PLACEHOLDERS[i]) == n && !strncmp(p, PLACEHOLDERS[i], n)) return i;
    return -1;
}

/* Sections nest no deeper than this; a deeper "{?" is text. */
#define MAX_SECTION_DEPTH 8

/* Where the "{?NAME TEXT}" section starting at open ends: the first '}'
 * in TEXT that closes no placeholder, "{{" or inner section; or NULL. */
static const char *section_end_at(const char *open, int depth)
{
    if (depth > MAX_SECTION_DEPTH) return NULL;
    const char *p = open + 2 + name_len(open + 2);
    while (*p) {
        if (p[0] == '{' && p[1] == '{') {
            p += 2;
        } else if (p[0] == '{' && p[1] == '?') {
            const char *e = section_end_at(p, depth + 1);
            if (!e) return NULL;
            p = e + 1;
        } else if (p[0] == '{') {
            size_t n = name_len(p + 1);
            p += n > 0 && p[1 + n] == '}' ? n + 2 : 1;
        } else if (*p == '}') {
            return p;
        } else {
            p++;
        }
    }
    return NULL;
}

static const char *section_end(const char *open)
{
    return section_end_at(open, 1);
}

/* Appends tmpl[0..end) filled in to s (end NULL: to the NUL). */
static void fill_into(GString *s, const char *tmpl, const char *end, const char *const values[3])
{
    for (const char *p = tmpl; end ? p < end : *p != '\0';) {
        if (p[0] == '{' && p[1] == '{') {
            g_string_append_c(s, '{');
            p += 2;
            continue;
        }
        if (p[0] == '{' && p[1] == '?') {
            size_t n = name_len(p + 2);
            int k = placeholder_index(p + 2, n);
            const char *close = section_end(p);
            if (k >= 0 && close && (!end || close < end)) {
                if (values[k] && *values[k]) fill_into(s, p + 2 + n, close, values);
                p = close + 1;
                continue;
            }
        } else if (p[0] == '{') {
            size_t n = name_len(p + 1);
            int k = placeholder_index(p + 1, n);
            if (k >= 0 && p[1 + n] == '}') {
                g_string_append(s, values[k] ? values[k] : "");
                p += n + 2;
                continue;
            }
        }
        g_string_append_c(s, *p++);   /* an unknown {name} stays as it is */
    }
}

char *rg_desk_fill_template(const char *tmpl, const char *period, const char *title,
                            const char *output)
{
    const char *const values[3] = { period, title, output };
    GString *s = g_string_new(NULL);
    fill_into(s, tmpl ? tmpl : "", NULL, values);
    char *out = rg_xstrdup(s->str);
    g_string_free(s, TRUE);
    return out;
}

/* Warns of every '{' in the template at path that is not "{{", a known
 * placeholder or a "{?NAME ...}" section of a known NAME. */
static void check_placeholders(rg_ctx *ctx, const char *path, const char *text)
{
    int line = 1;
    const char *line_start = text;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
            line_start = p + 1;
            continue;
        }
        if (*p != '{') continue;
        if (p[1] == '{') {
            p++;
            continue;
        }
        int section = p[1] == '?';
        const char *name = p + 1 + section;
        size_t n = name_len(name);
        int known = placeholder_index(name, n) >= 0;
        if (known && (section ? section_end(p) != NULL : name[n] == '}')) continue;
        int shown = (int)(1 + section + n) > 40 ? 40 : (int)(1 + section + n);
        rg_diag(ctx, RG_SEV_WARNING, path, line, col_of(line_start, p),
                section && known ? "'{%.*s' has no closing '}'; the text stays as it is"
                                 : "unknown placeholder '{%.*s'; it stays as it is (known: "
                                   "{period}, {title}, {output}, {?period ...}; '{{' for a '{')",
                shown - 1, p + 1);
    }
}

/* --------------------------------------------------------------- values */

static void value_error(loader *ld, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void value_error(loader *ld, int line, int col, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rg_diag(ld->ctx, RG_SEV_ERROR, ld->path, line, col, "%s", msg);
    ld->errors++;
}

/* Checks a comma-separated list of addresses; on a bad one, an error at
 * its column. Returns 1 when all are usable. */
static int check_addresses(loader *ld, const char *key, const char *value, int line,
                           const char *line_start, const char *value_at)
{
    const char *p = value;
    for (;;) {
        const char *e = p + strcspn(p, ",");
        const char *b = p, *t = e;
        trim(&b, &t);
        char *addr = xstrndup(b, (size_t)(t - b));
        int ok = *addr && rg_mail_addr_ok(addr);
        if (!ok)
            value_error(ld, line, col_of(line_start, value_at + (b - value)),
                        "%s: '%s' is not a usable address (user@domain)", key, addr);
        free(addr);
        if (!ok) return 0;
        if (!*e) return 1;
        p = e + 1;
    }
}

static int parse_count(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
    if (!g_ascii_isdigit(v[0])) return 0;
    errno = 0;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || errno || n < min || n > max) return 0;
    *out = n;
    return 1;
}

/* Checks value for key and stores it in ld->out. */
static void set_value(loader *ld, const key_spec *k, char *value, int line,
                      const char *line_start, const char *value_at)
{
    int col = col_of(line_start, value_at);
    char **field = (char **)((char *)ld->out + k->offset);
    if (k->kind != V_TEXT && !*value) {
        value_error(ld, line, col, "%s: no value", k->name);
        return;
    }
    switch (k->kind) {
    case V_MAILBOX: {
        char *name, *addr;
        if (!rg_mail_mailbox_parse(value, &name, &addr)) {
            value_error(ld, line, col, "%s: '%s' is not a usable address "
                        "(Name <user@domain> or user@domain)", k->name, value);
            return;
        }
        free(name);
        free(addr);
        break;
    }
    case V_ADDRESSES:
        if (!check_addresses(ld, k->name, value, line, line_start, value_at)) return;
        break;
    case V_ADDRESS:
        if (!rg_mail_addr_ok(value)) {
            value_error(ld, line, col, "%s: '%s' is not a usable address (user@domain)",
                        k->name, value);
            return;
        }
        break;
    case V_PATTERN:
        if (strchr(value, '/')) {
            value_error(ld, line, col, "%s: '%s' has a '/'; it matches names of files in the "
                        "reports folder", k->name, value);
            return;
        }
        break;
    case V_TEXT:
        for (const char *p = value; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                value_error(ld, line, col, "%s: a control character in the value", k->name);
                return;
            }
        break;
    case V_TEMPLATE: {
        char why[256], *text = NULL;
        char *path = beside_config(ld, value);
        if (rg_mail_text_read(path, &text, why, sizeof why) != RG_OK) {
            value_error(ld, line, col, "%s: cannot use '%s' as a reply text: %s", k->name, path,
                        why);
            g_free(path);
            return;
        }
        check_placeholders(ld->ctx, path, text);
        g_free(path);
        free(*field);
        *field = text;
        return;
    }
    case V_PATH: {
        char *path = beside_config(ld, value);
        free(*field);
        *field = rg_xstrdup(path);
        g_free(path);
        return;
    }
    case V_PROGRAM:
        if (value[0] != '/') {
            value_error(ld, line, col, "%s: '%s' is not an absolute path (cron and services "
                        "have no /usr/sbin on PATH, so none is looked up)", k->name, value);
            return;
        }
        break;
    case V_SMTP_URL: {
        size_t n = !strncmp(value, "smtp://", 7) ? 7 : !strncmp(value, "smtps://", 8) ? 8 : 0;
        if (n == 0 || !value[n] || value[n] == '/' || value[n] == ':') {
            value_error(ld, line, col, "%s: '%s' is not an SMTP URL (smtp://HOST[:PORT] or "
                        "smtps://HOST[:PORT])", k->name, value);
            return;
        }
        break;
    }
    case V_COUNT: {
        unsigned long n;
        if (!parse_count(value, k->min, k->max, &n)) {
            value_error(ld, line, col, "%s: '%s' is not a whole number from %lu to %lu",
                        k->name, value, k->min, k->max);
            return;
        }
        if (k->offset == FIELD(max_request_bytes)) ld->out->max_request_bytes = n;
        else *(unsigned *)((char *)ld->out + k->offset) = (unsigned)n;
        return;
    }
    }
    free(*field);
    *field = rg_xstrdup(value);
}

/* ---------------------------------------------------------------- lines */

/* The value between b and e: trimmed already; one pair of enclosing
 * quotes taken off. malloc'd; *at receives where its text starts. */
static char *unquote(const char *b, const char *e, const char **at)
{
    if (e - b >= 2 && *b == '"' && e[-1] == '"') {
        b++;
        e--;
    }
    *at = b;
    return xstrndup(b, (size_t)(e - b));
}

static void parse_line(loader *ld, const char *line_start, const char *line_end, int line)
{
    const char *b = line_start, *e = line_end;
    trim(&b, &e);
    if (b == e || *b == '#') return;
    const char *eq = memchr(b, '=', (size_t)(e - b));
    if (!eq) {
        value_error(ld, line, col_of(line_start, b), "expected 'key = value' (or a '#' comment)");
        return;
    }
    const char *kb = b, *ke = eq;
    trim(&kb, &ke);
    if (kb == ke) {
        value_error(ld, line, col_of(line_start, b), "no key before '='");
        return;
    }
    char *key = xstrndup(kb, (size_t)(ke - kb));
    const key_spec *k = NULL;
    for (size_t i = 0; i < NKEYS && !k; i++)
        if (!strcmp(KEYS[i].name, key)) k = &KEYS[i];
    if (!k) {
        const char *near = near_key(key);
        if (near)
            value_error(ld, line, col_of(line_start, kb), "unknown key '%s'; did you mean '%s'?",
                        key, near);
        else
            value_error(ld, line, col_of(line_start, kb), "unknown key '%s'", key);
        free(key);
        return;
    }
    free(key);
    size_t ki = (size_t)(k - KEYS);
    if (ld->seen_line[ki]) {
        value_error(ld, line, col_of(line_start, kb), "'%s' given twice (first on line %d)",
                    k->name, ld->seen_line[ki]);
        return;
    }
    ld->seen_line[ki] = line;
    const char *vb = eq + 1, *ve = e, *at;
    trim(&vb, &ve);
    char *value = unquote(vb, ve, &at);
    set_value(ld, k, value, line, line_start, at);
    free(value);
}

/* Checks the file's bytes are UTF-8 text; an error at the first bad one. */
static int check_text(loader *ld, const char *data, size_t len)
{
    const char *bad = NULL;
    int ok = !memchr(data, '\0', len) && g_utf8_validate(data, (gssize)len, &bad);
    if (ok) return 1;
    if (!bad) bad = memchr(data, '\0', len);
    int line = 1;
    const char *line_start = data;
    for (const char *p = data; p < bad; p++)
        if (*p == '\n') {
            line++;
            line_start = p + 1;
        }
    value_error(ld, line, (int)(bad - line_start) + 1, "not UTF-8 text");
    return 0;
}

static void set_defaults(rg_desk_config *c)
{
    memset(c, 0, sizeof *c);
    c->max_per_address = 3;
    c->max_per_day = 200;
    c->max_request_bytes = 1048576;
}

/* The defaults of keys not given; an error for a required one missing. */
static void finish(loader *ld, int last_line)
{
    rg_desk_config *c = ld->out;
    for (size_t r = 0; r < sizeof REQUIRED / sizeof REQUIRED[0]; r++)
        for (size_t i = 0; i < NKEYS; i++)
            if (!strcmp(KEYS[i].name, REQUIRED[r]) && !ld->seen_line[i])
                value_error(ld, last_line, 1, "no '%s' (required)", REQUIRED[r]);
    if (c->from) {               /* from's address is always one of ours */
        char *name, *addr;
        if (rg_mail_mailbox_parse(c->from, &name, &addr)) {
            char *own = c->own_addresses ? g_strdup_printf("%s, %s", addr, c->own_addresses)
                                         : g_strdup(addr);
            free(c->own_addresses);
            c->own_addresses = rg_xstrdup(own);
            g_free(own);
            free(name);
            free(addr);
        }
    }
    if (!c->subject_prefix) c->subject_prefix = rg_xstrdup("Re:");
    if (!c->sendmail) c->sendmail = rg_xstrdup("/usr/sbin/sendmail");
    if (!c->serve) c->serve = rg_xstrdup("*.pdf");
}

rg_status rg_desk_config_load(rg_ctx *ctx, const char *path, rg_desk_config *out)
{
    char shipped[4300], why[256];
    char *data = NULL;
    size_t len = 0;
    set_defaults(out);
    if (!path) {
        rg_mail_shipped_file("inbox.conf.example", shipped, sizeof shipped);
        path = shipped;
    }
    rg_status st = rg_read_regular(path, MAX_CONFIG_BYTES, &data, &len, NULL, why, sizeof why);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read the configuration: %s", why);
        return st;
    }
    loader ld = { .ctx = ctx, .path = path, .out = out };
    ld.dir = g_path_get_dirname(path);
    int line = 1;
    if (check_text(&ld, data, len)) {
        const char *p = data, *end = data + len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            if (le > p && le[-1] == '\r') le--;
            parse_line(&ld, p, le, line);
            if (!nl) break;
            p = nl + 1;
            line++;
        }
        finish(&ld, line);
    }
    g_free(ld.dir);
    free(data);
    if (ld.errors) {
        rg_desk_config_free(out);
        set_defaults(out);
        return RG_EX_DATAERR;
    }
    return RG_OK;
}

void rg_desk_config_free(rg_desk_config *c)
{
    if (!c) return;
    char **strings[] = { &c->from, &c->own_addresses, &c->serve, &c->subject_prefix,
                         &c->template_nl, &c->template_en, &c->bcc, &c->smtp, &c->sendmail,
                         &c->log_json };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
}
