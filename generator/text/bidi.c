/* text/bidi.c - bidirectional text (issue 17): Arabic and Hebrew inside
 * Dutch. Stage: text; the one file that uses FriBidi. The paragraph's
 * embedding levels are resolved on its logical text before shaping
 * (text.c shapes a run of odd level right to left and keeps its glyphs in
 * logical order, so that break.c breaks lines on the logical text as
 * ever); once the lines are chosen, each line's pieces are placed in
 * visual order (UAX #9 rule L2: their x) while they stay in logical order
 * in the line, so that everything read from a line (its structure tags,
 * links, the word separator at its end) reads logically; the glyphs of a
 * right-to-left piece are turned back to the order HarfBuzz drew them
 * in. */
#include "internal.h"

#include <fribidi.h>

#include <stdlib.h>
#include <string.h>

int rg_text_lang_is_rtl(const char *lang)
{
    static const char *const rtl[] = { "ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug",
                                       "dv", "syr", "ckb" };
    char primary[4];                       /* the primary subtag, lower case */
    size_t n = 0;
    for (; lang && lang[n] && lang[n] != '-' && lang[n] != '_'; n++) {
        if (n == 3) return 0;
        primary[n] = (char)(lang[n] | 0x20);
    }
    primary[n] = 0;
    for (size_t i = 0; i < sizeof rtl / sizeof *rtl; i++)
        if (strcmp(primary, rtl[i]) == 0) return 1;
    return 0;
}

/* Does the text hold a character that can make anything right to left
 * (a strong R or AL letter, an Arabic number, an explicit embedding,
 * override or isolate)? ASCII never does: most paragraphs stop here. */
static int has_rtl(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        FriBidiCharType t = fribidi_get_bidi_type(text_next_cp(s, len, &i));
        if (FRIBIDI_IS_RTL(t) || FRIBIDI_IS_EXPLICIT(t) || FRIBIDI_IS_ISOLATE(t)) return 1;
    }
    return 0;
}

static int runs_rtl(const rg_text_run *runs, size_t nruns)
{
    if (nruns == 0) return 0;
    for (size_t i = 0; i < nruns; i++)
        if (!rg_text_lang_is_rtl(runs[i].lang)) return 0;
    return 1;
}

enum { RLI = 0x2067, PDI = 0x2069 };
#define NOT_TEXT ((size_t)-1)              /* an isolate FriBidi sees, not in the text */

/* Whether run i is isolated: a run in a right-to-left language inside a
 * left-to-right paragraph is taken as if between RLI and PDI (UAX #9
 * isolates, as HTML's <bdi> and dir on an element): the text around it
 * sees a neutral, so a number or a link after an Arabic or Hebrew phrase
 * stays in the Dutch text's order instead of joining the phrase. */
static int isolated(const para_shape *ps, const rg_text_run *runs, size_t i)
{
    return !ps->base_level && runs[i].len && rg_text_lang_is_rtl(runs[i].lang);
}

void text_bidi_levels(para_shape *ps, const rg_text_run *runs, size_t nruns)
{
    ps->levels = NULL;
    ps->base_level = runs_rtl(runs, nruns) ? 1 : 0;
    if (ps->len == 0 || (!ps->base_level && !has_rtl(ps->text, ps->len))) return;
    const unsigned char *s = (const unsigned char *)ps->text;
    size_t cap = ps->len + 2 * nruns;
    FriBidiChar *u = rg_xmalloc(cap * sizeof *u);
    size_t *at = rg_xmalloc((cap + 1) * sizeof *at);
    FriBidiCharType *types = rg_xmalloc(cap * sizeof *types);
    FriBidiBracketType *brackets = rg_xmalloc(cap * sizeof *brackets);
    FriBidiLevel *lv = rg_xmalloc(cap * sizeof *lv);
    size_t n = 0;
    for (size_t r = 0; r < nruns; r++) {
        int iso = isolated(ps, runs, r);
        if (iso) {
            at[n] = NOT_TEXT;
            u[n++] = RLI;
        }
        for (size_t i = ps->run_start[r]; i < ps->run_start[r + 1]; n++) {
            at[n] = i;
            u[n] = text_next_cp(s, ps->run_start[r + 1], &i);
        }
        if (iso) {
            at[n] = NOT_TEXT;
            u[n++] = PDI;
        }
    }
    fribidi_get_bidi_types(u, (FriBidiStrIndex)n, types);
    fribidi_get_bracket_types(u, (FriBidiStrIndex)n, types, brackets);
    FriBidiParType dir = ps->base_level ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, &dir, lv)) {
        ps->levels = rg_xmalloc(ps->len);
        for (size_t k = 0; k < n; k++) {
            if (at[k] == NOT_TEXT) continue;
            size_t end = ps->len;                  /* the character's bytes: to the next one */
            for (size_t j = k + 1; j < n; j++)
                if (at[j] != NOT_TEXT) {
                    end = at[j];
                    break;
                }
            memset(ps->levels + at[k], (unsigned char)lv[k], end - at[k]);
        }
    }
    free(u);
    free(at);
    free(types);
    free(brackets);
    free(lv);
}

void rg_text_bidi_visual_order(const unsigned char *levels, size_t n, size_t *order)
{
    if (n == 0) return;
    /* the pieces as FriBidi's characters: type ON (no white space, no
     * separator: rule L1 has nothing to reset, the breaker dropped the
     * spaces at the line's end), levels as given */
    FriBidiCharType *types = rg_xmalloc(n * sizeof *types);
    FriBidiLevel *lv = rg_xmalloc(n * sizeof *lv);
    FriBidiStrIndex *map = rg_xmalloc(n * sizeof *map);
    for (size_t i = 0; i < n; i++) {
        types[i] = FRIBIDI_TYPE_ON;
        lv[i] = (FriBidiLevel)levels[i];
        map[i] = (FriBidiStrIndex)i;
    }
    if (!fribidi_reorder_line(0, types, (FriBidiStrIndex)n, 0, FRIBIDI_PAR_LTR, lv, NULL, map))
        for (size_t i = 0; i < n; i++) map[i] = (FriBidiStrIndex)i;   /* out of memory */
    for (size_t i = 0; i < n; i++) order[i] = (size_t)map[i];
    free(types);
    free(lv);
    free(map);
}

/* A right-to-left piece's glyphs, turned back to visual order (a copy in
 * arena: the glyphs of a piece are its own, but const to the outside). */
static void reverse_glyphs(rg_arena *arena, rg_line_piece *pc)
{
    rg_glyph *g = rg_arena_alloc(arena, (pc->nglyphs ? pc->nglyphs : 1) * sizeof *g);
    for (size_t i = 0; i < pc->nglyphs; i++) g[i] = pc->glyphs[pc->nglyphs - 1 - i];
    pc->glyphs = g;
}

/* Places the pieces of ln left to right in visual order (their x), kept
 * in logical order in the line. */
static void place_line(rg_arena *arena, rg_line *ln)
{
    size_t n = ln->npieces;
    int mixed = 0;
    for (size_t i = 0; i < n; i++) mixed |= ln->pieces[i].level != 0;
    if (!mixed) return;
    unsigned char *levels = rg_xmalloc(n);
    size_t *order = rg_xmalloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++) levels[i] = ln->pieces[i].level;
    rg_text_bidi_visual_order(levels, n, order);
    double x = 0;
    for (size_t k = 0; k < n; k++) {
        rg_line_piece *pc = &ln->pieces[order[k]];
        if (pc->level & 1) reverse_glyphs(arena, pc);
        pc->x = x;
        x += pc->width;
    }
    free(levels);
    free(order);
}

void text_bidi_place_lines(rg_arena *arena, rg_para *out)
{
    for (size_t k = 0; k < out->nlines; k++) place_line(arena, &out->lines[k]);
}
