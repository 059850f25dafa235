/* test_text_bidi.c - bidirectional text (issue 17): embedding levels, the
 * visual order of a line's pieces, right-to-left glyph order, Arabic
 * joining, on real faces (Noto Sans, Noto Sans Hebrew, Noto Sans Arabic). */
#include "base/base.h"
#include "fonts/fonts.h"
#include "test.h"
#include "text/text.h"

#include <stdlib.h>

static const rg_color BLACK = { 0, 0, 0 };

static rg_font *face(rg_ctx *ctx, const char *family)
{
    rg_font *f = NULL;
    CHECK(rg_font_find(ctx, family, 0, 0, &f) == RG_OK);
    return f;
}

typedef struct fixture {
    rg_ctx *ctx;
    rg_arena *a;
    rg_font *latin, *hebrew, *arabic;
} fixture;

static fixture setup(void)
{
    fixture fx;
    fx.ctx = rg_ctx_new(NULL);
    fx.a = rg_arena_new();
    fx.latin = face(fx.ctx, "Noto Sans");
    fx.hebrew = face(fx.ctx, "Noto Sans Hebrew");
    fx.arabic = face(fx.ctx, "Noto Sans Arabic");
    return fx;
}

static void teardown(fixture *fx)
{
    rg_arena_free(fx->a);
    rg_ctx_free(fx->ctx);
}

/* The runs set as one paragraph in lines of width points, left aligned. */
static rg_para set_runs(fixture *fx, const rg_text_run *r, size_t n, double width)
{
    rg_para p;
    rg_break_opts o = rg_break_simple(width, RG_ALIGN_LEFT);
    rg_text_break(fx->ctx, fx->a, r, n, &o, &p);
    return p;
}

static rg_text_run run(const char *s, const rg_font *f, const char *lang)
{
    return (rg_text_run){ s, strlen(s), f, 10, BLACK, NULL, lang, 0 };
}

static int piece_is(const rg_line_piece *pc, const char *text)
{
    return pc->text_len == strlen(text) && memcmp(pc->text, text, pc->text_len) == 0;
}

/* The piece of ln drawn k-th from the left (pieces are kept in logical
 * order; x places them), or NULL. */
static const rg_line_piece *drawn(const rg_line *ln, size_t k)
{
    for (size_t i = 0; i < ln->npieces; i++) {
        size_t left_of = 0;
        for (size_t j = 0; j < ln->npieces; j++) left_of += ln->pieces[j].x < ln->pieces[i].x;
        if (left_of == k) return &ln->pieces[i];
    }
    return NULL;
}

/* Pieces are in logical order (their text follows on); drawn left to
 * right they follow each other without gaps; every right-to-left piece
 * draws its glyphs right to left (clusters fall), every other one left to
 * right. */
static void check_line_order(const rg_line *ln)
{
    double x = 0;
    for (size_t i = 0; i < ln->npieces; i++) {
        if (i > 0) CHECK(ln->pieces[i].src >= ln->pieces[i - 1].src + ln->pieces[i - 1].text_len);
        const rg_line_piece *pc = drawn(ln, i);
        CHECK(pc != NULL);
        if (!pc) return;
        int rtl = pc->level & 1;
        CHECK(!!(pc->flags & RG_RUN_RTL) == rtl);
        CHECK(pc->x > x - 0.001 && pc->x < x + 0.001);
        x = pc->x + pc->width;
        for (size_t k = 1; k < pc->nglyphs; k++)
            CHECK(rtl ? pc->glyphs[k].cluster <= pc->glyphs[k - 1].cluster
                      : pc->glyphs[k].cluster >= pc->glyphs[k - 1].cluster);
        if (pc->nglyphs > 1 && rtl) CHECK(pc->glyphs[0].cluster > pc->glyphs[pc->nglyphs - 1].cluster);
    }
}

TEST(text_bidi_visual_order_rule_l2)
{
    size_t order[5];
    const unsigned char ltr_rtl[] = { 0, 1, 1, 0 };
    rg_text_bidi_visual_order(ltr_rtl, 4, order);
    CHECK(order[0] == 0 && order[1] == 2 && order[2] == 1 && order[3] == 3);
    /* digits (level 2) inside a right-to-left phrase keep their place in it */
    const unsigned char digits[] = { 0, 1, 2, 1, 0 };
    rg_text_bidi_visual_order(digits, 5, order);
    CHECK(order[0] == 0 && order[1] == 3 && order[2] == 2 && order[3] == 1 && order[4] == 4);
    /* a right-to-left paragraph with a left-to-right pair inside */
    const unsigned char rtl_par[] = { 1, 1, 2, 2, 1 };
    rg_text_bidi_visual_order(rtl_par, 5, order);
    CHECK(order[0] == 4 && order[1] == 2 && order[2] == 3 && order[3] == 1 && order[4] == 0);
    const unsigned char plain[] = { 0, 0, 0 };
    rg_text_bidi_visual_order(plain, 3, order);
    CHECK(order[0] == 0 && order[1] == 1 && order[2] == 2);
}

TEST(text_bidi_rtl_languages)
{
    CHECK(rg_text_lang_is_rtl("ar"));
    CHECK(rg_text_lang_is_rtl("he-IL"));
    CHECK(rg_text_lang_is_rtl("AR-eg"));
    CHECK(rg_text_lang_is_rtl("fa"));
    CHECK(!rg_text_lang_is_rtl("nl-NL"));
    CHECK(!rg_text_lang_is_rtl("en"));
    CHECK(!rg_text_lang_is_rtl("arn"));            /* Mapudungun: left to right */
    CHECK(!rg_text_lang_is_rtl(""));
    CHECK(!rg_text_lang_is_rtl(NULL));
}

/* "De groet שלום עולם betekent vrede.": the Hebrew piece sits between the
 * Dutch ones, its glyphs right to left. */
TEST(text_bidi_hebrew_inside_dutch)
{
    fixture fx = setup();
    rg_text_run r[3] = { run("De groet ", fx.latin, "nl-NL"),
                         run("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d",
                             fx.hebrew, "he"),
                         run(" betekent vrede.", fx.latin, "nl-NL") };
    rg_para p = set_runs(&fx, r, 3, 400);
    CHECK(p.nlines == 1);
    const rg_line *ln = &p.lines[0];
    CHECK(ln->npieces == 3);
    if (ln->npieces == 3) {
        CHECK(piece_is(&ln->pieces[0], "De groet ") && ln->pieces[0].level == 0);
        CHECK(ln->pieces[1].level == 1 && !strcmp(ln->pieces[1].lang, "he"));
        CHECK(piece_is(&ln->pieces[1], r[1].text));      /* the text stays logical */
        CHECK(piece_is(&ln->pieces[2], " betekent vrede."));
        /* the first glyph drawn is the last letter (final mem, U+05DD) */
        CHECK(ln->pieces[1].glyphs[0].cluster == 15);
    }
    check_line_order(ln);
    CHECK(fx.ctx->warnings == 0);
    teardown(&fx);
}

/* "Jaar: בשנת 2024 היו": the digits stay left to right inside the
 * right-to-left phrase, which reads from the right. */
TEST(text_bidi_digits_inside_rtl)
{
    fixture fx = setup();
    rg_text_run r[4] = { run("Jaar: ", fx.latin, "nl-NL"),
                         run("\xd7\x91\xd7\xa9\xd7\xa0\xd7\xaa ", fx.hebrew, "he"),
                         run("2024", fx.latin, "he"),
                         run(" \xd7\x94\xd7\x99\xd7\x95", fx.hebrew, "he") };
    rg_para p = set_runs(&fx, r, 4, 400);
    CHECK(p.nlines == 1);
    const rg_line *ln = &p.lines[0];
    CHECK(ln->npieces == 4);
    if (ln->npieces == 4) {
        /* kept as written, */
        CHECK(piece_is(&ln->pieces[0], "Jaar: "));
        CHECK(piece_is(&ln->pieces[1], r[1].text) && ln->pieces[1].level == 1);
        CHECK(piece_is(&ln->pieces[2], "2024") && ln->pieces[2].level == 2);
        CHECK(piece_is(&ln->pieces[3], r[3].text) && ln->pieces[3].level == 1);
        /* drawn with the phrase's last word leftmost */
        CHECK(piece_is(drawn(ln, 0), "Jaar: "));
        CHECK(piece_is(drawn(ln, 1), r[3].text));
        CHECK(piece_is(drawn(ln, 2), "2024"));
        CHECK(piece_is(drawn(ln, 3), r[1].text));
        CHECK(ln->pieces[2].glyphs[0].cluster == 0);    /* "2" drawn first */
    }
    check_line_order(ln);
    teardown(&fx);
}

/* A paragraph all in Hebrew is right to left: a Latin name inside it is a
 * left-to-right island (level 2), the words read from the right. */
TEST(text_bidi_rtl_paragraph)
{
    fixture fx = setup();
    rg_text_run r[3] = { run("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d ", fx.hebrew, "he"),
                         run("Logius", fx.latin, "he"),
                         run(" \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d", fx.hebrew, "he-IL") };
    rg_para p = set_runs(&fx, r, 3, 400);
    const rg_line *ln = &p.lines[0];
    CHECK(p.nlines == 1 && ln->npieces == 3);
    if (ln->npieces == 3) {
        CHECK(piece_is(&ln->pieces[0], r[0].text) && ln->pieces[0].level == 1);
        CHECK(piece_is(&ln->pieces[1], "Logius") && ln->pieces[1].level == 2);
        CHECK(piece_is(&ln->pieces[2], r[2].text) && ln->pieces[2].level == 1);
        CHECK(piece_is(drawn(ln, 0), r[2].text));       /* the last word leftmost */
        CHECK(piece_is(drawn(ln, 2), r[0].text));
    }
    check_line_order(ln);
    teardown(&fx);
}

/* A Hebrew phrase broken over lines is broken on its logical text: the
 * first line holds its first words, each line reads from the right. */
TEST(text_bidi_phrase_wraps_in_logical_order)
{
    fixture fx = setup();
    /* אחת שתיים שלוש ארבע חמש שש שבע שמונה */
    static const char phrase[] =
        "\xd7\x90\xd7\x97\xd7\xaa \xd7\xa9\xd7\xaa\xd7\x99\xd7\x99\xd7\x9d "
        "\xd7\xa9\xd7\x9c\xd7\x95\xd7\xa9 \xd7\x90\xd7\xa8\xd7\x91\xd7\xa2 "
        "\xd7\x97\xd7\x9e\xd7\xa9 \xd7\xa9\xd7\xa9 \xd7\xa9\xd7\x91\xd7\xa2 "
        "\xd7\xa9\xd7\x9e\xd7\x95\xd7\xa0\xd7\x94";
    rg_text_run r[3] = { run("Dit is de telling ", fx.latin, "nl-NL"), run(phrase, fx.hebrew, "he"),
                         run(" in het Hebreeuws.", fx.latin, "nl-NL") };
    rg_para p = set_runs(&fx, r, 3, 150);
    CHECK(p.nlines >= 2);
    size_t prev_max = 0;
    for (size_t l = 0; l < p.nlines; l++) {
        const rg_line *ln = &p.lines[l];
        check_line_order(ln);
        size_t lo = (size_t)-1, hi = 0;
        for (size_t i = 0; i < ln->npieces; i++) {
            const rg_line_piece *pc = drawn(ln, i), *left = i ? drawn(ln, i - 1) : NULL;
            if (left && (pc->level & 1) && (left->level & 1))
                CHECK(pc->src < left->src);               /* read from the right */
            if (pc->src < lo) lo = pc->src;
            if (pc->src > hi) hi = pc->src;
        }
        CHECK(lo >= prev_max);                  /* lines follow the logical text */
        prev_max = hi;
    }
    teardown(&fx);
}

/* Arabic is shaped right to left with its joining forms: مرحبا comes out
 * with other glyphs than its letters shaped one by one, the last letter
 * drawn first. */
TEST(text_bidi_arabic_joined)
{
    fixture fx = setup();
    static const char word[] = "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7";   /* مرحبا */
    rg_text_run r = run(word, fx.arabic, "ar");
    rg_para p = set_runs(&fx, &r, 1, 400);
    CHECK(p.nlines == 1 && p.lines[0].npieces == 1);
    const rg_line_piece *pc = &p.lines[0].pieces[0];
    CHECK(pc->nglyphs == 5 && (pc->flags & RG_RUN_RTL));
    int differs = 0;
    for (size_t k = 0; k < pc->nglyphs && k < 5; k++) {
        size_t at = 8 - 2 * k;                  /* drawn from the last letter */
        CHECK(pc->glyphs[k].cluster == at);
        rg_text_run one = run(word + at, fx.arabic, "ar");
        one.len = 2;
        rg_para q = set_runs(&fx, &one, 1, 400);
        differs |= q.lines[0].pieces[0].glyphs[0].gid != pc->glyphs[k].gid;
    }
    CHECK(differs);                             /* joined: not the isolated forms */
    teardown(&fx);
}

/* Shaped right to left, brackets are mirrored (HarfBuzz, direction RTL):
 * in "א (ב)" the first glyph drawn is the closing bracket's, which looks
 * like an opening one. Shaped left to right and turned round it would
 * look like ")". */
TEST(text_bidi_brackets_mirrored)
{
    fixture fx = setup();
    rg_text_run r[4] = { run("\xd7\x90 ", fx.hebrew, "he"), run("(", fx.latin, "he"),
                         run("\xd7\x91", fx.hebrew, "he"), run(")", fx.latin, "he") };
    rg_text_run open = run("(", fx.latin, "nl");
    rg_para p = set_runs(&fx, r, 4, 400), q = set_runs(&fx, &open, 1, 400);
    CHECK(p.nlines == 1 && p.lines[0].npieces == 4);
    const rg_line_piece *pc = drawn(&p.lines[0], 0);
    CHECK(pc != NULL);
    if (!pc) { teardown(&fx); return; }
    CHECK(piece_is(pc, ")") && pc->level == 1);    /* drawn first, at the left */
    CHECK(pc->glyphs[0].gid == q.lines[0].pieces[0].glyphs[0].gid);
    CHECK(fx.ctx->warnings == 0);
    teardown(&fx);
}
