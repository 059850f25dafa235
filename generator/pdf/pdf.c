/* pdf/pdf.c - the PDF writer's entry point. Stage: pdf (see pdf.h). Owns the
 * libharu document for one rg_pdf_write call, its sticky error, and the
 * document-level parts: pages, named destinations, link annotations, the
 * outline, page labels, metadata and the trailer /ID. Page content is
 * pdf/page.c's, fonts are pdf/font.c's, the objects of links and of the
 * outline's entries pdf/annot.c's and pdf/outline.c's.
 *
 * The display list is walked three times: (1) collect glyphs per font and
 * the destinations, (2) build the fonts, (3) per page write the content,
 * then the links. Everything is in memory until HPDF_SaveToFile (or, for
 * rg_pdf_write_mem and rg_pdf_write_fd, HPDF_SaveToStream: pdf/save.c). */
#include "internal.h"

#include <hpdf_catalog.h>
#include <hpdf_objects.h>
#include <hpdf_page_label.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

/* ---- sticky error, hash ---- */

void rg_pdf_fail(rg_pdf_writer *w, rg_status status, const char *fmt, ...)
{
    if (w->status) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->status = status;
    rg_diag(w->ctx, RG_SEV_ERROR, w->name, 0, 0, "%s", msg);
}

/* libharu calls this on every failure; it never longjmps. libharu's own
 * error state is sticky too, so later calls become no-ops. */
static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS no, HPDF_STATUS detail, void *data)
{
    rg_pdf_writer *w = data;
    if (no == HPDF_FILE_OPEN_ERROR || no == HPDF_FILE_IO_ERROR)
        rg_pdf_fail(w, RG_EX_CANTCREAT, "cannot write the PDF file (libharu error 0x%04X, %s)",
                    (unsigned)no, detail ? strerror((int)detail) : "i/o error");
    else
        rg_pdf_fail(w, RG_EX_SOFTWARE, "PDF library failure (libharu error 0x%04X, detail %u)",
                    (unsigned)no, (unsigned)detail);
}

/* Reads 8 bytes at s as a little-endian number, so the /ID is the same on
 * every host (compilers make this one load on little-endian ones). */
static uint64_t le64(const unsigned char *s)
{
    return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24 |
           (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 |
           (uint64_t)s[7] << 56;
}

/* Two lanes give the 16 bytes of the /ID. Each folds 8 bytes per step the
 * FNV way (xor, then multiply by an odd constant) and then shifts high bits
 * down, because a multiply only carries low bits up: without the shift a
 * change in a word's top byte would reach the top byte of the lane only.
 * Every step is a bijection of the lane for a given word, so two inputs
 * that differ in one word (or byte) always give different lanes. A tail
 * shorter than 8 bytes is folded byte by byte. Page content (2.1 MB in
 * the 98-page benchmark, hashed a page at a time by pdf/page.c) made a
 * multiply per byte per lane 2 % of the build's instructions. */
void rg_pdf_hash(rg_pdf_writer *w, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t a = w->hash[0], b = w->hash[1];
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t x = le64(s);
        a = (a ^ x) * 0x100000001b3u;
        a ^= a >> 29;
        b = (b ^ x ^ 0x5a5a5a5a5a5a5a5au) * 0x9e3779b97f4a7c15u;
        b ^= b >> 31;
    }
    for (; n > 0; s++, n--) {
        a = (a ^ *s) * 0x100000001b3u;
        b = (b ^ *s ^ 0x5a) * 0x100000001b3u;
    }
    w->hash[0] = a;
    w->hash[1] = b;
}

static void hash_str(rg_pdf_writer *w, const char *s)
{
    if (s) rg_pdf_hash(w, s, strlen(s) + 1);
    else rg_pdf_hash(w, "", 1);
}

/* ---- buffer, numbers, UTF-16 ---- */

void rg_pdf_buf_reserve(rg_pdf_buf *b, size_t n)
{
    rg_grow(&b->p, &b->cap, b->len + n + 1, 1);
}

void rg_pdf_buf_int(rg_pdf_buf *b, long long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    rg_pdf_buf_put(b, p, (size_t)(e - p));
}

void rg_pdf_buf_free(rg_pdf_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* Fixed point with 3 decimals: the value is rounded to thousandths as an
 * integer, so no printf and no "-0" (a negative that rounds to 0 is 0). */
int rg_pdf_number_ok(double v)
{
    return isfinite(v) && fabs(v) <= RG_PDF_MAX_NUMBER;
}

double rg_pdf_buf_num(rg_pdf_writer *w, rg_pdf_buf *b, double v, const char *what)
{
    if (!rg_pdf_number_ok(v)) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "%s is %g: not a writable number", what, v);
        rg_pdf_buf_put(b, "0", 1);
        return 0;
    }
    return rg_pdf_buf_fixed(b, v);
}

double rg_pdf_buf_fixed(rg_pdf_buf *b, double v)
{
    long long m = llround(v * 1000.0);
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    unsigned long long u = m < 0 ? (unsigned long long)-m : (unsigned long long)m;
    unsigned frac = (unsigned)(u % 1000);
    unsigned long long ip = u / 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (m < 0) *--p = '-';
    rg_pdf_buf_put(b, p, (size_t)(e - p));
    return (double)m / 1000.0;
}

/* Decodes one UTF-8 sequence at s (n bytes left); malformed input gives
 * U+FFFD and consumes one byte. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4 : 0;
    *used = 1;
    if (len == 1) return c;
    if (len == 0 || len > n) return 0xFFFD;
    uint32_t cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0xFFFD;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    *used = len;
    return cp;
}

void rg_pdf_utf16(const char *s, size_t n, size_t max, uint16_t **out, size_t *len,
                  size_t *cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, added = 0;
    while (i < n) {
        size_t used;
        uint32_t cp = utf8_next(p + i, n - i, &used);
        size_t units = cp >= 0x10000 ? 2 : 1;
        if (added + units > max) break;
        rg_grow(out, cap, *len + units, sizeof **out);
        if (units == 2) {
            cp -= 0x10000;
            (*out)[(*len)++] = (uint16_t)(0xD800 + (cp >> 10));
            (*out)[(*len)++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            (*out)[(*len)++] = (uint16_t)cp;
        }
        added += units;
        i += used;
    }
}

/* A PDF text string: printable ASCII as is (libharu escapes it), anything
 * else as UTF-16BE with a byte-order mark. */
void *rg_pdf_text_string(rg_pdf_writer *w, const char *s)
{
    int ascii = 1;
    for (const char *c = s; *c; c++)
        if (*c < ' ' || *c > '~') ascii = 0;
    if (ascii) return HPDF_String_New(w->pdf->mmgr, s, NULL);
    uint16_t *u = NULL;
    size_t n = 0, cap = 0;
    rg_pdf_utf16(s, strlen(s), (size_t)-1, &u, &n, &cap);
    unsigned char *bytes = rg_xmalloc(2 * n + 2);
    bytes[0] = 0xFE;
    bytes[1] = 0xFF;
    for (size_t i = 0; i < n; i++) {
        bytes[2 + 2 * i] = (unsigned char)(u[i] >> 8);
        bytes[3 + 2 * i] = (unsigned char)u[i];
    }
    void *obj = HPDF_Binary_New(w->pdf->mmgr, bytes, (HPDF_UINT)(2 * n + 2));
    free(bytes);
    free(u);
    return obj;
}

/* ---- destinations ---- */

typedef struct dest {
    const char *name;
    size_t page;
    double y;
} dest;

typedef struct doc {
    rg_pdf_writer *w;
    const rg_dl *dl;
    HPDF_Page *pages;
    dest *dests;
    size_t ndests, dests_cap;
    rg_pdf_fonts *fonts;
    int tagged;                    /* opts->tagged, for the PDF/UA claim */
    rg_pdf_struct *st;             /* tagged: the structure tree (pdf/struct.c) */
    HPDF_Annotation annot;         /* the annotation link() made last */
    void (*page_done)(void *arg, size_t page);   /* opts->page_done (issue 22) */
    void *page_done_arg;
} doc;

static int dest_cmp(const void *a, const void *b)
{
    const dest *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->page < y->page ? -1 : x->page > y->page;
}

static const dest *dest_find(const doc *d, const char *name)
{
    dest key = {name, 0, 0};
    size_t lo = 0, hi = d->ndests;
    while (lo < hi) {              /* first entry with this name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(d->dests[mid].name, key.name) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < d->ndests && !strcmp(d->dests[lo].name, name) ? &d->dests[lo] : NULL;
}

/* page with all its items, a spilled one read back from the display
 * list's scratch file (issue 22); NULL after a diagnostic when that read
 * failed. */
static const rg_dl_page *page_get(doc *d, size_t page)
{
    const rg_dl_page *dp = rg_dl_page_get(d->dl, page);
    if (!dp)
        rg_pdf_fail(d->w, RG_EX_CANTCREAT, "cannot read page %zu back from the temporary file: %s",
                    page + 1, strerror(rg_dl_spill_status(d->dl, NULL)));
    return dp;
}

/* Pass 1: glyph usage per font and every destination. */
static void collect(doc *d)
{
    for (size_t p = 0; p < d->dl->npages && !d->w->status; p++) {
        const rg_dl_page *dp = page_get(d, p);     /* a spilled page read back (issue 22) */
        if (!dp) return;
        for (size_t i = 0; i < dp->nitems; i++) {
            const rg_dl_item *it = &dp->items[i];
            if (it->kind == RG_DL_GLYPHS) {
                rg_pdf_fonts_collect(d->fonts, &it->u.glyphs);
            } else if (it->kind == RG_DL_DEST && it->u.dest.name) {
                rg_grow(&d->dests, &d->dests_cap, d->ndests + 1, sizeof *d->dests);
                d->dests[d->ndests++] = (dest){it->u.dest.name, p, it->u.dest.y};
            }
        }
        rg_dl_page_unload(d->dl, p);
    }
    if (d->ndests) qsort(d->dests, d->ndests, sizeof *d->dests, dest_cmp);
}

/* The top of an /XYZ destination on page: *top within the page; -1 after
 * the sticky error for a top that is not a number. Links and outline
 * entries jump with /XYZ 0 top null: to the place, keeping the reader's
 * zoom (libharu's SetXYZ rejects a null zoom; rg_pdf_put_dest writes the
 * array). It is a direct object, not libharu's indirect one: PDFBox
 * preflight (PDF/A) rejects an outline /Dest that is a reference. */
static int xyz_top(doc *d, size_t page, double *top)
{
    HPDF_Page pg = d->pages[page];
    if (!isfinite(*top)) {
        rg_pdf_fail(d->w, RG_EX_SOFTWARE, "destination top is %g on page %zu", *top, page + 1);
        return -1;
    }
    *top = *top < 0 ? 0 : *top > HPDF_Page_GetHeight(pg) ? HPDF_Page_GetHeight(pg) : *top;
    return 0;
}

/* ---- links ---- */

/* URIs are 7-bit: other bytes and spaces are percent-encoded. */
static char *uri_ascii(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = rg_xmalloc(3 * strlen(s) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p > ' ' && *p < 0x7F) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = 0;
    return out;
}

static void link(doc *d, size_t page, const rg_dl_link *l)
{
    rg_pdf_writer *w = d->w;
    double v[4] = {l->x, l->y, l->w, l->h};
    for (int i = 0; i < 4; i++)
        if (!isfinite(v[i]) || fabs(v[i]) > RG_PDF_MAX_NUMBER) {
            rg_pdf_fail(w, RG_EX_SOFTWARE, "link area out of range on page %zu", page + 1);
            return;
        }
    HPDF_Rect r = {(HPDF_REAL)l->x, (HPDF_REAL)l->y, (HPDF_REAL)(l->x + l->w),
                   (HPDF_REAL)(l->y + l->h)};
    /* one dict written by pdf/annot.c, as libharu's link annotation with
     * a border of 0 and /F 4 (Print: PDF/A wants it, harmless elsewhere) */
    HPDF_Annotation a = NULL;
    if (l->uri) {
        char *uri = uri_ascii(l->uri);
        hash_str(w, uri);
        a = rg_pdf_link_new(w, d->pages[page], r, NULL, 0, uri);
    } else if (l->dest) {
        const dest *t = dest_find(d, l->dest);
        if (!t) {
            rg_pdf_fail(w, RG_EX_SOFTWARE, "link on page %zu to unknown destination '%s'",
                        page + 1, l->dest);
            return;
        }
        double top = t->y;
        if (xyz_top(d, t->page, &top) == 0)
            a = rg_pdf_link_new(w, d->pages[page], r, d->pages[t->page], top, NULL);
        hash_str(w, l->dest);
    } else {
        return;                    /* no target: nothing to click */
    }
    if (!a) return;                /* reported */
    d->annot = a;
    if (l->contents && *l->contents) rg_pdf_link_set_contents(w, a, l->contents);
    hash_str(w, l->contents);
    rg_pdf_hash(w, v, sizeof v);
}

static void page_links(doc *d, size_t page)
{
    const rg_dl_page *dp = &d->dl->pages[page];
    for (size_t i = 0; i < dp->nitems && !d->w->status; i++)
        if (dp->items[i].kind == RG_DL_LINK) {
            d->annot = NULL;
            link(d, page, &dp->items[i].u.link);
            if (d->st && d->annot) rg_pdf_struct_annot(d->st, page, i, d->annot);
        }
}

/* ---- pages ---- */

/* libharu's page size limits (HPDF_Page_SetWidth). */
#define MIN_PAGE 3.0
#define MAX_PAGE 14400.0

static int pages_new(doc *d)
{
    const rg_dl *dl = d->dl;
    d->pages = rg_xcalloc(dl->npages, sizeof *d->pages);
    for (size_t p = 0; p < dl->npages; p++) {
        double pw = dl->pages[p].width, ph = dl->pages[p].height;
        if (!(pw >= MIN_PAGE && pw <= MAX_PAGE && ph >= MIN_PAGE && ph <= MAX_PAGE)) {
            rg_pdf_fail(d->w, RG_EX_SOFTWARE, "page %zu size %gx%g outside %g..%g pt", p + 1,
                        pw, ph, MIN_PAGE, MAX_PAGE);
            return -1;
        }
        rg_pdf_xref_grow_geometric(d->w);          /* pdf/growth.c */
        d->pages[p] = HPDF_AddPage(d->w->pdf);
        if (!d->pages[p]) return -1;
        rg_pdf_resources_take(d->w, d->pages[p]);  /* pdf/resources.c (issue 22) */
        HPDF_Page_SetWidth(d->pages[p], (HPDF_REAL)pw);
        HPDF_Page_SetHeight(d->pages[p], (HPDF_REAL)ph);
        rg_pdf_hash(d->w, &pw, sizeof pw);
        rg_pdf_hash(d->w, &ph, sizeof ph);
    }
    return d->w->status ? -1 : 0;
}

/* ---- outline ---- */

/* Deepest heading level nested; deeper entries hang under the last one
 * at this depth. */
enum { MAX_OUTLINE_DEPTH = 16 };

/* The entries are pdf/outline.c's lean dicts (issue 22), as libharu's
 * HPDF_CreateOutline with the UTF-8 encoder made them; the titles are the
 * display list's (it outlives the save). */
static void outline(doc *d)
{
    const rg_dl *dl = d->dl;
    HPDF_Dict parents[MAX_OUTLINE_DEPTH + 1] = {0};   /* parents[l]: last entry at level l */
    int depth = 0;
    for (size_t i = 0; i < dl->noutline && !d->w->status; i++) {
        const rg_dl_outline *o = &dl->outline[i];
        if (o->page < 0 || (size_t)o->page >= dl->npages || !o->title) {
            rg_pdf_fail(d->w, RG_EX_SOFTWARE, "outline entry '%s' points to page %d of %zu",
                        o->title ? o->title : "", o->page + 1, dl->npages);
            return;
        }
        int level = o->level < 1 ? 1 : o->level > MAX_OUTLINE_DEPTH ? MAX_OUTLINE_DEPTH
                  : o->level;
        if (level > depth + 1) level = depth + 1;       /* skipped levels */
        double top = o->y;
        if (xyz_top(d, (size_t)o->page, &top) != 0) return;
        rg_pdf_xref_grow_geometric(d->w);          /* pdf/growth.c */
        /* top-level entries open: the reader sees the chapters' sections */
        HPDF_Dict item = rg_pdf_outline_add(d->w, parents[level - 1], o->title,
                                            d->pages[o->page], (HPDF_REAL)top, level == 1);
        if (!item) return;
        parents[level] = item;
        depth = level;
        hash_str(d->w, o->title);
        rg_pdf_hash(d->w, &o->y, sizeof o->y);
    }
}

/* ---- page labels ---- */

static int label_cmp(const void *a, const void *b)
{
    const rg_dl_label *x = a, *y = b;
    return (x->first_page > y->first_page) - (x->first_page < y->first_page);
}

static void label_add(doc *d, const rg_dl_label *l)
{
    HPDF_Doc pdf = d->w->pdf;
    HPDF_PageNumStyle style = l->style == RG_LABEL_ROMAN_LOWER ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                                               : HPDF_PAGE_NUM_STYLE_DECIMAL;
    HPDF_Dict label = HPDF_PageLabel_New(pdf, style, l->start > 0 ? l->start : 1, NULL);
    if (!label) return;
    if (l->style == RG_LABEL_NONE) HPDF_Dict_RemoveElement(label, "S");
    if (l->prefix && *l->prefix) HPDF_Dict_Add(label, "P", rg_pdf_text_string(d->w, l->prefix));
    HPDF_Catalog_AddPageLabel(pdf->catalog, (HPDF_UINT)l->first_page, label);
    int fields[3] = {l->first_page, (int)l->style, l->start};
    rg_pdf_hash(d->w, fields, sizeof fields);
    hash_str(d->w, l->prefix);
}

/* Page labels must be in page order and start at page 0. */
static void labels(doc *d)
{
    const rg_dl *dl = d->dl;
    if (dl->nlabels == 0) return;
    rg_dl_label *sorted = rg_xmalloc(dl->nlabels * sizeof *sorted);
    memcpy(sorted, dl->labels, dl->nlabels * sizeof *sorted);
    qsort(sorted, dl->nlabels, sizeof *sorted, label_cmp);
    if (sorted[0].first_page != 0) {
        rg_dl_label first = {0, RG_LABEL_DECIMAL, 1, NULL};
        label_add(d, &first);
    }
    for (size_t i = 0; i < dl->nlabels && !d->w->status; i++) {
        const rg_dl_label *l = &sorted[i];
        if (l->first_page < 0 || (size_t)l->first_page >= dl->npages) {
            rg_pdf_fail(d->w, RG_EX_SOFTWARE, "page label starts at page %d of %zu",
                        l->first_page + 1, dl->npages);
            break;
        }
        if (i + 1 < dl->nlabels && sorted[i + 1].first_page == l->first_page) continue;
        label_add(d, l);
    }
    free(sorted);
}

/* ---- metadata ---- */

static void info(doc *d, HPDF_InfoType type, const char *value)
{
    hash_str(d->w, value);
    if (value && *value) HPDF_SetInfoAttr(d->w->pdf, type, value);
}

static void metadata(doc *d)
{
    const rg_dl_meta *m = &d->dl->meta;
    HPDF_Doc pdf = d->w->pdf;
    info(d, HPDF_INFO_TITLE, m->title);
    info(d, HPDF_INFO_AUTHOR, m->author);
    info(d, HPDF_INFO_SUBJECT, m->subject);
    info(d, HPDF_INFO_KEYWORDS, m->keywords);
    info(d, HPDF_INFO_CREATOR, m->creator);
    info(d, HPDF_INFO_PRODUCER, m->producer);
    if (m->year) {
        /* '+' 00'00' rather than 'Z': libharu's PDF/A path fails on 'Z' */
        HPDF_Date date = {m->year, m->month, m->day, m->hour, m->minute, m->second,
                          '+', 0, 0};
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
        int fields[6] = {m->year, m->month, m->day, m->hour, m->minute, m->second};
        rg_pdf_hash(d->w, fields, sizeof fields);
    }
    if (m->lang && *m->lang) HPDF_Dict_Add(pdf->catalog, "Lang", rg_pdf_text_string(d->w, m->lang));
    hash_str(d->w, m->lang);

    HPDF_Dict prefs = HPDF_Dict_New(pdf->mmgr);
    if (prefs) {
        HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
        HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", prefs);
    }
    if (d->dl->noutline) HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

/* The /ID comes from the content, so equal input gives equal bytes
 * (libharu would otherwise leave it out, or derive it from the time). */
static void trailer_id(doc *d)
{
    HPDF_Doc pdf = d->w->pdf;
    HPDF_BYTE id[16];
    for (int i = 0; i < 8; i++) {
        id[i] = (HPDF_BYTE)(d->w->hash[0] >> (8 * i));
        id[8 + i] = (HPDF_BYTE)(d->w->hash[1] >> (8 * i));
    }
    HPDF_Array a = HPDF_Array_New(pdf->mmgr);
    if (!a) return;
    HPDF_Array_Add(a, HPDF_Binary_New(pdf->mmgr, id, sizeof id));
    HPDF_Array_Add(a, HPDF_Binary_New(pdf->mmgr, id, sizeof id));
    HPDF_Dict_Add(pdf->trailer, "ID", a);
}

/* ---- the entry point ---- */

static void write_doc(doc *d)
{
    rg_pdf_writer *w = d->w;
    w->pdf->pdf_version = HPDF_VER_14;      /* /Lang, DisplayDocTitle */
    /* The pdf stage deflates the streams it makes itself, at its own levels,
     * and hands libharu finished bytes (pdf/deflate.c); this covers any
     * stream libharu would make on its own (none at present). */
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(w->pdf);            /* the info dict's text (HPDF_SetInfoAttr) */
    HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
    if (w->status) return;

    collect(d);
    if (!w->status) rg_pdf_fonts_build(d->fonts);
    if (w->status || pages_new(d) < 0) return;
    if (d->tagged) d->st = rg_pdf_struct_new(w, d->dl);            /* pdf/struct.c */
    for (size_t p = 0; p < d->dl->npages && !w->status; p++) {
        rg_pdf_page_out out;
        rg_pdf_xref_grow_geometric(d->w);          /* pdf/growth.c */
        if (!page_get(d, p)) break;                /* read back when spilled (issue 22) */
        rg_pdf_page_render(d->fonts, d->dl, d->st != NULL, p, &out);
        rg_pdf_page_commit(w, d->st, p, d->pages[p], &out);
        page_links(d, p);
        if (d->page_done && !w->status) d->page_done(d->page_done_arg, p);   /* issue 22 */
        else rg_dl_page_unload(d->dl, p);
    }
    rg_pdf_deflate_settle(w);                 /* the pages' compressed content (pdf/deflate.c) */
    if (!w->status && d->st) rg_pdf_struct_build(d->st, d->pages);  /* pdf/struct.c */
    if (!w->status) outline(d);                    /* pdf/outline.c */
    if (!w->status) labels(d);
    if (!w->status) metadata(d);
    if (!w->status) rg_pdf_pdfa_write(w, &d->dl->meta, d->st != NULL);   /* pdf/pdfa.c */
    if (!w->status) trailer_id(d);
}

/* issue 22: a document long enough for layout to spill its pages
 * (rg_ctx.spill_after_pages) keeps its pages' content and the unpacked PDF
 * in scratch files too; a shorter one keeps them in memory, which is
 * faster and needs no room beside the output. */
static const char *scratch_dir_for(const rg_ctx *ctx, const rg_dl *dl)
{
    long after = ctx->spill_after_pages;
    return after >= 0 && dl->npages > (size_t)after ? ctx->scratch_dir : NULL;
}

/* All entry points: to the file at path, to descriptor fd (>= 0), or
 * (path NULL, fd -1) into *out. */
static rg_status write_any(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts,
                           const char *path, int fd, unsigned char **out, size_t *len)
{
    rg_pdf_writer w = {.ctx = ctx,
                       .scratch_dir = scratch_dir_for(ctx, dl),
                       .path = path,
                       .name = opts->name ? opts->name : path ? path : "(PDF in memory)",
                       .status = RG_OK,
                       .hash = {0xcbf29ce484222325u, 0x84222325cbf29ce4u},
                       .pdfa = opts->pdfa};   /* PDF/A: pdf/pdfa.c, CIDSet in pdf/font.c */
    doc d = {0};
    d.w = &w;
    d.dl = dl;
    d.tagged = opts->tagged;
    d.page_done = opts->page_done;
    d.page_done_arg = opts->page_done_arg;
    if (dl->npages == 0) {
        rg_pdf_fail(&w, RG_EX_SOFTWARE, "the document has no pages");
        goto fail;
    }
    w.pdf = HPDF_New(on_hpdf_error, &w);
    if (!w.pdf) {
        rg_pdf_fail(&w, RG_EX_SOFTWARE, "cannot create a PDF document");
        goto fail;
    }
    d.fonts = rg_pdf_fonts_new(&w);
    write_doc(&d);
    if (!w.status && path) HPDF_SaveToFile(w.pdf, path);
    else if (!w.status && fd >= 0) rg_pdf_save_fd(&w, fd);             /* pdf/save.c */
    else if (!w.status) rg_pdf_save_mem(&w, out, len);
fail:
    rg_pdf_fonts_free(d.fonts);
    rg_pdf_struct_free(d.st);
    rg_pdf_deflate_free(&w);
    rg_pdf_images_free(&w);
    free(d.dests);
    free(d.pages);
    if (w.pdf) HPDF_Free(w.pdf);
    return w.status;
}

rg_status rg_pdf_write(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts,
                       const char *path)
{
    return write_any(ctx, dl, opts, path, -1, NULL, NULL);
}

rg_status rg_pdf_write_mem(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts,
                           unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    return write_any(ctx, dl, opts, NULL, -1, out, len);
}

rg_status rg_pdf_write_fd(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts, int fd)
{
    return write_any(ctx, dl, opts, NULL, fd, NULL, NULL);
}
