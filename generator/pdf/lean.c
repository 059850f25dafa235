/* pdf/lean.c - dicts without an entry list of their own (issue 22). Stage:
 * pdf. Owns the one empty HPDF_List that the pdf stage's write-function
 * dicts share (rg_pdf_writer.lean), and makes such dicts (rg_pdf_lean_dict:
 * structure elements, link annotations, outline entries).
 *
 * Every libharu dict has an HPDF_List of its entries, allocated by
 * HPDF_Dict_New. A dict whose write_fn writes everything (the StructTreeRoot,
 * a link annotation, a page's /Resources) never has an entry, so libharu
 * only ever reads the list's count (HPDF_Dict_Write, HPDF_Dict_GetItem:
 * 0) and frees it (HPDF_Dict_Free: HPDF_List_Free, which clears it and
 * gives it to its mmgr's free_fn). The shared list's mmgr is a stand-in
 * whose free_fn does nothing, so every dict may "free" it; its alloc_fn
 * aborts: HPDF_List_Add on it would mean an entry added to a lean dict,
 * whose write_fn would not write it. Checked against libharu 2.3.0's
 * hpdf_dict.c, hpdf_list.c and hpdf_mmgr.c. */
#include "internal.h"

#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>

static void *HPDF_STDCALL lean_alloc(HPDF_UINT size)
{
    fprintf(stderr, "reportgen: internal error: an entry of %u bytes added to a dict the pdf "
                    "stage writes itself\n", (unsigned)size);
    abort();
}

static void HPDF_STDCALL lean_free(void *p) { (void)p; }

void rg_pdf_lean(rg_pdf_writer *w, HPDF_Dict d)
{
    if (!w->lean.mmgr.free_fn) {
        w->lean.mmgr.error = d->mmgr->error;
        w->lean.mmgr.alloc_fn = lean_alloc;
        w->lean.mmgr.free_fn = lean_free;
        w->lean.list.mmgr = &w->lean.mmgr;
        w->lean.list.error = d->mmgr->error;
    }
    if (d->list == &w->lean.list || d->list->count) return;   /* entries: it keeps its list */
    HPDF_List_Free(d->list);
    d->list = &w->lean.list;
}

HPDF_Dict rg_pdf_lean_dict(rg_pdf_writer *w, HPDF_Dict_OnWriteFunc write_fn,
                           HPDF_Dict_FreeFunc free_fn, void *attr)
{
    HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
    if (!d || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK) return NULL;   /* Xref_Add freed d */
    d->write_fn = write_fn;
    d->free_fn = free_fn;          /* after Xref_Add: its failure frees d, not attr */
    d->attr = attr;
    rg_pdf_lean(w, d);
    return d;
}

HPDF_STATUS rg_pdf_lean_write(HPDF_Stream s, rg_pdf_buf *b)
{
    HPDF_STATUS ret = HPDF_Stream_Write(s, (const HPDF_BYTE *)b->p, (HPDF_UINT)b->len);
    rg_pdf_buf_free(b);
    return ret;
}

void rg_pdf_lean_free_attr(HPDF_Dict d)
{
    free(d->attr);
    d->attr = NULL;
}
