/* text.c - shaping with HarfBuzz and line breaking at UAX #14 opportunities
 * (libunibreak). Stage: text. Each run of uniform style is shaped once, in
 * the paragraph's context; lines are ranges of the shaped glyphs, so no
 * reshaping is needed at breaks (breaks fall between clusters).
 * Line breaking is first-fit for now; words wider than a line are split
 * between clusters. */
#include "text.h"
#include "fonts-hb.h"

#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

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
} para_shape;

static int linebreak_ready;

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

static void shape_para(rg_ctx *ctx, const rg_text_run *runs, size_t nruns, int want_breaks,
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
    if (!linebreak_ready) {
        init_linebreak();
        linebreak_ready = 1;
    }
    ps->brk = rg_xmalloc(ps->len + 1);
    const char *lang = nruns && runs[0].lang ? runs[0].lang : "nl";
    if (ps->len)
        set_linebreaks_utf8((const utf8_t *)ps->text, ps->len, lang, ps->brk);
}

static void para_shape_free(para_shape *ps)
{
    free(ps->text);
    free(ps->run_start);
    free(ps->glyphs);
    free(ps->brk);
}

/* byte length of the cluster starting glyph i (to the next cluster) */
static size_t cluster_end(const para_shape *ps, size_t i)
{
    uint32_t c = ps->glyphs[i].g.cluster;
    for (size_t k = i + 1; k < ps->nglyphs; k++)
        if (ps->glyphs[k].g.cluster != c) return ps->glyphs[k].g.cluster;
    return ps->len;
}

static int is_space_glyph(const para_shape *ps, size_t i)
{
    char c = ps->text[ps->glyphs[i].g.cluster];
    return c == ' ';
}

/* Is a break allowed before glyph i (i.e. after the text before its cluster)? */
static int break_before(const para_shape *ps, size_t i, int *mandatory)
{
    *mandatory = 0;
    if (i == 0) return 0;
    uint32_t c = ps->glyphs[i].g.cluster;
    if (c == ps->glyphs[i - 1].g.cluster || c == 0) return 0;
    char b = ps->brk[c - 1];
    if (b == LINEBREAK_MUSTBREAK) *mandatory = 1;
    return b == LINEBREAK_MUSTBREAK || b == LINEBREAK_ALLOWBREAK;
}

typedef struct line_range {
    size_t start, end;             /* glyph range, trailing spaces excluded from end */
} line_range;

/* First-fit: returns the number of lines written to *out (malloc'ed). */
static size_t break_lines(const para_shape *ps, double first_width, double width,
                          line_range **out)
{
    line_range *lines = NULL;
    size_t n = 0, cap = 0;
    size_t start = 0;
    while (start < ps->nglyphs) {
        /* skip spaces at the start of a line */
        while (start < ps->nglyphs && is_space_glyph(ps, start)) start++;
        if (start >= ps->nglyphs) break;
        double avail = n == 0 ? first_width : width;
        double w = 0;
        size_t last_break = 0;      /* glyph index of the last allowed break, 0 = none */
        size_t i = start, end = ps->nglyphs;
        int forced = 0;
        for (; i < ps->nglyphs; i++) {
            int mandatory;
            if (i > start && break_before(ps, i, &mandatory)) {
                if (mandatory) { end = i; forced = 1; break; }
                last_break = i;
            }
            w += ps->glyphs[i].width;
            if (w > avail + 0.001 && !is_space_glyph(ps, i)) {
                if (last_break) end = last_break;
                else {
                    /* no opportunity: split between clusters (keep >= 1 cluster) */
                    end = i > start ? i : i + 1;
                    while (end < ps->nglyphs && end > start + 1 &&
                           ps->glyphs[end].g.cluster == ps->glyphs[end - 1].g.cluster)
                        end--;
                }
                break;
            }
        }
        (void)forced;
        size_t e = end;
        while (e > start && is_space_glyph(ps, e - 1)) e--;
        rg_grow(&lines, &cap, n + 1, sizeof *lines);
        lines[n++] = (line_range){ start, e };
        start = end;
    }
    *out = lines;
    return n;
}

static double range_width(const para_shape *ps, size_t a, size_t b)
{
    double w = 0;
    for (size_t i = a; i < b; i++) w += ps->glyphs[i].width;
    return w;
}

static int same_piece(const para_shape *ps, size_t a, size_t b)
{
    return ps->glyphs[a].run == ps->glyphs[b].run && ps->glyphs[a].font == ps->glyphs[b].font;
}

/* Builds the pieces of one line: maximal glyph ranges of one run and face. */
static void emit_line(rg_arena *arena, const rg_text_run *runs, const para_shape *ps,
                      line_range lr, double avail, int justify, rg_line *line)
{
    size_t np = 0;
    for (size_t i = lr.start; i < lr.end; i++)
        if (i == lr.start || !same_piece(ps, i - 1, i)) np++;
    line->pieces = rg_arena_alloc(arena, np * sizeof *line->pieces);
    line->npieces = np;

    double natural = range_width(ps, lr.start, lr.end);
    size_t nspaces = 0;
    if (justify)
        for (size_t i = lr.start; i < lr.end; i++) nspaces += is_space_glyph(ps, i);
    double extra = nspaces && avail > natural ? (avail - natural) / nspaces : 0;

    double x = 0;
    size_t p = 0, i = lr.start;
    while (i < lr.end) {
        size_t j = i + 1;
        while (j < lr.end && same_piece(ps, i, j)) j++;
        const rg_text_run *r = &runs[ps->glyphs[i].run];
        rg_line_piece *pc = &line->pieces[p++];
        pc->font = ps->glyphs[i].font;
        pc->size = r->size;
        pc->color = r->color;
        pc->href = r->href;
        pc->x = x;
        uint32_t t0 = ps->glyphs[i].g.cluster;
        size_t t1 = cluster_end(ps, j - 1);
        pc->text = rg_arena_strndup(arena, ps->text + t0, t1 - t0);
        pc->text_len = t1 - t0;
        rg_glyph *gs = rg_arena_alloc(arena, (j - i) * sizeof *gs);
        double scale = r->size / rg_font_upem(pc->font), w = 0;
        for (size_t k = i; k < j; k++) {
            rg_glyph g = ps->glyphs[k].g;
            g.cluster -= t0;
            double gw = ps->glyphs[k].width;
            if (extra > 0 && is_space_glyph(ps, k)) {
                int32_t add = (int32_t)(extra / scale + 0.5);
                g.x_advance += add;
                gw += add * scale;
            }
            gs[k - i] = g;
            w += gw;
        }
        pc->glyphs = gs;
        pc->nglyphs = j - i;
        pc->width = w;
        x += w;
        i = j;
    }
    line->width = x;
}

void rg_text_break(rg_ctx *ctx, rg_arena *arena, const rg_text_run *runs, size_t nruns,
                   double first_width, double width, rg_align align, rg_para *out)
{
    para_shape ps;
    shape_para(ctx, runs, nruns, 1, &ps);
    line_range *ranges;
    size_t n = break_lines(&ps, first_width, width, &ranges);
    out->lines = rg_arena_alloc(arena, n * sizeof *out->lines);
    out->nlines = n;
    for (size_t i = 0; i < n; i++) {
        int last = i + 1 == n;
        int justify = align == RG_ALIGN_JUSTIFY && !last;
        emit_line(arena, runs, &ps, ranges[i], i == 0 ? first_width : width, justify,
                  &out->lines[i]);
    }
    free(ranges);
    para_shape_free(&ps);
}

double rg_text_width(rg_ctx *ctx, const rg_font *font, double size, const char *lang,
                     const char *text, size_t len)
{
    rg_text_run run = { text, len, font, size, { 0, 0, 0 }, NULL, lang };
    para_shape ps;
    shape_para(ctx, &run, 1, 0, &ps);
    double w = 0;
    for (size_t i = 0; i < ps.nglyphs; i++) w += ps.glyphs[i].width;
    para_shape_free(&ps);
    return w;
}
