/* test_layout_orient.c - landscape pages (issue 16, layout/orient.c):
 * page="landscape" gives pages wider than high with the layout's margins
 * around the wider text area, chrome at each page's own edges, portrait
 * again after the block, no empty page left behind; the loader refuses
 * page="portrait" inside a landscape section. */
#include "check/check.h"
#include "helpers.h"
#include "load/load.h"
#include "test.h"

#include <string.h>

#define HEAD                                                                                \
    "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>"              \
    "<info><title>Liggend</title><organisation>Org</organisation>"                         \
    "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>"

static int landscape(const rg_dl_page *p) { return p->width > p->height; }

/* The right edge of the page's running footer boxes (0: none). */
static double footer_right(const rg_dl *dl, size_t page)
{
    double right = 0;
    for (size_t b = 0; b < dl->nboxes; b++)
        if (dl->boxes[b].page == page && dl->boxes[b].kind == RG_BOX_FOOTER &&
            dl->boxes[b].x1 > right)
            right = dl->boxes[b].x1;
    return right;
}

TEST(layout_landscape_section_between_portrait_pages)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = test_layout_string(ctx,
        HEAD "<section><title>Staand</title><p>Een.</p><pagebreak/></section>"
        "<section page='landscape'><title>Liggend</title><p>Twee.</p></section>"
        "<section><title>Weer staand</title><p>Drie.</p></section></report>", "plain");
    CHECK(dl != NULL);
    if (dl) {
        CHECK(dl->npages == 3);   /* the page the <pagebreak/> began is turned, not left */
        CHECK(!landscape(&dl->pages[0]));
        CHECK(landscape(&dl->pages[1]));
        CHECK(!landscape(&dl->pages[2]));
        const rg_dl_page *p = &dl->pages[1], *q = &dl->pages[0];
        CHECK(p->width == q->height && p->height == q->width);
        const rg_dl_box *ta = &dl->boxes[p->area], *tq = &dl->boxes[q->area];
        CHECK(ta->x0 == tq->x0);                                       /* same margins */
        CHECK(p->width - ta->x1 == q->width - tq->x1);
        CHECK(p->height - ta->y1 == q->height - tq->y1);
        CHECK(ta->y0 == tq->y0);
        CHECK(footer_right(dl, 1) == ta->x1);         /* the footer's right field, its edge */
        CHECK(footer_right(dl, 0) == tq->x1);
        CHECK(rg_check_layout(ctx, dl, "t.xml", NULL) == 0);
    }
    rg_dl_free(dl);
    rg_ctx_free(ctx);
}

TEST(layout_landscape_table_takes_its_section_title_along)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = test_layout_string(ctx,
        HEAD "<data><dataset id='d'><field name='a' type='text' label='A'/>"
        "<record><value>x</value></record></dataset></data>"
        "<section><title>Vooraf</title><p>Staand.</p></section>"
        "<section><title>Met tabel</title><table data='d' page='landscape'>"
        "<column field='a'/></table><p>Erna.</p></section></report>", "plain");
    CHECK(dl != NULL);
    if (dl) {
        CHECK(dl->npages == 3);
        CHECK(landscape(&dl->pages[1]) && !landscape(&dl->pages[2]));
        int title_on_1 = 0;
        for (size_t i = 0; i < dl->pages[1].nitems; i++) {
            const rg_dl_item *it = &dl->pages[1].items[i];
            if (it->kind == RG_DL_GLYPHS && it->u.glyphs.text_len == 9 &&
                !memcmp(it->u.glyphs.text, "Met tabel", 9))
                title_on_1 = 1;
        }
        CHECK(title_on_1);
    }
    rg_dl_free(dl);
    rg_ctx_free(ctx);
}

TEST(load_refuses_portrait_inside_a_landscape_section)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(test_load_string(ctx,
        HEAD "<section page='landscape'><title>L</title>"
        "<section page='portrait'><title>P</title></section></section></report>",
        &doc) != RG_OK);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "page=\"portrait\" inside a section with "
                                                   "page=\"landscape\""));
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}
