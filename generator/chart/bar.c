/* chart/bar.c - bar charts: one series, grouped series side by side, or
 * stacked series, each vertical or horizontal. Owns the plot's margins
 * (category labels, tick labels, value labels), bar geometry (length
 * exactly proportional to value - axis start; values below zero grow down
 * or left from zero, and a stack puts them below zero, the others above;
 * on a log axis from the axis's bottom, mapped by log10), value labels at
 * the bar's end on its own side (a stack's net total in bold; inside the
 * bar when no room is left beyond it), the norm (a line for a constant, a
 * short tick per bar for a per-category field), and marking bars on the
 * wrong side of the norm (below it; above it with better="lower") by fill,
 * hatching, outline and a sign in the label. Lines over the bars
 * (lines=) are chart/combo.c's, the second axis chart/axis.c's, the axis
 * titles chart/titles.c's. Stage: chart. */
#include "internal.h"

#include <math.h>
#include <string.h>

typedef struct bar_layout {
    chart_plot p;
    int stacked;
    size_t nser;
    double slot;                   /* length of one category along its axis */
    double group;                  /* thickness of all bars of a category */
    double thick;                  /* thickness of one bar */
    int cat_lines;                 /* lines per category label */
    size_t cat_every;              /* label every n-th category (crowded axes) */
    chart_cats cats;               /* vertical: how the category labels are set */
    double cat_bottom;             /* vertical: the category labels' room ends here */
    chart_box b;                   /* the chart's area under its title */
    int marked;                    /* some bar is under its norm */
} bar_layout;

/* ---- data ---- */

static int under_norm(const chart_ctx *cc, const bar_layout *L, size_t rec, double v)
{
    double n;
    return !L->stacked && chart_norm(cc, rec, &n) && chart_off_norm(cc, v, n);
}

/* a stack's sums: below zero (side[0]) and from zero up (side[1]), and the
 * series drawn outermost on each side (-1: none) */
typedef struct stack_sums {
    double side[2];
    int outer[2];
} stack_sums;

static stack_sums stack_of(const chart_ctx *cc, const bar_layout *L, size_t r)
{
    stack_sums k = { { 0, 0 }, { -1, -1 } };
    double v;
    for (size_t s = 0; s < L->nser; s++) {
        if (!chart_value(cc, r, cc->c->series[s], &v)) continue;
        k.side[v >= 0] += v;
        k.outer[v >= 0] = (int)s;
    }
    return k;
}

static void widen(double *lo, double *hi, double a, double b)
{
    *lo = fmin(*lo, a);
    *hi = fmax(*hi, b);
}

/* extremes of what the value axis must show: values (a stack's sums
 * below and above zero) and norms */
static size_t scan(chart_ctx *cc, bar_layout *L, double *lo, double *hi)
{
    size_t count = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < cc->ncat; r++) {
        double v, n;
        for (size_t s = 0; s < L->nser; s++) {
            if (!chart_value(cc, r, cc->c->series[s], &v)) continue;
            count++;
            if (under_norm(cc, L, r, v)) L->marked = 1;
            if (!L->stacked) widen(lo, hi, v, v);
        }
        stack_sums k = L->stacked ? stack_of(cc, L, r) : (stack_sums){ { 0, 0 }, { -1, -1 } };
        if (k.outer[0] >= 0 || k.outer[1] >= 0) widen(lo, hi, k.side[0], k.side[1]);
        if (chart_norm(cc, r, &n)) widen(lo, hi, n, n);
    }
    return count;
}

/* ---- geometry ---- */

/* span of bar s of category i along the category axis (x when vertical,
 * y when horizontal; horizontal categories run top to bottom) */
static void cat_span(const bar_layout *L, size_t i, size_t s, double *c0, double *c1)
{
    const chart_box *a = &L->p.area;
    double inset = (L->slot - L->group) / 2 + (double)s * L->thick;
    if (L->p.horizontal) {
        *c1 = a->y + a->h - (double)i * L->slot - inset;
        *c0 = *c1 - L->thick;
    } else {
        *c0 = a->x + (double)i * L->slot + inset;
        *c1 = *c0 + L->thick;
    }
}

static double cat_length(const chart_box *a, int horizontal)
{
    return horizontal ? a->h : a->w;
}

/* the rectangle of a bar across [c0, c1] from p0 to p1 along the value
 * axis */
static void bar_rect(const bar_layout *L, double c0, double c1, double p0, double p1,
                     double r[4])
{
    double lo = fmin(p0, p1), len = fabs(p1 - p0);
    if (L->p.horizontal) { r[0] = lo; r[1] = c0; r[2] = len; r[3] = c1 - c0; }
    else { r[0] = c0; r[1] = lo; r[2] = c1 - c0; r[3] = len; }
}

/* how a bar (or a stack's side) from zero to v is drawn along the value
 * axis: from its base p0 to its end p1, growing up (right) or down (left);
 * cut when v lies beyond the author's axis: it then ends at the plot's
 * edge, or - wholly beyond the axis' start - is a stub from it */
typedef struct bar_end {
    double p0, p1;
    int dir;                       /* 1: up (right), -1: down (left) */
    int cut;                       /* -1: v lies below the axis, 1: above it */
    int stub;                      /* cut, and wholly beyond the axis' start */
} bar_end;

enum { STUB = 14 };                /* a stub's length (points) */

static bar_end bar_extent(const bar_layout *L, double v)
{
    bar_end e = { chart_vbase(&L->p), chart_vpos(&L->p, v), v < 0 ? -1 : 1,
                  chart_axis_beyond(&L->p.ax, v), 0 };
    if (e.cut && fabs(e.p1 - e.p0) < 1e-9) {
        e.stub = 1;
        e.dir = -e.cut;
        e.p1 = e.p0 + e.dir * fmin(STUB, cat_length(&L->p.area, !L->p.horizontal) / 3);
    }
    return e;
}

/* slot, group and bar thickness for the plot area just chosen */
static void size_bars(chart_ctx *cc, bar_layout *L)
{
    L->slot = cat_length(&L->p.area, L->p.horizontal) / (double)cc->ncat;
    size_t per = L->stacked ? 1 : L->nser;
    double fill = per > 1 ? 0.78 : 0.62;
    L->group = fmin(L->slot * fill, (double)per * (per > 1 ? 22 : 34));
    L->thick = L->group / (double)per;
}

/* ---- margins ---- */

static double widest_category(chart_ctx *cc)
{
    char buf[256];
    double w = 0;
    for (size_t r = 0; r < cc->ncat; r++)
        w = fmax(w, chart_text_width(cc, cc->font, chart_category(cc, r, buf, sizeof buf)));
    return w;
}

static double widest_value_label(chart_ctx *cc, const bar_layout *L)
{
    char buf[96];
    double w = 0, v;
    for (size_t r = 0; r < cc->ncat; r++)
        for (size_t s = 0; s < L->nser; s++) {
            if (!chart_value(cc, r, cc->c->series[s], &v)) continue;
            chart_format(cc, cc->c->series[s], v, buf, sizeof buf);
            double extra = under_norm(cc, L, r, v) ? chart_text_width(cc, cc->bold, cc->sign) : 0;
            w = fmax(w, chart_text_width(cc, cc->bold, buf) + extra);
        }
    return w;
}

/* the plot area inside b, after room for labels below, beside and above */
static chart_box plot_area(chart_ctx *cc, bar_layout *L, chart_box b, double bottom)
{
    chart_box a;
    if (L->p.horizontal) {
        double catw = fmin(widest_category(cc), b.w * 0.3);
        double right = fmax(widest_value_label(cc, L) + 8,
                            chart_tick_label_width(cc, &L->p.ax) / 2 + 2);
        a.x = b.x + catw + 8;
        a.w = b.w - (a.x - b.x) - right;
        a.y = b.y + bottom + cc->lead + 4;
        a.h = b.h - (a.y - b.y) - 2;
        L->cat_lines = 3;
        L->cat_every = 1;
    } else {
        a.x = b.x + chart_tick_label_width(cc, &L->p.ax) + 8;
        a.w = b.w - (a.x - b.x) - 4;
        chart_category_fit(cc, &a.x, &a.w, b.h, &L->cats);
        L->cat_every = L->cats.every;
        L->cat_bottom = b.y + bottom;
        a.y = b.y + bottom + L->cats.depth + 4;
        a.h = b.h - (a.y - b.y) - cc->lead;
    }
    return a;
}

/* horizontal: a category label takes the band of its slots (every n-th
 * category when one slot is lower than a line) and as many lines (at most
 * 3) as the band holds */
static void horizontal_categories(chart_ctx *cc, bar_layout *L)
{
    L->cat_every = 1;
    while (L->cat_every < cc->ncat && L->slot * (double)L->cat_every < cc->lead)
        L->cat_every++;
    double band = L->slot * (double)L->cat_every;
    rg_double_to_int(1 + floor((band - 1.25 * cc->size) / cc->lead), 1, 3, &L->cat_lines);
}

/* ---- drawing ---- */

#define BREAK_IN 6.0               /* a break mark's middle: this far inside the bar's end */

/* The break mark of a cut bar across [c0, c1]: a white zig-zag gap near
 * its end, as the axis' own. Drawn in axis coordinates (t along the value
 * axis, u across the bar) and mapped. */
static void draw_break(chart_ctx *cc, const bar_layout *L, double c0, double c1,
                       const bar_end *e)
{
    enum { ZIGS_MAX = 24 };
    const double gap = 2.4, zig = 1.4;
    double t = e->p1 - e->dir * fmin(BREAK_IN, fabs(e->p1 - e->p0) / 2);
    int nz;
    rg_double_to_int(ceil((c1 - c0) / 3), 1, ZIGS_MAX, &nz);
    rg_path_seg segs[2 * ZIGS_MAX + 3];
    size_t n = 0;
    for (int side = 0; side < 2; side++)
        for (int k = 0; k <= nz; k++) {
            int i = side ? nz - k : k;
            double u = c0 + (c1 - c0) * i / nz;
            double q = t + (side ? -gap / 2 : gap / 2) + (i % 2 ? zig : -zig);
            rg_path_op op = n ? RG_PATH_LINE : RG_PATH_MOVE;
            segs[n++] = (rg_path_seg){ op, { L->p.horizontal ? q : u, L->p.horizontal ? u : q } };
        }
    segs[n++] = (rg_path_seg){ RG_PATH_CLOSE, { 0 } };
    rg_dl_path p = { .segs = segs, .nsegs = n, .fill = 1, .fill_color = { 1, 1, 1 } };
    chart_path(cc, &p);
}

/* the bar of series s in category r, from zero to v */
static void draw_bar(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v,
                     axis_cuts *cuts)
{
    double c0, c1, q[4];
    cat_span(L, r, s, &c0, &c1);
    bar_end e = bar_extent(L, v);
    bar_rect(L, c0, c1, e.p0, e.p1, q);
    if (under_norm(cc, L, r, v)) chart_marked_rect(cc, q[0], q[1], q[2], q[3]);
    else chart_series_rect(cc, s, q[0], q[1], q[2], q[3]);
    if (!e.cut) return;
    draw_break(cc, L, c0, c1, &e);
    chart_cut_note(cc, cuts, e.cut, r, cc->c->series[s], v);
}

/* the stack of category r: values from zero up, values below zero from
 * zero down, each in its series' colour; a side the axis cuts gets a
 * break mark (a stub in its outer colour when wholly beyond the axis,
 * unless the other side's bar is drawn there) */
static void draw_stack(chart_ctx *cc, const bar_layout *L, size_t r, axis_cuts *cuts)
{
    double c0, c1, q[4], side[2] = { 0, 0 }, v;
    cat_span(L, r, 0, &c0, &c1);
    for (size_t s = 0; s < L->nser; s++) {
        if (!chart_value(cc, r, cc->c->series[s], &v)) continue;   /* a gap */
        double *end = &side[v >= 0];
        bar_rect(L, c0, c1, chart_vpos(&L->p, *end), chart_vpos(&L->p, *end + v), q);
        chart_series_rect(cc, s, q[0], q[1], q[2], q[3]);
        *end += v;
    }
    stack_sums k = stack_of(cc, L, r);
    bar_end e[2] = { bar_extent(L, k.side[0]), bar_extent(L, k.side[1]) };
    for (int up = 0; up < 2; up++) {
        if (k.outer[up] < 0 || !e[up].cut) continue;
        chart_cut_note(cc, cuts, e[up].cut, r, -1, k.side[up]);
        if (e[up].stub && k.outer[!up] >= 0 && fabs(e[!up].p1 - e[!up].p0) > 1e-9 &&
            !e[!up].stub)
            continue;              /* its stub would lie on the other side's bar */
        if (e[up].stub) {
            bar_rect(L, c0, c1, e[up].p0, e[up].p1, q);
            chart_series_rect(cc, (size_t)k.outer[up], q[0], q[1], q[2], q[3]);
        }
        draw_break(cc, L, c0, c1, &e[up]);
    }
}

/* the bars, and the warning about those the author's axis cuts */
static void draw_bars(chart_ctx *cc, const bar_layout *L)
{
    axis_cuts cuts = { { 0, 0 }, { "", "" } };
    double v;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (L->stacked) {
            draw_stack(cc, L, r, &cuts);
            continue;
        }
        for (size_t s = 0; s < L->nser; s++)
            if (chart_value(cc, r, cc->c->series[s], &v)) draw_bar(cc, L, r, s, v, &cuts);
    }
    chart_cut_report(cc, &cuts, "bar", "bars", "drawn with a break mark");
}

/* a constant norm: one dashed line across; per category: a tick per group */
static void draw_reference(chart_ctx *cc, const bar_layout *L)
{
    const chart_box *a = &L->p.area;
    double n, c0, c1, d0, d1;
    if (cc->c->reference < 0) {
        if (!chart_norm(cc, 0, &n) || n < L->p.ax.min || n > L->p.ax.max) return;
        double q = chart_vpos(&L->p, n);
        if (L->p.horizontal) chart_line(cc, q, a->y, q, a->y + a->h, cc->ref, 1.2, 4);
        else chart_line(cc, a->x, q, a->x + a->w, q, cc->ref, 1.2, 4);
        return;
    }
    size_t last = L->stacked ? 0 : L->nser - 1;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (!chart_norm(cc, r, &n) || n < L->p.ax.min || n > L->p.ax.max) continue;
        double q = chart_vpos(&L->p, n);
        cat_span(L, r, 0, &c0, &c1);
        cat_span(L, r, last, &d0, &d1);
        double lo = fmin(c0, d0) - 3, hi = fmax(c1, d1) + 3;
        if (L->p.horizontal) chart_line(cc, q, lo, q, hi, cc->ref, 2, 0);
        else chart_line(cc, lo, q, hi, q, cc->ref, 2, 0);
    }
}

static rg_color text_on(rg_color bg)
{
    double lum = 0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b;
    return lum < 0.55 ? (rg_color){ 1, 1, 1 } : (rg_color){ 0, 0, 0 };
}

/* ---- value labels ---- */

/* a value label, at the end of its bar (stacked: the stack's net total at
 * the end of its longer side) */
typedef struct bar_label {
    char text[128];
    const rg_font *font;
    size_t r, s;                   /* category, series (stacked: 0) */
    bar_end e;                     /* the bar it labels */
    int look;                      /* the fill at the bar's end, for a label drawn inside
                                    * it: its series (chart_series_look), -1 the mark */
    int has_other;                 /* a stack: its other side, where the total */
    bar_end other;                 /* reads too when its own has no room */
} bar_label;

/* where the label's side starts: beyond the bar's end, and beyond its
 * norm tick on the same side */
static double label_start(const chart_ctx *cc, const bar_layout *L, const bar_label *b)
{
    double n;
    if (cc->c->reference < 0 || !chart_norm(cc, b->r, &n)) return b->e.p1;
    double q = chart_vpos(&L->p, n);
    return b->e.dir > 0 ? fmax(b->e.p1, q) : fmin(b->e.p1, q);
}

/* beyond the bar's end: its room runs along the bar (between its
 * neighbours' labels) to the chart's edge when the bar grows up (right),
 * to the plot's when it grows down (left): the tick labels and the
 * category labels lie beyond */
static void outside_spec(chart_ctx *cc, const bar_layout *L, const bar_label *b,
                         label_spec *sp)
{
    double c0, c1, q = label_start(cc, L, b), w = chart_text_width(cc, b->font, b->text);
    const chart_box *a = &L->p.area, *box = &L->b;
    int one = L->stacked || L->nser == 1;
    cat_span(L, b->r, b->s, &c0, &c1);
    double mid = (c0 + c1) / 2;
    *sp = (label_spec){ .kind = LABEL_VALUE, .font = b->font, .color = cc->ink, .text = b->text,
                        .maxlines = 1, .whole = 1, .fixed = 1 };
    if (L->p.horizontal) {
        double pitch = one ? L->slot : L->thick;
        sp->x = b->e.dir > 0 ? q + 5 : q - 5 - w;
        sp->y = mid - cc->cap / 2;
        sp->anchor = ANCHOR_LEFT;
        sp->room = (chart_room){ b->e.dir > 0 ? q + 4 : a->x, mid - pitch / 2,
                                 b->e.dir > 0 ? box->x + box->w : q - 4, mid + pitch / 2 };
    } else {
        double room = one ? L->slot - 4 : L->thick + 2;
        sp->x = mid;
        sp->y = b->e.dir > 0 ? q + 4 : q - 4 - cc->cap;
        sp->anchor = ANCHOR_CENTER;
        sp->room = (chart_room){ mid - room / 2, b->e.dir > 0 ? q + 1 : a->y, mid + room / 2,
                                 b->e.dir > 0 ? box->y + box->h : q - 1 };
    }
}

/* inside the bar at its end, in a colour that reads on its fill */
static void inside_spec(chart_ctx *cc, const bar_layout *L, const bar_label *b,
                        label_spec *sp)
{
    double c0, c1, q[4], w = chart_text_width(cc, b->font, b->text);
    double in = -b->e.dir;                  /* from the end into the bar */
    double end = b->e.p1 + in * (b->e.cut ? BREAK_IN + 3 : 0);   /* past a break mark */
    cat_span(L, b->r, b->s, &c0, &c1);
    bar_rect(L, c0, c1, b->e.p0, b->e.p1, q);
    rg_color ink = b->look < 0 ? text_on(cc->mark) : chart_series_ink(cc, (size_t)b->look);
    *sp = (label_spec){ .kind = LABEL_VALUE, .font = b->font, .color = ink,
                        .text = b->text, .room = { q[0], q[1], q[0] + q[2], q[1] + q[3] },
                        .maxlines = 1, .whole = 1, .fixed = 1 };
    if (L->p.horizontal) {
        sp->x = in > 0 ? end + 4 : end - 4 - w;
        sp->y = (c0 + c1) / 2 - cc->cap / 2;
        sp->anchor = ANCHOR_LEFT;
    } else {
        sp->x = (c0 + c1) / 2;
        sp->y = in > 0 ? end + 4 : end - 4 - cc->cap;
        sp->anchor = ANCHOR_CENTER;
    }
}

/* plans b's label in l: beyond the bar's end, else (a stack's total)
 * beyond its other side's, else inside the bar. 1 outside, 2 inside, 0
 * when it does not fit. */
static int fit_label(chart_ctx *cc, const bar_layout *L, const bar_label *b, chart_label *l)
{
    label_spec sp;
    outside_spec(cc, L, b, &sp);
    if (chart_label_fit(cc, l, &sp)) return 1;
    if (b->has_other) {
        bar_label o = *b;
        o.e = b->other;
        outside_spec(cc, L, &o, &sp);
        if (chart_label_fit(cc, l, &sp)) return 1;
    }
    inside_spec(cc, L, b, &sp);
    return chart_label_fit(cc, l, &sp) ? 2 : 0;
}

/* bar s of category r: its value (and the sign when under its norm) */
static int single_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, bar_label *b)
{
    double v;
    if (!chart_value(cc, r, cc->c->series[s], &v)) return 0;
    chart_format(cc, cc->c->series[s], v, b->text, sizeof b->text);
    int marked = under_norm(cc, L, r, v);
    if (marked) {
        size_t n = strlen(b->text);
        snprintf(b->text + n, sizeof b->text - n, "%s", cc->sign);
    }
    b->font = marked && cc->st->mark_bold ? cc->bold : cc->font;
    b->r = r;
    b->s = s;
    b->e = bar_extent(L, v);
    b->look = marked ? -1 : (int)s;
    b->has_other = 0;
    return 1;
}

/* the stack of category r: its net total (what lies above zero and what
 * lies below together), in bold, at the end of its longer side (or of the
 * other, when the longer one's has no room) */
static int stack_label(chart_ctx *cc, const bar_layout *L, size_t r, bar_label *b)
{
    stack_sums k = stack_of(cc, L, r);
    if (k.outer[0] < 0 && k.outer[1] < 0) return 0;
    double net = k.side[0] + k.side[1];
    int up = net >= 0 && k.outer[1] >= 0;
    chart_format(cc, cc->c->series[0], net, b->text, sizeof b->text);
    b->font = cc->bold;
    b->r = r;
    b->s = 0;
    b->e = bar_extent(L, k.side[up]);
    b->look = k.outer[up];
    b->has_other = 1;
    b->other = bar_extent(L, k.side[!up]);
    b->other.dir = -b->e.dir;
    return 1;
}

static int bar_label_of(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, bar_label *b)
{
    return L->stacked ? stack_label(cc, L, r, b) : single_label(cc, L, r, s, b);
}

/* a stacked segment's value v inside it (from p0 to p1 along the value
 * axis) when it fits (and touches no other label, drawn or planned) */
static void inside_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v,
                         double p0, double p1, const chart_label *total)
{
    char buf[96];
    double c0, c1, rc[4];
    chart_format(cc, cc->c->series[s], v, buf, sizeof buf);
    cat_span(L, r, 0, &c0, &c1);
    bar_rect(L, c0, c1, p0, p1, rc);
    double w = chart_text_width(cc, cc->font, buf);
    if (w + 4 > rc[2] || cc->cap + 4 > rc[3]) return;
    label_spec sp = { .kind = LABEL_VALUE, .font = cc->font, .color = chart_series_ink(cc, s),
                      .text = buf, .room = { rc[0], rc[1], rc[0] + rc[2], rc[1] + rc[3] },
                      .x = rc[0] + rc[2] / 2, .y = rc[1] + rc[3] / 2 - cc->cap / 2,
                      .anchor = ANCHOR_CENTER, .maxlines = 1, .whole = 1, .fixed = 1 };
    chart_label l;
    if (!chart_label_fit(cc, &l, &sp) || !chart_label_free(cc, &l)) return;
    if (total && chart_label_clashes(&l, total)) return;
    chart_series_plate(cc, s, &l);
    chart_label_draw(cc, &l);
}

/* the values of a stack's segments inside them, above zero and below;
 * the outer segment of a side the axis cuts keeps off its break mark */
static void stack_inside(chart_ctx *cc, const bar_layout *L, size_t r, const chart_label *total)
{
    double side[2] = { 0, 0 }, v;
    stack_sums k = stack_of(cc, L, r);
    for (size_t s = 0; s < L->nser; s++) {
        if (!chart_value(cc, r, cc->c->series[s], &v)) continue;
        int up = v >= 0;
        double p0 = chart_vpos(&L->p, side[up]), p1 = chart_vpos(&L->p, side[up] + v);
        bar_end e = bar_extent(L, k.side[up]);
        if ((int)s == k.outer[up] && e.cut) p1 -= e.dir * (BREAK_IN + 3);
        if ((p1 - p0) * e.dir > 0) inside_label(cc, L, r, s, v, p0, p1, total);
        side[up] += v;
    }
}

/* all value labels or none: a chart where some bars have one reads as if
 * the others had no value */
static int labels_fit(chart_ctx *cc, const bar_layout *L)
{
    if (L->p.horizontal) return L->thick >= cc->cap * 0.9;
    double room = L->stacked || L->nser == 1 ? L->slot - 4 : L->thick + 2;
    return widest_value_label(cc, L) <= room;
}

/* 1 when every label of a bar that grows down (left) fits beyond its end:
 * between it and the plot's edge */
static int low_labels_fit(chart_ctx *cc, const bar_layout *L)
{
    bar_label b;
    chart_label l;
    label_spec sp;
    for (size_t r = 0; r < cc->ncat; r++)
        for (size_t s = 0; s < (L->stacked ? 1 : L->nser); s++) {
            if (!bar_label_of(cc, L, r, s, &b) || b.e.dir > 0) continue;
            outside_spec(cc, L, &b, &sp);
            if (!chart_label_fit(cc, &l, &sp)) return 0;
        }
    return 1;
}

/* Value labels, planned first: each must fit its room and touch no other
 * label, or none is drawn. */
static void draw_value_labels(chart_ctx *cc, const bar_layout *L)
{
    bar_label b;
    if (!labels_fit(cc, L)) return;
    size_t max = cc->ncat * (L->stacked ? 1 : L->nser), n = 0;
    chart_label *pl = rg_arena_alloc(cc->scratch, (max ? max : 1) * sizeof *pl);
    int *plate = rg_arena_alloc(cc->scratch, (max ? max : 1) * sizeof *plate);
    size_t *of = rg_arena_alloc(cc->scratch, (cc->ncat + 1) * sizeof *of);
    for (size_t r = 0; r < cc->ncat; r++) {
        of[r] = n;
        for (size_t s = 0; s < (L->stacked ? 1 : L->nser); s++) {
            if (!bar_label_of(cc, L, r, s, &b)) continue;
            int where = fit_label(cc, L, &b, &pl[n]);
            if (!where || !chart_label_free(cc, &pl[n])) return;
            plate[n] = where == 2 ? b.look : -1;      /* inside a series' fill: on a plate */
            for (size_t k = 0; k < n; k++)
                if (chart_label_clashes(&pl[k], &pl[n])) return;
            n++;
        }
    }
    of[cc->ncat] = n;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (L->stacked) stack_inside(cc, L, r, of[r + 1] > of[r] ? &pl[of[r]] : NULL);
        for (size_t k = of[r]; k < of[r + 1]; k++) {
            if (plate[k] >= 0) chart_series_plate(cc, (size_t)plate[k], &pl[k]);
            chart_label_draw(cc, &pl[k]);
        }
    }
}

/* Room under (left of) bars that grow down for their labels: while one
 * does not fit, an automatic axis gets one more step (three at most);
 * the author's axis-min keeps the plot, and such a label goes inside its
 * bar. */
static void room_below(chart_ctx *cc, bar_layout *L, double legend)
{
    for (int i = 0; i < 3 && labels_fit(cc, L) && !low_labels_fit(cc, L); i++) {
        if (!chart_axis_extend_down(&L->p.ax)) return;
        L->p.area = plot_area(cc, L, L->b, legend);
        size_bars(cc, L);
    }
}

/* category labels: beside horizontal bars (right-aligned in the band of
 * their slots), under vertical ones (centred under their slot) */
static void draw_categories(chart_ctx *cc, const bar_layout *L)
{
    char buf[256];
    const chart_box *a = &L->p.area, *b = &L->b;
    double left = b->x;
    if (L->cat_every > 1) cc->cat_every = L->cat_every;        /* for the warning */
    for (size_t r = 0; r < cc->ncat; r += L->cat_every) {
        const char *s = chart_category(cc, r, buf, sizeof buf);
        label_spec sp = { .kind = LABEL_CATEGORY, .font = cc->font, .color = cc->ink, .text = s };
        if (L->p.horizontal) {
            double w = a->x - 8 - left, mid = a->y + a->h - ((double)r + 0.5) * L->slot;
            double band = L->slot * (double)L->cat_every;
            int n = chart_label_lines(cc, cc->font, s, w, L->cat_lines);
            n = n > 3 ? 3 : n < 1 ? 1 : n;
            sp.x = left;
            sp.y = mid + (double)(n - 1) * cc->lead / 2 - cc->cap / 2;
            sp.span = w;
            sp.anchor = ANCHOR_RIGHT;
            sp.width = w;
            sp.maxlines = n;
            /* the band, down to the tick labels' line at most */
            sp.room = (chart_room){ left, fmax(mid - band / 2, a->y - 4), a->x - 8,
                                    fmin(mid + band / 2, b->y + b->h) };
        } else {
            chart_category_put(cc, &L->cats, s, a->x + ((double)r + 0.5) * L->slot,
                               a->y - 4 - cc->size, a->y, L->cat_bottom);
            continue;
        }
        chart_label_put(cc, &sp);
    }
}
/* ---- legend ---- */

static size_t bar_legend(chart_ctx *cc, const bar_layout *L, legend_entry *e)
{
    size_t n = 0;
    int common = cc->c->reference >= 0 || cc->c->has_ref_value || L->marked;
    if (L->nser > 1 || common || cc->c->nlines)
        for (size_t s = 0; s < L->nser; s++) {
            const rg_field *f = chart_field(cc, cc->c->series[s]);
            e[n].kind = SWATCH_FILL;
            e[n].series = s;
            e[n++].label = f && f->label ? f->label : "";
        }
    n = chart_combo_legend(cc, e, n);
    return chart_legend_common(cc, e, n, L->marked ? MARKED_BARS : 0);
}

void chart_bars(chart_ctx *cc, chart_box b)
{
    const rg_chart *c = cc->c;
    bar_layout L = { .stacked = c->type == RG_CHART_STACKED,
                     .nser = c->nseries > RG_MAX_SERIES ? RG_MAX_SERIES : c->nseries, .b = b };
    L.p.horizontal = c->horizontal;
    if (c->type == RG_CHART_BAR && L.nser > 1) L.nser = 1;
    double lo = INFINITY, hi = -INFINITY;
    size_t count = cc->ncat ? scan(cc, &L, &lo, &hi) : 0;
    count += chart_combo_scan(cc, &lo, &hi);
    if (!cc->ncat || !count) {
        chart_no_data(cc, b);
        return;
    }
    legend_entry e[RG_MAX_SERIES + 2];
    size_t ne = bar_legend(cc, &L, e);
    double lh = ne ? chart_legend_height(cc, e, ne, b.w) + cc->size * 0.8 : 0, under = lh;
    double len = L.p.horizontal ? b.w * 0.6 : b.h * 0.7;
    chart_axis_choose(cc, lo, hi, TRUNC_NEVER, len, &L.p.ax);
    chart_axis2_choose(cc, &L.p.ax, TRUNC_CLUSTERED, len, &L.p.ax2);
    L.p.has_ax2 = L.p.ax2.ok && !L.p.horizontal;
    L.b = chart_frame_room(cc, &L.p, b, &under);
    L.p.area = plot_area(cc, &L, L.b, under);
    if (!L.p.ax.ok || L.p.area.w < 4 || L.p.area.h < 4) {
        chart_no_data(cc, b);
        return;
    }
    size_bars(cc, &L);
    room_below(cc, &L, under);
    /* the first axis may have grown: the second's ticks on its grid again */
    if (L.p.has_ax2) chart_axis2_choose(cc, &L.p.ax, TRUNC_CLUSTERED, len, &L.p.ax2);
    if (L.p.horizontal) horizontal_categories(cc, &L);
    chart_axis_draw(cc, &L.p);
    draw_bars(cc, &L);
    chart_axis_lines(cc, &L.p);
    chart_axis2_draw(cc, &L.p);
    draw_reference(cc, &L);
    chart_combo_draw(cc, &L.p);
    draw_value_labels(cc, &L);
    draw_categories(cc, &L);
    chart_frame_draw(cc, &L.p, b, lh);
    if (ne) chart_legend_draw(cc, e, ne, b.x, b.y + lh - cc->size * 0.8, b.w);
}
