/* check/check.c - the layout checker (see check.h). Stage: check.
 * Per page it computes the ink box of every glyph (font units to points
 * through the run's size), then checks the media box, the runs' boxes,
 * overlaps between runs (a sweep over the glyphs sorted by their bottom)
 * and between runs and rules or fills; per paragraph it walks the lines
 * in drawing order for breaks and for text left out. A turned run's
 * glyph (rg_dl_glyphs.angle) has its ink box turned with it: a
 * quadrilateral, whose bounding box stands for it in the media and box
 * checks and in the sweep, while overlaps are decided on the
 * quadrilaterals themselves (separating axes), so that the parallel
 * labels of a dense chart axis do not overlap where only their
 * bounding boxes do. */
#include "check.h"
#include "fonts/fonts.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL RG_CHECK_TOLERANCE
/* the most a glyph's ink may overhang its advance by design, in em (a
 * larger overhang is an error of the pen position, not the font's) */
#define MAX_OVERHANG 0.25
#define MAX_REPORTS 20             /* per kind */

typedef struct rect {
    double x0, y0, x1, y1;
} rect;

typedef struct run_info {
    const rg_dl_glyphs *g;
    size_t page;
    size_t item;                   /* its index in the page's items */
    int box;
    rect ink;                      /* union of its glyphs' inks (their bounding boxes) */
    int has_ink;
    double pen_end;                /* x after its last advance (along a turned run's
                                    * baseline: as if it were not turned) */
    int reported;                  /* an overlap was reported for it */
} run_info;

/* A turned glyph's ink: the corners of its ink box, turned with its run,
 * in order around. */
typedef struct quad {
    double x[4], y[4];
} quad;

typedef struct glyph_box {
    rect r;                        /* its ink (a turned glyph's: its quad's bounding box) */
    size_t run;                    /* index into the page's runs */
    double side;                   /* how far the ink overhangs the advance sideways */
    long quad;                     /* a turned glyph's ink: index into the page's quads,
                                    * else -1 */
} glyph_box;

typedef struct quads {
    quad *v;
    size_t n, cap;
} quads;

typedef struct checker {
    rg_ctx *ctx;
    const rg_dl *dl;
    const char *path;
    rg_check_result res;
} checker;

static const char *const KIND_NAMES[RG_CHECK_NKINDS] = { "media", "box", "overlap", "break",
                                                         "cut", "keep", "pageref", "note" };

const char *rg_check_kind_name(rg_check_kind k)
{
    return k < RG_CHECK_NKINDS ? KIND_NAMES[k] : "?";
}

static int box_line(const checker *C, int box)
{
    return box >= 0 && (size_t)box < C->dl->nboxes ? C->dl->boxes[box].line : 0;
}

/* Reports one violation (the first MAX_REPORTS of a kind are printed). */
static void violation(checker *C, rg_check_kind k, int line, size_t page, const char *what,
                      const char *text, size_t len)
{
    size_t n = ++C->res.violations[k];
    C->res.total++;
    if (n > MAX_REPORTS) return;
    int show = text ? (int)rg_utf8_prefix(text, len, 60) : 0;
    rg_diag(C->ctx, RG_SEV_ERROR, C->path, line, 0, "layout check (%s): page %zu: %s%s%.*s%s",
            KIND_NAMES[k], page + 1, what, text ? ": \"" : "", text ? show : 0,
            text ? text : "", text ? "\"" : "");
}

/* ------------------------------------------------------------ geometry */

static double overlap_1d(double a0, double a1, double b0, double b1)
{
    double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi - lo;
}

static int overlaps(const rect *a, const rect *b)
{
    return overlap_1d(a->x0, a->x1, b->x0, b->x1) > TOL &&
           overlap_1d(a->y0, a->y1, b->y0, b->y1) > TOL;
}

static quad quad_of(const rect *r)
{
    return (quad){ { r->x0, r->x1, r->x1, r->x0 }, { r->y0, r->y0, r->y1, r->y1 } };
}

/* How far two convex quadrilaterals overlap: the least overlap of their
 * projections on the normals of their edges (separating axes), negative
 * when some axis separates them. For two upright rectangles it is the
 * smaller of their overlaps in x and in y. */
static double quad_overlap(const quad *a, const quad *b)
{
    double least = INFINITY;
    for (int k = 0; k < 4; k++) {
        const quad *e = k < 2 ? a : b;
        int i = k % 2;                     /* edges 0-1 and 1-2: the other two are parallel */
        double nx = -(e->y[i + 1] - e->y[i]), ny = e->x[i + 1] - e->x[i];
        double len = hypot(nx, ny);
        if (len <= 0) continue;
        nx /= len;
        ny /= len;
        double a0 = INFINITY, a1 = -INFINITY, b0 = INFINITY, b1 = -INFINITY;
        for (int c = 0; c < 4; c++) {
            double pa = a->x[c] * nx + a->y[c] * ny, pb = b->x[c] * nx + b->y[c] * ny;
            a0 = fmin(a0, pa);
            a1 = fmax(a1, pa);
            b0 = fmin(b0, pb);
            b1 = fmax(b1, pb);
        }
        least = fmin(least, overlap_1d(a0, a1, b0, b1));
    }
    return least;
}

/* q shrunk by d on each side (along its own edges) */
static quad quad_shrunk(const quad *q, double d)
{
    double ux = q->x[1] - q->x[0], uy = q->y[1] - q->y[0];
    double vx = q->x[3] - q->x[0], vy = q->y[3] - q->y[0];
    double lu = hypot(ux, uy), lv = hypot(vx, vy);
    double du = lu > 2 * d ? d / lu : 0.5, dv = lv > 2 * d ? d / lv : 0.5;
    quad s;
    static const int su[4] = { 1, -1, -1, 1 }, sv[4] = { 1, 1, -1, -1 };
    for (int c = 0; c < 4; c++) {
        s.x[c] = q->x[c] + su[c] * du * ux + sv[c] * dv * vx;
        s.y[c] = q->y[c] + su[c] * du * uy + sv[c] * dv * vy;
    }
    return s;
}

/* Do two glyphs' inks overlap (by more than TOL both ways)? Upright ones
 * by their boxes; a turned one by its quadrilateral. */
static int glyphs_overlap(const quads *qs, const glyph_box *a, const glyph_box *b)
{
    if (!overlaps(&a->r, &b->r)) return 0;
    if (a->quad < 0 && b->quad < 0) return 1;
    quad qa = a->quad < 0 ? quad_of(&a->r) : qs->v[a->quad];
    quad qb = b->quad < 0 ? quad_of(&b->r) : qs->v[b->quad];
    return quad_overlap(&qa, &qb) > TOL;
}

/* A rule touches ink that it crosses by more than a hairline. */
#define HAIRLINE 0.25
static int touches(const rect *ink, const rect *rule)
{
    const double h = HAIRLINE;
    return overlap_1d(ink->x0 + h, ink->x1 - h, rule->x0, rule->x1) > 0 &&
           overlap_1d(ink->y0 + h, ink->y1 - h, rule->y0, rule->y1) > 0;
}

/* The same for a glyph's ink, turned or not. */
static int glyph_touches(const quads *qs, const glyph_box *g, const rect *rule)
{
    if (!touches(&g->r, rule)) return 0;
    if (g->quad < 0) return 1;
    quad in = quad_shrunk(&qs->v[g->quad], HAIRLINE), r = quad_of(rule);
    return quad_overlap(&in, &r) > 0;
}

static int inside(const rect *in, const rect *out)
{
    return in->x0 >= out->x0 - TOL && in->x1 <= out->x1 + TOL && in->y0 >= out->y0 - TOL &&
           in->y1 <= out->y1 + TOL;
}

static void grow(rect *r, const rect *by, int *has)
{
    if (!*has) {
        *r = *by;
        *has = 1;
        return;
    }
    if (by->x0 < r->x0) r->x0 = by->x0;
    if (by->y0 < r->y0) r->y0 = by->y0;
    if (by->x1 > r->x1) r->x1 = by->x1;
    if (by->y1 > r->y1) r->y1 = by->y1;
}

/* r (in the frame of run g, as if it were not turned) turned about g's
 * pen origin by g's angle */
static quad turned(const rg_dl_glyphs *g, const rect *r)
{
    double a = g->angle * (3.14159265358979323846 / 180), c = cos(a), s = sin(a);
    quad q = quad_of(r);
    for (int k = 0; k < 4; k++) {
        double dx = q.x[k] - g->x, dy = q.y[k] - g->y;
        q.x[k] = g->x + dx * c - dy * s;
        q.y[k] = g->y + dx * s + dy * c;
    }
    return q;
}

static rect bounds(const quad *q)
{
    rect r = { q->x[0], q->y[0], q->x[0], q->y[0] };
    for (int k = 1; k < 4; k++) {
        r.x0 = fmin(r.x0, q->x[k]);
        r.y0 = fmin(r.y0, q->y[k]);
        r.x1 = fmax(r.x1, q->x[k]);
        r.y1 = fmax(r.y1, q->y[k]);
    }
    return r;
}

/* The glyph ink boxes of run g (appended to *out; a turned run's turned
 * inks to qs), its ink and pen end. */
static void run_glyphs(const rg_dl_glyphs *g, size_t run, run_info *ri, glyph_box **out,
                       size_t *n, size_t *cap, quads *qs)
{
    double scale = g->size / rg_font_upem(g->font), pen = g->x;
    for (size_t i = 0; i < g->nglyphs; i++) {
        const rg_glyph *gl = &g->glyphs[i];
        int32_t b[4];
        if (rg_font_glyph_ink(g->font, gl->gid, b)) {
            double ox = pen + gl->x_offset * scale, oy = g->y + gl->y_offset * scale;
            rect r = { ox + b[0] * scale, oy + b[1] * scale, ox + b[2] * scale,
                       oy + b[3] * scale };
            double left = pen - r.x0, right = r.x1 - (pen + gl->x_advance * scale);
            double side = left > right ? left : right;
            if (side > MAX_OVERHANG * g->size) side = MAX_OVERHANG * g->size;
            long q = -1;
            if (g->angle != 0) {
                rg_grow(&qs->v, &qs->cap, qs->n + 1, sizeof *qs->v);
                qs->v[qs->n] = turned(g, &r);
                r = bounds(&qs->v[qs->n]);
                q = (long)qs->n++;
            }
            rg_grow(out, cap, *n + 1, sizeof **out);
            (*out)[(*n)++] = (glyph_box){ r, run, side > 0 ? side : 0, q };
            grow(&ri->ink, &r, &ri->has_ink);
        }
        pen += gl->x_advance * scale;
    }
    ri->pen_end = pen;
}

/* --------------------------------------------------- media, box, overlap */

static const char *const BOX_NAMES[] = { "text area", "cover", "table cell", "chart",
                                         "chart label", "header field", "footer field" };

/* How far r reaches out of box (the largest of the four sides). */
static double outside_by(const rect *r, const rect *box)
{
    double d = box->x0 - r->x0, e;
    if ((e = r->x1 - box->x1) > d) d = e;
    if ((e = box->y0 - r->y0) > d) d = e;
    if ((e = r->y1 - box->y1) > d) d = e;
    return d;
}

static int para_line(const checker *C, const rg_dl_glyphs *g)
{
    return g->para >= 0 && (size_t)g->para < C->dl->nparas ? C->dl->paras[g->para].line : 0;
}

static void check_containment(checker *C, const rg_dl_page *pg, size_t page, run_info *runs,
                              const glyph_box *gb, size_t ngb)
{
    rect media = { 0, 0, pg->width, pg->height };
    for (size_t i = 0; i < ngb; i++) {
        run_info *ri = &runs[gb[i].run];
        const rg_dl_glyphs *g = ri->g;
        if (!inside(&gb[i].r, &media) && !(ri->reported & 2)) {
            violation(C, RG_CHECK_MEDIA, box_line(C, ri->box), page,
                      "a glyph outside the page", g->text, g->text_len);
            ri->reported |= 2;
        }
        if (ri->box < 0) {
            if (!(ri->reported & 4))
                violation(C, RG_CHECK_BOX, 0, page, "a glyph run that belongs to no box",
                          g->text, g->text_len);
            ri->reported |= 4;
            continue;
        }
        const rg_dl_box *b = &C->dl->boxes[ri->box];
        /* ink may overhang its advance sideways by a tenth of an em, or
         * as far as the font draws it past its advance (an italic J or f
         * at a line's ends): typographic, not an overflow */
        double side = g->size * 0.1 > TOL ? g->size * 0.1 - TOL : 0;
        if (gb[i].side > side) side = gb[i].side;
        rect br = { b->x0 - side, b->y0, b->x1 + side, b->y1 };
        if (!inside(&gb[i].r, &br) && !(ri->reported & 4)) {
            char what[96];
            snprintf(what, sizeof what, "text outside its %s by %.1f pt", BOX_NAMES[b->kind],
                     outside_by(&gb[i].r, &br));
            violation(C, RG_CHECK_BOX, b->line ? b->line : para_line(C, g), page, what, g->text,
                      g->text_len);
            ri->reported |= 4;
        }
    }
}

/* Does turned run b start where turned run a's pen ends (at one angle)? */
static int continues_turned(const run_info *a, const run_info *b)
{
    if (a->g->angle != b->g->angle) return 0;
    double t = a->g->angle * (3.14159265358979323846 / 180), d = a->pen_end - a->g->x;
    return fabs(a->g->x + d * cos(t) - b->g->x) < 0.05 && fabs(a->g->y + d * sin(t) - b->g->y) < 0.05;
}

/* Runs that continue each other on one line (styled pieces of a line, a
 * line and its inserted hyphen). */
static int adjacent(const run_info *a, const run_info *b)
{
    if (a->g->angle != 0 || b->g->angle != 0) return continues_turned(a, b) || continues_turned(b, a);
    /* a footnote's reference (RG_RUN_RAISED) stands raised in its line */
    double rise = 0.01;
    if ((a->g->flags | b->g->flags) & RG_RUN_RAISED) rise = fmax(a->g->size, b->g->size);
    if (a->g->y - b->g->y > rise || b->g->y - a->g->y > rise) return 0;
    double d1 = a->pen_end - b->g->x, d2 = b->pen_end - a->g->x;
    return (d1 < 0.05 && d1 > -0.05) || (d2 < 0.05 && d2 > -0.05);
}

static int by_bottom(const void *a, const void *b)
{
    const glyph_box *x = a, *y = b;
    return (x->r.y0 > y->r.y0) - (x->r.y0 < y->r.y0);
}

static void check_run_overlaps(checker *C, size_t page, run_info *runs, glyph_box *gb,
                               size_t ngb, const quads *qs)
{
    if (ngb > 1) qsort(gb, ngb, sizeof *gb, by_bottom);
    size_t *active = NULL, nactive = 0, cap = 0;
    for (size_t i = 0; i < ngb; i++) {
        size_t k = 0;
        for (size_t a = 0; a < nactive; a++)       /* drop those wholly below */
            if (gb[active[a]].r.y1 > gb[i].r.y0 + TOL) active[k++] = active[a];
        nactive = k;
        for (size_t a = 0; a < nactive; a++) {
            const glyph_box *o = &gb[active[a]];
            if (o->run == gb[i].run || !glyphs_overlap(qs, o, &gb[i])) continue;
            run_info *ra = &runs[o->run], *rb = &runs[gb[i].run];
            if (adjacent(ra, rb) || (ra->reported & 1 && rb->reported & 1)) continue;
            violation(C, RG_CHECK_OVERLAP, box_line(C, rb->box), page,
                      "text drawn over other text", rb->g->text, rb->g->text_len);
            ra->reported |= 1;
            rb->reported |= 1;
        }
        rg_grow(&active, &cap, nactive + 1, sizeof *active);
        active[nactive++] = i;
    }
    free(active);
}

/* A graphic as the checker sees it: rules (strokes, thin fills) may not
 * touch another box's text; fills (surfaces) may lie under text that
 * they hold whole. */
typedef struct graphic {
    rect r;
    int rule;
} graphic;

static size_t graphics_of(const rg_dl_item *it, graphic *out, size_t cap)
{
    if (it->kind == RG_DL_RECT) {
        const rg_dl_rect *r = &it->u.rect;
        rect b = { r->x, r->y, r->x + r->w, r->y + r->h };
        if (b.x1 < b.x0) { double t = b.x0; b.x0 = b.x1; b.x1 = t; }
        if (b.y1 < b.y0) { double t = b.y0; b.y0 = b.y1; b.y1 = t; }
        size_t n = 0;
        if (r->fill && cap > n) {
            int thin = b.x1 - b.x0 < 3 || b.y1 - b.y0 < 3;
            out[n++] = (graphic){ b, thin };
        }
        if (r->stroke && cap >= n + 4) {
            double h = r->line_width / 2;
            out[n++] = (graphic){ { b.x0 - h, b.y0 - h, b.x1 + h, b.y0 + h }, 1 };
            out[n++] = (graphic){ { b.x0 - h, b.y1 - h, b.x1 + h, b.y1 + h }, 1 };
            out[n++] = (graphic){ { b.x0 - h, b.y0 - h, b.x0 + h, b.y1 + h }, 1 };
            out[n++] = (graphic){ { b.x1 - h, b.y0 - h, b.x1 + h, b.y1 + h }, 1 };
        }
        return n;
    }
    if (it->kind != RG_DL_PATH || cap == 0) return 0;
    const rg_dl_path *p = &it->u.path;
    rect b = { 0, 0, 0, 0 };
    int has = 0;
    for (size_t s = 0; s < p->nsegs; s++) {
        int npts = p->segs[s].op == RG_PATH_CURVE ? 3 : p->segs[s].op == RG_PATH_CLOSE ? 0 : 1;
        for (int k = 0; k < npts; k++) {
            rect pt = { p->segs[s].pts[2 * k], p->segs[s].pts[2 * k + 1],
                        p->segs[s].pts[2 * k], p->segs[s].pts[2 * k + 1] };
            grow(&b, &pt, &has);
        }
    }
    if (!has) return 0;
    double h = p->stroke ? p->line_width / 2 : 0;
    b.x0 -= h;
    b.y0 -= h;
    b.x1 += h;
    b.y1 += h;
    if (p->clip) {                 /* only what lies inside the clip is painted */
        b.x0 = fmax(b.x0, p->clip_x0);
        b.y0 = fmax(b.y0, p->clip_y0);
        b.x1 = fmin(b.x1, p->clip_x1);
        b.y1 = fmin(b.y1, p->clip_y1);
        if (b.x1 <= b.x0 || b.y1 <= b.y0) return 0;
    }
    int thin = b.x1 - b.x0 < 3 || b.y1 - b.y0 < 3;
    out[0] = (graphic){ b, !p->fill || thin };
    return 1;
}

/* Boxes whose text and drawing are one picture (a chart and its labels):
 * their own rules and fills may run under their text. */
static int own_drawing(const checker *C, int box)
{
    if (box < 0) return 0;
    rg_box_kind k = C->dl->boxes[box].kind;
    return k == RG_BOX_CHART || k == RG_BOX_LABEL;
}

/* A drawing in box gbox may lie under text of box tbox: gbox is a picture
 * (own_drawing) and is tbox or holds it (a chart's label boxes). */
static int drawn_with(const checker *C, int gbox, int tbox)
{
    if (!own_drawing(C, gbox)) return 0;
    for (int b = tbox, depth = 0; b >= 0 && (size_t)b < C->dl->nboxes && depth < 64;
         b = C->dl->boxes[b].parent, depth++)
        if (b == gbox) return 1;
    return 0;
}

/* The run whose underline item i of the page is, else -1: a thin fill
 * drawn right after a glyph run, in its box, lying along it (within its
 * advance, at most half its size below its baseline and not above it). */
static long underline_of(const rg_dl_page *pg, size_t i, const run_info *runs, size_t nruns)
{
    const rg_dl_item *it = &pg->items[i];
    if (i == 0 || it->kind != RG_DL_RECT || !it->u.rect.fill || it->u.rect.stroke) return -1;
    const rg_dl_rect *u = &it->u.rect;
    if (u->h <= 0 || u->h >= 3 || u->w <= 0) return -1;
    for (size_t r = 0; r < nruns; r++) {
        const run_info *ri = &runs[r];
        if (ri->item != i - 1 || ri->g->angle != 0) continue;
        const rg_dl_glyphs *g = ri->g;
        int along = ri->box == it->box && u->x >= g->x - TOL && u->x + u->w <= ri->pen_end + TOL &&
                    u->y + u->h <= g->y + TOL && u->y >= g->y - g->size / 2 - TOL;
        return along ? (long)r : -1;
    }
    return -1;
}

/* Do runs a and b stand on one baseline in one box (one line)? */
static int same_line(const run_info *a, const run_info *b)
{
    return a->box == b->box && a->page == b->page && fabs(a->g->y - b->g->y) <= TOL;
}

/* An underline stays inside its run's box (where the run's ink must be). */
static void check_underline_box(checker *C, const rg_dl_item *it, size_t page,
                                const run_info *ri)
{
    if (ri->box < 0) return;                       /* reported for the run */
    const rg_dl_box *b = &C->dl->boxes[ri->box];
    const rg_dl_rect *u = &it->u.rect;
    rect ur = { u->x, u->y, u->x + u->w, u->y + u->h }, br = { b->x0, b->y0, b->x1, b->y1 };
    if (inside(&ur, &br)) return;
    char what[96];
    snprintf(what, sizeof what, "underline outside its %s by %.1f pt", BOX_NAMES[b->kind],
             outside_by(&ur, &br));
    violation(C, RG_CHECK_BOX, b->line ? b->line : para_line(C, ri->g), page, what, ri->g->text,
              ri->g->text_len);
}

static void check_graphics(checker *C, const rg_dl_page *pg, size_t page, run_info *runs,
                           size_t nruns, const glyph_box *gb, size_t ngb, const quads *qs)
{
    for (size_t i = 0; i < pg->nitems; i++) {
        graphic gr[5];
        size_t n = graphics_of(&pg->items[i], gr, 5);
        int gbox = pg->items[i].box;
        long under = underline_of(pg, i, runs, nruns);
        if (under >= 0) check_underline_box(C, &pg->items[i], page, &runs[under]);
        for (size_t k = 0; k < n; k++)
            for (size_t r = 0; r < nruns; r++) {
                run_info *ri = &runs[r];
                if (!ri->has_ink || ri->reported & 8) continue;
                /* an underline crosses its own run's descenders, and those of
                 * its neighbours on the line: a link in two styles is
                 * underlined piece by piece, and a "j" hooks back under the
                 * piece before it */
                if (under >= 0 && same_line(&runs[under], ri)) continue;
                if (drawn_with(C, gbox, ri->box)) continue;
                if (!touches(&ri->ink, &gr[k].r)) continue;
                if (!gr[k].rule && inside(&ri->ink, &gr[k].r)) continue;   /* a background */
                int hit = 0;                       /* glyph by glyph */
                for (size_t j = 0; j < ngb && !hit; j++)
                    hit = gb[j].run == r && glyph_touches(qs, &gb[j], &gr[k].r);
                if (!hit) continue;
                violation(C, RG_CHECK_OVERLAP, box_line(C, ri->box), page,
                          gr[k].rule ? "text drawn over a rule" : "text partly over a fill",
                          ri->g->text, ri->g->text_len);
                ri->reported |= 8;
            }
    }
}

/* ------------------------------------------------------ breaks and cuts */

typedef struct src_run {
    const rg_dl_glyphs *g;
    size_t page;
} src_run;

static int is_space_at(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)t[i + 1] == 0x85) return 1;   /* NEL */
    if (c == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0xA8 || (unsigned char)t[i + 2] == 0xA9))
        return 1;                                                   /* LS, PS */
    if (c == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
        (unsigned char)t[i + 2] >= 0x80 && (unsigned char)t[i + 2] <= 0x8B)
        return 1;                                                   /* U+2000..U+200B */
    return 0;
}

static int is_soft_hyphen_at(const char *t, size_t len, size_t i)
{
    return i + 1 < len && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xAD;
}

/* Start of the UTF-8 character that ends at byte e (exclusive). */
static size_t char_before(const char *t, size_t e)
{
    size_t i = e ? e - 1 : 0;
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80) i--;
    return i;
}

/* Is the character at byte i (a lead byte) one of the scripts written
 * without spaces, whose lines may break between any two characters
 * (UAX #14's ID: CJK ideographs, kana, hangul, fullwidth forms)? */
static int is_ideographic_at(const char *t, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)t + i;
    uint32_t cp;
    if (u[0] >= 0xE0 && u[0] < 0xF0 && i + 2 < len)
        cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    else if (u[0] >= 0xF0 && i + 3 < len)
        cp = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
             (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
    else
        return 0;
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Letters and digits, with every non-ASCII character counted as a letter
 * (but the soft hyphen, spaces, dashes and ideographs). */
static int is_wordchar(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
    if (is_soft_hyphen_at(t, len, i) || is_space_at(t, len, i)) return 0;
    if (is_ideographic_at(t, len, i)) return 0;             /* breaks between any two */
    if (c == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80) return 0;   /* dashes, quotes */
    return 1;
}

/* The word (between spaces) around byte i: [*ws, *we). */
static void word_around(const char *t, size_t len, size_t i, size_t *ws, size_t *we)
{
    size_t a = i, b = i;
    while (a > 0 && !is_space_at(t, len, char_before(t, a))) a = char_before(t, a);
    while (b < len && !is_space_at(t, len, b)) b++;
    *ws = a;
    *we = b;
}

/* A figure, amount or date: digits with at most separators, signs and a
 * currency or percent sign (no letters). */
static int is_figure(const char *t, size_t ws, size_t we)
{
    int digits = 0;
    for (size_t i = ws; i < we; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c >= '0' && c <= '9') digits++;
        else if ((c | 32) >= 'a' && (c | 32) <= 'z') return 0;
    }
    return digits > 0;
}

static int is_address(const char *t, size_t ws, size_t we)
{
    for (size_t i = ws; i < we; i++) {
        if (t[i] == '@') return 1;
        if (i + 3 <= we && !memcmp(t + i, "://", 3)) return 1;
        if (i + 4 <= we && !memcmp(t + i, "www.", 4)) return 1;
    }
    return 0;
}

/* The break between two lines of paragraph p: the first line's text ends
 * at byte e (flags of its last run), the next starts at s. */
static void check_break(checker *C, const rg_dl_para *p, size_t page, size_t e, size_t s,
                        unsigned last_flags, const rg_dl_glyphs *last)
{
    const char *t = p->text;
    for (size_t i = e; i < s; i++)
        if (is_space_at(t, p->len, i)) return;                  /* broke at a space */
    if (s > e) {
        violation(C, RG_CHECK_CUT, p->line, page, "text left out at a line break", t + e,
                  s - e);
        return;
    }
    if (e == 0 || e >= p->len) return;
    size_t ws, we, c1 = char_before(t, e);
    word_around(t, p->len, e, &ws, &we);
    int hyphen = (last_flags & RG_RUN_HYPHEN) != 0;
    if (is_figure(t, ws, we)) {
        if (!(last_flags & RG_RUN_HARD_BREAK))      /* too wide for its line: warned */
            violation(C, RG_CHECK_BREAK, p->line, page, "a figure broken across lines",
                      t + ws, we - ws);
        return;
    }
    if (is_address(t, ws, we)) {
        if (hyphen || (!strchr("/.@-", t[c1]) && !(last_flags & RG_RUN_HARD_BREAK)))
            violation(C, RG_CHECK_BREAK, p->line, page,
                      "an address broken other than after / . @ - or with a hyphen", t + ws,
                      we - ws);
        return;
    }
    if (hyphen) {
        if (!last->nglyphs || last->glyphs[0].gid == 0)
            violation(C, RG_CHECK_BREAK, p->line, page, "an inserted hyphen without a glyph",
                      t + ws, we - ws);
        return;
    }
    if (is_soft_hyphen_at(t, p->len, c1)) {
        violation(C, RG_CHECK_BREAK, p->line, page, "a soft hyphen broken without a hyphen",
                  t + ws, we - ws);
        return;
    }
    if (!is_wordchar(t, p->len, c1) || !is_wordchar(t, p->len, e)) return;   /* after punctuation */
    if (last_flags & RG_RUN_HARD_BREAK) return;                  /* warned */
    violation(C, RG_CHECK_BREAK, p->line, page, "a word broken without a hyphen", t + ws,
              we - ws);
}

static int ends_with_ellipsis(const rg_dl_glyphs *g)
{
    return g->text_len >= 3 && !memcmp(g->text + g->text_len - 3, "\xE2\x80\xA6", 3);
}

/* Where a turned run's baseline lies across its direction: its pieces
 * of one line share it (an upright run's is its y). */
static double baseline_of(const rg_dl_glyphs *g)
{
    double a = g->angle * (3.14159265358979323846 / 180);
    return g->y * cos(a) - g->x * sin(a);
}

/* One paragraph: its runs in drawing order. */
static void check_para(checker *C, int id, const src_run *r, size_t n)
{
    const rg_dl_para *p = &C->dl->paras[id];
    unsigned char *seen = rg_xcalloc(p->len + 1, 1);
    int shortened = 0;
    size_t line_end = 0, first_page = n ? r[0].page : 0;
    unsigned last_flags = 0;
    const rg_dl_glyphs *last = NULL;
    double line_y = 0, line_angle = 0;
    for (size_t i = 0; i < n; i++) {
        const rg_dl_glyphs *g = r[i].g;
        if (g->flags & RG_RUN_SHORTENED) {
            shortened = 1;
            if (!ends_with_ellipsis(g))
                violation(C, RG_CHECK_CUT, p->line, r[i].page,
                          "shortened text without an ellipsis", g->text, g->text_len);
        }
        /* a raised run (a footnote's reference) is part of the line before it */
        int raised = (g->flags & RG_RUN_RAISED) && i > 0 && r[i].page == r[i - 1].page;
        int new_line = i > 0 && !raised &&
                       (r[i].page != r[i - 1].page || g->angle != line_angle ||
                        (g->angle == 0 ? g->y != line_y
                                       : fabs(baseline_of(g) - line_y) > 0.01));
        if (!(g->flags & RG_RUN_HYPHEN)) {
            size_t end = g->src + g->text_len;
            if (end > p->len) end = p->len;
            if (new_line && g->src >= line_end)          /* not a repeat of the paragraph */
                check_break(C, p, r[i].page, line_end, g->src, last_flags, last);
            if (g->src < end) memset(seen + g->src, 1, end - g->src);
            if (new_line || end > line_end) line_end = end;
        }
        last_flags = g->flags;
        last = g;
        if (raised) continue;
        line_y = g->angle == 0 ? g->y : baseline_of(g);
        line_angle = g->angle;
    }
    if (!shortened)
        for (size_t i = 0; i < p->len; i++) {
            if (seen[i] || is_space_at(p->text, p->len, i)) continue;
            if (is_soft_hyphen_at(p->text, p->len, i)) {
                i++;
                continue;
            }
            size_t e = i;                          /* to the next drawn byte */
            while (e < p->len && !seen[e]) e++;
            while (e > i && is_space_at(p->text, p->len, e - 1)) e--;
            violation(C, RG_CHECK_CUT, p->line, first_page, "text left out", p->text + i, e - i);
            while (e < p->len && !seen[e]) e++;
            i = e;
        }
    free(seen);
}

static void check_paras(checker *C)
{
    const rg_dl *dl = C->dl;
    if (!dl->nparas) return;
    size_t *count = rg_xcalloc(dl->nparas + 1, sizeof *count);
    for (size_t pg = 0; pg < dl->npages; pg++)
        for (size_t i = 0; i < dl->pages[pg].nitems; i++) {
            const rg_dl_item *it = &dl->pages[pg].items[i];
            if (it->kind == RG_DL_GLYPHS && it->u.glyphs.para >= 0 &&
                (size_t)it->u.glyphs.para < dl->nparas)
                count[it->u.glyphs.para + 1]++;
        }
    for (size_t k = 1; k <= dl->nparas; k++) count[k] += count[k - 1];
    src_run *runs = rg_xmalloc((count[dl->nparas] ? count[dl->nparas] : 1) * sizeof *runs);
    size_t *fill = rg_xmalloc(dl->nparas * sizeof *fill);
    memcpy(fill, count, dl->nparas * sizeof *fill);
    for (size_t pg = 0; pg < dl->npages; pg++)
        for (size_t i = 0; i < dl->pages[pg].nitems; i++) {
            const rg_dl_item *it = &dl->pages[pg].items[i];
            if (it->kind == RG_DL_GLYPHS && it->u.glyphs.para >= 0 &&
                (size_t)it->u.glyphs.para < dl->nparas)
                runs[fill[it->u.glyphs.para]++] = (src_run){ &it->u.glyphs, pg };
        }
    for (size_t k = 0; k < dl->nparas; k++)
        check_para(C, (int)k, runs + count[k], count[k + 1] - count[k]);
    free(fill);
    free(runs);
    free(count);
}

/* ---------------------------------------------------------------- keep */

/* The level (1..6) of the heading element e is or is inside, else 0. */
static int heading_level(const rg_dl *dl, int e)
{
    for (int depth = 0; e >= 0 && (size_t)e < dl->nelems && depth < 64; depth++) {
        const char *role = dl->elems[e].role;
        if (role && role[0] == 'H' && role[1] >= '1' && role[1] <= '6' && !role[2])
            return role[1] - '0';
        e = dl->elems[e].parent;
    }
    return 0;
}

/* The element of a content item (text, rule, fill, path outside
 * artifacts), or -1. */
static int content_elem(const rg_dl *dl, const rg_dl_item *it)
{
    if (it->kind != RG_DL_GLYPHS && it->kind != RG_DL_RECT && it->kind != RG_DL_PATH) return -1;
    if (it->chunk < 0 || (size_t)it->chunk >= dl->nchunks) return -1;
    return dl->chunks[it->chunk].elem;
}

/* A page's last content is a heading, and what follows it in reading order
 * is its section's content (not a heading of its level or higher: an
 * empty section's heading may end a page, as may the document's last). */
static void check_keep(checker *C)
{
    const rg_dl *dl = C->dl;
    for (size_t pg = 0; pg < dl->npages; pg++) {
        const rg_dl_page *p = &dl->pages[pg];
        const rg_dl_item *last = NULL;
        int elem = -1;
        for (size_t i = p->nitems; i-- > 0 && elem < 0;)
            if ((elem = content_elem(dl, &p->items[i])) >= 0) last = &p->items[i];
        int level = elem >= 0 && last->kind == RG_DL_GLYPHS ? heading_level(dl, elem) : 0;
        if (!level) continue;
        int next = -1;
        for (size_t q = pg + 1; q < dl->npages && next < 0; q++)
            for (size_t i = 0; i < dl->pages[q].nitems && next < 0; i++)
                next = content_elem(dl, &dl->pages[q].items[i]);
        if (next < 0) continue;
        int next_level = heading_level(dl, next);
        if (next_level && next_level <= level) continue;
        const rg_dl_glyphs *g = &last->u.glyphs;
        violation(C, RG_CHECK_KEEP, para_line(C, g), pg, "the page ends with a heading",
                  g->text, g->text_len);
    }
}

/* --------------------------------------------- the page's own media box */

/* Nothing outside the page, measured by each page's own size (a landscape
 * page is wider than high, issue 16): its text area (or cover) box, and
 * every rule, fill, path and picture drawn on it. Glyphs are
 * check_containment's. */
static void check_page_media(checker *C, const rg_dl_page *pg, size_t page)
{
    rect media = { -TOL, -TOL, pg->width + TOL, pg->height + TOL };
    if (pg->area >= 0 && (size_t)pg->area < C->dl->nboxes) {
        const rg_dl_box *a = &C->dl->boxes[pg->area];
        rect r = { a->x0, a->y0, a->x1, a->y1 };
        if (!inside(&r, &media)) {
            char what[128];
            snprintf(what, sizeof what, "its %s (%.1f..%.1f x %.1f..%.1f) outside the page "
                     "(%.1f x %.1f)", BOX_NAMES[a->kind], a->x0, a->x1, a->y0, a->y1,
                     pg->width, pg->height);
            violation(C, RG_CHECK_MEDIA, a->line, page, what, NULL, 0);
        }
    }
    for (size_t i = 0; i < pg->nitems; i++) {
        const rg_dl_item *it = &pg->items[i];
        graphic gr[5];
        size_t n = graphics_of(it, gr, 5);
        if (it->kind == RG_DL_IMAGE) {
            const rg_dl_image *im = &it->u.image;
            gr[0] = (graphic){ { im->x, im->y, im->x + im->w, im->y + im->h }, 0 };
            n = 1;
        } else if (it->kind == RG_DL_LINK) {
            const rg_dl_link *l = &it->u.link;
            gr[0] = (graphic){ { l->x, l->y, l->x + l->w, l->y + l->h }, 0 };
            n = 1;
        }
        for (size_t k = 0; k < n; k++) {
            if (inside(&gr[k].r, &media)) continue;
            violation(C, RG_CHECK_MEDIA, box_line(C, it->box), page,
                      it->kind == RG_DL_IMAGE  ? "a picture outside the page"
                      : it->kind == RG_DL_LINK ? "a link's area outside the page"
                      : gr[k].rule             ? "a rule outside the page"
                                               : "a fill outside the page",
                      NULL, 0);
            break;
        }
    }
}

/* ------------------------------------------- page references (issue 16) */

/* A named destination and its page, for the lookups of check_pagerefs. */
typedef struct named_dest {
    const char *name;
    size_t page;
} named_dest;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named_dest *)a)->name, ((const named_dest *)b)->name);
}

/* The display list's named destinations sorted by name (*n of them; the
 * caller frees): one walk over the items, however many references. */
static named_dest *dests_by_name(const rg_dl *dl, size_t *n)
{
    named_dest *d = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t p = 0; p < dl->npages; p++)
        for (size_t i = 0; i < dl->pages[p].nitems; i++) {
            const rg_dl_item *it = &dl->pages[p].items[i];
            if (it->kind != RG_DL_DEST || !it->u.dest.name) continue;
            rg_grow(&d, &cap, *n + 1, sizeof *d);
            d[(*n)++] = (named_dest){ it->u.dest.name, p };
        }
    if (*n) qsort(d, *n, sizeof *d, by_name);
    return d;
}

/* Every page number a cross-reference printed is its target's page's
 * printed number. */
static void check_pagerefs(checker *C)
{
    const rg_dl *dl = C->dl;
    if (dl->npagerefs == 0) return;
    size_t nd;
    named_dest *dests = dests_by_name(dl, &nd);
    for (size_t i = 0; i < dl->npagerefs; i++) {
        const rg_dl_pageref *r = &dl->pagerefs[i];
        named_dest key = { r->dest, 0 };
        const named_dest *d = nd ? bsearch(&key, dests, nd, sizeof *dests, by_name) : NULL;
        char label[64], what[160];
        if (!d) {
            snprintf(what, sizeof what, "a page reference to '%s', which is on no page", r->dest);
        } else {
            rg_dl_page_label(dl, d->page, label, sizeof label);
            if (!strcmp(label, r->text)) continue;
            snprintf(what, sizeof what, "a page reference to '%s' on page %s prints another "
                     "number", r->dest, label);
        }
        violation(C, RG_CHECK_PAGEREF, r->line, r->page, what, r->text, strlen(r->text));
    }
    free(dests);
}

/* ------------------------------------------------------------ footnotes */

/* Every footnote starts on its reference's page (issue 16). */
static void check_notes(checker *C)
{
    const rg_dl *dl = C->dl;
    for (size_t i = 0; i < dl->nnotes; i++) {
        const rg_dl_note *n = &dl->notes[i];
        if (n->note_page == n->ref_page) continue;
        violation(C, RG_CHECK_NOTE, n->line, (size_t)n->ref_page,
                  n->note_page < 0 ? "a footnote that is never set"
                                   : "a footnote whose first line is not on its reference's page",
                  n->name, strlen(n->name));
    }
}

/* ---------------------------------------------------------------- all */

static void check_page(checker *C, size_t page)
{
    const rg_dl_page *pg = &C->dl->pages[page];
    run_info *runs = NULL;
    size_t nruns = 0, runs_cap = 0, ngb = 0, gb_cap = 0;
    glyph_box *gb = NULL;
    quads qs = { NULL, 0, 0 };
    for (size_t i = 0; i < pg->nitems; i++) {
        const rg_dl_item *it = &pg->items[i];
        if (it->kind != RG_DL_GLYPHS || !it->u.glyphs.font) continue;
        rg_grow(&runs, &runs_cap, nruns + 1, sizeof *runs);
        run_info *ri = &runs[nruns];
        memset(ri, 0, sizeof *ri);
        ri->g = &it->u.glyphs;
        ri->page = page;
        ri->item = i;
        ri->box = it->box;
        run_glyphs(ri->g, nruns, ri, &gb, &ngb, &gb_cap, &qs);
        C->res.glyphs += it->u.glyphs.nglyphs;
        nruns++;
    }
    C->res.runs += nruns;
    check_page_media(C, pg, page);
    check_containment(C, pg, page, runs, gb, ngb);
    check_graphics(C, pg, page, runs, nruns, gb, ngb, &qs);
    check_run_overlaps(C, page, runs, gb, ngb, &qs);
    free(qs.v);
    free(gb);
    free(runs);
}

size_t rg_check_layout(rg_ctx *ctx, const rg_dl *dl, const char *path, rg_check_result *res)
{
    checker C;
    memset(&C, 0, sizeof C);
    C.ctx = ctx;
    C.dl = dl;
    C.path = path;
    if (rg_dl_pages_load_all(dl) != 0) {          /* spilled pages (issue 22) read back */
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "layout check: cannot read the pages back "
                "from the temporary file: %s", strerror(rg_dl_spill_status(dl, NULL)));
        if (res) memset(res, 0, sizeof *res);
        return 1;
    }
    for (size_t p = 0; p < dl->npages; p++) check_page(&C, p);
    check_paras(&C);
    check_keep(&C);
    check_pagerefs(&C);
    check_notes(&C);
    for (int k = 0; k < RG_CHECK_NKINDS; k++)
        if (C.res.violations[k] > MAX_REPORTS)
            rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "layout check (%s): %zu violations in all",
                    KIND_NAMES[k], C.res.violations[k]);
    if (res) *res = C.res;
    return C.res.total;
}
