/* test_check.c - the layout checker (check/check.h): a clean display list
 * passes, and a planted violation of each invariant fails it. Runs are
 * shaped on a real face (Noto Sans), so ink boxes are real. */
#include "base/base.h"
#include "check/check.h"
#include "dlist/dlist.h"
#include "fonts/fonts.h"
#include "test.h"
#include "text/text.h"

#include <stdlib.h>

static const rg_color BLACK = { 0, 0, 0 };

typedef struct fixture {
    rg_ctx *ctx;
    rg_arena *arena;
    rg_dl *dl;
    rg_font *font;
    size_t page;
} fixture;

/* An A4 page whose text area is x 70..525, y 70..770. */
static fixture setup(void)
{
    fixture f;
    f.ctx = rg_ctx_new(NULL);
    f.arena = rg_arena_new();
    f.dl = rg_dl_new();
    f.font = NULL;
    CHECK(rg_font_find(f.ctx, "Noto Sans", 0, 0, &f.font) == RG_OK);
    f.page = rg_dl_add_page(f.dl, 595, 842);
    rg_dl_page_area(f.dl, f.page, RG_BOX_TEXT_AREA, 70, 70, 525, 770);
    return f;
}

static void teardown(fixture *f)
{
    rg_dl_free(f->dl);
    rg_arena_free(f->arena);
    rg_ctx_free(f->ctx);
}

/* Shapes text as one line (no breaking). */
static rg_para shape(fixture *f, const char *text)
{
    rg_text_run r = { text, strlen(text), f->font, 10, BLACK, NULL, "nl-NL", 0 };
    rg_break_opts o = rg_break_simple(1e6, RG_ALIGN_LEFT);
    rg_para p;
    rg_text_break(f->ctx, f->arena, &r, 1, &o, &p);
    return p;
}

/* Draws bytes [from, to) of text (a paragraph registered as para) as one
 * run at x, y, with flags; the run's glyphs are shaped from that part. */
static void draw(fixture *f, int para, const char *text, size_t from, size_t to, double x,
                 double y, unsigned flags)
{
    char part[256];
    snprintf(part, sizeof part, "%.*s", (int)(to - from), text + from);
    rg_para p = shape(f, part);
    const rg_line_piece *pc = &p.lines[0].pieces[0];
    rg_dl_source(f->dl, para, from, flags);
    rg_dl_glyph_run(f->dl, f->page, pc->font, pc->size, BLACK, x, y, pc->glyphs, pc->nglyphs,
                    part, strlen(part));
}

/* Draws the inserted hyphen after a line that broke at byte at. */
static void draw_hyphen(fixture *f, int para, size_t at, double x, double y)
{
    rg_para p = shape(f, "-");
    const rg_line_piece *pc = &p.lines[0].pieces[0];
    rg_dl_source(f->dl, para, at, RG_RUN_HYPHEN);
    rg_dl_glyph_run(f->dl, f->page, pc->font, pc->size, BLACK, x, y, pc->glyphs, pc->nglyphs,
                    "\xc2\xad", 2);
}

static size_t run_check(fixture *f, rg_check_result *res)
{
    return rg_check_layout(f->ctx, f->dl, "def.xml", res);
}

static int said(const fixture *f, const char *what)
{
    return f->ctx->diag_text && strstr(f->ctx->diag_text, what) != NULL;
}

static const char WORDS[] = "De beschikbaarheid van voorzieningen";

TEST(check_clean_paragraph_passes)
{
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, WORDS, strlen(WORDS), 12, 0);
    draw(&f, p, WORDS, 0, 19, 70, 700, 0);                  /* "De beschikbaarheid " */
    draw(&f, p, WORDS, 19, strlen(WORDS), 70, 686, 0);      /* next line */
    rg_check_result res;
    CHECK(run_check(&f, &res) == 0);
    CHECK(res.runs == 2);
    CHECK(res.glyphs > 30);
    teardown(&f);
}

TEST(check_media_box)
{
    fixture f = setup();
    rg_dl_box_open(f.dl, f.page, RG_BOX_COVER, -100, 0, 595, 842, 3);
    draw(&f, -1, "Omslag", 0, 6, -20, 400, 0);
    rg_dl_box_close(f.dl);
    rg_check_result res;
    CHECK(run_check(&f, &res) >= 1);
    CHECK(res.violations[RG_CHECK_MEDIA] == 1);
    CHECK(said(&f, "def.xml:3: error: layout check (media)"));
    teardown(&f);
}

TEST(check_text_outside_its_box)
{
    fixture f = setup();
    rg_dl_box_open(f.dl, f.page, RG_BOX_CELL, 100, 500, 130, 520, 7);     /* 30 pt wide */
    draw(&f, -1, "Gegevensuitwisseling", 0, 20, 102, 505, 0);
    rg_dl_box_close(f.dl);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_BOX] == 1);
    CHECK(said(&f, "def.xml:7: error: layout check (box): page 1: text outside its table cell"));
    teardown(&f);
}

TEST(check_run_without_box)
{
    fixture f = setup();
    size_t bare = rg_dl_add_page(f.dl, 595, 842);            /* no area */
    f.page = bare;
    draw(&f, -1, "los", 0, 3, 100, 400, 0);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_BOX] == 1);
    CHECK(said(&f, "belongs to no box"));
    teardown(&f);
}

TEST(check_overlapping_runs)
{
    fixture f = setup();
    draw(&f, -1, "Kop links", 0, 9, 100, 600, 0);
    draw(&f, -1, "Kop rechts", 0, 10, 120, 602, 0);        /* drawn over it */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    teardown(&f);
}

TEST(check_adjacent_runs_on_a_line_are_not_overlaps)
{
    fixture f = setup();
    /* "Let op" bold-like piece followed directly by the rest of the line */
    rg_para a = shape(&f, "Let op: ");
    const rg_line_piece *pc = &a.lines[0].pieces[0];
    rg_dl_glyph_run(f.dl, f.page, pc->font, 10, BLACK, 100, 600, pc->glyphs, pc->nglyphs,
                    "Let op: ", 8);
    draw(&f, -1, "fijn", 0, 4, 100 + pc->width, 600, 0);
    rg_check_result res;
    CHECK(run_check(&f, &res) == 0);
    teardown(&f);
}

TEST(check_text_over_a_rule_of_another_box)
{
    fixture f = setup();
    draw(&f, -1, "Tekst", 0, 5, 100, 600, 0);
    rg_dl_box_open(f.dl, f.page, RG_BOX_CELL, 90, 590, 200, 620, 0);
    rg_dl_line(f.dl, f.page, 90, 603, 200, 603, BLACK, 0.5);           /* through the text */
    rg_dl_box_close(f.dl);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    CHECK(said(&f, "text drawn over a rule"));
    teardown(&f);
}

/* A chart's labels (label boxes inside its chart box) may lie over the
 * chart's own grid lines and bars; a text-area rule is still another box's. */
TEST(check_chart_label_over_its_chart_drawing_is_fine)
{
    fixture f = setup();
    rg_dl_box_open(f.dl, f.page, RG_BOX_CHART, 80, 500, 400, 700, 9);
    rg_dl_line(f.dl, f.page, 80, 603, 400, 603, BLACK, 0.5);         /* a grid line */
    rg_dl_rect_fill(f.dl, f.page, 95, 598, 10, 40, BLACK);           /* a bar, partly */
    rg_dl_box_open(f.dl, f.page, RG_BOX_LABEL, 90, 590, 200, 620, 9);
    draw(&f, -1, "Tekst", 0, 5, 100, 600, 0);
    rg_dl_box_close(f.dl);
    rg_dl_box_close(f.dl);
    CHECK(run_check(&f, NULL) == 0);
    rg_dl_line(f.dl, f.page, 70, 604, 500, 604, BLACK, 0.5);         /* the text area's */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    teardown(&f);
}

TEST(check_text_on_a_background_fill_is_fine)
{
    fixture f = setup();
    rg_dl_rect_fill(f.dl, f.page, 90, 590, 200, 30, BLACK);            /* under all of it */
    draw(&f, -1, "Tekst", 0, 5, 100, 600, 0);
    rg_dl_rect_fill(f.dl, f.page, 110, 550, 40, 52, BLACK);            /* a bar: partly */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    CHECK(said(&f, "text partly over a fill"));
    teardown(&f);
}

/* A link's underline (a thin fill right after its run, along it) crosses
 * the run's own descenders: its decoration, no overlap. Drawn after another
 * run, or under a run it does not belong to, it is a rule over text; out
 * of its run's box, a box violation. */
TEST(check_underline_crosses_its_own_descenders)
{
    fixture f = setup();
    static const char LINK[] = "gegevens opgeslagen";
    int p = rg_dl_para_add(f.dl, LINK, strlen(LINK), 5, 0);
    rg_para s = shape(&f, LINK);
    double w = s.lines[0].pieces[0].width;
    draw(&f, p, LINK, 0, strlen(LINK), 100, 600, 0);
    rg_dl_rect_fill(f.dl, f.page, 100, 598.5, w, 0.5, BLACK);         /* through g and p */
    CHECK(run_check(&f, NULL) == 0);
    rg_para sj = shape(&f, "jong");
    double wj = sj.lines[0].pieces[0].width;
    draw(&f, -1, "jong", 0, 4, 100 + w, 600, 0);    /* the link's next piece: its j hooks */
    rg_dl_rect_fill(f.dl, f.page, 100 + w, 598.5, wj, 0.5, BLACK);     /* under the one before */
    CHECK(run_check(&f, NULL) == 0);
    draw(&f, -1, "jong", 0, 4, 100, 596, 0);        /* a run on another baseline is no neighbour */
    CHECK(run_check(&f, NULL) >= 1 && said(&f, "text drawn over a rule: \"jong\""));
    teardown(&f);

    f = setup();
    p = rg_dl_para_add(f.dl, LINK, strlen(LINK), 5, 0);
    draw(&f, p, LINK, 0, strlen(LINK), 100, 600, 0);
    rg_dl_rect_fill(f.dl, f.page, 100, 598.5, w, 0.5, BLACK);
    draw(&f, -1, "los", 0, 3, 300, 400, 0);
    rg_dl_rect_fill(f.dl, f.page, 100, 598.5, w, 0.5, BLACK);         /* after another run */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    CHECK(said(&f, "text drawn over a rule"));
    teardown(&f);

    f = setup();                               /* no descenders: the cell ends at 599 */
    s = shape(&f, "Voorwoord");
    w = s.lines[0].pieces[0].width;
    rg_dl_box_open(f.dl, f.page, RG_BOX_CELL, 95, 599, 105 + w, 620, 8);
    draw(&f, -1, "Voorwoord", 0, 9, 100, 600, 0);
    rg_dl_rect_fill(f.dl, f.page, 100, 598, w, 0.5, BLACK);           /* below the cell */
    rg_dl_box_close(f.dl);
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_BOX] == 1 && res.violations[RG_CHECK_OVERLAP] == 0);
    CHECK(said(&f, "def.xml:8: error: layout check (box): page 1: underline outside its table cell"));
    teardown(&f);
}

static const char COMPOUND[] = "gegevensuitwisselingsvoorziening";

/* Draws text turned by 45 degrees about its pen at x, y (a dense chart
 * axis's category label); returns its advance. */
static double draw_turned(fixture *f, int para, const char *text, size_t from, size_t to,
                          double x, double y, unsigned flags)
{
    char part[256];
    snprintf(part, sizeof part, "%.*s", (int)(to - from), text + from);
    rg_dl_rotate_next(f->dl, 45);
    draw(f, para, text, from, to, x, y, flags);
    return shape(f, part).lines[0].width;
}

/* Turned runs overlap where their turned glyphs do: two labels crossing
 * each other, or one turned over an upright one, do; two parallel turned
 * labels 16 pt apart do not, though their glyphs' upright boxes overlap
 * (the same two runs unturned stand on one baseline, one over the other)
 * and so do their turned glyphs' bounding boxes. */
TEST(check_turned_runs_overlap_by_their_turned_ink)
{
    static const char LONG[] = "Gegevensuitwisseling";
    fixture f = setup();
    draw_turned(&f, -1, LONG, 0, strlen(LONG), 100, 500, 0);
    draw_turned(&f, -1, LONG, 0, strlen(LONG), 116, 500, 0);
    rg_check_result res;
    CHECK(run_check(&f, &res) == 0);
    CHECK(res.runs == 2);
    teardown(&f);

    f = setup();                                           /* unturned: one over the other */
    draw(&f, -1, LONG, 0, strlen(LONG), 100, 500, 0);
    draw(&f, -1, LONG, 0, strlen(LONG), 116, 500, 0);
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    teardown(&f);

    f = setup();                                           /* 8 pt apart: they touch */
    draw_turned(&f, -1, LONG, 0, strlen(LONG), 100, 500, 0);
    draw_turned(&f, -1, LONG, 0, strlen(LONG), 108, 500, 0);
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    CHECK(said(&f, "text drawn over other text"));
    teardown(&f);

    f = setup();                                           /* across an upright run */
    draw(&f, -1, LONG, 0, strlen(LONG), 100, 560, 0);
    draw_turned(&f, -1, LONG, 0, strlen(LONG), 130, 520, 0);
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    teardown(&f);
}

/* A turned run's ink is its turned glyphs': it must stay in its box as
 * such, and a rule it crosses turned is touched. */
TEST(check_turned_run_in_its_box_and_over_rules)
{
    static const char LONG[] = "Gegevensuitwisseling";
    fixture f = setup();
    rg_dl_box_open(f.dl, f.page, RG_BOX_LABEL, 95, 495, 180, 580, 5);
    double w = draw_turned(&f, -1, LONG, 0, strlen(LONG), 100, 500, 0);
    rg_dl_box_close(f.dl);
    CHECK(w > 80 && w < 115);                              /* reaches ~ 0.7 w right and up */
    rg_check_result res;
    CHECK(run_check(&f, &res) == 0);
    rg_dl_line(f.dl, f.page, 70, 545, 100, 545, BLACK, 0.5);     /* left of it: free */
    CHECK(run_check(&f, &res) == 0);
    teardown(&f);

    f = setup();
    rg_dl_box_open(f.dl, f.page, RG_BOX_LABEL, 95, 495, 150, 580, 5);   /* too narrow */
    draw_turned(&f, -1, LONG, 0, strlen(LONG), 100, 500, 0);
    rg_dl_box_close(f.dl);
    rg_dl_line(f.dl, f.page, 70, 545, 200, 545, BLACK, 0.5);     /* through it */
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_BOX] == 1);
    CHECK(res.violations[RG_CHECK_OVERLAP] == 1);
    CHECK(said(&f, "def.xml:5: error: layout check (box): page 1: text outside its chart label"));
    teardown(&f);
}

/* A turned label hyphenated over two lines: the line and its hyphen are
 * one line (adjacent along the turned baseline), the next line starts a
 * line further; without the hyphen the break is a word broken. */
TEST(check_turned_lines_break_as_upright_ones)
{
    for (int hyphen = 0; hyphen <= 1; hyphen++) {
        fixture f = setup();
        int p = rg_dl_para_add(f.dl, COMPOUND, strlen(COMPOUND), 8, 0);
        double w = draw_turned(&f, p, COMPOUND, 0, 8, 100, 500, 0);         /* "gegevens" */
        if (hyphen) {
            rg_para h = shape(&f, "-");
            const rg_line_piece *pc = &h.lines[0].pieces[0];
            rg_dl_source(f.dl, p, 8, RG_RUN_HYPHEN);
            rg_dl_source_word(f.dl, COMPOUND + 8, strlen(COMPOUND) - 8, 0);
            rg_dl_rotate_next(f.dl, 45);
            rg_dl_glyph_run(f.dl, f.page, pc->font, pc->size, BLACK, 100 + w * 0.70710678,
                            500 + w * 0.70710678, pc->glyphs, pc->nglyphs, "\xc2\xad", 2);
        }
        /* the next line: 13 pt further along the normal, down and right */
        draw_turned(&f, p, COMPOUND, 8, strlen(COMPOUND), 100 + 13 * 0.70710678,
                    500 - 13 * 0.70710678, 0);
        rg_check_result res;
        run_check(&f, &res);
        CHECK(res.violations[RG_CHECK_OVERLAP] == 0);
        CHECK(res.violations[RG_CHECK_BREAK] == (hyphen ? 0u : 1u));
        CHECK(res.total == res.violations[RG_CHECK_BREAK]);
        teardown(&f);
    }
}

TEST(check_word_broken_without_hyphen)
{
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, COMPOUND, strlen(COMPOUND), 21, 0);
    draw(&f, p, COMPOUND, 0, 8, 70, 700, 0);                /* "gegevens" */
    draw(&f, p, COMPOUND, 8, strlen(COMPOUND), 70, 686, 0);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_BREAK] == 1);
    CHECK(said(&f, "def.xml:21: error: layout check (break): page 1: a word broken without a hyphen"));
    teardown(&f);
}

/* Ideographs break between any two, without a hyphen (UAX #14's ID
 * class): "漢字漢字" over two lines is no broken word. */
TEST(check_ideographs_break_anywhere)
{
    static const char CJK[] = "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97";
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, CJK, strlen(CJK), 4, 0);
    draw(&f, p, CJK, 0, 6, 70, 700, 0);
    draw(&f, p, CJK, 6, strlen(CJK), 70, 686, 0);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_BREAK] == 0);
    teardown(&f);
}

TEST(check_word_broken_with_hyphen_or_warned_passes)
{
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, COMPOUND, strlen(COMPOUND), 21, 0);
    draw(&f, p, COMPOUND, 0, 8, 70, 700, 0);
    draw_hyphen(&f, p, 8, 120, 700);
    draw(&f, p, COMPOUND, 8, 20, 70, 686, RG_RUN_HARD_BREAK);   /* warned by layout */
    draw(&f, p, COMPOUND, 20, strlen(COMPOUND), 70, 672, 0);
    CHECK(run_check(&f, NULL) == 0);
    teardown(&f);
}

/* Draws one italic J at 24 pt with its pen at x (line 3). */
static void draw_italic_j(fixture *f, double x)
{
    rg_font *it = NULL;
    CHECK(rg_font_find(f->ctx, "Noto Sans", 0, 1, &it) == RG_OK);
    rg_text_run r = { "J", 1, it, 24, BLACK, NULL, "nl-NL", 0 };
    rg_break_opts o = rg_break_simple(1e6, RG_ALIGN_LEFT);
    rg_para p;
    rg_text_break(f->ctx, f->arena, &r, 1, &o, &p);
    const rg_line_piece *pc = &p.lines[0].pieces[0];
    rg_dl_source(f->dl, rg_dl_para_add(f->dl, "J", 1, 3, 0), 0, 0);
    rg_dl_glyph_run(f->dl, f->page, pc->font, pc->size, BLACK, x, 700, pc->glyphs, pc->nglyphs,
                    "J", 1);
}

/* An italic J's tail reaches left past its pen by more than a tenth of
 * an em: set at the text area's edge, that is the font's design; set
 * 3 pt further left, it is outside. */
TEST(check_italic_overhang_is_the_fonts_not_an_overflow)
{
    fixture f = setup();
    draw_italic_j(&f, 70);
    CHECK(run_check(&f, NULL) == 0);
    teardown(&f);
    f = setup();
    draw_italic_j(&f, 67);
    CHECK(run_check(&f, NULL) == 1);
    CHECK(said(&f, "text outside its text area"));
    teardown(&f);
}

/* A figure is broken only when it is wider than its line, and then with
 * a warning (the run's RG_RUN_HARD_BREAK): unflagged, it is a violation. */
TEST(check_figure_is_never_broken_unwarned)
{
    static const char FIG[] = "Totaal 12345678901234 euro";
    for (int warned = 0; warned <= 1; warned++) {
        fixture f = setup();
        int p = rg_dl_para_add(f.dl, FIG, strlen(FIG), 5, 0);
        draw(&f, p, FIG, 0, 12, 70, 700, warned ? RG_RUN_HARD_BREAK : 0); /* "Totaal 12345" */
        draw(&f, p, FIG, 12, strlen(FIG), 70, 686, 0);
        rg_check_result res;
        run_check(&f, &res);
        CHECK(res.violations[RG_CHECK_BREAK] == (warned ? 0 : 1));
        CHECK(warned || said(&f, "a figure broken across lines"));
        teardown(&f);
    }
}

TEST(check_address_breaks_after_slash_only)
{
    static const char URL[] = "zie https://www.logius.nl/domeinen/toegang";
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, URL, strlen(URL), 9, 1);
    draw(&f, p, URL, 0, 26, 70, 700, 0);                    /* ".../" */
    draw(&f, p, URL, 26, strlen(URL), 70, 686, 0);
    CHECK(run_check(&f, NULL) == 0);
    fixture g = setup();
    p = rg_dl_para_add(g.dl, URL, strlen(URL), 9, 1);
    draw(&g, p, URL, 0, 30, 70, 700, 0);                    /* inside "domeinen" */
    draw_hyphen(&g, p, 30, 200, 700);
    draw(&g, p, URL, 30, strlen(URL), 70, 686, 0);
    rg_check_result res;
    run_check(&g, &res);
    CHECK(res.violations[RG_CHECK_BREAK] == 1);
    CHECK(said(&g, "an address broken"));
    teardown(&f);
    teardown(&g);
}

TEST(check_text_left_out)
{
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, WORDS, strlen(WORDS), 4, 0);
    draw(&f, p, WORDS, 0, 19, 70, 700, 0);                  /* the rest never drawn */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_CUT] == 1);
    CHECK(said(&f, "text left out: \"van voorzieningen\""));
    teardown(&f);
}

TEST(check_text_skipped_between_lines)
{
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, COMPOUND, strlen(COMPOUND), 4, 0);
    draw(&f, p, COMPOUND, 0, 8, 70, 700, RG_RUN_HARD_BREAK);
    draw(&f, p, COMPOUND, 12, strlen(COMPOUND), 70, 686, 0);   /* "uitw" lost */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_CUT] >= 1);
    teardown(&f);
}

TEST(check_shortened_text_needs_an_ellipsis)
{
    static const char TITLE[] = "Een zeer lange titel van de rapportage";
    fixture f = setup();
    int p = rg_dl_para_add(f.dl, TITLE, strlen(TITLE), 2, 0);
    draw(&f, p, TITLE, 0, 14, 70, 700, RG_RUN_SHORTENED);   /* no ellipsis */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_CUT] == 1);
    CHECK(said(&f, "shortened text without an ellipsis"));
    fixture g = setup();
    p = rg_dl_para_add(g.dl, TITLE, strlen(TITLE), 2, 0);
    char shortened[64];
    snprintf(shortened, sizeof shortened, "%.14s\xE2\x80\xA6", TITLE);
    rg_para sp = shape(&g, shortened);
    const rg_line_piece *pc = &sp.lines[0].pieces[0];
    rg_dl_source(g.dl, p, 0, RG_RUN_SHORTENED);
    rg_dl_glyph_run(g.dl, g.page, pc->font, 10, BLACK, 70, 700, pc->glyphs, pc->nglyphs,
                    shortened, strlen(shortened));
    CHECK(run_check(&g, NULL) == 0);
    teardown(&f);
    teardown(&g);
}

/* ---- keep: no page ends with a heading whose section goes on ---- */

/* A run of text in element elem on page (no font: the checker's ink and
 * box invariants skip it, the keep invariant reads its element). */
static void run(rg_dl *dl, size_t page, int elem, const char *text, double y)
{
    static const rg_color black = { 0, 0, 0 };
    rg_dl_elem_enter(dl, elem);
    rg_dl_glyph_run(dl, page, NULL, 10, black, 72, y, NULL, 0, text, strlen(text));
    rg_dl_elem_leave(dl);
}

/* Two pages: a paragraph, then a heading of level at the foot of page 1;
 * page 2 starts with a heading of next_level (0: a paragraph, -1:
 * nothing), then a footer artifact on both. */
static size_t keep_violations(int level, int next_level)
{
    static const char *const H[] = { "H1", "H2", "H3" };
    rg_dl *dl = rg_dl_new();
    int doc = rg_dl_elem_new(dl, -1, "Document");
    rg_dl_elem_enter(dl, doc);
    size_t p1 = rg_dl_add_page(dl, 595, 842), p2 = rg_dl_add_page(dl, 595, 842);
    int sect = rg_dl_elem_new(dl, doc, "Sect");
    run(dl, p1, rg_dl_elem_new(dl, sect, "P"), "Een alinea.", 700);
    int sub = rg_dl_elem_new(dl, sect, "Sect");
    run(dl, p1, rg_dl_elem_new(dl, sub, H[level - 1]), "Een kop", 100);
    if (next_level > 0) {
        int next = rg_dl_elem_new(dl, doc, "Sect");
        run(dl, p2, rg_dl_elem_new(dl, next, H[next_level - 1]), "Volgende kop", 770);
    } else if (next_level == 0) {
        run(dl, p2, rg_dl_elem_new(dl, sub, "P"), "De tekst onder de kop.", 770);
    }
    for (size_t p = p1; p <= p2; p++) {          /* decoration is not content */
        rg_dl_artifact_begin(dl, p);
        rg_dl_glyph_run(dl, p, NULL, 8, (rg_color){ 0, 0, 0 }, 72, 30, NULL, 0, "pagina", 6);
        rg_dl_artifact_end(dl, p);
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_check_result res;
    rg_check_layout(ctx, dl, "plant.xml", &res);
    CHECK(res.total == res.violations[RG_CHECK_KEEP]);
    rg_ctx_free(ctx);
    rg_dl_free(dl);
    return res.violations[RG_CHECK_KEEP];
}

TEST(check_keep_finds_a_heading_that_ends_a_page)
{
    CHECK(keep_violations(2, 0) == 1);           /* its text went on without it */
    CHECK(keep_violations(2, 3) == 1);           /* its subsection went on without it */
    CHECK_STR(rg_check_kind_name(RG_CHECK_KEEP), "keep");
}

TEST(check_keep_allows_an_empty_section_and_the_last_heading)
{
    CHECK(keep_violations(2, 2) == 0);           /* a section of its level follows */
    CHECK(keep_violations(2, 1) == 0);           /* a chapter follows */
    CHECK(keep_violations(2, -1) == 0);          /* nothing follows */
}

TEST(check_keep_allows_text_after_a_heading_on_its_page)
{
    rg_dl *dl = rg_dl_new();
    int doc = rg_dl_elem_new(dl, -1, "Document");
    rg_dl_elem_enter(dl, doc);
    size_t p1 = rg_dl_add_page(dl, 595, 842), p2 = rg_dl_add_page(dl, 595, 842);
    int sect = rg_dl_elem_new(dl, doc, "Sect");
    run(dl, p1, rg_dl_elem_new(dl, sect, "H1"), "Kop", 770);
    int para = rg_dl_elem_new(dl, sect, "P");
    run(dl, p1, para, "Eerste regels.", 750);
    run(dl, p2, para, "Laatste regels.", 770);
    rg_ctx *ctx = rg_ctx_new(NULL);
    CHECK(rg_check_layout(ctx, dl, "plant.xml", NULL) == 0);
    rg_ctx_free(ctx);
    rg_dl_free(dl);
}

/* ---- landscape pages (issue 16): each page's own media box ---- */

/* setup()'s portrait page, then a landscape page (842 x 595) whose text
 * area is x 70..772, y 70..525: f.page. */
static fixture setup_landscape(void)
{
    fixture f = setup();
    f.page = rg_dl_add_page(f.dl, 842, 595);
    rg_dl_page_area(f.dl, f.page, RG_BOX_TEXT_AREA, 70, 70, 772, 525);
    return f;
}

TEST(check_landscape_page_uses_its_own_width)
{
    fixture f = setup_landscape();
    int p = rg_dl_para_add(f.dl, WORDS, strlen(WORDS), 12, 0);
    draw(&f, p, WORDS, 0, strlen(WORDS), 560, 500, 0);    /* beyond a portrait page */
    rg_dl_line(f.dl, f.page, 70, 80, 772, 80, BLACK, 0.5);
    rg_dl_rect_fill(f.dl, f.page, 700, 100, 60, 20, BLACK);
    rg_check_result res;
    CHECK(run_check(&f, &res) == 0);
    teardown(&f);
}

TEST(check_text_area_outside_the_page)
{
    fixture f = setup_landscape();
    /* the text area a portrait page has, on the landscape page: 770 > 595 */
    size_t pg = rg_dl_add_page(f.dl, 842, 595);
    rg_dl_page_area(f.dl, pg, RG_BOX_TEXT_AREA, 70, 70, 525, 770);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_MEDIA] == 1);
    CHECK(said(&f, "layout check (media): page 3: its text area (70.0..525.0 x 70.0..770.0) "
                   "outside the page (842.0 x 595.0)"));
    teardown(&f);
}

TEST(check_drawing_outside_the_page)
{
    fixture f = setup_landscape();
    /* a footer rule and a fill laid out for a portrait page's height */
    rg_dl_line(f.dl, f.page, 70, 800, 525, 800, BLACK, 0.5);
    rg_dl_rect_fill(f.dl, f.page, 70, 590, 100, 20, BLACK);
    rg_dl_link_uri(f.dl, f.page, 800, 100, 60, 10, "https://www.logius.nl/", NULL);
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_MEDIA] == 3);
    CHECK(said(&f, "page 2: a rule outside the page"));
    CHECK(said(&f, "page 2: a fill outside the page"));
    CHECK(said(&f, "page 2: a link's area outside the page"));
    teardown(&f);
}

/* ---- page references (issue 16, xref) ---- */

/* Three pages, the cover labelled "Omslag" and the rest 2, 3; a
 * destination on the third page and a page reference to it on the
 * second that prints text. */
static size_t pageref_violations(const char *text, const char *dest)
{
    rg_dl *dl = rg_dl_new();
    for (int i = 0; i < 3; i++) rg_dl_add_page(dl, 595, 842);
    rg_dl_label_add(dl, 0, RG_LABEL_NONE, 1, "Omslag");
    rg_dl_label_add(dl, 1, RG_LABEL_DECIMAL, 2, NULL);
    rg_dl_dest_add(dl, 2, "bijlage-a", 770);
    rg_dl_pageref_add(dl, 1, text, strlen(text), dest, 12);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_check_result res;
    rg_check_layout(ctx, dl, "plant.xml", &res);
    CHECK(res.total == res.violations[RG_CHECK_PAGEREF]);
    if (res.total) CHECK(strstr(ctx->diag_text, "plant.xml:12:") != NULL);
    rg_ctx_free(ctx);
    rg_dl_free(dl);
    return res.violations[RG_CHECK_PAGEREF];
}

TEST(check_pageref_passes_the_printed_page_number)
{
    CHECK(pageref_violations("3", "bijlage-a") == 0);
    CHECK_STR(rg_check_kind_name(RG_CHECK_PAGEREF), "pageref");
}

TEST(check_pageref_fails_on_a_wrong_number)
{
    CHECK(pageref_violations("2", "bijlage-a") == 1);    /* the page index, not its label */
    CHECK(pageref_violations("4", "bijlage-a") == 1);
    CHECK(pageref_violations("3", "elders") == 1);       /* a destination on no page */
}

TEST(check_page_label_follows_the_labels)
{
    rg_dl *dl = rg_dl_new();
    for (int i = 0; i < 4; i++) rg_dl_add_page(dl, 595, 842);
    rg_dl_label_add(dl, 0, RG_LABEL_NONE, 1, "Omslag");
    rg_dl_label_add(dl, 1, RG_LABEL_ROMAN_LOWER, 1, NULL);
    rg_dl_label_add(dl, 3, RG_LABEL_DECIMAL, 1, NULL);
    char s[16];
    rg_dl_page_label(dl, 0, s, sizeof s);
    CHECK_STR(s, "Omslag");
    rg_dl_page_label(dl, 2, s, sizeof s);
    CHECK_STR(s, "ii");
    rg_dl_page_label(dl, 3, s, sizeof s);
    CHECK_STR(s, "1");
    rg_dl_free(dl);
}

/* Footnotes (issue 16): a note whose first line is on its reference's
 * page passes; one set a page later, or never, fails. */
TEST(check_footnote_on_its_references_page)
{
    fixture f = setup();
    size_t p2 = rg_dl_add_page(f.dl, 595, 842);
    rg_dl_note_ref(f.dl, f.page, "rg-note-1", 14);
    rg_dl_note_at(f.dl, f.page, "rg-note-1");
    rg_dl_note_ref(f.dl, f.page, "rg-note-2", 15);
    rg_dl_note_at(f.dl, p2, "rg-note-2");        /* the next page: broken */
    rg_dl_note_ref(f.dl, p2, "rg-note-3", 16);   /* never set */
    rg_check_result res;
    run_check(&f, &res);
    CHECK(res.violations[RG_CHECK_NOTE] == 2);
    CHECK(said(&f, "def.xml:15: error: layout check (note): page 1: a footnote whose first "
                   "line is not on its reference's page: \"rg-note-2\""));
    CHECK(said(&f, "def.xml:16: error: layout check (note): page 2: a footnote that is never set"));
    CHECK_STR(rg_check_kind_name(RG_CHECK_NOTE), "note");
    teardown(&f);
}
