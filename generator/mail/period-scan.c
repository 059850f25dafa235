/* mail/period-scan.c - the tokens of a request for a report: month names,
 * years, numbers, ordinals, range and period words (mail/period.c's head
 * comment lists them, and the rules over them). Stage: mail; pure C.
 * Words are matched whole, case-insensitively (ASCII), so "mei" is not
 * found in "meisje" nor "aug" in "Augustinus". */
#include "period-imp.h"

#include <string.h>

/* Longer words are no keyword: read as an ordinary word. */
#define MAX_WORD 32

/* ------------------------------------------------------------ words */

static const char *const month_words[12][4] = {
    { "januari", "jan", "january" }, { "februari", "feb", "february" },
    { "maart", "mrt", "march", "mar" }, { "april", "apr" }, { "mei", "may" },
    { "juni", "jun", "june" }, { "juli", "jul", "july" }, { "augustus", "aug", "august" },
    { "september", "sep", "sept" }, { "oktober", "okt", "october", "oct" },
    { "november", "nov" }, { "december", "dec" },
};

/* The month names that are no ordinary word: alone (without a year) they
 * still ask for a month. Not "may" and "march" (verbs), nor any
 * abbreviation ("jan" is a name, "mar" and "dec" are words). */
static const char *const month_names_alone[] = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "january", "february", "june", "july", "august",
    "october", NULL };

/* Seasons and parts of a year: no report covers one ("fall" only next to a
 * year or a report word: it is a verb too). */
static const char *const season_words[] = {
    "zomer", "winter", "lente", "voorjaar", "najaar", "herfst", "halfjaar", "halfjaarlijks",
    "halfjaarlijkse", "halfjaarrapportage", "halfjaarverslag", "halfjaarcijfers", "jaarhelft",
    "semester", "semesters", "voorjaarsnota", "najaarsnota", "summer", "spring", "autumn",
    "fall", "halfyear", "halfyearly", NULL };

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(w, *list)) return 1;
    return 0;
}

/* 1..12 when w (lower case) is a whole month name or abbreviation, else 0 */
static int month_of(const char *w)
{
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 4 && month_words[m][k]; k++)
            if (!strcmp(w, month_words[m][k])) return m + 1;
    return 0;
}

/* the ordinal words, at the index of their number */
static const char *const ord_words[][2] = { { NULL, NULL }, { "eerste", "first" },
                                            { "tweede", "second" }, { "derde", "third" } };

static int ordinal_of(const char *w)
{
    for (int n = 1; n <= 3; n++)
        if (!strcmp(w, ord_words[n][0]) || !strcmp(w, ord_words[n][1])) return n;
    return 0;
}

static const char *const latest_words[] = { "laatste", "last", "latest", "nieuwste", "newest",
                                            "recentste", "recente", "recent", "current",
                                            "huidige", NULL };
static const char *const range_words[] = { "tm", "tot", "to", "through", "thru", "until",
                                           "till", NULL };
static const char *const period_words[] = {
    "viermaandsrapportage", "viermaandsrapportages", "viermaandsrapport", "viermaandelijkse",
    "viermaandelijks", "tertaal", "tertiaal", "tertaalrapportage", "tertiaalrapportage",
    "rapportage", "rapportages", "rapport", "report", "reports", "periode", "period",
    "verslag", "jaarverslag", "jaarrapportage", "annual",
    "four-month", "four-monthly", NULL };
static const char *const quarter_words[] = { "kwartaal", "kwartalen", "kwartaalrapportage",
                                             "kwartaalrapport", "quarter", "quarterly", NULL };
static const char *const fill_words[] = { "de", "het", "een", "the", "a", "an", "van", "of",
                                          "over", "for", "voor", "in", "from", "uit", "jaar",
                                          "year", "meest", "most", NULL };
static const char *const english_words[] = {
    "the", "report", "reports", "please", "could", "would", "send", "january", "february",
    "march", "may", "june", "july", "august", "october", "for", "to", "of", "you", "i",
    "latest", "dear", "thanks", "thank", "regards", "kind", "hello", "and", "from", "through",
    "until", "most", "recent", "newest", "first", "second", "third", "last", "period", "can",
    "like", "want", "receive", "copy", "quarter", "summer", "autumn", NULL };
static const char *const dutch_words[] = {
    "de", "het", "een", "van", "graag", "rapportage", "januari", "februari", "maart", "mei",
    "juni", "juli", "augustus", "oktober", "ik", "u", "mij", "kunt", "zou", "wilt", "sturen",
    "toesturen", "ontvangen", "met", "vriendelijke", "groet", "beste", "geachte", "bedankt",
    "dank", "alvast", "over", "tot", "en", "is", "periode", "laatste", "eerste", "tweede",
    "derde", "viermaandsrapportage", "voor", "naar", "wil", "kwartaal", "zomer", "najaar",
    "voorjaar", "herfst", "lente", "halfjaar", NULL };

/* ------------------------------------------------------------ UTF-8 */

/* The code point at p (p < end), its length in *len; an invalid or
 * truncated sequence is one byte of U+FFFD. */
static unsigned decode(const char *p, const char *end, int *len)
{
    const unsigned char *s = (const unsigned char *)p;
    unsigned c = s[0];
    int n = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2
          : c >= 0xF0 && c < 0xF5 ? 3 : -1;
    *len = 1;
    if (n < 0) return 0xFFFD;
    if (end - p <= n) return n ? 0xFFFD : c;
    unsigned cp = n ? c & (0x3F >> n) : c;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0xFFFD;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    *len = n + 1;
    return cp;
}

/* A letter or digit: part of a word. Punctuation (U+2000..U+2BFF),
 * no-break and ideographic spaces, × ÷ and invalid bytes are not. */
static int is_wordchar(unsigned cp)
{
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && !(cp >= 0x2000 && cp <= 0x2BFF) &&
           cp != 0x3000 && cp != 0xFEFF && cp != 0xFFFD;
}

static int is_dash(unsigned cp)
{
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c; }
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int wordchar_at(const char *p, const char *end)
{
    int len;
    return p < end && is_wordchar(decode(p, end, &len));
}

/* --------------------------------------------------------- tokenizer */

static void push(rg_pscan *s, rg_ptok_kind kind, int v, int v2, const char *start, const char *end)
{
    if (kind == RG_TK_WORD && s->n && s->t[s->n - 1].kind == RG_TK_WORD) {
        s->t[s->n - 1].end = end;   /* a run of ordinary words is one token */
        return;
    }
    if (s->n < RG_PERIOD_MAX_TOKENS) s->t[s->n++] = (rg_ptoken){ kind, v, v2, start, end };
}

/* Matches pattern at p, case-insensitively: ' ' in it is one or more
 * spaces, '_' none or more; the match must end at a word boundary.
 * Returns the end of the match, or NULL. */
static const char *match_phrase(const char *p, const char *end, const char *pattern)
{
    for (; *pattern; pattern++) {
        if (*pattern == ' ' || *pattern == '_') {
            if (*pattern == ' ' && (p >= end || !is_space(*p))) return NULL;
            while (p < end && is_space(*p)) p++;
        } else {
            if (p >= end || lower(*p) != *pattern) return NULL;
            p++;
        }
    }
    return wordchar_at(p, end) ? NULL : p;
}

/* The keywords of more than one word or with punctuation inside. */
static const struct { const char *pattern; rg_ptok_kind kind; int english; } phrases[] = {
    { "tot en met", RG_TK_RANGE, 0 }, { "t_/_m", RG_TK_RANGE, 0 }, { "t.e.m.", RG_TK_RANGE, 0 },
    { "t.e.m", RG_TK_RANGE, 0 }, { "four-monthly", RG_TK_PERIOD, 1 },
    { "four-month", RG_TK_PERIOD, 1 }, { "half year", RG_TK_SEASON, 1 },
    { "half-year", RG_TK_SEASON, 1 }, { "half yearly", RG_TK_SEASON, 1 },
    { "half-yearly", RG_TK_SEASON, 1 }, { "first half", RG_TK_SEASON, 1 },
    { "second half", RG_TK_SEASON, 1 }, { "half jaar", RG_TK_SEASON, 0 },
    { "eerste helft", RG_TK_SEASON, 0 }, { "tweede helft", RG_TK_SEASON, 0 },
};

/* A phrase starting at p: its token, its end; NULL when there is none. */
static const char *scan_phrase(rg_pscan *s, const char *p, const char *end)
{
    for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++) {
        const char *q = match_phrase(p, end, phrases[i].pattern);
        if (!q) continue;
        *(phrases[i].english ? &s->en : &s->nl) += 1;
        push(s, phrases[i].kind, 0, 0, p, q);
        return q;
    }
    return NULL;
}

static int parse_int(const char *p, int len)
{
    int v = 0;
    for (int i = 0; i < len && i < 6; i++) v = v * 10 + (p[i] - '0');
    return v;
}

/* Digits with '-', '/' or '.' between groups: a year, a month of a year,
 * a date, two years, or a number. */
static void classify_number(rg_pscan *s, const char *p, const char *q)
{
    int part[3], plen[3], n = 0;
    const char *c = p;
    while (c < q && n < 3) {
        const char *d = c;
        while (d < q && is_digit(*d)) d++;
        part[n] = parse_int(c, (int)(d - c));
        plen[n++] = (int)(d - c);
        c = d + 1;
    }
    if (n == 1) {
        int year = plen[0] == 4 && part[0] >= 1900 && part[0] < 2200;
        push(s, year ? RG_TK_YEAR : RG_TK_NUM, part[0], 0, p, q);
    } else if (n == 2 && plen[0] == 4 && plen[1] == 4) {
        push(s, RG_TK_YEAR, part[0], 0, p, p + 4);
        push(s, RG_TK_RANGE, 0, 0, p + 4, p + 5);
        push(s, RG_TK_YEAR, part[1], 0, q - 4, q);
    } else if (n == 2 && plen[0] == 4 && plen[1] <= 2) {
        push(s, RG_TK_NUMMONTH, part[1], part[0], p, q);
    } else if (n == 2 && plen[0] <= 2 && plen[1] == 4) {
        push(s, RG_TK_NUMMONTH, part[0], part[1], p, q);
    } else {
        push(s, RG_TK_DATE, 0, 0, p, q);   /* 15-05-2023, 05/23: not a period */
    }
}

/* A word, lower case in w, at p..q: its token (or none, for fill). */
static void classify_word(rg_pscan *s, const char *w, const char *p, const char *q)
{
    size_t len = strlen(w), digits = strspn(w, "0123456789");
    static const char *const ord_suffixes[] = { "e", "ste", "de", "st", "nd", "rd", "th", NULL };
    s->en += in_list(w, english_words);
    s->nl += in_list(w, dutch_words);
    if (digits && digits < len && digits <= 2 && in_list(w + digits, ord_suffixes))
        push(s, RG_TK_ORD, parse_int(w, (int)digits), 0, p, q);
    else if (w[0] == 't' && len >= 2 && len <= 3 && strspn(w + 1, "0123456789") == len - 1)
        push(s, RG_TK_TERT, parse_int(w + 1, (int)len - 1), 0, p, q);
    else if (w[0] == 'q' && len == 2 && is_digit(w[1]))
        push(s, RG_TK_QUARTER, w[1] - '0', 0, p, q);
    else if (month_of(w))
        push(s, RG_TK_MONTH, month_of(w), in_list(w, month_names_alone), p, q);
    else if (ordinal_of(w))
        push(s, RG_TK_ORD, ordinal_of(w), 0, p, q);
    else if (in_list(w, latest_words))
        push(s, RG_TK_LATEST, 0, 0, p, q);
    else if (in_list(w, range_words))
        push(s, RG_TK_RANGE, 0, 0, p, q);
    else if (in_list(w, period_words))
        push(s, RG_TK_PERIOD, 0, 0, p, q);
    else if (in_list(w, quarter_words))
        push(s, RG_TK_QUARTER, 0, 0, p, q);
    else if (in_list(w, season_words))
        push(s, RG_TK_SEASON, !strcmp(w, "fall"), 0, p, q);
    else if (!in_list(w, fill_words))
        push(s, RG_TK_WORD, 0, 0, p, q);
}

/* The word (or number) starting at p: its tokens, its end. */
static const char *scan_word(rg_pscan *s, const char *p, const char *end)
{
    const char *q = p;
    char w[MAX_WORD + 1];
    size_t n = 0;
    int len;
    while (q < end && is_wordchar(decode(q, end, &len))) {
        for (int i = 0; i < len; i++, q++)
            if (n < sizeof w - 1) w[n++] = lower(*q);
    }
    w[n] = 0;
    if (strspn(w, "0123456789") == n && (size_t)(q - p) == n) {
        while (q + 1 < end && *q && strchr("-/.", *q) && is_digit(q[1])) {
            q++;
            while (q < end && is_digit(*q)) q++;
        }
        if (wordchar_at(q, end)) push(s, RG_TK_WORD, 0, 0, p, q);
        else classify_number(s, p, q);
        return q;
    }
    if (n == 1 && w[0] == 't') {          /* "T 1": a spacing slip in T1 */
        const char *d = q;
        while (d < end && (*d == ' ' || *d == '\t')) d++;
        if (d > q && d < end && is_digit(*d) && !wordchar_at(d + 1, end)) {
            push(s, RG_TK_TERT, *d - '0', 0, p, d + 1);
            return d + 1;
        }
    }
    if ((size_t)(q - p) > MAX_WORD) w[0] = 0;   /* too long to be a keyword */
    classify_word(s, w, p, q);
    return q;
}

/* One line (or the subject): its tokens. */
static void scan_line(rg_pscan *s, const char *p, const char *end)
{
    int prev_letter = 0;
    while (p < end) {
        int len;
        unsigned cp = decode(p, end, &len);
        const char *q;
        if (is_wordchar(cp)) {
            if ((q = scan_phrase(s, p, end))) { p = q; continue; }
            p = scan_word(s, p, end);
            prev_letter = !is_digit(p[-1]);   /* "it's" is no year; "T1'23" has one */
            continue;
        }
        if ((cp == '\'' || cp == 0x2019 || cp == 0x2018) && !prev_letter && end - p > len + 1 &&
            is_digit(p[len]) && is_digit(p[len + 1]) && !wordchar_at(p + len + 2, end)) {
            push(s, RG_TK_YEAR, 2000 + parse_int(p + len, 2), 0, p, p + len + 2);
            p += len + 2;
            continue;
        }
        if (is_dash(cp)) push(s, RG_TK_RANGE, 0, 0, p, p + len);
        else if (cp == '/') push(s, RG_TK_SLASH, 0, 0, p, p + len);
        prev_letter = 0;
        p += len;
    }
}

/* A line "-- " (or "--": trailing space is often lost) starts a signature. */
static int is_signature_line(const char *p, const char *end)
{
    while (end > p && is_space(end[-1])) end--;
    return end - p == 2 && p[0] == '-' && p[1] == '-';
}

/* Outlook quotes the earlier message below a line like this, without '>'. */
static int is_original_message_line(const char *p, const char *end)
{
    static const char *const marks[] = { "-----original message", "-----oorspronkelijk bericht",
                                         "----- original message", "----- oorspronkelijk bericht",
                                         NULL };
    for (int i = 0; marks[i]; i++) {
        size_t k = strlen(marks[i]), j = 0;
        while (j < k && p + j < end && lower(p[j]) == marks[i][j]) j++;
        if (j == k) return 1;
    }
    return 0;
}

static void scan_body(rg_pscan *s, const char *body)
{
    const char *p = body;
    while (*p) {
        const char *eol = strchr(p, '\n'), *start = p;
        if (!eol) eol = p + strlen(p);
        while (start < eol && (*start == ' ' || *start == '\t')) start++;
        if (is_signature_line(p, eol) || is_original_message_line(start, eol)) break;
        if (start == eol || *start == '>') push(s, RG_TK_BREAK, 0, 0, p, p);
        else scan_line(s, p, eol);
        p = *eol ? eol + 1 : eol;
    }
}

void rg_period_scan(rg_pscan *s, const char *subject, const char *body)
{
    s->n = s->en = s->nl = 0;
    if (subject) scan_line(s, subject, subject + strlen(subject));
    push(s, RG_TK_BREAK, 0, 0, NULL, NULL);
    if (body) scan_body(s, body);
}
