/* pdf/spool.c - an unlinked scratch file appended to through a buffer.
 * Stage: pdf (see pdf.h and internal.h). issue 22: the pages' content
 * (pdf/keep.c) and libharu's unpacked output (pdf/save.c) wait on disk
 * instead of in memory; both append small pieces, gathered here and
 * written flush_at bytes at a time, every write checked. */
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int rg_pdf_spool_flush(rg_pdf_writer *w, rg_pdf_spool *sp)
{
    if (sp->pending.len == 0) return 0;
    if (rg_write_all(sp->fd, sp->pending.p, sp->pending.len) != 0) {
        rg_pdf_fail(w, RG_EX_CANTCREAT, "cannot write %s to a temporary file in %s: %s",
                    sp->what, w->scratch_dir ? w->scratch_dir : "?", strerror(errno));
        return -1;
    }
    sp->written += sp->pending.len;
    sp->pending.len = 0;
    return 0;
}

int rg_pdf_spool_put(rg_pdf_writer *w, rg_pdf_spool *sp, const void *p, size_t n)
{
    rg_pdf_buf_put(&sp->pending, p, n);
    return sp->pending.len >= sp->flush_at ? rg_pdf_spool_flush(w, sp) : 0;
}

void rg_pdf_spool_close(rg_pdf_spool *sp)
{
    if (sp->fd >= 0) close(sp->fd);
    sp->fd = -1;
    rg_pdf_buf_free(&sp->pending);
}
