/* fonts/fonts.c - finding and loading faces (see fonts.h). Stage: fonts; owns
 * fontconfig and the HarfBuzz blob/face/font of each face. The drop-in
 * folders are scanned with HarfBuzz (family name and OS/2 style bits);
 * then the memo of fontconfig's earlier answers (fonts/memo.h) is asked, so
 * fontconfig is only initialised when a family is in neither or the memo
 * is stale. */
#include "fonts.h"
#include "memo.h"
#include "faces.h"

#include <hb.h>
#include <hb-ot.h>

#include <dirent.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_DIRS = 8 };

struct rg_font {
    char *family, *path, *psname;
    unsigned index, upem, nglyphs;
    int bold, italic, id;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    rg_font_metrics metrics;
    atomic_int spaces;             /* SPACES_*: rg_font_space_is_plain, found on first use */
    rg_fontcache *cache;           /* the cache that loaded it (its facts keep spaces) */
    char status[RG_FACE_STATUS_MAX];   /* its file's when loaded (rg_face_status) */
    int has_status;
    /* nominal advances by glyph id, plus one (0: not asked for yet); filled
     * on first use with relaxed atomics, as batch threads share the font */
    atomic_int *advances;
};

enum { SPACES_UNKNOWN, SPACES_PLAIN, SPACES_SHAPED };

/* one face found in a drop-in folder */
typedef struct dropin_face {
    char *family, *path;
    int bold, italic;
} dropin_face;

struct rg_fontcache {
    char *dirs[MAX_DIRS];
    int ndirs;
    int scanned;
    dropin_face *dropins;
    size_t ndropins, dropins_cap;
    FcConfig *fc;
    pthread_t warm;                /* reading fontconfig's configuration (rg_fonts_prepare) */
    int warming;                   /* warm is running or not joined yet */
    FcConfig *warm_result;         /* written by that thread only, read after the join */
    rg_font_memo *memo;            /* fontconfig's answers from earlier runs and this one */
    char *memo_path;
    int memo_read;                 /* memo_path was looked at */
    int memo_answers, fc_answers;  /* lookups answered by the memo, by fontconfig */
    rg_face_facts *faces;          /* facts about faces from earlier runs and this one */
    char *faces_path;              /* (read the first time a fact is asked for) */
    rg_font **fonts;
    size_t nfonts, fonts_cap;
    pthread_mutex_t lock;          /* the cache may serve several threads (batch) */
};

static void fontcache_free(rg_fontcache *fc);

/* What the fonts stage keeps in a context, freed with it (rg_ctx_on_free):
 * its own cache (not one borrowed from another context) and the fallback
 * chain's names. */
static void release_ctx(void *data)
{
    rg_ctx *ctx = data;
    if (!ctx->fonts_borrowed) fontcache_free(ctx->fonts);
    ctx->fonts = NULL;
    for (int i = 0; i < ctx->nfallback; i++) free(ctx->fallback[i]);
    ctx->nfallback = 0;
}

static rg_fontcache *cache(rg_ctx *ctx)
{
    if (!ctx->fonts) {
        ctx->fonts = rg_xcalloc(1, sizeof *ctx->fonts);
        pthread_mutex_init(&ctx->fonts->lock, NULL);
        rg_ctx_on_free(ctx, release_ctx, ctx);
    }
    return ctx->fonts;
}

void rg_fonts_share(rg_ctx *owner, rg_ctx *user)
{
    if (!user->fonts_borrowed) fontcache_free(user->fonts);
    user->fonts = cache(owner);
    user->fonts_borrowed = 1;
}

static void font_free(rg_font *f)
{
    if (!f) return;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->advances);
    free(f->family);
    free(f->path);
    free(f->psname);
    free(f);
}

static void fontcache_free(rg_fontcache *fc)
{
    if (!fc) return;
    for (size_t i = 0; i < fc->nfonts; i++) font_free(fc->fonts[i]);
    free(fc->fonts);
    for (size_t i = 0; i < fc->ndropins; i++) {
        free(fc->dropins[i].family);
        free(fc->dropins[i].path);
    }
    free(fc->dropins);
    for (int i = 0; i < fc->ndirs; i++) free(fc->dirs[i]);
    if (fc->warming) {
        pthread_join(fc->warm, NULL);
        if (fc->warm_result) FcConfigDestroy(fc->warm_result);
    }
    if (fc->fc && rg_font_memo_changed(fc->memo))
        rg_font_memo_save(fc->memo, fc->fc, fc->memo_path);   /* best effort: a cache */
    rg_font_memo_free(fc->memo);
    free(fc->memo_path);
    if (rg_face_facts_changed(fc->faces))
        rg_face_facts_save(fc->faces, fc->faces_path);        /* best effort: a cache */
    rg_face_facts_free(fc->faces);
    free(fc->faces_path);
    if (fc->fc) FcConfigDestroy(fc->fc);
    pthread_mutex_destroy(&fc->lock);
    free(fc);
}

void rg_fonts_add_dir(rg_ctx *ctx, const char *dir)
{
    rg_fontcache *fc = cache(ctx);
    pthread_mutex_lock(&fc->lock);
    int known = 0;
    for (int i = 0; i < fc->ndirs; i++) known |= !strcmp(fc->dirs[i], dir);
    if (!known && fc->ndirs < MAX_DIRS) {
        fc->dirs[fc->ndirs++] = rg_xstrdup(dir);
        fc->scanned = 0;
    }
    pthread_mutex_unlock(&fc->lock);
}

static void *warm_main(void *arg)
{
    rg_fontcache *fc = arg;
    fc->warm_result = FcInitLoadConfigAndFonts();
    return NULL;
}

/* The memo of fontconfig's answers, read the first time (NULL when there
 * is none or it is stale). Called with fc->lock held. */
static rg_font_memo *memo_of(rg_fontcache *fc)
{
    if (!fc->memo_read) {
        fc->memo_read = 1;
        fc->memo_path = rg_font_memo_path();
        fc->memo = rg_font_memo_load(fc->memo_path);
    }
    return fc->memo;
}

void rg_fonts_prepare(rg_ctx *ctx)
{
    rg_fontcache *fc = cache(ctx);
    pthread_mutex_lock(&fc->lock);
    /* a memo that holds answers makes reading the configuration unlikely to
     * be needed: it is then read only when a lookup misses */
    if (!memo_of(fc) && !fc->fc && !fc->warming &&
        pthread_create(&fc->warm, NULL, warm_main, fc) == 0)
        fc->warming = 1;
    pthread_mutex_unlock(&fc->lock);
}

void rg_fonts_counts(rg_ctx *ctx, int *memo, int *fontconfig)
{
    rg_fontcache *fc = cache(ctx);
    pthread_mutex_lock(&fc->lock);
    *memo = fc->memo_answers;
    *fontconfig = fc->fc_answers;
    pthread_mutex_unlock(&fc->lock);
}

/* fontconfig's configuration: the one rg_fonts_prepare started reading,
 * else read now. NULL when fontconfig fails. Called with fc->lock held. */
static FcConfig *fc_config(rg_fontcache *fc)
{
    if (!fc->fc && fc->warming) {
        pthread_join(fc->warm, NULL);
        fc->warming = 0;
        fc->fc = fc->warm_result;
        fc->warm_result = NULL;
    }
    if (!fc->fc) fc->fc = FcInitLoadConfigAndFonts();
    return fc->fc;
}

/* ---- reading names and style bits with HarfBuzz ---- */

static char *face_name(hb_face_t *face, hb_ot_name_id_t id)
{
    char buf[256];
    unsigned len = sizeof buf;
    hb_language_t en = hb_language_from_string("en", -1);
    if (hb_ot_name_get_utf8(face, id, en, &len, buf) == 0) {
        len = sizeof buf;
        if (hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &len, buf) == 0) return NULL;
    }
    return rg_xstrdup(buf);
}

static unsigned be16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }

/* OS/2 fsSelection: bit 0 italic, bit 5 bold; weight class at offset 4 */
static void face_style(hb_face_t *face, int *bold, int *italic, int *weight)
{
    hb_blob_t *os2 = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
    unsigned len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(os2, &len);
    *bold = *italic = 0;
    *weight = 400;
    if (len >= 64) {
        unsigned sel = be16(d + 62);
        *weight = (int)be16(d + 4);
        *italic = (sel & 1) != 0;
        *bold = (sel & 32) != 0 || *weight >= 600;
    }
    hb_blob_destroy(os2);
}

/* The largest font file read (a CJK collection is some 20-120 MB): a
 * bound checked before reading, so that a wrong path (/dev/zero, a FIFO,
 * a huge file) costs nothing. */
#define MAX_FONT_BYTES ((size_t)256 << 20)

static void unmap_blob(void *data)
{
    uintptr_t *m = data;               /* { address, length } */
    munmap((void *)m[0], (size_t)m[1]);
    free(m);
}

/* A blob of a font file's bytes, mapped read-only; the file is opened
 * without blocking and must be a regular file of at most MAX_FONT_BYTES
 * (rg_open_regular). NULL with the reason in why. */
static hb_blob_t *blob_from_file(const char *path, char *why, size_t whylen)
{
    size_t size;
    rg_status st;
    int fd = rg_open_regular(path, MAX_FONT_BYTES, &size, NULL, &st, why, whylen);
    if (fd < 0) return NULL;
    if (size == 0) {
        snprintf(why, whylen, "empty file");
        close(fd);
        return NULL;
    }
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        snprintf(why, whylen, "cannot map the file");
        return NULL;
    }
    uintptr_t *m = rg_xmalloc(2 * sizeof *m);
    m[0] = (uintptr_t)p;
    m[1] = (uintptr_t)size;
    hb_blob_t *blob = hb_blob_create_or_fail(p, (unsigned)size, HB_MEMORY_MODE_READONLY, m,
                                             unmap_blob);
    if (!blob) {
        unmap_blob(m);
        snprintf(why, whylen, "out of memory");
    }
    return blob;
}

static int has_font_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && (!strcasecmp(name + n - 4, ".ttf") || !strcasecmp(name + n - 4, ".otf"));
}

/* Finds the faces in a drop-in folder; a file with a font's name that is
 * not a regular file (a FIFO, a device) or is too large is skipped with a
 * warning. */
static void scan_dir(rg_ctx *ctx, rg_fontcache *fc, const char *dir)
{
    /* sorted order keeps the choice deterministic when two files match */
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (has_font_suffix(list[i]->d_name)) {
            size_t plen = strlen(dir) + strlen(list[i]->d_name) + 2;
            char *path = rg_xmalloc(plen);
            snprintf(path, plen, "%s/%s", dir, list[i]->d_name);
            char why[160];
            hb_blob_t *blob = blob_from_file(path, why, sizeof why);
            if (!blob) rg_diag(ctx, RG_SEV_WARNING, path, 0, 0, "font skipped: %s", why);
            hb_face_t *face = blob ? hb_face_create(blob, 0) : NULL;
            char *fam = face ? face_name(face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY) : NULL;
            if (!fam && face) fam = face_name(face, HB_OT_NAME_ID_FONT_FAMILY);
            if (fam) {
                rg_grow(&fc->dropins, &fc->dropins_cap, fc->ndropins + 1, sizeof *fc->dropins);
                dropin_face *df = &fc->dropins[fc->ndropins++];
                int weight;
                face_style(face, &df->bold, &df->italic, &weight);
                df->family = fam;
                df->path = path;
                path = NULL;
            }
            free(path);
            hb_face_destroy(face);
            hb_blob_destroy(blob);
        }
        free(list[i]);
    }
    free(list);
}

static const dropin_face *find_dropin(rg_ctx *ctx, rg_fontcache *fc, const char *family,
                                      int bold, int italic, int exact_style)
{
    if (!fc->scanned) {
        for (int i = 0; i < fc->ndirs; i++) scan_dir(ctx, fc, fc->dirs[i]);
        fc->scanned = 1;
    }
    for (size_t i = 0; i < fc->ndropins; i++) {
        const dropin_face *df = &fc->dropins[i];
        if (strcasecmp(df->family, family)) continue;
        if (!exact_style || (df->bold == bold && df->italic == italic)) return df;
    }
    return NULL;
}

/* ---- fontconfig ---- */

/* fontconfig's style values of a listed or matched face (regular, roman,
 * normal width and index 0 when absent). */
static void face_values(FcPattern *p, int *weight, int *slant, int *width, int *index)
{
    *weight = FC_WEIGHT_REGULAR;
    *slant = FC_SLANT_ROMAN;
    *width = FC_WIDTH_NORMAL;
    *index = 0;
    FcPatternGetInteger(p, FC_WEIGHT, 0, weight);
    FcPatternGetInteger(p, FC_SLANT, 0, slant);
    FcPatternGetInteger(p, FC_WIDTH, 0, width);
    FcPatternGetInteger(p, FC_INDEX, 0, index);
}

static int has_family(FcPattern *p, const char *family)
{
    FcChar8 *fam;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &fam) == FcResultMatch; i++)
        if (!strcasecmp((const char *)fam, family)) return 1;
    return 0;
}

/* TrueType and CFF faces only: HarfBuzz and hb-subset read no Type 1. */
static int usable_format(FcPattern *p)
{
    FcChar8 *fmt;
    if (FcPatternGetString(p, FC_FONTFORMAT, 0, &fmt) != FcResultMatch) return 1;
    return !strcmp((const char *)fmt, "TrueType") || !strcmp((const char *)fmt, "CFF");
}

/* How far face p is from the style asked for, as a sort key (smaller is
 * better): the right slant first, then normal width, nearest weight,
 * nearest slant; ties go to the smaller file name and index, so the choice
 * does not depend on the order fontconfig lists faces in. */
static int style_cmp(FcPattern *a, FcPattern *b, int bold, int italic)
{
    int want_w = bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR;
    int want_s = italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN;
    int k[2][5];
    FcPattern *p[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        int w, s, wd, idx;
        face_values(p[i], &w, &s, &wd, &idx);
        k[i][0] = (s != FC_SLANT_ROMAN) != (italic != 0);
        k[i][1] = abs(wd - FC_WIDTH_NORMAL);
        k[i][2] = abs(w - want_w);
        k[i][3] = abs(s - want_s);
        k[i][4] = idx;
    }
    for (int j = 0; j < 4; j++)
        if (k[0][j] != k[1][j]) return k[0][j] < k[1][j] ? -1 : 1;
    FcChar8 *fa = NULL, *fb = NULL;
    FcPatternGetString(a, FC_FILE, 0, &fa);
    FcPatternGetString(b, FC_FILE, 0, &fb);
    int c = strcmp(fa ? (const char *)fa : "", fb ? (const char *)fb : "");
    return c ? c : (k[0][4] > k[1][4]) - (k[0][4] < k[1][4]);
}

/* The face for family and style, with its values, as a malloc'ed path. */
static char *face_path(FcPattern *m, int bold, int italic, unsigned *index, int *style_ok)
{
    FcChar8 *file;
    if (FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch) return NULL;
    int weight, slant, width, idx;
    face_values(m, &weight, &slant, &width, &idx);
    *index = (unsigned)idx;
    *style_ok = ((weight >= FC_WEIGHT_DEMIBOLD) == (bold != 0)) &&
                ((slant != FC_SLANT_ROMAN) == (italic != 0));
    return rg_xstrdup((const char *)file);
}

/* Looks family up by its exact name among the listed faces: no
 * substitution rules, so about a tenth of FcFontMatch's cost (2 M
 * instructions a call), and the same face on every family installed here
 * (checked against fc-match for all 210 families in 4 styles; it differs
 * only where fc-match picks a Type 1 file, which HarfBuzz cannot read).
 * NULL when no usable face has that name (aliases such as "sans-serif"
 * need FcFontMatch). */
static char *fc_list_lookup(FcConfig *cfg, const char *family, int bold, int italic,
                            unsigned *index, int *style_ok)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_FILE, FC_INDEX, FC_WEIGHT, FC_SLANT,
                                       FC_WIDTH, FC_FONTFORMAT, (char *)NULL);
    FcFontSet *fs = os ? FcFontList(cfg, pat, os) : NULL;
    FcPatternDestroy(pat);
    if (os) FcObjectSetDestroy(os);
    if (!fs) return NULL;
    FcPattern *best = NULL;
    for (int i = 0; i < fs->nfont; i++) {
        FcPattern *p = fs->fonts[i];
        if (!has_family(p, family) || !usable_format(p)) continue;
        if (!best || style_cmp(p, best, bold, italic) < 0) best = p;
    }
    char *path = best ? face_path(best, bold, italic, index, style_ok) : NULL;
    FcFontSetDestroy(fs);
    return path;
}

/* Asks fontconfig itself (see fc_lookup). */
static char *fc_ask(rg_fontcache *fc, const char *family, int bold, int italic,
                    unsigned *index, int *style_ok)
{
    if (!fc_config(fc)) return NULL;
    char *path = fc_list_lookup(fc->fc, family, bold, italic, index, style_ok);
    if (path) return path;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(fc->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(fc->fc, pat, &res);
    FcPatternDestroy(pat);
    if (m && has_family(m, family)) path = face_path(m, bold, italic, index, style_ok);
    if (m) FcPatternDestroy(m);
    return path;
}

/* Finds family via fontconfig, or what it answered before (the memo)
 * unless skip_memo; *style_ok tells whether weight and slant matched.
 * Returns a malloc'ed path, or NULL when the family is unknown. */
static char *fc_lookup(rg_fontcache *fc, const char *family, int bold, int italic,
                       unsigned *index, int *style_ok, int skip_memo)
{
    const char *known;
    if (!skip_memo && rg_font_memo_get(memo_of(fc), family, bold, italic, &known, index,
                                       style_ok)) {
        fc->memo_answers++;
        return known ? rg_xstrdup(known) : NULL;
    }
    char *path = fc_ask(fc, family, bold, italic, index, style_ok);
    if (fc->fc) {                  /* fontconfig answered (a family it does not know too) */
        fc->fc_answers++;
        if (!fc->memo) fc->memo = rg_font_memo_new();
        rg_font_memo_put(fc->memo, family, bold, italic, path, *index, *style_ok);
    }
    return path;
}

/* ---- loading a face ---- */

static void read_metrics(rg_font *f)
{
    rg_font_metrics *m = &f->metrics;
    hb_position_t v;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v)) m->ascender = v;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v)) m->descender = v;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v)) m->cap_height = v;
    else m->cap_height = m->ascender * 7 / 10;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_X_HEIGHT, &v)) m->x_height = v;
    else m->x_height = m->ascender / 2;

    hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &len);
    if (len >= 44)
        for (int i = 0; i < 4; i++) m->bbox[i] = (int16_t)be16(h + 36 + 2 * i);
    hb_blob_destroy(head);

    hb_blob_t *post = hb_face_reference_table(f->face, HB_TAG('p', 'o', 's', 't'));
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(post, &len);
    if (len >= 16) {
        int32_t fixed = (int32_t)((uint32_t)be16(p + 4) << 16 | be16(p + 6));
        m->italic_angle = fixed / 65536.0;
        m->underline_position = (int16_t)be16(p + 8);
        m->underline_thickness = (int16_t)be16(p + 10);
        m->fixed_pitch = (p[12] | p[13] | p[14] | p[15]) != 0;
    }
    hb_blob_destroy(post);
    int b, i;
    face_style(f->face, &b, &i, &m->weight);
}

/* Loads the face index of the font file at path; NULL with the reason in
 * why when it is no usable font. */
static rg_font *font_load(rg_fontcache *fc, const char *family, const char *path,
                          unsigned index, int bold, int italic, char *why, size_t whylen)
{
    hb_blob_t *blob = blob_from_file(path, why, whylen);
    if (!blob) return NULL;
    snprintf(why, whylen, "not a font HarfBuzz can read");
    rg_font *f = rg_xcalloc(1, sizeof *f);
    f->blob = blob;
    f->face = hb_face_create(blob, index);
    f->upem = hb_face_get_upem(f->face);
    f->nglyphs = hb_face_get_glyph_count(f->face);
    f->advances = rg_xcalloc(f->nglyphs ? f->nglyphs : 1, sizeof *f->advances);
    if (f->nglyphs == 0 || f->upem == 0) {
        font_free(f);
        return NULL;
    }
    f->font = hb_font_create(f->face);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    atomic_init(&f->spaces, SPACES_UNKNOWN);
    f->cache = fc;
    f->has_status = rg_face_status(path, f->status, sizeof f->status) == 0;
    f->family = rg_xstrdup(family);
    f->path = rg_xstrdup(path);
    f->index = index;
    f->bold = bold;
    f->italic = italic;
    f->psname = face_name(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
    if (!f->psname) f->psname = rg_xstrdup("Font");
    for (char *s = f->psname; *s; s++)          /* PDF name safety */
        if (*s <= ' ' || *s > '~' || strchr("()<>[]{}/%#", *s)) *s = '-';
    read_metrics(f);
    f->id = (int)fc->nfonts;
    rg_grow(&fc->fonts, &fc->fonts_cap, fc->nfonts + 1, sizeof *fc->fonts);
    fc->fonts[fc->nfonts++] = f;
    return f;
}

static rg_status find_font(rg_ctx *ctx, const char *family, int bold, int italic, int quiet,
                           rg_font **out)
{
    rg_fontcache *fc = cache(ctx);
    *out = NULL;
    for (size_t i = 0; i < fc->nfonts; i++) {
        rg_font *f = fc->fonts[i];
        if (!strcasecmp(f->family, family) && f->bold == bold && f->italic == italic) {
            *out = f;
            return RG_OK;
        }
    }
    if (ctx->fonts_lookup_only) {  /* a helper thread: loading is the build thread's */
        ctx->fonts_declined = 1;
        return RG_EX_UNAVAILABLE;
    }
    unsigned index = 0;
    int style_ok = 1, skip_memo = 0;
    char *path = NULL;
    const dropin_face *df;
again:
    df = find_dropin(ctx, fc, family, bold, italic, 1);
    if (df) {
        path = rg_xstrdup(df->path);
    } else {
        path = fc_lookup(fc, family, bold, italic, &index, &style_ok, skip_memo);
        if (!path && (df = find_dropin(ctx, fc, family, bold, italic, 0))) {
            path = rg_xstrdup(df->path);
            style_ok = 0;
        }
    }
    if (!path) {
        if (quiet) return RG_EX_UNAVAILABLE;
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "font family '%s' not found (looked in the fonts folder and fontconfig)",
                family);
        return RG_EX_UNAVAILABLE;
    }
    if (!style_ok)
        rg_diag(ctx, RG_SEV_WARNING, NULL, 0, 0,
                "font family '%s' has no %s%s face; using %s", family,
                bold ? "bold" : "", italic ? (bold ? " italic" : "italic") : "", path);
    char why[160];
    rg_font *f = font_load(fc, family, path, index, bold, italic, why, sizeof why);
    if (!f && !skip_memo && !df) {
        /* a remembered file that will not load: ask fontconfig now */
        free(path);
        skip_memo = 1;
        goto again;
    }
    if (!f) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot load font for family '%s': %s", family,
                why);
        free(path);
        return RG_EX_UNAVAILABLE;
    }
    free(path);
    *out = f;
    return RG_OK;
}

static rg_status find_font_locked(rg_ctx *ctx, const char *family, int bold, int italic,
                                  int quiet, rg_font **out)
{
    rg_fontcache *fc = cache(ctx);
    pthread_mutex_lock(&fc->lock);
    rg_status st = find_font(ctx, family, bold, italic, quiet, out);
    pthread_mutex_unlock(&fc->lock);
    return st;
}

rg_status rg_font_find(rg_ctx *ctx, const char *family, int bold, int italic,
                       rg_font **out)
{
    return find_font_locked(ctx, family, bold, italic, 0, out);
}

/* ---- accessors ---- */

hb_font_t *rg_font_hb(const rg_font *f) { return f->font; }
unsigned rg_font_upem(const rg_font *f) { return f->upem; }
unsigned rg_font_glyph_count(const rg_font *f) { return f->nglyphs; }
void rg_font_get_metrics(const rg_font *f, rg_font_metrics *out) { *out = f->metrics; }
unsigned rg_font_face_index(const rg_font *f) { return f->index; }
const char *rg_font_psname(const rg_font *f) { return f->psname; }
const char *rg_font_family(const rg_font *f) { return f->family; }
const char *rg_font_path(const rg_font *f) { return f->path; }
int rg_font_is_bold(const rg_font *f) { return f->bold; }
int rg_font_is_italic(const rg_font *f) { return f->italic; }
int rg_font_id(const rg_font *f) { return f->id; }

int32_t rg_font_advance(const rg_font *f, uint32_t gid)
{
    if (gid >= f->nglyphs) return 0;
    int a = atomic_load_explicit(&f->advances[gid], memory_order_relaxed);
    if (a) return a - 1;
    int32_t adv = hb_font_get_glyph_h_advance(f->font, gid);
    if (adv >= 0 && adv < INT32_MAX)
        atomic_store_explicit(&f->advances[gid], adv + 1, memory_order_relaxed);
    return adv;
}

int rg_font_glyph_ink(const rg_font *f, uint32_t gid, int32_t box[4])
{
    hb_glyph_extents_t e;
    box[0] = box[1] = box[2] = box[3] = 0;
    if (gid >= f->nglyphs || !hb_font_get_glyph_extents(f->font, gid, &e)) return 0;
    if (e.width == 0 || e.height == 0) return 0;
    int32_t xa = e.x_bearing, xb = e.x_bearing + e.width;
    int32_t ya = e.y_bearing + e.height, yb = e.y_bearing;      /* height is negative */
    box[0] = xa < xb ? xa : xb;
    box[2] = xa < xb ? xb : xa;
    box[1] = ya < yb ? ya : yb;
    box[3] = ya < yb ? yb : ya;
    return 1;
}

const unsigned char *rg_font_data(const rg_font *f, size_t *len)
{
    unsigned n;
    const char *d = hb_blob_get_data(f->blob, &n);
    *len = n;
    return (const unsigned char *)d;
}

int rg_font_has_codepoint(const rg_font *f, uint32_t cp)
{
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(f->font, cp, &g);
}

/* ---- the space glyph and shaping ---- */

static int has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    int yes = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return yes;
}

/* 1 when table (GSUB or GPOS) of the face lists feature tag. */
static int has_feature(hb_face_t *face, hb_tag_t table, hb_tag_t tag)
{
    hb_tag_t tags[64];
    unsigned start = 0, n;
    do {
        n = sizeof tags / sizeof *tags;
        hb_ot_layout_table_get_feature_tags(face, table, start, &n, tags);
        for (unsigned i = 0; i < n; i++)
            if (tags[i] == tag) return 1;
        start += n;
    } while (n == sizeof tags / sizeof *tags);
    return 0;
}

/* 1 unless shaping certainly leaves the space glyph alone. A lookup "takes
 * part" when the glyph is in any of its sets (before, input, after,
 * output), as Blink's HasSpaceInLigaturesOrKerning asks. AAT tables and
 * the legacy 'kern' table are not looked into, so a face with one counts
 * as interacting (Noto has none; DejaVu's space is in a GSUB lookup
 * anyway); so does a face with 'rand' alternates, whose choice depends on
 * the glyphs before in the same buffer. */
static int space_interacts(const rg_font *f)
{
    hb_codepoint_t space;
    if (!hb_font_get_nominal_glyph(f->font, ' ', &space)) return 1;
    if (has_table(f->face, HB_TAG('m', 'o', 'r', 'x')) ||
        has_table(f->face, HB_TAG('k', 'e', 'r', 'x')) ||
        has_table(f->face, HB_TAG('k', 'e', 'r', 'n')) ||
        has_feature(f->face, HB_OT_TAG_GSUB, HB_TAG('r', 'a', 'n', 'd')))
        return 1;
    static const hb_tag_t tables[] = { HB_OT_TAG_GSUB, HB_OT_TAG_GPOS };
    hb_set_t *set = hb_set_create();
    int hit = 0;
    for (int t = 0; t < 2 && !hit; t++) {
        unsigned n = hb_ot_layout_table_get_lookup_count(f->face, tables[t]);
        for (unsigned i = 0; i < n && !hit; i++) {
            hb_ot_layout_lookup_collect_glyphs(f->face, tables[t], i, set, set, set, set);
            hit = hb_set_has(set, space);
        }
    }
    if (!hb_set_allocation_successful(set)) hit = 1;
    hb_set_destroy(set);
    return hit;
}

/* SPACES_PLAIN or SPACES_SHAPED for f: from the facts of earlier runs
 * while f's file is unchanged, else found (space_interacts) and added. */
static int space_from_facts(rg_font *f)
{
    rg_fontcache *fc = f->cache;
    const char *status = f->has_status ? f->status : NULL;
    pthread_mutex_lock(&fc->lock);
    if (!fc->faces) {
        fc->faces_path = rg_face_facts_path();
        fc->faces = rg_face_facts_load(fc->faces_path);
    }
    int plain = rg_face_facts_space_plain(fc->faces, f->path, f->index, status);
    pthread_mutex_unlock(&fc->lock);
    if (plain < 0) {
        plain = !space_interacts(f);
        pthread_mutex_lock(&fc->lock);
        rg_face_facts_put_space_plain(fc->faces, f->path, f->index, status, plain);
        pthread_mutex_unlock(&fc->lock);
    }
    return plain ? SPACES_PLAIN : SPACES_SHAPED;
}

int rg_font_space_is_plain(const rg_font *f)
{
    /* fonts are shared between batch threads: the flag is atomic, and two
     * threads that both find it unknown compute the same answer */
    rg_font *m = (rg_font *)f;
    int s = atomic_load_explicit(&m->spaces, memory_order_relaxed);
    if (s == SPACES_UNKNOWN) {
        s = space_from_facts(m);
        atomic_store_explicit(&m->spaces, s, memory_order_relaxed);
    }
    return s == SPACES_PLAIN;
}

/* ---- fallback chain ---- */

void rg_fonts_set_fallback(rg_ctx *ctx, const char *const *families, int n)
{
    rg_ctx_on_free(ctx, release_ctx, ctx);
    for (int i = 0; i < ctx->nfallback; i++) free(ctx->fallback[i]);
    ctx->nfallback = 0;
    for (int i = 0; i < n && i < RG_FONTS_MAX_FALLBACK; i++) {
        ctx->fallback[ctx->nfallback] = rg_xstrdup(families[i]);
        ctx->fallback_missing[ctx->nfallback++] = 0;
    }
}

const rg_font *rg_font_fallback(rg_ctx *ctx, const rg_font *primary, uint32_t cp)
{
    for (int i = 0; i < ctx->nfallback; i++) {
        if (ctx->fallback_missing[i] || !strcasecmp(ctx->fallback[i], primary->family)) continue;
        rg_font *f = NULL;
        if (find_font_locked(ctx, ctx->fallback[i], primary->bold, primary->italic, 1, &f) !=
            RG_OK) {
            /* a missing fallback family is a warning, once; the chain goes on */
            rg_diag(ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "fallback font family '%s' not found; skipped", ctx->fallback[i]);
            ctx->fallback_missing[i] = 1;
            continue;
        }
        if (rg_font_has_codepoint(f, cp)) return f;
    }
    return NULL;
}
