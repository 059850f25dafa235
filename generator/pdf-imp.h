/* pdf-imp.h - private to the pdf stage (pdf.c, pdf-page.c, pdf-font.c).
 * The one header outside those files that names libharu types; nothing
 * outside the pdf stage may include it. It holds the writer state with its
 * sticky error, the byte buffer with the number formatter, and the seams
 * between the document writer, the page content writer and the font
 * builder. */
#ifndef RG_PDF_IMP_H
#define RG_PDF_IMP_H

#include <hpdf.h>

#include "base.h"
#include "dlist.h"

#if HPDF_VERSION_ID != 20300
#error "the pdf stage uses libharu 2.3.0 internals (hpdf_objects.h, page attr); check them before upgrading"
#endif

/* Largest absolute value written as a number. libharu clamps public-API
 * reals to +-32767 without telling; PDF's largest page is 14400 pt, so
 * anything beyond this is a layout bug, not a coordinate. */
#define RG_PDF_MAX_NUMBER 32767.0

/* One rg_pdf_write call. Every failure goes through rg_pdf_fail (or the
 * libharu error handler), which keeps the first status and prints its
 * diagnostic; later failures are dropped. Writers check w->status at their
 * loop heads and stop early, rg_pdf_write checks it once at the end. */
typedef struct rg_pdf_writer {
    rg_ctx *ctx;
    const char *path;
    HPDF_Doc pdf;
    rg_status status;              /* first failure, RG_OK while none */
    uint64_t hash[2];              /* over everything written, for the trailer /ID */
} rg_pdf_writer;

/* Records status (if it is the first failure) with an error diagnostic on
 * the output path. Cannot fail. */
void rg_pdf_fail(rg_pdf_writer *w, rg_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Folds bytes into the document hash that becomes the trailer /ID. */
void rg_pdf_hash(rg_pdf_writer *w, const void *p, size_t n);

/* ---- growable byte buffer (malloc'd; rg_pdf_buf_free releases it) ---- */
typedef struct rg_pdf_buf {
    char *p;
    size_t len, cap;
} rg_pdf_buf;

void rg_pdf_buf_put(rg_pdf_buf *b, const void *s, size_t n);
void rg_pdf_buf_str(rg_pdf_buf *b, const char *s);
void rg_pdf_buf_hex4(rg_pdf_buf *b, unsigned v);      /* 4 upper-case hex digits */
void rg_pdf_buf_free(rg_pdf_buf *b);

/* Appends v with at most 3 decimals, trailing zeros stripped, never "-0".
 * Returns the value as written (for callers that track rounding), or sets
 * the sticky error RG_EX_SOFTWARE and writes "0" when v is not finite or
 * beyond RG_PDF_MAX_NUMBER (what says which value, for the diagnostic). */
double rg_pdf_buf_num(rg_pdf_writer *w, rg_pdf_buf *b, double v, const char *what);

/* Converts UTF-8 to UTF-16 code units (surrogate pairs above U+FFFF,
 * U+FFFD for malformed bytes), appending at most max units to *out (grown
 * with rg_grow, *cap its capacity, *len its length). Cannot fail. */
void rg_pdf_utf16(const char *s, size_t n, size_t max, uint16_t **out, size_t *len,
                  size_t *cap);

/* ---- fonts (pdf-font.c) ---- */
typedef struct rg_pdf_fonts rg_pdf_fonts;
typedef struct rg_pdf_font rg_pdf_font;

rg_pdf_fonts *rg_pdf_fonts_new(rg_pdf_writer *w);
void rg_pdf_fonts_free(rg_pdf_fonts *fs);                 /* accepts NULL */

/* Pass 1: records the glyphs a run uses and what text each stands for.
 * A bad glyph id sets the sticky error. */
void rg_pdf_fonts_collect(rg_pdf_fonts *fs, const rg_dl_glyphs *run);

/* After collecting: subsets every font and creates its PDF objects. On
 * failure sets the sticky error. */
void rg_pdf_fonts_build(rg_pdf_fonts *fs);

/* Pass 2 (after build): the font of a collected rg_font, or NULL. */
rg_pdf_font *rg_pdf_fonts_lookup(rg_pdf_fonts *fs, const rg_font *f);
HPDF_Dict rg_pdf_font_dict(const rg_pdf_font *pf);         /* the Type0 font */
/* The CID written in content streams for a collected glyph id. */
unsigned rg_pdf_font_cid(const rg_pdf_font *pf, uint32_t gid);

/* ---- page content (pdf-page.c) ---- */

/* Writes the drawing items of one display-list page (glyph runs, rects,
 * paths, marked content) into page's content stream. Links and
 * destinations are the document writer's. Failures set the sticky error. */
void rg_pdf_page_content(rg_pdf_writer *w, rg_pdf_fonts *fs, const rg_dl_page *dp,
                         size_t index, HPDF_Page page);

#endif
