/* test_pdf_outline.c - the outline as pdf/outline.c writes it (issue 22):
 * its lean dicts must give the bytes and object numbers libharu 2.3.0's
 * own outline gave (HPDF_CreateOutline with the UTF-8 encoder,
 * HPDF_Outline_SetDestination, HPDF_Outline_SetOpened, /Type removed) for
 * nested, open and closed entries, titles with characters to escape,
 * non-ASCII and malformed UTF-8, an entry
 * without a destination, children added after a later sibling, and a
 * page made between entries; and characters beyond U+FFFF, which libharu
 * wrote as a space, as surrogate pairs. Includes pdf/internal.h: what is tested is
 * the stage's seam with libharu. */
#include "pdf_helpers.h"
#include "test.h"

#include <stdlib.h>

typedef struct entry {
    int parent;                    /* index of an earlier entry; -1: top level */
    const char *title;
    int page;                      /* -1: no /Dest */
    double top;
    int opened;
} entry;

static const entry entries[] = {
    { -1, "\xC3\x89\xC3\xA9n \xE2\x80\x93 \xE2\x80\x98toegang\xE2\x80\x99 \xE2\x82\xAC", 0,
      771.02362, 1 },                                     /* "Één – ‘toegang’ €" */
    { 0, "Inleiding (zie \\ en \\\\ en (x))", 1, 700.5, 0 },
    { 1, "Diep", 0, 12.25, 1 },                          /* an open entry under a closed one */
    { 2, "Dieper \xE2\x98\xBA en \xE2\x82", 1, 0, 0 },   /* U+263A; cut short */
    { 3, "Diepst", 0, 300, 0 },
    { 0, "", 1, 841.89, 1 },                                /* open, under an open one */
    { 5, "Onder open", 0, 1, 0 },
    { 5, "Onder open 2", -1, 0, 0 },                        /* no /Dest */
    { 6, "Later kind", 1, 2, 0 },                           /* /Next before /First */
    { -1, "Bijlage \x80 A\xC3" "B \xF8", 1, 400, 0 },       /* stray bytes */
    { 9, "Tabel", 0, 100, 1 },
    { -1, "Slot\x01\x7F", 0, 50, 1 },
    { 1, "Ook later", 1, 60, 1 },                           /* a new /Last, much later */
};
enum { NENTRIES = sizeof entries / sizeof *entries };

/* One entry through libharu's own objects, as pdf/pdf.c made them before. */
static HPDF_Dict old_add(rg_pdf_writer *w, HPDF_Dict parent, const entry *e, HPDF_Page page)
{
    HPDF_Encoder utf8 = HPDF_GetEncoder(w->pdf, "UTF-8");
    HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, e->title, utf8);
    if (page) HPDF_Outline_SetDestination(o, test_pdf_xyz(w->pdf, page, e->top));
    HPDF_Outline_SetOpened(o, e->opened ? HPDF_TRUE : HPDF_FALSE);
    HPDF_Dict_RemoveElement(o, "Type");
    return o;
}

/* Two pages, the entries (a third page made after the third entry);
 * libharu's objects (old) or pdf/outline.c's. */
static void build(rg_pdf_writer *w, int old)
{
    HPDF_UseUTFEncodings(w->pdf);
    HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
    HPDF_Page pages[2] = { HPDF_AddPage(w->pdf), HPDF_AddPage(w->pdf) };
    HPDF_Dict dicts[NENTRIES];
    for (size_t i = 0; i < NENTRIES; i++) {
        const entry *e = &entries[i];
        HPDF_Dict parent = e->parent >= 0 ? dicts[e->parent] : NULL;
        HPDF_Page page = e->page >= 0 ? pages[e->page] : NULL;
        dicts[i] = old ? old_add(w, parent, e, page)
                       : rg_pdf_outline_add(w, parent, e->title, page, (HPDF_REAL)e->top,
                                            e->opened);
        if (i == 2) HPDF_AddPage(w->pdf);
    }
}

TEST(pdf_outline_gives_the_bytes_of_libharus_outline)
{
    char *o = test_pdf_same_bytes(build);
    CHECK(strstr(o, "/Outlines 10 0 R") != NULL);   /* after 2 pages of 3 objects */
    CHECK(strstr(o, "/Title <FEFF00C900E9006E00202013002020180074006F006500670061006E0067"
                    "2019002020AC>") != NULL);
    /* "\\ en (x))" in hex: nothing escaped */
    CHECK(strstr(o, "005C005C00200065006E00200028007800290029>") != NULL);
    CHECK(strstr(o, "/Count -3\012") != NULL);              /* closed, an open child */
    CHECK(strstr(o, "/Next 21 0 R\012/First 22 0 R") != NULL);
    free(o);
}

TEST(pdf_outline_refuses_a_title_beyond_libharus_limit)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_pdf_writer w = { .ctx = ctx, .name = "outline.pdf" };
    w.pdf = test_pdf_new(&w);
    HPDF_Page page = HPDF_AddPage(w.pdf);
    size_t n = HPDF_LIMIT_MAX_STRING_LEN + 1;
    char *title = malloc(n + 1);
    memset(title, 'a', n);
    title[n] = 0;
    CHECK(rg_pdf_outline_add(&w, NULL, "Een", page, 10, 1) != NULL);
    CHECK(rg_pdf_outline_add(&w, NULL, title, page, 10, 1) == NULL);
    CHECK(w.status == RG_EX_SOFTWARE);
    CHECK(rg_pdf_outline_add(&w, NULL, "Twee", page, 10, 1) == NULL);   /* sticky */
    title[n - 1] = 0;                                       /* exactly the limit: fits */
    rg_pdf_writer w2 = { .ctx = ctx, .name = "outline2.pdf" };
    w2.pdf = test_pdf_new(&w2);
    CHECK(rg_pdf_outline_add(&w2, NULL, title, HPDF_AddPage(w2.pdf), 10, 0) != NULL);
    CHECK(w2.status == RG_OK);
    free(title);
    HPDF_Free(w.pdf);
    HPDF_Free(w2.pdf);
    rg_ctx_free(ctx);
}

TEST(pdf_outline_titles_beyond_the_bmp_are_surrogate_pairs)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_pdf_writer w = { .ctx = ctx, .name = "outline.pdf" };
    w.pdf = test_pdf_new(&w);
    HPDF_Page page = HPDF_AddPage(w.pdf);
    /* U+1F600, U+20BB7 (a CJK extension B character), then "A" */
    CHECK(rg_pdf_outline_add(&w, NULL, "\xF0\x9F\x98\x80\xF0\xA0\xAE\xB7" "A", page, 10,
                             1) != NULL);
    HPDF_UINT32 len;
    char *pdf = test_pdf_saved(&w, &len);
    CHECK(pdf && strstr(pdf, "/Title <FEFFD83DDE00D842DFB70041>") != NULL);
    CHECK(w.status == RG_OK);
    free(pdf);
    HPDF_Free(w.pdf);
    rg_ctx_free(ctx);
}
