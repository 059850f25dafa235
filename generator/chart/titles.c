/* chart/titles.c - the axis titles (value-title=, category-title=,
 * axis2-title=) and the room the plot leaves for them and for the second
 * axis's tick labels. Titles are set horizontally (the display list has no
 * rotated text yet), in a band of one line each, taken from the plot -
 * never from outside the chart's box:
 *   vertical charts:   the value title above the value axis's top tick,
 *                      left-aligned with the chart (the tick labels'
 *                      column); the second axis's title above that axis,
 *                      right-aligned; the category title centred under
 *                      the category labels, above the legend.
 *   horizontal bars:   the category title above the category labels,
 *                      left-aligned; the value title centred under the
 *                      value axis's tick labels, above the legend.
 * A title that does not fit its band is shortened with "…" (counted as a
 * title in the chart's warning). Stage: chart. */
#include "internal.h"

#include <math.h>

static int has(const char *s)
{
    return s && *s;
}

/* one band: a line of chart text and air towards the plot */
static double band(const chart_ctx *cc)
{
    return cc->lead + 4;
}

/* The room left in b (the chart under its title) for the plot and all its
 * labels, legend included, after the titles' bands and the second axis's
 * tick labels at the right; *bottom (the legend's height) grows by the
 * band taken under the plot. */
chart_box chart_frame_room(chart_ctx *cc, const chart_plot *p, chart_box b, double *bottom)
{
    const rg_chart *c = cc->c;
    chart_box in = b;
    int top = p->horizontal ? has(c->category_title)
                            : has(c->value_title) || (p->has_ax2 && has(c->axis2_title));
    int under = p->horizontal ? has(c->value_title) : has(c->category_title);
    if (top) in.h -= band(cc);
    if (under) *bottom += band(cc);
    if (p->has_ax2 && !p->horizontal) in.w -= chart_axis2_width(cc, &p->ax2);
    return in;
}

static void title(chart_ctx *cc, const char *text, double x0, double x1, double y0,
                  chart_anchor anchor)
{
    double base = y0 + band(cc) - cc->size;       /* its ascenders at the band's top */
    label_spec sp = { .kind = LABEL_TITLE, .font = cc->font, .color = cc->ink, .text = text,
                      .room = { x0, y0, x1, y0 + band(cc) },
                      .x = anchor == ANCHOR_RIGHT ? x1 : anchor == ANCHOR_CENTER ? (x0 + x1) / 2 : x0,
                      .y = base, .anchor = anchor, .maxlines = 1 };
    chart_label_put(cc, &sp);
}

/* Draws the titles of a plot p laid out in b (the chart under its title)
 * with a legend legend_h high at its bottom. */
void chart_frame_draw(chart_ctx *cc, const chart_plot *p, chart_box b, double legend_h)
{
    const rg_chart *c = cc->c;
    const chart_box *a = &p->area;
    double left = b.x, right = b.x + b.w, top = b.y + b.h - band(cc);
    double under = b.y + legend_h;
    if (p->horizontal) {
        if (has(c->category_title)) title(cc, c->category_title, left, right, top, ANCHOR_LEFT);
        if (has(c->value_title)) {
            /* centred under the plot, as far as the chart's width allows */
            double half = fmin(a->x + a->w / 2 - left, right - (a->x + a->w / 2));
            title(cc, c->value_title, a->x + a->w / 2 - half, a->x + a->w / 2 + half, under,
                  ANCHOR_CENTER);
        }
        return;
    }
    int both = has(c->value_title) && p->has_ax2 && has(c->axis2_title);
    double mid = (left + right) / 2;
    if (has(c->value_title)) title(cc, c->value_title, left, both ? mid - 6 : right, top, ANCHOR_LEFT);
    if (p->has_ax2 && has(c->axis2_title))
        title(cc, c->axis2_title, both ? mid + 6 : left, right, top, ANCHOR_RIGHT);
    if (has(c->category_title)) {
        double half = fmin(a->x + a->w / 2 - left, right - (a->x + a->w / 2));
        title(cc, c->category_title, a->x + a->w / 2 - half, a->x + a->w / 2 + half, under,
              ANCHOR_CENTER);
    }
}
