/* text.h - shaping and line breaking. Stage: text (owns HarfBuzz shaping
 * and libunibreak). A paragraph is given as styled runs; it comes back as
 * lines of positioned, shaped pieces that layout places on pages. */
#ifndef RG_TEXT_H
#define RG_TEXT_H

#include "base.h"
#include "dlist.h"

/* A run of uniform style within a paragraph (input). */
typedef struct rg_text_run {
    const char *text;              /* UTF-8 */
    size_t len;
    const rg_font *font;
    double size;
    rg_color color;
    const char *href;              /* link target, or NULL */
    const char *lang;              /* BCP 47 language for shaping, e.g. "nl-NL" */
} rg_text_run;

/* A shaped piece of one line (output); glyph clusters index into text. */
typedef struct rg_line_piece {
    const rg_font *font;
    double size;
    rg_color color;
    const char *href;
    double x;                      /* offset from the line's start */
    double width;
    const rg_glyph *glyphs;
    size_t nglyphs;
    const char *text;
    size_t text_len;
} rg_line_piece;

typedef struct rg_line {
    rg_line_piece *pieces;
    size_t npieces;
    double width;                  /* natural width plus justification */
} rg_line;

typedef struct rg_para {
    rg_line *lines;
    size_t nlines;
} rg_para;

/* Shapes the runs as one paragraph and breaks it into lines of at most
 * width points (first_width for the first line), aligned as asked (only
 * RG_ALIGN_JUSTIFY changes glyph advances; the other alignments are the
 * caller's x offset). All output lives in arena. A word wider than the
 * line is broken between clusters. Cannot fail. */
void rg_text_break(rg_ctx *ctx, rg_arena *arena, const rg_text_run *runs, size_t nruns,
                   double first_width, double width, rg_align align, rg_para *out);

/* Width in points of text set on one line in one font (no breaking). */
double rg_text_width(rg_ctx *ctx, const rg_font *font, double size, const char *lang,
                     const char *text, size_t len);

#endif
