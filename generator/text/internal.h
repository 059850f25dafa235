/* text/internal.h - internals of the text stage shared by text/text.c (shaping) and
 * text/break.c (line breaking). Not for other stages. */
#ifndef RG_TEXT_IMP_H
#define RG_TEXT_IMP_H

#include "text.h"

#include <linebreak.h>                /* libunibreak: LINEBREAK_* */

/* a shaped glyph of the paragraph, with the run and face it came from */
typedef struct pglyph {
    rg_glyph g;                    /* cluster = byte offset in the paragraph text */
    unsigned run;
    const rg_font *font;           /* the run's font, or a fallback face */
    double width;                  /* points */
} pglyph;

typedef struct para_shape {
    char *text;                    /* the runs' text concatenated */
    size_t len;
    size_t *run_start;
    pglyph *glyphs;
    size_t nglyphs, cap;
    char *brk;                     /* libunibreak result per byte */
    /* bidirectional text (issue 17, bidi) */
    unsigned char *levels;         /* UAX #9 embedding level per byte, or NULL when the
                                    * paragraph is left to right throughout */
    unsigned char base_level;      /* the paragraph's: 0 left to right, 1 right to left */
} para_shape;

/* Shapes the runs as one paragraph (fallback faces per character); with
 * want_breaks, also the UAX #14 break opportunities. */
void text_shape_para(rg_ctx *ctx, const rg_text_run *runs, size_t nruns, int want_breaks,
                para_shape *ps);
/* Adds the UAX #14 break opportunities to a paragraph shaped without them
 * (nothing when it has them). */
void text_para_breaks(para_shape *ps, const rg_text_run *runs, size_t nruns);
void text_para_shape_free(para_shape *ps);
/* Byte offset in s (len bytes of UTF-8) of the character that carries more
 * than max combining marks (or ZWJ) in a row, or len when none does.
 * Checked before shaping: HarfBuzz takes quadratic time on such clusters. */
size_t text_overlong_cluster(const char *s, size_t len, int max);
/* The glyph an inserted hyphen is drawn with in face f, whose hyphen
 * glyph is hyphen: the face's own glyph for U+00AD when it looks the same
 * (same advance and ink box), so that readers which take the text from
 * the glyphs (ToUnicode) alone read a soft hyphen there, never a
 * hyphen-minus inside a word; else hyphen. Cannot fail. */
uint32_t text_soft_hyphen_glyph(const rg_font *f, uint32_t hyphen);
/* byte offset where the cluster of glyph i ends */
size_t text_cluster_end(const para_shape *ps, size_t i);
/* Is glyph i a word space? (Inline: asked for every glyph of every line.) */
static inline int text_is_space_glyph(const para_shape *ps, size_t i)
{
    return ps->text[ps->glyphs[i].g.cluster] == ' ';
}

/* ---- bidirectional text (issue 17, bidi; text/bidi.c) ---- */

/* The code point at s[*i] (UTF-8 of len bytes); moves *i past it. */
uint32_t text_next_cp(const unsigned char *s, size_t len, size_t *i);
/* Resolves the embedding levels of ps's text with FriBidi (UAX #9, rules
 * P2-I2; brackets too): ps->levels stays NULL when nothing in it is right
 * to left. The paragraph direction is the runs' language's
 * (rg_text_lang_is_rtl of every run), not guessed from the text. */
void text_bidi_levels(para_shape *ps, const rg_text_run *runs, size_t nruns);
/* The level of the character at byte off of ps's text (0 without levels). */
static inline unsigned text_level_at(const para_shape *ps, size_t off)
{
    return ps->levels && off < ps->len ? ps->levels[off] : ps->base_level;
}
/* Places the pieces of every line of out in visual order (rule L2: each
 * piece's x), leaving them in logical order in the line, and turns the
 * glyphs of a right-to-left piece right to left (copies in arena). Lines
 * are broken first, on the logical text; this runs last. */
void text_bidi_place_lines(rg_arena *arena, rg_para *out);

/* A break opportunity before glyph i (after the text before its cluster);
 * *mandatory for a forced one. Needs the paragraph's breaks (ps->brk). */
static inline int text_break_before(const para_shape *ps, size_t i, int *mandatory)
{
    *mandatory = 0;
    if (i == 0) return 0;
    uint32_t c = ps->glyphs[i].g.cluster;
    if (c == ps->glyphs[i - 1].g.cluster || c == 0) return 0;
    char b = ps->brk[c - 1];
    if (b == LINEBREAK_MUSTBREAK) *mandatory = 1;
    return b == LINEBREAK_MUSTBREAK || b == LINEBREAK_ALLOWBREAK;
}

#endif
