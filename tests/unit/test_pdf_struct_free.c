/* test_pdf_struct_free.c - the structure elements' shared object
 * (pdf/struct.c, issue 22). Every StructElem's cross-reference entry holds
 * one dict, which libharu's HPDF_Free would free once per entry; the dict
 * takes itself out of the other entries when it is freed first. These
 * tests free a document whose structure tree is built without saving it,
 * after saves that fail at every point and after a full save, with the
 * structure state freed before the document (pdf/pdf.c) or after it
 * (pdf/save.c): valgrind (make leakcheck) shows any double free or leak.
 * And the order check: entries that libharu would write out of order
 * stop the save with an error. Includes pdf/internal.h: what is tested is
 * the stage's seam with libharu. */
#include "base/base.h"
#include "dlist/dlist.h"
#include "pdf/internal.h"
#include "test.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdlib.h>

static void HPDF_STDCALL on_error(HPDF_STATUS no, HPDF_STATUS detail, void *data)
{
    rg_pdf_fail(data, RG_EX_SOFTWARE, "libharu error 0x%04X (%u)", (unsigned)no,
                (unsigned)detail);
}

typedef struct fixture {
    rg_ctx *ctx;
    rg_dl *dl;
    rg_pdf_writer w;
    HPDF_Page pages[2];
    rg_pdf_struct *st;
} fixture;

/* A Document with three paragraphs, one marked-content sequence each: two
 * on page 0, one on page 1; the structure tree built, nothing saved. */
static void built(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->ctx = rg_ctx_new(NULL);
    f->dl = rg_dl_new();
    rg_dl_add_page(f->dl, 595, 842);
    rg_dl_add_page(f->dl, 595, 842);
    int doc = rg_dl_elem_new(f->dl, -1, "Document");
    rg_color grey = {0.5, 0.5, 0.5};
    for (int k = 0; k < 3; k++) {
        rg_dl_elem_enter(f->dl, rg_dl_elem_new(f->dl, doc, "P"));
        rg_dl_rect_fill(f->dl, k < 2 ? 0 : 1, 100, 100 + 30 * k, 50, 20, grey);
        rg_dl_elem_leave(f->dl);
    }
    f->w.ctx = f->ctx;
    f->w.name = "struct.pdf";
    f->w.pdf = HPDF_New(on_error, &f->w);
    f->pages[0] = HPDF_AddPage(f->w.pdf);
    f->pages[1] = HPDF_AddPage(f->w.pdf);
    f->st = rg_pdf_struct_new(&f->w, f->dl);
    CHECK(f->st && f->dl->nchunks == 3);
    if (!f->st) return;
    static const int page0[] = {0, 1}, page1[] = {2};
    rg_pdf_struct_add_mcids(f->st, 0, page0, 2);
    rg_pdf_struct_add_mcids(f->st, 1, page1, 1);
    rg_pdf_struct_build(f->st, f->pages);
    CHECK(f->w.status == RG_OK);
}

/* Frees all, the structure state first (pdf/pdf.c's order) or last
 * (pdf/save.c's). */
static void freed(fixture *f, int struct_first)
{
    if (struct_first) rg_pdf_struct_free(f->st);
    HPDF_Free(f->w.pdf);
    if (!struct_first) rg_pdf_struct_free(f->st);
    rg_dl_free(f->dl);
    rg_ctx_free(f->ctx);
}

/* A callback stream that gathers what libharu writes into a buffer and,
 * as pdf/save.c's scratch file does on a full disk, fails with the sticky
 * error once it would pass limit bytes. */
typedef struct sink {
    rg_pdf_writer *w;
    rg_pdf_buf out;
    size_t limit;
} sink;

static HPDF_STATUS sink_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
    sink *k = s->attr;
    if (k->w->status || k->out.len + n > k->limit) {
        rg_pdf_fail(k->w, RG_EX_CANTCREAT, "disk full");
        return HPDF_FILE_IO_ERROR;
    }
    rg_pdf_buf_put(&k->out, p, n);
    return HPDF_OK;
}

/* Saves f's document into k (limit: its size limit); whether that
 * succeeded, as pdf/save.c decides it. */
static int save(fixture *f, sink *k, size_t limit)
{
    *k = (sink){.w = &f->w, .limit = limit};
    f->w.pdf->stream = HPDF_CallbackWriter_New(f->w.pdf->mmgr, sink_write, k);
    return HPDF_SaveToStream(f->w.pdf) == HPDF_OK && f->w.status == RG_OK;
}

static size_t count(const rg_pdf_buf *b, const char *s)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i + len <= b->len; i++) n += !memcmp(b->p + i, s, len);
    return n;
}

TEST(pdf_struct_frees_a_document_never_saved)
{
    for (int struct_first = 0; struct_first < 2; struct_first++) {
        fixture f;
        built(&f);
        freed(&f, struct_first);
    }
}

TEST(pdf_struct_frees_a_document_saved_whole)
{
    for (int struct_first = 0; struct_first < 2; struct_first++) {
        fixture f;
        built(&f);
        sink k;
        CHECK(save(&f, &k, SIZE_MAX));
        CHECK(count(&k.out, "/Type /StructElem\012") == 4);
        CHECK(count(&k.out, "/Type /StructElem\012/S /P\012") == 3);
        rg_pdf_buf_free(&k.out);
        freed(&f, struct_first);
    }
}

/* A full disk at every point of the save: before, among and after the
 * elements. */
TEST(pdf_struct_frees_a_document_whose_save_failed)
{
    fixture f;
    built(&f);
    sink whole;
    CHECK(save(&f, &whole, SIZE_MAX));
    size_t len = whole.out.len;
    rg_pdf_buf_free(&whole.out);
    freed(&f, 1);
    for (size_t limit = 0; limit < len; limit += 7) {
        built(&f);
        sink k;
        CHECK(!save(&f, &k, limit) && f.w.status == RG_EX_CANTCREAT);
        rg_pdf_buf_free(&k.out);
        freed(&f, (int)(limit / 7 % 2));
    }
}

/* The root's entry and element 0's swapped in libharu's cross-reference
 * list: the table would write the elements' dict where the root belongs.
 * elem_write notices, and the save stops. */
TEST(pdf_struct_elements_out_of_order_stop_the_save)
{
    fixture f;
    built(&f);
    HPDF_Dict root = HPDF_Dict_GetItem(f.w.pdf->catalog, "StructTreeRoot", HPDF_OCLASS_DICT);
    CHECK(root != NULL);
    if (root) {
        HPDF_List entries = f.w.pdf->xref->entries;
        HPDF_UINT r = (root->header.obj_id & 0x00FFFFFF) - f.w.pdf->xref->start_offset;
        void *t = entries->obj[r];
        entries->obj[r] = entries->obj[r + 1];
        entries->obj[r + 1] = t;
        sink k;
        CHECK(!save(&f, &k, SIZE_MAX));
        CHECK(f.w.status == RG_EX_SOFTWARE);
        CHECK(f.ctx->diag_text && strstr(f.ctx->diag_text, "out of order"));
        CHECK(count(&k.out, "/Type /StructElem") == 0);
        rg_pdf_buf_free(&k.out);
    }
    freed(&f, 1);
}
