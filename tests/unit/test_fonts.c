/* test_fonts.c - finding faces through fontconfig (fonts/fonts.c): a family's
 * four styles by its exact name (FcFontList and our style order), with and
 * without rg_fonts_prepare reading fontconfig in a thread first, an oblique
 * face standing for italic, and an unknown family (an error). Needs
 * Debian's fonts-noto-core and fonts-dejavu-core, which the Makefile
 * installs. */
#include "fonts/fonts.h"
#include "test.h"

#include <string.h>

static const char *file_of(rg_ctx *ctx, const char *family, int bold, int italic)
{
    rg_font *f = NULL;
    if (rg_font_find(ctx, family, bold, italic, &f) != RG_OK) return "";
    const char *p = rg_font_path(f);
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

TEST(fonts_family_styles_by_listing)
{
    for (int prepared = 0; prepared < 2; prepared++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        if (prepared) rg_fonts_prepare(ctx);
        CHECK_STR(file_of(ctx, "Noto Sans", 0, 0), "NotoSans-Regular.ttf");
        CHECK_STR(file_of(ctx, "Noto Sans", 1, 0), "NotoSans-Bold.ttf");
        CHECK_STR(file_of(ctx, "Noto Sans", 0, 1), "NotoSans-Italic.ttf");
        CHECK_STR(file_of(ctx, "noto sans", 1, 1), "NotoSans-BoldItalic.ttf");
        CHECK_STR(file_of(ctx, "DejaVu Sans", 1, 0), "DejaVuSans-Bold.ttf");
        CHECK(ctx->warnings == 0 && ctx->errors == 0);
        rg_ctx_free(ctx);
    }
}

TEST(fonts_missing_style_and_family)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_fonts_prepare(ctx);
    rg_fonts_prepare(ctx);                  /* once is enough */
    /* DejaVu Sans Mono has an oblique face: it counts as italic */
    CHECK(strstr(file_of(ctx, "DejaVu Sans Mono", 0, 1), "Oblique") != NULL);
    rg_font *f = NULL;
    CHECK(rg_font_find(ctx, "Geen Bestaande Letter", 0, 0, &f) == RG_EX_UNAVAILABLE);
    CHECK(ctx->errors == 1);
    rg_ctx_free(ctx);
    /* a context freed while fontconfig is still being read */
    ctx = rg_ctx_new(NULL);
    rg_fonts_prepare(ctx);
    rg_ctx_free(ctx);
}

/* The underline metrics come from 'post' (links are underlined with them):
 * Noto Sans's are -100 and 50 units of 1000, DejaVu Sans's -40 and 90 of
 * 2048 (layout keeps the latter a little further from the baseline). */
TEST(fonts_underline_metrics_from_post)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_font *f = NULL;
    rg_font_metrics m;
    CHECK(rg_font_find(ctx, "Noto Sans", 0, 0, &f) == RG_OK);
    rg_font_get_metrics(f, &m);
    CHECK(rg_font_upem(f) == 1000 && m.underline_position == -100 && m.underline_thickness == 50);
    CHECK(rg_font_find(ctx, "DejaVu Sans", 0, 0, &f) == RG_OK);
    rg_font_get_metrics(f, &m);
    CHECK(rg_font_upem(f) == 2048 && m.underline_position == -40 && m.underline_thickness == 90);
    rg_ctx_free(ctx);
}
