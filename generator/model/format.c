/* model/format.c - locale formatting and parsing of typed values (see model/model.h).
 * Stage: model. Owns the locale tables (Dutch, English) and the decimal
 * rounding every figure in a report goes through. No third-party headers,
 * and nothing here reads the C locale: digits, separators and signs are
 * written by hand. snprintf("%.14e") is used only to obtain the 15
 * significant decimal digits of a double; its radix character, which
 * LC_NUMERIC could change, is skipped, never relied on. The rounding to
 * the requested decimals is done here, on those decimal digits. Figures in
 * data are parsed by their dataset's decimal mark and digit grouping
 * (rg_parse_number_as); with neither declared, a figure that reads two
 * ways ('1.234': 1234 or 1.234) is refused, never guessed.
 *
 * Characters used (UTF-8):
 *   minus           U+2212 MINUS SIGN       "\xE2\x88\x92"  (both locales)
 *   missing / NaN   U+2013 EN DASH          "\xE2\x80\x93"
 *   nl: "99,8 %"    U+00A0 NO-BREAK SPACE before '%'
 *   nl: "€ 357,4 mln" U+00A0 after '€' and before the unit
 *   en: "€357.4 mln"  U+00A0 before the unit only; "99.8%"
 *   dates: ordinary spaces ("15 mei 2023", "May 15, 2023") */
#include "model.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MINUS "\xE2\x88\x92"
#define EN_DASH "\xE2\x80\x93"
#define NBSP "\xC2\xA0"
#define EURO "\xE2\x82\xAC"

/* Digits after the decimal separator: more is noise in a report figure,
 * and the bound keeps the digit buffer below a fixed size. */
enum { FMT_MAX_DECIMALS = 10 };

/* Significant decimal digits taken from a double before rounding. Any
 * decimal of up to 15 digits survives the trip through a double, so a
 * value written as 0.15 or 1.005 in the data is seen as exactly that (17
 * digits would show 0.14999999999999999 and round the wrong way), and the
 * binary noise of computed totals is dropped too: 0.1 + 0.35 is
 * 0.44999999999999996 but is rounded as 0.45. The price: data written
 * with 16 or more significant digits is first rounded to 15. */
enum { FMT_SIG_DIGITS = 15 };

/* Parsed numbers larger than this in magnitude are refused: no report
 * figure is that large, and beyond 2^53 integers stop being exact. */
#define PARSE_MAX_MAGNITUDE 1e15

struct rg_locale {
    const char *decimal;           /* decimal separator */
    const char *group;             /* thousands separator */
    const char *percent_sep;       /* between the number and '%' */
    const char *euro_sep;          /* between '€' and the number */
    const char *unit_sep;          /* between the number and the unit */
    int day_first;                 /* "15 mei 2023" vs "May 15, 2023" */
    const char *months[12];
    const char *months_short[12];  /* time axes: "jan 2023", "Jan 2023" */
    const char *quarter;           /* the quarter's letter: "K" (kwartaal), "Q" */
    int quarter_first;             /* "Q2 2023" vs "2023 K2" */
};

static const rg_locale locale_nl = {
    ",", ".", NBSP, NBSP, NBSP, 1,
    { "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
      "september", "oktober", "november", "december" },
    { "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec" },
    "K", 0
};

static const rg_locale locale_en = {
    ".", ",", "", "", NBSP, 0,
    { "January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December" },
    { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" },
    "Q", 1
};

const rg_locale *rg_locale_for(const char *lang)
{
    if (lang && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 'n' || lang[1] == 'N') &&
        (lang[2] == 0 || lang[2] == '-' || lang[2] == '_'))
        return &locale_en;
    return &locale_nl;
}

/* ---- output: a sticky writer that truncates on a character boundary ---- */

typedef struct sbuf {
    char *out;
    size_t cap, len;
    int full;                      /* sticky: once something did not fit, later puts are no-ops */
} sbuf;

static void sb_init(sbuf *b, char *out, size_t cap)
{
    b->out = out;
    b->cap = out ? cap : 0;
    b->len = 0;
    b->full = b->cap == 0;
    if (b->cap) out[0] = 0;
}

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->full || n == 0) return;
    size_t room = b->cap - 1 - b->len;
    if (n > room) {
        /* cut before a continuation byte so the result stays valid UTF-8 */
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
        b->full = 1;
    }
    memcpy(b->out + b->len, s, n);
    b->len += n;
    b->out[b->len] = 0;
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* ---- rounding ---- */

/* The first k of the nsig digits in sig (padded with zeros when k > nsig),
 * rounded half away from zero on digit k, into digits; "0" when nothing is
 * left. Returns the digit count. */
static size_t keep_rounded(const char *sig, int nsig, int k, char *digits)
{
    size_t n = 0;
    int up = 0;
    if (k >= nsig) {
        memcpy(digits, sig, (size_t)nsig);
        n = (size_t)nsig;
        for (int i = nsig; i < k; i++) digits[n++] = '0';
    } else if (k >= 0) {
        memcpy(digits, sig, (size_t)k);
        n = (size_t)k;
        up = sig[k] >= '5';
    }
    if (up) {
        size_t i = n;
        while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
        if (i > 0) {
            digits[i - 1]++;
        } else {
            memmove(digits + 1, digits, n++);
            digits[0] = '1';
        }
    }
    if (n == 0) digits[n++] = '0';
    return n;
}

/* The magnitude of v rounded half away from zero to `decimals` places, as
 * the decimal digits of the integer round(|v| * 10^decimals) (no leading
 * zeros; "0" for zero) in digits (room for at least 400). Sets *neg when the
 * rounded value is non-zero and negative. Returns the digit count, or 0 for
 * NaN and infinities. */
static size_t round_decimal(double v, int decimals, char *digits, int *neg)
{
    *neg = 0;
    if (!isfinite(v)) return 0;
    if (v == 0) {
        digits[0] = '0';
        return 1;
    }
    char e[64];
    snprintf(e, sizeof e, "%.*e", FMT_SIG_DIGITS - 1, fabs(v));
    char sig[FMT_SIG_DIGITS];
    int nsig = 0, exp10 = 0, eneg = 0;
    const char *p = e;
    for (; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9' && nsig < FMT_SIG_DIGITS) sig[nsig++] = *p;
    if (*p) p++;
    if (*p == '-' || *p == '+') eneg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++) exp10 = exp10 * 10 + (*p - '0');
    if (eneg) exp10 = -exp10;
    while (nsig < FMT_SIG_DIGITS) sig[nsig++] = '0';

    /* sig[0] stands at 10^exp10; keep the k digits at or above 10^-decimals */
    size_t n = keep_rounded(sig, nsig, exp10 + 1 + decimals, digits);
    int zero = 1;
    for (size_t i = 0; i < n; i++)
        if (digits[i] != '0') zero = 0;
    *neg = !zero && v < 0;
    return n;
}

static int clamp_decimals(int decimals)
{
    return decimals < 0 ? 0 : decimals > FMT_MAX_DECIMALS ? FMT_MAX_DECIMALS : decimals;
}

/* Writes the unsigned, grouped figure: "1.234.567,89". */
static void put_figure(sbuf *b, const rg_locale *loc, const char *digits, size_t n, int decimals)
{
    char pad[FMT_MAX_DECIMALS + 1];
    size_t d = (size_t)decimals;
    if (n <= d) {                  /* 0,05: pad with leading zeros */
        size_t z = d + 1 - n;
        memset(pad, '0', z);
        memcpy(pad + z, digits, n);
        digits = pad;
        n = d + 1;
    }
    size_t nint = n - d;
    for (size_t i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0) sb_puts(b, loc->group);
        sb_putn(b, digits + i, 1);
    }
    if (d > 0) {
        sb_puts(b, loc->decimal);
        sb_putn(b, digits + nint, d);
    }
}

/* Room for round_decimal: 309 integer digits of DBL_MAX + the decimals. */
enum { DIGITS_CAP = 400 };

/* exact decimals (issue 17): round_decimal for an exact figure, on its
 * own digits (no double). */
static size_t round_exact(rg_dec v, int decimals, char *digits, int *neg)
{
    char raw[24];
    uint64_t mag = v.units < 0 ? (uint64_t)0 - (uint64_t)v.units : (uint64_t)v.units;
    int nraw = snprintf(raw, sizeof raw, "%llu", (unsigned long long)mag);
    size_t n = mag == 0 ? keep_rounded("0", 1, 1, digits)
                        : keep_rounded(raw, nraw, nraw - v.scale + decimals, digits);
    *neg = v.units < 0 && !(n == 1 && digits[0] == '0');
    return n;
}

/* The one way a rounded figure is written (see format_amount). */
static void write_amount(sbuf *b, const rg_locale *loc, const char *digits, size_t n, int neg,
                         int decimals, const char *prefix, const char *suffix,
                         const char *neg_open, const char *neg_close)
{
    if (neg) sb_puts(b, neg_open);
    sb_puts(b, prefix);
    put_figure(b, loc, digits, n, decimals);
    sb_puts(b, suffix);
    if (neg) sb_puts(b, neg_close);
}

/* exact decimals (issue 17): format_amount for an exact figure. */
static size_t format_exact_amount(const rg_locale *loc, rg_dec v, int decimals,
                                  const char *prefix, const char *suffix, const char *neg_open,
                                  const char *neg_close, char *out, size_t cap)
{
    sbuf b;
    char digits[DIGITS_CAP];
    int neg;
    decimals = clamp_decimals(decimals);
    sb_init(&b, out, cap);
    size_t n = round_exact(v, decimals, digits, &neg);
    write_amount(&b, loc, digits, n, neg, decimals, prefix, suffix, neg_open, neg_close);
    return b.len;
}

/* The one way a rounded figure is written: [neg_open] prefix figure suffix
 * [neg_close]; a value that cannot be rounded (NaN, inf) is an en dash. */
static size_t format_amount(const rg_locale *loc, double v, int decimals, const char *prefix,
                            const char *suffix, const char *neg_open, const char *neg_close,
                            char *out, size_t cap)
{
    sbuf b;
    char digits[DIGITS_CAP];
    int neg;
    decimals = clamp_decimals(decimals);
    sb_init(&b, out, cap);
    size_t n = round_decimal(v, decimals, digits, &neg);
    if (n == 0) {
        sb_puts(&b, EN_DASH);
        return b.len;
    }
    write_amount(&b, loc, digits, n, neg, decimals, prefix, suffix, neg_open, neg_close);
    return b.len;
}

size_t rg_format_exact(const rg_locale *loc, const rg_field *f, rg_dec v, int decimals,
                       int parentheses, char *out, size_t cap)
{
    rg_field_type type = f ? f->type : RG_FIELD_NUMBER;
    char prefix[16] = "", suffix[128] = "";
    if (!loc) loc = &locale_nl;
    if (decimals < 0 && f) decimals = f->decimals;
    if (decimals < 0) decimals = type == RG_FIELD_PERCENT || type == RG_FIELD_EURO ? 1 : 0;
    if (type == RG_FIELD_PERCENT) {
        snprintf(suffix, sizeof suffix, "%s%%", loc->percent_sep);
    } else if (type == RG_FIELD_EURO) {
        snprintf(prefix, sizeof prefix, "%s%s", EURO, loc->euro_sep);
        if (f && f->unit && *f->unit) snprintf(suffix, sizeof suffix, "%s%s", loc->unit_sep, f->unit);
        if (parentheses) return format_exact_amount(loc, v, decimals, prefix, suffix, "(", ")",
                                                    out, cap);
    }
    return format_exact_amount(loc, v, decimals, prefix, suffix, MINUS, "", out, cap);
}

size_t rg_format_number(const rg_locale *loc, double v, int decimals, char *out, size_t cap)
{
    if (!loc) loc = &locale_nl;
    return format_amount(loc, v, decimals, "", "", MINUS, "", out, cap);
}

size_t rg_format_percent(const rg_locale *loc, double percent, int decimals, char *out,
                         size_t cap)
{
    if (!loc) loc = &locale_nl;
    char suffix[16];
    snprintf(suffix, sizeof suffix, "%s%%", loc->percent_sep);
    return format_amount(loc, percent, decimals, "", suffix, MINUS, "", out, cap);
}

size_t rg_format_euro(const rg_locale *loc, double v, int decimals, const char *unit,
                      int parentheses, char *out, size_t cap)
{
    if (!loc) loc = &locale_nl;
    char prefix[16], suffix[128] = "";
    snprintf(prefix, sizeof prefix, "%s%s", EURO, loc->euro_sep);
    if (unit && *unit) snprintf(suffix, sizeof suffix, "%s%s", loc->unit_sep, unit);
    return format_amount(loc, v, decimals, prefix, suffix, parentheses ? "(" : MINUS,
                         parentheses ? ")" : "", out, cap);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int date_valid(rg_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

size_t rg_format_date(const rg_locale *loc, rg_date d, char *out, size_t cap)
{
    sbuf b;
    char day[8], year[8];
    if (!loc) loc = &locale_nl;
    sb_init(&b, out, cap);
    if (!date_valid(d)) {          /* absent (0) or impossible: shown as missing */
        sb_puts(&b, EN_DASH);
        return b.len;
    }
    snprintf(day, sizeof day, "%d", d.day);
    snprintf(year, sizeof year, "%d", d.year);
    if (loc->day_first) {
        sb_puts(&b, day);
        sb_puts(&b, " ");
        sb_puts(&b, loc->months[d.month - 1]);
        sb_puts(&b, " ");
        sb_puts(&b, year);
    } else {
        sb_puts(&b, loc->months[d.month - 1]);
        sb_puts(&b, " ");
        sb_puts(&b, day);
        sb_puts(&b, ", ");
        sb_puts(&b, year);
    }
    return b.len;
}

size_t rg_format_month(const rg_locale *loc, int year, int month, char *out, size_t cap)
{
    sbuf b;
    char y[16];
    if (!loc) loc = &locale_nl;
    sb_init(&b, out, cap);
    if (month < 1 || month > 12 || year < 1 || year > 9999) {
        sb_puts(&b, EN_DASH);
        return b.len;
    }
    snprintf(y, sizeof y, "%d", year);
    sb_puts(&b, loc->months_short[month - 1]);
    sb_puts(&b, " ");
    sb_puts(&b, y);
    return b.len;
}

size_t rg_format_quarter(const rg_locale *loc, int year, int quarter, char *out, size_t cap)
{
    sbuf b;
    char y[16], q[16];
    if (!loc) loc = &locale_nl;
    sb_init(&b, out, cap);
    if (quarter < 1 || quarter > 4 || year < 1 || year > 9999) {
        sb_puts(&b, EN_DASH);
        return b.len;
    }
    snprintf(y, sizeof y, "%d", year);
    snprintf(q, sizeof q, "%s%d", loc->quarter, quarter);
    sb_puts(&b, loc->quarter_first ? q : y);
    sb_puts(&b, " ");
    sb_puts(&b, loc->quarter_first ? y : q);
    return b.len;
}

size_t rg_format_value(const rg_locale *loc, const rg_field *f, const rg_value *v,
                       int decimals, int parentheses, char *out, size_t cap)
{
    rg_field_type type = f ? f->type : RG_FIELD_NUMBER;
    if (!v || v->missing) {
        sbuf b;
        sb_init(&b, out, cap);
        sb_puts(&b, EN_DASH);
        return b.len;
    }
    if (decimals < 0 && f) decimals = f->decimals;
    if (decimals < 0) decimals = type == RG_FIELD_NUMBER ? 0 : 1;
    if (v->exact && (type == RG_FIELD_NUMBER || type == RG_FIELD_PERCENT || type == RG_FIELD_EURO))
        return rg_format_exact(loc, f, v->dec, decimals, parentheses, out, cap);
    switch (type) {
    case RG_FIELD_TEXT: {
        sbuf b;
        sb_init(&b, out, cap);
        sb_puts(&b, v->text ? v->text : "");
        return b.len;
    }
    case RG_FIELD_PERCENT:
        return rg_format_percent(loc, v->num, decimals, out, cap);
    case RG_FIELD_EURO:
        return rg_format_euro(loc, v->num, decimals, f ? f->unit : NULL, parentheses, out, cap);
    case RG_FIELD_DATE:
        return rg_format_date(loc, v->date, out, cap);
    case RG_FIELD_NUMBER:
    default:
        return rg_format_number(loc, v->num, decimals, out, cap);
    }
}

/* ---- parsing ---- */

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int starts(const char *s, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(e - s) >= n && memcmp(s, lit, n) == 0;
}

/* Whether [s, e) is digits grouped by mark g: 1-3 digits, the first not
 * '0', then one or more times g and exactly three digits (1.234.567). */
static int grouped_by(const char *s, const char *e, char g)
{
    const char *p = s;
    while (p < e && *p >= '0' && *p <= '9') p++;
    if (p == s || p - s > 3 || *s == '0' || p == e) return 0;
    while (p < e) {
        if (*p != g || e - p < 4) return 0;
        for (int k = 1; k <= 3; k++)
            if (p[k] < '0' || p[k] > '9') return 0;
        p += 4;
    }
    return 1;
}

/* How many times mark c is in [s, e); *first gets the first (or NULL). */
static int count_mark(const char *s, const char *e, char c, const char **first)
{
    int n = 0;
    *first = NULL;
    for (const char *p = s; p < e; p++)
        if (*p == c) {
            if (!*first) *first = p;
            n++;
        }
    return n;
}

/* Sorts the body of a figure, [p, e) after its sign, '€' and '%', by fmt:
 * *dec gets the decimal mark's place (e when there is none) and *grp the
 * grouping mark the integer part uses (0: none). See rg_num_status. */
static rg_num_status classify(const char *p, const char *e, const rg_numfmt *fmt,
                              const char **dec, char *grp)
{
    *dec = e;
    *grp = 0;
    for (const char *q = p; q < e; q++)
        if ((*q < '0' || *q > '9') && *q != '.' && *q != ',') return RG_NUM_INVALID;
    const char *dot, *comma;
    int ndot = count_mark(p, e, '.', &dot), ncomma = count_mark(p, e, ',', &comma);
    if (ndot + ncomma == 0) return RG_NUM_OK;
    if (!fmt->decimal) {
        /* either mark is the decimal one, and there is no grouping */
        if (ndot + ncomma == 1) {
            *dec = dot ? dot : comma;
            if (!fmt->declared && e - *dec == 4 && grouped_by(p, e, **dec))
                return RG_NUM_AMBIGUOUS;
            return RG_NUM_OK;
        }
        /* 1.234,5 / 1,234.5 / 1.234.567: grouping with the first mark */
        char g = dot && (!comma || dot < comma) ? '.' : ',';
        int nother = g == '.' ? ncomma : ndot;
        const char *other = g == '.' ? comma : dot;
        if (nother <= 1 && grouped_by(p, other ? other : e, g) &&
            !memchr(other ? other : e, g, (size_t)(e - (other ? other : e))))
            return RG_NUM_GROUPED;
        return RG_NUM_INVALID;
    }
    char d = fmt->decimal, g = fmt->grouping, x = d == '.' ? ',' : '.';
    int nd = d == '.' ? ndot : ncomma, nx = d == '.' ? ncomma : ndot;
    const char *dm = d == '.' ? dot : comma;
    if (nd > 1) {                  /* 1.234.567 with decimal '.' */
        if (nx > 0 || !grouped_by(p, e, d)) return RG_NUM_INVALID;
        return g ? RG_NUM_WRONG_MARK : RG_NUM_GROUPED;
    }
    const char *int_end = dm ? dm : e;
    *dec = int_end;
    if (nx == 0) return RG_NUM_OK;
    /* the other mark: grouping in the integer part, or a mistake */
    if (memchr(int_end, x, (size_t)(e - int_end))) return g ? RG_NUM_MISPLACED : RG_NUM_WRONG_MARK;
    if (g) {
        if (!grouped_by(p, int_end, g)) return RG_NUM_MISPLACED;
        *grp = g;
        return RG_NUM_OK;
    }
    return grouped_by(p, int_end, x) && (dm || nx > 1) ? RG_NUM_GROUPED : RG_NUM_WRONG_MARK;
}

/* Grammar, after trimming ASCII blanks:
 *   [sign] ['€' [' ' | NBSP]] [sign] body [blank* '%']
 * with one sign at most, '€' only for EURO and '%' only for PERCENT; the
 * body is digits with the marks fmt allows (see model.h). */
rg_num_status rg_parse_number_as(const char *s, size_t len, rg_field_type type,
                                 const rg_numfmt *fmt, double *out)
{
    return rg_parse_exact_as(s, len, type, fmt, out, NULL);
}

/* exact decimals (issue 17): the digits [p, e) (dec: the decimal mark's
 * place, grp: the grouping mark or 0) as an rg_dec. */
static rg_num_status exact_digits(const char *p, const char *e, const char *dec, char grp,
                                  int neg, rg_dec *out)
{
    int64_t units = 0;
    int sig = 0, scale = 0;
    for (; p < e; p++) {
        if (p == dec || (grp && *p == grp)) continue;
        if (p > dec) scale++;
        if (sig == 0 && *p == '0') continue;
        if (++sig > RG_DEC_MAX_DIGITS) return RG_NUM_TOO_PRECISE;
        units = units * 10 + (*p - '0');
    }
    if (scale > RG_DEC_MAX_SCALE) return RG_NUM_TOO_PRECISE;
    out->units = neg ? -units : units;
    out->scale = scale;
    return RG_NUM_OK;
}

rg_num_status rg_parse_exact_as(const char *s, size_t len, rg_field_type type,
                                const rg_numfmt *fmt, double *out, rg_dec *exact)
{
    static const rg_numfmt either = { 0, 0, 1 };
    if (!s) return RG_NUM_INVALID;
    if (!fmt) fmt = &either;
    const char *p = s, *e = s + len;
    while (p < e && is_blank((unsigned char)*p)) p++;
    while (e > p && is_blank((unsigned char)e[-1])) e--;

    if (type == RG_FIELD_PERCENT && e > p && e[-1] == '%') {
        e--;
        for (;;) {
            if (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
            else if (e - p >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0) e -= 2;
            else break;
        }
    }

    int neg = 0, signs = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (p < e && (*p == '-' || *p == '+')) {
            neg = *p == '-';
            p++;
            signs++;
        } else if (starts(p, e, MINUS)) {
            neg = 1;
            p += 3;
            signs++;
        }
        if (pass == 0 && type == RG_FIELD_EURO && starts(p, e, EURO)) {
            p += 3;
            if (p < e && *p == ' ') p++;
            else if (starts(p, e, NBSP)) p += 2;
        } else {
            break;
        }
    }
    if (signs > 1) return RG_NUM_INVALID;

    const char *dec;
    char grp;
    rg_num_status st = classify(p, e, fmt, &dec, &grp);
    if (st != RG_NUM_OK && st != RG_NUM_AMBIGUOUS) return st;
    rg_dec exact_v = { 0, 0 };
    rg_num_status exact_st = exact ? exact_digits(p, e, dec, grp, neg, &exact_v) : RG_NUM_OK;

    /* digits: up to 19 significant ones are exact in a uint64; further
     * fraction digits cannot change a double of at most 1e15 meaningfully */
    uint64_t mant = 0;
    int sig = 0, frac = 0, nint = 0, nfrac = 0;
    for (; p < e; p++) {
        int dot = p > dec;
        if (p == dec || (grp && *p == grp)) continue;
        if (dot) nfrac++;
        else nint++;
        if (sig == 0 && *p == '0') {
            if (dot) frac++;
            continue;
        }
        if (sig < 19) {
            mant = mant * 10 + (uint64_t)(*p - '0');
            sig++;
            if (dot) frac++;
        } else if (!dot) {
            return RG_NUM_INVALID;         /* > 19 integer digits: far beyond the limit */
        }
    }
    if (nint == 0 || (dec < e && nfrac == 0)) return RG_NUM_INVALID;

    /* exact when mant <= 2^53 and 10^frac is exact (frac <= 22) */
    static const double pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    double v = (double)mant;
    if (frac <= 22) v /= pow10[frac];
    else v /= pow(10, frac);
    if (!(v <= PARSE_MAX_MAGNITUDE)) return RG_NUM_INVALID;
    if (exact_st != RG_NUM_OK) return exact_st;
    if (out) *out = neg && v != 0 ? -v : v;
    if (exact) *exact = exact_v;
    return st;
}

int rg_parse_number(const char *s, size_t len, rg_field_type type, double *out)
{
    double v;
    if (rg_parse_number_as(s, len, type, NULL, &v) != RG_NUM_OK) return -1;
    if (out) *out = v;
    return 0;
}

int rg_parse_date(const char *s, size_t len, rg_date *out)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-') return -1;
    int v[3] = { 0, 0, 0 };
    static const int from[3] = { 0, 5, 8 }, to[3] = { 4, 7, 10 };
    for (int k = 0; k < 3; k++)
        for (int i = from[k]; i < to[k]; i++) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v[k] = v[k] * 10 + (s[i] - '0');
        }
    rg_date d = { v[0], v[1], v[2] };
    if (!date_valid(d)) return -1;
    if (out) *out = d;
    return 0;
}
