/* text.c - shaping with HarfBuzz (a fallback face per character the run's
 * face lacks), UAX #14 break opportunities (libunibreak) and measuring.
 * Stage: text. Each run of uniform style is shaped once, in the paragraph's
 * context; lines are ranges of the shaped glyphs (text-break.c chooses
 * them with Knuth-Plass), so nothing is reshaped at a break. */
#include "text-imp.h"
#include "fonts-hb.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t linebreak_once = PTHREAD_ONCE_INIT;   /* libunibreak's tables */

/* Shapes bytes [start, start + len) of the paragraph in one face. */
static void shape_segment(const rg_text_run *r, unsigned run_index, const rg_font *font,
                          size_t start, size_t len, const char *all, size_t all_len,
                          hb_buffer_t *buf, para_shape *ps)
{
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf8(buf, all, (int)all_len, (unsigned)start, (int)len);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_language(buf, hb_language_from_string(r->lang ? r->lang : "nl", -1));
    hb_buffer_guess_segment_properties(buf);
    hb_shape(rg_font_hb(font), buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(buf, &n);
    double scale = r->size / rg_font_upem(font);
    rg_grow(&ps->glyphs, &ps->cap, ps->nglyphs + n, sizeof *ps->glyphs);
    for (unsigned i = 0; i < n; i++) {
        pglyph *p = &ps->glyphs[ps->nglyphs++];
        p->g.gid = gi[i].codepoint;
        p->g.cluster = gi[i].cluster;
        p->g.x_advance = gp[i].x_advance;
        p->g.x_offset = gp[i].x_offset;
        p->g.y_offset = gp[i].y_offset;
        p->run = run_index;
        p->font = font;
        p->width = gp[i].x_advance * scale;
    }
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

/* Shapes a run in segments of one face each (font fallback per character). */
static void shape_run(rg_ctx *ctx, const rg_text_run *r, unsigned run_index, size_t start,
                      const char *all, size_t all_len, hb_buffer_t *buf, para_shape *ps)
{
    const unsigned char *s = (const unsigned char *)all;
    size_t end = start + r->len, seg = start, i = start;
    const rg_font *cur = NULL;
    while (i < end) {
        size_t at = i;
        const rg_font *f = face_for(ctx, r->font, next_cp(s, end, &i));
        if (cur && f != cur) {
            shape_segment(r, run_index, cur, seg, at - seg, all, all_len, buf, ps);
            seg = at;
        }
        cur = f;
    }
    if (cur && end > seg) shape_segment(r, run_index, cur, seg, end - seg, all, all_len, buf, ps);
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

    hb_buffer_t *buf = hb_buffer_create();
    for (size_t i = 0; i < nruns; i++)
        if (runs[i].len)
            shape_run(ctx, &runs[i], (unsigned)i, ps->run_start[i], ps->text, ps->len, buf, ps);
    hb_buffer_destroy(buf);

    if (!want_breaks) return;
    pthread_once(&linebreak_once, init_linebreak);
    ps->brk = rg_xmalloc(ps->len + 1);
    const char *lang = nruns && runs[0].lang ? runs[0].lang : "nl";
    if (ps->len)
        set_linebreaks_utf8((const utf8_t *)ps->text, ps->len, lang, ps->brk);
}

void text_para_shape_free(para_shape *ps)
{
    free(ps->text);
    free(ps->run_start);
    free(ps->glyphs);
    free(ps->brk);
}

size_t text_overlong_cluster(const char *s, size_t len, int max)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    size_t i = 0, base = 0;
    int marks = 0;
    while (i < len) {
        size_t at = i;
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
size_t text_cluster_end(const para_shape *ps, size_t i)
{
    uint32_t c = ps->glyphs[i].g.cluster;
    for (size_t k = i + 1; k < ps->nglyphs; k++)
        if (ps->glyphs[k].g.cluster != c) return ps->glyphs[k].g.cluster;
    return ps->len;
}

int text_is_space_glyph(const para_shape *ps, size_t i)
{
    char c = ps->text[ps->glyphs[i].g.cluster];
    return c == ' ';
}

/* Is a break allowed before glyph i (i.e. after the text before its cluster)? */
int text_break_before(const para_shape *ps, size_t i, int *mandatory)
{
    *mandatory = 0;
    if (i == 0) return 0;
    uint32_t c = ps->glyphs[i].g.cluster;
    if (c == ps->glyphs[i - 1].g.cluster || c == 0) return 0;
    char b = ps->brk[c - 1];
    if (b == LINEBREAK_MUSTBREAK) *mandatory = 1;
    return b == LINEBREAK_MUSTBREAK || b == LINEBREAK_ALLOWBREAK;
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
