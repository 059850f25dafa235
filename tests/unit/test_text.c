/* test_text.c - shaping and line breaking on a real face (Noto Sans). */
#include "base/base.h"
#include "fonts/fonts.h"
#include "test.h"
#include "text/text.h"

#include <math.h>
#include <stdlib.h>

static const rg_color BLACK = { 0, 0, 0 };

static rg_font *noto(rg_ctx *ctx, int bold)
{
    rg_font *f = NULL;
    CHECK(rg_font_find(ctx, "Noto Sans", bold, 0, &f) == RG_OK);
    return f;
}

static rg_text_run run(const char *s, const rg_font *f, double size)
{
    return (rg_text_run){ s, strlen(s), f, size, BLACK, NULL, "nl-NL", 0 };
}

/* the text of a line: its pieces' texts joined */
static void line_text(const rg_line *ln, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < ln->npieces && o + 1 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%.*s", (int)ln->pieces[i].text_len,
                              ln->pieces[i].text);
}

static const char SEED[] =
    "De continuïteit en veiligheid van onze voorzieningen, stelsels en standaarden "
    "staat centraal. Wij kijken dan ook positief terug op de beschikbaarheidscijfers "
    "(op een incident in maart na).";

TEST(text_lines_fit_width_and_keep_all_words)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run(SEED, noto(ctx, 0), 10);
    rg_para p;
    rg_break_opts o = rg_break_simple(200, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines >= 3);
    char all[1024] = "", line[512];
    for (size_t i = 0; i < p.nlines; i++) {
        CHECK(p.lines[i].width <= 200.001);
        line_text(&p.lines[i], line, sizeof line);
        CHECK(line[0] != ' ' && line[strlen(line) - 1] != ' ');
        strcat(all, i ? " " : "");
        strcat(all, line);
    }
    CHECK_STR(all, SEED);          /* breaks only at spaces here: nothing lost */
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_justify_fills_all_but_last_line)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run(SEED, noto(ctx, 0), 10);
    rg_para p;
    rg_break_opts o = rg_break_simple(250, RG_ALIGN_JUSTIFY);
    o.hyphenate = 1;
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines >= 3);
    for (size_t i = 0; i + 1 < p.nlines; i++) CHECK(fabs(p.lines[i].width - 250) < 0.05);
    CHECK(p.lines[p.nlines - 1].width < 250);
    CHECK(ctx->warnings == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* A justified line whose spaces would have to grow past the maximum is
 * left short, with a warning; the spaces stay within the maximum. */
TEST(text_justify_never_exceeds_max_word_space)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_font *f = noto(ctx, 0);
    rg_text_run r = run("Stuur dan een e-mail naar communicatie@logius.nl.", f, 10);
    rg_para p;
    rg_break_opts o = rg_break_simple(150, RG_ALIGN_JUSTIFY);
    o.hyphenate = 1;
    o.max_word_space = 1.5;
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines == 2);
    double natural = rg_text_width(ctx, f, 10, "nl", " ", 1);
    for (size_t i = 0; i + 1 < p.nlines; i++) {
        const rg_line_piece *pc = &p.lines[i].pieces[0];
        for (size_t k = 0; k < pc->nglyphs; k++)
            if (pc->text[pc->glyphs[k].cluster] == ' ')
                CHECK(pc->glyphs[k].x_advance * 10.0 / rg_font_upem(f) <= 1.5 * natural + 0.02);
        CHECK(p.lines[i].width < 150);
    }
    CHECK(ctx->warnings == 1 && strstr(ctx->diag_text, "left short"));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_hyphenates_dutch_compounds_at_pattern_points)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run("Begin 2023 is de nieuwe meting Informatieveiligheidstandaarden opgeleverd.",
                        noto(ctx, 0), 10);
    rg_para p;
    rg_break_opts o = rg_break_simple(200, RG_ALIGN_JUSTIFY);
    o.hyphenate = 1;
    rg_text_break(ctx, a, &r, 1, &o, &p);
    int hyphenated = 0;
    char all[512] = "", line[256];
    for (size_t i = 0; i < p.nlines; i++) {
        line_text(&p.lines[i], line, sizeof line);
        if (p.lines[i].hyphenated) {
            hyphenated++;
            size_t n = strlen(line);                 /* the inserted hyphen: U+00AD */
            CHECK(n > 2 && !strcmp(line + n - 2, "\xc2\xad"));
            line[n - 2] = 0;
            strcat(all, line);
        } else {
            strcat(all, line);
            strcat(all, " ");
        }
        CHECK(p.lines[i].width <= 200.05);
    }
    CHECK(hyphenated >= 1);
    CHECK(strstr(all, "Informatieveiligheidstandaarden") != NULL);   /* nothing lost */
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_nobreak_run_is_never_split)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r[3] = { run("Het team ", noto(ctx, 0), 10), run("Open op Orde", noto(ctx, 0), 10),
                         run(" werkt aan de informatiehuishouding van Logius.", noto(ctx, 0), 10) };
    r[1].nobreak = 1;
    rg_para p;
    double wide = rg_text_width(ctx, noto(ctx, 0), 10, "nl", "Open op Orde", 12);
    for (double w = ceil(wide); w < 300; w += 7) {
        rg_break_opts o = rg_break_simple(w, RG_ALIGN_LEFT);
        o.hyphenate = 1;
        rg_text_break(ctx, a, r, 3, &o, &p);
        int whole = 0;
        char line[256];
        for (size_t i = 0; i < p.nlines; i++) {
            line_text(&p.lines[i], line, sizeof line);
            whole += strstr(line, "Open op Orde") != NULL;
        }
        CHECK(whole == 1);
    }
    CHECK(ctx->warnings == 0);
    /* narrower than the no-break text: it breaks at its spaces, with a word */
    rg_break_opts o = rg_break_simple(wide - 10, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, r, 3, &o, &p);
    for (size_t i = 0; i < p.nlines; i++) CHECK(p.lines[i].width <= wide - 10 + 0.01);
    CHECK(ctx->warnings == 1);
    CHECK(strstr(ctx->diag_text, "no-break text wider than its line") != NULL);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_ligature_cluster_covers_its_letters)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run("efficiëntie", noto(ctx, 0), 10);
    rg_para p;
    rg_break_opts o = rg_break_simple(500, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines == 1);
    const rg_line_piece *pc = &p.lines[0].pieces[0];
    CHECK(pc->text_len == strlen("efficiëntie"));
    CHECK(pc->nglyphs < 11);       /* "ffi" (or "ff"/"fi") became a ligature */
    CHECK(pc->glyphs[0].cluster == 0);
    for (size_t i = 1; i < pc->nglyphs; i++)
        CHECK(pc->glyphs[i].cluster > pc->glyphs[i - 1].cluster);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_overlong_word_is_split_between_clusters)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const char *word = "informatieveiligheidstandaardenbeschikbaarheidscijfers";
    rg_text_run r = run(word, noto(ctx, 1), 12);
    rg_para p;
    rg_break_opts o = rg_break_simple(80, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines >= 3);
    size_t total = 0;
    for (size_t i = 0; i < p.nlines; i++) {
        CHECK(p.lines[i].width <= 80.001);
        total += p.lines[i].pieces[0].text_len;
    }
    CHECK(total == strlen(word));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* A word too wide for a ragged line takes its hyphens, even where a line
 * is left short, rather than hard breaks that fill the lines (a 22pt
 * table cell: Gege- vens- uit- ... not Gege- vensu itwis- ...); with no
 * limit on hyphenated lines in a row, none is broken without a hyphen. */
TEST(text_overlong_word_in_a_ragged_line_takes_its_hyphens)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const char *word = "Gegevensuitwisselingsvoorziening";
    rg_text_run r = run(word, noto(ctx, 1), 7);
    for (double w = 20; w <= 60; w += 2) {
        rg_para p;
        rg_break_opts o = rg_break_simple(w, RG_ALIGN_LEFT);
        o.hyphen_max_run = 1000;
        rg_text_break(ctx, a, &r, 1, &o, &p);
        CHECK(p.nlines >= 2);
        for (size_t i = 0; i < p.nlines; i++) {
            CHECK(!p.lines[i].hard_break);
            CHECK(p.lines[i].width <= w + 0.001);
        }
    }
    CHECK(ctx->warnings == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* Figures are never split: not after the en dash of a year range, not
 * after a minus sign (UAX #14 allows both), not before an ellipsis
 * (libunibreak 1.1 allows it), at any width where they fit. */
TEST(text_range_and_minus_sign_stay_whole)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const char *s = "periode 2024\u20132049 saldo \u2212\u20ac 12,5 mln "
                    "werkvoorraad \u2212\u20ac miljoen 5,20\u00a0%\u2026 Probleem";
    rg_text_run r = run(s, noto(ctx, 0), 10);
    char line[256];
    for (double w = 30; w <= 200; w += 3) {
        rg_para p;
        rg_break_opts o = rg_break_simple(w, RG_ALIGN_LEFT);
        rg_text_break(ctx, a, &r, 1, &o, &p);
        for (size_t i = 0; i + 1 < p.nlines; i++) {
            line_text(&p.lines[i], line, sizeof line);
            size_t n = strlen(line);
            CHECK(n < 3 || strcmp(line + n - 3, "\u2212") != 0);
            if (n && line[n - 1] == '%')            /* "5,20 %…" is 40 pt wide */
                CHECK(p.lines[i].hard_break && w < 40);
            /* only where the range is wider than the line: a warned hard break */
            if (n >= 7 && !strcmp(line + n - 7, "2024\u2013"))
                CHECK(p.lines[i].hard_break && w < 50);
        }
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_runs_of_two_styles_share_a_line)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r[2] = { run("Stuur een e-mail naar ", noto(ctx, 0), 10),
                         run("communicatie@logius.nl", noto(ctx, 1), 10) };
    r[1].href = "mailto:communicatie@logius.nl";
    rg_para p;
    rg_break_opts o = rg_break_simple(400, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, r, 2, &o, &p);
    CHECK(p.nlines == 1);
    CHECK(p.lines[0].npieces == 2);
    CHECK(p.lines[0].pieces[1].href != NULL);
    CHECK(p.lines[0].pieces[1].x > 50);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(fonts_missing_family_is_unavailable)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_font *f = (rg_font *)1;
    CHECK(rg_font_find(ctx, "No Such Family 42", 0, 0, &f) == RG_EX_UNAVAILABLE);
    CHECK(f == NULL);
    CHECK(strstr(ctx->diag_text, "No Such Family 42") != NULL);
    rg_ctx_free(ctx);
}

TEST(text_missing_glyph_comes_from_the_fallback_chain)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    const char *fallback[] = { "DejaVu Sans" };
    rg_fonts_set_fallback(ctx, fallback, 1);
    rg_font *sans = noto(ctx, 0);
    /* Debian's Noto Sans has no U+2212 MINUS SIGN; DejaVu Sans has */
    CHECK(!rg_font_has_codepoint(sans, 0x2212));
    rg_text_run r = run("\xe2\x88\x92\xe2\x82\xac 2,5 mln", sans, 10);
    rg_para p;
    rg_break_opts o = rg_break_simple(500, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines == 1 && p.lines[0].npieces == 2);
    if (p.nlines == 1 && p.lines[0].npieces == 2) {
        CHECK_STR(rg_font_family(p.lines[0].pieces[0].font), "DejaVu Sans");
        CHECK(p.lines[0].pieces[0].glyphs[0].gid != 0);
        CHECK(p.lines[0].pieces[1].font == sans);
        CHECK(p.lines[0].pieces[1].x > 0);
    }
    CHECK(ctx->warnings == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_glyph_found_nowhere_is_a_warning)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run("a\xf0\x9f\x82\xa1" "b", noto(ctx, 0), 10);   /* U+1F0A1 playing card */
    rg_para p;
    rg_break_opts o = rg_break_simple(500, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(ctx->warnings == 1 && ctx->errors == 0);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "U+1F0A1"));
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(ctx->warnings == 1);                 /* reported once */
    rg_ctx_free(ctx);
    ctx = rg_ctx_new(NULL);
    ctx->strict = 1;
    r.font = noto(ctx, 0);                     /* faces belong to their context */
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(ctx->errors == 1);                   /* --strict */
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(text_never_three_hyphenated_lines_in_a_row)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run("Informatieveiligheidstandaarden beschikbaarheidscijfers "
                        "opdrachtenverstrekking bedrijfsvoeringsfuncties "
                        "informatiehuishouding programmamanager overschrijdingen "
                        "onderschrijdingen doorontwikkeling verantwoordelijkheden "
                        "Informatieveiligheidstandaarden beschikbaarheidscijfers",
                        noto(ctx, 0), 10);
    int max_seen = 0, any = 0;
    for (double w = 70; w <= 200; w += 3) {
        rg_para p;
        rg_break_opts o = rg_break_simple(w, RG_ALIGN_JUSTIFY);
        o.hyphenate = 1;
        o.max_word_space = 10;
        rg_text_break(ctx, a, &r, 1, &o, &p);
        int run_len = 0;
        for (size_t i = 0; i < p.nlines; i++) {
            run_len = p.lines[i].hyphenated ? run_len + 1 : 0;
            any |= p.lines[i].hyphenated;
            if (run_len > max_seen) max_seen = run_len;
        }
    }
    CHECK(any);
    CHECK(max_seen <= 2);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* A no-break space binds words ("€ 357,4 mln", "veroorzaakt door" in the
 * seed): a hyphen may never be inserted next to it. */
TEST(text_no_hyphen_next_to_a_no_break_space)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_text_run r = run("Deze onderschrijding wordt in belangrijke mate veroorzaakt\xc2\xa0 door "
                        "het saldo van \xe2\x82\xac\xc2\xa0" "2,5\xc2\xa0mln en informatieveiligheid"
                        "\xc2\xa0standaarden.", noto(ctx, 0), 10);
    int hyphens = 0;
    for (double w = 60; w <= 300; w += 4) {
        rg_para p;
        rg_break_opts o = rg_break_simple(w, RG_ALIGN_JUSTIFY);
        o.hyphenate = 1;
        o.max_word_space = 10;
        rg_text_break(ctx, a, &r, 1, &o, &p);
        char line[512];
        for (size_t i = 0; i < p.nlines; i++) {
            if (!p.lines[i].hyphenated) continue;
            hyphens++;
            line_text(&p.lines[i], line, sizeof line);
            size_t n = strlen(line);                 /* ends with U+00AD (2 bytes) */
            CHECK(n >= 3);
            unsigned char before = (unsigned char)line[n - 3];
            CHECK(before != ' ' && before != 0xA0);  /* a letter, not a space or NBSP */
        }
    }
    CHECK(hyphens > 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* A paragraph that fits on one line is set without the breaker (UAX #14,
 * items, Knuth-Plass): the same one line, trailing spaces dropped,
 * justified text not stretched; a forced break in it (LF, U+2028) or a
 * width just too small still gives two lines. */
TEST(text_one_line_paragraphs_and_forced_breaks)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_font *f = noto(ctx, 0);
    const char *s = "Beschikbaarheid 99,62 %  ";
    double w = rg_text_width(ctx, f, 10, "nl-NL", s, strlen(s));
    rg_text_run r = run(s, f, 10);
    rg_para p;
    char line[128];
    rg_break_opts o = rg_break_simple(w, RG_ALIGN_JUSTIFY);      /* exactly fits */
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines == 1);
    line_text(&p.lines[0], line, sizeof line);
    CHECK_STR(line, "Beschikbaarheid 99,62 %");
    CHECK(p.lines[0].width < w);               /* natural width: not justified */
    o = rg_break_simple(w * 0.7, RG_ALIGN_LEFT);
    rg_text_break(ctx, a, &r, 1, &o, &p);
    CHECK(p.nlines == 2);
    const char *forced[] = { "Kort\nregel", "Kort\xe2\x80\xa8regel" };
    for (int i = 0; i < 2; i++) {
        r = run(forced[i], f, 10);
        o = rg_break_simple(400, RG_ALIGN_LEFT);
        rg_text_break(ctx, a, &r, 1, &o, &p);
        CHECK(p.nlines == 2);
        if (p.nlines == 2) {
            line_text(&p.lines[1], line, sizeof line);
            CHECK_STR(line, "regel");
        }
    }
    rg_arena_free(a);
    rg_ctx_free(ctx);
}
