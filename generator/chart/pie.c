/* chart/pie.c - pie and donut charts of the first series: slices clockwise
 * from twelve o'clock, each a path of cubic Bézier arcs (one segment per
 * part of at most 90°, so four for a full circle), separated by thin white
 * strokes. Every slice gets an outside label "category share %" on a
 * leader line; labels on each side are pushed apart so they never overlap.
 * A donut shows the total in its hole (numbers and euros only). Missing,
 * zero and negative values take no slice; a zero total draws "no data".
 * Stage: chart. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

static const double PI = 3.14159265358979323846;

typedef struct slice_label {
    double mid;                    /* mid angle, radians */
    double y;                      /* label baseline middle after spreading */
    int right;                     /* on the right-hand side */
    size_t rec;
    double value;
    double w, wcat;                /* whole label, category part */
    const char *cat;
    char pct[32];
} slice_label;

typedef struct pie_geo {
    double cx, cy, r, r_in;        /* r_in = 0 for a pie */
    double total;
} pie_geo;

static int slice_value(const chart_ctx *cc, size_t rec, double *v)
{
    return cc->c->nseries && chart_value(cc, rec, cc->c->series[0], v) && *v > 0;
}

static double pie_total(const chart_ctx *cc, size_t *count)
{
    double t = 0, v;
    *count = 0;
    for (size_t r = 0; r < cc->ncat; r++)
        if (slice_value(cc, r, &v)) {
            t += v;
            (*count)++;
        }
    return t;
}

/* ---- paths ---- */

static rg_path_seg at(rg_path_op op, double cx, double cy, double r, double t)
{
    return (rg_path_seg){ op, { cx + r * cos(t), cy + r * sin(t) } };
}

/* arc from t0 to t1 (|t1 - t0| <= 90°) as one cubic */
static rg_path_seg arc_seg(double cx, double cy, double r, double t0, double t1)
{
    double k = 4.0 / 3.0 * tan((t1 - t0) / 4) * r;
    double x0 = cx + r * cos(t0), y0 = cy + r * sin(t0);
    double x3 = cx + r * cos(t1), y3 = cy + r * sin(t1);
    return (rg_path_seg){ RG_PATH_CURVE, { x0 - k * sin(t0), y0 + k * cos(t0),
                                           x3 + k * sin(t1), y3 - k * cos(t1), x3, y3 } };
}

/* appends the arc t0 -> t1 in parts of at most 90°; returns segments added */
static size_t arc(rg_path_seg *s, double cx, double cy, double r, double t0, double t1)
{
    int parts;                     /* callers' arcs are at most 2π: 4 parts */
    rg_double_to_int(ceil(fabs(t1 - t0) / (PI / 2) - 1e-9), 1, 4, &parts);
    for (int i = 0; i < parts; i++)
        s[i] = arc_seg(cx, cy, r, t0 + (t1 - t0) * i / parts, t0 + (t1 - t0) * (i + 1) / parts);
    return (size_t)parts;
}

/* slice k: series k's look (chart_series_look), ruled off in white */
static void draw_slice(chart_ctx *cc, const pie_geo *g, double t0, double t1, size_t k)
{
    rg_path_seg s[16];
    size_t n = 0;
    int full = fabs(t1 - t0) >= 2 * PI - 1e-9;
    if (!full && g->r_in <= 0) s[n++] = (rg_path_seg){ RG_PATH_MOVE, { g->cx, g->cy } };
    rg_path_op first = n ? RG_PATH_LINE : RG_PATH_MOVE;
    s[n++] = at(first, g->cx, g->cy, g->r, t0);
    n += arc(s + n, g->cx, g->cy, g->r, t0, t1);
    if (g->r_in > 0) {
        /* the hole: a new subpath for a full ring, else back along the inner arc */
        s[n++] = at(full ? RG_PATH_MOVE : RG_PATH_LINE, g->cx, g->cy, g->r_in, t1);
        n += arc(s + n, g->cx, g->cy, g->r_in, t1, t0);
    }
    s[n++] = (rg_path_seg){ RG_PATH_CLOSE, { 0 } };
    chart_series_shape(cc, k, s, n);
}

/* ---- labels ---- */

static int by_y_desc(const void *a, const void *b)
{
    double ya = ((const slice_label *)a)->y, yb = ((const slice_label *)b)->y;
    return ya < yb ? 1 : ya > yb ? -1 : 0;
}

/* pushes labels of one side apart (at least a line), kept within [lo, hi] */
static void spread(slice_label *l, size_t n, double gap, double lo, double hi)
{
    if (!n) return;
    qsort(l, n, sizeof *l, by_y_desc);
    if (l[0].y > hi) l[0].y = hi;
    for (size_t i = 1; i < n; i++)
        if (l[i].y > l[i - 1].y - gap) l[i].y = l[i - 1].y - gap;
    if (l[n - 1].y < lo) l[n - 1].y = lo;
    for (size_t i = n - 1; i > 0; i--)
        if (l[i - 1].y < l[i].y + gap) l[i - 1].y = l[i].y + gap;
}

static void make_label(chart_ctx *cc, slice_label *l, size_t rec, double v, double total,
                       double mid)
{
    char buf[128];
    l->rec = rec;
    l->value = v;
    l->mid = mid;
    l->right = cos(mid) >= 0;
    l->cat = chart_category(cc, rec, buf, sizeof buf);
    if (l->cat == buf) l->cat = chart_strf(cc, "%s", buf);
    rg_format_percent(cc->loc, 100.0 * (v / total), 1, l->pct, sizeof l->pct);
    l->wcat = chart_text_width(cc, cc->font, l->cat);
    l->w = l->wcat + cc->size * 0.3 + chart_text_width(cc, cc->bold, l->pct);
}

/* A slice's label, "category share", on a leader line: the category
 * takes what room the share leaves it to the chart's side (shortened when
 * it must be); a label whose category does not fit, or that would touch
 * another label, is left out with its leader line. */
static void draw_label(chart_ctx *cc, const pie_geo *g, const slice_label *l, chart_box b)
{
    double ex = g->cx + (g->r + 6) * cos(l->mid), ey = g->cy + (g->r + 6) * sin(l->mid);
    double lx = l->right ? g->cx + g->r + 14 : g->cx - g->r - 14;
    double px = g->cx + g->r * cos(l->mid), py = g->cy + g->r * sin(l->mid);
    double x = l->right ? lx : lx - l->w, base = l->y - cc->cap / 2, gap = cc->size * 0.3;
    double wpct = l->w - l->wcat - gap, y0 = l->y - cc->lead / 2, y1 = l->y + cc->lead / 2;
    label_spec cat = { .kind = LABEL_SLICE, .font = cc->font, .color = cc->ink, .text = l->cat,
                       .y = base, .maxlines = 1, .fixed = 1 };
    if (l->right) {
        cat.x = x;
        cat.anchor = ANCHOR_LEFT;
        cat.room = (chart_room){ lx, y0, b.x + b.w - gap - wpct, y1 };
    } else {                       /* its end stays where the share starts */
        cat.x = x;
        cat.span = l->wcat;
        cat.anchor = ANCHOR_RIGHT;
        cat.room = (chart_room){ b.x, y0, x + l->wcat, y1 };
    }
    chart_label cl, pl;
    if (!chart_label_fit(cc, &cl, &cat) || !chart_label_free(cc, &cl)) {
        chart_label_left_out(cc, LABEL_SLICE);
        return;
    }
    double cw = cl.shortened ? cl.lines[0].ln->width : l->wcat;
    double pctx = l->right ? x + cw + gap : x + l->wcat + gap;
    label_spec pct = { .kind = LABEL_SLICE, .font = cc->bold, .color = cc->ink, .text = l->pct,
                       .room = { pctx - gap / 2, y0, l->right ? b.x + b.w : lx + 3, y1 },
                       .x = pctx, .y = base, .anchor = ANCHOR_LEFT, .maxlines = 1, .whole = 1,
                       .fixed = 1 };
    if (!chart_label_fit(cc, &pl, &pct) || !chart_label_free(cc, &pl) ||
        chart_label_clashes(&cl, &pl)) {
        chart_label_left_out(cc, LABEL_SLICE);
        return;
    }
    rg_path_seg s[3] = { { RG_PATH_MOVE, { px, py } }, { RG_PATH_LINE, { ex, ey } },
                         { RG_PATH_LINE, { lx + (l->right ? -3 : 3), l->y } } };
    rg_dl_path p = { .segs = s, .nsegs = 3, .stroke = 1, .stroke_color = cc->axis,
                     .line_width = 0.5 };
    chart_path(cc, &p);
    chart_label_draw(cc, &cl);
    chart_label_draw(cc, &pl);
}

static double widest_label(chart_ctx *cc, double total)
{
    slice_label l;
    double w = 0, v;
    for (size_t r = 0; r < cc->ncat; r++)
        if (slice_value(cc, r, &v)) {
            make_label(cc, &l, r, v, total, 0);
            w = fmax(w, l.w);
        }
    return w;
}

static int by_value_desc(const void *a, const void *b)
{
    const slice_label *x = a, *y = b;
    if (x->value != y->value) return x->value < y->value ? 1 : -1;
    return x->rec > y->rec ? 1 : x->rec < y->rec ? -1 : 0;
}

/* More labels on a side than lines between lo and hi: the biggest slices
 * keep theirs, the others are left out. Returns how many stay (first). */
static size_t keep_labels(chart_ctx *cc, slice_label *l, size_t n, double lo, double hi)
{
    size_t room;
    rg_double_to_size(floor((hi - lo) / cc->lead) + 1, 0, SIZE_MAX, &room);
    if (n <= room) return n;
    qsort(l, n, sizeof *l, by_value_desc);
    for (size_t i = room; i < n; i++) chart_label_left_out(cc, LABEL_SLICE);
    return room;
}

/* slices and their labels; the labels are spread per side first */
static void draw_slices(chart_ctx *cc, const pie_geo *g, size_t count, chart_box area)
{
    slice_label *lab = rg_arena_alloc(cc->scratch, count * sizeof *lab);
    size_t n = 0, nr = 0;
    double t = PI / 2, v;
    for (size_t r = 0; r < cc->ncat; r++) {
        if (!slice_value(cc, r, &v)) continue;
        /* v / total first: it is at most 1, while 2π·v overflows near DBL_MAX */
        double sweep = 2 * PI * (v / g->total);
        draw_slice(cc, g, t, t - sweep, n);
        make_label(cc, &lab[n], r, v, g->total, t - sweep / 2);
        lab[n].y = g->cy + (g->r + 10) * sin(lab[n].mid);
        nr += lab[n++].right;
        t -= sweep;
    }
    /* right-hand labels first, then the left-hand ones */
    slice_label *tmp = rg_arena_alloc(cc->scratch, (count + 1) * sizeof *tmp);
    size_t a = 0, b = nr;
    for (size_t i = 0; i < n; i++) tmp[lab[i].right ? a++ : b++] = lab[i];
    double top = g->cy + g->r + cc->lead * 0.8, bottom = g->cy - g->r - cc->lead * 0.8;
    top = fmin(top, area.y + area.h - cc->lead / 2);
    bottom = fmax(bottom, area.y + cc->lead / 2);
    size_t kr = keep_labels(cc, tmp, nr, bottom, top);
    size_t kl = keep_labels(cc, tmp + nr, n - nr, bottom, top);
    spread(tmp, kr, cc->lead, bottom, top);
    spread(tmp + nr, kl, cc->lead, bottom, top);
    for (size_t i = 0; i < kr; i++) draw_label(cc, g, &tmp[i], area);
    for (size_t i = nr; i < nr + kl; i++) draw_label(cc, g, &tmp[i], area);
}

static void donut_total(chart_ctx *cc, const pie_geo *g)
{
    const rg_field *f = chart_field(cc, cc->c->series[0]);
    if (!f || f->type == RG_FIELD_PERCENT) return;
    char buf[96];
    chart_format(cc, cc->c->series[0], g->total, buf, sizeof buf);
    if (chart_text_width(cc, cc->bold, buf) > 2 * g->r_in - 6) return;
    /* both in the hole, or neither */
    chart_room hole = { g->cx - g->r_in, g->cy - g->r_in, g->cx + g->r_in, g->cy + g->r_in };
    label_spec t = { .kind = LABEL_NOTE, .font = cc->bold, .color = cc->ink, .text = buf,
                     .room = hole, .x = g->cx, .y = g->cy + 1, .anchor = ANCHOR_CENTER,
                     .maxlines = 1, .whole = 1, .fixed = 1 };
    label_spec w = t;
    w.font = cc->font;
    w.text = "totaal";
    w.y = g->cy - cc->lead + 1;
    chart_label lt, lw;
    if (!chart_label_fit(cc, &lt, &t) || !chart_label_fit(cc, &lw, &w) ||
        !chart_label_free(cc, &lt) || !chart_label_free(cc, &lw) || chart_label_clashes(&lt, &lw))
        return;
    chart_label_draw(cc, &lt);
    chart_label_draw(cc, &lw);
}

static size_t pie_legend(chart_ctx *cc, legend_entry *e, size_t max)
{
    size_t n = 0;
    double v;
    for (size_t r = 0; r < cc->ncat && n < max; r++) {
        if (!slice_value(cc, r, &v)) continue;
        e[n].kind = SWATCH_FILL;
        e[n].series = n;
        char buf[128];
        const char *cat = chart_category(cc, r, buf, sizeof buf);
        e[n++].label = cat == buf ? chart_strf(cc, "%s", buf) : cat;
    }
    return n;
}

void chart_pie(chart_ctx *cc, chart_box b)
{
    size_t count;
    double total = pie_total(cc, &count);
    if (!count || !(total > 0) || !isfinite(total)) {
        chart_no_data(cc, b);
        return;
    }
    enum { MAX_LEGEND = 24 };      /* beyond this the outside labels carry the names */
    legend_entry *e = rg_arena_alloc(cc->scratch, MAX_LEGEND * sizeof *e);
    size_t ne = count <= MAX_LEGEND ? pie_legend(cc, e, MAX_LEGEND) : 0;
    double lh = ne ? chart_legend_height(cc, e, ne, b.w) + cc->size * 0.8 : 0;
    double lw = widest_label(cc, total) + 18;
    pie_geo g = { .total = total };
    g.r = fmin((b.h - lh) / 2 - cc->lead * 1.3, b.w / 2 - lw);
    if (g.r < 12) g.r = fmin((b.h - lh) / 2 - cc->lead * 1.3, b.w / 2) * 0.6;
    g.cx = b.x + b.w / 2;
    g.cy = b.y + lh + (b.h - lh) / 2;
    g.r_in = cc->c->type == RG_CHART_DONUT ? g.r * 0.56 : 0;
    if (!(g.r > 1)) {
        chart_no_data(cc, b);
        return;
    }
    chart_box above = { b.x, b.y + lh, b.w, b.h - lh };   /* the legend's top */
    draw_slices(cc, &g, count, above);
    if (g.r_in > 0) donut_total(cc, &g);
    if (ne) chart_legend_draw(cc, e, ne, b.x, b.y + lh - cc->size * 0.8, b.w);
}
