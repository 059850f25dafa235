/* hyphen/hyphen.h - where words may be hyphenated: libhyphen with the patterns of
 * Debian's hyphen-* packages (/usr/share/hyphen/hyph_<ll>_<CC>.dic). Stage:
 * hyphen (the only user of libhyphen); the text stage breaks lines with it,
 * layout and the pipeline start its loads early. */
#ifndef RG_HYPHEN_H
#define RG_HYPHEN_H

#include "base/base.h"

typedef struct rg_hyphen_opts {
    int min_word;                  /* shortest word hyphenated, in characters */
    int left, right;               /* characters kept before / after a hyphen */
} rg_hyphen_opts;

enum { RG_HYPHEN_MAX_WORD = 100 }; /* bytes; longer "words" are not hyphenated */

/* Finds the hyphenation points of one word (UTF-8, len bytes, no spaces) in
 * language lang (BCP 47: "nl-NL" tries hyph_nl_NL.dic, then hyph_nl.dic).
 * Writes byte offsets into points (0 < off < len; a hyphen may go before
 * byte off) in increasing order and returns their number (at most max).
 * No points for: words shorter than o->min_word characters, words with
 * digits, '@', "://", "www.", or characters outside the patterns' charset.
 * A word that contains U+00AD (soft hyphen) gets exactly the positions
 * after its soft hyphens. Dictionaries load once per language per context;
 * a language without patterns gives one warning and no points.
 * Details: lang NULL or "" gives no points and no warning; o NULL means no
 * minimums of ours; left/right never go below the patterns' own minimums
 * (2 unless the .dic says otherwise); no point next to a hard hyphen '-';
 * soft hyphens count in words of any length and language; patterns from
 * $REPORTGEN_HYPHEN_DIR are preferred to /usr/share/hyphen. Cannot fail. */
size_t rg_hyphenate(rg_ctx *ctx, const char *lang, const char *word, size_t len,
                    const rg_hyphen_opts *o, size_t *points, size_t max);

/* Where rg_hyphenate looks for images of pattern files (hyphen/image.h),
 * which load in ~0.5 ms instead of libhyphen's parse (Dutch: 7-11 ms); NULL
 * or "": none. Set it before the first rg_hyphen_preload or rg_hyphenate.
 * A missing, stale or damaged image only costs the parse. Cannot fail. */
void rg_hyphen_set_image_dir(rg_ctx *ctx, const char *dir);

/* Gives helper (a context for another thread of the same build) the
 * pattern places from, so both find the same patterns. Cannot fail. */
void rg_hyphen_inherit(rg_ctx *helper, const rg_ctx *from);

/* Starts reading the patterns for lang (as rg_hyphenate would find them)
 * in a background thread, so that the first rg_hyphenate in lang, which
 * waits for it, does not pay the whole load (Dutch without an image: ~41 M
 * instructions, a quarter of a small report's). Optional: without it, or when no thread can
 * be started, rg_hyphenate loads on first use as before. Nothing happens
 * for a language already asked for or without a pattern file. Cannot fail. */
void rg_hyphen_preload(rg_ctx *ctx, const char *lang);

/* How many pattern files ctx has loaded so far from images and how many
 * libhyphen parsed (--stage-times prints them). Cannot fail. */
void rg_hyphen_counts(const rg_ctx *ctx, int *from_images, int *parsed);

#endif
