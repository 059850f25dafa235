/* hyphen/hyphenate.c - stage: hyphen. Where a word may be hyphenated, from the TeX-style
 * patterns of Debian's hyphen-* packages read by libhyphen. Owns the
 * context's dictionary cache (struct rg_hyphen_cache, ctx->hyphens): one
 * entry per language asked for (with or without patterns, so a missing
 * language warns once) and one loaded HyphenDict per pattern file (nl-NL and
 * nl-BE share Debian's symlinked file). No static mutable state: each
 * context has its own cache, so contexts may run in parallel threads.
 *
 * Words arrive as UTF-8 and are lowercased and converted to the patterns'
 * charset (first line of the .dic: ISO8859-1, ISO8859-15 or UTF-8) one code
 * point at a time; libhyphen's answer is mapped back from code point indices
 * to byte offsets of the caller's word.
 *
 * A pattern file is read whole; when the image directory holds an image
 * made from exactly its bytes (hyphen/image.c, written at build time), the
 * dictionary comes from the image (~0.5 ms), else libhyphen parses the
 * bytes (Dutch: 7-11 ms). Both give the same states. */
#include "hyphen.h"
#include "image.h"

#include <hyphen.h>                /* libhyphen */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where Debian's hyphen-* packages install their patterns. */
#define SYSTEM_HYPHEN_DIR "/usr/share/hyphen"
/* Environment variable naming a directory searched before the system one
 * (tests ship their own patterns there). */
#define HYPHEN_DIR_ENV "REPORTGEN_HYPHEN_DIR"

/* Language subtags longer than this cannot name a Debian pattern file
 * ("nl", "nld"; regions "NL"); longer ones are refused before building a
 * path from them. */
enum { LANG_MAX = 3 };

typedef enum { CS_LATIN1, CS_LATIN9, CS_UTF8, CS_ASCII } charset;

/* A loaded dictionary and how to free it. */
typedef struct patterns {
    HyphenDict *dict;      /* NULL: none */
    int from_image;        /* rg_hyphen_image_free, not hnj_hyphen_free */
} patterns;

typedef struct hyph_dict {
    char *path;            /* the file it came from, to share it */
    patterns pat;
    charset cs;
} hyph_dict;

/* A pattern file being read by a background thread (rg_hyphen_preload).
 * The thread writes only pat; the owner reads it after pthread_join. */
typedef struct hyph_preload {
    char *path;
    char *image_dir;       /* the thread's own copy, or NULL */
    pthread_t thread;
    patterns pat;          /* the thread's result, dict NULL if it failed */
    int joined;            /* the result was taken (or the thread never ran) */
} hyph_preload;

typedef struct hyph_lang {
    char *key;             /* normalized: "nl" or "nl_NL" */
    int dict;              /* index into dicts, -1: no patterns */
    unsigned warned;       /* no patterns: ctx->documents + 1 of the last warning */
} hyph_lang;

struct rg_hyphen_cache {
    char *dir;             /* REPORTGEN_HYPHEN_DIR read at creation, or NULL */
    char *image_dir;       /* where images of pattern files are looked for, or NULL */
    hyph_lang *langs;
    size_t nlangs, langs_cap;
    hyph_dict *dicts;
    size_t ndicts, dicts_cap;
    hyph_preload **pre;    /* each on its own: its thread holds the pointer */
    size_t npre, pre_cap;
    struct memo_entry *memo;       /* the points of words asked for (below) */
    size_t memo_cap, memo_used;
    rg_arena *memo_arena;
};

typedef struct memo_entry memo_entry;

static void patterns_free(patterns *p)
{
    if (p->from_image) rg_hyphen_image_free(p->dict);
    else if (p->dict) hnj_hyphen_free(p->dict);
    p->dict = NULL;
}

/* The image that would have been made of the pattern file at path:
 * image_dir/<name of the file path resolves to, .dic -> .img>. */
static int image_path(const char *image_dir, const char *path, char *out, size_t cap)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) return -1;
    const char *name = strrchr(real, '/');
    name = name ? name + 1 : real;
    size_t n = strlen(name);
    if (n > 4 && !strcmp(name + n - 4, ".dic")) n -= 4;
    int k = snprintf(out, cap, "%s/%.*s.img", image_dir, (int)n, name);
    return k > 0 && (size_t)k < cap ? 0 : -1;
}

/* The dictionary of the pattern file at path: from its image in image_dir
 * when there is one of exactly these bytes, else parsed by libhyphen. */
static patterns read_patterns(const char *path, const char *image_dir)
{
    patterns p = { NULL, 0 };
    size_t len = 0;
    unsigned char *src = rg_hyphen_image_source(path, &len);
    if (!src) return p;
    char img[PATH_MAX + 64];
    if (image_dir && image_path(image_dir, path, img, sizeof img) == 0) {
        p.dict = rg_hyphen_image_load(img, src, len);
        p.from_image = p.dict != NULL;
    }
    if (!p.dict) {
        FILE *f = fmemopen(src, len, "r");
        if (f) {
            p.dict = hnj_hyphen_load_file(f);
            fclose(f);
        }
    }
    free(src);
    return p;
}

static void *preload_main(void *arg)
{
    hyph_preload *p = arg;
    p->pat = read_patterns(p->path, p->image_dir);
    return NULL;
}

/* Waits for the preload of path, if one was started, and takes its result
 * (*pat, dict NULL when it failed); returns 0 when there was none to take. */
static int take_preload(rg_hyphen_cache *hc, const char *path, patterns *pat)
{
    for (size_t i = 0; i < hc->npre; i++) {
        hyph_preload *p = hc->pre[i];
        if (p->joined || strcmp(p->path, path)) continue;
        pthread_join(p->thread, NULL);
        p->joined = 1;
        *pat = p->pat;
        p->pat.dict = NULL;
        return 1;
    }
    return 0;
}

static void hyphen_cache_free(rg_hyphen_cache *hc)
{
    if (!hc) return;
    for (size_t i = 0; i < hc->npre; i++) {
        hyph_preload *p = hc->pre[i];
        if (!p->joined) pthread_join(p->thread, NULL);
        patterns_free(&p->pat);
        free(p->path);
        free(p->image_dir);
        free(p);
    }
    free(hc->pre);
    free(hc->memo);
    rg_arena_free(hc->memo_arena);
    for (size_t i = 0; i < hc->nlangs; i++) free(hc->langs[i].key);
    for (size_t i = 0; i < hc->ndicts; i++) {
        free(hc->dicts[i].path);
        patterns_free(&hc->dicts[i].pat);
    }
    free(hc->langs);
    free(hc->dicts);
    free(hc->dir);
    free(hc->image_dir);
    free(hc);
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "nl", "nl-NL", "nl_NL", "NL-nl", "sr-Latn-RS" -> "nl", "nl_NL", "sr_RS".
 * Returns 0, or -1 when the tag cannot name a pattern file (which keeps
 * '/' and ".." out of the paths built from it). */
static int normalize_lang(const char *lang, char *out, size_t outsz)
{
    char ll[LANG_MAX + 1] = "", cc[3] = "";
    size_t n = 0;
    while (is_alpha(lang[n])) n++;
    if (n < 2 || n > LANG_MAX || (lang[n] && lang[n] != '-' && lang[n] != '_'))
        return -1;
    for (size_t i = 0; i < n; i++) ll[i] = (char)(lang[i] | 0x20);
    ll[n] = 0;
    /* the region is the first later subtag of exactly two letters */
    const char *p = lang + n;
    while (*p) {
        p++;                               /* the separator */
        size_t m = 0;
        while (p[m] && p[m] != '-' && p[m] != '_') m++;
        if (m == 2 && is_alpha(p[0]) && is_alpha(p[1]) && !cc[0]) {
            cc[0] = (char)(p[0] & ~0x20);
            cc[1] = (char)(p[1] & ~0x20);
            cc[2] = 0;
        }
        p += m;
    }
    snprintf(out, outsz, cc[0] ? "%s_%s" : "%s", ll, cc);
    return 0;
}

static charset charset_of(const char *cset)
{
    char s[MAX_NAME + 1];
    size_t n = 0;
    /* "ISO8859-1", "ISO-8859-1", "utf-8 " all name the same thing */
    for (const char *p = cset; *p && n < MAX_NAME; p++)
        if (*p != '-' && *p != '_' && *p != ' ' && *p != '\t')
            s[n++] = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
    s[n] = 0;
    if (!strcmp(s, "UTF8")) return CS_UTF8;
    if (!strcmp(s, "ISO88591")) return CS_LATIN1;
    if (!strcmp(s, "ISO885915")) return CS_LATIN9;
    return CS_ASCII;   /* an 8-bit charset we do not map: ASCII words only */
}

/* Loads path into the cache unless it is there; returns its index or -1. */
static int load_dict(rg_hyphen_cache *hc, const char *path)
{
    for (size_t i = 0; i < hc->ndicts; i++)
        if (!strcmp(hc->dicts[i].path, path)) return (int)i;
    patterns pat;
    if (!take_preload(hc, path, &pat)) pat = read_patterns(path, hc->image_dir);
    if (!pat.dict) return -1;
    rg_grow(&hc->dicts, &hc->dicts_cap, hc->ndicts + 1, sizeof *hc->dicts);
    hyph_dict *e = &hc->dicts[hc->ndicts];
    e->path = rg_xstrdup(path);
    e->pat = pat;
    e->cs = pat.dict->utf8 ? CS_UTF8 : charset_of(pat.dict->cset);
    return (int)hc->ndicts++;
}

/* Frees the context's dictionaries with the context (rg_ctx_on_free);
 * joins a running preload first. */
static void release_ctx(void *data)
{
    rg_ctx *ctx = data;
    hyphen_cache_free(ctx->hyphens);
    ctx->hyphens = NULL;
}

static rg_hyphen_cache *cache_of(rg_ctx *ctx)
{
    if (!ctx->hyphens) {
        ctx->hyphens = rg_xcalloc(1, sizeof *ctx->hyphens);
        rg_ctx_on_free(ctx, release_ctx, ctx);
        const char *dir = getenv(HYPHEN_DIR_ENV);
        if (dir && *dir) ctx->hyphens->dir = rg_xstrdup(dir);
    }
    return ctx->hyphens;
}

enum { MAX_CANDIDATES = 4, PATH_CAP = 4096 };

/* The pattern files that may serve a normalized key, best first: "ll_CC"
 * before "ll", the override directory before the system one. */
static int candidate_paths(const rg_hyphen_cache *hc, const char *key,
                           char paths[MAX_CANDIDATES][PATH_CAP])
{
    char ll[LANG_MAX + 1];
    size_t n = strcspn(key, "_");
    memcpy(ll, key, n);
    ll[n] = 0;
    const char *dirs[2] = { hc->dir, SYSTEM_HYPHEN_DIR };
    int count = 0;
    for (int d = 0; d < 2; d++) {
        if (!dirs[d]) continue;
        snprintf(paths[count++], PATH_CAP, "%s/hyph_%s.dic", dirs[d], key);
        if (strcmp(key, ll)) snprintf(paths[count++], PATH_CAP, "%s/hyph_%s.dic", dirs[d], ll);
    }
    return count;
}

void rg_hyphen_counts(const rg_ctx *ctx, int *from_images, int *parsed)
{
    *from_images = *parsed = 0;
    const rg_hyphen_cache *hc = ctx->hyphens;
    for (size_t i = 0; hc && i < hc->ndicts; i++) {
        if (hc->dicts[i].pat.from_image) (*from_images)++;
        else (*parsed)++;
    }
}

void rg_hyphen_inherit(rg_ctx *helper, const rg_ctx *from)
{
    const rg_hyphen_cache *src = from->hyphens;
    rg_hyphen_cache *hc = cache_of(helper);
    free(hc->dir);
    hc->dir = src && src->dir ? rg_xstrdup(src->dir) : NULL;
    rg_hyphen_set_image_dir(helper, src ? src->image_dir : NULL);
}

void rg_hyphen_set_image_dir(rg_ctx *ctx, const char *dir)
{
    rg_hyphen_cache *hc = cache_of(ctx);
    free(hc->image_dir);
    hc->image_dir = dir && *dir ? rg_xstrdup(dir) : NULL;
}

void rg_hyphen_preload(rg_ctx *ctx, const char *lang)
{
    char key[16], paths[MAX_CANDIDATES][PATH_CAP];
    if (!lang || !*lang || normalize_lang(lang, key, sizeof key) != 0) return;
    rg_hyphen_cache *hc = cache_of(ctx);
    for (size_t i = 0; i < hc->nlangs; i++)
        if (!strcmp(hc->langs[i].key, key)) return;          /* asked for already */
    int n = candidate_paths(hc, key, paths);
    for (int i = 0; i < n; i++) {
        if (access(paths[i], R_OK) != 0) continue;
        for (size_t k = 0; k < hc->ndicts; k++)
            if (!strcmp(hc->dicts[k].path, paths[i])) return;   /* loaded already */
        for (size_t k = 0; k < hc->npre; k++)
            if (!strcmp(hc->pre[k]->path, paths[i])) return;    /* being loaded */
        hyph_preload *p = rg_xcalloc(1, sizeof *p);
        p->path = rg_xstrdup(paths[i]);
        p->image_dir = hc->image_dir ? rg_xstrdup(hc->image_dir) : NULL;
        if (pthread_create(&p->thread, NULL, preload_main, p) != 0) {
            free(p->path);          /* no thread: rg_hyphenate reads the file itself */
            free(p->image_dir);
            free(p);
            return;
        }
        rg_grow(&hc->pre, &hc->pre_cap, hc->npre + 1, sizeof *hc->pre);
        hc->pre[hc->npre++] = p;
        return;
    }
}

/* No patterns for lang: a warning once per document (the cache outlives
 * documents in a batch worker's context). */
static hyph_dict *no_patterns(rg_ctx *ctx, hyph_lang *l, const char *lang)
{
    if (l->warned == ctx->documents + 1) return NULL;
    l->warned = ctx->documents + 1;
    char once[40];                              /* where it first matters */
    snprintf(once, sizeof once, "no-patterns:%s", l->key);
    rg_warn_once(ctx, once, "no hyphenation patterns for language '%s'; text in it is not "
                 "hyphenated", lang);
    return NULL;
}

/* The dictionary for lang, loading it the first time; NULL (after one
 * warning per normalized language and document) when there are no
 * patterns for it. */
static hyph_dict *dict_for(rg_ctx *ctx, const char *lang)
{
    rg_hyphen_cache *hc = cache_of(ctx);
    char key[16];
    int ok = normalize_lang(lang, key, sizeof key) == 0;
    if (!ok) snprintf(key, sizeof key, "?%.12s", lang);   /* cache the refusal too */
    for (size_t i = 0; i < hc->nlangs; i++)
        if (!strcmp(hc->langs[i].key, key))
            return hc->langs[i].dict < 0 ? no_patterns(ctx, &hc->langs[i], lang)
                                         : &hc->dicts[hc->langs[i].dict];

    int idx = -1;
    if (ok) {
        char paths[MAX_CANDIDATES][PATH_CAP];
        int n = candidate_paths(hc, key, paths);
        for (int i = 0; i < n && idx < 0; i++) idx = load_dict(hc, paths[i]);
    }
    rg_grow(&hc->langs, &hc->langs_cap, hc->nlangs + 1, sizeof *hc->langs);
    hc->langs[hc->nlangs] = (hyph_lang){ rg_xstrdup(key), idx, 0 };
    hc->nlangs++;
    if (idx < 0) return no_patterns(ctx, &hc->langs[hc->nlangs - 1], lang);
    return &hc->dicts[idx];
}

/* Decodes one UTF-8 code point at s[*i] (advancing *i); -1 if malformed. */
static long utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned c = s[*i];
    int n;
    long cp, min;
    if (c < 0x80) { (*i)++; return c; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return -1;
    if (len - *i <= (size_t)n) return -1;
    for (int k = 1; k <= n; k++) {
        if ((s[*i + k] & 0xc0) != 0x80) return -1;
        cp = (cp << 6) | (s[*i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    *i += (size_t)n + 1;
    return cp;
}

/* Lowercase for the pattern lookup: ASCII and Latin-1 (É -> é; ß, ÿ stay),
 * plus Latin Extended-A, Greek and Cyrillic capitals for UTF-8 patterns. */
static long to_lower(long c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7)) return c + 0x20;
    if (c == 0x178) return 0xff;                        /* Ÿ */
    if (c >= 0x100 && c <= 0x17f) {
        if (c == 0x130) return 'i';                     /* İ */
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
            return (c & 1) ? c + 1 : c;
        if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17f) return c;
        return (c & 1) ? c : c + 1;
    }
    if ((c >= 0x391 && c <= 0x3ab && c != 0x3a2)) return c + 0x20;
    if (c >= 0x410 && c <= 0x42f) return c + 0x20;
    if (c >= 0x400 && c <= 0x40f) return c + 0x50;
    return c;
}

/* Appends code point c in the patterns' charset; -1 if it has no place
 * there (the word then gets no points). */
static int encode(charset cs, long c, char *out, size_t *n)
{
    static const struct { long cp; unsigned char b; } latin9[] = {
        { 0x20ac, 0xa4 }, { 0x160, 0xa6 }, { 0x161, 0xa8 }, { 0x17d, 0xb4 },
        { 0x17e, 0xb8 }, { 0x152, 0xbc }, { 0x153, 0xbd }, { 0x178, 0xbe },
    };
    switch (cs) {
    case CS_ASCII:
        if (c >= 0x80) return -1;
        out[(*n)++] = (char)c;
        return 0;
    case CS_LATIN1:
        if (c > 0xff) return -1;
        out[(*n)++] = (char)c;
        return 0;
    case CS_LATIN9:
        for (size_t k = 0; k < sizeof latin9 / sizeof latin9[0]; k++) {
            if (latin9[k].cp == c) { out[(*n)++] = (char)latin9[k].b; return 0; }
            if (latin9[k].b == c) return -1;    /* Latin-1 only: ¤ ¦ ¨ ´ ¸ ¼ ½ ¾ */
        }
        if (c > 0xff) return -1;
        out[(*n)++] = (char)c;
        return 0;
    case CS_UTF8:
        if (c < 0x80) {
            out[(*n)++] = (char)c;
        } else if (c < 0x800) {
            out[(*n)++] = (char)(0xc0 | (c >> 6));
            out[(*n)++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out[(*n)++] = (char)(0xe0 | (c >> 12));
            out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[(*n)++] = (char)(0x80 | (c & 0x3f));
        } else {
            out[(*n)++] = (char)(0xf0 | (c >> 18));
            out[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
            out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[(*n)++] = (char)(0x80 | (c & 0x3f));
        }
        return 0;
    }
    return -1;
}

/* Points after each soft hyphen (U+00AD); 0 < off < len. */
static size_t soft_points(const char *word, size_t len, size_t *points, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i + 1 < len && n < max; i++)
        if ((unsigned char)word[i] == 0xc2 && (unsigned char)word[i + 1] == 0xad &&
            i + 2 < len)
            points[n++] = i + 2;
    return n;
}

static int has_soft_hyphen(const char *word, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if ((unsigned char)word[i] == 0xc2 && (unsigned char)word[i + 1] == 0xad)
            return 1;
    return 0;
}

static int is_digit(long c)
{
    return (c >= '0' && c <= '9') || c == 0xb2 || c == 0xb3 || c == 0xb9;  /* ² ³ ¹ */
}

/* ---- the memo: the points of each word asked for, per context ----
 * Text repeats its words, and the line breaker asks for the points of
 * every word of a paragraph that did not fit without hyphens. An open
 * addressing table of at most MEMO_MAX entries (then words are worked out
 * each time again); keys and points live in the cache's arena. */
enum { MEMO_MAX = 1 << 15 };

typedef struct memo_key {
    unsigned dict;                 /* index into the cache's dicts */
    int left, right;
    const char *word;
    size_t len;
} memo_key;

struct memo_entry {
    uint64_t hash;                 /* 0: empty slot */
    unsigned dict;
    unsigned char left, right, len, npoints;
    const char *word;
    unsigned char *points;         /* byte offsets (words are at most 100 bytes) */
};

static uint64_t memo_hash(const memo_key *k)
{
    uint64_t h = 1469598103934665603ull ^ k->dict ^ ((uint64_t)k->left << 20) ^
                 ((uint64_t)k->right << 28);
    for (size_t i = 0; i < k->len; i++) h = (h ^ (unsigned char)k->word[i]) * 1099511628211ull;
    return h ? h : 1;
}

static int memo_match(const memo_entry *e, uint64_t h, const memo_key *k)
{
    return e->hash == h && e->dict == k->dict && e->left == k->left && e->right == k->right &&
           e->len == k->len && !memcmp(e->word, k->word, k->len);
}

static const memo_entry *memo_find(const rg_hyphen_cache *hc, const memo_key *k)
{
    if (!hc->memo) return NULL;
    uint64_t h = memo_hash(k);
    for (size_t i = h & (hc->memo_cap - 1);; i = (i + 1) & (hc->memo_cap - 1)) {
        const memo_entry *e = &hc->memo[i];
        if (!e->hash) return NULL;
        if (memo_match(e, h, k)) return e;
    }
}

/* Room for one more entry, growing the table at half load; 0 when full. */
static int memo_room(rg_hyphen_cache *hc)
{
    if (hc->memo_used >= MEMO_MAX) return 0;
    if (hc->memo && (hc->memo_used + 1) * 2 <= hc->memo_cap) return 1;
    size_t cap = hc->memo_cap ? hc->memo_cap * 2 : 1024;
    memo_entry *t = rg_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < hc->memo_cap; i++) {
        if (!hc->memo[i].hash) continue;
        size_t j = hc->memo[i].hash & (cap - 1);
        while (t[j].hash) j = (j + 1) & (cap - 1);
        t[j] = hc->memo[i];
    }
    free(hc->memo);
    hc->memo = t;
    hc->memo_cap = cap;
    if (!hc->memo_arena) hc->memo_arena = rg_arena_new();
    return 1;
}

static const memo_entry *memo_add(rg_hyphen_cache *hc, const memo_key *k,
                                  const size_t *points, size_t n)
{
    if (!memo_room(hc)) return NULL;
    uint64_t h = memo_hash(k);
    size_t i = h & (hc->memo_cap - 1);
    while (hc->memo[i].hash) i = (i + 1) & (hc->memo_cap - 1);
    memo_entry *e = &hc->memo[i];
    e->hash = h;
    e->dict = k->dict;
    e->left = (unsigned char)k->left;
    e->right = (unsigned char)k->right;
    e->len = (unsigned char)k->len;
    e->npoints = (unsigned char)n;
    e->word = rg_arena_strndup(hc->memo_arena, k->word, k->len);
    e->points = rg_arena_alloc(hc->memo_arena, n ? n : 1);
    for (size_t p = 0; p < n; p++) e->points[p] = (unsigned char)points[p];
    hc->memo_used++;
    return e;
}

static size_t copy_points(const size_t *all, size_t n, size_t *points, size_t max)
{
    if (n > max) n = max;
    memcpy(points, all, n * sizeof *points);
    return n;
}

/* The points the patterns give for the lowercased code points cps (each
 * starting at byte starts[k] of the word), with our rules applied; at most
 * RG_HYPHEN_MAX_WORD, as byte offsets into points. */
static size_t pattern_points(const hyph_dict *hd, const long *cps, const size_t *starts,
                             size_t ncp, int left, int right, size_t *points)
{
    size_t max = RG_HYPHEN_MAX_WORD;
    char enc[RG_HYPHEN_MAX_WORD * 4 + 1];      /* a code point takes at most 4 bytes */
    size_t nenc = 0;
    for (size_t k = 0; k < ncp; k++)
        if (encode(hd->cs, cps[k], enc, &nenc) < 0) return 0;
    enc[nenc] = 0;

    /* hyphens[k] odd: a hyphen may follow character k (libhyphen indexes
     * bytes for 8-bit patterns and, after its own normalization, code
     * points for UTF-8 ones: both are code point indices here). */
    char hyphens[RG_HYPHEN_MAX_WORD * 4 + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    memset(hyphens, '0', sizeof hyphens);
    hnj_hyphen_hyphenate2(hd->pat.dict, enc, (int)nenc, hyphens, NULL, &rep, &pos, &cut);

    size_t n = 0;
    for (size_t k = 0; k + 1 < ncp && n < max; k++) {
        if (!(hyphens[k] & 1)) continue;
        /* Non-standard hyphenation (e.g. German "Schiff=fahrt") would change
         * the letters; we cannot render that, so it is no point at all. */
        if (rep && rep[k]) continue;
        /* characters before the hyphen: k + 1, after it: ncp - k - 1 */
        if ((int)(k + 1) < left || (int)(ncp - k - 1) < right) continue;
        /* Breaking at a hard hyphen is the line breaker's business (UAX 14),
         * not a hyphenation point: no second hyphen next to it. */
        if (cps[k] == '-' || cps[k + 1] == '-' || cps[k] == 0x2010 || cps[k + 1] == 0x2010)
            continue;
        points[n++] = starts[k + 1];
    }
    if (rep) {
        /* libhyphen allocated nenc entries; for UTF-8 patterns its
         * normalization copies entries down to code point indices without
         * clearing the old slot, so free each string once. */
        for (size_t k = 0; k < nenc; k++) {
            size_t j = 0;
            while (j < k && rep[j] != rep[k]) j++;
            if (j == k) free(rep[k]);
        }
        free(rep);
    }
    free(pos);
    free(cut);
    return n;
}

size_t rg_hyphenate(rg_ctx *ctx, const char *lang, const char *word, size_t len,
                    const rg_hyphen_opts *o, size_t *points, size_t max)
{
    /* The author's soft hyphens say it all, in any language and length. */
    if (has_soft_hyphen(word, len)) return soft_points(word, len, points, max);
    if (!lang || !*lang || len == 0 || len > RG_HYPHEN_MAX_WORD || max == 0) return 0;

    /* Code points, lowercased, with the byte offset each starts at. */
    long cps[RG_HYPHEN_MAX_WORD];
    size_t starts[RG_HYPHEN_MAX_WORD];
    size_t ncp = 0;
    for (size_t i = 0; i < len;) {
        starts[ncp] = i;
        long c = utf8_next((const unsigned char *)word, len, &i);
        if (c < 0 || is_digit(c) || c == '@') return 0;
        cps[ncp++] = to_lower(c);
    }
    int min_word = o ? o->min_word : 0, left = o ? o->left : 0, right = o ? o->right : 0;
    if ((int)ncp < min_word || ncp < 2) return 0;
    for (size_t k = 0; k + 2 < ncp; k++) {
        if (cps[k] == ':' && cps[k + 1] == '/' && cps[k + 2] == '/') return 0;
        if (k + 3 < ncp && cps[k] == 'w' && cps[k + 1] == 'w' && cps[k + 2] == 'w' &&
            cps[k + 3] == '.')
            return 0;
    }

    hyph_dict *hd = dict_for(ctx, lang);
    if (!hd) return 0;
    memo_key key = { (unsigned)(hd - ctx->hyphens->dicts), left, right, word, len };
    const memo_entry *m = memo_find(ctx->hyphens, &key);
    if (!m) {
        size_t all[RG_HYPHEN_MAX_WORD];
        size_t n = pattern_points(hd, cps, starts, ncp, left, right, all);
        m = memo_add(ctx->hyphens, &key, all, n);
        if (!m) return copy_points(all, n, points, max);    /* memo full */
    }
    size_t n = m->npoints < max ? m->npoints : max;
    for (size_t k = 0; k < n; k++) points[k] = m->points[k];
    return n;
}
