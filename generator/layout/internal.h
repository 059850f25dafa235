/* layout/internal.h - internals shared by the layout stage's files: the layout
 * state and the page/line primitives (layout/flow.c) that block placement
 * (layout/layout.c), tables (layout/table.c) and figures (layout/figure.c) use.
 * Not for other stages. */
#ifndef RG_LAYOUT_IMP_H
#define RG_LAYOUT_IMP_H

#include "fonts/fonts.h"
#include "model/model.h"
#include "layout.h"
#include "text/text.h"

#define LAY_EPS 0.01               /* points: room compared with what it must hold */

enum {
    MIN_ORPHAN_LINES = 2,          /* default lines kept at a page's foot (layout: orphans) */
    MIN_WIDOW_LINES = 2,           /* default lines carried to a page's head (layout: widows) */
    KEEP_NEXT_LINES = 2            /* lines of the next block kept with a heading */
};

typedef struct heading {
    const rg_block *block;
    int level;
    char number[32];               /* "2.3", or "" */
    char *title;                   /* plain UTF-8 */
    char *dest;                    /* destination name */
    int page, prev_page;           /* 0-based, -1 unknown */
    /* appendices (issue 16, xref) */
    int appendix;                  /* 1 = A, 2 = B, ... inside an appendix; 0 main text */
    char *running;                 /* the running header's {section}: "Bijlage A Titel" for
                                    * an appendix, else the title */
} heading;

typedef struct captioned {         /* a numbered table or figure */
    const rg_block *block;
    int figure;                    /* 0: table, 1: figure */
    char label[64];                /* "Tabel 1", "Figuur 2" */
    char *dest;                    /* destination name: the block's id or a generated one */
    char *title;                   /* caption text, plain */
    int page, prev_page;           /* 0-based, -1 unknown */
    /* appendices (issue 16, xref) */
    int appendix;                  /* 1 = A, ... inside an appendix; 0 main text */
    char number[32];               /* "1", "A.1" */
} captioned;

/* Cross-references (issue 16, xref; layout/xref.c): what a <ref to> can
 * name, one registry entry per id. Footnotes may join as a kind later. */
typedef enum { XREF_SECTION, XREF_APPENDIX, XREF_TABLE, XREF_FIGURE, XREF_NOTE } xref_kind;

typedef struct xref_target {
    const char *id;
    xref_kind kind;
    const char *label;             /* "Tabel A.1", "Bijlage A", "paragraaf 3.2", or the title */
    const char *number;            /* "A.1", "A", "3.2"; "" when unnumbered */
    const char *title;             /* plain */
    const char *dest;              /* the destination its links go to */
    const int *page;               /* its heading's or caption's page in this pass */
    int shown;                     /* the page refs print in this pass: the previous pass's
                                    * (0-based), -1 unknown */
    int line;                      /* its definition line */
    int ref_line;                  /* the first <ref show="page"> to it: its block's line,
                                    * 0 none */
} xref_target;

/* A TOC page number drawn once the pass knows where its target landed. */
typedef struct toc_number {
    const int *page;               /* the heading's or caption's page field */
    long toc_page;                 /* where the TOC entry ended */
    double baseline, right;
    rg_role_id role;
    size_t pos;                    /* item index on toc_page the number goes before */
    int chunk;                     /* the entry title's marked-content chunk */
} toc_number;

/* A running-text paragraph set ahead of its placing, by a heading's
 * look-ahead (lay_peek_text): the next lay_break_text of the same
 * paragraph takes it, so it is set (and warns) once. */
struct lay_peek {
    const rg_inlines *in;
    const rg_role *r;
    double width;
    rg_align align;
    rg_para para;
    int set;
};

/* The vertical extent of lines placed on each page (lay_place_lines while
 * lay.extent points at it): a quote's bar runs beside exactly its lines. */
typedef struct lay_extent {
    long first;                    /* page of top[0] */
    double *top, *bottom;          /* per page from first; NAN: no line there */
    size_t n, cap;
} lay_extent;
void lay_extent_add(lay_extent *e, long page, double top, double bottom);

typedef struct placed {            /* where place_lines put the first and last line */
    long first_page, last_page;
    double first_baseline, last_baseline, last_width;
} placed;

/* The link whose pieces are being emitted (layout/flow.c): its Link
 * element, the paragraph text it is in, its extent there and the
 * description all its annotations get. */
typedef struct lay_link {
    int elem;                      /* -1: none yet */
    const char *text;              /* the paragraph's text, NULL: none */
    size_t start, end;
    const char *href;              /* its target: a piece with another one is another link */
    const char *contents;          /* in the pass's arena */
} lay_link;

/* A range [from, to) of a paragraph's text that readers get as other
 * words (text): a Span with /ActualText and /Alt (the below-norm mark). */
typedef struct lay_alt {
    size_t from, to;
    const char *text;
} lay_alt;

typedef struct lay {
    rg_ctx *ctx;
    const rg_doc *doc;
    const rg_style *st;
    rg_dl *dl;
    size_t spilled_upto;           /* issue 22: pages before this one were offered for spilling */
    int spill_off;                 /* no scratch file could be made or written: pages stay */
    rg_arena *arena;               /* per pass: strings, scratch */
    struct para_cache *paras;      /* broken paragraphs, kept across passes (layout/flow.c) */
    struct para_cache *window;     /* or here, while a big table breaks a window of its
                                    * cells (lay_window_new), else NULL */
    rg_status status;
    long page;                     /* current page, -1 before the first */
    double y;                      /* top of the free space on the page */
    int at_top;                    /* nothing placed on the page yet */
    int head_top;                  /* only headings placed on the page yet: the last one's
                                    * level (1..3), else 0 */
    int break_pending;             /* a <pagebreak/> waits for content to start a page */
    int just_headed;               /* the block being placed is its section's first */
    int list_flat;                 /* inside a list nested too deep to indent further */
    int ordered_depth;             /* ordered lists around what is placed (their numbering level) */
    const rg_block *after;         /* what follows the blocks being placed, in document
                                    * order (a heading's look-ahead), or NULL */
    struct lay_peek peek;
    lay_extent *extent;            /* lines placed are recorded here, or NULL */
    double left, width, bottom, top;
    heading *heads;
    size_t nheads, heads_cap, next_head;
    int *chrome;                   /* per page: draw header and footer */
    const char **section;          /* per page: the current top-level title */
    size_t pages_cap, section_cap;
    const char *cur_section;
    toc_number *tocnums;           /* TOC page numbers to draw at the pass's end */
    size_t ntocnums, tocnums_cap;
    captioned *caps;               /* tables and figures in document order */
    size_t ncaps, caps_cap;
    const rg_locale *loc;          /* number and date formats of the document */
    struct lay_ahead *ahead;       /* running text set on a second thread, or NULL */
    int line;                      /* definition line of the block being placed */
    struct para_ids *para_ids;     /* rg_para -> its id in dl (layout/flow.c), per pass */
    lay_link link;                 /* per pass */
    /* landscape pages (issue 16): layout/orient.c */
    int landscape;                 /* the pages made now are landscape; left, width, top
                                    * and bottom are theirs */
    const rg_block *orient_last;   /* the last block of the landscape run, or NULL */
    /* appendices and cross-references (issue 16, xref; layout/xref.c) */
    int appendix_no;               /* while numbering: the appendix walked (1 = A), 0 none */
    int appendices_placed;         /* this pass: the outline's "Bijlagen" entry is made */
    xref_target *xrefs;            /* the targets of <ref to>, by id */
    size_t nxrefs, xrefs_cap;
    struct block_index *head_index, *cap_index;   /* heads and caps by block, for
                                    * heading_of and lay_caption_of (issue 22: a walk over all
                                    * of them per block was quadratic); rebuilt when their
                                    * count changes */
    size_t head_indexed, cap_indexed;
    xref_target **xref_order;      /* xrefs sorted by id (xref_collect), so that a
                                    * lookup is a binary search, not a walk over every
                                    * target (issue 22); NULL while stale */
    int xref_pages;                /* a <ref show="page"> exists: passes repeat until its
                                    * pages are stable */
    struct lay_notes *notes;       /* footnotes and endnotes (layout/note.c), or NULL */
} lay;

/* Forgets the paragraph ids of the pass's display list (a new pass). */
void lay_para_ids_reset(lay *L);

/* ---- layout/flow.c: fonts, pages, lines ---- */

/* The cache of broken paragraphs: the same runs at the same width break
 * the same way, so later passes (TOC fixpoint) and repeated strings
 * (leaders, numbers, headers) reuse the first result. Lives for one
 * rg_layout call. */
struct para_cache *lay_para_cache_new(void);
void lay_para_cache_free(struct para_cache *c);
/* issue 22: a window: a cache for paragraphs that live only as long as it
 * does (a big table's cells, a window of rows at a time: layout/table.c).
 * While L->window points to one, lay_break_plain and lay_prefill_paras
 * keep what they break in it, not in L->paras (measured widths stay
 * there); lay_para_cache_free frees it with all that was broken in it. */
struct para_cache *lay_window_new(void);

/* The face for a role with span flags (strong = bold, em toggles italic);
 * NULL after setting L->status when the family is missing. */
const rg_font *lay_font_for(lay *L, const rg_role *r, unsigned flags);
rg_status lay_check_fonts(lay *L);
const rg_role *lay_role(const lay *L, rg_role_id id);
void lay_new_page(lay *L, int chrome);
/* issue 22: page, read back from the scratch file to change it, goes back
 * there (when layout spilled it before; layout/flow.c). */
void lay_spill_again(lay *L, size_t page);
void lay_ensure_page(lay *L);
void lay_vspace(lay *L, double amount);
double lay_room(const lay *L);
/* How many lines of leading fit in room (to within LAY_EPS): 0 when room
 * is negative (rows or blocks before left less than a padding or a gap),
 * never a cast of a negative or non-finite count. Cannot fail. */
size_t lay_lines_in(double room, double leading);
double lay_baseline_offset(lay *L, const rg_role *r);
/* Shapes inline content (or plain text) in a role and breaks it into
 * lines of width; results are cached for the layout. lay_break_text is
 * for running text, placed before the next lay_break_text call: it
 * hyphenates when the layout says so, and a long paragraph's result is
 * valid only until that next call. lay_break_plain hyphenates when flags
 * has LAY_HYPHENATE (besides span flags); with LAY_CELL (a table cell)
 * it sets up to LAY_CELL_HYPHEN_RUN hyphenated lines in a row instead of
 * the layout's hyphen-max-run, so that a long word in a narrow column is
 * hyphenated at every point it needs rather than broken without a hyphen. */
enum { LAY_HYPHENATE = 0x100, LAY_CELL = 0x200, LAY_CELL_HYPHEN_RUN = 1000 };
void lay_break_text(lay *L, const rg_inlines *in, const rg_role *r, double width,
                    rg_align align, rg_para *out);
/* lay_break_text for a look-ahead: the paragraph's next lay_break_text
 * (its placing) takes this result instead of setting it again. */
void lay_peek_text(lay *L, const rg_inlines *in, const rg_role *r, double width,
                   rg_align align, rg_para *out);
/* The lines of a paragraph of total lines that must fit below a heading
 * for the heading to stay with it: at least KEEP_NEXT_LINES or the
 * layout's orphans, and whatever widow control adds (a paragraph of three
 * lines with two widows moves whole). */
size_t lay_keep_lines(const lay *L, size_t total);
void lay_break_inlines(lay *L, const rg_inlines *in, const rg_role *r, double width,
    rg_align align, rg_para *out);
void lay_break_plain(lay *L, const char *text, const rg_role *r, unsigned flags,
    double width, rg_align align, rg_para *out);
double lay_plain_width(lay *L, const char *text, const rg_role *r, unsigned flags);
/* Width of text on one line and of its widest word (may be NULL); cached. */
void lay_plain_measure(lay *L, const char *text, const rg_role *r, unsigned flags,
                       double *width, double *widest_word);
/* Fills the caches lay_plain_measure and lay_break_plain read, on both
 * setters of L->ahead (nothing without one), for strings about to be asked
 * for in this order (faces load here, in that order): a table's cells.
 * Strings the setters could not do are left to the ordinary path. */
typedef struct lay_text_req {
    const char *text;
    const rg_role *r;
    unsigned flags;                /* span flags, LAY_HYPHENATE */
    double width;                  /* lay_prefill_paras only */
    rg_align align;                /* lay_prefill_paras only */
} lay_text_req;
void lay_prefill_measures(lay *L, const lay_text_req *q, size_t n);
void lay_prefill_paras(lay *L, const lay_text_req *q, size_t n);
/* Emits line ln of paragraph p at x on baseline, recording where its text
 * comes from (the checker's provenance). */
void lay_emit_line(lay *L, const rg_para *p, const rg_line *ln, double x, double baseline);
/* lay_emit_line for p (not NULL), with the glyphs of alt's range of p's
 * text (those of ln) in a Span element whose /ActualText and /Alt are
 * alt->text; alt NULL: none. A range whose glyphs are not in a row
 * (right-to-left text) is left untagged, with a warning. */
void lay_emit_line_alt(lay *L, const rg_para *p, const rg_line *ln, double x, double baseline,
                       const lay_alt *alt);
/* A box (dlist.h) for the content drawn until lay_box_close: x0, y0 at
 * bottom-left. */
void lay_box_open(lay *L, rg_box_kind kind, double x0, double y0, double x1, double y1);
void lay_box_close(lay *L);
/* The text runs of inline content in a role, with faces looked up in ctx
 * and allocations (runs, link targets) in arena; *missing_font when a face
 * was not found (the runs end before that span). Only reads L. */
size_t lay_make_runs(const lay *L, rg_ctx *ctx, rg_arena *arena, const rg_inlines *in,
                     const rg_role *r, rg_text_run **out, int *missing_font);
/* The text stage's options for the layout's style. */
rg_break_opts lay_break_opts(const lay *L, double width, rg_align align, int hyphenate);
double lay_align_x(const rg_line *ln, rg_align align, double x, double width);
/* Places lines top-down from L->y, breaking pages between lines with
 * widow/orphan control; _linked adds a link to dest on every line. A line
 * with footnote references goes where its notes fit too (layout/note.c). */
placed lay_place_lines_linked(lay *L, const rg_para *p, double x, double width,
    const rg_role *r, rg_align align, const char *dest,
    const char *dest_text);
/* Moves to a new page now if p's first line would go there (orphans; an
 * empty p takes one line), and returns the baseline the first line will
 * get: for content that must be painted before the lines (list markers). */
double lay_first_baseline(lay *L, const rg_para *p, const rg_role *r);
placed lay_place_lines(lay *L, const rg_para *p, double x, double width,
    const rg_role *r, rg_align align);
/* Draws one line of plain text at a baseline on the current page, aligned
 * in [x, x + width]; returns its width. Does not move L->y. */
double lay_draw_text_at(lay *L, const char *text, const rg_role *r, unsigned flags,
    double x, double baseline, rg_align align, double width);
/* The plain text of inline content, in arena a: a <ref/> as the label
 * layout draws for it ("Tabel 2") when L is given (its captions numbered),
 * else left out. */
char *lay_inline_text(const lay *L, rg_arena *a, const rg_inlines *in);
/* Draws a label (a section's number) at x on baseline, left-aligned,
 * followed by a space glyph, so that readers of the text get "1.1 Titel"
 * with the text drawn after it. Returns the width drawn, the space
 * included. Cannot fail. */
double lay_draw_label_at(lay *L, const char *label, const rg_role *r, double x,
                         double baseline);
/* Draws text like lay_draw_text_at, but when it is wider than max (at most
 * width) shortens it with an ellipsis to fit: cut at a space, or between
 * characters when a cut at a space would leave much of max empty; the run
 * is flagged RG_RUN_SHORTENED and its source is the whole text. Sets
 * *drawn (may be NULL) to the width drawn; returns 1 when it shortened.
 * The caller warns. */
int lay_draw_fitted(lay *L, const char *text, const rg_role *r, unsigned flags, double x,
                    double baseline, rg_align align, double width, double max,
                    double *drawn);
/* Draws what paragraph p (broken by lay_break_plain with r and flags) has
 * from line k on, as one line shortened with an ellipsis to fit width:
 * the last line of a block that has room for k + 1 lines. */
void lay_emit_line_shortened(lay *L, const rg_para *p, size_t k, const rg_role *r,
                             unsigned flags, double x, double baseline, rg_align align,
                             double width);

/* Structure (tagged PDF): a new element under the current one, made
 * current (lay_open), or only made (lay_elem); lay_close makes its parent
 * current again. Decoration (rules, fills, leaders) is bracketed with
 * rg_dl_artifact_begin/end on its page. */
int lay_open(lay *L, const char *role);
int lay_elem(lay *L, const char *role);
void lay_close(lay *L);
/* The caption record of a table or chart block, or of an id; NULL if none. */
captioned *lay_caption_of(lay *L, const rg_block *b);
captioned *lay_caption_by_id(const lay *L, const char *id);

/* ---- layout/xref.c: appendices and cross-references (issue 16) ---- */

/* Numbering: called by collect_headings for every section block b (heading
 * h), before it numbers it; enters an appendix (letters A, B, ...; the
 * counters restart) and numbers headings inside one ("Bijlage A", "A.1",
 * "A.1.1"). Returns 1 when it numbered h (in an appendix), 0 for the main
 * text's own numbering. */
int xref_number_heading(lay *L, const rg_block *b, heading *h, int *counters, rg_arena *a);
/* The label and number of caption c, the n-th of its kind in its part of
 * the document (main text or L->appendix_no's appendix): "Tabel 1" / "1",
 * "Figuur A.2" / "A.2"; gen gets a destination name unique in the
 * document for a caption without id. */
void xref_caption_number(lay *L, captioned *c, const char *prefix, int n, char *gen,
                         size_t gen_cap);
/* The registry of targets, once headings and captions are numbered and
 * titled; warn: give the warnings about references (once per layout). */
void xref_collect(lay *L, rg_arena *a, int warn);
/* The target with this id, or NULL. */
const xref_target *xref_find(const lay *L, const char *id);
/* A new target of kind for id (its fields label, number, title, dest and
 * page the caller's): how other kinds join the registry (footnotes,
 * layout/note.c). Valid until the next xref_add. */
xref_target *xref_add(lay *L, const char *id, xref_kind kind, int line);
/* What <ref/> span s prints (in arena) and the href its link gets ("#dest",
 * marked for page references), NULL when its target is unknown; *whole
 * (may be NULL) is set when the text must stay on one line (a label or a
 * number: "Tabel 1"), not when it is a title. Only reads L (the ahead
 * thread calls it through lay_make_runs). */
const char *xref_ref_text(const lay *L, rg_arena *arena, const rg_span *s, char **href,
                          int *whole);
/* Whether inline content holds a <ref show="page"/> (not set ahead: its
 * text changes between passes). */
int xref_has_page_ref(const rg_inlines *in);
/* The destination name of an internal href's target (after '#'): a page
 * reference's mark removed (in L->arena). */
const char *xref_link_dest(lay *L, const char *name);
/* After a link piece is drawn on L->page: a page reference's text and
 * target are recorded in the display list for the checker. */
void xref_note_drawn(lay *L, const rg_line_piece *pc);
/* A new pass: page references print the pages of the pass before. */
void xref_pass_begin(lay *L);
/* Whether another pass is needed for page references: some exist and a
 * target's page differs from the one they printed. */
int xref_pages_unstable(const lay *L);
/* Warns, naming each reference's line, when the last pass left page
 * references printing a page their target is not on. */
void xref_warn_unstable(lay *L);
/* Appendix headings in the outline and TOC: before the first appendix's
 * outline entry, the "Bijlagen" entry (level 1) it and its sections hang
 * under; returns the outline level h gets. */
int xref_outline_level(lay *L, const heading *h, double y);
/* The TOC's appendices: called by place_toc for heading i; places the
 * "Bijlagen" heading before the first appendix. Returns the title the
 * entry shows ("Bijlage A  Titel" for an appendix, else h->title) and
 * sets *number ("" for an appendix). */
const char *xref_toc_entry(lay *L, size_t i, const char **number);
void lay_toc_heading(lay *L, const char *title);
/* The printed page number of page pg (0-based): what the footer's {page}
 * and the page labels print. */
int xref_printed_page(int pg);
void xref_free(lay *L);
/* ---- layout/note.c: footnotes and endnotes (issue 16) ---- */

/* Numbers the document's notes in order (before the first pass; per
 * top-level section with the layout's numbering="chapter"); _free
 * releases them, _reset forgets what a pass did. */
void lay_notes_collect(lay *L);
void lay_notes_free(lay *L);
void lay_notes_reset(lay *L);
/* The run of a note's reference: its number, smaller, linking to it;
 * ",N" right after another note's number. Only reads L (the ahead thread
 * calls it). */
rg_text_run lay_note_mark_run(const lay *L, const rg_note *note, int after_mark,
                              const rg_font *f, const rg_role *r, const char *lang);
/* The description of a footnote reference's link ("noot 3", in L's
 * arena), or NULL when href is not a footnote reference's. */
const char *lay_note_link_contents(lay *L, const char *href);
/* How far piece pc is raised: a reference's rise, else 0. */
double lay_note_mark_rise(const lay *L, const rg_line_piece *pc);
/* A table cell's footnote number, put after its value: the number in
 * superscript digits (a cell's text is plain), in L's arena. */
const char *lay_note_cell_mark(lay *L, const rg_note *note);
/* Whether a table row h high whose cells carry n footnotes fits on the
 * page from L->y with them (at least the first line of each). */
int lay_notes_room(lay *L, size_t n, double h);
/* In the TD of a cell of columns col..col_last spanning records
 * first..last, once drawn: the Note elements of the footnotes on the
 * cells it covers. */
void lay_notes_cell(lay *L, const rg_table *t, size_t first, size_t last, size_t col,
                    size_t col_last);
/* After a row of t is placed: the footnotes its cells made go to the
 * page's foot. */
void lay_notes_table_row(lay *L, const rg_table *t);
/* Whether line ln (placed next, leading high, from L->y) fits on the page
 * with its footnotes (at least the first line of the last). */
int lay_notes_line_fits(lay *L, const rg_line *ln, double leading);
/* The room at the page's foot the footnotes of p's first lines lines take
 * at least (the first line of each, and the rule when the page has no
 * notes yet): what a heading keeping those lines with it needs besides. */
double lay_notes_keep(lay *L, const rg_para *p, size_t lines);
/* After line ln is placed: its footnotes go to the page's foot (L->bottom
 * moves up by what they take). */
void lay_notes_line_placed(lay *L, const rg_line *ln);
/* lay_new_page's hooks: the leaving page's footnotes are drawn; the new
 * page's foot takes a continued note. */
void lay_notes_page_end(lay *L);
void lay_notes_page_start(lay *L);
/* After a top-level section: its endnotes (placement="chapter"). */
void lay_notes_chapter_end(lay *L);
/* After the last block: the last page's footnotes, or the endnotes. */
void lay_notes_finish(lay *L);
/* The notes with an id= as targets of <ref to> (layout/xref.c's registry):
 * label "noot 3", number "3", no title, the page their first line is on. */
void lay_notes_targets(lay *L);

/* ---- layout/blocks.c: text blocks (issue 17, blocks) ---- */

/* place_blocks (layout/layout.c) for blocks inside another block (a box). */
void lay_place_blocks(lay *L, const rg_block *b, double x, double width, int depth);
/* A <definitions> list: terms in a column as wide as the widest (at most a
 * third of width), definitions beside them, split between pages between
 * entries and inside a definition (widows and orphans); L/LI/Lbl/LBody. */
void lay_place_deflist(lay *L, const rg_block *list, double x, double width);
/* A <box>: a Div in a rule frame with its title; moved whole to the next
 * page when it fits on one, else split with the frame open at the break. */
void lay_place_box(lay *L, const rg_block *b, double x, double width, int depth);
/* The room a box needs to start at the top of the free space. */
double lay_box_keep(lay *L, const rg_block *b, double width);
/* keep_need (a heading's look-ahead) for a DEFLIST or BOX; 0 for others. */
double lay_text_block_keep(lay *L, const rg_block *b, double width);
/* Adds what e holds to into (NULL: nothing): lines placed inside a block
 * with an extent of its own (a quote) are also inside the box around it. */
void lay_extent_merge(lay_extent *into, const lay_extent *e);
/* A quote's <attribution> under its paragraphs, "— Naam", as a P. */
void lay_quote_attribution(lay *L, const rg_block *q, double x, double width);
/* Opens a Span with /Lang lang when lang differs from the language in
 * effect at the current structure element; returns 1 when it opened one
 * (the caller closes it with lay_close). */
int lay_lang_span_open(lay *L, const char *lang);

/* ---- layout/ahead.c: running text set ahead on a second thread ---- */

/* Starts a thread that sets the document's running text (paragraphs, list
 * items, quotes: what lay_break_text is asked for) at the widths the
 * placing will ask for, in document order, at most a few paragraphs ahead
 * of it, with a text context of its own that shares the faces. NULL when
 * there is little running text (under 32 KB) and no big table (under 1,000
 * cells), no thread, or
 * $REPORTGEN_LAYOUT_THREAD is "0". */
struct lay_ahead *lay_ahead_start(lay *L);
/* When the thread set (or is setting) exactly this paragraph, waits for it
 * and returns 1 with *out, valid until the next lay_ahead_take; 0 when the
 * caller must set it (the thread then leaves it alone). A paragraph that
 * gave the thread any diagnostic, or needed a face not loaded yet, is the
 * caller's too, so output and diagnostics are the same as without the
 * thread. a may be NULL. */
int lay_ahead_take(struct lay_ahead *a, const rg_inlines *in, const rg_role *r, double width,
                   rg_align align, rg_para *out);
/* One item of a batch: does item i with ctx (a setter's text context: it
 * may not load faces; its diagnostics leave the item undone) and arena (for
 * results that must live as long as the ahead); returns 0 when it could not
 * (the item is then the placing's). */
typedef int (*lay_item_fn)(void *arg, size_t i, rg_ctx *ctx, rg_arena *arena);
/* Does items 0..n-1 on both setters and returns when all are done, with
 * ok[i] telling which are; returns 0 (ok untouched) when a is NULL: the
 * placing then does them all its ordinary way. into: NULL, or the arenas
 * the two setters put this batch's results in (one each: a big table's
 * window of cells, freed with the window) instead of the ahead's own. */
int lay_ahead_for(struct lay_ahead *a, size_t n, lay_item_fn fn, void *arg, unsigned char *ok,
                  rg_arena *const into[2]);
/* Stops and joins the thread, adds the paragraphs taken from it and the
 * batch items done to ctx->paras_ahead and items_ahead (--stage-times) and
 * frees everything. Accepts NULL. */
void lay_ahead_stop(struct lay_ahead *a);

/* ---- layout/figure.c: captions and charts ---- */

/* Breaks "Tabel 1 caption text" in the caption role into *out. */
void lay_caption_para(lay *L, const captioned *cap, double width, rg_para *out);
/* Places a chart block: the chart, then its caption, kept together. */
void lay_place_chart(lay *L, const rg_block *b, double x, double width);
/* The room a chart block takes from the top of the free space: the space
 * before it, the chart and its caption (what lay_place_chart keeps
 * together). */
double lay_chart_need(lay *L, const rg_block *b, double width);

/* Below a chart or picture h high just placed at L->y: its caption cp (a
 * Caption element) when cap is set, and the caption role's space after. */
void lay_figure_below(lay *L, const captioned *cap, const rg_para *cp, double h, double x,
                      double width);

/* ---- layout/image.c: <image> blocks ---- */
/* Places an image block and its caption (a Figure, or an Artifact when
 * decorative) at x, width; what it takes (lay_image_need) as a chart's. */
void lay_place_image(lay *L, const rg_block *b, double x, double width);
double lay_image_need(lay *L, const rg_block *b, double width);
/* A picture's shape as seen: an SVG's viewBox, a raster one's pixels
 * (turned for a JPEG stored on its side). 0 x 0 when unknown. */
void lay_image_shape(const rg_image *im, double *w, double *h);
/* Draws a picture into the box x, y (bottom-left), w x h on page: a raster
 * one as RG_DL_IMAGE, an SVG as paths. No tags: the caller's. */
void lay_draw_image(lay *L, size_t page, const rg_image *im, double x, double y, double w,
                    double h);

/* ---- layout/orient.c: landscape pages (issue 16) ---- */

/* The size of the page lay_new_page makes now: the layout's page, or it
 * turned (width and height swapped) while L->landscape. */
void lay_orient_page_size(const lay *L, double *w, double *h);
/* The text width of a page of the orientation (the layout's margins). */
double lay_orient_text_width(const rg_style *st, int landscape);
/* Sets L->landscape and the text area (L->left, width, top, bottom) for
 * pages of that orientation. Cannot fail. */
void lay_orient_set(lay *L, int landscape);
/* lay_orient_set for the orientation of page (made already); returns the
 * page's height. For what is laid out on every page at the end (chrome). */
double lay_orient_page(lay *L, size_t page);
/* place_blocks, before placing block b: when b starts a landscape run (b
 * is landscape, or a section whose first block starts one: its title goes
 * along) and the pages are portrait, the pages turn landscape from a new
 * page (the current one when nothing is on it yet). After the block:
 * lay_orient_end, which turns them back when b ends the run (a landscape
 * block right after it continues the run, on the same pages); what
 * follows then starts a new portrait page. The caller takes the text area
 * from L after lay_orient_begin. */
void lay_orient_begin(lay *L, const rg_block *b);
void lay_orient_end(lay *L, const rg_block *b);

/* ---- layout/table.c ---- */

/* Places a table block: caption, header (repeated on every page the table
 * spans), rows split between pages only between lines of text. */
void lay_place_table(lay *L, const rg_block *b, double x, double width);
/* The room from the top of the free space a table needs to start there
 * (caption, header and the rows lay_place_table will not start without):
 * what a heading before it keeps with. */
double lay_table_keep(lay *L, const rg_block *b, double width);

#endif
