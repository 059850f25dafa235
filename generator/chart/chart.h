/* chart.h - charts as vector primitives: a dataset and a chart spec become
 * rectangles, paths and shaped labels in the display list (axes, ticks,
 * grid, bars, lines, slices, reference line, value labels, legend).
 * Stage: chart. Uses the text stage for labels; no third-party headers.
 * Every text is drawn in a RG_BOX_LABEL box of the room it has, inside the
 * chart's box, with its whole text as its source. One that does not fit
 * is broken at its spaces and after hard hyphens, then hyphenated (the
 * chart's language); category labels under a plot too dense for them
 * upright are turned by 45 degrees (the plot giving up the height they
 * take); only then is a label shortened with "…" (or left out), or, on a
 * dense axis, only every n-th category labelled, and the chart warns
 * once.
 * Implementation: chart/chart.c (entry, legend), chart/label.c (fitting
 * and drawing every text), chart/axis.c (the value axes: linear or
 * logarithmic, the second axis), chart/bar.c, chart/combo.c (lines over
 * bars), chart/line.c, chart/timeaxis.c (a line chart's dates),
 * chart/titles.c (axis titles), chart/pie.c (pie and donut). */
#ifndef RG_CHART_H
#define RG_CHART_H

#include "base/base.h"
#include "dlist/dlist.h"
#include "model/model.h"
#include "style/style.h"

/* How warnings name chart c: "chart 'id'", else "chart \"title\"" (its
 * first 60 bytes), else "chart". Cannot fail; out is always terminated. */
void rg_chart_name(const rg_chart *c, char *out, size_t cap);

/* The height the chart takes at width w: c->height, else the layout's
 * chart_height. Cannot fail. */
double rg_chart_height(const rg_chart *c, const rg_style *st, double w);

/* Draws chart c on page `page` of dl inside the box whose top-left corner is
 * (x, y_top) (PDF coordinates, y grows upwards) with width w and height h.
 * Colours from st->palette/chart_*, series beyond the first two (or the
 * first, when its palette's first two colours are less than 3:1 apart)
 * also told apart by a pattern, adjacent fills parted by white rules
 * (chart/internal.h, "Series looks"); text in st's chart role, shaped with
 * the text stage and hyphenated in language lang (the hyphen stage's
 * patterns, st's minimums), numbers formatted with loc. Missing
 * values are skipped (a gap), never drawn as zero. Labels shortened or left
 * out, and categories labelled every n-th, are one warning naming the
 * chart (c->id, else its title). Returns RG_OK, or
 * RG_EX_UNAVAILABLE when the chart role's font is missing, after a
 * diagnostic. */
rg_status rg_chart_draw(rg_ctx *ctx, rg_dl *dl, size_t page, const rg_chart *c,
                        const rg_style *st, const rg_locale *loc, const char *lang,
                        double x, double y_top, double w, double h);

#endif
