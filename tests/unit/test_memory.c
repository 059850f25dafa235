/* test_memory.c - issue 22: a display-list page released alone, and the pdf
 * stage handing back each page it has rendered (rg_pdf_opts.page_done). */
#include "base/base.h"
#include "dlist/dlist.h"
#include "pdf/pdf.h"
#include "test.h"
#include <stdlib.h>
#include <string.h>

static const rg_color GREY = { 0.5, 0.5, 0.5 };

/* Two pages, each with (runs: a glyph run without a font, whose copies are
 * all that matters here, and) a path and a rectangle. */
static rg_dl *two_pages(int runs)
{
    rg_dl *dl = rg_dl_new();
    dl->meta = (rg_dl_meta){ .title = "Geheugen", .lang = "nl-NL", .year = 2023, .month = 5,
                             .day = 1 };
    for (size_t p = 0; p < 2; p++) {
        rg_dl_add_page(dl, 595, 842);
        rg_glyph g[2] = { { 1, 0, 500, 0, 0 }, { 2, 1, 500, 0, 0 } };
        if (runs)
            rg_dl_glyph_run(dl, p, NULL, 10, GREY, 72, 700, g, 2, p ? "twee" : "een",
                            p ? 4 : 3);
        rg_dl_line(dl, p, 72, 100, 500, 100, GREY, 1);
        rg_dl_rect_fill(dl, p, 72, 200 + 10.0 * (double)p, 100, 50, GREY);
    }
    return dl;
}

TEST(dl_page_release_frees_one_page_only)
{
    rg_dl *dl = two_pages(1);
    rg_dl_page_release(dl, 0);
    CHECK(dl->npages == 2);
    CHECK(dl->pages[0].nitems == 0 && dl->pages[0].items == NULL);
    CHECK(dl->pages[0].width == 595 && dl->pages[0].height == 842);
    CHECK(dl->pages[1].nitems == 3);
    const rg_dl_glyphs *run = &dl->pages[1].items[0].u.glyphs;
    CHECK(run->nglyphs == 2 && run->glyphs[1].gid == 2);
    CHECK(run->text_len == 4 && !memcmp(run->text, "twee", 4));
    CHECK(dl->pages[1].items[1].u.path.nsegs == 2 &&
          dl->pages[1].items[1].u.path.segs[1].pts[0] == 500);
    rg_dl_page_release(dl, 0);     /* twice is harmless */
    rg_dl_free(dl);                /* and freeing after a release too (ASan, valgrind) */
}

typedef struct seen {
    rg_dl *dl;
    size_t pages[4];
    size_t n;
} seen;

static void note_and_release(void *arg, size_t page)
{
    seen *s = arg;
    if (s->n < 4) s->pages[s->n] = page;
    s->n++;
    rg_dl_page_release(s->dl, page);
}

static rg_status write_two_pages(rg_pdf_opts *o, unsigned char **pdf, size_t *len)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_dl *dl = two_pages(0);
    if (o->page_done_arg) ((seen *)o->page_done_arg)->dl = dl;
    rg_status st = rg_pdf_write_mem(ctx, dl, o, pdf, len);
    rg_dl_free(dl);
    rg_ctx_free(ctx);
    return st;
}

TEST(pdf_page_done_each_page_once_in_order_same_bytes)
{
    unsigned char *plain = NULL, *released = NULL;
    size_t plain_len = 0, released_len = 0;
    rg_pdf_opts o = { RG_PDFA_OFF, 0, NULL, NULL, NULL };
    CHECK(write_two_pages(&o, &plain, &plain_len) == RG_OK);
    seen s = { 0 };
    o.page_done = note_and_release;
    o.page_done_arg = &s;
    CHECK(write_two_pages(&o, &released, &released_len) == RG_OK);
    CHECK(s.n == 2 && s.pages[0] == 0 && s.pages[1] == 1);
    CHECK(plain_len > 0 && plain_len == released_len);
    CHECK(plain && released && !memcmp(plain, released, plain_len));
    free(plain);
    free(released);
}
