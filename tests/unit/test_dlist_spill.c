/* test_dlist_spill.c - issue 22: display-list pages spilled to a scratch
 * file and read back (dlist/spill.c): the same items, added-after items
 * kept in order, links' structure kids still naming their items, the TOC's
 * insert on a spilled page, and a failed read or write told, never lost. */
#include "base/base.h"
#include "dlist/dlist.h"
#include "fonts/fonts.h"
#include "test.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const rg_color INK = { 0.1, 0.2, 0.3 };

/* One page of everything a record holds: glyph runs with text of every
 * length modulo 8 (the padding), a path, a rectangle, a link in a Link
 * element, a destination, artifacts. */
static const rg_font *FONT;     /* Noto Sans of the test's context */

static void fill_page(rg_dl *dl, size_t p)
{
    static const char *const words[] = { "a", "bb", "ccc", "dddd", "eeeee", "ffffff",
                                          "ggggggg", "hhhhhhhh", "iiiiiiiii" };
    int link = rg_dl_elem_new(dl, 0, "Link");
    int para = rg_dl_elem_new(dl, 0, "P");
    rg_dl_elem_enter(dl, para);
    for (size_t w = 0; w < 9; w++) {
        rg_glyph g[9];
        for (size_t k = 0; k <= w; k++) g[k] = (rg_glyph){ (uint32_t)(k + 3 * p), (uint32_t)k, 500, 1, 2 };
        rg_dl_source_word(dl, w == 4 ? "rest" : NULL, 4, 0);
        rg_dl_glyph_run(dl, p, FONT, 9 + (double)w, INK, 72, 700 - 12.0 * (double)w, g, w + 1,
                        words[w], w + 1);
    }
    rg_dl_elem_leave(dl);
    rg_dl_elem_enter(dl, link);
    rg_dl_link_uri(dl, p, 72, 50, 100, 12, "https://example.org/", "voorbeeld");
    rg_dl_elem_leave(dl);
    rg_dl_dest_add(dl, p, p ? "twee" : "een", 800);
    rg_dl_artifact_begin(dl, p);
    rg_dl_line(dl, p, 72, 100, 500, 100 + (double)p, INK, 0.5);
    rg_dl_rect_fill(dl, p, 72, 200, 100, 50, INK);
    rg_dl_artifact_end(dl, p);
}

static rg_ctx *font_ctx(void)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_font *f = NULL;
    CHECK(rg_font_find(ctx, "Noto Sans", 0, 0, &f) == RG_OK);
    FONT = f;
    return ctx;
}

static rg_dl *three_pages(void)
{
    rg_dl *dl = rg_dl_new();
    rg_dl_elem_enter(dl, rg_dl_elem_new(dl, -1, "Document"));
    for (size_t p = 0; p < 3; p++) {
        rg_dl_add_page(dl, 595, 842);
        fill_page(dl, p);
    }
    return dl;
}

static char *dump_of(const rg_dl *dl)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    rg_dl_dump(dl, f);
    fclose(f);
    return text;
}

/* a and b dump alike (the dump reads spilled pages back); both freed. */
static void same_and_free(rg_dl *a, rg_dl *b)
{
    char *da = dump_of(a), *db = dump_of(b);
    CHECK(!strcmp(da, db));
    free(da);
    free(db);
    rg_dl_free(a);
    rg_dl_free(b);
}

static int scratch(void)
{
    const char *t = getenv("TMPDIR");
    return rg_scratch_file(t && *t ? t : "/tmp");
}

TEST(dl_spill_reads_back_the_same_items)
{
    rg_ctx *ctx = font_ctx();
    rg_dl *a = three_pages(), *b = three_pages();
    rg_dl_spill_to(b, scratch());
    CHECK(rg_dl_page_spill(b, 0) == 0);
    CHECK(rg_dl_page_spill(b, 1) == 0);
    CHECK(rg_dl_page_spilled(b, 0) && rg_dl_page_spilled(b, 1) && !rg_dl_page_spilled(b, 2));
    CHECK(b->pages[0].items == NULL);                       /* gone from memory */
    CHECK(rg_dl_page_nitems(b, 0) == a->pages[0].nitems);
    size_t pages;
    uint64_t bytes;
    rg_dl_spill_counts(b, &pages, &bytes);
    CHECK(pages == 2 && bytes > 0 && bytes % 8 == 0);
    char *da = dump_of(a), *db = dump_of(b);                /* the dump reads pages back */
    CHECK(!strcmp(da, db));
    CHECK(rg_dl_page_spilled(b, 0));                        /* and let them go again */
    const rg_dl_page *p = rg_dl_page_get(b, 1);
    CHECK(p && p->nitems == a->pages[1].nitems);
    CHECK(!memcmp(p->items[4].u.glyphs.text, "eeeee", 6));
    CHECK(p->items[4].u.glyphs.rest && !strcmp(p->items[4].u.glyphs.rest, "rest"));
    CHECK(p->items[8].u.glyphs.glyphs[8].gid == 8 + 3);
    rg_dl_page_unload(b, 1);
    CHECK(rg_dl_spill_status(b, NULL) == 0);
    free(da);
    free(db);
    rg_dl_free(a);
    rg_dl_free(b);
    rg_ctx_free(ctx);
}

/* What is added to a spilled page (a box's border, the running headers)
 * goes after its spilled items; a link added then gets the right index. */
TEST(dl_spill_keeps_items_added_after_in_order)
{
    rg_ctx *ctx = font_ctx();
    rg_dl *a = three_pages(), *b = three_pages();
    rg_dl_spill_to(b, scratch());
    CHECK(rg_dl_page_spill(b, 0) == 0);
    for (int round = 0; round < 2; round++) {
        rg_dl *dl = round ? b : a;
        fill_page(dl, 0);                                   /* a second helping */
        rg_dl_line(dl, 0, 1, 2, 3, 4, INK, 1);
    }
    CHECK(rg_dl_page_spill(b, 0) == 0);                     /* its tail: a second record */
    CHECK(b->pages[0].spill2_at >= 0 && b->pages[0].nitems == 0);
    rg_dl_line(b, 0, 5, 6, 7, 8, INK, 1);
    rg_dl_line(a, 0, 5, 6, 7, 8, INK, 1);
    CHECK(rg_dl_page_nitems(b, 0) == a->pages[0].nitems);
    CHECK(rg_dl_page_spill(b, 0) == 0);                     /* a third: written anew, whole */
    CHECK(b->pages[0].spill2_at < 0 && b->pages[0].nspilled == a->pages[0].nitems);
    size_t pages;
    uint64_t bytes;
    rg_dl_spill_counts(b, &pages, &bytes);
    CHECK(pages == 1);                                      /* three records, one page */
    fill_page(a, 0);
    fill_page(b, 0);
    same_and_free(a, b);
    rg_ctx_free(ctx);
}

/* The TOC's numbers are inserted into a page laid out long before. */
TEST(dl_spill_insert_reads_the_page_back)
{
    rg_ctx *ctx = font_ctx();
    rg_dl *a = three_pages(), *b = three_pages();
    rg_dl_spill_to(b, scratch());
    CHECK(rg_dl_page_spill(b, 0) == 0);
    rg_glyph g[1] = { { 7, 0, 500, 0, 0 } };
    rg_dl_insert_glyph_run(a, 0, 2, -1, FONT, 10, INK, 500, 700, g, 1, "4", 1);
    rg_dl_insert_glyph_run(b, 0, 2, -1, FONT, 10, INK, 500, 700, g, 1, "4", 1);
    CHECK(!rg_dl_page_spilled(b, 0));                       /* in memory again */
    same_and_free(a, b);
    rg_ctx_free(ctx);
}

/* A scratch file that lost its bytes: the read fails, the status says so,
 * the page is not silently empty. */
TEST(dl_spill_failed_read_is_told)
{
    rg_ctx *ctx = font_ctx();
    rg_dl *b = three_pages();
    int fd = scratch();
    rg_dl_spill_to(b, fd);
    CHECK(rg_dl_page_spill(b, 1) == 0);
    CHECK(ftruncate(fd, 16) == 0);
    CHECK(rg_dl_page_get(b, 1) == NULL);
    CHECK(rg_dl_spill_status(b, NULL) != 0);
    CHECK(rg_dl_pages_load_all(b) != 0);
    CHECK(rg_dl_page_edit(b, 1) == NULL);
    rg_dl_free(b);
    rg_ctx_free(ctx);
}

/* A write that fails (here: a descriptor open for reading only) leaves the
 * page in memory, whole, and the status names the write. */
TEST(dl_spill_failed_write_keeps_the_page)
{
    rg_ctx *ctx = font_ctx();
    rg_dl *a = three_pages(), *b = three_pages();
    rg_dl_spill_to(b, open("/dev/null", O_RDONLY));
    CHECK(rg_dl_page_spill(b, 0) != 0);
    CHECK(!rg_dl_page_spilled(b, 0) && b->pages[0].nitems == a->pages[0].nitems);
    int werr = 0;
    CHECK(rg_dl_spill_status(b, &werr) == 0 && werr != 0);
    same_and_free(a, b);
    rg_ctx_free(ctx);
}

/* Without a scratch file nothing is spilled. */
TEST(dl_spill_needs_a_file)
{
    rg_ctx *ctx = font_ctx();
    rg_dl *b = three_pages();
    CHECK(rg_dl_page_spill(b, 0) != 0);
    CHECK(!rg_dl_page_spilled(b, 0));
    rg_dl_free(b);
    rg_ctx_free(ctx);
}
