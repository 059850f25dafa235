/* format.h - locale formatting of typed values: nl-NL first (decimal comma,
 * thousands dot, "99,8 %", "€ 357,4 mln", "15 mei 2023", minus sign U+2212).
 * Stage: model. No third-party headers; never depends on the C locale. */
#ifndef RG_FORMAT_H
#define RG_FORMAT_H

#include <stddef.h>

#include "model.h"

typedef struct rg_locale rg_locale;

/* The locale for a BCP 47 tag: "nl", "nl-NL", "nl-BE" give Dutch; "en*"
 * gives English (decimal point, "May 15, 2023"); anything else Dutch.
 * Never NULL; static data. */
const rg_locale *rg_locale_for(const char *lang);

/* Each formatter writes a NUL-terminated UTF-8 string into out (truncated
 * to cap) and returns its length. Rounding is half away from zero on the
 * decimal value written in the data (2.25 -> "2,3", -0.05 -> "−0,1"), and
 * a value that rounds to zero is written without a sign. */
size_t rg_format_number(const rg_locale *loc, double v, int decimals, char *out, size_t cap);
size_t rg_format_percent(const rg_locale *loc, double percent, int decimals, char *out,
                         size_t cap);
/* "€ 357,4 mln"; negatives "−€ 2,5 mln", or "(€ 2,5 mln)" with parentheses. */
size_t rg_format_euro(const rg_locale *loc, double v, int decimals, const char *unit,
                      int parentheses, char *out, size_t cap);
size_t rg_format_date(const rg_locale *loc, rg_date d, char *out, size_t cap);

/* A value of a field, formatted by the field's type; decimals < 0 uses the
 * field's decimals, then the type's default (number 0, percent 1, euro 1).
 * A missing value is written as "–" (en dash). */
size_t rg_format_value(const rg_locale *loc, const rg_field *f, const rg_value *v,
                       int decimals, int parentheses, char *out, size_t cap);

/* Parses a number as written in data files: optional sign ('-', '+' or
 * U+2212), digits, optional '.' or ',' decimal separator, optional exponent
 * not allowed, surrounding blanks allowed; for percent fields a trailing
 * '%' and for euro fields a leading '€' are accepted. Thousands separators
 * are refused (ambiguous). Returns 0 and *out on success, -1 otherwise. */
int rg_parse_number(const char *s, size_t len, rg_field_type type, double *out);

/* Parses YYYY-MM-DD with a real calendar date. Returns 0 or -1. */
int rg_parse_date(const char *s, size_t len, rg_date *out);

#endif
