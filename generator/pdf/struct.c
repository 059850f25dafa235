/* pdf/struct.c - the logical structure of a tagged PDF. Stage: pdf. Owns
 * everything that turns the display list's structure tree (rg_dl_elem,
 * rg_dl_chunk) into PDF: the marked-content ids (MCIDs) the page writer
 * asks for while it writes each page, the StructTreeRoot with one
 * StructElem per element, the ParentTree that maps MCIDs and link
 * annotations back to their elements, /StructParents and /Tabs on pages,
 * /StructParent and a fallback /Contents on link annotations, and
 * /MarkInfo in the catalog. It also decides which glyphs need
 * /ActualText (rg_pdf_actual_text), tagged or not.
 *
 * Order of use, all from pdf/pdf.c: rg_pdf_struct_new before the pages are
 * written; rg_pdf_struct_add_mcids from pdf/page.c for every page's marked-content
 * sequence; rg_pdf_struct_annot for every link annotation; then
 * rg_pdf_struct_build once, before the trailer /ID is computed (it hashes
 * what it writes). The tree is walked with loops, never recursion: deep
 * nesting cannot overflow the stack.
 *
 * A tagged report has tens of thousands of elements, and libharu spends
 * a 128-byte key buffer, a value object and a list slot on every dict
 * entry. So the StructTreeRoot is an indirect libharu dict without
 * entries whose write_fn (root_write) writes them while libharu saves
 * the document, from the display list and the ids recorded here,
 * formatted with libharu's own number writers so the bytes are the ones
 * libharu's objects gave. Hence st and the display list must live until
 * the document is saved. Only the ParentTree's per-page arrays stay
 * libharu arrays: they must be indirect arrays (PDF 32000-1, 14.7.4.4)
 * and a dict cannot write one.
 *
 * The StructElems do without a dict each (issue 22: at 9,409 pages,
 * 348,012 of them took 33.4 MB of dicts, ~96 bytes each, at the pdf
 * stage's peak). libharu's cross-reference table numbers an object by
 * its entry's index, not by the object, and writes the entries in index
 * order, so all elements' entries (consecutive, from elem_id0; made here
 * as HPDF_Xref_Add makes them, which refuses an object that is already
 * indirect) hold ONE entry-less dict whose write_fn, elem_write, writes
 * the next element each time; it checks that libharu is writing the
 * entry it expects and stops the save with an error if not. What
 * libharu writes itself, the ParentTree arrays' references, names tiny
 * stand-ins (st->targets: an object header with the element's number,
 * 8 bytes each). libharu's HPDF_Free frees every entry's object; the
 * first free of the shared dict takes it out of the other entries
 * (elem_objs_free), so it is freed once on every path: unsaved, failed
 * or saved, st freed before or after the document. The entries remain
 * (12.5 MB); the pdf stage's peak went from 222 to 187 MB. Checked
 * against libharu 2.3.0's hpdf_xref.c, hpdf_objects.c, hpdf_array.c and
 * hpdf_dict.c. */
#include "internal.h"

#include <hpdf_catalog.h>
#include <hpdf_objects.h>
#include <hpdf_utils.h>      /* HPDF_IToA, HPDF_FToA, HPDF_NEEDS_ESCAPE */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One marked-content sequence: MCID mcid on page, content of chunk.
 * 16 bytes (issue 22: ~400,000 of them at 9,409 pages). */
typedef struct mc_rec {
    uint32_t page;
    int mcid;
    int chunk;
    uint32_t next;                 /* next record of the same chunk, or NO_REC */
} mc_rec;

#define NO_REC UINT32_MAX

/* One link annotation libharu made. */
typedef struct annot_rec {
    size_t page, item;
    HPDF_Annotation annot;
    uint32_t id;                   /* its object number */
    int elem;                      /* the Link element whose OBJR names it, -1 = none yet */
    size_t kid;                    /* ... and which of that element's kids does */
} annot_rec;

/* The one dict every element's cross-reference entry holds (see the
 * header comment). Owned by that dict: its free function frees it. */
typedef struct elem_objs {
    rg_pdf_struct *st;             /* for elem_write: valid while the document is saved */
    HPDF_Dict dict;
    HPDF_Xref xref;
    HPDF_UINT first;               /* element 0's index in xref->entries */
    HPDF_UINT n;                   /* entries made so far, each holding dict */
    HPDF_UINT next;                /* the element elem_write writes next */
} elem_objs;

struct rg_pdf_struct {
    rg_pdf_writer *w;
    const rg_dl *dl;
    size_t *page_mcids;            /* MCIDs handed out per page */
    mc_rec *recs;                  /* sorted by (page, MCID) once built */
    size_t nrecs, recs_cap;
    annot_rec *annots;             /* in (page, item) order: pages are written in order */
    size_t nannots, annots_cap;

    /* From rg_pdf_struct_build on, for the write functions: */
    uint32_t root_id;              /* the StructTreeRoot's object number */
    uint32_t elem_id0;             /* element i is object elem_id0 + i */
    HPDF_Obj_Header *targets;      /* per element: what the ParentTree's references name */
    uint32_t *page_ids;            /* per page: the page object's number */
    uint32_t *tree_ids;            /* per page: its ParentTree array's number */
    uint32_t *chunk_first;         /* per chunk: first record, NO_REC = never written */
    annot_rec **keyed;             /* tagged annotations in ParentTree key order */
    size_t nkeyed;
    rg_pdf_buf out;                /* the object being written */
    uint16_t *units;               /* a text string's UTF-16 */
    size_t units_cap;
};

/* Only standard structure types: anything else would need a RoleMap,
 * which layout never asks for, so an unknown role is a layout bug. */
static int role_ok(const char *role)
{
    return rg_dl_standard_role(role) != NULL;
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
                /* a spilled page's kinds are checked when it is read back:
                 * an item that is no link gets no annotation (page_links) */
                ok = kid->index >= 0 && (size_t)kid->index < dl->npages &&
                     kid->item < rg_dl_page_nitems(dl, (size_t)kid->index) &&
                     (rg_dl_page_spilled(dl, (size_t)kid->index) ||
                      dl->pages[kid->index].items[kid->item].kind == RG_DL_LINK);
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
    free(st->page_ids);
    free(st->tree_ids);
    free(st->chunk_first);
    free(st->keyed);
    free(st->targets);             /* libharu's proxies never read them when freed */
    rg_pdf_buf_free(&st->out);
    free(st->units);
    free(st);
}

void rg_pdf_struct_add_mcids(rg_pdf_struct *st, size_t page, const int *chunks, size_t n)
{
    rg_grow(&st->recs, &st->recs_cap, st->nrecs + n, sizeof *st->recs);
    for (size_t k = 0; k < n; k++)
        st->recs[st->nrecs++] = (mc_rec){(uint32_t)page, (int)k, chunks[k], NO_REC};
    st->page_mcids[page] = n;
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
    st->annots[st->nannots++] = (annot_rec){page, item, a, rg_pdf_obj_num(a), -1, SIZE_MAX};
    const rg_dl_link *l = &dl->pages[page].items[item].u.link;
    if (l->contents && *l->contents) return;    /* pdf/pdf.c has written it */
    if (l->uri) {
        rg_pdf_link_set_contents(st->w, a, l->uri);
    } else if (l->dest) {
        size_t n = strlen(l->dest);
        char *s = rg_xmalloc(sizeof goto_prefix + n);
        memcpy(s, goto_prefix, sizeof goto_prefix - 1);
        memcpy(s + sizeof goto_prefix - 1, l->dest, n + 1);
        rg_pdf_link_set_contents(st->w, a, s);
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

/* ---- the structure tree: building ---- */

static int rec_cmp(const void *a, const void *b)
{
    const mc_rec *x = a, *y = b;
    if (x->page != y->page) return x->page < y->page ? -1 : 1;
    return (x->mcid > y->mcid) - (x->mcid < y->mcid);
}

/* Sorts the MCID records by page and MCID, links each chunk's records in
 * that order (st->chunk_first) and sets page_first[p] to page p's first
 * record. */
static void index_records(rg_pdf_struct *st, size_t *page_first)
{
    const rg_dl *dl = st->dl;
    if (st->nrecs) qsort(st->recs, st->nrecs, sizeof *st->recs, rec_cmp);
    uint32_t *last = rg_xmalloc((dl->nchunks ? dl->nchunks : 1) * sizeof *last);
    for (size_t c = 0; c < dl->nchunks; c++) st->chunk_first[c] = last[c] = NO_REC;
    for (size_t p = 0; p < dl->npages; p++) page_first[p] = SIZE_MAX;
    for (uint32_t r = 0; r < st->nrecs; r++) {     /* nrecs < NO_REC: rg_pdf_struct_build */
        mc_rec *rec = &st->recs[r];
        if (page_first[rec->page] == SIZE_MAX) page_first[rec->page] = r;
        rec->next = NO_REC;
        size_t c = (size_t)rec->chunk;
        if (last[c] == NO_REC) st->chunk_first[c] = r;
        else st->recs[last[c]].next = r;
        last[c] = r;
    }
    free(last);
}

/* An indirect dict without entries that fn writes (attr: st). NULL when
 * libharu fails (its error handler has reported it). */
static HPDF_Dict indirect_dict(rg_pdf_struct *st, HPDF_Dict_OnWriteFunc fn)
{
    rg_pdf_xref_grow_geometric(st->w);             /* pdf/growth.c */
    return rg_pdf_lean_dict(st->w, fn, NULL, st);  /* pdf/lean.c; libharu leaves st alone */
}

static int number_ok(rg_pdf_writer *w, double v, size_t elem)
{
    if (isfinite(v) && fabs(v) <= RG_PDF_MAX_NUMBER) return 1;
    rg_pdf_fail(w, RG_EX_SOFTWARE, "structure element %zu: bounding box value %g", elem, v);
    return 0;
}

/* Longest text string, in bytes as written (UTF-16 with its byte-order
 * mark when not ASCII): libharu's HPDF_String/HPDF_Binary limit, which
 * used to refuse longer ones, so such a document still fails, now with
 * a message saying why. */
#define MAX_TEXT_BYTES HPDF_LIMIT_MAX_STRING_LEN

static int is_ascii(const char *s)
{
    for (const char *c = s; *c; c++)
        if (*c < ' ' || *c > '~') return 0;
    return 1;
}

int rg_pdf_text_fits(const char *s, uint16_t **units, size_t *cap)
{
    size_t n = strlen(s), bytes = n;
    if (n > (MAX_TEXT_BYTES - 2) / 2 && !is_ascii(s)) {   /* short ones fit anyway */
        size_t k = 0;
        rg_pdf_utf16(s, n, (size_t)-1, units, &k, cap);
        bytes = 2 * k + 2;
    }
    return bytes <= MAX_TEXT_BYTES;
}

static int text_ok(rg_pdf_struct *st, const char *s, size_t elem, const char *key)
{
    if (!s || !*s || rg_pdf_text_fits(s, &st->units, &st->units_cap)) return 1;
    rg_pdf_fail(st->w, RG_EX_SOFTWARE, "structure element %zu: /%s is longer than %d bytes",
                elem, key, MAX_TEXT_BYTES);
    return 0;
}

static int table_attrs(const rg_dl_elem *e)
{
    const rg_dl_elem_more *m = rg_dl_elem_more_of(e);
    return !strcmp(e->role, "TH") || m->colspan > 1 || m->rowspan > 1;
}

/* Claims the annotations element i's OBJR kids name (first claim wins;
 * the claims fix the ParentTree keys) and hashes the kids. */
static void claim_kids(rg_pdf_struct *st, size_t i)
{
    rg_pdf_writer *w = st->w;
    const rg_dl_elem *e = &st->dl->elems[i];
    for (size_t k = 0; k < e->nkids && !w->status; k++) {
        const rg_dl_kid *kid = &e->kids[k];
        if (kid->kind == RG_KID_ANNOT) {
            annot_rec *a = annot_find(st, (size_t)kid->index, kid->item);
            if (!a || a->elem >= 0) continue;
            a->elem = (int)i;
            a->kid = k;
            st->keyed[st->nkeyed++] = a;
        }
        int fields[2] = {(int)kid->kind, kid->index};
        rg_pdf_hash(w, fields, sizeof fields);
    }
}

/* Checks what elem_write will write for element i and hashes it for
 * the /ID, in the order the hash has always had. Failures set the
 * sticky error. */
static void elem_prepare(rg_pdf_struct *st, size_t i)
{
    rg_pdf_writer *w = st->w;
    const rg_dl_elem *e = &st->dl->elems[i];
    const rg_dl_elem_more *m = rg_dl_elem_more_of(e);
    claim_kids(st, i);
    if (!text_ok(st, m->lang, i, "Lang") || !text_ok(st, m->alt, i, "Alt") ||
        !text_ok(st, m->actual_text, i, "ActualText") || !text_ok(st, m->id, i, "ID"))
        return;
    if (m->has_bbox) {
        for (int k = 0; k < 4; k++)
            if (!number_ok(w, m->bbox[k], i)) return;
        rg_pdf_hash(w, m->bbox, sizeof m->bbox);
    }
    if (table_attrs(e)) {
        int spans[2] = {m->colspan, m->rowspan};
        rg_pdf_hash(w, spans, sizeof spans);
        hash_str(w, m->scope);
    }
    hash_str(w, e->role);
    hash_str(w, m->lang);
    hash_str(w, m->alt);
    hash_str(w, m->actual_text);
    if (m->id) hash_str(w, m->id);       /* only Notes have one: other hashes unchanged */
}

/* ParentTree: page p (key p) maps to the array of its MCIDs' elements,
 * an indirect libharu array; the k-th tagged link annotation has key
 * npages + k and maps to its Link element (root_write writes the /Nums).
 * Pages get /StructParents and /Tabs /S (tab order follows the
 * structure), annotations /StructParent. */
static void parent_tree(rg_pdf_struct *st, const HPDF_Page *pages, const size_t *page_first)
{
    rg_pdf_writer *w = st->w;
    const rg_dl *dl = st->dl;
    for (size_t p = 0; p < dl->npages && !w->status; p++) {
        HPDF_Array refs = HPDF_Array_New(w->pdf->mmgr);
        if (!refs || HPDF_Xref_Add(w->pdf->xref, refs) != HPDF_OK) return;
        st->tree_ids[p] = rg_pdf_obj_num(refs);
        size_t r = page_first[p];
        for (; r < st->nrecs && st->recs[r].page == p; r++)
            HPDF_Array_Add(refs, &st->targets[dl->chunks[st->recs[r].chunk].elem]);
        HPDF_Dict_AddNumber(pages[p], "StructParents", (HPDF_INT32)p);
        HPDF_Dict_AddName(pages[p], "Tabs", "S");
    }
    for (size_t k = 0; k < st->nkeyed && !w->status; k++)
        rg_pdf_link_set_struct_parent(st->keyed[k]->annot, (HPDF_INT32)(dl->npages + k));
}

static HPDF_STATUS elem_write(HPDF_Dict d, HPDF_Stream s);
static HPDF_STATUS root_write(HPDF_Dict d, HPDF_Stream s);

/* A cross-reference entry for obj at the end of xref, as HPDF_Xref_Add
 * makes one (which refuses an object that is indirect already): object
 * number xref->start_offset + its index. Failures are libharu's, raised
 * through its error handler. */
static HPDF_STATUS xref_entry_add(HPDF_Xref xref, void *obj)
{
    if (xref->entries->count >= HPDF_LIMIT_MAX_XREF_ELEMENT)
        return HPDF_RaiseError(xref->error, HPDF_XREF_COUNT_ERR, 0);
    HPDF_XrefEntry e = HPDF_GetMem(xref->mmgr, sizeof *e);
    if (!e) return HPDF_CheckError(xref->error);
    if (HPDF_List_Add(xref->entries, e) != HPDF_OK) {
        HPDF_FreeMem(xref->mmgr, e);
        return HPDF_CheckError(xref->error);
    }
    e->entry_typ = HPDF_IN_USE_ENTRY;
    e->byte_offset = 0;
    e->gen_no = 0;
    e->obj = obj;
    return HPDF_OK;
}

/* The shared dict's free_fn. HPDF_Xref_Free force-frees the object of
 * every entry, in index order, reading each entry's object just before:
 * the first free of the dict takes it out of all the elements' entries,
 * so it is freed once, whichever HPDF_Free frees it and whether st is
 * still there. */
static void elem_objs_free(HPDF_Dict d)
{
    elem_objs *o = d->attr;
    for (HPDF_UINT k = 0; k < o->n; k++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(o->xref, o->first + k);
        if (e && e->obj == d) e->obj = NULL;
    }
    free(o);
    d->attr = NULL;
}

/* The elements' objects: one entry-less dict with elem_write as its
 * write_fn, held by nelems consecutive cross-reference entries (from
 * st->elem_id0 on), and st->targets for the references libharu writes.
 * 0 on success; the caller stops on failure (libharu reported it). */
static int elems_new(rg_pdf_struct *st)
{
    HPDF_Doc pdf = st->w->pdf;
    HPDF_Xref xref = pdf->xref;
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (!d) return -1;
    elem_objs *o = rg_xmalloc(sizeof *o);
    *o = (elem_objs){st, d, xref, xref->entries->count, 0, 0};
    d->write_fn = elem_write;
    d->free_fn = elem_objs_free;
    d->attr = o;
    st->elem_id0 = xref->start_offset + o->first;
    d->header.obj_id = HPDF_OTYPE_INDIRECT | st->elem_id0;   /* no HPDF_Xref_Add, no free */
    for (size_t i = 0; i < st->dl->nelems; i++) {
        rg_pdf_xref_grow_geometric(st->w);         /* pdf/growth.c */
        if (xref_entry_add(xref, d) != HPDF_OK) break;
        o->n++;
    }
    if (o->n == 0) HPDF_Dict_Free(d);              /* no entry holds it */
    if (o->n < st->dl->nelems) return -1;
    st->targets = rg_xmalloc(st->dl->nelems * sizeof *st->targets);
    for (size_t i = 0; i < st->dl->nelems; i++)
        st->targets[i] = (HPDF_Obj_Header){HPDF_OTYPE_INDIRECT | (st->elem_id0 + (uint32_t)i), 0,
                                           HPDF_OCLASS_DICT};
    return 0;
}

/* The StructTreeRoot, then the elements with consecutive object numbers
 * (elems_new). NULL on failure. */
static HPDF_Dict objects_new(rg_pdf_struct *st)
{
    HPDF_Dict root = indirect_dict(st, root_write);
    if (!root) return NULL;
    st->root_id = rg_pdf_obj_num(root);
    return elems_new(st) == 0 ? root : NULL;
}

void rg_pdf_struct_build(rg_pdf_struct *st, const HPDF_Page *pages)
{
    rg_pdf_writer *w = st->w;
    HPDF_Doc pdf = w->pdf;
    const rg_dl *dl = st->dl;
    if (dl->npages > INT32_MAX / 2 || st->nannots > INT32_MAX / 2 ||
        dl->nelems > HPDF_LIMIT_MAX_XREF_ELEMENT || st->nrecs >= NO_REC) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "too many pages, links or elements for a structure tree");
        return;
    }
    size_t *page_first = rg_xmalloc(dl->npages * sizeof *page_first);
    st->chunk_first = rg_xmalloc((dl->nchunks ? dl->nchunks : 1) * sizeof *st->chunk_first);
    st->keyed = rg_xmalloc((st->nannots ? st->nannots : 1) * sizeof *st->keyed);
    st->page_ids = rg_xmalloc(dl->npages * sizeof *st->page_ids);
    st->tree_ids = rg_xcalloc(dl->npages, sizeof *st->tree_ids);
    for (size_t p = 0; p < dl->npages; p++) st->page_ids[p] = rg_pdf_obj_num(pages[p]);
    index_records(st, page_first);

    if (pdf->pdf_version < HPDF_VER_15) pdf->pdf_version = HPDF_VER_15;   /* /Tabs */
    HPDF_Dict root = objects_new(st);
    if (!root) goto done;
    for (size_t i = 0; i < dl->nelems && !w->status; i++) elem_prepare(st, i);
    if (w->status) goto done;
    parent_tree(st, pages, page_first);
    if (w->status) goto done;

    HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root);
    HPDF_Dict mark = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark);
    size_t counts[3] = {dl->nelems, st->nrecs, st->nkeyed};
    rg_pdf_hash(w, counts, sizeof counts);
done:
    free(page_first);
}

/* ---- the structure tree: writing (libharu calls these while saving) ----
 *
 * Each write function composes its object's entries in st->out and hands
 * them to libharu's stream at once. The bytes are the ones libharu wrote
 * for the dicts and arrays these used to be: "/Key value\012" per entry,
 * arrays as "[ a b ]", references as "N 0 R", numbers through HPDF_IToA
 * and HPDF_FToA, strings as HPDF_String (literal, escaped) or HPDF_Binary
 * (hex) wrote them. */

static void put(rg_pdf_buf *b, const char *s) { rg_pdf_buf_str(b, s); }

void rg_pdf_put_int(rg_pdf_buf *b, HPDF_INT32 v)
{
    char t[HPDF_INT_LEN + 1];      /* as HPDF_Stream_WriteInt */
    char *end = HPDF_IToA(t, v, t + HPDF_INT_LEN);
    rg_pdf_buf_put(b, t, (size_t)(end - t));
}

void rg_pdf_put_real(rg_pdf_buf *b, double v)
{
    char t[HPDF_REAL_LEN + 1];     /* as HPDF_Stream_WriteReal */
    char *end = HPDF_FToA(t, (HPDF_REAL)v, t + HPDF_REAL_LEN);
    rg_pdf_buf_put(b, t, (size_t)(end - t));
}

void rg_pdf_put_ref(rg_pdf_buf *b, uint32_t id)
{
    rg_pdf_put_int(b, (HPDF_INT32)id);
    put(b, " 0 R");
}

void rg_pdf_put_dest(rg_pdf_buf *b, uint32_t page, HPDF_REAL top)
{
    put(b, "/Dest [ ");
    rg_pdf_put_ref(b, page);
    put(b, " /XYZ 0 ");
    rg_pdf_put_real(b, top);
    put(b, " null ]\012");
}

void rg_pdf_put_text(rg_pdf_buf *b, const char *s, uint16_t **units, size_t *cap)
{
    if (is_ascii(s)) {
        put(b, "(");
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
            if (HPDF_NEEDS_ESCAPE(*c)) {
                char esc[4] = {'\\', (char)('0' + (*c >> 6)), (char)('0' + ((*c >> 3) & 7)),
                               (char)('0' + (*c & 7))};
                rg_pdf_buf_put(b, esc, 4);
            } else {
                rg_pdf_buf_put(b, c, 1);
            }
        }
        put(b, ")");
        return;
    }
    size_t n = 0;
    rg_pdf_utf16(s, strlen(s), (size_t)-1, units, &n, cap);
    put(b, "<FEFF");
    for (size_t k = 0; k < n; k++) rg_pdf_buf_hex4(b, (*units)[k]);
    put(b, ">");
}

static void put_text_entry(rg_pdf_struct *st, rg_pdf_buf *b, const char *key, const char *s)
{
    if (!s || !*s) return;
    put(b, key);
    rg_pdf_put_text(b, s, &st->units, &st->units_cap);
    put(b, "\012");
}

/* The page an element's /Pg names: where its first marked content is,
 * else its first annotation's page; SIZE_MAX for none. */
static size_t elem_page(const rg_pdf_struct *st, const rg_dl_elem *e)
{
    for (size_t k = 0; k < e->nkids; k++) {
        const rg_dl_kid *kid = &e->kids[k];
        if (kid->kind == RG_KID_CHUNK && st->chunk_first[kid->index] != NO_REC)
            return st->recs[st->chunk_first[kid->index]].page;
    }
    for (size_t k = 0; k < e->nkids; k++)
        if (e->kids[k].kind == RG_KID_ANNOT) return (size_t)e->kids[k].index;
    return SIZE_MAX;
}

/* Starts /K before its first item, and separates items. */
static void k_item(rg_pdf_buf *b, size_t *n)
{
    put(b, (*n)++ ? " " : "/K [ ");
}

/* /K in kid order: child elements, marked content (a bare MCID on the
 * element's own /Pg, else an MCR dictionary), annotations (an OBJR, when
 * this kid claimed it). Chunks that never reached a page (nothing drawn)
 * and links without an annotation (no target) are left out, and so is
 * /K when nothing is left. */
static void kids_write(rg_pdf_struct *st, size_t i, size_t pg, rg_pdf_buf *b)
{
    const rg_dl_elem *e = &st->dl->elems[i];
    size_t n = 0;
    for (size_t k = 0; k < e->nkids; k++) {
        const rg_dl_kid *kid = &e->kids[k];
        if (kid->kind == RG_KID_ELEM) {
            k_item(b, &n);
            rg_pdf_put_ref(b, st->elem_id0 + (uint32_t)kid->index);
        } else if (kid->kind == RG_KID_CHUNK) {
            for (uint32_t r = st->chunk_first[kid->index]; r != NO_REC; r = st->recs[r].next) {
                const mc_rec *rec = &st->recs[r];
                k_item(b, &n);
                if (rec->page == pg) {
                    rg_pdf_put_int(b, rec->mcid);
                } else {
                    put(b, "<<\012/Type /MCR\012/Pg ");
                    rg_pdf_put_ref(b, st->page_ids[rec->page]);
                    put(b, "\012/MCID ");
                    rg_pdf_put_int(b, rec->mcid);
                    put(b, "\012>>");
                }
            }
        } else {
            const annot_rec *a = annot_find(st, (size_t)kid->index, kid->item);
            if (!a || a->elem != (int)i || a->kid != k) continue;
            k_item(b, &n);
            put(b, "<<\012/Type /OBJR\012/Obj ");
            rg_pdf_put_ref(b, a->id);
            put(b, "\012/Pg ");
            rg_pdf_put_ref(b, st->page_ids[a->page]);
            put(b, "\012>>");
        }
    }
    if (n) put(b, " ]\012");
}

/* /A: a Layout attribute object for the bounding box, a Table one for
 * header scope and spans; an array when both apply. */
static void attrs_write(const rg_dl_elem *e, rg_pdf_buf *b)
{
    const rg_dl_elem_more *m = rg_dl_elem_more_of(e);
    int table = table_attrs(e);
    if (!m->has_bbox && !table) return;
    put(b, m->has_bbox && table ? "/A [ " : "/A ");
    if (m->has_bbox) {
        put(b, "<<\012/O /Layout\012/BBox [ ");
        for (int k = 0; k < 4; k++) {
            rg_pdf_put_real(b, m->bbox[k]);
            put(b, " ");
        }
        put(b, "]\012>>");
        if (table) put(b, " ");
    }
    if (table) {
        put(b, "<<\012/O /Table\012");
        if (!strcmp(e->role, "TH")) {
            int row = m->scope && !strcmp(m->scope, "Row");
            int both = m->scope && !strcmp(m->scope, "Both");
            put(b, both ? "/Scope /Both\012" : row ? "/Scope /Row\012" : "/Scope /Column\012");
        }
        if (m->rowspan > 1) {
            put(b, "/RowSpan ");
            rg_pdf_put_int(b, m->rowspan);
            put(b, "\012");
        }
        if (m->colspan > 1) {
            put(b, "/ColSpan ");
            rg_pdf_put_int(b, m->colspan);
            put(b, "\012");
        }
        put(b, ">>");
        if (m->has_bbox) put(b, " ]");
    }
    put(b, "\012");
}

/* Hands what st->out holds to libharu's stream. */
static HPDF_STATUS flush(rg_pdf_struct *st, HPDF_Stream s)
{
    HPDF_STATUS ret = HPDF_Stream_Write(s, (const HPDF_BYTE *)st->out.p, (HPDF_UINT)st->out.len);
    st->out.len = 0;
    return ret;
}

/* Whether libharu's cross-reference table is writing element i's entry
 * now: HPDF_Xref_WriteToStream set the entry's byte_offset to where
 * "N 0 obj\012" starts, and HPDF_Dict_Write wrote "<<\012" after it. */
static int writing_entry(const elem_objs *o, HPDF_UINT i, HPDF_Stream s)
{
    HPDF_XrefEntry e = HPDF_Xref_GetEntry(o->xref, o->first + i);
    char num[HPDF_INT_LEN + 1];
    char *end = HPDF_IToA(num, (HPDF_INT32)(o->xref->start_offset + o->first + i),
                          num + HPDF_INT_LEN);
    static const char rest[] = " 0 obj\012<<\012";
    return e && e->obj == o->dict &&
           (HPDF_UINT)(e->byte_offset + (HPDF_UINT)(end - num) + sizeof rest - 1) == s->size;
}

/* libharu's write_fn of the dict every element's entry holds: the next
 * element's entries (libharu has written "<<\012" and writes ">>").
 * The entries are written in index order, once per save; anything else
 * stops the save with an error rather than write one element's entries
 * under another's number. */
static HPDF_STATUS elem_write(HPDF_Dict d, HPDF_Stream s)
{
    elem_objs *o = d->attr;
    rg_pdf_struct *st = o->st;
    HPDF_UINT i = o->next < o->n ? o->next : 0;    /* 0: a new save */
    if (o->n != st->dl->nelems || !writing_entry(o, i, s)) {
        rg_pdf_fail(st->w, RG_EX_SOFTWARE, "structure element %u is not the object libharu "
                    "writes (elements out of order)", (unsigned)i);
        return HPDF_SetError(d->error, HPDF_INVALID_OBJECT, 0);
    }
    o->next = i + 1;
    const rg_dl_elem *e = &st->dl->elems[i];
    rg_pdf_buf *b = &st->out;
    put(b, "/Type /StructElem\012/S /");
    put(b, e->role);               /* a standard type (tree_ok): nothing to escape */
    put(b, "\012/P ");
    rg_pdf_put_ref(b, e->parent < 0 ? st->root_id : st->elem_id0 + (uint32_t)e->parent);
    put(b, "\012");
    size_t pg = elem_page(st, e);
    if (pg != SIZE_MAX) {
        put(b, "/Pg ");
        rg_pdf_put_ref(b, st->page_ids[pg]);
        put(b, "\012");
    }
    kids_write(st, i, pg, b);
    const rg_dl_elem_more *m = rg_dl_elem_more_of(e);
    put_text_entry(st, b, "/Lang ", m->lang);
    put_text_entry(st, b, "/Alt ", m->alt);
    put_text_entry(st, b, "/ActualText ", m->actual_text);
    put_text_entry(st, b, "/ID ", m->id);          /* a Note's (issue 16) */
    attrs_write(e, b);
    return flush(st, s);
}

/* libharu's write_fn of the StructTreeRoot: /K (the top-level elements),
 * the ParentTree with its /Nums (see parent_tree) and /ParentTreeNextKey. */
static HPDF_STATUS root_write(HPDF_Dict d, HPDF_Stream s)
{
    rg_pdf_struct *st = d->attr;
    const rg_dl *dl = st->dl;
    rg_pdf_buf *b = &st->out;
    put(b, "/Type /StructTreeRoot\012/K [ ");
    for (size_t i = 0; i < dl->nelems; i++)
        if (dl->elems[i].parent < 0) {
            rg_pdf_put_ref(b, st->elem_id0 + (uint32_t)i);
            put(b, " ");
        }
    put(b, "]\012/ParentTree <<\012/Nums [ ");
    for (size_t p = 0; p < dl->npages; p++) {
        rg_pdf_put_int(b, (HPDF_INT32)p);
        put(b, " ");
        rg_pdf_put_ref(b, st->tree_ids[p]);
        put(b, " ");
    }
    for (size_t k = 0; k < st->nkeyed; k++) {
        rg_pdf_put_int(b, (HPDF_INT32)(dl->npages + k));
        put(b, " ");
        rg_pdf_put_ref(b, st->elem_id0 + (uint32_t)st->keyed[k]->elem);
        put(b, " ");
    }
    put(b, "]\012>>\012/ParentTreeNextKey ");
    rg_pdf_put_int(b, (HPDF_INT32)(dl->npages + st->nkeyed));
    put(b, "\012");
    return flush(st, s);
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

/* The common cluster, decided without converting anything: glyph i alone
 * (the next cluster starts one byte later, or the text ends there) for
 * one ASCII byte, and the glyph's ToUnicode text is that byte. Then the
 * cluster's end is that byte's end, which is what rg_pdf_cluster_end
 * would find, so the answer is the general path's. */
static int one_ascii_glyph(const rg_pdf_font *pf, const rg_dl_glyphs *run, size_t i)
{
    uint32_t cl = run->glyphs[i].cluster;
    size_t next = i + 1 < run->nglyphs ? run->glyphs[i + 1].cluster : run->text_len;
    if (cl >= run->text_len || next != (size_t)cl + 1) return 0;
    unsigned char c = (unsigned char)run->text[cl];
    if (c >= 0x80) return 0;
    size_t len;
    const uint16_t *u = rg_pdf_font_unicode(pf, run->glyphs[i].gid, &len);
    return len == 1 && u[0] == c;
}

/* rg_pdf_actual_text for a cluster start that is not one_ascii_glyph's:
 * compares the cluster's text with its glyphs' ToUnicode texts. Kept out
 * of line so the common case stays a few instructions. */
static __attribute__((noinline)) size_t cluster_actual_text(const rg_pdf_font *pf,
                                                             const rg_dl_glyphs *run,
                                                             size_t i, rg_pdf_buf *out)
{
    uint32_t cl = run->glyphs[i].cluster;
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

/* text (len bytes, may be NULL when len is 0) and then tail (UTF-16
 * hex digits) as a UTF-16BE hex string. */
static void put_utf16_string(rg_pdf_buf *out, const char *text, size_t len, const char *tail)
{
    uint16_t *units = NULL;
    size_t n = 0, cap = 0;
    if (text && len) rg_pdf_utf16(text, len, (size_t)-1, &units, &n, &cap);
    rg_pdf_buf_str(out, "<FEFF");
    for (size_t k = 0; k < n; k++) rg_pdf_buf_hex4(out, units[k]);
    rg_pdf_buf_str(out, tail);
    rg_pdf_buf_str(out, ">");
    free(units);
}

void rg_pdf_actual_text_spaced(const rg_dl_glyphs *run, size_t i, rg_pdf_buf *out)
{
    size_t start = i < run->nglyphs ? run->glyphs[i].cluster : run->text_len;
    if (!run->text || start > run->text_len) start = run->text_len;
    put_utf16_string(out, run->text ? run->text + start : NULL, run->text_len - start, "0020");
}

size_t rg_pdf_actual_text_continuation(const rg_dl_glyphs *run, rg_pdf_buf *out)
{
    if (!(run->flags & RG_RUN_CONTINUES) || run->cont_len == 0) return 0;
    size_t n = 0;
    while (n < run->nglyphs && run->glyphs[n].cluster < run->cont_len) n++;
    if (n) rg_pdf_buf_str(out, "()");
    return n;
}

size_t rg_pdf_actual_text(const rg_pdf_font *pf, const rg_dl_glyphs *run, size_t i,
                          rg_pdf_buf *out)
{
    if (!run->text || i >= run->nglyphs) return 0;
    if ((run->flags & RG_RUN_HYPHEN) && run->rest && i == 0) {
        put_utf16_string(out, run->rest, run->rest_len, "");
        return run->nglyphs;       /* the inserted hyphen reads as the rest of its word */
    }
    if (i > 0 && run->glyphs[i - 1].cluster == run->glyphs[i].cluster) return 0;  /* not a start */
    if (one_ascii_glyph(pf, run, i)) return 0;
    return cluster_actual_text(pf, run, i, out);
}
