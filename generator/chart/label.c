/* chart/label.c - every text a chart draws goes through here. A label is
 * given the room it has (a rectangle, kept inside the chart's box) and
 * where it would like to stand (an anchor and a first baseline); it is
 * broken to at most a given number of lines: at its spaces and after its
 * hard hyphens ("Noord-" / "Holland") first; where that does not fit, its
 * words are hyphenated too (the hyphen stage's patterns for the chart's
 * language: "Mijn-" / "Overheid"); and when it still does not fit - a
 * word wider than its room even hyphenated, more lines than the room
 * holds - its last line is shortened at a cluster boundary and ends with
 * "…". A label that cannot fit even so, or whose ink would touch a label
 * already drawn in this chart, is left out. What a chart shortened or
 * left out is told in one warning per chart.
 *
 * Each label drawn is a RG_BOX_LABEL box (its room) holding its runs, and
 * its whole text is a paragraph that the runs point into, with
 * RG_RUN_SHORTENED on the run that ends with the ellipsis, and an inserted
 * hyphen's run flagged RG_RUN_HYPHEN with the rest of its word (the next
 * line's first run RG_RUN_CONTINUES), as the text stage gives running
 * text: the layout checker (check/check.h) sees the room, what was left
 * out and why, and text extraction reads a hyphenated word whole.
 * Stage: chart. */
#include "internal.h"
#include "hyphen/hyphen.h"
#include "text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char ELLIPSIS[] = "\xE2\x80\xA6";

/* ink may stand out of its room sideways by less than this share of the
 * text size (the checker allows a tenth of an em: a J, an italic f) */
#define SIDE_OVERHANG 0.08
/* labels whose inks overlap by more than this (points, both ways) clash;
 * below the checker's tolerance (RG_CHECK_TOLERANCE, 0.5) */
#define CLASH 0.25
/* how far ink may pass its room's top or bottom (points) */
#define VERTICAL_SLACK 0.25
/* widths within this of the room's fit it (rooms are sums of widths) */
#define EPS 0.01

/* ---- text ---- */

/* the label's text as drawn: runs of white space (tabs, line breaks, line
 * and paragraph separators) become one space; no space at either end */
static char *normalise(chart_ctx *cc, const char *s, size_t *len)
{
    size_t n = strlen(s), o = 0;
    char *out = rg_arena_alloc(cc->scratch, n + 1);
    int space = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t k = 0;
        if (u[0] == ' ' || (u[0] >= 0x09 && u[0] <= 0x0D)) k = 1;
        else if (u[0] == 0xC2 && i + 1 < n && u[1] == 0x85) k = 2;               /* NEL */
        else if (u[0] == 0xE2 && i + 2 < n && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
            k = 3;                                                               /* LS, PS */
        if (k) {
            space = o > 0;
            i += k;
            continue;
        }
        if (space) out[o++] = ' ';
        space = 0;
        out[o++] = s[i++];
    }
    out[o] = 0;
    *len = o;
    return out;
}

static double width_of(chart_ctx *cc, const rg_font *f, const char *s, size_t n)
{
    return rg_text_width(cc->ctx, f, cc->size, cc->lang, s, n);
}

/* s[0, n) shaped as one line (never broken) */
static const rg_line *shape_one(chart_ctx *cc, const rg_font *f, const char *s, size_t n)
{
    rg_para p;
    rg_text_run r = { s, n, f, cc->size, cc->ink, NULL, cc->lang, 0 };
    rg_break_opts o = rg_break_simple(1e6, RG_ALIGN_LEFT);
    rg_text_break(cc->ctx, cc->scratch, &r, 1, &o, &p);
    return p.nlines ? &p.lines[0] : NULL;
}

/* ---- breaking ---- */

/* a line of the label's text from base to end (the source it shows) */
static void add_line(chart_label *l, const rg_line *ln, size_t base, size_t end, int shortened)
{
    if (!ln || l->nlines >= LABEL_MAX_LINES) return;
    l->lines[l->nlines++] = (label_line){ .ln = ln, .base = base, .end = end,
                                          .shortened = shortened };
}

/* cluster boundaries of s[0, n) after its first cluster, ascending */
static size_t boundaries(chart_ctx *cc, const rg_line *ln, size_t n, size_t **out)
{
    size_t cap = 0, m = 0;
    for (size_t i = 0; ln && i < ln->npieces; i++) cap += ln->pieces[i].nglyphs;
    size_t *b = rg_arena_alloc(cc->scratch, (cap + 1) * sizeof *b);
    for (size_t i = 0; ln && i < ln->npieces; i++) {
        const rg_line_piece *pc = &ln->pieces[i];
        for (size_t g = 0; g < pc->nglyphs; g++) {
            size_t at = pc->src + pc->glyphs[g].cluster;
            if (at > 0 && at < n && (m == 0 || at > b[m - 1])) b[m++] = at;
        }
    }
    *out = b;
    return m;
}

/* the longest start of s[0, n), cut at a cluster boundary and ended with
 * "…", no wider than w: its length before the ellipsis, or 0 */
static size_t shortened_length(chart_ctx *cc, const rg_font *f, const char *s, size_t n,
                               double w, char *buf)
{
    size_t *b;
    size_t nb = boundaries(cc, shape_one(cc, f, s, n), n, &b);
    size_t lo = 0, hi = nb, best = 0;          /* b[lo..hi) to try; a fit is monotone */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, k = b[mid];
        while (k > 0 && s[k - 1] == ' ') k--;
        memcpy(buf, s, k);
        memcpy(buf + k, ELLIPSIS, sizeof ELLIPSIS);
        if (k > 0 && width_of(cc, f, buf, k + 3) <= w + EPS) {
            best = k;
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return best;
}

/* the last line: s[start, n) shortened to width w; 0 when not even one
 * cluster and the ellipsis fit */
static int add_shortened(chart_ctx *cc, chart_label *l, size_t start, double w)
{
    const char *s = l->text + start;
    size_t n = l->len - start;
    if (width_of(cc, l->font, s, n) <= w + EPS) {
        add_line(l, shape_one(cc, l->font, s, n), start, l->len, 0);
        return 1;
    }
    char *buf = rg_arena_alloc(cc->scratch, n + sizeof ELLIPSIS);
    size_t k = shortened_length(cc, l->font, s, n, w, buf);
    if (!k) return 0;
    memcpy(buf + k, ELLIPSIS, sizeof ELLIPSIS);
    add_line(l, shape_one(cc, l->font, buf, k + 3), start, start + k, 1);
    l->shortened = 1;
    return 1;
}

/* ---- where a label may break ---- */

typedef enum { AT_SPACE, AT_HARD_HYPHEN, AT_HYPHEN } break_kind;

typedef struct break_point {
    size_t at;                     /* the line ends here (AT_SPACE: before the space) */
    break_kind kind;
} break_point;

/* a figure, amount or date (digits, no letters): never broken */
static int is_figure(const char *s, size_t a, size_t b)
{
    int digits = 0;
    for (size_t i = a; i < b; i++) {
        int lower = s[i] | 32;
        if (lower >= 'a' && lower <= 'z') return 0;
        digits |= s[i] >= '0' && s[i] <= '9';
    }
    return digits;
}

/* does a combining mark start at s[i] (U+0300..U+036F), which stays with
 * the character before it? */
static int combining_at(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    return i + 1 < n && (u[i] == 0xCC || (u[i] == 0xCD && u[i + 1] < 0xB0));
}

/* The places the label's text may break, in order: its spaces, after a
 * hard hyphen inside a word (not in a figure: "2019-2020" stays whole),
 * and with hyphenate the hyphenation points of its words in the chart's
 * language, with the layout's minimums (the text stage's: 6, 2, 3). */
static size_t break_points(chart_ctx *cc, const chart_label *l, int hyphenate,
                           break_point **out)
{
    const char *s = l->text;
    size_t n = l->len, m = 0;
    break_point *bp = rg_arena_alloc(cc->scratch, (n + 1) * sizeof *bp);
    const rg_style *st = cc->st;
    rg_hyphen_opts ho = { st->hyphen_min_word > 0 ? st->hyphen_min_word : 6,
                          st->hyphen_left > 0 ? st->hyphen_left : 2,
                          st->hyphen_right > 0 ? st->hyphen_right : 3 };
    for (size_t ws = 0; ws < n;) {
        size_t we = ws;
        while (we < n && s[we] != ' ') we++;
        size_t pts[32], np = 0;
        if (hyphenate && we - ws <= RG_HYPHEN_MAX_WORD)
            np = rg_hyphenate(cc->ctx, cc->lang, s + ws, we - ws, &ho, pts, 32);
        int figure = is_figure(s, ws, we);
        for (size_t i = ws + 1, p = 0; i < we; i++) {
            while (p < np && ws + pts[p] < i) p++;
            if (s[i - 1] == '-' && i - 1 > ws && !figure && s[i] != '-')
                bp[m++] = (break_point){ i, AT_HARD_HYPHEN };
            else if (p < np && ws + pts[p] == i && !combining_at(s, n, i))
                bp[m++] = (break_point){ i, AT_HYPHEN };
        }
        if (we < n) bp[m++] = (break_point){ we, AT_SPACE };
        ws = we + 1;
    }
    *out = bp;
    return m;
}

/* the width of the hyphen a line of font f ends with when hyphenated; 0
 * when the face has none */
static double hyphen_width(chart_ctx *cc, const rg_font *f)
{
    int32_t adv;
    return rg_text_hyphen_glyph(cc->ctx, f, cc->size, &adv) ? adv * cc->size / rg_font_upem(f)
                                                             : 0;
}

/* the line s[start, end) ended with an inserted hyphen: a piece of its
 * own, the text stage's hyphen glyph for the line's last face, its text
 * U+00AD (the soft hyphen it realises), as the text stage draws one;
 * NULL when that face has no hyphen */
static const rg_line *hyphenated_line(chart_ctx *cc, const chart_label *l, size_t start,
                                      size_t end)
{
    const rg_line *ln = shape_one(cc, l->font, l->text + start, end - start);
    if (!ln || !ln->npieces) return NULL;
    const rg_line_piece *last = &ln->pieces[ln->npieces - 1];
    int32_t adv;
    uint32_t gid = rg_text_hyphen_glyph(cc->ctx, last->font, last->size, &adv);
    if (!gid) return NULL;
    rg_glyph *g = rg_arena_alloc(cc->scratch, sizeof *g);
    *g = (rg_glyph){ gid, 0, adv, 0, 0 };
    rg_line *out = rg_arena_alloc(cc->scratch, sizeof *out);
    *out = *ln;
    out->pieces = rg_arena_alloc(cc->scratch, (ln->npieces + 1) * sizeof *out->pieces);
    memcpy(out->pieces, ln->pieces, ln->npieces * sizeof *out->pieces);
    rg_line_piece *pc = &out->pieces[out->npieces++];
    *pc = (rg_line_piece){ .font = last->font, .size = last->size, .color = last->color,
                           .x = ln->width, .width = adv * last->size / rg_font_upem(last->font),
                           .glyphs = g, .nglyphs = 1, .text = "\xC2\xAD", .text_len = 2,
                           .src = end - start, .flags = RG_RUN_HYPHEN };
    out->width = ln->width + pc->width;
    out->hyphenated = 1;
    return out;
}

/* Gives each inserted hyphen the rest of its word - the next line's
 * first word, up to what that line shows - and marks where that rest
 * starts the next line (RG_RUN_CONTINUES), as the text stage does: text
 * extraction then reads the word whole (dlist/dlist.h). */
static void mark_continuations(chart_label *l)
{
    for (int i = 0; i + 1 < l->nlines; i++) {
        label_line *a = &l->lines[i], *b = &l->lines[i + 1];
        if (!a->ln->hyphenated || !b->ln->npieces) continue;
        size_t e = b->base;
        while (e < b->end && l->text[e] != ' ') e++;
        size_t len = e - b->base;
        if (len > b->ln->pieces[0].text_len) len = b->ln->pieces[0].text_len;
        if (!len) continue;
        rg_line *la = (rg_line *)a->ln, *lb = (rg_line *)b->ln;   /* ours, in scratch */
        rg_line_piece *hy = &la->pieces[la->npieces - 1];
        hy->rest = l->text + b->base;
        hy->rest_len = len;
        lb->pieces[0].flags |= RG_RUN_CONTINUES;
        lb->pieces[0].cont_len = len;
    }
}

/* Greedy: each line takes the most that fits w up to a break point (a
 * hyphenation point counts the hyphen's width; with first_word only in
 * the word the line starts with, so that a word that fits a line of its
 * own goes there whole: "Logius" / "Routerings-", not "Logius Rou-");
 * the line that would be line maxlines, or one where nothing fits up to a
 * break point, takes the rest - shortened when shorten, else the label
 * does not fit (0). */
static int break_greedy(chart_ctx *cc, chart_label *l, double w, int maxlines,
                        const break_point *bp, size_t nbp, int first_word, int shorten)
{
    const char *s = l->text;
    size_t pos = 0, n = l->len, k = 0;
    double hyw = hyphen_width(cc, l->font);
    while (pos < n) {
        if (width_of(cc, l->font, s + pos, n - pos) <= w + EPS) {
            add_line(l, shape_one(cc, l->font, s + pos, n - pos), pos, n, 0);
            break;
        }
        size_t best = nbp, end = pos;
        if (l->nlines < maxlines - 1) {
            while (k < nbp && bp[k].at <= pos) k++;
            int spaced = 0;                        /* a space break lies before bp[j] */
            for (size_t j = k; j < nbp; j++) {
                double tw = width_of(cc, l->font, s + pos, bp[j].at - pos);
                if (tw > w + EPS) break;           /* and so all after it */
                spaced |= bp[j].kind == AT_SPACE;
                if (bp[j].kind == AT_HYPHEN && (tw + hyw > w + EPS || (first_word && spaced)))
                    continue;
                best = j;
                end = bp[j].at;
            }
        }
        const rg_line *ln = best == nbp ? NULL
                            : bp[best].kind == AT_HYPHEN ? hyphenated_line(cc, l, pos, end)
                                                         : shape_one(cc, l->font, s + pos, end - pos);
        if (!ln) {
            if (!shorten || !add_shortened(cc, l, pos, w)) return 0;
            break;
        }
        add_line(l, ln, pos, end, 0);
        pos = end;
        while (pos < n && s[pos] == ' ') pos++;
    }
    mark_continuations(l);
    return l->nlines > 0;
}

/* lines of the label at width w, at most maxlines; 0 when it cannot fit
 * (whole: wider than w; else not even one cluster and "…") */
static int break_label(chart_ctx *cc, chart_label *l, double w, int maxlines, int whole)
{
    double full, word;
    l->nlines = 0;
    l->shortened = 0;
    rg_text_measure(cc->ctx, l->font, cc->size, cc->lang, l->text, l->len, &full, &word);
    if (full <= w + EPS) {
        add_line(l, shape_one(cc, l->font, l->text, l->len), 0, l->len, 0);
        return l->nlines > 0;
    }
    if (whole || w <= 0) return 0;
    if (maxlines > 1 && word <= w + EPS) {
        /* the text stage's lines, as the chart always had them */
        rg_para p;
        rg_text_run r = { l->text, l->len, l->font, cc->size, cc->ink, NULL, cc->lang, 0 };
        rg_break_opts o = rg_break_simple(w, RG_ALIGN_LEFT);
        rg_text_break(cc->ctx, cc->scratch, &r, 1, &o, &p);
        if (p.nlines <= (size_t)maxlines) {
            for (size_t i = 0; i < p.nlines; i++) add_line(l, &p.lines[i], 0, l->len, 0);
            return l->nlines > 0;
        }
    }
    if (maxlines == 1) return add_shortened(cc, l, 0, w);
    /* at spaces and hard hyphens; else with the words that start a line
     * hyphenated; else any; else shortened */
    break_point *bp;
    size_t nbp = break_points(cc, l, 0, &bp);
    l->nlines = 0;
    if (break_greedy(cc, l, w, maxlines, bp, nbp, 0, 0)) return 1;
    nbp = break_points(cc, l, 1, &bp);
    for (int first_word = 1; first_word >= 0; first_word--) {
        l->nlines = 0;
        if (break_greedy(cc, l, w, maxlines, bp, nbp, first_word, 0)) return 1;
    }
    l->nlines = 0;
    l->shortened = 0;
    return break_greedy(cc, l, w, maxlines, bp, nbp, 0, 1);
}

int chart_label_measure(chart_ctx *cc, const rg_font *f, const char *s, double width,
                        int maxlines, int *shortened, double *widest)
{
    chart_label l;
    memset(&l, 0, sizeof l);
    l.font = f;
    l.text = normalise(cc, s, &l.len);
    if (shortened) *shortened = 0;
    if (widest) *widest = 0;
    if (!l.len) return 0;
    if (maxlines > LABEL_MAX_LINES) maxlines = LABEL_MAX_LINES;
    if (!break_label(cc, &l, width > 1 ? width : 1, maxlines < 1 ? 1 : maxlines, 0)) {
        if (shortened) *shortened = 1;            /* not even "…" fits */
        return l.nlines;
    }
    if (shortened) *shortened = l.shortened;
    for (int i = 0; widest && i < l.nlines; i++) *widest = fmax(*widest, l.lines[i].ln->width);
    return l.nlines;
}

int chart_label_lines(chart_ctx *cc, const rg_font *f, const char *s, double width,
                      int maxlines)
{
    return chart_label_measure(cc, f, s, width, maxlines, NULL, NULL);
}

/* ---- geometry ---- */

static chart_room clip(chart_room r, chart_room by)
{
    return (chart_room){ fmax(r.x0, by.x0), fmax(r.y0, by.y0), fmin(r.x1, by.x1),
                         fmin(r.y1, by.y1) };
}

static void grow(chart_room *r, const chart_room *by, int *has)
{
    if (!*has) {
        *r = *by;
        *has = 1;
        return;
    }
    r->x0 = fmin(r->x0, by->x0);
    r->y0 = fmin(r->y0, by->y0);
    r->x1 = fmax(r->x1, by->x1);
    r->y1 = fmax(r->y1, by->y1);
}

/* the ink of line ln drawn with its pen at (x, y); 0 when it has none */
static int line_ink(const rg_line *ln, double x, double y, chart_room *out)
{
    int has = 0;
    for (size_t i = 0; i < ln->npieces; i++) {
        const rg_line_piece *pc = &ln->pieces[i];
        double scale = pc->size / rg_font_upem(pc->font), pen = x + pc->x;
        for (size_t g = 0; g < pc->nglyphs; g++) {
            const rg_glyph *gl = &pc->glyphs[g];
            int32_t b[4];
            if (rg_font_glyph_ink(pc->font, gl->gid, b)) {
                double ox = pen + gl->x_offset * scale, oy = y + gl->y_offset * scale;
                chart_room r = { ox + b[0] * scale, oy + b[1] * scale, ox + b[2] * scale,
                                 oy + b[3] * scale };
                grow(out, &r, &has);
            }
            pen += gl->x_advance * scale;
        }
    }
    return has;
}

void chart_label_ink_height(chart_ctx *cc, const rg_font *f, const char *s, double *asc,
                            double *desc)
{
    size_t n;
    const char *t = normalise(cc, s, &n);
    const rg_line *ln = n ? shape_one(cc, f, t, n) : NULL;
    chart_room r;
    if (!ln || !line_ink(ln, 0, 0, &r)) return;
    *asc = fmax(*asc, r.y1);
    *desc = fmax(*desc, -r.y0);
}

static void shift(chart_label *l, double dx, double dy);

static chart_ink upright(chart_room r)
{
    chart_ink k = { .box = r };
    return k;
}

/* the corners of r (in the label's own frame, about its origin) turned
 * by the angle whose cosine and sine are c, s and moved to (x, y) */
static chart_ink turn(chart_room r, double c, double s, double x, double y)
{
    chart_ink k = { .turned = 1 };
    double px[4] = { r.x0, r.x1, r.x1, r.x0 }, py[4] = { r.y0, r.y0, r.y1, r.y1 };
    for (int i = 0; i < 4; i++) {
        k.qx[i] = x + px[i] * c - py[i] * s;
        k.qy[i] = y + px[i] * s + py[i] * c;
        chart_room pt = { k.qx[i], k.qy[i], k.qx[i], k.qy[i] };
        int has = i > 0;
        grow(&k.box, &pt, &has);
    }
    return k;
}

/* Places the lines of a turned label: flush right on its own frame's
 * origin, the middle of their ends turned about it and set at (sp->x,
 * 0), then moved down to have the top of their ink at sp->y. */
static void place_turned(chart_ctx *cc, chart_label *l, const label_spec *sp)
{
    double a = sp->angle * CHART_RADIANS, c = cos(a), s = sin(a);
    /* the middle of the lines' ends, between the first's cap height and
     * the last's baseline, is the turning point */
    double mid = (cc->cap - (double)(l->nlines - 1) * cc->lead) / 2;
    double ox = sp->x + mid * s, oy = -mid * c;           /* the frame's origin, turned */
    for (int i = 0; i < l->nlines; i++) {
        label_line *ln = &l->lines[i];
        double lx = -ln->ln->width, ly = -(double)i * cc->lead;
        ln->x = ox + lx * c - ly * s;
        ln->y = oy + lx * s + ly * c;
        chart_room r;
        ln->has_ink = line_ink(ln->ln, lx, ly, &r);
        if (ln->has_ink) {
            ln->ink = turn(r, c, s, ox, oy);
            grow(&l->ink, &ln->ink.box, &l->has_ink);
        }
    }
}

/* places the lines as asked and measures their ink */
static void place(chart_ctx *cc, chart_label *l, const label_spec *sp)
{
    l->has_ink = 0;
    if (sp->angle != 0) {
        place_turned(cc, l, sp);
        if (l->has_ink) shift(l, 0, sp->y - l->ink.y1);
        return;
    }
    for (int i = 0; i < l->nlines; i++) {
        label_line *ln = &l->lines[i];
        ln->x = sp->x + (sp->span - ln->ln->width) * (double)sp->anchor / 2;
        ln->y = sp->y - (double)i * cc->lead;
        chart_room r;
        ln->has_ink = line_ink(ln->ln, ln->x, ln->y, &r);
        if (ln->has_ink) {
            ln->ink = upright(r);
            grow(&l->ink, &r, &l->has_ink);
        }
    }
}

static void shift_room(chart_room *r, double dx, double dy)
{
    r->x0 += dx;
    r->x1 += dx;
    r->y0 += dy;
    r->y1 += dy;
}

static void shift(chart_label *l, double dx, double dy)
{
    for (int i = 0; i < l->nlines; i++) {
        label_line *ln = &l->lines[i];
        ln->x += dx;
        ln->y += dy;
        shift_room(&ln->ink.box, dx, dy);
        for (int k = 0; ln->ink.turned && k < 4; k++) {
            ln->ink.qx[k] += dx;
            ln->ink.qy[k] += dy;
        }
    }
    shift_room(&l->ink, dx, dy);
}

/* moves the ink into the room where it stands out (fixed: only sees that
 * it does not); 0 when it does not fit */
static int settle(chart_ctx *cc, chart_label *l, int fixed)
{
    const chart_room *r = &l->room;
    double side = SIDE_OVERHANG * cc->size, dx = 0, dy = 0;
    if (!l->has_ink) return 1;
    if (l->ink.y1 - l->ink.y0 > r->y1 - r->y0 + 2 * VERTICAL_SLACK) return 0;
    if (l->ink.x1 - l->ink.x0 > r->x1 - r->x0 + 2 * side) return 0;
    if (l->ink.y1 > r->y1 + VERTICAL_SLACK) dy = r->y1 - l->ink.y1;
    else if (l->ink.y0 < r->y0 - VERTICAL_SLACK) dy = r->y0 - l->ink.y0;
    if (l->ink.x1 > r->x1 + side) dx = r->x1 + side - l->ink.x1;
    else if (l->ink.x0 < r->x0 - side) dx = r->x0 - side - l->ink.x0;
    if (dx != 0 || dy != 0) {
        if (fixed) return 0;
        shift(l, dx, dy);
    }
    return 1;
}

/* A turned label: broken to width w, narrower while its turned ink
 * stands out of its room on the left or at the bottom (by as much as it
 * does, along the slope), in fewer lines where it stands out on the
 * right (its lines' ends are fixed: fewer lines, thinner), shortened
 * last; never moved. */
static int fit_turned(chart_ctx *cc, chart_label *l, const label_spec *sp, double w,
                      int maxlines)
{
    const chart_room *r = &l->room;
    double slope = fmax(fabs(sin(sp->angle * CHART_RADIANS)), 0.1);
    for (int tries = 0; tries < 12 && w > 0; tries++) {
        if (!break_label(cc, l, w, maxlines, sp->whole)) return 0;
        place(cc, l, sp);
        if (!l->has_ink) break;
        double out = fmax(r->x0 - l->ink.x0, r->y0 - l->ink.y0);
        double right = l->ink.x1 - r->x1, top = l->ink.y1 - r->y1;
        if (out <= VERTICAL_SLACK && right <= VERTICAL_SLACK && top <= VERTICAL_SLACK) {
            l->ok = 1;
            return 1;
        }
        if (sp->whole || top > VERTICAL_SLACK) return 0;
        if (right > VERTICAL_SLACK) {
            if (l->nlines <= 1) return 0;
            maxlines = l->nlines - 1;
            continue;
        }
        double widest = 0;                     /* narrower than it is, not than asked */
        for (int i = 0; i < l->nlines; i++) widest = fmax(widest, l->lines[i].ln->width);
        w = fmin(w, widest) - out / slope - 0.01;
    }
    l->ok = l->nlines > 0 && !l->has_ink;
    return l->ok;
}

int chart_label_fit(chart_ctx *cc, chart_label *l, const label_spec *sp)
{
    memset(l, 0, sizeof *l);
    l->kind = sp->kind;
    l->font = sp->font;
    l->color = sp->color;
    l->text = normalise(cc, sp->text ? sp->text : "", &l->len);
    l->room = clip(sp->room, cc->box);
    double v[4] = { l->room.x0, l->room.y0, l->room.x1, l->room.y1 };
    if (!l->len || !chart_finite(v, 4) || !isfinite(sp->x) || !isfinite(sp->y) ||
        !isfinite(sp->span) || l->room.x1 <= l->room.x0 || l->room.y1 <= l->room.y0)
        return 0;
    double roomw = l->room.x1 - l->room.x0;
    double w = sp->width > 0 && (sp->width < roomw || sp->angle != 0) ? sp->width : roomw;
    int maxlines = sp->maxlines < 1 ? 1 : sp->maxlines > LABEL_MAX_LINES ? LABEL_MAX_LINES
                                                                         : sp->maxlines;
    l->angle = sp->angle;
    if (sp->angle != 0) return fit_turned(cc, l, sp, w, maxlines);
    for (int tries = 0; maxlines >= 1 && tries < 8; tries++) {
        if (!break_label(cc, l, w, maxlines, sp->whole)) return 0;
        place(cc, l, sp);
        if (!l->has_ink) break;
        double side = SIDE_OVERHANG * cc->size;
        double over = l->ink.x1 - l->ink.x0 - (roomw + 2 * side);
        if (over > 0) {                        /* ink wider than its advances */
            if (sp->whole) return 0;
            w -= over + 0.01;
            continue;
        }
        if (l->ink.y1 - l->ink.y0 > l->room.y1 - l->room.y0 + 2 * VERTICAL_SLACK) {
            maxlines = l->nlines - 1;          /* too tall: a line fewer */
            continue;
        }
        if (!settle(cc, l, sp->fixed)) return 0;
        l->ok = 1;
        return 1;
    }
    l->ok = l->nlines > 0 && !l->has_ink;      /* spaces only: nothing to see */
    return l->ok;
}

/* ---- the labels drawn so far ---- */

static int boxes_clash(const chart_room *a, const chart_room *b)
{
    return fmin(a->x1, b->x1) - fmax(a->x0, b->x0) > CLASH &&
           fmin(a->y1, b->y1) - fmax(a->y0, b->y0) > CLASH;
}

static void corners(const chart_ink *k, double *x, double *y)
{
    if (k->turned) {
        memcpy(x, k->qx, sizeof k->qx);
        memcpy(y, k->qy, sizeof k->qy);
        return;
    }
    const chart_room *b = &k->box;
    double bx[4] = { b->x0, b->x1, b->x1, b->x0 }, by[4] = { b->y0, b->y0, b->y1, b->y1 };
    memcpy(x, bx, sizeof bx);
    memcpy(y, by, sizeof by);
}

/* Inks clash where they overlap by more than CLASH: upright ones by their
 * boxes, a turned one by its turned box (separating axes: the normals of
 * both boxes' edges), as the layout checker sees them. */
static int clash(const chart_ink *a, const chart_ink *b)
{
    if (!boxes_clash(&a->box, &b->box)) return 0;
    if (!a->turned && !b->turned) return 1;
    double ax[4], ay[4], bx[4], by[4];
    corners(a, ax, ay);
    corners(b, bx, by);
    for (int e = 0; e < 4; e++) {
        const double *ex = e < 2 ? ax : bx, *ey = e < 2 ? ay : by;
        int i = e % 2;
        double nx = ey[i] - ey[i + 1], ny = ex[i + 1] - ex[i], len = hypot(nx, ny);
        if (len <= 0) continue;
        double a0 = INFINITY, a1 = -INFINITY, b0 = INFINITY, b1 = -INFINITY;
        for (int k = 0; k < 4; k++) {
            double pa = (ax[k] * nx + ay[k] * ny) / len, pb = (bx[k] * nx + by[k] * ny) / len;
            a0 = fmin(a0, pa);
            a1 = fmax(a1, pa);
            b0 = fmin(b0, pb);
            b1 = fmax(b1, pb);
        }
        if (fmin(a1, b1) - fmax(a0, b0) <= CLASH) return 0;   /* a separating axis */
    }
    return 1;
}

int chart_label_clashes(const chart_label *a, const chart_label *b)
{
    if (!a->has_ink || !b->has_ink || !boxes_clash(&a->ink, &b->ink)) return 0;
    for (int i = 0; i < a->nlines; i++)
        for (int k = 0; k < b->nlines; k++)
            if (a->lines[i].has_ink && b->lines[k].has_ink &&
                clash(&a->lines[i].ink, &b->lines[k].ink))
                return 1;
    return 0;
}

int chart_label_free(const chart_ctx *cc, const chart_label *l)
{
    if (!l->has_ink) return 1;
    for (size_t i = 0; i < cc->nplaced; i++)
        if (boxes_clash(&cc->placed[i].box, &l->ink))
            for (int k = 0; k < l->nlines; k++)
                if (l->lines[k].has_ink && clash(&cc->placed[i], &l->lines[k].ink)) return 0;
    return 1;
}

/* Does line ln of label l end (with its last piece pc) where the label's
 * text has a space, or at the label's end? Then readers need a word
 * separator after it (RG_RUN_SPACE_AFTER): "Logius Routerings-" / "voor-
 * ziening" reads "Logius Routeringsvoorziening", and the next label in
 * the Figure does not run on into this one. Not after a hyphen, a hard
 * break or an ellipsis: the word goes on, or the text was cut. */
static int ends_at_space(const chart_label *l, const label_line *ln, const rg_line_piece *pc)
{
    if (ln->shortened || (pc->flags & (RG_RUN_HYPHEN | RG_RUN_HARD_BREAK))) return 0;
    size_t end = ln->base + pc->src + pc->text_len;
    return end >= l->len || l->text[end] == ' ';
}

void chart_label_draw(chart_ctx *cc, const chart_label *l)
{
    if (!l->ok) return;
    rg_dl *dl = cc->dl;
    int line = cc->ctx->at_line;
    int para = rg_dl_para_add(dl, l->text, l->len, line, 0);
    rg_dl_box_open(dl, cc->page, RG_BOX_LABEL, l->room.x0, l->room.y0, l->room.x1, l->room.y1,
                   line);
    double a = l->angle * CHART_RADIANS, c = cos(a), s = sin(a);
    for (int i = 0; i < l->nlines; i++) {
        const label_line *ln = &l->lines[i];
        for (size_t k = 0; k < ln->ln->npieces; k++) {
            const rg_line_piece *pc = &ln->ln->pieces[k];
            unsigned flags = pc->flags & (RG_RUN_HYPHEN | RG_RUN_HARD_BREAK | RG_RUN_CONTINUES);
            if (ln->shortened && k + 1 == ln->ln->npieces) flags |= RG_RUN_SHORTENED;
            if (k + 1 == ln->ln->npieces && ends_at_space(l, ln, pc)) flags |= RG_RUN_SPACE_AFTER;
            rg_dl_source(dl, para, ln->base + pc->src, flags);
            if (pc->rest || (flags & RG_RUN_CONTINUES))
                rg_dl_source_word(dl, pc->rest, pc->rest_len, pc->cont_len);
            if (l->angle != 0) rg_dl_rotate_next(dl, l->angle);
            rg_dl_glyph_run(dl, cc->page, pc->font, pc->size, l->color,
                            l->angle != 0 ? ln->x + pc->x * c : ln->x + pc->x,
                            l->angle != 0 ? ln->y + pc->x * s : ln->y, pc->glyphs, pc->nglyphs,
                            pc->text, pc->text_len);
        }
        if (ln->has_ink) {
            rg_grow(&cc->placed, &cc->placed_cap, cc->nplaced + 1, sizeof *cc->placed);
            cc->placed[cc->nplaced++] = ln->ink;
        }
    }
    rg_dl_box_close(dl);
    if (l->shortened) {
        if (!cc->nshort_all) {
            const label_line *last = &l->lines[l->nlines - 1];
            size_t n = 0;
            for (size_t k = 0; k < last->ln->npieces; k++) n += last->ln->pieces[k].text_len;
            char *t = rg_arena_alloc(cc->scratch, n + 1);
            for (size_t k = 0, o = 0; k < last->ln->npieces; k++) {
                memcpy(t + o, last->ln->pieces[k].text, last->ln->pieces[k].text_len);
                o += last->ln->pieces[k].text_len;
            }
            cc->first_short = t;
        }
        cc->nshort[l->kind]++;
        cc->nshort_all++;
    }
}

void chart_label_left_out(chart_ctx *cc, label_kind k)
{
    cc->nleft[k]++;
}

int chart_label_put(chart_ctx *cc, const label_spec *sp)
{
    chart_label l;
    if (chart_label_fit(cc, &l, sp) && chart_label_free(cc, &l)) {
        chart_label_draw(cc, &l);
        return 1;
    }
    if (l.len) chart_label_left_out(cc, sp->kind);
    return 0;
}

/* ---- the warning ---- */

static const char *const KIND_ONE[LABEL_NKINDS] = {
    "title", "category label", "value label", "tick label", "legend entry", "slice label",
    "label"
};
static const char *const KIND_MANY[LABEL_NKINDS] = {
    "titles", "category labels", "value labels", "tick labels", "legend entries",
    "slice labels", "labels"
};

/* "7 category labels and 2 legend entries" */
static size_t list_counts(char *out, size_t cap, const size_t *count)
{
    size_t o = 0, nk = 0, done = 0;
    for (int k = 0; k < LABEL_NKINDS; k++) nk += count[k] > 0;
    for (int k = 0; k < LABEL_NKINDS && o < cap; k++) {
        if (!count[k]) continue;
        done++;
        const char *sep = done == 1 ? "" : done == nk ? " and " : ", ";
        o += (size_t)snprintf(out + o, cap - o, "%s%zu %s", sep, count[k],
                              count[k] == 1 ? KIND_ONE[k] : KIND_MANY[k]);
    }
    return o < cap ? o : cap - 1;
}

static const char *ordinal_suffix(size_t n)
{
    if (n % 100 >= 11 && n % 100 <= 13) return "th";
    return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

void rg_chart_name(const rg_chart *c, char *out, size_t cap)
{
    if (c->id && *c->id) {
        snprintf(out, cap, "chart '%s'", c->id);
    } else if (c->title && *c->title) {
        size_t n = strlen(c->title), k = rg_utf8_prefix(c->title, n, 60);
        snprintf(out, cap, "chart \"%.*s%s\"", (int)k, c->title, k < n ? ELLIPSIS : "");
    } else {
        snprintf(out, cap, "chart");
    }
}

void chart_labels_report(chart_ctx *cc)
{
    size_t left = 0;
    for (int k = 0; k < LABEL_NKINDS; k++) left += cc->nleft[k];
    if (!cc->nshort_all && !left && cc->cat_every <= 1) return;
    char name[120], what[1200];
    rg_chart_name(cc->c, name, sizeof name);
    size_t o = 0;
    if (cc->nshort_all) {
        o += list_counts(what + o, sizeof what - o, cc->nshort);
        /* the first one as drawn: one line, so never long */
        o += (size_t)snprintf(what + o, sizeof what - o, " shortened to fit: \"%s\"",
                              cc->first_short ? cc->first_short : "");
    }
    if (left && o < sizeof what) {
        if (o) o += (size_t)snprintf(what + o, sizeof what - o, "; ");
        if (o < sizeof what) o += list_counts(what + o, sizeof what - o, cc->nleft);
        if (o < sizeof what)
            o += (size_t)snprintf(what + o, sizeof what - o, " left out: no room");
    }
    if (cc->cat_every > 1 && o < sizeof what) {
        if (o) o += (size_t)snprintf(what + o, sizeof what - o, "; ");
        if (o < sizeof what)
            snprintf(what + o, sizeof what - o,
                     "too many categories for their labels: only every %zu%s of %zu labelled",
                     cc->cat_every, ordinal_suffix(cc->cat_every), cc->ncat);
    }
    rg_diag(cc->ctx, RG_SEV_WARNING, NULL, 0, 0, "%s: %s", name, what);
}
