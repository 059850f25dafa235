/* text/cache.c - the shaped-word cache (see text/cache.h). Stage: text.
 * Owns the context's struct rg_shape_cache (ctx->shapes): an open-addressing
 * hash table (linear probing, at most half full) of indices into three
 * growing arrays - entries, their key bytes and their glyphs - so that a
 * lookup touches no allocator and emptying the cache is a memset. Every
 * context has its own cache (batch workers run in parallel threads); face
 * pointers in it are only compared, and rg_font pointers are stable for
 * the process. */
#include "cache.h"
#include "fonts/fonts.h"

#include <stdlib.h>
#include <string.h>

enum {
    TABLE_SIZE = 2 * TEXT_CACHE_MAX_ENTRIES,   /* a power of two */
    LANG_TAG_MAX = 32                          /* longer tags are looked up every time */
};

typedef struct entry {
    const rg_font *font;
    hb_language_t lang;
    hb_script_t script;
    uint32_t hash;
    uint32_t text_off, glyph_off;
    uint16_t nglyphs;
    uint8_t len;
} entry;

typedef struct ascii_mask {
    const rg_font *font;
    uint64_t bits[2];
} ascii_mask;

struct rg_shape_cache {
    hb_buffer_t *buf;
    char lang_tag[LANG_TAG_MAX];
    hb_language_t lang;
    int disabled;
    ascii_mask *masks;             /* one per face asked for; few */
    size_t nmasks, masks_cap;
    uint32_t *slots;               /* TABLE_SIZE; 0 empty, else index into entries + 1 */
    entry *entries;
    size_t nentries, entries_cap;
    word_glyph *glyphs;
    size_t nglyphs, glyphs_cap;
    char *text;
    size_t ntext, text_cap;
};

static void clear(rg_shape_cache *c)
{
    if (c->slots) memset(c->slots, 0, TABLE_SIZE * sizeof *c->slots);
    c->nentries = c->nglyphs = c->ntext = 0;
}

/* Frees the context's cache with the context (rg_ctx_on_free). */
static void release_ctx(void *data)
{
    rg_ctx *ctx = data;
    rg_shape_cache *c = ctx->shapes;
    ctx->shapes = NULL;
    if (!c) return;
    hb_buffer_destroy(c->buf);
    free(c->masks);
    free(c->slots);
    free(c->entries);
    free(c->glyphs);
    free(c->text);
    free(c);
}

rg_shape_cache *text_cache_get(rg_ctx *ctx)
{
    if (!ctx->shapes) {
        ctx->shapes = rg_xcalloc(1, sizeof *ctx->shapes);
        ctx->shapes->buf = hb_buffer_create();
        rg_ctx_on_free(ctx, release_ctx, ctx);
    }
    return ctx->shapes;
}

hb_buffer_t *text_cache_buffer(rg_shape_cache *c) { return c->buf; }

int text_cache_enabled(const rg_shape_cache *c) { return !c->disabled; }

const uint64_t *text_cache_ascii(rg_shape_cache *c, const rg_font *f)
{
    for (size_t i = 0; i < c->nmasks; i++)
        if (c->masks[i].font == f) return c->masks[i].bits;
    rg_grow(&c->masks, &c->masks_cap, c->nmasks + 1, sizeof *c->masks);
    ascii_mask *m = &c->masks[c->nmasks++];
    m->font = f;
    m->bits[0] = 0xFFFFFFFFu;      /* control characters need no glyph */
    m->bits[1] = 0;
    for (unsigned cp = 0x20; cp < 0x80; cp++)
        if (rg_font_has_codepoint(f, cp)) m->bits[cp >> 6] |= (uint64_t)1 << (cp & 63);
    return m->bits;
}

hb_language_t text_cache_language(rg_shape_cache *c, const char *tag)
{
    if (c->lang && !strcmp(c->lang_tag, tag)) return c->lang;
    hb_language_t l = hb_language_from_string(tag, -1);
    if (strlen(tag) < sizeof c->lang_tag) {
        strcpy(c->lang_tag, tag);
        c->lang = l;
    }
    return l;
}

/* 64-bit multiply-xorshift over the key, eight bytes at a time; pointers
 * take part, so the probe order (never the result) varies between runs. */
static uint32_t key_hash(const word_key *k)
{
    const uint64_t M = 0x9E3779B97F4A7C15ull;
    uint64_t h = ((uint64_t)(uintptr_t)k->font * M) ^ (uint64_t)(uintptr_t)k->lang ^
                 ((uint64_t)k->script << 32) ^ k->len;
    const unsigned char *p = (const unsigned char *)k->text;
    size_t n = k->len;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * M;
        h ^= h >> 29;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * M;
        h ^= h >> 29;
    }
    h ^= h >> 32;
    return (uint32_t)h;
}

static int same_key(const rg_shape_cache *c, const entry *e, uint32_t hash, const word_key *k)
{
    return e->hash == hash && e->font == k->font && e->lang == k->lang &&
           e->script == k->script && e->len == k->len &&
           !memcmp(c->text + e->text_off, k->text, k->len);
}

const word_glyph *text_cache_find(rg_shape_cache *c, const word_key *k, size_t *nglyphs)
{
    if (!c->slots || k->len > TEXT_CACHE_MAX_WORD) return NULL;
    uint32_t h = key_hash(k);
    for (uint32_t i = h & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1)) {
        uint32_t s = c->slots[i];
        if (!s) return NULL;
        const entry *e = &c->entries[s - 1];
        if (same_key(c, e, h, k)) {
            *nglyphs = e->nglyphs;
            return c->glyphs + e->glyph_off;
        }
    }
}

void text_cache_put(rg_shape_cache *c, const word_key *k, const pglyph *g, size_t n,
                    size_t shift)
{
    if (c->disabled || k->len > TEXT_CACHE_MAX_WORD || n > UINT16_MAX) return;
    for (size_t i = 0; i < n; i++)
        if (g[i].g.gid > 0xFFFF) return;
    if (c->nentries == TEXT_CACHE_MAX_ENTRIES || c->nglyphs + n > TEXT_CACHE_MAX_GLYPHS ||
        c->ntext + k->len > TEXT_CACHE_MAX_TEXT)
        clear(c);
    if (!c->slots) c->slots = rg_xcalloc(TABLE_SIZE, sizeof *c->slots);
    uint32_t h = key_hash(k);
    uint32_t i = h & (TABLE_SIZE - 1);
    while (c->slots[i]) {
        if (same_key(c, &c->entries[c->slots[i] - 1], h, k)) return;   /* already there */
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    rg_grow(&c->entries, &c->entries_cap, c->nentries + 1, sizeof *c->entries);
    rg_grow(&c->glyphs, &c->glyphs_cap, c->nglyphs + n, sizeof *c->glyphs);
    rg_grow(&c->text, &c->text_cap, c->ntext + k->len, 1);
    entry *e = &c->entries[c->nentries++];
    *e = (entry){ k->font, k->lang, k->script, h, (uint32_t)c->ntext, (uint32_t)c->nglyphs,
                  (uint16_t)n, (uint8_t)k->len };
    memcpy(c->text + c->ntext, k->text, k->len);
    c->ntext += k->len;
    for (size_t j = 0; j < n; j++) {
        word_glyph *w = &c->glyphs[c->nglyphs++];
        w->x_advance = g[j].g.x_advance;
        w->x_offset = g[j].g.x_offset;
        w->y_offset = g[j].g.y_offset;
        w->gid = (uint16_t)g[j].g.gid;
        w->cluster = (uint8_t)(g[j].g.cluster - shift);
    }
    c->slots[i] = (uint32_t)c->nentries;
}

void text_cache_enable(rg_ctx *ctx, int on)
{
    rg_shape_cache *c = text_cache_get(ctx);
    c->disabled = !on;
    if (!on) clear(c);
}

void text_cache_stats(rg_ctx *ctx, size_t *entries, size_t *bytes)
{
    rg_shape_cache *c = text_cache_get(ctx);
    *entries = c->nentries;
    *bytes = (c->slots ? TABLE_SIZE * sizeof *c->slots : 0) + c->entries_cap * sizeof *c->entries +
             c->glyphs_cap * sizeof *c->glyphs + c->text_cap;
}
