/* pdf.h - writing a display list as PDF. Stage: pdf (the only stage that
 * includes libharu, and the only user of hb-subset). It decides nothing
 * about layout: it walks the display list once. */
#ifndef RG_PDF_H
#define RG_PDF_H

#include "base.h"
#include "dlist.h"

/* Writes dl as a PDF file at path (the caller does temp-file + rename).
 * Fonts are embedded as subset CID fonts (Type0/Identity-H, CIDFontType2)
 * with exact ToUnicode maps; streams are Flate-compressed; output is
 * byte-identical for identical input. Returns RG_OK, RG_EX_CANTCREAT when
 * the file cannot be written, RG_EX_SOFTWARE on a libharu failure, always
 * after a diagnostic. */
rg_status rg_pdf_write(rg_ctx *ctx, const rg_dl *dl, const char *path);

#endif
