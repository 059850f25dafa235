/* pdf/annot.c - link annotations (issue 22). Stage: pdf. Owns the link
 * annotation objects: pdf/pdf.c makes them (rg_pdf_link_new), pdf/struct.c
 * gives them a fallback /Contents and their /StructParent.
 *
 * libharu made each link annotation of about 30 allocations (~2.9 KB with
 * its destination array, measured at 9,409 pages: 107 MB for 36,250
 * links): a dict entry is a 128-byte key buffer, a name a 128-byte value,
 * every number and array its own object, and all of it lived until the
 * save. Here a link is one indirect libharu dict without entries (its
 * object number, its place in the page's /Annots as before) and a record
 * of what it says; its write_fn writes the entries while libharu saves,
 * in the order and format libharu's objects wrote them:
 *   /Rect [ l b r t ]  /Type /Annot  /Subtype /Link
 *   /Dest [ page 0 R /XYZ 0 top null ]  or  /A << /Type /Action /S /URI /URI (...) >>
 *   /P page 0 R  /Border [ 0 0 0 ]  /F 4  /Contents ...  /StructParent n
 * (reals through HPDF_FToA, dicts as "<<\012/Key value\012...>>", arrays
 * as "[ a b ]"; see pdf/struct.c's writers). The record is freed with the
 * dict (its free_fn). */
#include "internal.h"

#include <hpdf_objects.h>
#include <stdlib.h>
#include <string.h>

typedef struct link_rec {
    HPDF_REAL rect[4];             /* left, bottom, right, top as libharu ordered them */
    HPDF_REAL top;                 /* /XYZ top of a /Dest */
    uint32_t page_id;              /* /P */
    uint32_t dest_id;              /* the /Dest page; 0: a URI link */
    HPDF_INT32 struct_parent;      /* -1: none */
    char *uri;                     /* a URI link's URI (ASCII) */
    char *contents;                /* NULL: none */
} link_rec;

static void put(rg_pdf_buf *b, const char *s) { rg_pdf_buf_str(b, s); }

/* libharu's write_fn: the entries (it has written "<<\012", writes ">>"). */
static HPDF_STATUS link_write(HPDF_Dict d, HPDF_Stream s)
{
    const link_rec *r = d->attr;
    rg_pdf_buf b = {0};
    uint16_t *units = NULL;
    size_t cap = 0;
    put(&b, "/Rect [ ");
    for (int k = 0; k < 4; k++) {
        rg_pdf_put_real(&b, r->rect[k]);
        put(&b, " ");
    }
    put(&b, "]\012/Type /Annot\012/Subtype /Link\012");
    if (r->dest_id) {
        rg_pdf_put_dest(&b, r->dest_id, r->top);
    } else {
        put(&b, "/A <<\012/Type /Action\012/S /URI\012/URI ");
        rg_pdf_put_text(&b, r->uri, &units, &cap);
        put(&b, "\012>>\012");
    }
    put(&b, "/P ");
    rg_pdf_put_ref(&b, r->page_id);
    put(&b, "\012/Border [ 0 0 0 ]\012/F 4\012");
    if (r->contents) {
        put(&b, "/Contents ");
        rg_pdf_put_text(&b, r->contents, &units, &cap);
        put(&b, "\012");
    }
    if (r->struct_parent >= 0) {
        put(&b, "/StructParent ");
        rg_pdf_put_int(&b, r->struct_parent);
        put(&b, "\012");
    }
    free(units);
    return rg_pdf_lean_write(s, &b);                /* pdf/lean.c */
}

static void link_free(HPDF_Dict d)
{
    link_rec *r = d->attr;
    if (r) {
        free(r->uri);
        free(r->contents);
        free(r);
    }
    d->attr = NULL;
}

/* Whether libharu would take v as a real (HPDF_Real_SetValue). */
static int real_ok(HPDF_REAL v)
{
    return v >= HPDF_LIMIT_MIN_REAL && v <= HPDF_LIMIT_MAX_REAL;
}

/* Adds a to page's /Annots, made on the first link (as libharu's
 * AddAnnotation). */
static int annots_add(HPDF_Page page, HPDF_Dict a)
{
    HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
    if (!annots) {
        annots = HPDF_Array_New(page->mmgr);
        if (!annots || HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK) return -1;
    }
    return HPDF_Array_Add(annots, a) == HPDF_OK ? 0 : -1;
}

HPDF_Annotation rg_pdf_link_new(rg_pdf_writer *w, HPDF_Page page, HPDF_Rect r, HPDF_Page dest,
                                double top, char *uri)
{
    if (r.top < r.bottom) {                      /* as HPDF_Annotation_New */
        HPDF_REAL t = r.top;
        r.top = r.bottom;
        r.bottom = t;
    }
    if (w->status || !real_ok(r.left) || !real_ok(r.bottom) || !real_ok(r.right) ||
        !real_ok(r.top) || (dest && !real_ok((HPDF_REAL)top))) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "link area beyond %d on a page", HPDF_LIMIT_MAX_REAL);
        free(uri);
        return NULL;
    }
    if (!dest && !rg_pdf_text_fits(uri, NULL, NULL)) {      /* ASCII: nothing converted */
        rg_pdf_fail(w, RG_EX_SOFTWARE, "a link's URI is longer than %d bytes",
                    HPDF_LIMIT_MAX_STRING_LEN);
        free(uri);
        return NULL;
    }
    link_rec *rec = rg_xcalloc(1, sizeof *rec);
    *rec = (link_rec){ { r.left, r.bottom, r.right, r.top }, (HPDF_REAL)top,
                       rg_pdf_obj_num(page), dest ? rg_pdf_obj_num(dest) : 0, -1,
                       dest ? NULL : uri, NULL };
    if (dest) free(uri);
    HPDF_Dict a = rg_pdf_lean_dict(w, link_write, link_free, rec);       /* pdf/lean.c */
    if (!a) {                                     /* libharu has reported it */
        free(rec->uri);
        free(rec);
        return NULL;
    }
    a->header.obj_class |= HPDF_OSUBCLASS_ANNOTATION;
    return annots_add(page, a) == 0 ? a : NULL;
}

void rg_pdf_link_set_contents(rg_pdf_writer *w, HPDF_Annotation a, const char *text)
{
    link_rec *r = a->attr;
    uint16_t *units = NULL;
    size_t cap = 0;
    int fits = rg_pdf_text_fits(text, &units, &cap);
    free(units);
    if (!fits) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "a link's text is longer than %d bytes",
                    HPDF_LIMIT_MAX_STRING_LEN);
        return;
    }
    free(r->contents);
    r->contents = rg_xstrdup(text);
}

void rg_pdf_link_set_struct_parent(HPDF_Annotation a, HPDF_INT32 key)
{
    ((link_rec *)a->attr)->struct_parent = key;
}
