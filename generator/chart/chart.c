/* chart/chart.c - the chart stage's entry point and shared drawing helpers: it
 * finds the chart role's fonts, picks colours (palette, grid, axis,
 * reference, mark), reads values from the dataset, shapes every label with
 * the text stage, draws titles, legends and the "no data" frame, and guards
 * every primitive it emits against non-finite coordinates. The chart types
 * live beside it (chart/bar.c, chart/line.c, chart/pie.c; the value axis in
 * chart/axis.c). Stage: chart. No third-party headers. */
#include "internal.h"
#include "text/text.h"

#include <math.h>
#include <string.h>

/* used when the layout names no chart colours (npalette == 0) */
static const rg_color DEF_PALETTE[8] = {
    { 0.082, 0.259, 0.451 },       /* #154273 dark blue */
    { 0.882, 0.439, 0.000 },       /* #E17000 orange */
    { 0.000, 0.482, 0.780 },       /* #007BC7 sky blue */
    { 0.224, 0.529, 0.047 },       /* #39870C green */
    { 0.663, 0.000, 0.380 },       /* #A90061 violet */
    { 0.557, 0.792, 0.906 },       /* #8FCAE7 light blue */
    { 1.000, 0.714, 0.071 },       /* #FFB612 yellow */
    { 0.369, 0.369, 0.369 },       /* #5E5E5E grey */
};
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

void chart_category(const chart_ctx *cc, size_t rec, char *out, size_t cap)
{
    const rg_field *f = chart_field(cc, cc->c->category);
    out[0] = 0;
    if (!f || rec >= cc->ncat) return;
    const rg_value *v = &cc->c->data->values[rec * cc->c->data->nfields +
                                             (size_t)cc->c->category];
    if (f->type == RG_FIELD_TEXT && !v->missing && v->text)
        snprintf(out, cap, "%s", v->text);
    else
        rg_format_value(cc->loc, f, v, -1, cc->st->negative_parentheses, out, cap);
}

/* v formatted as the field formats its values */
void chart_format(const chart_ctx *cc, int field, double v, char *out, size_t cap)
{
    const rg_field *f = chart_field(cc, field);
    rg_value val = { 0, v, { 0, 0, 0 }, NULL };
    if (f) rg_format_value(cc->loc, f, &val, -1, cc->st->negative_parentheses, out, cap);
    else rg_format_number(cc->loc, v, 0, out, cap);
}

rg_color chart_color(const chart_ctx *cc, size_t series)
{
    return cc->pal[series % (size_t)cc->npal];
}

/* ---- text: every label is shaped by the text stage ---- */

static const rg_line *shape_line(chart_ctx *cc, const rg_font *f, const char *s,
                                 double width, rg_para *p)
{
    rg_text_run r = { s, strlen(s), f, cc->size, cc->ink, NULL, cc->lang, 0 };
    rg_break_opts o = rg_break_simple(width, RG_ALIGN_LEFT);
    rg_text_break(cc->ctx, cc->scratch, &r, 1, &o, p);
    return p->nlines ? &p->lines[0] : NULL;
}

static void draw_line(chart_ctx *cc, const rg_line *ln, rg_color col, double x, double y)
{
    for (size_t i = 0; i < ln->npieces; i++) {
        const rg_line_piece *pc = &ln->pieces[i];
        double px = x + pc->x;
        if (!isfinite(px) || !isfinite(y)) return;
        rg_dl_glyph_run(cc->dl, cc->page, pc->font, pc->size, col, px, y, pc->glyphs,
                        pc->nglyphs, pc->text, pc->text_len);
    }
}

double chart_text_width(chart_ctx *cc, const rg_font *f, const char *s)
{
    return rg_text_width(cc->ctx, f, cc->size, cc->lang, s, strlen(s));
}

/* one line of text with its baseline at y, anchored at x */
void chart_text(chart_ctx *cc, const rg_font *f, rg_color col, const char *s, double x,
                double y, chart_anchor a)
{
    rg_para p;
    const rg_line *ln = shape_line(cc, f, s, 1e6, &p);
    if (!ln) return;
    draw_line(cc, ln, col, x - ln->width * (double)a / 2, y);
}

/* number of lines s takes when broken to width */
int chart_text_lines(chart_ctx *cc, const rg_font *f, const char *s, double width)
{
    rg_para p;
    shape_line(cc, f, s, width > 1 ? width : 1, &p);
    return (int)p.nlines;
}

/* s broken to width, first baseline at y, each line anchored within
 * [x, x + width]; at most maxlines lines */
void chart_text_box(chart_ctx *cc, const rg_font *f, const char *s, double x, double y,
                    double width, chart_anchor a, int maxlines)
{
    rg_para p;
    shape_line(cc, f, s, width > 1 ? width : 1, &p);
    for (size_t i = 0; i < p.nlines && (int)i < maxlines; i++) {
        const rg_line *ln = &p.lines[i];
        double dx = (width - ln->width) * (double)a / 2;
        draw_line(cc, ln, cc->ink, x + dx, y - (double)i * cc->lead);
    }
}

/* widest space-separated word of s */
static double widest_word(chart_ctx *cc, const char *s)
{
    char word[256];
    double w = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n && n < sizeof word) {
            memcpy(word, s, n);
            word[n] = 0;
            w = fmax(w, chart_text_width(cc, cc->font, word));
        }
        s += n + (s[n] == ' ');
    }
    return w;
}

/* Category labels under slots of the given width: *every > 1 labels only
 * every n-th category where words would otherwise be split (many
 * categories; with few, every category keeps its label even if a long word
 * must break); *lines is the most lines a label then takes (at most 3). */
void chart_category_fit(chart_ctx *cc, double slot, size_t *every, int *lines)
{
    char buf[256];
    double word = 0;
    for (size_t r = 0; r < cc->ncat; r++) {
        chart_category(cc, r, buf, sizeof buf);
        word = fmax(word, widest_word(cc, buf));
    }
    *every = 1;
    while (*every < cc->ncat && (slot * (double)*every < cc->size * 2.5 ||
                                 (cc->ncat > 12 && slot * (double)*every - 4 < word)))
        (*every)++;
    *lines = 1;
    for (size_t r = 0; r < cc->ncat; r += *every) {
        chart_category(cc, r, buf, sizeof buf);
        int n = chart_text_lines(cc, cc->font, buf, slot * (double)*every - 4);
        if (n > *lines) *lines = n > 3 ? 3 : n;
    }
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

/* 45° hatching inside the rectangle, computed exactly (no clipping needed) */
void chart_hatch(chart_ctx *cc, double x, double y, double w, double h, rg_color col)
{
    const double sp = 3.5;
    double v[4] = { x, y, w, h };
    if (!chart_finite(v, 4) || w <= 0 || h <= 0) return;
    rg_path_seg *segs = rg_arena_alloc(cc->scratch, CHART_MAX_SEGS * sizeof *segs);
    size_t n = 0;
    /* lines y - x = d, d on a page-wide grid so neighbouring bars line up */
    for (double d = ceil((y - (x + w)) / sp) * sp; d < y + h - x && n + 2 <= CHART_MAX_SEGS;
         d += sp) {
        double xa = fmax(x, y - d), xb = fmin(x + w, y + h - d);
        if (xb - xa < 0.2) continue;
        segs[n++] = (rg_path_seg){ RG_PATH_MOVE, { xa, xa + d } };
        segs[n++] = (rg_path_seg){ RG_PATH_LINE, { xb, xb + d } };
    }
    rg_dl_path p = { .segs = segs, .nsegs = n, .stroke = 1, .stroke_color = col,
                     .line_width = 0.8 };
    chart_path(cc, &p);
}

/* a value under its norm: mark fill, white hatching and a dark outline, so
 * it stands out without colour too */
void chart_marked_rect(chart_ctx *cc, double x, double y, double w, double h)
{
    chart_rect(cc, x, y, w, h, cc->mark);
    chart_hatch(cc, x, y, w, h, WHITE);
    double v[4] = { x, y, w, h };
    if (chart_finite(v, 4) && w > 0 && h > 0)
        rg_dl_rect_stroke(cc->dl, cc->page, x, y, w, h, cc->mark_line, 0.9);
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

static double swatch_width(const legend_entry *e)
{
    return e->kind == SWATCH_LINE || e->kind == SWATCH_REF ? 2 * SWATCH : SWATCH;
}

static double entry_width(chart_ctx *cc, const legend_entry *e)
{
    return swatch_width(e) + SWATCH_GAP + chart_text_width(cc, cc->font, e->label);
}

/* lays the entries out in rows; returns the number of rows and, when
 * starts is given, the index of each row's first entry */
static size_t legend_rows(chart_ctx *cc, const legend_entry *e, size_t n, double w,
                          size_t *starts)
{
    size_t rows = 0;
    double x = 0;
    for (size_t i = 0; i < n; i++) {
        double ew = entry_width(cc, &e[i]);
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
    case SWATCH_FILL: chart_rect(cc, x, y0, SWATCH, SWATCH, e->color); break;
    case SWATCH_MARK: chart_marked_rect(cc, x, y0, SWATCH, SWATCH); break;
    case SWATCH_REF:
        chart_line(cc, x, ymid, x + 2 * SWATCH, ymid, cc->ref, 1.4, 3);
        break;
    case SWATCH_REF_TICK:
        chart_line(cc, x, ymid, x + SWATCH, ymid, cc->ref, 2, 0);
        break;
    case SWATCH_LINE:
        chart_line(cc, x, ymid, x + 2 * SWATCH, ymid, e->color, 1.75, 0);
        chart_marker(cc, e->shape, x + SWATCH, ymid, 3, e->color);
        break;
    }
}

/* rows of swatch + label, each row starting at x; y_top is the top of the
 * first row */
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
            draw_swatch(cc, &e[i], px, ymid);
            double tx = px + swatch_width(&e[i]) + SWATCH_GAP;
            chart_text(cc, cc->font, cc->ink, e[i].label, tx, ymid - cc->cap / 2, ANCHOR_LEFT);
            px += entry_width(cc, &e[i]) + ENTRY_GAP;
        }
    }
}

/* the reference and "under the norm" entries every chart with a norm shows */
size_t chart_legend_common(chart_ctx *cc, legend_entry *e, size_t n, int marked)
{
    const rg_chart *c = cc->c;
    const rg_field *rf = chart_field(cc, c->reference);
    if (c->reference >= 0 && rf) {
        e[n].kind = SWATCH_REF_TICK;
        snprintf(e[n++].label, sizeof e->label, "%s", c->ref_label ? c->ref_label : rf->label);
    } else if (c->has_ref_value && isfinite(c->ref_value)) {
        e[n].kind = SWATCH_REF;
        if (c->ref_label) {
            snprintf(e[n++].label, sizeof e->label, "%s", c->ref_label);
        } else {
            char v[64];
            chart_format(cc, c->nseries ? c->series[0] : -1, c->ref_value, v, sizeof v);
            snprintf(e[n++].label, sizeof e->label, "Norm %s", v);
        }
    }
    if (marked) {
        e[n].kind = SWATCH_MARK;
        snprintf(e[n++].label, sizeof e->label, "Onder de norm%s", cc->sign);
    }
    return n;
}

/* the frame with "Geen gegevens" in the middle */
void chart_no_data(chart_ctx *cc, chart_box b)
{
    double v[4] = { b.x, b.y, b.w, b.h };
    if (!chart_finite(v, 4) || b.w <= 0 || b.h <= 0) return;
    rg_dl_rect_stroke(cc->dl, cc->page, b.x, b.y, b.w, b.h, cc->grid, 0.75);
    chart_text(cc, cc->font, cc->ink, "Geen gegevens", b.x + b.w / 2,
               b.y + b.h / 2 - cc->cap / 2, ANCHOR_CENTER);
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

/* the mark sign when the chart font or the fallback chain has every glyph
 * of it, else " *" */
static void pick_sign(chart_ctx *cc)
{
    const char *want = cc->st->mark_sign ? cc->st->mark_sign : " \xE2\x96\xBC";
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
    cc->npal = named ? (st->npalette > 8 ? 8 : st->npalette) : 8;
    for (int i = 0; i < cc->npal; i++) cc->pal[i] = named ? st->palette[i] : DEF_PALETTE[i];
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
    int lines = chart_text_lines(cc, cc->bold, t, b->w);
    if (lines > 3) lines = 3;
    chart_text_box(cc, cc->bold, t, b->x, b->y + b->h - cc->size, b->w, ANCHOR_LEFT, lines);
    return (double)lines * cc->lead + cc->size * 0.6;
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
    rg_arena_free(cc.scratch);
    return RG_OK;
}
