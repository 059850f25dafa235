/* test_chart.c - the chart stage on hand-built datasets: bar geometry
 * proportional to value - axis start, the axis range for values near
 * 100 %, the norm's position, marks under the norm, grouped and stacked
 * bars, line gaps, pie angles, and no non-finite coordinate anywhere. */
#include "chart/chart.h"
#include "fonts/fonts.h"
#include "helpers.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>

#define TXT(s) { 0, 0, { 0, 0, 0 }, s }
#define NUM(v) { 0, v, { 0, 0, 0 }, NULL }
#define MISSING { 1, 0, { 0, 0, 0 }, NULL }

static rg_field fields[] = {
    { "dienst", "Dienst", RG_FIELD_TEXT, -1, NULL },
    { "realisatie", "Realisatie", RG_FIELD_PERCENT, 2, NULL },
    { "norm", "Norm", RG_FIELD_PERCENT, 1, NULL },
};

static rg_value avail[] = {
    TXT("DigiD"), NUM(99.62), NUM(99.8),
    TXT("eHerkenning"), NUM(99.95), NUM(99.8),
    TXT("MijnOverheid"), NUM(100), NUM(99.5),
    TXT("Digipoort"), NUM(99.71), NUM(99.5),
};

static rg_dataset avail_data = { "beschikbaarheid", NULL, NULL, 0, fields, 3, avail, 4, 1 };

typedef struct fixture {
    rg_ctx *ctx;
    rg_style *st;
    rg_dl *dl;
    const rg_locale *loc;
} fixture;

enum { BOX_X = 50, BOX_TOP = 700, BOX_W = 450, BOX_H = 220 };

static fixture setup(void)
{
    fixture f = { rg_ctx_new(NULL), NULL, rg_dl_new(), rg_locale_for("nl-NL") };
    CHECK(test_load_layout(f.ctx, "logius", &f.st) == RG_OK);
    rg_dl_add_page(f.dl, 595, 842);
    return f;
}

static void teardown(fixture *f)
{
    rg_dl_free(f->dl);
    rg_style_free(f->st);
    rg_ctx_free(f->ctx);
}

/* a fresh display list of one page, for the next chart */
static void new_page(fixture *f)
{
    rg_dl_free(f->dl);
    f->dl = rg_dl_new();
    rg_dl_add_page(f->dl, 595, 842);
}

static rg_chart bar_chart(const rg_dataset *d, int horizontal)
{
    rg_chart c = { .type = RG_CHART_BAR, .horizontal = horizontal, .data = d, .category = 0,
                   .series = { 1 }, .nseries = 1, .reference = -1, .alt = "test" };
    return c;
}

static rg_status draw(fixture *f, const rg_chart *c)
{
    if (!f->st) return RG_EX_SOFTWARE;
    return rg_chart_draw(f->ctx, f->dl, 0, c, f->st, f->loc, "nl-NL", BOX_X, BOX_TOP, BOX_W,
                         BOX_H);
}

static int same_color(rg_color a, rg_color b)
{
    return fabs(a.r - b.r) < 1e-6 && fabs(a.g - b.g) < 1e-6 && fabs(a.b - b.b) < 1e-6;
}

static const rg_dl_page *page0(const fixture *f) { return &f->dl->pages[0]; }

/* filled rectangles of colour col, legend swatches (9 × 9) left out */
static size_t bars_of(const fixture *f, rg_color col, rg_dl_rect *out, size_t max)
{
    size_t n = 0;
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_rect *r = &p->items[i].u.rect;
        if (p->items[i].kind != RG_DL_RECT || !r->fill || !same_color(r->fill_color, col)) continue;
        if (fabs(r->w - 9) < 1e-9 && fabs(r->h - 9) < 1e-9) continue;
        if (n < max) out[n] = *r;
        n++;
    }
    return n;
}

static const rg_dl_glyphs *run_with(const fixture *f, const char *s)
{
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_glyphs *g = &p->items[i].u.glyphs;
        if (p->items[i].kind == RG_DL_GLYPHS && strstr(g->text, s)) return g;
    }
    return NULL;
}

static int all_finite(const fixture *f)
{
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_item *it = &p->items[i];
        if (it->kind == RG_DL_RECT) {
            const rg_dl_rect *r = &it->u.rect;
            if (!isfinite(r->x) || !isfinite(r->y) || !isfinite(r->w) || !isfinite(r->h))
                return 0;
        } else if (it->kind == RG_DL_PATH) {
            for (size_t k = 0; k < it->u.path.nsegs; k++)
                for (int j = 0; j < 6; j++)
                    if (!isfinite(it->u.path.segs[k].pts[j])) return 0;
        } else if (it->kind == RG_DL_GLYPHS) {
            if (!isfinite(it->u.glyphs.x) || !isfinite(it->u.glyphs.y)) return 0;
        }
    }
    return 1;
}

/* the sign the chart should use with the layout's chart font */
static const char *expected_sign(const fixture *f)
{
    rg_font *font = NULL;
    const rg_role *r = &f->st->roles[RG_ROLE_CHART];
    if (rg_font_find(f->ctx, r->family, r->bold, r->italic, &font) != RG_OK) return " *";
    return rg_font_has_codepoint(font, 0x25BC) ? f->st->mark_sign : " *";
}

/* length = k (v - axis_min) for every bar: k and axis_min from two bars */
TEST(chart_bar_length_proportional_and_axis_near_100)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 1);
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect b[8];
    CHECK(bars_of(&f, f.st->palette[0], b, 8) == 4);
    double v[4] = { 99.62, 99.95, 100, 99.71 };
    double k = (b[2].w - b[0].w) / (v[2] - v[0]);
    double amin = v[0] - b[0].w / k;
    for (int i = 0; i < 4; i++) CHECK(fabs(b[i].w - k * (v[i] - amin)) < 0.01);
    CHECK(amin >= 99.0 - 1e-9 && amin <= 99.8 + 1e-9);
    for (int i = 1; i < 4; i++) CHECK(fabs(b[i].x - b[0].x) < 1e-9);   /* one start */
    /* the top is 100: the 100 % bar ends at the last grid line */
    double gmax = -1;
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind == RG_DL_PATH && same_color(pa->stroke_color, f.st->chart_grid))
            gmax = fmax(gmax, pa->segs[0].pts[0]);
    }
    CHECK(fabs(b[2].x + b[2].w - gmax) < 0.01);
    /* a broken axis: the zig-zag on it, the start label in bold */
    int zigzag = 0;
    for (size_t i = 0; i < p->nitems; i++)
        if (p->items[i].kind == RG_DL_PATH && p->items[i].u.path.nsegs == 8 &&
            same_color(p->items[i].u.path.stroke_color, f.st->chart_axis))
            zigzag = 1;
    CHECK(zigzag);
    char start[32];
    rg_format_percent(f.loc, amin, 1, start, sizeof start);
    const rg_dl_glyphs *g = run_with(&f, start);
    CHECK(g && rg_font_is_bold(g->font));
    CHECK(all_finite(&f));
    teardown(&f);
}

TEST(chart_vertical_constant_norm_line_at_its_value)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 0);
    c.has_ref_value = 1;
    c.ref_value = 99.8;
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect b[8];
    CHECK(bars_of(&f, f.st->palette[0], b, 8) == 2);        /* eHerkenning, MijnOverheid */
    double k = (b[1].h - b[0].h) / (100 - 99.95), amin = 99.95 - b[0].h / k;
    double want = b[0].y + k * (99.8 - amin);
    int found = 0;
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || pa->dash_on <= 0 || pa->nsegs != 2 ||
            !same_color(pa->stroke_color, f.st->chart_reference))
            continue;
        if (fabs(pa->segs[0].pts[1] - pa->segs[1].pts[1]) > 1e-9) continue;   /* legend */
        if (pa->segs[1].pts[0] - pa->segs[0].pts[0] < 100) continue;          /* legend */
        CHECK(fabs(pa->segs[0].pts[1] - want) < 0.01);
        found++;
    }
    CHECK(found == 1);
    teardown(&f);
}

TEST(chart_per_category_norm_ticks_and_marked_bars)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 1);
    c.reference = 2;
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect ok[8], low[8];
    /* DigiD 99,62 < 99,8 is under its norm; the others are not */
    CHECK(bars_of(&f, f.st->palette[0], ok, 8) == 3);
    CHECK(bars_of(&f, f.st->mark_color, low, 8) == 1);
    CHECK(!same_color(f.st->mark_color, f.st->palette[0]));
    double v[3] = { 99.95, 100, 99.71 };
    double k = (ok[1].w - ok[0].w) / (v[1] - v[0]), amin = v[0] - ok[0].w / k;
    CHECK(fabs(low[0].w - k * (99.62 - amin)) < 0.01);
    /* more than colour: an outline on the same rectangle and hatching in it */
    int outline = 0, hatch = 0, ticks = 0;
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_item *it = &p->items[i];
        if (it->kind == RG_DL_RECT && it->u.rect.stroke && fabs(it->u.rect.x - low[0].x) < 1e-9 &&
            fabs(it->u.rect.w - low[0].w) < 1e-9 && fabs(it->u.rect.y - low[0].y) < 1e-9)
            outline = 1;
        if (it->kind == RG_DL_PATH && it->u.path.nsegs > 4 &&
            it->u.path.segs[0].pts[1] >= low[0].y - 1e-9 &&
            it->u.path.segs[0].pts[1] <= low[0].y + low[0].h + 1e-9 &&
            it->u.path.segs[0].pts[0] >= low[0].x - 1e-9)
            hatch = 1;
        /* norm ticks: short solid vertical strokes at norm positions */
        if (it->kind == RG_DL_PATH && it->u.path.nsegs == 2 && it->u.path.dash_on == 0 &&
            same_color(it->u.path.stroke_color, f.st->chart_reference) &&
            fabs(it->u.path.segs[0].pts[0] - it->u.path.segs[1].pts[0]) < 1e-9) {
            double x = it->u.path.segs[0].pts[0];
            double n1 = ok[0].x + k * (99.8 - amin), n2 = ok[0].x + k * (99.5 - amin);
            CHECK(fabs(x - n1) < 0.01 || fabs(x - n2) < 0.01);
            ticks++;
        }
    }
    CHECK(outline && hatch);
    CHECK(ticks == 4);
    char want[64], good[64], bad[64];
    size_t n = rg_format_percent(f.loc, 99.62, 2, want, sizeof want);
    snprintf(want + n, sizeof want - n, "%s", expected_sign(&f));
    CHECK(run_with(&f, want) != NULL);
    rg_format_percent(f.loc, 99.95, 2, good, sizeof good);
    CHECK(run_with(&f, good) != NULL);
    snprintf(bad, sizeof bad, "%s%s", good, expected_sign(&f));
    CHECK(!run_with(&f, bad));
    teardown(&f);
}

TEST(chart_axis_range_given_by_the_chart)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 0);
    c.has_axis_min = c.has_axis_max = 1;
    c.axis_min = 99;
    c.axis_max = 100;
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect b[8];
    CHECK(bars_of(&f, f.st->palette[0], b, 8) == 4);
    double v[4] = { 99.62, 99.95, 100, 99.71 };
    double k = b[2].h / (100 - 99);                /* the 100 % bar is the full height */
    for (int i = 0; i < 4; i++) CHECK(fabs(b[i].h - k * (v[i] - 99)) < 0.01);
    teardown(&f);
}

static rg_field money_fields[] = {
    { "post", "Post", RG_FIELD_TEXT, -1, NULL },
    { "begroting", "Begroting", RG_FIELD_EURO, 1, "mln" },
    { "prognose", "Prognose", RG_FIELD_EURO, 1, "mln" },
};

static rg_value money[] = {
    TXT("Personeel"), NUM(112.4), NUM(118.9),
    TXT("Materieel"), NUM(156.0), NUM(149.3),
    TXT("ICT"), NUM(61.2), MISSING,
    TXT("Huisvesting"), NUM(18.7), NUM(18.1),
    TXT("Overig"), NUM(9.1), NUM(10.6),
};

static rg_dataset money_data = { "financien", NULL, NULL, 0, money_fields, 3, money, 5, 1 };

TEST(chart_grouped_bars_one_per_value_and_a_legend)
{
    fixture f = setup();
    for (int hz = 0; hz < 2; hz++) {
        rg_chart c = bar_chart(&money_data, hz);
        c.type = RG_CHART_GROUPED;
        c.series[1] = 2;
        c.nseries = 2;
        rg_dl_free(f.dl);
        f.dl = rg_dl_new();
        rg_dl_add_page(f.dl, 595, 842);
        CHECK(draw(&f, &c) == RG_OK);
        rg_dl_rect a[8], b[8];
        size_t na = bars_of(&f, f.st->palette[0], a, 8), nb = bars_of(&f, f.st->palette[1], b, 8);
        CHECK(na == 5 && nb == 4);                  /* ncat × nseries, less one missing */
        CHECK(na + nb == 5 * 2 - 1);
        /* zero-based euro axis: length proportional to the value itself */
        double k = hz ? a[0].w / 112.4 : a[0].h / 112.4;
        CHECK(fabs((hz ? a[1].w : a[1].h) - k * 156.0) < 0.01);
        CHECK(fabs((hz ? b[0].w : b[0].h) - k * 118.9) < 0.01);
        CHECK(run_with(&f, "Begroting") && run_with(&f, "Prognose"));
        CHECK(run_with(&f, "\xE2\x82\xAC"));          /* € on the axis */
        CHECK(all_finite(&f));
    }
    teardown(&f);
}

TEST(chart_stacked_segments_stack)
{
    fixture f = setup();
    rg_chart c = bar_chart(&money_data, 0);
    c.type = RG_CHART_STACKED;
    c.series[1] = 2;
    c.nseries = 2;
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect a[8], b[8];
    CHECK(bars_of(&f, f.st->palette[0], a, 8) == 5);
    CHECK(bars_of(&f, f.st->palette[1], b, 8) == 4);
    CHECK(fabs(b[0].y - (a[0].y + a[0].h)) < 1e-9);  /* prognose sits on begroting */
    CHECK(fabs(b[0].x - a[0].x) < 1e-9);
    teardown(&f);
}

TEST(chart_missing_values_draw_no_bar)
{
    fixture f = setup();
    rg_value vals[] = { TXT("A"), NUM(80), NUM(90), TXT("B"), MISSING, NUM(90),
                        TXT("C"), NUM(NAN), NUM(90), TXT("D"), NUM(70), NUM(90) };
    rg_dataset d = { "d", NULL, NULL, 0, fields, 3, vals, 4, 1 };
    rg_chart c = bar_chart(&d, 0);
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect b[8];
    CHECK(bars_of(&f, f.st->palette[0], b, 8) == 2);
    CHECK(run_with(&f, "\xE2\x80\x93") == NULL);      /* no "–" label either */
    CHECK(all_finite(&f));
    teardown(&f);
}

TEST(chart_without_values_draws_frame_and_label)
{
    fixture f = setup();
    rg_value vals[] = { TXT("A"), MISSING, NUM(90) };
    rg_dataset d = { "d", NULL, NULL, 0, fields, 3, vals, 1, 1 };
    rg_dataset empty = { "e", NULL, NULL, 0, fields, 3, NULL, 0, 1 };
    rg_chart_type types[] = { RG_CHART_BAR, RG_CHART_GROUPED, RG_CHART_STACKED, RG_CHART_LINE,
                              RG_CHART_PIE, RG_CHART_DONUT };
    for (size_t i = 0; i < 12; i++) {
        rg_chart c = bar_chart(i % 2 ? &d : &empty, 0);
        c.type = types[i / 2];
        rg_dl_free(f.dl);
        f.dl = rg_dl_new();
        rg_dl_add_page(f.dl, 595, 842);
        CHECK(draw(&f, &c) == RG_OK);
        CHECK(run_with(&f, "Geen gegevens") != NULL);
        CHECK(all_finite(&f));
    }
    teardown(&f);
}

TEST(chart_degenerate_data_stays_finite)
{
    fixture f = setup();
    rg_value equal[] = { TXT("A"), NUM(99.9), MISSING, TXT("B"), NUM(99.9), MISSING };
    rg_value one[] = { TXT("A"), NUM(0), MISSING };
    rg_value huge[] = { TXT("A"), NUM(1e308), MISSING, TXT("B"), NUM(-1e308), MISSING };
    rg_value inf[] = { TXT("A"), NUM(INFINITY), MISSING, TXT("B"), NUM(5), MISSING };
    rg_dataset ds[] = { { "a", NULL, NULL, 0, fields, 3, equal, 2, 1 },
                        { "b", NULL, NULL, 0, fields, 3, one, 1, 1 },
                        { "c", NULL, NULL, 0, fields, 3, huge, 2, 1 },
                        { "d", NULL, NULL, 0, fields, 3, inf, 2, 1 } };
    for (size_t i = 0; i < 4; i++)
        for (int t = RG_CHART_BAR; t <= RG_CHART_DONUT; t++)
            for (int hz = 0; hz < 2; hz++) {
                rg_chart c = bar_chart(&ds[i], hz);
                c.type = (rg_chart_type)t;
                c.has_ref_value = i == 0;
                c.ref_value = 99.9;
                CHECK(draw(&f, &c) == RG_OK);
            }
    CHECK(all_finite(&f));
    /* a zero-sized box draws nothing, and does not fail */
    rg_chart c = bar_chart(&avail_data, 0);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, f.loc, "nl-NL", 0, 0, 0, 0) == RG_OK);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, f.loc, "nl-NL", NAN, 0, 100, 100) == RG_OK);
    CHECK(all_finite(&f));
    teardown(&f);
}

/* the angle of a path point around (cx, cy), clockwise from twelve o'clock */
static double clock_angle(double x, double y, double cx, double cy)
{
    double a = atan2(x - cx, y - cy) * 180 / 3.14159265358979323846;
    return a < 0 ? a + 360 : a;
}

static void check_pie(rg_chart_type type)
{
    fixture f = setup();
    rg_value vals[] = { TXT("A"), NUM(1), MISSING, TXT("B"), NUM(1), MISSING,
                        TXT("C"), MISSING, MISSING, TXT("D"), NUM(2), MISSING };
    rg_dataset d = { "d", NULL, NULL, 0, fields, 3, vals, 4, 1 };
    rg_chart c = bar_chart(&d, 0);
    c.type = type;
    CHECK(draw(&f, &c) == RG_OK);
    const rg_dl_page *p = page0(&f);
    double want[3] = { 90, 90, 180 }, cx = 0, cy = 0;
    size_t k = 0;
    for (size_t i = 0; i < p->nitems && k < 3; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || !pa->fill) continue;
        /* pie: MOVE centre, LINE rim, CURVEs; donut: MOVE rim, CURVEs, ... */
        size_t s0 = type == RG_CHART_PIE ? 1 : 0, e = s0 + 1, ncurves = 0;
        while (e < pa->nsegs && pa->segs[e].op == RG_PATH_CURVE) e++, ncurves++;
        CHECK(ncurves == (want[k] > 90 ? 2u : 1u));     /* one cubic per <= 90° */
        const double *st = pa->segs[s0].pts, *en = &pa->segs[e - 1].pts[4];
        if (type == RG_CHART_PIE) {
            cx = pa->segs[0].pts[0];
            cy = pa->segs[0].pts[1];
        } else if (k == 0) {
            cx = st[0];                                  /* starts at twelve o'clock, */
            cy = en[1];                                  /* the quarter ends at three */
        }
        double a0 = clock_angle(st[0], st[1], cx, cy), a1 = clock_angle(en[0], en[1], cx, cy);
        double sweep = fmod(a1 - a0 + 360, 360);
        CHECK(fabs(sweep - want[k]) < 0.01);
        CHECK(fabs(a0 - (k == 0 ? 0 : k == 1 ? 90 : 180)) < 0.01);
        k++;
    }
    CHECK(k == 3);                                       /* the missing value has no slice */
    char q[32], h[32];
    rg_format_percent(f.loc, 25, 1, q, sizeof q);
    rg_format_percent(f.loc, 50, 1, h, sizeof h);
    CHECK(run_with(&f, q) && run_with(&f, h));
    CHECK(run_with(&f, "A") != NULL);                    /* category in the label / legend */
    CHECK(all_finite(&f));
    teardown(&f);
}

TEST(chart_pie_slice_angles_proportional)
{
    check_pie(RG_CHART_PIE);
}

TEST(chart_donut_slice_angles_proportional)
{
    check_pie(RG_CHART_DONUT);
}

TEST(chart_pie_bezier_arcs_stay_on_the_circle)
{
    fixture f = setup();
    rg_value vals[] = { TXT("A"), NUM(3), MISSING, TXT("B"), NUM(1), MISSING };
    rg_dataset d = { "d", NULL, NULL, 0, fields, 3, vals, 2, 1 };
    rg_chart c = bar_chart(&d, 0);
    c.type = RG_CHART_PIE;
    CHECK(draw(&f, &c) == RG_OK);
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || !pa->fill) continue;
        double cx = pa->segs[0].pts[0], cy = pa->segs[0].pts[1];
        double r = hypot(pa->segs[1].pts[0] - cx, pa->segs[1].pts[1] - cy);
        double x0 = pa->segs[1].pts[0], y0 = pa->segs[1].pts[1];
        for (size_t s = 2; s < pa->nsegs && pa->segs[s].op == RG_PATH_CURVE; s++) {
            const double *q = pa->segs[s].pts;
            double mx = 0.125 * x0 + 0.375 * q[0] + 0.375 * q[2] + 0.125 * q[4];
            double my = 0.125 * y0 + 0.375 * q[1] + 0.375 * q[3] + 0.125 * q[5];
            CHECK(fabs(hypot(mx - cx, my - cy) - r) < r * 0.001);
            x0 = q[4];
            y0 = q[5];
        }
    }
    teardown(&f);
}

TEST(chart_line_missing_value_leaves_a_gap)
{
    fixture f = setup();
    rg_value vals[] = { TXT("T1"), NUM(99.7), NUM(99.8), TXT("T2"), NUM(99.9), NUM(99.8),
                        TXT("T3"), MISSING, NUM(99.8), TXT("T4"), NUM(99.85), NUM(99.8),
                        TXT("T5"), NUM(99.95), NUM(99.8) };
    rg_dataset d = { "d", NULL, NULL, 0, fields, 3, vals, 5, 1 };
    rg_chart c = bar_chart(&d, 0);
    c.type = RG_CHART_LINE;
    CHECK(draw(&f, &c) == RG_OK);
    const rg_dl_page *p = page0(&f);
    int lines = 0, markers = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH) continue;
        if (pa->fill && same_color(pa->fill_color, f.st->palette[0])) markers++;
        if (!pa->fill && pa->nsegs == 4 && same_color(pa->stroke_color, f.st->palette[0])) {
            lines++;
            CHECK(pa->segs[0].op == RG_PATH_MOVE && pa->segs[1].op == RG_PATH_LINE);
            CHECK(pa->segs[2].op == RG_PATH_MOVE && pa->segs[3].op == RG_PATH_LINE);
            /* the second part starts at T4, past the gap */
            CHECK(pa->segs[2].pts[0] - pa->segs[1].pts[0] > 1.5 * (pa->segs[1].pts[0] -
                                                                   pa->segs[0].pts[0]));
        }
    }
    CHECK(lines == 1);
    CHECK(markers == 4);
    CHECK(all_finite(&f));
    teardown(&f);
}

TEST(chart_missing_font_is_unavailable)
{
    fixture f = setup();
    if (f.st) {
        rg_style copy = *f.st;
        copy.roles[RG_ROLE_CHART].family = "No Such Family 42";
        rg_chart c = bar_chart(&avail_data, 0);
        CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, &copy, f.loc, "nl-NL", 50, 700, 400, 200) ==
              RG_EX_UNAVAILABLE);
        CHECK(strstr(f.ctx->diag_text, "No Such Family 42") != NULL);
        CHECK(page0(&f)->nitems == 0);
    }
    teardown(&f);
}

TEST(chart_height_from_chart_then_layout)
{
    rg_style st = { 0 };
    rg_chart c = { .height = 0 };
    st.chart_height = 200;
    CHECK(rg_chart_height(&c, &st, 400) == 200);
    c.height = 150;
    CHECK(rg_chart_height(&c, &st, 400) == 150);
}

/* ---- labels: every text in a label box with its source, fitted ---- */

#include "check/check.h"

enum { MANY = 30 };

/* MANY categories named by long compounds */
static rg_dataset long_names(rg_value *vals, char names[][96], size_t n)
{
    static const char *const W[] = { "Gegevensuitwisselingsvoorziening", "Basisregistratie",
                                     "Berichtenbox", "Machtigingenregister", "Stelselcatalogus" };
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], 96, "%s %s %zu", W[i % 5], W[(i + 2) % 5], i + 1);
        vals[3 * i] = (rg_value)TXT(names[i]);
        vals[3 * i + 1] = (rg_value)NUM(90 + (double)(i % 10));
        vals[3 * i + 2] = (rg_value)MISSING;
    }
    rg_dataset d = { "lang", NULL, NULL, 0, fields, 3, vals, n, 1 };
    return d;
}

/* draws c in a chart box, as layout does, and checks the layout */
static size_t draw_checked(fixture *f, const rg_chart *c)
{
    rg_dl_box_open(f->dl, 0, RG_BOX_CHART, BOX_X, BOX_TOP - BOX_H, BOX_X + BOX_W, BOX_TOP, 0);
    CHECK(draw(f, c) == RG_OK);
    rg_dl_box_close(f->dl);
    return rg_check_layout(f->ctx, f->dl, "def.xml", NULL);
}

/* every run is in a label box inside the chart's box and has its source */
static int runs_in_labels(const fixture *f)
{
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_item *it = &p->items[i];
        if (it->kind != RG_DL_GLYPHS) continue;
        if (it->box < 0 || f->dl->boxes[it->box].kind != RG_BOX_LABEL) return 0;
        const rg_dl_box *b = &f->dl->boxes[it->box];
        if (b->x0 < BOX_X - 1e-9 || b->x1 > BOX_X + BOX_W + 1e-9 || b->y0 < BOX_TOP - BOX_H - 1e-9 ||
            b->y1 > BOX_TOP + 1e-9)
            return 0;
        if (it->u.glyphs.para < 0) return 0;
    }
    return 1;
}

static size_t shortened_runs(const fixture *f)
{
    size_t n = 0;
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_glyphs *g = &p->items[i].u.glyphs;
        if (p->items[i].kind != RG_DL_GLYPHS || !(g->flags & RG_RUN_SHORTENED)) continue;
        if (g->text_len < 3 || memcmp(g->text + g->text_len - 3, "\xE2\x80\xA6", 3)) return 0;
        n++;
    }
    return n;
}

static int said(const fixture *f, const char *what)
{
    return f->ctx->diag_text && strstr(f->ctx->diag_text, what) != NULL;
}

TEST(chart_horizontal_many_long_categories_never_overlap)
{
    fixture f = setup();
    rg_value vals[3 * MANY];
    char names[MANY][96];
    rg_dataset d = long_names(vals, names, MANY);
    rg_chart c = bar_chart(&d, 1);
    c.id = "hbar";
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(runs_in_labels(&f));
    CHECK(shortened_runs(&f) > 0);
    CHECK(said(&f, "chart 'hbar': "));
    CHECK(said(&f, "category labels shortened to fit: \""));
    CHECK(said(&f, "only every 2nd of 30 labelled"));      /* 30 bars in 220 pt */
    teardown(&f);
}

TEST(chart_vertical_long_category_shortened_with_warning)
{
    fixture f = setup();
    rg_value vals[3 * 6];
    char names[6][96];
    rg_dataset d = long_names(vals, names, 6);
    rg_chart c = bar_chart(&d, 0);
    c.title = "Beschikbaarheid";
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(runs_in_labels(&f));
    CHECK(shortened_runs(&f) > 0);
    CHECK(said(&f, "chart \"Beschikbaarheid\": "));        /* no id: its title */
    CHECK(!said(&f, "broken without a hyphen"));           /* no word broken */
    teardown(&f);
}

TEST(chart_labels_that_fit_are_whole_and_unwarned)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 1);
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(runs_in_labels(&f));
    CHECK(shortened_runs(&f) == 0);
    CHECK(!f.ctx->diag_text || !strstr(f.ctx->diag_text, "warning"));
    CHECK(run_with(&f, "eHerkenning") && run_with(&f, "MijnOverheid"));
    teardown(&f);
}

TEST(chart_pie_long_names_stay_in_the_chart)
{
    fixture f = setup();
    rg_value vals[3 * 12];
    char names[12][96];
    rg_dataset d = long_names(vals, names, 12);
    rg_chart c = bar_chart(&d, 0);
    c.type = RG_CHART_PIE;
    c.id = "taart";
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(runs_in_labels(&f));
    CHECK(said(&f, "chart 'taart': "));
    teardown(&f);
}

TEST(chart_too_small_for_its_title_leaves_it_out)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 0);
    c.title = "Beschikbaarheid per voorziening";
    rg_dl_box_open(f.dl, 0, RG_BOX_CHART, BOX_X, BOX_TOP - 4, BOX_X + BOX_W, BOX_TOP, 0);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, f.loc, "nl-NL", BOX_X, BOX_TOP, BOX_W, 4) ==
          RG_OK);
    rg_dl_box_close(f.dl);
    CHECK(rg_check_layout(f.ctx, f.dl, "def.xml", NULL) == 0);
    CHECK(run_with(&f, "Beschikbaarheid") == NULL);
    CHECK(said(&f, ": 1 title") && said(&f, "left out: no room"));
    teardown(&f);
}

/* ---- series looks: colour and pattern ---- */

enum { NSER = 12 };

static rg_field twelve_fields[NSER + 1];
static rg_value twelve_values[3 * (NSER + 1)];
static char twelve_names[NSER][16];

/* three categories of twelve series (a pie takes the first series) */
static rg_dataset twelve(void)
{
    twelve_fields[0] = (rg_field){ "jaar", "Jaar", RG_FIELD_TEXT, -1, NULL };
    for (int s = 0; s < NSER; s++) {
        snprintf(twelve_names[s], sizeof twelve_names[s], "Reeks %d", s + 1);
        twelve_fields[s + 1] = (rg_field){ twelve_names[s], twelve_names[s], RG_FIELD_NUMBER, 0,
                                           NULL };
    }
    static const char *const years[3] = { "2021", "2022", "2023" };
    for (int r = 0; r < 3; r++) {
        twelve_values[r * (NSER + 1)] = (rg_value)TXT(years[r]);
        for (int s = 0; s < NSER; s++)
            twelve_values[r * (NSER + 1) + s + 1] = (rg_value)NUM(10 + (s * 7 + r * 3) % 13);
    }
    rg_dataset d = { "twaalf", NULL, NULL, 0, twelve_fields, NSER + 1, twelve_values, 3, 1 };
    return d;
}

static rg_chart twelve_chart(const rg_dataset *d, rg_chart_type type)
{
    rg_chart c = bar_chart(d, 0);
    c.type = type;
    c.nseries = type == RG_CHART_PIE || type == RG_CHART_DONUT ? 1 : NSER;
    for (int s = 0; s < NSER; s++) c.series[s] = s + 1;
    return c;
}

static int is_white(rg_color c)
{
    return same_color(c, (rg_color){ 1, 1, 1 });
}

/* What the white stroked paths right after item i draw: per path its
 * line width, dash and the directions of its lines ("h", "v", "/", "\\"),
 * e.g. "1.00:0.00:h|"; "" when none follows (a plain fill). */
static void pattern_after(const rg_dl_page *p, size_t i, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t k = i + 1; k < p->nitems; k++) {
        const rg_dl_path *pa = &p->items[k].u.path;
        if (p->items[k].kind != RG_DL_PATH || pa->fill || !pa->stroke ||
            !is_white(pa->stroke_color) || pa->nsegs < 2 || pa->segs[0].op != RG_PATH_MOVE ||
            pa->segs[1].op != RG_PATH_LINE)
            break;
        if (pa->nsegs == 2 && pa->line_width <= 0.75 + 1e-9) break;   /* a rule between fills */
        int dirs[4] = { 0 }, lines = pa->nsegs % 2 == 0;
        for (size_t s = 0; s < pa->nsegs; s++)   /* lines only: not a slice's outline */
            lines &= pa->segs[s].op == (s % 2 ? RG_PATH_LINE : RG_PATH_MOVE);
        if (!lines) break;
        for (size_t s = 0; s + 1 < pa->nsegs; s += 2) {
            double dx = pa->segs[s + 1].pts[0] - pa->segs[s].pts[0];
            double dy = pa->segs[s + 1].pts[1] - pa->segs[s].pts[1];
            dirs[fabs(dy) < 1e-6 ? 0 : fabs(dx) < 1e-6 ? 1 : dx * dy > 0 ? 2 : 3] = 1;
        }
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%.2f:%.2f:%s%s%s%s|",
                              pa->line_width, pa->dash_on, dirs[0] ? "h" : "", dirs[1] ? "v" : "",
                              dirs[2] ? "/" : "", dirs[3] ? "\\" : "");
    }
}

/* the looks of the legend's fill swatches (9 × 9), in order */
static size_t swatch_looks(const fixture *f, char looks[][128], size_t max)
{
    const rg_dl_page *p = page0(f);
    size_t n = 0;
    for (size_t i = 0; i < p->nitems && n < max; i++) {
        const rg_dl_rect *r = &p->items[i].u.rect;
        if (p->items[i].kind != RG_DL_RECT || !r->fill || fabs(r->w - 9) > 1e-9 ||
            fabs(r->h - 9) > 1e-9)
            continue;
        char pat[96];
        pattern_after(p, i, pat, sizeof pat);
        snprintf(looks[n++], 128, "%.3f,%.3f,%.3f %s", r->fill_color.r, r->fill_color.g,
                 r->fill_color.b, pat);
    }
    return n;
}

static int all_distinct(char looks[][128], size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (!strcmp(looks[i], looks[k])) {
                fprintf(stderr, "  series %zu and %zu look alike: %s\n", i + 1, k + 1, looks[i]);
                return 0;
            }
    return 1;
}

/* 12 series give 12 different (colour, pattern) pairs in the legend and
 * on the bars and slices, with the layout's 12 colours and with a
 * palette of 3 and of 1: the first two plain (3:1 apart), none of them
 * the mark's rising diagonal alone */
TEST(chart_twelve_series_twelve_looks)
{
    fixture f = setup();
    rg_dataset d = twelve();
    rg_chart_type types[] = { RG_CHART_GROUPED, RG_CHART_STACKED, RG_CHART_PIE, RG_CHART_DONUT };
    int npals[] = { 12, 3, 1 };
    for (size_t np = 0; np < 3 && f.st; np++) {
        rg_style st = *f.st;
        st.npalette = npals[np];
        for (size_t t = 0; t < 4; t++) {
            rg_dataset pd = d;
            rg_value pie_values[NSER * (NSER + 1)];
            char cats[NSER][8];
            if (types[t] == RG_CHART_PIE || types[t] == RG_CHART_DONUT) {
                for (int r = 0; r < NSER; r++) {   /* twelve slices */
                    snprintf(cats[r], sizeof cats[r], "P%d", r + 1);
                    for (int s = 0; s <= NSER; s++)
                        pie_values[r * (NSER + 1) + s] = s ? (rg_value)NUM(20 + r)
                                                           : (rg_value)TXT(cats[r]);
                }
                pd.values = pie_values;
                pd.nrecords = NSER;
            }
            rg_chart c = twelve_chart(&pd, types[t]);
            new_page(&f);
            CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, &st, f.loc, "nl-NL", BOX_X, BOX_TOP, BOX_W,
                                320) == RG_OK);
            char looks[NSER + 2][128];
            size_t n = swatch_looks(&f, looks, NSER + 2);
            CHECK(n == NSER);
            CHECK(all_distinct(looks, n));
            /* plain: the first, and the second as the first two are 3:1 apart */
            size_t plain = np == 2 ? 1 : 2;
            for (size_t s = 0; s < n; s++) {
                int patterned = strchr(looks[s], '|') != NULL;
                CHECK(patterned == (s >= plain));
                /* never the mark's look: one family of rising lines */
                CHECK(strcmp(strchr(looks[s], ' ') + 1, "0.80:0.00:/|") != 0);
            }
            /* every bar (slice) of series s looks like its swatch */
            const rg_dl_page *p = page0(&f);
            size_t checked = 0;
            for (size_t i = 0; i < p->nitems; i++) {
                const rg_dl_item *it = &p->items[i];
                rg_color col;
                if (it->kind == RG_DL_RECT && it->u.rect.fill &&
                    !(fabs(it->u.rect.w - 9) < 1e-9 && fabs(it->u.rect.h - 9) < 1e-9))
                    col = it->u.rect.fill_color;
                else if (it->kind == RG_DL_PATH && it->u.path.fill)
                    col = it->u.path.fill_color;
                else
                    continue;
                if (i + 1 < p->nitems && p->items[i + 1].kind == RG_DL_GLYPHS)
                    continue;                       /* a plate under a value label */
                char pat[96], look[128];
                pattern_after(p, i, pat, sizeof pat);
                snprintf(look, sizeof look, "%.3f,%.3f,%.3f %s", col.r, col.g, col.b, pat);
                int found = 0;
                for (size_t s = 0; s < n; s++) found |= !strcmp(look, looks[s]);
                if (!found) fprintf(stderr, "  a fill not in the legend: %s\n", look);
                CHECK(found);
                checked++;
            }
            CHECK(checked >= NSER);
            CHECK(all_finite(&f));
        }
    }
    teardown(&f);
}

/* 12 lines: (colour, dash) differs for every series, with 12 colours and
 * with one; the first two solid */
TEST(chart_twelve_lines_differ_in_colour_or_dash)
{
    fixture f = setup();
    rg_dataset d = twelve();
    for (int np = 12; np >= 1 && f.st; np -= 11) {
        rg_style st = *f.st;
        st.npalette = np;
        rg_chart c = twelve_chart(&d, RG_CHART_LINE);
        new_page(&f);
        CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, &st, f.loc, "nl-NL", BOX_X, BOX_TOP, BOX_W, 320) ==
              RG_OK);
        char looks[NSER + 2][128];
        size_t n = 0;
        const rg_dl_page *p = page0(&f);
        for (size_t i = 0; i < p->nitems && n < NSER + 2; i++) {
            const rg_dl_path *pa = &p->items[i].u.path;
            /* a series' line: through the 3 categories, 1.75 pt */
            if (p->items[i].kind != RG_DL_PATH || pa->fill || pa->nsegs != 3 ||
                fabs(pa->line_width - 1.75) > 1e-9)
                continue;
            snprintf(looks[n], 128, "%.3f,%.3f,%.3f %.2f,%.2f", pa->stroke_color.r,
                     pa->stroke_color.g, pa->stroke_color.b, pa->dash_on, pa->dash_off);
            CHECK((pa->dash_on > 0) == (n >= (np == 1 ? 1u : 2u)));
            n++;
        }
        CHECK(n == NSER);
        CHECK(all_distinct(looks, n));
    }
    teardown(&f);
}

/* both shipped layouts: 12 different colours, each at least 3:1 on the
 * white page (WCAG 1.4.11), the first two 3:1 apart */
TEST(chart_shipped_palettes_contrast)
{
    static const char *const layouts[] = { "logius", "plain" };
    rg_color white = { 1, 1, 1 };
    for (size_t l = 0; l < 2; l++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_style *st = NULL;
        CHECK(test_load_layout(ctx, layouts[l], &st) == RG_OK);
        if (st) {
            CHECK(st->npalette == RG_MAX_SERIES);
            for (int i = 0; i < st->npalette; i++) {
                CHECK(rg_color_contrast(st->palette[i], white) >= 3.0);
                for (int k = 0; k < i; k++) CHECK(!same_color(st->palette[i], st->palette[k]));
            }
            CHECK(rg_color_contrast(st->palette[0], st->palette[1]) >= 3.0);
        }
        rg_style_free(st);
        rg_ctx_free(ctx);
    }
    for (int i = 0; i < RG_MAX_PALETTE; i++)      /* the default too */
        CHECK(rg_color_contrast(rg_default_palette[i], white) >= 3.0);
    CHECK(rg_color_contrast(rg_default_palette[0], rg_default_palette[1]) >= 3.0);
}

/* a white line from (x0, y0) to (x1, y1), 0.5 to 1 pt wide */
static int white_rule(const fixture *f, double x0, double y0, double x1, double y1)
{
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || pa->fill || pa->nsegs != 2 ||
            !is_white(pa->stroke_color) || pa->line_width < 0.5 || pa->line_width > 1)
            continue;
        const double *a = pa->segs[0].pts, *b = pa->segs[1].pts;
        if (fabs(a[0] - x0) < 0.01 && fabs(a[1] - y0) < 0.01 && fabs(b[0] - x1) < 0.01 &&
            fabs(b[1] - y1) < 0.01)
            return 1;
    }
    return 0;
}

/* adjacent fills never touch: a white rule along the edge stacked
 * segments and grouped bars share, and around every slice */
TEST(chart_white_rules_between_adjacent_fills)
{
    fixture f = setup();
    for (int type = 0; type < 2; type++) {
        rg_chart c = bar_chart(&money_data, 0);
        c.type = type ? RG_CHART_GROUPED : RG_CHART_STACKED;
        c.series[1] = 2;
        c.nseries = 2;
        new_page(&f);
        CHECK(draw(&f, &c) == RG_OK);
        rg_dl_rect a[8], b[8];
        CHECK(bars_of(&f, f.st->palette[0], a, 8) == 5);
        CHECK(bars_of(&f, f.st->palette[1], b, 8) == 4);   /* ICT has no prognose */
        size_t k = 0;
        for (size_t i = 0; i < 5; i++) {
            if (i == 2) continue;                             /* the missing value */
            if (type) {                                       /* side by side */
                CHECK(fabs(b[k].x - (a[i].x + a[i].w)) < 1e-9);
                CHECK(white_rule(&f, b[k].x, a[i].y, b[k].x,
                                 a[i].y + fmin(a[i].h, b[k].h)));
            } else {                                          /* b on a */
                CHECK(fabs(b[k].y - (a[i].y + a[i].h)) < 1e-9);
                CHECK(white_rule(&f, a[i].x, b[k].y, a[i].x + a[i].w, b[k].y));
            }
            k++;
        }
    }
    /* twelve stacked series: a rule on every segment but the lowest */
    rg_dataset d = twelve();
    rg_chart c = twelve_chart(&d, RG_CHART_STACKED);
    new_page(&f);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, f.loc, "nl-NL", BOX_X, BOX_TOP, BOX_W, 320) ==
          RG_OK);
    size_t segments = 0, ruled = 0;
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_rect *r = &p->items[i].u.rect;
        if (p->items[i].kind != RG_DL_RECT || !r->fill || r->w < 10 || r->h < 1) continue;
        if (i + 1 < p->nitems && p->items[i + 1].kind == RG_DL_GLYPHS) continue;   /* plate */
        segments++;
        ruled += white_rule(&f, r->x, r->y, r->x + r->w, r->y);
    }
    CHECK(segments == 3 * NSER);
    CHECK(ruled == 3 * (NSER - 1));
    /* slices: every one outlined in white, its pattern under the outline */
    c = twelve_chart(&d, RG_CHART_PIE);
    new_page(&f);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, f.loc, "nl-NL", BOX_X, BOX_TOP, BOX_W, 320) ==
          RG_OK);
    p = page0(&f);
    size_t slices = 0, outlined = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || pa->nsegs < 3 ||
            pa->segs[pa->nsegs - 1].op != RG_PATH_CLOSE)
            continue;
        if (pa->fill && !is_white(pa->fill_color)) slices++;
        if (pa->stroke && is_white(pa->stroke_color) && pa->line_width >= 0.75) outlined++;
    }
    CHECK(slices == 3);                                      /* three records */
    CHECK(outlined == 3);
    teardown(&f);
}
