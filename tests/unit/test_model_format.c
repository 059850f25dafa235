/* test_model_format.c - locale formatting (nl-NL, en) and parsing of data values. */
#include "model/model.h"
#include "test.h"

#include <math.h>

#define MINUS "\xE2\x88\x92"
#define DASH "\xE2\x80\x93"
#define NBSP "\xC2\xA0"
#define EUR "\xE2\x82\xAC"

static const rg_locale *nl(void)
{
    return rg_locale_for("nl-NL");
}

static const rg_locale *en(void)
{
    return rg_locale_for("en-GB");
}

/* rotating buffers, so two results can appear in one CHECK_STR */
static char *buf(void)
{
    static char b[4][256];
    static int i;
    i = (i + 1) % 4;
    return b[i];
}

static const char *num(const rg_locale *loc, double v, int d)
{
    char *b = buf();
    size_t n = rg_format_number(loc, v, d, b, 256);
    return n == strlen(b) ? b : "(bad length)";
}

static const char *pct(const rg_locale *loc, double v, int d)
{
    char *b = buf();
    rg_format_percent(loc, v, d, b, 256);
    return b;
}

static const char *eur(const rg_locale *loc, double v, int d, const char *unit, int paren)
{
    char *b = buf();
    rg_format_euro(loc, v, d, unit, paren, b, 256);
    return b;
}

static const char *date(const rg_locale *loc, int y, int m, int d)
{
    char *b = buf();
    rg_date dt = { y, m, d };
    rg_format_date(loc, dt, b, 256);
    return b;
}

TEST(format_locale_for_tags)
{
    CHECK(rg_locale_for("nl") == nl());
    CHECK(rg_locale_for("nl-BE") == nl());
    CHECK(rg_locale_for(NULL) == nl());
    CHECK(rg_locale_for("fr-FR") == nl());
    CHECK(rg_locale_for("") == nl());
    CHECK(rg_locale_for("en") == en());
    CHECK(rg_locale_for("en-US") == en());
    CHECK(rg_locale_for("EN-gb") == en());
    CHECK(rg_locale_for("eng") == nl());
}

TEST(format_number_grouping_nl)
{
    CHECK_STR(num(nl(), 0, 0), "0");
    CHECK_STR(num(nl(), 7, 0), "7");
    CHECK_STR(num(nl(), 999, 0), "999");
    CHECK_STR(num(nl(), 1000, 0), "1.000");
    CHECK_STR(num(nl(), 12345, 0), "12.345");
    CHECK_STR(num(nl(), 123456, 0), "123.456");
    CHECK_STR(num(nl(), 1234567, 0), "1.234.567");
    CHECK_STR(num(nl(), 1234.5, 1), "1.234,5");
    CHECK_STR(num(nl(), -1234567.89, 2), MINUS "1.234.567,89");
    CHECK_STR(num(nl(), -1234567.89, 0), MINUS "1.234.568");
    CHECK_STR(num(nl(), 999999.5, 0), "1.000.000");
    CHECK_STR(num(nl(), 0.05, 2), "0,05");
    CHECK_STR(num(nl(), 0.5, 3), "0,500");
    CHECK_STR(num(nl(), 1e15, 0), "1.000.000.000.000.000");
    CHECK_STR(num(nl(), 1e20, 0), "100.000.000.000.000.000.000");
    CHECK_STR(num(nl(), 123456789012.25, 1), "123.456.789.012,3");
}

TEST(format_number_rounding_half_away_from_zero)
{
    CHECK_STR(num(nl(), 2.25, 1), "2,3");
    CHECK_STR(num(nl(), 2.35, 1), "2,4");
    CHECK_STR(num(nl(), 2.45, 1), "2,5");
    CHECK_STR(num(nl(), -2.25, 1), MINUS "2,3");
    CHECK_STR(num(nl(), 0.15, 1), "0,2");
    CHECK_STR(num(nl(), 0.25, 1), "0,3");
    CHECK_STR(num(nl(), 99.95, 1), "100,0");
    CHECK_STR(num(nl(), 1.005, 2), "1,01");
    CHECK_STR(num(nl(), 1.015, 2), "1,02");
    CHECK_STR(num(nl(), 8.345, 2), "8,35");
    CHECK_STR(num(nl(), 0.5, 0), "1");
    CHECK_STR(num(nl(), 1.5, 0), "2");
    CHECK_STR(num(nl(), 2.5, 0), "3");
    CHECK_STR(num(nl(), -0.5, 0), MINUS "1");
    CHECK_STR(num(nl(), 0.49, 0), "0");
    CHECK_STR(num(nl(), 9.96, 1), "10,0");
    CHECK_STR(num(nl(), 0.1 + 0.2, 1), "0,3");
    CHECK_STR(num(nl(), 0.1 + 0.2, 2), "0,30");
    /* totals: binary noise does not move a half down */
    volatile double a = 0.1, b = 0.35, c = 0.05, d = 2.3;
    CHECK(a + b < 0.45);
    CHECK_STR(num(nl(), a + b, 1), "0,5");
    CHECK_STR(num(nl(), c + d, 1), "2,4");
    CHECK_STR(num(nl(), 1.0 / 3.0, 3), "0,333");
    CHECK_STR(num(nl(), 2.0 / 3.0, 2), "0,67");
    CHECK_STR(num(nl(), 0.000049, 4), "0,0000");
    CHECK_STR(num(nl(), 0.00005, 4), "0,0001");
    CHECK_STR(num(nl(), 1e-300, 2), "0,00");
}

TEST(format_number_signs_and_zero)
{
    CHECK_STR(num(nl(), -0.0, 0), "0");
    CHECK_STR(num(nl(), -0.0, 1), "0,0");
    CHECK_STR(num(nl(), -0.04, 1), "0,0");
    CHECK_STR(num(nl(), -0.05, 1), MINUS "0,1");
    CHECK_STR(num(nl(), -0.4, 0), "0");
    CHECK_STR(num(nl(), -7, 0), MINUS "7");
    CHECK_STR(num(en(), -0.01, 1), "0.0");
}

TEST(format_number_not_finite_and_decimals_range)
{
    CHECK_STR(num(nl(), NAN, 1), DASH);
    CHECK_STR(num(nl(), INFINITY, 0), DASH);
    CHECK_STR(num(nl(), -INFINITY, 0), DASH);
    CHECK_STR(pct(nl(), NAN, 1), DASH);
    CHECK_STR(eur(nl(), INFINITY, 1, "mln", 0), DASH);
    CHECK_STR(num(nl(), 1.25, -3), "1");                 /* negative: 0 decimals */
    CHECK_STR(num(nl(), 1.5, 40), "1,5000000000");        /* clamped to 10 */
    char big[512];                                        /* 309 digits, 102 dots */
    CHECK(rg_format_number(nl(), 1.7e308, 0, big, sizeof big) == 411 && strlen(big) == 411);
    CHECK(!strncmp(big, "170.000.000.000.000.000.000", 27));
}

TEST(format_number_english)
{
    CHECK_STR(num(en(), 1234567.5, 1), "1,234,567.5");
    CHECK_STR(num(en(), 999, 0), "999");
    CHECK_STR(num(en(), 1000, 2), "1,000.00");
    CHECK_STR(num(en(), -1234567.89, 2), MINUS "1,234,567.89");
    CHECK_STR(num(en(), 0.15, 1), "0.2");
}

TEST(format_percent)
{
    CHECK_STR(pct(nl(), 99.8, 1), "99,8" NBSP "%");
    CHECK_STR(pct(nl(), 100, 1), "100,0" NBSP "%");
    CHECK_STR(pct(nl(), 99.95, 1), "100,0" NBSP "%");
    CHECK_STR(pct(nl(), 5, 0), "5" NBSP "%");
    CHECK_STR(pct(nl(), -3.25, 1), MINUS "3,3" NBSP "%");
    CHECK_STR(pct(nl(), -0.01, 1), "0,0" NBSP "%");
    CHECK_STR(pct(nl(), 1250, 0), "1.250" NBSP "%");
    CHECK_STR(pct(en(), 99.8, 1), "99.8%");
    CHECK_STR(pct(en(), -1.5, 1), MINUS "1.5%");
}

TEST(format_euro)
{
    CHECK_STR(eur(nl(), 357.4, 1, "mln", 0), EUR NBSP "357,4" NBSP "mln");
    CHECK_STR(eur(nl(), -2.5, 1, "mln", 0), MINUS EUR NBSP "2,5" NBSP "mln");
    CHECK_STR(eur(nl(), -2.5, 1, "mln", 1), "(" EUR NBSP "2,5" NBSP "mln)");
    CHECK_STR(eur(nl(), 2.5, 1, "mln", 1), EUR NBSP "2,5" NBSP "mln");
    CHECK_STR(eur(nl(), -0.04, 1, "mln", 1), EUR NBSP "0,0" NBSP "mln");
    CHECK_STR(eur(nl(), 1234567, 0, NULL, 0), EUR NBSP "1.234.567");
    CHECK_STR(eur(nl(), 12.5, 2, "", 0), EUR NBSP "12,50");
    CHECK_STR(eur(nl(), 1500, 0, "k", 0), EUR NBSP "1.500" NBSP "k");
    CHECK_STR(eur(en(), 357.4, 1, "mln", 0), EUR "357.4" NBSP "mln");
    CHECK_STR(eur(en(), -2.5, 1, "mln", 0), MINUS EUR "2.5" NBSP "mln");
    CHECK_STR(eur(en(), -2.5, 1, "mln", 1), "(" EUR "2.5" NBSP "mln)");
}

TEST(format_date)
{
    CHECK_STR(date(nl(), 2023, 5, 15), "15 mei 2023");
    CHECK_STR(date(nl(), 2023, 1, 1), "1 januari 2023");
    CHECK_STR(date(nl(), 2023, 3, 31), "31 maart 2023");
    CHECK_STR(date(nl(), 2024, 2, 29), "29 februari 2024");
    CHECK_STR(date(nl(), 2023, 12, 31), "31 december 2023");
    CHECK_STR(date(nl(), 2023, 2, 29), DASH);              /* not a date */
    CHECK_STR(date(nl(), 0, 0, 0), DASH);                  /* absent */
    CHECK_STR(date(nl(), 2023, 13, 1), DASH);
    CHECK_STR(date(en(), 2023, 5, 15), "May 15, 2023");
    CHECK_STR(date(en(), 2024, 2, 29), "February 29, 2024");
}

/* the periods of a time axis */
TEST(format_month_and_quarter)
{
    char b[64];
    rg_format_month(nl(), 2023, 1, b, sizeof b);
    CHECK_STR(b, "jan 2023");
    rg_format_month(nl(), 2023, 3, b, sizeof b);
    CHECK_STR(b, "mrt 2023");
    rg_format_month(en(), 2023, 3, b, sizeof b);
    CHECK_STR(b, "Mar 2023");
    rg_format_month(nl(), 2023, 13, b, sizeof b);
    CHECK_STR(b, DASH);
    rg_format_quarter(nl(), 2023, 2, b, sizeof b);
    CHECK_STR(b, "2023 K2");
    rg_format_quarter(en(), 2023, 2, b, sizeof b);
    CHECK_STR(b, "Q2 2023");
    rg_format_quarter(en(), 2023, 5, b, sizeof b);
    CHECK_STR(b, DASH);
    CHECK(rg_format_month(nl(), 2023, 5, b, 4) == 3);      /* truncated, terminated */
    CHECK_STR(b, "mei");
}

TEST(format_truncates_on_character_boundary)
{
    char b[8];
    size_t n = rg_format_euro(nl(), 357.4, 1, "mln", 0, b, sizeof b);
    CHECK(n == strlen(b) && n < sizeof b);
    CHECK_STR(b, EUR NBSP "35");                         /* "€ 357" + NUL would be 9 bytes */
    n = rg_format_euro(nl(), 1, 0, NULL, 0, b, 5);        /* NBSP would be cut in half */
    CHECK(n == 3);
    CHECK_STR(b, EUR);
    n = rg_format_number(nl(), -1, 0, b, 3);              /* minus is 3 bytes: cannot fit */
    CHECK(n == 0 && b[0] == 0);
    n = rg_format_number(nl(), 1234, 0, b, 4);
    CHECK_STR(b, "1.2");
    CHECK(n == 3);
    CHECK(rg_format_number(nl(), 1, 0, NULL, 0) == 0);
    b[0] = 'x';
    CHECK(rg_format_number(nl(), 1, 0, b, 0) == 0 && b[0] == 'x');
}

TEST(format_value_by_field_type)
{
    char b[64];
    rg_field fnum = { "n", "n", RG_FIELD_NUMBER, -1, NULL };
    rg_field fpct = { "p", "p", RG_FIELD_PERCENT, -1, NULL };
    rg_field feur = { "e", "e", RG_FIELD_EURO, -1, "mln" };
    rg_field feur2 = { "e", "e", RG_FIELD_EURO, 2, NULL };
    rg_field ftxt = { "t", "t", RG_FIELD_TEXT, -1, NULL };
    rg_field fdat = { "d", "d", RG_FIELD_DATE, -1, NULL };
    rg_value v = { .num = 1234.56, .text = "1234,56" };

    rg_format_value(nl(), &fnum, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, "1.235");
    rg_format_value(nl(), &fnum, &v, 1, 0, b, sizeof b);
    CHECK_STR(b, "1.234,6");
    v.num = 99.8;
    rg_format_value(nl(), &fpct, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, "99,8" NBSP "%");
    v.num = 100;
    rg_format_value(nl(), &fpct, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, "100,0" NBSP "%");
    v.num = -2.5;
    rg_format_value(nl(), &feur, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, MINUS EUR NBSP "2,5" NBSP "mln");
    rg_format_value(nl(), &feur, &v, -1, 1, b, sizeof b);
    CHECK_STR(b, "(" EUR NBSP "2,5" NBSP "mln)");
    rg_format_value(nl(), &feur2, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, MINUS EUR NBSP "2,50");
    rg_format_value(nl(), &feur2, &v, 0, 0, b, sizeof b);  /* explicit beats field */
    CHECK_STR(b, MINUS EUR NBSP "3");
    v.text = "Logius";
    CHECK(rg_format_value(nl(), &ftxt, &v, -1, 0, b, sizeof b) == 6);
    CHECK_STR(b, "Logius");
    v.date = (rg_date){ 2023, 5, 15 };
    rg_format_value(nl(), &fdat, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, "15 mei 2023");
    rg_format_value(en(), &fdat, &v, -1, 0, b, sizeof b);
    CHECK_STR(b, "May 15, 2023");

    rg_value missing = { .missing = 1, .text = "" };
    const rg_field *all[] = { &fnum, &fpct, &feur, &ftxt, &fdat };
    for (int i = 0; i < 5; i++) {
        rg_format_value(nl(), all[i], &missing, -1, 0, b, sizeof b);
        CHECK_STR(b, DASH);
    }
    rg_format_value(nl(), &fnum, NULL, -1, 0, b, sizeof b);
    CHECK_STR(b, DASH);
}

/* ---- parsing ---- */

static const struct {
    const char *s;
    rg_field_type type;
    double want;
} parse_ok[] = {
    { "0", RG_FIELD_NUMBER, 0 },
    { "42", RG_FIELD_NUMBER, 42 },
    { "007", RG_FIELD_NUMBER, 7 },
    { "-42", RG_FIELD_NUMBER, -42 },
    { "+42", RG_FIELD_NUMBER, 42 },
    { MINUS "42", RG_FIELD_NUMBER, -42 },
    { "1234.5", RG_FIELD_NUMBER, 1234.5 },
    { "1234,5", RG_FIELD_NUMBER, 1234.5 },
    { "0,15", RG_FIELD_NUMBER, 0.15 },
    { "0.05", RG_FIELD_NUMBER, 0.05 },
    { "-0,001", RG_FIELD_NUMBER, -0.001 },
    { "  12 ", RG_FIELD_NUMBER, 12 },
    { "\t3,5\r\n", RG_FIELD_NUMBER, 3.5 },
    { "1000000000000000", RG_FIELD_NUMBER, 1e15 },
    { "-1000000000000000", RG_FIELD_NUMBER, -1e15 },
    { "99,8", RG_FIELD_PERCENT, 99.8 },
    { "99,8%", RG_FIELD_PERCENT, 99.8 },
    { "99,8 %", RG_FIELD_PERCENT, 99.8 },
    { "99,8" NBSP "%", RG_FIELD_PERCENT, 99.8 },
    { " -1.5% ", RG_FIELD_PERCENT, -1.5 },
    { "357,4", RG_FIELD_EURO, 357.4 },
    { EUR "357,4", RG_FIELD_EURO, 357.4 },
    { EUR " 357,4", RG_FIELD_EURO, 357.4 },
    { EUR NBSP "357,4", RG_FIELD_EURO, 357.4 },
    { MINUS EUR NBSP "2,5", RG_FIELD_EURO, -2.5 },
    { "-" EUR "2,5", RG_FIELD_EURO, -2.5 },
    { EUR " -2,5", RG_FIELD_EURO, -2.5 },
};

static const struct {
    const char *s;
    rg_field_type type;
} parse_bad[] = {
    { "", RG_FIELD_NUMBER },
    { "   ", RG_FIELD_NUMBER },
    { "-", RG_FIELD_NUMBER },
    { "+", RG_FIELD_NUMBER },
    { "abc", RG_FIELD_NUMBER },
    { "12a", RG_FIELD_NUMBER },
    { "1.234.567", RG_FIELD_NUMBER },       /* thousands separators: ambiguous */
    { "1.234,5", RG_FIELD_NUMBER },
    { "1,234.5", RG_FIELD_NUMBER },
    { "1 234", RG_FIELD_NUMBER },
    { "1e5", RG_FIELD_NUMBER },
    { "1E-3", RG_FIELD_NUMBER },
    { ",5", RG_FIELD_NUMBER },
    { "5,", RG_FIELD_NUMBER },
    { ".", RG_FIELD_NUMBER },
    { "--5", RG_FIELD_NUMBER },
    { "+-5", RG_FIELD_NUMBER },
    { "- 5", RG_FIELD_NUMBER },
    { "0x10", RG_FIELD_NUMBER },
    { "nan", RG_FIELD_NUMBER },
    { "inf", RG_FIELD_NUMBER },
    { "1000000000000001", RG_FIELD_NUMBER },
    { "99999999999999999999999", RG_FIELD_NUMBER },
    { "5%", RG_FIELD_NUMBER },               /* '%' only for percent fields */
    { "%", RG_FIELD_PERCENT },
    { "5%%", RG_FIELD_PERCENT },
    { "%5", RG_FIELD_PERCENT },
    { EUR "5", RG_FIELD_NUMBER },            /* '€' only for euro fields */
    { EUR "5", RG_FIELD_PERCENT },
    { EUR, RG_FIELD_EURO },
    { "5" EUR, RG_FIELD_EURO },
    { EUR "  5", RG_FIELD_EURO },
    { "-" EUR "-5", RG_FIELD_EURO },
    { "\xE2\x88", RG_FIELD_NUMBER },          /* truncated minus sign */
};

TEST(parse_number_accepts)
{
    for (size_t i = 0; i < sizeof parse_ok / sizeof parse_ok[0]; i++) {
        double v = -999;
        int rc = rg_parse_number(parse_ok[i].s, strlen(parse_ok[i].s), parse_ok[i].type, &v);
        if (rc != 0 || v != parse_ok[i].want)
            fprintf(stderr, "  parse_ok[%zu] \"%s\": rc %d, %.17g\n", i, parse_ok[i].s, rc, v);
        CHECK(rc == 0 && v == parse_ok[i].want);
    }
}

TEST(parse_number_refuses)
{
    for (size_t i = 0; i < sizeof parse_bad / sizeof parse_bad[0]; i++) {
        double v = -999;
        int rc = rg_parse_number(parse_bad[i].s, strlen(parse_bad[i].s), parse_bad[i].type, &v);
        if (rc != -1) fprintf(stderr, "  parse_bad[%zu] \"%s\" accepted: %g\n", i, parse_bad[i].s, v);
        CHECK(rc == -1 && v == -999);
    }
}

TEST(parse_number_respects_length_and_sign_of_zero)
{
    double v = 1;
    CHECK(rg_parse_number("12345", 2, RG_FIELD_NUMBER, &v) == 0 && v == 12);
    CHECK(rg_parse_number("-0", 2, RG_FIELD_NUMBER, &v) == 0 && v == 0 && !signbit(v));
    CHECK(rg_parse_number("1,5x", 3, RG_FIELD_NUMBER, &v) == 0 && v == 1.5);
    CHECK(rg_parse_number(NULL, 0, RG_FIELD_NUMBER, &v) == -1);
    /* more digits than a double holds: read, within rounding */
    const char *longer = "0.1234567890123456789012";
    CHECK(rg_parse_number(longer, strlen(longer), RG_FIELD_NUMBER, &v) == 0 &&
          fabs(v - 0.1234567890123456789) < 1e-16);
    /* round trip with the formatter */
    char b[64];
    CHECK(rg_parse_number("0,15", 4, RG_FIELD_NUMBER, &v) == 0);
    rg_format_number(nl(), v, 1, b, sizeof b);
    CHECK_STR(b, "0,2");
}

/* ---- figures by a dataset's dialect (rg_parse_number_as) ---- */

static const rg_numfmt fmt_nl = { ',', '.', 1 }, fmt_c = { '.', 0, 1 },
                       fmt_en = { '.', ',', 1 }, fmt_comma = { ',', 0, 1 },
                       fmt_none = { 0, 0, 1 }, fmt_undeclared = { 0, 0, 0 };

static const struct {
    const char *s;
    const rg_numfmt *fmt;
    rg_field_type type;
    rg_num_status want;
    double v;                      /* on RG_NUM_OK and RG_NUM_AMBIGUOUS */
} parse_as[] = {
    /* nl: ',' decimal, '.' groups */
    { "1.234,5", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, 1234.5 },
    { "1.234", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, 1234 },
    { "1,5", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, 1.5 },
    { "1234,5", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, 1234.5 },
    { "-1.234.567,89", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, -1234567.89 },
    { MINUS "12.345", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, -12345 },
    { EUR " 1.234,50", &fmt_nl, RG_FIELD_EURO, RG_NUM_OK, 1234.5 },
    { EUR NBSP "-1.234", &fmt_nl, RG_FIELD_EURO, RG_NUM_OK, -1234 },
    { "99,8 %", &fmt_nl, RG_FIELD_PERCENT, RG_NUM_OK, 99.8 },
    { "1.000" NBSP "%", &fmt_nl, RG_FIELD_PERCENT, RG_NUM_OK, 1000 },
    { "0,123", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_OK, 0.123 },
    { "12.34", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    { "1.2345", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    { "1234.567", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    { "0.123", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    { "1.23.456", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    { "1,234.5", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    { "1,234,567", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_WRONG_MARK, 0 },
    { "1,2,3", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
    { "1.234,", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
    { ",5", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
    { "1 234,5", &fmt_nl, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
    /* c: '.' decimal, no grouping */
    { "1234.5", &fmt_c, RG_FIELD_NUMBER, RG_NUM_OK, 1234.5 },
    { "1.234", &fmt_c, RG_FIELD_NUMBER, RG_NUM_OK, 1.234 },
    { "1,5", &fmt_c, RG_FIELD_NUMBER, RG_NUM_WRONG_MARK, 0 },
    { "1,234", &fmt_c, RG_FIELD_NUMBER, RG_NUM_WRONG_MARK, 0 },
    { "1.234,5", &fmt_c, RG_FIELD_NUMBER, RG_NUM_WRONG_MARK, 0 },
    { "1,234.5", &fmt_c, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    { "1,234,567", &fmt_c, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    { "1.234.567", &fmt_c, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    { "1.2.3", &fmt_c, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
    /* English: '.' decimal, ',' groups */
    { "1,234.5", &fmt_en, RG_FIELD_NUMBER, RG_NUM_OK, 1234.5 },
    { "1,234,567", &fmt_en, RG_FIELD_NUMBER, RG_NUM_OK, 1234567 },
    { "12,34", &fmt_en, RG_FIELD_NUMBER, RG_NUM_MISPLACED, 0 },
    /* decimal ',' without grouping */
    { "1,234", &fmt_comma, RG_FIELD_NUMBER, RG_NUM_OK, 1.234 },
    { "1.5", &fmt_comma, RG_FIELD_NUMBER, RG_NUM_WRONG_MARK, 0 },
    { "1.234,5", &fmt_comma, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    /* grouping="none" alone: either mark is the decimal one, nothing ambiguous */
    { "1.234", &fmt_none, RG_FIELD_NUMBER, RG_NUM_OK, 1.234 },
    { "1,234", &fmt_none, RG_FIELD_NUMBER, RG_NUM_OK, 1.234 },
    { "1.234,5", &fmt_none, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    /* nothing declared: every form that reads two ways */
    { "1.234", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, 1.234 },
    { "1,234", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, 1.234 },
    { "12.345", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, 12.345 },
    { "123,456", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, 123.456 },
    { "-1.234", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, -1.234 },
    { "+1.234", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, 1.234 },
    { MINUS "1,234", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, -1.234 },
    { EUR " 1.234", &fmt_undeclared, RG_FIELD_EURO, RG_NUM_AMBIGUOUS, 1.234 },
    { "1.234 %", &fmt_undeclared, RG_FIELD_PERCENT, RG_NUM_AMBIGUOUS, 1.234 },
    { " 1.234 ", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_AMBIGUOUS, 1.234 },
    /* ... and those that read one way only */
    { "1234", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_OK, 1234 },
    { "1.5", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_OK, 1.5 },
    { "1,25", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_OK, 1.25 },
    { "99.62", &fmt_undeclared, RG_FIELD_PERCENT, RG_NUM_OK, 99.62 },
    { "228.3", &fmt_undeclared, RG_FIELD_EURO, RG_NUM_OK, 228.3 },
    { "0.123", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_OK, 0.123 },
    { "1234.567", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_OK, 1234.567 },
    { "1.2345", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_OK, 1.2345 },
    { "1.234,5", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    { "1,234.5", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    { "1.234.567", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_GROUPED, 0 },
    { "1.234,5,6", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
    { "1.23,4", &fmt_undeclared, RG_FIELD_NUMBER, RG_NUM_INVALID, 0 },
};

TEST(parse_number_dialects)
{
    for (size_t i = 0; i < sizeof parse_as / sizeof parse_as[0]; i++) {
        double v = -999;
        rg_num_status st = rg_parse_number_as(parse_as[i].s, strlen(parse_as[i].s),
                                              parse_as[i].type, parse_as[i].fmt, &v);
        int want_v = parse_as[i].want == RG_NUM_OK || parse_as[i].want == RG_NUM_AMBIGUOUS;
        int ok = st == parse_as[i].want && (want_v ? fabs(v - parse_as[i].v) < 1e-9 : v == -999);
        if (!ok) fprintf(stderr, "  parse_as[%zu] \"%s\": status %d, %.17g\n", i, parse_as[i].s,
                         (int)st, v);
        CHECK(ok);
    }
}

TEST(parse_date_strict_calendar)
{
    rg_date d = { -1, -1, -1 };
    CHECK(rg_parse_date("2023-05-15", 10, &d) == 0 && d.year == 2023 && d.month == 5 && d.day == 15);
    CHECK(rg_parse_date("2024-02-29", 10, &d) == 0 && d.day == 29);
    CHECK(rg_parse_date("2000-02-29", 10, &d) == 0);
    CHECK(rg_parse_date("1999-12-31", 10, &d) == 0);
    CHECK(rg_parse_date("2023-01-31", 10, &d) == 0);
    d.year = -1;
    CHECK(rg_parse_date("2023-02-29", 10, &d) == -1 && d.year == -1);
    CHECK(rg_parse_date("1900-02-29", 10, &d) == -1);
    CHECK(rg_parse_date("2100-02-29", 10, &d) == -1);
    CHECK(rg_parse_date("2023-04-31", 10, &d) == -1);
    CHECK(rg_parse_date("2023-13-01", 10, &d) == -1);
    CHECK(rg_parse_date("2023-00-10", 10, &d) == -1);
    CHECK(rg_parse_date("2023-05-00", 10, &d) == -1);
    CHECK(rg_parse_date("0000-01-01", 10, &d) == -1);
    CHECK(rg_parse_date("2023-5-15", 9, &d) == -1);
    CHECK(rg_parse_date("2023/05/15", 10, &d) == -1);
    CHECK(rg_parse_date(" 2023-05-15", 11, &d) == -1);
    CHECK(rg_parse_date("2023-05-15 ", 11, &d) == -1);
    CHECK(rg_parse_date("2023-05-1x", 10, &d) == -1);
    CHECK(rg_parse_date("+023-05-15", 10, &d) == -1);
    CHECK(rg_parse_date("15-05-2023", 10, &d) == -1);
    CHECK(rg_parse_date("", 0, &d) == -1);
    CHECK(rg_parse_date("2023-05-15T00:00", 10, &d) == 0);   /* len limits what is read */
    CHECK(rg_parse_date("2023-05-15T00:00", 16, &d) == -1);
}
