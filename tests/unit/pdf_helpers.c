/* pdf_helpers.c - see pdf_helpers.h. */
#include "pdf_helpers.h"

#include "test.h"

#include <hpdf_objects.h>
#include <stdlib.h>

static void HPDF_STDCALL on_error(HPDF_STATUS no, HPDF_STATUS detail, void *data)
{
    rg_pdf_fail(data, RG_EX_SOFTWARE, "libharu error 0x%04X (%u)", (unsigned)no,
                (unsigned)detail);
}

HPDF_Doc test_pdf_new(rg_pdf_writer *w)
{
    return HPDF_New(on_error, w);
}

char *test_pdf_saved(rg_pdf_writer *w, HPDF_UINT32 *len)
{
    *len = 0;
    if (HPDF_SaveToStream(w->pdf) != HPDF_OK) return NULL;
    *len = HPDF_GetStreamSize(w->pdf);
    char *out = malloc(*len + 1);
    HPDF_ReadFromStream(w->pdf, (HPDF_BYTE *)out, len);
    out[*len] = 0;
    return out;
}

/* One build, saved: its bytes (malloc'd, NUL-terminated; NULL when the
 * save failed) and *len; *status is the writer's. */
static unsigned char *saved(test_pdf_build_fn *build, int old, HPDF_UINT32 *len,
                            rg_status *status)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_pdf_writer w = { .ctx = ctx, .name = "test.pdf" };
    w.pdf = test_pdf_new(&w);
    build(&w, old);
    unsigned char *out = (unsigned char *)test_pdf_saved(&w, len);
    *status = w.status;
    HPDF_Free(w.pdf);
    rg_ctx_free(ctx);
    return out;
}

char *test_pdf_same_bytes(test_pdf_build_fn *build)
{
    HPDF_UINT32 old_len, now_len;
    rg_status old_st, now_st;
    unsigned char *old = saved(build, 1, &old_len, &old_st);
    unsigned char *now = saved(build, 0, &now_len, &now_st);
    CHECK(old_st == RG_OK && now_st == RG_OK);
    CHECK(old && now && old_len == now_len && !memcmp(old, now, old_len));
    free(now);
    return old ? (char *)old : rg_xstrdup("");
}

HPDF_Destination test_pdf_xyz(HPDF_Doc pdf, HPDF_Page page, double top)
{
    HPDF_Destination dst = HPDF_Array_New(pdf->mmgr);
    dst->header.obj_class |= HPDF_OSUBCLASS_DESTINATION;   /* what libharu validates */
    HPDF_Array_Add(dst, page);
    HPDF_Array_AddName(dst, "XYZ");
    HPDF_Array_AddNumber(dst, 0);
    HPDF_Array_AddReal(dst, (HPDF_REAL)top);
    HPDF_Array_Add(dst, HPDF_Null_New(pdf->mmgr));
    return dst;
}
