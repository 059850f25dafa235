/* style/style.c - lifetime of the house style. Stage: style. The rg_style and
 * every string it points to live in the style's arena. */
#include "style.h"

void rg_style_free(rg_style *style)
{
    if (!style) return;
    rg_arena_free(style->arena);  /* frees style too: it is in its own arena */
}
