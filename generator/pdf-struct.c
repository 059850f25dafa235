/* pdf-struct.c - the logical structure of a tagged PDF. Stage: pdf. Owns
 * everything that turns the display list's structure tree (rg_dl_elem,
 * rg_dl_chunk) into PDF: the marked-content ids (MCIDs) the page writer
 * asks for while it writes each page, the StructTreeRoot with one
 * StructElem per element, the ParentTree that maps MCIDs and link
 * annotations back to their elements, /StructParents and /Tabs on pages,
 * /StructParent and a fallback /Contents on link annotations, and
 * /MarkInfo in the catalog. It also decides which glyphs need
 * /ActualText (rg_pdf_actual_text), tagged or not.
 *
 * Order of use, all from pdf.c: rg_pdf_struct_new before the pages are
 * written; rg_pdf_struct_mcid from pdf-page.c for every marked-content
 * sequence; rg_pdf_struct_annot for every link annotation; then
 * rg_pdf_struct_build once, before the trailer /ID is computed (it hashes
 * what it writes). The tree is walked with loops, never recursion: deep
 * nesting cannot overflow the stack. */
#include "pdf-imp.h"

#include <hpdf_catalog.h>
#include <hpdf_objects.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Standard structure types (PDF 32000-1, 14.8.4): the roles an element
 * may have. Anything else would need a RoleMap, which layout never asks
 * for, so an unknown role is a layout bug. */
static const char *const standard_roles[] = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"};

/* One marked-content sequence: MCID mcid on page, content of chunk. */
typedef struct mc_rec {
    size_t page;
    int mcid;
    int chunk;
    size_t next;                   /* next record of the same chunk, or SIZE_MAX */
} mc_rec;

/* One link annotation libharu made. */
typedef struct annot_rec {
    size_t page, item;
    HPDF_Annotation annot;
    int elem;                      /* the Link element whose OBJR names it, -1 = none yet */
} annot_rec;

struct rg_pdf_struct {
    rg_pdf_writer *w;
    const rg_dl *dl;
    size_t *page_mcids;            /* MCIDs handed out per page */
    mc_rec *recs;
    size_t nrecs, recs_cap;
    annot_rec *annots;             /* in (page, item) order: pages are written in order */
    size_t nannots, annots_cap;
};

static int role_ok(const char *role)
{
    if (!role) return 0;
    for (size_t i = 0; i < sizeof standard_roles / sizeof *standard_roles; i++)
        if (!strcmp(role, standard_roles[i])) return 1;
    return 0;
}

/* The display list's tree must be a tree: each element's parent comes
 * before it (rg_dl_elem_new guarantees that, and it rules out cycles),
 * each child appears once, in its parent's kids; chunks and annotation
 * kids point at existing chunks and link items. */
static int tree_ok(rg_pdf_writer *w, const rg_dl *dl)
{
    for (size_t i = 0; i < dl->nelems; i++) {
        const rg_dl_elem *e = &dl->elems[i];
        if (!role_ok(e->role)) {
            rg_pdf_fail(w, RG_EX_SOFTWARE, "structure element %zu has role '%s', not a "
                        "standard structure type", i, e->role ? e->role : "(none)");
            return 0;
        }
        if (e->parent >= (int)i || e->parent < -1) {
            rg_pdf_fail(w, RG_EX_SOFTWARE, "structure element %zu (%s) has parent %d", i,
                        e->role, e->parent);
            return 0;
        }
        for (size_t k = 0; k < e->nkids; k++) {
            const rg_dl_kid *kid = &e->kids[k];
            int ok;
            switch (kid->kind) {
            case RG_KID_ELEM:
                ok = kid->index > (int)i && (size_t)kid->index < dl->nelems &&
                     dl->elems[kid->index].parent == (int)i;
                break;
            case RG_KID_CHUNK:
                ok = kid->index >= 0 && (size_t)kid->index < dl->nchunks &&
                     dl->chunks[kid->index].elem == (int)i;
                break;
            case RG_KID_ANNOT:
                ok = kid->index >= 0 && (size_t)kid->index < dl->npages &&
                     kid->item < dl->pages[kid->index].nitems &&
                     dl->pages[kid->index].items[kid->item].kind == RG_DL_LINK;
                break;
            default:
                ok = 0;
            }
            if (!ok) {
                rg_pdf_fail(w, RG_EX_SOFTWARE, "structure element %zu (%s): kid %zu is not "
                            "its own", i, e->role, k);
                return 0;
            }
        }
    }
    for (size_t c = 0; c < dl->nchunks; c++)
        if (dl->chunks[c].elem < 0 || (size_t)dl->chunks[c].elem >= dl->nelems) {
            rg_pdf_fail(w, RG_EX_SOFTWARE, "content chunk %zu has no element", c);
            return 0;
        }
    return 1;
}

rg_pdf_struct *rg_pdf_struct_new(rg_pdf_writer *w, const rg_dl *dl)
{
    if (dl->nelems == 0 || !tree_ok(w, dl)) return NULL;
    rg_pdf_struct *st = rg_xcalloc(1, sizeof *st);
    st->w = w;
    st->dl = dl;
    st->page_mcids = rg_xcalloc(dl->npages ? dl->npages : 1, sizeof *st->page_mcids);
    return st;
}

void rg_pdf_struct_free(rg_pdf_struct *st)
{
    if (!st) return;
    free(st->page_mcids);
    free(st->recs);
    free(st->annots);
    free(st);
}

int rg_pdf_struct_mcid(rg_pdf_struct *st, size_t page, int chunk, const char **role)
{
    const rg_dl *dl = st->dl;
    if (chunk < 0 || (size_t)chunk >= dl->nchunks || page >= dl->npages) {
        rg_pdf_fail(st->w, RG_EX_SOFTWARE, "content chunk %d on page %zu does not exist",
                    chunk, page + 1);
        return -1;
    }
    if (st->page_mcids[page] >= INT32_MAX) {
        rg_pdf_fail(st->w, RG_EX_SOFTWARE, "too many marked-content sequences on page %zu",
                    page + 1);
        return -1;
    }
    rg_grow(&st->recs, &st->recs_cap, st->nrecs + 1, sizeof *st->recs);
    int mcid = (int)st->page_mcids[page]++;
    st->recs[st->nrecs++] = (mc_rec){page, mcid, chunk, SIZE_MAX};
    *role = dl->elems[dl->chunks[chunk].elem].role;
    return mcid;
}

/* ---- text strings ---- */

static void hash_str(rg_pdf_writer *w, const char *s)
{
    if (s) rg_pdf_hash(w, s, strlen(s) + 1);
    else rg_pdf_hash(w, "", 1);
}

/* ---- link annotations ---- */

/* "Ga naar <dest>": the description a link to a destination in this
 * document gets when layout gave none (the document language is Dutch;
 * layout should normally pass the target's title). */
static const char goto_prefix[] = "Ga naar ";

void rg_pdf_struct_annot(rg_pdf_struct *st, size_t page, size_t item, HPDF_Annotation a)
{
    const rg_dl *dl = st->dl;
    if (!a || page >= dl->npages || item >= dl->pages[page].nitems) return;
    rg_grow(&st->annots, &st->annots_cap, st->nannots + 1, sizeof *st->annots);
    st->annots[st->nannots++] = (annot_rec){page, item, a, -1};
    const rg_dl_link *l = &dl->pages[page].items[item].u.link;
    if (l->contents && *l->contents) return;    /* pdf.c has written it */
    if (l->uri) {
        HPDF_Dict_Add(a, "Contents", rg_pdf_text_string(st->w, l->uri));
    } else if (l->dest) {
        size_t n = strlen(l->dest);
        char *s = rg_xmalloc(sizeof goto_prefix + n);
        memcpy(s, goto_prefix, sizeof goto_prefix - 1);
        memcpy(s + sizeof goto_prefix - 1, l->dest, n + 1);
        HPDF_Dict_Add(a, "Contents", rg_pdf_text_string(st->w, s));
        free(s);
    }
}

static annot_rec *annot_find(rg_pdf_struct *st, size_t page, size_t item)
{
    size_t lo = 0, hi = st->nannots;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const annot_rec *r = &st->annots[mid];
        if (r->page < page || (r->page == page && r->item < item)) lo = mid + 1;
        else hi = mid;
    }
    if (lo < st->nannots && st->annots[lo].page == page && st->annots[lo].item == item)
        return &st->annots[lo];
    return NULL;
}

/* ---- the structure tree ---- */

static int rec_cmp(const void *a, const void *b)
{
    const mc_rec *x = a, *y = b;
    if (x->page != y->page) return x->page < y->page ? -1 : 1;
    return (x->mcid > y->mcid) - (x->mcid < y->mcid);
}

typedef struct builder {
    rg_pdf_struct *st;
    const HPDF_Page *pages;
    HPDF_Dict *dicts;              /* per element */
    size_t *chunk_first;           /* per chunk: first record, SIZE_MAX = never written */
    size_t *page_first;            /* per page: its first record (records sorted) */
    annot_rec **keyed;             /* annotations in ParentTree key order */
    size_t nkeyed;
} builder;

static HPDF_Dict indirect_dict(rg_pdf_writer *w)
{
    HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
    if (!d || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK) return NULL;
    return d;
}

static int number_ok(rg_pdf_writer *w, double v, size_t elem)
{
    if (isfinite(v) && fabs(v) <= RG_PDF_MAX_NUMBER) return 1;
    rg_pdf_fail(w, RG_EX_SOFTWARE, "structure element %zu: bounding box value %g", elem, v);
    return 0;
}

/* /A: a Layout attribute object for the bounding box, a Table one for
 * header scope and spans; an array when both apply. */
static void attributes(builder *b, size_t i)
{
    rg_pdf_writer *w = b->st->w;
    HPDF_MMgr mm = w->pdf->mmgr;
    const rg_dl_elem *e = &b->st->dl->elems[i];
    HPDF_Dict layout = NULL, table = NULL;
    if (e->has_bbox) {
        for (int k = 0; k < 4; k++)
            if (!number_ok(w, e->bbox[k], i)) return;
        layout = HPDF_Dict_New(mm);
        HPDF_Dict_AddName(layout, "O", "Layout");
        HPDF_Array bbox = HPDF_Array_New(mm);
        for (int k = 0; k < 4; k++) HPDF_Array_AddReal(bbox, (HPDF_REAL)e->bbox[k]);
        HPDF_Dict_Add(layout, "BBox", bbox);
        rg_pdf_hash(w, e->bbox, sizeof e->bbox);
    }
    int th = !strcmp(e->role, "TH");
    if (th || e->colspan > 1 || e->rowspan > 1) {
        table = HPDF_Dict_New(mm);
        HPDF_Dict_AddName(table, "O", "Table");
        if (th) {
            int row = e->scope && !strcmp(e->scope, "Row");
            int both = e->scope && !strcmp(e->scope, "Both");
            HPDF_Dict_AddName(table, "Scope", both ? "Both" : row ? "Row" : "Column");
        }
        if (e->rowspan > 1) HPDF_Dict_AddNumber(table, "RowSpan", e->rowspan);
        if (e->colspan > 1) HPDF_Dict_AddNumber(table, "ColSpan", e->colspan);
        int spans[2] = {e->colspan, e->rowspan};
        rg_pdf_hash(w, spans, sizeof spans);
        hash_str(w, e->scope);
    }
    if (layout && table) {
        HPDF_Array a = HPDF_Array_New(mm);
        HPDF_Array_Add(a, layout);
        HPDF_Array_Add(a, table);
        HPDF_Dict_Add(b->dicts[i], "A", a);
    } else if (layout || table) {
        HPDF_Dict_Add(b->dicts[i], "A", layout ? layout : table);
    }
}

/* The page an element's /Pg names: where its first marked content is,
 * else its first annotation's page; SIZE_MAX for none. */
static size_t elem_page(const builder *b, const rg_dl_elem *e)
{
    const rg_pdf_struct *st = b->st;
    for (size_t k = 0; k < e->nkids; k++) {
        const rg_dl_kid *kid = &e->kids[k];
        if (kid->kind == RG_KID_CHUNK && b->chunk_first[kid->index] != SIZE_MAX)
            return st->recs[b->chunk_first[kid->index]].page;
    }
    for (size_t k = 0; k < e->nkids; k++)
        if (e->kids[k].kind == RG_KID_ANNOT) return (size_t)e->kids[k].index;
    return SIZE_MAX;
}

/* /K in kid order: child elements, marked content (a bare MCID on the
 * element's own /Pg, else an MCR dictionary), annotations (OBJR). Chunks
 * that never reached a page (nothing drawn) and links without an
 * annotation (no target) are left out. */
static void kids(builder *b, size_t i)
{
    rg_pdf_struct *st = b->st;
    rg_pdf_writer *w = st->w;
    HPDF_MMgr mm = w->pdf->mmgr;
    const rg_dl_elem *e = &st->dl->elems[i];
    HPDF_Dict d = b->dicts[i];
    size_t pg = elem_page(b, e);
    if (pg != SIZE_MAX) HPDF_Dict_Add(d, "Pg", b->pages[pg]);
    HPDF_Array K = HPDF_Array_New(mm);
    size_t n = 0;
    for (size_t k = 0; k < e->nkids && !w->status; k++) {
        const rg_dl_kid *kid = &e->kids[k];
        if (kid->kind == RG_KID_ELEM) {
            HPDF_Array_Add(K, b->dicts[kid->index]);
            n++;
        } else if (kid->kind == RG_KID_CHUNK) {
            for (size_t r = b->chunk_first[kid->index]; r != SIZE_MAX; r = st->recs[r].next) {
                const mc_rec *rec = &st->recs[r];
                if (rec->page == pg) {
                    HPDF_Array_AddNumber(K, rec->mcid);
                } else {
                    HPDF_Dict mcr = HPDF_Dict_New(mm);
                    HPDF_Dict_AddName(mcr, "Type", "MCR");
                    HPDF_Dict_Add(mcr, "Pg", b->pages[rec->page]);
                    HPDF_Dict_AddNumber(mcr, "MCID", rec->mcid);
                    HPDF_Array_Add(K, mcr);
                }
                n++;
            }
        } else {
            annot_rec *a = annot_find(st, (size_t)kid->index, kid->item);
            if (!a || a->elem >= 0) continue;
            a->elem = (int)i;
            b->keyed[b->nkeyed++] = a;
            HPDF_Dict objr = HPDF_Dict_New(mm);
            HPDF_Dict_AddName(objr, "Type", "OBJR");
            HPDF_Dict_Add(objr, "Obj", a->annot);
            HPDF_Dict_Add(objr, "Pg", b->pages[a->page]);
            HPDF_Array_Add(K, objr);
            n++;
        }
        int fields[2] = {(int)kid->kind, kid->index};
        rg_pdf_hash(w, fields, sizeof fields);
    }
    if (n) HPDF_Dict_Add(d, "K", K);
    else HPDF_Array_Free(K);
}

static void elem_fill(builder *b, size_t i, HPDF_Dict root)
{
    rg_pdf_writer *w = b->st->w;
    const rg_dl_elem *e = &b->st->dl->elems[i];
    HPDF_Dict d = b->dicts[i];
    HPDF_Dict_Add(d, "P", e->parent < 0 ? root : b->dicts[e->parent]);
    kids(b, i);
    if (e->lang && *e->lang) HPDF_Dict_Add(d, "Lang", rg_pdf_text_string(w, e->lang));
    if (e->alt && *e->alt) HPDF_Dict_Add(d, "Alt", rg_pdf_text_string(w, e->alt));
    if (e->actual_text && *e->actual_text)
        HPDF_Dict_Add(d, "ActualText", rg_pdf_text_string(w, e->actual_text));
    attributes(b, i);
    hash_str(w, e->role);
    hash_str(w, e->lang);
    hash_str(w, e->alt);
    hash_str(w, e->actual_text);
}

/* Sorts the MCID records by page and MCID and links each chunk's
 * records in that order. */
static void index_records(builder *b)
{
    rg_pdf_struct *st = b->st;
    const rg_dl *dl = st->dl;
    if (st->nrecs) qsort(st->recs, st->nrecs, sizeof *st->recs, rec_cmp);
    size_t *last = rg_xmalloc((dl->nchunks ? dl->nchunks : 1) * sizeof *last);
    for (size_t c = 0; c < dl->nchunks; c++) b->chunk_first[c] = last[c] = SIZE_MAX;
    for (size_t p = 0; p < dl->npages; p++) b->page_first[p] = SIZE_MAX;
    for (size_t r = 0; r < st->nrecs; r++) {
        mc_rec *rec = &st->recs[r];
        if (b->page_first[rec->page] == SIZE_MAX) b->page_first[rec->page] = r;
        rec->next = SIZE_MAX;
        size_t c = (size_t)rec->chunk;
        if (last[c] == SIZE_MAX) b->chunk_first[c] = r;
        else st->recs[last[c]].next = r;
        last[c] = r;
    }
    free(last);
}

/* ParentTree: page p (key p) maps to the array of its MCIDs' elements;
 * the k-th tagged link annotation has key npages + k and maps to its
 * Link element. Pages get /StructParents and /Tabs /S (tab order follows
 * the structure). */
static HPDF_Dict parent_tree(builder *b)
{
    rg_pdf_struct *st = b->st;
    rg_pdf_writer *w = st->w;
    HPDF_MMgr mm = w->pdf->mmgr;
    const rg_dl *dl = st->dl;
    HPDF_Dict tree = HPDF_Dict_New(mm);
    HPDF_Array nums = HPDF_Array_New(mm);
    if (!tree || !nums) return NULL;
    for (size_t p = 0; p < dl->npages && !w->status; p++) {
        HPDF_Array refs = HPDF_Array_New(mm);
        if (!refs || HPDF_Xref_Add(w->pdf->xref, refs) != HPDF_OK) return NULL;
        size_t r = b->page_first[p];
        for (; r < st->nrecs && st->recs[r].page == p; r++)
            HPDF_Array_Add(refs, b->dicts[dl->chunks[st->recs[r].chunk].elem]);
        HPDF_Array_AddNumber(nums, (HPDF_INT32)p);
        HPDF_Array_Add(nums, refs);
        HPDF_Dict_AddNumber(b->pages[p], "StructParents", (HPDF_INT32)p);
        HPDF_Dict_AddName(b->pages[p], "Tabs", "S");
    }
    for (size_t k = 0; k < b->nkeyed && !w->status; k++) {
        HPDF_INT32 key = (HPDF_INT32)(dl->npages + k);
        HPDF_Dict_AddNumber(b->keyed[k]->annot, "StructParent", key);
        HPDF_Array_AddNumber(nums, key);
        HPDF_Array_Add(nums, b->dicts[b->keyed[k]->elem]);
    }
    HPDF_Dict_Add(tree, "Nums", nums);
    return tree;
}

void rg_pdf_struct_build(rg_pdf_struct *st, const HPDF_Page *pages)
{
    rg_pdf_writer *w = st->w;
    HPDF_Doc pdf = w->pdf;
    const rg_dl *dl = st->dl;
    if (dl->npages > INT32_MAX / 2 || st->nannots > INT32_MAX / 2) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "too many pages or links for a structure tree");
        return;
    }
    builder b = {0};
    b.st = st;
    b.pages = pages;
    b.dicts = rg_xcalloc(dl->nelems, sizeof *b.dicts);
    b.chunk_first = rg_xmalloc((dl->nchunks ? dl->nchunks : 1) * sizeof *b.chunk_first);
    b.page_first = rg_xmalloc(dl->npages * sizeof *b.page_first);
    b.keyed = rg_xmalloc((st->nannots ? st->nannots : 1) * sizeof *b.keyed);
    index_records(&b);

    if (pdf->pdf_version < HPDF_VER_15) pdf->pdf_version = HPDF_VER_15;   /* /Tabs */
    HPDF_Dict root = indirect_dict(w);
    if (!root) goto done;
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    for (size_t i = 0; i < dl->nelems; i++) {
        b.dicts[i] = indirect_dict(w);
        if (!b.dicts[i]) goto done;
        HPDF_Dict_AddName(b.dicts[i], "Type", "StructElem");
        HPDF_Dict_AddName(b.dicts[i], "S", dl->elems[i].role);
    }
    HPDF_Array top = HPDF_Array_New(pdf->mmgr);
    for (size_t i = 0; i < dl->nelems && !w->status; i++) {
        elem_fill(&b, i, root);
        if (dl->elems[i].parent < 0) HPDF_Array_Add(top, b.dicts[i]);
    }
    if (w->status) goto done;
    HPDF_Dict_Add(root, "K", top);
    HPDF_Dict tree = parent_tree(&b);
    if (!tree) goto done;
    HPDF_Dict_Add(root, "ParentTree", tree);
    HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)(dl->npages + b.nkeyed));

    HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root);
    HPDF_Dict mark = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark);
    size_t counts[3] = {dl->nelems, st->nrecs, b.nkeyed};
    rg_pdf_hash(w, counts, sizeof counts);
done:
    free(b.dicts);
    free(b.chunk_first);
    free(b.page_first);
    free(b.keyed);
}

/* ---- /ActualText for glyphs ---- */

/* Clusters up to this many bytes are converted on the stack: this runs
 * for every cluster of every glyph run. Longer ones use the heap. */
enum { SMALL_CLUSTER = 64 };

/* Well-formed UTF-8 to UTF-16 into out (room for n units); returns the
 * unit count, or SIZE_MAX for anything else (the caller then uses
 * rg_pdf_utf16, which knows what to do with malformed bytes). */
static size_t utf16_small(const unsigned char *s, size_t n, uint16_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || i + len > n) return SIZE_MAX;
        uint32_t cp = len == 1 ? c : c & (0x7Fu >> len);
        for (size_t j = 1; j < len; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return SIZE_MAX;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return SIZE_MAX;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[k++] = (uint16_t)(0xD800 + (cp >> 10));
            out[k++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            out[k++] = (uint16_t)cp;
        }
        i += len;
    }
    return k;
}

size_t rg_pdf_actual_text(const rg_pdf_font *pf, const rg_dl_glyphs *run, size_t i,
                          rg_pdf_buf *out)
{
    if (!run->text || i >= run->nglyphs) return 0;
    uint32_t cl = run->glyphs[i].cluster;
    if (i > 0 && run->glyphs[i - 1].cluster == cl) return 0;      /* not a cluster start */
    size_t n = 1;
    while (i + n < run->nglyphs && run->glyphs[i + n].cluster == cl) n++;
    size_t start = cl, end = rg_pdf_cluster_end(run, i);
    if (start >= end || end > run->text_len) return 0;            /* no text: nothing to fix */

    uint16_t small[SMALL_CLUSTER], *heap = NULL, *want = small;
    size_t nwant = SIZE_MAX, cap = 0;
    if (end - start <= SMALL_CLUSTER)
        nwant = utf16_small((const unsigned char *)run->text + start, end - start, small);
    if (nwant == SIZE_MAX) {
        nwant = 0;
        rg_pdf_utf16(run->text + start, end - start, (size_t)-1, &heap, &nwant, &cap);
        want = heap;
    }
    /* What a reader extracts: the glyphs' ToUnicode texts, concatenated. */
    size_t at = 0;
    int same = 1;
    for (size_t k = 0; k < n && same; k++) {
        size_t len;
        const uint16_t *u = rg_pdf_font_unicode(pf, run->glyphs[i + k].gid, &len);
        if (at + len > nwant || (len && memcmp(u, want + at, len * sizeof *u))) same = 0;
        at += len;
    }
    if (same && at == nwant) n = 0;
    if (n) {
        rg_pdf_buf_str(out, "<FEFF");
        for (size_t k = 0; k < nwant; k++) rg_pdf_buf_hex4(out, want[k]);
        rg_pdf_buf_str(out, ">");
    }
    free(heap);
    return n;
}
