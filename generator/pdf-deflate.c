/* pdf-deflate.c - stream compression. Stage: pdf. Owns the zlib state of
 * one rg_pdf_write call and the hand-over of compressed stream data to
 * libharu. libharu 2.3.0 deflates a FLATE-flagged stream only while saving,
 * at a level it hard-codes (6), and keeps the raw bytes until then; so the
 * pdf stage deflates every stream itself, at the level chosen for its kind
 * (RG_PDF_ZLEVEL_*, pdf-imp.h), and gives libharu the compressed bytes with
 * the stream's filter set to NONE. HPDF_Dict_Write then copies the bytes as
 * they are and removes any /Filter entry; the dictionary's write_fn, which
 * it calls after the entries and before ">>", writes /Filter /FlateDecode
 * back. (Checked against libharu's hpdf_dict.c and the Debian 2.3.0
 * build.) Object streams are deflated in pdf-objstm.c, which works on the
 * saved file. */
#include "pdf-imp.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

/* The key write_fn adds; also what compression must save to be worth it. */
static const char FLATE_KEY[] = "/Filter /FlateDecode\012";

struct rg_pdf_zip {
    z_stream z;
    int level;                     /* the level z was made for */
    rg_pdf_buf out;                /* the last compressed result */
};

static HPDF_STATUS write_flate_key(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, FLATE_KEY);
}

/* w's zlib state, reset and set to level (made on first use). A level
 * change makes a new state: deflateParams after deflateReset differs
 * between zlib versions, and levels change a few times per document. */
static rg_pdf_zip *zip_get(rg_pdf_writer *w, int level)
{
    rg_pdf_zip *zp = w->zip;
    if (zp && zp->level == level) {
        if (deflateReset(&zp->z) == Z_OK) return zp;
    } else {
        if (!zp) zp = w->zip = rg_xcalloc(1, sizeof *zp);
        else deflateEnd(&zp->z);
        zp->level = level;
        if (deflateInit(&zp->z, level) == Z_OK) return zp;
        zp->level = -1;            /* no state to end */
    }
    rg_pdf_fail(w, RG_EX_SOFTWARE, "zlib failure (%s)", zp->z.msg ? zp->z.msg : "init");
    return NULL;
}

/* Deflates n bytes at p into zp->out (replacing what it held). */
static int deflate_all(rg_pdf_writer *w, rg_pdf_zip *zp, const void *p, size_t n)
{
    if (n > UINT_MAX / 2) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "a PDF stream of %zu bytes is too large", n);
        return -1;
    }
    uLong bound = deflateBound(&zp->z, (uLong)n);
    rg_grow(&zp->out.p, &zp->out.cap, bound + 1, 1);
    zp->z.next_in = (Bytef *)p;
    zp->z.avail_in = (uInt)n;
    zp->z.next_out = (Bytef *)zp->out.p;
    zp->z.avail_out = (uInt)bound;
    /* one call with deflateBound's room must finish (zlib.h, deflateBound) */
    if (deflate(&zp->z, Z_FINISH) != Z_STREAM_END) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "zlib failure (%s)", zp->z.msg ? zp->z.msg : "deflate");
        return -1;
    }
    zp->out.len = zp->z.total_out;
    return 0;
}

/* Gives s exactly n bytes at p in a memory stream of its own size (libharu's
 * default grows in 4 KB blocks) and the filter entry flate asks for. */
static void stream_set(HPDF_Dict s, const void *p, size_t n, int flate)
{
    HPDF_Stream ns = HPDF_MemStream_New(s->mmgr, n ? (HPDF_UINT)n : 1);
    if (!ns) return;               /* libharu's error handler has reported it */
    if (n && HPDF_Stream_Write(ns, (const HPDF_BYTE *)p, (HPDF_UINT)n) != HPDF_OK) {
        HPDF_Stream_Free(ns);
        return;
    }
    HPDF_Stream_Free(s->stream);
    s->stream = ns;
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = flate ? write_flate_key : NULL;
}

/* Compresses and stores; a stream compression would not shrink (a CIDSet
 * of a few bytes, an empty page) is stored as it is, without a filter. */
static void deflate_into(rg_pdf_writer *w, rg_pdf_zip *zp, HPDF_Dict s, const void *p,
                         size_t n)
{
    if (deflate_all(w, zp, p, n) < 0) return;
    if (zp->out.len + sizeof FLATE_KEY - 1 < n) stream_set(s, zp->out.p, zp->out.len, 1);
    else stream_set(s, p, n, 0);
}

void rg_pdf_stream_deflate(rg_pdf_writer *w, HPDF_Dict s, const void *data, size_t n,
                           int level)
{
    if (w->status) return;
    rg_pdf_zip *zp = zip_get(w, level);
    if (zp) deflate_into(w, zp, s, data, n);
}

void rg_pdf_deflate_free(rg_pdf_writer *w)
{
    rg_pdf_zip *zp = w->zip;
    if (!zp) return;
    if (zp->level >= 0) deflateEnd(&zp->z);
    rg_pdf_buf_free(&zp->out);
    free(zp);
    w->zip = NULL;
}
