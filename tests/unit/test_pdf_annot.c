/* test_pdf_annot.c - link annotations as pdf/annot.c writes them (issue
 * 22): one dict with a write function must give the bytes libharu's own
 * link annotation gave (HPDF_Page_CreateLinkAnnot or
 * HPDF_Page_CreateURILinkAnnot, a border of 0, /F 4, /Contents,
 * /StructParent), for a destination link, a URI with characters to
 * escape, a non-ASCII text, an upside-down area and a link without text.
 * Includes pdf/internal.h: what is tested is the stage's seam with
 * libharu. */
#include "pdf_helpers.h"
#include "test.h"

#include <hpdf_objects.h>
#include <stdlib.h>

typedef struct case_ {
    HPDF_Rect r;
    int dest_page;                 /* -1: a URI link */
    double top;
    const char *uri, *contents;
    int struct_parent;             /* -1: none */
} case_;

static const case_ cases[] = {
    { { 79.37008f, 710.02362f, 532.91339f, 725.02362f }, 1, 771.02362, NULL,
      "Over deze rapportage", 8 },
    { { 10, 20, 30.5f, 40.25f }, -1, 0, "https://example.nl/a(b)%20#c\\d", "Z\xC3\xA9" "f", 9 },
    { { 100, 500, 200, 480 }, 0, 0, NULL, NULL, -1 },
    { { 0, 0, 1, 1 }, -1, 0, "mailto:a@b.nl", NULL, 10 },
};
enum { NCASES = sizeof cases / sizeof *cases };

/* Two pages, the cases' links on the first; libharu's objects (old) or
 * pdf/annot.c's. */
static void build(rg_pdf_writer *w, int old)
{
    HPDF_Page pages[2] = { HPDF_AddPage(w->pdf), HPDF_AddPage(w->pdf) };
    for (size_t i = 0; i < NCASES; i++) {
        const case_ *c = &cases[i];
        HPDF_Annotation a;
        if (old && c->dest_page >= 0) {
            HPDF_Destination dst = test_pdf_xyz(w->pdf, pages[c->dest_page], c->top);
            a = HPDF_Page_CreateLinkAnnot(pages[0], c->r, dst);
        } else if (old) {
            a = HPDF_Page_CreateURILinkAnnot(pages[0], c->r, c->uri);
        } else {
            a = rg_pdf_link_new(w, pages[0], c->r,
                                c->dest_page >= 0 ? pages[c->dest_page] : NULL, c->top,
                                c->uri ? rg_xstrdup(c->uri) : NULL);
        }
        if (old) {
            HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
            HPDF_Dict_AddNumber(a, "F", 4);
            if (c->contents) HPDF_Dict_Add(a, "Contents", rg_pdf_text_string(w, c->contents));
            if (c->struct_parent >= 0) HPDF_Dict_AddNumber(a, "StructParent", c->struct_parent);
        } else {
            if (c->contents) rg_pdf_link_set_contents(w, a, c->contents);
            if (c->struct_parent >= 0) rg_pdf_link_set_struct_parent(a, c->struct_parent);
        }
    }
}

TEST(pdf_annot_gives_the_bytes_of_libharus_link_annotations)
{
    char *old = test_pdf_same_bytes(build);
    CHECK(strstr(old, "/URI (https:\\057\\057example.nl") != NULL);
    CHECK(strstr(old, "/Contents <FEFF005A00E90066>") != NULL);
    CHECK(strstr(old, "/Rect [ 100 480 200 500 ]") != NULL);
    free(old);
}
