/* mail/command.c - the `reportgen reply` subcommand. Stage: mail (its
 * command line). Owns the reply options, the optional build of the report
 * before it is attached (through pipeline/pipeline.h), and choosing where the reply
 * goes: stdout, a file, SMTP or sendmail. Composing is mail/mail.c's, delivery
 * mail/send.c's. */
#include "pipeline/pipeline.h"
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(x) do { st = (x); if (st != RG_OK) goto fail; } while (0)

/* A reply's own text is a few paragraphs; a megabyte is a mistake. */
#define MAX_BODY_BYTES (1u << 20)

static const char USAGE[] =
    "usage: reportgen reply REQUEST.eml (--attach REPORT.pdf | --build DEF.xml) [options]\n"
    "\n"
    "Writes a reply to a request e-mail with the report attached as a PDF:\n"
    "to the request's Reply-To (else From), \"Re:\" its subject, threaded by\n"
    "In-Reply-To and References. Printed on stdout unless told otherwise.\n"
    "\n"
    "options:\n"
    "  --attach FILE          the PDF to attach\n"
    "  --build DEF.xml        build the report from a definition first and attach it\n"
    "  --attach-name NAME     the attachment's file name (default: the PDF's own)\n"
    "  -o, --output FILE      write the reply to FILE (atomically) instead of stdout\n"
    "  --smtp URL             send it over SMTP: smtp://HOST[:PORT] (STARTTLS when\n"
    "                         offered; required for a password unless every\n"
    "                         address of HOST is a loopback one) or smtps://HOST[:PORT]\n"
    "  --smtp-credentials FILE  SMTP user (line 1) and password (line 2); the file\n"
    "                         must not be accessible by group or others\n"
    "  --sendmail             hand it to `sendmail -t -oi`\n"
    "  --from ADDRESS         the sender (default: Logius <communicatie@logius.nl>)\n"
    "  --body-file FILE       the reply's text (UTF-8) instead of the standard one\n"
    "  --subject-prefix TEXT  put before the request's subject (default: Re:)\n"
    "  --auto-submitted       mark it as an automatic reply (Auto-Submitted:\n"
    "                         auto-replied, RFC 3834); automatic requests are refused\n"
    "  -h, --help             show this help\n"
    "\n"
    "exit codes:\n"
    "  0   success\n"
    "  64  usage error; credentials file accessible by others\n"
    "  65  malformed request (no usable sender), attachment not a PDF, bad definition\n"
    "  66  an input file is missing or unreadable\n"
    "  69  the reply was refused for good (an SMTP 5xx reply, TLS or login\n"
    "      refused, sendmail failed): sending it again as it is will not help\n"
    "  70  internal error\n"
    "  73  cannot write the output file (or -o names a device, FIFO, symbolic\n"
    "      link, folder or one of the inputs)\n"
    "  75  a temporary failure (an SMTP 4xx reply, the server unreachable or\n"
    "      silent, the connection lost, sendmail's EX_TEMPFAIL): try again later.\n"
    "      The only code worth a retry as it is.\n"
    "\n"
    "environment:\n"
    "  REPORTGEN_SMTP_USER, REPORTGEN_SMTP_PASSWORD  SMTP credentials\n"
    "  SOURCE_DATE_EPOCH     the reply's Date; its Message-ID becomes a hash of the\n"
    "                        inputs, so the same inputs give the same reply\n";

typedef struct reply_options {
    const char *request, *attach, *build, *attach_name, *output;
    const char *smtp, *credentials, *from, *body_file, *subject_prefix;
    int sendmail, auto_submitted, help;
} reply_options;

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "reportgen reply: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'reportgen reply --help'.\n", stderr);
    return RG_EX_USAGE;
}

static int parse_options(int argc, char **argv, reply_options *o)
{
    static const struct { const char *name; size_t off; } valued[] = {
        { "--attach", offsetof(reply_options, attach) },
        { "--build", offsetof(reply_options, build) },
        { "--attach-name", offsetof(reply_options, attach_name) },
        { "-o", offsetof(reply_options, output) },
        { "--output", offsetof(reply_options, output) },
        { "--smtp", offsetof(reply_options, smtp) },
        { "--smtp-credentials", offsetof(reply_options, credentials) },
        { "--from", offsetof(reply_options, from) },
        { "--body-file", offsetof(reply_options, body_file) },
        { "--subject-prefix", offsetof(reply_options, subject_prefix) },
    };
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int done = 0;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
            if (strcmp(a, valued[k].name) != 0) continue;
            if (i + 1 >= argc) return usage_error("missing value for", a);
            const char **slot = (const char **)((char *)o + valued[k].off);
            if (*slot) return usage_error("given twice", a);
            *slot = argv[++i];
            done = 1;
        }
        if (done) continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) o->help = 1;
        else if (!strcmp(a, "--sendmail")) o->sendmail = 1;
        else if (!strcmp(a, "--auto-submitted")) o->auto_submitted = 1;
        else if (a[0] == '-' && a[1]) return usage_error("unknown option", a);
        else if (o->request) return usage_error("more than one request given", a);
        else o->request = a;
    }
    if (o->help) return RG_OK;
    if (!o->request) return usage_error("no request e-mail given", NULL);
    if (!o->attach == !o->build) return usage_error("give one of --attach and --build", NULL);
    if ((o->smtp != NULL) + o->sendmail + (o->output != NULL) > 1)
        return usage_error("give at most one of -o, --smtp and --sendmail", NULL);
    if (o->credentials && !o->smtp) return usage_error("--smtp-credentials without --smtp", NULL);
    if (o->from && !*o->from) return usage_error("empty value for", "--from");
    return RG_OK;
}

/* Reads --body-file: UTF-8 text without NUL, line ends made LF. */
static rg_status read_body(rg_ctx *ctx, const char *path, char **body)
{
    size_t len;
    rg_status st = rg_mail_read_file(ctx, path, MAX_BODY_BYTES, "the reply text", body, &len);
    if (st != RG_OK) return st;
    if (memchr(*body, '\0', len)) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "the reply text is not text (NUL byte)");
        free(*body);
        *body = NULL;
        return RG_EX_DATAERR;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if ((*body)[i] == '\r' && i + 1 < len && (*body)[i + 1] == '\n') continue;
        (*body)[n++] = (*body)[i] == '\r' ? '\n' : (*body)[i];
    }
    (*body)[n] = '\0';
    return RG_OK;
}

/* The report built for --build: a temporary file in $TMPDIR that the
 * pipeline's signal thread removes if SIGINT, SIGTERM or SIGHUP ends the
 * run at any point (building, composing, sending), and the name the
 * attachment gets (the definition's, with .pdf). */
typedef struct built_report {
    char path[4200];
    int slot;              /* in the pipeline's table of temporary files; -1: none */
    char *attach_name;
} built_report;

/* "dir/name.xml" -> "name.pdf" (malloc'd). */
static char *pdf_name_for(const char *def)
{
    const char *base = strrchr(def, '/');
    base = base ? base + 1 : def;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".xml")) n -= 4;
    char *name = rg_xmalloc(n + 5);
    snprintf(name, n + 5, "%.*s.pdf", (int)n, base);
    return name;
}

/* Builds the definition into a registered temporary file (b->path); the
 * pipeline writes it atomically (its own temporary file beside it, also
 * registered, renamed over ours), so on success b->path is the PDF. The
 * caller removes it with drop_built_report, also after a failure. */
static rg_status build_report(rg_ctx *ctx, const char *def, built_report *b)
{
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
    snprintf(b->path, sizeof b->path, "%s/reportgen-reply-XXXXXX", tmpdir);
    int fd = rg_build_temp_create(b->path, &b->slot);
    if (fd < 0) {
        rg_diag(ctx, RG_SEV_ERROR, b->path, 0, 0, "cannot create a file for the report: %s",
                strerror(errno));
        b->path[0] = '\0';
        return RG_EX_CANTCREAT;
    }
    close(fd);
    b->attach_name = pdf_name_for(def);
    return rg_build_to_file(def, b->path);
}

static void drop_built_report(built_report *b)
{
    if (b->path[0]) unlink(b->path);
    rg_build_temp_release(b->slot);
    free(b->attach_name);
}

int rg_cmd_reply(int argc, char **argv)
{
    reply_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != RG_OK) return rc;
    if (o.help) {
        fputs(USAGE, stdout);
        return RG_OK;
    }
    rg_status st = RG_OK;
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_smtp_auth auth = { NULL, NULL };
    rg_reply *reply = NULL;
    char *body = NULL;
    built_report built = { "", -1, NULL };
    rg_reply_template t = *rg_reply_template_default();

    /* before any thread exists (the build's, GLib's): a signal must find
     * the built report registered for removal, and nothing unblocked */
    if (o.build) rg_build_install_signal_handlers();

    long long sde;
    CHECK(rg_build_source_date(ctx, &sde));   /* a usage error, before any work */

    if (o.smtp) CHECK(rg_smtp_auth_load(ctx, o.credentials, &auth));
    if (o.body_file) {
        CHECK(read_body(ctx, o.body_file, &body));
        t.body = body;
    }
    if (o.from) t.from = o.from;
    if (o.subject_prefix) t.subject_prefix = o.subject_prefix;
    const char *pdf = o.attach, *attach_name = o.attach_name;
    if (o.build) {
        CHECK(build_report(ctx, o.build, &built));
        pdf = built.path;
        if (!attach_name) attach_name = built.attach_name;
    }
    rg_reply_opts ro = { &t, attach_name, o.auto_submitted };
    CHECK(rg_reply_compose(ctx, o.request, pdf, &ro, &reply));
    if (o.smtp) CHECK(rg_reply_send_smtp(ctx, reply, o.smtp, &auth));
    else if (o.sendmail) CHECK(rg_reply_send_sendmail(ctx, reply));
    else CHECK(rg_reply_write(ctx, reply, o.output));
fail:
    drop_built_report(&built);
    free(body);
    rg_reply_free(reply);
    rg_smtp_auth_clear(&auth);
    rg_ctx_free(ctx);
    return st;
}
