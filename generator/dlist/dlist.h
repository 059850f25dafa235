/* dlist/dlist.h - the display list: the contract between layout and the pdf
 * writer. Plain data: pages of positioned glyph runs, rectangles, paths,
 * link areas, destinations and structure marks, plus document-level
 * outline, page labels and metadata. Coordinates are PDF points with the
 * origin at the page's bottom-left. Everything lives in the list's arena.
 * Includes no third-party header. */
#ifndef RG_DLIST_H
#define RG_DLIST_H

#include "base/base.h"
#include "style/style.h"         /* rg_color */

typedef struct rg_font rg_font;

/* One shaped glyph. Positions in font units of the run's font (HarfBuzz
 * scale = upem); x_advance includes any justification added by layout. */
typedef struct rg_glyph {
    uint32_t gid;
    uint32_t cluster;              /* byte offset into the run's text where its cluster starts */
    int32_t x_advance, x_offset, y_offset;
} rg_glyph;

typedef enum {
    RG_DL_GLYPHS,
    RG_DL_RECT,
    RG_DL_PATH,
    RG_DL_LINK,
    RG_DL_DEST,
    RG_DL_ARTIFACT_BEGIN,          /* headers, footers, decoration */
    RG_DL_ARTIFACT_END,
    RG_DL_IMAGE                    /* a raster picture scaled into a box */
} rg_dl_kind;

typedef struct rg_dl_glyphs {
    const rg_font *font;
    double size;
    rg_color color;
    double x, y;                   /* pen origin on the baseline */
    const rg_glyph *glyphs;
    size_t nglyphs;
    const char *text;              /* UTF-8 text the glyphs stand for */
    size_t text_len;               /* clusters index into it; a cluster runs to the next cluster or text_len */
    /* provenance (for the layout checker; the pdf stage ignores it) */
    int para;                      /* source paragraph (rg_dl.paras), -1 = none recorded */
    size_t src;                    /* byte offset of text in the paragraph's text;
                                    * for an inserted hyphen: where the line broke */
    unsigned flags;                /* RG_RUN_* */
    /* a word hyphenated at a line end (RG_RUN_HYPHEN, RG_RUN_CONTINUES) */
    const char *rest;              /* RG_RUN_HYPHEN: the rest of the word, the text the next
                                    * line starts with (rest_len bytes), or NULL */
    size_t rest_len;
    size_t cont_len;               /* RG_RUN_CONTINUES: the first cont_len bytes of text
                                    * are the rest given by the hyphen before */
    double angle;                  /* degrees, counter-clockwise: the run is turned about its
                                    * pen origin (x, y), its baseline running along
                                    * (cos, sin) from there; 0 = horizontal: all text but
                                    * the category labels of a dense chart axis
                                    * (rg_dl_rotate_next) */
} rg_dl_glyphs;

/* Glyph-run flags: compromises the layout made (HYPHEN, HARD_BREAK and
 * SHORTENED: each with a warning), and what readers of the text need.
 *
 * RG_RUN_SPACE_AFTER is the word separator at a soft line break: the line
 * broke at white space, which is not drawn, so the last run of the line
 * carries this flag and the pdf writer adds a space glyph of the run's
 * font after its last glyph, moved back by the space's own width so that
 * it ends where the run ends: inside the run's box, and without ink.
 * Text extraction and the structure tree then read "naar de" where the
 * lines "... naar" and "de ..." meet, not "naarde" (ISO 32000-1,
 * 14.8.2.5). A line ending in an inserted hyphen, a hard break or a break
 * after '/' or '-' gets no separator: the word goes on.
 *
 * RG_RUN_HYPHEN with rest and RG_RUN_CONTINUES carry a hyphenated word
 * whole to readers that apply /ActualText (ISO 32000-1, 14.9.4): the
 * hyphen's run has the rest of the word ("tuur" of "Infrastruc-" /
 * "tuur"), and the next line's first run, flagged RG_RUN_CONTINUES,
 * starts with those cont_len bytes. The pdf writer gives the hyphen the
 * rest as its /ActualText and the rest's glyphs an empty one: such a
 * reader reads "Infrastruc" + "tuur" + "", the word once and whole, even
 * when a page break falls between the halves. Readers that ignore
 * /ActualText read the hyphen's glyph (a soft hyphen where the face has
 * one) and the rest as drawn. */
enum {
    RG_RUN_HYPHEN = 1,             /* the hyphen inserted where a word broke */
    RG_RUN_HARD_BREAK = 2,         /* the line ends inside a word without a hyphen (warned) */
    RG_RUN_SHORTENED = 4,          /* the text was cut and ends with an ellipsis (warned) */
    RG_RUN_SPACE_AFTER = 8,        /* the line ends at a soft break that dropped white space */
    RG_RUN_CONTINUES = 16,         /* starts with the rest of the word hyphenated before */
    RG_RUN_RAISED = 32,            /* a footnote's reference: raised above its line's
                                    * baseline, still part of that line (issue 16) */
    /* bidirectional text (issue 17, bidi) */
    RG_RUN_RTL = 64                /* right to left: the glyphs are in visual order, the
                                    * leftmost drawn first, so their clusters fall through
                                    * the run's text (which is in logical order); text
                                    * extraction reorders such runs itself (poppler) and
                                    * the tags have the logical text (layout/flow.c) */
};

typedef struct rg_dl_rect {
    double x, y, w, h;
    int fill, stroke;              /* booleans */
    rg_color fill_color, stroke_color;
    double line_width;
} rg_dl_rect;

typedef enum { RG_PATH_MOVE, RG_PATH_LINE, RG_PATH_CURVE, RG_PATH_CLOSE } rg_path_op;

typedef struct rg_path_seg {
    rg_path_op op;
    double pts[6];                 /* MOVE/LINE: x y; CURVE: x1 y1 x2 y2 x3 y3 */
} rg_path_seg;

typedef struct rg_dl_path {
    const rg_path_seg *segs;
    size_t nsegs;
    int fill, stroke;
    rg_color fill_color, stroke_color;
    double line_width;
    double dash_on, dash_off;      /* 0,0 = solid */
    int clip;                      /* painted only inside clip_x0..clip_x1, clip_y0..clip_y1
                                    * (an SVG's viewBox: what lies outside is not seen) */
    double clip_x0, clip_y0, clip_x1, clip_y1;
} rg_dl_path;

typedef struct rg_dl_link {
    double x, y, w, h;             /* active area */
    const char *uri;               /* external target (http:, mailto:), or NULL */
    const char *dest;              /* named destination in this document, or NULL */
    const char *contents;          /* description for the annotation (/Contents), may be NULL */
} rg_dl_link;

typedef struct rg_dl_dest {
    const char *name;
    double y;                      /* top of the target area */
} rg_dl_dest;

/* A raster picture (PNG or JPEG) drawn into the box x, y (bottom-left),
 * w x h points. data/len are the file's bytes as read, copied into the
 * list once per picture (rg_dl_add_image), so that the document the layout
 * was made from may go before the pdf stage; the pdf stage embeds a JPEG
 * as it is and decodes a PNG. The same bytes drawn twice are embedded
 * once. */
typedef enum { RG_DL_IMAGE_PNG, RG_DL_IMAGE_JPEG } rg_dl_image_format;

typedef struct rg_dl_image {
    rg_dl_image_format format;
    const unsigned char *data;
    size_t len;
    int width, height;             /* pixels */
    int channels;                  /* 1 grey, 3 RGB, 4 CMYK; alpha not counted */
    int alpha;                     /* PNG: an alpha channel or tRNS */
    int adobe_transform;           /* JPEG: -1 no Adobe APP14 marker, else its transform */
    int icc_channels;              /* JPEG: an embedded ICC profile's channels, 0 none, -1 other */
    int orientation;               /* JPEG: EXIF orientation 1..8 (1 upright): the pdf stage
                                    * turns or mirrors the stored pixels into the box, which
                                    * is the picture as seen (5..8: stored height wide) */
    const char *name;              /* the file as the definition names it (messages) */
    double x, y, w, h;
} rg_dl_image;

typedef struct rg_dl_item {
    rg_dl_kind kind;
    int box;                       /* the box it belongs to (rg_dl.boxes), -1 = none */
    int chunk;                     /* content: the marked-content chunk it belongs to
                                    * (index into rg_dl.chunks), -1 = artifact/untagged */
    int elem;                      /* LINK: the Link structure element, -1 = none */
    union {
        rg_dl_glyphs glyphs;
        rg_dl_rect rect;
        rg_dl_path path;
        rg_dl_link link;
        rg_dl_dest dest;
        rg_dl_image image;
    } u;
} rg_dl_item;

/* ---- logical structure (tagged PDF) ----
 * Layout builds a tree of structure elements in reading order and says
 * which element is "current" while it emits content. Content emitted while
 * an element is current (outside artifacts) joins a chunk: consecutive
 * items of one element on one page, which the pdf stage writes as one
 * marked-content sequence with its own MCID. An element's kids, in reading
 * order, are child elements, chunks and link annotations (OBJR). */

typedef enum { RG_KID_ELEM, RG_KID_CHUNK, RG_KID_ANNOT } rg_kid_kind;

typedef struct rg_dl_kid {         /* 12 bytes: ~1.2 million at 9,409 pages (issue 22) */
    rg_kid_kind kind;
    int index;                     /* ELEM: element id; CHUNK: chunk id; ANNOT: link item's page */
    uint32_t item;                 /* ANNOT: index of the RG_DL_LINK item on that page */
} rg_dl_kid;

/* What few elements have: kept apart, so that the common element (a P, a
 * TD, a Span, a Link) is 40 bytes instead of 136 (issue 22: 348,000
 * elements at 9,409 pages were 47 MB, 71 with the array's room to grow). */
typedef struct rg_dl_elem_more {
    const char *lang;              /* when it differs from the document's, else NULL */
    const char *alt;               /* Figure: text alternative */
    const char *actual_text;       /* replacement text for the element's content, or NULL */
    const char *id;                /* /ID (Note: unique), or NULL */
    const char *scope;             /* TH: "Column" or "Row" */
    int colspan, rowspan;          /* TH/TD: > 1 when the cell spans */
    int has_bbox;                  /* Figure/Table: bounding box on bbox_page */
    size_t bbox_page;
    double bbox[4];                /* x0 y0 x1 y1 */
} rg_dl_elem_more;

typedef struct rg_dl_elem {
    const char *role;              /* standard structure type: Document, Sect, H1..H3, P, L,
                                    * LI, Lbl, LBody, Table, THead, TBody, TR, TH, TD,
                                    * Caption, Figure, Link, TOC, TOCI, BlockQuote, Note, Span */
    rg_dl_kid *kids;
    rg_dl_elem_more *more;         /* NULL while it has none: read rg_dl_elem_more_of */
    int parent;                    /* -1 for the root */
    unsigned nkids, kids_cap;
} rg_dl_elem;

/* The standard structure type (PDF 32000-1, 14.8.4) role names, as a
 * string that lives as long as the program; NULL for anything else. */
const char *rg_dl_standard_role(const char *role);

/* e's rarer attributes; never NULL (all zero when e has none). */
const rg_dl_elem_more *rg_dl_elem_more_of(const rg_dl_elem *e);

typedef struct rg_dl_chunk {       /* 8 bytes (issue 22) */
    int elem;                      /* the element the chunk belongs to */
    uint32_t page;
} rg_dl_chunk;

/* ---- boxes and sources (what the layout checker, check/check.h, reads) ----
 * Every item records the box it was drawn for: the page's text area, a
 * table cell, a chart or one of its labels, a running header or footer
 * field, the cover. Boxes nest (a cell's parent is the text area). Glyphs
 * must stay inside their box; a run may cover a rule or a fill only of
 * its own box or of a box that contains it. Glyph runs of running text
 * also record their source paragraph and the byte offset their text
 * starts at, so that a checker can tell how a line broke. */
typedef enum {
    RG_BOX_TEXT_AREA,              /* a page's body between the margins */
    RG_BOX_COVER,                  /* the cover page */
    RG_BOX_CELL,                   /* a table cell (its padding included) */
    RG_BOX_CHART,                  /* a chart's whole area */
    RG_BOX_LABEL,                  /* a chart label's room */
    RG_BOX_HEADER,                 /* a running header field's room */
    RG_BOX_FOOTER                  /* a running footer field's room */
} rg_box_kind;

typedef struct rg_dl_box {
    rg_box_kind kind;
    int parent;                    /* -1: none */
    size_t page;
    double x0, y0, x1, y1;
    int line;                      /* definition line of what it holds, 0 = unknown */
} rg_dl_box;

typedef struct rg_dl_para {
    const char *text;              /* the paragraph's whole source text (UTF-8) */
    size_t len;
    int line;                      /* definition line, 0 = unknown */
    int address;                   /* set when text is a URL or e-mail address */
} rg_dl_para;

typedef struct rg_dl_page {
    double width, height;
    int area;                      /* the page's outermost box, -1 = none yet */
    rg_dl_item *items;             /* painting order */
    size_t nitems, cap;
    rg_arena *arena;               /* the copies its glyph runs and paths point to (glyphs,
                                    * text, points), made on first use, so that a page can
                                    * be released alone (rg_dl_page_release; issue 22) */
    /* issue 22, spilling (dlist.c's own; read the page through rg_dl_page_get):
     * a spilled page's first nspilled items are in the list's scratch file;
     * items holds only what was added after (appended to the page: its tail)
     * until rg_dl_page_get loads them in front of it */
    int64_t spill_at;              /* the record's offset, -1: not spilled */
    size_t spill_len;              /* its bytes */
    size_t nspilled;               /* its items, and the second record's */
    int64_t spill2_at;             /* a second record: what was added after the page was
                                    * spilled (its running header), spilled in turn without
                                    * writing the first again; -1: none */
    size_t spill2_len, nspilled2;
    int spill_last_chunk;          /* the chunk of the last spilled item */
    int loaded;                    /* items[0..nspilled) are the records' (rg_dl_page_get) */
    void *spill_buf;               /* the record read back: what those items point to */
} rg_dl_page;

typedef struct rg_dl_outline {
    const char *title;             /* UTF-8 */
    int level;                     /* 1 = top */
    int page;                      /* 0-based page index */
    double y;                      /* top of the heading on that page */
} rg_dl_outline;

typedef enum { RG_LABEL_DECIMAL, RG_LABEL_ROMAN_LOWER, RG_LABEL_NONE } rg_label_style;

typedef struct rg_dl_label {
    int first_page;                /* 0-based page where this labelling starts */
    rg_label_style style;
    int start;                     /* first number */
    const char *prefix;            /* may be NULL */
} rg_dl_label;

/* A page number a cross-reference printed (<ref show="page"/>; issue 16,
 * xref): the page it was drawn on, its text and its target's
 * destination. The layout checker asserts that the text is the printed
 * page number (the page labels') of the destination's page. */
typedef struct rg_dl_pageref {
    size_t page;
    const char *text;
    const char *dest;
    int line;                      /* definition line of the reference's paragraph */
} rg_dl_pageref;
/* A footnote's reference and its note (issue 16): the layout checker's
 * evidence that a footnote starts on its reference's page. */
typedef struct rg_dl_note {
    const char *name;              /* the note's destination name */
    long ref_page;                 /* 0-based page of the reference's line */
    long note_page;                /* 0-based page of the note's first line, -1: not set */
    int line;                      /* the definition's line of the reference's block */
} rg_dl_note;

typedef struct rg_dl_meta {
    const char *title, *author, *subject, *keywords, *creator, *producer;
    const char *lang;              /* e.g. "nl-NL" */
    int year, month, day, hour, minute, second;   /* creation = modification date, UTC */
} rg_dl_meta;

typedef struct rg_dl {
    rg_arena *arena;
    rg_dl_page *pages;
    size_t npages, pages_cap;
    rg_dl_outline *outline;
    size_t noutline, outline_cap;
    rg_dl_label *labels;
    size_t nlabels, labels_cap;
    rg_dl_meta meta;
    /* logical structure; nelems == 0 means an untagged document */
    rg_dl_elem *elems;
    size_t nelems, elems_cap;
    rg_dl_chunk *chunks;
    size_t nchunks, chunks_cap;
    int *stack;                    /* current elements (innermost last) */
    size_t nstack, stack_cap;
    int artifact;                  /* inside artifact markers on the current page */
    rg_dl_box *boxes;
    size_t nboxes, boxes_cap;
    int *box_stack;                /* boxes opened and not closed (innermost last) */
    size_t nbox_stack, box_stack_cap;
    rg_dl_para *paras;
    size_t nparas, paras_cap;
    rg_arena *para_arena;          /* the paragraphs' texts (rg_dl_before_pdf frees them) */
    int next_para;                 /* provenance for the next glyph run (rg_dl_source) */
    size_t next_src;
    unsigned next_flags;
    const char *next_rest;         /* (rg_dl_source_word) */
    size_t next_rest_len, next_cont_len;
    double next_angle;             /* (rg_dl_rotate_next) */
    /* cross-references (issue 16, xref) */
    rg_dl_pageref *pagerefs;       /* every page number a reference printed */
    size_t npagerefs, pagerefs_cap;
    rg_dl_note *notes;             /* footnotes (rg_dl_note_ref), in reference order */
    size_t nnotes, notes_cap;
    struct rg_dl_spill *spill;     /* issue 22: the scratch file of spilled pages, or NULL */
    struct rg_dl_picture *pictures; /* the pictures' bytes, copied once each */
    size_t npictures, pictures_cap;
    /* issue 22: nothing will check or dump this list, so boxes inside a
     * page's area and paragraph sources are not recorded (at 9,409 pages
     * ~23 MB): rg_dl_box_open adds no box (items belong to the page's
     * area), rg_dl_para_add keeps nothing and returns -1. Set before the
     * first page; the pages' areas (rg_dl_page_area) are recorded still,
     * layout reads them. */
    int no_sources;
} rg_dl;

rg_dl *rg_dl_new(void);
void rg_dl_free(rg_dl *dl);                       /* accepts NULL */
/* Frees page's items and what its glyph runs and paths point to (issue 22:
 * the pdf stage's owner releases each page once it is rendered). The page
 * keeps its size and has no items after; everything else (structure,
 * outline, destination and link strings, paragraphs) stays. A structure
 * kid naming one of its link items names an item no longer there: release
 * a page only after whatever reads its items (rendering, links). */
void rg_dl_page_release(rg_dl *dl, size_t page);

/* Frees what only the layout checker and the dump read (boxes, the
 * paragraphs' sources, page references, footnote records) and gives back
 * the structure arrays' spare room (issue 22: 9,409 pages, ~60 MB).
 * Items keep their box and paragraph numbers, which name nothing after.
 * The pdf stage needs none of it; call it once layout, check and dump are
 * done. */
void rg_dl_before_pdf(rg_dl *dl);

/* ---- spilling finished pages (issue 22) ----
 * A long document's pages need not all be in memory while it is laid out
 * and written: layout spills a page it has finished with to a scratch
 * file, and the pdf stage reads it back when it renders it. Spilling is
 * invisible in what the list holds: every builder works on a spilled page
 * (items added to it go after the spilled ones, as on a page in memory),
 * and a reader that gets the page through rg_dl_page_get sees all its
 * items in order. Only reading rg_dl_page.items directly is wrong for a
 * spilled page. */

/* From now on dl may spill pages to fd, an unlinked scratch file open for
 * reading and writing (rg_scratch_file); dl owns it and closes it in
 * rg_dl_free. */
void rg_dl_spill_to(rg_dl *dl, int fd);
/* Writes page's items (with their glyphs, text and points) to the scratch
 * file and frees them. Returns 0, or -1 when there is no scratch file or
 * the write failed (errno, also kept for rg_dl_spill_status); the page is
 * then as it was, in memory: spilling saves memory, it never loses
 * content. */
int rg_dl_page_spill(rg_dl *dl, size_t page);
/* page with all its items in memory, read back from the scratch file when
 * it was spilled (its record stays there: rg_dl_page_unload frees the
 * copy). NULL when the read failed (errno kept for rg_dl_spill_status). */
const rg_dl_page *rg_dl_page_get(const rg_dl *dl, size_t page);
/* The same, to change the page's items in place (layout); the page is in
 * memory from then on, as if never spilled. NULL on a failed read. */
rg_dl_page *rg_dl_page_edit(rg_dl *dl, size_t page);
/* Frees what rg_dl_page_get read back of a spilled page; nothing for a
 * page in memory. */
void rg_dl_page_unload(const rg_dl *dl, size_t page);
/* rg_dl_page_get for every page (the layout checker and the dump read
 * pages in any order). 0, or -1 on a failed read. */
int rg_dl_pages_load_all(const rg_dl *dl);
/* The first failed read of a spilled page (its errno; the list's content
 * is incomplete, nothing may be written from it), else 0. *write_err, when
 * not NULL, gets the first failed write (the page stayed in memory). */
int rg_dl_spill_status(const rg_dl *dl, int *write_err);
/* How many items page has, spilled ones included. */
size_t rg_dl_page_nitems(const rg_dl *dl, size_t page);
/* Whether page's items are not all in memory (spilled and not read back). */
int rg_dl_page_spilled(const rg_dl *dl, size_t page);
/* Pages spilled now (each once, however often it was written) and
 * bytes written to the scratch file (--stage-times, tests). */
void rg_dl_spill_counts(const rg_dl *dl, size_t *pages, uint64_t *bytes);

/* Builders. They copy what they are given (glyph arrays, text, strings)
 * into the list's arena; none can fail (out of memory aborts). Page
 * pointers stay valid only until the next rg_dl_add_page; use indices. */
size_t rg_dl_add_page(rg_dl *dl, double width, double height);
void rg_dl_glyph_run(rg_dl *dl, size_t page, const rg_font *font, double size,
                     rg_color color, double x, double y,
                     const rg_glyph *glyphs, size_t nglyphs,
                     const char *text, size_t text_len);
/* Inserts a glyph run before item pos of page, in marked-content chunk
 * chunk (-1: none): for content known only after what follows it was laid
 * out (the TOC's page numbers), so that content order stays reading order.
 * Cannot fail. */
void rg_dl_insert_glyph_run(rg_dl *dl, size_t page, size_t pos, int chunk,
                            const rg_font *font, double size, rg_color color, double x,
                            double y, const rg_glyph *glyphs, size_t nglyphs,
                            const char *text, size_t text_len);
void rg_dl_rect_fill(rg_dl *dl, size_t page, double x, double y, double w, double h,
                     rg_color fill);
void rg_dl_rect_stroke(rg_dl *dl, size_t page, double x, double y, double w, double h,
                       rg_color stroke, double line_width);
void rg_dl_line(rg_dl *dl, size_t page, double x1, double y1, double x2, double y2,
                rg_color stroke, double line_width);
void rg_dl_add_path(rg_dl *dl, size_t page, const rg_dl_path *path);
/* A raster picture (the struct is copied; its data and name are not: they
 * must outlive the list). */
void rg_dl_add_image(rg_dl *dl, size_t page, const rg_dl_image *image);
void rg_dl_link_uri(rg_dl *dl, size_t page, double x, double y, double w, double h,
                    const char *uri, const char *contents);
void rg_dl_link_dest(rg_dl *dl, size_t page, double x, double y, double w, double h,
                     const char *dest, const char *contents);
void rg_dl_dest_add(rg_dl *dl, size_t page, const char *name, double y);
void rg_dl_artifact_begin(rg_dl *dl, size_t page);
/* Boxes. rg_dl_page_area gives page its outermost box (the text area, or
 * the cover); rg_dl_box_open opens a box inside the innermost open box of
 * the same page (else inside the page's area) and returns its id; items
 * added until rg_dl_box_close belong to it; items added with no box open
 * on their page belong to the page's area. Opens and closes pair up. */
int rg_dl_page_area(rg_dl *dl, size_t page, rg_box_kind kind, double x0, double y0, double x1,
                    double y1);
int rg_dl_box_open(rg_dl *dl, size_t page, rg_box_kind kind, double x0, double y0, double x1,
                   double y1, int line);
void rg_dl_box_close(rg_dl *dl);
/* Sources. rg_dl_para_add copies a paragraph's text and returns its id;
 * rg_dl_source gives the next glyph run (only that one) its paragraph,
 * offset and RG_RUN_* flags. */
int rg_dl_para_add(rg_dl *dl, const char *text, size_t len, int line, int address);
void rg_dl_source(rg_dl *dl, int para, size_t src, unsigned flags);
/* Gives the next glyph run (only that one) its part in a word hyphenated
 * at a line end: rest (copied) for an inserted hyphen, cont_len for the
 * run that starts with that rest (rg_dl_glyphs). Cannot fail. */
void rg_dl_source_word(rg_dl *dl, const char *rest, size_t rest_len, size_t cont_len);
/* Turns the next glyph run (only that one) by degrees counter-clockwise
 * about its pen origin (rg_dl_glyphs.angle); its glyph positions stay in
 * the run's own frame, along its baseline. The pdf stage writes it with a
 * text matrix, the layout checker turns its glyphs' ink boxes. Cannot
 * fail. */
void rg_dl_rotate_next(rg_dl *dl, double degrees);
void rg_dl_artifact_end(rg_dl *dl, size_t page);

/* Structure: a new element as the last kid of parent (-1: the root, made
 * once). Returns its id. Cannot fail. */
int rg_dl_elem_new(rg_dl *dl, int parent, const char *role);
/* Makes id the current element for the content that follows / restores the
 * previous one. Enter and leave pair up. */
void rg_dl_elem_enter(rg_dl *dl, int id);
void rg_dl_elem_leave(rg_dl *dl);
/* The current element, or -1. */
int rg_dl_elem_current(const rg_dl *dl);
/* Element attributes (strings are copied). */
void rg_dl_elem_set_lang(rg_dl *dl, int id, const char *lang);
void rg_dl_elem_set_alt(rg_dl *dl, int id, const char *alt);
void rg_dl_elem_set_actual_text(rg_dl *dl, int id, const char *text);
void rg_dl_elem_set_scope(rg_dl *dl, int id, const char *scope);
void rg_dl_elem_set_span(rg_dl *dl, int id, int colspan, int rowspan);
void rg_dl_elem_set_bbox(rg_dl *dl, int id, size_t page, double x0, double y0, double x1,
                         double y1);
/* Footnotes (issue 16): the reference of note name is on page;
 * rg_dl_note_at: the note's first line is on page. */
void rg_dl_note_ref(rg_dl *dl, size_t page, const char *name, int line);
void rg_dl_note_at(rg_dl *dl, size_t page, const char *name);
/* The element's /ID (a Note's), copied. */
void rg_dl_elem_set_id(rg_dl *dl, int id, const char *elem_id);
void rg_dl_outline_add(rg_dl *dl, const char *title, int level, int page, double y);
/* Records a page number a cross-reference drew on page (text: len bytes)
 * for a destination (issue 16, xref). */
void rg_dl_pageref_add(rg_dl *dl, size_t page, const char *text, size_t len, const char *dest,
                       int line);
/* The printed label of page (0-based) by the page labels, into out: a
 * decimal or roman number after the label's prefix; "" for a page without
 * a number. */
void rg_dl_page_label(const rg_dl *dl, size_t page, char *out, size_t cap);
void rg_dl_label_add(rg_dl *dl, int first_page, rg_label_style style, int start,
                     const char *prefix);

/* Writes a line-per-item text dump (coordinates with 2 decimals) for golden
 * tests. Glyph runs are shown with their text and glyph ids, and
 * "space-after" when they carry RG_RUN_SPACE_AFTER, rest="..." for a
 * hyphen's rest, continues=N for RG_RUN_CONTINUES's cont_len and
 * angle=A for a turned run (none for an angle of 0). */
void rg_dl_dump(const rg_dl *dl, FILE *out);

#endif
