/* chart/axis.c - the value axes of bar and line charts: choosing a range
 * and a "nice" tick step (1-2-5 × 10^n; zero always in for bars, a single
 * value from zero to just beyond it), mapping values to positions, and
 * drawing grid lines, tick labels (formatted like the first series' field),
 * axis lines and - when the axis does not include zero - a zig-zag break
 * mark and the start value in bold. Also the warning about values the
 * author's axis-min/axis-max leaves out (chart_cut_note, chart_cut_report).
 * A logarithmic axis (scale="log", value_axis.scale) runs from a power of
 * ten at or below the lowest value to one at or above the highest (or the
 * chart's axis-min/axis-max), maps by log10, and has ticks at the powers
 * of ten - with 2 and 5 between when a decade is tall enough for three
 * labels, at every n-th power when decades are too short for one.
 * The second value axis (axis2=) is chosen like the first from its own
 * fields (without axis-min/axis-max), its ticks on the first axis's grid
 * lines where both are linear, and drawn at the plot's right: axis line,
 * short ticks and labels formatted like its first field; no grid lines of
 * its own. Everything maps through chart_vpos_on(). Stage: chart. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct nice {
    double m;                      /* 1, 2 or 5 */
    int e;                         /* step = m × 10^e */
} nice;

static double pow10i(int e) { return pow(10.0, (double)e); }

/* k steps, computed so that decimal steps give the nearest double
 * (k × 0.1 would drift: 995 × 0.1 != 99.5) */
static double nice_at(nice n, double k)
{
    return n.e < 0 ? k * n.m / pow10i(-n.e) : k * n.m * pow10i(n.e);
}

static nice nice_step(double raw)
{
    if (!(raw > 0) || !isfinite(raw)) return (nice){ 1, 0 };
    int e;
    rg_double_to_int(floor(log10(raw)), -400, 400, &e);   /* |e| <= 324 for a finite raw */
    double f = raw / pow10i(e);
    if (f > 5.0000001) return (nice){ 1, e + 1 };
    return (nice){ f > 2.0000001 ? 5 : f > 1.0000001 ? 2 : 1, e };
}

static int all_percent(const chart_ctx *cc)
{
    for (size_t s = 0; s < cc->c->nseries; s++) {
        const rg_field *f = chart_field(cc, cc->c->series[s]);
        if (f && f->type != RG_FIELD_PERCENT) return 0;
    }
    return cc->c->nseries > 0;
}

/* Should the axis start near the data instead of at zero? Only lines, when
 * their values differ and stay well away from zero; bars always start at
 * zero (a bar's length is its value). */
static int clustered(double lo, double hi, chart_trunc t)
{
    if (t == TRUNC_NEVER || !(lo > 0) || !(hi > lo)) return 0;
    return hi - lo < 0.6 * hi;
}

/* the data range before rounding to ticks: from zero, or - for clustered
 * values - a little below the lowest so the lowest point stays clear of
 * the axis */
static void raw_range(const chart_ctx *cc, double lo, double hi, chart_trunc t, double *a,
                      double *b)
{
    if (!clustered(lo, hi, t)) {
        *a = fmin(0, lo);
        *b = fmax(0, hi);
        return;
    }
    double span = hi - lo;
    *a = lo - 0.25 * span;
    if (*a < 0) *a = 0;
    /* percentages up to 100 end at 100 exactly; others get a little air */
    *b = all_percent(cc) && hi <= 100 ? hi : hi + 0.05 * span;
}

static void tick_label(chart_ctx *cc, const value_axis *ax, double v, char *out, size_t cap);

/* ---- logarithmic ---- */

static int floor_log10(double v)
{
    int e = 0;
    rg_double_to_int(floor(log10(v) + 1e-9), -400, 400, &e);
    return e;
}

static int ceil_log10(double v)
{
    int e = 0;
    rg_double_to_int(ceil(log10(v) - 1e-9), -400, 400, &e);
    return e;
}

/* m × 10^e, decimal-exact as nice_at */
static double pow10_times(double m, int e)
{
    return e < 0 ? m / pow10i(-e) : m * pow10i(e);
}

/* The ticks of a log axis in out[] (at most max; out may be NULL): the
 * powers of ten in its range (every log_every-th), with 2 and 5 between
 * when log_sub is 3. Returns how many there are. */
static int log_ticks(const value_axis *ax, double *out, int max)
{
    static const double sub[3] = { 1, 2, 5 };
    int n = 0, every = ax->log_every > 1 ? ax->log_every : 1;
    int e0 = floor_log10(ax->min), e1 = ceil_log10(ax->max);
    for (int e = e0; e <= e1 && n < 200; e++) {
        if (((e % every) + every) % every) continue;
        for (int k = 0; k < (ax->log_sub == 3 ? 3 : 1); k++) {
            double v = pow10_times(sub[k], e);
            if (v < ax->min * (1 - 1e-9) || v > ax->max * (1 + 1e-9)) continue;
            if (out && n < max) out[n] = v;
            n++;
        }
    }
    return n;
}

/* The log axis for positive data in [lo, hi] along len points: powers of
 * ten around the data unless the chart gives its limits (limits). */
static void log_choose(chart_ctx *cc, double lo, double hi, double len, int limits,
                       value_axis *ax)
{
    const rg_chart *c = cc->c;
    if (!(hi > 0)) return;
    if (!(lo > 0)) lo = hi;        /* the loader refuses values <= 0; never log(0) */
    double a = pow10i(floor_log10(lo)), b = pow10i(ceil_log10(hi));
    ax->own_min = limits && c->has_axis_min && c->axis_min > 0 && isfinite(c->axis_min);
    ax->own_max = limits && c->has_axis_max && c->axis_max > 0 && isfinite(c->axis_max);
    if (ax->own_min) a = c->axis_min;
    if (ax->own_max) b = c->axis_max;
    if (!(b > a)) b = a * 10;
    if (!(a > 0) || !isfinite(b) || !(b > a)) return;
    ax->min = a;
    ax->max = b;
    ax->step = pow10i(floor_log10(a));
    ax->scale = RG_SCALE_LOG;
    /* a decade's length against the room three labels need: 2 and 5 take
     * 0,3 of a decade from their neighbours */
    double decade = len / (log10(b) - log10(a));
    int horizontal = c->horizontal && c->type != RG_CHART_LINE;
    char buf[64];
    tick_label(cc, ax, b, buf, sizeof buf);
    double need = horizontal ? chart_text_width(cc, cc->bold, buf) + cc->size * 1.5
                             : cc->lead * 1.2;
    ax->log_sub = 0.301 * decade >= need ? 3 : 1;
    double every = decade > 0 ? ceil(need / decade - 1e-9) : 1;
    rg_double_to_int(every, 1, 400, &ax->log_every);
    ax->ok = 1;
}

/* the field whose values the first axis shows: the first series not on
 * the second axis */
static int first_field(const chart_ctx *cc)
{
    const rg_chart *c = cc->c;
    for (size_t s = 0; s < c->nseries; s++)
        if (!chart_on_axis2(cc, c->series[s])) return c->series[s];
    return c->nseries ? c->series[0] : -1;
}

/* one value (or all equal): from zero to a little beyond it, so that it
 * reads against a few ticks (16,98: 0 to 20); percentages end at 100 */
static void single_range(const chart_ctx *cc, double v, double *a, double *b)
{
    *a = fmin(0, v * 1.1);
    *b = fmax(0, v * 1.1);
    if (all_percent(cc) && v > 0 && v <= 100) *b = fmin(*b, 100);
    if (!(*b > *a)) *b = 1;        /* all zero */
}

/* Chooses the axis for data in [lo, hi] drawn along len points; t says
 * when it may leave out zero. The chart's own axis_min/axis_max win.
 * ax->ok is 0 when nothing finite is left. */
void chart_axis_choose(chart_ctx *cc, double lo, double hi, chart_trunc t, double len,
                       value_axis *ax)
{
    const rg_chart *c = cc->c;
    *ax = (value_axis){ .field = first_field(cc) };
    double a, b;
    if (lo > hi) return;           /* no values */
    if (c->scale == RG_SCALE_LOG) {
        log_choose(cc, lo, hi, len, 1, ax);
        return;
    }
    int single = !(hi > lo);
    if (single) single_range(cc, lo, &a, &b);
    else raw_range(cc, lo, hi, t, &a, &b);
    ax->own_min = c->has_axis_min && isfinite(c->axis_min);
    ax->own_max = c->has_axis_max && isfinite(c->axis_max);
    if (ax->own_min) a = c->axis_min;
    if (ax->own_max) b = c->axis_max;
    if (!(b > a)) b = a + (a != 0 ? fabs(a) * 0.1 : 1);
    if (!isfinite(a) || !isfinite(b) || !isfinite(b - a)) return;
    double target = single ? 4 : fmin(8, fmax(3, len / 45));
    nice n = nice_step((b - a) / target);
    double step = nice_at(n, 1);
    double kmin = floor(a / step + 1e-9), kmax = ceil(b / step - 1e-9);
    if (!isfinite(kmin) || !isfinite(kmax) || fabs(kmin) > 1e15 || fabs(kmax) > 1e15) return;
    ax->min = ax->own_min ? a : nice_at(n, kmin);
    ax->max = ax->own_max ? b : nice_at(n, kmax);
    if (!(ax->max > ax->min)) return;
    ax->step = step;
    ax->decimals = n.e < 0 ? -n.e : 0;
    ax->broken = ax->min > 0 || ax->max < 0;
    ax->ok = 1;
}

/* the next smaller step of the 1-2-5 sequence */
static nice finer(nice n)
{
    if (n.m > 2.5) return (nice){ 2, n.e };
    if (n.m > 1.5) return (nice){ 1, n.e };
    return (nice){ 5, n.e - 1 };
}

/* One step more below an automatic start: room under the lowest bars for
 * their labels. The step becomes the next smaller one when the axis then
 * still has at most 6 steps and its end is one of its ticks (a short
 * axis: 100 to -100 becomes 100 to -150, not -200). 0 when the start is
 * the author's (or there is no axis). */
int chart_axis_extend_down(value_axis *ax)
{
    if (!ax->ok || ax->own_min || ax->scale == RG_SCALE_LOG) return 0;
    nice n = nice_step(ax->step), f = finer(n);
    double fs = nice_at(f, 1), kmin = floor(ax->min / fs + 1e-9) - 1;
    double top = ax->max / fs;     /* the end stays on a tick: 5 is no multiple of 2 */
    if ((ax->max - nice_at(f, kmin)) / fs <= 6 + 1e-9 && fabs(top - round(top)) < 1e-6) {
        n = f;
        ax->step = fs;
        ax->decimals = n.e < 0 ? -n.e : 0;
    } else {
        kmin = floor(ax->min / ax->step + 1e-9) - 1;
    }
    ax->min = nice_at(n, kmin);
    ax->broken = ax->min > 0 || ax->max < 0;
    return 1;
}

/* where v lies: -1 below the axis, 1 above it, 0 on it */
int chart_axis_beyond(const value_axis *ax, double v)
{
    double eps = (ax->max - ax->min) * 1e-9;
    return v < ax->min - eps ? -1 : v > ax->max + eps ? 1 : 0;
}

/* the position of v along axis ax of the plot (x when horizontal, else
 * y), clamped to the plot area; by log10 on a log axis */
double chart_vpos_on(const chart_plot *p, const value_axis *ax, double v)
{
    double c = fmin(fmax(v, ax->min), ax->max), t;
    if (ax->scale == RG_SCALE_LOG) t = log10(c / ax->min) / log10(ax->max / ax->min);
    else t = (c - ax->min) / (ax->max - ax->min);
    return p->horizontal ? p->area.x + t * p->area.w : p->area.y + t * p->area.h;
}

/* the position of v along the value axis */
double chart_vpos(const chart_plot *p, double v)
{
    return chart_vpos_on(p, &p->ax, v);
}

/* where bars start: zero, or the axis end nearest to it (a log axis has
 * no zero: its bottom) */
double chart_vbase(const chart_plot *p)
{
    return chart_vpos(p, 0);
}

static void tick_label(chart_ctx *cc, const value_axis *ax, double v, char *out, size_t cap)
{
    const rg_field *f = chart_field(cc, ax->field);
    rg_field_type t = f ? f->type : RG_FIELD_NUMBER;
    int dec = ax->decimals;
    if (fabs(v) < ax->step * 1e-9) v = 0;
    /* log: 0,05 - 0,1 - 1 - 10, each with the digits it needs */
    if (ax->scale == RG_SCALE_LOG) dec = v < 1 && v > 0 ? -floor_log10(v) : 0;
    if (t == RG_FIELD_PERCENT)
        rg_format_percent(cc->loc, v, dec, out, cap);
    else if (t == RG_FIELD_EURO)
        rg_format_euro(cc->loc, v, dec, f->unit, cc->st->negative_parentheses, out, cap);
    else
        rg_format_number(cc->loc, v, dec, out, cap);
}

static double first_tick(const value_axis *ax)
{
    return ceil(ax->min / ax->step - 1e-9);
}

static int tick_count(const value_axis *ax)
{
    if (!ax->ok) return 0;         /* no axis: step is 0, and x / 0 is undefined */
    if (ax->scale == RG_SCALE_LOG) return log_ticks(ax, NULL, 0);
    int n;
    if (rg_double_to_int(floor(ax->max / ax->step + 1e-9) - first_tick(ax) + 1, 0, 199, &n) < 0)
        return 0;                  /* none, or an axis of 200 ticks or more: no labels */
    return n;
}

static double tick_at(const value_axis *ax, int i)
{
    if (ax->scale == RG_SCALE_LOG) {
        double t[200];
        int n = log_ticks(ax, t, 200);
        return i >= 0 && i < n && i < 200 ? t[i] : ax->min;
    }
    double k = first_tick(ax) + i;
    /* the same decimal-exact arithmetic as the range */
    nice n = nice_step(ax->step);
    return nice_at(n, k);
}

double chart_tick_label_width(chart_ctx *cc, const value_axis *ax)
{
    char buf[64];
    double w = 0;
    int n = tick_count(ax);
    for (int i = 0; i < n; i++) {
        tick_label(cc, ax, tick_at(ax, i), buf, sizeof buf);
        w = fmax(w, chart_text_width(cc, cc->bold, buf));
    }
    tick_label(cc, ax, ax->min, buf, sizeof buf);
    return fmax(w, chart_text_width(cc, cc->bold, buf));
}

/* a tick label: beside a vertical axis, under a horizontal one; one that
 * would touch a label already drawn (a tick too close) is left out */
static void draw_tick_label(chart_ctx *cc, const chart_plot *p, double v, int bold)
{
    char buf[64];
    tick_label(cc, &p->ax, v, buf, sizeof buf);
    const rg_font *f = bold ? cc->bold : cc->font;
    double pos = chart_vpos(p, v);
    const chart_box *a = &p->area;
    if (p->horizontal) {
        chart_room room = { cc->box.x0, a->y - 4 - cc->size - cc->lead / 2, cc->box.x1, a->y };
        chart_text_in(cc, LABEL_TICK, f, cc->ink, buf, pos, a->y - 4 - cc->size, ANCHOR_CENTER,
                      room, TEXT_WHOLE | TEXT_QUIET);
    } else {
        chart_room room = { cc->box.x0, pos - cc->lead, a->x - 2, pos + cc->lead };
        chart_text_in(cc, LABEL_TICK, f, cc->ink, buf, a->x - 6, pos - cc->cap / 2,
                      ANCHOR_RIGHT, room, TEXT_WHOLE | TEXT_QUIET);
    }
}

/* grid lines and labels at the ticks; the start in bold when broken */
static void draw_ticks(chart_ctx *cc, const chart_plot *p)
{
    const value_axis *ax = &p->ax;
    const chart_box *a = &p->area;
    double gap = p->horizontal ? cc->size * 3 : cc->lead;   /* labels closer than this clash */
    int n = tick_count(ax);
    for (int i = 0; i < n; i++) {
        double v = tick_at(ax, i), pos = chart_vpos(p, v);
        int at_start = fabs(v - ax->min) < ax->step * 1e-6;
        if (p->horizontal) chart_line(cc, pos, a->y, pos, a->y + a->h, cc->grid, 0.5, 0);
        else chart_line(cc, a->x, pos, a->x + a->w, pos, cc->grid, 0.5, 0);
        if (!at_start && ax->broken && fabs(pos - chart_vpos(p, ax->min)) < gap) continue;
        draw_tick_label(cc, p, v, ax->broken && at_start);
    }
    double v0 = n ? tick_at(ax, 0) : ax->max;
    if (ax->broken && fabs(v0 - ax->min) >= ax->step * 1e-6) draw_tick_label(cc, p, ax->min, 1);
}

/* the value axis line; when broken a zig-zag interrupts it near its start.
 * Drawn in axis coordinates (t along, o across) and mapped. */
static void draw_axis_line(chart_ctx *cc, const chart_plot *p)
{
    const chart_box *a = &p->area;
    double t0 = p->horizontal ? a->x : a->y, len = p->horizontal ? a->w : a->h;
    double o = p->horizontal ? a->y : a->x;
    double s = t0 + fmin(9, len * 0.15);   /* middle of the break */
    double pts[][2] = { { t0, 0 }, { s - 4.5, 0 }, { s - 2.5, 3 }, { s - 0.8, -3 },
                        { s + 0.8, 3 }, { s + 2.5, -3 }, { s + 4.5, 0 }, { t0 + len, 0 } };
    rg_path_seg segs[8];
    size_t n = 0;
    for (size_t i = 0; i < 8; i++) {
        if (!p->ax.broken && i > 0 && i < 7) continue;
        double t = pts[i][0], q = o + pts[i][1];
        rg_path_op op = n ? RG_PATH_LINE : RG_PATH_MOVE;
        segs[n++] = (rg_path_seg){ op, { p->horizontal ? t : q, p->horizontal ? q : t } };
    }
    rg_dl_path path = { .segs = segs, .nsegs = n, .stroke = 1, .stroke_color = cc->axis,
                        .line_width = 0.8 };
    chart_path(cc, &path);
}

/* Draws grid lines and tick labels (under the data). */
void chart_axis_draw(chart_ctx *cc, const chart_plot *p)
{
    draw_ticks(cc, p);
}

/* Draws the value axis line and the category baseline (over the bars). */
void chart_axis_lines(chart_ctx *cc, const chart_plot *p)
{
    const chart_box *a = &p->area;
    draw_axis_line(cc, p);
    double base = chart_vbase(p);
    if (p->horizontal) chart_line(cc, base, a->y, base, a->y + a->h, cc->axis, 0.8, 0);
    else chart_line(cc, a->x, base, a->x + a->w, base, cc->axis, 0.8, 0);
}

/* ---- the second value axis ---- */

/* 1 when field is drawn against the second axis */
int chart_on_axis2(const chart_ctx *cc, int field)
{
    for (size_t i = 0; i < cc->c->naxis2; i++)
        if (cc->c->axis2[i] == field) return 1;
    return 0;
}

/* the axis field's values are read against: the second when it is on it */
const value_axis *chart_field_axis(const chart_ctx *cc, const chart_plot *p, int field)
{
    return p->has_ax2 && chart_on_axis2(cc, field) ? &p->ax2 : &p->ax;
}

/* the position of field's value v along its axis */
double chart_field_vpos(const chart_ctx *cc, const chart_plot *p, int field, double v)
{
    return chart_vpos_on(p, chart_field_axis(cc, p, field), v);
}

/* the number of tick steps of a linear axis whose ends are ticks, else 0 */
static int whole_steps(const value_axis *ax)
{
    if (!ax->ok || ax->scale == RG_SCALE_LOG || !(ax->step > 0)) return 0;
    double k = (ax->max - ax->min) / ax->step, lo = ax->min / ax->step;
    int n;
    if (fabs(k - round(k)) > 1e-6 || fabs(lo - round(lo)) > 1e-6 ||
        rg_double_to_int(round(k), 1, 20, &n) < 0)
        return 0;
    return n;
}

/* ax2 over the same number of steps as ax1, so that its ticks fall on
 * ax1's grid lines: the least nice step whose n steps from a multiple of
 * it at or below ax2's start reach ax2's end. Unchanged when none does. */
static void align_to(const value_axis *ax1, value_axis *ax2)
{
    int n = whole_steps(ax1);
    if (!n || !ax2->ok || ax2->scale == RG_SCALE_LOG) return;
    double lo = ax2->min, hi = ax2->max;
    for (nice st = nice_step((hi - lo) / n); st.e < 400; ) {
        double step = nice_at(st, 1), k0 = floor(lo / step + 1e-9);
        if (!isfinite(k0) || fabs(k0) > 1e15) return;
        if (nice_at(st, k0 + n) >= hi - step * 1e-9) {
            if (lo >= 0 && k0 < 0) k0 = 0;
            ax2->min = nice_at(st, k0);
            ax2->max = nice_at(st, k0 + n);
            ax2->step = step;
            ax2->decimals = st.e < 0 ? -st.e : 0;
            ax2->broken = ax2->min > 0 || ax2->max < 0;
            return;
        }
        st = st.m == 1 ? (nice){ 2, st.e } : st.m == 2 ? (nice){ 5, st.e } : (nice){ 1, st.e + 1 };
    }
}

/* Chooses the second axis from the values of the axis2= fields along len
 * points, beside the first axis ax1: its own range (axis-min= and
 * axis-max= are the first axis's), the same scale, ticks on ax1's grid
 * lines where both are linear, tick labels like its first field.
 * ax2->ok is 0 when it has no value. */
void chart_axis2_choose(chart_ctx *cc, const value_axis *ax1, chart_trunc t, double len,
                        value_axis *ax2)
{
    const rg_chart *c = cc->c;
    double lo = INFINITY, hi = -INFINITY, v;
    *ax2 = (value_axis){ 0 };
    if (!c->naxis2) return;
    for (size_t i = 0; i < c->naxis2; i++)
        for (size_t r = 0; r < cc->ncat; r++)
            if (chart_value(cc, r, c->axis2[i], &v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
    /* chosen as the axis of a chart whose series are the axis2 fields and
     * which gives no limits */
    rg_chart own = *c;
    for (size_t i = 0; i < c->naxis2; i++) own.series[i] = c->axis2[i];
    own.nseries = c->naxis2;
    own.has_axis_min = own.has_axis_max = 0;
    cc->c = &own;
    chart_axis_choose(cc, lo, hi, t, len, ax2);
    cc->c = c;
    align_to(ax1, ax2);
}

/* the room the second axis takes right of the plot */
double chart_axis2_width(chart_ctx *cc, const value_axis *ax2)
{
    return ax2->ok ? chart_tick_label_width(cc, ax2) + 8 : 0;
}

/* a tick of the second axis at height y: a short stroke out of the axis
 * line at x and its label right of it */
static void right_tick(chart_ctx *cc, const value_axis *ax, double x, double v, double y,
                       int bold)
{
    char buf[64];
    chart_line(cc, x, y, x + 3, y, cc->axis, 0.8, 0);
    tick_label(cc, ax, v, buf, sizeof buf);
    chart_room room = { x + 2, y - cc->lead, cc->box.x1, y + cc->lead };
    chart_text_in(cc, LABEL_TICK, bold ? cc->bold : cc->font, cc->ink, buf, x + 6,
                  y - cc->cap / 2, ANCHOR_LEFT, room, TEXT_WHOLE | TEXT_QUIET);
}

/* Draws the second axis at the plot's right: its line (broken like the
 * first's when it does not include zero), a short tick and a label right
 * of it at each tick; labels too close to one drawn are left out. */
void chart_axis2_draw(chart_ctx *cc, const chart_plot *p)
{
    const value_axis *ax = &p->ax2;
    if (!p->has_ax2 || !ax->ok || p->horizontal) return;
    const chart_box *a = &p->area;
    double x = a->x + a->w;
    chart_plot right = *p;
    right.area.x = x;
    right.ax = *ax;
    draw_axis_line(cc, &right);
    int n = tick_count(ax);
    double y0 = chart_vpos_on(p, ax, ax->min);
    for (int i = 0; i < n; i++) {
        double v = tick_at(ax, i), y = chart_vpos_on(p, ax, v);
        int at_start = fabs(v - ax->min) < ax->step * 1e-6;
        if (ax->broken && !at_start && fabs(y - y0) < cc->lead) continue;
        right_tick(cc, ax, x, v, y, ax->broken && at_start);
    }
    /* a broken axis's start in bold, when it is no tick */
    if (ax->broken && !(n && fabs(tick_at(ax, 0) - ax->min) < ax->step * 1e-6))
        right_tick(cc, ax, x, ax->min, y0, 1);
}

/* ---- values the author's axis leaves out ---- */

enum { CUTS_LISTED = 3 };          /* the warning names the first few */

/* s, or its first max bytes and "…" (whole characters: the warning stays
 * UTF-8) */
static void quote_short(const char *s, size_t max, char *out, size_t cap)
{
    size_t n = strlen(s), k = rg_utf8_prefix(s, n, max);
    snprintf(out, cap, "%.*s%s", (int)k, s, k < n ? "\xE2\x80\xA6" : "");
}

/* "C: 80" (or "C, Prognose: 80" when the chart has more series; field < 0:
 * a stack, named by its category) added to side's list */
void chart_cut_note(chart_ctx *cc, axis_cuts *k, int side, size_t rec, int field, double v)
{
    int i = side > 0;
    if (k->n[i]++ >= CUTS_LISTED) return;
    char buf[256], cat[64], series[64] = "", num[64];
    quote_short(chart_category(cc, rec, buf, sizeof buf), 40, cat, sizeof cat);
    const rg_field *f = field >= 0 && cc->c->nseries > 1 ? chart_field(cc, field) : NULL;
    if (f && f->label) quote_short(f->label, 40, series, sizeof series);
    chart_format(cc, field >= 0 ? field : cc->c->series[0], v, num, sizeof num);
    size_t o = strlen(k->list[i]), cap = sizeof k->list[i];
    snprintf(k->list[i] + o, cap - o, "%s%s%s%s: %s", o ? "; " : "", cat, *series ? ", " : "",
             series, num);
}

/* "axis-max=60 cuts 2 bars (C: 80; D: 95)" */
static size_t cut_words(const chart_ctx *cc, const axis_cuts *k, int i, const char *one,
                        const char *many, char *out, size_t cap)
{
    const rg_chart *c = cc->c;
    int n = snprintf(out, cap, "%s=%.10g cuts %zu %s (%s%s)", i ? "axis-max" : "axis-min",
                     i ? c->axis_max : c->axis_min, k->n[i], k->n[i] == 1 ? one : many,
                     k->list[i], k->n[i] > CUTS_LISTED ? "; \xE2\x80\xA6" : "");
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The chart's warning about values beyond the author's axis, naming the
 * first few: "axis-max=60 cuts 1 bar (C: 80); drawn with a break mark".
 * one/many name what was cut ("bar"), how says how it is drawn. */
void chart_cut_report(chart_ctx *cc, const axis_cuts *k, const char *one, const char *many,
                      const char *how)
{
    if (!k->n[0] && !k->n[1]) return;
    char name[120], what[1400];
    size_t o = 0;
    rg_chart_name(cc->c, name, sizeof name);
    for (int i = 0; i < 2; i++) {
        if (!k->n[i]) continue;
        if (o) o += (size_t)snprintf(what + o, sizeof what - o, " and ");
        o += cut_words(cc, k, i, one, many, what + o, sizeof what - o);
    }
    rg_diag(cc->ctx, RG_SEV_WARNING, NULL, 0, 0, "%s: %s; %s", name, what, how);
}
