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

#define TXT(s) { .text = s }
#define NUM(v) { .num = v }
#define MISSING { .missing = 1 }

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
static double axis_start(const rg_dl_rect *b, const double *v, int horizontal)
{
    double l0 = horizontal ? b[0].w : b[0].h, l2 = horizontal ? b[2].w : b[2].h;
    double k = (l2 - l0) / (v[2] - v[0]);
    return v[0] - l0 / k;
}

/* without axis-min, bars start at zero even for percentages near 100 %
 * (a bar's length is its value) */
TEST(chart_bars_start_at_zero_without_axis_min)
{
    fixture f = setup();
    for (int hz = 0; hz < 2; hz++) {
        rg_chart c = bar_chart(&avail_data, hz);
        rg_dl_free(f.dl);
        f.dl = rg_dl_new();
        rg_dl_add_page(f.dl, 595, 842);
        CHECK(draw(&f, &c) == RG_OK);
        rg_dl_rect b[8];
        CHECK(bars_of(&f, f.st->palette[0], b, 8) == 4);
        double v[4] = { 99.62, 99.95, 100, 99.71 };
        CHECK(fabs(axis_start(b, v, hz)) < 0.01);
        char zero[32];
        rg_format_percent(f.loc, 0, 0, zero, sizeof zero);
        const rg_dl_glyphs *g = run_with(&f, zero);
        CHECK(g && !rg_font_is_bold(g->font));               /* not a broken axis */
    }
    teardown(&f);
}

/* the author's axis-min near 100 %: lengths proportional to value - start */
TEST(chart_bar_length_proportional_and_axis_near_100)
{
    fixture f = setup();
    rg_chart c = bar_chart(&avail_data, 1);
    c.has_axis_min = 1;
    c.axis_min = 99.5;
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect b[8];
    CHECK(bars_of(&f, f.st->palette[0], b, 8) == 4);
    double v[4] = { 99.62, 99.95, 100, 99.71 };
    double amin = axis_start(b, v, 1), k = b[0].w / (v[0] - amin);
    for (int i = 0; i < 4; i++) CHECK(fabs(b[i].w - k * (v[i] - amin)) < 0.01);
    CHECK(fabs(amin - 99.5) < 1e-6);
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

/* n long names (at most 60) in a bar chart with id drawn as layout does
 * in a box h high and checked: some labels shortened, and the chart's one
 * warning */
static void draw_long_shortened(fixture *f, size_t n, int horizontal, const char *id, double h)
{
    rg_value vals[3 * 60];
    char names[60][96], want[64];
    rg_dataset d = long_names(vals, names, n < 60 ? n : 60);
    rg_chart c = bar_chart(&d, horizontal);
    c.id = id;
    rg_dl_box_open(f->dl, 0, RG_BOX_CHART, BOX_X, BOX_TOP - h, BOX_X + BOX_W, BOX_TOP, 0);
    CHECK(rg_chart_draw(f->ctx, f->dl, 0, &c, f->st, f->loc, "nl-NL", BOX_X, BOX_TOP, BOX_W,
                        h) == RG_OK);
    rg_dl_box_close(f->dl);
    CHECK(rg_check_layout(f->ctx, f->dl, "def.xml", NULL) == 0);
    CHECK(runs_in_labels(f));
    CHECK(shortened_runs(f) > 0);
    snprintf(want, sizeof want, "chart '%s': ", id);
    CHECK(said(f, want));
    CHECK(said(f, "category labels shortened to fit: \""));
}

TEST(chart_horizontal_many_long_categories_never_overlap)
{
    fixture f = setup();
    draw_long_shortened(&f, MANY, 1, "hbar", BOX_H);
    CHECK(said(&f, "only every 2nd of 30 labelled"));      /* 30 bars in 220 pt */
    teardown(&f);
}

/* Six categories whose labels do not fit their slots upright even
 * hyphenated are turned, whole: no ellipsis, no warning. */
TEST(chart_vertical_long_categories_turned_not_shortened)
{
    fixture f = setup();
    rg_value vals[3 * 6];
    char names[6][96];
    rg_dataset d = long_names(vals, names, 6);
    rg_chart c = bar_chart(&d, 0);
    c.title = "Beschikbaarheid";
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(runs_in_labels(&f));
    CHECK(shortened_runs(&f) == 0);
    CHECK(!said(&f, "warning"));
    const rg_dl_glyphs *g = run_with(&f, "Basisregistratie");
    CHECK(g && g->angle == 45);
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

static rg_field saldo_fields[] = {
    { "post", "Post", RG_FIELD_TEXT, -1, NULL },
    { "saldo", "Saldo", RG_FIELD_NUMBER, 0, NULL },
    { "vorig", "Vorig", RG_FIELD_NUMBER, 0, NULL },
};

static rg_value saldo[] = {
    TXT("Personeel"), NUM(-97), NUM(-5),
    TXT("Materieel"), NUM(42), NUM(3),
    TXT("ICT"), NUM(-12), NUM(18),
    TXT("Huisvesting"), NUM(64), NUM(-96),
};

static rg_dataset saldo_data = { "saldo", NULL, NULL, 0, saldo_fields, 3, saldo, 4, 1 };

/* the bar of colour col that holds value position p along its axis */
static int lowest_bar(const fixture *f, rg_color col, int horizontal, rg_dl_rect *out)
{
    rg_dl_rect b[16];
    size_t n = bars_of(f, col, b, 16);
    if (!n || n > 16) return 0;
    *out = b[0];
    for (size_t i = 1; i < n; i++)
        if (horizontal ? b[i].x < out->x : b[i].y < out->y) *out = b[i];
    return 1;
}

/* the lowest grid line (vertical) or the leftmost (horizontal): the plot's start */
static double plot_start(const fixture *f, int horizontal)
{
    double lo = INFINITY;
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind == RG_DL_PATH && same_color(pa->stroke_color, f->st->chart_grid))
            lo = fmin(lo, pa->segs[0].pts[horizontal ? 0 : 1]);
    }
    return lo;
}

/* the horizontal extent of the label that run g belongs to (the runs of
 * its paragraph: a sign from a fallback font is a run of its own) */
static void label_extent(const fixture *f, const rg_dl_glyphs *g, double *x0, double *x1)
{
    const rg_dl_page *p = page0(f);
    *x0 = INFINITY;
    *x1 = -INFINITY;
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_glyphs *h = &p->items[i].u.glyphs;
        if (p->items[i].kind != RG_DL_GLYPHS || h->para != g->para) continue;
        double w = 0;
        for (size_t k = 0; k < h->nglyphs; k++) w += h->glyphs[k].x_advance;
        *x0 = fmin(*x0, h->x);
        *x1 = fmax(*x1, h->x + w * h->size / rg_font_upem(h->font));
    }
}

static void fresh_page(fixture *f)
{
    rg_dl_free(f->dl);
    f->dl = rg_dl_new();
    rg_dl_add_page(f->dl, 595, 842);
}

/* A bar below zero whose end lies near the axis' start (−97 on −100): its
 * label stands below (left of) the bar's end and inside the plot, above
 * (right of) its start, off the tick and category labels - the axis got
 * one more step for it. */
TEST(chart_negative_bar_label_below_its_end_inside_the_plot)
{
    fixture f = setup();
    for (int hz = 0; hz < 2; hz++) {
        fresh_page(&f);
        rg_chart c = bar_chart(&saldo_data, hz);
        c.id = "saldo";
        CHECK(draw_checked(&f, &c) == 0);
        rg_dl_rect bar;
        CHECK(lowest_bar(&f, f.st->palette[0], hz, &bar));
        const rg_dl_glyphs *g = run_with(&f, "\xE2\x88\x92" "97");
        CHECK(g != NULL);
        if (!g) continue;
        double start = plot_start(&f, hz), x0, x1;
        label_extent(&f, g, &x0, &x1);
        if (hz) {
            CHECK(x1 <= bar.x);                             /* left of the bar's end */
            CHECK(x0 >= start);                             /* inside the plot */
            CHECK(g->y > bar.y && g->y < bar.y + bar.h);    /* beside its bar */
        } else {
            CHECK(g->y + g->size * 0.75 <= bar.y);          /* below the bar's end */
            CHECK(g->y >= start);                           /* inside the plot */
            CHECK(x0 > bar.x && x1 < bar.x + bar.w);        /* under its bar */
        }
        CHECK(same_color(g->color, f.st->roles[RG_ROLE_CHART].color));
        CHECK(!said(&f, "left out"));
    }
    teardown(&f);
}

/* the author's axis-min leaves no room below −97: the label goes inside
 * the bar's end, in a colour that reads on it */
TEST(chart_negative_bar_label_inside_when_the_axis_is_the_authors)
{
    fixture f = setup();
    rg_chart c = bar_chart(&saldo_data, 0);
    c.has_axis_min = 1;
    c.axis_min = -100;
    CHECK(draw_checked(&f, &c) == 0);
    rg_dl_rect bar;
    CHECK(lowest_bar(&f, f.st->palette[0], 0, &bar));
    const rg_dl_glyphs *g = run_with(&f, "\xE2\x88\x92" "97");
    CHECK(g && g->y > bar.y && g->y + g->size * 0.75 < bar.y + bar.h);
    CHECK(g && !same_color(g->color, f.st->roles[RG_ROLE_CHART].color));
    CHECK(!run_with(&f, "150") && !run_with(&f, "200"));    /* the axis kept its start */
    teardown(&f);
}

/* stacks: values below zero stack down from zero, those above up from
 * it; the total is the net sum in bold at the end of the longer side */
TEST(chart_stacked_negatives_stack_down_with_the_net_total)
{
    fixture f = setup();
    for (int hz = 0; hz < 2; hz++) {
        fresh_page(&f);
        rg_chart c = bar_chart(&saldo_data, hz);
        c.type = RG_CHART_STACKED;
        c.series[1] = 2;
        c.nseries = 2;
        CHECK(draw_checked(&f, &c) == 0);
        rg_dl_rect a[8], b[8];
        CHECK(bars_of(&f, f.st->palette[0], a, 8) == 4 && bars_of(&f, f.st->palette[1], b, 8) == 4);
        /* Personeel: −97 from zero down, −5 below it */
        double zero = hz ? a[1].x : a[1].y;                  /* Materieel's 42 starts at zero */
        CHECK(fabs((hz ? a[0].x + a[0].w : a[0].y + a[0].h) - zero) < 1e-6);
        CHECK(fabs((hz ? b[0].x + b[0].w : b[0].y + b[0].h) - (hz ? a[0].x : a[0].y)) < 1e-6);
        /* Huisvesting: 64 up from zero, −96 down from zero: net −32 */
        CHECK(fabs((hz ? b[3].x + b[3].w : b[3].y + b[3].h) - zero) < 1e-6);
        const rg_dl_glyphs *g = run_with(&f, "\xE2\x88\x92" "32");
        CHECK(g && rg_font_is_bold(g->font));
        CHECK(g && (hz ? g->x < b[3].x : g->y < b[3].y));   /* beyond the side below zero */
        g = run_with(&f, "\xE2\x88\x92" "102");
        CHECK(g && rg_font_is_bold(g->font));                /* Personeel: −97 − 5 */
        CHECK(!run_with(&f, "64") || !rg_font_is_bold(run_with(&f, "64")->font));
    }
    teardown(&f);
}

/* white filled paths (break marks) whose every point lies in rectangle r */
static size_t breaks_in(const fixture *f, const rg_dl_rect *r)
{
    size_t n = 0;
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || !pa->fill ||
            !same_color(pa->fill_color, (rg_color){ 1, 1, 1 }))
            continue;
        int in = 1;
        for (size_t k = 0; k < pa->nsegs; k++) {
            if (pa->segs[k].op == RG_PATH_CLOSE) continue;
            double x = pa->segs[k].pts[0], y = pa->segs[k].pts[1];
            if (x < r->x - 1e-6 || x > r->x + r->w + 1e-6 || y < r->y - 1e-6 ||
                y > r->y + r->h + 1e-6)
                in = 0;
        }
        n += in;
    }
    return n;
}

/* An author's axis that cuts bars: the bar ends at the plot's edge with a
 * break mark, its label keeps the true value, and the chart warns; a bar
 * wholly below axis-min is a stub from the axis with a break mark. */
TEST(chart_axis_cut_bars_get_a_break_mark_and_a_warning)
{
    fixture f = setup();
    rg_value vals[] = { TXT("A"), NUM(5), MISSING, TXT("B"), NUM(50), MISSING,
                        TXT("C"), NUM(80), MISSING };
    rg_dataset d = { "d", NULL, NULL, 0, saldo_fields, 3, vals, 3, 1 };
    for (int hz = 0; hz < 2; hz++) {
        fresh_page(&f);
        rg_chart c = bar_chart(&d, hz);
        c.id = "afgekapt";
        c.has_axis_min = c.has_axis_max = 1;
        c.axis_min = 20;
        c.axis_max = 60;
        CHECK(draw_checked(&f, &c) == 0);
        rg_dl_rect b[4];
        CHECK(bars_of(&f, f.st->palette[0], b, 4) == 3);
        double len[3];
        for (int i = 0; i < 3; i++) len[i] = hz ? b[i].w : b[i].h;
        CHECK(fabs(len[0] - 14) < 1e-6);                   /* A: a stub */
        CHECK(fabs(len[2] - len[1] * (60 - 20) / (50 - 20)) < 0.01);   /* C: up to 60 */
        CHECK(breaks_in(&f, &b[0]) == 1 && breaks_in(&f, &b[1]) == 0 &&
              breaks_in(&f, &b[2]) == 1);
        CHECK(run_with(&f, "80") != NULL && run_with(&f, "5") != NULL);
        CHECK(said(&f, "chart 'afgekapt': axis-min=20 cuts 1 bar (A: 5) and axis-max=60 cuts "
                       "1 bar (C: 80); drawn with a break mark"));
    }
    teardown(&f);
}

/* An author's axis that cuts a line: nothing of the line, and no marker,
 * outside the plot; the chart warns */
TEST(chart_axis_cut_line_is_clipped_at_the_plot)
{
    fixture f = setup();
    rg_value vals[] = { TXT("jan"), NUM(30), NUM(20), TXT("feb"), NUM(75), NUM(25),
                        TXT("mrt"), NUM(90), NUM(-10), TXT("apr"), NUM(40), NUM(35) };
    rg_dataset d = { "d", NULL, NULL, 0, saldo_fields, 3, vals, 4, 1 };
    rg_chart c = bar_chart(&d, 0);
    c.type = RG_CHART_LINE;
    c.series[1] = 2;
    c.nseries = 2;
    c.has_axis_min = c.has_axis_max = 1;
    c.axis_min = 0;
    c.axis_max = 60;
    CHECK(draw_checked(&f, &c) == 0);
    double lo = plot_start(&f, 0), hi = -INFINITY;
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind == RG_DL_PATH && same_color(pa->stroke_color, f.st->chart_grid))
            hi = fmax(hi, pa->segs[0].pts[1]);
    }
    size_t lines = 0, markers = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH) continue;
        int series = pa->fill ? same_color(pa->fill_color, f.st->palette[0]) ||
                                    same_color(pa->fill_color, f.st->palette[1])
                              : same_color(pa->stroke_color, f.st->palette[0]) ||
                                    same_color(pa->stroke_color, f.st->palette[1]);
        if (!series) continue;
        if (pa->nsegs && pa->segs[0].pts[1] < lo - 8) continue;       /* the legend */
        if (pa->fill) markers++;
        else lines++;
        for (size_t k = 0; k < pa->nsegs; k++) {
            if (pa->segs[k].op == RG_PATH_CLOSE) continue;
            double y = pa->segs[k].pts[pa->segs[k].op == RG_PATH_CURVE ? 5 : 1];
            CHECK(y >= lo - 3.3 && y <= hi + 3.3);     /* a marker's radius at most */
            if (!pa->fill) CHECK(y >= lo - 1e-6 && y <= hi + 1e-6);
        }
    }
    CHECK(lines == 2);
    CHECK(markers == 8 - 3);                          /* feb, mrt (75, 90) and mrt (−10) cut */
    CHECK(said(&f, "axis-min=0 cuts 1 point") && said(&f, "axis-max=60 cuts 2 points"));
    CHECK(said(&f, "the line is clipped at the plot's edge"));
    teardown(&f);
}

/* filled paths of colour col (the markers of a series, legend swatches too) */
static size_t markers_of(const fixture *f, rg_color col)
{
    size_t n = 0;
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        n += p->items[i].kind == RG_DL_PATH && pa->fill && same_color(pa->fill_color, col);
    }
    return n;
}

/* Dense points drop their markers: a lone series of 500 points has none,
 * two keep a few each (so that their shapes tell them apart), taking
 * turns; 12 points keep every marker. */
TEST(chart_line_markers_drop_on_dense_points)
{
    enum { N = 500 };
    static rg_value vals[3 * N];
    static char names[N][16];
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "d%zu", i);
        vals[3 * i] = (rg_value)TXT(names[i]);
        vals[3 * i + 1] = (rg_value)NUM((double)((i * 37) % 100));
        vals[3 * i + 2] = (rg_value)NUM(50 + (double)((i * 11) % 40));
    }
    fixture f = setup();
    rg_dataset d = { "d", NULL, NULL, 0, saldo_fields, 3, vals, N, 1 };
    rg_chart c = bar_chart(&d, 0);
    c.type = RG_CHART_LINE;
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(markers_of(&f, f.st->palette[0]) == 0);
    fresh_page(&f);
    c.series[1] = 2;
    c.nseries = 2;
    CHECK(draw_checked(&f, &c) == 0);
    size_t a = markers_of(&f, f.st->palette[0]), b = markers_of(&f, f.st->palette[1]);
    CHECK(a > 4 && a <= 40 && b > 4 && b <= 40);           /* a few, legend swatch included */
    fresh_page(&f);
    d.nrecords = 12;
    CHECK(draw_checked(&f, &c) == 0);
    CHECK(markers_of(&f, f.st->palette[0]) == 12 + 1);      /* every point, and the legend */
    CHECK(markers_of(&f, f.st->palette[1]) == 12 + 1);
    teardown(&f);
}

/* Category axes from 1 to 300 categories, vertical and horizontal bars and
 * lines, short and long names: labels thinned to every n-th never overlap
 * (the layout check) and none is left out for want of room. */
TEST(chart_category_labels_never_overlap_from_1_to_300)
{
    enum { N = 300 };
    static rg_value vals[3 * N];
    static char names[N][48];
    static const char *const W[] = { "Post", "Gegevensuitwisseling" };
    int bad = 0;
    for (int w = 0; w < 2; w++)
        for (size_t n = 1; n <= N; n += n < 40 ? 1 : n < N && n + 7 > N ? N - n : 7) {
            for (size_t i = 0; i < n; i++) {
                snprintf(names[i], sizeof names[i], "%s %zu", W[w], i + 1);
                vals[3 * i] = (rg_value)TXT(names[i]);
                vals[3 * i + 1] = (rg_value)NUM((double)(i % 17) - 4);
                vals[3 * i + 2] = (rg_value)MISSING;
            }
            rg_dataset d = { "d", NULL, NULL, 0, saldo_fields, 3, vals, n, 1 };
            for (int kind = 0; kind < 3; kind++) {
                fixture f = setup();
                rg_chart c = bar_chart(&d, kind == 1);
                if (kind == 2) c.type = RG_CHART_LINE;
                if (draw_checked(&f, &c) != 0 ||
                    (said(&f, "category label") && said(&f, "left out"))) {
                    if (bad++ < 5)
                        printf("  %zu categories '%s', %s: %s\n", n, W[w],
                               kind == 2 ? "line" : kind ? "horizontal" : "vertical",
                               f.ctx->diag_text ? f.ctx->diag_text : "");
                }
                teardown(&f);
            }
        }
    CHECK(bad == 0);
}

/* ---- issue 14: log and second axes, lines over bars, time axes, better="lower",
 * markers=, axis titles ---- */

#define DATE(y, m, d) { .date = { y, m, d }, .text = #y "-" #m "-" #d }

static rg_field kinds[] = {
    { "naam", "Naam", RG_FIELD_TEXT, -1, NULL },
    { "aantal", "Aantal", RG_FIELD_NUMBER, 0, NULL },
    { "doel", "Doel", RG_FIELD_NUMBER, 0, NULL },
    { "aandeel", "Aandeel", RG_FIELD_PERCENT, 1, NULL },
};

static rg_value kind_vals[] = {
    TXT("A"), NUM(3), NUM(5), NUM(91),
    TXT("B"), NUM(40), NUM(50), NUM(95),
    TXT("C"), NUM(700), NUM(500), NUM(97),
    TXT("D"), NUM(12), NUM(20), NUM(93),
};

static rg_dataset kind_data = { "soorten", NULL, NULL, 0, kinds, 4, kind_vals, 4, 1 };

/* a run's advance width */
static double run_width(const rg_dl_glyphs *g)
{
    double w = 0, scale = g->size / rg_font_upem(g->font);
    for (size_t i = 0; i < g->nglyphs; i++) w += g->glyphs[i].x_advance * scale;
    return w;
}

/* ---- category labels: broken at hyphens, hyphenated, turned, shortened ---- */

/* a dataset of text categories with values 90, 91, ... */
static rg_dataset categories(rg_value *vals, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vals[3 * i] = (rg_value)TXT(names[i]);
        vals[3 * i + 1] = (rg_value)NUM(90 + (double)(i % 10));
        vals[3 * i + 2] = (rg_value)MISSING;
    }
    rg_dataset d = { "cat", NULL, NULL, 0, fields, 3, vals, n, 1 };
    return d;
}

/* the run whose text is exactly s */
static const rg_dl_glyphs *run_is(const fixture *f, const char *s)
{
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_glyphs *g = &p->items[i].u.glyphs;
        if (p->items[i].kind == RG_DL_GLYPHS && g->text_len == strlen(s) &&
            memcmp(g->text, s, g->text_len) == 0)
            return g;
    }
    return NULL;
}

/* the extent of the grid lines: the plot area */
static void grid_extent(const fixture *f, double *x0, double *x1, double *y0, double *y1)
{
    const rg_dl_page *p = page0(f);
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || !pa->stroke ||
            !same_color(pa->stroke_color, f->st->chart_grid))
            continue;
        for (size_t k = 0; k < pa->nsegs; k++) {
            *x0 = fmin(*x0, pa->segs[k].pts[0]);
            *x1 = fmax(*x1, pa->segs[k].pts[0]);
            *y0 = fmin(*y0, pa->segs[k].pts[1]);
            *y1 = fmax(*y1, pa->segs[k].pts[1]);
        }
    }
}

/* the stroked, unfilled path of colour col with the most segments (a
 * series' line; the legend's swatch has two) */
static const rg_dl_path *line_of(const fixture *f, rg_color col)
{
    const rg_dl_page *p = page0(f);
    const rg_dl_path *best = NULL;
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_path *pa = &p->items[i].u.path;
        if (p->items[i].kind != RG_DL_PATH || pa->fill || !pa->stroke ||
            !same_color(pa->stroke_color, col))
            continue;
        if (!best || pa->nsegs > best->nsegs) best = pa;
    }
    return best;
}

TEST(chart_log_axis_ticks_at_powers_of_ten_equally_apart)
{
    fixture f = setup();
    for (int hz = 0; hz < 2; hz++) {
        fresh_page(&f);
        rg_chart c = bar_chart(&kind_data, hz);
        c.scale = RG_SCALE_LOG;
        CHECK(draw(&f, &c) == RG_OK);
        /* 3 .. 700: from 1 to 1000, each power labelled */
        const char *pw[4] = { "1", "10", "100", "1.000" };
        double at[4];
        for (int i = 0; i < 4; i++) {
            const rg_dl_glyphs *g = run_is(&f, pw[i]);
            CHECK(g != NULL);
            at[i] = g ? (hz ? g->x + run_width(g) / 2 : g->y) : NAN;
        }
        double decade = at[1] - at[0];
        CHECK(decade > 20);
        CHECK(fabs(at[2] - at[1] - decade) < 0.01 && fabs(at[3] - at[2] - decade) < 0.01);
        CHECK(run_is(&f, "0") == NULL);                       /* no zero on a log axis */
        /* bars from the axis's bottom (1), lengths by log10 */
        rg_dl_rect b[8];
        CHECK(bars_of(&f, f.st->palette[0], b, 8) == 4);
        double v[4] = { 3, 40, 700, 12 };
        for (int i = 0; i < 4; i++) {
            double len = hz ? b[i].w : b[i].h;
            CHECK(fabs(len - decade * log10(v[i])) < 0.01);
            CHECK(fabs(hz ? b[i].x - b[0].x : b[i].y - b[0].y) < 1e-9);
        }
        CHECK(all_finite(&f));
    }
    /* a decade tall enough: 2 and 5 between, at log10(2) and log10(5) of it */
    fresh_page(&f);
    rg_chart c = bar_chart(&kind_data, 0);
    c.scale = RG_SCALE_LOG;
    c.type = RG_CHART_LINE;
    c.has_axis_min = c.has_axis_max = 1;
    c.axis_min = 1;
    c.axis_max = 100;
    CHECK(draw(&f, &c) == RG_OK);
    const rg_dl_glyphs *g1 = run_is(&f, "1"), *g2 = run_is(&f, "2"), *g5 = run_is(&f, "5"),
                       *g10 = run_is(&f, "10");
    CHECK(g1 && g2 && g5 && g10);
    if (g1 && g2 && g5 && g10) {
        CHECK(fabs(g2->y - g1->y - log10(2) * (g10->y - g1->y)) < 0.01);
        CHECK(fabs(g5->y - g1->y - log10(5) * (g10->y - g1->y)) < 0.01);
    }
    teardown(&f);
}

TEST(chart_second_axis_right_of_the_plot_with_its_own_range)
{
    fixture f = setup();
    rg_chart c = bar_chart(&kind_data, 0);
    c.type = RG_CHART_LINE;
    c.series[1] = 3;
    c.nseries = 2;
    c.axis2[0] = 3;
    c.naxis2 = 1;
    CHECK(draw(&f, &c) == RG_OK);
    double x0, x1, y0, y1;
    grid_extent(&f, &x0, &x1, &y0, &y1);
    /* its tick labels (percentages) right of the plot, the first axis's left */
    size_t right = 0;
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_glyphs *g = &p->items[i].u.glyphs;
        if (p->items[i].kind != RG_DL_GLYPHS) continue;
        if (memchr(g->text, '%', g->text_len) && g->y > y0 - 10) {
            CHECK(g->x > x1 + 2);
            right++;
        } else if (g->text_len && g->text[0] >= '0' && g->text[0] <= '9' && g->y > y0 - 5) {
            CHECK(g->x + run_width(g) < x0);
        }
    }
    CHECK(right >= 3);
    CHECK(run_with(&f, "Aandeel (rechteras)") && run_is(&f, "Aantal"));
    /* its line maps through its own axis: 91, 95, 97 proportionally, and
     * the whole range is used (not the first axis's 0 .. 700) */
    const rg_dl_path *l = line_of(&f, f.st->palette[1]);
    CHECK(l && l->nsegs == 4);
    if (l && l->nsegs == 4) {
        double a = l->segs[0].pts[1], b = l->segs[1].pts[1], cc = l->segs[2].pts[1];
        CHECK(fabs((b - a) / (cc - a) - (95.0 - 91) / (97 - 91)) < 1e-6);
        CHECK(cc - a > (y1 - y0) * 0.2);
    }
    /* in English */
    fresh_page(&f);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, rg_locale_for("en-GB"), "en-GB", BOX_X,
                        BOX_TOP, BOX_W, BOX_H) == RG_OK);
    CHECK(run_with(&f, "Aandeel (right axis)") != NULL);
    CHECK(all_finite(&f));
    teardown(&f);
}

TEST(chart_combo_line_points_at_the_bar_centres)
{
    fixture f = setup();
    for (int grouped = 0; grouped < 2; grouped++) {
        fresh_page(&f);
        rg_chart c = bar_chart(&kind_data, 0);
        c.type = grouped ? RG_CHART_GROUPED : RG_CHART_BAR;
        c.nseries = grouped ? 2 : 1;
        c.series[1] = 2;
        c.lines[0] = grouped ? 3 : 2;
        c.nlines = 1;
        c.naxis2 = grouped;                          /* the percentages on the right */
        c.axis2[0] = 3;
        CHECK(draw(&f, &c) == RG_OK);
        rg_dl_rect b[8], b2[8];
        CHECK(bars_of(&f, f.st->palette[0], b, 8) == 4);
        CHECK(!grouped || bars_of(&f, f.st->palette[1], b2, 8) == 4);
        rg_color col = f.st->palette[grouped ? 2 : 1];   /* after the bars' colours */
        const rg_dl_path *l = line_of(&f, col);
        CHECK(l && l->nsegs == 4);
        if (!l || l->nsegs != 4) continue;
        double k = b[2].h / 700;                      /* zero-based: height = k × value */
        double w[4] = { 5, 50, 500, 20 };
        for (int i = 0; i < 4; i++) {
            double centre = grouped ? (b[i].x + b2[i].x + b2[i].w) / 2 : b[i].x + b[i].w / 2;
            CHECK(fabs(l->segs[i].pts[0] - centre) < 1e-6);
            if (!grouped) CHECK(fabs(l->segs[i].pts[1] - (b[i].y + k * w[i])) < 0.01);
        }
        /* its legend entry a line (a marker in its colour), after the bars' */
        CHECK(run_is(&f, grouped ? "Aandeel (rechteras)" : "Doel") != NULL);
        CHECK(markers_of(&f, col) == 5);              /* 4 points and the legend's */
        CHECK(all_finite(&f));
    }
    teardown(&f);
}

static rg_field dated[] = {
    { "datum", "Datum", RG_FIELD_DATE, -1, NULL },
    { "aantal", "Aantal", RG_FIELD_NUMBER, 0, NULL },
};

TEST(chart_time_axis_places_points_by_date)
{
    fixture f = setup();
    /* out of date order, and not a month's first or last day but for one */
    rg_value vals[] = { DATE(2023, 1, 1), NUM(10), DATE(2023, 2, 10), NUM(30),
                        DATE(2023, 1, 11), NUM(20), DATE(2023, 3, 2), NUM(25) };
    rg_dataset d = { "d", NULL, NULL, 0, dated, 2, vals, 4, 1 };
    rg_chart c = bar_chart(&d, 0);
    c.type = RG_CHART_LINE;
    CHECK(draw(&f, &c) == RG_OK);
    const rg_dl_path *l = line_of(&f, f.st->palette[0]);
    CHECK(l && l->nsegs == 4);
    if (l && l->nsegs == 4) {
        /* drawn in date order: 1 Jan, 11 Jan, 10 Feb, 2 Mar: 10, 30, 20 days */
        double x[4];
        for (int i = 0; i < 4; i++) x[i] = l->segs[i].pts[0];
        CHECK(x[0] < x[1] && x[1] < x[2] && x[2] < x[3]);
        CHECK(fabs((x[2] - x[1]) / (x[1] - x[0]) - 3) < 1e-6);
        CHECK(fabs((x[3] - x[2]) / (x[1] - x[0]) - 2) < 1e-6);
        CHECK(l->segs[1].op == RG_PATH_LINE && l->segs[3].op == RG_PATH_LINE);
    }
    CHECK(run_is(&f, "jan 2023") && run_is(&f, "feb 2023"));
    CHECK(run_with(&f, "januari") == NULL);          /* no full dates as categories */
    /* a monthly series (first days) without April: the line breaks there,
     * and the points stand in the middle of their months, above the labels */
    fresh_page(&f);
    rg_value months[] = { DATE(2023, 1, 1), NUM(10), DATE(2023, 2, 1), NUM(12),
                          DATE(2023, 3, 1), NUM(11), DATE(2023, 5, 1), NUM(14),
                          DATE(2023, 6, 1), NUM(13) };
    rg_dataset m = { "m", NULL, NULL, 0, dated, 2, months, 5, 1 };
    c.data = &m;
    CHECK(draw(&f, &c) == RG_OK);
    l = line_of(&f, f.st->palette[0]);
    CHECK(l && l->nsegs == 5);
    if (l && l->nsegs == 5) {
        CHECK(l->segs[2].op == RG_PATH_LINE && l->segs[3].op == RG_PATH_MOVE);
        const rg_dl_glyphs *jan = run_is(&f, "jan 2023");
        CHECK(jan && fabs(jan->x + run_width(jan) / 2 - l->segs[0].pts[0]) < 0.5);
    }
    CHECK(all_finite(&f));
    teardown(&f);
}

static rg_value incidents[] = {
    TXT("jan"), NUM(7), MISSING, MISSING, TXT("feb"), NUM(14), MISSING, MISSING,
    TXT("mrt"), NUM(9), MISSING, MISSING, TXT("apr"), NUM(11), MISSING, MISSING,
};

static rg_dataset incident_data = { "storingen", NULL, NULL, 0, kinds, 4, incidents, 4, 1 };

TEST(chart_lower_is_better_marks_the_values_above_the_norm)
{
    fixture f = setup();
    rg_chart c = bar_chart(&incident_data, 0);
    c.has_ref_value = 1;
    c.ref_value = 10;
    c.lower_is_better = 1;
    CHECK(draw(&f, &c) == RG_OK);
    rg_dl_rect ok[8], bad[8];
    CHECK(bars_of(&f, f.st->palette[0], ok, 8) == 2);       /* 7 and 9 */
    CHECK(bars_of(&f, f.st->mark_color, bad, 8) == 2);      /* 14 and 11 */
    CHECK(fabs(bad[0].h / bad[1].h - 14.0 / 11) < 1e-6);
    CHECK(run_with(&f, "Boven de norm") && !run_with(&f, "Onder de norm"));
    const char *sign = expected_sign(&f);
    if (strcmp(sign, " *") != 0) {
        CHECK(run_with(&f, "14 \xE2\x96\xB2") != NULL);       /* ▲: above */
        CHECK(run_with(&f, "\xE2\x96\xBC") == NULL);
    }
    /* higher is better (the default): the values below */
    fresh_page(&f);
    c.lower_is_better = 0;
    CHECK(draw(&f, &c) == RG_OK);
    CHECK(bars_of(&f, f.st->mark_color, bad, 8) == 2 && fabs(bad[0].h / bad[1].h - 7.0 / 9) < 1e-6);
    CHECK(run_with(&f, "Onder de norm") != NULL);
    /* a line: its points above the norm ringed in the mark's colours */
    fresh_page(&f);
    c.type = RG_CHART_LINE;
    c.lower_is_better = 1;
    CHECK(draw(&f, &c) == RG_OK);
    CHECK(markers_of(&f, f.st->mark_color) == 3);           /* 14, 11 and the legend's */
    CHECK(markers_of(&f, f.st->palette[0]) == 3);           /* 7, 9 and the legend's */
    CHECK(run_with(&f, "Boven de norm") != NULL);
    /* in English */
    fresh_page(&f);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, rg_locale_for("en-GB"), "en-GB", BOX_X,
                        BOX_TOP, BOX_W, BOX_H) == RG_OK);
    CHECK(run_with(&f, "Above the norm") != NULL);
    teardown(&f);
}

TEST(chart_markers_all_or_none)
{
    fixture f = setup();
    rg_chart c = bar_chart(&kind_data, 0);
    c.type = RG_CHART_LINE;
    c.markers = RG_MARKERS_NONE;
    CHECK(draw(&f, &c) == RG_OK);
    CHECK(markers_of(&f, f.st->palette[0]) == 0);
    CHECK(line_of(&f, f.st->palette[0]) != NULL);
    fresh_page(&f);
    c.markers = RG_MARKERS_ALL;
    CHECK(draw(&f, &c) == RG_OK);
    CHECK(markers_of(&f, f.st->palette[0]) == 4);
    /* a marked point keeps its mark without markers */
    fresh_page(&f);
    c.markers = RG_MARKERS_NONE;
    c.has_ref_value = 1;
    c.ref_value = 10;
    CHECK(draw(&f, &c) == RG_OK);
    CHECK(markers_of(&f, f.st->mark_color) == 2);           /* 3 and the legend's */
    teardown(&f);
}

TEST(chart_axis_titles_take_room_from_the_plot)
{
    fixture f = setup();
    for (int hz = 0; hz < 2; hz++) {
        fresh_page(&f);
        rg_chart c = bar_chart(&money_data, hz);
        c.value_title = "Bedrag";
        c.category_title = "Soort post";
        rg_dl_box_open(f.dl, 0, RG_BOX_CHART, BOX_X, BOX_TOP - BOX_H, BOX_X + BOX_W, BOX_TOP, 0);
        CHECK(draw(&f, &c) == RG_OK);
        rg_dl_box_close(f.dl);
        CHECK(rg_check_layout(f.ctx, f.dl, "def.xml", NULL) == 0);
        double x0, x1, y0, y1;
        grid_extent(&f, &x0, &x1, &y0, &y1);
        const rg_dl_glyphs *vt = run_is(&f, "Bedrag"), *ct = run_is(&f, "Soort post"),
                           *cat = run_is(&f, "Personeel");
        CHECK(vt && ct && cat);
        if (!vt || !ct || !cat) continue;
        if (!hz) {
            /* above the top tick, left-aligned with the chart; under the labels */
            CHECK(vt->y > y1 + f.st->roles[RG_ROLE_CHART].size * 0.5);
            CHECK(fabs(vt->x - BOX_X) < 1);
            CHECK(ct->y < cat->y - 4);
            CHECK(fabs(ct->x + run_width(ct) / 2 - (x0 + x1) / 2) < 1);
        } else {
            /* above the category labels; under the tick labels */
            CHECK(ct->y > y1 && fabs(ct->x - BOX_X) < 1);
            const rg_dl_glyphs *tick = run_with(&f, "mln");
            CHECK(tick && vt->y < tick->y - 4);
        }
        CHECK(vt->y > BOX_TOP - BOX_H && vt->y < BOX_TOP && ct->y > BOX_TOP - BOX_H);
    }
    teardown(&f);
}

/* the run drawn right after g */
static const rg_dl_glyphs *run_after(const fixture *f, const rg_dl_glyphs *g)
{
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i + 1 < p->nitems; i++)
        if (&p->items[i].u.glyphs == g)
            for (size_t k = i + 1; k < p->nitems; k++)
                if (p->items[k].kind == RG_DL_GLYPHS) return &p->items[k].u.glyphs;
    return NULL;
}

static size_t runs_flagged(const fixture *f, unsigned flag)
{
    size_t n = 0;
    const rg_dl_page *p = page0(f);
    for (size_t i = 0; i < p->nitems; i++)
        n += p->items[i].kind == RG_DL_GLYPHS && (p->items[i].u.glyphs.flags & flag);
    return n;
}

static const char *const PROVINCES[] = { "Noord-Holland", "Zuid-Holland", "Utrecht", "Zeeland",
                                         "Limburg", "Drenthe", "Flevoland", "Friesland",
                                         "Groningen" };

/* A vertical bar chart of n categories (at most 40) drawn as layout does
 * and checked: every label in its box, nothing shortened, no warning. */
static void draw_whole_categories(fixture *f, const char *const *names, size_t n)
{
    rg_value vals[3 * 40];
    rg_dataset d = categories(vals, names, n < 40 ? n : 40);
    rg_chart c = bar_chart(&d, 0);
    CHECK(draw_checked(f, &c) == 0);
    CHECK(runs_in_labels(f));
    CHECK(shortened_runs(f) == 0);
    CHECK(!f->ctx->diag_text || !strstr(f->ctx->diag_text, "warning"));
}

/* A label wider than its slot with a hard hyphen breaks after it, no
 * hyphen inserted, nothing shortened, no warning. */
TEST(chart_category_label_wraps_after_a_hard_hyphen)
{
    fixture f = setup();
    draw_whole_categories(&f, PROVINCES, 9);
    CHECK(run_is(&f, "Noord-") && run_is(&f, "Holland"));
    CHECK(run_is(&f, "Zuid-"));
    CHECK(!run_with(&f, "Noord-Holland"));
    CHECK(runs_flagged(&f, RG_RUN_HYPHEN) == 0);
    teardown(&f);
}

static const char *const SERVICES[] = { "DigiD", "Digimelding", "MijnOverheid", "Berichtenbox",
                                        "eHerkenning", "Digipoort", "PKIoverheid",
                                        "Logius Routeringsvoorziening" };

/* A word wider than its slot is hyphenated by the Dutch patterns: the
 * line ends with a hyphen glyph whose run is RG_RUN_HYPHEN with the rest
 * of the word, the next line's run RG_RUN_CONTINUES; a word that fits a
 * line whole is not hyphenated to fill the line before it. */
TEST(chart_category_label_hyphenated_with_its_rest)
{
    fixture f = setup();
    draw_whole_categories(&f, SERVICES, 8);
    const rg_dl_glyphs *a = run_is(&f, "MijnOver"), *hy = a ? run_after(&f, a) : NULL;
    const rg_dl_glyphs *b = hy ? run_after(&f, hy) : NULL;
    CHECK(a && hy && b);
    if (a && hy && b) {
        CHECK(hy->flags & RG_RUN_HYPHEN);
        CHECK(hy->nglyphs == 1 && hy->glyphs[0].gid != 0);
        CHECK(hy->text_len == 2 && !memcmp(hy->text, "\xC2\xAD", 2));
        CHECK(hy->rest && hy->rest_len == 4 && !memcmp(hy->rest, "heid", 4));
        CHECK(hy->para == a->para && hy->src == a->src + 8);
        CHECK(b->text_len == 4 && !memcmp(b->text, "heid", 4));
        CHECK((b->flags & RG_RUN_CONTINUES) && b->cont_len == 4);
        CHECK(b->src == a->src + 8);
        double adv = 0;
        for (size_t i = 0; i < a->nglyphs; i++)
            adv += a->glyphs[i].x_advance * a->size / rg_font_upem(a->font);
        CHECK(fabs(hy->x - (a->x + adv)) < 1e-6 && hy->y == a->y && b->y < a->y);
    }
    /* "Logius" on a line of its own, then "Routerings-" / "voorziening" */
    CHECK(run_is(&f, "Logius") && run_is(&f, "Routerings") && run_is(&f, "voorziening"));
    CHECK(!run_with(&f, "Logius Rou"));
    teardown(&f);
}

/* Readers get a word separator where a label's line broke at a space and
 * after each label's last line (so "Logius" / "Routerings-" reads "Logius
 * Routerings..." and labels do not run together in the Figure's text),
 * never after the hyphen of a hyphenated word. */
TEST(chart_category_label_lines_carry_word_separators)
{
    fixture f = setup();
    draw_whole_categories(&f, SERVICES, 8);
    const rg_dl_glyphs *logius = run_is(&f, "Logius"), *rout = run_is(&f, "Routerings");
    const rg_dl_glyphs *hy = rout ? run_after(&f, rout) : NULL;
    const rg_dl_glyphs *digid = run_is(&f, "DigiD"), *over = run_is(&f, "MijnOver");
    CHECK(logius && (logius->flags & RG_RUN_SPACE_AFTER));
    CHECK(rout && !(rout->flags & RG_RUN_SPACE_AFTER));
    CHECK(hy && (hy->flags & RG_RUN_HYPHEN) && !(hy->flags & RG_RUN_SPACE_AFTER));
    CHECK(digid && (digid->flags & RG_RUN_SPACE_AFTER));
    CHECK(over && !(over->flags & RG_RUN_SPACE_AFTER));
    teardown(&f);
}

static const char *const SERVICES30[] = {
    "DigiD", "DigiD Machtigen", "MijnOverheid", "Berichtenbox", "eHerkenning", "Digipoort",
    "PKIoverheid", "Logius Routeringsvoorziening", "Digikoppeling", "Digimelding",
    "Basisregistratie Personen", "Stelselcatalogus", "Omgevingsloket", "Machtigingenregister",
    "Standard Business Reporting", "Digilevering", "Informatiebeveiligingsdienst",
    "Landelijke Voorziening WOZ", "Toegangsverleningsservice", "Berichtenbox voor bedrijven",
    "Basisregistratie Kadaster", "Inkomensverklaring", "Overheid.nl", "Mijn Omgeving",
    "Ondernemersplein", "Wegwijzer", "Notificatieservice", "Identiteitsbewijzen",
    "Vergunningverlening", "Meldingsplicht"
};

/* the lowest bar's bottom: where the plot starts */
static double plot_bottom(const fixture *f)
{
    rg_dl_rect b[64];
    size_t n = bars_of(f, f->st->palette[0], b, 64);
    double y = INFINITY;
    for (size_t i = 0; i < n && i < 64; i++) y = fmin(y, b[i].y);
    return y;
}

/* Thirty services under vertical bars: too dense for upright labels, so
 * all are turned by 45 degrees, reading upwards and ending under their
 * bar's middle, each whole and none over another; the plot gets shorter
 * for them, the chart's box does not grow. */
TEST(chart_dense_categories_turned)
{
    fixture f = setup();
    draw_whole_categories(&f, SERVICES30, 30);
    const rg_dl_page *p = page0(&f);
    rg_dl_rect bars[30];
    CHECK(bars_of(&f, f.st->palette[0], bars, 30) == 30);
    size_t turned = 0;
    for (size_t r = 0; r < 30; r++) {
        const rg_dl_glyphs *g = run_is(&f, SERVICES30[r]);
        CHECK(g != NULL);                                   /* whole, on one line */
        if (!g) continue;
        CHECK(g->angle == 45);
        turned++;
        double w = 0;
        for (size_t i = 0; i < g->nglyphs; i++)
            w += g->glyphs[i].x_advance * g->size / rg_font_upem(g->font);
        double end_x = g->x + w * cos(M_PI / 4), end_y = g->y + w * sin(M_PI / 4);
        double mid = bars[r].x + bars[r].w / 2;
        CHECK(end_x > mid - g->size && end_x < mid + g->size);     /* under its bar */
        CHECK(end_y < bars[r].y && end_y > bars[r].y - 2 * g->size); /* just under the axis */
    }
    CHECK(turned == 30);
    size_t nturned = 0;                                  /* only category labels are */
    for (size_t i = 0; i < p->nitems; i++)
        nturned += p->items[i].kind == RG_DL_GLYPHS && p->items[i].u.glyphs.angle != 0;
    CHECK(nturned == 30);
    /* deeper than three upright lines, within half the chart's height */
    double depth = plot_bottom(&f) - (BOX_TOP - BOX_H);
    CHECK(depth > 3 * 10.4 + 4 && depth < BOX_H * 0.5 + 4 + 1);
    teardown(&f);
}

/* Sixty long names: turned, even so only every n-th has room between
 * its neighbours, and the longest do not fit the height the labels may
 * take: they are shortened with an ellipsis, and the chart warns once,
 * naming both. */
TEST(chart_dense_long_categories_shortened_and_thinned)
{
    fixture f = setup();
    draw_long_shortened(&f, 60, 0, "dicht", BOX_H);
    CHECK(said(&f, "too many categories for their labels: only every "));
    CHECK(said(&f, " of 60 labelled"));
    const rg_dl_glyphs *g = run_with(&f, "\xE2\x80\xA6");
    CHECK(g && g->angle == 45 && (g->flags & RG_RUN_SHORTENED));
    teardown(&f);
}

/* A chart 70 pt high has no room for turned labels (they would be cut to
 * a letter or left out): its six long labels stay upright, in as many
 * lines as half its height holds, shortened with the warning, and the
 * plot keeps room to be drawn. */
TEST(chart_low_chart_keeps_upright_labels)
{
    fixture f = setup();
    draw_long_shortened(&f, 6, 0, "laag", 70);
    CHECK(!run_with(&f, "Geen gegevens"));
    const rg_dl_page *p = page0(&f);
    for (size_t i = 0; i < p->nitems; i++)
        if (p->items[i].kind == RG_DL_GLYPHS) CHECK(p->items[i].u.glyphs.angle == 0);
    CHECK(!said(&f, "left out"));
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

/* An English chart's own words are English: "No data", "Target 99.8%". */
TEST(chart_own_words_in_english)
{
    fixture f = setup();
    rg_dataset empty = { "e", NULL, NULL, 0, fields, 3, NULL, 0, 1 };
    rg_chart c = bar_chart(&empty, 0);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, rg_locale_for("en-GB"), "en-GB", BOX_X,
                        BOX_TOP, BOX_W, BOX_H) == RG_OK);
    CHECK(run_with(&f, "No data") && !run_with(&f, "Geen gegevens"));
    rg_value vals[] = { TXT("A"), NUM(99.9), NUM(90) };
    rg_dataset d = { "d", NULL, NULL, 0, fields, 3, vals, 1, 1 };
    c = bar_chart(&d, 0);
    c.has_ref_value = 1;
    c.ref_value = 99.8;
    fresh_page(&f);
    CHECK(rg_chart_draw(f.ctx, f.dl, 0, &c, f.st, rg_locale_for("en-GB"), "en-GB", BOX_X,
                        BOX_TOP, BOX_W, BOX_H) == RG_OK);
    CHECK(run_with(&f, "Target 99.8") != NULL);
    teardown(&f);
}
