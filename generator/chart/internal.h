/* chart/internal.h - what the chart stage's files share (chart/chart.c: setup,
 * legend, data access, marks, series looks and the fills drawn with
 * them, how category labels under a plot are set; chart/label.c: every
 * text, fitted to its room - broken, hyphenated, turned, shortened;
 * chart/axis.c: the value axes - linear or log, and the second axis -
 * through which every value is mapped (chart_vpos_on); chart/bar.c: bars;
 * chart/combo.c: lines over bars; chart/line.c: lines; chart/timeaxis.c:
 * a line chart's time axis; chart/titles.c: axis titles and the room they
 * take; chart/pie.c: pie and donut). Not for other stages. */
#ifndef RG_CHART_IMP_H
#define RG_CHART_IMP_H

#include "chart.h"
#include "fonts/fonts.h"
#include "text/text.h"

/* Path segments in one path of a hatch pattern: bounds the scratch memory
 * a huge bar or slice takes (a pattern flushes a path when it is full and
 * spaces its lines wider on a shape larger than any page holds). */
enum { CHART_MAX_SEGS = 4096 };

/* radians per degree (label angles are in degrees, as the display list's) */
#define CHART_RADIANS (3.14159265358979323846 / 180)

/* Hatch patterns a series can carry (besides none): enough that 12
 * series sharing one colour still each look different. */
enum { CHART_NPATTERNS = 11 };

typedef struct chart_box {
    double x, y, w, h;             /* bottom-left corner, PDF coordinates */
} chart_box;

typedef struct chart_room {
    double x0, y0, x1, y1;         /* PDF coordinates */
} chart_room;

/* the ink of a label's line: its box and, when the label is turned, the
 * corners of its turned ink box, in order around (the box is theirs) */
typedef struct chart_ink {
    chart_room box;
    int turned;
    double qx[4], qy[4];
} chart_ink;

/* what a label is, for the warning that counts the labels shortened or
 * left out */
typedef enum {
    LABEL_TITLE, LABEL_CATEGORY, LABEL_VALUE, LABEL_TICK, LABEL_LEGEND, LABEL_SLICE,
    LABEL_NOTE, LABEL_NKINDS
} label_kind;

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
    rg_color pal[RG_MAX_PALETTE];
    int npal;
    int nplain;                    /* series drawn without a pattern (chart_series_look) */
    chart_room fills[RG_MAX_SERIES];   /* the last bar fills drawn, for the white rules */
    size_t nfills;                 /* between neighbours (a ring: fills drawn in all) */
    rg_path_seg *hatch;            /* CHART_MAX_SEGS, for every pattern (made once) */
    char sign[16];                 /* the mark sign, usable with font */
    size_t ncat;                   /* records = categories */
    chart_room box;                /* the chart's box: no label leaves it */
    chart_ink *placed;             /* inks of the label lines drawn so far */
    size_t nplaced, placed_cap;
    size_t nshort[LABEL_NKINDS], nleft[LABEL_NKINDS], nshort_all;
    const char *first_short;       /* the first label shortened, as drawn */
    size_t cat_every;              /* > 1: only every n-th category labelled */
} chart_ctx;

typedef struct value_axis {
    double min, max;               /* the range drawn */
    double step;                   /* tick step, 1-2-5 × 10^e (log: the lowest tick) */
    int decimals;                  /* digits for tick labels (log: per tick) */
    int broken;                    /* does not include zero: a break mark is drawn */
    int own_min, own_max;          /* the author's axis-min / axis-max */
    int ok;                        /* 0: nothing finite to draw */
    int field;                     /* tick labels are formatted like this field's values */
    rg_chart_scale scale;          /* RG_SCALE_LOG: positions by log10, no zero */
    int log_sub;                   /* log: 1 ticks at powers of ten, 3 also at 2 and 5 */
    int log_every;                 /* log: a tick at every n-th power of ten only */
} value_axis;

/* a plot area with its value axis (and the second axis at its right, when
 * has_ax2); horizontal: values grow to the right and categories run top to
 * bottom */
typedef struct chart_plot {
    chart_box area;
    int horizontal;
    value_axis ax;
    value_axis ax2;
    int has_ax2;
} chart_plot;

typedef enum { ANCHOR_LEFT, ANCHOR_CENTER, ANCHOR_RIGHT } chart_anchor;

/* ---- chart/label.c ----
 * A label asks for room and a place: its lines are anchored within
 * [x, x + span] (span 0: at the point x) with the first baseline at y and
 * the next ones a line lower, broken to width (0: the room's width) in at
 * most maxlines lines: at spaces and after hard hyphens, else with its
 * words hyphenated too (an inserted hyphen ends the line, its run
 * RG_RUN_HYPHEN with the rest of the word). Its ink must stay inside room
 * (clipped to the chart's box; it is moved inside when it stands out and
 * fits); when it does not fit even hyphenated its last line is shortened
 * with "…", unless whole (numbers), when it does not fit at all. A label
 * may be turned (angle: see label_spec); its ink is then its lines'
 * turned ink boxes, and labels clash where those do, as the layout
 * checker sees them. */
enum { LABEL_MAX_LINES = 3 };

typedef struct label_spec {
    label_kind kind;
    const rg_font *font;
    rg_color color;
    const char *text;
    chart_room room;
    double x, y, span;
    chart_anchor anchor;
    double width;
    int maxlines;
    int whole;                     /* never shortened: left out instead */
    int fixed;                     /* never moved into its room: left out instead */
    double angle;                  /* degrees counter-clockwise, 0: upright. A turned label
                                    * (a dense axis's category label) is set flush right,
                                    * its lines' ends on one line, and turned about them:
                                    * the middle of its lines' ends at x, the top of its
                                    * ink at y (span and anchor unused). It is never moved:
                                    * where its turned ink stands out of room it is broken
                                    * narrower, and shortened last. */
} label_spec;

typedef struct label_line {
    const rg_line *ln;
    size_t base;                   /* its pieces' src + base = offset in the label's text */
    size_t end;                    /* where the label's text it shows ends (a shortened
                                    * line's: before its ellipsis) */
    int shortened;                 /* ends with the ellipsis */
    double x, y;                   /* pen origin (a turned line's: its turned baseline's start) */
    int has_ink;
    chart_ink ink;
} label_line;

typedef struct chart_label {
    label_kind kind;
    const rg_font *font;
    rg_color color;
    const char *text;              /* as drawn: white space made single spaces */
    size_t len;
    chart_room room;
    label_line lines[LABEL_MAX_LINES];
    int nlines;
    int shortened, ok;
    double angle;                  /* label_spec's */
    int has_ink;
    chart_room ink;                /* the box of its lines' inks */
} chart_label;

/* The lines s takes as a label broken to width, at most maxlines. */
int chart_label_lines(chart_ctx *cc, const rg_font *f, const char *s, double width,
                      int maxlines);
/* The same, and whether it had to be shortened (or does not fit at all)
 * and its widest line (each may be NULL). */
int chart_label_measure(chart_ctx *cc, const rg_font *f, const char *s, double width,
                        int maxlines, int *shortened, double *widest);
/* Raises *asc and *desc to how far s's ink reaches above and below its
 * baseline set on one line. */
void chart_label_ink_height(chart_ctx *cc, const rg_font *f, const char *s, double *asc,
                            double *desc);
/* Fits the label to its room; 1 when it can be drawn (l->ok). */
int chart_label_fit(chart_ctx *cc, chart_label *l, const label_spec *sp);
/* 1 when a fitted label touches no label drawn so far / each other */
int chart_label_free(const chart_ctx *cc, const chart_label *l);
int chart_label_clashes(const chart_label *a, const chart_label *b);
/* Draws a fitted label in a RG_BOX_LABEL box of its room, with its text
 * as the runs' paragraph; counts it when shortened. */
void chart_label_draw(chart_ctx *cc, const chart_label *l);
/* Counts a label that had to be left out (for the warning). */
void chart_label_left_out(chart_ctx *cc, label_kind k);
/* Fit, and draw when it is free, else count it left out; 1 when drawn. */
int chart_label_put(chart_ctx *cc, const label_spec *sp);
/* The chart's one warning: labels shortened or left out, categories
 * labelled every n-th. */
void chart_labels_report(chart_ctx *cc);

/* ---- chart/chart.c ---- */
int chart_value(const chart_ctx *cc, size_t rec, int field, double *out);
const rg_field *chart_field(const chart_ctx *cc, int field);
const char *chart_category(const chart_ctx *cc, size_t rec, char *buf, size_t cap);
void chart_format(const chart_ctx *cc, int field, double v, char *out, size_t cap);
int chart_norm(const chart_ctx *cc, size_t rec, double *out);
int chart_off_norm(const chart_ctx *cc, double v, double n);
int chart_english(const chart_ctx *cc);
const char *chart_mark_text(const chart_ctx *cc);

/* Series looks. Series s (a pie's slice s) takes palette colour s, round
 * again after the last, and pattern 0 (none) when s < cc->nplain, else 1 +
 * (s - nplain) % CHART_NPATTERNS: a white hatch over its fills (dots,
 * horizontal, vertical, falling diagonal, grid, lattice, then wide stripes,
 * big dots and a wide grid), a dash on its lines; its legend swatch shows
 * the same. So the (colour, pattern) pair differs for every series up to 12
 * whatever the palette's size. nplain is 2 when the palette's first two
 * colours are RG_MIN_CHART_CONTRAST apart (told apart by lightness, WCAG
 * 1.4.1), else 1: every later series carries a cue besides its hue. The mark
 * of a bar under its norm (chart_marked_rect) keeps a look no series has:
 * the mark colour, a rising 45° white hatch and a dark outline; series
 * patterns never use the rising diagonal alone and have no outline. */
typedef struct series_look {
    rg_color color;
    int pattern;                   /* 0: plain; 1..CHART_NPATTERNS */
} series_look;
series_look chart_series_look(const chart_ctx *cc, size_t s);
rg_color chart_color(const chart_ctx *cc, size_t series);    /* its colour */
/* black or white, whichever stands out more from series s's colour */
rg_color chart_series_ink(const chart_ctx *cc, size_t s);
/* the dash of series s's lines: on, off (0, 0: solid) */
void chart_series_dash(const chart_ctx *cc, size_t s, double *on, double *off);
/* A bar or stacked segment of series s: its fill, its pattern, and a white
 * rule (CHART_RULE) along every edge it shares with one of the last
 * RG_MAX_SERIES fills drawn (a grouped neighbour, the segment below), so
 * that adjacent colours never touch. */
void chart_series_rect(chart_ctx *cc, size_t s, double x, double y, double w, double h);
/* Behind a label l fitted inside a fill of series s: a plate of the
 * fill's colour over its pattern, so that the text stands on the colour
 * alone (nothing for a plain series). */
void chart_series_plate(chart_ctx *cc, size_t s, const chart_label *l);
/* A pie or donut slice of series s (a closed path): its fill, its
 * pattern, and its outline stroked white (CHART_SLICE_RULE). */
void chart_series_shape(chart_ctx *cc, size_t s, const rg_path_seg *segs, size_t n);
#define CHART_RULE 0.75            /* points: between bars and stacked segments */
#define CHART_SLICE_RULE 1.0       /* points: around slices */

double chart_text_width(chart_ctx *cc, const rg_font *f, const char *s);
const char *chart_strf(chart_ctx *cc, const char *fmt, ...);
enum { TEXT_WHOLE = 1, TEXT_FIXED = 2, TEXT_QUIET = 4 };
int chart_text_in(chart_ctx *cc, label_kind k, const rg_font *f, rg_color col, const char *s,
                  double x, double y, chart_anchor a, chart_room room, int flags);
/* How the category labels under a plot (vertical bars, lines) are set: */
typedef struct chart_cats {
    double slot;                   /* one category's width */
    size_t every;                  /* > 1: only every n-th category labelled */
    int lines;                     /* lines a label takes at most (1..3) */
    double angle;                  /* 0: upright, centred under their slots; else turned
                                    * (45: reading upwards, ending under their slot's middle) */
    double width;                  /* turned: the lines' width */
    double depth;                  /* the height they take under the axis */
} chart_cats;
/* chooses that for a plot of ncat slots across [*x, *x + *w] in a chart
 * area height high (turned labels may move the plot's left edge right:
 * *x, *w); */
void chart_category_fit(chart_ctx *cc, double *x, double *w, double height, chart_cats *k);
/* draws category label s under x (its slot's middle): upright with its
 * first baseline at y, in [bottom, top]; turned with its ink's top at
 * y + cc->size. 1 when drawn. */
int chart_category_put(chart_ctx *cc, const chart_cats *k, const char *s, double x, double y,
                       double top, double bottom);

int chart_finite(const double *v, size_t n);
void chart_rect(chart_ctx *cc, double x, double y, double w, double h, rg_color fill);
void chart_line(chart_ctx *cc, double x1, double y1, double x2, double y2, rg_color col,
                double lw, double dash);
void chart_path(chart_ctx *cc, const rg_dl_path *p);
void chart_hatch(chart_ctx *cc, double x, double y, double w, double h, rg_color col);
void chart_marked_rect(chart_ctx *cc, double x, double y, double w, double h);
void chart_marker(chart_ctx *cc, int shape, double x, double y, double r, rg_color col);
void chart_marked_marker(chart_ctx *cc, int shape, double x, double y, double r);

/* legend: entries flow in rows under the plot */
typedef enum { SWATCH_FILL, SWATCH_MARK, SWATCH_REF, SWATCH_REF_TICK, SWATCH_LINE,
               SWATCH_MARK_POINT } swatch_kind;
enum { MARKED_BARS = 1, MARKED_POINTS = 2 };   /* chart_legend_common's marked */
typedef struct legend_entry {
    swatch_kind kind;
    size_t series;                 /* SWATCH_FILL, SWATCH_LINE: whose look (chart_series_look) */
    int shape;                     /* SWATCH_LINE: marker shape; -1 none (markers="none") */
    const char *label;             /* whole; shortened where drawn when it must be */
} legend_entry;
double chart_legend_height(chart_ctx *cc, const legend_entry *e, size_t n, double w);
void chart_legend_draw(chart_ctx *cc, const legend_entry *e, size_t n, double x, double y_top,
                       double w);
size_t chart_legend_common(chart_ctx *cc, legend_entry *e, size_t n, int marked);
void chart_no_data(chart_ctx *cc, chart_box b);

/* ---- chart/axis.c ---- */
/* TRUNC_NEVER: zero always on the axis (bars); TRUNC_CLUSTERED: values
 * well away from zero get an axis near them (lines) */
typedef enum { TRUNC_NEVER, TRUNC_CLUSTERED } chart_trunc;
void chart_axis_choose(chart_ctx *cc, double lo, double hi, chart_trunc t, double len,
                       value_axis *ax);
int chart_axis_extend_down(value_axis *ax);
int chart_axis_beyond(const value_axis *ax, double v);
double chart_vpos(const chart_plot *p, double v);
double chart_vpos_on(const chart_plot *p, const value_axis *ax, double v);
double chart_vbase(const chart_plot *p);
double chart_tick_label_width(chart_ctx *cc, const value_axis *ax);
void chart_axis_draw(chart_ctx *cc, const chart_plot *p);
void chart_axis_lines(chart_ctx *cc, const chart_plot *p);
/* the second value axis (axis2=): its fields map through it */
int chart_on_axis2(const chart_ctx *cc, int field);
const value_axis *chart_field_axis(const chart_ctx *cc, const chart_plot *p, int field);
double chart_field_vpos(const chart_ctx *cc, const chart_plot *p, int field, double v);
void chart_axis2_choose(chart_ctx *cc, const value_axis *ax1, chart_trunc t, double len,
                        value_axis *ax2);
double chart_axis2_width(chart_ctx *cc, const value_axis *ax2);
void chart_axis2_draw(chart_ctx *cc, const chart_plot *p);

/* values beyond the author's axis-min (side -1) or axis-max (side 1),
 * for the chart's warning */
typedef struct axis_cuts {
    size_t n[2];                   /* below axis-min, above axis-max */
    char list[2][600];             /* the first few: "C: 80; D: 95" */
} axis_cuts;
void chart_cut_note(chart_ctx *cc, axis_cuts *k, int side, size_t rec, int field, double v);
void chart_cut_report(chart_ctx *cc, const axis_cuts *k, const char *one, const char *many,
                      const char *how);

/* ---- chart/bar.c, chart/line.c, chart/pie.c ---- */
void chart_bars(chart_ctx *cc, chart_box b);
void chart_lines(chart_ctx *cc, chart_box b);
void chart_pie(chart_ctx *cc, chart_box b);
/* markers at every n-th point (0: none) of nlines lines of at most `most`
 * points, slot apart: markers= "all" 1, "none" 0, "auto" unless they
 * would crowd (chart/line.c) */
size_t chart_marker_every(const chart_ctx *cc, size_t most, size_t nlines, double slot);
void chart_polyline(chart_ctx *cc, const chart_plot *p, const value_axis *ax, const double *x,
                    const double *v, const unsigned char *brk, size_t n, rg_color col, double lw,
                    double dash, double dash_off);

/* ---- chart/combo.c: lines= over bars ---- */
const char *chart_series_label(chart_ctx *cc, int field);
size_t chart_combo_scan(const chart_ctx *cc, double *lo, double *hi);
size_t chart_combo_legend(chart_ctx *cc, legend_entry *e, size_t n);
void chart_combo_draw(chart_ctx *cc, const chart_plot *p);

/* ---- chart/timeaxis.c: a line chart's dates ---- */
typedef struct chart_time {
    double *day;                   /* per record: its date as a day number, NAN without one */
    size_t *order;                 /* the records with a date, by date (equal dates in order) */
    size_t n;                      /* how many records have a date */
    unsigned char *gap;            /* per place in order: a date is missing before it */
    double d0, d1;                 /* the first and the last date */
    int stamp;                     /* 12, 3, 1: dates stand for their year, quarter, month */
} chart_time;
/* 1 when the category is a date field with a date: t then places points */
int chart_time_setup(chart_ctx *cc, chart_time *t);
double chart_time_x(const chart_time *t, const chart_box *a, size_t rec);
void chart_time_draw(chart_ctx *cc, const chart_time *t, const chart_box *a, double bottom);

/* ---- chart/titles.c: axis titles, and the room they and the second axis take ---- */
chart_box chart_frame_room(chart_ctx *cc, const chart_plot *p, chart_box b, double *bottom);
void chart_frame_draw(chart_ctx *cc, const chart_plot *p, chart_box b, double legend_h);

#endif
