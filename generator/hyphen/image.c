/* hyphen/image.c - libhyphen dictionaries saved and loaded whole (see
 * hyphen/image.h). Stage: hyphen. Owns the image format:
 *
 *   header   magic, the three struct sizes, the number of levels, the
 *            pattern file's length and hash, the body's length and hash
 *   body     HyphenDict[levels], then each level's HyphenState[], then all
 *            HyphenTrans[], then the strings (match, repl, nohyphen)
 *
 * The body is the structs libhyphen reads, with every pointer replaced by
 * its offset in the body plus one (0 stays NULL). Loading reads the body
 * into one block, checks it and turns the offsets back into pointers: the
 * first HyphenDict is the block's start, so freeing is one free(). */
#include "image.h"
#include "base/base.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_LEVELS = 8 };           /* libhyphen makes two */
/* Bounds checked before reading: pattern files are 0.1-1 MB, their
 * images a few times that. */
#define MAX_SOURCE_BYTES ((size_t)32 << 20)
#define MAX_IMAGE_BYTES ((size_t)256 << 20)

static const char MAGIC[8] = "RGHYPH2\n";   /* 2: rg_hash_bytes */

typedef struct image_header {
    char magic[8];
    uint32_t dict_size, state_size, trans_size, nlevels;
    uint64_t src_len, src_hash;
    uint64_t body_len, body_hash;
} image_header;

/* Tells one pattern file (or a damaged body) from another (an 800 KB body
 * in ~0.1 ms). */
static uint64_t hash_bytes(const void *data, size_t len)
{
    return rg_hash_bytes(0, data, len);
}

unsigned char *rg_hyphen_image_source(const char *path, size_t *len)
{
    char *data, why[160];
    if (rg_read_regular(path, MAX_SOURCE_BYTES, &data, len, NULL, why, sizeof why) != RG_OK)
        return NULL;
    if (*len == 0) {
        free(data);
        return NULL;
    }
    return (unsigned char *)data;
}

/* ---- writing ---- */

/* Levels of dict (it and its nextlevel chain); 0 when there are more than
 * MAX_LEVELS or a count is negative. */
static int count_levels(const HyphenDict *dict)
{
    int n = 0;
    for (const HyphenDict *d = dict; d; d = d->nextlevel) {
        if (n == MAX_LEVELS || d->num_states < 1 || d->nohyphenl < 0) return 0;
        for (int s = 0; s < d->num_states; s++)
            if (d->states[s].num_trans < 0) return 0;
        n++;
    }
    return n;
}

/* Bytes of the nohyphen buffer: nohyphenl + 1 NUL-terminated strings. */
static size_t nohyphen_len(const HyphenDict *d)
{
    if (!d->nohyphen) return 0;
    size_t n = 0;
    for (int i = 0; i <= d->nohyphenl; i++) n += strlen(d->nohyphen + n) + 1;
    return n;
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Where the writer puts things in the body. */
typedef struct body_writer {
    unsigned char *body;
    size_t trans_at, chars_at;     /* next free byte of each pool */
} body_writer;

static void *encode(size_t off)
{
    return (void *)(uintptr_t)(off + 1);
}

static void *put_bytes(body_writer *w, const void *data, size_t n)
{
    if (!data) return NULL;
    memcpy(w->body + w->chars_at, data, n);
    w->chars_at += n;
    return encode(w->chars_at - n);
}

static void put_state(body_writer *w, const HyphenState *src, HyphenState *dst)
{
    dst->match = put_bytes(w, src->match, str_size(src->match));
    dst->repl = put_bytes(w, src->repl, str_size(src->repl));
    if (src->match) {              /* libhyphen sets (and reads) them only with a match */
        dst->replindex = src->replindex;
        dst->replcut = src->replcut;
    }
    dst->fallback_state = src->fallback_state;
    dst->num_trans = src->num_trans;
    dst->trans = NULL;
    if (src->num_trans > 0) {
        size_t n = (size_t)src->num_trans * sizeof *src->trans;
        HyphenTrans *t = (HyphenTrans *)(w->body + w->trans_at);
        for (int k = 0; k < src->num_trans; k++) {
            t[k].ch = src->trans[k].ch;
            t[k].new_state = src->trans[k].new_state;
        }
        dst->trans = encode(w->trans_at);
        w->trans_at += n;
    }
}

int rg_hyphen_image_write(const HyphenDict *dict, const void *src, size_t len, FILE *out)
{
    int nlevels = count_levels(dict);
    if (!nlevels) return -1;
    size_t states = 0, trans = 0, chars = 0;
    for (const HyphenDict *d = dict; d; d = d->nextlevel) {
        states += (size_t)d->num_states * sizeof(HyphenState);
        chars += nohyphen_len(d);
        for (int s = 0; s < d->num_states; s++) {
            trans += (size_t)d->states[s].num_trans * sizeof(HyphenTrans);
            chars += str_size(d->states[s].match) + str_size(d->states[s].repl);
        }
    }
    size_t dicts = (size_t)nlevels * sizeof(HyphenDict);
    size_t body_len = dicts + states + trans + chars;
    /* zeroed, and fields are set one by one: padding stays 0, so equal
     * dictionaries give equal images */
    body_writer w = { calloc(1, body_len), dicts + states, dicts + states + trans };
    if (!w.body) return -1;

    size_t states_at = dicts;
    int i = 0;
    for (const HyphenDict *d = dict; d; d = d->nextlevel, i++) {
        HyphenDict *o = (HyphenDict *)(w.body + (size_t)i * sizeof *o);
        o->lhmin = d->lhmin;
        o->rhmin = d->rhmin;
        o->clhmin = d->clhmin;
        o->crhmin = d->crhmin;
        o->nohyphen = put_bytes(&w, d->nohyphen, nohyphen_len(d));
        o->nohyphenl = d->nohyphenl;
        o->num_states = d->num_states;
        memcpy(o->cset, d->cset, sizeof o->cset);
        o->cset[sizeof o->cset - 1] = 0;
        o->utf8 = d->utf8;
        o->states = encode(states_at);
        o->nextlevel = d->nextlevel ? encode((size_t)(i + 1) * sizeof *o) : NULL;
        HyphenState *st = (HyphenState *)(w.body + states_at);
        for (int s = 0; s < d->num_states; s++) put_state(&w, &d->states[s], &st[s]);
        states_at += (size_t)d->num_states * sizeof *st;
    }

    image_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, sizeof h.magic);
    h.dict_size = sizeof(HyphenDict);
    h.state_size = sizeof(HyphenState);
    h.trans_size = sizeof(HyphenTrans);
    h.nlevels = (uint32_t)nlevels;
    h.src_len = len;
    h.src_hash = hash_bytes(src, len);
    h.body_len = body_len;
    h.body_hash = hash_bytes(w.body, body_len);
    int ok = fwrite(&h, sizeof h, 1, out) == 1 && fwrite(w.body, body_len, 1, out) == 1;
    free(w.body);
    return ok ? 0 : -1;
}

/* ---- loading ---- */

/* A body being checked and fixed up. */
typedef struct body_reader {
    unsigned char *body;
    size_t len;
} body_reader;

/* Turns an encoded pointer to n bytes back into a pointer into the body;
 * 0 when it points (partly) outside. NULL stays NULL. */
static int decode(const body_reader *r, void **p, size_t n)
{
    uintptr_t v = (uintptr_t)*p;
    if (!v) return 1;
    size_t off = (size_t)(v - 1);
    if (off > r->len || n > r->len - off) return 0;
    *p = r->body + off;
    return 1;
}

/* A string at an encoded pointer, NUL-terminated inside the body. */
static int decode_str(const body_reader *r, char **s)
{
    if (!decode(r, (void **)s, 1)) return 0;
    return !*s || memchr(*s, 0, r->len - (size_t)((unsigned char *)*s - r->body)) != NULL;
}

static int fix_state(const body_reader *r, HyphenState *s, int num_states)
{
    if (!decode_str(r, &s->match) || !decode_str(r, &s->repl)) return 0;
    if (s->fallback_state < -1 || s->fallback_state >= num_states) return 0;
    if (s->num_trans < 0 || (s->num_trans > 0) != (s->trans != NULL)) return 0;
    if (!decode(r, (void **)&s->trans, (size_t)s->num_trans * sizeof *s->trans)) return 0;
    for (int k = 0; k < s->num_trans; k++)
        if (s->trans[k].new_state < 0 || s->trans[k].new_state >= num_states) return 0;
    return 1;
}

static int fix_nohyphen(const body_reader *r, HyphenDict *d)
{
    if (d->nohyphenl < 0 || !decode(r, (void **)&d->nohyphen, 1)) return 0;
    if (!d->nohyphen) return 1;
    size_t off = (size_t)((unsigned char *)d->nohyphen - r->body);
    for (int i = 0; i <= d->nohyphenl; i++) {
        const unsigned char *end = memchr(r->body + off, 0, r->len - off);
        if (!end) return 0;
        off = (size_t)(end - r->body) + 1;
    }
    return 1;
}

static int fix_level(const body_reader *r, HyphenDict *d, int level, int nlevels)
{
    if (d->num_states < 1 || !memchr(d->cset, 0, sizeof d->cset)) return 0;
    if (!d->states || !decode(r, (void **)&d->states, (size_t)d->num_states * sizeof *d->states))
        return 0;
    void *next = d->nextlevel;
    if (!decode(r, &next, sizeof *d)) return 0;
    HyphenDict *want = level + 1 < nlevels ? (HyphenDict *)r->body + level + 1 : NULL;
    if (next != want) return 0;    /* the chain is the levels in order: no cycle */
    d->nextlevel = want;
    if (!fix_nohyphen(r, d)) return 0;
    for (int s = 0; s < d->num_states; s++)
        if (!fix_state(r, &d->states[s], d->num_states)) return 0;
    return 1;
}

static int read_all(int fd, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int header_fits(const image_header *h, size_t file_size, const void *src,
                       size_t len)
{
    return !memcmp(h->magic, MAGIC, sizeof h->magic) && h->dict_size == sizeof(HyphenDict) &&
           h->state_size == sizeof(HyphenState) && h->trans_size == sizeof(HyphenTrans) &&
           h->nlevels >= 1 && h->nlevels <= MAX_LEVELS &&
           h->body_len >= h->nlevels * sizeof(HyphenDict) &&
           (uint64_t)file_size == sizeof *h + h->body_len && h->body_len <= SIZE_MAX &&
           h->src_len == len && h->src_hash == hash_bytes(src, len);
}

HyphenDict *rg_hyphen_image_load(const char *path, const void *src, size_t len)
{
    size_t size;
    rg_status status;
    char why[160];
    int fd = rg_open_regular(path, MAX_IMAGE_BYTES, &size, NULL, &status, why, sizeof why);
    if (fd < 0) return NULL;
    body_reader r = { NULL, 0 };
    image_header h;
    int ok = read_all(fd, &h, sizeof h) == 0 && header_fits(&h, size, src, len);
    if (ok) {
        r.len = (size_t)h.body_len;
        r.body = malloc(r.len);
        ok = r.body && read_all(fd, r.body, r.len) == 0 &&
             hash_bytes(r.body, r.len) == h.body_hash;
    }
    close(fd);
    for (int i = 0; ok && i < (int)h.nlevels; i++)
        ok = fix_level(&r, (HyphenDict *)r.body + i, i, (int)h.nlevels);
    if (!ok) {
        free(r.body);
        return NULL;
    }
    return (HyphenDict *)r.body;
}

void rg_hyphen_image_free(HyphenDict *dict)
{
    free(dict);
}
