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
    for (size_t r = 0; r < cc->ncat; r++) {
        chart_category(cc, r, buf, sizeof buf);
        w = fmax(w, chart_text_width(cc, cc->font, buf));
    }
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
        a.y = b.y + bottom + (double)L->cat_lines * cc->lead + 4;
        a.h = b.h - (a.y - b.y) - cc->lead;
    }
    return a;
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
    else chart_rect(cc, r[0], r[1], r[2], r[3], chart_color(cc, s));
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

static rg_color text_on(rg_color bg)
{
    double lum = 0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b;
    return lum < 0.55 ? (rg_color){ 1, 1, 1 } : (rg_color){ 0, 0, 0 };
}

/* a value label beyond the bar's end (and beyond its norm tick) */
static void end_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v,
                      const char *text, const rg_font *f)
{
    double c0, c1, n, end = v;
    cat_span(L, r, s, &c0, &c1);
    if (chart_norm(cc, r, &n) && cc->c->reference >= 0)
        end = v >= 0 ? fmax(v, n) : fmin(v, n);
    double q = chart_vpos(&L->p, end), w = chart_text_width(cc, f, text);
    if (L->p.horizontal) {
        double x = v >= 0 ? q + 5 : q - 5 - w;
        chart_text(cc, f, cc->ink, text, x, (c0 + c1) / 2 - cc->cap / 2, ANCHOR_LEFT);
    } else {
        double y = v >= 0 ? q + 4 : q - 4 - cc->cap;
        chart_text(cc, f, cc->ink, text, (c0 + c1) / 2, y, ANCHOR_CENTER);
    }
}

static void value_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v)
{
    char buf[128];
    int field = cc->c->series[s];
    chart_format(cc, field, v, buf, sizeof buf);
    int marked = under_norm(cc, L, r, v);
    if (marked) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s", cc->sign);
    }
    end_label(cc, L, r, s, v, buf, marked && cc->st->mark_bold ? cc->bold : cc->font);
}

/* a stacked segment's value inside it when it fits */
static void inside_label(chart_ctx *cc, const bar_layout *L, size_t r, size_t s, double v0,
                         double v1)
{
    char buf[96];
    double c0, c1, rc[4];
    chart_format(cc, cc->c->series[s], v1 - v0, buf, sizeof buf);
    cat_span(L, r, 0, &c0, &c1);
    bar_rect(L, c0, c1, v0, v1, rc);
    double w = chart_text_width(cc, cc->font, buf);
    if (w + 4 > rc[2] || cc->cap + 4 > rc[3]) return;
    chart_text(cc, cc->font, text_on(chart_color(cc, s)), buf, rc[0] + rc[2] / 2,
               rc[1] + rc[3] / 2 - cc->cap / 2, ANCHOR_CENTER);
}

static void stack_labels(chart_ctx *cc, const bar_layout *L, size_t r)
{
    double pos = 0, v;
    int any = 0;
    for (size_t s = 0; s < L->nser; s++) {
        if (!chart_value(cc, r, cc->c->series[s], &v) || v < 0) continue;
        inside_label(cc, L, r, s, pos, pos + v);
        pos += v;
        any = 1;
    }
    if (!any) return;
    char buf[96];
    chart_format(cc, cc->c->series[0], pos, buf, sizeof buf);
    end_label(cc, L, r, 0, pos, buf, cc->bold);
}

/* all value labels or none: a chart where some bars have one reads as if
 * the others had no value */
static int labels_fit(chart_ctx *cc, const bar_layout *L)
{
    if (L->p.horizontal) return L->thick >= cc->cap * 0.9;
    double room = L->stacked || L->nser == 1 ? L->slot - 4 : L->thick + 2;
    return widest_value_label(cc, L) <= room;
}

static void draw_value_labels(chart_ctx *cc, const bar_layout *L)
{
    double v;
    if (!labels_fit(cc, L)) return;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (L->stacked) {
            stack_labels(cc, L, r);
            continue;
        }
        for (size_t s = 0; s < L->nser; s++)
            if (chart_value(cc, r, cc->c->series[s], &v)) value_label(cc, L, r, s, v);
    }
}

static void draw_categories(chart_ctx *cc, const bar_layout *L, double left)
{
    char buf[256];
    const chart_box *a = &L->p.area;
    for (size_t r = 0; r < cc->ncat; r += L->cat_every) {
        chart_category(cc, r, buf, sizeof buf);
        if (L->p.horizontal) {
            double w = a->x - 8 - left, mid = a->y + a->h - ((double)r + 0.5) * L->slot;
            int n = chart_text_lines(cc, cc->font, buf, w);
            n = n > 3 ? 3 : n < 1 ? 1 : n;
            double y = mid + (double)(n - 1) * cc->lead / 2 - cc->cap / 2;
            chart_text_box(cc, cc->font, buf, left, y, w, ANCHOR_RIGHT, n);
        } else {
            double w = L->slot * (double)L->cat_every - 4;
            double x = a->x + (double)r * L->slot + L->slot / 2 - w / 2;
            chart_text_box(cc, cc->font, buf, x, a->y - 4 - cc->size, w, ANCHOR_CENTER,
                           L->cat_lines);
        }
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
            e[n].color = chart_color(cc, s);
            snprintf(e[n++].label, sizeof e->label, "%s", f && f->label ? f->label : "");
        }
    return chart_legend_common(cc, e, n, L->marked);
}

void chart_bars(chart_ctx *cc, chart_box b)
{
    const rg_chart *c = cc->c;
    bar_layout L = { .stacked = c->type == RG_CHART_STACKED,
                     .nser = c->nseries > RG_MAX_SERIES ? RG_MAX_SERIES : c->nseries };
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
    chart_axis_draw(cc, &L.p);
    draw_bars(cc, &L);
    chart_axis_lines(cc, &L.p);
    draw_reference(cc, &L);
    draw_value_labels(cc, &L);
    draw_categories(cc, &L, b.x);
    if (ne) chart_legend_draw(cc, e, ne, b.x, b.y + lh - cc->size * 0.8, b.w);
}
