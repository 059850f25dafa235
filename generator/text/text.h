/* text/text.h - shaping and line breaking. Stage: text (owns HarfBuzz
 * shaping and libunibreak). A paragraph is given as styled runs; it comes
 * back as lines of positioned, shaped pieces that layout places on pages.
 * Implementation: text/text.c (shaping, measuring), text/cache.c (shaped
 * words), text/break.c (break opportunities, hyphenation points, lines),
 * text/kp.c (Knuth-Plass). Hyphenation itself is the hyphen stage's. */
#ifndef RG_TEXT_H
#define RG_TEXT_H

#include "base/base.h"
#include "dlist/dlist.h"

/* A run of uniform style within a paragraph (input). */
typedef struct rg_text_run {
    const char *text;              /* UTF-8 */
    size_t len;
    const rg_font *font;
    double size;
    rg_color color;
    const char *href;              /* link target, or NULL */
    const char *lang;              /* BCP 47 language for shaping and hyphenation, e.g. "nl-NL" */
    int nobreak;                   /* never hyphenated nor broken between lines */
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
    size_t src;                    /* where text starts in the paragraph's text (rg_para.text);
                                    * an inserted hyphen: where its word broke */
    unsigned flags;                /* RG_RUN_HYPHEN for an inserted hyphen, RG_RUN_HARD_BREAK
                                    * on the last piece of a line broken inside a word,
                                    * RG_RUN_CONTINUES on the first piece of the line after
                                    * a hyphenated one (dlist/dlist.h) */
    const char *rest;              /* an inserted hyphen: the rest of its word, the text the
                                    * next line starts with (rest_len bytes); else NULL */
    size_t rest_len;
    size_t cont_len;               /* RG_RUN_CONTINUES: the first cont_len bytes of text are
                                    * the previous line's hyphen's rest */
    /* bidirectional text (issue 17, bidi): a line's pieces are in logical
     * order and x places them in visual order (UAX #9 rule L2), so in a
     * line with right-to-left text x does not grow with the index; a piece
     * of odd level is flagged RG_RUN_RTL and its glyphs run right to left
     * through its text (text stays logical) */
    unsigned char level;           /* its UAX #9 embedding level: 0 left-to-right text of a
                                    * left-to-right paragraph, 1 right-to-left, 2 digits or
                                    * Latin inside right-to-left, ... */
    const char *lang;              /* its run's language (rg_text_run.lang) */
} rg_line_piece;

typedef struct rg_line {
    rg_line_piece *pieces;
    size_t npieces;
    double width;                  /* natural width plus justification */
    int hyphenated;                /* ends with an inserted hyphen */
    int hard_break;                /* ends inside a word without a hyphen (warned) */
} rg_line;

typedef struct rg_para {
    rg_line *lines;
    size_t nlines;
    const char *text;              /* the paragraph's text: its runs, concatenated */
    size_t text_len;
} rg_para;

/* How a paragraph is broken into lines. */
typedef struct rg_break_opts {
    double first_width, width;     /* line widths: the first line, the others */
    rg_align align;                /* JUSTIFY stretches word spaces; the others are the caller's x offset */
    int hyphenate;                 /* 0: never; else by each run's language */
    int hyphen_min_word, hyphen_left, hyphen_right;   /* characters; 0 = 6, 2, 3 */
    int hyphen_max_run;            /* hyphenated lines in a row; 0 = 2 */
    double max_word_space;         /* justified: widest space / natural space; 0 = 2.0 */
} rg_break_opts;

/* Convenience: options for width w and alignment a, no hyphenation. */
rg_break_opts rg_break_simple(double w, rg_align a);

/* Glyphs in one cluster (a base character and the marks on it). Unicode's
 * stream-safe format (UAX #15) allows 30 combining marks in a row; real
 * clusters (accents, Indic conjuncts, emoji sequences) have a handful.
 * "Zalgo" text with thousands of marks on one letter stacks them off the
 * page and costs quadratic time; the paragraph is cut before it.
 * (RG_MAX_PARA_BYTES / RG_MAX_PARA_GLYPHS, the paragraph's limits, are in
 * base/base.h: the load stage checks them too.) */
enum { RG_MAX_CLUSTER_GLYPHS = 32 };

/* Shapes the runs as one paragraph and breaks it into lines with the
 * Knuth-Plass total-fit algorithm (justified and ragged text alike),
 * hyphenating where allowed. All output lives in arena. A word wider
 * than the line is hyphenated by its language's patterns (even where
 * hyphenation is off), a soft hyphen (U+00AD) where the line breaks shows
 * a hyphen, and a word that still does not fit is broken between clusters
 * (never between two digits) with a warning; a justified line whose
 * spaces must exceed max_word_space is reported as a warning. Cannot
 * fail, but a paragraph beyond RG_MAX_PARA_BYTES or RG_MAX_PARA_GLYPHS, or
 * with a cluster beyond RG_MAX_CLUSTER_GLYPHS, is cut there and reported as an error diagnostic (ctx->errors goes
 * up): callers that must not produce output from it check ctx->errors
 * (rg_layout does, after each pass, and then fails with RG_EX_DATAERR). */
void rg_text_break(rg_ctx *ctx, rg_arena *arena, const rg_text_run *runs, size_t nruns,
                   const rg_break_opts *opts, rg_para *out);

/* The glyph an inserted hyphen is drawn with in face f (rg_text_break's
 * RG_RUN_HYPHEN pieces; the chart's labels use it too): the face's soft
 * hyphen where it looks exactly like its hyphen, else the hyphen; 0 when
 * f has no hyphen of its own. *advance: its advance in font units.
 * Cannot fail. */
uint32_t rg_text_hyphen_glyph(rg_ctx *ctx, const rg_font *f, double size, int32_t *advance);

/* Width in points of text set on one line in one font, and (when
 * widest_word is not NULL) the width of its widest space-separated word:
 * one shaping for both, with the same limits as rg_text_width. Cannot fail. */
void rg_text_measure(rg_ctx *ctx, const rg_font *font, double size, const char *lang,
                     const char *text, size_t len, double *width, double *widest_word);

/* Width in points of text set on one line in one font (no breaking); only
 * text within RG_MAX_PARA_BYTES and RG_MAX_CLUSTER_GLYPHS is measured. */
/* Makes HarfBuzz's process-wide record of language lang (NULL: "nl", as
 * shaping takes it) now. HarfBuzz makes one on first use and publishes it
 * with atomics that ThreadSanitizer cannot see in the uninstrumented
 * library: making the languages before a helper thread starts keeps its
 * reports to real races. Cannot fail. */
void rg_text_intern_language(const char *lang);

/* Bidirectional text (issue 17, bidi; text/bidi.c). The visual order of
 * n pieces of one line with UAX #9 embedding levels levels[] (rule L2:
 * from the highest level down to the lowest odd one, every stretch at
 * that level or above is reversed): order[k] is the logical index of the
 * piece drawn k-th from the left. Cannot fail. */
void rg_text_bidi_visual_order(const unsigned char *levels, size_t n, size_t *order);

/* Is lang (BCP 47) a language written right to left (ar, he, fa, ur, yi,
 * ...)? A paragraph all of whose runs are in one is a right-to-left
 * paragraph (base level 1); every other paragraph is left to right. */
int rg_text_lang_is_rtl(const char *lang);

double rg_text_width(rg_ctx *ctx, const rg_font *font, double size, const char *lang,
                     const char *text, size_t len);

#endif
