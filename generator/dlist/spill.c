/* dlist/spill.c - pages written to a scratch file and read back (issue 22;
 * see dlist.h, "spilling finished pages"). Stage: display list.
 *
 * A page's record is its items as they are in memory, each followed by
 * what it points to in the page's arena: a glyph run's glyphs and text, a
 * path's points. Everything else an item points to (fonts, link targets,
 * destination names, a picture's bytes) lives as long as the list or the
 * document and is written as the pointer it is: the record is read back
 * by the same process, never by another. Reading a record back takes one
 * read into one buffer; the items point into it. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rg_dl_spill {
    int fd;
    uint64_t end;                  /* where the next record goes */
    int read_err, write_err;       /* first errno of each, 0: none */
    uint64_t bytes;
};

void rg_dl_spill_to(rg_dl *dl, int fd)
{
    if (dl->spill) rg_dl_spill_close(dl);
    dl->spill = rg_xcalloc(1, sizeof *dl->spill);
    dl->spill->fd = fd;
}

void rg_dl_spill_close(rg_dl *dl)
{
    if (!dl->spill) return;
    close(dl->spill->fd);
    free(dl->spill);
    dl->spill = NULL;
}

/* ---- writing a record ---- */

typedef struct record {
    unsigned char *p;
    size_t n, cap;
} record;

static void put(record *r, const void *p, size_t n)
{
    if (!n) return;
    rg_grow(&r->p, &r->cap, r->n + n, 1);
    memcpy(r->p + r->n, p, n);
    r->n += n;
}

/* Payloads are padded to 8 bytes so that the next item read back in
 * place is aligned. */
static void put_aligned(record *r, const void *p, size_t n)
{
    static const unsigned char zero[8];
    put(r, p, n);
    put(r, zero, (8 - n % 8) % 8);
}

static void put_item(record *r, const rg_dl_item *it)
{
    put_aligned(r, it, sizeof *it);
    if (it->kind == RG_DL_GLYPHS) {
        const rg_dl_glyphs *g = &it->u.glyphs;
        put_aligned(r, g->glyphs, g->nglyphs * sizeof *g->glyphs);
        static const unsigned char zero[8];
        put(r, g->text, g->text_len);              /* NUL-terminated, as copied, and padded */
        put(r, zero, 1 + (8 - (g->text_len + 1) % 8) % 8);
    } else if (it->kind == RG_DL_PATH) {
        put_aligned(r, it->u.path.segs, it->u.path.nsegs * sizeof *it->u.path.segs);
    }
}

static void free_loaded(rg_dl_page *p)
{
    free(p->spill_buf);
    p->spill_buf = NULL;
}

/* Appends items[0..n) as a record at the end of the scratch file: its
 * offset, or -1 (errno; a short write's bytes are skipped over). */
static int64_t write_record(struct rg_dl_spill *s, const rg_dl_item *items, size_t n,
                            size_t *len)
{
    record r = {0};
    for (size_t i = 0; i < n; i++) put_item(&r, &items[i]);
    if (rg_write_all(s->fd, r.p, r.n) != 0) {   /* appends: the file offset is s->end */
        int e = errno;
        if (!s->write_err) s->write_err = e;
        free(r.p);
        off_t at = lseek(s->fd, 0, SEEK_END);
        if (at >= 0) s->end = (uint64_t)at;
        errno = e;
        return -1;
    }
    int64_t at = (int64_t)s->end;
    *len = r.n;
    s->end += r.n;
    s->bytes += r.n;
    free(r.p);
    return at;
}

/* What was added to a spilled page since (its tail) as its second record. */
static int spill_tail(rg_dl *dl, size_t page)
{
    rg_dl_page *p = &dl->pages[page];
    size_t len, n = p->nitems;
    int64_t at = write_record(dl->spill, p->items, n, &len);
    if (at < 0) return -1;
    int last_chunk = p->items[n - 1].chunk;
    free(p->items);
    p->items = NULL;
    p->nitems = p->cap = 0;
    rg_arena_free(p->arena);
    p->arena = NULL;
    p->spill2_at = at;
    p->spill2_len = len;
    p->nspilled2 = n;
    p->nspilled += n;
    p->spill_last_chunk = last_chunk;
    return 0;
}

int rg_dl_page_spill(rg_dl *dl, size_t page)
{
    struct rg_dl_spill *s = dl->spill;
    if (!s || page >= dl->npages) {
        errno = EINVAL;
        return -1;
    }
    rg_dl_page *p = &dl->pages[page];
    if (p->spill_at >= 0 && !p->loaded && p->nitems == 0) return 0;   /* already, no tail */
    if (p->spill_at >= 0 && !p->loaded && p->spill2_at < 0) return spill_tail(dl, page);
    rg_dl_page *full = rg_dl_page_edit(dl, page);                     /* records + tail */
    if (!full) return -1;
    if (full->nitems == 0) return 0;
    size_t len, n = full->nitems;
    int64_t at = write_record(s, full->items, n, &len);
    if (at < 0) return -1;
    int last_chunk = full->items[n - 1].chunk;
    rg_dl_page_release(dl, page);                  /* items, copies, what was read back */
    p->spill_at = at;
    p->spill_len = len;
    p->nspilled = n;
    p->spill_last_chunk = last_chunk;
    return 0;
}

/* ---- reading it back ---- */

static size_t pad8(size_t n) { return (n + 7) / 8 * 8; }

/* Points the items of a record read into buf at their payloads; the items
 * are copied out to items[0..n). 0, or -1 when the record does not parse
 * (EIO: the file is not what was written). */
static int parse(unsigned char *buf, size_t len, rg_dl_item *items, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (len - at < sizeof *items) return -1;
        rg_dl_item *it = &items[i];
        memcpy(it, buf + at, sizeof *it);
        at += pad8(sizeof *it);
        size_t need = 0;
        if (it->kind == RG_DL_GLYPHS) {
            rg_dl_glyphs *g = &it->u.glyphs;
            need = pad8(g->nglyphs * sizeof *g->glyphs);
            if (need > len - at) return -1;
            g->glyphs = (const rg_glyph *)(buf + at);
            at += need;
            need = pad8(g->text_len + 1);
            if (need > len - at) return -1;
            g->text = (const char *)(buf + at);
            at += need;
            continue;
        }
        if (it->kind == RG_DL_PATH) {
            need = pad8(it->u.path.nsegs * sizeof *it->u.path.segs);
            if (need > len - at) return -1;
            it->u.path.segs = (const rg_path_seg *)(buf + at);
            at += need;
        }
    }
    return at == len ? 0 : -1;
}

/* Reads page's records in front of its tail (the page is then loaded). */
static int load(const rg_dl *dl, rg_dl_page *p)
{
    struct rg_dl_spill *s = dl->spill;
    size_t len2 = p->spill2_at >= 0 ? p->spill2_len : 0;
    unsigned char *buf = rg_xmalloc(p->spill_len + len2 + 1);
    if (rg_read_at(s->fd, buf, p->spill_len, (uint64_t)p->spill_at) != 0 ||
        (len2 && rg_read_at(s->fd, buf + p->spill_len, len2, (uint64_t)p->spill2_at) != 0)) {
        if (!s->read_err) s->read_err = errno ? errno : EIO;
        free(buf);
        return -1;
    }
    size_t total = p->nspilled + p->nitems, n1 = p->nspilled - (len2 ? p->nspilled2 : 0);
    rg_dl_item *items = rg_xmalloc(total * sizeof *items);
    if (parse(buf, p->spill_len, items, n1) != 0 ||
        (len2 && parse(buf + p->spill_len, len2, items + n1, p->nspilled2) != 0)) {
        if (!s->read_err) s->read_err = EIO;
        free(items);
        free(buf);
        return -1;
    }
    if (p->nitems) memcpy(items + p->nspilled, p->items, p->nitems * sizeof *items);
    free(p->items);
    p->items = items;
    p->nitems = p->cap = total;
    p->spill_buf = buf;
    p->loaded = 1;
    return 0;
}

const rg_dl_page *rg_dl_page_get(const rg_dl *dl, size_t page)
{
    rg_dl_page *p = &dl->pages[page];
    if (p->spill_at < 0 || p->loaded) return p;
    return load(dl, p) == 0 ? p : NULL;
}

rg_dl_page *rg_dl_page_edit(rg_dl *dl, size_t page)
{
    rg_dl_page *p = &dl->pages[page];
    if (p->spill_at < 0) return p;
    if (!p->loaded && load(dl, p) != 0) return NULL;
    /* in memory from now on: the record is dead bytes in the file, and
     * the loaded buffer lives as long as the page (rg_dl_page_release) */
    p->spill_at = p->spill2_at = -1;
    p->nspilled = p->nspilled2 = 0;
    p->loaded = 0;
    return p;
}

void rg_dl_page_unload(const rg_dl *dl, size_t page)
{
    rg_dl_page *p = &dl->pages[page];
    if (p->spill_at < 0 || !p->loaded) return;
    size_t tail = p->nitems - p->nspilled;
    if (tail) {                    /* the tail alone, in an array of its size */
        rg_dl_item *items = rg_xmalloc(tail * sizeof *items);
        memcpy(items, p->items + p->nspilled, tail * sizeof *items);
        free(p->items);
        p->items = items;
    } else {
        free(p->items);
        p->items = NULL;
    }
    p->nitems = p->cap = tail;
    free_loaded(p);
    p->loaded = 0;
}

int rg_dl_pages_load_all(const rg_dl *dl)
{
    for (size_t i = 0; i < dl->npages; i++)
        if (!rg_dl_page_get(dl, i)) return -1;
    return 0;
}

int rg_dl_spill_status(const rg_dl *dl, int *write_err)
{
    if (write_err) *write_err = dl->spill ? dl->spill->write_err : 0;
    return dl->spill ? dl->spill->read_err : 0;
}

void rg_dl_spill_counts(const rg_dl *dl, size_t *pages, uint64_t *bytes)
{
    *pages = 0;
    for (size_t i = 0; i < dl->npages; i++)
        if (dl->pages[i].spill_at >= 0) (*pages)++;   /* a page spilled again counts once */
    *bytes = dl->spill ? dl->spill->bytes : 0;
}

/* ---- what the builders need of a spilled page ---- */

size_t rg_dl_page_nitems(const rg_dl *dl, size_t page)
{
    return rg_dl_page_count(&dl->pages[page]);
}

int rg_dl_page_spilled(const rg_dl *dl, size_t page)
{
    const rg_dl_page *p = &dl->pages[page];
    return p->spill_at >= 0 && !p->loaded;
}

size_t rg_dl_page_count(const rg_dl_page *p)
{
    return p->spill_at >= 0 && !p->loaded ? p->nspilled + p->nitems : p->nitems;
}

int rg_dl_page_last_chunk(const rg_dl_page *p)
{
    if (p->nitems) return p->items[p->nitems - 1].chunk;
    return p->spill_at >= 0 && p->nspilled ? p->spill_last_chunk : -2;
}

void rg_dl_page_spill_release(rg_dl_page *p)
{
    free_loaded(p);
    p->spill_at = p->spill2_at = -1;
    p->nspilled = p->nspilled2 = 0;
    p->loaded = 0;
}
