/* pdf/page.c - page content streams. Stage: pdf. Owns the translation of
 * one display-list page's drawing items into PDF operators, all written
 * here into one buffer: glyph runs as TJ arrays (libharu has no API for
 * CID glyph ids), rectangles, paths, colours and line widths (libharu's
 * path API formats each real with its own ftoa and copies byte by byte:
 * about 3,000 instructions a call), and marked content. Consecutive glyph
 * runs share one BT/ET; BT/ET and marked content never interleave: text is
 * closed before any marked-content operator or graphics operator.
 * A path is built and painted within one call, outside BT/ET, so the
 * content never rests inside a path; q/Q only bracket a dashed path. In a
 * tagged document every drawing item is marked content: its chunk's
 * /<Role> <</MCID n>> BDC sequence (MCIDs from pdf/struct.c), or an
 * /Artifact. A finished page's content is hashed for the /ID and
 * compressed at once from the buffer (pdf/deflate.c), so a long document
 * holds compressed pages, not raw ones, until it is saved. libharu never
 * sees the operators: its page stays in its initial graphics state, and
 * nothing of it may write into the content stream (finish checks). */
#include "internal.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts/fonts.h"

typedef struct page_writer {
    const rg_pdf_fonts *fs;
    const rg_dl *dl;
    size_t index;                  /* page number (0-based), for diagnostics */
    rg_pdf_page_out *out;          /* what the page becomes (content, fonts, MCIDs, error) */
    rg_pdf_buf buf;                /* the page's content so far */
    int in_text;                   /* inside BT */
    int saved;                     /* q without its Q */
    const rg_pdf_font *font;       /* font and size set by Tf in this BT */
    double size;
    size_t fonts_cap, mcids_cap, images_cap;
    double lx, ly;                 /* text line origin as the PDF has it (rounded) */
    int have_fill;                 /* fill colour known */
    rg_color fill;
    int marked;                    /* open marked-content sequences */
    int tagged;                    /* every drawing item is marked content */
    int mc;                        /* MC_NONE, MC_CHUNK, MC_SPAN or MC_ARTIFACT is open */
    int mc_chunk;                  /* the open MC_CHUNK's chunk */
    rg_pdf_buf actual;             /* /ActualText of the glyph cluster at hand */
} page_writer;

/* The sequence a tagged page has open outside the layout's artifacts.
 * MC_SPAN: glyphs of a chunk with an MCID of their own and /ActualText. */
enum { MC_NONE, MC_CHUNK, MC_SPAN, MC_ARTIFACT };

/* Inline so that strlen of a literal is folded. */
static inline void put(page_writer *pw, const char *s) { rg_pdf_buf_str(&pw->buf, s); }

/* The page's first failure, kept for rg_pdf_page_commit (rendering may
 * run on another thread than the writer's). */
static void fail(page_writer *pw, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(page_writer *pw, const char *fmt, ...)
{
    if (pw->out->status) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pw->out->message, sizeof pw->out->message, fmt, ap);
    va_end(ap);
    pw->out->status = RG_EX_SOFTWARE;
}

static double num(page_writer *pw, double v, const char *what)
{
    if (!rg_pdf_number_ok(v)) {
        fail(pw, "%s is %g: not a writable number", what, v);
        rg_pdf_buf_put(&pw->buf, "0", 1);
        return 0;
    }
    return rg_pdf_buf_fixed(&pw->buf, v);
}

static int color_ok(page_writer *pw, rg_color c)
{
    if (c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1) return 1;
    fail(pw, "colour outside 0..1 on page %zu", pw->index + 1);
    return 0;
}

/* Checks coordinates before anything of the item is written (the number
 * formatter would write 0 for a bad one, and the operator would follow). */
static int coords_ok(page_writer *pw, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]) || fabs(v[i]) > RG_PDF_MAX_NUMBER) {
            fail(pw, "coordinate %g out of range on page %zu", v[i], pw->index + 1);
            return 0;
        }
    return 1;
}

static void end_text(page_writer *pw)
{
    if (!pw->in_text) return;
    put(pw, "ET\n");
    pw->in_text = 0;
}

/* ---- colour ---- */

/* "r g b " for a colour checked by color_ok. */
static void rgb(page_writer *pw, rg_color c)
{
    num(pw, c.r, "red");
    put(pw, " ");
    num(pw, c.g, "green");
    put(pw, " ");
    num(pw, c.b, "blue");
    put(pw, " ");
}

static void set_fill(page_writer *pw, rg_color c)
{
    rgb(pw, c);
    put(pw, "rg\n");
    pw->have_fill = 1;
    pw->fill = c;
}

/* ---- glyph runs ---- */

/* pf's number in the page's /Font resources: fonts are numbered in the
 * order the page first uses them, F1, F2, ..., as libharu names them when
 * rg_pdf_page_commit adds them in that order (and checks). */
static size_t font_number(page_writer *pw, const rg_pdf_font *pf)
{
    rg_pdf_page_out *o = pw->out;
    for (size_t i = 0; i < o->nfonts; i++)
        if (o->fonts[i] == pf) return i + 1;
    rg_grow(&o->fonts, &pw->fonts_cap, o->nfonts + 1, sizeof *o->fonts);
    o->fonts[o->nfonts++] = pf;
    return o->nfonts;
}

static void set_font(page_writer *pw, const rg_pdf_font *pf, double size)
{
    if (pf == pw->font && size == pw->size) return;
    put(pw, "/F");
    rg_pdf_buf_int(&pw->buf, (long long)font_number(pw, pf));
    put(pw, " ");
    num(pw, size, "font size");
    put(pw, " Tf\n");
    pw->font = pf;
    pw->size = size;
}

static void set_text_fill(page_writer *pw, rg_color c)
{
    if (pw->have_fill && c.r == pw->fill.r && c.g == pw->fill.g && c.b == pw->fill.b) return;
    set_fill(pw, c);
}

/* Td is relative to the line origin; tracking the origin as written
 * (rounded) keeps rounding from accumulating over a page of lines. */
static void move_to(page_writer *pw, double x, double y)
{
    pw->lx += num(pw, x - pw->lx, "text x");
    put(pw, " ");
    pw->ly += num(pw, y - pw->ly, "text y");
    put(pw, " Td\n");
}

/* A TJ array being written: each glyph is drawn with its nominal advance
 * (the W entry), and the number before the next glyph makes up the
 * difference to the shaped advance and the next glyph's x offset, in
 * thousandths of an em. Glyphs without adjustment share one hex string.
 * A y offset changes the text rise, which needs the array closed and
 * reopened. */
typedef struct tj_state {
    const rg_pdf_font *pf;
    double upem, k;                /* k: thousandths of an em per font unit */
    double pending, rise;
    int in_array, in_hex;
} tj_state;

static void tj_glyph(page_writer *pw, tj_state *t, const rg_dl_glyphs *run, const rg_glyph *g)
{
    double yo = g->y_offset * run->size / t->upem;
    t->pending -= g->x_offset * t->k;
    if (fabs(yo - t->rise) >= 0.0005) {
        if (t->in_hex) put(pw, ">");
        if (t->in_array && fabs(t->pending) >= 0.0005)
            t->pending -= num(pw, t->pending, "glyph offset");
        if (t->in_array) put(pw, "]TJ\n");
        t->in_array = t->in_hex = 0;
        t->rise = num(pw, yo, "glyph rise");
        put(pw, " Ts\n");
    }
    if (!t->in_array) put(pw, "[");
    t->in_array = 1;
    if (fabs(t->pending) >= 0.0005) {     /* below that it would print as 0 */
        if (t->in_hex) put(pw, ">");
        t->in_hex = 0;
        t->pending -= num(pw, t->pending, "glyph adjustment");
    }
    if (!t->in_hex) put(pw, "<");
    t->in_hex = 1;
    rg_pdf_buf_hex4(&pw->buf, rg_pdf_font_cid(t->pf, g->gid));
    t->pending += (rg_font_advance(run->font, g->gid) - g->x_advance + g->x_offset) * t->k;
}

/* Glyphs [from, to) of run as one TJ array at the current text position;
 * then, when sep is a glyph, the word separator: sep moved back by its own
 * advance, so that it ends where the glyphs end (dlist.h,
 * RG_RUN_SPACE_AFTER) and the pen stays there. */
static void tj(page_writer *pw, const rg_pdf_font *pf, const rg_dl_glyphs *run, size_t from,
               size_t to, uint32_t sep)
{
    double upem = rg_font_upem(run->font);
    tj_state t = { pf, upem, 1000.0 / upem, 0, 0, 0, 0 };
    for (size_t i = from; i < to; i++) tj_glyph(pw, &t, run, &run->glyphs[i]);
    if (sep) {
        int32_t adv = rg_font_advance(run->font, sep);
        rg_glyph g = { sep, 0, 0, -adv, 0 };
        tj_glyph(pw, &t, run, &g);
    }
    if (t.in_hex) put(pw, ">");
    if (t.in_array) put(pw, "]TJ\n");
    if (t.rise != 0) put(pw, "0 Ts\n");
}

static void begin_text(page_writer *pw)
{
    if (pw->in_text) return;
    put(pw, "BT\n");
    pw->in_text = 1;
    pw->font = NULL;
    pw->lx = pw->ly = 0;
}

/* A turned run's segment (rg_dl_glyphs.angle): its pen at x along the
 * run's baseline, set by a text matrix of the rotation, in a text object
 * of its own, so that the next run's Td starts from the identity again.
 * Only turned runs take this way: every other PDF stays as it was. */
static void draw_turned(page_writer *pw, const rg_pdf_font *pf, const rg_dl_glyphs *run,
                        size_t from, size_t to, double x, uint32_t sep)
{
    double a = run->angle * (3.14159265358979323846 / 180), c = cos(a), s = sin(a);
    double d = x - run->x, m[6] = { c, s, -s, c, run->x + d * c, run->y + d * s };
    if (!coords_ok(pw, m + 4, 2)) return;
    end_text(pw);
    begin_text(pw);
    set_font(pw, pf, run->size);
    set_text_fill(pw, run->color);
    for (int i = 0; i < 6; i++) {
        num(pw, m[i], "text matrix");
        put(pw, " ");
    }
    put(pw, "Tm\n");
    tj(pw, pf, run, from, to, sep);
    end_text(pw);
}

/* Glyphs [from, to) of run (and sep, see tj) with their pen starting at x. */
static void draw_glyphs(page_writer *pw, const rg_pdf_font *pf, const rg_dl_glyphs *run,
                        size_t from, size_t to, double x, uint32_t sep)
{
    if (from == to && !sep) return;
    if (run->angle != 0) {
        draw_turned(pw, pf, run, from, to, x, sep);
        return;
    }
    begin_text(pw);
    set_font(pw, pf, run->size);
    set_text_fill(pw, run->color);
    move_to(pw, x, run->y);
    tj(pw, pf, run, from, to, sep);
}

/* ---- graphics ---- */

/* "x y " for a point of a path. */
static void point(page_writer *pw, double x, double y)
{
    num(pw, x, "x");
    put(pw, " ");
    num(pw, y, "y");
    put(pw, " ");
}

static void set_stroke(page_writer *pw, rg_color c, double width)
{
    rgb(pw, c);
    put(pw, "RG\n");
    num(pw, width, "line width");
    put(pw, " w\n");
}

/* Fills (non-zero winding) and/or strokes the current path; ends it
 * unpainted otherwise. */
static void paint(page_writer *pw, int fill, int stroke)
{
    put(pw, fill && stroke ? "B\n" : fill ? "f\n" : stroke ? "S\n" : "n\n");
}

static int paint_ok(page_writer *pw, int fill, rg_color fc, int stroke, rg_color sc,
                    double width)
{
    if (fill && !color_ok(pw, fc)) return 0;
    if (stroke && !color_ok(pw, sc)) return 0;
    if (stroke && !(width >= 0 && width <= RG_PDF_MAX_NUMBER)) {
        fail(pw, "line width %g on page %zu", width, pw->index + 1);
        return 0;
    }
    return 1;
}

static void rect(page_writer *pw, const rg_dl_rect *r)
{
    double v[4] = {r->x, r->y, r->w, r->h};
    if (!r->fill && !r->stroke) return;
    if (!coords_ok(pw, v, 4) ||
        !paint_ok(pw, r->fill, r->fill_color, r->stroke, r->stroke_color, r->line_width))
        return;
    end_text(pw);
    if (r->fill) set_fill(pw, r->fill_color);
    if (r->stroke) set_stroke(pw, r->stroke_color, r->line_width);
    point(pw, r->x, r->y);
    point(pw, r->w, r->h);
    put(pw, "re\n");
    paint(pw, r->fill, r->stroke);
}

static int path_ok(page_writer *pw, const rg_dl_path *p)
{
    if (p->segs[0].op != RG_PATH_MOVE) {
        fail(pw, "path does not start with a move on page %zu", pw->index + 1);
        return 0;
    }
    for (size_t i = 0; i < p->nsegs; i++) {
        const rg_path_seg *s = &p->segs[i];
        size_t n = s->op == RG_PATH_CURVE ? 6 : s->op == RG_PATH_CLOSE ? 0 : 2;
        if (!coords_ok(pw, s->pts, n)) return 0;
    }
    double clip[4] = { p->clip_x0, p->clip_y0, p->clip_x1, p->clip_y1 };
    if (p->clip && (!coords_ok(pw, clip, 4) || clip[2] < clip[0] || clip[3] < clip[1])) {
        fail(pw, "bad clip rectangle on page %zu", pw->index + 1);
        return 0;
    }
    double dash[2] = {p->dash_on, p->dash_off};
    if (!coords_ok(pw, dash, 2) || p->dash_on < 0 || p->dash_off < 0) {
        fail(pw, "bad dash pattern on page %zu", pw->index + 1);
        return 0;
    }
    return paint_ok(pw, p->fill, p->fill_color, p->stroke, p->stroke_color, p->line_width);
}

/* A path's clip rectangle, inside the q its caller opened: re W n. */
static void clip_rect(page_writer *pw, const rg_dl_path *p)
{
    point(pw, p->clip_x0, p->clip_y0);
    num(pw, p->clip_x1 - p->clip_x0, "clip width");
    put(pw, " ");
    num(pw, p->clip_y1 - p->clip_y0, "clip height");
    put(pw, " re W n\n");
}

/* A dash and a clip are set inside q/Q so they do not outlive the path. */
static void path(page_writer *pw, const rg_dl_path *p)
{
    if (p->nsegs == 0 || !path_ok(pw, p)) return;
    int dashed = p->stroke && (p->dash_on > 0 || p->dash_off > 0);
    int saved = dashed || p->clip;
    end_text(pw);
    if (saved) {
        put(pw, "q\n");
        pw->saved++;
    }
    if (p->clip) clip_rect(pw, p);
    if (dashed) {
        put(pw, "[");
        num(pw, p->dash_on, "dash");
        put(pw, " ");
        num(pw, p->dash_off, "dash");
        put(pw, "] 0 d\n");
    }
    if (p->fill) set_fill(pw, p->fill_color);
    if (p->stroke) set_stroke(pw, p->stroke_color, p->line_width);
    for (size_t i = 0; i < p->nsegs; i++) {
        const double *q = p->segs[i].pts;
        switch (p->segs[i].op) {
        case RG_PATH_MOVE:
            point(pw, q[0], q[1]);
            put(pw, "m\n");
            break;
        case RG_PATH_LINE:
            point(pw, q[0], q[1]);
            put(pw, "l\n");
            break;
        case RG_PATH_CURVE:
            point(pw, q[0], q[1]);
            point(pw, q[2], q[3]);
            point(pw, q[4], q[5]);
            put(pw, "c\n");
            break;
        case RG_PATH_CLOSE: put(pw, "h\n"); break;
        }
    }
    paint(pw, p->fill, p->stroke);
    if (saved) {
        put(pw, "Q\n");
        pw->saved--;
        pw->have_fill = 0;         /* Q brought back an older fill colour */
    }
}

/* ---- marked content ---- */

static void marked_begin(page_writer *pw, const char *tag)
{
    end_text(pw);
    put(pw, tag);
    put(pw, " BMC\n");
    pw->marked++;
}

static void marked_end(page_writer *pw)
{
    end_text(pw);
    if (pw->marked == 0) {
        fail(pw, "artifact end without a begin on page %zu", pw->index + 1);
        return;
    }
    put(pw, "EMC\n");
    pw->marked--;
}

/* ---- tagged content ---- */

static void mc_close(page_writer *pw)
{
    if (pw->mc == MC_NONE) return;
    end_text(pw);
    put(pw, "EMC\n");
    pw->mc = MC_NONE;
    pw->mc_chunk = -1;
}

/* Whether the item puts anything on the page (else it needs no tag). */
static int draws(const rg_dl_item *it)
{
    switch (it->kind) {
    case RG_DL_GLYPHS: return it->u.glyphs.nglyphs > 0;
    case RG_DL_RECT: return it->u.rect.fill || it->u.rect.stroke;
    case RG_DL_PATH: return it->u.path.nsegs > 0;
    case RG_DL_IMAGE: return it->u.image.w > 0 && it->u.image.h > 0;
    default: return 0;
    }
}

/* Opens a marked-content sequence with the next MCID of the page for
 * chunk: its element's role, or, with actual, a /Span whose /ActualText
 * that is (pw->mc MC_CHUNK or MC_SPAN). */
static void mc_begin(page_writer *pw, int chunk, const rg_pdf_buf *actual)
{
    mc_close(pw);
    const rg_dl *dl = pw->dl;
    if (chunk < 0 || (size_t)chunk >= dl->nchunks) {
        fail(pw, "content chunk %d on page %zu does not exist", chunk, pw->index + 1);
        return;
    }
    /* MCIDs count from 0 on every page; rg_pdf_page_commit records them */
    rg_pdf_page_out *o = pw->out;
    int mcid = (int)o->nmcids;
    rg_grow(&o->mcid_chunks, &pw->mcids_cap, o->nmcids + 1, sizeof *o->mcid_chunks);
    o->mcid_chunks[o->nmcids++] = chunk;
    put(pw, "/");
    put(pw, actual ? "Span" : dl->elems[dl->chunks[chunk].elem].role);
    put(pw, " <</MCID ");
    rg_pdf_buf_int(&pw->buf, mcid);
    if (actual) {
        put(pw, " /ActualText ");
        rg_pdf_buf_put(&pw->buf, actual->p, actual->len);
        put(pw, " ");
    }
    put(pw, ">> BDC\n");
    pw->mc = actual ? MC_SPAN : MC_CHUNK;
    pw->mc_chunk = actual ? -1 : chunk;
}

/* Before a drawing item of a tagged page: an /Artifact for content
 * outside any element, so nothing on the page is untagged; the MCID
 * sequence of its chunk for other content but glyph runs (consecutive
 * items of one chunk share it), which glyph_run opens itself. Inside the
 * layout's own artifacts nothing changes. */
static void mc_content(page_writer *pw, const rg_dl_item *it)
{
    if (!pw->tagged || pw->marked || !draws(it)) return;
    if (it->chunk < 0) {
        if (pw->mc == MC_ARTIFACT) return;
        mc_close(pw);
        put(pw, "/Artifact BMC\n");
        pw->mc = MC_ARTIFACT;
        return;
    }
    if (it->kind == RG_DL_GLYPHS) return;
    if (pw->mc == MC_CHUNK && pw->mc_chunk == it->chunk) return;
    mc_begin(pw, it->chunk, NULL);
}

/* ---- glyph runs in marked content ----
 *
 * A run is drawn in segments: stretches of glyphs that extract as their
 * own text, and clusters that need /ActualText (rg_pdf_actual_text: an
 * inserted hyphen where the font has no glyph of its own for U+00AD, a
 * no-break space drawn with the space glyph, a .notdef for a character no
 * font has). In a tagged chunk such a cluster gets a /Span sequence with
 * an MCID of its own and the /ActualText, between MCID sequences of the
 * chunk's role, not a /Span nested in the chunk's sequence: poppler
 * (pdfinfo -struct-text, poppler-glib's structure API) ends an MCID's text
 * at the first nested EMC, and would lose the rest of the paragraph.
 * Outside the tags (an artifact, an untagged document) it is a plain
 * /Span. Text objects are closed around every marked-content operator. */

/* The chunk whose MCID sequences a glyph item is drawn in, or -1. */
static int tagged_chunk(const page_writer *pw, const rg_dl_item *it)
{
    return pw->tagged && !pw->marked && it->chunk >= 0 ? it->chunk : -1;
}

/* Glyphs [from, to) that extract as their own text, with sep (tj). */
static void plain_segment(page_writer *pw, int chunk, const rg_pdf_font *pf,
                          const rg_dl_glyphs *run, size_t from, size_t to, double x,
                          uint32_t sep)
{
    if (from == to && !sep) return;
    if (chunk >= 0 && (pw->mc != MC_CHUNK || pw->mc_chunk != chunk)) mc_begin(pw, chunk, NULL);
    draw_glyphs(pw, pf, run, from, to, x, sep);
}

/* Glyphs [from, to) read as the /ActualText in pw->actual. */
static void actual_segment(page_writer *pw, int chunk, const rg_pdf_font *pf,
                           const rg_dl_glyphs *run, size_t from, size_t to, double x)
{
    if (chunk >= 0) {
        mc_begin(pw, chunk, &pw->actual);
        draw_glyphs(pw, pf, run, from, to, x, 0);
        mc_close(pw);
        return;
    }
    end_text(pw);
    put(pw, "/Span <</ActualText ");
    rg_pdf_buf_put(&pw->buf, pw->actual.p, pw->actual.len);
    put(pw, " >> BDC\n");
    draw_glyphs(pw, pf, run, from, to, x, 0);
    end_text(pw);
    put(pw, "EMC\n");
}

static const rg_pdf_font *run_font(page_writer *pw, const rg_dl_glyphs *run)
{
    double v[3] = {run->x, run->y, run->size};
    if (!coords_ok(pw, v, 3) || !color_ok(pw, run->color)) return NULL;
    if (run->size <= 0) {
        fail(pw, "font size %g on page %zu", run->size, pw->index + 1);
        return NULL;
    }
    const rg_pdf_font *pf = rg_pdf_fonts_find(pw->fs, run->font);
    if (!pf) fail(pw, "glyph run with an unknown font on page %zu", pw->index + 1);
    return pf;
}

/* The first glyph of the run's last cluster. */
static size_t last_cluster(const rg_dl_glyphs *run)
{
    size_t i = run->nglyphs - 1;
    while (i > 0 && run->glyphs[i - 1].cluster == run->glyphs[i].cluster) i--;
    return i;
}

/* The rest of a word hyphenated on the line before, at the start of a run
 * flagged RG_RUN_CONTINUES: drawn with an empty /ActualText, since the
 * hyphen already read as it (dlist.h). Glyphs of the last cluster before
 * stop (glyph_run's) are left to it. Returns the glyph count drawn and
 * moves *x past them. */
static size_t continuation(page_writer *pw, int chunk, const rg_pdf_font *pf,
                           const rg_dl_glyphs *run, size_t stop, double *x)
{
    pw->actual.len = 0;
    size_t n = rg_pdf_actual_text_continuation(run, &pw->actual);
    if (n > stop) n = stop;
    if (n == 0) return 0;
    actual_segment(pw, chunk, pf, run, 0, n, *x);
    double scale = run->size / rg_font_upem(run->font);
    for (size_t i = 0; i < n; i++) *x += run->glyphs[i].x_advance * scale;
    return n;
}

static void glyph_run(page_writer *pw, const rg_dl_item *it)
{
    const rg_dl_glyphs *run = &it->u.glyphs;
    if (run->nglyphs == 0) return;
    const rg_pdf_font *pf = run_font(pw, run);
    if (!pf) return;
    int chunk = tagged_chunk(pw, it);
    uint32_t sep = run->flags & RG_RUN_SPACE_AFTER ? rg_pdf_font_space(pf) : 0;
    /* a face without a space glyph: the last cluster reads as its text and a space */
    int spaced = (run->flags & RG_RUN_SPACE_AFTER) && !sep;
    size_t stop = spaced ? last_cluster(run) : run->nglyphs;
    double scale = run->size / rg_font_upem(run->font);
    double x = run->x;
    size_t from = continuation(pw, chunk, pf, run, stop, &x);
    double seg_x = x;
    for (size_t i = from; i < stop;) {
        pw->actual.len = 0;
        size_t n = rg_pdf_actual_text(pf, run, i, &pw->actual);
        if (n == 0 || i + n > stop) {
            x += run->glyphs[i++].x_advance * scale;
            continue;
        }
        plain_segment(pw, chunk, pf, run, from, i, seg_x, 0);
        actual_segment(pw, chunk, pf, run, i, i + n, x);
        for (size_t end = i + n; i < end; i++) x += run->glyphs[i].x_advance * scale;
        from = i;
        seg_x = x;
    }
    plain_segment(pw, chunk, pf, run, from, stop, seg_x, sep);
    if (spaced) {
        pw->actual.len = 0;
        /* a last cluster inside the rest reads as the separator alone */
        int in_rest = (run->flags & RG_RUN_CONTINUES) && run->glyphs[stop].cluster < run->cont_len;
        rg_pdf_actual_text_spaced(run, in_rest ? run->nglyphs : stop, &pw->actual);
        actual_segment(pw, chunk, pf, run, stop, run->nglyphs, x);
    }
}

/* A picture: its XObject scaled into its box ("q w 0 0 h x y cm /Xn Do
 * Q"). Pictures are numbered in the order the page first draws them, as
 * rg_pdf_page_commit adds them to the page's /XObject resources. */
static void image(page_writer *pw, const rg_dl_image *im)
{
    if (!(im->w > 0 && im->h > 0)) return;
    const double box[4] = { im->x, im->y, im->w, im->h };
    if (!coords_ok(pw, box, 4)) return;
    rg_pdf_page_out *o = pw->out;
    size_t n = 0;
    for (size_t i = 0; i < o->nimages && !n; i++)
        if (o->images[i]->len == im->len &&
            (o->images[i]->data == im->data || !memcmp(o->images[i]->data, im->data, im->len)))
            n = i + 1;                 /* the same bytes: one XObject (pdf/image.c) */
    if (!n) {
        rg_grow(&o->images, &pw->images_cap, o->nimages + 1, sizeof *o->images);
        o->images[o->nimages++] = im;
        n = o->nimages;
    }
    /* the unit square of the stored pixels (u across, v up) into the box:
     * turned or mirrored by a JPEG's EXIF orientation (the box is the
     * picture as seen) */
    double x = im->x, y = im->y, w = im->w, h = im->h, m[6];
    switch (im->orientation) {
    case 2: m[0] = -w, m[1] = 0, m[2] = 0, m[3] = h, m[4] = x + w, m[5] = y; break;
    case 3: m[0] = -w, m[1] = 0, m[2] = 0, m[3] = -h, m[4] = x + w, m[5] = y + h; break;
    case 4: m[0] = w, m[1] = 0, m[2] = 0, m[3] = -h, m[4] = x, m[5] = y + h; break;
    case 5: m[0] = 0, m[1] = -h, m[2] = -w, m[3] = 0, m[4] = x + w, m[5] = y + h; break;
    case 6: m[0] = 0, m[1] = -h, m[2] = w, m[3] = 0, m[4] = x, m[5] = y + h; break;
    case 7: m[0] = 0, m[1] = h, m[2] = w, m[3] = 0, m[4] = x, m[5] = y; break;
    case 8: m[0] = 0, m[1] = h, m[2] = -w, m[3] = 0, m[4] = x + w, m[5] = y; break;
    default: m[0] = w, m[1] = 0, m[2] = 0, m[3] = h, m[4] = x, m[5] = y; break;
    }
    end_text(pw);
    put(pw, "q");
    for (int k = 0; k < 6; k++) {
        put(pw, " ");
        num(pw, m[k], "image matrix");
    }
    put(pw, " cm /X");
    rg_pdf_buf_int(&pw->buf, (long long)n);
    put(pw, " Do Q\n");
}

static void item(page_writer *pw, const rg_dl_item *it)
{
    mc_content(pw, it);
    switch (it->kind) {
    case RG_DL_GLYPHS: glyph_run(pw, it); break;
    case RG_DL_RECT: rect(pw, &it->u.rect); break;
    case RG_DL_PATH: path(pw, &it->u.path); break;
    case RG_DL_IMAGE: image(pw, &it->u.image); break;
    case RG_DL_ARTIFACT_BEGIN:
        mc_close(pw);
        marked_begin(pw, "/Artifact");
        break;
    case RG_DL_ARTIFACT_END: marked_end(pw); break;
    case RG_DL_LINK:
    case RG_DL_DEST:
        break;                     /* annotations and destinations: pdf/pdf.c */
    }
}

void rg_pdf_page_render(const rg_pdf_fonts *fs, const rg_dl *dl, int tagged, size_t index,
                        rg_pdf_page_out *out)
{
    memset(out, 0, sizeof *out);
    page_writer pw = {0};
    pw.fs = fs;
    pw.dl = dl;
    pw.tagged = tagged;
    pw.mc_chunk = -1;
    pw.index = index;
    pw.out = out;
    const rg_dl_page *dp = rg_dl_page_get(dl, index);    /* read back when spilled */
    if (!dp) fail(&pw, "page %zu cannot be read back from the temporary file", index + 1);
    for (size_t i = 0; dp && i < dp->nitems && !out->status; i++) item(&pw, &dp->items[i]);
    end_text(&pw);
    mc_close(&pw);
    if (pw.marked && !out->status)
        fail(&pw, "%d artifact(s) left open on page %zu", pw.marked, index + 1);
    while (pw.marked-- > 0) put(&pw, "EMC\n");
    if (!out->status && (pw.in_text || pw.saved))
        fail(&pw, "page %zu ends inside a text object or a q/Q pair", index + 1);
    out->content = pw.buf;
    rg_pdf_buf_free(&pw.actual);
}

/* The page's content is complete: name its fonts and pictures in the
 * page's /Resources (in the order render numbered them), hand its MCIDs
 * to the structure tree, hash it
 * for the /ID and compress it into the page's content stream. libharu must
 * not have written into that stream (an HPDF_Page_* operator call would
 * have; none is made) nor think the page is inside a path, a text object
 * or a q: at save time it would append bytes to close them
 * (Page_BeforeWrite), raw behind compressed. */
void rg_pdf_page_commit(rg_pdf_writer *w, rg_pdf_struct *st, size_t index, HPDF_Page page,
                        rg_pdf_page_out *out)
{
    if (out->status) rg_pdf_fail(w, out->status, "%s", out->message);
    HPDF_Image *images = rg_xcalloc(out->nimages + 1, sizeof *images);
    for (size_t i = 0; i < out->nimages && !w->status; i++)
        images[i] = rg_pdf_image(w, out->images[i]);      /* NULL: reported */
    if (!w->status)       /* F1.. and X1.. in render's order (pdf/resources.c) */
        rg_pdf_resources_set(w, page, out->fonts, out->nfonts, images, out->nimages);
    free(images);
    if (st && !w->status) rg_pdf_struct_add_mcids(st, index, out->mcid_chunks, out->nmcids);
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (!w->status && (HPDF_Stream_Size(attr->stream) != 0 ||
                       attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION ||
                       (attr->gstate && attr->gstate->prev)))
        rg_pdf_fail(w, RG_EX_SOFTWARE, "PDF library wrote into the content of page %zu",
                    index + 1);
    if (!w->status) {
        rg_pdf_hash(w, out->content.p, out->content.len);
        rg_pdf_stream_deflate_later(w, attr->contents, &out->content, RG_PDF_ZLEVEL_PAGE);
    }
    rg_pdf_page_out_free(out);
}

void rg_pdf_page_out_free(rg_pdf_page_out *out)
{
    rg_pdf_buf_free(&out->content);
    free(out->fonts);
    free(out->images);
    free(out->mcid_chunks);
    memset(out, 0, sizeof *out);
}
