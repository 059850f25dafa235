/* pdf/keep.c - page content kept outside libharu's memory until the save
 * (issue 22). Stage: pdf. Owns the pdf stage's scratch file and the
 * content streams read back from it.
 *
 * libharu holds every stream's bytes in a memory stream of 4 KB blocks
 * until HPDF_SaveToStream writes them: a page's compressed content (3-4
 * KB) took one or two blocks, and every page's stayed in memory. A kept
 * stream is the same HPDF_Stream_Rec turned into a read-only stream of
 * ours (libharu's page and its /Contents dict both point at that record):
 * its bytes are appended to an unlinked scratch file in the folder the
 * build writes in (w->scratch_dir, rg_scratch_file) and read back by
 * read_fn while libharu saves, in HPDF_STREAM_BUF_SIZ pieces, as
 * HPDF_Stream_WriteToStream reads any source stream: size_fn, then
 * seek_fn to 0, then read_fn until HPDF_STREAM_EOF. libharu copies what
 * it reads as it is (the stream's filter is NONE, pdf/deflate.c), so the
 * PDF is byte for byte the one the memory stream gave. Without a scratch
 * folder (w->scratch_dir NULL: ctx has none, or the document is too short
 * for layout to spill its pages), or when no scratch file can be made
 * there, the bytes stay in memory, in one buffer of their exact size.
 *
 * Appends are gathered in a buffer of KEEP_BUF bytes and written when it
 * fills (one write per ~16 pages); a read of bytes still in the buffer
 * writes it first. A failing write or read sets the sticky error with a
 * diagnostic naming the folder and the system's reason (a read that
 * fails while libharu saves also fails the save: read_fn returns
 * libharu's HPDF_FILE_IO_ERROR, which HPDF_SaveToStream passes up), so a
 * full disk gives an error and no PDF, never a PDF with a page missing. */
#include "internal.h"

#include <errno.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { KEEP_BUF = 64 << 10 };

struct rg_pdf_keep {
    rg_pdf_spool file;             /* the scratch file; fd -1: bytes kept in memory */
    unsigned count;                /* streams kept so far: stream k is page k + 1 */
};

/* One kept stream: its bytes and where libharu's reading is. */
typedef struct kept {
    rg_pdf_writer *w;
    char *buf;                     /* memory: the bytes (malloc'd, owned) */
    uint64_t off;                  /* scratch file: where they start */
    HPDF_UINT len, pos;
    unsigned page;                 /* for diagnostics (1-based) */
} kept;

/* w's store, made on first use: a scratch file in w->scratch_dir when
 * there is one and one can be made, else memory. */
static struct rg_pdf_keep *store(rg_pdf_writer *w)
{
    if (w->keep) return w->keep;
    struct rg_pdf_keep *k = rg_xcalloc(1, sizeof *k);
    k->file = (rg_pdf_spool){ .fd = w->scratch_dir ? rg_scratch_file(w->scratch_dir) : -1,
                              .what = "the pages' content", .flush_at = KEEP_BUF };
    w->keep = k;
    return k;
}

/* ---- libharu's side: the stream functions ---- */

static HPDF_STATUS kept_read(HPDF_Stream s, HPDF_BYTE *p, HPDF_UINT *size)
{
    kept *kp = s->attr;
    HPDF_UINT want = *size, left = kp->len - kp->pos, n = want < left ? want : left;
    struct rg_pdf_keep *k = kp->w->keep;
    if (n && !kp->buf) {
        int bad = kp->off + kp->pos + n > k->file.written && rg_pdf_spool_flush(kp->w, &k->file) != 0;
        if (bad || rg_read_at(k->file.fd, p, n, kp->off + kp->pos) != 0) {
            int e = errno;
            if (!bad)
                rg_pdf_fail(kp->w, RG_EX_CANTCREAT, "cannot read the content of page %u back "
                            "from the temporary file in %s: %s", kp->page,
                            kp->w->scratch_dir, strerror(e));
            *size = 0;
            return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)e);
        }
    } else if (n) {
        memcpy(p, kp->buf + kp->pos, n);
    }
    kp->pos += n;
    *size = n;
    return n < want ? HPDF_STREAM_EOF : HPDF_OK;   /* as libharu's memory stream */
}

static HPDF_STATUS kept_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    kept *kp = s->attr;
    long long at = mode == HPDF_SEEK_CUR ? (long long)kp->pos + pos
                 : mode == HPDF_SEEK_END ? (long long)kp->len - pos : pos;
    if (at < 0 || at > (long long)kp->len) return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
    kp->pos = (HPDF_UINT)at;
    return HPDF_OK;
}

static HPDF_INT32 kept_tell(HPDF_Stream s) { return (HPDF_INT32)((kept *)s->attr)->pos; }

static HPDF_UINT32 kept_size(HPDF_Stream s) { return ((kept *)s->attr)->len; }

static void kept_free(HPDF_Stream s)
{
    kept *kp = s->attr;
    if (kp) free(kp->buf);
    free(kp);
    s->attr = NULL;
}

/* ---- the pdf stage's side ---- */

void rg_pdf_stream_keep(rg_pdf_writer *w, HPDF_Dict s, char *p, size_t n, int flate)
{
    HPDF_Stream ms = s->stream;
    if (w->status) {
        free(p);
        return;
    }
    if (!ms || ms->type != HPDF_STREAM_MEMORY || ms->size != 0 || n > UINT32_MAX / 2) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "cannot keep a content stream of %zu bytes", n);
        free(p);
        return;
    }
    struct rg_pdf_keep *k = store(w);
    kept *kp = rg_xcalloc(1, sizeof *kp);
    *kp = (kept){ w, NULL, 0, (HPDF_UINT)n, 0, ++k->count };
    if (k->file.fd < 0) {
        kp->buf = p;               /* exact size: the compressor's result */
    } else {
        kp->off = k->file.written + k->file.pending.len;
        rg_pdf_spool_put(w, &k->file, p, n);
        free(p);
    }
    /* the record stays (the page points at it); its memory stream goes */
    ms->free_fn(ms);
    ms->type = HPDF_STREAM_CALLBACK;
    ms->size = (HPDF_UINT)n;
    ms->write_fn = NULL;           /* anything libharu would write into it fails */
    ms->read_fn = kept_read;
    ms->seek_fn = kept_seek;
    ms->tell_fn = kept_tell;
    ms->size_fn = kept_size;
    ms->free_fn = kept_free;
    ms->attr = kp;
    rg_pdf_stream_filter(s, flate);
}

int rg_pdf_keep_fd(const rg_pdf_writer *w) { return w->keep ? w->keep->file.fd : -1; }

void rg_pdf_keep_close(rg_pdf_writer *w)
{
    struct rg_pdf_keep *k = w->keep;
    if (!k) return;
    rg_pdf_spool_close(&k->file);
    free(k);
    w->keep = NULL;
}
