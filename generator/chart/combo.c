/* chart/combo.c - combination charts: the fields of lines= drawn as lines
 * with markers over the bars of a vertical bar, grouped or stacked chart.
 * Each line passes through the centres of the category slots the bars
 * stand in (a missing value breaks it), is coloured after the bars'
 * series (chart_color(nseries + i)) with its own marker shape, and is in
 * the legend as a line swatch after the bars. A line on the second axis
 * (axis2=) maps through that axis, and its legend entry says so
 * ("(rechteras)", "(right axis)"), so colour is not the only cue. Like
 * a line chart's, a line is clipped where the author's axis-min/axis-max
 * cuts it (with a warning). Lines are never marked against the norm: the
 * norm is the bars'.
 * Markers follow markers= and, for auto, the line charts' rule for dense
 * points (chart_marker_every); the markers drawn are kept free of value
 * labels (the bars' labels, all or none, then make way). Stage: chart. */
#include "internal.h"

#include <math.h>

/* the label of a drawn field, with the axis it is read against when the
 * chart has two */
const char *chart_series_label(chart_ctx *cc, int field)
{
    const rg_field *f = chart_field(cc, field);
    const char *label = f && f->label ? f->label : "";
    if (!cc->c->naxis2 || !chart_on_axis2(cc, field)) return label;
    return chart_strf(cc, "%s (%s)", label, chart_english(cc) ? "right axis" : "rechteras");
}

/* Widens [lo, hi] with the values of the lines on the first axis; returns
 * how many values the lines have (on either axis). */
size_t chart_combo_scan(const chart_ctx *cc, double *lo, double *hi)
{
    size_t count = 0;
    double v;
    for (size_t i = 0; i < cc->c->nlines; i++)
        for (size_t r = 0; r < cc->ncat; r++) {
            if (!chart_value(cc, r, cc->c->lines[i], &v)) continue;
            count++;
            if (chart_on_axis2(cc, cc->c->lines[i])) continue;
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
    return count;
}

/* the legend entries of the lines, appended at e[n]; returns the new count */
size_t chart_combo_legend(chart_ctx *cc, legend_entry *e, size_t n)
{
    int markers = cc->c->markers != RG_MARKERS_NONE;
    for (size_t i = 0; i < cc->c->nlines && n < RG_MAX_SERIES; i++) {
        e[n].kind = SWATCH_LINE;
        e[n].series = cc->c->nseries + i;
        e[n].shape = markers ? (int)i : -1;
        e[n++].label = chart_series_label(cc, cc->c->lines[i]);
    }
    return n;
}

static double slot_centre(const chart_ctx *cc, const chart_plot *p, size_t r)
{
    return p->area.x + ((double)r + 0.5) * p->area.w / (double)cc->ncat;
}

/* a marker's room: labels drawn after it keep off it */
static void reserve(chart_ctx *cc, double x, double y, double r)
{
    chart_ink ink = { .box = { x - r, y - r, x + r, y + r } };
    rg_grow(&cc->placed, &cc->placed_cap, cc->nplaced + 1, sizeof *cc->placed);
    cc->placed[cc->nplaced++] = ink;
}

/* Draws the lines over the bars of plot p (vertical): all lines first,
 * then all markers over them. */
void chart_combo_draw(chart_ctx *cc, const chart_plot *p)
{
    const rg_chart *c = cc->c;
    if (!c->nlines || !cc->ncat || p->horizontal) return;
    double *x = rg_arena_alloc(cc->scratch, cc->ncat * sizeof *x);
    double *v = rg_arena_alloc(cc->scratch, c->nlines * cc->ncat * sizeof *v);
    size_t most = 0;
    for (size_t i = 0; i < c->nlines; i++) {
        size_t npts = 0;
        for (size_t r = 0; r < cc->ncat; r++) {
            x[r] = slot_centre(cc, p, r);
            if (chart_value(cc, r, c->lines[i], &v[i * cc->ncat + r])) npts++;
            else v[i * cc->ncat + r] = NAN;
        }
        if (npts > most) most = npts;
        double on, off;
        chart_series_dash(cc, c->nseries + i, &on, &off);
        chart_polyline(cc, p, chart_field_axis(cc, p, c->lines[i]), x, v + i * cc->ncat, NULL,
                       cc->ncat, chart_color(cc, c->nseries + i), 1.75, on, off);
    }
    axis_cuts cuts = { { 0, 0 }, { "", "" } };
    size_t every = chart_marker_every(cc, most, c->nlines, p->area.w / (double)cc->ncat);
    for (size_t i = 0; i < c->nlines; i++) {
        const value_axis *ax = chart_field_axis(cc, p, c->lines[i]);
        size_t turn = every > 1 ? i * every / c->nlines : 0;   /* the lines take turns */
        for (size_t r = 0; r < cc->ncat; r++) {
            double val = v[i * cc->ncat + r];
            if (isnan(val)) continue;
            int side = chart_axis_beyond(ax, val);
            if (side) {
                chart_cut_note(cc, &cuts, side, r, c->lines[i], val);
                continue;
            }
            if (!every || r % every != turn) continue;
            double y = chart_vpos_on(p, ax, val);
            chart_marker(cc, (int)i, x[r], y, 3.2, chart_color(cc, c->nseries + i));
            reserve(cc, x[r], y, 4);
        }
    }
    chart_cut_report(cc, &cuts, "point", "points", "the line is clipped at the plot's edge");
}
