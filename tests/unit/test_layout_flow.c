/* test_layout_flow.c - the flow of blocks over pages, on the display
 * list: page breaks that would make a blank page. */
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
