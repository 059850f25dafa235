/* pdf/resources.c - a page's /Resources (issue 22). Stage: pdf. Owns the
 * page's resource dictionary from the moment the page is made.
 *
 * libharu gives every page a /Resources dict with a /ProcSet array of five
 * names (a 128-byte buffer each), and HPDF_Page_GetLocalFontName and
 * HPDF_Page_GetXObjectName add a /Font and an /XObject dict with an entry
 * (a 128-byte key, a reference object) per font and picture: ~2 KB a page,
 * kept until the save. Here the dict stays where libharu put it (the page
 * names it, directly), without entries, and its write_fn writes them from
 * the object numbers of the page's fonts and pictures, as libharu wrote
 * its objects:
 *   /ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ]
 *   /Font <<\012/F1 n 0 R\012...>>      (when the page uses a font)
 *   /XObject <<\012/X1 n 0 R\012...>>   (when it shows a picture)
 * F1, F2, ... and X1, X2, ... in the order pdf/page.c numbered them, as
 * libharu named them in the order they were added. */
#include "internal.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdlib.h>

typedef struct res_rec {
    size_t nfonts, nimages;
    uint32_t ids[];                /* the fonts' object numbers, then the pictures' */
} res_rec;

static void put(rg_pdf_buf *b, const char *s) { rg_pdf_buf_str(b, s); }

/* "/Key <<\012/P1 n 0 R\012...>>\012" for n > 0 objects named prefix 1.. */
static void names_write(rg_pdf_buf *b, const char *key, const char *prefix,
                        const uint32_t *ids, size_t n)
{
    if (!n) return;
    put(b, key);
    put(b, " <<\012");
    for (size_t i = 0; i < n; i++) {
        put(b, prefix);
        rg_pdf_put_int(b, (HPDF_INT32)(i + 1));
        put(b, " ");
        rg_pdf_put_ref(b, ids[i]);
        put(b, "\012");
    }
    put(b, ">>\012");
}

static HPDF_STATUS resources_write(HPDF_Dict d, HPDF_Stream s)
{
    const res_rec *r = d->attr;
    rg_pdf_buf b = {0};
    put(&b, "/ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ]\012");
    if (r) {
        names_write(&b, "/Font", "/F", r->ids, r->nfonts);
        names_write(&b, "/XObject", "/X", r->ids + r->nfonts, r->nimages);
    }
    return rg_pdf_lean_write(s, &b);                /* pdf/lean.c */
}

/* page's resource dict, as HPDF_Page_New left it (only its /ProcSet, no
 * font or picture yet), or NULL after the sticky error. */
static HPDF_Dict fresh_resources(rg_pdf_writer *w, HPDF_Page page)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (res && res->list->count == 1 && !res->write_fn && !attr->fonts && !attr->xobjects &&
        HPDF_Dict_GetItem(res, "ProcSet", HPDF_OCLASS_ARRAY))
        return res;
    rg_pdf_fail(w, RG_EX_SOFTWARE, "the PDF library made page resources this writer does not know");
    return NULL;
}

void rg_pdf_resources_take(rg_pdf_writer *w, HPDF_Page page)
{
    HPDF_Dict res = fresh_resources(w, page);
    if (!res) return;
    HPDF_Dict_RemoveElement(res, "ProcSet");
    rg_pdf_lean(w, res);                         /* no entry list of its own (pdf/lean.c) */
    res->write_fn = resources_write;
    res->free_fn = rg_pdf_lean_free_attr;
    res->attr = NULL;
}

void rg_pdf_resources_set(rg_pdf_writer *w, HPDF_Page page, const rg_pdf_font *const *fonts,
                          size_t nfonts, const HPDF_Image *images, size_t nimages)
{
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (!res || res->write_fn != resources_write || res->attr || res->list->count) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "page resources set twice or not taken");
        return;
    }
    if (!nfonts && !nimages) return;
    res_rec *r = rg_xmalloc(sizeof *r + (nfonts + nimages) * sizeof *r->ids);
    r->nfonts = nfonts;
    r->nimages = nimages;
    for (size_t i = 0; i < nfonts; i++) r->ids[i] = rg_pdf_obj_num(rg_pdf_font_dict(fonts[i]));
    for (size_t i = 0; i < nimages; i++) r->ids[nfonts + i] = rg_pdf_obj_num(images[i]);
    res->attr = r;
}
