/* pdf/save.c - serialising the finished document. Stage: pdf (see pdf.h).
 * libharu writes the document through a callback stream, into one buffer
 * (rg_pdf_write_mem) or into an unlinked scratch file (rg_pdf_write_fd,
 * issue 22); then libharu's objects are freed and the small objects are
 * packed into object streams (pdf/objstm.c): from the buffer into a second
 * one, or from the scratch file into the output a window at a time. */
#include "internal.h"

#include <errno.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The document's output stream appends to the rg_pdf_buf in its attr. */
static HPDF_STATUS out_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
    rg_pdf_buf_put(s->attr, p, n);
    return HPDF_OK;
}

/* ---- into memory ---- */

/* Serialises the finished document into a malloc'd buffer. HPDF_SaveToStream
 * writes into the document's stream, which is made here as a callback
 * stream appending to one buffer: libharu's own would be a memory stream
 * in 4 KB blocks, copied out again with HPDF_ReadFromStream. Then libharu's
 * objects are freed (w->pdf is NULL after) before the object streams are
 * packed, so the document is never in memory as objects, output and
 * packed output at once. */
void rg_pdf_save_mem(rg_pdf_writer *w, unsigned char **out, size_t *len)
{
    rg_pdf_buf b = {0};
    w->pdf->stream = HPDF_CallbackWriter_New(w->pdf->mmgr, out_write, &b);
    if (!w->pdf->stream) return;                   /* libharu has reported it */
    if (HPDF_SaveToStream(w->pdf) != HPDF_OK || w->status) goto fail;
    if (b.len == 0) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "PDF library failure (empty output)");
        goto fail;
    }
    HPDF_Free(w->pdf);
    w->pdf = NULL;
    /* small objects into object streams (PDF 1.5; PDF/A-1 forbids them) */
    unsigned char *buf = (unsigned char *)b.p, *packed;
    size_t size = b.len, packed_len;
    if (w->pdfa != RG_PDFA_1B && rg_pdf_pack_object_streams(buf, size, &packed, &packed_len) == 0) {
        free(buf);
        buf = packed;
        size = packed_len;
    }
    *out = buf;
    *len = size;
    return;
fail:
    rg_pdf_buf_free(&b);
}

/* ---- into a file ---- */

/* issue 22: libharu's output into an unlinked scratch file rather than
 * memory. libharu writes a few bytes at a time; the spool gathers them and
 * writes SCRATCH_BUF at a time, every write checked. */
enum { SCRATCH_BUF = 1 << 20 };

typedef struct scratch {
    rg_pdf_writer *w;
    rg_pdf_spool file;
} scratch;

/* The document's output stream when it goes to a scratch file. A failure
 * stops libharu's save (it returns the status) and is the sticky error. */
static HPDF_STATUS scratch_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
    scratch *s = st->attr;
    if (s->w->status || rg_pdf_spool_put(s->w, &s->file, p, n) != 0) return HPDF_FILE_IO_ERROR;
    return HPDF_OK;
}

/* Saves the document into the scratch file: its size in s->file.written. */
static void save_to_scratch(rg_pdf_writer *w, scratch *s)
{
    w->pdf->stream = HPDF_CallbackWriter_New(w->pdf->mmgr, scratch_write, s);
    if (!w->pdf->stream) return;                   /* libharu has reported it */
    if (HPDF_SaveToStream(w->pdf) == HPDF_OK && !w->status) rg_pdf_spool_flush(w, &s->file);
    rg_pdf_buf_free(&s->file.pending);
    if (!w->status && s->file.written == 0)
        rg_pdf_fail(w, RG_EX_SOFTWARE, "PDF library failure (empty output)");
}

/* The finished PDF to fd by way of memory (no scratch folder). */
static void save_via_memory(rg_pdf_writer *w, int fd)
{
    unsigned char *pdf = NULL;
    size_t len = 0;
    rg_pdf_save_mem(w, &pdf, &len);
    if (!w->status && rg_write_all(fd, pdf, len) != 0)
        rg_pdf_fail(w, RG_EX_CANTCREAT, "cannot write: %s", strerror(errno));
    free(pdf);
}

/* Serialises the finished document into fd: libharu's output goes to a
 * scratch file in w->scratch_dir, libharu's objects are freed (w->pdf
 * is NULL after), and the object streams are packed from the scratch
 * file into fd a window at a time (pdf/objstm.c), so neither the unpacked
 * nor the packed PDF is ever whole in memory. */
void rg_pdf_save_fd(rg_pdf_writer *w, int fd)
{
    const char *dir = w->scratch_dir;
    if (!dir) {
        save_via_memory(w, fd);
        return;
    }
    scratch s = {.w = w, .file = {.fd = rg_scratch_file(dir), .what = "the unpacked PDF",
                                  .flush_at = SCRATCH_BUF}};
    if (s.file.fd < 0) {
        rg_pdf_fail(w, RG_EX_CANTCREAT, "cannot make a temporary file in %s: %s", dir,
                    strerror(errno));
        return;
    }
    save_to_scratch(w, &s);
    if (!w->status) {
        HPDF_Free(w->pdf);
        w->pdf = NULL;
        /* small objects into object streams (PDF 1.5; PDF/A-1 forbids them) */
        int rc = w->pdfa != RG_PDFA_1B ? rg_pdf_pack_file(s.file.fd, s.file.written, fd)
                                       : rg_pdf_copy_file(s.file.fd, s.file.written, fd);
        if (rc != 0) rg_pdf_fail(w, RG_EX_CANTCREAT, "cannot write: %s", strerror(errno));
    }
    rg_pdf_spool_close(&s.file);
}
