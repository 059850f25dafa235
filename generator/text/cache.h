/* text/cache.h - the shaped-word cache of the text stage (text/cache.c),
 * for text/text.c and the unit tests only. A word is shaped once per context:
 * key (face, language, script, UTF-8 bytes), value its glyphs in font
 * units with clusters relative to the word, so one entry serves every size
 * (Blink's word shape cache does the same). The face is the one text/text.c
 * chose for the word's characters (the run's, or a fallback face), so an
 * entry never depends on the fallback chain. The cache also keeps the
 * context's one HarfBuzz buffer, its language lookups and, per face, which
 * ASCII characters the face has. */
#ifndef RG_TEXT_CACHE_H
#define RG_TEXT_CACHE_H

#include <hb.h>

#include "internal.h"

/* Bounds of one context's cache (about 2 MB at most). Words longer than
 * TEXT_CACHE_MAX_WORD bytes are shaped every time (long compounds, URLs:
 * rare, and seldom repeated). When an insertion would pass a bound the
 * whole cache is emptied and filling starts again: a batch worker then
 * adapts to the next report's words, and emptying costs one memset. */
enum {
    TEXT_CACHE_MAX_WORD = 64,      /* bytes of one key; also keeps clusters in a byte */
    TEXT_CACHE_MAX_ENTRIES = 16384,
    TEXT_CACHE_MAX_GLYPHS = 65536, /* all entries together */
    TEXT_CACHE_MAX_TEXT = 262144   /* bytes of all keys together */
};

/* One glyph of a cached word: font units; cluster is the byte offset in the
 * word. All glyphs of an entry come from the key's face. */
typedef struct word_glyph {
    int32_t x_advance, x_offset, y_offset;
    uint16_t gid;                  /* OpenType glyph ids are 16-bit */
    uint8_t cluster;
} word_glyph;

typedef struct word_key {
    const rg_font *font;           /* the face the word is shaped in */
    hb_language_t lang;
    hb_script_t script;            /* as given to HarfBuzz; HB_SCRIPT_INVALID: none */
    const char *text;
    size_t len;
} word_key;

/* The context's cache, created on first use and freed with the context.
 * Cannot fail. */
rg_shape_cache *text_cache_get(rg_ctx *ctx);

/* The context's one HarfBuzz buffer (owned by the cache), reused by every
 * shaping of the context. */
hb_buffer_t *text_cache_buffer(rg_shape_cache *c);

/* hb_language_from_string(tag), remembered for the last tag asked. */
hb_language_t text_cache_language(rg_shape_cache *c, const char *tag);

/* Which ASCII characters need no other face than f: bit c of word c / 64
 * is set when c < 0x20 (needs no glyph) or f has a glyph for c. Found once
 * per face and context; owned by the cache. Cannot fail. */
const uint64_t *text_cache_ascii(rg_shape_cache *c, const rg_font *f);

/* 0 when the cache is switched off for this context (text_cache_enable):
 * text/text.c then shapes whole segments, as it did before the cache. */
int text_cache_enabled(const rg_shape_cache *c);

/* The glyphs of the word, owned by the cache and valid until the next
 * text_cache_put; NULL when the word is not cached. */
const word_glyph *text_cache_find(rg_shape_cache *c, const word_key *k, size_t *nglyphs);

/* Stores the word's glyphs, taken from the shaped paragraph glyphs g[0..n)
 * (all in k->font) whose clusters are shift + the offset in the word.
 * Words longer than TEXT_CACHE_MAX_WORD, or with glyph ids beyond 16 bits,
 * are not stored; nor is anything while the cache is off. Cannot fail. */
void text_cache_put(rg_shape_cache *c, const word_key *k, const pglyph *g, size_t n,
                    size_t shift);

/* For tests and measurements: switch the cache off (0) or on (1) in this
 * context, and read its fill: entries, and bytes allocated (table,
 * entries, glyphs, keys). */
void text_cache_enable(rg_ctx *ctx, int on);
void text_cache_stats(rg_ctx *ctx, size_t *entries, size_t *bytes);

#endif
