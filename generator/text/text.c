/* text/text.c - shaping with HarfBuzz (a fallback face per character the run's
 * face lacks), UAX #14 break opportunities (libunibreak) and measuring.
 * Stage: text. Each run of uniform style is shaped once; where its face
 * allows, word by word through the context's shaped-word cache
 * (text/cache.c), since reports repeat words and cell values all the time.
 * Lines are ranges of the shaped glyphs (text/break.c chooses them with
 * Knuth-Plass), so nothing is reshaped at a break. */
#include "cache.h"
#include "fonts/fonts.h"

#include <hb.h>
#include <hb-ot.h>

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t linebreak_once = PTHREAD_ONCE_INIT;   /* libunibreak's tables */

/* Makes room for n more glyphs in ps and returns the first of them (ps
 * counts them already). */
static pglyph *append_glyphs(para_shape *ps, size_t n)
{
    if (ps->nglyphs + n > ps->cap)
        rg_grow(&ps->glyphs, &ps->cap, ps->nglyphs + n, sizeof *ps->glyphs);
    pglyph *first = &ps->glyphs[ps->nglyphs];
    ps->nglyphs += n;
    return first;
}

/* One shaped glyph g of run run_index in face f; scale is the run's size
 * over f's units per em. Shaped and cached words both come this way. */
/* A character no face has is drawn as the face's replacement character
 * U+FFFD (else its '?'), never as .notdef, which PDF/A forbids showing
 * (ISO 19005-2, 6.2.11.8) and PDF/UA readers cannot read; its text stays
 * the character, which readers get through /ActualText (pdf/struct.c),
 * and the layout warned of it (warn_missing). A .notdef without advance
 * (an invisible character) is left alone. */
static rg_glyph instead_of_notdef(rg_glyph g, const rg_font *f)
{
    hb_codepoint_t gid;
    if (g.gid != 0 || g.x_advance == 0) return g;
    if (!hb_font_get_nominal_glyph(rg_font_hb(f), 0xFFFD, &gid) &&
        !hb_font_get_nominal_glyph(rg_font_hb(f), '?', &gid))
        return g;
    g.gid = gid;
    g.x_advance = rg_font_advance(f, gid);
    g.x_offset = g.y_offset = 0;
    return g;
}

static void set_glyph(pglyph *p, rg_glyph g, unsigned run_index, const rg_font *f, double scale)
{
    g = instead_of_notdef(g, f);
    p->g = g;
    p->run = run_index;
    p->font = f;
    p->width = g.x_advance * scale;
}

/* Glyphs shaped right to left come in visual order; the paragraph keeps
 * them in logical order (clusters rising) until its lines are reordered
 * (text/bidi.c, issue 17). A cluster's glyphs stay together. */
static void reverse_to_logical(pglyph *p, size_t n)
{
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        pglyph t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
}

/* Shapes bytes [off, off + len) of text in one face (the rest of text is
 * HarfBuzz's context), appending the glyphs to ps with clusters moved by
 * shift. HB_SCRIPT_INVALID lets HarfBuzz guess the script from the segment. */
static void shape_segment(const rg_text_run *r, unsigned run_index, const rg_font *font,
                          const char *text, size_t text_len, size_t off, size_t len,
                          size_t shift, hb_script_t script, hb_language_t lang,
                          hb_buffer_t *buf, para_shape *ps)
{
    int rtl = text_level_at(ps, shift + off) & 1;      /* bidi (issue 17) */
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf8(buf, text, (int)text_len, (unsigned)off, (int)len);
    hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_language(buf, lang);
    if (script != HB_SCRIPT_INVALID) hb_buffer_set_script(buf, script);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(rg_font_hb(font), buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(buf, &n);
    double scale = r->size / rg_font_upem(font);
    pglyph *p = append_glyphs(ps, n);
    for (unsigned i = 0; i < n; i++) {
        rg_glyph g = { gi[i].codepoint, gi[i].cluster + (uint32_t)shift, gp[i].x_advance,
                       gp[i].x_offset, gp[i].y_offset };
        set_glyph(&p[i], g, run_index, font, scale);
    }
    if (rtl) reverse_to_logical(p, n);
}

static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t c = s[*i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > 1) c &= 0x3Fu >> (n - 1);
    for (int k = 1; k < n && *i + (size_t)k < len; k++) c = c << 6 | (s[*i + (size_t)k] & 0x3F);
    *i += (size_t)n;
    return c;
}

uint32_t text_next_cp(const unsigned char *s, size_t len, size_t *i)
{
    return next_cp(s, len, i);
}

/* Characters that need no glyph of their own. */
static int needs_no_glyph(uint32_t cp)
{
    return cp < 0x20 || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 ||
           cp == 0xFEFF;
}

static void warn_missing(rg_ctx *ctx, const rg_font *f, uint32_t cp)
{
    for (int i = 0; i < ctx->nmissing_glyphs; i++)
        if (ctx->missing_glyphs[i] == cp) return;
    if (ctx->nmissing_glyphs < (int)(sizeof ctx->missing_glyphs / sizeof *ctx->missing_glyphs))
        ctx->missing_glyphs[ctx->nmissing_glyphs++] = cp;
    rg_diag(ctx, ctx->strict ? RG_SEV_ERROR : RG_SEV_WARNING, NULL, 0, 0,
            "no font has a glyph for U+%04X (tried '%s' and the layout's fallback fonts)",
            (unsigned)cp, rg_font_family(f));
}

/* The face for one character: the run's font, else the fallback chain. */
static const rg_font *face_for(rg_ctx *ctx, const rg_font *primary, uint32_t cp)
{
    if (needs_no_glyph(cp) || rg_font_has_codepoint(primary, cp)) return primary;
    const rg_font *f = rg_font_fallback(ctx, primary, cp);
    if (f) return f;
    warn_missing(ctx, primary, cp);
    return primary;
}

/* The script hb_buffer_guess_segment_properties finds for bytes [from, to):
 * that of the first character of a real script; HB_SCRIPT_INVALID when
 * there is none (digits, punctuation, spaces). */
static hb_script_t guess_script(const unsigned char *s, size_t from, size_t to)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    for (size_t i = from; i < to;) {
        if (s[i] < 0x80) {
            unsigned char b = s[i++] | 0x20;
            if (b >= 'a' && b <= 'z') return HB_SCRIPT_LATIN;
            continue;
        }
        hb_script_t sc = hb_unicode_script(uf, next_cp(s, to, &i));
        if (sc != HB_SCRIPT_COMMON && sc != HB_SCRIPT_INHERITED && sc != HB_SCRIPT_UNKNOWN)
            return sc;
    }
    return HB_SCRIPT_INVALID;
}

/* Scripts that HarfBuzz shapes with its default shaper, which reads
 * nothing outside the buffer: a word of them shaped alone comes out as
 * within its segment. Arabic joining, for one, looks at the characters
 * around the buffer; such segments are shaped whole, as before the cache. */
static int context_free(hb_script_t sc)
{
    return sc == HB_SCRIPT_INVALID || sc == HB_SCRIPT_LATIN || sc == HB_SCRIPT_GREEK ||
           sc == HB_SCRIPT_CYRILLIC;
}

/* Characters HarfBuzz joins to the cluster of the character before them
 * (marks, ZWJ, emoji modifiers, tags; a few more here to be safe): a space
 * followed by one is not a place to cut. */
static int joins_previous(uint32_t cp)
{
    switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), cp)) {
    case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
    case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_SYMBOL:
    case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_LETTER:
        return 1;
    default:
        return 0;
    }
}

/* Bytes [off, off + len) of the paragraph text in face f, shaped alone
 * through the word cache: a hit copies the glyphs, a miss shapes and
 * stores them. */
static void shape_word(rg_shape_cache *c, const rg_text_run *r, unsigned run_index,
                       const rg_font *f, const char *all, size_t off, size_t len,
                       hb_script_t script, hb_language_t lang, para_shape *ps)
{
    word_key k = { f, lang, script, all + off, len };
    size_t n;
    const word_glyph *w = text_cache_find(c, &k, &n);
    if (!w) {
        size_t first = ps->nglyphs;
        shape_segment(r, run_index, f, all + off, len, 0, len, off, script, lang,
                      text_cache_buffer(c), ps);
        text_cache_put(c, &k, ps->glyphs + first, ps->nglyphs - first, off);
        return;
    }
    double scale = r->size / rg_font_upem(f);
    pglyph *p = append_glyphs(ps, n);
    for (size_t i = 0; i < n; i++) {
        rg_glyph g = { w[i].gid, (uint32_t)(off + w[i].cluster), w[i].x_advance,
                       w[i].x_offset, w[i].y_offset };
        set_glyph(&p[i], g, run_index, f, scale);
    }
}

/* One segment of a run in one face: bytes [from, to) of the paragraph
 * text. Where the face leaves its space glyph alone (rg_font_space_is_plain)
 * the segment is cut before and after each stretch of spaces (U+0020) and
 * every piece goes through the cache with the segment's script: the pieces
 * shaped apart give the glyphs of the segment shaped whole. Otherwise a
 * short segment is cached whole. A long one, one whose script's shaper
 * reads context, and every one when the cache is off, is shaped whole with
 * the paragraph as context, as before the cache. */
static void shape_piece(rg_shape_cache *c, const rg_text_run *r, unsigned run_index,
                        const rg_font *f, const char *all, size_t all_len, size_t from,
                        size_t to, hb_language_t lang, para_shape *ps)
{
    const unsigned char *s = (const unsigned char *)all;
    int cached = text_cache_enabled(c);
    hb_script_t script = cached ? guess_script(s, from, to) : HB_SCRIPT_INVALID;
    int plain = cached && rg_font_space_is_plain(f);
    if (!cached || !context_free(script) || (!plain && to - from > TEXT_CACHE_MAX_WORD) ||
        (text_level_at(ps, from) & 1)) {                /* right to left (bidi, issue 17) */
        shape_segment(r, run_index, f, all, all_len, from, to - from, 0, HB_SCRIPT_INVALID, lang,
                      text_cache_buffer(c), ps);
        return;
    }
    if (!plain) {
        shape_word(c, r, run_index, f, all, from, to - from, script, lang, ps);
        return;
    }
    size_t i = from;
    while (i < to) {
        size_t w = i;
        if (s[i] == ' ') {
            while (i < to && s[i] == ' ') i++;
            size_t j = i;
            if (i < to && s[i] >= 0x80 && joins_previous(next_cp(s, to, &j)))
                while (i < to && s[i] != ' ') i++;   /* the spaces and the word together */
        } else {
            while (i < to && s[i] != ' ') i++;
        }
        shape_word(c, r, run_index, f, all, w, i - w, script, lang, ps);
    }
}

/* Shapes a run in segments of one face each (font fallback per character). */
static void shape_run(rg_ctx *ctx, rg_shape_cache *c, const rg_text_run *r, unsigned run_index,
                      size_t start, const char *all, size_t all_len, para_shape *ps)
{
    hb_language_t lang = text_cache_language(c, r->lang ? r->lang : "nl");
    const uint64_t *ascii = text_cache_ascii(c, r->font);
    const unsigned char *s = (const unsigned char *)all;
    size_t end = start + r->len, seg = start, i = start;
    const rg_font *cur = NULL;
    unsigned cur_level = 0;
    while (i < end) {
        size_t at = i;
        const rg_font *f;
        if (s[i] < 0x80 && (ascii[s[i] >> 6] >> (s[i] & 63) & 1)) {   /* face_for, quicker */
            f = r->font;
            i++;
        } else {
            f = face_for(ctx, r->font, next_cp(s, end, &i));
        }
        unsigned level = text_level_at(ps, at);         /* bidi (issue 17) */
        if (cur && (f != cur || level != cur_level)) {
            shape_piece(c, r, run_index, cur, all, all_len, seg, at, lang, ps);
            seg = at;
        }
        cur = f;
        cur_level = level;
    }
    if (cur && end > seg) shape_piece(c, r, run_index, cur, all, all_len, seg, end, lang, ps);
}

void text_shape_para(rg_ctx *ctx, const rg_text_run *runs, size_t nruns, int want_breaks,
                       para_shape *ps)
{
    memset(ps, 0, sizeof *ps);
    for (size_t i = 0; i < nruns; i++) ps->len += runs[i].len;
    ps->text = rg_xmalloc(ps->len + 1);
    ps->run_start = rg_xmalloc((nruns + 1) * sizeof *ps->run_start);
    size_t off = 0;
    for (size_t i = 0; i < nruns; i++) {
        ps->run_start[i] = off;
        memcpy(ps->text + off, runs[i].text, runs[i].len);
        off += runs[i].len;
    }
    ps->run_start[nruns] = off;
    ps->text[ps->len] = 0;
    text_bidi_levels(ps, runs, nruns);

    rg_shape_cache *c = text_cache_get(ctx);
    for (size_t i = 0; i < nruns; i++)
        if (runs[i].len)
            shape_run(ctx, c, &runs[i], (unsigned)i, ps->run_start[i], ps->text, ps->len, ps);

    if (want_breaks) text_para_breaks(ps, runs, nruns);
}

/* Tailors the breaks of libunibreak 1.1 (Unicode 6's UAX #14):
 * - no break before an ellipsis (U+2026), whatever precedes it: today's
 *   rule LB22 (× IN); the old one allowed "5,20 %" | "…";
 * - figures are never split: no break after a minus sign (U+2212, a
 *   prefix like the currency sign it may precede), nor after an en dash
 *   between digits (a range: 2024–2049). */
static void tailor_breaks(const char *t, size_t len, char *brk)
{
    static const char minus[] = "\xE2\x88\x92", en_dash[] = "\xE2\x80\x93",
                      ellipsis[] = "\xE2\x80\xA6";
    for (size_t i = 0; i + 3 <= len; i++) {
        if ((unsigned char)t[i] != 0xE2) continue;      /* all three start so */
        if (i > 0 && !memcmp(t + i, ellipsis, 3) && brk[i - 1] == LINEBREAK_ALLOWBREAK)
            brk[i - 1] = LINEBREAK_NOBREAK;
        if (brk[i + 2] != LINEBREAK_ALLOWBREAK) continue;
        int is_minus = !memcmp(t + i, minus, 3);
        int in_range = !memcmp(t + i, en_dash, 3) && i > 0 && isdigit((unsigned char)t[i - 1]) &&
                       i + 3 < len && isdigit((unsigned char)t[i + 3]);
        if (is_minus || in_range) brk[i + 2] = LINEBREAK_NOBREAK;
    }
}

void text_para_breaks(para_shape *ps, const rg_text_run *runs, size_t nruns)
{
    if (ps->brk) return;
    pthread_once(&linebreak_once, init_linebreak);
    ps->brk = rg_xmalloc(ps->len + 1);
    const char *lang = nruns && runs[0].lang ? runs[0].lang : "nl";
    if (ps->len)
        set_linebreaks_utf8((const utf8_t *)ps->text, ps->len, lang, ps->brk);
    tailor_breaks(ps->text, ps->len, ps->brk);
}

void text_para_shape_free(para_shape *ps)
{
    free(ps->text);
    free(ps->run_start);
    free(ps->glyphs);
    free(ps->brk);
    free(ps->levels);
}

size_t text_overlong_cluster(const char *s, size_t len, int max)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    size_t i = 0, base = 0;
    int marks = 0;
    while (i < len) {
        size_t at = i;
        if ((unsigned char)s[i] < 0x80) {      /* ASCII is never a mark (nor ZWJ) */
            marks = 0;
            base = at;
            i++;
            continue;
        }
        uint32_t cp = next_cp((const unsigned char *)s, len, &i);
        hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
        if (cp == 0x200D || gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
            gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
            gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK) {
            if (++marks > max) return base;
        } else {
            marks = 0;
            base = at;
        }
    }
    return len;
}

/* byte length of the cluster starting glyph i (to the next cluster) */
uint32_t text_soft_hyphen_glyph(const rg_font *f, uint32_t hyphen)
{
    hb_codepoint_t soft;
    if (!hb_font_get_nominal_glyph(rg_font_hb(f), 0x00AD, &soft) || soft == hyphen)
        return hyphen;
    int32_t a[4], b[4];
    int ink_a = rg_font_glyph_ink(f, hyphen, a), ink_b = rg_font_glyph_ink(f, soft, b);
    if (rg_font_advance(f, soft) != rg_font_advance(f, hyphen) || !ink_a || !ink_b ||
        memcmp(a, b, sizeof a))
        return hyphen;
    return soft;
}

size_t text_cluster_end(const para_shape *ps, size_t i)
{
    uint32_t c = ps->glyphs[i].g.cluster;
    for (size_t k = i + 1; k < ps->nglyphs; k++)
        if (ps->glyphs[k].g.cluster != c) return ps->glyphs[k].g.cluster;
    return ps->len;
}


void rg_text_intern_language(const char *lang)
{
    hb_language_from_string(lang ? lang : "nl", -1);
}

void rg_text_measure(rg_ctx *ctx, const rg_font *font, double size, const char *lang,
                     const char *text, size_t len, double *width, double *widest_word)
{
    /* measured up to the text limits (text.h) only: rg_text_break, which
     * sets the same text, reports what lies beyond them */
    if (len > RG_MAX_PARA_BYTES) {
        len = RG_MAX_PARA_BYTES;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
    }
    len = text_overlong_cluster(text, len, RG_MAX_CLUSTER_GLYPHS);
    rg_text_run run = { text, len, font, size, { 0, 0, 0 }, NULL, lang, 0 };
    para_shape ps;
    text_shape_para(ctx, &run, 1, 0, &ps);
    double w = 0, word = 0, widest = 0;
    for (size_t i = 0; i < ps.nglyphs; i++) {
        w += ps.glyphs[i].width;
        if (text_is_space_glyph(&ps, i)) {
            word = 0;
            continue;
        }
        word += ps.glyphs[i].width;
        if (word > widest) widest = word;
    }
    text_para_shape_free(&ps);
    *width = w;
    if (widest_word) *widest_word = widest;
}

double rg_text_width(rg_ctx *ctx, const rg_font *font, double size, const char *lang,
                     const char *text, size_t len)
{
    double w;
    rg_text_measure(ctx, font, size, lang, text, len, &w, NULL);
    return w;
}
