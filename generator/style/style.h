/* style/style.h - the house style ("layout" file) as plain data: page geometry,
 * type roles, colours, cover and header/footer templates. Stage: style.
 * Loaded by load/style.c, read by layout. All lengths in points.
 * Includes no third-party header. */
#ifndef RG_STYLE_H
#define RG_STYLE_H

#define RG_NUMBERING_MAX 6     /* levels <blocks numbering=> names at most */

#include "base/base.h"

typedef struct rg_color {
    double r, g, b;                /* 0..1 */
} rg_color;

typedef enum {
    RG_ALIGN_LEFT,
    RG_ALIGN_JUSTIFY,
    RG_ALIGN_CENTER,
    RG_ALIGN_RIGHT
} rg_align;

/* Type roles; the layout file names them as in the comment. */
typedef enum {
    RG_ROLE_BODY,                  /* body */
    RG_ROLE_H1,                    /* h1 */
    RG_ROLE_H2,                    /* h2 */
    RG_ROLE_H3,                    /* h3 */
    RG_ROLE_CAPTION,               /* caption */
    RG_ROLE_HEADER,                /* header */
    RG_ROLE_FOOTER,                /* footer */
    RG_ROLE_COVER_TITLE,           /* cover-title */
    RG_ROLE_COVER_SUBTITLE,        /* cover-subtitle */
    RG_ROLE_COVER_META,            /* cover-meta */
    RG_ROLE_TOC_TITLE,             /* toc-title */
    RG_ROLE_TOC1,                  /* toc-1 */
    RG_ROLE_TOC2,                  /* toc-2 */
    RG_ROLE_QUOTE,                 /* quote */
    RG_ROLE_SIGNATURE,             /* signature */
    RG_ROLE_TABLE,                 /* table: cell text */
    RG_ROLE_TABLE_HEADER,          /* table-header: header cells */
    RG_ROLE_CHART,                 /* chart: axis labels, value labels, legend */
    RG_ROLE_FOOTNOTE,              /* footnote: footnotes and endnotes (issue 16) */
    RG_ROLE_COUNT
} rg_role_id;

typedef struct rg_role {
    const char *family;            /* font family, e.g. "Noto Sans" */
    double size;                   /* font size */
    double leading;                /* baseline-to-baseline distance */
    int bold, italic;
    rg_color color;
    rg_align align;
    double space_before, space_after;
} rg_role;

enum { RG_MAX_FALLBACK = 4 };

/* Series colours a layout gives at most: one per series a chart can draw
 * (RG_MAX_SERIES in model/model.h; chart/chart.c checks that they agree). */
enum { RG_MAX_PALETTE = 12 };

/* The least contrast a chart colour has against the page (white), as WCAG
 * 1.4.11 asks of graphical objects: the loader refuses a palette colour
 * with less. */
#define RG_MIN_CHART_CONTRAST 3.0

/* Where notes are set (<notes placement=>). */
typedef enum {
    RG_NOTES_FOOT,                 /* at the foot of the page of their reference */
    RG_NOTES_CHAPTER,              /* at the end of their top-level section */
    RG_NOTES_DOCUMENT              /* at the end of the report */
} rg_notes_placement;

typedef struct rg_style {
    rg_arena *arena;
    const char *name;              /* layout name, e.g. "logius" */
    const char *path;              /* the layout file it came from */

    /* page */
    double page_w, page_h;
    double margin_top, margin_bottom, margin_left, margin_right;
    double header_offset;          /* page top to header baseline */
    double footer_offset;          /* page bottom to footer baseline */

    rg_role roles[RG_ROLE_COUNT];

    /* colours */
    rg_color ribbon;               /* the dark-blue ribbon of the house style */
    rg_color accent;               /* headings, bullets */
    rg_color rule;                 /* thin rules in header/footer, quote bar */
    rg_color link;                 /* link text */

    /* fallback families tried when a glyph is missing (issue: typography) */
    const char *fallback[RG_MAX_FALLBACK];
    int nfallback;

    /* cover */
    double cover_ribbon_width;     /* vertical ribbon at the cover's left edge (0: none) */
    double cover_band_height;      /* coloured band behind the title (0: none) */
    const char *cover_wordmark;    /* template set under the ribbon, e.g. "Logius" or
                                    * "{organisation}" (fields {title} {subtitle}
                                    * {organisation} {period}); may be NULL */

    /* running header/footer templates: fields {title} {subtitle}
     * {organisation} {period} {section} {page} {pages}; NULL or "" = none */
    const char *cover_logo;        /* logo file relative to the layout's folder, or NULL */
    const char *header_logo;       /* the same for the running header */
    const char *header_left, *header_right;
    const char *footer_left, *footer_right;
    int header_rule, footer_rule;  /* draw a thin rule under the header / over the footer */
    int cover_line, header_line, footer_line;   /* lines of <cover>, <header>, <footer> in
                                                 * the layout file (0: absent) */

    /* blocks */
    double paragraph_gap;          /* extra space between paragraphs */
    double list_indent;            /* indent per list level */
    double list_gap;               /* space between list items */
    const char *bullet;            /* UTF-8 marker for level-1 items, e.g. "•" */
    const char *bullet2;           /* marker for deeper levels, e.g. "–" */
    /* ordered lists' numbers per nesting level, repeating after the last:
     * kind '1' (1, 2), 'a'/'A' (a, b .. z, aa), 'i'/'I' (roman), each with
     * its suffix ('.', ')' or none); "1. a. i." by default */
    struct rg_numbering { char kind, suffix; } numbering[RG_NUMBERING_MAX];
    int nnumbering;
    double quote_indent;
    int h1_new_page;               /* every top-level section starts a page */
    int h2_new_page, h3_new_page;  /* same for deeper levels */
    int number_sections;           /* "1", "1.2" before headings and in the TOC */
    double toc_indent;             /* indent per TOC level */
    int toc_tables_figures;        /* list tables and figures after the TOC's sections */

    /* typography */
    int hyphenate;                 /* hyphenate text whose language has patterns */
    int hyphen_min_word;           /* shortest word hyphenated, in characters (e.g. 6) */
    int hyphen_left, hyphen_right; /* characters kept before / after a hyphen (2, 3) */
    int hyphen_max_run;            /* hyphenated lines in a row at most (2) */
    double max_word_space;         /* justified text: widest word space as a multiple of
                                    * the natural one (e.g. 2.0); wider only when nothing
                                    * else fits, with a warning */
    int orphans, widows;           /* lines kept at a page's foot / carried to its head (2) */

    /* captions: "Tabel 1 Beschikbaarheid per voorziening" */
    const char *table_prefix;      /* "Tabel" */
    const char *figure_prefix;     /* "Figuur" */
    /* appendices and cross-references (issue 16, xref) */
    const char *appendix_prefix;   /* "Bijlage": "Bijlage A" */
    const char *appendices_title;  /* "Bijlagen": their heading in the TOC and outline */
    const char *chapter_prefix;    /* "hoofdstuk": a ref's label of a level-1 section */
    const char *section_prefix;    /* "paragraaf": a ref's label of a deeper section */
    const char *note_prefix;       /* "noot": a ref's label of a footnote ("noot 3") */

    /* tables */
    double cell_pad_x, cell_pad_y;
    rg_color table_header_fill;    /* header row background */
    rg_color table_zebra_fill;     /* every other body row */
    int table_zebra;               /* 0: no zebra rows */
    rg_color table_rule;           /* horizontal rules */
    double table_rule_width;
    rg_color table_total_fill;     /* totals row background */
    rg_color mark_color;           /* values below their norm */
    const char *mark_sign;         /* put after a marked value, e.g. " ▼" (never colour alone) */
    const char *mark_alt;          /* what readers of the tags get for the sign, e.g. "onder
                                    * de norm" (in the language of the layout's labels) */
    int mark_bold;                 /* marked values also in bold */
    int negative_parentheses;      /* "(€ 2,5 mln)" instead of "−€ 2,5 mln" */
    /* tables with structure (issue 17) */
    int table_continued_caption;   /* a table's caption with "(vervolg)" above its repeated
                                    * header on every page after its first */
    double table_min_size;         /* the smallest body size a table is set at to fit
                                    * its columns (its header and padding shrink with it) */

    /* charts */
    rg_color palette[RG_MAX_PALETTE];   /* series colours, each >= 3:1 on white */
    int npalette;
    rg_color chart_axis, chart_grid, chart_reference;
    double chart_height;           /* default chart height */

    /* footnotes and endnotes (<notes placement= numbering=>, issue 16) */
    rg_notes_placement notes_placement;
    int notes_per_chapter;         /* numbering="chapter": 1, 2, ... again per top-level section */

    /* layout options (issue 17, blocks) */
    const char *header_center, *footer_center;  /* <header center=>, <footer center=>:
                                                 * templates as left and right; NULL none */
    int captions_unnumbered;       /* <captions numbered="false">: no "Tabel 1" before
                                    * captions (0, the default: numbered) */
    int cover_no_date;             /* <cover date="false">: no date on the cover (0: shown) */
} rg_style;

void rg_style_free(rg_style *style);     /* accepts NULL */

/* WCAG 2.x relative luminance of c (0 black .. 1 white): sRGB channels
 * linearised (c / 12.92 up to 0.03928, else ((c + 0.055) / 1.055)^2.4),
 * weighted 0.2126 R + 0.7152 G + 0.0722 B. */
double rg_color_luminance(rg_color c);

/* WCAG contrast ratio of a and b, (L1 + 0.05) / (L2 + 0.05) with L1 the
 * lighter: 1 (the same) to 21 (black on white); symmetric. */
double rg_color_contrast(rg_color a, rg_color b);

/* The palette used when a layout names no chart colours: RG_MAX_PALETTE
 * colours, each at least RG_MIN_CHART_CONTRAST on white, the first two as
 * far apart from each other. */
extern const rg_color rg_default_palette[RG_MAX_PALETTE];

#endif
