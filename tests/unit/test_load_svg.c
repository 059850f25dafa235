/* test_load_svg.c - the SVG reader (load/svg.c): each shape's segments,
 * path commands (relative, smooth, quadratic raised to cubic, arcs as
 * cubics), transforms composed, inherited and style="" properties,
 * colours, the viewBox and units, every refused element and attribute
 * with its line:col, the limits, the safe reading (DOCTYPE, entities),
 * and the fixture and sample logos. */
#include "load/load.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SVG_OPEN "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">"

/* Loads an SVG from a string named t.svg into *v; diagnostics in ctx. */
static rg_status load(rg_ctx *ctx, rg_arena *a, const char *text, const rg_vector **v)
{
    return rg_load_svg_mem(ctx, a, "t.svg", text, strlen(text), v);
}

/* Loads SVG_OPEN body </svg>. */
static rg_status body(rg_ctx *ctx, rg_arena *a, const char *b, const rg_vector **v)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s\n%s\n</svg>\n", SVG_OPEN, b);
    return load(ctx, a, buf, v);
}

static int near(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

static int has_diag(const rg_ctx *ctx, const char *s)
{
    return ctx->diag_text && strstr(ctx->diag_text, s) != NULL;
}

/* The segment ops of path p as a string: M L C Z. */
static const char *ops(const rg_vpath *p)
{
    static char buf[256];
    size_t i;
    for (i = 0; i < p->nsegs && i < sizeof buf - 1; i++)
        buf[i] = "MLCZ"[p->segs[i].op];
    buf[i] = 0;
    return buf;
}

TEST(svg_rect_and_defaults)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(body(ctx, a, "<rect x=\"10\" y=\"20\" width=\"30\" height=\"40\"/>", &v) == RG_OK);
    CHECK(v && near(v->width, 100) && near(v->height, 100) && v->npaths == 1);
    if (v && v->npaths == 1) {
        const rg_vpath *p = &v->paths[0];
        CHECK_STR(ops(p), "MLLLZ");
        CHECK(near(p->segs[0].pts[0], 10) && near(p->segs[0].pts[1], 20));
        CHECK(near(p->segs[1].pts[0], 40) && near(p->segs[1].pts[1], 20));
        CHECK(near(p->segs[2].pts[0], 40) && near(p->segs[2].pts[1], 60));   /* y down */
        CHECK(near(p->segs[3].pts[0], 10) && near(p->segs[3].pts[1], 60));
        /* SVG's initial values: black fill, no stroke, nonzero */
        CHECK(p->fill && !p->stroke && !p->evenodd);
        CHECK(near(p->fill_rgb[0], 0) && near(p->fill_rgb[1], 0) && near(p->fill_rgb[2], 0));
    }
    CHECK(ctx->errors == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_rounded_rect_circle_ellipse)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(body(ctx, a, "<rect width=\"40\" height=\"20\" rx=\"5\"/>\n"
                       "<circle cx=\"50\" cy=\"50\" r=\"10\"/>\n"
                       "<ellipse cx=\"50\" cy=\"50\" rx=\"20\" ry=\"10\"/>\n"
                       "<rect width=\"10\" height=\"10\" rx=\"50\"/>", &v) == RG_OK);
    CHECK(v && v->npaths == 4);
    if (v && v->npaths == 4) {
        const rg_vpath *r = &v->paths[0];
        CHECK_STR(ops(r), "MLCLCLCLCZ");
        /* ry defaults to rx: the first corner ends 5 down the right side */
        CHECK(near(r->segs[0].pts[0], 5) && near(r->segs[0].pts[1], 0));
        CHECK(near(r->segs[2].pts[4], 40) && near(r->segs[2].pts[5], 5));
        const rg_vpath *c = &v->paths[1];
        CHECK_STR(ops(c), "MCCCCZ");
        CHECK(near(c->segs[0].pts[0], 60) && near(c->segs[0].pts[1], 50));
        CHECK(near(c->segs[1].pts[4], 50) && near(c->segs[1].pts[5], 60));
        /* the quarter's control points at kappa times the radius */
        CHECK(fabs(c->segs[1].pts[1] - (50 + 10 * 0.5522847498)) < 1e-6);
        const rg_vpath *e = &v->paths[2];
        CHECK(near(e->segs[0].pts[0], 70) && near(e->segs[2].pts[4], 30) &&
              near(e->segs[3].pts[5], 40));
        /* rx clamped to half the width: a circle of radius 5 */
        const rg_vpath *k = &v->paths[3];
        CHECK(near(k->segs[0].pts[0], 5) && near(k->segs[1].pts[0], 5));
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_line_polyline_polygon)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(body(ctx, a, "<line x1=\"1\" y1=\"2\" x2=\"3\" y2=\"4\" stroke=\"red\"/>\n"
                       "<polyline points=\"0,0 10,0 10,10\" fill=\"none\" stroke=\"black\"/>\n"
                       "<polygon points=\"0 0,10 0 5-5\"/>\n"
                       "<line x1=\"1\" y1=\"2\" x2=\"3\" y2=\"4\"/>", &v) == RG_OK);
    /* the last line has no stroke, and a line is never filled: not drawn */
    CHECK(v && v->npaths == 3);
    if (v && v->npaths == 3) {
        CHECK_STR(ops(&v->paths[0]), "ML");
        CHECK(!v->paths[0].fill && v->paths[0].stroke && near(v->paths[0].stroke_rgb[0], 1));
        CHECK(near(v->paths[0].line_width, 1));
        CHECK_STR(ops(&v->paths[1]), "MLL");
        CHECK(!v->paths[1].fill && v->paths[1].stroke);
        CHECK_STR(ops(&v->paths[2]), "MLLZ");
        CHECK(near(v->paths[2].segs[2].pts[0], 5) && near(v->paths[2].segs[2].pts[1], -5));
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_path_commands_relative_and_smooth)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(body(ctx, a,
               "<path d=\"M10,10 20,10 l5 5 h5 v5 H0 V0 z m1 1 L2 2\"/>\n"
               "<path d=\"M0 0 C10 0 20 10 20 20 S30 40 40 40 c1 1 2 2 3 3 s1 1 2 2\"/>\n"
               "<path d=\"M0 0 Q10 0 10 10 T20 20 q5 0 5 5 t5 5\"/>\n"
               "<path d=\"M0 0L1.5.5.25-1e1Z\"/>\n"
               "<path d=\"M5 5 L6 5 L6 6 Z l1 2 Z\"/>", &v) == RG_OK);
    CHECK(v && v->npaths == 5);
    if (v && v->npaths == 5) {
        /* a command after Z starts a new subpath where the last one started */
        const rg_vpath *z = &v->paths[4];
        CHECK_STR(ops(z), "MLLZMLZ");
        CHECK(near(z->segs[4].pts[0], 5) && near(z->segs[4].pts[1], 5));
        CHECK(near(z->segs[5].pts[0], 6) && near(z->segs[5].pts[1], 7));
        const rg_vpath *p = &v->paths[0];
        /* M then implicit L; after z the relative m starts at the subpath's start */
        CHECK_STR(ops(p), "MLLLLLLZML");
        CHECK(near(p->segs[1].pts[0], 20) && near(p->segs[1].pts[1], 10));
        CHECK(near(p->segs[2].pts[0], 25) && near(p->segs[2].pts[1], 15));
        CHECK(near(p->segs[3].pts[0], 30) && near(p->segs[4].pts[1], 20));
        CHECK(near(p->segs[5].pts[0], 0) && near(p->segs[6].pts[1], 0));
        CHECK(near(p->segs[8].pts[0], 11) && near(p->segs[8].pts[1], 11));
        const rg_vpath *c = &v->paths[1];
        CHECK_STR(ops(c), "MCCCC");
        /* S reflects the last control point (20,10) about (20,20) */
        CHECK(near(c->segs[2].pts[0], 20) && near(c->segs[2].pts[1], 30));
        CHECK(near(c->segs[3].pts[4], 43) && near(c->segs[3].pts[5], 43));
        /* s after c: reflects (42,42) about (43,43) */
        CHECK(near(c->segs[4].pts[0], 44) && near(c->segs[4].pts[1], 44));
        CHECK(near(c->segs[4].pts[4], 45) && near(c->segs[4].pts[5], 45));
        const rg_vpath *q = &v->paths[2];
        CHECK_STR(ops(q), "MCCCC");
        /* Q (10,0) raised: controls 2/3 of the way from each end */
        CHECK(near(q->segs[1].pts[0], 20.0 / 3) && near(q->segs[1].pts[1], 0));
        CHECK(near(q->segs[1].pts[2], 10) && near(q->segs[1].pts[3], 10.0 / 3));
        /* T reflects (10,0) about (10,10): control (10,20) */
        CHECK(near(q->segs[2].pts[0], 10) && near(q->segs[2].pts[1], 10 + 20.0 / 3));
        CHECK(near(q->segs[4].pts[4], 30) && near(q->segs[4].pts[5], 30));
        const rg_vpath *n = &v->paths[3];
        CHECK_STR(ops(n), "MLLZ");
        CHECK(near(n->segs[1].pts[0], 1.5) && near(n->segs[1].pts[1], 0.5));
        CHECK(near(n->segs[2].pts[0], 0.25) && near(n->segs[2].pts[1], -10));
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_arcs_become_cubics)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    /* a half circle of radius 10 (two quarters), a full-turn pair of
     * arcs with compact flags, a radius too small (scaled up), rx 0 (a line) */
    CHECK(body(ctx, a, "<path d=\"M0 50 A10 10 0 0 1 20 50\"/>\n"
                       "<path d=\"M40 50a10 10 0 1020 0a10 10 0 1 0-20 0\"/>\n"
                       "<path d=\"M0 0 A1 1 0 0 1 10 0\"/>\n"
                       "<path d=\"M0 0 A0 5 0 0 1 10 10\"/>", &v) == RG_OK);
    CHECK(v && v->npaths == 4);
    if (v && v->npaths == 4) {
        const rg_vpath *h = &v->paths[0];
        CHECK_STR(ops(h), "MCC");
        /* sweep 1 from (0,50) to (20,50) goes through the top (y down: 40) */
        CHECK(near(h->segs[1].pts[4], 10) && near(h->segs[1].pts[5], 40));
        CHECK(near(h->segs[2].pts[4], 20) && near(h->segs[2].pts[5], 50));
        CHECK(fabs(h->segs[1].pts[1] - (50 - 10 * 0.5522847498)) < 1e-6);
        const rg_vpath *f = &v->paths[1];
        CHECK_STR(ops(f), "MCCCC");
        CHECK(near(f->segs[4].pts[4], 40) && near(f->segs[4].pts[5], 50));
        /* large 1, sweep 0 from (40,50): below (y 60) */
        CHECK(near(f->segs[1].pts[5], 60));
        const rg_vpath *s = &v->paths[2];
        CHECK(near(s->segs[s->nsegs - 1].pts[4], 10) && near(s->segs[1].pts[5], -5));
        CHECK_STR(ops(&v->paths[3]), "ML");
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_transforms_composed)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(load(ctx, a,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-10 -20 100 100\">\n"
               "<g transform=\"translate(10 20)\">\n"
               " <g transform=\"scale(2)\">\n"
               "  <rect width=\"1\" height=\"1\" transform=\"translate(5,0)\" stroke=\"black\" "
               "stroke-width=\"3\"/>\n"
               " </g>\n"
               " <rect width=\"1\" height=\"1\" transform=\"rotate(90)\"/>\n"
               " <rect width=\"1\" height=\"1\" transform=\"rotate(90 1 1)\"/>\n"
               " <rect width=\"1\" height=\"1\" transform=\"matrix(1 0 0 1 7 8) skewX(45)\"/>\n"
               " <rect width=\"1\" height=\"1\" transform=\"skewY(45)\"/>\n"
               " <rect width=\"1\" height=\"1\" transform=\"scale(4,1)\" stroke=\"red\"/>\n"
               "</g>\n</svg>\n", &v) == RG_OK);
    CHECK(v && v->npaths == 6);
    if (v && v->npaths == 6) {
        /* viewBox origin -10,-20 moved to 0,0, then translate, scale, translate */
        const rg_vpath *p = &v->paths[0];
        CHECK(near(p->segs[0].pts[0], 10 + 10 + 2 * 5) && near(p->segs[0].pts[1], 20 + 20));
        CHECK(near(p->segs[2].pts[0], 32) && near(p->segs[2].pts[1], 42));
        CHECK(near(p->line_width, 6));               /* 3 scaled by 2 */
        const rg_vpath *r = &v->paths[1];            /* (1,0) -> (0,1) */
        CHECK(near(r->segs[1].pts[0], 20) && near(r->segs[1].pts[1], 41));
        const rg_vpath *rc = &v->paths[2];           /* (0,0) about (1,1) -> (2,0) */
        CHECK(near(rc->segs[0].pts[0], 22) && near(rc->segs[0].pts[1], 40));
        const rg_vpath *m = &v->paths[3];            /* skewX(45): (0,1) -> (1,1), + (7,8) */
        CHECK(near(m->segs[3].pts[0], 20 + 8) && near(m->segs[3].pts[1], 40 + 9));
        const rg_vpath *k = &v->paths[4];            /* skewY(45): (1,0) -> (1,1) */
        CHECK(near(k->segs[1].pts[0], 21) && near(k->segs[1].pts[1], 41));
        /* a non-uniform scale: the square root of the area factor */
        CHECK(near(v->paths[5].line_width, 2));
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_inherited_styles_and_colours)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(body(ctx, a,
               "<g fill=\"#f00\" stroke=\"#0000FF\" stroke-width=\"2\" fill-rule=\"evenodd\">\n"
               " <rect width=\"1\" height=\"1\"/>\n"
               " <g style=\"fill: rgb(0, 128, 255); stroke:none\">\n"
               "  <rect width=\"1\" height=\"1\" fill=\"yellow\"/>\n"
               "  <rect width=\"1\" height=\"1\" style=\"fill:Teal;fill-rule:nonzero\"/>\n"
               "  <rect width=\"1\" height=\"1\" fill=\"inherit\" stroke=\"rgb(100%,0%,0%)\"/>\n"
               " </g>\n"
               " <rect width=\"1\" height=\"1\" fill=\"none\" opacity=\"1\" "
               "fill-opacity=\"1.0\" stroke-opacity=\"1\"/>\n"
               "</g>", &v) == RG_OK);
    CHECK(v && v->npaths == 5);
    if (v && v->npaths == 5) {
        const rg_vpath *p = v->paths;
        CHECK(p[0].fill && near(p[0].fill_rgb[0], 1) && near(p[0].fill_rgb[1], 0));
        CHECK(p[0].stroke && near(p[0].stroke_rgb[2], 1) && near(p[0].line_width, 2));
        CHECK(p[0].evenodd);
        /* yellow: the attribute on the rect beats the group's style */
        CHECK(near(p[1].fill_rgb[0], 1) && near(p[1].fill_rgb[1], 1) && near(p[1].fill_rgb[2], 0));
        CHECK(!p[1].stroke && p[1].evenodd);
        CHECK(near(p[2].fill_rgb[1], 128 / 255.0) && !p[2].evenodd);
        CHECK(near(p[3].fill_rgb[0], 0) && near(p[3].fill_rgb[1], 128 / 255.0) &&
              near(p[3].fill_rgb[2], 1));
        CHECK(p[3].stroke && near(p[3].stroke_rgb[0], 1) && near(p[3].line_width, 2));
        CHECK(!p[4].fill && p[4].stroke);
    }
    CHECK(ctx->errors == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_size_from_width_height_units)
{
    static const struct { const char *w, *h; double pw, ph; } cases[] = {
        { "96", "48px", 96, 48 }, { "72pt", "36pt", 96, 48 }, { "25.4mm", "2.54cm", 96, 96 },
        { "1in", "0.5in", 96, 48 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_arena *a = rg_arena_new();
        const rg_vector *v = NULL;
        char buf[400];
        snprintf(buf, sizeof buf, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" "
                 "height=\"%s\"><rect width=\"5\" height=\"5\"/></svg>", cases[i].w, cases[i].h);
        CHECK(load(ctx, a, buf, &v) == RG_OK);
        CHECK(v && near(v->width, cases[i].pw) && near(v->height, cases[i].ph));
        rg_arena_free(a);
        rg_ctx_free(ctx);
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(load(ctx, a, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"5\">"
                       "<rect width=\"5\" height=\"5\"/></svg>", &v) == RG_EX_DATAERR);
    CHECK(has_diag(ctx, "t.svg:1:1: error: width=\"100%\""));
    CHECK(load(ctx, a, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" "
                       "height=\"5\"/></svg>", &v) == RG_EX_DATAERR);
    CHECK(has_diag(ctx, "needs a viewBox"));
    CHECK(load(ctx, a, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 0 5\">"
                       "<rect width=\"5\" height=\"5\"/></svg>", &v) == RG_EX_DATAERR);
    CHECK(has_diag(ctx, "viewBox=\"0 0 0 5\""));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* Each refused element: the error at its line and column, naming it. */
TEST(svg_refused_elements_line_col)
{
    static const char *refused[] = {
        "<text x=\"0\" y=\"10\">Logius</text>", "<image href=\"a.png\" width=\"1\" height=\"1\"/>",
        "<use href=\"#a\"/>", "<linearGradient id=\"g\"/>", "<radialGradient id=\"g\"/>",
        "<filter id=\"f\"/>", "<mask id=\"m\"/>", "<clipPath id=\"c\"/>",
        "<style>rect { fill: red }</style>", "<script>alert(1)</script>",
        "<foreignObject width=\"1\" height=\"1\"/>", "<pattern id=\"p\"/>", "<symbol id=\"s\"/>",
        "<a><rect width=\"1\" height=\"1\"/></a>", "<svg><rect width=\"1\" height=\"1\"/></svg>",
        "<switch/>", "<marker/>", "<animate/>", "<tspan/>",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_arena *a = rg_arena_new();
        const rg_vector *v = NULL;
        char buf[1000], want[200], name[40];
        snprintf(buf, sizeof buf, "%s\n<rect width=\"1\" height=\"1\"/>\n<g>\n  %s\n</g>\n</svg>\n",
                 SVG_OPEN, refused[i]);
        sscanf(refused[i] + 1, "%39[A-Za-z]", name);
        CHECK(load(ctx, a, buf, &v) == RG_EX_DATAERR && v == NULL);
        snprintf(want, sizeof want, "t.svg:4:3: error: <%s> is not in the SVG subset reportgen "
                 "draws (paths, shapes, groups; see docs)", name);
        if (!has_diag(ctx, want)) {
            fprintf(stderr, "  wanted: %s\n  got: %s\n", want, ctx->diag_text);
            CHECK(has_diag(ctx, want));
        }
        rg_arena_free(a);
        rg_ctx_free(ctx);
    }
}

/* Refused attributes and values: gradients by url(), href, opacity, ... */
TEST(svg_refused_attributes)
{
    static const struct { const char *el, *phrase; } cases[] = {
        { "<rect width=\"1\" height=\"1\" fill=\"url(#g)\"/>", "fill=\"url(#g)\" on <rect>: gradients" },
        { "<rect width=\"1\" height=\"1\" style=\"stroke:url(#g)\"/>", "stroke=\"url(#g)\" on <rect>: gradients" },
        { "<rect width=\"1\" height=\"1\" opacity=\"0.5\"/>", "opacity=\"0.5\" on <rect>: only opacity 1" },
        { "<rect width=\"1\" height=\"1\" style=\"fill-opacity:.5\"/>", "fill-opacity=\".5\"" },
        { "<g stroke-opacity=\"0\"><rect width=\"1\" height=\"1\"/></g>", "stroke-opacity=\"0\" on <g>" },
        { "<rect xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"#a\" width=\"1\" height=\"1\"/>",
          "xlink:href on <rect>: references" },
        { "<rect width=\"1\" height=\"1\" fill=\"currentColor\"/>", "not a colour of the SVG subset" },
        { "<rect width=\"1\" height=\"1\" fill=\"#12\"/>", "fill=\"#12\"" },
        { "<rect width=\"1\" height=\"1\" clip-path=\"url(#c)\"/>", "clip-path=\"url(#c)\" on <rect>: only none" },
        { "<rect width=\"1\" height=\"1\" filter=\"url(#f)\"/>", "filter=\"url(#f)\"" },
        { "<rect width=\"1\" height=\"1\" stroke-linecap=\"round\"/>", "stroke-linecap=\"round\"" },
        { "<rect width=\"1\" height=\"1\" stroke-dasharray=\"1 2\"/>", "stroke-dasharray" },
        { "<rect width=\"10%\" height=\"1\"/>", "width=\"10%\" on <rect>: not a number" },
        { "<rect width=\"-1\" height=\"1\"/>", "negative width" },
        { "<rect width=\"1\" height=\"1\" transform=\"perspective(2)\"/>", "transform=\"perspective(2)\"" },
        { "<rect width=\"1\" height=\"1\" transform=\"rotate(1 2)\"/>", "transform=\"rotate(1 2)\"" },
        { "<path d=\"L 1 1\"/>", "expected M to start the path at character 1" },
        { "<path d=\"M 1 1 L 2\"/>", "expected a number at the end" },
        { "<path d=\"M0 0 A 1 1 0 2 1 5 5\"/>", "expected an arc flag" },
        { "<path d=\"M0 0 X 5\"/>", "expected a number at character 6" },
        { "<polygon points=\"1 2 3\"/>", "points=\"1 2 3...\" on <polygon>: expected pairs" },
        { "<rect width=\"1\" height=\"1\" style=\"fill\"/>", "not a list of property:value" },
        { "<rect width=\"1\" height=\"1\" fill-rule=\"odd\"/>", "fill-rule=\"odd\"" },
        { "<rect width=\"1\" height=\"1\" stroke-width=\"-2\"/>", "stroke-width=\"-2\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_arena *a = rg_arena_new();
        const rg_vector *v = NULL;
        char buf[1000];
        snprintf(buf, sizeof buf, "%s\n<rect width=\"1\" height=\"1\"/>\n  %s\n</svg>\n", SVG_OPEN,
                 cases[i].el);
        CHECK(load(ctx, a, buf, &v) == RG_EX_DATAERR && v == NULL);
        if (!has_diag(ctx, cases[i].phrase) || !has_diag(ctx, "t.svg:3:3: error: ")) {
            fprintf(stderr, "  case %zu wanted: %s\n  got: %s\n", i, cases[i].phrase,
                    ctx->diag_text);
            CHECK(0);
        }
        rg_arena_free(a);
        rg_ctx_free(ctx);
    }
}

TEST(svg_ignored_parts)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(load(ctx, a,
               "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
               "xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" "
               "viewBox=\"0 0 10 10\" version=\"1.1\" id=\"svg1\" inkscape:version=\"1.2\">\n"
               "<title>t</title><desc>d</desc><metadata><x xmlns=\"urn:x\">y</x></metadata>\n"
               "<sodipodi:namedview id=\"n\"/><defs id=\"defs2\"/>\n"
               "<g inkscape:label=\"Layer 1\" inkscape:groupmode=\"layer\" class=\"c\" id=\"l\">"
               "<rect width=\"1\" height=\"1\" style=\"fill:#000;stroke-linecap:butt;"
               "stroke-miterlimit:4;font-size:12px\"/></g>\n"
               "<rect width=\"1\" height=\"1\" display=\"none\" fill=\"url(#x)\"/>\n"
               "<g style=\"display:none\"><rect width=\"1\" height=\"1\"/></g>\n"
               "</svg>\n", &v) == RG_OK);
    CHECK(v && v->npaths == 1);
    CHECK(ctx->errors == 0 && ctx->warnings == 0);
    if (ctx->diag_text) fprintf(stderr, "  %s", ctx->diag_text);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(svg_draws_nothing_is_an_error)
{
    static const char *cases[] = {
        "", "<g/>", "<rect width=\"0\" height=\"5\"/>", "<rect width=\"5\" height=\"5\" fill=\"none\"/>",
        "<path d=\"M1 1\"/>", "<path/>", "<g fill=\"none\"><circle r=\"4\"/></g>",
        "<line x2=\"5\" y2=\"5\" stroke=\"black\" stroke-width=\"0\"/>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_arena *a = rg_arena_new();
        const rg_vector *v = NULL;
        CHECK(body(ctx, a, cases[i], &v) == RG_EX_DATAERR && v == NULL);
        CHECK(has_diag(ctx, "t.svg:1:1: error: the SVG draws nothing"));
        rg_arena_free(a);
        rg_ctx_free(ctx);
    }
}

TEST(svg_not_svg_and_safe_reading)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    CHECK(load(ctx, a, "<svg viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>", &v) ==
          RG_EX_DATAERR);
    CHECK(has_diag(ctx, "not an SVG image: the root element is <svg>, not <svg> in the SVG namespace"));
    CHECK(load(ctx, a, "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", &v) == RG_EX_DATAERR);
    CHECK(has_diag(ctx, "the root element is <html>"));
    CHECK(load(ctx, a, "<svg xmlns=\"http://www.w3.org/2000/svg\"", &v) == RG_EX_DATAERR);
    CHECK(load(ctx, a, "", &v) == RG_EX_DATAERR);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* The hostile inputs of tests/hostile/svg/: each refused with its message. */
TEST(svg_hostile_files)
{
    static const struct { const char *file, *phrase; } cases[] = {
        { "billion-laughs.svg", "billion-laughs.svg:2:15: error: DOCTYPE declarations are not allowed" },
        { "external-entity.svg", "external-entity.svg:2:15: error: DOCTYPE declarations are not allowed" },
        { "xlink-image.svg", "xlink-image.svg:3:3: error: <image> is not in the SVG subset" },
        { "text.svg", "text.svg:4:3: error: <text> is not in the SVG subset" },
        { "gradient.svg", "gradient.svg:3:5: error: <linearGradient> is not in the SVG subset" },
        { "gradient.svg", "gradient.svg:5:3: error: fill=\"url(#g)\" on <rect>: gradients" },
    };
    char path[1000];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_arena *a = rg_arena_new();
        const rg_vector *v = NULL;
        snprintf(path, sizeof path, "%s/tests/hostile/svg/%s", test_root, cases[i].file);
        CHECK(rg_load_svg(ctx, a, path, &v) == RG_EX_DATAERR && v == NULL);
        if (!has_diag(ctx, cases[i].phrase)) {
            fprintf(stderr, "  %s wanted: %s\n  got: %s\n", cases[i].file, cases[i].phrase,
                    ctx->diag_text);
            CHECK(0);
        }
        rg_arena_free(a);
        rg_ctx_free(ctx);
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    snprintf(path, sizeof path, "%s/tests/hostile/svg/no-such.svg", test_root);
    CHECK(rg_load_svg(ctx, a, path, &v) == RG_EX_NOINPUT && has_diag(ctx, "cannot read"));
    snprintf(path, sizeof path, "%s/tests/hostile/svg", test_root);
    CHECK(rg_load_svg(ctx, a, path, &v) == RG_EX_NOINPUT);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* Builds a string of n copies of unit between head and tail (malloc'd). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *b = malloc(hl + ul * n + tl + 1), *p = b;
    memcpy(p, head, hl);
    p += hl;
    for (size_t i = 0; i < n; i++, p += ul) memcpy(p, unit, ul);
    memcpy(p, tail, tl + 1);
    *len = hl + ul * n + tl;
    return b;
}

TEST(svg_limits)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    size_t len;
    /* a 10 MB path: refused by its size before it is parsed */
    char *big = repeat(SVG_OPEN "<path d=\"M0 0", " L1 1", 2 * 1000 * 1000, "\"/></svg>", &len);
    CHECK(len > 10 * 1000 * 1000);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", big, len, &v) == RG_EX_DATAERR && !v);
    CHECK(has_diag(ctx, "file too large for an SVG logo"));
    free(big);
    /* 100000 segments pass; 100001 do not */
    big = repeat(SVG_OPEN "<path d=\"M0 0", "L1 1", 99999, "\"/></svg>", &len);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", big, len, &v) == RG_OK && v &&
          v->paths[0].nsegs == 100000);
    free(big);
    big = repeat(SVG_OPEN "<path d=\"M0 0", "L1 1", 100000, "\"/></svg>", &len);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", big, len, &v) == RG_EX_DATAERR && !v);
    CHECK(has_diag(ctx, "error: more than 100000 path segments"));
    if (!has_diag(ctx, "more than 100000")) fprintf(stderr, "  %s", ctx->diag_text);
    free(big);
    /* across paths: the arcs of 30000 circles */
    big = repeat(SVG_OPEN, "<circle r=\"1\"/>", 30000, "</svg>", &len);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", big, len, &v) == RG_EX_DATAERR && !v);
    CHECK(has_diag(ctx, "more than 20000 elements"));
    free(big);
    big = repeat(SVG_OPEN, "<circle r=\"1\"/>", 16000, "</svg>", &len);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", big, len, &v) == RG_OK);   /* 96000 segments */
    free(big);
    big = repeat(SVG_OPEN "<g>", "<path d=\"M0 0h1v1h-1v-1h1v1h-1v-1\"/>", 12600, "</g></svg>", &len);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", big, len, &v) == RG_EX_DATAERR && !v);
    free(big);
    /* nesting: <svg>, 62 groups and a rect are 64 levels and pass; one more does not */
    char *open63 = repeat("", "<g>", 62, "", &len), *close63 = repeat("", "</g>", 62, "", &len);
    char buf[2000];
    snprintf(buf, sizeof buf, SVG_OPEN "%s<rect width=\"1\" height=\"1\"/>%s</svg>", open63, close63);
    CHECK(load(ctx, a, buf, &v) == RG_OK);
    snprintf(buf, sizeof buf, SVG_OPEN "<g>%s<rect width=\"1\" height=\"1\"/>%s</g></svg>", open63,
             close63);
    CHECK(load(ctx, a, buf, &v) == RG_EX_DATAERR);
    CHECK(has_diag(ctx, "t.svg:1:1: error: elements nest too deeply (the limit is 64 levels)"));
    free(open63);
    free(close63);
    /* deep nesting far past libxml2's own cap */
    char *deep = repeat(SVG_OPEN, "<g>", 100000, "</svg>", &len);
    CHECK(rg_load_svg_mem(ctx, a, "t.svg", deep, len, &v) == RG_EX_DATAERR && !v);
    free(deep);
    /* huge numbers */
    CHECK(body(ctx, a, "<rect width=\"1e300\" height=\"1\"/>", &v) == RG_EX_DATAERR);
    CHECK(body(ctx, a, "<path d=\"M0 0L1e400 0\"/>", &v) == RG_EX_DATAERR);
    CHECK(body(ctx, a, "<path d=\"M0 0A1e300 1e300 0 0 1 5 5\"/>", &v) == RG_EX_DATAERR);
    CHECK(has_diag(ctx, "expected numbers within 1e9 at character 6"));
    CHECK(body(ctx, a, "<g transform=\"scale(1e8)\"><rect width=\"100\" height=\"1\"/></g>", &v) ==
          RG_EX_DATAERR);
    CHECK(has_diag(ctx, "beyond 1e9"));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* The fixture and the samples' logos parse, and draw something. */
TEST(svg_fixture_and_sample_logos)
{
    static const char *files[] = {
        "tests/images/svg/logo.svg", "samples/common/logo-logius.svg",
        "samples/common/logo-open-registers.svg",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_arena *a = rg_arena_new();
        const rg_vector *v = NULL;
        char path[1000];
        snprintf(path, sizeof path, "%s/%s", test_root, files[i]);
        CHECK(rg_load_svg(ctx, a, path, &v) == RG_OK);
        if (ctx->diag_text) fprintf(stderr, "  %s: %s\n", files[i], ctx->diag_text);
        CHECK(v && v->npaths >= 2 && v->width > v->height);
        /* every point inside the viewBox (stroke half-widths aside) */
        for (size_t p = 0; v && p < v->npaths; p++)
            for (size_t s = 0; s < v->paths[p].nsegs; s++)
                for (int k = 0; k < 6; k += 2) {
                    const double *q = v->paths[p].segs[s].pts;
                    if (v->paths[p].segs[s].op == RG_VSEG_CLOSE) continue;
                    if (v->paths[p].segs[s].op != RG_VSEG_CURVE && k > 0) continue;
                    CHECK(q[k] >= -1 && q[k] <= v->width + 1 && q[k + 1] >= -1 &&
                          q[k + 1] <= v->height + 1);
                }
        rg_arena_free(a);
        rg_ctx_free(ctx);
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    char path[1000];
    snprintf(path, sizeof path, "%s/tests/images/svg/logo.svg", test_root);
    CHECK(rg_load_svg(ctx, a, path, &v) == RG_OK && v);
    if (v) {
        CHECK(near(v->width, 120) && near(v->height, 40) && v->npaths == 4);
        CHECK(v->npaths == 4 && v->paths[1].evenodd && v->paths[3].stroke && !v->paths[3].fill);
        CHECK(v->npaths == 4 && near(v->paths[1].segs[0].pts[0], 16) &&
              near(v->paths[1].segs[0].pts[1], 36));
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* What Illustrator writes around a flat logo (without its <style> block)
 * reads; its DOCTYPE line does not (docs/images.md says to delete it). */
TEST(svg_illustrator_preamble)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const rg_vector *v = NULL;
    const char *body_text =
        "<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 -->\n"
        "<svg version=\"1.1\" id=\"Layer_1\" xmlns=\"http://www.w3.org/2000/svg\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" x=\"0px\" y=\"0px\" viewBox=\"0 0 50 20\" "
        "style=\"enable-background:new 0 0 50 20;\" xml:space=\"preserve\">\n"
        "<g><polygon fill=\"#154273\" points=\"0,0 8,0 8,20 0,20\"/>\n"
        "<path fill=\"#154273\" d=\"M12,4h4v12h-4V4z\"/></g>\n</svg>\n";
    char buf[2000];
    snprintf(buf, sizeof buf, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n%s", body_text);
    CHECK(load(ctx, a, buf, &v) == RG_OK && v && v->npaths == 2);
    CHECK(ctx->errors == 0);
    snprintf(buf, sizeof buf, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE svg PUBLIC "
             "\"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n%s",
             body_text);
    CHECK(load(ctx, a, buf, &v) == RG_EX_DATAERR && !v);
    CHECK(has_diag(ctx, "t.svg:2:") && has_diag(ctx, "DOCTYPE declarations are not allowed"));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}
