/* dlist/dlist.c - display list builders and the text dump (see dlist.h).
 * Stage: display list. Plain data; no third-party headers. */
#include "internal.h"
#include "fonts/fonts.h"

#include <stdlib.h>
#include <string.h>

rg_dl *rg_dl_new(void)
{
    rg_dl *dl = rg_xcalloc(1, sizeof *dl);
    dl->arena = rg_arena_new();
    dl->next_para = -1;
    return dl;
}

void rg_dl_free(rg_dl *dl)
{
    if (!dl) return;
    for (size_t i = 0; i < dl->npages; i++) rg_dl_page_release(dl, i);
    free(dl->pages);
    free(dl->outline);
    free(dl->labels);
    for (size_t i = 0; i < dl->nelems; i++) free(dl->elems[i].kids);
    free(dl->elems);
    free(dl->chunks);
    free(dl->stack);
    free(dl->boxes);
    free(dl->box_stack);
    free(dl->paras);
    rg_arena_free(dl->para_arena);
    free(dl->pagerefs);
    free(dl->notes);
    free(dl->pictures);
    rg_dl_spill_close(dl);
    rg_arena_free(dl->arena);
    free(dl);
}

/* An array of n elements of size bytes at *p (capacity *cap) made exactly
 * n long, or freed when n is 0. */
static void fit(void **p, size_t *cap, size_t n, size_t size)
{
    if (!*p || *cap == n) return;
    if (!n) {
        free(*p);
        *p = NULL;
    } else {
        *p = rg_xrealloc(*p, n * size);
    }
    *cap = n;
}

void rg_dl_before_pdf(rg_dl *dl)
{
    free(dl->boxes);
    free(dl->box_stack);
    free(dl->paras);
    free(dl->pagerefs);
    free(dl->notes);
    dl->boxes = NULL;
    dl->box_stack = NULL;
    dl->paras = NULL;
    dl->pagerefs = NULL;
    dl->notes = NULL;
    dl->nboxes = dl->boxes_cap = dl->nbox_stack = dl->box_stack_cap = 0;
    dl->nparas = dl->paras_cap = dl->npagerefs = dl->pagerefs_cap = 0;
    dl->nnotes = dl->notes_cap = 0;
    rg_arena_free(dl->para_arena);
    dl->para_arena = NULL;
    fit((void **)&dl->elems, &dl->elems_cap, dl->nelems, sizeof *dl->elems);
    fit((void **)&dl->chunks, &dl->chunks_cap, dl->nchunks, sizeof *dl->chunks);
}

void rg_dl_page_release(rg_dl *dl, size_t page)
{
    rg_dl_page *p = &dl->pages[page];
    free(p->items);
    p->items = NULL;
    p->nitems = p->cap = 0;
    rg_arena_free(p->arena);
    p->arena = NULL;
    rg_dl_page_spill_release(p);
}

/* The arena of page's own copies (rg_dl_page.arena). */
static rg_arena *page_arena(rg_dl *dl, size_t page)
{
    rg_dl_page *p = &dl->pages[page];
    if (!p->arena) p->arena = rg_arena_new();
    return p->arena;
}

size_t rg_dl_add_page(rg_dl *dl, double width, double height)
{
    rg_grow(&dl->pages, &dl->pages_cap, dl->npages + 1, sizeof *dl->pages);
    rg_dl_page *p = &dl->pages[dl->npages];
    memset(p, 0, sizeof *p);
    p->width = width;
    p->height = height;
    p->area = -1;
    p->spill_at = p->spill2_at = -1;
    return dl->npages++;
}

static void add_kid(rg_dl *dl, int elem, rg_kid_kind kind, int index, size_t item)
{
    rg_dl_elem *e = &dl->elems[elem];
    if (e->nkids == e->kids_cap) {
        /* most elements have one or two kids: from 2, not rg_grow's 8 (issue 22:
         * 8 each was 34 of an 8,000-page list's 43 MB of kids) */
        unsigned cap = e->kids_cap ? 2 * e->kids_cap : 2;
        e->kids = rg_xrealloc(e->kids, cap * sizeof *e->kids);
        e->kids_cap = cap;
    }
    e->kids[e->nkids++] = (rg_dl_kid){ kind, index, (uint32_t)item };
}

/* The chunk for content on page: the current element's last chunk when the
 * page's previous item belongs to it, else a new one. */
static int content_chunk(rg_dl *dl, size_t page)
{
    int elem = rg_dl_elem_current(dl);
    if (elem < 0 || dl->artifact) return -1;
    const rg_dl_page *p = &dl->pages[page];
    const rg_dl_elem *e = &dl->elems[elem];
    if (e->nkids && e->kids[e->nkids - 1].kind == RG_KID_CHUNK) {
        int c = e->kids[e->nkids - 1].index;
        if (dl->chunks[c].page == page && rg_dl_page_last_chunk(p) == c) return c;
    }
    rg_grow(&dl->chunks, &dl->chunks_cap, dl->nchunks + 1, sizeof *dl->chunks);
    dl->chunks[dl->nchunks] = (rg_dl_chunk){ elem, (uint32_t)page };
    add_kid(dl, elem, RG_KID_CHUNK, (int)dl->nchunks, 0);
    return (int)dl->nchunks++;
}

/* The box an item added to page now belongs to. */
static int current_box(const rg_dl *dl, size_t page)
{
    if (dl->nbox_stack) {
        int top = dl->box_stack[dl->nbox_stack - 1];
        if (dl->boxes[top].page == page) return top;
    }
    return page < dl->npages ? dl->pages[page].area : -1;
}

static int add_box(rg_dl *dl, size_t page, rg_box_kind kind, int parent, double x0, double y0,
                   double x1, double y1, int line)
{
    rg_grow(&dl->boxes, &dl->boxes_cap, dl->nboxes + 1, sizeof *dl->boxes);
    dl->boxes[dl->nboxes] = (rg_dl_box){ kind, parent, page, x0, y0, x1, y1, line };
    return (int)dl->nboxes++;
}

int rg_dl_page_area(rg_dl *dl, size_t page, rg_box_kind kind, double x0, double y0, double x1,
                    double y1)
{
    int id = add_box(dl, page, kind, -1, x0, y0, x1, y1, 0);
    dl->pages[page].area = id;
    return id;
}

int rg_dl_box_open(rg_dl *dl, size_t page, rg_box_kind kind, double x0, double y0, double x1,
                   double y1, int line)
{
    if (dl->no_sources) return current_box(dl, page);
    int id = add_box(dl, page, kind, current_box(dl, page), x0, y0, x1, y1, line);
    rg_grow(&dl->box_stack, &dl->box_stack_cap, dl->nbox_stack + 1, sizeof *dl->box_stack);
    dl->box_stack[dl->nbox_stack++] = id;
    return id;
}

void rg_dl_box_close(rg_dl *dl)
{
    if (dl->nbox_stack && !dl->no_sources) dl->nbox_stack--;
}

int rg_dl_para_add(rg_dl *dl, const char *text, size_t len, int line, int address)
{
    if (dl->no_sources) return -1;
    rg_grow(&dl->paras, &dl->paras_cap, dl->nparas + 1, sizeof *dl->paras);
    if (!dl->para_arena) dl->para_arena = rg_arena_new();
    dl->paras[dl->nparas] = (rg_dl_para){ rg_arena_strndup(dl->para_arena, text, len), len, line,
                                          address };
    return (int)dl->nparas++;
}

void rg_dl_source(rg_dl *dl, int para, size_t src, unsigned flags)
{
    dl->next_para = para;
    dl->next_src = src;
    dl->next_flags = flags;
}

void rg_dl_source_word(rg_dl *dl, const char *rest, size_t rest_len, size_t cont_len)
{
    dl->next_rest = rest ? rg_arena_strndup(dl->arena, rest, rest_len) : NULL;
    dl->next_rest_len = rest ? rest_len : 0;
    dl->next_cont_len = cont_len;
}

void rg_dl_rotate_next(rg_dl *dl, double degrees)
{
    dl->next_angle = degrees;
}

static rg_dl_item *push(rg_dl *dl, size_t page, rg_dl_kind kind)
{
    int content = kind == RG_DL_GLYPHS || kind == RG_DL_RECT || kind == RG_DL_PATH ||
                  kind == RG_DL_IMAGE;
    int chunk = content ? content_chunk(dl, page) : -1;
    rg_dl_page *p = &dl->pages[page];
    rg_grow(&p->items, &p->cap, p->nitems + 1, sizeof *p->items);
    rg_dl_item *it = &p->items[p->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->chunk = chunk;
    it->elem = -1;
    it->box = current_box(dl, page);
    return it;
}

static const char *dup(rg_dl *dl, const char *s)
{
    return s ? rg_arena_strdup(dl->arena, s) : NULL;
}

/* A glyph run's fields, with the glyphs and text copied into its page's arena. */
static void fill_glyphs(rg_dl *dl, size_t page, rg_dl_glyphs *g, const rg_font *font, double size,
                        rg_color color, double x, double y, const rg_glyph *glyphs,
                        size_t nglyphs, const char *text, size_t text_len)
{
    g->font = font;
    g->size = size;
    g->color = color;
    g->x = x;
    g->y = y;
    rg_arena *arena = page_arena(dl, page);
    rg_glyph *copy = rg_arena_alloc(arena, nglyphs * sizeof *copy);
    if (nglyphs) memcpy(copy, glyphs, nglyphs * sizeof *copy);
    g->glyphs = copy;
    g->nglyphs = nglyphs;
    g->text = rg_arena_strndup(arena, text, text_len);
    g->text_len = text_len;
    g->para = dl->next_para;
    g->src = dl->next_src;
    g->flags = dl->next_flags;
    g->rest = dl->next_rest;
    g->rest_len = dl->next_rest_len;
    g->cont_len = dl->next_cont_len;
    g->angle = dl->next_angle;
    dl->next_para = -1;
    dl->next_src = 0;
    dl->next_flags = 0;
    dl->next_rest = NULL;
    dl->next_rest_len = dl->next_cont_len = 0;
    dl->next_angle = 0;
}

void rg_dl_glyph_run(rg_dl *dl, size_t page, const rg_font *font, double size,
                     rg_color color, double x, double y,
                     const rg_glyph *glyphs, size_t nglyphs,
                     const char *text, size_t text_len)
{
    fill_glyphs(dl, page, &push(dl, page, RG_DL_GLYPHS)->u.glyphs, font, size, color, x, y, glyphs,
                nglyphs, text, text_len);
}

void rg_dl_insert_glyph_run(rg_dl *dl, size_t page, size_t pos, int chunk,
                            const rg_font *font, double size, rg_color color, double x,
                            double y, const rg_glyph *glyphs, size_t nglyphs,
                            const char *text, size_t text_len)
{
    rg_dl_page *p = rg_dl_page_edit(dl, page);
    if (!p) return;                /* a failed read: rg_dl_spill_status tells the pipeline */
    if (pos > p->nitems) pos = p->nitems;
    rg_grow(&p->items, &p->cap, p->nitems + 1, sizeof *p->items);
    memmove(&p->items[pos + 1], &p->items[pos], (p->nitems - pos) * sizeof *p->items);
    p->nitems++;
    rg_dl_item *it = &p->items[pos];
    memset(it, 0, sizeof *it);
    it->kind = RG_DL_GLYPHS;
    it->chunk = chunk;
    it->elem = -1;
    it->box = current_box(dl, page);
    fill_glyphs(dl, page, &it->u.glyphs, font, size, color, x, y, glyphs, nglyphs, text, text_len);
    /* link annotation kids name their item's index: shift those behind pos
     * (found through the moved link items, not by scanning every element:
     * inserting a TOC's numbers must stay linear) */
    for (size_t i = pos + 1; i < p->nitems; i++) {
        const rg_dl_item *moved = &p->items[i];
        if (moved->kind != RG_DL_LINK || moved->elem < 0) continue;
        rg_dl_elem *e = &dl->elems[moved->elem];
        for (size_t k = 0; k < e->nkids; k++)
            if (e->kids[k].kind == RG_KID_ANNOT && (size_t)e->kids[k].index == page &&
                e->kids[k].item == i - 1) {
                e->kids[k].item = i;
                break;
            }
    }
}

void rg_dl_rect_fill(rg_dl *dl, size_t page, double x, double y, double w, double h,
                     rg_color fill)
{
    rg_dl_rect *r = &push(dl, page, RG_DL_RECT)->u.rect;
    *r = (rg_dl_rect){ .x = x, .y = y, .w = w, .h = h, .fill = 1, .fill_color = fill };
}

void rg_dl_rect_stroke(rg_dl *dl, size_t page, double x, double y, double w, double h,
                       rg_color stroke, double line_width)
{
    rg_dl_rect *r = &push(dl, page, RG_DL_RECT)->u.rect;
    *r = (rg_dl_rect){ .x = x, .y = y, .w = w, .h = h, .stroke = 1,
                       .stroke_color = stroke, .line_width = line_width };
}

void rg_dl_add_path(rg_dl *dl, size_t page, const rg_dl_path *path)
{
    rg_dl_path *p = &push(dl, page, RG_DL_PATH)->u.path;
    *p = *path;
    rg_path_seg *segs = rg_arena_alloc(page_arena(dl, page), path->nsegs * sizeof *segs);
    if (path->nsegs) memcpy(segs, path->segs, path->nsegs * sizeof *segs);
    p->segs = segs;
}

/* A picture's bytes as the document held them, and the list's copy. */
struct rg_dl_picture {
    const unsigned char *from;
    const unsigned char *copy;
    const char *name;
};

/* The list's copy of the picture at data (one per picture however often
 * it is drawn: a running header's logo is on every page). */
static const struct rg_dl_picture *picture_of(rg_dl *dl, const rg_dl_image *image)
{
    for (size_t i = 0; i < dl->npictures; i++)
        if (dl->pictures[i].from == image->data) return &dl->pictures[i];
    rg_grow(&dl->pictures, &dl->pictures_cap, dl->npictures + 1, sizeof *dl->pictures);
    unsigned char *copy = rg_arena_alloc(dl->arena, image->len ? image->len : 1);
    if (image->len) memcpy(copy, image->data, image->len);
    struct rg_dl_picture *pic = &dl->pictures[dl->npictures++];
    *pic = (struct rg_dl_picture){ image->data, copy, dup(dl, image->name) };
    return pic;
}

void rg_dl_add_image(rg_dl *dl, size_t page, const rg_dl_image *image)
{
    const struct rg_dl_picture *pic = picture_of(dl, image);
    rg_dl_image *im = &push(dl, page, RG_DL_IMAGE)->u.image;
    *im = *image;
    im->data = pic->copy;
    im->name = pic->name;
}

void rg_dl_line(rg_dl *dl, size_t page, double x1, double y1, double x2, double y2,
                rg_color stroke, double line_width)
{
    rg_path_seg segs[2] = { { RG_PATH_MOVE, { x1, y1 } }, { RG_PATH_LINE, { x2, y2 } } };
    rg_dl_path p = { .segs = segs, .nsegs = 2, .stroke = 1, .stroke_color = stroke,
                     .line_width = line_width };
    rg_dl_add_path(dl, page, &p);
}

/* A link annotation belongs to the current element (a Link) as an OBJR. */
static rg_dl_link *push_link(rg_dl *dl, size_t page)
{
    rg_dl_item *it = push(dl, page, RG_DL_LINK);
    int elem = rg_dl_elem_current(dl);
    if (elem >= 0 && !dl->artifact) {
        it->elem = elem;
        add_kid(dl, elem, RG_KID_ANNOT, (int)page, rg_dl_page_count(&dl->pages[page]) - 1);
    }
    return &it->u.link;
}

void rg_dl_link_uri(rg_dl *dl, size_t page, double x, double y, double w, double h,
                    const char *uri, const char *contents)
{
    rg_dl_link *l = push_link(dl, page);
    *l = (rg_dl_link){ x, y, w, h, dup(dl, uri), NULL, dup(dl, contents) };
}

void rg_dl_link_dest(rg_dl *dl, size_t page, double x, double y, double w, double h,
                     const char *dest, const char *contents)
{
    rg_dl_link *l = push_link(dl, page);
    *l = (rg_dl_link){ x, y, w, h, NULL, dup(dl, dest), dup(dl, contents) };
}

void rg_dl_dest_add(rg_dl *dl, size_t page, const char *name, double y)
{
    rg_dl_dest *d = &push(dl, page, RG_DL_DEST)->u.dest;
    d->name = dup(dl, name);
    d->y = y;
}

/* ---- cross-references (issue 16, xref) ---- */

void rg_dl_pageref_add(rg_dl *dl, size_t page, const char *text, size_t len, const char *dest,
                       int line)
{
    rg_grow(&dl->pagerefs, &dl->pagerefs_cap, dl->npagerefs + 1, sizeof *dl->pagerefs);
    char *t = rg_arena_alloc(dl->arena, len + 1);
    memcpy(t, text, len);
    t[len] = 0;
    dl->pagerefs[dl->npagerefs++] = (rg_dl_pageref){ page, t, dup(dl, dest), line };
}

void rg_dl_page_label(const rg_dl *dl, size_t page, char *out, size_t cap)
{
    const rg_dl_label *l = NULL;
    for (size_t i = 0; i < dl->nlabels; i++)
        if ((size_t)dl->labels[i].first_page <= page &&
            (!l || dl->labels[i].first_page >= l->first_page))
            l = &dl->labels[i];
    int n = l ? l->start + (int)(page - (size_t)l->first_page) : (int)page + 1;
    const char *prefix = l && l->prefix ? l->prefix : "";
    if (l && l->style == RG_LABEL_NONE) {
        snprintf(out, cap, "%s", prefix);
        return;
    }
    if (l && l->style == RG_LABEL_ROMAN_LOWER) {
        static const char *const R[] = { "m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix",
                                         "v", "iv", "i" };
        static const int V[] = { 1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1 };
        size_t o = (size_t)snprintf(out, cap, "%s", prefix);
        for (int i = 0; i < 13; i++)
            for (; n >= V[i] && o + strlen(R[i]) < cap; n -= V[i])
                o += (size_t)snprintf(out + o, cap - o, "%s", R[i]);
        return;
    }
    snprintf(out, cap, "%s%d", prefix, n);
}

void rg_dl_artifact_begin(rg_dl *dl, size_t page)
{
    push(dl, page, RG_DL_ARTIFACT_BEGIN);
    dl->artifact = 1;
}

void rg_dl_artifact_end(rg_dl *dl, size_t page)
{
    push(dl, page, RG_DL_ARTIFACT_END);
    dl->artifact = 0;
}

/* ---- structure ---- */

/* The standard structure types (PDF 32000-1, 14.8.4). */
static const char *const standard_roles[] = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"};

const char *rg_dl_standard_role(const char *role)
{
    if (!role) return NULL;
    for (size_t i = 0; i < sizeof standard_roles / sizeof *standard_roles; i++)
        if (!strcmp(role, standard_roles[i])) return standard_roles[i];
    return NULL;
}

/* An element's role: a standard one shared, not copied per element (issue
 * 22: 7 MB of copies at 9,409 pages); anything else copied (the pdf stage
 * refuses it). */
static const char *role_of(rg_dl *dl, const char *role)
{
    const char *standard = rg_dl_standard_role(role);
    return standard ? standard : dup(dl, role);
}

const rg_dl_elem_more *rg_dl_elem_more_of(const rg_dl_elem *e)
{
    static const rg_dl_elem_more none;
    return e->more ? e->more : &none;
}

/* id's rarer attributes, made on the first one set. */
static rg_dl_elem_more *more(rg_dl *dl, int id)
{
    rg_dl_elem *e = &dl->elems[id];
    if (!e->more) e->more = rg_arena_alloc(dl->arena, sizeof *e->more);   /* zeroed */
    return e->more;
}

int rg_dl_elem_new(rg_dl *dl, int parent, const char *role)
{
    rg_grow(&dl->elems, &dl->elems_cap, dl->nelems + 1, sizeof *dl->elems);
    rg_dl_elem *e = &dl->elems[dl->nelems];
    memset(e, 0, sizeof *e);
    e->role = role_of(dl, role);
    e->parent = parent;
    int id = (int)dl->nelems++;
    if (parent >= 0) add_kid(dl, parent, RG_KID_ELEM, id, 0);
    return id;
}

void rg_dl_elem_enter(rg_dl *dl, int id)
{
    rg_grow(&dl->stack, &dl->stack_cap, dl->nstack + 1, sizeof *dl->stack);
    dl->stack[dl->nstack++] = id;
}

void rg_dl_elem_leave(rg_dl *dl)
{
    if (dl->nstack) dl->nstack--;
}

int rg_dl_elem_current(const rg_dl *dl)
{
    return dl->nstack ? dl->stack[dl->nstack - 1] : -1;
}

void rg_dl_elem_set_lang(rg_dl *dl, int id, const char *lang) { more(dl, id)->lang = dup(dl, lang); }
void rg_dl_elem_set_alt(rg_dl *dl, int id, const char *alt) { more(dl, id)->alt = dup(dl, alt); }
void rg_dl_elem_set_scope(rg_dl *dl, int id, const char *scope) { more(dl, id)->scope = dup(dl, scope); }

void rg_dl_elem_set_actual_text(rg_dl *dl, int id, const char *text)
{
    more(dl, id)->actual_text = dup(dl, text);
}

void rg_dl_elem_set_span(rg_dl *dl, int id, int colspan, int rowspan)
{
    rg_dl_elem_more *m = more(dl, id);
    m->colspan = colspan;
    m->rowspan = rowspan;
}

void rg_dl_elem_set_bbox(rg_dl *dl, int id, size_t page, double x0, double y0, double x1,
                         double y1)
{
    rg_dl_elem_more *m = more(dl, id);
    m->has_bbox = 1;
    m->bbox_page = page;
    m->bbox[0] = x0;
    m->bbox[1] = y0;
    m->bbox[2] = x1;
    m->bbox[3] = y1;
}

/* ---- footnotes (issue 16) ---- */

void rg_dl_note_ref(rg_dl *dl, size_t page, const char *name, int line)
{
    rg_grow(&dl->notes, &dl->notes_cap, dl->nnotes + 1, sizeof *dl->notes);
    dl->notes[dl->nnotes++] = (rg_dl_note){ dup(dl, name), (long)page, -1, line };
}

void rg_dl_note_at(rg_dl *dl, size_t page, const char *name)
{
    for (size_t i = dl->nnotes; i-- > 0;)
        if (strcmp(dl->notes[i].name, name) == 0) {
            if (dl->notes[i].note_page < 0) dl->notes[i].note_page = (long)page;
            return;
        }
}

void rg_dl_elem_set_id(rg_dl *dl, int id, const char *elem_id)
{
    more(dl, id)->id = dup(dl, elem_id);
}

void rg_dl_outline_add(rg_dl *dl, const char *title, int level, int page, double y)
{
    rg_grow(&dl->outline, &dl->outline_cap, dl->noutline + 1, sizeof *dl->outline);
    dl->outline[dl->noutline++] = (rg_dl_outline){ dup(dl, title), level, page, y };
}

void rg_dl_label_add(rg_dl *dl, int first_page, rg_label_style style, int start,
                     const char *prefix)
{
    rg_grow(&dl->labels, &dl->labels_cap, dl->nlabels + 1, sizeof *dl->labels);
    dl->labels[dl->nlabels++] = (rg_dl_label){ first_page, style, start, dup(dl, prefix) };
}

/* ---- dump ---- */

/* a component as 00..FF; one outside 0..1 (which the pdf stage refuses)
 * is dumped clamped rather than converted out of range */
static int color_byte(double v)
{
    int b;
    rg_double_to_int(v * 255 + 0.5, 0, 255, &b);
    return b;
}

static void dump_color(FILE *out, rg_color c)
{
    fprintf(out, "#%02X%02X%02X", color_byte(c.r), color_byte(c.g), color_byte(c.b));
}

static void dump_quoted(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c < 0x20) fprintf(out, "\\x%02X", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

static void dump_glyphs(FILE *out, const rg_dl_glyphs *g)
{
    double scale = g->size / rg_font_upem(g->font);
    double w = 0;
    for (size_t i = 0; i < g->nglyphs; i++) w += g->glyphs[i].x_advance * scale;
    fprintf(out, "  text %.2f %.2f w=%.2f font=%d:%s size=%.2f color=", g->x, g->y, w,
            rg_font_id(g->font), rg_font_psname(g->font), g->size);
    dump_color(out, g->color);
    fputc(' ', out);
    dump_quoted(out, g->text, g->text_len);
    fputs(" gids=", out);
    for (size_t i = 0; i < g->nglyphs; i++)
        fprintf(out, "%s%u", i ? "," : "", (unsigned)g->glyphs[i].gid);
    if (g->flags & RG_RUN_SPACE_AFTER) fputs(" space-after", out);
    if (g->flags & RG_RUN_RAISED) fputs(" raised", out);
    if (g->flags & RG_RUN_RTL) {                      /* bidi (issue 17): the drawing order */
        fputs(" rtl clusters=", out);
        for (size_t i = 0; i < g->nglyphs; i++)
            fprintf(out, "%s%u", i ? "," : "", (unsigned)g->glyphs[i].cluster);
    }
    if (g->rest) {
        fputs(" rest=", out);
        dump_quoted(out, g->rest, g->rest_len);
    }
    if (g->flags & RG_RUN_CONTINUES) fprintf(out, " continues=%zu", g->cont_len);
    if (g->angle != 0) fprintf(out, " angle=%.2f", g->angle);
    fputc('\n', out);
}

static void dump_item(FILE *out, const rg_dl_item *it)
{
    switch (it->kind) {
    case RG_DL_GLYPHS:
        dump_glyphs(out, &it->u.glyphs);
        break;
    case RG_DL_RECT: {
        const rg_dl_rect *r = &it->u.rect;
        fprintf(out, "  rect %.2f %.2f %.2f %.2f", r->x, r->y, r->w, r->h);
        if (r->fill) { fputs(" fill=", out); dump_color(out, r->fill_color); }
        if (r->stroke) {
            fputs(" stroke=", out);
            dump_color(out, r->stroke_color);
            fprintf(out, " lw=%.2f", r->line_width);
        }
        fputc('\n', out);
        break;
    }
    case RG_DL_PATH: {
        const rg_dl_path *p = &it->u.path;
        fputs("  path", out);
        for (size_t i = 0; i < p->nsegs; i++) {
            const rg_path_seg *s = &p->segs[i];
            static const char *const op[] = { "M", "L", "C", "Z" };
            static const int npts[] = { 2, 2, 6, 0 };
            fprintf(out, " %s", op[s->op]);
            for (int k = 0; k < npts[s->op]; k++) fprintf(out, " %.2f", s->pts[k]);
        }
        if (p->fill) { fputs(" fill=", out); dump_color(out, p->fill_color); }
        if (p->stroke) {
            fputs(" stroke=", out);
            dump_color(out, p->stroke_color);
            fprintf(out, " lw=%.2f", p->line_width);
        }
        if (p->dash_on > 0) fprintf(out, " dash=%.2f,%.2f", p->dash_on, p->dash_off);
        if (p->clip)
            fprintf(out, " clip=%.2f,%.2f,%.2f,%.2f", p->clip_x0, p->clip_y0, p->clip_x1,
                    p->clip_y1);
        fputc('\n', out);
        break;
    }
    case RG_DL_LINK: {
        const rg_dl_link *l = &it->u.link;
        fprintf(out, "  link %.2f %.2f %.2f %.2f %s%s\n", l->x, l->y, l->w, l->h,
                l->uri ? "uri=" : "dest=", l->uri ? l->uri : l->dest);
        break;
    }
    case RG_DL_DEST:
        fprintf(out, "  dest %s y=%.2f\n", it->u.dest.name, it->u.dest.y);
        break;
    case RG_DL_ARTIFACT_BEGIN:
        fputs("  artifact\n", out);
        break;
    case RG_DL_ARTIFACT_END:
        fputs("  end-artifact\n", out);
        break;
    case RG_DL_IMAGE: {
        const rg_dl_image *im = &it->u.image;
        fprintf(out, "  image %.2f %.2f %.2f %.2f %s %dx%d channels=%d%s", im->x, im->y, im->w,
                im->h, im->format == RG_DL_IMAGE_JPEG ? "jpeg" : "png", im->width, im->height,
                im->channels, im->alpha ? " alpha" : "");
        if (im->orientation > 1) fprintf(out, " orientation=%d", im->orientation);
        fprintf(out, " %s\n", im->name ? im->name : "");
        break;
    }
    }
}

/* The structure tree, depth-first, one element per line with its kids:
 * e<N> elements, c<N> chunks (page), a<page>.<item> annotations. */
static void dump_struct(const rg_dl *dl, FILE *out)
{
    for (size_t i = 0; i < dl->nelems; i++) {
        const rg_dl_elem *e = &dl->elems[i];
        const rg_dl_elem_more *m = rg_dl_elem_more_of(e);
        fprintf(out, "elem e%zu %s parent=e%d", i, e->role, e->parent);
        if (m->lang) fprintf(out, " lang=%s", m->lang);
        if (m->scope) fprintf(out, " scope=%s", m->scope);
        if (m->colspan > 1 || m->rowspan > 1) fprintf(out, " span=%dx%d", m->colspan, m->rowspan);
        if (m->alt) fprintf(out, " alt=\"%.40s\"", m->alt);
        fputs(" kids=", out);
        for (size_t k = 0; k < e->nkids; k++) {
            const rg_dl_kid *kid = &e->kids[k];
            if (kid->kind == RG_KID_ELEM) fprintf(out, "%se%d", k ? "," : "", kid->index);
            else if (kid->kind == RG_KID_CHUNK)
                fprintf(out, "%sc%d@p%zu", k ? "," : "", kid->index,
                        (size_t)dl->chunks[kid->index].page + 1);
            else fprintf(out, "%sa%d.%zu", k ? "," : "", kid->index + 1, (size_t)kid->item);
        }
        fputc('\n', out);
    }
}

void rg_dl_dump(const rg_dl *dl, FILE *out)
{
    const rg_dl_meta *m = &dl->meta;
    fprintf(out, "meta title=\"%s\" author=\"%s\" lang=%s date=%04d-%02d-%02d\n",
            m->title ? m->title : "", m->author ? m->author : "",
            m->lang ? m->lang : "", m->year, m->month, m->day);
    for (size_t i = 0; i < dl->nlabels; i++)
        fprintf(out, "label page=%d style=%d start=%d prefix=\"%s\"\n",
                dl->labels[i].first_page + 1, (int)dl->labels[i].style, dl->labels[i].start,
                dl->labels[i].prefix ? dl->labels[i].prefix : "");
    for (size_t i = 0; i < dl->nnotes; i++)
        fprintf(out, "note \"%s\" ref-page=%ld note-page=%ld\n", dl->notes[i].name,
                dl->notes[i].ref_page + 1, dl->notes[i].note_page + 1);
    for (size_t i = 0; i < dl->noutline; i++)
        fprintf(out, "outline %d page=%d y=%.2f \"%s\"\n", dl->outline[i].level,
                dl->outline[i].page + 1, dl->outline[i].y, dl->outline[i].title);
    for (size_t i = 0; i < dl->npagerefs; i++)
        fprintf(out, "pageref page=%zu dest=%s text=\"%s\"\n", dl->pagerefs[i].page + 1,
                dl->pagerefs[i].dest, dl->pagerefs[i].text);
    for (size_t i = 0; i < dl->npages; i++) {
        const rg_dl_page *p = rg_dl_page_get(dl, i);   /* a spilled one read back */
        if (!p) {
            fprintf(out, "page %zu unreadable\n", i + 1);  /* rg_dl_spill_status says why */
            continue;
        }
        fprintf(out, "page %zu %.2f x %.2f\n", i + 1, p->width, p->height);
        int chunk = -2;
        for (size_t k = 0; k < p->nitems; k++) {
            const rg_dl_item *it = &p->items[k];
            int content = it->kind == RG_DL_GLYPHS || it->kind == RG_DL_RECT ||
                          it->kind == RG_DL_PATH || it->kind == RG_DL_IMAGE;
            if (content && it->chunk != chunk && dl->nelems) {   /* marked content starts */
                chunk = it->chunk;
                if (chunk >= 0) fprintf(out, "  mc c%d e%d\n", chunk, dl->chunks[chunk].elem);
                else fputs("  mc -\n", out);
            }
            dump_item(out, it);
        }
        rg_dl_page_unload(dl, i);
    }
    dump_struct(dl, out);
}
