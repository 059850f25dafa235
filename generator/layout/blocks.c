/* layout/blocks.c - text blocks (issue 17, blocks): definition lists
 * (<definitions>: a two-column hanging list, tagged L/LI/Lbl/LBody), the
 * framed box (<box>, "kader": a Div with a rule frame, moved whole to the
 * next page when it fits on one, else split with the frame open at the
 * break), a quote's attribution ("— Naam, functie", a P in the
 * BlockQuote) and the Span with /Lang of an inline language change
 * (<span xml:lang>, or xml:lang on any inline element). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The term column of a definition list is as wide as its widest term, at
 * most this share of the list's width. */
#define DEF_TERM_MAX_SHARE (1.0 / 3.0)
/* The frame of a box: line width; the padding inside is the body size. */
#define BOX_RULE_WIDTH 0.75
/* block_need of a block a box cannot tell the height of: more than a page */
#define KEEP_FORCE_BLOCKS 1e9

/* The role terms and box titles are set in: the body's, bold, ragged. */
static rg_role strong_role(const lay *L, int accent)
{
    rg_role r = *lay_role(L, RG_ROLE_BODY);
    r.bold = 1;
    r.align = RG_ALIGN_LEFT;
    if (accent) r.color = L->st->accent;
    return r;
}

/* ------------------------------------------------------ definition lists */

typedef struct deflist_geom {
    double col;                    /* the term column's width */
    double gap;                    /* between the term and its definition */
} deflist_geom;

static deflist_geom deflist_measure(lay *L, const rg_block *list, double width)
{
    rg_role tr = strong_role(L, 0);
    deflist_geom g = { 0, lay_role(L, RG_ROLE_BODY)->size };
    double max = width * DEF_TERM_MAX_SHARE;
    for (const rg_block *e = list->children; e; e = e->next) {
        if (e->kind != RG_BLOCK_DEFENTRY) continue;
        double w;
        lay_plain_measure(L, lay_inline_text(L, L->arena, &e->text), &tr, 0, &w, NULL);
        if (w > g.col) g.col = w;
    }
    if (g.col > max) g.col = max;
    return g;
}

/* Whether entry e's term has a word wider than the term column: then it is
 * set over the whole width and its definition below it (a compromise the
 * caller warns about). */
static int term_too_wide(lay *L, const rg_block *e, const deflist_geom *g)
{
    rg_role tr = strong_role(L, 0);
    double w, widest;
    lay_plain_measure(L, lay_inline_text(L, L->arena, &e->text), &tr, 0, &w, &widest);
    return widest > g->col + LAY_EPS;
}

/* The room an entry needs from the top of the free space to start there:
 * all of its term's lines beside the first lines of its definition that
 * widow and orphan control keep together. */
static double entry_keep(lay *L, const rg_block *e, const deflist_geom *g, double width,
                         rg_para *term, rg_para *def, int *below)
{
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    rg_role tr = strong_role(L, 0);
    *below = term_too_wide(L, e, g);
    lay_break_inlines(L, &e->text, &tr, *below ? width : g->col, RG_ALIGN_LEFT, term);
    double dw = width - g->col - g->gap;
    lay_break_inlines(L, &e->text2, body, dw, RG_ALIGN_LEFT, def);   /* an estimate */
    size_t dk = def->nlines ? lay_keep_lines(L, def->nlines) : 0;
    size_t lines = *below ? term->nlines + dk : (term->nlines > dk ? term->nlines : dk);
    return (lines ? lines : 1) * body->leading;
}

static void place_entry(lay *L, const rg_block *e, const deflist_geom *g, double x,
                        double width)
{
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    rg_role tr = strong_role(L, 0);
    rg_para term, def;
    int below;
    double need = entry_keep(L, e, g, width, &term, &def, &below);
    if (below)
        rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "the term '%s' has a word wider than the term column (%.0f pt, a third of "
                "the width at most): its definition is set below it",
                lay_inline_text(L, L->arena, &e->text), g->col);
    lay_ensure_page(L);
    if (!L->at_top && lay_room(L) + LAY_EPS < need) lay_new_page(L, 1);
    double dx = x + g->col + g->gap, dw = width - g->col - g->gap;
    lay_break_text(L, &e->text2, body, dw, body->align, &def);   /* as running text */
    lay_open(L, "LI");
    lay_open(L, "Lbl");
    long page = L->page;
    double top = L->y;
    lay_place_lines(L, &term, x, below ? width : g->col, &tr, RG_ALIGN_LEFT);
    double term_end = L->y;
    lay_close(L);
    lay_open(L, "LBody");
    if (!below && L->page == page) L->y = top;        /* beside the term */
    lay_place_lines(L, &def, dx, dw, body, body->align);
    if (!below && L->page == page && term_end < L->y) L->y = term_end;
    lay_close(L);
    lay_close(L);
}

void lay_place_deflist(lay *L, const rg_block *list, double x, double width)
{
    const rg_style *st = L->st;
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    deflist_geom g = deflist_measure(L, list, width);
    lay_vspace(L, body->space_before);
    int l = lay_open(L, "L");
    if (list->lang) rg_dl_elem_set_lang(L->dl, l, list->lang);
    for (const rg_block *e = list->children; e && L->status == RG_OK; e = e->next) {
        if (e->kind != RG_BLOCK_DEFENTRY) continue;
        L->line = e->line;
        rg_ctx_at(L->ctx, L->doc->path, e->line);
        place_entry(L, e, &g, x, width);
        L->y -= st->list_gap;
    }
    lay_close(L);
    L->line = list->line;
    rg_ctx_at(L->ctx, L->doc->path, list->line);
    L->y -= st->paragraph_gap - st->list_gap + body->space_after;
}

/* ------------------------------------------------------------------ box */

static double blocks_need(lay *L, const rg_block *b, double width);

/* An estimate (never much less) of the height blocks b take at width:
 * what decides whether a box fits on one page. Text is broken ragged here
 * (justifying without the placing's hyphenation would warn). */
static double block_need(lay *L, const rg_block *b, double width)
{
    const rg_style *st = L->st;
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    rg_para p;
    double h = 0;
    switch (b->kind) {
    case RG_BLOCK_PARA:
        lay_break_inlines(L, &b->text, body, width, RG_ALIGN_LEFT, &p);
        return body->space_before + p.nlines * body->leading + st->paragraph_gap +
               body->space_after;
    case RG_BLOCK_LIST:
        h = body->space_before + st->paragraph_gap + body->space_after;
        for (const rg_block *it = b->children; it; it = it->next) {
            double iw = width - st->list_indent;
            lay_break_inlines(L, &it->text, body, iw, RG_ALIGN_LEFT, &p);
            h += (p.nlines ? p.nlines : 1) * body->leading + st->list_gap;
            if (it->children) h += blocks_need(L, it->children, iw);
        }
        return h;
    case RG_BLOCK_QUOTE: {
        const rg_role *q = lay_role(L, RG_ROLE_QUOTE);
        h = q->space_before + q->space_after + st->paragraph_gap;
        for (const rg_block *c = b->children; c; c = c->next) {
            lay_break_inlines(L, &c->text, q, width - 2 * st->quote_indent, RG_ALIGN_LEFT, &p);
            h += p.nlines * q->leading + st->paragraph_gap;
        }
        if (b->text2.n) h += 2 * q->leading;
        return h;
    }
    case RG_BLOCK_DEFLIST: {
        deflist_geom g = deflist_measure(L, b, width);
        h = body->space_before + st->paragraph_gap + body->space_after;
        for (const rg_block *e = b->children; e; e = e->next) {
            rg_para term, def;
            int below;
            entry_keep(L, e, &g, width, &term, &def, &below);
            size_t n = below ? term.nlines + def.nlines
                             : (term.nlines > def.nlines ? term.nlines : def.nlines);
            h += (n ? n : 1) * body->leading + st->list_gap;
        }
        return h;
    }
    default:
        return KEEP_FORCE_BLOCKS;
    }
}

static double blocks_need(lay *L, const rg_block *b, double width)
{
    double h = 0;
    for (; b; b = b->next) h += block_need(L, b, width);
    return h;
}

typedef struct box_geom {
    double pad;                    /* inside the frame, on every side */
    rg_role title_role;
    rg_para title;
    double title_h;                /* the title's lines and the gap below them */
} box_geom;

static void box_measure(lay *L, const rg_block *b, double width, box_geom *g)
{
    g->pad = lay_role(L, RG_ROLE_BODY)->size;
    g->title_role = strong_role(L, 1);
    lay_break_inlines(L, &b->text, &g->title_role, width - 2 * g->pad, RG_ALIGN_LEFT,
                      &g->title);
    g->title_h = g->title.nlines ? g->title.nlines * g->title_role.leading +
                                       g->title_role.space_after : 0;
}

/* The whole box's height (estimated), and whether it fits on one page. */
static double box_whole(lay *L, const rg_block *b, double width, const box_geom *g)
{
    return 2 * g->pad + g->title_h + blocks_need(L, b->children, width - 2 * g->pad);
}

static int box_fits_page(const lay *L, double whole)
{
    return whole <= L->top - L->bottom + LAY_EPS;
}

/* The frame on the pages the box's lines are on (extent e): sides from its
 * top to its bottom there; the top edge only where the box starts, the
 * bottom edge only where it ends, so that a box split between pages is
 * open at the break. top0: where the box starts on page start_page. */
static void box_frame(lay *L, const lay_extent *e, long start_page, double top0, double x,
                      double width, double pad)
{
    size_t first = e->n, last = 0;
    for (size_t i = 0; i < e->n; i++)
        if (!isnan(e->top[i])) {
            if (first == e->n) first = i;
            last = i;
        }
    for (size_t i = first; i < e->n && i <= last; i++) {
        if (isnan(e->top[i])) continue;
        size_t pg = (size_t)e->first + i;
        double top = (long)pg == start_page ? top0 : e->top[i] + pad;
        double bottom = e->bottom[i] - pad;
        rg_color c = L->st->accent;
        rg_dl_artifact_begin(L->dl, pg);
        rg_dl_line(L->dl, pg, x, top, x, bottom, c, BOX_RULE_WIDTH);
        rg_dl_line(L->dl, pg, x + width, top, x + width, bottom, c, BOX_RULE_WIDTH);
        if (i == first) rg_dl_line(L->dl, pg, x, top, x + width, top, c, BOX_RULE_WIDTH);
        if (i == last) rg_dl_line(L->dl, pg, x, bottom, x + width, bottom, c, BOX_RULE_WIDTH);
        rg_dl_artifact_end(L->dl, pg);
    }
}

void lay_place_box(lay *L, const rg_block *b, double x, double width, int depth)
{
    const rg_style *st = L->st;
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    box_geom g;
    box_measure(L, b, width, &g);
    double whole = box_whole(L, b, width, &g);
    lay_vspace(L, body->space_before);
    lay_ensure_page(L);
    double start = box_fits_page(L, whole) ? whole : lay_box_keep(L, b, width);
    /* under headings that are all the page holds (placed at its top, with
     * no look-ahead) the box starts here: moving it would leave them alone */
    if (!L->at_top && !L->head_top && lay_room(L) + LAY_EPS < start) lay_new_page(L, 1);
    long start_page = L->page;
    double top = L->y;
    int div = lay_open(L, "Div");
    if (b->lang) rg_dl_elem_set_lang(L->dl, div, b->lang);
    lay_extent lines = { 0, NULL, NULL, 0, 0 };
    lay_extent *outer = L->extent;
    L->extent = &lines;
    L->y -= g.pad;
    double ix = x + g.pad, iw = width - 2 * g.pad;
    if (g.title.nlines) {
        lay_open(L, "P");
        lay_place_lines(L, &g.title, ix, iw, &g.title_role, RG_ALIGN_LEFT);
        lay_close(L);
        L->y -= g.title_role.space_after;
    }
    lay_place_blocks(L, b->children, ix, iw, depth);
    L->extent = outer;
    lay_close(L);
    box_frame(L, &lines, start_page, top, x, width, g.pad);
    if (lines.n) {                 /* below the frame */
        double bottom = lines.bottom[lines.n - 1] - g.pad;
        L->y = bottom;
        L->at_top = 0;
    }
    free(lines.top);
    free(lines.bottom);
    L->y -= st->paragraph_gap + body->space_after;
}

double lay_box_keep(lay *L, const rg_block *b, double width)
{
    box_geom g;
    box_measure(L, b, width, &g);
    double whole = box_whole(L, b, width, &g);
    if (box_fits_page(L, whole)) return whole;
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    return g.pad + g.title_h + lay_keep_lines(L, 3) * body->leading;
}

double lay_text_block_keep(lay *L, const rg_block *b, double width)
{
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    if (b->kind == RG_BLOCK_BOX) return body->space_before + lay_box_keep(L, b, width);
    if (b->kind != RG_BLOCK_DEFLIST) return 0;
    const rg_block *e = b->children;
    if (!e) return 0;
    deflist_geom g = deflist_measure(L, b, width);
    rg_para term, def;
    int below;
    return body->space_before + entry_keep(L, e, &g, width, &term, &def, &below);
}

void lay_extent_merge(lay_extent *into, const lay_extent *e)
{
    if (!into) return;
    for (size_t i = 0; i < e->n; i++)
        if (!isnan(e->top[i])) lay_extent_add(into, e->first + (long)i, e->top[i], e->bottom[i]);
}

/* ------------------------------------------------------- quote attribution */

void lay_quote_attribution(lay *L, const rg_block *q, double x, double width)
{
    if (!q->text2.n) return;
    rg_role r = *lay_role(L, RG_ROLE_QUOTE);
    r.italic = 0;
    r.align = RG_ALIGN_LEFT;
    /* "— " before the attribution's own spans */
    rg_inlines in = { rg_arena_alloc(L->arena, (q->text2.n + 1) * sizeof *in.spans),
                      q->text2.n + 1 };
    memset(&in.spans[0], 0, sizeof in.spans[0]);
    in.spans[0].text = "\xe2\x80\x94 ";
    in.spans[0].len = strlen(in.spans[0].text);
    memcpy(in.spans + 1, q->text2.spans, q->text2.n * sizeof *in.spans);
    rg_para p;
    lay_break_inlines(L, &in, &r, width, RG_ALIGN_LEFT, &p);
    L->y -= L->st->paragraph_gap / 2;
    lay_open(L, "P");
    lay_place_lines(L, &p, x, width, &r, RG_ALIGN_LEFT);
    lay_close(L);
}

/* ------------------------------------------------------ inline languages */

/* BCP 47 tags compare without regard to ASCII case. */
static int same_tag(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a, y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

/* The language in effect at the current structure element: the nearest
 * /Lang up the tree, else the document's. */
static const char *elem_lang(const lay *L)
{
    for (int id = rg_dl_elem_current(L->dl); id >= 0; id = L->dl->elems[id].parent)
        if (rg_dl_elem_more_of(&L->dl->elems[id])->lang)
            return rg_dl_elem_more_of(&L->dl->elems[id])->lang;
    return L->doc->lang;
}

int lay_lang_span_open(lay *L, const char *lang)
{
    /* an artifact ("(vervolg)" above a continued footnote) is in no
     * element: a Span there would stay empty in the structure tree */
    if (!lang || !*lang || L->dl->artifact) return 0;
    const char *in = elem_lang(L);
    if (in && same_tag(in, lang)) return 0;
    int span = lay_open(L, "Span");
    rg_dl_elem_set_lang(L->dl, span, lang);
    return 1;
}
