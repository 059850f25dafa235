/* test_hyphen.c - hyphenation points from Debian's hyphen-nl patterns
 * (hyph_nl_NL.dic, ISO8859-1) and the rules around them: minimums, words
 * never hyphenated, soft hyphens, unknown languages, own pattern files. */
#include "hyphen/hyphen.h"
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

static const rg_hyphen_opts loose = { 5, 2, 2 };

/* The word with a '-' at each point rg_hyphenate gives, into out. */
static const char *render(rg_ctx *ctx, const char *lang, const char *word,
                          const rg_hyphen_opts *o, char *out, size_t outsz)
{
    size_t points[RG_HYPHEN_MAX_WORD], len = strlen(word);
    size_t n = rg_hyphenate(ctx, lang, word, len, o, points, RG_HYPHEN_MAX_WORD);
    size_t k = 0, w = 0;
    for (size_t i = 0; i <= len && w + 2 < outsz; i++) {
        if (k < n && points[k] == i) {
            out[w++] = '-';
            k++;
        }
        if (i < len) out[w++] = word[i];
    }
    out[w] = 0;
    return out;
}

#define HY(ctx, lang, word, o) render(ctx, lang, word, o, buf, sizeof buf)

TEST(hyphen_dutch_words_from_the_patterns)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    CHECK_STR(HY(ctx, "nl-NL", "informatieveiligheidstandaarden", &loose),
              "in-for-ma-tie-vei-lig-heid-stan-daar-den");
    CHECK_STR(HY(ctx, "nl-NL", "beschikbaarheidscijfers", &loose),
              "be-schik-baar-heids-cij-fers");
    CHECK_STR(HY(ctx, "nl-NL", "financi\xc3\xabn", &loose), "fi-nan-ci-\xc3\xabn");
    CHECK_STR(HY(ctx, "nl-NL", "co\xc3\xb6rdinator", &loose), "co-\xc3\xb6r-di-na-tor");
    CHECK_STR(HY(ctx, "nl-NL", "opdrachtenverstrekking", &loose),
              "op-drach-ten-ver-strek-king");
    CHECK_STR(HY(ctx, "nl-NL", "bedrijfsvoeringsfuncties", &loose),
              "be-drijfs-voe-rings-func-ties");
    CHECK_STR(HY(ctx, "nl-NL", "rapportage", &loose), "rap-por-ta-ge");
    CHECK_STR(HY(ctx, "nl-NL", "continu\xc3\xafteit", &loose), "con-ti-nu-\xc3\xaf-teit");
    CHECK(ctx->warnings == 0);
    rg_ctx_free(ctx);
}

TEST(hyphen_language_tags_and_case)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    const char *tags[] = { "nl", "nl-NL", "nl_NL", "nl-BE", "NL-nl", "nl-Latn-NL" };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        CHECK_STR(HY(ctx, tags[i], "rapportage", &loose), "rap-por-ta-ge");
    /* uppercase hyphenates like lowercase, Latin-1 included (Ë -> ë) */
    CHECK_STR(HY(ctx, "nl", "Informatieveiligheid", &loose), "In-for-ma-tie-vei-lig-heid");
    CHECK_STR(HY(ctx, "nl", "INFORMATIEVEILIGHEID", &loose), "IN-FOR-MA-TIE-VEI-LIG-HEID");
    CHECK_STR(HY(ctx, "nl", "FINANCI\xc3\x8bN", &loose), "FI-NAN-CI-\xc3\x8bN");
    CHECK(ctx->warnings == 0);
    rg_ctx_free(ctx);
}

TEST(hyphen_left_right_and_min_word)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    const rg_hyphen_opts l2r3 = { 5, 2, 3 }, l4r4 = { 5, 4, 4 }, min11 = { 11, 2, 2 };
    /* "ën" is 2 characters (3 bytes): gone with right = 3 */
    CHECK_STR(HY(ctx, "nl", "financi\xc3\xabn", &l2r3), "fi-nan-ci\xc3\xabn");
    CHECK_STR(HY(ctx, "nl", "co\xc3\xb6rdinator", &l2r3), "co-\xc3\xb6r-di-na-tor");
    CHECK_STR(HY(ctx, "nl", "co\xc3\xb6rdinator", &l4r4), "co\xc3\xb6r-di-nator");
    CHECK_STR(HY(ctx, "nl", "rapportage", &l4r4), "rappor-tage");
    /* the patterns' own minimum (2) holds even when we ask for less */
    const rg_hyphen_opts l1r1 = { 1, 1, 1 };
    CHECK_STR(HY(ctx, "nl", "rapportage", &l1r1), "rap-por-ta-ge");
    CHECK_STR(HY(ctx, "nl", "rapportage", NULL), "rap-por-ta-ge");
    /* min_word counts characters: continuïteit has 12 in 13 bytes */
    const rg_hyphen_opts min12 = { 12, 2, 2 }, min13 = { 13, 2, 2 };
    CHECK_STR(HY(ctx, "nl", "continu\xc3\xafteit", &min12), "con-ti-nu-\xc3\xaf-teit");
    CHECK_STR(HY(ctx, "nl", "continu\xc3\xafteit", &min13), "continu\xc3\xafteit");
    CHECK_STR(HY(ctx, "nl", "rapportage", &min11), "rapportage");
    rg_ctx_free(ctx);
}

TEST(hyphen_never_in_codes_urls_emails)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    CHECK_STR(HY(ctx, "nl", "rapportage2023", &loose), "rapportage2023");
    CHECK_STR(HY(ctx, "nl", "informatie\xc2\xb2", &loose), "informatie\xc2\xb2");
    CHECK_STR(HY(ctx, "nl", "info@rapportage.nl", &loose), "info@rapportage.nl");
    CHECK_STR(HY(ctx, "nl", "https://rapportage.example", &loose),
              "https://rapportage.example");
    CHECK_STR(HY(ctx, "nl", "www.rapportage.nl", &loose), "www.rapportage.nl");
    CHECK_STR(HY(ctx, "nl", "WWW.RAPPORTAGE.NL", &loose), "WWW.RAPPORTAGE.NL");
    /* outside ISO8859-1 (Œ, €), or not UTF-8 at all */
    CHECK_STR(HY(ctx, "nl", "rapportage\xc5\x92", &loose), "rapportage\xc5\x92");
    CHECK_STR(HY(ctx, "nl", "rapportage\xe2\x82\xac", &loose), "rapportage\xe2\x82\xac");
    CHECK_STR(HY(ctx, "nl", "rapport\xe9ge", &loose), "rapport\xe9ge");
    /* longer than RG_HYPHEN_MAX_WORD bytes */
    char longw[RG_HYPHEN_MAX_WORD + 20] = "";
    while (strlen(longw) + 10 <= RG_HYPHEN_MAX_WORD + 10) strcat(longw, "rapportage");
    CHECK(strlen(longw) > RG_HYPHEN_MAX_WORD);
    size_t pts[RG_HYPHEN_MAX_WORD];
    CHECK(rg_hyphenate(ctx, "nl", longw, strlen(longw), &loose, pts, RG_HYPHEN_MAX_WORD) == 0);
    /* no point next to a hard hyphen, which the line breaker handles */
    CHECK_STR(HY(ctx, "nl", "e-mailadres", &loose), "e-mail-adres");
    CHECK(ctx->warnings == 0);
    rg_ctx_free(ctx);
}

TEST(hyphen_soft_hyphens_override_patterns)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    size_t pts[8];
    /* "rapport\u00ADage": only after the soft hyphen, not "rap-por-ta-ge" */
    const char *w = "rapport\xc2\xad" "age";
    CHECK(rg_hyphenate(ctx, "nl", w, strlen(w), &loose, pts, 8) == 1 && pts[0] == 9);
    CHECK_STR(HY(ctx, "nl", "in\xc2\xad" "for\xc2\xad" "ma\xc2\xad" "tie", &loose),
              "in\xc2\xad-for\xc2\xad-ma\xc2\xad-tie");
    /* in a language without patterns too, and without a warning */
    CHECK_STR(HY(ctx, "xx", "ab\xc2\xad" "cd", &loose), "ab\xc2\xad-cd");
    CHECK(ctx->warnings == 0);
    /* max bounds the points written */
    CHECK(rg_hyphenate(ctx, "nl", "in\xc2\xad" "for\xc2\xad" "ma", 10, &loose, pts, 1) == 1 &&
          pts[0] == 4);
    CHECK(rg_hyphenate(ctx, "nl", "rapportage", 10, &loose, pts, 2) == 2 &&
          pts[0] == 3 && pts[1] == 6);
    rg_ctx_free(ctx);
}

TEST(hyphen_unknown_language_warns_once)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    CHECK_STR(HY(ctx, "tlh", "rapportage", &loose), "rapportage");
    CHECK_STR(HY(ctx, "tlh", "informatieveiligheid", &loose), "informatieveiligheid");
    CHECK_STR(HY(ctx, "../../etc/x", "rapportage", &loose), "rapportage");
    CHECK_STR(HY(ctx, "../../etc/x", "rapportage", &loose), "rapportage");
    CHECK_STR(ctx->diag_text,
              "reportgen: warning: no hyphenation patterns for language 'tlh'; "
              "text in it is not hyphenated\n"
              "reportgen: warning: no hyphenation patterns for language '../../etc/x'; "
              "text in it is not hyphenated\n");
    CHECK(ctx->warnings == 2);
    /* no language at all: nothing, silently */
    CHECK_STR(HY(ctx, NULL, "rapportage", &loose), "rapportage");
    CHECK_STR(HY(ctx, "", "rapportage", &loose), "rapportage");
    CHECK(ctx->warnings == 2);
    rg_ctx_free(ctx);
    /* a new context warns again */
    ctx = rg_ctx_new(NULL);
    CHECK_STR(HY(ctx, "tlh-QO", "rapportage", &loose), "rapportage");
    CHECK(ctx->warnings == 1);
    rg_ctx_free(ctx);
}

/* A preload gives the same points as loading on first use, loads each
 * file once (nl-NL and nl share Debian's file), changes nothing for a
 * language without patterns (the warning still comes once, at use), and a
 * context freed while its preload runs (or never used) neither leaks nor
 * crashes (make sanitize-check runs this under ASan). */
TEST(hyphen_preload_matches_load_on_use)
{
    char plain[256], pre[256], buf[256];
    rg_ctx *ctx = rg_ctx_new(NULL);
    snprintf(plain, sizeof plain, "%s", HY(ctx, "nl-NL", "informatieveiligheid", &loose));
    rg_ctx_free(ctx);

    ctx = rg_ctx_new(NULL);
    rg_hyphen_preload(ctx, "nl-NL");
    rg_hyphen_preload(ctx, "nl-NL");        /* once is enough: no second thread */
    rg_hyphen_preload(ctx, "tlh");          /* no patterns: nothing happens */
    rg_hyphen_preload(ctx, "../x");         /* not a language: refused */
    rg_hyphen_preload(ctx, NULL);
    CHECK(ctx->warnings == 0);
    snprintf(pre, sizeof pre, "%s", HY(ctx, "nl-NL", "informatieveiligheid", &loose));
    CHECK_STR(pre, plain);
    CHECK_STR(HY(ctx, "nl", "rapportage", &loose), "rap-por-ta-ge");
    rg_hyphen_preload(ctx, "nl");           /* loaded already: nothing happens */
    CHECK_STR(HY(ctx, "tlh", "rapportage", &loose), "rapportage");
    CHECK(ctx->warnings == 1);
    rg_ctx_free(ctx);

    ctx = rg_ctx_new(NULL);
    rg_hyphen_preload(ctx, "nl-BE");        /* freed before it is used */
    rg_ctx_free(ctx);
}

/* Points are remembered per word, language and minimums: asking again, or
 * with other minimums or fewer slots, gives what a fresh context gives,
 * also after the memo is full (it holds 32768 words). */
TEST(hyphen_memo_gives_what_patterns_give)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    const rg_hyphen_opts strict = { 5, 4, 4 };
    CHECK_STR(HY(ctx, "nl", "rapportage", &loose), "rap-por-ta-ge");
    CHECK_STR(HY(ctx, "nl", "rapportage", &loose), "rap-por-ta-ge");
    CHECK_STR(HY(ctx, "nl", "rapportage", &strict), "rappor-tage");
    CHECK_STR(HY(ctx, "nl", "Rapportage", &loose), "Rap-por-ta-ge");
    size_t pts[4];
    CHECK(rg_hyphenate(ctx, "nl", "rapportage", 10, &loose, pts, 2) == 2 && pts[0] == 3 &&
          pts[1] == 6);
    /* fill the memo with distinct words, then check old and new ones */
    char w[32];
    for (int i = 0; i < 40000; i++) {
        snprintf(w, sizeof w, "rapportage%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
                 'a' + i / 676 % 26);
        HY(ctx, "nl", w, &loose);
    }
    CHECK_STR(HY(ctx, "nl", "rapportage", &loose), "rap-por-ta-ge");
    CHECK_STR(HY(ctx, "nl", "informatieveiligheid", &loose), "in-for-ma-tie-vei-lig-heid");
    CHECK(ctx->warnings == 0);
    rg_ctx_free(ctx);
}

/* Pattern files of our own in REPORTGEN_HYPHEN_DIR: a UTF-8 one whose
 * non-standard pattern (German "Schiff=fahrt" style) must give no point,
 * and one that shadows the system's Dutch patterns. */
TEST(hyphen_override_dir_utf8_and_nonstandard)
{
    char dir[] = "/tmp/rg-hyphen-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/hyph_qx.dic", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    /* a1b, ž1o; f1f/ff=f,1,2 is non-standard */
    fputs("UTF-8\na1b\n\xc5\xbe" "1o\nf1f/ff=f,1,2\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/hyph_nl.dic", dir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("ISO8859-1\nr1t\n", f);
    fclose(f);

    setenv("REPORTGEN_HYPHEN_DIR", dir, 1);
    rg_ctx *ctx = rg_ctx_new(NULL);
    char buf[256];
    const rg_hyphen_opts o = { 2, 2, 2 };
    CHECK_STR(HY(ctx, "qx", "xxaboo", &o), "xxa-boo");
    /* Ž lowercases to ž outside Latin-1; offsets stay byte offsets */
    CHECK_STR(HY(ctx, "qx", "\xc3\xa9\xc5\xbdoo", &o), "\xc3\xa9\xc5\xbd-oo");
    CHECK_STR(HY(ctx, "qx-QX", "schiffahrt", &o), "schiffahrt");
    CHECK_STR(HY(ctx, "qx", "\xc3\xa9\xc3\xa9" "ffahrt", &o), "\xc3\xa9\xc3\xa9" "ffahrt");
    /* hyph_nl.dic here wins over /usr/share/hyphen/hyph_nl_NL.dic */
    CHECK_STR(HY(ctx, "nl-NL", "rapportage", &o), "rappor-tage");
    CHECK(ctx->warnings == 0);
    rg_ctx_free(ctx);
    unsetenv("REPORTGEN_HYPHEN_DIR");

    snprintf(path, sizeof path, "%s/hyph_qx.dic", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/hyph_nl.dic", dir);
    unlink(path);
    rmdir(dir);
}
