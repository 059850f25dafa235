/* fonts-hb.h - the HarfBuzz side of a loaded font, for the text stage only
 * (the stages that own HarfBuzz: fonts and text). */
#ifndef RG_FONTS_HB_H
#define RG_FONTS_HB_H

#include <hb.h>
#include <hb-ot.h>

#include "fonts.h"

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
