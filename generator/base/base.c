/* base/base.c - allocation, arena, context and diagnostics (see base/base.h). */
#include "base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("reportgen: out of memory\n", stderr);
    abort();
}

void *rg_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *rg_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *rg_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *rg_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(rg_xmalloc(n), s, n);
}

void rg_text_put(rg_text *t, const void *s, size_t n)
{
    rg_grow(&t->p, &t->cap, t->len + n + 1, 1);
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

void rg_text_puts(rg_text *t, const char *s)
{
    rg_text_put(t, s, strlen(s));
}

size_t rg_utf8_sequence(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))) return 0;
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))) return 0;
    return n;
}

size_t rg_utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;   /* s[n] starts the next */
    return n;
}

void rg_grow(void *p, size_t *cap, size_t need, size_t elem_size)
{
    void **pp = p;
    if (need <= *cap) return;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem_size) oom();
        ncap *= 2;
    }
    *pp = rg_xrealloc(*pp, ncap * elem_size);
    *cap = ncap;
}

/* ---- arena: a chain of blocks, bump allocation ---- */
typedef struct arena_block {
    struct arena_block *prev;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} arena_block;

struct rg_arena {
    arena_block *head;
};

/* Blocks double from ARENA_FIRST to ARENA_BLOCK: a display-list page's
 * arena that only gets its running header (a spilled page's, issue 22)
 * holds 4 KB, not 64 (9,409 pages: 600 MB of address space, ~75 MB
 * resident). */
enum { ARENA_FIRST = 4 * 1024, ARENA_BLOCK = 64 * 1024 };

rg_arena *rg_arena_new(void)
{
    return rg_xcalloc(1, sizeof(rg_arena));
}

void rg_arena_free(rg_arena *a)
{
    if (!a) return;
    arena_block *b = a->head;
    while (b) {
        arena_block *prev = b->prev;
        free(b);
        b = prev;
    }
    free(a);
}

void rg_arena_reset(rg_arena *a)
{
    if (!a || !a->head) return;
    arena_block *b = a->head->prev;
    while (b) {
        arena_block *prev = b->prev;
        free(b);
        b = prev;
    }
    a->head->prev = NULL;
    a->head->used = 0;
}

void *rg_arena_alloc(rg_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t step = b ? (b->size < ARENA_BLOCK ? 2 * b->size : ARENA_BLOCK) : ARENA_FIRST;
        size_t size = n > step / 2 ? n : step;
        b = rg_xmalloc(sizeof(arena_block) + size);
        b->prev = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return memset(p, 0, n);
}

char *rg_arena_strndup(rg_arena *a, const char *s, size_t n)
{
    char *d = rg_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *rg_arena_strdup(rg_arena *a, const char *s)
{
    return s ? rg_arena_strndup(a, s, strlen(s)) : NULL;
}

/* ---- context and diagnostics ---- */
struct rg_ctx_cleanup {
    void (*fn)(void *data);
    void *data;
};

static const uint64_t FNV_BASIS = 1469598103934665603ull, FNV_PRIME = 1099511628211ull;

rg_ctx *rg_ctx_new(FILE *diag_out)
{
    rg_ctx *ctx = rg_xcalloc(1, sizeof *ctx);
    ctx->diag_out = diag_out;
    ctx->input_hash = FNV_BASIS;
    ctx->spill_after_pages = RG_SPILL_AFTER_PAGES;
    ctx->table_window_rows = RG_TABLE_WINDOW_ROWS;
    return ctx;
}

void rg_ctx_reset(rg_ctx *ctx)
{
    ctx->diag_len = 0;
    if (ctx->diag_text) ctx->diag_text[0] = 0;
    ctx->errors = ctx->warnings = 0;
    ctx->nwarned = 0;
    ctx->documents++;
    ctx->nmissing_glyphs = 0;
    ctx->input_hash = FNV_BASIS;
    ctx->ninputs = 0;
    ctx->ninput_files = 0;
    ctx->at_file = NULL;
    ctx->at_line = 0;
}

void rg_ctx_note_input(rg_ctx *ctx, const void *data, size_t len)
{
    uint64_t h = ctx->input_hash;
    for (int i = 0; i < 8; i++) h = (h ^ ((len >> (8 * i)) & 0xFF)) * FNV_PRIME;
    for (const unsigned char *p = data, *e = p + len; p < e; p++) h = (h ^ *p) * FNV_PRIME;
    ctx->input_hash = h;
    ctx->ninputs++;
}

void rg_ctx_on_free(rg_ctx *ctx, void (*fn)(void *data), void *data)
{
    for (size_t i = 0; i < ctx->ncleanups; i++)
        if (ctx->cleanups[i].fn == fn && ctx->cleanups[i].data == data) return;
    rg_grow(&ctx->cleanups, &ctx->cleanups_cap, ctx->ncleanups + 1, sizeof *ctx->cleanups);
    ctx->cleanups[ctx->ncleanups++] = (rg_ctx_cleanup){ fn, data };
}

void rg_ctx_free(rg_ctx *ctx)
{
    if (!ctx) return;
    while (ctx->ncleanups > 0) {
        rg_ctx_cleanup c = ctx->cleanups[--ctx->ncleanups];
        c.fn(c.data);
    }
    free(ctx->cleanups);
    free(ctx->input_files);
    free(ctx->warned);
    free(ctx->diag_text);
    free(ctx);
}

/* FNV-1a; a linear scan is fine: warnings are few */
static int already_warned(rg_ctx *ctx, const char *text)
{
    uint64_t h = FNV_BASIS;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * FNV_PRIME;
    for (size_t i = 0; i < ctx->nwarned; i++)
        if (ctx->warned[i] == h) return 1;
    rg_grow(&ctx->warned, &ctx->warned_cap, ctx->nwarned + 1, sizeof *ctx->warned);
    ctx->warned[ctx->nwarned++] = h;
    return 0;
}

void rg_ctx_at(rg_ctx *ctx, const char *file, int line)
{
    ctx->at_file = file;
    ctx->at_line = file ? line : 0;
}

/* "where: error: msg\n" into full (cap bytes): msg as rg_diag takes it,
 * where from file, line, col or the place rg_ctx_at gave. 0 on failure. */
static int format_diag(const rg_ctx *ctx, rg_severity sev, const char *file, int line, int col,
                       const char *fmt, va_list ap, char *full, size_t cap)
{
    char msg[1024], where[600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!file && line <= 0 && ctx->at_file) {
        file = ctx->at_file;
        line = ctx->at_line;
    }
    const char *f = file ? file : "reportgen";
    if (line > 0 && col > 0)
        snprintf(where, sizeof where, "%s:%d:%d", f, line, col);
    else if (line > 0)
        snprintf(where, sizeof where, "%s:%d", f, line);
    else
        snprintf(where, sizeof where, "%s", f);
    /* strip a trailing newline that library messages carry */
    size_t ml = strlen(msg);
    while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' ')) msg[--ml] = 0;
    /* one diagnostic, one line (libxml2 puts "Bytes: 0x.." on a second one) */
    for (char *nl = strchr(msg, '\n'); nl; nl = strchr(nl, '\n')) *nl = ' ';
    return snprintf(full, cap, "%s: %s: %s\n", where, sev == RG_SEV_ERROR ? "error" : "warning",
                    msg) >= 0;
}

/* Prints and counts a formatted line (a warning once). */
static void emit(rg_ctx *ctx, rg_severity sev, const char *full)
{
    size_t n = strlen(full);
    if (sev == RG_SEV_WARNING && already_warned(ctx, full)) return;
    if (ctx->diag_out) fputs(full, ctx->diag_out);
    rg_grow(&ctx->diag_text, &ctx->diag_cap, ctx->diag_len + n + 1, 1);
    memcpy(ctx->diag_text + ctx->diag_len, full, n + 1);
    ctx->diag_len += n;
    if (sev == RG_SEV_ERROR) ctx->errors++;
    else ctx->warnings++;
}

/* Has topic `once` been warned of in ctx? Records it if not. */
static int once_warned(rg_ctx *ctx, const char *once)
{
    char key[200];
    snprintf(key, sizeof key, "\001once:%s", once);   /* no diagnostic line starts so */
    return already_warned(ctx, key);
}

void rg_diag(rg_ctx *ctx, rg_severity sev, const char *file, int line, int col,
             const char *fmt, ...)
{
    char full[1700];
    va_list ap;
    va_start(ap, fmt);
    int ok = format_diag(ctx, sev, file, line, col, fmt, ap, full, sizeof full);
    va_end(ap);
    if (!ok) return;
    if (ctx->diag_hook) ctx->diag_hook(ctx->diag_hook_data, sev, NULL, full);
    else rg_diag_replay(ctx, sev, NULL, full);
}

void rg_warn_once(rg_ctx *ctx, const char *once, const char *fmt, ...)
{
    /* a hook's owner decides when it replays the line (and may drop it) */
    if (!ctx->diag_hook && once_warned(ctx, once)) return;
    char full[1700];
    va_list ap;
    va_start(ap, fmt);
    int ok = format_diag(ctx, RG_SEV_WARNING, NULL, 0, 0, fmt, ap, full, sizeof full);
    va_end(ap);
    if (!ok) return;
    if (ctx->diag_hook) ctx->diag_hook(ctx->diag_hook_data, RG_SEV_WARNING, once, full);
    else emit(ctx, RG_SEV_WARNING, full);
}

void rg_diag_replay(rg_ctx *ctx, rg_severity sev, const char *once, const char *line)
{
    if (once && sev == RG_SEV_WARNING && once_warned(ctx, once)) return;
    char full[1700];
    if (ctx->at_file && !strncmp(line, "reportgen: ", 11))   /* a helper's: no place known */
        snprintf(full, sizeof full, "%s:%d: %s", ctx->at_file, ctx->at_line, line + 11);
    else
        snprintf(full, sizeof full, "%s", line);
    emit(ctx, sev, full);
}
