/* chart/bar.c - bar charts: one series, grouped series side by side, or
 * stacked series, each vertical or horizontal. Owns the plot's margins
 * (category labels, tick labels, value labels), bar geometry (length
 * exactly proportional to value - axis start), the norm (a line for a
 * constant, a short tick per bar for a per-category field), and marking
 * bars under the norm by fill, hatching, outline and a sign in the label.
 * Stage: chart. */
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
    double cat_bottom;             /* vertical: the category labels' room ends here */
    chart_box b;                   /* the chart's area under its title */
    int marked;                    /* some bar is under its norm */
} bar_layout;

/* ---- data ---- */

static int under_norm(const chart_ctx *cc, const bar_layout *L, size_t rec, double v)
{
    double n;
    return !L->stacked && chart_norm(cc, rec, &n) && v < n;
}

/* extremes of what the value axis must show: values (stack sums) and norms */
static size_t scan(chart_ctx *cc, bar_layout *L, double *lo, double *hi)
{
    size_t count = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < cc->ncat; r++) {
        double pos = 0, neg = 0, v, n;
        for (size_t s = 0; s < L->nser; s++) {
            if (!chart_value(cc, r, cc->c->series[s], &v)) continue;
            count++;
            if (under_norm(cc, L, r, v)) L->marked = 1;
            if (L->stacked) {
                if (v >= 0) pos += v;
                else neg += v;
                v = v >= 0 ? pos : neg;
            }
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
        if (chart_norm(cc, r, &n)) {
            *lo = fmin(*lo, n);
            *hi = fmax(*hi, n);
        }
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

static void bar_rect(const bar_layout *L, double c0, double c1, double v0, double v1,
                     double r[4])
{
    double p0 = chart_vpos(&L->p, v0), p1 = chart_vpos(&L->p, v1);
    double lo = fmin(p0, p1), len = fabs(p1 - p0);
    if (L->p.horizontal) { r[0] = lo; r[1] = c0; r[2] = len; r[3] = c1 - c0; }
    else { r[0] = c0; r[1] = lo; r[2] = c1 - c0; r[3] = len; }
}

static double cat_length(const chart_box *a, int horizontal)
{
    return horizontal ? a->h : a->w;
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
        chart_category_fit(cc, a.w / (double)cc->ncat, &L->cat_every, &L->cat_lines);
        L->cat_bottom = b.y + bottom;
        a.y = b.y + bottom + (double)L->cat_lines * cc->lead + 4;
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

/* bar of series s in category i from v0 to v1 (stacks share one position) */
static void draw_bar(chart_ctx *cc, const bar_layout *L, size_t i, size_t s, double v0,
                     double v1, int marked)
{
    double c0, c1, r[4];
    cat_span(L, i, L->stacked ? 0 : s, &c0, &c1);
    bar_rect(L, c0, c1, v0, v1, r);
    if (marked) chart_marked_rect(cc, r[0], r[1], r[2], r[3]);
    else chart_series_rect(cc, s, r[0], r[1], r[2], r[3]);
}

static void draw_bars(chart_ctx *cc, const bar_layout *L)
{
    double base = fmin(fmax(0, L->p.ax.min), L->p.ax.max), v;
    for (size_t r = 0; r < cc->ncat; r++) {
        double pos = base, neg = base;
        for (size_t s = 0; s < L->nser; s++) {
            if (!chart_value(cc, r, cc->c->series[s], &v)) continue;   /* a gap */
            if (!L->stacked) {
                draw_bar(cc, L, r, s, base, v, under_norm(cc, L, r, v));
            } else if (v >= 0) {
                draw_bar(cc, L, r, s, pos, pos + v, 0);
                pos += v;
            } else {
                draw_bar(cc, L, r, s, neg + v, neg, 0);
                neg += v;
            }
        }
    }
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

/* A value label beyond the bar's end (and beyond its norm tick), planned
 * in l: its room runs along its bar (between its neighbours' labels) to
 * the chart's edge, or for a value below zero towards the axis start. */
static int end_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v,
                     const char *text, const rg_font *f, chart_label *l)
{
    double c0, c1, n, end = v;
    const chart_box *a = &L->p.area, *b = &L->b;
    cat_span(L, r, s, &c0, &c1);
    if (chart_norm(cc, r, &n) && cc->c->reference >= 0)
        end = v >= 0 ? fmax(v, n) : fmin(v, n);
    double q = chart_vpos(&L->p, end), w = chart_text_width(cc, f, text);
    label_spec sp = { .kind = LABEL_VALUE, .font = f, .color = cc->ink, .text = text,
                      .maxlines = 1, .whole = 1, .fixed = 1 };
    if (L->p.horizontal) {
        double mid = (c0 + c1) / 2, pitch = L->stacked || L->nser == 1 ? L->slot : L->thick;
        sp.x = v >= 0 ? q + 5 : q - 5 - w;
        sp.y = mid - cc->cap / 2;
        sp.anchor = ANCHOR_LEFT;
        sp.room = (chart_room){ v >= 0 ? q + 4 : a->x, mid - pitch / 2,
                                v >= 0 ? b->x + b->w : q - 4, mid + pitch / 2 };
    } else {
        double mid = (c0 + c1) / 2, room = L->stacked || L->nser == 1 ? L->slot - 4 : L->thick + 2;
        sp.x = mid;
        sp.y = v >= 0 ? q + 4 : q - 4 - cc->cap;
        sp.anchor = ANCHOR_CENTER;
        sp.room = (chart_room){ mid - room / 2, v >= 0 ? q + 1 : a->y, mid + room / 2,
                                v >= 0 ? b->y + b->h : q - 1 };
    }
    return chart_label_fit(cc, l, &sp);
}

static int value_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v,
                       chart_label *l)
{
    char buf[128];
    int field = cc->c->series[s];
    chart_format(cc, field, v, buf, sizeof buf);
    int marked = under_norm(cc, L, r, v);
    if (marked) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s", cc->sign);
    }
    return end_label(cc, L, r, s, v, buf, marked && cc->st->mark_bold ? cc->bold : cc->font, l);
}

/* a stacked segment's value inside it when it fits (and touches no other
 * label, drawn or planned) */
static void inside_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v0,
                         double v1, const chart_label *total)
{
    char buf[96];
    double c0, c1, rc[4];
    chart_format(cc, cc->c->series[s], v1 - v0, buf, sizeof buf);
    cat_span(L, r, 0, &c0, &c1);
    bar_rect(L, c0, c1, v0, v1, rc);
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

/* the stack's total beyond its end, planned in l; 0 when it has none */
static int stack_total(chart_ctx *cc, const bar_layout *L, size_t r, chart_label *l)
{
    double pos = 0, v;
    int any = 0;
    for (size_t s = 0; s < L->nser; s++) {
        if (!chart_value(cc, r, cc->c->series[s], &v) || v < 0) continue;
        pos += v;
        any = 1;
    }
    if (!any) return 0;
    char buf[96];
    chart_format(cc, cc->c->series[0], pos, buf, sizeof buf);
    end_label(cc, L, r, 0, pos, buf, cc->bold, l);
    return 1;
}

static void stack_inside(chart_ctx *cc, const bar_layout *L, size_t r, const chart_label *total)
{
    double pos = 0, v;
    for (size_t s = 0; s < L->nser; s++) {
        if (!chart_value(cc, r, cc->c->series[s], &v) || v < 0) continue;
        inside_label(cc, L, r, s, pos, pos + v, total);
        pos += v;
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

/* Value labels, planned first: each must fit its room and touch no other
 * label, or none is drawn. */
static void draw_value_labels(chart_ctx *cc, const bar_layout *L)
{
    double v;
    if (!labels_fit(cc, L)) return;
    size_t max = cc->ncat * (L->stacked ? 1 : L->nser), n = 0;
    chart_label *pl = rg_arena_alloc(cc->scratch, (max ? max : 1) * sizeof *pl);
    size_t *of = rg_arena_alloc(cc->scratch, (cc->ncat + 1) * sizeof *of);
    for (size_t r = 0; r < cc->ncat; r++) {
        of[r] = n;
        for (size_t s = 0; s < (L->stacked ? 1 : L->nser); s++) {
            int has = L->stacked ? stack_total(cc, L, r, &pl[n])
                                 : chart_value(cc, r, cc->c->series[s], &v) &&
                                       (value_label(cc, L, r, s, v, &pl[n]), 1);
            if (!has) continue;
            if (!pl[n].ok || !chart_label_free(cc, &pl[n])) return;
            for (size_t k = 0; k < n; k++)
                if (chart_label_clashes(&pl[k], &pl[n])) return;
            n++;
        }
    }
    of[cc->ncat] = n;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (L->stacked) stack_inside(cc, L, r, of[r + 1] > of[r] ? &pl[of[r]] : NULL);
        for (size_t k = of[r]; k < of[r + 1]; k++) chart_label_draw(cc, &pl[k]);
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
            double w = L->slot * (double)L->cat_every - 4;
            double x = a->x + (double)r * L->slot + L->slot / 2 - w / 2;
            sp.x = x;
            sp.y = a->y - 4 - cc->size;
            sp.span = w;
            sp.anchor = ANCHOR_CENTER;
            sp.width = w;
            sp.maxlines = L->cat_lines;
            sp.room = (chart_room){ x, L->cat_bottom, x + w, a->y };
        }
        chart_label_put(cc, &sp);
    }
}
/* ---- legend ---- */

static size_t bar_legend(chart_ctx *cc, const bar_layout *L, legend_entry *e)
{
    size_t n = 0;
    int common = cc->c->reference >= 0 || cc->c->has_ref_value || L->marked;
    if (L->nser > 1 || common)
        for (size_t s = 0; s < L->nser; s++) {
            const rg_field *f = chart_field(cc, cc->c->series[s]);
            e[n].kind = SWATCH_FILL;
            e[n].series = s;
            e[n++].label = f && f->label ? f->label : "";
        }
    return chart_legend_common(cc, e, n, L->marked);
}

void chart_bars(chart_ctx *cc, chart_box b)
{
    const rg_chart *c = cc->c;
    bar_layout L = { .stacked = c->type == RG_CHART_STACKED,
                     .nser = c->nseries > RG_MAX_SERIES ? RG_MAX_SERIES : c->nseries, .b = b };
    L.p.horizontal = c->horizontal;
    if (c->type == RG_CHART_BAR && L.nser > 1) L.nser = 1;
    double lo, hi;
    if (!cc->ncat || !scan(cc, &L, &lo, &hi)) {
        chart_no_data(cc, b);
        return;
    }
    legend_entry e[RG_MAX_SERIES + 2];
    size_t ne = bar_legend(cc, &L, e);
    double lh = ne ? chart_legend_height(cc, e, ne, b.w) + cc->size * 0.8 : 0;
    chart_trunc t = L.stacked ? TRUNC_NEVER : TRUNC_PERCENT;
    chart_axis_choose(cc, lo, hi, t, L.p.horizontal ? b.w * 0.6 : b.h * 0.7, &L.p.ax);
    L.p.area = plot_area(cc, &L, b, lh);
    if (!L.p.ax.ok || L.p.area.w < 4 || L.p.area.h < 4) {
        chart_no_data(cc, b);
        return;
    }
    size_bars(cc, &L);
    if (L.p.horizontal) horizontal_categories(cc, &L);
    chart_axis_draw(cc, &L.p);
    draw_bars(cc, &L);
    chart_axis_lines(cc, &L.p);
    draw_reference(cc, &L);
    draw_value_labels(cc, &L);
    draw_categories(cc, &L);
    if (ne) chart_legend_draw(cc, e, ne, b.x, b.y + lh - cc->size * 0.8, b.w);
}
