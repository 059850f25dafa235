/* test_mail_guard.c - the mail desk's guard (mail/guard.c): every request
 * in tests/mail/desk/ gets the decision its X-Desk-Expect header names;
 * the size limit; and rg_request_info_read on requests of every shape,
 * including the hostile set in tests/mail/ (no crash, nothing unsafe). */
#include "test.h"
#include "mail/desk.h"

#include <dirent.h>
#include <stdlib.h>

#define OWN "communicatie@logius.nl, archief@logius.nl"
#define MAX_BYTES 1048576

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) buf = realloc(buf, cap = cap * 2 + 8192);
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The X-Desk-Expect value of a request (into out). */
static int expectation(const char *req, char *out, size_t cap)
{
    const char *p = strstr(req, "\nX-Desk-Expect: ");
    if (!p) return 0;
    p += strlen("\nX-Desk-Expect: ");
    size_t n = strcspn(p, "\r\n");
    if (n >= cap) return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

TEST(mail_guard_desk_requests_get_their_expected_decision)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/mail/desk", test_root);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    int files = 0, allowed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".eml")) continue;
        char path[2100], expect[200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *req = read_all(path, &len);
        CHECK(req != NULL);
        if (!req) continue;
        files++;
        CHECK(expectation(req, expect, sizeof expect));
        const char *why = rg_guard_refusal(req, len, OWN, MAX_BYTES);
        if (!strcmp(expect, "allowed")) {
            allowed++;
            if (why) fprintf(stderr, "  %s: refused (%s), expected allowed\n", e->d_name, why);
            CHECK(why == NULL);
        } else {
            CHECK(!strncmp(expect, "refused ", 8));
            if (!why || strcmp(why, expect + 8))
                fprintf(stderr, "  %s: got '%s', expected '%s'\n", e->d_name,
                        why ? why : "allowed", expect + 8);
            CHECK(why && !strcmp(why, expect + 8));
        }
        free(req);
    }
    closedir(d);
    CHECK(files >= 20);
    CHECK(allowed == 2);
}

/* plain-ok.eml with its body grown to total bytes. */
static char *grown_request(size_t total, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/mail/desk/plain-ok.eml", test_root);
    size_t n;
    char *req = read_all(path, &n);
    if (!req || n > total) return req;
    req = realloc(req, total + 1);
    for (size_t i = n; i < total; i++) req[i] = (i % 72 == 71) ? '\n' : 'x';
    req[total] = '\0';
    *len = total;
    return req;
}

TEST(mail_guard_size_limit)
{
    size_t len = 0;
    char *req = grown_request(MAX_BYTES, &len);
    CHECK(req && len == MAX_BYTES);
    CHECK(rg_guard_refusal(req, len, OWN, MAX_BYTES) == NULL);          /* at the limit */
    free(req);
    req = grown_request(MAX_BYTES + 1, &len);
    CHECK_STR(rg_guard_refusal(req, len, OWN, MAX_BYTES), "size: larger than max-request-bytes");
    free(req);
}

TEST(mail_guard_reads_the_header_block_only)
{
    /* "Precedence: bulk" in the body is text, not a header */
    const char *req = "Return-Path: <jan@burger.example>\r\nFrom: jan@burger.example\r\n"
                      "Subject: T1 2023\r\n\r\nPrecedence: bulk\r\nList-Id: <x>\r\n";
    CHECK(rg_guard_refusal(req, strlen(req), OWN, MAX_BYTES) == NULL);
    /* CRLF, a name in odd case, a folded value */
    const char *folded = "Return-Path: <jan@burger.example>\r\nFROM: jan@burger.example\r\n"
                         "PRECEDENCE:\r\n  Junk\r\n\r\nbody\r\n";
    CHECK_STR(rg_guard_refusal(folded, strlen(folded), OWN, MAX_BYTES), "Precedence: junk");
    /* any List- header, also one without a name of its own here */
    const char *list = "Return-Path: <a@b.example>\nFrom: a@b.example\nlist-foo: x\n\n";
    CHECK_STR(rg_guard_refusal(list, strlen(list), OWN, MAX_BYTES), "List-* header");
    /* Auto-Submitted with a comment after "no" is still no; any other value is not */
    const char *no = "Return-Path: <a@b.example>\nFrom: a@b.example\nAuto-Submitted: No (person)\n\n";
    CHECK(rg_guard_refusal(no, strlen(no), OWN, MAX_BYTES) == NULL);
    const char *other = "Return-Path: <a@b.example>\nFrom: a@b.example\nAuto-Submitted: nope\n\n";
    CHECK_STR(rg_guard_refusal(other, strlen(other), OWN, MAX_BYTES), "Auto-Submitted: not no");
    /* X-Auto-Response-Suppress without All/OOF/AutoReply asks nothing of us */
    const char *rn = "Return-Path: <a@b.example>\nFrom: a@b.example\nX-Auto-Response-Suppress: RN, NRN\n\n";
    CHECK(rg_guard_refusal(rn, strlen(rn), OWN, MAX_BYTES) == NULL);
    /* the second of the own addresses; and Return-Path naming MAILER-DAEMON */
    const char *own2 = "Return-Path: <a@b.example>\nFrom: <Archief@Logius.NL>\n\n";
    CHECK_STR(rg_guard_refusal(own2, strlen(own2), OWN, MAX_BYTES), "From: own address (a mail loop)");
    const char *md = "Return-Path: <MAILER-DAEMON>\nFrom: a@b.example\n\n";
    CHECK_STR(rg_guard_refusal(md, strlen(md), OWN, MAX_BYTES), "Return-Path: MAILER-DAEMON");
    /* a local part that only starts like a robot's is a person's */
    const char *person = "Return-Path: <postmasters-fan@b.example>\nFrom: noreplyer@b.example\n\n";
    CHECK(rg_guard_refusal(person, strlen(person), OWN, MAX_BYTES) == NULL);
    /* X-Loop names our address as a whole, in any case; a longer one is another's */
    const char *loop = "Return-Path: <a@b.example>\nFrom: a@b.example\nX-Loop: desk <ARCHIEF@logius.nl>\n\n";
    CHECK_STR(rg_guard_refusal(loop, strlen(loop), OWN, MAX_BYTES), "X-Loop: own address");
    const char *other_loop = "Return-Path: <a@b.example>\nFrom: a@b.example\nX-Loop: xarchief@logius.nl.example\n\n";
    CHECK(rg_guard_refusal(other_loop, strlen(other_loop), OWN, MAX_BYTES) == NULL);
    CHECK_STR(rg_guard_refusal("", 0, OWN, MAX_BYTES), "no Return-Path");
}

TEST(mail_request_info_reads_a_plain_request)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/mail/desk/plain-ok.eml", test_root);
    size_t len;
    char *req = read_all(path, &len);
    rg_request_info info;
    rg_request_info_read(req, len, &info);
    CHECK_STR(info.message_id, "desk-plain-ok@burger.example");
    CHECK_STR(info.from, "jan@burger.example");
    CHECK_STR(info.subject, "Verzoek viermaandsrapportage januari t/m april 2023");
    CHECK(info.body && strstr(info.body, "over januari t/m april 2023."));
    rg_request_info_clear(&info);
    CHECK(info.subject == NULL);
    free(req);
}

TEST(mail_request_info_decodes)
{
    /* RFC 2047 subject in Latin-1, a quoted-printable Latin-1 text part
     * after an HTML one in multipart/alternative */
    const char *req =
        "From: =?utf-8?q?Jos=C3=A9?= <jose@burger.example>\n"
        "Subject: =?iso-8859-1?q?Rapportage_mei=96augustus_2023_=E9=E9n?=\n"
        "Message-ID: <a1@burger.example>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/alternative; boundary=b\n\n"
        "--b\nContent-Type: text/html; charset=utf-8\n\n<p>html</p>\n"
        "--b\nContent-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "Graag de rapportage over mei t/m augustus 2023, caf=E9.\n"
        "--b--\n";
    rg_request_info info;
    rg_request_info_read(req, strlen(req), &info);
    CHECK_STR(info.from, "jose@burger.example");
    CHECK(info.subject && strstr(info.subject, "augustus 2023 \xc3\xa9\xc3\xa9n"));
    CHECK(info.body && strstr(info.body, "caf\xc3\xa9."));
    rg_request_info_clear(&info);

    /* base64 plain text; an HTML-only request made text */
    const char *b64 = "From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
                      "Content-Transfer-Encoding: base64\n\nVDEgMjAyMyBncmFhZw==\n";
    rg_request_info_read(b64, strlen(b64), &info);
    CHECK(info.message_id == NULL);
    CHECK_STR(info.body, "T1 2023 graag");
    rg_request_info_clear(&info);
    const char *html = "From: a@b.example\nContent-Type: text/html\n\n"
                       "<html><style>p{color:red}</style><p>jan&nbsp;t/m&amp;april <b>2023</b></p></html>\n";
    rg_request_info_read(html, strlen(html), &info);
    CHECK(info.body && strstr(info.body, "jan t/m&april 2023") && !strstr(info.body, "color"));
    CHECK(info.subject == NULL);
    rg_request_info_clear(&info);
    /* an attachment only: no text */
    const char *att = "From: a@b.example\nContent-Type: text/plain\nContent-Disposition: attachment\n\nx\n";
    rg_request_info_read(att, strlen(att), &info);
    CHECK(info.body == NULL);
    rg_request_info_clear(&info);
}

/* No control character but tab (and line feed unless one_line). */
static int clean(const char *s, int one_line)
{
    if (!s) return 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && (*p != '\n' || one_line)) || *p == 0x7f) return 0;
    return 1;
}

/* An address or id fit for a journal line and a log: no space, control
 * character or bracket. */
static int token_ok(const char *s)
{
    if (!s) return 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>') return 0;
    return 1;
}

TEST(mail_guard_and_info_survive_the_hostile_requests)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/mail", test_root);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".eml")) continue;
        char path[2100];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *req = read_all(path, &len);
        if (!req) continue;
        files++;
        const char *why = rg_guard_refusal(req, len, OWN, MAX_BYTES);
        CHECK(why == NULL || *why);
        rg_request_info info;
        rg_request_info_read(req, len, &info);
        if (!token_ok(info.message_id) || !token_ok(info.from) || !clean(info.subject, 1) ||
            !clean(info.body, 0))
            fprintf(stderr, "  %s: unsafe request info\n", e->d_name);
        CHECK(token_ok(info.message_id) && token_ok(info.from));
        CHECK(clean(info.subject, 1) && clean(info.body, 0));
        rg_request_info_clear(&info);
        /* and every prefix of it: a request cut anywhere */
        for (size_t cut = 0; cut < len; cut += 1 + len / 50) {
            rg_guard_refusal(req, cut, OWN, MAX_BYTES);
            rg_request_info_read(req, cut, &info);
            rg_request_info_clear(&info);
        }
        free(req);
    }
    closedir(d);
    CHECK(files >= 20);
}
