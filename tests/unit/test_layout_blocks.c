/* test_layout_blocks.c - text blocks and layout options (issue 17): a
 * centred header field sits on the middle of the text width and is
 * shortened between long side fields (never over them); a definition
 * list's definitions start in one column right of its widest term, at
 * most a third of the width from the left; unnumbered captions leave
 * "Tabel 1" out and a reference prints the caption. */
#include "check/check.h"
#include "fonts/fonts.h"
#include "helpers.h"
#include "layout/layout.h"
#include "load/load.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HEAD                                                                               \
    "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>"            \
    "<info><title>Test</title><organisation>Org</organisation>"                           \
    "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>"

/* Lays out xml in the plain layout; set (may be NULL) changes the style first. */
static rg_dl *lay_out(rg_ctx *ctx, const char *xml, void (*set)(rg_style *), rg_style **out)
{
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_dl *dl = NULL;
    if (test_load_string(ctx, xml, &doc) == RG_OK &&
        test_load_layout(ctx, "plain", &style) == RG_OK) {
        if (set) set(style);
        rg_layout(ctx, doc, style, &dl);
    }
    *out = style;
    rg_doc_free(doc);
    return dl;
}

/* The first glyph run on page whose text starts with s (in a box of kind,
 * or any box with kind < 0), or NULL. */
static const rg_dl_glyphs *run_of(const rg_dl *dl, size_t page, int kind, const char *s)
{
    const rg_dl_page *p = &dl->pages[page];
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_item *it = &p->items[i];
        if (it->kind != RG_DL_GLYPHS) continue;
        if (kind >= 0 && (it->box < 0 || (int)dl->boxes[it->box].kind != kind)) continue;
        if (it->u.glyphs.text_len >= strlen(s) && !memcmp(it->u.glyphs.text, s, strlen(s)))
            return &it->u.glyphs;
    }
    return NULL;
}

/* Frees what a test made. */
static void done(rg_ctx *ctx, rg_dl *dl, rg_style *st)
{
    rg_dl_free(dl);
    rg_style_free(st);
    rg_ctx_free(ctx);
}

static double run_width(const rg_dl_glyphs *g)
{
    double w = 0;
    for (size_t i = 0; i < g->nglyphs; i++)
        w += g->glyphs[i].x_advance * g->size / rg_font_upem(g->font);
    return w;
}

static void centre_section(rg_style *s)
{
    s->header_left = "L";
    s->header_right = "R";
    s->header_center = "{section}";
}

TEST(blocks_center_field_is_centred)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_style *st = NULL;
    rg_dl *dl = lay_out(ctx, HEAD "<section><title>Hoofdstuk</title><p>Tekst.</p></section>"
                             "</report>", centre_section, &st);
    CHECK(dl && dl->npages == 1);
    if (dl && st) {
        const rg_dl_glyphs *g = run_of(dl, 0, RG_BOX_HEADER, "Hoofdstuk");
        CHECK(g != NULL);
        double mid = st->margin_left + (st->page_w - st->margin_left - st->margin_right) / 2;
        if (g) CHECK(fabs(g->x + run_width(g) / 2 - mid) < 0.5);
        CHECK(rg_check_layout(ctx, dl, "test", NULL) == 0);
        CHECK(ctx->warnings == 0);
    }
    done(ctx, dl, st);
}

static void long_sides(rg_style *s)
{
    s->header_left = "{organisation}";
    s->header_right = "{organisation}";
    s->header_center = "{title}";
}

TEST(blocks_center_field_is_shortened_between_long_sides)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_style *st = NULL;
    rg_dl *dl = lay_out(ctx,
                        "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>"
                        "<info><title>Een titel die lang genoeg is om niet tussen de twee "
                        "zijvelden te passen</title><organisation>Een organisatie met een "
                        "lange naam</organisation><period id='T1' from='2023-01-01' "
                        "to='2023-04-30'>jan-apr</period></info><section><title>H</title>"
                        "<p>Tekst.</p></section></report>", long_sides, &st);
    CHECK(dl != NULL);
    if (dl) {
        const rg_dl_glyphs *l = run_of(dl, 0, RG_BOX_HEADER, "Een organisatie");
        const rg_dl_glyphs *c = run_of(dl, 0, RG_BOX_HEADER, "Een titel");
        CHECK(l && c);
        if (l && c) {
            CHECK(c->flags & RG_RUN_SHORTENED);
            CHECK(c->x >= l->x + run_width(l));         /* right of the left field */
        }
        CHECK(rg_check_layout(ctx, dl, "test", NULL) == 0);
        CHECK(ctx->warnings == 1);                       /* the centre field, once */
    }
    done(ctx, dl, st);
}

TEST(blocks_definitions_start_in_one_column)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_style *st = NULL;
    rg_dl *dl = lay_out(ctx, HEAD "<section><title>H</title><definitions>"
                             "<entry><term>AVG</term><definition>Eerste</definition></entry>"
                             "<entry><term>AC-ICT</term><definition>Tweede</definition></entry>"
                             "<entry><term>Een begrip van vele woorden dat in zijn kolom "
                             "moet breken</term><definition>Derde</definition></entry>"
                             "</definitions></section></report>", NULL, &st);
    CHECK(dl != NULL);
    if (dl && st) {
        const rg_dl_glyphs *d[3] = { run_of(dl, 0, -1, "Eerste"), run_of(dl, 0, -1, "Tweede"),
                                     run_of(dl, 0, -1, "Derde") };
        const rg_dl_glyphs *t = run_of(dl, 0, -1, "AC-ICT");
        CHECK(d[0] && d[1] && d[2] && t);
        if (d[0] && d[1] && d[2] && t) {
            CHECK(fabs(d[0]->x - d[1]->x) < 0.01 && fabs(d[1]->x - d[2]->x) < 0.01);
            CHECK(d[0]->x > t->x + run_width(t));
            double width = st->page_w - st->margin_left - st->margin_right;
            CHECK(d[0]->x - st->margin_left <= width / 3 + 10 + 0.01);   /* + a 1 em gap */
            CHECK(fabs(d[0]->y - t->y) > 1);             /* each beside its own term */
        }
        CHECK(rg_check_layout(ctx, dl, "test", NULL) == 0);
        CHECK(ctx->warnings == 0);
    }
    done(ctx, dl, st);
}

static void unnumbered(rg_style *s)
{
    s->captions_unnumbered = 1;
}

TEST(blocks_unnumbered_captions_and_their_refs)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_style *st = NULL;
    rg_dl *dl = lay_out(ctx, HEAD "<data><dataset id='d'><field name='a'/>"
                             "<record><value>x</value></record></dataset></data>"
                             "<section><title>H</title><p>Zie <ref to='t'/> hier.</p>"
                             "<table id='t' data='d'><caption>Kosten</caption>"
                             "<column field='a'/></table></section></report>",
                        unnumbered, &st);
    CHECK(dl != NULL);
    if (dl) {
        CHECK(run_of(dl, 0, -1, "Tabel") == NULL);
        CHECK(run_of(dl, 0, -1, "Kosten") != NULL);     /* the caption, and the ref */
        int n = 0;
        for (size_t i = 0; i < dl->pages[0].nitems; i++) {
            const rg_dl_item *it = &dl->pages[0].items[i];
            n += it->kind == RG_DL_GLYPHS && it->u.glyphs.text_len >= 6 &&
                 !memcmp(it->u.glyphs.text, "Kosten", 6);
        }
        CHECK(n == 2);
        CHECK(rg_check_layout(ctx, dl, "test", NULL) == 0);
    }
    done(ctx, dl, st);
}
