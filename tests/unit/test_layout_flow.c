/* test_layout_flow.c - the flow of blocks over pages, on the display
 * list: lists nested too deep to indent further, page breaks that would
 * make a blank page, headings that would end a page. */
#include "check/check.h"
#include "helpers.h"
#include "layout/layout.h"
#include "load/load.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>

#define HEAD "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>" \
             "<info><title>Test</title><organisation>Org</organisation>"             \
             "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>"

/* xml laid out in the plain layout with list-indent set to indent (0: the
 * layout's) */
static rg_dl *lay_with_indent(rg_ctx *ctx, const char *xml, double indent)
{
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_dl *dl = NULL;
    if (test_load_string(ctx, xml, &doc) == RG_OK &&
        test_load_layout(ctx, "plain", &style) == RG_OK) {
        if (indent > 0) style->list_indent = indent;
        rg_layout(ctx, doc, style, &dl);
    }
    rg_style_free(style);
    rg_doc_free(doc);
    return dl;
}

TEST(layout_deep_list_stops_indenting_at_a_third_of_the_width)
{
    char xml[8192], *o = xml;
    o += sprintf(o, "%s<section><title>Lijsten</title>", HEAD);
    for (int d = 1; d <= 8; d++) o += sprintf(o, "<list><item>Niveau %d", d);
    for (int d = 8; d >= 1; d--) o += sprintf(o, "</item></list>");
    sprintf(o, "</section></report>");
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = lay_with_indent(ctx, xml, 60);
    CHECK(dl != NULL);
    if (dl) {
        double left = 25 * 72 / 25.4, width = 595.28 - 2 * left;
        double x[9] = { 0 };
        const rg_dl_page *p = &dl->pages[0];
        for (size_t i = 0; i < p->nitems; i++) {
            const rg_dl_glyphs *g = &p->items[i].u.glyphs;
            int d;
            if (p->items[i].kind == RG_DL_GLYPHS && sscanf(g->text, "Niveau %d", &d) == 1 &&
                d >= 1 && d <= 8)
                x[d] = g->x;
        }
        for (int d = 1; d <= 5; d++) CHECK(fabs(x[d] - (left + 60 * d)) < 0.01);
        /* a sixth level would leave 93 pt of 453: levels 6 to 8 stay at the fifth's */
        for (int d = 6; d <= 8; d++) CHECK(fabs(x[d] - x[5]) < 0.01);
        CHECK(width - (x[8] - left) >= width / 3);
        CHECK(ctx->warnings == 1);
        CHECK(ctx->diag_text && strstr(ctx->diag_text, "nested 6 deep") &&
              strstr(ctx->diag_text, "not indented further"));
        CHECK(rg_check_layout(ctx, dl, "lijsten.xml", NULL) == 0);
    }
    rg_dl_free(dl);
    rg_ctx_free(ctx);
}

TEST(layout_trailing_pagebreaks_make_no_page)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = lay_with_indent(ctx,
                                HEAD "<section><title>Een</title><p>Tekst.</p><pagebreak/>"
                                     "<pagebreak/></section><section><title>Twee</title>"
                                     "<p>Meer tekst.</p><pagebreak/></section></report>",
                                0);
    CHECK(dl != NULL);
    if (dl) CHECK(dl->npages == 2);
    CHECK(ctx->warnings == 0);
    rg_dl_free(dl);
    rg_ctx_free(ctx);
}
