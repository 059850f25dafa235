/* chart/line.c - line charts: each series is a line across the categories
 * (usually periods) with a marker at every point; a missing value breaks
 * the line (a gap, never a drop to zero). Series differ in colour and in
 * marker shape. A constant norm is a dashed line, a per-category norm a
 * dashed line through the norms. Stage: chart. */
#include "internal.h"

#include <math.h>

typedef struct line_layout {
    chart_plot p;
    size_t nser;
    double slot;
    int cat_lines;
    size_t cat_every;
    double cat_bottom;             /* the category labels' room ends here */
} line_layout;

static double cat_x(const line_layout *L, size_t i)
{
    return L->p.area.x + ((double)i + 0.5) * L->slot;
}

static size_t scan(chart_ctx *cc, const line_layout *L, double *lo, double *hi)
{
    size_t count = 0;
    double v;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < cc->ncat; r++) {
        for (size_t s = 0; s < L->nser; s++)
            if (chart_value(cc, r, cc->c->series[s], &v)) {
                count++;
                *lo = fmin(*lo, v);
                *hi = fmax(*hi, v);
            }
        if (chart_norm(cc, r, &v)) {
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
    }
    return count;
}

/* one polyline through field's values; missing values start a new subpath */
static void draw_polyline(chart_ctx *cc, const line_layout *L, int field, int norm,
                          rg_color col, double lw, double dash, double gap)
{
    rg_path_seg *segs = rg_arena_alloc(cc->scratch, (cc->ncat + 1) * sizeof *segs);
    size_t n = 0;
    int prev = 0;
    double v;
    for (size_t r = 0; r < cc->ncat; r++) {
        int ok = norm ? chart_norm(cc, r, &v) : chart_value(cc, r, field, &v);
        if (ok) {
            segs[n++] = (rg_path_seg){ prev ? RG_PATH_LINE : RG_PATH_MOVE,
                                       { cat_x(L, r), chart_vpos(&L->p, v) } };
        }
        prev = ok;
    }
    rg_dl_path p = { .segs = segs, .nsegs = n, .stroke = 1, .stroke_color = col,
                     .line_width = lw, .dash_on = dash, .dash_off = gap };
    chart_path(cc, &p);
}

static void draw_reference(chart_ctx *cc, const line_layout *L)
{
    const chart_box *a = &L->p.area;
    double n;
    if (cc->c->reference >= 0) {
        draw_polyline(cc, L, -1, 1, cc->ref, 1.2, 4, 2.4);
    } else if (chart_norm(cc, 0, &n) && n >= L->p.ax.min && n <= L->p.ax.max) {
        double y = chart_vpos(&L->p, n);
        chart_line(cc, a->x, y, a->x + a->w, y, cc->ref, 1.2, 4);
    }
}

static void draw_series(chart_ctx *cc, const line_layout *L)
{
    double v;
    for (size_t s = 0; s < L->nser; s++) {
        double on, off;
        chart_series_dash(cc, s, &on, &off);
        draw_polyline(cc, L, cc->c->series[s], 0, chart_color(cc, s), 1.75, on, off);
    }
    for (size_t s = 0; s < L->nser; s++)
        for (size_t r = 0; r < cc->ncat; r++)
            if (chart_value(cc, r, cc->c->series[s], &v))
                chart_marker(cc, (int)s, cat_x(L, r), chart_vpos(&L->p, v), 3.2,
                             chart_color(cc, s));
}

static void layout_area(chart_ctx *cc, line_layout *L, chart_box b, double bottom)
{
    chart_box *a = &L->p.area;
    a->x = b.x + chart_tick_label_width(cc, &L->p.ax) + 8;
    a->w = b.w - (a->x - b.x) - 4;
    L->slot = a->w / (double)cc->ncat;
    chart_category_fit(cc, L->slot, &L->cat_every, &L->cat_lines);
    L->cat_bottom = b.y + bottom;
    a->y = b.y + bottom + (double)L->cat_lines * cc->lead + 4;
    a->h = b.h - (a->y - b.y) - cc->lead / 2;
}

static void draw_categories(chart_ctx *cc, const line_layout *L)
{
    char buf[256];
    double w = L->slot * (double)L->cat_every - 4;
    if (L->cat_every > 1) cc->cat_every = L->cat_every;        /* for the warning */
    for (size_t r = 0; r < cc->ncat; r += L->cat_every) {
        const char *s = chart_category(cc, r, buf, sizeof buf);
        chart_line(cc, cat_x(L, r), L->p.area.y, cat_x(L, r), L->p.area.y - 3, cc->axis, 0.8, 0);
        double x = cat_x(L, r) - w / 2;
        label_spec sp = { .kind = LABEL_CATEGORY, .font = cc->font, .color = cc->ink, .text = s,
                          .room = { x, L->cat_bottom, x + w, L->p.area.y - 3 }, .x = x,
                          .y = L->p.area.y - 4 - cc->size, .span = w, .anchor = ANCHOR_CENTER,
                          .width = w, .maxlines = L->cat_lines };
        chart_label_put(cc, &sp);
    }
}

static size_t line_legend(chart_ctx *cc, const line_layout *L, legend_entry *e)
{
    size_t n = 0;
    int common = cc->c->reference >= 0 || cc->c->has_ref_value;
    if (L->nser > 1 || common)
        for (size_t s = 0; s < L->nser; s++) {
            const rg_field *f = chart_field(cc, cc->c->series[s]);
            e[n].kind = SWATCH_LINE;
            e[n].series = s;
            e[n].shape = (int)s;
            e[n++].label = f && f->label ? f->label : "";
        }
    return chart_legend_common(cc, e, n, 0);
}

void chart_lines(chart_ctx *cc, chart_box b)
{
    line_layout L = { .nser = cc->c->nseries > RG_MAX_SERIES ? RG_MAX_SERIES : cc->c->nseries };
    double lo, hi;
    if (!cc->ncat || !scan(cc, &L, &lo, &hi)) {
        chart_no_data(cc, b);
        return;
    }
    legend_entry e[RG_MAX_SERIES + 2];
    size_t ne = line_legend(cc, &L, e);
    double lh = ne ? chart_legend_height(cc, e, ne, b.w) + cc->size * 0.8 : 0;
    chart_axis_choose(cc, lo, hi, TRUNC_CLUSTERED, b.h * 0.7, &L.p.ax);
    layout_area(cc, &L, b, lh);
    if (!L.p.ax.ok || L.p.area.w < 4 || L.p.area.h < 4) {
        chart_no_data(cc, b);
        return;
    }
    chart_axis_draw(cc, &L.p);
    chart_axis_lines(cc, &L.p);
    draw_reference(cc, &L);
    draw_series(cc, &L);
    draw_categories(cc, &L);
    if (ne) chart_legend_draw(cc, e, ne, b.x, b.y + lh - cc->size * 0.8, b.w);
}
