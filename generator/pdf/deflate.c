/* pdf/deflate.c - stream compression. Stage: pdf. Owns the zlib state of
 * one rg_pdf_write call and the hand-over of compressed stream data to
 * libharu. libharu 2.3.0 deflates a FLATE-flagged stream only while saving,
 * at a level it hard-codes (6), and keeps the raw bytes until then; so the
 * pdf stage deflates every stream itself, at the level chosen for its kind
 * (RG_PDF_ZLEVEL_*, pdf/internal.h), and gives libharu the compressed bytes with
 * the stream's filter set to NONE. HPDF_Dict_Write then copies the bytes as
 * they are and removes any /Filter entry; the dictionary's write_fn, which
 * it calls after the entries and before ">>", writes /Filter /FlateDecode
 * back. (Checked against libharu's hpdf_dict.c and the Debian 2.3.0
 * build.) Object streams are deflated in pdf/objstm.c, which works on the
 * saved file. */
#include "internal.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
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

/* Makes zp ready for a stream at level: reset, or a new state when the
 * level changes (deflateParams after deflateReset differs between zlib
 * versions, and levels change a few times per document). -1 on failure
 * (zp->z.msg may say why). */
static int zip_prepare(rg_pdf_zip *zp, int level)
{
    if (zp->level == level) return deflateReset(&zp->z) == Z_OK ? 0 : -1;
    if (zp->level >= 0) deflateEnd(&zp->z);
    zp->level = level;
    if (deflateInit(&zp->z, level) == Z_OK) return 0;
    zp->level = -1;                /* no state to end */
    return -1;
}

rg_pdf_zip *rg_pdf_zip_new(void)
{
    rg_pdf_zip *zp = rg_xcalloc(1, sizeof *zp);
    zp->level = -1;
    return zp;
}

void rg_pdf_zip_free(rg_pdf_zip *zp)
{
    if (!zp) return;
    if (zp->level >= 0) deflateEnd(&zp->z);
    rg_pdf_buf_free(&zp->out);
    free(zp);
}

int rg_pdf_zip_deflate(rg_pdf_zip *zp, int level, const void *p, size_t n, const char **why)
{
    if (n > UINT_MAX / 2) {
        *why = "stream too large";
        return -1;
    }
    if (zip_prepare(zp, level) != 0) {
        *why = zp->z.msg ? zp->z.msg : "init";
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
        *why = zp->z.msg ? zp->z.msg : "deflate";
        return -1;
    }
    zp->out.len = zp->z.total_out;
    return 0;
}

const rg_pdf_buf *rg_pdf_zip_out(const rg_pdf_zip *zp) { return &zp->out; }

int rg_pdf_flate_pays(size_t deflated, size_t n)
{
    return deflated + sizeof FLATE_KEY - 1 < n;
}

/* The writer's own zlib state, made on first use. */
static rg_pdf_zip *writer_zip(rg_pdf_writer *w)
{
    if (!w->zip) w->zip = rg_pdf_zip_new();
    return w->zip;
}

/* w's zlib state at level, made on first use; the deflated bytes of p in
 * its buffer, or NULL with the failure reported on w. */
static rg_pdf_zip *deflate_on(rg_pdf_writer *w, int level, const void *p, size_t n)
{
    const char *why;
    rg_pdf_zip *zp = writer_zip(w);
    if (rg_pdf_zip_deflate(zp, level, p, n, &why) == 0) return zp;
    if (n > UINT_MAX / 2) rg_pdf_fail(w, RG_EX_SOFTWARE, "a PDF stream of %zu bytes is too large", n);
    else rg_pdf_fail(w, RG_EX_SOFTWARE, "zlib failure (%s)", why);
    return NULL;
}

void rg_pdf_stream_filter(HPDF_Dict s, int flate)
{
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = flate ? write_flate_key : NULL;
}

void rg_pdf_stream_set(HPDF_Dict s, const void *p, size_t n, int flate)
{
    /* into the stream's own memory stream: a page's attributes point at it */
    if (n && HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)p, (HPDF_UINT)n) != HPDF_OK) return;
    rg_pdf_stream_filter(s, flate);
}

void rg_pdf_stream_deflate(rg_pdf_writer *w, HPDF_Dict s, const void *data, size_t n,
                           int level)
{
    if (w->status) return;
    rg_pdf_zip *zp = deflate_on(w, level, data, n);
    if (!zp) return;
    /* what would not shrink (a CIDSet of a few bytes, an empty page) is stored as it is */
    if (rg_pdf_flate_pays(zp->out.len, n)) rg_pdf_stream_set(s, zp->out.p, zp->out.len, 1);
    else rg_pdf_stream_set(s, data, n, 0);
}

/* ---- page content, compressed on the other core ----
 * The page writer hands each finished page's bytes to one compressor
 * thread and goes on with the next page; rg_pdf_deflate_settle waits for
 * it and gives libharu the results in page order (libharu is not
 * thread-safe: only the calling thread touches it). The thread touches
 * only the jobs, under lock, and its own zlib state. Raw bytes waiting
 * are bounded (BG_MAX_PENDING): the writer waits when the compressor
 * falls behind. Without a thread everything is compressed in place.
 * Finished results go to their streams (rg_pdf_stream_keep, pdf/keep.c)
 * as the writer queues the next page, so they do not pile up until the
 * settle either (issue 22). */
enum { BG_MAX_PENDING = 8 << 20 };

typedef struct zjob {
    HPDF_Dict s;                   /* the stream the result goes to (main thread only) */
    char *raw;                     /* the page's bytes; freed by the compressor */
    size_t n;
    int level;
    char *out;                     /* the result: compressed, or raw when that is no smaller */
    size_t out_len;
    int flate, failed, done;
} zjob;

struct rg_pdf_bg {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more, progress;
    zjob *jobs;
    size_t njobs, cap, next;       /* next: the first job the compressor has not taken */
    size_t handed;                 /* jobs whose result went to their stream */
    size_t pending;                /* raw bytes queued and not compressed yet */
    int closing;
};

/* Compresses one job's bytes (outside the lock) into a malloc'd result. */
static void bg_compress(rg_pdf_zip *zp, const char *raw, size_t n, int level, zjob *res)
{
    const char *why;
    res->failed = rg_pdf_zip_deflate(zp, level, raw, n, &why) != 0;
    if (res->failed) return;
    res->flate = rg_pdf_flate_pays(zp->out.len, n);
    res->out_len = res->flate ? zp->out.len : n;
    res->out = rg_xmalloc(res->out_len ? res->out_len : 1);
    memcpy(res->out, res->flate ? zp->out.p : raw, res->out_len);
}

/* Takes the next queued job and compresses it with zp (the calling
 * thread's): the compressor's loop, and the build thread where it would
 * otherwise wait. Called with bg->lock held (released while compressing);
 * returns 0 when no job was queued. */
static int bg_work_one(struct rg_pdf_bg *bg, rg_pdf_zip *zp)
{
    if (bg->next == bg->njobs) return 0;
    size_t i = bg->next++;
    char *raw = bg->jobs[i].raw;             /* the array may move while unlocked */
    size_t n = bg->jobs[i].n;
    int level = bg->jobs[i].level;
    pthread_mutex_unlock(&bg->lock);
    zjob res = {0};
    bg_compress(zp, raw, n, level, &res);
    free(raw);
    pthread_mutex_lock(&bg->lock);
    zjob *j = &bg->jobs[i];
    j->raw = NULL;
    j->out = res.out;
    j->out_len = res.out_len;
    j->flate = res.flate;
    j->failed = res.failed;
    j->done = 1;
    bg->pending -= n;
    pthread_cond_broadcast(&bg->progress);
    return 1;
}

static void *bg_main(void *arg)
{
    struct rg_pdf_bg *bg = arg;
    rg_pdf_zip *zp = rg_pdf_zip_new();
    pthread_mutex_lock(&bg->lock);
    for (;;) {
        while (bg->next == bg->njobs && !bg->closing) pthread_cond_wait(&bg->more, &bg->lock);
        if (!bg_work_one(bg, zp)) break;
    }
    pthread_mutex_unlock(&bg->lock);
    rg_pdf_zip_free(zp);
    return NULL;
}


static struct rg_pdf_bg *bg_start(void)
{
    struct rg_pdf_bg *bg = rg_xcalloc(1, sizeof *bg);
    pthread_mutex_init(&bg->lock, NULL);
    pthread_cond_init(&bg->more, NULL);
    pthread_cond_init(&bg->progress, NULL);
    if (pthread_create(&bg->thread, NULL, bg_main, bg) == 0) return bg;
    pthread_cond_destroy(&bg->more);
    pthread_cond_destroy(&bg->progress);
    pthread_mutex_destroy(&bg->lock);
    free(bg);
    return NULL;
}

/* Lets the compressor finish the jobs queued and waits for it. */
static void bg_join(struct rg_pdf_bg *bg)
{
    pthread_mutex_lock(&bg->lock);
    bg->closing = 1;
    pthread_cond_signal(&bg->more);
    pthread_mutex_unlock(&bg->lock);
    pthread_join(bg->thread, NULL);
}

static void bg_free(struct rg_pdf_bg *bg)
{
    for (size_t i = 0; i < bg->njobs; i++) {
        free(bg->jobs[i].raw);
        free(bg->jobs[i].out);
    }
    free(bg->jobs);
    pthread_cond_destroy(&bg->more);
    pthread_cond_destroy(&bg->progress);
    pthread_mutex_destroy(&bg->lock);
    free(bg);
}

/* Hands the results that are ready, in job order, to their streams (the
 * calling thread's, libharu's: the build thread). With bg->lock held, or
 * after the compressor was joined. */
static void bg_hand_over(rg_pdf_writer *w, struct rg_pdf_bg *bg)
{
    for (; bg->handed < bg->njobs && bg->jobs[bg->handed].done && !w->status; bg->handed++) {
        zjob *j = &bg->jobs[bg->handed];
        if (j->failed) {
            rg_pdf_fail(w, RG_EX_SOFTWARE, "zlib failure (a page of %zu bytes)", j->n);
            return;
        }
        rg_pdf_stream_keep(w, j->s, j->out, j->out_len, j->flate);
        j->out = NULL;                           /* the stream owns it now */
    }
}

/* No compressor thread: data deflated here, kept as the thread's results are. */
static void deflate_keep(rg_pdf_writer *w, HPDF_Dict s, const rg_pdf_buf *data, int level)
{
    rg_pdf_zip *zp = deflate_on(w, level, data->p, data->len);
    if (!zp) return;
    int flate = rg_pdf_flate_pays(zp->out.len, data->len);
    size_t n = flate ? zp->out.len : data->len;
    char *p = n ? rg_xmalloc(n) : NULL;
    if (n) memcpy(p, flate ? zp->out.p : data->p, n);
    rg_pdf_stream_keep(w, s, p, n, flate);
}

void rg_pdf_stream_deflate_later(rg_pdf_writer *w, HPDF_Dict s, rg_pdf_buf *data, int level)
{
    if (w->status) return;
    if (!w->bg_tried) {
        w->bg_tried = 1;
        w->bg = bg_start();
    }
    struct rg_pdf_bg *bg = w->bg;
    if (!bg) {                                   /* no thread: compress here */
        deflate_keep(w, s, data, level);
        return;
    }
    pthread_mutex_lock(&bg->lock);
    /* too much queued: compress some here rather than wait */
    while (bg->pending > BG_MAX_PENDING)
        if (!bg_work_one(bg, writer_zip(w))) pthread_cond_wait(&bg->progress, &bg->lock);
    rg_grow(&bg->jobs, &bg->cap, bg->njobs + 1, sizeof *bg->jobs);
    bg->jobs[bg->njobs++] = (zjob){ s, data->p, data->len, level, NULL, 0, 0, 0, 0 };
    bg->pending += data->len;
    pthread_cond_signal(&bg->more);
    bg_hand_over(w, bg);
    pthread_mutex_unlock(&bg->lock);
    *data = (rg_pdf_buf){ 0 };                   /* the compressor owns the bytes now */
}

void rg_pdf_deflate_settle(rg_pdf_writer *w)
{
    struct rg_pdf_bg *bg = w->bg;
    if (!bg) return;
    w->bg = NULL;
    /* the pages still queued are compressed here too, not waited for */
    pthread_mutex_lock(&bg->lock);
    while (bg_work_one(bg, writer_zip(w))) {
    }
    pthread_mutex_unlock(&bg->lock);
    bg_join(bg);
    bg_hand_over(w, bg);
    if (bg->handed < bg->njobs && !w->status)
        rg_pdf_fail(w, RG_EX_SOFTWARE, "zlib failure (a page of %zu bytes)",
                    bg->jobs[bg->handed].n);
    bg_free(bg);
}

void rg_pdf_deflate_free(rg_pdf_writer *w)
{
    if (w->bg) {
        bg_join(w->bg);
        bg_free(w->bg);
        w->bg = NULL;
    }
    rg_pdf_zip_free(w->zip);
    w->zip = NULL;
    rg_pdf_keep_close(w);
}
