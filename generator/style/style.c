/* style/style.c - lifetime of the house style, and what colours mean to a
 * reader: WCAG relative luminance and contrast, and the chart palette used
 * when a layout names none. Stage: style. The rg_style and every string it
 * points to live in the style's arena. */
#include "style.h"

#include <math.h>

#define HEX(v) { ((v) >> 16 & 255) / 255.0, ((v) >> 8 & 255) / 255.0, ((v) & 255) / 255.0 }

/* Dark blue and orange first (3.3:1 apart: told apart by lightness, and by
 * hue in every kind of colour blindness), then ten more hues; each at
 * least 3.5:1 on white. */
const rg_color rg_default_palette[RG_MAX_PALETTE] = {
    HEX(0x1F3864),                 /* dark blue   11.6:1 */
    HEX(0xD86A00),                 /* orange       3.5:1 */
    HEX(0x2E7D32),                 /* green        5.1:1 */
    HEX(0x7B3294),                 /* purple       7.7:1 */
    HEX(0x0072B2),                 /* blue         5.2:1 */
    HEX(0x8C564B),                 /* brown        5.9:1 */
    HEX(0x00796B),                 /* teal         5.3:1 */
    HEX(0xA0448C),                 /* plum         5.7:1 */
    HEX(0x6B6B00),                 /* olive        5.6:1 */
    HEX(0x595959),                 /* grey         7.0:1 */
    HEX(0x4B3F8F),                 /* indigo       8.7:1 */
    HEX(0x1A1A1A),                 /* near-black  17.4:1 */
};

void rg_style_free(rg_style *style)
{
    if (!style) return;
    rg_arena_free(style->arena);  /* frees style too: it is in its own arena */
}

static double linear(double c)
{
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double rg_color_luminance(rg_color c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double rg_color_contrast(rg_color a, rg_color b)
{
    double la = rg_color_luminance(a), lb = rg_color_luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
