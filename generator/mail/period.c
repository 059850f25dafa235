/* mail/period.c - which period a request for a report asks for, and which
 * served report that is. Stage: mail (pure C: text in, struct out; no
 * GMime). Owns rg_period_parse and rg_period_pick (mail/desk.h); the
 * tokens come from mail/period-scan.c.
 *
 * The subject and the plain-text body are cut into tokens (case does not
 * matter; a quoted line, starting with '>', and everything after a
 * signature line "-- " or an Outlook "-----Original Message-----" are
 * skipped; a word is matched whole, so "mei" is not found in "meisje"
 * nor "aug" in "Augustinus"):
 *   MONTH    januari jan january, februari feb february, maart mrt march
 *            mar, april apr, mei may, juni jun june, juli jul july,
 *            augustus aug august, september sep sept, oktober okt october
 *            oct, november nov, december dec (a NAME: the full names that
 *            are no ordinary word: all Dutch ones, the English ones but
 *            "may" and "march"; no abbreviation)
 *   YEAR     2019..2099 (any 19xx..21xx is read, and refused), '23 and ’23
 *   NUMMONTH 2023-05, 05-2023, 5/2023         DATE  2023-05-15, 15-5-2023
 *   NUM      another number                   ORD   eerste tweede derde
 *            first second third, 1e 2e 3e 1st 2nd 3rd (15th, 4e: a day)
 *   LATEST   laatste last latest nieuwste newest recentste recente recent
 *            current ("meest", "most" are fill)
 *   RANGE    t/m tm "tot en met" t.e.m. tot - – to through thru until till
 *   PERIOD   viermaandsrapportage viermaandelijkse tertaal tertiaal
 *            rapportage rapport report four-month four-monthly periode
 *            period (and their plurals)
 *   TERT     T1 T2 T3 ("T 1" too)       QUARTER  Q1..Q4 kwartaal quarter
 *   SEASON   zomer winter lente voorjaar najaar herfst halfjaar jaarhelft
 *            semester voorjaarsnota najaarsnota summer spring autumn fall
 *            halfyear, "half year" "half jaar" "first half" "eerste helft"
 *            (and a few more forms)
 * Fill words (de het een the a an van of over for voor in from uit jaar
 * year meest most) are skipped; any other word breaks a phrase.
 * The rules, tried at each token in this order (the first that fits
 * takes its tokens):
 *   (NUM|ORD) MONTH [YEAR], MONTH (NUM|ORD) [YEAR]   a date: not a request,
 *                                         but a range of them from a first day to a
 *                                         last (28..31) is those months
 *   [ORD] QUARTER [YEAR]                  unclear: a quarter is not a period
 *   [YEAR] [ORD] SEASON [PERIOD+] [YEAR]  unclear: nor is a season or half
 *                                         year ("fall" only next to a year or
 *                                         a PERIOD: it is a verb too)
 *   M RANGE M      (M = MONTH [YEAR] | NUMMONTH; a year on one side at least)
 *                                         months from..to
 *   MONTH YEAR | NUMMONTH                 one month
 *   (ORD|LATEST) PERIOD+ [YEAR]           tertial N of YEAR (laatste: 3;
 *                                         1: Jan-Apr, 2: May-Aug, 3: Sep-Dec)
 *   TERT [RANGE|/] [PERIOD+] YEAR, YEAR [RANGE|/] TERT    tertial N
 *   PERIOD+ YEAR, YEAR PERIOD             the whole year
 *   LATEST PERIOD                         the latest report
 *   YEAR (2019..2099, no rule took it)    unclear alone
 *   NAME (a MONTH no rule took)           unclear alone
 * A month 0 or 13, a year outside 2019..2099, a range that ends before
 * it begins, a tertial other than 1..3: unclear.
 * Unclear alone, but context beside a period with a year found elsewhere
 * in the request: a lone year in that period ("T1 2023 ... in 2023
 * hebben wij"), a lone month NAME in it ("T2 2023, de rapportage van
 * mei"), a tertial without a year that is that period (subject "T1",
 * body "T1 2023"). A year in a date, a year before 2019, a lone "may",
 * "march" or abbreviation ("Jan" is a name) are nothing.
 * Nothing found: the latest report. Two different periods: unclear; the
 * same one twice (subject and body) is one. */
#include "period-imp.h"

#include <stdio.h>
#include <string.h>

#define YEAR_MIN 2019
#define YEAR_MAX 2099

/* More periods than this in one request are not counted (the first two
 * different ones already make it unclear). */
#define MAX_FOUND 32

/* Findings that are no ask of their own: a date (nothing asked), and what
 * is unclear alone but only context beside a period with a year found
 * elsewhere in the request (decide() weighs them; from holds the year,
 * the month 1..12 or the tertial 1..3). */
enum { FOUND_DATE = -1, FOUND_LONE_YEAR = -2, FOUND_LONE_MONTH = -3, FOUND_TERT_NO_YEAR = -4 };

/* What one rule found. */
typedef struct {
    int kind;                       /* an rg_ask_kind or a FOUND_ kind */
    rg_month from, to;
    const char *why;                /* UNCLEAR, and the FOUND_ kinds when they stay alone */
    int first, last;                /* its tokens */
} found;

/* ------------------------------------------------------------ rules */

static int is(const rg_pscan *s, int i, rg_ptok_kind kind)
{
    return i < s->n && s->t[i].kind == kind;
}

static int set(found *f, int kind, rg_month from, rg_month to, const char *why,
               int first, int last)
{
    *f = (found){ kind, from, to, why, first, last };
    return last - first + 1;
}

static int unclear(found *f, const char *why, int first, int last)
{
    return set(f, RG_ASK_UNCLEAR, -1, -1, why, first, last);
}

/* MONTH [YEAR] or NUMMONTH at i: tokens taken (0: none), *year 0 when not named */
static int month_ref(const rg_pscan *s, int i, int *month, int *year)
{
    if (is(s, i, RG_TK_NUMMONTH)) {
        *month = s->t[i].v, *year = s->t[i].v2;
        return 1;
    }
    if (!is(s, i, RG_TK_MONTH)) return 0;
    *month = s->t[i].v;
    *year = is(s, i + 1, RG_TK_YEAR) ? s->t[i + 1].v : 0;
    return *year ? 2 : 1;
}

static const char *bad_month_year(int month, int year)
{
    if (month < 1 || month > 12) return "a month number that is no month";
    if (year < YEAR_MIN || year > YEAR_MAX) return "a year outside 2019..2099";
    return NULL;
}

/* The day at i (NUM 1..31 or an ordinal: "15", "15th", "1e"), or 0. */
static int day_at(const rg_pscan *s, int i)
{
    if (is(s, i, RG_TK_ORD) || (is(s, i, RG_TK_NUM) && s->t[i].v >= 1 && s->t[i].v <= 31))
        return s->t[i].v;
    return 0;
}

/* (DAY MONTH | MONTH DAY) [YEAR] at i: tokens taken (0: none); *year 0 when not named */
static int date_at(const rg_pscan *s, int i, int *day, int *month, int *year)
{
    int m = is(s, i, RG_TK_MONTH) ? i : i + 1;
    *day = day_at(s, m == i ? i + 1 : i);
    if (!*day || !is(s, m, RG_TK_MONTH)) return 0;
    *month = s->t[m].v;
    *year = is(s, i + 2, RG_TK_YEAR) ? s->t[i + 2].v : 0;
    return *year ? 3 : 2;
}

/* Checks months from m1/y1 to m2/y2 (a year missing on one side: the
 * other's) and records the range, or why it is unclear. */
static int month_range(found *f, int m1, int y1, int m2, int y2, int first, int last)
{
    if (!y1 && !y2) return unclear(f, "a range of months without a year", first, last);
    const char *bad = bad_month_year(m1, y1 ? y1 : y2);
    if (!bad) bad = bad_month_year(m2, y2 ? y2 : y1);
    if (bad) return unclear(f, bad, first, last);
    rg_month from = RG_MONTH(y1 ? y1 : y2, m1), to = RG_MONTH(y2 ? y2 : y1, m2);
    if (to < from) return unclear(f, "a range of months that ends before it begins", first, last);
    return set(f, RG_ASK_RANGE, from, to, NULL, first, last);
}

/* A date is how people write when they sent something: not a request.
 * Only a range from the first day of a month to the end of one, with a
 * year, asks for those months ("1 januari t/m 30 april 2023"). */
static int rule_date(const rg_pscan *s, int i, found *f)
{
    int d1, m1, y1, d2, m2, y2, a = date_at(s, i, &d1, &m1, &y1), b;
    if (!a) return 0;
    if (d1 == 1 && is(s, i + a, RG_TK_RANGE) && (b = date_at(s, i + a + 1, &d2, &m2, &y2)) &&
        d2 >= 28 && (y1 || y2))
        return month_range(f, m1, y1, m2, y2, i, i + a + b);
    return set(f, FOUND_DATE, 0, 0, NULL, i, i + a - 1);
}

static int rule_quarter(const rg_pscan *s, int i, found *f)
{
    int q = i + is(s, i, RG_TK_ORD);
    if (!is(s, q, RG_TK_QUARTER)) return 0;
    return unclear(f, "a quarter was asked for: the reports cover four months", i,
                   q + is(s, q + 1, RG_TK_YEAR));
}

static int skip_periods(const rg_pscan *s, int j)
{
    while (is(s, j, RG_TK_PERIOD)) j++;
    return j;
}

static int is_year_or_period(const rg_pscan *s, int i)
{
    return i >= 0 && (is(s, i, RG_TK_YEAR) || is(s, i, RG_TK_PERIOD));
}

/* [YEAR] [ORD] SEASON [PERIOD+] [YEAR]: a season or a half year is no
 * four-month period. "fall" (v 1) only next to a year or a report word. */
static int rule_season(const rg_pscan *s, int i, found *f)
{
    int j = i + is(s, i, RG_TK_YEAR);
    j += is(s, j, RG_TK_ORD);
    if (!is(s, j, RG_TK_SEASON)) return 0;
    if (s->t[j].v && !is_year_or_period(s, j - 1) && !is_year_or_period(s, j + 1)) return 0;
    int last = skip_periods(s, j + 1);
    last = is(s, last, RG_TK_YEAR) ? last : last - 1;
    return unclear(f, "a season or half year was asked for: the reports cover four months", i,
                   last);
}

static int rule_month_range(const rg_pscan *s, int i, found *f)
{
    int m1, y1, m2, y2, a = month_ref(s, i, &m1, &y1), b;
    if (!a || !is(s, i + a, RG_TK_RANGE) || !(b = month_ref(s, i + a + 1, &m2, &y2))) return 0;
    return month_range(f, m1, y1, m2, y2, i, i + a + b);
}

static int rule_month(const rg_pscan *s, int i, found *f)
{
    int m, y, a = month_ref(s, i, &m, &y);
    if (!a || !y) return 0;
    const char *bad = bad_month_year(m, y);
    if (bad) return unclear(f, bad, i, i + a - 1);
    return set(f, RG_ASK_RANGE, RG_MONTH(y, m), RG_MONTH(y, m), NULL, i, i + a - 1);
}

static int tertial(found *f, int n, int year, int first, int last)
{
    if (n < 1 || n > 3) return unclear(f, "a year has three four-month periods", first, last);
    if (!year)
        return set(f, FOUND_TERT_NO_YEAR, n, n, "a four-month period without a year", first, last);
    if (year < YEAR_MIN || year > YEAR_MAX)
        return unclear(f, "a year outside 2019..2099", first, last);
    return set(f, RG_ASK_RANGE, RG_MONTH(year, 4 * n - 3), RG_MONTH(year, 4 * n), NULL, first,
               last);
}

static int rule_ordinal(const rg_pscan *s, int i, found *f)
{
    int j = skip_periods(s, i + 1);
    if (!(is(s, i, RG_TK_ORD) || is(s, i, RG_TK_LATEST)) || j == i + 1) return 0;
    int n = is(s, i, RG_TK_LATEST) ? 3 : s->t[i].v;
    if (!is(s, j, RG_TK_YEAR))
        return is(s, i, RG_TK_LATEST) ? 0 : tertial(f, n, 0, i, j - 1);
    return tertial(f, n, s->t[j].v, i, j);
}

static int rule_tert(const rg_pscan *s, int i, found *f)
{
    if (is(s, i, RG_TK_TERT)) {
        int j = i + 1;
        if (is(s, j, RG_TK_RANGE) || is(s, j, RG_TK_SLASH)) j++;
        j = skip_periods(s, j);
        if (is(s, j, RG_TK_YEAR)) return tertial(f, s->t[i].v, s->t[j].v, i, j);
        return tertial(f, s->t[i].v, 0, i, i);
    }
    if (!is(s, i, RG_TK_YEAR)) return 0;
    int j = i + 1 + (is(s, i + 1, RG_TK_RANGE) || is(s, i + 1, RG_TK_SLASH));
    if (!is(s, j, RG_TK_TERT)) return 0;
    return tertial(f, s->t[j].v, s->t[i].v, i, j);
}

static int rule_year(const rg_pscan *s, int i, found *f)
{
    int j = skip_periods(s, i), y;
    found ignored;
    if (j > i && is(s, j, RG_TK_YEAR) && !rule_tert(s, j, &ignored)) y = j;
    else if (is(s, i, RG_TK_YEAR) && is(s, i + 1, RG_TK_PERIOD)) y = i, j = i + 1;
    else return 0;
    int y1 = s->t[y].v, y2 = y1;
    if (y == j && is(s, j + 1, RG_TK_RANGE) && is(s, j + 2, RG_TK_YEAR)) y2 = s->t[j + 2].v, j += 2;
    if (y1 < YEAR_MIN || y2 > YEAR_MAX || y1 > y2)
        return unclear(f, y1 > y2 ? "a range of years that ends before it begins"
                                  : "a year outside 2019..2099", i, j);
    return set(f, RG_ASK_RANGE, RG_MONTH(y1, 1), RG_MONTH(y2, 12), NULL, i, j);
}

static int rule_latest(const rg_pscan *s, int i, found *f)
{
    if (!is(s, i, RG_TK_LATEST) || !is(s, i + 1, RG_TK_PERIOD)) return 0;
    return set(f, RG_ASK_LATEST, -1, -1, NULL, i, skip_periods(s, i + 1) - 1);
}

/* A year 2019..2099 that no rule took (not in a date, not beside a period
 * word): unclear, unless a period found elsewhere is in that year. */
static int rule_lone_year(const rg_pscan *s, int i, found *f)
{
    if (!is(s, i, RG_TK_YEAR) || s->t[i].v < YEAR_MIN || s->t[i].v > YEAR_MAX) return 0;
    return set(f, FOUND_LONE_YEAR, s->t[i].v, s->t[i].v,
               "a year without a period the desk understands", i, i);
}

/* A month name without a year that is no ordinary word ("mei", not
 * "may"): unclear, unless a period found elsewhere takes in that month. */
static int rule_lone_month(const rg_pscan *s, int i, found *f)
{
    if (!is(s, i, RG_TK_MONTH) || !s->t[i].v2) return 0;
    return set(f, FOUND_LONE_MONTH, s->t[i].v, s->t[i].v, "a month without a year", i, i);
}

typedef int (*rule)(const rg_pscan *, int, found *);
static const rule rules[] = { rule_date,    rule_quarter, rule_season,     rule_month_range,
                              rule_month,   rule_ordinal, rule_tert,       rule_year,
                              rule_latest,  rule_lone_year, rule_lone_month };

/* ------------------------------------------------------------ the ask */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Copies at most size - 1 bytes of src[0..len), cut on a UTF-8 boundary,
 * line breaks and tabs as spaces, trimmed. */
static void copy_phrase(char *dst, size_t size, const char *src, size_t len)
{
    while (len && is_space(*src)) src++, len--;
    while (len && is_space(src[len - 1])) len--;
    if (len > size - 1) {
        len = size - 1;
        while (len && ((unsigned char)src[len] & 0xC0) == 0x80) len--;
    }
    for (size_t i = 0; i < len; i++) dst[i] = (char)((unsigned char)src[i] < 0x20 ? ' ' : src[i]);
    dst[len] = 0;
}

/* Cuts an incomplete UTF-8 sequence off the end of a truncated string. */
static void trim_utf8_tail(char *s)
{
    size_t n = strlen(s), k = n;
    while (k && ((unsigned char)s[k - 1] & 0xC0) == 0x80 && n - k < 3) k--;
    if (k) {
        unsigned char lead = (unsigned char)s[k - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (lead >= 0xC0 && n - (k - 1) < want) s[k - 1] = 0;
    }
}

static void phrase_of(const rg_pscan *s, const found *f, char *dst, size_t size)
{
    const char *a = s->t[f->first].start, *b = s->t[f->last].end;
    copy_phrase(dst, size, a, (size_t)(b - a));
}

static int is_context_finding(int kind)
{
    return kind == FOUND_LONE_YEAR || kind == FOUND_LONE_MONTH || kind == FOUND_TERT_NO_YEAR;
}

/* Whether a period with a year found in the request (a RANGE) takes in
 * the lone year, the month name or the yearless tertial c: then c is
 * context ("T1 2023 ... in 2023 hebben wij"), not a second ask. */
static int part_of_a_range(const found *c, const found *fs, int n)
{
    for (int k = 0; k < n; k++) {
        rg_month from = fs[k].from, to = fs[k].to;
        if (fs[k].kind != RG_ASK_RANGE) continue;
        if (c->kind == FOUND_LONE_YEAR && from / 12 <= c->from && c->from <= to / 12) return 1;
        if (c->kind == FOUND_LONE_MONTH &&
            (to - from >= 11 || (c->from - 1 - from % 12 + 12) % 12 <= to - from))
            return 1;
        if (c->kind == FOUND_TERT_NO_YEAR && from % 12 == 4 * c->from - 4 && to == from + 3)
            return 1;
    }
    return 0;
}

/* The findings in order -> the one ask. */
static void decide(const rg_pscan *s, const found *fs, int n, rg_period_ask *out)
{
    const found *range = NULL, *latest = NULL, *other = NULL;
    int distinct = 0;
    for (int k = 0; k < n; k++) {
        if (fs[k].kind == RG_ASK_UNCLEAR ||
            (is_context_finding(fs[k].kind) && !part_of_a_range(&fs[k], fs, n))) {
            out->kind = RG_ASK_UNCLEAR;
            phrase_of(s, &fs[k], out->said, sizeof out->said);
            snprintf(out->why, sizeof out->why, "%s: %s", fs[k].why, out->said);
            trim_utf8_tail(out->why);
            return;
        }
        if (fs[k].kind == RG_ASK_LATEST && !latest) latest = &fs[k];
        if (fs[k].kind != RG_ASK_RANGE) continue;
        if (!range) range = &fs[k], distinct = 1;
        else if (fs[k].from != range->from || fs[k].to != range->to) {
            if (!other) other = &fs[k];
            distinct++;
        }
    }
    if (other) {
        char a[80], b[80];          /* both fit in why */
        phrase_of(s, range, a, sizeof a);
        phrase_of(s, other, b, sizeof b);
        out->kind = RG_ASK_UNCLEAR;
        if (distinct == 2)
            snprintf(out->why, sizeof out->why, "two periods named: %s and %s", a, b);
        else
            snprintf(out->why, sizeof out->why, "%d periods named: %s, %s, ...", distinct, a, b);
        trim_utf8_tail(out->why);
        copy_phrase(out->said, sizeof out->said, a, strlen(a));
        return;
    }
    if (range) {
        out->kind = RG_ASK_RANGE, out->from = range->from, out->to = range->to;
        phrase_of(s, range, out->said, sizeof out->said);
    } else if (latest) {
        phrase_of(s, latest, out->said, sizeof out->said);
    }
}

void rg_period_parse(const char *subject, const char *body, rg_period_ask *out)
{
    rg_pscan s;
    found fs[MAX_FOUND], f;
    int n = 0;
    memset(out, 0, sizeof *out);
    out->kind = RG_ASK_LATEST, out->from = out->to = -1;
    rg_period_scan(&s, subject, body);
    for (int i = 0; i < s.n;) {
        int took = 0;
        for (size_t r = 0; r < sizeof rules / sizeof *rules && !took; r++)
            took = rules[r](&s, i, &f);
        if (took && f.kind != FOUND_DATE && n < MAX_FOUND) fs[n++] = f;
        i += took ? took : 1;
    }
    decide(&s, fs, n, out);
    memcpy(out->lang, s.en > s.nl ? "en" : "nl", 3);
}

/* ------------------------------------------------------------ pick */

/* A range as the log says it: "2023-T1", "2023", "2023-04", "2022-11..2023-02". */
static void format_range(rg_month from, rg_month to, char *buf, size_t size)
{
    int y1 = from / 12, m1 = from % 12 + 1, y2 = to / 12, m2 = to % 12 + 1;
    if (y1 == y2 && m1 == 1 && m2 == 12) snprintf(buf, size, "%d", y1);
    else if (y1 == y2 && m2 == m1 + 3 && m1 % 4 == 1) snprintf(buf, size, "%d-T%d", y1, m2 / 4);
    else if (from == to) snprintf(buf, size, "%04d-%02d", y1, m1);
    else snprintf(buf, size, "%04d-%02d..%04d-%02d", y1, m1, y2, m2);
}

/* prefix, then ": a, b, ..." naming the marked reports, into why (cut to fit). */
static void list_reports(char *why, size_t size, const char *prefix, const rg_served_report *r,
                         size_t n, const unsigned char *hit)
{
    size_t len = (size_t)snprintf(why, size, "%s", prefix);
    const char *sep = ": ";
    for (size_t i = 0; i < n && len < size; i++)
        if (hit[i]) {
            len += (size_t)snprintf(why + len, size - len, "%s%s", sep,
                                    r[i].output ? r[i].output : "?");
            sep = ", ";
        }
    trim_utf8_tail(why);
}

static void say(char *why, size_t size, const char *text, const char *what)
{
    if (!why || !size) return;
    snprintf(why, size, text, what);
    trim_utf8_tail(why);
}

/* Which reports contain (or, with inside, lie within) from..to: marks in
 * hit, the last index in *last; the count. */
static size_t mark_reports(const rg_served_report *r, size_t n, rg_month from, rg_month to,
                           int inside, unsigned char *hit, size_t *last)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        int known = r[i].from >= 0 && r[i].to >= r[i].from;
        hit[i] = known && (inside ? from <= r[i].from && r[i].to <= to
                                  : r[i].from <= from && to <= r[i].to);
        if (hit[i]) count++, *last = i;
    }
    return count;
}

static long pick_range(const rg_period_ask *ask, const rg_served_report *r, size_t n,
                       unsigned char *hit, char *why, size_t size)
{
    char what[40], prefix[120];
    size_t last = 0, count;
    format_range(ask->from, ask->to, what, sizeof what);
    count = mark_reports(r, n, ask->from, ask->to, 0, hit, &last);
    if (count == 1) return (long)last;
    if (count > 1) {
        snprintf(prefix, sizeof prefix, "%zu reports cover %s", count, what);
    } else {
        /* a year asked for: the reports inside it make the choice ambiguous */
        count = mark_reports(r, n, ask->from, ask->to, 1, hit, &last);
        snprintf(prefix, sizeof prefix, "no report covers %s", what);
        if (count)
            snprintf(prefix + strlen(prefix), sizeof prefix - strlen(prefix),
                     "; %zu %s within it", count, count == 1 ? "lies" : "lie");
    }
    if (why && size) list_reports(why, size, prefix, r, n, hit);
    return -1;
}

static long pick_latest(const rg_served_report *r, size_t n, unsigned char *hit, char *why,
                        size_t size)
{
    rg_month latest = -1;
    size_t last = 0, count = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].to > latest) latest = r[i].to;
    if (latest < 0) {
        say(why, size, "%s", n ? "no report has known dates" : "no reports to send");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if ((hit[i] = r[i].to == latest)) count++, last = i;
    if (count == 1) return (long)last;
    if (why && size) {
        char what[40], prefix[80];
        format_range(latest, latest, what, sizeof what);
        snprintf(prefix, sizeof prefix, "%zu reports are the latest (end in %s)", count, what);
        list_reports(why, size, prefix, r, n, hit);
    }
    return -1;
}

long rg_period_pick(const rg_period_ask *ask, const rg_served_report *reports, size_t n,
                    char *why, size_t why_size)
{
    /* one mark per report; a desk serves a handful, never more than this */
    enum { MAX_REPORTS = 4096 };
    unsigned char hit[MAX_REPORTS];
    if (why && why_size) why[0] = 0;
    if (n > MAX_REPORTS) {
        say(why, why_size, "%s", "more reports served than the desk compares (4096)");
        return -1;
    }
    if (ask->kind == RG_ASK_UNCLEAR) {
        say(why, why_size, "%s", ask->why[0] ? ask->why : "the request is unclear");
        return -1;
    }
    if (ask->kind == RG_ASK_LATEST) return pick_latest(reports, n, hit, why, why_size);
    return pick_range(ask, reports, n, hit, why, why_size);
}
