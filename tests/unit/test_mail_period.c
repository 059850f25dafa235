/* test_mail_period.c - the period a request asks for (mail/period.c): a
 * table of phrasings, Dutch and English, as people write them (with
 * quotes, signatures and sent-dates that must be ignored), the pick among
 * served reports, and random bytes that must never crash the parser. */
#include "test.h"
#include "mail/desk.h"

#include <stdlib.h>

#define LATEST RG_ASK_LATEST, -1, -1
#define UNCLEAR RG_ASK_UNCLEAR, -1, -1
#define RANGE(y1, m1, y2, m2) RG_ASK_RANGE, RG_MONTH(y1, m1), RG_MONTH(y2, m2)
#define TERT(y, n) RANGE(y, 4 * (n) - 3, y, 4 * (n))
#define YEAR(y) RANGE(y, 1, y, 12)
#define MONTH(y, m) RANGE(y, m, y, m)

typedef struct {
    const char *subject, *body;
    rg_ask_kind kind;
    rg_month from, to;
    const char *lang;
    const char *why;               /* UNCLEAR: a part of the reason, or NULL */
} period_row;

static const period_row rows[] = {
    /* the phrasings */
    { "Verzoek rapportage", "Graag de rapportage januari t/m april 2023.", TERT(2023, 1), "nl", NULL },
    { "jan-apr 2023", "Beste,\n\nkunt u mij die sturen?\n", TERT(2023, 1), "nl", NULL },
    { NULL, "Ik ontvang graag de eerste viermaandsrapportage van 2023.", TERT(2023, 1), "nl", NULL },
    { "T1 2023", NULL, TERT(2023, 1), "nl", NULL },
    { "Rapportage 2023-T1", "", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag mei tot en met augustus 2023.", TERT(2023, 2), "nl", NULL },
    { "de laatste rapportage", "Graag ontvang ik de laatste rapportage.", LATEST, "nl", NULL },
    { NULL, "Ik zou graag de rapportage over de periode september-december 2022 ontvangen.",
      TERT(2022, 3), "nl", NULL },
    { NULL, "Could you send me the report for January to April 2023, please?", TERT(2023, 1), "en",
      NULL },
    /* Dutch month names, abbreviations, range words */
    { NULL, "Graag de periode jan t/m apr 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag de periode jan. t/m apr. 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag januari tm april 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag januari t.e.m. april 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag van januari tot april 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag mei–augustus 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag mei \xe2\x80\x94 aug 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag sept-dec 2022", TERT(2022, 3), "nl", NULL },
    { NULL, "Graag sep t/m dec 2022", TERT(2022, 3), "nl", NULL },
    { NULL, "Graag okt t/m dec 2022", RANGE(2022, 10, 2022, 12), "nl", NULL },
    { NULL, "Graag maart t/m april 2023", RANGE(2023, 3, 2023, 4), "nl", NULL },
    { NULL, "Graag mrt-apr 2023", RANGE(2023, 3, 2023, 4), "nl", NULL },
    { NULL, "Graag februari t/m juni 2023", RANGE(2023, 2, 2023, 6), "nl", NULL },
    { NULL, "Graag november 2022 t/m februari 2023", RANGE(2022, 11, 2023, 2), "nl", NULL },
    { NULL, "Graag nov '22 - feb '23", RANGE(2022, 11, 2023, 2), "nl", NULL },
    { NULL, "Graag september \xe2\x80\x99" "22 t/m december \xe2\x80\x99" "22", TERT(2022, 3), "nl",
      NULL },
    { NULL, "Graag januari 2023 t/m april", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag 01-2023 t/m 04-2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag 2023-01 t/m 2023-04", TERT(2023, 1), "nl", NULL },
    /* case and spacing slips */
    { "JANUARI T/M APRIL 2023", NULL, TERT(2023, 1), "nl", NULL },
    { NULL, "graag januari t / m april 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "graag januari t /m  april   2023", TERT(2023, 1), "nl", NULL },
    { NULL, "graag Jan -Apr 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "graag t1  2023", TERT(2023, 1), "nl", NULL },
    { NULL, "graag T 2 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "graag de rapportage januari t/m april\n2023 (de eerste)", TERT(2023, 1), "nl", NULL },
    /* tertial forms */
    { NULL, "Graag T2 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag 2023 T3", TERT(2023, 3), "nl", NULL },
    { NULL, "Graag 2023/T2", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag T3-2022", TERT(2022, 3), "nl", NULL },
    { NULL, "Graag de T2-rapportage 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag de tweede viermaandsrapportage 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag de derde viermaandelijkse rapportage van 2022", TERT(2022, 3), "nl", NULL },
    { NULL, "Graag het 2e tertiaal 2023", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag het eerste tertaal van 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag de 3e rapportage over 2022", TERT(2022, 3), "nl", NULL },
    { NULL, "Graag de laatste viermaandsrapportage van 2022", TERT(2022, 3), "nl", NULL },
    { NULL, "Please send the second four-monthly report of 2023", TERT(2023, 2), "en", NULL },
    { NULL, "Please send the 1st four-month report of 2023", TERT(2023, 1), "en", NULL },
    { NULL, "I would like the third report for 2022", TERT(2022, 3), "en", NULL },
    /* one month */
    { NULL, "Graag april 2023", MONTH(2023, 4), "nl", NULL },
    { NULL, "Graag de rapportage van mei 2023", MONTH(2023, 5), "nl", NULL },
    { NULL, "Graag 05-2023", MONTH(2023, 5), "nl", NULL },
    { NULL, "Please send the report for March 2023", MONTH(2023, 3), "en", NULL },
    /* a year alone, with a period word: the whole year */
    { NULL, "Graag de rapportage over 2023", YEAR(2023), "nl", NULL },
    { NULL, "Could you send the 2022 report?", YEAR(2022), "en", NULL },
    { NULL, "Ik wil graag het jaarverslag 2023", YEAR(2023), "nl", NULL },
    { NULL, "Graag de rapportages 2022-2023", RANGE(2022, 1, 2023, 12), "nl", NULL },
    { NULL, "Graag de rapportages 2023-2022", UNCLEAR, "nl", "ends before it begins" },
    { NULL, "Graag T1'23", TERT(2023, 1), "nl", NULL },
    { NULL, "Please send the report of December 2022 through February 2023", RANGE(2022, 12, 2023, 2),
      "en", NULL },
    /* English */
    { "Report January-April 2023", "Dear team, could you send it? Thanks", TERT(2023, 1), "en", NULL },
    { NULL, "Please send the report from May through August 2023.", TERT(2023, 2), "en", NULL },
    { NULL, "Please send me September until December 2022", TERT(2022, 3), "en", NULL },
    { NULL, "Please send me Sept till Dec 2022", TERT(2022, 3), "en", NULL },
    { NULL, "Please send me Jan thru Apr 2023", TERT(2023, 1), "en", NULL },
    { NULL, "Please send the October to December 2022 figures", RANGE(2022, 10, 2022, 12), "en",
      NULL },
    { "Request: 2023-T2 report", "Hello, I would like to receive this report. Kind regards",
      TERT(2023, 2), "en", NULL },
    { NULL, "Could you send me the latest report?", LATEST, "en", NULL },
    { NULL, "Please send the most recent report", LATEST, "en", NULL },
    { NULL, "Please send the newest four-monthly report", LATEST, "en", NULL },
    { NULL, "Please send the current report", LATEST, "en", NULL },
    /* the latest, Dutch */
    { NULL, "Graag de meest recente rapportage.", LATEST, "nl", NULL },
    { NULL, "Graag de nieuwste viermaandsrapportage.", LATEST, "nl", NULL },
    { NULL, "Graag de recentste rapportage", LATEST, "nl", NULL },
    { "Verzoek", "Kunt u mij de rapportage sturen?", LATEST, "nl", NULL },
    { NULL, NULL, LATEST, "nl", NULL },
    { "", "", LATEST, "nl", NULL },
    /* the subject counts as much as the body; the same period twice is one */
    { "T1 2023", "Graag januari t/m april 2023", TERT(2023, 1), "nl", NULL },
    { "jan-apr 2023", "Graag de eerste viermaandsrapportage van 2023", TERT(2023, 1), "nl", NULL },
    { "Rapportage T2 2023", "Groet, Jan", TERT(2023, 2), "nl", NULL },
    /* two periods: unclear, naming both */
    { "T1 2023", "Graag de T2 2023", UNCLEAR, "nl", "two periods named: T1 2023 and T2 2023" },
    { NULL, "Graag januari t/m april 2023 en mei t/m augustus 2023", UNCLEAR, "nl",
      "two periods named: januari t/m april 2023 and mei t/m augustus 2023" },
    { NULL, "Please send T1 2023 and the report of March 2023", UNCLEAR, "en", "two periods" },
    /* a quarter is not a four-month period */
    { NULL, "Graag Q1 2023", UNCLEAR, "nl", "quarter" },
    { NULL, "Graag het eerste kwartaal van 2023", UNCLEAR, "nl", "quarter" },
    { NULL, "Please send the quarterly report", UNCLEAR, "en", "quarter" },
    /* what cannot be pinned down */
    { NULL, "Graag april t/m januari 2023", UNCLEAR, "nl", "ends before it begins" },
    { NULL, "Graag 13-2023", UNCLEAR, "nl", "no month" },
    { NULL, "Graag januari 1999", UNCLEAR, "nl", "2019..2099" },
    { NULL, "Graag de rapportage over 1999", UNCLEAR, "nl", "2019..2099" },
    { NULL, "Graag januari t/m april", UNCLEAR, "nl", "without a year" },
    { NULL, "Graag T4 2023", UNCLEAR, "nl", "three" },
    { NULL, "Graag de 4e viermaandsrapportage van 2023", UNCLEAR, "nl", "three" },
    { NULL, "Graag de T2", UNCLEAR, "nl", "without a year" },
    { NULL, "Graag de eerste viermaandsrapportage", UNCLEAR, "nl", "without a year" },
    /* quoted replies and signatures are not read */
    { NULL, "Graag T2 2023.\n\n> Op 3 mei schreef u:\n> Hier is T1 2023.\n", TERT(2023, 2), "nl",
      NULL },
    { NULL, "Graag de laatste.\n  > januari t/m april 2023\n", LATEST, "nl", NULL },
    { NULL, "Graag T2 2023\n-- \nJan Jansen\nRapportage T1 2023 is uit!\n", TERT(2023, 2), "nl",
      NULL },
    { NULL, "Graag T2 2023\n--\nQ1 2023 team\n", TERT(2023, 2), "nl", NULL },
    { NULL, "Graag T2 2023\n\n-----Original Message-----\nFrom: x\nSubject: T1 2023\n",
      TERT(2023, 2), "nl", NULL },
    /* dates are how people write when they sent something: not requests */
    { NULL, "Verzonden: 15 mei 2023\nGraag de laatste rapportage.", LATEST, "nl", NULL },
    { NULL, "Sent: Monday, May 15, 2023 10:02 AM\nPlease send the latest report.", LATEST, "en",
      NULL },
    { NULL, "Datum: 2023-05-15\nGraag T1 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Op 15-05-2023 om 10:00 vroeg ik T1 2023 al", TERT(2023, 1), "nl", NULL },
    { NULL, "On 1st May 2023 I asked for T1 2023", TERT(2023, 1), "en", NULL },
    { NULL, "Graag T2 2023; ik schreef u op 3 januari ook al", TERT(2023, 2), "nl", NULL },
    { NULL, "Van 1 mei t/m 5 mei 2023 was ik afwezig; graag T1 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Ik ben van 3 t/m 5 mei afwezig.", LATEST, "nl", NULL },
    /* ... but a range from a first day to a last day is those months */
    { NULL, "Graag de periode 1 januari t/m 30 april 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Please send the report for 1 September 2022 - 31 December 2022", TERT(2022, 3), "en",
      NULL },
    { NULL, "Van 1 mei t/m 31 augustus ben ik er niet", LATEST, "nl", NULL },   /* no year: dates */
    /* month names inside other words are nothing (the year left alone is unclear) */
    { NULL, "Ich meinen das Meisje von Augustinus, 2023 marcheren wij.", UNCLEAR, "nl",
      "a year without a period the desk understands: 2023" },
    { NULL, "Het meisje vroeg om een decemberachtig rapport.", LATEST, "nl", NULL },
    { NULL, "Graag het rapport. Met vriendelijke groet, Jan", LATEST, "nl", NULL },
    { NULL, "May I have the latest report, please?", LATEST, "en", NULL },
    { NULL, "Ik werk sinds 2019 bij de gemeente. Graag de laatste rapportage.", UNCLEAR, "nl",
      "a year without a period the desk understands: 2019" },
    { NULL, "Graag Augustinus 2023", UNCLEAR, "nl", "a year without a period" },
    { NULL, "Graag T1 2023 voor het project Meisjes 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Graag T1 2023 voor Marcheren 2023 en Janssen 2023", TERT(2023, 1), "nl", NULL },
    { NULL, "Please send T1 2023 for Octoberfest 2023 and Mayfield 2023", TERT(2023, 1), "en", NULL },
    /* a month name without a year asks for a month the desk cannot pin down ... */
    { NULL, "Kunt u mij de rapportage van mei sturen?", UNCLEAR, "nl", "a month without a year: mei" },
    { "Rapportage mei", "Graag ontvang ik die.", UNCLEAR, "nl", "a month without a year: mei" },
    { NULL, "Graag de cijfers van september.", UNCLEAR, "nl", "a month without a year: september" },
    { NULL, "Could you send me the June report?", UNCLEAR, "en", "a month without a year: June" },
    { NULL, "Please send T1 2023, and the one for July too.", UNCLEAR, "en",
      "a month without a year: July" },
    /* ... unless a period with a year found elsewhere takes it in */
    { "Rapportage mei", "Graag de rapportage van mei 2023.", MONTH(2023, 5), "nl", NULL },
    { NULL, "Graag T2 2023, dus de rapportage van mei.", TERT(2023, 2), "nl", NULL },
    { "Verzoek juni", "Please send May to August 2023.", TERT(2023, 2), "en", NULL },
    /* "may" and "march" are verbs, abbreviations are names and words: alone, nothing */
    { NULL, "May I have the report for May 2023?", MONTH(2023, 5), "en", NULL },
    { NULL, "May I have the latest report?", LATEST, "en", NULL },
    { "may i have the report", "We march on. Thanks", LATEST, "en", NULL },
    { NULL, "Graag het rapport, zoals besproken met Jan en Dec.", LATEST, "nl", NULL },
    /* a year no rule took is unclear ... */
    { NULL, "Ik wil graag de cijfers van 2023", UNCLEAR, "nl",
      "a year without a period the desk understands: 2023" },
    { "2023", "Graag ontvangen.", UNCLEAR, "nl", "a year without a period the desk understands: 2023" },
    { NULL, "Could you send me the figures for '23?", UNCLEAR, "en", "understands: '23" },
    { NULL, "Graag T1 2023. Sinds 2021 volg ik uw werk.", UNCLEAR, "nl",
      "a year without a period the desk understands: 2021" },
    /* ... unless it is the year of a period found elsewhere: context */
    { NULL, "Graag T1 2023. In 2023 hebben wij veel gebouwd.", TERT(2023, 1), "nl", NULL },
    { "Verzoek 2023", "Graag januari t/m april 2023.", TERT(2023, 1), "nl", NULL },
    { NULL, "Please send November 2022 to February 2023; we started in 2022.",
      RANGE(2022, 11, 2023, 2), "en", NULL },
    /* ... and a year in a date, or outside 2019..2099, is still nothing */
    { NULL, "Op 3 januari 2023 vroeg ik al om de rapportage.", LATEST, "nl", NULL },
    { NULL, "Wij bestaan sinds 1985. Graag de laatste rapportage.", LATEST, "nl", NULL },
    /* seasons and half years: no report covers one */
    { NULL, "Ik wil graag de rapportage van de zomer 2023", UNCLEAR, "nl",
      "a season or half year was asked for: the reports cover four months: zomer 2023" },
    { "Najaar 2022", NULL, UNCLEAR, "nl", "season or half year was asked for: the reports cover four "
      "months: Najaar 2022" },
    { NULL, "Graag het eerste halfjaar van 2023", UNCLEAR, "nl", "eerste halfjaar van 2023" },
    { NULL, "Graag de rapportage over het tweede semester", UNCLEAR, "nl", "tweede semester" },
    { NULL, "Graag de cijfers over de eerste helft van 2023", UNCLEAR, "nl", "eerste helft van 2023" },
    { NULL, "Graag de voorjaarsnota", UNCLEAR, "nl", "voorjaarsnota" },
    { NULL, "Please send the summer report", UNCLEAR, "en", "summer report" },
    { NULL, "Could you send the spring 2023 report?", UNCLEAR, "en", "spring 2023" },
    { NULL, "Please send the fall 2022 report", UNCLEAR, "en", "fall 2022" },
    { NULL, "Please send the first half of 2023", UNCLEAR, "en", "first half of 2023" },
    { NULL, "Please send the half-year report for 2023", UNCLEAR, "en", "half-year report for 2023" },
    { NULL, "I hope sales did not fall. Please send the latest report.", LATEST, "en", NULL },
    /* a yearless T1 (or ordinal) beside the same period with a year is that period */
    { "T1", "Stuur mij T1 2023 alstublieft", TERT(2023, 1), "nl", NULL },
    { "T2", "Graag de rapportage mei t/m augustus 2023", TERT(2023, 2), "nl", NULL },
    { "De eerste viermaandsrapportage", "Graag die van 2023: T1 2023.", TERT(2023, 1), "nl", NULL },
    { "T1", "Please send T1 2023", TERT(2023, 1), "en", NULL },
    /* ... beside another period, or alone, it stays unclear */
    { "T1", "Graag T2 2023", UNCLEAR, "nl", "a four-month period without a year: T1" },
    { "T3", "Graag de rapportage.", UNCLEAR, "nl", "a four-month period without a year: T3" },
};

static void check_row(size_t k, const period_row *r)
{
    rg_period_ask ask;
    int ok;
    rg_period_parse(r->subject, r->body, &ask);
    ok = ask.kind == r->kind && !strcmp(ask.lang, r->lang) &&
         (r->kind != RG_ASK_RANGE || (ask.from == r->from && ask.to == r->to)) &&
         (r->kind != RG_ASK_UNCLEAR || (ask.why[0] && (!r->why || strstr(ask.why, r->why))));
    if (!ok) {
        fprintf(stderr, "  row %zu (%s | %s): kind %d %d..%d lang %s why \"%s\" said \"%s\"\n", k,
                r->subject ? r->subject : "-", r->body ? r->body : "-", (int)ask.kind, ask.from,
                ask.to, ask.lang, ask.why, ask.said);
        test_failed_checks++;
    }
}

TEST(mail_period_table)
{
    size_t n = sizeof rows / sizeof *rows;
    CHECK(n >= 80);
    for (size_t k = 0; k < n; k++) check_row(k, &rows[k]);
}

TEST(mail_period_said_is_the_phrase_as_written)
{
    rg_period_ask ask;
    rg_period_parse("Re: verzoek", "Beste,\n\nGraag  Januari T/M April 2023 !\n", &ask);
    CHECK_STR(ask.said, "Januari T/M April 2023");
    rg_period_parse("de laatste rapportage", NULL, &ask);
    CHECK_STR(ask.said, "laatste rapportage");
    rg_period_parse(NULL, "jan t/m apr\n2023", &ask);
    CHECK_STR(ask.said, "jan t/m apr 2023");     /* a line break becomes a space */
}

/* s holds whole UTF-8 sequences only (no sequence cut short) */
static int utf8_whole(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 0 : *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : *p >= 0xC0 ? 1 : -1;
        if (n < 0) return 0;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += n + 1;
    }
    return 1;
}

TEST(mail_period_said_is_cut_on_a_utf8_boundary)
{
    char body[1200];
    rg_period_ask ask;
    /* a phrase longer than said holds, with two-byte no-break spaces in
     * it; shifted by one byte each round so that the cut falls everywhere */
    for (int shift = 0; shift < 4; shift++) {
        strcpy(body, "de eerste");
        for (int i = 0; i < shift; i++) strcat(body, " ");
        for (int i = 0; i < 40; i++) strcat(body, "\xc2\xa0rapportage");
        strcat(body, " 2023");
        rg_period_parse(NULL, body, &ask);
        CHECK(ask.kind == RG_ASK_RANGE && ask.from == RG_MONTH(2023, 1));
        CHECK(strlen(ask.said) <= 119 && strlen(ask.said) >= 116);
        CHECK(utf8_whole(ask.said));
    }
}

TEST(mail_period_why_is_valid_utf8_when_cut)
{
    char body[1200];
    rg_period_ask ask;
    for (int shift = 0; shift < 4; shift++) {
        strcpy(body, "T1");
        for (int i = 0; i < shift; i++) strcat(body, " ");
        for (int i = 0; i < 40; i++) strcat(body, "\xe2\x80\x83rapportage");   /* em space */
        strcat(body, " 2023 en T2 2023");
        rg_period_parse(NULL, body, &ask);
        CHECK(ask.kind == RG_ASK_UNCLEAR && strstr(ask.why, "two periods named: T1"));
        CHECK(strlen(ask.why) < sizeof ask.why);
        CHECK(utf8_whole(ask.why) && utf8_whole(ask.said));
    }
}

/* A request longer than the tokens the parser keeps (RG_PERIOD_MAX_TOKENS, 1024):
 * what comes after them is not read, and nothing overflows. */
TEST(mail_period_long_request_is_bounded)
{
    size_t n = 3000, len = n * 8 + 64;
    char *body = malloc(len);
    rg_period_ask ask;
    body[0] = 0;
    strcat(body, "Graag T2 2023.");
    for (size_t i = 0; i < n; i++) strcat(body, " T2 2023");     /* 2 tokens each */
    strcat(body, " en Q1 2023");
    rg_period_parse(body, body, &ask);
    CHECK(ask.kind == RG_ASK_RANGE && ask.from == RG_MONTH(2023, 5));
    free(body);
}

/* ------------------------------------------------------------ pick */

static const rg_served_report served[] = {
    { "viermaandsrapportage-2022-T2.pdf", "2022-T2", RG_MONTH(2022, 5), RG_MONTH(2022, 8), NULL },
    { "viermaandsrapportage-2022-T3.pdf", "2022-T3", RG_MONTH(2022, 9), RG_MONTH(2022, 12), NULL },
    { "viermaandsrapportage-2023-T1.pdf", "2023-T1", RG_MONTH(2023, 1), RG_MONTH(2023, 4), NULL },
    { "viermaandsrapportage-2023-T2.pdf", "2023-T2", RG_MONTH(2023, 5), RG_MONTH(2023, 8), NULL },
    { "zonder-datums.pdf", NULL, -1, -1, NULL },
};
#define NSERVED (sizeof served / sizeof *served)

static long pick(const char *body, char *why, size_t size)
{
    rg_period_ask ask;
    rg_period_parse(NULL, body, &ask);
    return rg_period_pick(&ask, served, NSERVED, why, size);
}

TEST(mail_period_pick_one_report)
{
    char why[200];
    CHECK(pick("Graag T1 2023", why, sizeof why) == 2);
    CHECK(pick("Graag januari t/m april 2023", why, sizeof why) == 2);
    CHECK(pick("Graag april 2023", why, sizeof why) == 2);       /* a month inside T1 */
    CHECK(pick("Graag de derde viermaandsrapportage van 2022", why, sizeof why) == 1);
    CHECK(pick("Graag de laatste rapportage", why, sizeof why) == 3);
    CHECK(pick("Graag het rapport", why, sizeof why) == 3);      /* nothing named: the latest */
}

TEST(mail_period_pick_none_or_several)
{
    char why[200];
    CHECK(pick("Graag T1 2022", why, sizeof why) == -1);
    CHECK_STR(why, "no report covers 2022-T1");
    CHECK(pick("Graag april t/m mei 2023", why, sizeof why) == -1);  /* spans two reports */
    CHECK_STR(why, "no report covers 2023-04..2023-05");
    CHECK(pick("Graag de rapportage over 2022", why, sizeof why) == -1);
    CHECK_STR(why, "no report covers 2022; 2 lie within it: viermaandsrapportage-2022-T2.pdf, "
                   "viermaandsrapportage-2022-T3.pdf");
    CHECK(pick("Graag Q1 2023", why, sizeof why) == -1);
    CHECK(strstr(why, "quarter") != NULL);

    rg_served_report two[] = { served[2], served[2] };
    two[1].output = "andere-2023-T1.pdf";
    rg_period_ask ask;
    rg_period_parse("T1 2023", NULL, &ask);
    CHECK(rg_period_pick(&ask, two, 2, why, sizeof why) == -1);
    CHECK_STR(why, "2 reports cover 2023-T1: viermaandsrapportage-2023-T1.pdf, andere-2023-T1.pdf");
    rg_served_report year = { "jaar-2023.pdf", NULL, RG_MONTH(2023, 1), RG_MONTH(2023, 12), NULL };
    rg_served_report with_year[] = { served[2], year };
    CHECK(rg_period_pick(&ask, with_year, 2, why, sizeof why) == -1);   /* T1 and the year */
    CHECK(strstr(why, "2 reports cover 2023-T1") != NULL);
}

TEST(mail_period_pick_latest_tie_and_empty)
{
    char why[200];
    rg_period_ask ask;
    rg_period_parse(NULL, "Graag de laatste rapportage", &ask);
    rg_served_report tie[] = { served[3], served[3], served[0] };
    tie[1].output = "b.pdf";
    CHECK(rg_period_pick(&ask, tie, 3, why, sizeof why) == -1);
    CHECK_STR(why, "2 reports are the latest (end in 2023-08): viermaandsrapportage-2023-T2.pdf, "
                   "b.pdf");
    CHECK(rg_period_pick(&ask, served, 0, why, sizeof why) == -1);
    CHECK_STR(why, "no reports to send");
    CHECK(rg_period_pick(&ask, served + 4, 1, why, sizeof why) == -1);
    CHECK_STR(why, "no report has known dates");
    CHECK(rg_period_pick(&ask, served, NSERVED, NULL, 0) == 3);
    CHECK(rg_period_pick(&ask, served, 5000, why, sizeof why) == -1);   /* never read past 4096 */
    CHECK(strstr(why, "4096") != NULL);
    /* a report without dates never matches a range */
    rg_period_parse("T1 2023", NULL, &ask);
    CHECK(rg_period_pick(&ask, served + 4, 1, why, 8) == -1);
    CHECK(strlen(why) < 8);
}

/* ------------------------------------------------------------ random */

TEST(mail_period_random_bytes_never_crash)
{
    static const char *const pieces[] = { "januari", "t/m", "2023", "T1", "'23", "\xe2\x80\x99",
                                          "-", " ", "\n", "> ", "-- \n", "eerste", "rapportage",
                                          "\xc3", "\xff", "\xe2\x80", "13-2023", "Q", "1e", "mei" };
    unsigned seed = 19;
    char subject[64], body[400];
    for (int round = 0; round < 4000; round++) {
        size_t n = 0, limit = (size_t)(rand_r(&seed) % 380);
        while (n < limit) {
            if (rand_r(&seed) % 3) {
                body[n++] = (char)(rand_r(&seed) % 255 + 1);
            } else {
                const char *p = pieces[rand_r(&seed) % (sizeof pieces / sizeof *pieces)];
                size_t k = strlen(p);
                if (n + k >= limit) break;
                memcpy(body + n, p, k), n += k;
            }
        }
        body[n] = 0;
        size_t m = (size_t)(rand_r(&seed) % sizeof subject);
        for (size_t i = 0; i < m; i++) subject[i] = (char)(rand_r(&seed) % 255 + 1);
        subject[m] = 0;
        rg_period_ask ask;
        rg_period_parse(round % 2 ? subject : NULL, body, &ask);
        CHECK(ask.kind == RG_ASK_LATEST || ask.kind == RG_ASK_RANGE || ask.kind == RG_ASK_UNCLEAR);
        CHECK(!strcmp(ask.lang, "nl") || !strcmp(ask.lang, "en"));
        CHECK(strlen(ask.said) < sizeof ask.said && strlen(ask.why) < sizeof ask.why);
        CHECK(ask.kind != RG_ASK_RANGE || (ask.from <= ask.to && ask.from >= RG_MONTH(2019, 1)));
        CHECK(ask.kind != RG_ASK_UNCLEAR || ask.why[0]);
        char why[64];
        rg_period_pick(&ask, served, NSERVED, why, sizeof why);
        CHECK(strlen(why) < sizeof why);
    }
}
