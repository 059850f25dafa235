/* test_check.c - the layout checker (check/check.h) on display lists made
 * by hand, each with one planted violation or a near miss. */
#include "check/check.h"
#include "test.h"

/* A run of text in element elem on page (no font: the checker's ink and
 * box invariants skip it, the keep invariant reads its element). */
static void run(rg_dl *dl, size_t page, int elem, const char *text, double y)
{
    static const rg_color black = { 0, 0, 0 };
    rg_dl_elem_enter(dl, elem);
    rg_dl_glyph_run(dl, page, NULL, 10, black, 72, y, NULL, 0, text, strlen(text));
    rg_dl_elem_leave(dl);
}

/* Two pages: a paragraph, then a heading of level at the foot of page 1;
 * page 2 starts with a heading of next_level (0: a paragraph, -1:
 * nothing), then a footer artifact on both. */
static size_t keep_violations(int level, int next_level)
{
    static const char *const H[] = { "H1", "H2", "H3" };
    rg_dl *dl = rg_dl_new();
    int doc = rg_dl_elem_new(dl, -1, "Document");
    rg_dl_elem_enter(dl, doc);
    size_t p1 = rg_dl_add_page(dl, 595, 842), p2 = rg_dl_add_page(dl, 595, 842);
    int sect = rg_dl_elem_new(dl, doc, "Sect");
    run(dl, p1, rg_dl_elem_new(dl, sect, "P"), "Een alinea.", 700);
    int sub = rg_dl_elem_new(dl, sect, "Sect");
    run(dl, p1, rg_dl_elem_new(dl, sub, H[level - 1]), "Een kop", 100);
    if (next_level > 0) {
        int next = rg_dl_elem_new(dl, doc, "Sect");
        run(dl, p2, rg_dl_elem_new(dl, next, H[next_level - 1]), "Volgende kop", 770);
    } else if (next_level == 0) {
        run(dl, p2, rg_dl_elem_new(dl, sub, "P"), "De tekst onder de kop.", 770);
    }
    for (size_t p = p1; p <= p2; p++) {          /* decoration is not content */
        rg_dl_artifact_begin(dl, p);
        rg_dl_glyph_run(dl, p, NULL, 8, (rg_color){ 0, 0, 0 }, 72, 30, NULL, 0, "pagina", 6);
        rg_dl_artifact_end(dl, p);
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_check_result res;
    rg_check_layout(ctx, dl, "plant.xml", &res);
    CHECK(res.total == res.violations[RG_CHECK_KEEP]);
    rg_ctx_free(ctx);
    rg_dl_free(dl);
    return res.violations[RG_CHECK_KEEP];
}

TEST(check_keep_finds_a_heading_that_ends_a_page)
{
    CHECK(keep_violations(2, 0) == 1);           /* its text went on without it */
    CHECK(keep_violations(2, 3) == 1);           /* its subsection went on without it */
    CHECK_STR(rg_check_kind_name(RG_CHECK_KEEP), "keep");
}

TEST(check_keep_allows_an_empty_section_and_the_last_heading)
{
    CHECK(keep_violations(2, 2) == 0);           /* a section of its level follows */
    CHECK(keep_violations(2, 1) == 0);           /* a chapter follows */
    CHECK(keep_violations(2, -1) == 0);          /* nothing follows */
}

TEST(check_keep_allows_text_after_a_heading_on_its_page)
{
    rg_dl *dl = rg_dl_new();
    int doc = rg_dl_elem_new(dl, -1, "Document");
    rg_dl_elem_enter(dl, doc);
    size_t p1 = rg_dl_add_page(dl, 595, 842), p2 = rg_dl_add_page(dl, 595, 842);
    int sect = rg_dl_elem_new(dl, doc, "Sect");
    run(dl, p1, rg_dl_elem_new(dl, sect, "H1"), "Kop", 770);
    int para = rg_dl_elem_new(dl, sect, "P");
    run(dl, p1, para, "Eerste regels.", 750);
    run(dl, p2, para, "Laatste regels.", 770);
    rg_ctx *ctx = rg_ctx_new(NULL);
    CHECK(rg_check_layout(ctx, dl, "plant.xml", NULL) == 0);
    rg_ctx_free(ctx);
    rg_dl_free(dl);
}
