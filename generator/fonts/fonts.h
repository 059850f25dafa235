/* fonts/fonts.h - finding and loading font faces. Stage: fonts (owns fontconfig
 * and the HarfBuzz face/font objects). A family is looked up first in the
 * drop-in folders (the project's fonts/), then through fontconfig (or its
 * answers from earlier runs, fonts/memo.h). Faces are
 * loaded once per process and cached in ctx->fonts; rg_font pointers stay
 * valid until rg_ctx_free. This header has no third-party types: the pdf
 * stage reads font bytes and metrics through it (embedding them is
 * pdf/font.c's). Implementation: fonts/fonts.c, fonts/memo.c. */
#ifndef RG_FONTS_H
#define RG_FONTS_H

#include "base/base.h"

typedef struct rg_font rg_font;

/* Adds a folder searched before fontconfig (files *.ttf / *.otf, matched by
 * their family and style names). Missing folders are ignored. */
void rg_fonts_add_dir(rg_ctx *ctx, const char *dir);

/* Reads the memo of fontconfig's answers from earlier runs (fonts/memo.h);
 * when there is none or it is stale, starts reading fontconfig's
 * configuration and font list (~28 M instructions, a quarter of a small
 * report) in a background thread, so it overlaps with loading the
 * definition; the first lookup fontconfig must answer waits for it.
 * Optional: without it, or when no thread can be started, that lookup
 * reads it itself. Cannot fail. */
void rg_fonts_prepare(rg_ctx *ctx);

/* How many font lookups of ctx the memo of fontconfig's earlier answers
 * served and how many fontconfig did (--stage-times prints them). */
void rg_fonts_counts(rg_ctx *ctx, int *memo, int *fontconfig);

/* Lets user (another context, e.g. a batch worker) use owner's faces: the
 * cache is shared and locked, so faces are found and parsed once per
 * process. owner must outlive user; user's own cache, if any, is freed. */
void rg_fonts_share(rg_ctx *owner, rg_ctx *user);

/* Finds family in the given style, loading it once. Returns RG_OK, or
 * RG_EX_UNAVAILABLE after a diagnostic naming the family when neither a
 * drop-in folder nor fontconfig has a face whose family matches exactly
 * (fontconfig's nearest substitute is not accepted). A missing bold/italic
 * face of an existing family falls back to the regular face with a warning. */
rg_status rg_font_find(rg_ctx *ctx, const char *family, int bold, int italic,
                       rg_font **out);

typedef struct rg_font_metrics {
    int ascender, descender;       /* font units; descender negative */
    int cap_height, x_height;
    int bbox[4];                   /* xMin yMin xMax yMax from 'head' */
    double italic_angle;           /* degrees, from 'post' */
    int underline_position;        /* font units, from 'post': the top of an underline,
                                    * negative below the baseline; 0 when the font has none */
    int underline_thickness;       /* font units, from 'post'; 0 when the font has none */
    int fixed_pitch;
    int weight;                    /* OS/2 usWeightClass */
} rg_font_metrics;

unsigned rg_font_upem(const rg_font *f);
unsigned rg_font_glyph_count(const rg_font *f);
/* Nominal horizontal advance of a glyph, font units (0 for bad gids). */
int32_t rg_font_advance(const rg_font *f, uint32_t gid);
/* The ink box of glyph gid in font units, relative to its origin: x0 y0
 * bottom-left, x1 y1 top-right (y up). 0 and an empty box for a glyph
 * without ink (a space) or an unknown gid; 1 otherwise. */
int rg_font_glyph_ink(const rg_font *f, uint32_t gid, int32_t box[4]);
void rg_font_get_metrics(const rg_font *f, rg_font_metrics *out);
/* The whole font file as loaded (owned by the font). */
const unsigned char *rg_font_data(const rg_font *f, size_t *len);
unsigned rg_font_face_index(const rg_font *f);   /* index in a collection */
const char *rg_font_psname(const rg_font *f);    /* PostScript name, never NULL */
const char *rg_font_family(const rg_font *f);    /* the family asked for */
const char *rg_font_path(const rg_font *f);
int rg_font_is_bold(const rg_font *f);
int rg_font_is_italic(const rg_font *f);
/* Small stable number per loaded face (load order), for dumps. */
int rg_font_id(const rg_font *f);
/* 1 when the face maps the code point to a glyph. */
int rg_font_has_codepoint(const rg_font *f, uint32_t cp);

enum { RG_FONTS_MAX_FALLBACK = 4 };   /* = the size of rg_ctx.fallback */

/* Sets the families tried, in order, for characters a face lacks (the
 * layout's fallback chain). Copies the names. */
void rg_fonts_set_fallback(rg_ctx *ctx, const char *const *families, int n);

/* The first face of the fallback chain, in primary's bold/italic style,
 * that has cp, loading faces lazily; NULL when none has it. A family of the
 * chain that cannot be found is skipped (its diagnostic is kept). */
const rg_font *rg_font_fallback(rg_ctx *ctx, const rg_font *primary, uint32_t cp);

/* ---- the HarfBuzz side of a loaded font, for the stages that own HarfBuzz
 * (text shaping, the pdf font writer). hb_font_t is declared, not included:
 * the stages that call these include <hb.h> themselves. ---- */
typedef struct hb_font_t hb_font_t;

/* The font's HarfBuzz font, scale = upem (positions come in font units).
 * Owned by the font. */
hb_font_t *rg_font_hb(const rg_font *f);

/* 1 when the face's space glyph (U+0020) takes part in no GSUB or GPOS
 * lookup - no ligature, kerning pair or context across it - so text may be
 * shaped word by word with the same result as whole; 0 when it may (or
 * the face has no space glyph, has 'rand' alternates, or shapes with
 * tables not looked into: morx, kerx, kern). Found on first call and kept
 * in the font; safe from several threads. Cannot fail. */
int rg_font_space_is_plain(const rg_font *f);

#endif
