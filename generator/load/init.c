/* load/init.c - the next period's definition (reportgen init) and the
 * marks it leaves for the author. Stage: load.
 *
 * rg_load_init reads a valid definition and writes the next period's: the
 * <period>'s id, from= and to= and label moved on (the period's length
 * from the previous one's dates, the label in the previous label's words),
 * the period named anew in <title>, <subtitle>, <subject> and <keywords>,
 * data file names that contain the old period id moved on (the new CSV is
 * written with the old one's header row only), and every figure to update
 * marked with a processing instruction <?reportgen-todo ...?>: each value
 * of an inline dataset's non-text fields (emptied; the mark keeps the old
 * value), each dataset whose new CSV has no records yet, each chart's
 * <alt> (it describes the old figures) and the publication date (moved on
 * by the same months: check it). XSD validation ignores processing
 * instructions, so the file stays schema-valid, and rg_marks_check (run
 * by every load) reports each open mark as an error: validate lists what
 * is left to fill in, and build refuses until it is done.
 *
 * The new file is the old one's bytes with only those places edited (its
 * comments, XIncludes, attribute layout and line breaks stay as written):
 * libxml2 finds the elements, a small scanner of the (already validated)
 * bytes finds where each one is written. Files are created, never
 * replaced: a temporary file beside the target is linked to its name. */
#define _XOPEN_SOURCE 700

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#define MARK "reportgen-todo"

/* Open marks listed one by one; the rest are counted. */
enum { RG_MAX_MARKS_LISTED = 1000 };

/* ---- periods ---- */

/* A period id as "YYYY-<prefix>N" (2023-T1: year 2023, prefix "-T", n 1),
 * or a year alone ("2023": n 1, width 0). */
typedef struct period_id {
    int year, n;
    int width;                     /* digits of n as written ("M05": 2) */
    char prefix[16];
} period_id;

static int parse_period_id(const char *s, period_id *p)
{
    size_t len = strlen(s), i = 0;
    if ((len < 6 && len != 4) || len > 30) return -1;
    for (i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    p->year = atoi(s);
    if (len == 4) {                              /* a year: "2023" */
        p->n = 1;
        p->width = 0;
        p->prefix[0] = 0;
        return p->year >= 1000 ? 0 : -1;
    }
    size_t e = len;
    while (e > 4 && s[e - 1] >= '0' && s[e - 1] <= '9') e--;
    if (e == len || len - e > 2 || e - 4 >= sizeof p->prefix || e == 4) return -1;
    memcpy(p->prefix, s + 4, e - 4);
    p->prefix[e - 4] = 0;
    for (i = 0; p->prefix[i]; i++)
        if (p->prefix[i] >= '0' && p->prefix[i] <= '9') return -1;
    p->n = atoi(s + e);
    p->width = (int)(len - e);
    return p->year >= 1000 && p->n >= 1 ? 0 : -1;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* The date months later (or earlier), its day kept where the month has it. */
static rg_date add_months(rg_date d, int months)
{
    int m = d.year * 12 + (d.month - 1) + months;
    rg_date r = { m / 12, m % 12 + 1, d.day };
    int last = days_in_month(r.year, r.month);
    if (r.day > last) r.day = last;
    return r;
}

/* ---- period labels: "januari t/m april 2023" in the previous one's words ---- */

static const char *const MONTHS_NL[12] = { "januari", "februari", "maart", "april", "mei", "juni",
                                           "juli", "augustus", "september", "oktober",
                                           "november", "december" };
static const char *const MONTHS_EN[12] = { "January", "February", "March", "April", "May",
                                           "June", "July", "August", "September", "October",
                                           "November", "December" };
static const char *const ABBR_NL[12] = { "jan", "feb", "mrt", "apr", "mei", "jun",
                                         "jul", "aug", "sep", "okt", "nov", "dec" };
static const char *const ABBR_EN[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Which month the word w (n bytes) names, 1-12, and in which list
 * (*table: 0 Dutch, 1 English, 2 Dutch abbreviated, 3 English
 * abbreviated); 0 when none. */
static int month_of(const char *w, size_t n, int *table)
{
    const char *const *lists[4] = { MONTHS_NL, MONTHS_EN, ABBR_NL, ABBR_EN };
    for (int t = 0; t < 4; t++)
        for (int m = 0; m < 12; m++) {
            const char *name = lists[t][m];
            if (strlen(name) != n) continue;
            size_t i = 0;
            while (i < n && (w[i] | 0x20) == (name[i] | 0x20)) i++;
            if (i == n) {
                *table = t;
                return m + 1;
            }
        }
    return 0;
}

/* Appends month m of table t to out, in the case of the word it replaces. */
static void put_month(char *out, size_t cap, int t, int m, const char *like)
{
    const char *const *lists[4] = { MONTHS_NL, MONTHS_EN, ABBR_NL, ABBR_EN };
    char w[16];
    snprintf(w, sizeof w, "%s", lists[t][m - 1]);
    int upper = like[0] >= 'A' && like[0] <= 'Z';
    int all_upper = upper && like[1] >= 'A' && like[1] <= 'Z';
    for (size_t i = 0; w[i]; i++) {
        char c = w[i] | 0x20;                      /* lower */
        if (all_upper || (upper && i == 0)) c = (char)(c & ~0x20);
        w[i] = c;
    }
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s", w);
}

static int is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* The new period's label from the old one: its month names and years
 * replaced (the first month by the new first, the last by the new last,
 * years by the new ones), the old id by the new id, the id's letters and
 * number ("T1", "Q1": letters, old_n) by the new number; the rest kept.
 * Returns how many months or numbers it replaced. */
static int move_label(const char *old, const char *old_id, const char *new_id, rg_date of,
                      rg_date ot, rg_date nf, rg_date nt, const char *letters, int old_n,
                      int new_n, char *out, size_t cap)
{
    int numbered = 0;
    int nmonths = 0, nyears = 0, table = 0;
    size_t len = strlen(old), idlen = strlen(old_id);
    /* how many month names, to know which is the last */
    for (size_t i = 0; i < len;) {
        if (is_letter((unsigned char)old[i])) {
            size_t j = i;
            while (j < len && is_letter((unsigned char)old[j])) j++;
            int t;
            if (month_of(old + i, j - i, &t)) nmonths++;
            i = j;
        } else if (old[i] >= '0' && old[i] <= '9') {
            size_t j = i;
            while (j < len && old[j] >= '0' && old[j] <= '9') j++;
            nyears += j - i == 4;
            i = j;
        } else {
            i += idlen && !strncmp(old + i, old_id, idlen) ? idlen : 1;
        }
    }
    int seen_months = 0, first_month_end = -1, years = 0;
    out[0] = 0;
    for (size_t i = 0; i < len;) {
        size_t o = strlen(out);
        if (idlen && !strncmp(old + i, old_id, idlen)) {
            snprintf(out + o, cap - o, "%s", new_id);
            i += idlen;
        } else if (is_letter((unsigned char)old[i])) {
            size_t j = i;
            while (j < len && is_letter((unsigned char)old[j])) j++;
            int m = month_of(old + i, j - i, &table);
            size_t k = j;
            while (k < len && old[k] >= '0' && old[k] <= '9') k++;
            if (!m && *letters && j - i == strlen(letters) && k > j && atoi(old + j) == old_n &&
                !strncmp(old + i, letters, j - i)) {
                snprintf(out + o, cap - o, "%.*s%0*d", (int)(j - i), old + i, (int)(k - j), new_n);
                numbered++;
                j = k;
            } else if (!m) {
                snprintf(out + o, cap - o, "%.*s", (int)(j - i), old + i);
            } else {
                seen_months++;
                int nm;
                if (seen_months == 1 && (nmonths > 1 || m != ot.month)) nm = nf.month;
                else if (seen_months == nmonths) nm = nt.month;
                else nm = add_months((rg_date){ 2000, m, 1 }, nf.month - of.month).month;
                char like[3] = { old[i], j - i > 1 ? old[i + 1] : 0, 0 };
                put_month(out, cap, table, nm, like);
                if (seen_months == 1) first_month_end = (int)strlen(out);
            }
            i = j;
        } else if (old[i] >= '0' && old[i] <= '9') {
            size_t j = i;
            while (j < len && old[j] >= '0' && old[j] <= '9') j++;
            if (j - i == 4) {
                int y = atoi(old + i), ny;
                years++;
                if (y == of.year && y == ot.year) ny = nyears > 1 && years == 1 ? nf.year : nt.year;
                else if (y == ot.year) ny = nt.year;
                else if (y == of.year) ny = nf.year;
                else ny = y + (nf.year - of.year);
                snprintf(out + o, cap - o, "%d", ny);
            } else {
                snprintf(out + o, cap - o, "%.*s", (int)(j - i), old + i);
            }
            i = j;
        } else {
            snprintf(out + o, cap - o, "%c", old[i]);
            i++;
        }
    }
    /* "november t/m februari 2024" needs the first month's year too */
    if (years == 1 && nmonths >= 2 && nf.year != nt.year && first_month_end >= 0) {
        char rest[400];
        snprintf(rest, sizeof rest, "%s", out + first_month_end);
        snprintf(out + first_month_end, cap - (size_t)first_month_end, " %d%s", nf.year, rest);
    }
    return seen_months + numbered;
}

/* ---- where the elements are written ---- */

/* One element as written: its start tag [begin, stag_end), its content
 * [stag_end, etag) and its end tag [etag, end); an empty-element tag has
 * etag == end == stag_end. */
typedef struct span {
    size_t begin, stag_end, etag, end;
    int empty;
} span;

/* Text outside markup, in the order written. */
typedef struct textrun {
    size_t a, b;
} textrun;

typedef struct scan {
    span *el;
    size_t nel, capel;
    textrun *text;
    size_t ntext, captext;
} scan;

static const char *find(const char *p, const char *e, const char *what)
{
    size_t n = strlen(what);
    for (; p + n <= e; p++)
        if (!memcmp(p, what, n)) return p;
    return NULL;
}

/* Scans well-formed XML (it was parsed already) for its elements in
 * document order and its text runs. Returns 0, or -1 on something it does
 * not expect (then the caller refuses: a DOCTYPE, which loading refused
 * anyway, or bytes that are not the parsed document). */
static int scan_xml(const char *d, size_t len, scan *s)
{
    const char *p = d, *e = d + len;
    size_t *stack = NULL, depth = 0, capstack = 0;
    int ok = -1;
    memset(s, 0, sizeof *s);
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    while (p < e) {
        const char *lt = memchr(p, '<', (size_t)(e - p));
        if (!lt) lt = e;
        if (lt > p && depth > 0) {
            rg_grow(&s->text, &s->captext, s->ntext + 1, sizeof *s->text);
            s->text[s->ntext++] = (textrun){ (size_t)(p - d), (size_t)(lt - d) };
        }
        if (lt == e) break;
        const char *q;
        if (lt + 1 < e && lt[1] == '?') {
            if (!(q = find(lt, e, "?>"))) goto done;
            p = q + 2;
        } else if (e - lt >= 4 && !memcmp(lt, "<!--", 4)) {
            if (!(q = find(lt + 4, e, "-->"))) goto done;
            p = q + 3;
        } else if (e - lt >= 9 && !memcmp(lt, "<![CDATA[", 9)) {
            if (!(q = find(lt + 9, e, "]]>"))) goto done;
            if (depth > 0) {
                rg_grow(&s->text, &s->captext, s->ntext + 1, sizeof *s->text);
                s->text[s->ntext++] = (textrun){ (size_t)(lt - d), (size_t)(q + 3 - d) };
            }
            p = q + 3;
        } else if (lt + 1 < e && lt[1] == '!') {
            goto done;                               /* a DOCTYPE: never here */
        } else if (lt + 1 < e && lt[1] == '/') {
            if (!(q = memchr(lt, '>', (size_t)(e - lt))) || depth == 0) goto done;
            span *el = &s->el[stack[--depth]];
            el->etag = (size_t)(lt - d);
            el->end = (size_t)(q + 1 - d);
            p = q + 1;
        } else {
            char quote = 0;
            for (q = lt + 1; q < e; q++) {
                if (quote) {
                    if (*q == quote) quote = 0;
                } else if (*q == '"' || *q == '\'') {
                    quote = *q;
                } else if (*q == '>') {
                    break;
                }
            }
            if (q >= e) goto done;
            rg_grow(&s->el, &s->capel, s->nel + 1, sizeof *s->el);
            span *el = &s->el[s->nel];
            el->begin = (size_t)(lt - d);
            el->stag_end = (size_t)(q + 1 - d);
            el->empty = q[-1] == '/';
            if (el->empty) {
                el->etag = el->end = el->stag_end;
            } else {
                rg_grow(&stack, &capstack, depth + 1, sizeof *stack);
                stack[depth++] = s->nel;
            }
            s->nel++;
            p = q + 1;
        }
    }
    ok = depth == 0 ? 0 : -1;
done:
    free(stack);
    return ok;
}

/* The value of attribute name in the start tag [a, b) as [*va, *vb);
 * -1 when it has none. */
static int attr_span(const char *d, size_t a, size_t b, const char *name, size_t *va,
                     size_t *vb)
{
    size_t i = a + 1, nlen = strlen(name);
    while (i < b && !strchr(" \t\r\n/>", d[i])) i++;            /* the element's name */
    for (;;) {
        while (i < b && strchr(" \t\r\n", d[i])) i++;
        if (i >= b || d[i] == '/' || d[i] == '>') return -1;
        size_t n0 = i;
        while (i < b && !strchr(" \t\r\n=", d[i])) i++;
        size_t n1 = i;
        while (i < b && d[i] != '"' && d[i] != '\'') i++;
        if (i >= b) return -1;
        char quote = d[i++];
        size_t v0 = i;
        while (i < b && d[i] != quote) i++;
        if (i >= b) return -1;
        if (n1 - n0 == nlen && !memcmp(d + n0, name, nlen)) {
            *va = v0;
            *vb = i;
            return 0;
        }
        i++;
    }
}

/* ---- edits of the old bytes ---- */

typedef struct edit {
    size_t at, len;                /* the bytes replaced (len 0: an insertion) */
    char *text;                    /* malloc'd */
} edit;

typedef struct edits {
    edit *e;
    size_t n, cap;
} edits;

static void add_edit(edits *ed, size_t at, size_t len, const char *text)
{
    rg_grow(&ed->e, &ed->cap, ed->n + 1, sizeof *ed->e);
    ed->e[ed->n++] = (edit){ at, len, rg_xstrdup(text) };
}

static int edit_order(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return (x->len > 0) - (y->len > 0);          /* an insertion before a replacement */
}

/* The old bytes with the edits made, malloc'd, NUL-terminated; NULL when
 * two edits overlap (a bug). */
static char *apply_edits(const char *d, size_t len, edits *ed, size_t *outlen)
{
    qsort(ed->e, ed->n, sizeof *ed->e, edit_order);
    size_t total = len + 1;
    for (size_t i = 0; i < ed->n; i++) total += strlen(ed->e[i].text);
    char *out = rg_xmalloc(total);
    size_t o = 0, pos = 0;
    for (size_t i = 0; i < ed->n; i++) {
        const edit *x = &ed->e[i];
        if (x->at < pos) {
            free(out);
            return NULL;
        }
        memcpy(out + o, d + pos, x->at - pos);
        o += x->at - pos;
        size_t n = strlen(x->text);
        memcpy(out + o, x->text, n);
        o += n;
        pos = x->at + x->len;
    }
    memcpy(out + o, d + pos, len - pos);
    o += len - pos;
    out[o] = 0;
    *outlen = o;
    return out;
}

static void free_edits(edits *ed)
{
    for (size_t i = 0; i < ed->n; i++) free(ed->e[i].text);
    free(ed->e);
}

/* s with &, <, > and " escaped, malloc'd. */
static char *escape(const char *s)
{
    char *out = rg_xmalloc(strlen(s) * 6 + 1);
    size_t o = 0;
    for (; *s; s++) {
        const char *r = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                      : *s == '"' ? "&quot;" : NULL;
        if (r) {
            memcpy(out + o, r, strlen(r));
            o += strlen(r);
        } else {
            out[o++] = *s;
        }
    }
    out[o] = 0;
    return out;
}

/* s made fit for a processing instruction's text: no "?>", no '>' at all
 * (so that a sed can match a mark as "<?reportgen-todo [^>]*?>"). */
static void mark_text(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++) out[o++] = *s == '>' ? ')' : *s == '?' ? '.' : *s;
    out[o] = 0;
}

/* ---- the new period's definition ---- */

typedef struct init {
    rg_ctx *ctx;
    const char *from, *out;        /* PREVIOUS and NEW as named */
    char dir[PATH_MAX];            /* PREVIOUS's folder (real path) */
    char out_dir[PATH_MAX];        /* NEW's folder (real path) */
    const char *data;              /* PREVIOUS's bytes */
    size_t len;
    xmlDocPtr x;                   /* PREVIOUS parsed, without its XIncludes */
    scan sc;
    xmlNodePtr *nodes;             /* the elements, in document order (sc.el[i] is nodes[i]) */
    size_t nnodes, capnodes;
    edits ed;
    char old_id[80], new_id[80];
    rg_date of, ot, nf, nt;        /* the old and new period's first and last day */
    int months;                    /* how many months the new period starts later */
    char old_label[400], new_label[400];
    int marks;                     /* marks written */
    FILE *report;                  /* where what was done is told, or NULL */
    int list_marks;                /* and each mark */
    /* the data files to write: new path (beside NEW), header bytes */
    struct newcsv {
        char *path;                /* malloc'd */
        char *shown;               /* as the author named NEW's folder; malloc'd */
        char *head;
        size_t len;
    } *csv;
    size_t ncsv, capcsv;
} init;

/* What was done, on in->report when there is one. */
static void tell(const init *in, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void tell(const init *in, const char *fmt, ...)
{
    if (!in->report) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(in->report, fmt, ap);
    va_end(ap);
}

/* Each mark in the new bytes d, with its line and column (init -v). */
static void tell_marks(const init *in, const char *d, size_t len)
{
    const char *p = d, *e = d + len, *line_start = d;
    int line = 1;
    for (const char *hit; (hit = find(p, e, "<?" MARK " ")) != NULL;) {
        for (; p < hit; p++)
            if (*p == '\n') {
                line++;
                line_start = p + 1;
            }
        const char *a = hit + strlen("<?" MARK " "), *b = find(a, e, "?>");
        if (!b) break;
        int col = 1;
        for (const char *c = line_start; c < hit; c++) col += ((unsigned char)*c & 0xC0) != 0x80;
        tell(in, "%s:%d:%d: marked: %.*s\n", in->out, line, col, (int)(b - a), a);
        p = b;
    }
}

static void collect(init *in, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        rg_grow(&in->nodes, &in->capnodes, in->nnodes + 1, sizeof *in->nodes);
        in->nodes[in->nnodes++] = n;
        n->_private = (void *)(uintptr_t)in->nnodes;     /* its index + 1: span_of */
        collect(in, n->children);
    }
}

static const span *span_of(const init *in, xmlNodePtr n)
{
    size_t i = n ? (size_t)(uintptr_t)n->_private : 0;
    return i >= 1 && i <= in->nnodes && in->nodes[i - 1] == n ? &in->sc.el[i - 1] : NULL;
}

static int is_el(xmlNodePtr n, const char *name)
{
    return rg_xml_is(n, RG_NS_REPORT, name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name)) return c;
    return NULL;
}

/* The attribute's text in a malloc'd string (xmlFree), or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

static void set_attr(init *in, xmlNodePtr n, const char *name, const char *value)
{
    const span *sp = span_of(in, n);
    size_t va, vb;
    if (!sp || attr_span(in->data, sp->begin, sp->stag_end, name, &va, &vb) < 0) return;
    char *esc = escape(value);
    add_edit(&in->ed, va, vb - va, esc);
    free(esc);
}

/* Replaces the content of element n (text only) with text (escaped). */
static void set_content(init *in, xmlNodePtr n, const char *text)
{
    const span *sp = span_of(in, n);
    if (!sp || sp->empty) return;
    char *esc = escape(text);
    add_edit(&in->ed, sp->stag_end, sp->etag - sp->stag_end, esc);
    free(esc);
}

/* In the written content of n: every old label and old id made the new
 * one. Whether anything changed. */
static int rename_period_in(init *in, xmlNodePtr n)
{
    const span *sp = span_of(in, n);
    if (!sp || sp->empty) return 0;
    const char *a = in->data + sp->stag_end, *b = in->data + sp->etag;
    const char *olds[2] = { in->old_label, in->old_id }, *news[2] = { in->new_label, in->new_id };
    int changed = 0;
    for (const char *p = a; p < b;) {
        int hit = 0;
        for (int k = 0; k < 2 && !hit; k++) {
            size_t n0 = strlen(olds[k]);
            if (n0 && (size_t)(b - p) >= n0 && !memcmp(p, olds[k], n0)) {
                char *esc = escape(news[k]);
                add_edit(&in->ed, (size_t)(p - in->data), n0, esc);
                free(esc);
                p += n0;
                hit = changed = 1;
            }
        }
        if (!hit) p++;
    }
    return changed;
}

/* Inserts a mark as the first thing in n's content (an empty-element tag
 * is opened up). */
static void mark_start(init *in, xmlNodePtr n, const char *what)
{
    const span *sp = span_of(in, n);
    char text[600], t[500];
    if (!sp) return;
    mark_text(what, t, sizeof t);
    snprintf(text, sizeof text, "<?" MARK " %s?>", t);
    if (sp->empty) {
        /* <value/> -> <value><?mark?></value> */
        const char *name = (const char *)n->name;
        char prefixed[200];
        if (n->ns && n->ns->prefix)
            snprintf(prefixed, sizeof prefixed, "%s:%s", (const char *)n->ns->prefix, name);
        else
            snprintf(prefixed, sizeof prefixed, "%s", name);
        size_t slash = sp->stag_end - 2;
        while (slash > sp->begin && in->data[slash] != '/') slash--;
        char repl[900];
        snprintf(repl, sizeof repl, ">%s</%s>", text, prefixed);
        add_edit(&in->ed, slash, sp->stag_end - slash, repl);
    } else {
        add_edit(&in->ed, sp->stag_end, 0, text);
    }
    in->marks++;
}

/* A mark on a line of its own at the start of n's content, indented like
 * its first child (a dataset reading a CSV). */
static void mark_line(init *in, xmlNodePtr n, const char *what)
{
    const span *sp = span_of(in, n);
    if (!sp || sp->empty) {
        mark_start(in, n, what);
        return;
    }
    const char *p = in->data + sp->stag_end, *e = in->data + sp->etag, *q = p;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) q++;
    const char *nl = q;
    while (nl > p && nl[-1] != '\n') nl--;
    if (nl == p || q == nl) {                    /* no line of its own to copy */
        mark_start(in, n, what);
        return;
    }
    char t[500], text[900];
    mark_text(what, t, sizeof t);
    snprintf(text, sizeof text, "<?" MARK " %s?>\n%.*s", t, (int)(q - nl), nl);
    add_edit(&in->ed, (size_t)(q - in->data), 0, text);
    in->marks++;
}

/* The old value of n, as the mark remembers it. */
static void value_text(xmlNodePtr n, char *out, size_t cap)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *s = v ? (const char *)v : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    size_t l = strlen(s);
    while (l && strchr(" \t\r\n", s[l - 1])) l--;
    snprintf(out, cap, "%.*s", (int)(l > 80 ? 80 : l), s);
    xmlFree(v);
}

/* Replaces value n's content with a mark that keeps the old value. */
static void mark_value(init *in, xmlNodePtr n)
{
    const span *sp = span_of(in, n);
    char old[100], what[300];
    if (!sp) return;
    value_text(n, old, sizeof old);
    if (old[0]) snprintf(what, sizeof what, "was %s in %s", old, in->old_id);
    else snprintf(what, sizeof what, "empty in %s", in->old_id);
    if (!sp->empty) add_edit(&in->ed, sp->stag_end, sp->etag - sp->stag_end, "");
    mark_start(in, n, what);
}

static int same_folder(const char *a, const char *b)
{
    return !strcmp(a, b);
}

/* The header row of a CSV (its first record, quotes respected) with its
 * line end, or the whole file when it has one record. */
static size_t header_length(const char *d, size_t len)
{
    int quoted = 0;
    size_t i = 0;
    if (len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3)) i = 3;
    for (; i < len; i++) {
        if (d[i] == '"') quoted = !quoted;
        else if (d[i] == '\n' && !quoted) return i + 1;
    }
    return len;
}

/* A dataset reading a CSV whose name holds the old period id: the name
 * moved on, the new file written with the old header row (records to be
 * filled in, marked), or used as it is when it exists already. */
static void move_dataset_src(init *in, xmlNodePtr ds)
{
    char *src = attr(ds, "src"), *id = attr(ds, "id");
    char *hit = src ? strstr(src, in->old_id) : NULL;
    if (!src) goto done;
    if (!hit) {
        rg_diag(in->ctx, RG_SEV_WARNING, in->from, rg_xml_line(ds), 1,
                "dataset '%s' reads '%s', whose name does not hold the period id %s: %s "
                "reads it too (it is the previous period's data)", id ? id : "?", src,
                in->old_id, in->out);
        goto done;
    }
    char new_src[PATH_MAX], path[PATH_MAX * 2 + 2];
    snprintf(new_src, sizeof new_src, "%.*s%s%s", (int)(hit - src), src, in->new_id,
             hit + strlen(in->old_id));
    set_attr(in, ds, "src", new_src);
    snprintf(path, sizeof path, "%s/%s", in->out_dir, new_src);
    struct stat st;
    if (lstat(path, &st) == 0) {
        tell(in, "%s: %s exists already: used as it is\n", in->out, new_src);
        goto done;
    }
    char *old = NULL, why[300], what[600];
    size_t len = 0;
    char *cut = strrchr(path, '/');
    *cut = 0;
    int folder = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    *cut = '/';
    if (!folder)
        rg_diag(in->ctx, RG_SEV_WARNING, in->from, rg_xml_line(ds), 1, "%s has no folder for "
                "%s: make it, and write the file there", in->out, new_src);
    if (folder && rg_read_beside(in->ctx, in->dir, src, RG_MAX_INPUT_BYTES, &old, &len, why,
                                 sizeof why) == 0) {
        size_t h = header_length(old, len);
        size_t k = in->ncsv;
        rg_grow(&in->csv, &in->capcsv, k + 1, sizeof *in->csv);
        in->csv[k].path = rg_xstrdup(path);
        const char *slash = strrchr(in->out, '/');
        char shown[PATH_MAX + 300];
        snprintf(shown, sizeof shown, "%.*s%s", slash ? (int)(slash - in->out + 1) : 0, in->out,
                 new_src);
        in->csv[k].shown = rg_xstrdup(shown);
        in->csv[k].head = rg_xmalloc(h + 2);
        memcpy(in->csv[k].head, old, h);
        if (h == 0 || old[h - 1] != '\n') in->csv[k].head[h++] = '\n';
        in->csv[k].len = h;
        in->ncsv++;
        snprintf(what, sizeof what, "the records of %.200s (its header row is written; %s's "
                 "are in %.200s)", new_src, in->old_id, src);
    } else {
        snprintf(what, sizeof what, "write %.200s (%s's: %.200s)", new_src, in->old_id, src);
    }
    free(old);
    mark_line(in, ds, what);
done:
    xmlFree(src);
    xmlFree(id);
}

/* Every value of an inline dataset's non-text fields marked. */
static void mark_records(init *in, xmlNodePtr ds)
{
    int text[256], nf = 0;
    for (xmlNodePtr f = ds->children; f; f = f->next) {
        if (!is_el(f, "field")) continue;
        char *t = attr(f, "type");
        if (nf < 256) text[nf++] = !t || !strcmp(t, "text");
        xmlFree(t);
    }
    for (xmlNodePtr r = ds->children; r; r = r->next) {
        if (!is_el(r, "record")) continue;
        int k = 0;
        for (xmlNodePtr v = r->children; v; v = v->next) {
            if (!is_el(v, "value")) continue;
            if (k < nf && !text[k]) mark_value(in, v);
            k++;
        }
    }
}

/* The <info> of the new period: id, dates, label, and the title words. */
static void move_info(init *in, xmlNodePtr info)
{
    xmlNodePtr period = child(info, "period");
    char d[16];
    set_attr(in, period, "id", in->new_id);
    snprintf(d, sizeof d, "%04d-%02d-%02d", in->nf.year, in->nf.month, in->nf.day);
    set_attr(in, period, "from", d);
    snprintf(d, sizeof d, "%04d-%02d-%02d", in->nt.year, in->nt.month, in->nt.day);
    set_attr(in, period, "to", d);
    set_content(in, period, in->new_label);
    static const char *const named[] = { "title", "subtitle", "subject", "keywords" };
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        for (xmlNodePtr c = info->children; c; c = c->next)
            if (is_el(c, named[i])) rename_period_in(in, c);
    xmlNodePtr date = child(info, "date");
    if (date) {
        char old[40], what[200];
        value_text(date, old, sizeof old);
        rg_date od, nd;
        if (rg_parse_date(old, strlen(old), &od) == 0) {
            nd = add_months(od, in->months);
            snprintf(d, sizeof d, "%04d-%02d-%02d", nd.year, nd.month, nd.day);
            set_content(in, date, d);
            snprintf(what, sizeof what, "the publication date, moved on from %s by %d "
                     "months: check it, then remove this mark", old, in->months);
            const span *sp = span_of(in, date);
            if (sp && !sp->empty) {
                char t[300], text[400];
                mark_text(what, t, sizeof t);
                snprintf(text, sizeof text, "<?" MARK " %s?>", t);
                add_edit(&in->ed, sp->etag, 0, text);
                in->marks++;
            }
        }
    }
}

static void mark_alts(init *in)
{
    for (size_t i = 0; i < in->nnodes; i++) {
        xmlNodePtr n = in->nodes[i];
        if (!is_el(n, "alt") || !n->parent || !is_el(n->parent, "chart")) continue;
        char what[200];
        snprintf(what, sizeof what, "describe the %s figures, then remove this mark",
                 in->new_id);
        mark_start(in, n, what);
    }
}

/* Creates path with the bytes given, never replacing a file: written to a
 * temporary file beside it, then linked to its name. RG_OK, or
 * RG_EX_CANTCREAT after an error. */
static rg_status create_file(rg_ctx *ctx, const char *path, const char *bytes, size_t len)
{
    char tmp[PATH_MAX + 32];
    const char *slash = strrchr(path, '/');
    if (slash) snprintf(tmp, sizeof tmp, "%.*s/.reportgen-init-XXXXXX", (int)(slash - path), path);
    else snprintf(tmp, sizeof tmp, ".reportgen-init-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        return RG_EX_CANTCREAT;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) { /* keeps mkstemp's 0600 */ }
    int err = 0;
    if (rg_write_all(fd, bytes, len) != 0 || fsync(fd) != 0) err = errno;
    if (close(fd) != 0 && !err) err = errno;
    if (!err && link(tmp, path) != 0) err = errno;
    unlink(tmp);
    if (err == EEXIST) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "exists already: init never replaces a file");
        return RG_EX_CANTCREAT;
    }
    if (err) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
        return RG_EX_CANTCREAT;
    }
    return RG_OK;
}

/* Where the new text still names the old period (its prose, captions,
 * ids): a warning per line, so the author knows where to look. */
static void tell_old_names(init *in, const char *d, size_t len)
{
    scan sc;
    if (scan_xml(d, len, &sc) < 0) return;
    int told = 0, last = 0, more = 0, line = 1;
    const char *olds[2] = { in->old_label, in->old_id }, *counted = d;
    for (size_t t = 0; t < sc.ntext; t++)
        for (int k = 0; k < 2; k++) {
            const char *a = d + sc.text[t].a, *b = d + sc.text[t].b;
            const char *hit = strlen(olds[k]) ? find(a, b, olds[k]) : NULL;
            if (!hit) continue;
            for (const char *p = counted; p < a; p++) line += *p == '\n';   /* runs come in order */
            if (a > counted) counted = a;
            int at = line;
            for (const char *p = a; p < hit; p++) at += *p == '\n';
            if (at == last) continue;
            last = at;
            if (told++ < 12)
                rg_diag(in->ctx, RG_SEV_WARNING, in->out, at, 0,
                        "the text still names the previous period ('%s')", olds[k]);
            else
                more++;
        }
    if (more)
        rg_diag(in->ctx, RG_SEV_WARNING, in->out, 0, 0,
                "%d more lines name the previous period", more);
    free(sc.el);
    free(sc.text);
}

/* The name NEW gets by default: PREVIOUS's with the period id moved on. */
static int default_output(const char *from, const char *old_id, const char *new_id, char *out,
                          size_t cap)
{
    const char *base = strrchr(from, '/');
    base = base ? base + 1 : from;
    const char *hit = strstr(base, old_id);
    if (!hit) return -1;
    snprintf(out, cap, "%.*s%s%s", (int)(hit - from), from, new_id, hit + strlen(old_id));
    return 0;
}

static rg_status make_next(init *in, const char *period, const char *output, char *outbuf,
                           size_t outcap)
{
    rg_ctx *ctx = in->ctx;
    xmlNodePtr root = xmlDocGetRootElement(in->x), info = child(root, "info");
    xmlNodePtr per = child(info, "period");
    char *old_id = attr(per, "id"), *f = attr(per, "from"), *t = attr(per, "to");
    rg_status st = RG_EX_DATAERR;
    int line = rg_xml_line(per);
    snprintf(in->old_id, sizeof in->old_id, "%s", old_id ? old_id : "");
    value_text(per, in->old_label, sizeof in->old_label);
    period_id op, np;
    if (!old_id || !f || !t || rg_parse_date(f, strlen(f), &in->of) < 0 ||
        rg_parse_date(t, strlen(t), &in->ot) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, in->from, line, 1, "<period> needs id, from and to");
        goto done;
    }
    if (parse_period_id(old_id, &op) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, in->from, line, 1, "the period id '%s' is not of the form "
                "YEAR-LETTERS NUMBER (2023-T1) or YEAR: init cannot tell the next one", old_id);
        goto done;
    }
    if (in->of.day != 1 || in->ot.day != days_in_month(in->ot.year, in->ot.month)) {
        rg_diag(ctx, RG_SEV_ERROR, in->from, line, 1, "the period %s to %s is not a run of "
                "whole months: init cannot tell the next one's dates", f, t);
        goto done;
    }
    int length = (in->ot.year * 12 + in->ot.month) - (in->of.year * 12 + in->of.month) + 1;
    if (length < 1 || 12 % length != 0) {
        rg_diag(ctx, RG_SEV_ERROR, in->from, line, 1, "the period %s to %s is %d months long, "
                "which does not divide a year: init cannot number the periods", f, t, length);
        goto done;
    }
    int per_year = 12 / length;
    if (op.width == 0 && per_year != 1) {
        rg_diag(ctx, RG_SEV_ERROR, in->from, line, 1, "the period id '%s' is a year, but the "
                "period %s to %s is shorter: init cannot number the periods", old_id, f, t);
        goto done;
    }
    if (period) {
        if (parse_period_id(period, &np) < 0 || strcmp(np.prefix, op.prefix) != 0 ||
            (np.width == 0) != (op.width == 0)) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--period %s is not of the form of %s "
                    "(%s: YEAR%s%s)", period, old_id, in->from, op.prefix,
                    op.width ? "NUMBER" : "");
            st = RG_EX_USAGE;
            goto done;
        }
        if (np.n > per_year) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--period %s: a year has %d periods of %d "
                    "months (%s: %s to %s)", period, per_year, length, old_id, f, t);
            st = RG_EX_USAGE;
            goto done;
        }
        if (np.year == op.year && np.n == op.n) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--period %s is %s's own period", period,
                    in->from);
            st = RG_EX_USAGE;
            goto done;
        }
        snprintf(in->new_id, sizeof in->new_id, "%s", period);
    } else {
        np = op;
        if (++np.n > per_year) {
            np.n = 1;
            np.year++;
        }
        if (op.width == 0) snprintf(in->new_id, sizeof in->new_id, "%04d", np.year);
        else snprintf(in->new_id, sizeof in->new_id, "%04d%s%0*d", np.year, np.prefix, op.width,
                      np.n);
    }
    in->months = ((np.year - op.year) * per_year + (np.n - op.n)) * length;
    in->nf = add_months(in->of, in->months);
    in->nt = add_months(in->nf, length - 1);
    in->nt.day = days_in_month(in->nt.year, in->nt.month);
    const char *letters = op.prefix;
    while (*letters && !is_letter((unsigned char)*letters)) letters++;
    move_label(in->old_label, in->old_id, in->new_id, in->of, in->ot, in->nf, in->nt, letters,
               op.n, np.n, in->new_label, sizeof in->new_label);
    if (!strcmp(in->old_label, in->new_label))
        rg_diag(ctx, RG_SEV_WARNING, in->from, line, 1, "the period's label '%s' names no month, "
                "year or period number: the new period has it too (change it)", in->old_label);

    /* NEW: as given, or PREVIOUS's name moved on; never an existing file */
    if (!output) {
        if (default_output(in->from, in->old_id, in->new_id, outbuf, outcap) < 0) {
            rg_diag(ctx, RG_SEV_ERROR, in->from, 0, 0, "its name does not hold its period id "
                    "%s: give the new definition's name with -o", in->old_id);
            st = RG_EX_USAGE;
            goto done;
        }
        output = outbuf;
    } else {
        snprintf(outbuf, outcap, "%s", output);
    }
    in->out = outbuf;
    struct stat sst;
    if (lstat(in->out, &sst) == 0) {
        rg_diag(ctx, RG_SEV_ERROR, in->out, 0, 0, "exists already: init never replaces a file "
                "(name another with -o)");
        st = RG_EX_CANTCREAT;
        goto done;
    }
    char parent[PATH_MAX];
    const char *slash = strrchr(in->out, '/');
    if (slash) snprintf(parent, sizeof parent, "%.*s", (int)(slash - in->out + (slash == in->out)), in->out);
    else snprintf(parent, sizeof parent, ".");
    if (!realpath(parent, in->out_dir)) {
        rg_diag(ctx, RG_SEV_ERROR, in->out, 0, 0, "cannot write: %s: %s", parent,
                strerror(errno));
        st = RG_EX_CANTCREAT;
        goto done;
    }
    if (!same_folder(in->dir, in->out_dir))
        rg_diag(ctx, RG_SEV_WARNING, in->out, 0, 0, "not in %s's folder: its XIncludes and data "
                "files are looked for beside it", in->from);

    move_info(in, info);
    for (xmlNodePtr ds = child(child(root, "data"), "dataset"); ds; ds = ds->next) {
        if (!is_el(ds, "dataset")) continue;
        char *src = attr(ds, "src");
        if (src) move_dataset_src(in, ds);
        else mark_records(in, ds);
        xmlFree(src);
    }
    mark_alts(in);

    size_t nlen = 0;
    char *next = apply_edits(in->data, in->len, &in->ed, &nlen);
    if (!next) {
        rg_diag(ctx, RG_SEV_ERROR, in->from, 0, 0, "internal error: overlapping edits");
        st = RG_EX_SOFTWARE;
        goto done;
    }
    /* what was written must parse: a bug here must not leave a broken file */
    xmlDocPtr check = xmlReadMemory(next, (int)nlen, in->out, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!check) {
        rg_diag(ctx, RG_SEV_ERROR, in->out, 0, 0, "internal error: the new definition would "
                "not be well-formed; nothing written");
        free(next);
        st = RG_EX_SOFTWARE;
        goto done;
    }
    xmlFreeDoc(check);
    st = RG_OK;
    for (size_t i = 0; i < in->ncsv && st == RG_OK; i++) {
        st = create_file(ctx, in->csv[i].path, in->csv[i].head, in->csv[i].len);
        if (st == RG_OK) tell(in, "%s: wrote its header row\n", in->csv[i].shown);
    }
    if (st == RG_OK) st = create_file(ctx, in->out, next, nlen);
    if (st == RG_OK) {
        tell(in, "%s: %s, %s (%04d-%02d-%02d to %04d-%02d-%02d), from %s\n", in->out,
                in->new_id, in->new_label, in->nf.year, in->nf.month, in->nf.day, in->nt.year,
                in->nt.month, in->nt.day, in->from);
        if (in->list_marks) tell_marks(in, next, nlen);
        tell_old_names(in, next, nlen);
        tell(in, "%s: %d place%s to fill in, marked <?" MARK " ...?>: "
                "'reportgen validate %s' lists those left\n", in->out, in->marks,
                in->marks == 1 ? "" : "s", in->out);
    }
    free(next);
done:
    xmlFree(old_id);
    xmlFree(f);
    xmlFree(t);
    return st;
}

rg_status rg_load_init(rg_ctx *ctx, const char *schema_path, const rg_init_opts *o,
                       char *written, size_t cap)
{
    const char *from = o->from;
    init in;
    char *data = NULL;
    size_t len = 0;
    rg_doc *doc = NULL;
    memset(&in, 0, sizeof in);
    in.ctx = ctx;
    in.from = from;
    in.report = o->report;
    in.list_marks = o->list_marks;
    if (written && cap) written[0] = 0;
    char outbuf[PATH_MAX];
    rg_status st = rg_xml_read_file(ctx, from, &data, &len, in.dir);
    if (st != RG_OK) return st;
    /* from a valid definition only: what it reads must be there */
    st = rg_load_definition_mem(ctx, from, data, len, in.dir, schema_path, &doc);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, from, 0, 0, "not a valid definition: init starts from a "
                "valid one (the messages above say what is wrong)");
        goto done;
    }
    st = RG_EX_DATAERR;
    if ((len >= 2 && ((unsigned char)data[0] == 0xFE || (unsigned char)data[0] == 0xFF)) ||
        (len >= 2 && (!data[0] || !data[1]))) {
        rg_diag(ctx, RG_SEV_ERROR, from, 0, 0, "UTF-16: init edits UTF-8 definitions only "
                "(convert it first, e.g. with iconv)");
        goto done;
    }
    in.data = data;
    in.len = len;
    in.x = xmlReadMemory(data, (int)len, from, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (in.x) collect(&in, xmlDocGetRootElement(in.x));
    if (!in.x || scan_xml(data, len, &in.sc) < 0 || in.sc.nel != in.nnodes) {
        rg_diag(ctx, RG_SEV_ERROR, from, 0, 0, "internal error: cannot tell where its elements "
                "are written");
        st = RG_EX_SOFTWARE;
        goto done;
    }
    st = make_next(&in, o->period, o->output, outbuf, sizeof outbuf);
    if (st == RG_OK && written) snprintf(written, cap, "%s", outbuf);
done:
    rg_doc_free(doc);
    if (in.x) xmlFreeDoc(in.x);
    free(in.nodes);
    free(in.sc.el);
    free(in.sc.text);
    free_edits(&in.ed);
    for (size_t i = 0; i < in.ncsv; i++) {
        free(in.csv[i].head);
        free(in.csv[i].path);
        free(in.csv[i].shown);
    }
    free(in.csv);
    free(data);
    return st;
}

/* ---- the marks, when a definition is loaded ---- */

/* Finds the columns of marks in the definition's bytes, visited in
 * document order: linear however many marks a line holds. */
typedef struct columns {
    const char *data, *end;
    int line;                      /* the line line_start begins */
    const char *line_start, *eol;  /* eol NULL: not looked for yet */
    const char *hit;               /* the last mark found on that line, or NULL */
    int col;                       /* its column */
} columns;

/* The column (in characters) of the next mark on line `line`, or 1 when
 * it cannot be told (a mark of an XIncluded part, whose lines are its own). */
static int mark_column(columns *c, int line)
{
    if (line < c->line) {                        /* back: a part's mark came between */
        c->line = 1;
        c->line_start = c->data;
        c->hit = c->eol = NULL;
    }
    while (c->line < line) {
        const char *nl = memchr(c->line_start, '\n', (size_t)(c->end - c->line_start));
        if (!nl) return 1;
        c->line_start = nl + 1;
        c->line++;
        c->hit = c->eol = NULL;
    }
    if (!c->eol) {
        c->eol = memchr(c->line_start, '\n', (size_t)(c->end - c->line_start));
        if (!c->eol) c->eol = c->end;
    }
    const char *from = c->hit ? c->hit + 1 : c->line_start;
    const char *hit = find(from, c->eol, "<?" MARK);
    if (!hit) return 1;
    int col = c->hit ? c->col : 1;
    for (const char *p = c->hit ? c->hit : c->line_start; p < hit; p++)
        col += ((unsigned char)*p & 0xC0) != 0x80;
    c->hit = hit;
    c->col = col;
    return col;
}

/* Whether element n holds text other than white space. */
static int has_text(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    int any = 0;
    for (const xmlChar *p = v; p && *p && !any; p++) any = !strchr(" \t\r\n", *p);
    xmlFree(v);
    return any;
}

static const rg_dataset *dataset_of(const rg_doc *doc, const char *id)
{
    for (size_t i = 0; doc && id && i < doc->ndatasets; i++)
        if (!strcmp(doc->datasets[i].id, id)) return &doc->datasets[i];
    return NULL;
}

/* Whether mark m's place is still to be filled in (without the message). */
static int mark_open(const rg_doc *doc, xmlNodePtr m)
{
    xmlNodePtr p = m->parent;
    if (is_el(p, "value")) return !has_text(p);
    if (is_el(p, "dataset")) {
        char *id = attr(p, "id");
        const rg_dataset *d = dataset_of(doc, id);
        xmlFree(id);
        return !d || d->nrecords == 0;
    }
    return 1;
}

/* The message for an open mark m, or "" when its place is filled in. */
static void mark_message(const rg_doc *doc, xmlNodePtr m, char *out, size_t cap)
{
    xmlNodePtr p = m->parent;
    const char *said = m->content ? (const char *)m->content : "";
    while (*said == ' ') said++;
    out[0] = 0;
    if (is_el(p, "value")) {
        if (has_text(p)) return;
        xmlNodePtr rec = p->parent, ds = rec ? rec->parent : NULL;
        int k = 0;
        for (xmlNodePtr v = rec ? rec->children : NULL; v && v != p; v = v->next)
            k += is_el(v, "value");
        char *id = ds ? attr(ds, "id") : NULL, *field = NULL;
        int f = 0;
        for (xmlNodePtr c = ds ? ds->children : NULL; c; c = c->next)
            if (is_el(c, "field") && f++ == k) field = attr(c, "name");
        char *first = NULL;
        for (xmlNodePtr v = rec ? rec->children : NULL; v && !first; v = v->next)
            if (is_el(v, "value") && v != p && has_text(v))
                first = (char *)xmlNodeGetContent(v);
        snprintf(out, cap, "'%s' of %s%s%s in dataset '%s' (%s)", field ? field : "?",
                 first ? "'" : "this record", first ? first : "", first ? "'" : "",
                 id ? id : "?", said);
        xmlFree(id);
        xmlFree(field);
        xmlFree(first);
    } else if (is_el(p, "dataset")) {
        char *id = attr(p, "id");
        const rg_dataset *d = dataset_of(doc, id);
        if (!d || d->nrecords == 0)
            snprintf(out, cap, "dataset '%s': %s", id ? id : "?", said);
        xmlFree(id);
    } else {
        const char *name = p && p->name ? (const char *)p->name : "?";
        char *id = NULL;
        for (xmlNodePtr a = p; a && a->type == XML_ELEMENT_NODE && !id; a = a->parent)
            id = attr(a, "id");
        snprintf(out, cap, "<%s>%s%s%s: %s", name, id ? " of '" : "", id ? id : "",
                 id ? "'" : "", said);
        xmlFree(id);
    }
}

int rg_marks_check(rg_ctx *ctx, const char *file, const char *data, size_t len, xmlDocPtr x,
                   const rg_doc *doc)
{
    xmlNodePtr root = xmlDocGetRootElement(x);
    columns cols = { data, data + len, 1, data, NULL, NULL, 1 };
    int open = 0;
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_PI_NODE && !strcmp((const char *)n->name, MARK)) {
            char msg[900];
            int line = rg_xml_line(n), col = mark_column(&cols, line);
            if (open < RG_MAX_MARKS_LISTED) {
                mark_message(doc, n, msg, sizeof msg);
                if (msg[0]) rg_diag(ctx, RG_SEV_ERROR, file, line, col, "to be filled in: %s", msg);
            } else {
                msg[0] = mark_open(doc, n);
            }
            open += msg[0] != 0;
        }
        /* document order, iteratively */
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != root && !n->next) n = n->parent;
        n = n == root ? NULL : n->next;
    }
    if (open > RG_MAX_MARKS_LISTED)
        rg_diag(ctx, RG_SEV_ERROR, file, 0, 0, "and %d more", open - RG_MAX_MARKS_LISTED);
    if (open)
        rg_diag(ctx, RG_SEV_ERROR, file, 0, 0, "%d place%s left to fill in (marked <?" MARK
                " ...?>)", open, open == 1 ? "" : "s");
    return open;
}
