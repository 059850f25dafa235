/* test_pdf_struct.c - the structure tree as pdf/struct.c writes it. Each
 * StructElem is written by its own write function while libharu saves, so
 * a mistake there corrupts the PDF silently; these tests read the objects
 * back from a PDF/A-1b file (whose objects are not in compressed object
 * streams) and check every element's entries exactly: /P and /K name each
 * other, marked content on another page than /Pg becomes an MCR, an
 * annotation named twice gets one OBJR, text strings are escaped literals
 * or UTF-16BE hex, and the attribute objects (BBox, Scope, spans) are
 * right. Object numbers are followed from the trailer, never assumed. */
#include "base/base.h"
#include "dlist/dlist.h"
#include "pdf/pdf.h"
#include "test.h"

#include <stdlib.h>

/* A two-page tagged display list that reaches every kind of entry a
 * StructElem can have. Content is rectangles (no fonts needed); each
 * element's content is one chunk, so one MCID, per page. */
static void content(rg_dl *dl, int elem, size_t page)
{
    rg_color grey = {0.5, 0.5, 0.5};
    rg_dl_elem_enter(dl, elem);
    rg_dl_rect_fill(dl, page, 100, 100, 50, 20, grey);
    rg_dl_elem_leave(dl);
}

static rg_dl *struct_dl(void)
{
    rg_dl *dl = rg_dl_new();
    dl->meta = (rg_dl_meta){.title = "Structuur", .author = "Test", .lang = "nl-NL",
                            .year = 2023, .month = 5, .day = 1};
    rg_dl_add_page(dl, 595, 842);
    rg_dl_add_page(dl, 595, 842);
    int doc = rg_dl_elem_new(dl, -1, "Document");                 /* e0 */
    int sect = rg_dl_elem_new(dl, doc, "Sect");                   /* e1 */
    rg_dl_elem_set_lang(dl, sect, "en-GB");
    content(dl, rg_dl_elem_new(dl, sect, "H1"), 0);               /* e2: p0 MCID 0 */
    int p = rg_dl_elem_new(dl, sect, "P");                        /* e3: p0 MCID 1, p1 MCID 0 */
    rg_dl_elem_set_actual_text(dl, p, "\xC3\x89\xC3\xA9n (1/2) \xF0\x9F\x98\x80");
    content(dl, p, 0);
    content(dl, p, 1);
    int fig = rg_dl_elem_new(dl, sect, "Figure");                 /* e4: p1 MCID 1 */
    rg_dl_elem_set_alt(dl, fig, "Grafiek (a/b) \\ 100% #1 <x>");
    rg_dl_elem_set_bbox(dl, fig, 1, 56.7, 100.25, 300, 400.5);
    content(dl, fig, 1);
    int table = rg_dl_elem_new(dl, sect, "Table");                /* e5 */
    int tr = rg_dl_elem_new(dl, table, "TR");                     /* e6 */
    int th1 = rg_dl_elem_new(dl, tr, "TH");                       /* e7: p1 MCID 2 */
    rg_dl_elem_set_scope(dl, th1, "Row");
    rg_dl_elem_set_span(dl, th1, 2, 1);
    content(dl, th1, 1);
    int th2 = rg_dl_elem_new(dl, tr, "TH");                       /* e8: p1 MCID 3 */
    rg_dl_elem_set_scope(dl, th2, "Both");
    rg_dl_elem_set_span(dl, th2, 1, 3);
    rg_dl_elem_set_bbox(dl, th2, 1, 10, 20, 30.125, 40);
    content(dl, th2, 1);
    content(dl, rg_dl_elem_new(dl, tr, "TH"), 1);                 /* e9: p1 MCID 4 */
    content(dl, rg_dl_elem_new(dl, tr, "TD"), 1);                 /* e10: p1 MCID 5 */
    int link = rg_dl_elem_new(dl, sect, "Link");                  /* e11: p1 MCID 6 + OBJR */
    content(dl, link, 1);
    rg_dl_elem_enter(dl, link);
    rg_dl_link_uri(dl, 1, 100, 100, 50, 20, "https://example.org/a b", NULL);
    rg_dl_elem_leave(dl);
    /* e12 names the same annotation: the first claim (e11) wins */
    int again = rg_dl_elem_new(dl, sect, "Link");
    rg_dl_elem *e = &dl->elems[again];
    e->kids = rg_xrealloc(e->kids, (e->nkids + 1) * sizeof *e->kids);
    e->kids_cap = e->nkids + 1;
    e->kids[e->nkids++] = dl->elems[link].kids[1];
    return dl;
}

/* The text of object num (between "num 0 obj\n" and "\nendobj"), malloc'd;
 * NULL when it is not there. */
static char *obj_text(const unsigned char *pdf, size_t len, unsigned num)
{
    char head[32];
    snprintf(head, sizeof head, "\n%u 0 obj\n", num);
    size_t hl = strlen(head);
    for (size_t i = 0; i + hl <= len; i++) {
        if (memcmp(pdf + i, head, hl)) continue;
        const unsigned char *s = pdf + i + hl;
        for (const unsigned char *e = s; e + 7 <= pdf + len; e++)
            if (!memcmp(e, "\nendobj", 7)) {
                char *t = malloc((size_t)(e - s) + 1);
                memcpy(t, s, (size_t)(e - s));
                t[e - s] = 0;
                return t;
            }
        return NULL;
    }
    return NULL;
}

/* The object number of the k-th "N 0 R" after key in text (0 = first),
 * or 0. */
static unsigned ref_after(const char *text, const char *key, int k)
{
    const char *p = text ? strstr(text, key) : NULL;
    if (!p) return 0;
    p += strlen(key);
    unsigned n = 0;
    for (int i = 0; i <= k; i++) {
        int used = 0;
        while (*p == ' ' || *p == '[') p++;
        if (sscanf(p, "%u 0 R%n", &n, &used) != 1 || used == 0) return 0;
        p += used;
    }
    return n;
}

/* The trailer and what follows it, malloc'd; NULL when there is none. */
static char *trailer(const unsigned char *pdf, size_t len)
{
    static const char key[] = "\ntrailer\n";
    for (size_t i = len >= sizeof key ? len - sizeof key : 0; i > 0; i--)
        if (!memcmp(pdf + i, key, sizeof key - 1)) {
            char *t = malloc(len - i + 1);
            memcpy(t, pdf + i, len - i);
            t[len - i] = 0;
            return t;
        }
    return NULL;
}

typedef struct written {
    unsigned char *pdf;
    size_t len;
    unsigned root, page[2], annot;
    unsigned elem[13];             /* the builder's elements, found through /K */
} written;

/* Writes struct_dl() and finds the objects the checks compare. */
static int write_and_find(written *w)
{
    memset(w, 0, sizeof *w);
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_dl *dl = struct_dl();
    rg_pdf_opts o = {RG_PDFA_1B, 1, NULL, NULL, NULL};
    rg_status s = rg_pdf_write_mem(ctx, dl, &o, &w->pdf, &w->len);
    rg_dl_free(dl);
    rg_ctx_free(ctx);
    if (s != RG_OK) return 0;
    char *trail = trailer(w->pdf, w->len);
    char *cat = obj_text(w->pdf, w->len, ref_after(trail, "/Root", 0));
    free(trail);
    w->root = ref_after(cat, "/StructTreeRoot", 0);
    char *pages = obj_text(w->pdf, w->len, ref_after(cat, "/Pages", 0));
    w->page[0] = ref_after(pages, "/Kids", 0);
    w->page[1] = ref_after(pages, "/Kids", 1);
    char *p1 = obj_text(w->pdf, w->len, w->page[1]);
    w->annot = ref_after(p1, "/Annots", 0);
    char *root = obj_text(w->pdf, w->len, w->root);
    w->elem[0] = ref_after(root, "/K", 0);
    char *doc = obj_text(w->pdf, w->len, w->elem[0]);
    w->elem[1] = ref_after(doc, "/K", 0);
    char *sect = obj_text(w->pdf, w->len, w->elem[1]);
    static const int sect_kids[] = {2, 3, 4, 5, 11, 12};
    for (int k = 0; k < 6; k++) w->elem[sect_kids[k]] = ref_after(sect, "/K", k);
    char *table = obj_text(w->pdf, w->len, w->elem[5]);
    w->elem[6] = ref_after(table, "/K", 0);
    char *tr = obj_text(w->pdf, w->len, w->elem[6]);
    for (int k = 0; k < 4; k++) w->elem[7 + k] = ref_after(tr, "/K", k);
    free(cat);
    free(pages);
    free(p1);
    free(root);
    free(doc);
    free(sect);
    free(table);
    free(tr);
    for (int i = 0; i < 13; i++)
        if (!w->elem[i]) return 0;
    return w->root && w->page[0] && w->page[1] && w->annot;
}

/* Checks that element i is exactly "<<\n/Type /StructElem\n/S /role\n/P
 * parent 0 R\n" + rest + ">>". */
static void check_elem(const written *w, int i, const char *role, unsigned parent,
                       const char *rest)
{
    char want[1024];
    snprintf(want, sizeof want, "<<\n/Type /StructElem\n/S /%s\n/P %u 0 R\n%s>>", role, parent,
             rest);
    char *got = obj_text(w->pdf, w->len, w->elem[i]);
    CHECK_STR(got, want);
    free(got);
}

TEST(pdf_struct_root_and_parent_tree)
{
    written w;
    CHECK(write_and_find(&w));
    if (!w.pdf) return;
    char want[512];
    /* page 0 and 1 map to their MCIDs' elements, key 2 to the Link */
    char *root = obj_text(w.pdf, w.len, w.root);
    unsigned t0 = ref_after(root, "/Nums [ 0", 0), t1 = ref_after(root, "0 R 1", 0);
    snprintf(want, sizeof want, "<<\n/Type /StructTreeRoot\n/K [ %u 0 R ]\n/ParentTree <<\n"
             "/Nums [ 0 %u 0 R 1 %u 0 R 2 %u 0 R ]\n>>\n/ParentTreeNextKey 3\n>>",
             w.elem[0], t0, t1, w.elem[11]);
    CHECK_STR(root, want);
    char *arr = obj_text(w.pdf, w.len, t0);
    snprintf(want, sizeof want, "[ %u 0 R %u 0 R ]", w.elem[2], w.elem[3]);
    CHECK_STR(arr, want);
    free(arr);
    arr = obj_text(w.pdf, w.len, t1);
    snprintf(want, sizeof want, "[ %u 0 R %u 0 R %u 0 R %u 0 R %u 0 R %u 0 R %u 0 R ]",
             w.elem[3], w.elem[4], w.elem[7], w.elem[8], w.elem[9], w.elem[10], w.elem[11]);
    CHECK_STR(arr, want);
    free(arr);
    free(root);
    char *annot = obj_text(w.pdf, w.len, w.annot);
    CHECK(annot && strstr(annot, "\n/StructParent 2\n"));
    free(annot);
    free(w.pdf);
}

TEST(pdf_struct_elements)
{
    written w;
    CHECK(write_and_find(&w));
    if (!w.pdf) return;
    const unsigned *e = w.elem, *pg = w.page;
    char rest[512];
    snprintf(rest, sizeof rest, "/K [ %u 0 R ]\n", e[1]);
    check_elem(&w, 0, "Document", w.root, rest);
    snprintf(rest, sizeof rest, "/K [ %u 0 R %u 0 R %u 0 R %u 0 R %u 0 R %u 0 R ]\n"
             "/Lang (en-GB)\n", e[2], e[3], e[4], e[5], e[11], e[12]);
    check_elem(&w, 1, "Sect", e[0], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 0 ]\n", pg[0]);
    check_elem(&w, 2, "H1", e[1], rest);
    /* content on page 1 as well: an MCR; the text as UTF-16BE, U+1F600 as
     * a surrogate pair */
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 1 <<\n/Type /MCR\n/Pg %u 0 R\n/MCID 0\n>> ]\n"
             "/ActualText <FEFF00C900E9006E002000280031002F003200290020D83DDE00>\n",
             pg[0], pg[1]);
    check_elem(&w, 3, "P", e[1], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 1 ]\n"
             "/Alt (Grafiek \\050a\\057b\\051 \\134 100\\045 \\0431 \\074x\\076)\n"
             "/A <<\n/O /Layout\n/BBox [ 56.7 100.25 300 400.5 ]\n>>\n", pg[1]);
    check_elem(&w, 4, "Figure", e[1], rest);
    snprintf(rest, sizeof rest, "/K [ %u 0 R ]\n", e[6]);
    check_elem(&w, 5, "Table", e[1], rest);
    snprintf(rest, sizeof rest, "/K [ %u 0 R %u 0 R %u 0 R %u 0 R ]\n", e[7], e[8], e[9], e[10]);
    check_elem(&w, 6, "TR", e[5], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 2 ]\n/A <<\n/O /Table\n/Scope /Row\n"
             "/ColSpan 2\n>>\n", pg[1]);
    check_elem(&w, 7, "TH", e[6], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 3 ]\n/A [ <<\n/O /Layout\n"
             "/BBox [ 10 20 30.125 40 ]\n>> <<\n/O /Table\n/Scope /Both\n/RowSpan 3\n>> ]\n",
             pg[1]);
    check_elem(&w, 8, "TH", e[6], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 4 ]\n/A <<\n/O /Table\n/Scope /Column\n>>\n",
             pg[1]);
    check_elem(&w, 9, "TH", e[6], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 5 ]\n", pg[1]);
    check_elem(&w, 10, "TD", e[6], rest);
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n/K [ 6 <<\n/Type /OBJR\n/Obj %u 0 R\n/Pg %u 0 R\n"
             ">> ]\n", pg[1], w.annot, pg[1]);
    check_elem(&w, 11, "Link", e[1], rest);
    /* the annotation is e11's: no OBJR, so no /K at all */
    snprintf(rest, sizeof rest, "/Pg %u 0 R\n", pg[1]);
    check_elem(&w, 12, "Link", e[1], rest);
    free(w.pdf);
}
