/* layout/figure.c - captions and charts in the layout stage. A caption is
 * "Tabel 1 " or "Figuur 2 " (strong) followed by the caption's inline
 * text; a chart is an unbreakable block kept together with its caption
 * below it. The chart itself is drawn by the chart stage. */
#include "chart/chart.h"
#include "internal.h"

#include <stdint.h>
#include <string.h>

enum { CHART_MIN_HEIGHT = 72 };   /* points: a chart is not squeezed below this */

void lay_caption_para(lay *L, const captioned *cap, double width, rg_para *out)
{
    const rg_inlines *text = &cap->block->text;
    rg_inlines in;
    in.n = text->n + 1;
    in.spans = rg_arena_alloc(L->arena, in.n * sizeof *in.spans);
    size_t n = strlen(cap->label);
    char *label = rg_arena_alloc(L->arena, n + 2);
    memcpy(label, cap->label, n);
    label[n] = ' ';
    in.spans[0] = (rg_span){ label, n + (text->n ? 1 : 0), RG_SPAN_STRONG, NULL, NULL, NULL, 0, NULL };
    for (size_t i = 0; i < text->n; i++) in.spans[i + 1] = text->spans[i];
    if (n == 0) {                  /* <captions numbered="false"> (issue 17): no label */
        in.spans++;
        in.n--;
    }
    const rg_role *r = lay_role(L, RG_ROLE_CAPTION);
    lay_break_inlines(L, &in, r, width, RG_ALIGN_LEFT, out);
}

static int has_digit(const char *s)
{
    for (; s && *s; s++)
        if (*s >= '0' && *s <= '9') return 1;
    return 0;
}

/* Records a chart's /Alt lists one by one; of more, it gives the
 * extremes (a screen reader reading hundreds of values helps nobody, and
 * a PDF string holds 64 KiB). */
enum { ALT_LIST_MAX = 60 };

/* Field `field` of record r as the chart shows it. */
static void chart_value(lay *L, const rg_chart *c, size_t r, int field, char *out, size_t cap)
{
    const rg_dataset *d = c->data;
    int series = field != c->category;
    rg_format_value(L->loc, &d->fields[field], &d->values[r * d->nfields + (size_t)field], -1,
                    series ? L->st->negative_parentheses : 0, out, cap);
}

/* The fields a chart draws, in legend order: its series, then its lines
 * (series= and lines= together name at most RG_MAX_SERIES). */
static size_t drawn_fields(const rg_chart *c, int out[RG_MAX_SERIES])
{
    size_t n = 0;
    for (size_t s = 0; s < c->nseries && n < RG_MAX_SERIES; s++) out[n++] = c->series[s];
    for (size_t s = 0; s < c->nlines && n < RG_MAX_SERIES; s++) out[n++] = c->lines[s];
    return n;
}

/* "DigiD: 99,62 %; ...": every record's category and values. */
static size_t list_records(lay *L, const rg_chart *c, char *out, size_t cap)
{
    int fields[RG_MAX_SERIES];
    size_t nf = drawn_fields(c, fields), o = 0;
    for (size_t r = 0; r < c->data->nrecords && o < cap; r++) {
        char label[256], v[128];
        chart_value(L, c, r, c->category, label, sizeof label);
        o += (size_t)snprintf(out + o, cap - o, "%s%s:", r ? "; " : "", label);
        for (size_t s = 0; s < nf; s++) {
            const rg_field *f = &c->data->fields[fields[s]];
            chart_value(L, c, r, fields[s], v, sizeof v);
            o += (size_t)snprintf(out + o, cap - o, "%s%s%s %s", s ? "," : "",
                                  nf > 1 ? " " : "", nf > 1 ? f->label : "", v);
        }
    }
    return o;
}

/* "246 categorieën, van A tot B; X: laagste v (cat), hoogste v (cat)":
 * the extent of many records and each series' extremes. */
static size_t summarise_records(lay *L, const rg_chart *c, char *out, size_t cap)
{
    const rg_dataset *d = c->data;
    char first[256], last[256], lo[128], hi[128], lo_cat[256], hi_cat[256];
    chart_value(L, c, 0, c->category, first, sizeof first);
    chart_value(L, c, d->nrecords - 1, c->category, last, sizeof last);
    size_t o = (size_t)snprintf(out, cap, "%zu categorie\xc3\xabn, van %s tot %s", d->nrecords,
                                first, last);
    int fields[RG_MAX_SERIES];
    size_t nf = drawn_fields(c, fields);
    for (size_t s = 0; s < nf && o < cap; s++) {
        int f = fields[s];
        size_t min = SIZE_MAX, max = SIZE_MAX;
        for (size_t r = 0; r < d->nrecords; r++) {
            const rg_value *v = &d->values[r * d->nfields + (size_t)f];
            if (v->missing) continue;
            if (min == SIZE_MAX || v->num < d->values[min * d->nfields + (size_t)f].num) min = r;
            if (max == SIZE_MAX || v->num > d->values[max * d->nfields + (size_t)f].num) max = r;
        }
        if (min == SIZE_MAX) continue;
        chart_value(L, c, min, f, lo, sizeof lo);
        chart_value(L, c, max, f, hi, sizeof hi);
        chart_value(L, c, min, c->category, lo_cat, sizeof lo_cat);
        chart_value(L, c, max, c->category, hi_cat, sizeof hi_cat);
        o += (size_t)snprintf(out + o, cap - o, "; %s%slaagste %s (%s), hoogste %s (%s)",
                              nf > 1 ? d->fields[f].label : "",
                              nf > 1 ? ": " : "", lo, lo_cat, hi, hi_cat);
    }
    return o;
}

/* The chart's data in words, for a text alternative that does not give
 * the numbers itself: every record, or of many the extremes (a warning). */
static char *data_description(lay *L, const rg_chart *c)
{
    const rg_dataset *d = c->data;
    int fields[RG_MAX_SERIES];
    size_t nf = drawn_fields(c, fields);
    size_t listed = d->nrecords <= ALT_LIST_MAX ? d->nrecords : 0, labels = 0;
    for (size_t s = 0; s < nf; s++) labels += strlen(d->fields[fields[s]].label);
    /* the most each part can take: a category 256 bytes, a value 128 */
    size_t cap = 600 + (listed ? listed * (260 + labels + nf * 132)
                               : labels + nf * (2 * 128 + 2 * 256 + 40)),
           o = 0;
    char *out = rg_arena_alloc(L->arena, cap);
    o += (size_t)snprintf(out, cap, "Gegevens: ");
    if (listed) {
        o += list_records(L, c, out + o, cap - o);
    } else {
        o += summarise_records(L, c, out + o, cap - o);
        char name[120];
        rg_chart_name(c, name, sizeof name);
        rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "%s: its text alternative gives the extremes of its %zu categories, not every "
                "value (more than %d); a table of the data, or alt= with the numbers, gives "
                "them all",
                name, d->nrecords, ALT_LIST_MAX);
    }
    snprintf(out + o, cap - o, ".");
    return out;
}

/* The Figure's /Alt: the author's text alternative, and the data in words
 * when it gives no numbers, so that a screen-reader user gets them. */
static const char *figure_alt(lay *L, const rg_chart *c)
{
    const char *alt = c->alt ? c->alt : "";
    if (has_digit(alt) || !c->data || !c->data->nrecords) return alt;
    const char *data = data_description(L, c);
    size_t n = strlen(alt) + strlen(data) + 2;
    char *both = rg_arena_alloc(L->arena, n);
    snprintf(both, n, "%s%s%s", alt, *alt ? " " : "", data);
    return both;
}

/* The chart's caption (cp) and what it takes besides the chart: the space
 * before the block, the caption's space and lines. */
static double chart_parts(lay *L, const rg_block *b, double width, rg_para *cp)
{
    const captioned *cap = lay_caption_of(L, b);
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    *cp = (rg_para){ NULL, 0, NULL, 0 };
    if (cap) lay_caption_para(L, cap, width, cp);
    return L->st->paragraph_gap + cr->space_before + cp->nlines * cr->leading;
}

/* The chart's height: as given, but no taller than a page leaves room for
 * (a chart is never split, and one taller than a page would run off it). */
static double chart_height(lay *L, const rg_block *b, double width, double parts)
{
    double h = rg_chart_height(b->chart, L->st, width);
    double most = L->top - L->bottom - parts;
    return h > most && most > 0 ? most : h;
}

void lay_figure_below(lay *L, const captioned *cap, const rg_para *cp, double h, double x,
                      double width)
{
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    L->y -= h;
    L->at_top = 0;
    if (cap) {
        L->y -= cr->space_before;
        lay_open(L, "Caption");
        lay_place_lines(L, cp, x, width, cr, RG_ALIGN_LEFT);
        lay_close(L);
    }
    L->y -= cr->space_after;
}

double lay_chart_need(lay *L, const rg_block *b, double width)
{
    rg_para cp;
    double parts = chart_parts(L, b, width, &cp);
    return parts + chart_height(L, b, width, parts);
}

void lay_place_chart(lay *L, const rg_block *b, double x, double width)
{
    captioned *cap = lay_caption_of(L, b);
    rg_para cp;
    double parts = chart_parts(L, b, width, &cp);
    double given = rg_chart_height(b->chart, L->st, width);
    double h = chart_height(L, b, width, parts);
    lay_ensure_page(L);
    if (!L->at_top && lay_room(L) + LAY_EPS < h + parts) {
        /* below its heading at a page's top (where the heading's look-ahead
         * put it) the chart takes the room there is: moving on would leave
         * the heading alone */
        double here = lay_room(L) - parts;
        if (L->head_top && here >= CHART_MIN_HEIGHT) h = here;
        else lay_new_page(L, 1);
    }
    if (h < given - LAY_EPS)
        rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "a chart %.0f pt high does not fit on the page: drawn %.0f pt high", given, h);
    lay_vspace(L, L->st->paragraph_gap);
    if (cap) {
        rg_dl_dest_add(L->dl, (size_t)L->page, cap->dest, L->y);
        cap->page = (int)L->page;
    }
    const char *lang = b->lang ? b->lang : L->doc->lang;
    /* the chart is a Figure: its text alternative stands for its content */
    int fig = lay_open(L, "Figure");
    rg_dl_elem_set_alt(L->dl, fig, figure_alt(L, b->chart));
    rg_dl_elem_set_bbox(L->dl, fig, (size_t)L->page, x, L->y - h, x + width, L->y);
    if (b->lang) rg_dl_elem_set_lang(L->dl, fig, b->lang);
    lay_box_open(L, RG_BOX_CHART, x, L->y - h, x + width, L->y);
    rg_status st = rg_chart_draw(L->ctx, L->dl, (size_t)L->page, b->chart, L->st, L->loc, lang,
                                 x, L->y, width, h);
    lay_box_close(L);
    lay_close(L);
    if (st != RG_OK) {
        L->status = st;
        return;
    }
    lay_figure_below(L, cap, &cp, h, x, width);
}
