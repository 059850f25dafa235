/* pdf_helpers.h - for the tests of the pdf stage's stand-ins for libharu's
 * objects (test_pdf_annot.c, test_pdf_outline.c): one document built twice
 * must give the same bytes. Includes pdf/internal.h. */
#ifndef RG_TEST_PDF_HELPERS_H
#define RG_TEST_PDF_HELPERS_H

#include "pdf/internal.h"

/* A new libharu document whose errors fail w (rg_pdf_fail). */
HPDF_Doc test_pdf_new(rg_pdf_writer *w);

/* Saves w->pdf (HPDF_SaveToStream) and returns its bytes, malloc'd and
 * NUL-terminated, their count in *len; NULL when the save failed. */
char *test_pdf_saved(rg_pdf_writer *w, HPDF_UINT32 *len);

/* Builds into w->pdf (new, with an error handler that fails w) with
 * libharu's own objects when old, with the pdf stage's otherwise. */
typedef void test_pdf_build_fn(rg_pdf_writer *w, int old);

/* Builds a document both ways, saves both (HPDF_SaveToStream) and CHECKs
 * that neither failed and that the bytes are the same. Returns libharu's
 * bytes, NUL-terminated and malloc'd ("" when the save failed), for the
 * caller's own checks. */
char *test_pdf_same_bytes(test_pdf_build_fn *build);

/* The direct destination array [ page /XYZ 0 top null ] with libharu's
 * objects, as pdf/pdf.c used to build it for links and the outline. */
HPDF_Destination test_pdf_xyz(HPDF_Doc pdf, HPDF_Page page, double top);

#endif
