/* model/model.h - the document tree: what a report definition says, after loading
 * and validation, with no layout decisions in it. Stage: model. Everything
 * hangs off the document's arena and is freed with rg_doc_free.
 * Includes no third-party header. Also the locale formatting of typed
 * values (model/format.c). */
#ifndef RG_MODEL_H
#define RG_MODEL_H

#include "base/base.h"

#include <stdint.h>

typedef struct rg_date {
    int year, month, day;          /* 0 when absent */
} rg_date;

/* Inline content is flattened at load time into spans of uniform style. */
enum {
    RG_SPAN_EM = 1,                /* <em>: italic */
    RG_SPAN_STRONG = 2,            /* <strong>: bold */
    RG_SPAN_NOBREAK = 4            /* <nobreak>: never hyphenated nor broken between lines */
};

struct rg_note;

typedef struct rg_span {
    const char *text;              /* UTF-8, whitespace already collapsed */
    size_t len;
    unsigned flags;                /* RG_SPAN_* */
    const char *href;              /* <a href>: link target, else NULL */
    const char *lang;              /* xml:lang in effect when it differs from the document's, else NULL */
    const char *ref;               /* <ref to="id"/>: the id of a table or figure; text is
                                    * empty and layout writes "Tabel 1" / "Figuur 2" */
    /* cross-references (issue 16, xref): what a <ref/> prints */
    int ref_show;                  /* RG_REF_LABEL (0, the default), _NUMBER, _TITLE, _PAGE */
    const struct rg_note *note;    /* <note> (footnotes): its reference mark; text is
                                    * empty and layout writes the note's number */
} rg_span;

/* What a <ref show=> prints (cross-references, issue 16). */
enum { RG_REF_LABEL = 0, RG_REF_NUMBER, RG_REF_TITLE, RG_REF_PAGE };

typedef struct rg_inlines {
    rg_span *spans;
    size_t n;
} rg_inlines;

/* ---- footnotes and endnotes (<note>) ---- */

/* A note: its own inline text (em, strong, nobreak, a; no note, no ref),
 * referred to by one span of running text (rg_span.note) or by a table's
 * cell (rg_table_note). Layout numbers notes in document order. */
typedef struct rg_note {
    rg_inlines text;
    const char *id;                /* id=, or NULL */
    int line;                      /* the <note> element's line */
} rg_note;

/* A <note row= field=> child of <table>: a footnote on one cell. */
typedef struct rg_table_note {
    size_t record;                 /* the record (0-based) whose row gets the mark */
    int col;                       /* the column (index into rg_table.cols) */
    rg_note note;
} rg_table_note;

typedef enum {
    RG_BLOCK_PARA,                 /* text */
    RG_BLOCK_LIST,                 /* children: ITEMs; ordered */
    RG_BLOCK_ITEM,                 /* text = the item's own text; children: nested LISTs / PARAs */
    RG_BLOCK_QUOTE,                /* children: PARAs */
    RG_BLOCK_SECTION,              /* text = title; level; id; children: blocks; foreword;
                                    * appendix */
    RG_BLOCK_TOC,                  /* text = title ("Inhoud"); level = depth of entries */
    RG_BLOCK_COVER,                /* the cover page: content comes from rg_doc.info */
    RG_BLOCK_SIGNATURE,            /* text = name, text2 = role (may be empty) */
    RG_BLOCK_TABLE,                /* table; text = caption; id */
    RG_BLOCK_CHART,                /* chart; text = caption; id */
    RG_BLOCK_PAGEBREAK,            /* <pagebreak/>: what follows starts a new page */
    RG_BLOCK_IMAGE,                /* image; text = caption; id */
    /* text blocks (issue 17, blocks) */
    RG_BLOCK_DEFLIST,              /* <definitions>: children: DEFENTRYs */
    RG_BLOCK_DEFENTRY,             /* <entry>: text = the term, text2 = its definition */
    RG_BLOCK_BOX                   /* <box> (kader): text = title (may be empty); children:
                                    * PARAs, LISTs, QUOTEs, DEFLISTs */
} rg_block_kind;

/* ---- data: typed datasets, shared by tables and charts ---- */

typedef enum {
    RG_FIELD_TEXT,
    RG_FIELD_NUMBER,               /* 1.234.567 */
    RG_FIELD_PERCENT,              /* stored in percent units: 99.8 -> "99,8 %" */
    RG_FIELD_EURO,                 /* stored in the field's unit: 357.4 (mln) -> "€ 357,4 mln" */
    RG_FIELD_DATE                  /* "15 mei 2023" */
} rg_field_type;

typedef struct rg_field {
    const char *name;              /* CSV header / record attribute name */
    const char *label;             /* display label (defaults to name) */
    rg_field_type type;
    int decimals;                  /* digits after the decimal comma; -1 = type default */
    const char *unit;              /* euro: "mln", "k", ...; may be NULL */
} rg_field;

/* ---- exact decimals (issue 17, tables; model/decimal.c) ----
 * A figure as written in the data: units of 10^-scale in a signed 64-bit
 * integer (2.25 is { 225, 2 }), at most RG_DEC_MAX_DIGITS significant
 * digits and RG_DEC_MAX_SCALE digits after the mark. Totals, subtotals and
 * aggregates are computed on these, never through a double. */
enum { RG_DEC_MAX_DIGITS = 18, RG_DEC_MAX_SCALE = 18 };

typedef struct rg_dec {
    int64_t units;
    int scale;                     /* 0..RG_DEC_MAX_SCALE */
} rg_dec;

/* a + b at the larger of their scales into *out. Returns 0, or -1 (out
 * untouched) when the aligned operands or the sum do not fit in int64:
 * refused, never rounded. 999999999999999999 + 1 is exactly 10^18. */
int rg_dec_add(rg_dec a, rg_dec b, rg_dec *out);
/* -1, 0 or 1 as a is below, equal to or above b (exact at any scales). */
int rg_dec_cmp(rg_dec a, rg_dec b);
/* a / n (n > 0) rounded half away from zero to `scale` digits after the
 * mark (an average). Returns 0, or -1 when the result does not fit. */
int rg_dec_div(rg_dec a, int64_t n, int scale, rg_dec *out);
/* The nearest double (for charts and axis scaling only). */
double rg_dec_to_double(rg_dec a);
struct rg_dataset;
/* The exact sum of field `field` over records recs[0..nrecs) of d (recs
 * NULL: all records); missing values are skipped. Returns 0, or -1 when
 * the sum leaves int64 or a value has no exact form; *bad (may be NULL)
 * gets the record where that happened. */
int rg_dec_sum_field(const struct rg_dataset *d, int field, const size_t *recs, size_t nrecs,
                     rg_dec *out, size_t *bad);

typedef struct rg_value {
    int missing;                   /* empty cell */
    double num;                    /* NUMBER, PERCENT, EURO: for charts; tables and prose
                                    * use the exact value below */
    rg_date date;                  /* DATE */
    const char *text;              /* the source text (TEXT: the value itself) */
    /* exact decimals (issue 17, tables) */
    int exact;                     /* dec holds the figure exactly as written */
    rg_dec dec;
} rg_value;

typedef struct rg_dataset {
    const char *id;
    const char *src;               /* CSV file relative to the definition, or NULL (inline) */
    const char *note;              /* e.g. "Illustratieve cijfers", may be NULL */
    int illustrative;              /* the figures are made up for the sample */
    rg_field *fields;
    size_t nfields;
    rg_value *values;              /* nrecords x nfields, row-major */
    size_t nrecords;
    int line;                      /* <dataset> line in the definition */
} rg_dataset;

/* ---- tables ---- */

typedef enum {
    RG_COLALIGN_AUTO,              /* numbers right (decimal-aligned), text left */
    RG_COLALIGN_LEFT,
    RG_COLALIGN_RIGHT,
    RG_COLALIGN_CENTER,
    RG_COLALIGN_DECIMAL
} rg_colalign;

typedef struct rg_column {
    int field;                     /* index into the dataset's fields */
    const char *label;             /* header text (defaults to the field's label) */
    const char *group;             /* header group: consecutive columns with the same
                                    * group share a spanning header cell; may be NULL */
    double width;                  /* > 0: fixed width in points */
    double share;                  /* > 0: relative share of the remaining width */
    rg_colalign align;
    int decimals;                  /* -1 = the field's */
    int merge;                     /* equal consecutive values become one cell (row span) */
    int has_min;                   /* values below min are marked */
    double min;
    int min_field;                 /* >= 0: mark when below this field of the same record */
    int total;                     /* sum this column in the totals row */
} rg_column;

/* rows with roles (issue 17, tables): what a row of a table is. */
typedef enum {
    RG_ROW_RECORD = 0,             /* a record of the data */
    RG_ROW_GROUP,                  /* group-by=: the group's label, spanning the table */
    RG_ROW_SUBTOTAL                /* subtotals="true": the group's sums in total= columns */
} rg_row_kind;

typedef struct rg_table_row {
    rg_row_kind kind;
    int strong;                    /* set in bold (<row emphasis="strong">, group and
                                    * subtotal rows) */
    int indent;                    /* levels its first cell is indented (a group's child) */
    const char *label;             /* GROUP, SUBTOTAL: the first cell's text */
} rg_table_row;

/* A <cell-span row= field= rows= cols=> child of <table> (issue 17): the
 * cell of row `record` (of data) in column `col` covers `rows` rows and
 * `cols` columns; the values it covers are not shown. */
typedef struct rg_table_span {
    size_t record;
    int col;
    int rows, cols;
} rg_table_span;

typedef struct rg_table {
    const rg_dataset *data;
    rg_column *cols;
    size_t ncols;
    int totals;                    /* add a totals row */
    const char *total_label;       /* e.g. "Totaal" */
    /* footnotes on cells (<note row= field=>), in definition order */
    const rg_table_note *notes;
    size_t nnotes;
    /* rows with roles (issue 17, tables): rows[i] says what row i of data
     * is; NULL when every row is a record as given. With group-by= data is
     * derived (group and subtotal rows among the records; subtotals summed
     * exactly) and source is the dataset as defined, else source is NULL. */
    const rg_table_row *rows;
    const rg_dataset *source;
    const rg_table_span *spans;    /* <cell-span>s, in definition order; none overlap */
    size_t nspans;
} rg_table;

/* ---- charts ---- */

typedef enum {
    RG_CHART_BAR,                  /* one series; horizontal or vertical */
    RG_CHART_GROUPED,              /* several series side by side per category */
    RG_CHART_STACKED,              /* several series stacked per category */
    RG_CHART_LINE,                 /* series across categories (e.g. periods) */
    RG_CHART_PIE,
    RG_CHART_DONUT
} rg_chart_type;

enum { RG_MAX_SERIES = 12 };      /* fields drawn per chart: series= and lines= together */

typedef enum { RG_SCALE_LINEAR, RG_SCALE_LOG } rg_chart_scale;
typedef enum { RG_MARKERS_AUTO, RG_MARKERS_ALL, RG_MARKERS_NONE } rg_chart_markers;

typedef struct rg_chart {
    rg_chart_type type;
    int horizontal;                /* bars grow to the right */
    const rg_dataset *data;
    int category;                  /* field index of the category labels */
    int series[RG_MAX_SERIES];     /* field indexes of the values */
    size_t nseries;
    int lines[RG_MAX_SERIES];      /* bar, grouped, stacked: fields drawn as lines over the bars */
    size_t nlines;
    int axis2[RG_MAX_SERIES];      /* fields (all drawn as lines) on a second value axis */
    size_t naxis2;
    rg_chart_scale scale;          /* the value axis (and the second one) */
    int lower_is_better;           /* better="lower": values above the norm are marked */
    rg_chart_markers markers;      /* markers on line points */
    const char *value_title;       /* axis titles, or NULL */
    const char *category_title;
    const char *axis2_title;
    int reference;                 /* field index of a per-category norm, or -1 */
    int has_ref_value;             /* a constant norm line */
    double ref_value;
    const char *ref_label;         /* e.g. "Norm 99,8 %", may be NULL */
    int has_axis_min, has_axis_max;
    double axis_min, axis_max;     /* value axis range; otherwise chosen from the data */
    const char *title;             /* may be NULL */
    const char *alt;               /* text alternative: short description (required) */
    double height;                 /* points; 0 = the layout's default */
    const char *id;                /* the chart's id=, or NULL: names it in warnings */
} rg_chart;

/* ---- images: PNG, JPEG (raster) and an SVG subset (vector) ---- */

typedef enum { RG_IMAGE_PNG, RG_IMAGE_JPEG, RG_IMAGE_SVG } rg_image_format;

/* One segment of a vector path, in the SVG's user units after every
 * transform (y grows DOWN, as in SVG; the viewBox's origin at 0,0). */
typedef enum { RG_VSEG_MOVE, RG_VSEG_LINE, RG_VSEG_CURVE, RG_VSEG_CLOSE } rg_vseg_op;
typedef struct rg_vseg {
    rg_vseg_op op;
    double pts[6];                 /* MOVE/LINE: x y; CURVE: x1 y1 x2 y2 x3 y3 */
} rg_vseg;

/* One painted shape of an SVG: fill (nonzero or evenodd) and/or stroke,
 * solid sRGB colours (0..1), opacity 1. */
typedef struct rg_vpath {
    const rg_vseg *segs;
    size_t nsegs;
    int fill, stroke, evenodd;
    double fill_rgb[3], stroke_rgb[3];
    double line_width;             /* user units, after transforms (uniform scale) */
} rg_vpath;

typedef struct rg_vector {
    double width, height;          /* the viewBox's size in user units (> 0) */
    const rg_vpath *paths;         /* painting order */
    size_t npaths;
} rg_vector;

/* An image a definition or layout names. Raster images keep their file's
 * bytes (the pdf stage decodes or embeds them); an SVG is parsed by the load
 * stage into `vector`. */
typedef struct rg_image {
    const char *src;               /* as written (for messages) */
    const char *path;              /* resolved file path */
    rg_image_format format;
    int width, height;             /* raster: pixels; SVG: 0 */
    int channels;                  /* raster: 1 grey, 3 RGB, 4 CMYK (JPEG); alpha not counted */
    int alpha;                     /* PNG with an alpha channel or tRNS */
    /* raster, filled by image/image.h's rg_image_probe for the pdf stage: */
    int bits;                      /* bits per sample in the file: PNG 1..16, JPEG 8 */
    int progressive;               /* JPEG: progressive (SOF2), else baseline/extended */
    int adobe_transform;           /* JPEG: -1 no Adobe APP14 marker; else its transform:
                                    * 0 none (RGB or CMYK), 1 YCbCr, 2 YCCK. A 4-channel
                                    * JPEG with the marker stores CMYK inverted (Adobe's
                                    * way): the PDF needs /Decode [1 0 1 0 1 0 1 0] */
    int icc_channels;              /* JPEG: the colour space of an embedded ICC profile
                                    * (APP2): 0 none, 1 grey, 3 RGB, 4 CMYK, -1 other */
    int orientation;               /* JPEG: its EXIF orientation (APP1), 1..8 as in TIFF:
                                    * 1 upright (also when absent or unreadable), 6 turned
                                    * 90 degrees clockwise to be seen upright, 3 180, 8 270;
                                    * 2, 4, 5, 7 mirrored. width and height are as stored:
                                    * 5..8 show height wide */
    const unsigned char *data;     /* raster: the whole file, len bytes */
    size_t len;
    const rg_vector *vector;       /* SVG */
    const char *alt;               /* text alternative; NULL when decorative */
    int decorative;                /* an Artifact, no Figure */
    double width_pt;               /* > 0: as given (points) */
    double width_share;            /* > 0: share of the text width (0..1] */
    int line;                      /* the element's line in the definition */
} rg_image;

typedef struct rg_block {
    rg_block_kind kind;
    struct rg_block *next;         /* next sibling */
    struct rg_block *children;     /* first child */
    int line;                      /* line in the definition, for diagnostics */
    const char *id;                /* anchor id (sections, any block with id=), or NULL */
    const char *lang;              /* xml:lang when it differs from the document's, else NULL */
    rg_inlines text;
    rg_inlines text2;
    int level;                     /* SECTION: 1 for top level; TOC: depth */
    int ordered;                   /* LIST: numbered */
    int foreword;                  /* SECTION: the signed foreword (<foreword>) */
    const rg_table *table;         /* TABLE */
    const rg_chart *chart;         /* CHART */
    const rg_image *image;         /* IMAGE */
    /* landscape pages (issue 16) */
    int landscape;                 /* SECTION, TABLE, CHART, IMAGE: page="landscape" (or
                                    * inside a landscape section): set on landscape pages */
    /* appendices (issue 16, xref) */
    int appendix;                  /* SECTION: an <appendix> (level 1, lettered A, B, ...) */
    /* text blocks and layout options (issue 17, blocks) */
    const char *running;           /* SECTION (level 1): header= — what {section} prints in
                                    * the running header and footer on its pages, or NULL.
                                    * (A QUOTE's <attribution> is its text2, empty if none.) */
} rg_block;

typedef struct rg_info {
    const char *title;
    const char *subtitle;          /* may be NULL */
    const char *organisation;
    const char *author;            /* defaults to organisation */
    const char *subject;           /* may be NULL */
    const char *keywords;          /* may be NULL */
    const char *period_id;         /* e.g. "2023-T1" */
    const char *period_label;      /* e.g. "januari t/m april 2023" */
    rg_date period_from, period_to;
    rg_date date;                  /* publication date; 0 when absent */
    const char *contact_href;      /* e.g. "mailto:communicatie@logius.nl", may be NULL */
    const char *contact_text;      /* visible text, may be NULL */
    /* definition lines of the elements above (0 = absent), for diagnostics
     * about where their text is shown (cover, running headers/footers) */
    int title_line, subtitle_line, organisation_line, period_line, date_line, contact_line;
} rg_info;

typedef struct rg_doc {
    rg_arena *arena;
    const char *path;              /* the definition file (its name in diagnostics) */
    const char *base_dir;          /* folder data files are read from; NULL: none */
    const char *lang;              /* xml:lang of <report>, e.g. "nl-NL" */
    const char *layout;            /* layout name ("logius") or path relative to the definition */
    rg_info info;
    rg_block *blocks;              /* top-level blocks in document order */
    rg_dataset *datasets;          /* all datasets, in definition order */
    size_t ndatasets;
    const rg_image *cover_logo;    /* <cover logo=>, else the layout's; NULL: none */
    const rg_image *header_logo;   /* the layout's <header logo=>; NULL: none */
} rg_doc;

/* Frees the document and everything in its arena. Accepts NULL. */
void rg_doc_free(rg_doc *doc);

/* ---- locale formatting of typed values (model/format.c): nl-NL first (decimal
 * comma, thousands dot, "99,8 %", "€ 357,4 mln", "15 mei 2023", minus sign
 * U+2212). Never depends on the C locale. ---- */

typedef struct rg_locale rg_locale;

/* The locale for a BCP 47 tag: "nl", "nl-NL", "nl-BE" give Dutch; "en*"
 * gives English (decimal point, "May 15, 2023"); anything else Dutch.
 * Never NULL; static data. */
const rg_locale *rg_locale_for(const char *lang);

/* Each formatter writes a NUL-terminated UTF-8 string into out (truncated
 * to cap) and returns its length. Rounding is half away from zero on the
 * decimal value written in the data (2.25 -> "2,3", -0.05 -> "−0,1"), and
 * a value that rounds to zero is written without a sign. */
size_t rg_format_number(const rg_locale *loc, double v, int decimals, char *out, size_t cap);
size_t rg_format_percent(const rg_locale *loc, double percent, int decimals, char *out,
                         size_t cap);
/* "€ 357,4 mln"; negatives "−€ 2,5 mln", or "(€ 2,5 mln)" with parentheses. */
size_t rg_format_euro(const rg_locale *loc, double v, int decimals, const char *unit,
                      int parentheses, char *out, size_t cap);
size_t rg_format_date(const rg_locale *loc, rg_date d, char *out, size_t cap);
/* Periods on a time axis: "jan 2023" / "Jan 2023" (month 1-12), and
 * "2023 K2" / "Q2 2023" (quarter 1-4); out of range: "–". */
size_t rg_format_month(const rg_locale *loc, int year, int month, char *out, size_t cap);
size_t rg_format_quarter(const rg_locale *loc, int year, int quarter, char *out, size_t cap);

/* A value of a field, formatted by the field's type; decimals < 0 uses the
 * field's decimals, then the type's default (number 0, percent 1, euro 1).
 * A missing value is written as "–" (en dash). */
size_t rg_format_value(const rg_locale *loc, const rg_field *f, const rg_value *v,
                       int decimals, int parentheses, char *out, size_t cap);

/* How a dataset writes its figures (the numeric part of its dialect,
 * load/data.c): decimal is '.' or ',' (0: either), grouping the digit
 * grouping mark '.' or ',' (0: none; never the decimal mark). declared is
 * 0 when the dataset declares none of them (nor grouping="none"): then a
 * value that reads two ways is refused (RG_NUM_AMBIGUOUS). */
typedef struct rg_numfmt {
    char decimal;
    char grouping;
    int declared;
} rg_numfmt;

typedef enum {
    RG_NUM_OK = 0,
    RG_NUM_INVALID,                /* not a number of the field's type */
    RG_NUM_AMBIGUOUS,              /* nothing declared, and one '.' or ',' after 1-3 digits
                                    * (not starting with 0) and before exactly 3: '1.234' is
                                    * 1234 with grouping and 1.234 with a decimal point
                                    * (*out gets the decimal reading) */
    RG_NUM_GROUPED,                /* digits grouped (1.234,5; 1,234.5; 1.234.567), but fmt
                                    * has no grouping */
    RG_NUM_MISPLACED,              /* fmt's grouping mark not between groups of three digits
                                    * of the integer part (12.34, 1234.567, 0.123 under nl) */
    RG_NUM_WRONG_MARK,             /* the decimal mark fmt does not declare (1.5 under
                                    * decimal ',' without grouping; 1,234,567 under nl) */
    RG_NUM_TOO_PRECISE             /* exact decimals (issue 17): more than RG_DEC_MAX_DIGITS
                                    * significant digits, or more than RG_DEC_MAX_SCALE
                                    * after the mark (rg_parse_exact_as only) */
} rg_num_status;

/* Parses a number as written in data files: optional sign ('-', '+' or
 * U+2212), digits with fmt's decimal mark and digit grouping (grouping in
 * the integer part only, 1.234.567; digits without grouping are accepted
 * too), no exponent, surrounding blanks allowed; for percent fields a
 * trailing '%' and for euro fields a leading '€' are accepted. fmt NULL:
 * '.' or ',' as the decimal mark, no grouping, nothing refused as
 * ambiguous. *out is set on RG_NUM_OK (and RG_NUM_AMBIGUOUS) only. */
rg_num_status rg_parse_number_as(const char *s, size_t len, rg_field_type type,
                                 const rg_numfmt *fmt, double *out);
/* exact decimals (issue 17): rg_parse_number_as that also gives the
 * figure exactly as written into *exact (may be NULL), and refuses one of
 * more digits than an rg_dec holds with RG_NUM_TOO_PRECISE. */
rg_num_status rg_parse_exact_as(const char *s, size_t len, rg_field_type type,
                                const rg_numfmt *fmt, double *out, rg_dec *exact);
/* An exact figure of a field's type (number, percent, euro) formatted as
 * rg_format_value would (decimals < 0: the field's, then the type's),
 * rounded half away from zero on its decimal digits. */
size_t rg_format_exact(const rg_locale *loc, const rg_field *f, rg_dec v, int decimals,
                       int parentheses, char *out, size_t cap);

/* The same with fmt NULL: 0 and *out, or -1. */
int rg_parse_number(const char *s, size_t len, rg_field_type type, double *out);

/* Parses YYYY-MM-DD with a real calendar date. Returns 0 or -1. */
int rg_parse_date(const char *s, size_t len, rg_date *out);

#endif
