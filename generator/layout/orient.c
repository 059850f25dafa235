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
/* A section of its title only (nothing but page breaks below it). */
static int title_only(const rg_block *b)
{
    const rg_block *c = b->children;
    while (c && c->kind == RG_BLOCK_PAGEBREAK) c = c->next;
    return b->kind == RG_BLOCK_SECTION && !c;
}

static const rg_block *run_last(const rg_block *b, const rg_block *tail)
{
    if (b->landscape) return title_only(b) ? NULL : b;
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
        a->y0 = L->st->margin_bottom;       /* the text area, footnotes' room included */
        a->x1 = L->left + L->width;
        a->y1 = L->top;
    }
    L->y = L->top;
}

/* A landscape section of its title only would be a landscape page of a
 * heading alone: it is set where it is, on portrait pages, with a warning
 * (a compromise: --strict refuses it). */
static void warn_title_only(lay *L, const rg_block *b)
{
    char once[48];
    snprintf(once, sizeof once, "landscape-title-only:%d", b->line);
    rg_ctx_at(L->ctx, L->doc->path, b->line);
    rg_warn_once(L->ctx, once, "a section with page=\"landscape\" holds nothing but its "
                 "title: it is set on the portrait page it falls on");
}

void lay_orient_begin(lay *L, const rg_block *b)
{
    if (L->landscape) return;
    if (b->landscape && title_only(b)) warn_title_only(L, b);
    const rg_block *last = run_last(b, L->after);
    if (!last) return;
    L->orient_last = last;
    if (L->page < 0) {                      /* the block's first page is made landscape */
        lay_orient_set(L, 1);
        return;
    }
    const rg_dl_page *pg = &L->dl->pages[L->page];
    if (L->at_top && pg->nitems == 0 && L->chrome[L->page]) {
        double bottom = L->bottom;          /* raised by footnotes continued here */
        lay_orient_set(L, 1);
        L->bottom = bottom;
        turn_empty_page(L);
        return;
    }
    lay_notes_page_end(L);                  /* the portrait page's footnotes, at its width */
    lay_orient_set(L, 1);
    lay_new_page(L, 1);
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
    lay_notes_page_end(L);                  /* the last landscape page's footnotes */
    lay_orient_set(L, 0);
    /* what follows starts a new portrait page when it places something
     * (as after the cover): no empty page when nothing follows */
    if (L->dl->npages < RG_MAX_PAGES) L->page = -1;
    L->at_top = 1;
    L->head_top = 0;
}
