/* mail/smtp.c - sending a composed reply over SMTP with libcurl. Stage:
 * mail. Owns the session: STARTTLS (required before a password goes to
 * another machine; smtps:// is TLS from the start), the envelope (MAIL FROM
 * the reply's From, RCPT TO its To) and what a failure is reported as. The
 * message is mail/mail.c's and goes out byte for byte. */
#include "internal.h"

#include <curl/curl.h>

#include <string.h>
#include <strings.h>

/* Bounded waits for an SMTP server: connecting, and a stalled transfer. */
#define SMTP_CONNECT_TIMEOUT_S 30L
#define SMTP_STALL_TIMEOUT_S 60L

typedef struct upload {
    const char *data;
    size_t len, pos;
} upload;

static size_t read_upload(char *buf, size_t size, size_t nmemb, void *userdata)
{
    upload *u = userdata;
    size_t n = size * nmemb;
    if (n > u->len - u->pos) n = u->len - u->pos;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

/* 1 when host (as libcurl gives it) is this machine. */
static int is_loopback(const char *host)
{
    return !strcasecmp(host, "localhost") || !strncmp(host, "127.", 4) ||
           !strcmp(host, "[::1]") || !strcmp(host, "::1");
}

/* What a failed session is worth to the caller: RG_EX_TEMPFAIL (75) when
 * trying again later may work - a 4xx reply, the server unreachable, the
 * connection lost, no reply in time - and RG_EX_UNAVAILABLE (69) when it
 * will not - a 5xx reply, a TLS or login failure. The last reply code
 * decides when there is one of 400 to 599: libcurl reports both 451 and 550
 * to RCPT as the same error code. */
static rg_status failure_status(CURLcode rc, long reply)
{
    if (reply >= 400 && reply < 500) return RG_EX_TEMPFAIL;
    if (reply >= 500 && reply < 600) return RG_EX_UNAVAILABLE;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        return RG_EX_TEMPFAIL;
    default:
        return RG_EX_UNAVAILABLE;
    }
}

/* Reports a failed session and returns its status (failure_status). */
static rg_status session_failed(rg_ctx *ctx, CURL *curl, CURLcode rc, const char *host,
                                const char *errbuf)
{
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    char reply[32] = "";
    if (code) snprintf(reply, sizeof reply, " (server replied %ld)", code);
    rg_status st = failure_status(rc, code);
    rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sending over SMTP to %s failed: %s%s; %s", host,
            errbuf[0] ? errbuf : curl_easy_strerror(rc), reply,
            st == RG_EX_TEMPFAIL ? "a temporary failure: try again later (exit 75)"
                                 : "a permanent failure: trying again will not help (exit 69)");
    return st;
}

rg_status rg_reply_send_smtp(rg_ctx *ctx, const rg_reply *r, const char *url,
                             const rg_smtp_auth *auth)
{
    rg_status st = RG_EX_USAGE;
    CURL *curl = NULL;
    CURLU *u = NULL;
    struct curl_slist *rcpt = NULL;
    char *scheme = NULL, *host = NULL, *user = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    char from[300];
    int have_auth = auth && auth->user;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot initialise libcurl");
        return RG_EX_SOFTWARE;
    }
    u = curl_url();
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        (strcmp(scheme, "smtp") && strcmp(scheme, "smtps"))) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "--smtp: '%s' is not an smtp:// or smtps:// URL", url);
        goto fail;
    }
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "--smtp: no credentials in the URL; use REPORTGEN_SMTP_USER/"
                "REPORTGEN_SMTP_PASSWORD or --smtp-credentials FILE");
        goto fail;
    }
    st = RG_EX_UNAVAILABLE;
    curl = curl_easy_init();
    if (!curl) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot initialise libcurl");
        st = RG_EX_SOFTWARE;
        goto fail;
    }
    snprintf(from, sizeof from, "<%s>", r->mail_from);
    for (int i = 0; i < r->nrcpt; i++) {
        char to[300];
        snprintf(to, sizeof to, "<%s>", r->rcpt[i]);
        rcpt = curl_slist_append(rcpt, to);
    }
    /* STARTTLS whenever offered; required before a password goes to
     * another machine. smtps:// is TLS from the start. */
    long use_ssl = CURLUSESSL_TRY;
    if (!strcmp(scheme, "smtps") || (have_auth && !is_loopback(host))) use_ssl = CURLUSESSL_ALL;
    upload up = { r->data, r->len, 0 };
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->len);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, SMTP_STALL_TIMEOUT_S);
    if (have_auth) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, auth->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, auth->password);
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        st = session_failed(ctx, curl, rc, host, errbuf);
        goto fail;
    }
    st = RG_OK;
fail:
    curl_slist_free_all(rcpt);
    if (curl) curl_easy_cleanup(curl);
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_url_cleanup(u);
    curl_global_cleanup();
    return st;
}
