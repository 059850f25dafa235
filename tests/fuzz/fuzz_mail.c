/* fuzz_mail.c - libFuzzer target: bytes -> a request e-mail -> the reply
 * (rg_reply_compose_mem, mail.h): GMime's parser, the choice of
 * recipients (Reply-To / From, injection and ambiguity checks), Message-ID
 * and References, the subject, RFC 3834 checks, and the composed MIME
 * message. Stage: tests. The attached "PDF" is a fixed small one;
 * SOURCE_DATE_EPOCH is set so that every run gives the same bytes. Fresh
 * context per input. Besides the sanitizers it checks: no internal error
 * (RG_EX_SOFTWARE: e.g. a composed line over 998 octets), no failure
 * without an error diagnostic, and on success 1..RG_MAIL_MAX_RECIPIENTS
 * recipients whose addresses hold no space, control character or '<>'.
 * The same bytes go through the mail desk's guard and request reader
 * (mail/guard.c): a reason that is a non-empty string or none, and an id
 * and a sender fit for a log line. The reply's text is given here, so
 * that no run depends on finding the shipped mail/antwoord-nl.txt. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/desk.h"
#include "mail/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

static int clean_addr(const char *a)
{
    if (!a || !*a || !strchr(a, '@')) return 0;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' || *p == ',') return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
        ready = 1;
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_reply *r = NULL;
    static const rg_reply_template tmpl = { "Logius <communicatie@logius.nl>", "Re:",
                                            "Viermaandsrapportage", "Geachte heer/mevrouw,\n" };
    rg_reply_opts opts = { &tmpl, NULL, 1, NULL };  /* auto-reply: RFC 3834 checks too */
    rg_status st = rg_reply_compose_mem(ctx, "fuzz.eml", (const char *)data, size,
                                        "rapportage.pdf", pdf, sizeof pdf - 1, &opts, &r);
    if ((st == RG_OK) != (r != NULL)) abort();
    if (st == RG_EX_SOFTWARE || (st != RG_OK && ctx->errors == 0)) abort();
    if (r) {
        size_t len = 0;
        const char *bytes = rg_reply_bytes(r, &len);
        if (!bytes || len == 0 || strlen(bytes) != len) abort();
        if (r->nrcpt < 1 || r->nrcpt > RG_MAIL_MAX_RECIPIENTS || !clean_addr(r->mail_from))
            abort();
        for (int i = 0; i < r->nrcpt; i++)
            if (!clean_addr(r->rcpt[i])) abort();
    }
    rg_reply_free(r);
    rg_ctx_free(ctx);

    const char *why = rg_guard_refusal((const char *)data, size, "communicatie@logius.nl", 1u << 20);
    if (why && !*why) abort();
    rg_request_info info;
    rg_request_info_read((const char *)data, size, &info);
    if ((info.message_id && strpbrk(info.message_id, " <>\r\n")) ||
        (info.from && !clean_addr(info.from)))
        abort();
    rg_request_info_clear(&info);
    return 0;
}
