/* pdf/objstm.c - packs a finished PDF's small objects into compressed
 * object streams with a cross-reference stream (PDF 1.5). Stage: pdf.
 *
 * libharu writes every object on its own with a classic xref table; the
 * structure tree of a tagged report is hundreds of small dictionaries that
 * then take a third of the file. This pass reads libharu's output (its
 * xref table gives every object's offset), keeps stream objects as they
 * are, puts all other objects into object streams of at most OBJS_PER_STREAM
 * objects, Flate-compressed, and ends the file with an xref stream whose
 * dictionary is the old trailer. Object numbers do not change. The result
 * is deterministic. Anything unexpected in the input makes it give up
 * (the caller keeps the original bytes).
 *
 * Issue 22: the input is either in memory (rg_pdf_pack_object_streams) or
 * a file (rg_pdf_pack_file: libharu's output in a scratch file), read a
 * window at a time in file order; the output goes to memory or straight
 * to a file descriptor. Both go through the same code, so they give the
 * same bytes. What stays in memory is the objects' offsets (8 bytes an
 * object), one window of the input (WINDOW, or one object when it is
 * larger), STREAMS_AT_ONCE object streams and the compressed xref stream. */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

enum {
    OBJS_PER_STREAM = 200,
    STREAMS_AT_ONCE = 16,          /* object streams gathered, then deflated on two threads */
    WINDOW = 1 << 20,              /* bytes of an input file read at once */
    FLUSH_AT = 1 << 20,            /* output bytes gathered before a write */
    TAIL = 1024,                   /* bytes at the end where "startxref" must be */
    MAX_TRAILER = 1 << 20          /* bytes from the xref table's end to the file's */
};

enum { GAVE_UP = -1, IO_ERROR = -2 };   /* pack()'s failures */

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    rg_grow(&b->p, &b->cap, b->n + n + 1, 1);
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* v in decimal at the end of tmp[20]; returns where it starts. By hand,
 * not snprintf: every packed object puts two numbers in its stream's
 * header. */
static char *num_text(char tmp[20], unsigned long long v)
{
    char *p = tmp + 20;            /* 2^64 has 20 digits */
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

static void put_num(buf *b, unsigned long long v)
{
    char tmp[20], *p = num_text(tmp, v);
    put(b, p, (size_t)(tmp + sizeof tmp - p));
}

static const unsigned char *find(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == (unsigned char)needle[0] && !memcmp(hay + i, needle, k)) return hay + i;
    return NULL;
}

static const unsigned char *rfind(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (!memcmp(hay + i, needle, k)) return hay + i;
    return NULL;
}

static int deflate_buf(const unsigned char *in, size_t n, buf *out, int level)
{
    uLongf cap = compressBound((uLong)n);
    rg_grow(&out->p, &out->cap, out->n + cap + 1, 1);
    uLongf got = cap;
    if (compress2(out->p + out->n, &got, in, (uLong)n, level) != Z_OK) return -1;
    out->n += got;
    return 0;
}

/* ---- the input: in memory, or a file read in windows ---- */

typedef struct src {
    const unsigned char *mem;      /* the whole input, or NULL: read from fd */
    int fd;
    uint64_t n;                    /* the input's size */
    unsigned char *win;            /* fd: the input's bytes [base, base + len) */
    size_t len, cap;
    uint64_t base;
} src;

/* The input's bytes [off, off + len) (off + len <= s->n), valid until the
 * next call; NULL with errno when a read failed. A window that holds part
 * of them keeps it, so reading in file order reads every byte once. */
static const unsigned char *src_get(src *s, uint64_t off, size_t len)
{
    if (s->mem) return s->mem + off;
    if (off >= s->base && off + len <= s->base + s->len) return s->win + (off - s->base);
    size_t keep = 0;
    if (off >= s->base && off < s->base + s->len) {
        keep = (size_t)(s->base + s->len - off);
        memmove(s->win, s->win + (off - s->base), keep);
    }
    size_t want = len > WINDOW ? len : WINDOW;
    if (want > s->n - off) want = (size_t)(s->n - off);
    rg_grow(&s->win, &s->cap, want + 1, 1);
    s->len = 0;                    /* nothing valid if the read fails */
    if (rg_read_at(s->fd, s->win + keep, want - keep, off + keep) < 0) return NULL;
    s->base = off;
    s->len = want;
    return s->win;
}

/* A NUL-terminated copy of the input's bytes [off, off + len) in out
 * (len + 1 bytes), for strtoul: 0, or IO_ERROR. */
static int src_copy(src *s, uint64_t off, size_t len, char *out)
{
    const unsigned char *p = src_get(s, off, len);
    if (!p) return IO_ERROR;
    memcpy(out, p, len);
    out[len] = 0;
    return 0;
}

/* ---- the output: in memory, or written to a file as it comes ---- */

typedef struct sink {
    buf b;                         /* memory: the whole output; fd: bytes not yet written */
    int fd;                        /* -1: memory */
    uint64_t done;                 /* bytes written to fd */
    int err;                       /* errno of the first failed write: nothing more is written */
} sink;

static uint64_t sink_pos(const sink *s) { return s->done + s->b.n; }

static void sink_flush(sink *s)
{
    if (s->fd < 0 || s->err || s->b.n == 0) return;
    if (rg_write_all(s->fd, s->b.p, s->b.n) != 0) s->err = errno ? errno : EIO;
    else s->done += s->b.n;
    s->b.n = 0;
}

static void out_put(sink *s, const void *p, size_t n)
{
    if (s->err) return;
    if (s->fd >= 0 && n >= FLUSH_AT) {            /* a big stream: not copied again */
        sink_flush(s);
        if (s->err) return;
        if (rg_write_all(s->fd, p, n) != 0) s->err = errno ? errno : EIO;
        else s->done += n;
        return;
    }
    put(&s->b, p, n);
    if (s->fd >= 0 && s->b.n >= FLUSH_AT) sink_flush(s);
}

static void out_str(sink *s, const char *str) { out_put(s, str, strlen(str)); }

static void out_num(sink *s, unsigned long long v)
{
    char tmp[20], *p = num_text(tmp, v);
    out_put(s, p, (size_t)(tmp + sizeof tmp - p));
}

/* ---- libharu's xref table and trailer ---- */

/* The xref table: where it starts, where its entries end, how many. */
typedef struct xref {
    uint64_t off, entries_end;
    size_t cnt;
    uint32_t *obj_off;             /* each object's offset (entry 0: 0) */
} xref;

/* The offset after the last "startxref" in the input's last TAIL bytes. */
static int find_startxref(src *s, uint64_t *xo)
{
    char tail[TAIL + 1];
    size_t t = s->n < TAIL ? (size_t)s->n : TAIL;
    if (src_copy(s, s->n - t, t, tail) < 0) return IO_ERROR;
    const unsigned char *sx = rfind((const unsigned char *)tail, t, "startxref");
    if (!sx) return GAVE_UP;
    *xo = strtoull((const char *)sx + 9, NULL, 10);
    return 0;
}

/* Reads libharu's classic xref: one section "0 N" of 20-byte entries. */
static int read_xref(src *s, xref *x)
{
    uint64_t xo;
    int rc = find_startxref(s, &xo);
    if (rc < 0) return rc;
    if (xo >= s->n) return GAVE_UP;
    char head[65];
    size_t hn = s->n - xo < 64 ? (size_t)(s->n - xo) : 64;
    if (src_copy(s, xo, hn, head) < 0) return IO_ERROR;
    if (hn < 4 || memcmp(head, "xref", 4)) return GAVE_UP;
    const char *p = head + 4;
    while (*p == '\r' || *p == '\n') p++;
    char *e;
    unsigned long first = strtoul(p, &e, 10);
    unsigned long cnt = strtoul(e, &e, 10);
    if (first != 0 || cnt < 2 || cnt > 10000000) return GAVE_UP;
    while (*e == '\r' || *e == '\n' || *e == ' ') e++;
    uint64_t at = xo + (uint64_t)(e - head);
    if (at + (uint64_t)cnt * 20 > s->n) return GAVE_UP;
    x->obj_off = rg_xcalloc(cnt, sizeof *x->obj_off);
    for (unsigned long i = 0; i < cnt; i++) {
        char ent[21];
        if (src_copy(s, at + (uint64_t)i * 20, 20, ent) < 0) return IO_ERROR;
        unsigned long long off = strtoull(ent, NULL, 10);
        if (i != 0 && (ent[17] != 'n' || off >= s->n)) return GAVE_UP;
        x->obj_off[i] = i ? (uint32_t)off : 0;
    }
    x->off = xo;
    x->entries_end = at + (uint64_t)cnt * 20;
    x->cnt = cnt;
    return 0;
}

/* The old trailer's entries but /Size (libharu writes one key per line). */
static int trailer_entries(src *s, const xref *x, buf *out)
{
    if (s->n - x->entries_end > MAX_TRAILER) return GAVE_UP;
    size_t n = (size_t)(s->n - x->entries_end);
    const unsigned char *in = src_get(s, x->entries_end, n);
    if (!in) return IO_ERROR;
    const unsigned char *t = find(in, n, "trailer");
    if (!t) return GAVE_UP;
    const unsigned char *a = find(t, n - (size_t)(t - in), "<<");
    const unsigned char *z = a ? find(a, n - (size_t)(a - in), "startxref") : NULL;
    if (!a || !z) return GAVE_UP;
    const unsigned char *end = rfind(a, (size_t)(z - a), ">>");
    if (!end) return GAVE_UP;
    const unsigned char *line = a + 2;
    while (line < end) {
        const unsigned char *nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl) nl = end;
        size_t len = (size_t)(nl - line);
        if (len && !(len >= 5 && !memcmp(line, "/Size", 5))) {
            put(out, line, len);
            puts_(out, "\n");
        }
        line = nl + 1;
    }
    return 0;
}

/* ---- objects ---- */

/* Object i's text: from its offset to the next object's (or the xref
 * table's), which must come after it. */
typedef struct obj {
    const unsigned char *p;        /* its first byte, valid until the next src_get */
    size_t body, body_end;         /* the object's value: after " obj", up to "endobj" */
    size_t end;                    /* just after "endobj" */
    int stream;
} obj;

static int object_at(src *s, const xref *x, size_t i, obj *o)
{
    uint64_t at = x->obj_off[i], next = i + 1 < x->cnt ? x->obj_off[i + 1] : x->off;
    if (next <= at || next > x->off) return GAVE_UP;
    size_t len = (size_t)(next - at);
    const unsigned char *p = src_get(s, at, len);
    if (!p) return IO_ERROR;
    const unsigned char *ob = find(p, len, " obj");
    const unsigned char *eo = rfind(p, len, "endobj");
    if (!ob || !eo || eo < ob) return GAVE_UP;
    o->p = p;
    o->body = (size_t)(ob + 4 - p);
    o->body_end = (size_t)(eo - p);
    o->end = (size_t)(eo + 6 - p);
    o->stream = find(ob, (size_t)(eo - ob), "stream") != NULL;
    return 0;
}

/* Copies the stream objects as they are; new_off[i] is where object i
 * went, 0 for one that goes into an object stream. */
static int copy_streams(src *s, const xref *x, sink *out, uint32_t *new_off)
{
    for (size_t i = 1; i < x->cnt; i++) {
        obj o;
        int rc = object_at(s, x, i, &o);
        if (rc < 0) return rc;
        if (!o.stream) continue;
        if (sink_pos(out) > 0xFFFFFFFFu) return GAVE_UP;      /* /W [1 4 2] */
        new_off[i] = (uint32_t)sink_pos(out);
        out_put(out, o.p, o.end);
        out_str(out, "\n");
    }
    return 0;
}

static void trim(const unsigned char *in, size_t *a, size_t *b)
{
    while (*a < *b && (in[*a] == ' ' || in[*a] == '\r' || in[*a] == '\n')) (*a)++;
    while (*b > *a && (in[*b - 1] == ' ' || in[*b - 1] == '\r' || in[*b - 1] == '\n')) (*b)--;
}

/* One object stream: its objects' text (offsets, then bodies) and the
 * deflated result. */
typedef struct stm {
    buf raw, z;
    size_t first;                  /* /First: bytes of the offset table */
    unsigned count;                /* /N */
    unsigned long num;             /* its object number */
    int bad;                       /* deflate failed */
} stm;

/* Fills s with the next at most OBJS_PER_STREAM packable objects from
 * *i on; s->count 0 when there are none. */
static int gather_stream(src *src_, const xref *x, const uint32_t *new_off, size_t *i, stm *s)
{
    buf head = {0}, body = {0};
    unsigned k = 0;
    int rc = 0;
    for (; *i < x->cnt && k < OBJS_PER_STREAM; (*i)++) {
        if (new_off[*i]) continue;                  /* a stream object */
        obj o;
        if ((rc = object_at(src_, x, *i, &o)) < 0) break;
        size_t a = o.body, b = o.body_end;
        trim(o.p, &a, &b);
        put_num(&head, *i);
        puts_(&head, " ");
        put_num(&head, body.n);
        puts_(&head, " ");
        put(&body, o.p + a, b - a);
        puts_(&body, "\n");
        k++;
    }
    if (rc == 0 && k > 0) {
        put(&s->raw, head.p, head.n);
        put(&s->raw, body.p, body.n);
        s->first = head.n;
        s->count = k;
    }
    free(head.p);
    free(body.p);
    return rc;
}

/* Deflates every second stream from start: two of these run at once. */
typedef struct half {
    stm *v;
    size_t n, start;
} half;

static void *deflate_half(void *arg)
{
    half *h = arg;
    for (size_t i = h->start; i < h->n; i += 2)
        h->v[i].bad = deflate_buf(h->v[i].raw.p, h->v[i].raw.n, &h->v[i].z,
                                  RG_PDF_ZLEVEL_OBJSTM) < 0;
    return NULL;
}

/* Deflates all streams, half of them on a second thread (compress2 keeps
 * its state on the stack: nothing shared). */
static void deflate_streams(stm *v, size_t n)
{
    half a = { v, n, 0 }, b = { v, n, 1 };
    pthread_t t;
    int threaded = n > 1 && pthread_create(&t, NULL, deflate_half, &b) == 0;
    deflate_half(&a);
    if (threaded) pthread_join(t, NULL);
    else deflate_half(&b);
}

static void write_stream(sink *out, const stm *s)
{
    out_num(out, s->num);
    out_str(out, " 0 obj\n<<\n/Type /ObjStm\n/N ");
    out_num(out, s->count);
    out_str(out, "\n/First ");
    out_num(out, s->first);
    out_str(out, "\n/Filter /FlateDecode\n/Length ");
    out_num(out, s->z.n);
    out_str(out, "\n>>\nstream\r\n");
    out_put(out, s->z.p, s->z.n);
    out_str(out, "\r\nendstream\nendobj\n");
}

/* The object streams' offsets in the output. */
typedef struct stm_offs {
    uint32_t *off;
    size_t n, cap;
} stm_offs;

static void free_streams(stm *v, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(v[k].raw.p);
        free(v[k].z.p);
    }
    memset(v, 0, n * sizeof *v);
}

/* Deflates v[0..n), writes them and notes their offsets, frees them. */
static int flush_streams(sink *out, stm *v, size_t n, stm_offs *offs)
{
    int rc = 0;
    deflate_streams(v, n);
    for (size_t k = 0; k < n && rc == 0; k++) {
        if (v[k].bad || sink_pos(out) > 0xFFFFFFFFu) {
            rc = GAVE_UP;
            break;
        }
        rg_grow(&offs->off, &offs->cap, offs->n + 1, sizeof *offs->off);
        offs->off[offs->n++] = (uint32_t)sink_pos(out);
        write_stream(out, &v[k]);
    }
    free_streams(v, n);
    return rc;
}

/* Writes the object streams for the packable objects, STREAMS_AT_ONCE at
 * a time; their numbers follow the input's last object number. */
static int write_object_streams(src *s, const xref *x, const uint32_t *new_off, sink *out,
                                stm_offs *offs)
{
    stm v[STREAMS_AT_ONCE];
    memset(v, 0, sizeof v);
    size_t n = 0, i = 1;
    int rc = 0;
    while (rc == 0 && i < x->cnt) {
        stm *t = &v[n];
        t->num = (unsigned long)(x->cnt + offs->n + n);
        if ((rc = gather_stream(s, x, new_off, &i, t)) < 0 || t->count == 0) break;
        if (++n == STREAMS_AT_ONCE) {
            rc = flush_streams(out, v, n, offs);
            n = 0;
        }
    }
    if (rc < 0) {
        free_streams(v, n);
        return rc;
    }
    return flush_streams(out, v, n, offs);
}

/* ---- the cross-reference stream ---- */

/* Its rows, deflated as they come: each with the PNG "Up" predictor (PDF
 * 32000-1, 7.4.4.4: /Predictor 12), a filter byte 2 and its bytes minus
 * the row above's. Neighbouring rows differ in a byte or two, so the xref
 * stream deflates to a sixth (1000 pages: 79 -> 14 KB). zlib's output
 * does not depend on how its input is cut up: the same bytes as one
 * compress2 of all rows. */
enum { XROW = 7, XROWS_AT_ONCE = 4096 };

typedef struct xz {
    z_stream z;
    unsigned char prev[XROW];
    unsigned char in[XROWS_AT_ONCE * (XROW + 1)];
    size_t n;                      /* bytes in in */
    buf out;
    int bad;
} xz;

static void xz_run(xz *x, int flush)
{
    x->z.next_in = x->in;
    x->z.avail_in = (uInt)x->n;
    int rc;
    do {
        rg_grow(&x->out.p, &x->out.cap, x->out.n + 65536, 1);
        x->z.next_out = x->out.p + x->out.n;
        x->z.avail_out = (uInt)(x->out.cap - x->out.n);
        rc = deflate(&x->z, flush);
        x->out.n = x->out.cap - x->z.avail_out;
        if (rc == Z_STREAM_ERROR) x->bad = 1;
    } while (!x->bad && (x->z.avail_in > 0 || (flush == Z_FINISH && rc != Z_STREAM_END)));
    x->n = 0;
}

static void xz_row(xz *x, int type, unsigned long long f2, unsigned f3)
{
    unsigned char e[XROW] = { (unsigned char)type,
                              (unsigned char)(f2 >> 24), (unsigned char)(f2 >> 16),
                              (unsigned char)(f2 >> 8), (unsigned char)f2,
                              (unsigned char)(f3 >> 8), (unsigned char)f3 };
    x->in[x->n++] = 2;
    for (size_t c = 0; c < XROW; c++) x->in[x->n++] = (unsigned char)(e[c] - x->prev[c]);
    memcpy(x->prev, e, XROW);
    if (x->n == sizeof x->in) xz_run(x, Z_NO_FLUSH);
}

/* The xref stream's rows: object 0, the input's objects, the object
 * streams, the xref stream itself at xref_pos. */
static int xref_rows(xz *x, const xref *xr, const uint32_t *new_off, const stm_offs *offs,
                     uint64_t xref_pos)
{
    memset(&x->z, 0, sizeof x->z);
    if (deflateInit(&x->z, RG_PDF_ZLEVEL_XREF) != Z_OK) return GAVE_UP;
    xz_row(x, 0, 0, 65535);
    size_t packed = 0;                            /* packable objects so far */
    for (size_t i = 1; i < xr->cnt; i++) {
        if (new_off[i]) {
            xz_row(x, 1, new_off[i], 0);
        } else {
            xz_row(x, 2, xr->cnt + packed / OBJS_PER_STREAM, packed % OBJS_PER_STREAM);
            packed++;
        }
    }
    for (size_t s = 0; s < offs->n; s++) xz_row(x, 1, offs->off[s], 0);
    xz_row(x, 1, xref_pos, 0);
    xz_run(x, Z_FINISH);
    deflateEnd(&x->z);
    return x->bad ? GAVE_UP : 0;
}

static int write_xref_stream(sink *out, const xref *xr, const uint32_t *new_off,
                             const stm_offs *offs, const buf *trailer)
{
    xz *x = rg_xcalloc(1, sizeof *x);
    uint64_t xref_pos = sink_pos(out);
    int rc = xref_pos > 0xFFFFFFFFu ? GAVE_UP : xref_rows(x, xr, new_off, offs, xref_pos);
    if (rc == 0) {
        unsigned long long xref_num = xr->cnt + offs->n;
        out_num(out, xref_num);
        out_str(out, " 0 obj\n<<\n/Type /XRef\n/Size ");
        out_num(out, xref_num + 1);
        out_str(out, "\n/W [1 4 2]\n/Filter /FlateDecode\n"
                     "/DecodeParms << /Predictor 12 /Columns 7 >>\n");
        out_put(out, trailer->p, trailer->n);
        out_str(out, "/Length ");
        out_num(out, x->out.n);
        out_str(out, "\n>>\nstream\r\n");
        out_put(out, x->out.p, x->out.n);
        out_str(out, "\r\nendstream\nendobj\nstartxref\n");
        out_num(out, xref_pos);
        out_str(out, "\n%%EOF\n");
    }
    free(x->out.p);
    free(x);
    return rc;
}

/* ---- the whole pass ---- */

/* Reads s, writes the packed PDF to out: 0, GAVE_UP, or IO_ERROR with
 * errno. */
static int pack(src *s, sink *out)
{
    xref x = {0};
    buf trailer = {0};
    stm_offs offs = {0};
    uint32_t *new_off = NULL;
    int rc = s->n > 0xFFFFFFFFu ? GAVE_UP : read_xref(s, &x);
    if (rc == 0) rc = trailer_entries(s, &x, &trailer);
    if (rc == 0) {
        new_off = rg_xcalloc(x.cnt, sizeof *new_off);
        out_str(out, "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");
        rc = copy_streams(s, &x, out, new_off);   /* streams stay as they are */
    }
    if (rc == 0) rc = write_object_streams(s, &x, new_off, out, &offs);
    if (rc == 0) rc = write_xref_stream(out, &x, new_off, &offs, &trailer);
    if (rc == 0) sink_flush(out);
    if (rc == 0 && out->err) {
        rc = IO_ERROR;
        errno = out->err;
    }
    int saved = errno;
    free(x.obj_off);
    free(trailer.p);
    free(offs.off);
    free(new_off);
    errno = saved;
    return rc;
}

int rg_pdf_pack_object_streams(const unsigned char *in, size_t n, unsigned char **outp,
                               size_t *outn)
{
    src s = { .mem = in, .fd = -1, .n = n };
    sink out = { .fd = -1 };
    if (pack(&s, &out) < 0) {
        free(out.b.p);
        return -1;
    }
    *outp = out.b.p;
    *outn = out.b.n;
    return 0;
}

int rg_pdf_copy_file(int in, uint64_t n, int out)
{
    enum { CHUNK = 1 << 20 };
    unsigned char *b = rg_xmalloc(CHUNK);
    int rc = 0;
    for (uint64_t at = 0; at < n && rc == 0; at += CHUNK) {
        size_t len = n - at < CHUNK ? (size_t)(n - at) : CHUNK;
        rc = rg_read_at(in, b, len, at) != 0 || rg_write_all(out, b, len) != 0 ? -1 : 0;
    }
    int saved = errno;
    free(b);
    errno = saved;
    return rc;
}

/* After giving up: out back to where it started, then the input as is. */
static int copy_instead(int in, uint64_t n, int out, off_t start)
{
    if (lseek(out, start, SEEK_SET) < 0 || ftruncate(out, start) != 0) return -1;
    return rg_pdf_copy_file(in, n, out);
}

int rg_pdf_pack_file(int in, uint64_t n, int out)
{
    off_t start = lseek(out, 0, SEEK_CUR);
    if (start < 0) return -1;
    src s = { .fd = in, .n = n };
    sink o = { .fd = out };
    int rc = pack(&s, &o);
    int saved = errno;
    free(s.win);
    free(o.b.p);
    errno = saved;
    if (rc == GAVE_UP) return copy_instead(in, n, out, start);
    return rc == 0 ? 0 : -1;
}
