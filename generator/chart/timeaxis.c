/* chart/timeaxis.c - the time axis of a line chart whose category field is
 * a date: points placed by their dates (equal time, equal distance, from
 * the first date to the last), labelled by periods - months ("jan 2023"),
 * quarters ("2023 K2", "Q2 2023") or years ("2023"; every 2, 5, 10, ...
 * years for long ranges), the finest whose labels fit without touching -
 * each label centred in its period, short ticks at the periods' bounds.
 * Data stamped by period (every date the first or the last day of a
 * distinct month, quarter or year: "2023-01-31", "2023-04-01") stands in
 * the middle of its period, above its label, and is never labelled by a
 * finer period than its own. A range that holds no whole period's middle
 * is labelled with its first and last dates.
 * Records out of date order are drawn in date order (the data keeps its
 * order); a record without a date is not drawn, and a regular series
 * breaks where a date is missing (monthly data without August: no line
 * from July to September). Combination charts keep their bars' category
 * slots: only line charts get a time axis. Stage: chart. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* days since 1970-01-01 of a valid civil date (H. Hinnant's algorithm) */
static double day_number(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)era * 146097 + doe - 719468;
}

static int days_in(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

static int valid(rg_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in(d.year, d.month);
}

/* the period of `months` months (1, 3, 12) that d starts or ends, as a
 * count of periods since year 0; -1 when d does neither */
static long period_of(rg_date d, int months)
{
    long p = ((long)d.year * 12 + d.month - 1) / months;
    if (d.day == 1 && (d.month - 1) % months == 0) return p;
    if (d.day == days_in(d.year, d.month) && d.month % months == 0) return p;
    return -1;
}

/* the middle of period p of `months` months, as a day number */
static double period_middle(long p, int months)
{
    long m0 = p * months, m1 = m0 + months;
    double a = day_number((int)(m0 / 12), (int)(m0 % 12) + 1, 1);
    double b = day_number((int)(m1 / 12), (int)(m1 % 12) + 1, 1);
    return (a + b) / 2;
}

static const rg_date *date_of(const chart_ctx *cc, size_t r)
{
    const rg_chart *c = cc->c;
    return &c->data->values[r * c->data->nfields + (size_t)c->category].date;
}

/* The period the data is stamped by (12, 3, 1 months), or 0: every date
 * starts or ends one, and no two records share one. */
static int stamped(const chart_ctx *cc, const chart_time *t)
{
    static const int G[3] = { 12, 3, 1 };
    for (int g = 0; g < 3; g++) {
        int ok = 1;
        long prev = -1;
        for (size_t k = 0; k < t->n && ok; k++) {
            long p = period_of(*date_of(cc, t->order[k]), G[g]);
            ok = p >= 0 && p != prev;
            prev = p;
        }
        if (ok) return G[g];
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Marks the gaps of a regular series: where consecutive dates lie further
 * apart than 1,75 typical steps (the median), when at least half of the
 * steps are within a fifth of it - a monthly series missing a month.
 * Irregular dates get no gaps. */
static void find_gaps(chart_ctx *cc, chart_time *t)
{
    if (t->n < 4) return;
    size_t ns = 0;
    double *steps = rg_arena_alloc(cc->scratch, t->n * sizeof *steps);
    for (size_t k = 1; k < t->n; k++) {
        double s = t->day[t->order[k]] - t->day[t->order[k - 1]];
        if (s > 0) steps[ns++] = s;
    }
    if (ns < 3) return;
    double *sorted = rg_arena_alloc(cc->scratch, ns * sizeof *sorted);
    memcpy(sorted, steps, ns * sizeof *sorted);
    qsort(sorted, ns, sizeof *sorted, cmp_double);
    double med = sorted[ns / 2];
    size_t regular = 0;
    for (size_t k = 0; k < ns; k++) regular += steps[k] >= med * 0.8 && steps[k] <= med * 1.25;
    if (regular * 2 < ns) return;
    for (size_t k = 1; k < t->n; k++)
        if (t->day[t->order[k]] - t->day[t->order[k - 1]] > med * 1.75) t->gap[k] = 1;
}

int chart_time_setup(chart_ctx *cc, chart_time *t)
{
    const rg_chart *c = cc->c;
    const rg_field *f = chart_field(cc, c->category);
    *t = (chart_time){ 0 };
    if (!f || f->type != RG_FIELD_DATE || !cc->ncat) return 0;
    t->day = rg_arena_alloc(cc->scratch, cc->ncat * sizeof *t->day);
    t->order = rg_arena_alloc(cc->scratch, cc->ncat * sizeof *t->order);
    t->gap = rg_arena_alloc(cc->scratch, cc->ncat);
    memset(t->gap, 0, cc->ncat);
    for (size_t r = 0; r < cc->ncat; r++) {
        const rg_value *v = &c->data->values[r * c->data->nfields + (size_t)c->category];
        t->day[r] = !v->missing && valid(v->date)
                        ? day_number(v->date.year, v->date.month, v->date.day) : NAN;
        if (isnan(t->day[r])) continue;
        /* insertion in date order, after equal dates: records in order cost n */
        size_t k = t->n++;
        while (k > 0 && t->day[t->order[k - 1]] > t->day[r]) {
            t->order[k] = t->order[k - 1];
            k--;
        }
        t->order[k] = r;
    }
    if (!t->n) return 0;
    t->stamp = stamped(cc, t);
    for (size_t k = 0; t->stamp && k < t->n; k++)
        t->day[t->order[k]] = period_middle(period_of(*date_of(cc, t->order[k]), t->stamp),
                                            t->stamp);
    t->d0 = t->day[t->order[0]];
    t->d1 = t->day[t->order[t->n - 1]];
    find_gaps(cc, t);
    return 1;
}

/* the inset of the first and last date from the plot's ends */
static double pad(const chart_time *t, const chart_box *a)
{
    return fmin(12, a->w / (2.0 * (double)(t->n ? t->n : 1)));
}

static double x_of_day(const chart_time *t, const chart_box *a, double day)
{
    if (!(t->d1 > t->d0)) return a->x + a->w / 2;
    double p = pad(t, a);
    return a->x + p + (day - t->d0) / (t->d1 - t->d0) * (a->w - 2 * p);
}

double chart_time_x(const chart_time *t, const chart_box *a, size_t rec)
{
    return x_of_day(t, a, t->day[rec]);
}

/* ---- ticks ---- */

/* periods of `months` months: 1 month, 3 quarter, 12 year, 24, 60, ... */
static const int UNITS[] = { 1, 3, 12, 24, 60, 120, 240, 600, 1200, 2400 };
enum { NUNITS = sizeof UNITS / sizeof UNITS[0], MAX_TICKS = 400 };

typedef struct tick {
    double x;                      /* the label's centre */
    const char *label;
} tick;

static const char *period_label(chart_ctx *cc, int unit, int y, int m)
{
    char buf[64];
    if (unit == 1) rg_format_month(cc->loc, y, m, buf, sizeof buf);
    else if (unit == 3) rg_format_quarter(cc->loc, y, (m - 1) / 3 + 1, buf, sizeof buf);
    else snprintf(buf, sizeof buf, "%d", y);
    return chart_strf(cc, "%s", buf);
}

/* The periods of one unit over the plot: their labels where their middle
 * is inside it (tk, *nt) and their bounds inside it (bound, *nb). 0 when
 * there are too many. */
static int unit_ticks(chart_ctx *cc, const chart_time *t, const chart_box *a, int unit,
                      tick *tk, int *nt, double *bound, int *nb)
{
    double x0 = a->x, x1 = a->x + a->w;
    double p = pad(t, a), per = t->d1 > t->d0 ? (t->d1 - t->d0) / (a->w - 2 * p) : 0;
    double lo = t->d0 - p * per, hi = t->d1 + p * per;
    int y0, y1;
    *nt = *nb = 0;
    rg_double_to_int(1970 + floor(lo / 365.2425) - 1 - unit / 12, 1, 9999, &y0);
    rg_double_to_int(1970 + ceil(hi / 365.2425) + 1, 1, 9999, &y1);
    for (int y = y0; y <= y1; y++)
        for (int m = 1; m <= 12; m++) {
            if (unit >= 12 ? m != 1 || y % (unit / 12) : (m - 1) % unit) continue;
            int ey = y + (m - 1 + unit) / 12, em = (m - 1 + unit) % 12 + 1;
            double start = day_number(y, m, 1), end = day_number(ey, em, 1);
            double xs = x_of_day(t, a, start), xm = x_of_day(t, a, (start + end) / 2);
            if (start >= lo - 1e-9 && start <= hi + 1e-9 && xs >= x0 && xs <= x1) {
                if (*nb == MAX_TICKS) return 0;
                bound[(*nb)++] = xs;
            }
            if (xm >= x0 - 1e-9 && xm <= x1 + 1e-9) {
                if (*nt == MAX_TICKS) return 0;
                tk[(*nt)++] = (tick){ xm, period_label(cc, unit, y, m) };
            }
        }
    return 1;
}

/* 1 when the labels of n ticks stand apart */
static int ticks_fit(chart_ctx *cc, const tick *tk, int n)
{
    for (int i = 1; i < n; i++) {
        double w = (chart_text_width(cc, cc->font, tk[i - 1].label) +
                    chart_text_width(cc, cc->font, tk[i].label)) / 2;
        if (tk[i].x - tk[i - 1].x < w + cc->size) return 0;
    }
    return 1;
}

/* Draws the period bounds and labels under plot area a, the labels' room
 * down to bottom. */
void chart_time_draw(chart_ctx *cc, const chart_time *t, const chart_box *a, double bottom)
{
    tick *tk = rg_arena_alloc(cc->scratch, MAX_TICKS * sizeof *tk);
    double *bound = rg_arena_alloc(cc->scratch, MAX_TICKS * sizeof *bound);
    int nt = 0, nb = 0, found = 0;
    for (size_t u = 0; u < NUNITS && !found; u++) {
        if (UNITS[u] < t->stamp) continue;         /* never finer than the data's periods */
        if (!unit_ticks(cc, t, a, UNITS[u], tk, &nt, bound, &nb)) continue;   /* too many */
        found = nt > 0 && ticks_fit(cc, tk, nt);
    }
    if (!found) {
        /* no period's middle in the range: its first and last dates */
        char buf[64];
        nt = nb = 0;
        for (size_t e = 0; e < 2 && (e == 0 || t->d1 > t->d0); e++) {
            size_t r = t->order[e ? t->n - 1 : 0];
            rg_format_date(cc->loc, *date_of(cc, r), buf, sizeof buf);
            bound[nb++] = chart_time_x(t, a, r);
            tk[nt++] = (tick){ chart_time_x(t, a, r), chart_strf(cc, "%s", buf) };
        }
        if (nt == 2 && !ticks_fit(cc, tk, 2)) nt = 1;
    }
    for (int i = 0; i < nb; i++) chart_line(cc, bound[i], a->y, bound[i], a->y - 3, cc->axis, 0.8, 0);
    for (int i = 0; i < nt; i++) {
        chart_room room = { cc->box.x0, bottom, cc->box.x1, a->y - 3 };
        chart_text_in(cc, LABEL_CATEGORY, cc->font, cc->ink, tk[i].label, tk[i].x,
                      a->y - 4 - cc->size, ANCHOR_CENTER, room, TEXT_WHOLE);
    }
}
