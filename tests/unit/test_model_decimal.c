/* test_model_decimal.c - exact decimal arithmetic (model/decimal.c) and the
 * formatting of exact figures (issue 17). Every expected value is worked
 * out by hand in the comment beside it. */
#include "model/model.h"
#include "test.h"

#include <stdint.h>

#define MINUS "\xE2\x88\x92"
#define NBSP "\xC2\xA0"
#define EUR "\xE2\x82\xAC"

static rg_dec dec(const char *s)
{
    rg_dec d = { -1, -1 };
    double v;
    CHECK(rg_parse_exact_as(s, strlen(s), RG_FIELD_NUMBER, NULL, &v, &d) == RG_NUM_OK);
    return d;
}

/* 999999999999999999: 18 digits, beyond what data may hold (1e15) but
 * what arithmetic must keep exact */
static const rg_dec NINES18 = { 999999999999999999LL, 0 };

static const char *fmt(rg_field_type type, const char *unit, rg_dec v, int decimals)
{
    static char b[4][128];
    static int i;
    i = (i + 1) % 4;
    rg_field f = { "x", NULL, type, -1, unit };
    rg_format_exact(rg_locale_for("nl-NL"), &f, v, decimals, 0, b[i], sizeof b[i]);
    return b[i];
}

TEST(decimal_parse_keeps_the_written_digits)
{
    rg_dec d = dec("2.25");
    CHECK(d.units == 225 && d.scale == 2);
    d = dec("-0,050");                         /* three decimals written: -50 x 10^-3 */
    CHECK(d.units == -50 && d.scale == 3);
    d = dec("999999999999999");                /* 15 nines (data's magnitude limit is 1e15) */
    CHECK(d.units == 999999999999999LL && d.scale == 0);
    d = dec("123456789012.345678");            /* 18 significant digits */
    CHECK(d.units == 123456789012345678LL && d.scale == 6);
    rg_numfmt nl = { ',', '.', 1 };
    double v;
    CHECK(rg_parse_exact_as("1.234.567,89", 12, RG_FIELD_NUMBER, &nl, &v, &d) == RG_NUM_OK);
    CHECK(d.units == 123456789 && d.scale == 2);
    CHECK(rg_parse_exact_as(EUR " -2,5", strlen(EUR " -2,5"), RG_FIELD_EURO, NULL, &v, &d) ==
          RG_NUM_OK);
    CHECK(d.units == -25 && d.scale == 1);
}

TEST(decimal_parse_refuses_more_than_18_digits)
{
    rg_dec d;
    double v;
    const char *s = "1234567890.123456789";  /* 19 significant digits */
    CHECK(rg_parse_exact_as(s, strlen(s), RG_FIELD_NUMBER, NULL, &v, &d) == RG_NUM_TOO_PRECISE);
    s = "0.0000000000000000001";               /* 19 digits after the mark */
    CHECK(rg_parse_exact_as(s, strlen(s), RG_FIELD_NUMBER, NULL, &v, &d) == RG_NUM_TOO_PRECISE);
    /* without the exact value asked for, the old parser still takes it */
    CHECK(rg_parse_number_as(s, strlen(s), RG_FIELD_NUMBER, NULL, &v) == RG_NUM_OK);
}

TEST(decimal_add_aligns_scales)
{
    rg_dec s;
    CHECK(rg_dec_add(dec("1.5"), dec("2.25"), &s) == 0);      /* 1.50 + 2.25 = 3.75 */
    CHECK(s.units == 375 && s.scale == 2);
    CHECK(rg_dec_add(dec("-10.1"), dec("2.25"), &s) == 0);    /* -10.10 + 2.25 = -7.85 */
    CHECK(s.units == -785 && s.scale == 2);
    /* 0.1 + 0.2 is 0.3 exactly (a double gives 0.30000000000000004) */
    CHECK(rg_dec_add(dec("0.1"), dec("0.2"), &s) == 0 && s.units == 3 && s.scale == 1);
}

TEST(decimal_add_18_digits_exact_or_refused)
{
    rg_dec s;
    /* 999999999999999999 + 1 = 1000000000000000000 (10^18 < 2^63-1): exact */
    CHECK(rg_dec_add(NINES18, dec("1"), &s) == 0);
    CHECK(s.units == 1000000000000000000LL && s.scale == 0);
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, s, 0), "1.000.000.000.000.000.000");
    /* 999999999999999999 x 10 = 9999999999999999990 > 2^63-1 = 9223372036854775807 */
    rg_dec acc = { 0, 0 };
    int refused = 0;
    for (int k = 0; k < 10 && !refused; k++) refused = rg_dec_add(acc, NINES18, &acc) < 0;
    CHECK(refused);
    CHECK(acc.units == 9 * 999999999999999999LL);            /* the last good sum kept */
    /* aligning 999999999999999999 to one decimal leaves int64: refused */
    CHECK(rg_dec_add(NINES18, dec("0.5"), &s) < 0);
    /* 123456789012.345678 + 876543210987.654322 = 1000000000000.000000 */
    CHECK(rg_dec_add(dec("123456789012.345678"), dec("876543210987.654322"), &s) == 0);
    CHECK(s.units == 1000000000000000000LL && s.scale == 6);
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, s, 6), "1.000.000.000.000,000000");
}

TEST(decimal_cmp_and_div)
{
    CHECK(rg_dec_cmp(dec("1.50"), dec("1.5")) == 0);
    CHECK(rg_dec_cmp(dec("-2"), dec("1.5")) < 0);
    CHECK(rg_dec_cmp(NINES18, dec("0.999999999999999999")) > 0);
    rg_dec q;
    CHECK(rg_dec_div(dec("10"), 4, 1, &q) == 0 && q.units == 25 && q.scale == 1);   /* 2.5 */
    CHECK(rg_dec_div(dec("10"), 3, 2, &q) == 0 && q.units == 333);                 /* 3.33 */
    CHECK(rg_dec_div(dec("-5"), 2, 0, &q) == 0 && q.units == -3);                  /* -2.5 -> -3 */
    CHECK(rg_dec_div(dec("7.25"), 1, 1, &q) == 0 && q.units == 73);                /* 7.25 -> 7.3 */
}

TEST(decimal_format_rounds_half_away_from_zero)
{
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("2.25"), 1), "2,3");
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("-2.25"), 1), MINUS "2,3");
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("-0.04"), 1), "0,0");      /* no sign on zero */
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("-0.05"), 1), MINUS "0,1");
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("1.005"), 2), "1,01");     /* a double gives 1,00 */
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("9.995"), 2), "10,00");
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("1234567.5"), 0), "1.234.568");
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, dec("3.75"), 3), "3,750");
    CHECK_STR(fmt(RG_FIELD_PERCENT, NULL, dec("99.98"), 2), "99,98" NBSP "%");
    CHECK_STR(fmt(RG_FIELD_EURO, "mln", dec("354.94"), 1), EUR NBSP "354,9" NBSP "mln");
    CHECK_STR(fmt(RG_FIELD_EURO, "mln", dec("-2.45"), 1), MINUS EUR NBSP "2,5" NBSP "mln");
    /* 999999999999999999.5 cannot be parsed (19 digits); 999999999999999999 rounds to itself */
    CHECK_STR(fmt(RG_FIELD_NUMBER, NULL, NINES18, 0),
              "999.999.999.999.999.999");
}

TEST(decimal_sum_field_skips_missing)
{
    rg_field f[1] = { { "n", NULL, RG_FIELD_NUMBER, -1, NULL } };
    rg_value v[4] = { { .exact = 1, .dec = { 15, 1 } }, { .missing = 1 },
                      { .exact = 1, .dec = { 225, 2 } }, { .exact = 1, .dec = { -1, 0 } } };
    rg_dataset d = { .id = "d", .fields = f, .nfields = 1, .values = v, .nrecords = 4 };
    rg_dec s;
    CHECK(rg_dec_sum_field(&d, 0, NULL, 0, &s, NULL) == 0);  /* 1.5 + 2.25 - 1 = 2.75 */
    CHECK(s.units == 275 && s.scale == 2);
    size_t recs[2] = { 0, 2 };
    CHECK(rg_dec_sum_field(&d, 0, recs, 2, &s, NULL) == 0);  /* 1.5 + 2.25 = 3.75 */
    CHECK(s.units == 375 && s.scale == 2);
}
