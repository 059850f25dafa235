/* test_text_cache.c - the shaped-word cache (text/cache.c): words shaped
 * alone and taken from the cache give the glyphs of shaping whole runs
 * (the cache switched off), in faces whose space glyph takes part in no
 * lookup (Noto Sans) and in one whose does (DejaVu Sans). */
#include "base/base.h"
#include "fonts/fonts.h"
#include "test.h"
#include "text/cache.h"

#include <stdlib.h>

static const rg_color BLACK = { 0, 0, 0 };

static rg_font *face(rg_ctx *ctx, const char *family, int bold)
{
    rg_font *f = NULL;
    CHECK(rg_font_find(ctx, family, bold, 0, &f) == RG_OK);
    return f;
}

static rg_text_run run(const char *s, const rg_font *f, double size)
{
    return (rg_text_run){ s, strlen(s), f, size, BLACK, NULL, "nl-NL", 0 };
}

/* 1 when both paragraphs have the same glyphs: ids, clusters, positions,
 * runs, faces and widths (bit for bit). */
static int same_glyphs(const para_shape *a, const para_shape *b)
{
    if (a->nglyphs != b->nglyphs) return 0;
    for (size_t i = 0; i < a->nglyphs; i++) {
        const pglyph *x = &a->glyphs[i], *y = &b->glyphs[i];
        if (x->g.gid != y->g.gid || x->g.cluster != y->g.cluster ||
            x->g.x_advance != y->g.x_advance || x->g.x_offset != y->g.x_offset ||
            x->g.y_offset != y->g.y_offset || x->run != y->run || x->font != y->font ||
            x->width != y->width) {
            fprintf(stderr, "  glyph %zu differs: gid %u/%u cluster %u/%u adv %d/%d font %s/%s\n",
                    i, (unsigned)x->g.gid, (unsigned)y->g.gid, (unsigned)x->g.cluster,
                    (unsigned)y->g.cluster, (int)x->g.x_advance, (int)y->g.x_advance,
                    rg_font_family(x->font), rg_font_family(y->font));
            return 0;
        }
    }
    return 1;
}

/* Shapes the runs without the cache, then twice with it (filling it, then
 * from it), and compares. */
static int cache_agrees(rg_ctx *ctx, const rg_text_run *runs, size_t nruns)
{
    para_shape plain, fill, hit;
    text_cache_enable(ctx, 0);
    text_shape_para(ctx, runs, nruns, 0, &plain);
    text_cache_enable(ctx, 1);
    text_shape_para(ctx, runs, nruns, 0, &fill);
    text_shape_para(ctx, runs, nruns, 0, &hit);
    int ok = same_glyphs(&plain, &fill) && same_glyphs(&plain, &hit);
    text_para_shape_free(&plain);
    text_para_shape_free(&fill);
    text_para_shape_free(&hit);
    return ok;
}

static const char *const TEXTS[] = {
    "De continuïteit en veiligheid van onze voorzieningen, stelsels en standaarden "
    "staat centraal. Wij kijken dan ook positief terug op de beschikbaarheidscijfers "
    "(op een incident in maart na).",
    "AV To Wa Ty \"Yes\" fi ffl office 1/2 3\xe2\x81\x84" "4 99,8 % \xe2\x82\xac 228,3 mln",
    "twee  spaties,   drie, en\xc2\xa0" "harde spatie, soft\xc2\xad" "hyphen, zero\xe2\x80\x8bwidth",
    "a \xcc\x81" "b  \xcc\x88o caf\xc3\xa9 cafe\xcc\x81 ",   /* marks after spaces */
    "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac \xce\xba\xce\xb5\xce\xaf"
    "\xce\xbc\xce\xb5\xce\xbd\xce\xbf and \xd0\xa0\xd1\x83\xd1\x81\xd1\x81\xd0\xba\xd0\xb8\xd0\xb9 "
    "\xd1\x82\xd0\xb5\xd0\xba\xd1\x81\xd1\x82",                      /* Greek, Cyrillic */
    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7\xd9\x84\xd9\x85",
    /* Arabic from the fallback face inside Dutch: shaped as Arabic, joined */
    "het woord \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 en 2023 \xd8\xa8\xd8\xa7\xd9\x84x",
    "1 2 3 456 7.890,12 -3 (4) [5]",                                 /* no letters at all */
    "  leading and trailing  ",
    " ",
    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd ok \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9 x",
    "Informatieveiligheidstandaardenbeschikbaarheidscijfersopdrachtenverstrekking en meer",
    "https://www.logius.nl/domeinen/gegevensuitwisseling/informatieveiligheidstandaarden kort",
};

TEST(text_cache_gives_the_glyphs_of_whole_runs)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    const char *fallback[] = { "DejaVu Sans" };
    rg_fonts_set_fallback(ctx, fallback, 1);
    const rg_font *faces[] = { face(ctx, "Noto Sans", 0), face(ctx, "Noto Sans", 1),
                               face(ctx, "DejaVu Sans", 0) };
    CHECK(rg_font_space_is_plain(faces[0]) && rg_font_space_is_plain(faces[1]));
    CHECK(!rg_font_space_is_plain(faces[2]));   /* its space is in a GSUB lookup */
    for (size_t f = 0; f < sizeof faces / sizeof *faces; f++)
        for (size_t t = 0; t < sizeof TEXTS / sizeof *TEXTS; t++) {
            rg_text_run r = run(TEXTS[t], faces[f], 9.5);
            if (!cache_agrees(ctx, &r, 1)) {
                fprintf(stderr, "  face %zu text %zu\n", f, t);
                CHECK(0);
            }
        }
    rg_ctx_free(ctx);
}

/* Runs of two styles, cut inside words and next to spaces. */
TEST(text_cache_runs_cut_inside_words)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_font *regular = face(ctx, "Noto Sans", 0), *bold = face(ctx, "Noto Sans", 1);
    rg_text_run runs[] = { run("Het jaar", regular, 10), run("verslag 2023 ", bold, 10),
                           run("is klaar", regular, 12), run(".", bold, 12),
                           run(" Zie", regular, 10) };
    CHECK(cache_agrees(ctx, runs, sizeof runs / sizeof *runs));
    rg_ctx_free(ctx);
}

TEST(text_cache_keeps_kerning_inside_a_word)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_font *sans = face(ctx, "Noto Sans", 0);
    hb_codepoint_t gid_a;
    CHECK(hb_font_get_nominal_glyph(rg_font_hb(sans), 'A', &gid_a));
    rg_text_run r = run("AV AV", sans, 10);
    para_shape ps;
    for (int pass = 0; pass < 2; pass++) {   /* shaped, then from the cache */
        text_shape_para(ctx, &r, 1, 0, &ps);
        CHECK(ps.nglyphs == 5);
        if (ps.nglyphs == 5) {
            CHECK(ps.glyphs[0].g.gid == gid_a && ps.glyphs[3].g.gid == gid_a);
            /* the pair A-V kerns: A's advance is less than its nominal one */
            CHECK(ps.glyphs[0].g.x_advance < rg_font_advance(sans, gid_a));
            CHECK(ps.glyphs[3].g.x_advance == ps.glyphs[0].g.x_advance);
            CHECK(ps.glyphs[3].g.cluster == 3 && ps.glyphs[2].g.cluster == 2);
        }
        text_para_shape_free(&ps);
    }
    size_t entries, bytes;
    text_cache_stats(ctx, &entries, &bytes);
    CHECK(entries == 2);                       /* "AV" and " " */
    rg_ctx_free(ctx);
}

TEST(text_cache_word_with_a_fallback_character)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    const char *fallback[] = { "DejaVu Sans" };
    rg_fonts_set_fallback(ctx, fallback, 1);
    rg_font *sans = face(ctx, "Noto Sans", 0);
    CHECK(!rg_font_has_codepoint(sans, 0x2212));   /* Debian's Noto Sans lacks U+2212 */
    rg_text_run r = run("saldo \xe2\x88\x92" "5 en \xe2\x88\x92" "5", sans, 10);
    para_shape ps;
    for (int pass = 0; pass < 2; pass++) {    /* shaped, then from the cache */
        text_shape_para(ctx, &r, 1, 0, &ps);
        CHECK(ps.nglyphs == 14);
        if (ps.nglyphs == 14) {
            for (size_t i = 0; i < ps.nglyphs; i++) {
                int minus = i == 6 || i == 12;
                CHECK((ps.glyphs[i].font == sans) == !minus);
            }
            CHECK_STR(rg_font_family(ps.glyphs[12].font), "DejaVu Sans");
            CHECK(ps.glyphs[12].g.gid != 0 && ps.glyphs[12].g.gid == ps.glyphs[6].g.gid);
            CHECK(ps.glyphs[12].g.cluster == 14 && ps.glyphs[13].g.cluster == 17);
        }
        text_para_shape_free(&ps);
    }
    size_t entries, bytes;
    text_cache_stats(ctx, &entries, &bytes);
    /* "saldo", " ", "5", "en" in Noto Sans as Latin; the minus in DejaVu and
     * the last "5" with no script (their segments have no letter) */
    CHECK(entries == 6);
    CHECK(cache_agrees(ctx, &r, 1));
    /* another fallback chain: entries are keyed by the face chosen, so the
     * cached DejaVu minus is not taken for a character Noto lacks */
    rg_fonts_set_fallback(ctx, NULL, 0);
    text_shape_para(ctx, &r, 1, 0, &ps);
    /* drawn as Noto's replacement glyph (U+FFFD, else '?'), never .notdef */
    hb_codepoint_t repl = 0;
    if (!hb_font_get_nominal_glyph(rg_font_hb(sans), 0xFFFD, &repl))
        hb_font_get_nominal_glyph(rg_font_hb(sans), '?', &repl);
    CHECK(ps.nglyphs == 14 && ps.glyphs[6].font == sans && ps.glyphs[6].g.gid != 0 &&
          ps.glyphs[6].g.gid == repl);
    text_para_shape_free(&ps);
    CHECK(ctx->warnings == 1 && strstr(ctx->diag_text, "U+2212"));
    rg_ctx_free(ctx);
}

/* Faces are chosen for every character on every shaping, cached word or
 * not: a character no face has is reported once per document, also in the
 * next document of a batch worker (after rg_ctx_reset). */
TEST(text_cache_missing_glyph_warns_in_every_document)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_text_run r = run("kaart \xf0\x9f\x82\xa1" "a", face(ctx, "Noto Sans", 0), 10);
    para_shape ps;
    for (int doc = 0; doc < 2; doc++) {
        rg_ctx_reset(ctx);
        text_shape_para(ctx, &r, 1, 0, &ps);
        text_para_shape_free(&ps);
        text_shape_para(ctx, &r, 1, 0, &ps);
        text_para_shape_free(&ps);
        CHECK(ctx->warnings == 1 && strstr(ctx->diag_text, "U+1F0A1"));
    }
    rg_ctx_free(ctx);
}

TEST(text_cache_stays_within_its_bounds)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_font *sans = face(ctx, "Noto Sans", 0);
    const size_t limit = 2 * TEXT_CACHE_MAX_ENTRIES * sizeof(uint32_t) +
                         TEXT_CACHE_MAX_ENTRIES * 48 +
                         TEXT_CACHE_MAX_GLYPHS * sizeof(word_glyph) + TEXT_CACHE_MAX_TEXT;
    char text[4096];
    size_t most = 0, entries = 0, bytes = 0;
    int emptied = 0;
    for (int p = 0; p < 400; p++) {           /* 400 x 100 distinct words */
        size_t o = 0;
        for (int w = 0; w < 100; w++)
            o += (size_t)snprintf(text + o, sizeof text - o, "w%dx%d ", p, w * 7919);
        rg_text_run r = run(text, sans, 10);
        para_shape ps;
        text_shape_para(ctx, &r, 1, 0, &ps);
        CHECK(ps.nglyphs == o);
        text_para_shape_free(&ps);
        size_t last = entries;
        text_cache_stats(ctx, &entries, &bytes);
        CHECK(entries <= TEXT_CACHE_MAX_ENTRIES && bytes <= limit);
        if (entries > most) most = entries;
        if (entries < last) emptied++;
    }
    CHECK(most > 1000 && emptied >= 2);       /* it filled up, then started again */
    /* long words are not kept at all */
    memset(text, 'x', TEXT_CACHE_MAX_WORD + 1);
    text[TEXT_CACHE_MAX_WORD + 1] = 0;
    rg_text_run r = run(text, sans, 10);
    size_t before = entries;
    para_shape ps;
    text_shape_para(ctx, &r, 1, 0, &ps);
    text_para_shape_free(&ps);
    text_cache_stats(ctx, &entries, &bytes);
    CHECK(entries == before);
    /* what comes from a refilled cache is still right */
    snprintf(text, sizeof text, "w399x7919 w3x0 nieuw");
    r = run(text, sans, 10);
    CHECK(cache_agrees(ctx, &r, 1));
    rg_ctx_free(ctx);
}
