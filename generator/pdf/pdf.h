/* pdf/pdf.h - writing a display list as PDF. Stage: pdf (the only stage
 * that includes libharu and zlib, and the only user of hb-subset). It
 * decides nothing about layout: it walks the display list once.
 * Implementation: pdf/pdf.c (document, outline, links), pdf/page.c
 * (content streams), pdf/font.c (fonts embedded as hb-subset subsets,
 * ToUnicode, CIDSet), pdf/struct.c (the structure tree: tagged PDF),
 * pdf/pdfa.c (XMP, output intent), pdf/deflate.c (stream compression),
 * pdf/objstm.c (object streams), pdf/save.c (the save: into memory, or
 * through a scratch file into a descriptor), pdf/keep.c (pages' content
 * until the save), pdf/spool.c (scratch files written through a buffer),
 * pdf/annot.c, pdf/resources.c, pdf/lean.c (dicts written by our own
 * write functions). */
#ifndef RG_PDF_H
#define RG_PDF_H

#include "base/base.h"
#include "dlist/dlist.h"

/* PDF/A conformance of the output (--pdfa). */
typedef enum {
    RG_PDFA_OFF,
    RG_PDFA_1B,
    RG_PDFA_2B,
    RG_PDFA_2U,
    RG_PDFA_2A
} rg_pdfa_level;

typedef struct rg_pdf_opts {
    rg_pdfa_level pdfa;            /* default RG_PDFA_2A for a tagged list, else 2U */
    int tagged;                    /* write the structure tree (dl->nelems > 0 needed) */
    const char *name;              /* the file named in diagnostics (the final output when
                                    * path is a temporary file); NULL = path */
    /* issue 22: called with each page index once the page is rendered, its
     * links made and nothing later reads its items, so that the list's owner
     * can release it (rg_dl_page_release) while the rest is written; NULL:
     * none. Pages come in order, each once. */
    void (*page_done)(void *arg, size_t page);
    void *page_done_arg;
} rg_pdf_opts;

/* Writes dl as a PDF file at path (the caller does temp-file + rename).
 * Fonts are embedded as subset CID fonts (Type0/Identity-H, CIDFontType2)
 * with exact ToUnicode maps; streams are Flate-compressed; output is
 * byte-identical for identical input. Returns RG_OK, RG_EX_CANTCREAT when
 * the file cannot be written, RG_EX_SOFTWARE on a libharu failure, always
 * after a diagnostic. */
rg_status rg_pdf_write(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts,
                       const char *path);

/* The same PDF bytes into memory (fuzzing, tests, callers that send the PDF
 * on): on RG_OK *out is a malloc'd buffer of *len bytes that the caller
 * frees with free(). opts->name, or "(PDF in memory)", is named in
 * diagnostics. Returns RG_OK or RG_EX_SOFTWARE after a diagnostic; *out is
 * NULL and *len 0 then. Out of memory aborts (rg_xmalloc). */
rg_status rg_pdf_write_mem(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts,
                           unsigned char **out, size_t *len);

/* The same PDF bytes into file descriptor fd (issue 22: the pipeline's
 * temporary output), never whole in memory: libharu saves into an unlinked
 * scratch file in ctx->scratch_dir (rg_scratch_file; the disk then needs
 * room for the unpacked PDF, about three times the packed one, beside the
 * output until the call returns), its objects are freed, and the small
 * objects are packed into object streams from that file into fd a window
 * at a time. With ctx->scratch_dir NULL, or a document of at most
 * ctx->spill_after_pages pages (or that < 0), the PDF is made in memory
 * first, as rg_pdf_write_mem does. fd must be a regular file open for writing at
 * its end (the bytes go from its current offset on; it may be cut back to
 * that offset); every write is checked, fsync, rename and close are the
 * caller's. Returns RG_OK, RG_EX_CANTCREAT when a temporary file cannot be
 * made or a write fails (ENOSPC...: fd then holds part of a PDF, which the
 * caller removes), RG_EX_SOFTWARE on a libharu failure, always after a
 * diagnostic naming opts->name (or "(PDF in memory)"). */
rg_status rg_pdf_write_fd(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts, int fd);

#endif
