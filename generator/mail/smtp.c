/* mail/smtp.c - sending a composed reply over SMTP with libcurl. Stage:
 * mail. Owns the session: where it goes (the host resolved here; STARTTLS
 * required before a password goes to an address that is not this
 * machine's; smtps:// is TLS from the start), how long the server may take
 * (RFC 5321's timeouts), the envelope (MAIL FROM the reply's From, RCPT TO
 * its To) and what a failure is reported as (exit 75 or 69). The message
 * is mail/mail.c's and goes out byte for byte. */
#include "internal.h"

#include <curl/curl.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* ---- where the session goes: loopback means an address ----
 * A password may go without TLS only to this machine, and a host name says
 * nothing about that ("127.mail.example.nl" may be any address). So the
 * host is resolved here, TLS is required unless every address it has is a
 * loopback one, and libcurl is made to connect to exactly the addresses
 * checked: CURLOPT_RESOLVE pins them in its DNS cache (no second lookup
 * that could answer otherwise), CURLOPT_OPENSOCKETFUNCTION refuses any
 * other address should a way around the pin exist (then the session
 * fails, it never goes elsewhere), and an empty CURLOPT_PROXY keeps a proxy
 * from the environment (all_proxy) from carrying the session. */
#define SMTP_MAX_ADDRESSES 16   /* a mail host has one to a few */

typedef struct smtp_target {
    struct sockaddr_storage addr[SMTP_MAX_ADDRESSES];
    int naddr;
    int all_loopback;       /* every address resolved is this machine's */
    int refused;            /* libcurl tried an address not checked (a bug) */
} smtp_target;

/* 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into IPv6. */
static int is_loopback_address(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return 0;
}

/* 1 when sa is one of t's addresses (the port is not compared). */
static int is_checked_address(const smtp_target *t, const struct sockaddr *sa)
{
    for (int i = 0; i < t->naddr; i++) {
        const struct sockaddr *c = (const struct sockaddr *)&t->addr[i];
        if (c->sa_family != sa->sa_family) continue;
        if (sa->sa_family == AF_INET &&
            !memcmp(&((const struct sockaddr_in *)c)->sin_addr,
                    &((const struct sockaddr_in *)sa)->sin_addr, sizeof(struct in_addr)))
            return 1;
        if (sa->sa_family == AF_INET6 &&
            !memcmp(&((const struct sockaddr_in6 *)c)->sin6_addr,
                    &((const struct sockaddr_in6 *)sa)->sin6_addr, sizeof(struct in6_addr)))
            return 1;
    }
    return 0;
}

/* 1 when host, as libcurl gives it, is one it looks up as it is: ASCII
 * without control characters (not an IDN libcurl would convert first) and
 * no longer than a DNS name may be. */
static int is_plain_host(const char *host)
{
    size_t n = strlen(host);
    if (n == 0 || n > 253 + 2) return 0;    /* + 2: the brackets of an IPv6 literal */
    for (const unsigned char *p = (const unsigned char *)host; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f) return 0;
    return 1;
}

/* "[::1]" -> "::1": the form getaddrinfo takes. */
static void bare_host(const char *host, char *out, size_t cap)
{
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') snprintf(out, cap, "%.*s", (int)(n - 2), host + 1);
    else snprintf(out, cap, "%s", host);
}

/* Resolves host (a name, or an address literal as libcurl gives it) into
 * t. Fails after a diagnostic: RG_EX_TEMPFAIL when the resolver could not
 * answer for now, RG_EX_UNAVAILABLE when the name has no address. */
static rg_status resolve_target(rg_ctx *ctx, const char *host, smtp_target *t)
{
    char name[300];
    struct addrinfo hints, *res = NULL;
    bare_host(host, name, sizeof name);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--smtp: cannot resolve %s: %s%s", name,
                gai_strerror(rc), rc == EAI_AGAIN ? "; a temporary failure: try again later (exit 75)" : "");
        return rc == EAI_AGAIN ? RG_EX_TEMPFAIL : RG_EX_UNAVAILABLE;
    }
    t->naddr = 0;
    t->all_loopback = 1;
    for (const struct addrinfo *a = res; a; a = a->ai_next) {
        if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
        if (!is_loopback_address(a->ai_addr)) t->all_loopback = 0;
        if (t->naddr < SMTP_MAX_ADDRESSES && !is_checked_address(t, a->ai_addr))
            memcpy(&t->addr[t->naddr++], a->ai_addr, a->ai_addrlen);
    }
    freeaddrinfo(res);
    if (t->naddr == 0) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "--smtp: %s has no IPv4 or IPv6 address", name);
        return RG_EX_UNAVAILABLE;
    }
    return RG_OK;
}

/* CURLOPT_RESOLVE entries "HOST:PORT:ADDR,ADDR" for a host name (with and
 * without a final dot, which libcurl may strip); none for an address
 * literal, which libcurl does not look up. NULL when there is none. */
static struct curl_slist *pinned_addresses(const char *host, const char *port,
                                           const smtp_target *t)
{
    struct in6_addr a6;
    struct in_addr a4;
    if (host[0] == '[' || inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1)
        return NULL;
    char addrs[SMTP_MAX_ADDRESSES * (INET6_ADDRSTRLEN + 3)] = "";
    for (int i = 0; i < t->naddr; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)&t->addr[i];
        char text[INET6_ADDRSTRLEN];
        const void *bytes = sa->sa_family == AF_INET
                                ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                                : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        inet_ntop(sa->sa_family, bytes, text, sizeof text);
        size_t n = strlen(addrs);
        snprintf(addrs + n, sizeof addrs - n, sa->sa_family == AF_INET6 ? "%s[%s]" : "%s%s",
                 i ? "," : "", text);
    }
    struct curl_slist *pins = NULL;
    size_t len = strlen(host);
    char entry[sizeof addrs + 400];
    snprintf(entry, sizeof entry, "%s:%s:%s", host, port, addrs);
    pins = curl_slist_append(pins, entry);
    if (len > 1 && host[len - 1] == '.') {
        snprintf(entry, sizeof entry, "%.*s:%s:%s", (int)(len - 1), host, port, addrs);
        pins = curl_slist_append(pins, entry);
    }
    return pins;
}

/* CURLOPT_OPENSOCKETFUNCTION: a socket only for an address checked. */
static curl_socket_t open_checked(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    smtp_target *t = clientp;
    if (purpose != CURLSOCKTYPE_IPCXN || !is_checked_address(t, &a->addr)) {
        t->refused = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* ---- how long the server may take (RFC 5321 §4.5.3.2) ----
 * The RFC's minimum waits of a client: 5 minutes for the greeting and the
 * replies to MAIL and RCPT (2 for DATA, 3 per data block: we allow 5 for
 * every reply and every stalled block), and 10 minutes for the reply to
 * the end of DATA - the server may be delivering the message while we
 * wait, so giving up early reports a failure for a mail that was sent and
 * a retry sends it twice.
 *
 * libcurl has one timeout for every reply (CURLOPT_SERVER_RESPONSE_TIMEOUT)
 * and a connect timeout that runs over the greeting, EHLO, STARTTLS and
 * AUTH together; a low-speed limit counts the wait for a reply as a stalled
 * transfer (LOW_SPEED_TIME of 60 s failed a server that queued the message
 * and answered after 70). So the session keeps its own clock: the debug
 * callback sees every command go out (CURLINFO_HEADER_OUT), every reply line
 * come in (HEADER_IN) and the message's bytes go out (DATA_OUT); the read
 * callback knows when the last byte of the message was handed over, after
 * which the wait is for the end-of-DATA reply. Each event moves the
 * deadline; the progress callback, which libcurl calls about once a second
 * also while it waits, ends the session when the deadline has passed.
 * libcurl's own timeouts stay as backstops well beyond ours. */
#define SMTP_REPLY_TIMEOUT_S 300.0
#define SMTP_DATA_END_TIMEOUT_S 600.0
/* Test hook: REPORTGEN_SMTP_TIMEOUT_SCALE=0.01 makes both timeouts a
 * hundredth (3 s and 6 s), so that tests of a slow server take seconds.
 * Only shortening (0 < scale <= 1); anything else is a usage error. */
#define SMTP_TIMEOUT_SCALE_ENV "REPORTGEN_SMTP_TIMEOUT_SCALE"

typedef struct smtp_clock {
    double reply_s, data_end_s;   /* the two limits, scaled */
    double deadline;              /* CLOCK_MONOTONIC seconds */
    double limit;                 /* the limit the deadline was set with */
    char waiting_for[40];         /* "the greeting", "the reply to RCPT", ... */
    int timed_out;
} smtp_clock;

typedef struct smtp_session {
    const char *data;             /* the message, handed to libcurl by read_upload */
    size_t len, pos;
    int body_sent;                /* read_upload has handed over the last byte */
    int tls_for_password;         /* TLS required because a password goes elsewhere */
    smtp_clock clock;
    smtp_target target;
} smtp_session;

static double monotonic_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Sets the deadline: limit seconds from now for what (NULL: the same
 * thing as before). Once the clock ran out it stays out, with its reason:
 * the QUIT that libcurl still sends gets no time of its own. */
static void wait_for(smtp_clock *c, double limit, const char *what)
{
    if (c->timed_out) return;
    c->limit = limit;
    c->deadline = monotonic_s() + limit;
    if (what) snprintf(c->waiting_for, sizeof c->waiting_for, "%s", what);
}

/* Reads the test hook's scale into *scale (1 when unset). */
static rg_status timeout_scale(rg_ctx *ctx, double *scale)
{
    const char *v = getenv(SMTP_TIMEOUT_SCALE_ENV);
    *scale = 1.0;
    if (!v || !*v) return RG_OK;
    char *end;
    double x = strtod(v, &end);
    if (*end || !(x > 0.0 && x <= 1.0)) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "%s='%s': not a number above 0 and at most 1", SMTP_TIMEOUT_SCALE_ENV, v);
        return RG_EX_USAGE;
    }
    *scale = x;
    return RG_OK;
}

static size_t read_upload(char *buf, size_t size, size_t nmemb, void *userdata)
{
    smtp_session *s = userdata;
    size_t n = size * nmemb;
    if (n > s->len - s->pos) n = s->len - s->pos;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    /* libcurl asks no more once it has INFILESIZE bytes: no call returns 0 */
    if (s->pos == s->len && !s->body_sent) {
        s->body_sent = 1;
        wait_for(&s->clock, s->clock.data_end_s, "the reply to the end of DATA");
    }
    return n;
}

/* CURLOPT_DEBUGFUNCTION: moves the deadline on each command, reply line
 * and piece of the message; prints nothing. */
static int on_traffic(CURL *curl, curl_infotype type, char *data, size_t size, void *userp)
{
    (void)curl;
    smtp_session *s = userp;
    smtp_clock *c = &s->clock;
    if (type == CURLINFO_HEADER_OUT) {
        /* name the command by its verb only: AUTH carries the password */
        size_t verb = 0;
        while (verb < size && verb < 10 && data[verb] >= 'A' && data[verb] <= 'Z') verb++;
        char what[40];
        snprintf(what, sizeof what, "the reply to %.*s", (int)verb, data);
        wait_for(c, c->reply_s, what);
    } else if (type == CURLINFO_HEADER_IN) {
        wait_for(c, c->reply_s, NULL);          /* the next line, or our next command */
    } else if (type == CURLINFO_DATA_OUT) {
        if (s->body_sent) wait_for(c, c->data_end_s, NULL);
        else wait_for(c, c->reply_s, "the server to take the message");
    }
    return 0;
}

/* CURLOPT_XFERINFOFUNCTION: ends the session once the deadline passed. */
static int check_deadline(void *userp, curl_off_t dltotal, curl_off_t dlnow,
                          curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    smtp_clock *c = userp;
    if (monotonic_s() <= c->deadline) return 0;
    c->timed_out = 1;
    return 1;
}

/* Starts the clock for the greeting and hands it to libcurl. */
static void set_timeouts(CURL *curl, smtp_session *s, double scale)
{
    smtp_clock *c = &s->clock;
    c->reply_s = SMTP_REPLY_TIMEOUT_S * scale;
    c->data_end_s = SMTP_DATA_END_TIMEOUT_S * scale;
    wait_for(c, c->reply_s, "the greeting");
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);   /* for on_traffic; it prints nothing */
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, on_traffic);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, s);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_deadline);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, c);
    /* QUIT is sent, and its reply waited for, when the connection closes:
     * without this in curl_easy_cleanup, by an internal handle that knows
     * neither our clock nor any timeout but the backstop. Not reusing the
     * connection closes it inside curl_easy_perform, on our clock. */
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    /* backstops only: the connect phase has at most a greeting, two EHLO,
     * STARTTLS and a few AUTH steps, each allowed reply_s by our clock */
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(10 * c->reply_s * 1000));
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long)(2 * c->data_end_s) + 1);
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
                                const smtp_session *s, char *errbuf)
{
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    char reply[32] = "";
    if (code) snprintf(reply, sizeof reply, " (server replied %ld)", code);
    rg_status st = failure_status(rc, code);
    if (s->target.refused) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sending over SMTP to %s: libcurl was about to "
                "connect to an address that was not checked; nothing was sent", host);
        return RG_EX_SOFTWARE;
    }
    if (rc == CURLE_USE_SSL_FAILED && s->tls_for_password) {
        size_t n = strlen(errbuf);
        snprintf(errbuf + n, CURL_ERROR_SIZE - n, " (a password goes to %s only over TLS: "
                 "it is not an address of this machine)", host);
    }
    if (rc == CURLE_ABORTED_BY_CALLBACK && s->clock.timed_out) {
        st = RG_EX_TEMPFAIL;
        snprintf(errbuf, CURL_ERROR_SIZE, "no sign of %s within %.0f s (RFC 5321 §4.5.3.2)%s",
                 s->clock.waiting_for, s->clock.limit, s->body_sent
                     ? "; the server may still deliver the message, so a retry may send it twice"
                     : "");
        reply[0] = '\0';
    }
    rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sending over SMTP to %s failed: %s%s; %s", host,
            errbuf[0] ? errbuf : curl_easy_strerror(rc), reply,
            st == RG_EX_TEMPFAIL ? "a temporary failure: try again later (exit 75)"
                                 : "a permanent failure: trying again will not help (exit 69)");
    return st;
}

/* The parts of an --smtp URL that the session needs (curl_free'd). */
typedef struct smtp_url {
    CURLU *u;
    char *scheme, *host, *port;
} smtp_url;

static void smtp_url_free(smtp_url *p)
{
    curl_free(p->scheme);
    curl_free(p->host);
    curl_free(p->port);
    curl_url_cleanup(p->u);
}

/* Splits url into p (the caller frees it with smtp_url_free, also after a
 * failure): smtp:// or smtps://, no credentials, a host that libcurl will
 * look up as it is. RG_OK, or RG_EX_USAGE after a diagnostic. */
static rg_status parse_url(rg_ctx *ctx, const char *url, smtp_url *p)
{
    char *user = NULL;
    memset(p, 0, sizeof *p);
    p->u = curl_url();
    if (!p->u || curl_url_set(p->u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(p->u, CURLUPART_SCHEME, &p->scheme, 0) != CURLUE_OK ||
        curl_url_get(p->u, CURLUPART_HOST, &p->host, 0) != CURLUE_OK ||
        (strcmp(p->scheme, "smtp") && strcmp(p->scheme, "smtps"))) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "--smtp: '%s' is not an smtp:// or smtps:// URL", url);
        return RG_EX_USAGE;
    }
    if (curl_url_get(p->u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        curl_free(user);
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "--smtp: no credentials in the URL; use REPORTGEN_SMTP_USER/"
                "REPORTGEN_SMTP_PASSWORD or --smtp-credentials FILE");
        return RG_EX_USAGE;
    }
    if (curl_url_get(p->u, CURLUPART_PORT, &p->port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        !is_plain_host(p->host)) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "--smtp: '%s': the host must be an ASCII name (IDNA form) of at most 253 "
                "characters or an address", url);
        return RG_EX_USAGE;
    }
    return RG_OK;
}

/* After a failed session: could the server have taken the message? Yes
 * when its last byte went out and no refusal of it (4xx, 5xx) came. */
static int may_have_taken(CURL *curl, const smtp_session *s)
{
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return s->body_sent && !(code >= 400 && code < 600);
}

rg_status rg_reply_send_smtp(rg_ctx *ctx, const rg_reply *r, const char *url,
                             const rg_smtp_auth *auth, int *maybe_delivered)
{
    if (maybe_delivered) *maybe_delivered = 0;
    rg_status st = RG_EX_USAGE;
    CURL *curl = NULL;
    smtp_url parts = { NULL, NULL, NULL, NULL };
    struct curl_slist *rcpt = NULL, *pins = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    char from[300];
    int have_auth = auth && auth->user;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot initialise libcurl");
        return RG_EX_SOFTWARE;
    }
    st = parse_url(ctx, url, &parts);
    if (st != RG_OK) goto fail;
    const char *host = parts.host;
    double scale;
    st = timeout_scale(ctx, &scale);
    if (st != RG_OK) goto fail;
    smtp_session session = { .data = r->data, .len = r->len };
    st = resolve_target(ctx, host, &session.target);
    if (st != RG_OK) goto fail;
    pins = pinned_addresses(host, parts.port, &session.target);
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
    if (r->bcc) {                  /* RCPT TO only: the message names it nowhere */
        char to[300];
        snprintf(to, sizeof to, "<%s>", r->bcc);
        rcpt = curl_slist_append(rcpt, to);
    }
    /* STARTTLS whenever offered; required before a password goes to
     * another machine, which only addresses tell. smtps:// is TLS from
     * the start. */
    session.tls_for_password = have_auth && !session.target.all_loopback;
    long use_ssl = CURLUSESSL_TRY;
    if (!strcmp(parts.scheme, "smtps") || session.tls_for_password) use_ssl = CURLUSESSL_ALL;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &session);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->len);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_RESOLVE, pins);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_checked);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &session.target);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    set_timeouts(curl, &session, scale);
    if (have_auth) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, auth->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, auth->password);
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        st = session_failed(ctx, curl, rc, host, &session, errbuf);
        if (maybe_delivered) *maybe_delivered = may_have_taken(curl, &session);
        goto fail;
    }
    st = RG_OK;
fail:
    curl_slist_free_all(rcpt);
    curl_slist_free_all(pins);
    if (curl) curl_easy_cleanup(curl);
    smtp_url_free(&parts);
    curl_global_cleanup();
    return st;
}
