/* chart/line.c - line charts: each series is a line across the categories
 * (usually periods) with a marker at every point (dense points: none for
 * one series, every n-th for several); a missing value breaks
 * the line (a gap, never a drop to zero), and an author's axis-min or
 * axis-max clips it at the plot's edge (with a warning). Series differ in
 * colour and in marker shape. A constant norm is a dashed line, a
 * per-category norm a dashed line through the norms. Stage: chart. */
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

/* the part of the way from v0 to v1 that lies on the axis, as fractions
 * t0 <= t1 of it; 0 when none does */
static int clip_span(const value_axis *ax, double v0, double v1, double *t0, double *t1)
{
    double d = v1 - v0, eps = (ax->max - ax->min) * 1e-9;
    double lo = ax->min - eps, hi = ax->max + eps;
    *t0 = 0;
    *t1 = 1;
    if (d == 0) return v0 >= lo && v0 <= hi;
    double a = ((d > 0 ? lo : hi) - v0) / d, b = ((d > 0 ? hi : lo) - v0) / d;
    *t0 = fmax(*t0, a);
    *t1 = fmin(*t1, b);
    return *t0 <= *t1;
}

/* a value's point on the line through record r (norm: the norms) */
static int line_value(const chart_ctx *cc, size_t r, int field, int norm, double *v)
{
    return norm ? chart_norm(cc, r, v) : chart_value(cc, r, field, v);
}

/* the line's way from record r - 1 (value from; joined: it has one) to
 * record r (value v), the part on the axis added to segs; *pen says
 * whether the path ends at the previous point */
static void add_step(const line_layout *L, size_t r, int joined, double from, double v,
                     rg_path_seg *segs, size_t *n, int *pen)
{
    double t0, t1, x0 = r ? cat_x(L, r - 1) : 0, x1 = cat_x(L, r);
    if (!joined) from = v;
    if (!clip_span(&L->p.ax, from, v, &t0, &t1)) {
        *pen = 0;
        return;
    }
    if (!joined) t0 = t1 = 1;      /* after a gap: the point alone */
    if (!*pen || t0 > 0)
        segs[(*n)++] = (rg_path_seg){ RG_PATH_MOVE, { x0 + t0 * (x1 - x0),
                                                      chart_vpos(&L->p, from + t0 * (v - from)) } };
    if (joined)
        segs[(*n)++] = (rg_path_seg){ RG_PATH_LINE, { x0 + t1 * (x1 - x0),
                                                      chart_vpos(&L->p, from + t1 * (v - from)) } };
    *pen = t1 >= 1;
}

/* One polyline through field's values (norm: the norms): a missing value
 * starts a new subpath, and the line is clipped to the axis: the part of a
 * segment beyond the author's axis-min or axis-max is left out. */
static void draw_polyline(chart_ctx *cc, const line_layout *L, int field, int norm,
                          rg_color col, double lw, double dash)
{
    rg_path_seg *segs = rg_arena_alloc(cc->scratch, (2 * cc->ncat + 1) * sizeof *segs);
    size_t n = 0;
    int prev = 0, pen = 0;
    double v, pv = 0;
    for (size_t r = 0; r < cc->ncat; r++) {
        int ok = line_value(cc, r, field, norm, &v);
        if (ok) add_step(L, r, prev, pv, v, segs, &n, &pen);
        prev = ok;
        pv = v;
    }
    rg_dl_path p = { .segs = segs, .nsegs = n, .stroke = 1, .stroke_color = col,
                     .line_width = lw, .dash_on = dash, .dash_off = dash > 0 ? dash * 0.6 : 0 };
    chart_path(cc, &p);
}

static void draw_reference(chart_ctx *cc, const line_layout *L)
{
    const chart_box *a = &L->p.area;
    double n;
    if (cc->c->reference >= 0) {
        draw_polyline(cc, L, -1, 1, cc->ref, 1.2, 4);
    } else if (chart_norm(cc, 0, &n) && n >= L->p.ax.min && n <= L->p.ax.max) {
        double y = chart_vpos(&L->p, n);
        chart_line(cc, a->x, y, a->x + a->w, y, cc->ref, 1.2, 4);
    }
}

#define MARKER_R 3.2                /* a marker's radius */
enum { DENSE_POINTS = 40 };        /* more points in a series: markers crowd */
#define MARKER_GAP 40.0            /* thinned markers: about this far apart */

static size_t most_points(const chart_ctx *cc, const line_layout *L)
{
    size_t most = 0;
    double v;
    for (size_t s = 0; s < L->nser; s++) {
        size_t n = 0;
        for (size_t r = 0; r < cc->ncat; r++) n += chart_value(cc, r, cc->c->series[s], &v);
        if (n > most) most = n;
    }
    return most;
}

/* Markers at every n-th point: at every one while they stand apart (at
 * most DENSE_POINTS in a series, three marker widths or more between
 * neighbours); on dense points none for a lone series (the line says it
 * all), and for several, so that each line keeps the shape that tells it
 * apart, one about every MARKER_GAP points. 0: none. */
static size_t marker_every(const chart_ctx *cc, const line_layout *L)
{
    if (most_points(cc, L) <= DENSE_POINTS && L->slot >= 3 * 2 * MARKER_R) return 1;
    if (L->nser < 2 || !(L->slot > 0)) return 0;
    size_t every;
    rg_double_to_size(ceil(MARKER_GAP / L->slot), 2, cc->ncat > 2 ? cc->ncat : 2, &every);
    return every;
}

/* series s's markers at every n-th point on the axis (the series take
 * turns, so that their markers do not meet); the points beyond the
 * author's axis noted for the warning */
static void draw_markers(chart_ctx *cc, const line_layout *L, size_t s, size_t every,
                         axis_cuts *cuts)
{
    double v;
    size_t turn = every > 1 ? s * every / L->nser : 0;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (!chart_value(cc, r, cc->c->series[s], &v)) continue;
        int side = chart_axis_beyond(&L->p.ax, v);
        if (side) chart_cut_note(cc, cuts, side, r, cc->c->series[s], v);
        else if (every && r % every == turn)
            chart_marker(cc, (int)s, cat_x(L, r), chart_vpos(&L->p, v), MARKER_R,
                         chart_color(cc, s));
    }
}

/* the series' lines, then their markers; the warning about points beyond
 * the author's axis */
static void draw_series(chart_ctx *cc, const line_layout *L)
{
    axis_cuts cuts = { { 0, 0 }, { "", "" } };
    size_t every = marker_every(cc, L);
    double lw = fmin(1.75, fmax(0.75, L->slot / 2));   /* dense points: a finer line */
    for (size_t s = 0; s < L->nser; s++)
        draw_polyline(cc, L, cc->c->series[s], 0, chart_color(cc, s), lw, 0);
    for (size_t s = 0; s < L->nser; s++) draw_markers(cc, L, s, every, &cuts);
    chart_cut_report(cc, &cuts, "point", "points", "the line is clipped at the plot's edge");
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
            e[n].color = chart_color(cc, s);
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
