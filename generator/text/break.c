/* text/break.c - from a shaped paragraph to lines. Stage: text. The glyphs
 * become Knuth-Plass items: boxes (glyphs between break opportunities),
 * glue (word spaces: stretchable when justified; for ragged text the
 * stretch sits at the line end), penalties (UAX #14 opportunities that are
 * not spaces, hyphenation points with the width of the hyphen, forced
 * breaks, and - inside a word wider than the line - every cluster
 * boundary, at a high price). Passes as in TeX: without hyphenation at a
 * low tolerance, with hyphenation, then an emergency pass that always
 * succeeds. The chosen lines are ranges of the shaped glyphs; justified
 * lines widen their spaces by the line's adjustment ratio. */
#include "internal.h"
#include "kp.h"
#include "fonts/fonts.h"
#include "hyphen/hyphen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum {
    HYPHEN_PENALTY = 50,           /* TeX's \hyphenpenalty */
    EXHYPHEN_PENALTY = 50,         /* a break after an explicit hyphen */
    SPLIT_PENALTY = 5000,          /* a break inside an overlong word, without a hyphen */
    ADDRESS_PENALTY = 200,         /* a break in an e-mail address or URL, without a hyphen */
    MAX_POINTS = 32                /* hyphenation points per word */
};

static const double PRETOLERANCE = 100, TOLERANCE = 200;
static const double FILL = 1e6;   /* "infinite" stretch of the last line */

typedef struct items {
    kp_item *v;
    size_t n, cap;
    double box;                    /* width of the box being collected */
    size_t box_glyph;
    int in_box;
} items;

typedef struct hyphen_glyph {      /* the hyphen of one face, shaped once */
    const rg_font *font;
    uint32_t gid;
    int32_t advance;               /* font units */
} hyphen_glyph;

typedef struct breaker {
    rg_ctx *ctx;
    const rg_text_run *runs;
    size_t nruns;
    unsigned char *released;       /* per run: a no-break text too wide for the line,
                                    * broken as ordinary text after all (warned) */
    const para_shape *ps;
    const rg_break_opts *o;
    items it;
    int with_hyphens;              /* items carry hyphenation points (passes 2 and 3) */
    int overlong;                  /* a word is wider than the narrowest line */
    hyphen_glyph hy[8];
    int nhy;
} breaker;

/* ------------------------------------------------------------- items */

static void push(items *it, kp_item item)
{
    rg_grow(&it->v, &it->cap, it->n + 1, sizeof *it->v);
    it->v[it->n++] = item;
}

static void flush_box(items *it)
{
    if (!it->in_box) return;
    push(it, (kp_item){ KP_BOX, it->box, 0, 0, 0, 0, 0, it->box_glyph });
    it->in_box = 0;
    it->box = 0;
}

static void add_to_box(items *it, size_t glyph, double width)
{
    if (!it->in_box) {
        it->in_box = 1;
        it->box_glyph = glyph;
    }
    it->box += width;
}

static void add_penalty(items *it, size_t glyph, double width, double penalty, int flagged,
                        int hyphenation)
{
    flush_box(it);
    push(it, (kp_item){ KP_PENALTY, width, 0, 0, penalty, flagged, hyphenation, glyph });
}

/* A word space: stretchable when justified; for ragged text the stretch
 * goes to the line end (glue, penalty, negative glue: Knuth-Plass 1981). */
/* Run k is no-break text that is kept together. */
static int kept_whole(const breaker *B, size_t k)
{
    return B->runs[k].nobreak && !(B->released && B->released[k]);
}

static void add_space(breaker *B, size_t glyph, double w, double size, int nobreak)
{
    items *it = &B->it;
    flush_box(it);
    if (nobreak) {
        push(it, (kp_item){ KP_PENALTY, 0, 0, 0, KP_INF, 0, 0, glyph });
        push(it, (kp_item){ KP_GLUE, w, 0, 0, 0, 0, 0, glyph });
    } else if (B->o->align == RG_ALIGN_JUSTIFY) {
        push(it, (kp_item){ KP_GLUE, w, w / 2, w / 3, 0, 0, 0, glyph });
    } else {
        double s = 3 * size;
        push(it, (kp_item){ KP_GLUE, 0, s, 0, 0, 0, 0, glyph });
        push(it, (kp_item){ KP_PENALTY, 0, 0, 0, 0, 0, 0, glyph });
        push(it, (kp_item){ KP_GLUE, w, -s, 0, 0, 0, 0, glyph });
    }
}

/* ------------------------------------------------------- hyphenation */

static const hyphen_glyph *hyphen_of(breaker *B, const rg_font *f, double size)
{
    for (int i = 0; i < B->nhy; i++)
        if (B->hy[i].font == f) return &B->hy[i];
    if (B->nhy == (int)(sizeof B->hy / sizeof *B->hy)) return NULL;
    hyphen_glyph *h = &B->hy[B->nhy++];
    h->font = f;
    h->gid = rg_text_hyphen_glyph(B->ctx, f, size, &h->advance);
    return h->gid ? h : NULL;
}

uint32_t rg_text_hyphen_glyph(rg_ctx *ctx, const rg_font *f, double size, int32_t *advance)
{
    uint32_t gid = 0;
    *advance = 0;
    rg_text_run r = { "-", 1, f, size, { 0, 0, 0 }, NULL, NULL, 0 };
    para_shape ps;
    text_shape_para(ctx, &r, 1, 0, &ps);
    if (ps.nglyphs == 1 && ps.glyphs[0].font == f && ps.glyphs[0].g.gid) {
        gid = text_soft_hyphen_glyph(f, ps.glyphs[0].g.gid);
        *advance = ps.glyphs[0].g.x_advance;
    }
    text_para_shape_free(&ps);
    return gid;
}

/* Hyphenation where it is on, and in any word too wide for the line.
 * Never in a right-to-left language (bidi, issue 17): Arabic and Hebrew
 * are not hyphenated, and asking for their patterns would only warn. */
static int hyphen_ok(const breaker *B, const rg_text_run *r, int overlong)
{
    return (B->o->hyphenate || overlong) && !kept_whole(B, (size_t)(r - B->runs)) &&
           !rg_text_lang_is_rtl(r->lang);
}

/* Hyphenation points of the word [ws, we) as glyph indices into pts. */
/* Hyphenation points of one segment of a word (bytes [a, b) of the text)
 * as glyph indices in [ws, we), appended to pts; returns the new count. */
static size_t segment_points(breaker *B, const rg_text_run *r, size_t a, size_t b, size_t ws,
                             size_t we, size_t *pts, size_t k)
{
    const para_shape *ps = B->ps;
    rg_hyphen_opts ho = { B->o->hyphen_min_word ? B->o->hyphen_min_word : 6,
                          B->o->hyphen_left ? B->o->hyphen_left : 2,
                          B->o->hyphen_right ? B->o->hyphen_right : 3 };
    size_t offs[MAX_POINTS];
    size_t n = rg_hyphenate(B->ctx, r->lang ? r->lang : "nl", ps->text + a, b - a, &ho, offs,
                            MAX_POINTS);
    for (size_t p = 0; p < n && k < MAX_POINTS; p++)   /* only where a cluster begins */
        for (size_t i = ws + 1; i < we; i++)
            if (ps->glyphs[i].g.cluster == a + offs[p] &&
                ps->glyphs[i].g.cluster != ps->glyphs[i - 1].g.cluster)
                pts[k++] = i;
    return k;
}

/* Hyphenation points of the word [ws, we) as glyph indices into pts. A
 * "word" may hold no-break spaces (U+00A0 binds "€ 357,4 mln"): each part
 * between them is hyphenated on its own, never across or next to one. */
static size_t word_points(breaker *B, size_t ws, size_t we, int overlong, size_t *pts)
{
    const para_shape *ps = B->ps;
    const rg_text_run *r = &B->runs[ps->glyphs[ws].run];
    for (size_t i = ws; i < we; i++)
        if (ps->glyphs[i].run != ps->glyphs[ws].run) return 0;   /* mixed styles: leave it */
    if (!B->with_hyphens || !hyphen_ok(B, r, overlong)) return 0;
    size_t t0 = ps->glyphs[ws].g.cluster, t1 = text_cluster_end(ps, we - 1);
    const unsigned char *t = (const unsigned char *)ps->text;
    size_t k = 0, a = t0;
    for (size_t i = t0; i <= t1; i++) {
        int nbsp = i + 1 < t1 && t[i] == 0xC2 && t[i + 1] == 0xA0;
        if (i == t1 || nbsp) {
            if (i > a) k = segment_points(B, r, a, i, ws, we, pts, k);
            if (nbsp) i++;
            a = i + 1;
        }
    }
    return k;
}

/* ------------------------------------------------------------- words */

static int in_points(const size_t *pts, size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++)
        if (pts[k] == i) return 1;
    return 0;
}

static double min_width(const rg_break_opts *o)
{
    return o->first_width < o->width ? o->first_width : o->width;
}

/* E-mail addresses and URLs are never hyphenated nor split between
 * letters, but may break without a hyphen after '@', '.', '-' or a single
 * '/' (not within their last 6 characters). */
static int is_address(const para_shape *ps, size_t ws, size_t we)
{
    size_t t0 = ps->glyphs[ws].g.cluster, t1 = text_cluster_end(ps, we - 1);
    const char *w = ps->text + t0;
    size_t n = t1 - t0;
    if (memchr(w, '@', n)) return 1;
    for (size_t i = 0; i + 3 <= n; i++)
        if (!memcmp(w + i, "://", 3) || (i + 4 <= n && !memcmp(w + i, "www.", 4))) return 1;
    return 0;
}

static int address_break_before(const para_shape *ps, size_t i, size_t we)
{
    const char *t = ps->text;
    uint32_t c = ps->glyphs[i].g.cluster;
    if (i + 6 > we) return 0;
    if (t[c - 1] == '@' || t[c - 1] == '.' || t[c - 1] == '-')
        return t[c] != '.' && t[c] != '-' && t[c] != '/';
    return t[c - 1] == '/' && t[c] != '/' && (c < 2 || t[c - 2] != '/');
}

/* A break inside a word. In ragged text a line may end short there as at
 * a space: the line-end stretch of add_space, kept from being a break of
 * its own by an infinite penalty (Knuth-Plass 1981's ragged right with
 * hyphens). Without it a line ending in a piece of an overlong word is
 * judged as if justified, and a hard break that fills the line beats a
 * hyphen that leaves it short. */
static void add_word_break(breaker *B, size_t i, double width, double penalty, int flagged,
                           int hyphenation, int ragged)
{
    items *it = &B->it;
    if (!ragged) {
        add_penalty(it, i, width, penalty, flagged, hyphenation);
        return;
    }
    double s = 3 * B->runs[B->ps->glyphs[i].run].size;
    flush_box(it);
    push(it, (kp_item){ KP_PENALTY, 0, 0, 0, KP_INF, 0, 0, i });
    push(it, (kp_item){ KP_GLUE, 0, s, 0, 0, 0, 0, i });
    push(it, (kp_item){ KP_PENALTY, width, 0, 0, penalty, flagged, hyphenation, i });
    push(it, (kp_item){ KP_GLUE, 0, -s, 0, 0, 0, 0, i });
}

/* A break before glyph i that shows a hyphen (a hyphenation point). */
static void add_hyphen_point(breaker *B, size_t i, int ragged)
{
    const pglyph *g = &B->ps->glyphs[i];
    const hyphen_glyph *h = hyphen_of(B, B->ps->glyphs[i - 1].font, B->runs[g->run].size);
    if (h)
        add_word_break(B, i, h->advance * B->runs[g->run].size / rg_font_upem(h->font),
                       HYPHEN_PENALTY, 1, 1, ragged);
}

/* Does glyph i follow a soft hyphen (U+00AD, C2 AD)? */
static int after_soft_hyphen(const para_shape *ps, size_t i)
{
    uint32_t c = ps->glyphs[i].g.cluster;
    return c >= 2 && (unsigned char)ps->text[c - 2] == 0xC2 &&
           (unsigned char)ps->text[c - 1] == 0xAD;
}

/* Is glyph i a digit that follows a digit? Figures are never split. */
static int between_digits(const para_shape *ps, size_t i)
{
    uint32_t c = ps->glyphs[i].g.cluster;
    return c >= 1 && isdigit((unsigned char)ps->text[c]) && isdigit((unsigned char)ps->text[c - 1]);
}

/* Is the word [ws, we) a figure (digits, no letters)? One wider than its
 * line may be split between digits after all (a hard break, warned):
 * better than running out of the text area. */
static int is_figure(const para_shape *ps, size_t ws, size_t we)
{
    size_t end = text_cluster_end(ps, we - 1);
    int digits = 0;
    for (size_t b = ps->glyphs[ws].g.cluster; b < end; b++) {
        unsigned char c = (unsigned char)ps->text[b];
        if (isdigit(c)) digits++;
        else if (isalpha(c)) return 0;
    }
    return digits > 0;
}

/* For an address [ws, we): per glyph, 1 when the part between its break
 * opportunities (after / . @ -) that holds it is wider than the line, so
 * that it may be split there after all (a hard break, warned). Malloc'd. */
static unsigned char *address_wide_parts(const breaker *B, size_t ws, size_t we)
{
    const para_shape *ps = B->ps;
    unsigned char *wide = rg_xcalloc(we - ws, 1);
    size_t start = ws;
    double w = 0;
    for (size_t i = ws; i <= we; i++) {
        int boundary = i == we || (i > ws && ps->glyphs[i].g.cluster != ps->glyphs[i - 1].g.cluster &&
                                   address_break_before(ps, i, we));
        if (boundary) {
            if (w > min_width(B->o)) memset(wide + (start - ws), 1, i - start);
            start = i;
            w = 0;
        }
        if (i < we) w += ps->glyphs[i].width;
    }
    return wide;
}

/* The glyphs of one word (no spaces) with the breaks allowed inside it. */
static void add_word(breaker *B, size_t ws, size_t we)
{
    const para_shape *ps = B->ps;
    items *it = &B->it;
    double width = 0;
    for (size_t i = ws; i < we; i++) width += ps->glyphs[i].width;
    size_t pts[MAX_POINTS];
    int overlong = width > min_width(B->o);
    int address = is_address(ps, ws, we);
    size_t npts = address ? 0 : word_points(B, ws, we, overlong, pts);
    if (overlong) B->overlong = 1;
    unsigned char *wide_part = address && overlong ? address_wide_parts(B, ws, we) : NULL;
    /* the pieces of a word too wide for a ragged line may leave lines short */
    int ragged = overlong && B->o->align != RG_ALIGN_JUSTIFY;
    int wide_figure = overlong && !address && is_figure(ps, ws, we);
    for (size_t i = ws; i < we; i++) {
        const pglyph *g = &ps->glyphs[i];
        int nobreak = kept_whole(B, g->run);
        int mandatory, new_cluster = i > ws && g->g.cluster != ps->glyphs[i - 1].g.cluster;
        /* in an address only its own breaks (below) and forced ones */
        if (i > ws && text_break_before(ps, i, &mandatory) &&
            (mandatory || (!nobreak && !address))) {
            if (mandatory) {
                flush_box(it);
                push(it, (kp_item){ KP_GLUE, 0, FILL, 0, 0, 0, 0, i });
                add_penalty(it, i, 0, -KP_INF, 0, 0);
            } else if (after_soft_hyphen(ps, i)) {
                add_hyphen_point(B, i, ragged);
            } else {
                int after_hyphen = ps->text[g->g.cluster - 1] == '-';
                add_word_break(B, i, 0, after_hyphen ? EXHYPHEN_PENALTY : 0, after_hyphen, 0,
                               ragged);
            }
        } else if (in_points(pts, npts, i)) {
            add_hyphen_point(B, i, ragged);
        } else if (address && new_cluster && !nobreak && address_break_before(ps, i, we)) {
            add_word_break(B, i, 0, ADDRESS_PENALTY, 0, 0, ragged);
        } else if (overlong && new_cluster && (!address || wide_part[i - ws]) &&
                   (!between_digits(ps, i) || wide_figure) && B->with_hyphens) {
            /* not in the first pass, which has no hyphens yet: a line
             * left short at a split would beat them */
            add_word_break(B, i, 0, SPLIT_PENALTY, 0, 0, ragged);
        }
        add_to_box(it, i, g->width);
    }
    free(wide_part);
}

/* Is the no-break text that run k belongs to (with the no-break runs
 * next to it: styled parts of one <nobreak>) too wide for the narrowest
 * line? Then it is broken at its spaces after all, with a warning. */
static int nobreak_too_wide(breaker *B, size_t k, unsigned char *warned)
{
    const para_shape *ps = B->ps;
    size_t a = k, b = k;
    while (a > 0 && B->runs[a - 1].nobreak) a--;
    while (b + 1 < B->nruns && B->runs[b + 1].nobreak) b++;
    double w = 0;
    size_t first = ps->nglyphs, last = 0;
    for (size_t i = 0; i < ps->nglyphs; i++)
        if (ps->glyphs[i].run >= a && ps->glyphs[i].run <= b) {
            w += ps->glyphs[i].width;
            if (first == ps->nglyphs) first = i;
            last = i;
        }
    if (w <= min_width(B->o)) return 0;
    if (!*warned) {
        uint32_t t0 = ps->glyphs[first].g.cluster;
        size_t t1 = text_cluster_end(ps, last);
        rg_diag(B->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "a no-break text wider than its line (%.0f pt) is broken at its spaces: "
                "\"%.*s\"", min_width(B->o), (int)rg_utf8_prefix(ps->text + t0, t1 - t0, 60), ps->text + t0);
        *warned = 1;
    }
    return 1;
}

/* Marks the no-break texts too wide for the line in B->released. */
static void release_wide_nobreaks(breaker *B)
{
    for (size_t k = 0; k < B->nruns; k++) {
        if (!B->runs[k].nobreak || (k > 0 && B->runs[k - 1].nobreak)) continue;
        unsigned char warned = 0;                /* k starts a no-break text */
        if (!nobreak_too_wide(B, k, &warned)) continue;
        if (!B->released) B->released = rg_xcalloc(B->nruns, 1);
        for (size_t e = k; e < B->nruns && B->runs[e].nobreak; e++) B->released[e] = 1;
    }
}

static void build_items(breaker *B)
{
    const para_shape *ps = B->ps;
    size_t i = 0;
    while (i < ps->nglyphs) {
        if (text_is_space_glyph(ps, i)) {
            size_t j = i;
            double w = 0;
            while (j < ps->nglyphs && text_is_space_glyph(ps, j)) w += ps->glyphs[j++].width;
            size_t k = ps->glyphs[i].run;
            add_space(B, i, w, B->runs[k].size, kept_whole(B, k));
            i = j;
            continue;
        }
        size_t j = i + 1;
        while (j < ps->nglyphs && !text_is_space_glyph(ps, j)) j++;
        add_word(B, i, j);
        i = j;
    }
    flush_box(&B->it);
    push(&B->it, (kp_item){ KP_GLUE, 0, FILL, 0, 0, 0, 0, ps->nglyphs });
    push(&B->it, (kp_item){ KP_PENALTY, 0, 0, 0, -KP_INF, 0, 0, ps->nglyphs });
}

/* ------------------------------------------------------------ passes */

/* TeX's passes. The first needs no hyphenation points, so the items get
 * them (and the language's patterns are loaded) only when it fails. */
static size_t find_breaks(breaker *B, kp_break **out)
{
    const rg_break_opts *o = B->o;
    kp_params p = { o->first_width, o->width, PRETOLERANCE, 10, 3000, 100,
                    o->hyphen_max_run ? o->hyphen_max_run : 2, 0, 0 };
    size_t n = kp_find_breaks(B->it.v, B->it.n, &p, out);
    if (n) return n;
    if (o->hyphenate || B->overlong) {
        B->with_hyphens = 1;
        B->it.n = 0;
        build_items(B);
    }
    p.tolerance = TOLERANCE;
    p.use_hyphens = 1;
    n = kp_find_breaks(B->it.v, B->it.n, &p, out);
    if (n) return n;
    p.tolerance = KP_INF;                     /* emergency: always finds lines */
    p.emergency_stretch = 0.066 * min_width(o);   /* about 3 em on a text column, as in TeX */
    return kp_find_breaks(B->it.v, B->it.n, &p, out);
}

/* ------------------------------------------------------------- lines */

typedef struct line_range {
    size_t start, end;             /* glyphs */
    size_t item0, item1;           /* items of the line: [item0, item1) */
    double ratio;
    int hyphen, justify;
} line_range;

static size_t first_box_after(const items *it, size_t k)
{
    while (k < it->n && it->v[k].type != KP_BOX) k++;
    return k;
}

static int same_piece(const para_shape *ps, size_t a, size_t b)
{
    return ps->glyphs[a].run == ps->glyphs[b].run && ps->glyphs[a].font == ps->glyphs[b].font &&
           text_level_at(ps, ps->glyphs[a].g.cluster) ==
               text_level_at(ps, ps->glyphs[b].g.cluster);      /* bidi (issue 17) */
}

/* Extra advance per glyph from the line's adjustment (justified lines).
 * Glyphs are asked for in increasing order within a line, and items are
 * in glyph order, so *cursor (the line's first item at first) only moves
 * forward: linear in the line, not quadratic. */
static double glyph_extra(const breaker *B, const line_range *lr, size_t glyph, size_t *cursor)
{
    if (!lr->justify) return 0;
    size_t k = *cursor < lr->item0 ? lr->item0 : *cursor;
    while (k < lr->item1 && B->it.v[k].glyph < glyph) k++;
    *cursor = k;
    for (; k < lr->item1 && B->it.v[k].glyph == glyph; k++) {
        const kp_item *it = &B->it.v[k];
        if (it->type == KP_GLUE)
            return lr->ratio >= 0 ? lr->ratio * it->stretch : lr->ratio * it->shrink;
    }
    return 0;
}

static void fill_piece(const breaker *B, rg_arena *arena, const line_range *lr, size_t i,
                       size_t j, double x, size_t *cursor, rg_line_piece *pc)
{
    const para_shape *ps = B->ps;
    const rg_text_run *r = &B->runs[ps->glyphs[i].run];
    pc->font = ps->glyphs[i].font;
    pc->size = r->size;
    pc->color = r->color;
    pc->href = r->href;
    pc->lang = r->lang;            /* <span xml:lang> (issue 17) */
    pc->x = x;
    uint32_t t0 = ps->glyphs[i].g.cluster;
    size_t t1 = text_cluster_end(ps, j - 1);
    pc->text = rg_arena_strndup(arena, ps->text + t0, t1 - t0);
    pc->text_len = t1 - t0;
    pc->src = t0;
    pc->flags = 0;
    pc->rest = NULL;
    pc->rest_len = pc->cont_len = 0;
    pc->level = (unsigned char)text_level_at(ps, t0);     /* bidi (issue 17) */
    pc->lang = r->lang;
    if (pc->level & 1) pc->flags |= RG_RUN_RTL;
    rg_glyph *gs = rg_arena_alloc(arena, (j - i) * sizeof *gs);
    double scale = r->size / rg_font_upem(pc->font), w = 0;
    for (size_t k = i; k < j; k++) {
        rg_glyph g = ps->glyphs[k].g;
        g.cluster -= t0;
        double extra = text_is_space_glyph(ps, k) ? glyph_extra(B, lr, k, cursor) : 0;
        if (extra != 0) {
            /* at most a few spaces' width in font units (cap_wide_spaces):
             * far inside int32, kept so for any ratio */
            int add;
            rg_double_to_int(extra / scale + (extra > 0 ? 0.5 : -0.5), -(1 << 24), 1 << 24, &add);
            g.x_advance += add;
        }
        gs[k - i] = g;
        w += g.x_advance * scale;
    }
    pc->glyphs = gs;
    pc->nglyphs = j - i;
    pc->width = w;
}

/* The inserted hyphen: a piece of its own in the last glyph's face. Its
 * text is U+00AD, the soft hyphen it realises, so that extraction can give
 * the word whole (the pdf stage adds /ActualText where the glyph's ToUnicode
 * says '-'). */
static void hyphen_piece(breaker *B, rg_arena *arena, const line_range *lr, double x,
                         rg_line_piece *pc)
{
    const pglyph *last = &B->ps->glyphs[lr->end - 1];
    const rg_text_run *r = &B->runs[last->run];
    const hyphen_glyph *h = hyphen_of(B, last->font, r->size);
    rg_glyph *g = rg_arena_alloc(arena, sizeof *g);
    g->gid = h ? h->gid : 0;
    g->x_advance = h ? h->advance : 0;
    *pc = (rg_line_piece){ last->font, r->size, r->color, r->href, x, 0, g, 1,
                           rg_arena_strdup(arena, "\xc2\xad"), 2,   /* U+00AD: a soft hyphen */
                           text_cluster_end(B->ps, lr->end - 1), RG_RUN_HYPHEN, NULL, 0, 0,
                           0, NULL };
    pc->width = g->x_advance * r->size / rg_font_upem(last->font);
    pc->level = (unsigned char)text_level_at(B->ps, last->g.cluster);   /* bidi (issue 17) */
    pc->lang = r->lang;
}

static void emit_line(breaker *B, rg_arena *arena, const line_range *lr, rg_line *line)
{
    const para_shape *ps = B->ps;
    size_t np = lr->hyphen ? 1 : 0;
    for (size_t i = lr->start; i < lr->end; i++)
        if (i == lr->start || !same_piece(ps, i - 1, i)) np++;
    line->pieces = rg_arena_alloc(arena, (np ? np : 1) * sizeof *line->pieces);
    line->npieces = np;
    line->hyphenated = lr->hyphen;
    double x = 0;
    size_t p = 0, i = lr->start, cursor = lr->item0;
    while (i < lr->end) {
        size_t j = i + 1;
        while (j < lr->end && same_piece(ps, i, j)) j++;
        fill_piece(B, arena, lr, i, j, x, &cursor, &line->pieces[p]);
        x += line->pieces[p++].width;
        i = j;
    }
    if (lr->hyphen && lr->end > lr->start) {
        hyphen_piece(B, arena, lr, x, &line->pieces[p]);
        x += line->pieces[p].width;
    } else if (lr->hyphen) {
        line->npieces--;
    }
    line->width = x;
}

/* Word spaces of a justified line never grow past the layout's maximum:
 * a line that would need more is left short, with a warning. */
static void cap_wide_spaces(breaker *B, line_range *lr)
{
    double max = B->o->max_word_space > 0 ? B->o->max_word_space : 2.0;
    double rmax = 2 * (max - 1);          /* glue stretch is half the space */
    if (!lr->justify || lr->ratio <= rmax) return;
    lr->ratio = rmax;
    const para_shape *ps = B->ps;
    uint32_t t0 = ps->glyphs[lr->start].g.cluster;
    size_t t1 = lr->end > lr->start ? text_cluster_end(ps, lr->end - 1) : t0;
    rg_diag(B->ctx, RG_SEV_WARNING, NULL, 0, 0,
            "line left short: justifying it would stretch word spaces past %.1f times "
            "their width: \"%.*s\"", max, (int)rg_utf8_prefix(ps->text + t0, t1 - t0, 60), ps->text + t0);
}

/* The ratio that fills a justified line exactly with its own glue (the
 * breaker's ratio may include emergency stretch). */
static double fill_ratio(const breaker *B, const line_range *lr, double target)
{
    double w = 0, st = 0, sh = 0;
    for (size_t k = lr->item0; k < lr->item1; k++) {
        const kp_item *it = &B->it.v[k];
        if (it->type == KP_PENALTY) continue;
        w += it->width;
        if (it->type == KP_GLUE) {
            st += it->stretch;
            sh += it->shrink;
        }
    }
    const kp_item *end = &B->it.v[lr->item1];
    if (end->type == KP_PENALTY) w += end->width;
    if (w < target) return st > 0 ? (target - w) / st : 0;
    if (w > target) return sh > 0 ? (target - w) / sh > -1 ? (target - w) / sh : -1 : 0;
    return 0;
}

/* A line that ends inside a word without a hyphen: flagged and warned. */
static void mark_hard_break(breaker *B, const line_range *lr, rg_line *ln)
{
    const para_shape *ps = B->ps;
    ln->hard_break = 1;
    ln->pieces[ln->npieces - 1].flags |= RG_RUN_HARD_BREAK;
    size_t ws = lr->end, we = lr->end;         /* the word around the break */
    while (ws > 0 && !text_is_space_glyph(ps, ws - 1)) ws--;
    while (we < ps->nglyphs && !text_is_space_glyph(ps, we)) we++;
    uint32_t t0 = ps->glyphs[ws].g.cluster;
    size_t t1 = text_cluster_end(ps, we - 1);
    rg_diag(B->ctx, RG_SEV_WARNING, NULL, 0, 0,
            "a word wider than its line (%.0f pt) is broken without a hyphen: \"%.*s\"",
            B->o->width, (int)rg_utf8_prefix(ps->text + t0, t1 - t0, 80), ps->text + t0);
}

/* Where a line's text ends in the paragraph (its last piece of source
 * text: an inserted hyphen stands for none). */
static size_t line_text_end(const rg_line *ln)
{
    const rg_line_piece *pc = &ln->pieces[ln->npieces - 1];
    if ((pc->flags & RG_RUN_HYPHEN) && ln->npieces > 1) pc--;
    return pc->src + pc->text_len;
}

/* Marks the last piece of every line that broke at white space with
 * RG_RUN_SPACE_AFTER (dlist/dlist.h): the breaker drops the spaces between
 * two lines, so their texts would meet without one. A gap between one
 * line's text and the next's start is exactly such dropped spaces; a
 * hyphenated line, or one broken after '/' or '-', ends where the next
 * starts. */
static void mark_word_separators(rg_para *out)
{
    for (size_t k = 0; k + 1 < out->nlines; k++) {
        rg_line *ln = &out->lines[k], *next = &out->lines[k + 1];
        if (!ln->npieces || !next->npieces || ln->hyphenated) continue;
        if (next->pieces[0].src > line_text_end(ln))
            ln->pieces[ln->npieces - 1].flags |= RG_RUN_SPACE_AFTER;
    }
}

/* The bytes of a line's first piece up to its first space: the part of a
 * word hyphenated at the end of the line before. */
static size_t word_part_len(const rg_line_piece *pc)
{
    const char *space = memchr(pc->text, ' ', pc->text_len);
    return space ? (size_t)(space - pc->text) : pc->text_len;
}

/* Gives every inserted hyphen the rest of its word and marks where that
 * rest starts the next line (RG_RUN_CONTINUES, dlist/dlist.h): the pdf
 * writer makes the hyphen read as the rest and the rest read as nothing
 * for readers that apply /ActualText, so that they get the word whole.
 * Only when the rest is in the same link (or none) as the hyphen: a Link
 * element's text must not move into its neighbour. */
static void mark_word_continuations(rg_para *out)
{
    for (size_t k = 0; k + 1 < out->nlines; k++) {
        rg_line *ln = &out->lines[k], *next = &out->lines[k + 1];
        if (!ln->hyphenated || !ln->npieces || !next->npieces) continue;
        rg_line_piece *hy = &ln->pieces[ln->npieces - 1], *first = &next->pieces[0];
        if (!(hy->flags & RG_RUN_HYPHEN) || first->href != hy->href) continue;
        size_t len = word_part_len(first);
        if (len == 0) continue;
        hy->rest = first->text;
        hy->rest_len = len;
        first->flags |= RG_RUN_CONTINUES;
        first->cont_len = len;
    }
}

static void make_lines(breaker *B, rg_arena *arena, const kp_break *br, size_t n,
                       rg_para *out)
{
    out->lines = rg_arena_alloc(arena, (n ? n : 1) * sizeof *out->lines);
    out->nlines = 0;
    size_t item = 0;
    for (size_t k = 0; k < n; k++) {
        size_t start_item = first_box_after(&B->it, item);
        const kp_item *end = &B->it.v[br[k].item];
        line_range lr = { 0, end->glyph, start_item, br[k].item, br[k].ratio, 0, 0 };
        lr.start = start_item < B->it.n ? B->it.v[start_item].glyph : end->glyph;
        if (lr.start > lr.end) lr.start = lr.end;
        while (lr.end > lr.start && text_is_space_glyph(B->ps, lr.end - 1)) lr.end--;
        lr.hyphen = end->type == KP_PENALTY && end->hyphenation;
        int last = k + 1 == n || (end->type == KP_PENALTY && end->penalty <= -KP_INF);
        lr.justify = B->o->align == RG_ALIGN_JUSTIFY && !last;
        item = br[k].item + 1;
        if (lr.start == lr.end && !lr.hyphen) continue;     /* nothing on it */
        double target = out->nlines == 0 ? B->o->first_width : B->o->width;
        if (lr.justify) {
            lr.ratio = fill_ratio(B, &lr, target);
        } else {
            /* a last or ragged line the breaker chose to shrink is shrunk,
             * not left wider than its measure */
            double r = fill_ratio(B, &lr, target);
            if (r < 0) {
                lr.justify = 1;
                lr.ratio = r;
            }
        }
        cap_wide_spaces(B, &lr);
        rg_line *ln = &out->lines[out->nlines++];
        emit_line(B, arena, &lr, ln);
        if (end->type == KP_PENALTY && end->penalty == SPLIT_PENALTY && ln->npieces)
            mark_hard_break(B, &lr, ln);
    }
    mark_word_separators(out);
    mark_word_continuations(out);
}

/* Does the paragraph fit on its first line as it is, with no forced break
 * in it? Then Knuth-Plass's answer is that one line: it costs the line
 * penalty squared (the last line stretches without badness) and any two
 * lines cost at least twice that, as no penalty here is negative but a
 * forced break's. Most table cells, headings and captions are such lines;
 * they skip UAX #14, the items and the breaker. A paragraph that starts
 * with a space goes the long way (the breaker drops leading glue). */
static int fits_one_line(const para_shape *ps, const rg_break_opts *o)
{
    if (ps->nglyphs == 0 || text_is_space_glyph(ps, 0)) return 0;
    const unsigned char *t = (const unsigned char *)ps->text;
    for (size_t i = 0; i < ps->len; i++) {
        if (t[i] >= 0x0A && t[i] <= 0x0D) return 0;                 /* LF VT FF CR */
        if (t[i] == 0xC2 && i + 1 < ps->len && t[i + 1] == 0x85) return 0;   /* NEL */
        if (t[i] == 0xE2 && i + 2 < ps->len && t[i + 1] == 0x80 &&
            (t[i + 2] == 0xA8 || t[i + 2] == 0xA9))
            return 0;                                                /* LS, PS */
    }
    double w = 0;
    for (size_t i = 0; i < ps->nglyphs; i++) w += ps->glyphs[i].width;
    return w <= o->first_width;
}

/* The one line of a paragraph that fits_one_line, as make_lines would set
 * it: all glyphs but trailing spaces, not justified (it is the last). */
static void one_line(breaker *B, rg_arena *arena, rg_para *out)
{
    line_range lr = { 0, B->ps->nglyphs, 0, 0, 0, 0, 0 };
    while (lr.end > lr.start && text_is_space_glyph(B->ps, lr.end - 1)) lr.end--;
    out->lines = rg_arena_alloc(arena, sizeof *out->lines);
    out->nlines = 1;
    emit_line(B, arena, &lr, &out->lines[0]);
}

rg_break_opts rg_break_simple(double w, rg_align a)
{
    rg_break_opts o;
    memset(&o, 0, sizeof o);
    o.first_width = o.width = w;
    o.align = a;
    return o;
}

/* The start of a paragraph's text for a message: at most 40 bytes, whole
 * characters, control characters as '?'. */
static void para_start(const rg_text_run *runs, size_t nruns, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < nruns && n + 1 < cap && n < 40; i++)
        for (size_t k = 0; k < runs[i].len && n + 1 < cap && n < 40; k++) {
            unsigned char c = (unsigned char)runs[i].text[k];
            buf[n++] = c < 0x20 ? '?' : (char)c;
        }
    while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80) n--;
    if (n > 0 && (unsigned char)buf[n - 1] >= 0xC0) n--;
    buf[n] = 0;
}

/* Cuts the runs after RG_MAX_PARA_BYTES bytes (at a character boundary)
 * into a malloc'd copy that the caller frees; *nruns becomes its length. */
static rg_text_run *clip_runs(const rg_text_run *runs, size_t *nruns)
{
    rg_text_run *c = rg_xmalloc((*nruns ? *nruns : 1) * sizeof *c);
    size_t left = RG_MAX_PARA_BYTES, n = 0;
    for (; n < *nruns && left > 0; n++) {
        c[n] = runs[n];
        if (c[n].len <= left) {
            left -= c[n].len;
            continue;
        }
        size_t k = left;
        while (k > 0 && ((unsigned char)c[n].text[k] & 0xC0) == 0x80) k--;
        c[n].len = k;
        left = 0;
    }
    *nruns = n;
    return c;
}

void rg_text_break(rg_ctx *ctx, rg_arena *arena, const rg_text_run *runs, size_t nruns,
                   const rg_break_opts *opts, rg_para *out)
{
    para_shape ps;
    rg_text_run *clipped = NULL;
    size_t bytes = 0;
    char start[48];
    for (size_t i = 0; i < nruns; i++) bytes += runs[i].len;
    if (bytes > RG_MAX_PARA_BYTES) {
        para_start(runs, nruns, start, sizeof start);
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "a paragraph of %zu bytes (\"%s...\") is longer than the limit of %d bytes "
                "per paragraph (RG_MAX_PARA_BYTES)", bytes, start, RG_MAX_PARA_BYTES);
        runs = clipped = clip_runs(runs, &nruns);
    }
    for (size_t i = 0; i < nruns; i++) {
        size_t cut = text_overlong_cluster(runs[i].text, runs[i].len, RG_MAX_CLUSTER_GLYPHS);
        if (cut == runs[i].len) continue;
        para_start(runs, nruns, start, sizeof start);
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "a paragraph (\"%s...\") has a character with more than %d combining "
                "marks (RG_MAX_CLUSTER_GLYPHS)", start, RG_MAX_CLUSTER_GLYPHS);
        if (!clipped) {
            clipped = rg_xmalloc((i + 1) * sizeof *clipped);
            memcpy(clipped, runs, (i + 1) * sizeof *clipped);
        }
        clipped[i].len = cut;                 /* cut before that character */
        nruns = i + 1;
        runs = clipped;
        break;
    }
    text_shape_para(ctx, runs, nruns, 0, &ps);
    if (ps.nglyphs > RG_MAX_PARA_GLYPHS) {
        para_start(runs, nruns, start, sizeof start);
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "a paragraph of %zu glyphs (\"%s...\") is longer than the limit of %d glyphs "
                "per paragraph (RG_MAX_PARA_GLYPHS)", ps.nglyphs, start, RG_MAX_PARA_GLYPHS);
        ps.nglyphs = RG_MAX_PARA_GLYPHS;      /* the rest is dropped */
    }
    /* a cluster's glyphs are adjacent (HarfBuzz keeps clusters monotone) */
    for (size_t i = 1, run = 1; i < ps.nglyphs; i++) {
        run = ps.glyphs[i].g.cluster == ps.glyphs[i - 1].g.cluster ? run + 1 : 1;
        if (run > RG_MAX_CLUSTER_GLYPHS) {
            para_start(runs, nruns, start, sizeof start);
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                    "a paragraph (\"%s...\") has a character with more than %d combining "
                    "marks or glyphs (RG_MAX_CLUSTER_GLYPHS)", start, RG_MAX_CLUSTER_GLYPHS);
            ps.nglyphs = i + 1 - run;         /* cut before that cluster */
            break;
        }
    }
    breaker B;
    memset(&B, 0, sizeof B);
    B.ctx = ctx;
    B.runs = runs;
    B.nruns = nruns;
    B.ps = &ps;
    B.o = opts;
    if (fits_one_line(&ps, opts)) {
        one_line(&B, arena, out);
    } else {
        text_para_breaks(&ps, runs, nruns);
        release_wide_nobreaks(&B);
        build_items(&B);
        kp_break *br = NULL;
        size_t n = ps.nglyphs ? find_breaks(&B, &br) : 0;
        make_lines(&B, arena, br, n, out);
        free(br);
        free(B.it.v);
        free(B.released);
    }
    if (ps.levels) text_bidi_place_lines(arena, out);   /* bidi (issue 17): last */
    out->text = rg_arena_strndup(arena, ps.text, ps.len);
    out->text_len = ps.len;
    text_para_shape_free(&ps);
    free(clipped);
}
