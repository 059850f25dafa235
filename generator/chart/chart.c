/* chart/chart.c - the chart stage's entry point and shared drawing helpers: it
 * finds the chart role's fonts, picks colours (palette, grid, axis,
 * reference, mark), gives each series its look (colour and pattern:
 * white hatching cut to a bar's or slice's outline, a dash on a line),
 * rules adjacent fills off in white, reads values from the dataset, draws
 * titles, legends and the "no data" frame (their text, like all text,
 * through chart/label.c), and guards every primitive it emits against
 * non-finite coordinates. The chart types live beside it (chart/bar.c,
 * chart/line.c, chart/pie.c; the value axis in chart/axis.c). Stage:
 * chart. No third-party headers. */
#include "internal.h"
#include "text/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* one colour per series: a layout's palette holds as many as a chart draws */
_Static_assert((int)RG_MAX_PALETTE == (int)RG_MAX_SERIES, "a palette colour per series");

/* used when the style names no chart colours (npalette == 0: a style
 * built by hand; the loader always gives one) */
static const rg_color DEF_GRID = { 0.88, 0.88, 0.88 }, DEF_AXIS = { 0.35, 0.35, 0.35 },
                      DEF_REF = { 0.0, 0.0, 0.0 }, DEF_MARK = { 0.835, 0.169, 0.118 };
static const rg_color WHITE = { 1, 1, 1 };

/* ---- data ---- */

const rg_field *chart_field(const chart_ctx *cc, int field)
{
    const rg_dataset *d = cc->c->data;
    if (!d || field < 0 || (size_t)field >= d->nfields) return NULL;
    return &d->fields[field];
}

/* 1 and *out when record rec has a drawable number in field */
int chart_value(const chart_ctx *cc, size_t rec, int field, double *out)
{
    const rg_field *f = chart_field(cc, field);
    if (!f || rec >= cc->ncat) return 0;
    if (f->type == RG_FIELD_TEXT || f->type == RG_FIELD_DATE) return 0;
    const rg_value *v = &cc->c->data->values[rec * cc->c->data->nfields + (size_t)field];
    if (v->missing || !isfinite(v->num)) return 0;
    *out = v->num;
    return 1;
}

/* the norm of record rec: the reference field, else the constant */
int chart_norm(const chart_ctx *cc, size_t rec, double *out)
{
    if (cc->c->reference >= 0) return chart_value(cc, rec, cc->c->reference, out);
    if (cc->c->has_ref_value && isfinite(cc->c->ref_value)) {
        *out = cc->c->ref_value;
        return 1;
    }
    return 0;
}

/* 1 when v is on the wrong side of norm n: below it, or above it when
 * lower is better (better="lower") */
int chart_off_norm(const chart_ctx *cc, double v, double n)
{
    return cc->c->lower_is_better ? v > n : v < n;
}

/* 1 when the chart's text is in English (the block's language, else the
 * document's), else Dutch: the few words a chart writes itself */
int chart_english(const chart_ctx *cc)
{
    const char *l = cc->lang;
    return l && (l[0] == 'e' || l[0] == 'E') && (l[1] == 'n' || l[1] == 'N') &&
           (l[2] == 0 || l[2] == '-' || l[2] == '_');
}

/* the label of category rec: a text value as it is (whole), any other
 * formatted into buf */
const char *chart_category(const chart_ctx *cc, size_t rec, char *buf, size_t cap)
{
    const rg_field *f = chart_field(cc, cc->c->category);
    buf[0] = 0;
    if (!f || rec >= cc->ncat) return buf;
    const rg_value *v = &cc->c->data->values[rec * cc->c->data->nfields +
                                             (size_t)cc->c->category];
    if (f->type == RG_FIELD_TEXT && !v->missing && v->text) return v->text;
    rg_format_value(cc->loc, f, v, -1, cc->st->negative_parentheses, buf, cap);
    return buf;
}

/* v formatted as the field formats its values */
void chart_format(const chart_ctx *cc, int field, double v, char *out, size_t cap)
{
    const rg_field *f = chart_field(cc, field);
    rg_value val = { .missing = 0, .num = v };
    if (f) rg_format_value(cc->loc, f, &val, -1, cc->st->negative_parentheses, out, cap);
    else rg_format_number(cc->loc, v, 0, out, cap);
}

/* ---- series looks ---- */

series_look chart_series_look(const chart_ctx *cc, size_t s)
{
    series_look k = { cc->pal[s % (size_t)cc->npal], 0 };
    size_t plain = (size_t)cc->nplain;
    if (s >= plain) k.pattern = 1 + (int)((s - plain) % CHART_NPATTERNS);
    return k;
}

rg_color chart_color(const chart_ctx *cc, size_t series)
{
    return chart_series_look(cc, series).color;
}

rg_color chart_series_ink(const chart_ctx *cc, size_t s)
{
    static const rg_color black = { 0, 0, 0 };
    rg_color c = chart_color(cc, s);
    return rg_color_contrast(c, black) > rg_color_contrast(c, WHITE) ? black : WHITE;
}

/* the dash of pattern p on a line 1.75 pt wide: on, off; dotted and
 * dashed first, the forms furthest apart. None is the norm's dash
 * (4, 2.4 at 1.2 pt). */
static const double DASHES[CHART_NPATTERNS][2] = {
    { 1.75, 2.25 }, { 6, 3 }, { 11, 3 }, { 3, 3 }, { 1.75, 4.5 }, { 16, 3 },
    { 6, 6 }, { 3, 1.5 }, { 11, 6 }, { 2.5, 6 }, { 8, 2 },
};

void chart_series_dash(const chart_ctx *cc, size_t s, double *on, double *off)
{
    int p = chart_series_look(cc, s).pattern;
    *on = p ? DASHES[p - 1][0] : 0;
    *off = p ? DASHES[p - 1][1] : 0;
}

/* ---- text: every label goes through chart/label.c ---- */

double chart_text_width(chart_ctx *cc, const rg_font *f, const char *s)
{
    return rg_text_width(cc->ctx, f, cc->size, cc->lang, s, strlen(s));
}

/* s formatted into the chart's scratch memory */
const char *chart_strf(chart_ctx *cc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = rg_arena_alloc(cc->scratch, n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    if (n > 0) vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}

/* One line of text with its baseline at y, anchored at x, in room; whole:
 * never shortened (numbers), fixed: never moved. 0 drawn, 1 it does not
 * fit its room (counted as left out unless quiet), 2 it would touch a
 * label drawn before. */
int chart_text_in(chart_ctx *cc, label_kind k, const rg_font *f, rg_color col, const char *s,
                  double x, double y, chart_anchor a, chart_room room, int flags)
{
    label_spec sp = { .kind = k, .font = f, .color = col, .text = s, .room = room, .x = x,
                      .y = y, .anchor = a, .maxlines = 1, .whole = (flags & TEXT_WHOLE) != 0,
                      .fixed = (flags & TEXT_FIXED) != 0 };
    chart_label l;
    if (!chart_label_fit(cc, &l, &sp)) {
        if (l.len && !(flags & TEXT_QUIET)) chart_label_left_out(cc, k);
        return 1;
    }
    if (!chart_label_free(cc, &l)) {
        if (!(flags & TEXT_QUIET)) chart_label_left_out(cc, k);
        return 2;
    }
    chart_label_draw(cc, &l);
    return 0;
}

/* ---- category labels under a plot (vertical bars, lines) ---- */

/* turned category labels read upwards at this angle (degrees) and take
 * at most this share of the chart's height from its plot */
#define TURNED_ANGLE 45.0
#define TURNED_SHARE 0.5
/* the most of the plot's width it gives up for turned labels on its left */
#define TURNED_LEFT 0.25

/* the label of category r drawn under the plot: centred under x (its
 * slot's middle) with its first baseline at y, in [bottom, top]; turned,
 * its ink's top at y + cc->size (its upright first line's top) and the
 * middle of its lines' ends under x, its room from the chart's left edge */
static label_spec category_spec(chart_ctx *cc, const chart_cats *k, const char *s, double x,
                                double y, double top, double bottom)
{
    double w = k->slot * (double)k->every - 4;
    label_spec sp = { .kind = LABEL_CATEGORY, .font = cc->font, .color = cc->ink, .text = s,
                      .x = x - w / 2, .y = y, .span = w, .anchor = ANCHOR_CENTER, .width = w,
                      .maxlines = k->lines, .room = { x - w / 2, bottom, x + w / 2, top } };
    if (k->angle != 0) {
        sp.angle = k->angle;
        sp.x = x;
        sp.y = y + cc->size;
        sp.width = k->width;
        sp.room = (chart_room){ cc->box.x0, bottom, x + k->slot * (double)k->every, top };
    }
    return sp;
}

int chart_category_put(chart_ctx *cc, const chart_cats *k, const char *s, double x, double y,
                       double top, double bottom)
{
    label_spec sp = category_spec(cc, k, s, x, y, top, bottom);
    return chart_label_put(cc, &sp);
}

/* Upright: how many labels do not fit their slot whole (broken,
 * hyphenated) in at most maxlines lines - all of them counted when all
 * is set, else up to the first; *lines: the most one takes. */
static size_t upright_short(chart_ctx *cc, double w, int maxlines, int all, int *lines)
{
    char buf[256];
    size_t n = 0;
    *lines = 1;
    for (size_t r = 0; r < cc->ncat && (all || !n); r++) {
        int shortened;
        int k = chart_label_measure(cc, cc->font, chart_category(cc, r, buf, sizeof buf), w,
                                    maxlines, &shortened, NULL);
        n += shortened != 0;
        if (k > *lines) *lines = k;
    }
    return n;
}

/* Turned: the height the labelled categories take at k's width with at
 * most limit, each on as few lines as it can; *lost (when given): how
 * many of them must be shortened or left out so. Each is measured under
 * the middle slot, where the chart's edges take nothing from it (the
 * plot moves right for the first ones: chart_category_fit). */
static double turned_depth(chart_ctx *cc, const chart_cats *k, double x0, double limit,
                           size_t *lost)
{
    char buf[256];
    double depth = 0, mid = x0 + ((double)(cc->ncat / 2) + 0.5) * k->slot;
    double top = cc->box.y1, bottom = fmax(cc->box.y0, top - cc->size - limit);
    for (size_t r = 0; r < cc->ncat; r += k->every) {
        label_spec sp = category_spec(cc, k, chart_category(cc, r, buf, sizeof buf), mid,
                                      top - 2 * cc->size, top, bottom);
        chart_label l;
        int ok = chart_label_fit(cc, &l, &sp);
        if (ok && l.has_ink) depth = fmax(depth, l.ink.y1 - l.ink.y0);
        if (lost && l.len && (!ok || l.shortened)) (*lost)++;
    }
    return depth;
}

/* How far left of their plot turned labels reach (beyond the room there
 * is from the plot's left edge x0 to the chart's): what the plot must
 * give up on its left for the first ones to stand whole under their
 * slots. */
static double turned_overhang(chart_ctx *cc, const chart_cats *k, double x0)
{
    char buf[256];
    double s = sin(k->angle * CHART_RADIANS), need = 0;
    double asc = 0, desc = 0;
    for (size_t r = 0; r < cc->ncat; r += k->every) {
        double mid = x0 + ((double)r + 0.5) * k->slot, w;
        if (mid - cc->box.x0 > k->depth) break;   /* at 45 degrees as wide as deep at most */
        const char *t = chart_category(cc, r, buf, sizeof buf);
        chart_label_measure(cc, cc->font, t, k->width, 1, NULL, &w);
        chart_label_ink_height(cc, cc->font, t, &asc, &desc);
        double reach = fmin((w + asc + desc) * s, k->depth);
        need = fmax(need, reach - (mid - cc->box.x0));
    }
    return need;
}

/* the labels' layout for slots of width slot from x0 */
static void fit_at(chart_ctx *cc, double x0, double slot, double height, chart_cats *k)
{
    *k = (chart_cats){ .slot = slot, .every = 1, .lines = 1 };
    /* upright labels take at most 3 lines, and no more than turned ones
     * may take of a low chart */
    double most = TURNED_SHARE * height;
    int upright = slot >= cc->size * 2.5, up_lines = 1, up_most;
    rg_double_to_int(floor(most / cc->lead), 1, LABEL_MAX_LINES, &up_most);
    size_t up_short = upright ? upright_short(cc, slot - 4, up_most, 0, &up_lines) : 0;
    if (upright && !up_short) {
        k->lines = up_lines;
        k->depth = (double)k->lines * cc->lead;
        return;
    }
    char buf[256];
    double asc = 0, desc = 0;
    for (size_t r = 0; r < cc->ncat; r++)
        chart_label_ink_height(cc, cc->font, chart_category(cc, r, buf, sizeof buf), &asc, &desc);
    double s = sin(TURNED_ANGLE * CHART_RADIANS), thick = asc + desc + 1;
    k->angle = TURNED_ANGLE;
    while (k->every < cc->ncat && slot * (double)k->every * s < thick) k->every++;
    double pitch = slot * (double)k->every * s;
    rg_double_to_int(1 + floor((pitch - thick) / cc->lead), 1, LABEL_MAX_LINES, &k->lines);
    /* each on one line as long as it is, when all take at most the
     * share; else they take the share, and those deeper than that are
     * broken narrower (shortened last) where they are drawn */
    size_t lost = 0;
    k->width = most / s * 2;
    k->depth = turned_depth(cc, k, x0, INFINITY, NULL);
    if (k->depth <= most) return;
    k->depth = most;
    turned_depth(cc, k, x0, most, &lost);
    /* a chart too low for turned labels: upright ones lose less */
    if (upright && lost > (up_short = upright_short(cc, slot - 4, up_most, 1, &up_lines))) {
        *k = (chart_cats){ .slot = slot, .every = 1, .lines = up_lines };
        k->depth = (double)k->lines * cc->lead;
    }
}

/* Category labels under a plot whose slots fill [*x, *x + *w] in a chart
 * area height high. Upright and centred under their slots when every
 * label fits its slot whole in up to 3 lines (broken at spaces and
 * hyphens, hyphenated) and slots are at least 2.5 em wide; else turned
 * by 45 degrees, every n-th where the slots are too narrow to hold a line
 * between a label and the next across them, each on one line and taking
 * the height the deepest needs, at most TURNED_SHARE of the chart's; a
 * label deeper than that is broken narrower, in as many lines as the
 * pitch between labels holds, and shortened where that is not enough -
 * unless upright labels, shortened, would lose fewer (a low chart).
 * Turned labels reach left of their slot: where the first ones would
 * reach out of the chart, the plot starts further right (*x, *w: by at
 * most TURNED_LEFT of its width). */
void chart_category_fit(chart_ctx *cc, double *x, double *w, double height, chart_cats *k)
{
    double slot = *w / (double)cc->ncat;
    fit_at(cc, *x, slot, height, k);
    if (k->angle == 0) return;
    double shift = fmin(turned_overhang(cc, k, *x), *w * TURNED_LEFT);
    if (shift <= 0.5) return;
    *x += shift;
    *w -= shift;
    fit_at(cc, *x, *w / (double)cc->ncat, height, k);
}

/* ---- primitives, each checked for finite coordinates ---- */

int chart_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

void chart_rect(chart_ctx *cc, double x, double y, double w, double h, rg_color fill)
{
    double v[4] = { x, y, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return;
    rg_dl_rect_fill(cc->dl, cc->page, x, y, w, h, fill);
}

void chart_line(chart_ctx *cc, double x1, double y1, double x2, double y2, rg_color col,
                double lw, double dash)
{
    double v[4] = { x1, y1, x2, y2 };
    if (!chart_finite(v, 4)) return;
    rg_path_seg segs[2] = { { RG_PATH_MOVE, { x1, y1 } }, { RG_PATH_LINE, { x2, y2 } } };
    rg_dl_path p = { .segs = segs, .nsegs = 2, .stroke = 1, .stroke_color = col,
                     .line_width = lw, .dash_on = dash, .dash_off = dash > 0 ? dash * 0.6 : 0 };
    rg_dl_add_path(cc->dl, cc->page, &p);
}

void chart_path(chart_ctx *cc, const rg_dl_path *p)
{
    for (size_t i = 0; i < p->nsegs; i++)
        if (!chart_finite(p->segs[i].pts, 6)) return;
    if (p->nsegs) rg_dl_add_path(cc->dl, cc->page, p);
}

/* ---- hatching: white lines clipped to a shape, computed exactly ----
 * The display list has no clipping path, so a pattern is made of stroked
 * lines cut where they cross the shape's outline (curves flattened). */

typedef struct edge {
    double x0, y0, x1, y1;
} edge;

enum { CURVE_PIECES = 16, MAX_EDGES = 256, MAX_HATCH_LINES = 1024 };

/* appends an edge; 0 when e is full */
static int add_edge(edge *e, size_t *k, double x0, double y0, double x1, double y1)
{
    if (*k >= MAX_EDGES) return 0;
    e[(*k)++] = (edge){ x0, y0, x1, y1 };
    return 1;
}

/* the outline of a path as edges, each subpath closed; 0 edges when it
 * takes more than MAX_EDGES (a pie's slice takes at most 8 · 16 + 4) */
static size_t outline_edges(const rg_path_seg *s, size_t n, edge *e)
{
    size_t k = 0;
    int ok = 1;
    double sx = 0, sy = 0, px = 0, py = 0;
    for (size_t i = 0; i < n && ok; i++) {
        const double *q = s[i].pts;
        switch (s[i].op) {
        case RG_PATH_MOVE:
            if (px != sx || py != sy) ok = add_edge(e, &k, px, py, sx, sy);
            sx = px = q[0];
            sy = py = q[1];
            break;
        case RG_PATH_LINE:
            ok = add_edge(e, &k, px, py, q[0], q[1]);
            px = q[0];
            py = q[1];
            break;
        case RG_PATH_CURVE:
            for (int j = 1; j <= CURVE_PIECES && ok; j++) {
                double t = (double)j / CURVE_PIECES, u = 1 - t;
                double x = u * u * u * px + 3 * u * u * t * q[0] + 3 * u * t * t * q[2] +
                           t * t * t * q[4];
                double y = u * u * u * py + 3 * u * u * t * q[1] + 3 * u * t * t * q[3] +
                           t * t * t * q[5];
                double x0 = j > 1 ? e[k - 1].x1 : px, y0 = j > 1 ? e[k - 1].y1 : py;
                ok = add_edge(e, &k, x0, y0, x, y);
            }
            px = q[4];
            py = q[5];
            break;
        case RG_PATH_CLOSE:
            if (px != sx || py != sy) ok = add_edge(e, &k, px, py, sx, sy);
            px = sx;
            py = sy;
            break;
        }
    }
    if (ok && (px != sx || py != sy)) ok = add_edge(e, &k, px, py, sx, sy);
    return ok ? k : 0;
}

static size_t rect_edges(double x, double y, double w, double h, edge *e)
{
    e[0] = (edge){ x, y, x + w, y };
    e[1] = (edge){ x + w, y, x + w, y + h };
    e[2] = (edge){ x + w, y + h, x, y + h };
    e[3] = (edge){ x, y + h, x, y };
    return 4;
}

/* one family of parallel lines: at angle (degrees; 0 horizontal, 45
 * rising, 135 falling), gap apart across them, width wide; dots: cut
 * into squares of that width, one every gap along the line, every other
 * line shifted by half a gap */
typedef struct hatch_lines {
    double angle, gap, width;
    int dots;
} hatch_lines;

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void flush_lines(chart_ctx *cc, rg_path_seg *segs, size_t *n, const hatch_lines *h,
                        rg_color col)
{
    rg_dl_path p = { .segs = segs, .nsegs = *n, .stroke = 1, .stroke_color = col,
                     .line_width = h->width, .dash_on = h->dots ? h->width : 0,
                     .dash_off = h->dots ? h->gap - h->width : 0 };
    if (*n) chart_path(cc, &p);
    *n = 0;
}

/* The lines of h inside the shape bounded by e (even-odd), on a grid
 * through (ox, oy): a line (and a dot) passes through it. */
static void hatch_family(chart_ctx *cc, const edge *e, size_t ne, const hatch_lines *h,
                         rg_color col, double ox, double oy)
{
    const double rad = h->angle * 3.14159265358979323846 / 180;
    double dx = cos(rad), dy = sin(rad), nx = -dy, ny = dx;     /* along, across */
    double cmin = INFINITY, cmax = -INFINITY;
    edge rel[MAX_EDGES];
    double u[MAX_EDGES];           /* where a line crosses the outline */
    if (ne > MAX_EDGES) return;
    for (size_t i = 0; i < ne; i++) {
        rel[i] = (edge){ e[i].x0 - ox, e[i].y0 - oy, e[i].x1 - ox, e[i].y1 - oy };
        double a = nx * rel[i].x0 + ny * rel[i].y0;
        cmin = fmin(cmin, a);
        cmax = fmax(cmax, a);
    }
    e = rel;
    if (!ne || !isfinite(cmin) || !isfinite(cmax)) return;
    hatch_lines hl = *h;
    if ((cmax - cmin) / hl.gap > MAX_HATCH_LINES) hl.gap = (cmax - cmin) / MAX_HATCH_LINES;
    double inset = hl.dots ? hl.width / 2 : 0;                 /* whole dots only */
    double first = ceil((cmin + inset) / hl.gap);
    size_t nlines;                 /* none when the shape is thinner than a dot */
    rg_double_to_size(floor((cmax - inset) / hl.gap) - first + 1, 0, MAX_HATCH_LINES + 1,
                      &nlines);
    if (!cc->hatch) cc->hatch = rg_arena_alloc(cc->scratch, CHART_MAX_SEGS * sizeof *cc->hatch);
    rg_path_seg *segs = cc->hatch; /* one buffer for all: the list copies a path */
    size_t n = 0;
    for (size_t li = 0; li < nlines; li++) {
        double k = first + (double)li, c = k * hl.gap;
        size_t nu = 0;
        for (size_t i = 0; i < ne; i++) {
            double a0 = nx * e[i].x0 + ny * e[i].y0 - c, a1 = nx * e[i].x1 + ny * e[i].y1 - c;
            if ((a0 < 0) == (a1 < 0)) continue;
            double t = a0 / (a0 - a1);
            u[nu++] = dx * (e[i].x0 + t * (e[i].x1 - e[i].x0)) +
                      dy * (e[i].y0 + t * (e[i].y1 - e[i].y0));
        }
        qsort(u, nu, sizeof *u, by_value);
        for (size_t i = 0; i + 1 < nu; i += 2) {
            double u0 = u[i], u1 = u[i + 1];
            if (hl.dots) {                 /* from the first whole dot to the last */
                double shift = fmod(k, 2) != 0 ? hl.gap / 2 : 0;
                double d0 = ceil((u0 + inset - shift) / hl.gap) * hl.gap + shift;
                double d1 = floor((u1 - inset - shift) / hl.gap) * hl.gap + shift;
                if (d1 < d0) continue;
                u0 = d0 - inset;
                u1 = d1 + inset;
            } else if (u1 - u0 < 0.2) {
                continue;
            }
            if (n + 2 > CHART_MAX_SEGS) flush_lines(cc, segs, &n, &hl, col);
            segs[n++] = (rg_path_seg){ RG_PATH_MOVE,
                                       { ox + c * nx + u0 * dx, oy + c * ny + u0 * dy } };
            segs[n++] = (rg_path_seg){ RG_PATH_LINE,
                                       { ox + c * nx + u1 * dx, oy + c * ny + u1 * dy } };
        }
    }
    flush_lines(cc, segs, &n, &hl, col);
}

/* Series patterns, white over the fill: each colour of a palette has at
 * least 3:1 against white, so the pattern has as much against its fill.
 * The rising diagonal alone is the mark's (chart_marked_rect). */
static const struct pattern {
    hatch_lines l[2];
    int n;
} PATTERNS[CHART_NPATTERNS] = {
    { { { 0, 3.6, 1.3, 1 } }, 1 },                         /* dots */
    { { { 0, 3.5, 1.0, 0 } }, 1 },                         /* horizontal */
    { { { 90, 3.5, 1.0, 0 } }, 1 },                        /* vertical */
    { { { 135, 3.5, 1.0, 0 } }, 1 },                       /* falling diagonal */
    { { { 0, 4.5, 0.8, 0 }, { 90, 4.5, 0.8, 0 } }, 2 },    /* grid */
    { { { 45, 5.0, 0.8, 0 }, { 135, 5.0, 0.8, 0 } }, 2 },  /* lattice */
    { { { 0, 6.0, 2.2, 0 } }, 1 },                         /* wide horizontal */
    { { { 0, 6.0, 2.4, 1 } }, 1 },                         /* big dots */
    { { { 90, 6.0, 2.2, 0 } }, 1 },                        /* wide vertical */
    { { { 135, 6.5, 2.2, 0 } }, 1 },                       /* wide falling diagonal */
    { { { 0, 7.0, 1.8, 0 }, { 90, 7.0, 1.8, 0 } }, 2 },    /* wide grid */
};

/* pattern over the shape bounded by e, centred on it: every bar, slice
 * and swatch of a series shows it alike */
static void draw_pattern(chart_ctx *cc, int pattern, const edge *e, size_t ne)
{
    if (pattern < 1 || pattern > CHART_NPATTERNS || !ne) return;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < ne; i++) {
        x0 = fmin(x0, e[i].x0);
        x1 = fmax(x1, e[i].x0);
        y0 = fmin(y0, e[i].y0);
        y1 = fmax(y1, e[i].y0);
    }
    const struct pattern *pt = &PATTERNS[pattern - 1];
    for (int i = 0; i < pt->n; i++)
        hatch_family(cc, e, ne, &pt->l[i], WHITE, (x0 + x1) / 2, (y0 + y1) / 2);
}

/* a fill in look k with its pattern (no rules: legend swatches too) */
static void look_rect(chart_ctx *cc, series_look k, double x, double y, double w, double h)
{
    double v[4] = { x, y, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return;
    chart_rect(cc, x, y, w, h, k.color);
    edge e[4];
    if (k.pattern) draw_pattern(cc, k.pattern, e, rect_edges(x, y, w, h, e));
}

static int same_at(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

/* White rules along the edges (x, y, w, h) shares with the last fills
 * drawn, at most a third of the thinner one's width across the edge;
 * then it is one of them. */
static void separate(chart_ctx *cc, double x, double y, double w, double h)
{
    chart_room r = { x, y, x + w, y + h };
    size_t n = cc->nfills < RG_MAX_SERIES ? cc->nfills : RG_MAX_SERIES;
    for (size_t i = 0; i < n; i++) {
        const chart_room *o = &cc->fills[i];
        int vertical = same_at(r.x0, o->x1) || same_at(r.x1, o->x0);
        int horizontal = same_at(r.y0, o->y1) || same_at(r.y1, o->y0);
        if (vertical == horizontal) continue;                 /* apart, or a corner */
        double at, lo, hi, thin;
        if (vertical) {
            at = same_at(r.x0, o->x1) ? r.x0 : r.x1;
            lo = fmax(r.y0, o->y0);
            hi = fmin(r.y1, o->y1);
            thin = fmin(r.x1 - r.x0, o->x1 - o->x0);
        } else {
            at = same_at(r.y0, o->y1) ? r.y0 : r.y1;
            lo = fmax(r.x0, o->x0);
            hi = fmin(r.x1, o->x1);
            thin = fmin(r.y1 - r.y0, o->y1 - o->y0);
        }
        if (hi - lo < 0.01) continue;
        double lw = fmin(CHART_RULE, thin / 3);
        if (vertical) chart_line(cc, at, lo, at, hi, WHITE, lw, 0);
        else chart_line(cc, lo, at, hi, at, WHITE, lw, 0);
    }
    cc->fills[cc->nfills++ % RG_MAX_SERIES] = r;
}

void chart_series_rect(chart_ctx *cc, size_t s, double x, double y, double w, double h)
{
    double v[4] = { x, y, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return;
    look_rect(cc, chart_series_look(cc, s), x, y, w, h);
    separate(cc, x, y, w, h);
}

void chart_series_plate(chart_ctx *cc, size_t s, const chart_label *l)
{
    if (!chart_series_look(cc, s).pattern || !l->has_ink) return;
    double in = CHART_RULE / 2;    /* off the rules on the fill's edges */
    double x0 = fmax(l->ink.x0 - 2, l->room.x0 + in), x1 = fmin(l->ink.x1 + 2, l->room.x1 - in);
    double y0 = fmax(l->ink.y0 - 1.5, l->room.y0 + in);
    double y1 = fmin(l->ink.y1 + 1.5, l->room.y1 - in);
    chart_rect(cc, x0, y0, x1 - x0, y1 - y0, chart_color(cc, s));
}

void chart_series_shape(chart_ctx *cc, size_t s, const rg_path_seg *segs, size_t n)
{
    series_look k = chart_series_look(cc, s);
    rg_dl_path p = { .segs = segs, .nsegs = n, .fill = 1, .fill_color = k.color, .stroke = 1,
                     .stroke_color = WHITE, .line_width = CHART_SLICE_RULE };
    if (!k.pattern) {
        chart_path(cc, &p);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!chart_finite(segs[i].pts, 6)) return;
    p.stroke = 0;                  /* fill, pattern, then the white outline over its ends */
    chart_path(cc, &p);
    edge e[MAX_EDGES];
    draw_pattern(cc, k.pattern, e, outline_edges(segs, n, e));
    p.fill = 0;
    p.stroke = 1;
    chart_path(cc, &p);
}

/* 45° hatching rising inside the rectangle, 3.5 pt apart measured along
 * a vertical, on a grid fixed to the page so that neighbouring bars' lines
 * meet: the mark's (no series pattern is this alone) */
void chart_hatch(chart_ctx *cc, double x, double y, double w, double h, rg_color col)
{
    double v[4] = { x, y, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return;
    edge e[4];
    hatch_lines mark = { 45, 3.5 * 0.70710678118654752, 0.8, 0 };
    hatch_family(cc, e, rect_edges(x, y, w, h, e), &mark, col, 0, 0);
}

/* A value under its norm: mark fill, white rising hatching and a dark
 * outline, so it stands out without colour too, and from every series
 * (none has an outline or this hatching alone); ruled off from a bar
 * beside it like any fill, the rule over the outline. */
static void marked_rect(chart_ctx *cc, double x, double y, double w, double h, int bar)
{
    chart_rect(cc, x, y, w, h, cc->mark);
    chart_hatch(cc, x, y, w, h, WHITE);
    double v[4] = { x, y, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return;
    rg_dl_rect_stroke(cc->dl, cc->page, x, y, w, h, cc->mark_line, 0.9);
    if (bar) separate(cc, x, y, w, h);  /* over the outline, as a later neighbour's */
}

void chart_marked_rect(chart_ctx *cc, double x, double y, double w, double h)
{
    marked_rect(cc, x, y, w, h, 1);
}

static void circle_segs(rg_path_seg *s, double cx, double cy, double r);

/* a line's point off its norm: its marker in the mark colour, larger,
 * ringed in the mark's dark outline, so it stands out without colour too */
void chart_marked_marker(chart_ctx *cc, int shape, double x, double y, double r)
{
    rg_path_seg ring[6];
    circle_segs(ring, x, y, r * 2.1);
    rg_dl_path p = { .segs = ring, .nsegs = 6, .fill = 1, .fill_color = WHITE, .stroke = 1,
                     .stroke_color = cc->mark_line, .line_width = 1.1 };
    chart_path(cc, &p);
    chart_marker(cc, shape, x, y, r * 1.25, cc->mark);
}

static void circle_segs(rg_path_seg *s, double cx, double cy, double r)
{
    const double k = 0.5522847498 * r;
    s[0] = (rg_path_seg){ RG_PATH_MOVE, { cx + r, cy } };
    s[1] = (rg_path_seg){ RG_PATH_CURVE, { cx + r, cy + k, cx + k, cy + r, cx, cy + r } };
    s[2] = (rg_path_seg){ RG_PATH_CURVE, { cx - k, cy + r, cx - r, cy + k, cx - r, cy } };
    s[3] = (rg_path_seg){ RG_PATH_CURVE, { cx - r, cy - k, cx - k, cy - r, cx, cy - r } };
    s[4] = (rg_path_seg){ RG_PATH_CURVE, { cx + k, cy - r, cx + r, cy - k, cx + r, cy } };
    s[5] = (rg_path_seg){ RG_PATH_CLOSE, { 0 } };
}

static size_t polygon_segs(rg_path_seg *s, const double *xy, size_t npts)
{
    for (size_t i = 0; i < npts; i++)
        s[i] = (rg_path_seg){ i ? RG_PATH_LINE : RG_PATH_MOVE, { xy[2 * i], xy[2 * i + 1] } };
    s[npts] = (rg_path_seg){ RG_PATH_CLOSE, { 0 } };
    return npts + 1;
}

/* series markers differ in shape, not only in colour:
 * 0 circle, 1 square, 2 diamond, 3 triangle, then again */
void chart_marker(chart_ctx *cc, int shape, double x, double y, double r, rg_color col)
{
    rg_path_seg s[6];
    size_t n = 6;
    double q = r * 0.9, t = r * 1.25;
    switch (shape % 4) {
    case 0: circle_segs(s, x, y, r); break;
    case 1: n = polygon_segs(s, (double[]){ x - q, y - q, x + q, y - q, x + q, y + q,
                                            x - q, y + q }, 4); break;
    case 2: n = polygon_segs(s, (double[]){ x, y - t, x + t, y, x, y + t, x - t, y }, 4); break;
    default: n = polygon_segs(s, (double[]){ x - t, y - r * 0.85, x + t, y - r * 0.85,
                                             x, y + t }, 3); break;
    }
    rg_dl_path p = { .segs = s, .nsegs = n, .fill = 1, .fill_color = col, .stroke = 1,
                     .stroke_color = WHITE, .line_width = 0.75 };
    chart_path(cc, &p);
}

/* ---- legend ---- */

enum { SWATCH = 9, SWATCH_GAP = 4, ENTRY_GAP = 14 };

/* a line's swatch is long enough to show its dash on both sides of its
 * marker */
static double swatch_width(const legend_entry *e)
{
    return e->kind == SWATCH_LINE ? 3 * SWATCH : e->kind == SWATCH_REF ? 2 * SWATCH : SWATCH;
}

static double entry_width(chart_ctx *cc, const legend_entry *e)
{
    return swatch_width(e) + SWATCH_GAP + chart_text_width(cc, cc->font, e->label);
}

/* lays the entries out in rows; returns the number of rows and, when
 * starts is given, the index of each row's first entry. An entry wider
 * than the row takes a row of its own, its label shortened. */
static size_t legend_rows(chart_ctx *cc, const legend_entry *e, size_t n, double w,
                          size_t *starts)
{
    size_t rows = 0;
    double x = 0;
    for (size_t i = 0; i < n; i++) {
        double ew = fmin(entry_width(cc, &e[i]), w);
        if (i == 0 || x + ew > w) {
            if (starts) starts[rows] = i;
            rows++;
            x = 0;
        }
        x += ew + ENTRY_GAP;
    }
    return rows;
}

double chart_legend_height(chart_ctx *cc, const legend_entry *e, size_t n, double w)
{
    return (double)legend_rows(cc, e, n, w, NULL) * cc->lead;
}

static void draw_swatch(chart_ctx *cc, const legend_entry *e, double x, double ymid)
{
    double y0 = ymid - SWATCH / 2.0;
    switch (e->kind) {
    case SWATCH_FILL: look_rect(cc, chart_series_look(cc, e->series), x, y0, SWATCH, SWATCH); break;
    case SWATCH_MARK: marked_rect(cc, x, y0, SWATCH, SWATCH, 0); break;
    case SWATCH_MARK_POINT: chart_marked_marker(cc, 0, x + SWATCH / 2.0, ymid, 2); break;
    case SWATCH_REF:
        chart_line(cc, x, ymid, x + 2 * SWATCH, ymid, cc->ref, 1.4, 3);
        break;
    case SWATCH_REF_TICK:
        chart_line(cc, x, ymid, x + SWATCH, ymid, cc->ref, 2, 0);
        break;
    case SWATCH_LINE: {
        rg_color col = chart_color(cc, e->series);
        rg_path_seg seg[2] = { { RG_PATH_MOVE, { x, ymid } },
                               { RG_PATH_LINE, { x + 3 * SWATCH, ymid } } };
        rg_dl_path p = { .segs = seg, .nsegs = 2, .stroke = 1, .stroke_color = col,
                         .line_width = 1.75 };
        chart_series_dash(cc, e->series, &p.dash_on, &p.dash_off);
        chart_path(cc, &p);
        if (e->shape >= 0) chart_marker(cc, e->shape, x + 1.5 * SWATCH, ymid, 3, col);
        break;
    }
    }
}

/* rows of swatch + label, each row starting at x; y_top is the top of the
 * first row; a label's room runs to its entry's end (the row's at most) */
void chart_legend_draw(chart_ctx *cc, const legend_entry *e, size_t n, double x, double y_top,
                       double w)
{
    size_t starts[64];
    size_t rows = n ? legend_rows(cc, e, n > 64 ? 64 : n, w, starts) : 0;
    for (size_t r = 0; r < rows; r++) {
        size_t end = r + 1 < rows ? starts[r + 1] : (n > 64 ? 64 : n);
        double ymid = y_top - (double)r * cc->lead - cc->lead / 2;
        double px = x;
        for (size_t i = starts[r]; i < end; i++) {
            double ew = fmin(entry_width(cc, &e[i]), w);
            draw_swatch(cc, &e[i], px, ymid);
            double tx = px + swatch_width(&e[i]) + SWATCH_GAP;
            chart_room room = { tx, ymid - cc->lead / 2, fmin(px + ew, x + w),
                                ymid + cc->lead / 2 };
            chart_text_in(cc, LABEL_LEGEND, cc->font, cc->ink, e[i].label, tx,
                          ymid - cc->cap / 2, ANCHOR_LEFT, room, 0);
            px += ew + ENTRY_GAP;
        }
    }
}

/* what the mark means, in the chart's language: the side of the norm
 * that is marked */
const char *chart_mark_text(const chart_ctx *cc)
{
    if (chart_english(cc)) return cc->c->lower_is_better ? "Above the norm" : "Below the norm";
    return cc->c->lower_is_better ? "Boven de norm" : "Onder de norm";
}

/* the reference and "under the norm" entries every chart with a norm
 * shows; marked: 0 nothing is marked, MARKED_BARS, MARKED_POINTS (the
 * swatch is drawn as the marks are) */
size_t chart_legend_common(chart_ctx *cc, legend_entry *e, size_t n, int marked)
{
    const rg_chart *c = cc->c;
    const rg_field *rf = chart_field(cc, c->reference);
    if (c->reference >= 0 && rf) {
        e[n].kind = SWATCH_REF_TICK;
        e[n++].label = c->ref_label ? c->ref_label : rf->label ? rf->label : "";
    } else if (c->has_ref_value && isfinite(c->ref_value)) {
        e[n].kind = SWATCH_REF;
        if (c->ref_label) {
            e[n++].label = c->ref_label;
        } else {
            char v[64];
            chart_format(cc, c->nseries ? c->series[0] : -1, c->ref_value, v, sizeof v);
            e[n++].label = chart_strf(cc, "%s %s", chart_english(cc) ? "Target" : "Norm", v);
        }
    }
    if (marked) {
        e[n].kind = marked == MARKED_POINTS ? SWATCH_MARK_POINT : SWATCH_MARK;
        e[n++].label = chart_strf(cc, "%s%s", chart_mark_text(cc), cc->sign);
    }
    return n;
}

/* the frame with "Geen gegevens" ("No data") in the middle */
void chart_no_data(chart_ctx *cc, chart_box b)
{
    double v[4] = { b.x, b.y, b.w, b.h };
    if (!chart_finite(v, 4) || b.w <= 0 || b.h <= 0) return;
    rg_dl_rect_stroke(cc->dl, cc->page, b.x, b.y, b.w, b.h, cc->grid, 0.75);
    chart_room room = { b.x, b.y, b.x + b.w, b.y + b.h };
    chart_text_in(cc, LABEL_NOTE, cc->font, cc->ink,
                  chart_english(cc) ? "No data" : "Geen gegevens", b.x + b.w / 2,
                  b.y + b.h / 2 - cc->cap / 2, ANCHOR_CENTER, room, 0);
}

/* ---- setup and dispatch ---- */

static uint32_t utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    uint32_t c = s[0];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (n) c &= 0x3F >> n;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) { *p += i; return 0xFFFD; }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *p += n + 1;
    return c;
}

/* the layout's sign pointing up, for values marked above their norm
 * (better="lower"): a trailing ▼ ▽ ↓ becomes ▲ △ ↑; any other sign is kept */
static const char *sign_up(const char *sign, char *buf, size_t cap)
{
    static const char *const pairs[][2] = { { "\xE2\x96\xBC", "\xE2\x96\xB2" },
                                            { "\xE2\x96\xBD", "\xE2\x96\xB3" },
                                            { "\xE2\x86\x93", "\xE2\x86\x91" } };
    size_t n = strlen(sign);
    for (size_t i = 0; i < 3; i++)
        if (n >= 3 && n < cap && strcmp(sign + n - 3, pairs[i][0]) == 0) {
            snprintf(buf, cap, "%.*s%s", (int)(n - 3), sign, pairs[i][1]);
            return buf;
        }
    return sign;
}

/* the mark sign when the chart font or the fallback chain has every glyph
 * of it, else " *" */
static void pick_sign(chart_ctx *cc)
{
    char up[sizeof cc->sign];
    const char *want = cc->st->mark_sign ? cc->st->mark_sign : " \xE2\x96\xBC";
    if (cc->c->lower_is_better) want = sign_up(want, up, sizeof up);
    int ok = strlen(want) < sizeof cc->sign;
    for (const char *p = want; ok && *p;) {
        uint32_t cp = utf8_next(&p);
        if (cp != ' ' && cp != 0xA0 && !rg_font_has_codepoint(cc->font, cp) &&
            !rg_font_fallback(cc->ctx, cc->font, cp))
            ok = 0;
    }
    snprintf(cc->sign, sizeof cc->sign, "%s", ok ? want : " *");
}

static rg_color darker(rg_color c, double f)
{
    return (rg_color){ c.r * f, c.g * f, c.b * f };
}

static void pick_colors(chart_ctx *cc)
{
    const rg_style *st = cc->st;
    int named = st->npalette > 0;  /* a layout without chart colours gets the defaults */
    cc->npal = named ? (st->npalette > RG_MAX_PALETTE ? RG_MAX_PALETTE : st->npalette)
                     : RG_MAX_PALETTE;
    for (int i = 0; i < cc->npal; i++)
        cc->pal[i] = named ? st->palette[i] : rg_default_palette[i];
    /* the second series plain too when lightness tells it from the first */
    cc->nplain = cc->npal >= 2 &&
                 rg_color_contrast(cc->pal[0], cc->pal[1]) >= RG_MIN_CHART_CONTRAST ? 2 : 1;
    cc->grid = named ? st->chart_grid : DEF_GRID;
    cc->axis = named ? st->chart_axis : DEF_AXIS;
    cc->ref = named ? st->chart_reference : DEF_REF;
    cc->mark = named ? st->mark_color : DEF_MARK;
    cc->mark_line = darker(cc->mark, 0.55);
    cc->ink = st->roles[RG_ROLE_CHART].color;
}

static rg_status setup(chart_ctx *cc)
{
    const rg_role *r = &cc->st->roles[RG_ROLE_CHART];
    const char *family = r->family ? r->family : cc->st->roles[RG_ROLE_BODY].family;
    rg_font *f = NULL, *b = NULL;
    if (!family || rg_font_find(cc->ctx, family, r->bold, r->italic, &f) != RG_OK ||
        rg_font_find(cc->ctx, family, 1, r->italic, &b) != RG_OK) {
        rg_diag(cc->ctx, RG_SEV_ERROR, NULL, cc->c->data ? cc->c->data->line : 0, 0,
                "chart: the chart role's font family '%s' is not available",
                family ? family : "");
        return RG_EX_UNAVAILABLE;
    }
    cc->font = f;
    cc->bold = b;
    cc->size = r->size > 0 ? r->size : 8.5;
    cc->lead = cc->size * 1.3;
    rg_font_metrics m;
    rg_font_get_metrics(f, &m);
    unsigned upem = rg_font_upem(f);
    cc->cap = upem && m.cap_height > 0 ? cc->size * m.cap_height / upem : cc->size * 0.7;
    cc->ncat = cc->c->data ? cc->c->data->nrecords : 0;
    pick_colors(cc);
    pick_sign(cc);
    return RG_OK;
}

/* the title above the chart; returns the height it takes */
static double draw_title(chart_ctx *cc, chart_box *b)
{
    const char *t = cc->c->title;
    if (!t || !*t) return 0;
    label_spec sp = { .kind = LABEL_TITLE, .font = cc->bold, .color = cc->ink, .text = t,
                      .room = cc->box, .x = b->x, .y = b->y + b->h - cc->size, .span = b->w,
                      .anchor = ANCHOR_LEFT, .width = b->w, .maxlines = 3 };
    chart_label l;
    if (!chart_label_fit(cc, &l, &sp)) {
        if (l.len) chart_label_left_out(cc, LABEL_TITLE);
        return 0;
    }
    chart_label_draw(cc, &l);
    return (double)l.nlines * cc->lead + cc->size * 0.6;
}

double rg_chart_height(const rg_chart *c, const rg_style *st, double w)
{
    if (c && c->height > 0 && isfinite(c->height)) return c->height;
    if (st && st->chart_height > 0 && isfinite(st->chart_height)) return st->chart_height;
    return isfinite(w) && w > 0 ? w * 0.55 : 240;
}

rg_status rg_chart_draw(rg_ctx *ctx, rg_dl *dl, size_t page, const rg_chart *c,
                        const rg_style *st, const rg_locale *loc, const char *lang,
                        double x, double y_top, double w, double h)
{
    chart_ctx cc = { .ctx = ctx, .dl = dl, .page = page, .c = c, .st = st, .loc = loc,
                     .lang = lang ? lang : "nl-NL" };
    rg_status s = setup(&cc);
    if (s != RG_OK) return s;
    double v[4] = { x, y_top, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return RG_OK;
    cc.scratch = rg_arena_new();
    /* labels stay in the chart's box, and in the page's area (or on the
     * page) when a chart was given a box taller than that */
    cc.box = (chart_room){ x, y_top - h, x + w, y_top };
    if (page < dl->npages) {
        const rg_dl_page *pg = &dl->pages[page];
        chart_room in = { 0, 0, pg->width, pg->height };
        if (pg->area >= 0 && (size_t)pg->area < dl->nboxes) {
            const rg_dl_box *a = &dl->boxes[pg->area];
            in = (chart_room){ a->x0, a->y0, a->x1, a->y1 };
        }
        cc.box.x0 = fmax(cc.box.x0, in.x0);
        cc.box.y0 = fmax(cc.box.y0, in.y0);
        cc.box.x1 = fmin(cc.box.x1, in.x1);
        cc.box.y1 = fmin(cc.box.y1, in.y1);
    }
    chart_box b = { x, y_top - h, w, h };
    b.h -= draw_title(&cc, &b);
    switch (c->type) {
    case RG_CHART_BAR:
    case RG_CHART_GROUPED:
    case RG_CHART_STACKED: chart_bars(&cc, b); break;
    case RG_CHART_LINE: chart_lines(&cc, b); break;
    case RG_CHART_PIE:
    case RG_CHART_DONUT: chart_pie(&cc, b); break;
    }
    chart_labels_report(&cc);
    free(cc.placed);
    rg_arena_free(cc.scratch);
    return RG_OK;
}
