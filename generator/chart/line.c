/* chart/line.c - line charts: each series is a line across the categories
 * (usually periods) with a marker at every point (dense points: none for
 * one series, every n-th for several; markers= "all" or "none" decides
 * instead); a missing value breaks the line (a gap, never a drop to
 * zero), and an author's axis-min or axis-max clips it at the plot's edge
 * (with a warning). Series differ in colour and in marker shape. A
 * constant norm is a dashed line, a per-category norm a dashed line
 * through the norms; a point on the wrong side of its norm (below it;
 * above it with better="lower") is marked by a larger marker in the mark
 * colour, ringed (on dense lines and with markers="none" too: a mark is
 * information). Series named in axis2= are drawn against the second axis
 * at the right (chart/axis.c) and are never marked: the norm is the first
 * axis's. A date category gives a time axis (chart/timeaxis.c): points by
 * date, drawn in date order. Stage: chart. */
#include "internal.h"

#include <math.h>

typedef struct line_layout {
    chart_plot p;
    size_t nser;
    double slot;
    chart_cats cats;               /* how the category labels are set */
    double cat_bottom;             /* the category labels' room ends here */
    int timed;                     /* a time axis: points placed by time */
    chart_time time;
    int marked;                    /* some point is on the wrong side of its norm */
} line_layout;

static double cat_x(const line_layout *L, size_t i)
{
    if (L->timed) return chart_time_x(&L->time, &L->p.area, i);
    return L->p.area.x + ((double)i + 0.5) * L->slot;
}

/* the points in drawing order: the records, or on a time axis those with
 * a date in date order */
static size_t npoints(const chart_ctx *cc, const line_layout *L)
{
    return L->timed ? L->time.n : cc->ncat;
}

/* the record drawn k-th; *gap when the line breaks before it */
static size_t nth(const line_layout *L, size_t k, int *gap)
{
    *gap = L->timed && L->time.gap[k];
    return L->timed ? L->time.order[k] : k;
}

/* the axis a field's values (norm: the norms) are read against */
static const value_axis *axis_of(const chart_ctx *cc, const line_layout *L, int field, int norm)
{
    return norm ? &L->p.ax : chart_field_axis(cc, &L->p, field);
}

/* 1 when the point of series s in record r is marked against its norm */
static int marked_point(const chart_ctx *cc, size_t s, size_t r, double v)
{
    double n;
    return !chart_on_axis2(cc, cc->c->series[s]) && chart_norm(cc, r, &n) &&
           chart_off_norm(cc, v, n);
}

/* the first axis's extremes (values and norms); returns the number of
 * values (on either axis) */
static size_t scan(chart_ctx *cc, line_layout *L, double *lo, double *hi)
{
    size_t count = 0;
    double v;
    int gap;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t k = 0; k < npoints(cc, L); k++) {
        size_t r = nth(L, k, &gap);
        for (size_t s = 0; s < L->nser; s++)
            if (chart_value(cc, r, cc->c->series[s], &v)) {
                count++;
                if (chart_on_axis2(cc, cc->c->series[s])) continue;
                if (marked_point(cc, s, r, v)) L->marked = 1;
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

/* v as a fraction of the way along axis ax's scale (log10 on a log axis),
 * and back: straight segments are straight in these units */
static double scale_of(const value_axis *ax, double v)
{
    return ax->scale == RG_SCALE_LOG ? log10(v) : v;
}

static double unscale(const value_axis *ax, double u)
{
    return ax->scale == RG_SCALE_LOG ? pow(10, u) : u;
}

/* the part of the way from v0 to v1 that lies on the axis, as fractions
 * t0 <= t1 of it (in the axis's scale); 0 when none does */
static int clip_span(const value_axis *ax, double v0, double v1, double *t0, double *t1)
{
    double u0 = scale_of(ax, v0), d = scale_of(ax, v1) - u0;
    double lo = scale_of(ax, ax->min), hi = scale_of(ax, ax->max), eps = (hi - lo) * 1e-9;
    lo -= eps;
    hi += eps;
    *t0 = 0;
    *t1 = 1;
    if (d == 0) return u0 >= lo && u0 <= hi;
    double a = ((d > 0 ? lo : hi) - u0) / d, b = ((d > 0 ? hi : lo) - u0) / d;
    *t0 = fmax(*t0, a);
    *t1 = fmin(*t1, b);
    return *t0 <= *t1;
}

/* a value's point on the line through record r (norm: the norms) */
static int line_value(const chart_ctx *cc, size_t r, int field, int norm, double *v)
{
    return norm ? chart_norm(cc, r, v) : chart_value(cc, r, field, v);
}

/* the position of the point t of the way from v0 to v1 along axis ax */
static double pos_between(const chart_plot *p, const value_axis *ax, double v0, double v1,
                          double t)
{
    double u0 = scale_of(ax, v0);
    return chart_vpos_on(p, ax, unscale(ax, u0 + t * (scale_of(ax, v1) - u0)));
}

/* the line's way from the previous point (at x0, value from; joined: the
 * line runs from it) to this one (at x1, value v) on axis ax, the part on
 * the axis added to segs; *pen says whether the path ends at the previous
 * point */
static void add_step(const chart_plot *p, const value_axis *ax, double x0, double x1,
                     int joined, double from, double v, rg_path_seg *segs, size_t *n, int *pen)
{
    double t0, t1;
    if (!joined) from = v;
    if (!clip_span(ax, from, v, &t0, &t1)) {
        *pen = 0;
        return;
    }
    if (!joined) t0 = t1 = 1;      /* after a gap: the point alone */
    if (!*pen || t0 > 0)
        segs[(*n)++] = (rg_path_seg){ RG_PATH_MOVE, { x0 + t0 * (x1 - x0),
                                                      pos_between(p, ax, from, v, t0) } };
    if (joined)
        segs[(*n)++] = (rg_path_seg){ RG_PATH_LINE, { x0 + t1 * (x1 - x0),
                                                      pos_between(p, ax, from, v, t1) } };
    *pen = t1 >= 1;
}

/* A line through the points (x[i], v[i]) of plot p, v on axis ax, dashed
 * dash on, dash_off off (0: solid): a point without a value (v NAN) or
 * with brk[i] (brk may be NULL) starts a new subpath, and the line is
 * clipped to the axis: the part of a segment beyond the author's axis-min
 * or axis-max is left out. */
void chart_polyline(chart_ctx *cc, const chart_plot *p, const value_axis *ax, const double *x,
                    const double *v, const unsigned char *brk, size_t n, rg_color col, double lw,
                    double dash, double dash_off)
{
    rg_path_seg *segs = rg_arena_alloc(cc->scratch, (2 * n + 1) * sizeof *segs);
    size_t ns = 0;
    int pen = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i])) continue;
        int joined = i > 0 && !isnan(v[i - 1]) && !(brk && brk[i]);
        add_step(p, ax, i ? x[i - 1] : 0, x[i], joined, i ? v[i - 1] : 0, v[i], segs, &ns, &pen);
    }
    rg_dl_path path = { .segs = segs, .nsegs = ns, .stroke = 1, .stroke_color = col,
                        .line_width = lw, .dash_on = dash, .dash_off = dash_off };
    chart_path(cc, &path);
}

/* One polyline through field's values (norm: the norms) in drawing order:
 * a missing value or date breaks it, as does a missing date of a regular
 * series; clipped to its axis */
static void draw_polyline(chart_ctx *cc, const line_layout *L, int field, int norm,
                          rg_color col, double lw, double dash, double dash_off)
{
    size_t n = npoints(cc, L);
    double *x = rg_arena_alloc(cc->scratch, (n + 1) * sizeof *x);
    double *v = rg_arena_alloc(cc->scratch, (n + 1) * sizeof *v);
    unsigned char *brk = rg_arena_alloc(cc->scratch, n + 1);
    int gap;
    for (size_t k = 0; k < n; k++) {
        size_t r = nth(L, k, &gap);
        x[k] = cat_x(L, r);
        brk[k] = (unsigned char)gap;
        if (!line_value(cc, r, field, norm, &v[k])) v[k] = NAN;
    }
    chart_polyline(cc, &L->p, axis_of(cc, L, field, norm), x, v, brk, n, col, lw, dash,
                   dash_off);
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

#define MARKER_R 3.2                /* a marker's radius */
enum { DENSE_POINTS = 40 };        /* more points in a series: markers crowd */
#define MARKER_GAP 40.0            /* thinned markers: about this far apart */

static size_t most_points(const chart_ctx *cc, const line_layout *L)
{
    size_t most = 0;
    double v;
    int gap;
    for (size_t s = 0; s < L->nser; s++) {
        size_t n = 0;
        for (size_t k = 0; k < npoints(cc, L); k++)
            n += chart_value(cc, nth(L, k, &gap), cc->c->series[s], &v);
        if (n > most) most = n;
    }
    return most;
}

/* Markers at every n-th point of nlines lines of at most `most` points,
 * slot apart: markers="all" at every one, "none" at none; auto at every
 * one while they stand apart (at most DENSE_POINTS in a line, three
 * marker widths or more between neighbours), on dense points none for a
 * lone line (the line says it all) and for several, so that each line
 * keeps the shape that tells it apart, one about every MARKER_GAP points.
 * 0: none. */
size_t chart_marker_every(const chart_ctx *cc, size_t most, size_t nlines, double slot)
{
    if (cc->c->markers == RG_MARKERS_ALL) return 1;
    if (cc->c->markers == RG_MARKERS_NONE) return 0;
    if (most <= DENSE_POINTS && slot >= 3 * 2 * MARKER_R) return 1;
    if (nlines < 2 || !(slot > 0)) return 0;
    size_t every;
    rg_double_to_size(ceil(MARKER_GAP / slot), 2, cc->ncat > 2 ? cc->ncat : 2, &every);
    return every;
}

/* series s's markers at every n-th point on its axis (the series take
 * turns, so that their markers do not meet), and its marked points
 * whatever every is; the points beyond the author's axis noted for the
 * warning */
static void draw_markers(chart_ctx *cc, const line_layout *L, size_t s, size_t every,
                         axis_cuts *cuts)
{
    int field = cc->c->series[s], gap;
    const value_axis *ax = axis_of(cc, L, field, 0);
    size_t turn = every > 1 ? s * every / L->nser : 0;
    double v;
    for (size_t k = 0; k < npoints(cc, L); k++) {
        size_t r = nth(L, k, &gap);
        if (!chart_value(cc, r, field, &v)) continue;
        int side = chart_axis_beyond(ax, v);
        if (side) {
            chart_cut_note(cc, cuts, side, r, field, v);
            continue;
        }
        double x = cat_x(L, r), y = chart_vpos_on(&L->p, ax, v);
        if (marked_point(cc, s, r, v)) chart_marked_marker(cc, (int)s, x, y, MARKER_R);
        else if (every && k % every == turn)
            chart_marker(cc, (int)s, x, y, MARKER_R, chart_color(cc, s));
    }
}

/* the series' lines, then their markers; the warning about points beyond
 * the author's axis */
static void draw_series(chart_ctx *cc, const line_layout *L)
{
    axis_cuts cuts = { { 0, 0 }, { "", "" } };
    size_t every = chart_marker_every(cc, most_points(cc, L), L->nser, L->slot);
    double lw = fmin(1.75, fmax(0.75, L->slot / 2));   /* dense points: a finer line */
    for (size_t s = 0; s < L->nser; s++) {
        double on, off;
        chart_series_dash(cc, s, &on, &off);
        draw_polyline(cc, L, cc->c->series[s], 0, chart_color(cc, s), lw, on, off);
    }
    for (size_t s = 0; s < L->nser; s++) draw_markers(cc, L, s, every, &cuts);
    chart_cut_report(cc, &cuts, "point", "points", "the line is clipped at the plot's edge");
}

static void layout_area(chart_ctx *cc, line_layout *L, chart_box b, double bottom)
{
    chart_box *a = &L->p.area;
    a->x = b.x + chart_tick_label_width(cc, &L->p.ax) + 8;
    a->w = b.w - (a->x - b.x) - 4;
    if (L->timed) L->cats = (chart_cats){ .every = 1, .lines = 1, .depth = cc->lead };
    else chart_category_fit(cc, &a->x, &a->w, b.h, &L->cats);   /* dates: chart/timeaxis.c */
    L->slot = a->w / (double)cc->ncat;
    L->cats.slot = L->slot;
    L->cat_bottom = b.y + bottom;
    a->y = b.y + bottom + L->cats.depth + 4;
    a->h = b.h - (a->y - b.y) - cc->lead / 2;
}

static void draw_categories(chart_ctx *cc, const line_layout *L)
{
    char buf[256];
    if (L->timed) {
        chart_time_draw(cc, &L->time, &L->p.area, L->cat_bottom);
        return;
    }
    if (L->cats.every > 1) cc->cat_every = L->cats.every;      /* for the warning */
    for (size_t r = 0; r < cc->ncat; r += L->cats.every) {
        const char *s = chart_category(cc, r, buf, sizeof buf);
        chart_line(cc, cat_x(L, r), L->p.area.y, cat_x(L, r), L->p.area.y - 3, cc->axis, 0.8, 0);
        chart_category_put(cc, &L->cats, s, cat_x(L, r), L->p.area.y - 4 - cc->size,
                           L->p.area.y - 3, L->cat_bottom);
    }
}

static size_t line_legend(chart_ctx *cc, const line_layout *L, legend_entry *e)
{
    size_t n = 0;
    int common = cc->c->reference >= 0 || cc->c->has_ref_value;
    if (L->nser > 1 || common)
        for (size_t s = 0; s < L->nser; s++) {
            e[n].kind = SWATCH_LINE;
            e[n].series = s;
            e[n].shape = cc->c->markers == RG_MARKERS_NONE ? -1 : (int)s;
            e[n++].label = chart_series_label(cc, cc->c->series[s]);
        }
    return chart_legend_common(cc, e, n, L->marked ? MARKED_POINTS : 0);
}

void chart_lines(chart_ctx *cc, chart_box b)
{
    line_layout L = { .nser = cc->c->nseries > RG_MAX_SERIES ? RG_MAX_SERIES : cc->c->nseries };
    L.timed = chart_time_setup(cc, &L.time);
    double lo, hi;
    if (!cc->ncat || !scan(cc, &L, &lo, &hi)) {
        chart_no_data(cc, b);
        return;
    }
    legend_entry e[RG_MAX_SERIES + 2];
    size_t ne = line_legend(cc, &L, e);
    double lh = ne ? chart_legend_height(cc, e, ne, b.w) + cc->size * 0.8 : 0, under = lh;
    chart_axis_choose(cc, lo, hi, TRUNC_CLUSTERED, b.h * 0.7, &L.p.ax);
    chart_axis2_choose(cc, &L.p.ax, TRUNC_CLUSTERED, b.h * 0.7, &L.p.ax2);
    L.p.has_ax2 = L.p.ax2.ok;
    chart_box in = chart_frame_room(cc, &L.p, b, &under);
    layout_area(cc, &L, in, under);
    if (!L.p.ax.ok || L.p.area.w < 4 || L.p.area.h < 4) {
        chart_no_data(cc, b);
        return;
    }
    chart_axis_draw(cc, &L.p);
    chart_axis_lines(cc, &L.p);
    chart_axis2_draw(cc, &L.p);
    draw_reference(cc, &L);
    draw_series(cc, &L);
    draw_categories(cc, &L);
    chart_frame_draw(cc, &L.p, b, lh);
    if (ne) chart_legend_draw(cc, e, ne, b.x, b.y + lh - cc->size * 0.8, b.w);
}
