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
 * (the caller keeps the original bytes). */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { OBJS_PER_STREAM = 200 };

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

/* Appends v in decimal. By hand, not snprintf: every packed object puts
 * two numbers in its stream's header. */
static void put_num(buf *b, unsigned long long v)
{
    char tmp[20], *e = tmp + sizeof tmp, *p = e;      /* 2^64 has 20 digits */
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(b, p, (size_t)(e - p));
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

typedef struct obj {
    size_t off, end;               /* "N 0 obj" .. just after "endobj" in the input */
    size_t body, body_end;         /* the object's value */
    int stream;
    unsigned long packed_in;       /* object stream number, 0 = not packed */
    unsigned index;                /* index within that stream */
    size_t new_off;                /* offset in the output (not packed) */
} obj;

/* Reads libharu's classic xref: one section "0 N". */
static int read_xref(const unsigned char *in, size_t n, obj **objs, size_t *count,
                     size_t *xref_off)
{
    const unsigned char *sx = rfind(in, n, "startxref");
    if (!sx) return -1;
    unsigned long long xo = strtoull((const char *)sx + 9, NULL, 10);
    if (xo >= n || memcmp(in + xo, "xref", 4)) return -1;
    const char *p = (const char *)in + xo + 4;
    while (*p == '\r' || *p == '\n') p++;
    char *e;
    unsigned long first = strtoul(p, &e, 10);
    unsigned long cnt = strtoul(e, &e, 10);
    if (first != 0 || cnt < 2 || cnt > 10000000) return -1;
    while (*e == '\r' || *e == '\n' || *e == ' ') e++;
    if ((size_t)((const unsigned char *)e - in) + cnt * 20 > n) return -1;
    obj *o = rg_xcalloc(cnt, sizeof *o);
    for (unsigned long i = 0; i < cnt; i++) {
        const char *ent = e + i * 20;
        o[i].off = (size_t)strtoull(ent, NULL, 10);
        if (ent[17] != 'n' && i != 0) {
            free(o);
            return -1;
        }
    }
    *objs = o;
    *count = cnt;
    *xref_off = (size_t)xo;
    return 0;
}

/* Finds each object's extent and value; objects must be in file order. */
static int scan_objects(const unsigned char *in, obj *o, size_t cnt, size_t xref_off)
{
    for (size_t i = 1; i < cnt; i++) {
        size_t next = i + 1 < cnt ? o[i + 1].off : xref_off;
        if (next <= o[i].off || next > xref_off) return -1;
        const unsigned char *s = in + o[i].off, *lim = in + next;
        const unsigned char *ob = find(s, (size_t)(lim - s), " obj");
        const unsigned char *eo = rfind(s, (size_t)(lim - s), "endobj");
        if (!ob || !eo || eo < ob) return -1;
        o[i].body = (size_t)(ob + 4 - in);
        o[i].body_end = (size_t)(eo - in);
        o[i].end = (size_t)(eo + 6 - in);
        o[i].stream = find(ob, (size_t)(eo - ob), "stream") != NULL;
    }
    return 0;
}

/* The old trailer's entries but /Size (libharu writes one key per line). */
static int trailer_entries(const unsigned char *in, size_t n, size_t xref_off, buf *out)
{
    const unsigned char *t = find(in + xref_off, n - xref_off, "trailer");
    if (!t) return -1;
    const unsigned char *a = find(t, n - (size_t)(t - in), "<<");
    const unsigned char *z = a ? find(a, n - (size_t)(a - in), "startxref") : NULL;
    if (!a || !z) return -1;
    const unsigned char *end = rfind(a, (size_t)(z - a), ">>");
    if (!end) return -1;
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

/* Gathers the packable objects into object streams of at most
 * OBJS_PER_STREAM, numbered after the input's last object. */
static stm *gather_streams(const unsigned char *in, obj *o, size_t cnt, size_t *nstm)
{
    stm *v = NULL;
    size_t cap = 0;
    *nstm = 0;
    for (size_t i = 1; i < cnt;) {
        buf head = { 0 }, body = { 0 };
        unsigned k = 0;
        unsigned long num = (unsigned long)(cnt + *nstm);
        for (; i < cnt && k < OBJS_PER_STREAM; i++) {
            if (o[i].stream) continue;
            size_t a = o[i].body, b = o[i].body_end;
            trim(in, &a, &b);
            put_num(&head, i);
            puts_(&head, " ");
            put_num(&head, body.n);
            puts_(&head, " ");
            put(&body, in + a, b - a);
            puts_(&body, "\n");
            o[i].packed_in = num;
            o[i].index = k++;
        }
        if (k > 0) {
            rg_grow(&v, &cap, *nstm + 1, sizeof *v);
            stm *s = &v[(*nstm)++];
            memset(s, 0, sizeof *s);
            put(&s->raw, head.p, head.n);
            put(&s->raw, body.p, body.n);
            s->first = head.n;
            s->count = k;
            s->num = num;
        }
        free(head.p);
        free(body.p);
        if (k == 0) break;
    }
    return v;
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

/* Writes the object streams for the packable objects; their numbers
 * follow the input's last object number. */
static int write_object_streams(const unsigned char *in, obj *o, size_t cnt, buf *out,
                                size_t **stm_off, size_t *nstm)
{
    stm *v = gather_streams(in, o, cnt, nstm);
    deflate_streams(v, *nstm);
    *stm_off = rg_xmalloc((*nstm ? *nstm : 1) * sizeof **stm_off);
    int bad = 0;
    for (size_t i = 0; i < *nstm; i++) {
        stm *s = &v[i];
        bad |= s->bad;
        (*stm_off)[i] = out->n;
        put_num(out, s->num);
        puts_(out, " 0 obj\n<<\n/Type /ObjStm\n/N ");
        put_num(out, s->count);
        puts_(out, "\n/First ");
        put_num(out, s->first);
        puts_(out, "\n/Filter /FlateDecode\n/Length ");
        put_num(out, s->z.n);
        puts_(out, "\n>>\nstream\r\n");
        put(out, s->z.p, s->z.n);
        puts_(out, "\r\nendstream\nendobj\n");
    }
    for (size_t i = 0; i < *nstm; i++) {
        free(v[i].raw.p);
        free(v[i].z.p);
    }
    free(v);
    return bad ? -1 : 0;
}

static void xref_entry(buf *b, int type, unsigned long long f2, unsigned f3)
{
    unsigned char e[7] = { (unsigned char)type,
                           (unsigned char)(f2 >> 24), (unsigned char)(f2 >> 16),
                           (unsigned char)(f2 >> 8), (unsigned char)f2,
                           (unsigned char)(f3 >> 8), (unsigned char)f3 };
    put(b, e, sizeof e);
}

/* Applies the PNG "Up" predictor (PDF 32000-1, 7.4.4.4: /Predictor 12)
 * to the 7-byte xref rows in b: each row becomes a filter byte 2 and its
 * bytes minus the row above's. Neighbouring rows differ in a byte or two,
 * so the xref stream deflates to a sixth (1000 pages: 79 -> 14 KB). */
static void png_up(buf *b)
{
    enum { W = 7 };
    size_t rows = b->n / W;
    buf o = { 0 };
    rg_grow(&o.p, &o.cap, rows * (W + 1) + 1, 1);
    for (size_t r = 0; r < rows; r++) {
        o.p[o.n++] = 2;
        for (size_t c = 0; c < W; c++) {
            unsigned char up = r ? b->p[(r - 1) * W + c] : 0;
            o.p[o.n++] = (unsigned char)(b->p[r * W + c] - up);
        }
    }
    free(b->p);
    *b = o;
}

int rg_pdf_pack_object_streams(const unsigned char *in, size_t n, unsigned char **outp,
                               size_t *outn)
{
    obj *o = NULL;
    size_t cnt = 0, xref_off = 0, *stm_off = NULL, nstm = 0;
    buf out = { 0 }, trailer = { 0 }, xr = { 0 }, z = { 0 };
    int rc = -1;
    if (n > 0xFFFFFFFFu || read_xref(in, n, &o, &cnt, &xref_off) < 0) goto done;
    if (scan_objects(in, o, cnt, xref_off) < 0 || trailer_entries(in, n, xref_off, &trailer) < 0)
        goto done;
    puts_(&out, "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");
    for (size_t i = 1; i < cnt; i++) {           /* streams stay as they are */
        if (!o[i].stream) continue;
        o[i].new_off = out.n;
        put(&out, in + o[i].off, o[i].end - o[i].off);
        puts_(&out, "\n");
    }
    if (write_object_streams(in, o, cnt, &out, &stm_off, &nstm) < 0) goto done;
    unsigned long long xref_num = cnt + nstm, size = xref_num + 1;
    xref_entry(&xr, 0, 0, 65535);
    for (size_t i = 1; i < cnt; i++) {
        if (o[i].stream) xref_entry(&xr, 1, o[i].new_off, 0);
        else xref_entry(&xr, 2, o[i].packed_in, o[i].index);
    }
    for (size_t s = 0; s < nstm; s++) xref_entry(&xr, 1, stm_off[s], 0);
    size_t xref_pos = out.n;
    xref_entry(&xr, 1, xref_pos, 0);
    png_up(&xr);
    if (deflate_buf(xr.p, xr.n, &z, RG_PDF_ZLEVEL_XREF) < 0) goto done;
    put_num(&out, xref_num);
    puts_(&out, " 0 obj\n<<\n/Type /XRef\n/Size ");
    put_num(&out, size);
    puts_(&out, "\n/W [1 4 2]\n/Filter /FlateDecode\n"
                "/DecodeParms << /Predictor 12 /Columns 7 >>\n");
    put(&out, trailer.p, trailer.n);
    puts_(&out, "/Length ");
    put_num(&out, z.n);
    puts_(&out, "\n>>\nstream\r\n");
    put(&out, z.p, z.n);
    puts_(&out, "\r\nendstream\nendobj\nstartxref\n");
    put_num(&out, xref_pos);
    puts_(&out, "\n%%EOF\n");
    *outp = out.p;
    *outn = out.n;
    out.p = NULL;
    rc = 0;
done:
    free(o);
    free(stm_off);
    free(out.p);
    free(trailer.p);
    free(xr.p);
    free(z.p);
    return rc;
}
