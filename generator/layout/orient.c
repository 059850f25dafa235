/* layout/orient.c - landscape pages (issue 16): the page geometry of each
 * orientation, and where a landscape run of pages starts and ends.
 *
 * A landscape page is the layout's page with width and height swapped
 * (no /Rotate: its media box is wider than high); its text area keeps the
 * layout's margins. place_blocks calls lay_orient_begin before each block
 * and lay_orient_end after it; lay_new_page asks lay_orient_page_size for
 * the size of the page it makes, and place_chrome asks lay_orient_page for
 * the geometry of each page it puts a header and footer on. */
#include "internal.h"

#include "dlist/dlist.h"

void lay_orient_page_size(const lay *L, double *w, double *h)
{
    *w = L->landscape ? L->st->page_h : L->st->page_w;
    *h = L->landscape ? L->st->page_w : L->st->page_h;
}

double lay_orient_text_width(const rg_style *st, int landscape)
{
    return (landscape ? st->page_h : st->page_w) - st->margin_left - st->margin_right;
}

void lay_orient_set(lay *L, int landscape)
{
    const rg_style *st = L->st;
    L->landscape = landscape;
    L->left = st->margin_left;
    L->width = lay_orient_text_width(st, landscape);
    L->top = (landscape ? st->page_w : st->page_h) - st->margin_top;
    L->bottom = st->margin_bottom;
}

double lay_orient_page(lay *L, size_t page)
{
    const rg_dl_page *pg = &L->dl->pages[page];
    lay_orient_set(L, pg->width > pg->height);
    return pg->height;
}

/* The last block of the landscape run that starts at b, or NULL when b
 * starts none: b itself when it is landscape; for a portrait section, the
 * run its first block starts, so that the section's title goes on the
 * landscape page with that block (a title is never left behind alone);
 * for a section of a title only, the run of the block after it (what
 * follows b's list when b is its last: tail). */
static const rg_block *run_last(const rg_block *b, const rg_block *tail)
{
    if (b->landscape) return b;
    if (b->kind != RG_BLOCK_SECTION) return NULL;
    const rg_block *after_b = b->next ? b->next : tail;
    const rg_block *c = b->children;
    if (!c) return b->next ? run_last(b->next, tail) : NULL;
    while (c && c->kind == RG_BLOCK_PAGEBREAK) c = c->next;
    return c ? run_last(c, after_b) : NULL;
}

/* Turns the current page, which holds nothing yet, to the current
 * orientation: a landscape run at the top of a page (after a <pagebreak/>)
 * leaves no empty portrait page behind. */
static void turn_empty_page(lay *L)
{
    rg_dl_page *pg = &L->dl->pages[L->page];
    lay_orient_page_size(L, &pg->width, &pg->height);
    if (pg->area >= 0) {
        rg_dl_box *a = &L->dl->boxes[pg->area];
        a->x0 = L->left;
        a->y0 = L->bottom;
        a->x1 = L->left + L->width;
        a->y1 = L->top;
    }
    L->y = L->top;
}

void lay_orient_begin(lay *L, const rg_block *b)
{
    if (L->landscape) return;
    const rg_block *last = run_last(b, L->after);
    if (!last) return;
    L->orient_last = last;
    lay_orient_set(L, 1);
    if (L->page < 0) return;                /* the block's first page is made landscape */
    const rg_dl_page *pg = &L->dl->pages[L->page];
    if (L->at_top && pg->nitems == 0 && L->chrome[L->page]) turn_empty_page(L);
    else lay_new_page(L, 1);
}

void lay_orient_end(lay *L, const rg_block *b)
{
    if (!L->landscape || b != L->orient_last) return;
    /* landscape blocks in a row share their pages */
    const rg_block *next = b->next ? run_last(b->next, L->after) : NULL;
    if (next) {
        L->orient_last = next;
        return;
    }
    L->orient_last = NULL;
    lay_orient_set(L, 0);
    /* what follows starts a new portrait page when it places something
     * (as after the cover): no empty page when nothing follows */
    if (L->dl->npages < RG_MAX_PAGES) L->page = -1;
    L->at_top = 1;
    L->head_top = 0;
}
