/* chart/internal.h - what the chart stage's files share (chart/chart.c: setup, text,
 * legend, data access; chart/axis.c: value axis; chart/bar.c: bars;
 * chart/line.c: lines; chart/pie.c: pie and donut). Not for other stages. */
#ifndef RG_CHART_IMP_H
#define RG_CHART_IMP_H

#include "chart.h"
#include "fonts/fonts.h"

/* Path segments in one hatch pattern: bounds the scratch memory a huge
 * marked bar can take (2048 hatch lines at 3,5 pt cover any page). */
enum { CHART_MAX_SEGS = 4096 };

typedef struct chart_box {
    double x, y, w, h;             /* bottom-left corner, PDF coordinates */
} chart_box;

typedef struct chart_ctx {
    rg_ctx *ctx;
    rg_dl *dl;
    size_t page;
    const rg_chart *c;
    const rg_style *st;
    const rg_locale *loc;
    const char *lang;
    rg_arena *scratch;             /* shaped text; freed when the chart is drawn */
    const rg_font *font, *bold;
    double size, lead, cap;        /* label size, line height, cap height (points) */
    rg_color ink, axis, grid, ref, mark, mark_line;
    rg_color pal[8];
    int npal;
    char sign[16];                 /* the mark sign, usable with font */
    size_t ncat;                   /* records = categories */
} chart_ctx;

typedef struct value_axis {
    double min, max;               /* the range drawn */
    double step;                   /* tick step, 1-2-5 × 10^e */
    int decimals;                  /* digits for tick labels */
    int broken;                    /* does not include zero: a break mark is drawn */
    int ok;                        /* 0: nothing finite to draw */
} value_axis;

/* a plot area with its value axis; horizontal: values grow to the right
 * and categories run top to bottom */
typedef struct chart_plot {
    chart_box area;
    int horizontal;
    value_axis ax;
} chart_plot;

typedef enum { ANCHOR_LEFT, ANCHOR_CENTER, ANCHOR_RIGHT } chart_anchor;

/* ---- chart/chart.c ---- */
int chart_value(const chart_ctx *cc, size_t rec, int field, double *out);
const rg_field *chart_field(const chart_ctx *cc, int field);
void chart_category(const chart_ctx *cc, size_t rec, char *out, size_t cap);
void chart_format(const chart_ctx *cc, int field, double v, char *out, size_t cap);
int chart_norm(const chart_ctx *cc, size_t rec, double *out);
rg_color chart_color(const chart_ctx *cc, size_t series);

double chart_text_width(chart_ctx *cc, const rg_font *f, const char *s);
void chart_text(chart_ctx *cc, const rg_font *f, rg_color col, const char *s, double x,
                double y, chart_anchor a);
int chart_text_lines(chart_ctx *cc, const rg_font *f, const char *s, double width);
void chart_category_fit(chart_ctx *cc, double slot, size_t *every, int *lines);
void chart_text_box(chart_ctx *cc, const rg_font *f, const char *s, double x, double y,
                    double width, chart_anchor a, int maxlines);

int chart_finite(const double *v, size_t n);
void chart_rect(chart_ctx *cc, double x, double y, double w, double h, rg_color fill);
void chart_line(chart_ctx *cc, double x1, double y1, double x2, double y2, rg_color col,
                double lw, double dash);
void chart_path(chart_ctx *cc, const rg_dl_path *p);
void chart_hatch(chart_ctx *cc, double x, double y, double w, double h, rg_color col);
void chart_marked_rect(chart_ctx *cc, double x, double y, double w, double h);
void chart_marker(chart_ctx *cc, int shape, double x, double y, double r, rg_color col);

/* legend: entries flow in rows under the plot */
typedef enum { SWATCH_FILL, SWATCH_MARK, SWATCH_REF, SWATCH_REF_TICK, SWATCH_LINE } swatch_kind;
typedef struct legend_entry {
    swatch_kind kind;
    rg_color color;
    int shape;                     /* SWATCH_LINE: marker shape */
    char label[160];
} legend_entry;
double chart_legend_height(chart_ctx *cc, const legend_entry *e, size_t n, double w);
void chart_legend_draw(chart_ctx *cc, const legend_entry *e, size_t n, double x, double y_top,
                       double w);
size_t chart_legend_common(chart_ctx *cc, legend_entry *e, size_t n, int marked);
void chart_no_data(chart_ctx *cc, chart_box b);

/* ---- chart/axis.c ---- */
typedef enum { TRUNC_NEVER, TRUNC_PERCENT, TRUNC_CLUSTERED } chart_trunc;
void chart_axis_choose(chart_ctx *cc, double lo, double hi, chart_trunc t, double len,
                       value_axis *ax);
double chart_vpos(const chart_plot *p, double v);
double chart_vbase(const chart_plot *p);
double chart_tick_label_width(chart_ctx *cc, const value_axis *ax);
void chart_axis_draw(chart_ctx *cc, const chart_plot *p);
void chart_axis_lines(chart_ctx *cc, const chart_plot *p);

/* ---- chart/bar.c, chart/line.c, chart/pie.c ---- */
void chart_bars(chart_ctx *cc, chart_box b);
void chart_lines(chart_ctx *cc, chart_box b);
void chart_pie(chart_ctx *cc, chart_box b);

#endif
