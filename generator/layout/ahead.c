/* layout/ahead.c - running text set ahead on a second thread. Stage:
 * layout. Setting running text (shaping, UAX #14, hyphenation points,
 * Knuth-Plass) is most of the layout of a long report (84 % of a
 * 1,000-page one); placing it is cheap. Paragraphs break at widths that
 * depend only on where they sit in the block tree (body, list item, quote),
 * not on the page, so a thread can set them before the placing reaches
 * them.
 *
 * The jobs are the running-text paragraphs in document order, with the
 * widths place_para, place_list and place_quote (layout/layout.c) give them. Two
 * setters share them: the thread, and the placing while it waits. Each
 * claims the next job not started, at most AHEAD_MAX past the one the
 * placing needs, and sets it with a text context of its own; the placing
 * takes finished jobs in order (or, finding one not started, sets it the
 * ordinary way). Results are the same bytes either way: a setter's text
 * context (word cache, hyphenation) is its own but exact, and it shares
 * the faces without ever loading one. A job's warnings are kept
 * with the job and reported when the placing takes it, in the order they
 * would have come. A job that needed a face not loaded yet, gave an error
 * or warned of a missing glyph (a warning the text stage gives once per
 * character, not per message) is dropped, and the placing sets it itself,
 * which loads the face and reports in order.
 *
 * The same two setters also share batches of independent items the
 * placing hands over and waits for (lay_ahead_for: a table's cells, to be
 * measured or broken); an item that needed a face not loaded yet or gave a
 * diagnostic is marked not done, and the placing's ordinary path does it,
 * in order, when it gets there. */
#include "internal.h"
#include "hyphen/hyphen.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum {
    AHEAD_MAX = 8,                 /* jobs claimed past the one the placing needs, at most */
    /* less running text than this: no thread. Setting 32 KB takes ~5 ms;
     * a thread and two text contexts (patterns, cold word caches) cost
     * ~1 ms, which the sample (5 KB) does not win back */
    MIN_BYTES = 32 * 1024,
    MIN_CELLS = 1000               /* or a table this big (cells): a thread */
};

/* FREE: not started; then one owner: a setter (SETTING, then DONE or
 * DROPPED) or the placing's ordinary path (MINE: claimed, dropped or
 * taken). */
enum { FREE, SETTING, DONE, DROPPED, MINE };

typedef struct warning {          /* a diagnostic line the job gave */
    char *line;
    char *once;                    /* its rg_warn_once topic, or NULL */
    struct warning *next;
} warning;

typedef struct job {
    const rg_inlines *in;
    const rg_role *r;
    double width;
    atomic_int state;
    rg_arena *arena;               /* the setter's result: runs, lines, warnings */
    rg_para para;
    warning *warnings, **last;
    int failed;                    /* it gave an error: drop it */
} job;

enum { SETTERS = 2 };             /* the thread, the placing while it waits */

/* A batch of items both setters work through (lay_ahead_for). */
typedef struct batch {
    size_t n, next, done;          /* next and done under the lock */
    lay_item_fn fn;
    void *arg;
    unsigned char *ok;
    rg_arena *into[SETTERS];       /* where each setter puts its results */
} batch;

struct lay_ahead {
    const lay *L;                  /* read only by the setters */
    rg_ctx *ctx[SETTERS];          /* each setter's text context */
    job *jobs;
    size_t njobs, cap;
    size_t bytes;                  /* of running text in the jobs */
    size_t cells;                  /* in the document's tables */
    batch *batch;                  /* being worked through, or NULL */
    rg_arena *keep[SETTERS];       /* each setter's results of batch items */
    int item_failed[SETTERS];      /* the item being done gave a diagnostic */
    size_t *slot;                  /* open addressing: inlines -> job index + 1 */
    size_t nslots;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;           /* a job finished, or the placing moved on */
    size_t taken;                  /* jobs before this one the placing is past */
    size_t next;                   /* jobs before this one are claimed */
    int stop;
    size_t ntaken;                 /* finished jobs the placing took */
    size_t nitems;                 /* batch items done */
    rg_arena *in_use;              /* the last taken job's result */
};

/* ---- the jobs: what place_blocks will ask lay_break_text for ---- */

static void add_job(struct lay_ahead *a, const rg_inlines *in, const rg_role *r, double width)
{
    if (!in->n || xref_has_page_ref(in)) return;   /* its text changes between passes */
    rg_grow(&a->jobs, &a->cap, a->njobs + 1, sizeof *a->jobs);
    job *j = &a->jobs[a->njobs++];
    memset(j, 0, sizeof *j);
    j->in = in;
    j->r = r;
    j->width = width;
    atomic_init(&j->state, FREE);
    for (size_t k = 0; k < in->n; k++) a->bytes += in->spans[k].len;
}

/* Mirrors place_blocks: the same blocks, in the same order, at the same
 * widths (a paragraph asked for at another width is simply not found: a
 * list whose markers need more than the layout's indent). A list nested
 * so deep that its text would get less than a third of the text width is
 * not indented further (place_list). */
static void collect(struct lay_ahead *a, const rg_block *b, double width, int depth)
{
    const lay *L = a->L;
    const rg_style *st = L->st;
    for (; b; b = b->next) {
        switch (b->kind) {
        case RG_BLOCK_SECTION:             /* a landscape one: its width (layout/orient.c) */
            collect(a, b->children,
                    b->landscape ? lay_orient_text_width(st, 1) : width,
                    depth);
            break;
        case RG_BLOCK_PARA:
            add_job(a, &b->text, lay_role(L, RG_ROLE_BODY), width);
            break;
        case RG_BLOCK_LIST: {
            double indent = st->list_indent;
            if (depth > 0 && width - indent < L->width / 3) indent = 0;
            for (const rg_block *it = b->children; it; it = it->next) {
                if (it->kind != RG_BLOCK_ITEM) continue;
                add_job(a, &it->text, lay_role(L, RG_ROLE_BODY), width - indent);
                if (it->children) collect(a, it->children, width - indent, depth + 1);
            }
            break;
        }
        case RG_BLOCK_TABLE:
            if (b->table && b->table->data) a->cells += b->table->data->nrecords * b->table->ncols;
            break;
        case RG_BLOCK_QUOTE:
            for (const rg_block *q = b->children; q; q = q->next)
                if (q->kind == RG_BLOCK_PARA)
                    add_job(a, &q->text, lay_role(L, RG_ROLE_QUOTE),
                            width - 2 * st->quote_indent);
            break;
        default:
            break;
        }
    }
}

static size_t hash_ptr(const void *p, size_t nslots)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15u;
    return (size_t)(h >> 17) & (nslots - 1);
}

static void index_jobs(struct lay_ahead *a)
{
    a->nslots = 16;
    while (a->nslots < 2 * a->njobs) a->nslots *= 2;
    a->slot = rg_xcalloc(a->nslots, sizeof *a->slot);
    for (size_t i = 0; i < a->njobs; i++) {
        size_t s = hash_ptr(a->jobs[i].in, a->nslots);
        while (a->slot[s]) s = (s + 1) & (a->nslots - 1);
        a->slot[s] = i + 1;
    }
}

static job *find_job(struct lay_ahead *a, const rg_inlines *in, size_t *index)
{
    for (size_t s = hash_ptr(in, a->nslots); a->slot[s]; s = (s + 1) & (a->nslots - 1)) {
        job *j = &a->jobs[a->slot[s] - 1];
        if (j->in == in) {
            *index = a->slot[s] - 1;
            return j;
        }
    }
    return NULL;
}

/* ---- the thread ---- */

/* Makes ctx ready for one job or item. */
static void prepare(rg_ctx *ctx)
{
    rg_ctx_reset(ctx);
    ctx->fonts_declined = 0;
    /* a fallback family declined (not loaded yet) is not missing */
    memset(ctx->fallback_missing, 0, sizeof ctx->fallback_missing);
}

/* Whether what ctx just did is what the placing would have got: no face
 * declined, no missing glyph (the diagnostics are the callers' business). */
static int clean(const rg_ctx *ctx)
{
    return ctx->nmissing_glyphs == 0 && !ctx->fonts_declined;
}

/* The thread context's diag_hook: keeps the job's warnings in order. */
static void keep_diag(void *data, rg_severity sev, const char *once, const char *line)
{
    job *j = data;
    if (sev == RG_SEV_ERROR) j->failed = 1;
    warning *w = rg_arena_alloc(j->arena, sizeof *w);
    w->line = rg_arena_strdup(j->arena, line);
    w->once = once ? rg_arena_strdup(j->arena, once) : NULL;
    *j->last = w;
    j->last = &w->next;
}

/* Sets job j with the thread's context; 1 when the result is the one the
 * placing would get (no face missing or declined, no error, no missing
 * glyph). */
static int set_job(struct lay_ahead *a, rg_ctx *ctx, job *j)
{
    prepare(ctx);
    ctx->diag_hook = keep_diag;
    ctx->diag_hook_data = j;
    j->last = &j->warnings;
    rg_text_run *runs;
    int missing_font;
    size_t n = lay_make_runs(a->L, ctx, j->arena, j->in, j->r, &runs, &missing_font);
    if (missing_font) return 0;
    rg_break_opts o = lay_break_opts(a->L, j->width, j->r->align, 1);
    rg_text_break(ctx, j->arena, runs, n, &o, &j->para);
    return !j->failed && clean(ctx);
}

/* A batch item's diag_hook: any diagnostic leaves the item to the placing. */
static void note_diag(void *data, rg_severity sev, const char *once, const char *line)
{
    (void)sev;
    (void)once;
    (void)line;
    *(int *)data = 1;
}

/* Does item i of b as setter k. Called with a->lock held; releases it
 * while working. */
static void run_item(struct lay_ahead *a, int k, batch *b, size_t i)
{
    pthread_mutex_unlock(&a->lock);
    rg_ctx *ctx = a->ctx[k];
    prepare(ctx);
    a->item_failed[k] = 0;
    ctx->diag_hook = note_diag;
    ctx->diag_hook_data = &a->item_failed[k];
    int done = b->fn(b->arg, i, ctx, b->into[k]);
    int ok = done && !a->item_failed[k] && clean(ctx);
    pthread_mutex_lock(&a->lock);
    b->ok[i] = (unsigned char)ok;
    if (++b->done == b->n) pthread_cond_broadcast(&a->cond);
}

/* The next item of the batch being worked through, or 0. Called with
 * a->lock held. */
static int claim_item(struct lay_ahead *a, size_t *i)
{
    batch *b = a->batch;
    if (!b || b->next >= b->n) return 0;
    *i = b->next++;
    return 1;
}

/* Claims the next job not started within the window, or returns NULL.
 * Called with a->lock held. */
static job *claim(struct lay_ahead *a)
{
    while (a->next < a->njobs && a->next < a->taken + AHEAD_MAX) {
        job *j = &a->jobs[a->next++];
        int expected = FREE;
        if (atomic_compare_exchange_strong(&j->state, &expected, SETTING)) return j;
    }
    return NULL;
}

/* Sets a claimed job with setter ctx, then publishes it. Called with
 * a->lock held; releases it while setting. */
static void run(struct lay_ahead *a, rg_ctx *ctx, job *j)
{
    pthread_mutex_unlock(&a->lock);
    j->arena = rg_arena_new();
    int ok = set_job(a, ctx, j);
    if (!ok) {
        rg_arena_free(j->arena);
        j->arena = NULL;
    }
    pthread_mutex_lock(&a->lock);
    atomic_store(&j->state, ok ? DONE : DROPPED);
    pthread_cond_broadcast(&a->cond);
}

static void *ahead_main(void *arg)
{
    struct lay_ahead *a = arg;
    pthread_mutex_lock(&a->lock);
    while (!a->stop) {
        size_t i;
        job *j;
        if (claim_item(a, &i)) run_item(a, 0, a->batch, i);
        else if ((j = claim(a))) run(a, a->ctx[0], j);
        else pthread_cond_wait(&a->cond, &a->lock);
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

int lay_ahead_for(struct lay_ahead *a, size_t n, lay_item_fn fn, void *arg, unsigned char *ok,
                  rg_arena *const into[2])
{
    if (!a || n == 0) return 0;
    batch b = { n, 0, 0, fn, arg, ok, { a->keep[0], a->keep[1] } };
    if (into) b.into[0] = into[0], b.into[1] = into[1];
    pthread_mutex_lock(&a->lock);
    a->batch = &b;
    pthread_cond_broadcast(&a->cond);
    size_t i;
    while (claim_item(a, &i)) run_item(a, 1, &b, i);
    while (b.done < b.n) pthread_cond_wait(&a->cond, &a->lock);
    a->batch = NULL;
    pthread_mutex_unlock(&a->lock);
    for (size_t k = 0; k < n; k++) a->nitems += ok[k];
    return 1;
}

/* ---- the placing's side ---- */

struct lay_ahead *lay_ahead_start(lay *L)
{
    struct lay_ahead *a = rg_xcalloc(1, sizeof *a);
    a->L = L;
    collect(a, L->doc->blocks, L->width, 0);
    const char *env = getenv("REPORTGEN_LAYOUT_THREAD");
    if ((a->bytes < MIN_BYTES && a->cells < MIN_CELLS) || (env && !strcmp(env, "0"))) {
        free(a->jobs);
        free(a);
        return NULL;
    }
    index_jobs(a);
    rg_text_intern_language(L->doc->lang);
    for (size_t i = 0; i < a->njobs; i++)
        for (size_t k = 0; k < a->jobs[i].in->n; k++)
            if (a->jobs[i].in->spans[k].lang) rg_text_intern_language(a->jobs[i].in->spans[k].lang);
    for (int k = 0; k < SETTERS; k++) {
        a->keep[k] = rg_arena_new();
        rg_ctx *c = a->ctx[k] = rg_ctx_new(NULL);
        rg_fonts_share(L->ctx, c);
        c->fonts_lookup_only = 1;
        c->strict = L->ctx->strict;
        rg_fonts_set_fallback(c, L->st->fallback, L->st->nfallback);
        rg_hyphen_inherit(c, L->ctx);
    }
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->cond, NULL);
    if (pthread_create(&a->thread, NULL, ahead_main, a) != 0) {
        a->stop = -1;              /* no thread: nothing to join */
        lay_ahead_stop(a);
        return NULL;
    }
    return a;
}

int lay_ahead_take(struct lay_ahead *a, const rg_inlines *in, const rg_role *r, double width,
                   rg_align align, rg_para *out)
{
    size_t i;
    job *j = a ? find_job(a, in, &i) : NULL;
    if (!j || j->r != r || j->width != width || j->r->align != align) return 0;
    pthread_mutex_lock(&a->lock);
    rg_arena_free(a->in_use);      /* the previous result has been placed */
    a->in_use = NULL;
    if (i + 1 > a->taken) {
        a->taken = i + 1;
        pthread_cond_broadcast(&a->cond);
    }
    int expected = FREE;
    if (!atomic_compare_exchange_strong(&j->state, &expected, MINE)) {
        /* being set by the thread: set later ones meanwhile */
        while (atomic_load(&j->state) == SETTING) {
            job *k = claim(a);
            if (k) run(a, a->ctx[1], k);
            else pthread_cond_wait(&a->cond, &a->lock);
        }
    }
    int state = atomic_load(&j->state);
    int got = state == DONE;
    if (got) {
        for (const warning *w = j->warnings; w; w = w->next)
            rg_diag_replay(a->L->ctx, RG_SEV_WARNING, w->once, w->line);
        *out = j->para;
        a->in_use = j->arena;
        j->arena = NULL;
        a->ntaken++;
    }
    atomic_store(&j->state, MINE);   /* asked again (another pass): the placing's */
    pthread_mutex_unlock(&a->lock);
    return got;
}

void lay_ahead_stop(struct lay_ahead *a)
{
    if (!a) return;
    if (a->stop != -1) {
        pthread_mutex_lock(&a->lock);
        a->stop = 1;
        pthread_cond_broadcast(&a->cond);
        pthread_mutex_unlock(&a->lock);
        pthread_join(a->thread, NULL);
    }
    rg_ctx *owner = a->L->ctx;
    owner->paras_ahead += a->ntaken;
    owner->items_ahead += a->nitems;
    for (int k = 0; k < SETTERS && a->ctx[k]; k++) {
        int images, parsed;
        rg_hyphen_counts(a->ctx[k], &images, &parsed);
        owner->helper_patterns[0] += images;
        owner->helper_patterns[1] += parsed;
    }
    for (size_t i = 0; i < a->njobs; i++) rg_arena_free(a->jobs[i].arena);
    rg_arena_free(a->in_use);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->cond);
    for (int k = 0; k < SETTERS; k++) {
        rg_ctx_free(a->ctx[k]);
        rg_arena_free(a->keep[k]);
    }
    free(a->slot);
    free(a->jobs);
    free(a);
}
