/* layout/flow.c - page and line primitives of the layout stage: fonts per
 * role, pages, vertical space, shaping inline content into lines through
 * the text stage, and placing lines on pages with widow/orphan control. */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- fonts */

/* The face for a role with span flags, looked up in ctx; NULL if missing. */
static const rg_font *font_in(rg_ctx *ctx, const rg_role *r, unsigned flags)
{
    int bold = r->bold || (flags & RG_SPAN_STRONG);
    int italic = r->italic ^ ((flags & RG_SPAN_EM) != 0);
    rg_font *f = NULL;
    return rg_font_find(ctx, r->family, bold, italic, &f) == RG_OK ? f : NULL;
}

const rg_font *lay_font_for(lay *L, const rg_role *r, unsigned flags)
{
    const rg_font *f = font_in(L->ctx, r, flags);
    if (!f) L->status = RG_EX_UNAVAILABLE;
    return f;
}

/* Loads the regular face of every role's family up front, so that a missing
 * family stops layout before anything is placed. */
rg_status lay_check_fonts(lay *L)
{
    for (int i = 0; i < RG_ROLE_COUNT; i++)
        if (!lay_font_for(L, &L->st->roles[i], 0)) return RG_EX_UNAVAILABLE;
    return RG_OK;
}

/* ---------------------------------------------------------------- pages */

const rg_role *lay_role(const lay *L, rg_role_id id) { return &L->st->roles[id]; }

/* Pages a finished page stays in memory after the page after it has
 * started: what is drawn on it later (a box's border, a quote's bar, the
 * running headers) goes after its spilled items anyway, but a page read
 * again (the TOC's numbers) is read back whole. */
enum { SPILL_LAG = 2 };

/* issue 22: once the document is longer than ctx->spill_after_pages, the
 * pages layout has finished with go to a scratch file (rg_dl_page_spill),
 * made when the first one is spilled. Spilling saves memory and changes
 * nothing in the document; when the file cannot be made or written, the
 * pages stay in memory. */
static void spill_behind(lay *L)
{
    long after = L->ctx->spill_after_pages;
    if (L->spill_off || after < 0 || !L->ctx->scratch_dir) return;
    size_t n = L->dl->npages;
    if (n <= (size_t)after || n <= SPILL_LAG) return;
    if (!L->dl->spill) {
        int fd = rg_scratch_file(L->ctx->scratch_dir);
        if (fd < 0) {
            L->spill_off = 1;
            return;
        }
        rg_dl_spill_to(L->dl, fd);
    }
    for (; L->spilled_upto < n - SPILL_LAG; L->spilled_upto++)
        if (rg_dl_page_spill(L->dl, L->spilled_upto) != 0) {
            L->spill_off = 1;
            return;
        }
}

void lay_spill_again(lay *L, size_t page)
{
    if (L->dl->spill && !L->spill_off && page < L->spilled_upto &&
        rg_dl_page_spill(L->dl, page) != 0)
        L->spill_off = 1;
}

/* At RG_MAX_PAGES the layout fails (L->status, one diagnostic) and the last
 * page is reused from the top instead, so callers still have a page and
 * always make progress until they see the status; nothing is written. */
void lay_new_page(lay *L, int chrome)
{
    lay_notes_page_end(L);                      /* footnotes (layout/note.c) */
    if (L->dl->npages >= RG_MAX_PAGES) {
        if (L->status == RG_OK) {
            rg_diag(L->ctx, RG_SEV_ERROR, L->doc->path, 0, 0,
                    "the document would have more than %d pages (the page limit, "
                    "RG_MAX_PAGES); layout stopped", RG_MAX_PAGES);
            L->status = RG_EX_DATAERR;
        }
        L->y = L->top;
        L->at_top = 1;
        return;
    }
    double page_w, page_h;         /* landscape pages: turned (layout/orient.c) */
    lay_orient_page_size(L, &page_w, &page_h);
    L->page = (long)rg_dl_add_page(L->dl, page_w, page_h);
    spill_behind(L);
    if (chrome)
        rg_dl_page_area(L->dl, (size_t)L->page, RG_BOX_TEXT_AREA, L->left, L->bottom,
                        L->left + L->width, L->top);
    else
        rg_dl_page_area(L->dl, (size_t)L->page, RG_BOX_COVER, 0, 0, page_w, page_h);
    size_t n = (size_t)L->page + 1;
    rg_grow(&L->chrome, &L->pages_cap, n, sizeof *L->chrome);
    rg_grow(&L->section, &L->section_cap, n, sizeof *L->section);
    L->chrome[L->page] = chrome;
    L->section[L->page] = L->cur_section;
    L->y = L->top;
    L->at_top = 1;
    L->head_top = 0;
    lay_notes_page_start(L);
}

void lay_ensure_page(lay *L)
{
    if (L->page < 0) lay_new_page(L, 1);
}

void lay_vspace(lay *L, double amount)
{
    if (!L->at_top) L->y -= amount;
}

double lay_room(const lay *L) { return L->y - L->bottom; }

size_t lay_lines_in(double room, double leading)
{
    size_t n;
    rg_double_to_size(floor((room + LAY_EPS) / leading), 0, SIZE_MAX, &n);   /* < 0: none */
    return n;
}

/* baseline below the top of a line box: half-leading model */
double lay_baseline_offset(lay *L, const rg_role *r)
{
    const rg_font *f = lay_font_for(L, r, 0);
    if (!f) return r->leading * 0.75;
    rg_font_metrics m;
    rg_font_get_metrics(f, &m);
    double asc = m.ascender * r->size / rg_font_upem(f);
    double desc = -m.descender * r->size / rg_font_upem(f);
    return (r->leading - (asc + desc)) / 2 + asc;
}

/* ---------------------------------------------------------------- text */

static const char *span_lang(const lay *L, const rg_span *s)
{
    return s->lang ? s->lang : (L->doc->lang ? L->doc->lang : "nl");
}

/* A cross-reference reads "Tabel 1", "paragraaf 3.2", a title or a page
 * number (layout/xref.c) and links to its target. */
static rg_text_run ref_run(const lay *L, rg_arena *arena, const rg_span *s, const rg_font *f,
                           const rg_role *r)
{
    char *href;
    int whole;
    const char *label = xref_ref_text(L, arena, s, &href, &whole);
    return (rg_text_run){ label, strlen(label), f, r->size, href ? L->st->link : r->color,
                          href, span_lang(L, s), whole };
}

size_t lay_make_runs(const lay *L, rg_ctx *ctx, rg_arena *arena, const rg_inlines *in,
                     const rg_role *r, rg_text_run **out, int *missing_font)
{
    rg_text_run *runs = rg_arena_alloc(arena, (in->n ? in->n : 1) * sizeof *runs);
    size_t n = 0;
    *missing_font = 0;
    for (size_t i = 0; i < in->n; i++) {
        const rg_span *s = &in->spans[i];
        const rg_font *f = font_in(ctx, r, s->flags);
        if (!f) {
            *missing_font = 1;
            break;
        }
        if (s->ref) runs[n++] = ref_run(L, arena, s, f, r);
        else if (s->note)
            runs[n++] = lay_note_mark_run(L, s->note, i > 0 && in->spans[i - 1].note, f, r,
                                          span_lang(L, s));
        else
            runs[n++] = (rg_text_run){ s->text, s->len, f, r->size,
                                       s->href ? L->st->link : r->color, s->href,
                                       span_lang(L, s), (s->flags & RG_SPAN_NOBREAK) != 0 };
    }
    *out = runs;
    return n;
}

/* Turns inline spans into text runs of the role, in arena (their
 * cross-references' labels and links too); returns the run count. */
static size_t make_runs(lay *L, rg_arena *arena, const rg_inlines *in, const rg_role *r,
                        rg_text_run **out)
{
    int missing_font;
    size_t n = lay_make_runs(L, L->ctx, arena, in, r, out, &missing_font);
    if (missing_font) L->status = RG_EX_UNAVAILABLE;
    return n;
}

rg_break_opts lay_break_opts(const lay *L, double width, rg_align align, int hyphenate)
{
    const rg_style *st = L->st;
    rg_break_opts o = rg_break_simple(width, align);
    o.hyphenate = hyphenate && st->hyphenate;
    o.hyphen_min_word = st->hyphen_min_word;
    o.hyphen_left = st->hyphen_left;
    o.hyphen_right = st->hyphen_right;
    o.hyphen_max_run = st->hyphen_max_run;
    o.max_word_space = st->max_word_space;
    return o;
}

/* ---- the paragraph cache ---- */

enum {
    PARA_BUCKETS = 4096,
    CACHE_MAX_BYTES = 512          /* running text longer than this is set once and placed
                                    * at once: caching it would only hold its lines in memory */
};

typedef struct para_entry {
    uint64_t key;
    rg_para para;
    struct para_entry *next;
} para_entry;

struct width_entry;

struct para_cache {
    rg_arena *arena;               /* the entries and their lines */
    rg_arena *scratch;             /* the last long running-text paragraph (lay_break_text) */
    rg_arena *runs;                /* the runs of the paragraph being broken (issue 22: kept
                                    * for the pass, they held 21 MB at 9,409 pages) */
    rg_arena *setters[2];          /* a window's: its batches' results (lay_ahead_for) */
    para_entry *buckets[PARA_BUCKETS];
    struct width_entry *widths[PARA_BUCKETS];
};

struct para_cache *lay_para_cache_new(void)
{
    struct para_cache *c = rg_xcalloc(1, sizeof *c);
    c->arena = rg_arena_new();
    c->runs = rg_arena_new();
    return c;
}

void lay_para_cache_free(struct para_cache *c)
{
    if (!c) return;
    rg_arena_free(c->scratch);
    rg_arena_free(c->runs);
    rg_arena_free(c->setters[0]);
    rg_arena_free(c->setters[1]);
    rg_arena_free(c->arena);
    free(c);
}

struct para_cache *lay_window_new(void)
{
    struct para_cache *w = lay_para_cache_new();
    w->setters[0] = rg_arena_new();
    w->setters[1] = rg_arena_new();
    return w;
}

/* Where paragraphs are looked up and kept: the open window, else the
 * cache. */
static struct para_cache *para_home(const lay *L)
{
    return L->window ? L->window : L->paras;
}

/* Cache keys only: 64 bits, never stored. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    return rg_hash_bytes(h, p, n);
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    return s ? mix(h, s, strlen(s) + 1) : mix(h, "", 1);
}

/* Everything the text stage's result depends on (64 bits). */
static uint64_t para_key(const rg_text_run *runs, size_t n, const rg_break_opts *o)
{
    uint64_t h = 1469598103934665603ull;
    const double dims[3] = { o->first_width, o->width, o->max_word_space };
    const int flags[6] = { (int)o->align, o->hyphenate, o->hyphen_min_word, o->hyphen_left,
                           o->hyphen_right, o->hyphen_max_run };
    h = mix(h, dims, sizeof dims);
    h = mix(h, flags, sizeof flags);
    for (size_t i = 0; i < n; i++) {
        const rg_text_run *r = &runs[i];
        h = mix(h, &r->len, sizeof r->len);
        h = mix(h, r->text, r->len);
        h = mix(h, &r->font, sizeof r->font);
        h = mix(h, &r->size, sizeof r->size);
        h = mix(h, &r->color, sizeof r->color);
        h = mix(h, &r->nobreak, sizeof r->nobreak);
        h = mix_str(h, r->href);
        h = mix_str(h, r->lang);
    }
    return h;
}

static const para_entry *para_cached(const lay *L, uint64_t key)
{
    for (const para_entry *e = para_home(L)->buckets[key % PARA_BUCKETS]; e; e = e->next)
        if (e->key == key) return e;
    return NULL;
}

/* Points p's pieces at copies of their link targets in arena, one per
 * link, so that its pieces still share one (same_link): the targets live
 * with the runs, which do not outlive the break. */
static void keep_links(rg_arena *arena, rg_para *p)
{
    const char **from = NULL, **to = NULL;
    size_t n = 0, from_cap = 0, to_cap = 0;
    for (size_t i = 0; i < p->nlines; i++)
        for (size_t k = 0; k < p->lines[i].npieces; k++) {
            rg_line_piece *pc = &p->lines[i].pieces[k];
            if (!pc->href) continue;
            size_t j = 0;
            while (j < n && from[j] != pc->href) j++;
            if (j == n) {
                rg_grow(&from, &from_cap, n + 1, sizeof *from);
                rg_grow(&to, &to_cap, n + 1, sizeof *to);
                from[n] = pc->href;
                to[n++] = rg_arena_strdup(arena, pc->href);
            }
            pc->href = to[j];
        }
    free(from);
    free(to);
}

/* Keeps p (its lines in the cache's arena or another that lives as long)
 * under key. */
static const para_entry *para_store(lay *L, uint64_t key, const rg_para *p)
{
    struct para_cache *home = para_home(L);
    para_entry *e = rg_arena_alloc(home->arena, sizeof *e);
    e->para = *p;
    keep_links(home->arena, &e->para);
    e->key = key;
    para_entry **slot = &home->buckets[key % PARA_BUCKETS];
    e->next = *slot;
    *slot = e;
    return e;
}

/* The options lay_break_plain breaks with for its flags. */
static rg_break_opts plain_opts(const lay *L, double width, rg_align align, unsigned flags)
{
    rg_break_opts o = lay_break_opts(L, width, align, (flags & LAY_HYPHENATE) != 0);
    if (flags & LAY_CELL) o.hyphen_max_run = LAY_CELL_HYPHEN_RUN;
    return o;
}

/* running: the result is placed before the next running-text paragraph is
 * set (paragraphs, list items, quotes), so a long one can live in scratch */
static void break_runs(lay *L, const rg_inlines *in, const rg_role *r, const rg_break_opts *opts,
                       int running, rg_para *out)
{
    /* running text the thread ahead (layout/ahead.c) has set already */
    if (running && lay_ahead_take(L->ahead, in, r, opts->width, opts->align, out)) return;
    rg_text_run *runs;
    rg_arena_reset(L->paras->runs);
    size_t n = make_runs(L, L->paras->runs, in, r, &runs);
    rg_break_opts o = *opts;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += runs[i].len;
    if (running && bytes > CACHE_MAX_BYTES) {
        rg_arena_free(L->paras->scratch);
        L->paras->scratch = rg_arena_new();
        rg_text_break(L->ctx, L->paras->scratch, runs, n, &o, out);
        keep_links(L->paras->scratch, out);
        return;
    }
    uint64_t key = para_key(runs, n, &o);
    const para_entry *e = para_cached(L, key);
    if (!e) {
        rg_para p;
        rg_text_break(L->ctx, para_home(L)->arena, runs, n, &o, &p);
        e = para_store(L, key, &p);
    }
    *out = e->para;
}

void lay_break_inlines(lay *L, const rg_inlines *in, const rg_role *r, double width,
                       rg_align align, rg_para *out)
{
    rg_break_opts o = lay_break_opts(L, width, align, 0);
    break_runs(L, in, r, &o, 0, out);
}

static int peeked(const lay *L, const rg_inlines *in, const rg_role *r, double width,
                  rg_align align)
{
    const struct lay_peek *k = &L->peek;
    return k->set && k->in == in && k->r == r && k->width == width && k->align == align;
}

void lay_break_text(lay *L, const rg_inlines *in, const rg_role *r, double width,
                    rg_align align, rg_para *out)
{
    if (peeked(L, in, r, width, align)) {
        *out = L->peek.para;
        L->peek.set = 0;
        return;
    }
    L->peek.set = 0;
    rg_break_opts o = lay_break_opts(L, width, align, 1);
    break_runs(L, in, r, &o, 1, out);
}

void lay_peek_text(lay *L, const rg_inlines *in, const rg_role *r, double width,
                   rg_align align, rg_para *out)
{
    if (!peeked(L, in, r, width, align)) {
        L->peek.set = 0;
        rg_break_opts o = lay_break_opts(L, width, align, 1);
        break_runs(L, in, r, &o, 1, &L->peek.para);
        L->peek = (struct lay_peek){ in, r, width, align, L->peek.para, 1 };
    }
    *out = L->peek.para;
}

void lay_break_plain(lay *L, const char *text, const rg_role *r, unsigned flags,
                     double width, rg_align align, rg_para *out)
{
    rg_span span = { text, strlen(text), flags & ~(LAY_HYPHENATE | LAY_CELL), NULL, NULL, NULL, 0, NULL };
    rg_inlines in = { &span, 1 };
    rg_break_opts o = plain_opts(L, width, align, flags);
    break_runs(L, &in, r, &o, 0, out);
}

/* Measured strings, kept across passes like broken paragraphs: tables
 * measure every cell for their column widths on every pass. */
typedef struct width_entry {
    uint64_t key;
    double width, widest;
    struct width_entry *next;
} width_entry;

static uint64_t width_key(const rg_font *f, double size, const char *text, size_t len)
{
    uint64_t key = 1469598103934665603ull;
    key = mix(key, &f, sizeof f);
    key = mix(key, &size, sizeof size);
    return mix(key, text, len);
}

static const width_entry *width_cached(const lay *L, uint64_t key)
{
    for (const width_entry *e = L->paras->widths[key % PARA_BUCKETS]; e; e = e->next)
        if (e->key == key) return e;
    return NULL;
}

static const width_entry *width_store(lay *L, uint64_t key, double width, double widest)
{
    width_entry *e = rg_arena_alloc(L->paras->arena, sizeof *e);
    e->key = key;
    e->width = width;
    e->widest = widest;
    width_entry **slot = &L->paras->widths[key % PARA_BUCKETS];
    e->next = *slot;
    *slot = e;
    return e;
}

void lay_plain_measure(lay *L, const char *text, const rg_role *r, unsigned flags,
                       double *width, double *widest_word)
{
    *width = 0;
    if (widest_word) *widest_word = 0;
    const rg_font *f = lay_font_for(L, r, flags);
    if (!f) return;
    size_t len = strlen(text);
    uint64_t key = width_key(f, r->size, text, len);
    const width_entry *e = width_cached(L, key);
    if (!e) {
        double w, widest;
        rg_text_measure(L->ctx, f, r->size, L->doc->lang, text, len, &w, &widest);
        e = width_store(L, key, w, widest);
    }
    *width = e->width;
    if (widest_word) *widest_word = e->widest;
}

/* ---- filling the caches on both setters (layout/ahead.c) ---- */

/* A set of 64-bit keys, to hand each distinct string over once. */
typedef struct key_set {
    uint64_t *v;
    size_t cap;
} key_set;

static int key_set_add(key_set *s, uint64_t key)
{
    if (!key) key = 1;             /* 0 marks an empty slot */
    for (size_t i = key & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == key) return 0;
        if (!s->v[i]) {
            s->v[i] = key;
            return 1;
        }
    }
}

static key_set key_set_new(size_t n)
{
    key_set s = { NULL, 16 };
    while (s.cap < 2 * n) s.cap *= 2;
    s.v = rg_xcalloc(s.cap, sizeof *s.v);
    return s;
}

/* Does items 0..k-1 with fn on both setters, then keep(L, arg, i) for each
 * one done (in order: the caches grow as the ordinary path would). */
static void fill(lay *L, size_t k, lay_item_fn fn, void *arg,
                 void (*keep)(lay *L, void *arg, size_t i))
{
    unsigned char *ok = rg_xcalloc(k ? k : 1, 1);
    if (lay_ahead_for(L->ahead, k, fn, arg, ok, L->window ? L->window->setters : NULL))
        for (size_t i = 0; i < k; i++)
            if (ok[i]) keep(L, arg, i);
    free(ok);
}

typedef struct measure_item {
    const rg_font *f;
    double size, width, widest;
    const char *text;
    size_t len;
    uint64_t key;
} measure_item;

typedef struct measure_batch {
    measure_item *m;
    const char *lang;
} measure_batch;

static int measure_one(void *arg, size_t i, rg_ctx *ctx, rg_arena *arena)
{
    (void)arena;
    measure_batch *b = arg;
    measure_item *m = &b->m[i];
    rg_text_measure(ctx, m->f, m->size, b->lang, m->text, m->len, &m->width, &m->widest);
    return 1;
}

static void keep_measure(lay *L, void *arg, size_t i)
{
    const measure_item *m = &((measure_batch *)arg)->m[i];
    width_store(L, m->key, m->width, m->widest);
}

void lay_prefill_measures(lay *L, const lay_text_req *q, size_t n)
{
    if (!L->ahead || n < 2) return;
    measure_item *m = rg_xmalloc(n * sizeof *m);
    key_set seen = key_set_new(n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const rg_font *f = lay_font_for(L, q[i].r, q[i].flags);   /* faces load here, in order */
        if (!f) break;
        size_t len = strlen(q[i].text);
        uint64_t key = width_key(f, q[i].r->size, q[i].text, len);
        if (width_cached(L, key) || !key_set_add(&seen, key)) continue;
        m[k++] = (measure_item){ f, q[i].r->size, 0, 0, q[i].text, len, key };
    }
    measure_batch b = { m, L->doc->lang };
    fill(L, k, measure_one, &b, keep_measure);
    free(seen.v);
    free(m);
}

typedef struct para_item {
    rg_text_run *runs;
    size_t nruns;
    rg_break_opts o;
    uint64_t key;
    rg_para para;
} para_item;

static int break_one(void *arg, size_t i, rg_ctx *ctx, rg_arena *arena)
{
    para_item *p = &((para_item *)arg)[i];
    rg_text_break(ctx, arena, p->runs, p->nruns, &p->o, &p->para);
    return 1;
}

static void keep_para(lay *L, void *arg, size_t i)
{
    const para_item *p = &((para_item *)arg)[i];
    para_store(L, p->key, &p->para);
}

void lay_prefill_paras(lay *L, const lay_text_req *q, size_t n)
{
    if (!L->ahead || n < 2) return;
    para_item *p = rg_xmalloc(n * sizeof *p);
    key_set seen = key_set_new(n);
    rg_arena *runs = rg_arena_new();               /* the items' runs, until they are set */
    size_t k = 0;
    for (size_t i = 0; i < n && L->status == RG_OK; i++) {
        /* as lay_break_plain would ask */
        rg_span span = { q[i].text, strlen(q[i].text), q[i].flags & ~(LAY_HYPHENATE | LAY_CELL),
                         NULL, NULL, NULL, 0, NULL };
        rg_inlines in = { &span, 1 };
        para_item *it = &p[k];
        it->nruns = make_runs(L, runs, &in, q[i].r, &it->runs);       /* faces load here */
        it->o = plain_opts(L, q[i].width, q[i].align, q[i].flags);
        it->key = para_key(it->runs, it->nruns, &it->o);
        if (L->status != RG_OK || para_cached(L, it->key) || !key_set_add(&seen, it->key))
            continue;
        k++;
    }
    fill(L, k, break_one, p, keep_para);
    rg_arena_free(runs);
    free(seen.v);
    free(p);
}

double lay_plain_width(lay *L, const char *text, const rg_role *r, unsigned flags)
{
    double w;
    lay_plain_measure(L, text, r, flags, &w, NULL);
    return w;
}

/* The most bytes of a link's text its annotations carry as /Contents: a
 * link whose text is longer (a whole paragraph made a link) is described
 * by its first words and an ellipsis, cut between characters. Readers
 * speak /Contents as the link's name; a paragraph of it helps no one. */
#define LINK_CONTENTS_MAX 400

/* text[0..len) as an annotation's description, in arena: without soft
 * hyphens (U+00AD, the source's hyphenation hints), cut after at most
 * LINK_CONTENTS_MAX bytes, at a character boundary, with "…". */
static const char *link_contents(rg_arena *arena, const char *text, size_t len)
{
    char *s = rg_arena_alloc(arena, (len < LINK_CONTENTS_MAX ? len : LINK_CONTENTS_MAX) + 4);
    size_t n = 0, i = 0;
    for (; i < len && n < LINK_CONTENTS_MAX; i++) {
        if (i + 1 < len && !memcmp(text + i, "\xC2\xAD", 2)) {
            i++;
            continue;
        }
        s[n++] = text[i];
    }
    if (i < len) {                                  /* cut */
        if (((unsigned char)text[i] & 0xC0) == 0x80)    /* inside a character: before it */
            do n--; while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80);
        memcpy(s + n, "\xE2\x80\xA6", 3);
        n += 3;
    }
    s[n] = 0;
    return s;
}

static void emit_link(lay *L, const rg_line_piece *pc, double x, double baseline)
{
    double h = pc->size;
    const char *href = pc->href;
    if (href[0] == '#')
        rg_dl_link_dest(L->dl, (size_t)L->page, x, baseline - 0.25 * h, pc->width, 1.15 * h,
                        xref_link_dest(L, href + 1), L->link.contents);
    else
        rg_dl_link_uri(L->dl, (size_t)L->page, x, baseline - 0.25 * h, pc->width, 1.15 * h,
                       href, L->link.contents);
}

/* Are pieces a and b of one link? One <a> (or <ref/>) is one link, and
 * its pieces share one href string: the load stage allocates one per <a>
 * element, ref_run one per reference, the breaker copies the pointer to
 * every piece of a run, and para_store keeps that sharing. So two links
 * to one target (two <ref/>s to one table, with a line break between
 * them) stay two, where comparing the targets would join them. */
static int same_link(const rg_line_piece *a, const rg_line_piece *b)
{
    return a->href && a->href == b->href;
}

/* Moves (*l, *i) to the piece of p next to it in direction dir (-1, 1),
 * across line ends; 0 at either end of the paragraph. */
static int step_piece(const rg_para *p, size_t *l, size_t *i, int dir)
{
    if (dir > 0 && *i + 1 < p->lines[*l].npieces) return ++*i, 1;
    if (dir < 0 && *i > 0) return --*i, 1;
    for (size_t k = *l; dir > 0 ? k + 1 < p->nlines : k > 0;) {
        k = dir > 0 ? k + 1 : k - 1;
        if (p->lines[k].npieces) {
            *l = k;
            *i = dir > 0 ? 0 : p->lines[k].npieces - 1;
            return 1;
        }
    }
    return 0;
}

/* The source text of the link piece k of line ln of p belongs to: its
 * pieces with the same target in a row, across line ends (a link that
 * wraps is one link). [*start, *end) in p->text; inserted hyphens do not
 * count. When ln is not one of p's lines, the piece alone. */
static void link_extent(const rg_para *p, const rg_line *ln, size_t k, size_t *start,
                        size_t *end)
{
    const rg_line_piece *pc = &ln->pieces[k];
    *start = pc->src;
    *end = pc->src + pc->text_len;
    if (!p->lines || ln < p->lines || ln >= p->lines + p->nlines) return;
    for (int dir = -1; dir <= 1; dir += 2) {
        size_t l = (size_t)(ln - p->lines), i = k;
        while (step_piece(p, &l, &i, dir)) {
            const rg_line_piece *q = &p->lines[l].pieces[i];
            if (!same_link(q, pc)) break;
            if (q->flags & RG_RUN_HYPHEN) continue;
            if (q->src < *start) *start = q->src;
            if (q->src + q->text_len > *end) *end = q->src + q->text_len;
        }
    }
}

/* Is elem the last kid of the current element (nothing emitted after it)? */
static int last_kid_is(const rg_dl *dl, int elem)
{
    int cur = rg_dl_elem_current(dl);
    if (cur < 0 || elem < 0) return 0;
    const rg_dl_elem *e = &dl->elems[cur];
    size_t k = e->nkids;
    /* a footnote's Note, made after the line that holds its reference, does
     * not end a link that goes on to the next line (layout/note.c) */
    while (k > 0 && e->kids[k - 1].kind == RG_KID_ELEM &&
           !strcmp(dl->elems[e->kids[k - 1].index].role, "Note"))
        k--;
    return k && e->kids[k - 1].kind == RG_KID_ELEM && e->kids[k - 1].index == elem;
}

/* Makes the Link element of piece k of line ln current: the one its link
 * already has when the link continues (the piece is in the extent of the
 * link emitted last, and nothing came after that link's element), else a
 * new one, whose annotations all get the link's whole text. */
static void enter_link(lay *L, const rg_para *p, const rg_line *ln, size_t k)
{
    const rg_line_piece *pc = &ln->pieces[k];
    lay_link *lk = &L->link;
    if (p && p->text && lk->text == p->text && lk->href && lk->href == pc->href &&
        pc->src >= lk->start && pc->src <= lk->end && last_kid_is(L->dl, lk->elem)) {
        rg_dl_elem_enter(L->dl, lk->elem);
        return;
    }
    lk->elem = lay_open(L, "Link");
    lk->href = pc->href;
    if (p && p->text) {
        link_extent(p, ln, k, &lk->start, &lk->end);
        lk->text = p->text;
        lk->contents = link_contents(L->arena, p->text + lk->start, lk->end - lk->start);
    } else {                                        /* no paragraph: the piece alone */
        lk->text = NULL;
        lk->contents = link_contents(L->arena, pc->text, pc->text_len);
    }
    const char *note = lay_note_link_contents(L, pc->href);
    if (note) lk->contents = note;                  /* "noot 3", not "3" */
}

/* A link's underline, so that links are told apart by more than colour
 * (WCAG 1.4.1): a rule in the link's colour under each link piece, from
 * the font's 'post' underline metrics, kept within these bounds (in em):
 * a top at least UNDERLINE_MIN_GAP below the baseline clears the round
 * letters' overshoot (DejaVu Sans asks for 0.02 em, which touches them),
 * and at most UNDERLINE_MAX_DROP below it stays well inside the line;
 * a thickness outside [UNDERLINE_MIN, UNDERLINE_MAX] (or none) is taken as
 * UNDERLINE_DEFAULT. The underline crosses descenders (no skip-ink): the
 * layout checker knows it as its run's decoration (check/check.h). */
#define UNDERLINE_MIN_GAP 0.07
#define UNDERLINE_MAX_DROP 0.2
#define UNDERLINE_MIN 0.03
#define UNDERLINE_MAX 0.12
#define UNDERLINE_DEFAULT 0.05

/* The underline's top (below the baseline, positive) and thickness for
 * font f at size, in points. */
static void underline_metrics(const rg_font *f, double size, double *drop, double *thickness)
{
    rg_font_metrics m;
    rg_font_get_metrics(f, &m);
    double em = rg_font_upem(f);
    double d = -m.underline_position / em, t = m.underline_thickness / em;
    if (d < UNDERLINE_MIN_GAP) d = UNDERLINE_MIN_GAP;
    if (d > UNDERLINE_MAX_DROP) d = UNDERLINE_MAX_DROP;
    if (t < UNDERLINE_MIN || t > UNDERLINE_MAX) t = UNDERLINE_DEFAULT;
    *drop = d * size;
    *thickness = t * size;
}

/* Draws the underline of link piece pc, whose pen starts at x on baseline:
 * a fill the width of its advance, right after its glyph run (so it joins
 * the run's Link marked content). */
static void underline_link_piece(lay *L, const rg_line_piece *pc, double x, double baseline)
{
    if (pc->width <= 0) return;
    double drop, thickness;
    underline_metrics(pc->font, pc->size, &drop, &thickness);
    rg_dl_rect_fill(L->dl, (size_t)L->page, x, baseline - drop - thickness, pc->width, thickness,
                    pc->color);
}

/* ---------------------------------------------- provenance and boxes */

/* The display list's id of each paragraph emitted in this pass, by the
 * address of its text (a cached paragraph drawn twice, or a copy of its
 * rg_para, has one id; a scratch text whose memory was reused for another
 * is told apart by its bytes). */
struct para_ids {
    const char **keys;
    int *ids;
    size_t cap, n;
};

void lay_para_ids_reset(lay *L)
{
    struct para_ids *m = L->para_ids;
    if (!m) return;
    free(m->keys);
    free(m->ids);
    free(m);
    L->para_ids = NULL;
}

static size_t para_slot(const struct para_ids *m, const char *p)
{
    size_t h = ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u, mask = m->cap - 1;
    size_t i = h & mask;
    while (m->keys[i] && m->keys[i] != p) i = (i + 1) & mask;
    return i;
}

static void para_ids_grow(struct para_ids *m)
{
    struct para_ids old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = rg_xcalloc(m->cap, sizeof *m->keys);
    m->ids = rg_xcalloc(m->cap, sizeof *m->ids);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t k = para_slot(m, old.keys[i]);
            m->keys[k] = old.keys[i];
            m->ids[k] = old.ids[i];
        }
    free(old.keys);
    free(old.ids);
}

static int para_id(lay *L, const rg_para *p)
{
    if (!p->text || L->dl->no_sources) return -1;
    if (!L->para_ids) L->para_ids = rg_xcalloc(1, sizeof *L->para_ids);
    struct para_ids *m = L->para_ids;
    if (2 * (m->n + 1) > m->cap) para_ids_grow(m);
    size_t k = para_slot(m, p->text);
    if (m->keys[k]) {
        const rg_dl_para *dp = &L->dl->paras[m->ids[k]];
        if (dp->len == p->text_len && !memcmp(dp->text, p->text, p->text_len)) return m->ids[k];
    } else {
        m->keys[k] = p->text;
        m->n++;
    }
    m->ids[k] = rg_dl_para_add(L->dl, p->text, p->text_len, L->line, 0);
    return m->ids[k];
}

void lay_box_open(lay *L, rg_box_kind kind, double x0, double y0, double x1, double y1)
{
    rg_dl_box_open(L->dl, (size_t)L->page, kind, x0, y0, x1, y1, L->line);
}

void lay_box_close(lay *L)
{
    rg_dl_box_close(L->dl);
}

/* Piece pc of a line at x on baseline, its text from paragraph id at byte
 * base + pc->src, with flags; a piece of a link is emitted in the link's
 * element (enter_link) with an annotation of its own. */
/* Bidirectional text (issue 17): a line's pieces are emitted in logical
 * order (text/text.h), so the structure tree reads as the text was
 * written; x puts each where it is seen. A right-to-left piece's glyphs
 * run right to left through its text, and its marked content would read
 * backwards: it goes into a Span whose /ActualText is its text in logical
 * order (with the word separator its line's end drops), with /Lang when
 * its language is not the one in effect. Not on the content: poppler
 * (pdftotext, pdfinfo -struct-text) reorders the right-to-left characters
 * of the content's text itself, as drawn, and would turn a logical
 * /ActualText backwards (docs/design.md, "Bidirectional text"). Returns
 * how many elements it opened (0 or 1), with a Span for the language
 * alone when the piece runs left to right. */
static int open_piece_spans(lay *L, const rg_line_piece *pc, unsigned flags)
{
    int open = lay_lang_span_open(L, pc->lang);      /* <span xml:lang> (issue 17) */
    if (!(pc->level & 1) || (pc->flags & RG_RUN_HYPHEN) || L->dl->artifact) return open;
    int span = open ? rg_dl_elem_current(L->dl) : lay_open(L, "Span");
    int space = (flags & RG_RUN_SPACE_AFTER) != 0;
    char *text = rg_arena_alloc(L->arena, pc->text_len + 2);
    memcpy(text, pc->text, pc->text_len);
    memcpy(text + pc->text_len, " ", (size_t)space);
    text[pc->text_len + space] = 0;
    rg_dl_elem_set_actual_text(L->dl, span, text);
    return 1;
}

static void emit_piece(lay *L, const rg_para *p, int id, size_t base, const rg_line *ln,
                       size_t k, const rg_line_piece *pc, double x, double baseline,
                       unsigned flags)
{
    if (pc->href) enter_link(L, p, ln, k);
    /* inside the link, which stays one Link over its lines */
    int spans = open_piece_spans(L, pc, flags);
    double rise = pc->href ? lay_note_mark_rise(L, pc) : 0;    /* a footnote's reference */
    baseline += rise;
    if (rise != 0) flags |= RG_RUN_RAISED;
    rg_dl_source(L->dl, id, base + pc->src, flags);
    rg_dl_source_word(L->dl, pc->rest, pc->rest_len, pc->cont_len);
    rg_dl_glyph_run(L->dl, (size_t)L->page, pc->font, pc->size, pc->color, x + pc->x,
                    baseline, pc->glyphs, pc->nglyphs, pc->text, pc->text_len);
    if (spans) lay_close(L);
    if (pc->href) {
        if (rise == 0) underline_link_piece(L, pc, x + pc->x, baseline);
        emit_link(L, pc, x + pc->x, baseline);
        xref_note_drawn(L, pc);    /* a page reference: for the checker */
        lay_close(L);
    }
}

/* Glyphs [a, b) of pc as a piece of their own (clusters rebased on its
 * text), in arena. */
static rg_line_piece sub_piece(rg_arena *arena, const rg_line_piece *pc, size_t a, size_t b)
{
    rg_line_piece s = *pc;
    double scale = pc->size / rg_font_upem(pc->font);
    uint32_t from = a < pc->nglyphs ? pc->glyphs[a].cluster : (uint32_t)pc->text_len;
    uint32_t to = b < pc->nglyphs ? pc->glyphs[b].cluster : (uint32_t)pc->text_len;
    rg_glyph *g = rg_arena_alloc(arena, (b - a + 1) * sizeof *g);
    double before = 0, width = 0;
    for (size_t i = 0; i < b; i++) {
        if (i < a) before += pc->glyphs[i].x_advance * scale;
        else {
            g[i - a] = pc->glyphs[i];
            g[i - a].cluster -= from;
            width += pc->glyphs[i].x_advance * scale;
        }
    }
    s.x += before;
    s.width = width;
    s.glyphs = g;
    s.nglyphs = b - a;
    s.text = pc->text + from;
    s.text_len = to - from;
    s.src += from;
    return s;
}

/* Where the glyphs of pc whose text lies in [alt->from, alt->to) of the
 * paragraph start (*a) and end (*b): 1, or 0 when none do. -1 when they
 * are not in a row (clusters out of order: right-to-left text). */
static int alt_glyphs(const rg_line_piece *pc, size_t base, const lay_alt *alt, size_t *a,
                      size_t *b)
{
    if (pc->flags & RG_RUN_HYPHEN) return 0;
    size_t i = 0, n = pc->nglyphs, at = base + pc->src;
    while (i < n && (at + pc->glyphs[i].cluster < alt->from ||
                     at + pc->glyphs[i].cluster >= alt->to)) i++;
    size_t j = i;
    while (j < n && at + pc->glyphs[j].cluster >= alt->from &&
           at + pc->glyphs[j].cluster < alt->to) j++;
    for (size_t k = j; k < n; k++)
        if (at + pc->glyphs[k].cluster >= alt->from && at + pc->glyphs[k].cluster < alt->to)
            return -1;
    *a = i;
    *b = j;
    return i < j;
}

/* Line ln of paragraph p at x on baseline, its text from paragraph id of
 * the display list at byte base + each piece's src; last_flags are added
 * to its last piece. The glyphs of alt's range (alt may be NULL) go into
 * a Span whose /ActualText and /Alt are alt's text. */
static void emit_line_as(lay *L, const rg_para *p, int id, size_t base, const rg_line *ln,
                         double x, double baseline, unsigned last_flags, const lay_alt *alt)
{
    for (size_t i = 0; i < ln->npieces; i++) {
        const rg_line_piece *pc = &ln->pieces[i];
        unsigned flags = pc->flags | (i + 1 == ln->npieces ? last_flags : 0);
        size_t a, b;
        int in = alt ? alt_glyphs(pc, base, alt, &a, &b) : 0;
        if (in < 0)
            rg_warn_once(L->ctx, "alt-order", "'%.*s' is not tagged with its text for readers "
                         "('%s'): its glyphs are not in a row", (int)pc->text_len, pc->text,
                         alt->text);
        if (in <= 0) {
            emit_piece(L, p, id, base, ln, i, pc, x, baseline, flags);
            continue;
        }
        rg_line_piece part[3] = { sub_piece(L->arena, pc, 0, a), sub_piece(L->arena, pc, a, b),
                                  sub_piece(L->arena, pc, b, pc->nglyphs) };
        int last = part[2].nglyphs ? 2 : 1;
        for (int k = 0; k < 3; k++) {
            if (!part[k].nglyphs) continue;
            /* what the line's end says goes with its last part */
            unsigned f = k == last ? flags : pc->flags & ~RG_RUN_HARD_BREAK;
            if (k > 0) {               /* a hyphenated word's rest is in the first part */
                f &= ~RG_RUN_CONTINUES;
                part[k].cont_len = 0;
            }
            if (k == 1) {
                int span = lay_open(L, "Span");
                rg_dl_elem_set_actual_text(L->dl, span, alt->text);
                rg_dl_elem_set_alt(L->dl, span, alt->text);
            }
            emit_piece(L, p, id, base, ln, i, &part[k], x, baseline, f);
            if (k == 1) lay_close(L);
        }
    }
}

void lay_emit_line(lay *L, const rg_para *p, const rg_line *ln, double x, double baseline)
{
    emit_line_as(L, p, p ? para_id(L, p) : -1, 0, ln, x, baseline, 0, NULL);
}

void lay_emit_line_alt(lay *L, const rg_para *p, const rg_line *ln, double x, double baseline,
                       const lay_alt *alt)
{
    emit_line_as(L, p, para_id(L, p), 0, ln, x, baseline, 0, alt);
}

int lay_elem(lay *L, const char *role)
{
    return rg_dl_elem_new(L->dl, rg_dl_elem_current(L->dl), role);
}

int lay_open(lay *L, const char *role)
{
    int id = lay_elem(L, role);
    rg_dl_elem_enter(L->dl, id);
    return id;
}

void lay_close(lay *L)
{
    rg_dl_elem_leave(L->dl);
}

double lay_align_x(const rg_line *ln, rg_align align, double x, double width)
{
    if (align == RG_ALIGN_CENTER) return x + (width - ln->width) / 2;
    if (align == RG_ALIGN_RIGHT) return x + width - ln->width;
    return x;
}

static size_t orphan_lines(const lay *L)
{
    return L->st->orphans > 0 ? (size_t)L->st->orphans : MIN_ORPHAN_LINES;
}

/* How many of the remaining lines go on a page with room for fits lines,
 * keeping orphans and widows; 0 means "start a new page first". */
static size_t lines_take(const lay *L, size_t done, size_t total, size_t fits, int at_top)
{
    size_t left = total - done;
    if (fits >= left) return left;
    if (at_top) return fits ? fits : 1;         /* a fresh page takes what it can */
    size_t widows = L->st->widows > 0 ? (size_t)L->st->widows : MIN_WIDOW_LINES;
    size_t take = fits;
    if (left - take < widows && left > widows) take = left - widows;
    if (done == 0 && take < orphan_lines(L)) return 0;
    return take;
}

static size_t lines_here(const lay *L, size_t done, size_t total, double leading)
{
    return lines_take(L, done, total, lay_lines_in(lay_room(L), leading), L->at_top);
}

size_t lay_keep_lines(const lay *L, size_t total)
{
    size_t keep = orphan_lines(L) > KEEP_NEXT_LINES ? orphan_lines(L) : KEEP_NEXT_LINES;
    if (keep > total) keep = total;
    for (size_t room = keep; room < total; room++)
        if (lines_take(L, 0, total, room, 0) >= keep) return room;
    return total;
}

double lay_first_baseline(lay *L, const rg_para *p, const rg_role *r)
{
    lay_ensure_page(L);
    if (p->nlines ? lines_here(L, 0, p->nlines, r->leading) == 0 ||
                        (!L->at_top && !lay_notes_line_fits(L, &p->lines[0], r->leading))
                  : !L->at_top && lay_room(L) + LAY_EPS < r->leading)
        lay_new_page(L, 1);
    return L->y - lay_baseline_offset(L, r);
}

void lay_extent_add(lay_extent *e, long page, double top, double bottom)
{
    if (page < 0) return;
    if (e->n == 0) e->first = page;
    if (page < e->first) return;
    size_t i = (size_t)(page - e->first);
    if (i >= e->n) {
        rg_grow(&e->top, &e->cap, i + 1, sizeof *e->top);
        e->bottom = rg_xrealloc(e->bottom, e->cap * sizeof *e->bottom);
        for (size_t k = e->n; k <= i; k++) e->top[k] = e->bottom[k] = NAN;
        e->n = i + 1;
    }
    if (isnan(e->top[i]) || top > e->top[i]) e->top[i] = top;
    if (isnan(e->bottom[i]) || bottom < e->bottom[i]) e->bottom[i] = bottom;
}

/* Places the lines of p at x, breaking pages between lines. With dest set,
 * every line links to it, described by dest_text (table of contents). */

placed lay_place_lines_linked(lay *L, const rg_para *p, double x, double width,
                                 const rg_role *r, rg_align align, const char *dest,
                                 const char *dest_text)
{
    placed pl = { -1, -1, 0, 0, 0 };
    double off = lay_baseline_offset(L, r);
    size_t i = 0;
    lay_ensure_page(L);
    while (i < p->nlines) {
        size_t take = lines_here(L, i, p->nlines, r->leading);
        if (take == 0) {
            lay_new_page(L, 1);
            continue;
        }
        for (size_t k = i; k < i + take; k++) {
            const rg_line *ln = &p->lines[k];
            if (!L->at_top && !lay_notes_line_fits(L, ln, r->leading)) {
                take = k - i;                   /* its footnotes go with it to the next page */
                break;
            }
            double bl = L->y - off;
            double lx = lay_align_x(ln, align, x, width);
            lay_emit_line(L, p, ln, lx, bl);
            if (dest)
                rg_dl_link_dest(L->dl, (size_t)L->page, x, L->y - r->leading, width,
                                r->leading, dest, dest_text);
            if (pl.first_page < 0) {
                pl.first_page = L->page;
                pl.first_baseline = bl;
            }
            pl.last_page = L->page;
            pl.last_baseline = bl;
            pl.last_width = lx - x + ln->width;
            if (L->extent) lay_extent_add(L->extent, L->page, L->y, L->y - r->leading);
            L->y -= r->leading;
            L->at_top = 0;
            lay_notes_line_placed(L, ln);
        }
        i += take;
        if (i < p->nlines) lay_new_page(L, 1);
    }
    return pl;
}

placed lay_place_lines(lay *L, const rg_para *p, double x, double width,
                          const rg_role *r, rg_align align)
{
    return lay_place_lines_linked(L, p, x, width, r, align, NULL, NULL);
}

/* Draws one line of plain text at a baseline without flowing. */
double lay_draw_text_at(lay *L, const char *text, const rg_role *r, unsigned flags,
                           double x, double baseline, rg_align align, double width)
{
    rg_para p;
    lay_break_plain(L, text, r, flags, 1e6, RG_ALIGN_LEFT, &p);
    if (!p.nlines) return 0;
    double lx = lay_align_x(&p.lines[0], align, x, width);
    lay_emit_line(L, &p, &p.lines[0], lx, baseline);
    return p.lines[0].width;
}

double lay_draw_label_at(lay *L, const char *label, const rg_role *r, double x,
                         double baseline)
{
    /* A line never ends with a space, so the label is shaped twice with a
     * space between (the font has all those glyphs) and drawn up to and
     * with the space: a real space glyph, and its own source text. */
    size_t n = strlen(label);
    char *text = rg_arena_alloc(L->arena, 2 * n + 2);
    memcpy(text, label, n);
    text[n] = ' ';
    memcpy(text + n + 1, label, n + 1);
    rg_para p;
    lay_break_plain(L, text, r, 0, 1e6, RG_ALIGN_LEFT, &p);
    if (!p.nlines) return 0;
    const rg_line *ln = &p.lines[0];
    rg_line_piece *pieces = rg_arena_alloc(L->arena, (ln->npieces + 1) * sizeof *pieces);
    rg_line own = { pieces, 0, 0, 0, 0 };
    for (size_t i = 0; i < ln->npieces && ln->pieces[i].src <= n; i++) {
        const rg_line_piece *pc = &ln->pieces[i];
        size_t b = 0;
        while (b < pc->nglyphs && pc->src + pc->glyphs[b].cluster <= n) b++;
        pieces[own.npieces] = sub_piece(L->arena, pc, 0, b);
        own.width = pieces[own.npieces].x + pieces[own.npieces].width;
        own.npieces++;
    }
    rg_para mine = { &own, 1, text, n + 1 };
    emit_line_as(L, &mine, para_id(L, &mine), 0, &own, x, baseline, 0, NULL);
    return own.width;
}

/* ------------------------------------------- text that must fit a width */

#define ELLIPSIS "\xE2\x80\xA6"   /* U+2026 */
#define WORD_CUT_FILL 0.6          /* a cut at a word must fill this much of the width,
                                    * else the cut falls between characters */

/* The end of text[0..k) without the spaces and separators a cut leaves
 * dangling before an ellipsis (", " " | " " · " " – "). */
static size_t trim_cut(const char *t, size_t k)
{
    while (k > 0) {
        unsigned char c = (unsigned char)t[k - 1];
        if (c == ' ' || c == ',' || c == ';' || c == ':' || c == '|' || c == '/' || c == '-')
            k--;
        else if (k >= 2 && !memcmp(t + k - 2, "\xC2\xB7", 2))                    /* · */
            k -= 2;
        else if (k >= 3 && (!memcmp(t + k - 3, "\xE2\x80\x93", 3) ||             /* – */
                            !memcmp(t + k - 3, "\xE2\x80\x94", 3)))              /* — */
            k -= 3;
        else
            break;
    }
    return k;
}

/* Width of text[0..k) (trimmed) followed by an ellipsis. */
static double cut_width(lay *L, const char *t, size_t k, const rg_role *r, unsigned flags,
                        char *buf)
{
    k = trim_cut(t, k);
    memcpy(buf, t, k);
    memcpy(buf + k, ELLIPSIS, sizeof ELLIPSIS);
    return lay_plain_width(L, buf, r, flags);
}

/* The largest of the n ascending cut points at[] whose cut fits max;
 * 0 when none does. Widths grow with the cut (binary search). */
static size_t best_cut(lay *L, const char *t, const size_t *at, size_t n, const rg_role *r,
                       unsigned flags, double max, char *buf)
{
    size_t lo = 0, hi = n, best = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cut_width(L, t, at[mid], r, flags, buf) <= max) {
            best = at[mid];
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return best;
}

/* Where to cut text (len bytes, set as paragraph p on one line) so that
 * the rest, with an ellipsis, is at most max wide: at a space when that
 * fills WORD_CUT_FILL of max, else between two clusters (never inside a
 * character or between a letter and its accents). 0: not one character. */
static size_t cut_point(lay *L, const rg_para *p, const rg_role *r, unsigned flags, double max)
{
    const char *t = p->text;
    size_t len = p->text_len, n = 0, cap = 0;
    size_t *at = NULL;
    char *buf = rg_xmalloc(len + sizeof ELLIPSIS);
    for (size_t i = 1; i < len; i++)
        if (t[i] == ' ' && t[i - 1] != ' ') {
            rg_grow(&at, &cap, n + 1, sizeof *at);
            at[n++] = i;
        }
    size_t word = best_cut(L, t, at, n, r, flags, max, buf);
    if (word && cut_width(L, t, word, r, flags, buf) >= WORD_CUT_FILL * max) {
        free(at);
        free(buf);
        return word;
    }
    n = 0;                          /* cluster starts, in text order */
    for (size_t l = 0; l < p->nlines; l++)
        for (size_t k = 0; k < p->lines[l].npieces; k++) {
            const rg_line_piece *pc = &p->lines[l].pieces[k];
            for (size_t g = 0; g < pc->nglyphs; g++) {
                size_t c = pc->src + pc->glyphs[g].cluster;
                if (c == 0 || c >= len || (n && at[n - 1] == c)) continue;
                rg_grow(&at, &cap, n + 1, sizeof *at);
                at[n++] = c;
            }
        }
    for (size_t i = 1; i < n; i++)  /* right-to-left runs come reversed: sort */
        for (size_t j = i; j > 0 && at[j - 1] > at[j]; j--) {
            size_t tmp = at[j];
            at[j] = at[j - 1];
            at[j - 1] = tmp;
        }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)  /* unique */
        if (!k || at[k - 1] != at[i]) at[k++] = at[i];
    size_t ch = best_cut(L, t, at, k, r, flags, max, buf);
    free(at);
    free(buf);
    return ch > word ? ch : word;
}

/* Draws text[start..) of paragraph src (set in r with flags) on one line
 * in [x, x + width], aligned, shortened as cut_point says to at most max;
 * its runs' source is src. Returns the width drawn. */
static double draw_shortened(lay *L, const rg_para *src, size_t start, const rg_role *r,
                             unsigned flags, double x, double baseline, rg_align align,
                             double width, double max)
{
    rg_para rest;
    const char *t = src->text + start;
    lay_break_plain(L, t, r, flags & ~LAY_HYPHENATE, 1e6, RG_ALIGN_LEFT, &rest);
    size_t k = trim_cut(t, cut_point(L, &rest, r, flags & ~LAY_HYPHENATE, max));
    char *s = rg_arena_alloc(L->arena, k + sizeof ELLIPSIS);
    memcpy(s, t, k);
    memcpy(s + k, ELLIPSIS, sizeof ELLIPSIS);
    rg_para p;
    lay_break_plain(L, s, r, flags & ~LAY_HYPHENATE, 1e6, RG_ALIGN_LEFT, &p);
    if (!p.nlines) return 0;
    double lx = lay_align_x(&p.lines[0], align, x, width);
    emit_line_as(L, &p, para_id(L, src), start, &p.lines[0], lx, baseline, RG_RUN_SHORTENED,
                 NULL);
    return p.lines[0].width;
}

int lay_draw_fitted(lay *L, const char *text, const rg_role *r, unsigned flags, double x,
                    double baseline, rg_align align, double width, double max,
                    double *drawn)
{
    rg_para p;
    lay_break_plain(L, text, r, flags, 1e6, RG_ALIGN_LEFT, &p);
    double w = 0;
    int cut = p.nlines > 0 && p.lines[0].width > max + 0.01;
    if (cut) {
        w = draw_shortened(L, &p, 0, r, flags, x, baseline, align, width, max);
    } else if (p.nlines) {
        lay_emit_line(L, &p, &p.lines[0], lay_align_x(&p.lines[0], align, x, width), baseline);
        w = p.lines[0].width;
    }
    if (drawn) *drawn = w;
    return cut;
}

void lay_emit_line_shortened(lay *L, const rg_para *p, size_t k, const rg_role *r,
                             unsigned flags, double x, double baseline, rg_align align,
                             double width)
{
    size_t start = k < p->nlines && p->lines[k].npieces ? p->lines[k].pieces[0].src : 0;
    draw_shortened(L, p, start, r, flags, x, baseline, align, width, width);
}

char *lay_inline_text(const lay *L, rg_arena *a, const rg_inlines *in)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n; i++) n += in->spans[i].len + (in->spans[i].ref ? 64 : 0);
    char *s = rg_arena_alloc(a, n + 1), *o = s;
    for (size_t i = 0; i < in->n; i++) {
        const rg_span *sp = &in->spans[i];
        if (sp->ref && L) {                     /* what layout draws for it: "Tabel 2" */
            const captioned *cap = lay_caption_by_id(L, sp->ref);
            const char *t = xref_find(L, sp->ref) ? xref_ref_text(L, a, sp, NULL, NULL)
                                                  : cap ? cap->label : sp->ref;
            o += snprintf(o, 64, "%.63s", t);
            continue;
        }
        memcpy(o, sp->text, sp->len);
        o += sp->len;
    }
    *o = 0;
    return s;
}

