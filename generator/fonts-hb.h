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

#endif
