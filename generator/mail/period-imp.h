/* mail/period-imp.h - what mail/period.c (the grammar of period phrases)
 * and mail/period-scan.c (the tokens it works on) share. Stage: mail;
 * included by those two files only. */
#ifndef RG_MAIL_PERIOD_IMP_H
#define RG_MAIL_PERIOD_IMP_H

#include "desk.h"

/* A request is a few lines; tokens past this many (fill words are not
 * kept, runs of other words are one token) are not read: a period asked
 * for is near the top, and the scan stays bounded on any input. */
#define RG_PERIOD_MAX_TOKENS 1024

/* The kinds of token (period.c's head comment says which words make each);
 * BREAK: between the subject and the body, and at a blank or skipped line. */
typedef enum {
    RG_TK_MONTH, RG_TK_YEAR, RG_TK_NUM, RG_TK_ORD, RG_TK_LATEST, RG_TK_RANGE, RG_TK_SLASH,
    RG_TK_PERIOD, RG_TK_TERT, RG_TK_QUARTER, RG_TK_SEASON, RG_TK_DATE, RG_TK_NUMMONTH,
    RG_TK_WORD, RG_TK_BREAK
} rg_ptok_kind;

typedef struct {
    rg_ptok_kind kind;
    int v, v2;                      /* MONTH: month, v2 1 when the word is a month name
                                     * and no ordinary word ("mei", "june"; not "may",
                                     * "march", "jan"); YEAR: year; NUMMONTH: month,
                                     * year; SEASON: v 1 for "fall" (a season only next
                                     * to a year or a report word) */
    const char *start, *end;        /* as written */
} rg_ptoken;

typedef struct {
    rg_ptoken t[RG_PERIOD_MAX_TOKENS];
    int n;
    int en, nl;                     /* words typical of English and of Dutch */
} rg_pscan;

/* Cuts the subject and the body (either may be NULL) into tokens, into s
 * (period.c's head comment lists them): the subject, a BREAK, then the
 * body's lines, skipping quoted lines ('>'), a blank or skipped line
 * being a BREAK, stopping at a signature ("-- ") or an Outlook
 * "-----Original Message-----". Counts English and Dutch words. Reads
 * any bytes (invalid UTF-8 separates words); cannot fail. */
void rg_period_scan(rg_pscan *s, const char *subject, const char *body);

#endif
