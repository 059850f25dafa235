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

typedef struct reply_options {
    const char *attach, *build, *attach_name, *output;
    const char *smtp, *credentials, *from, *body_file, *subject_prefix, *bcc;
    int sendmail, auto_submitted, verbosity;
} reply_options;

#define STRING_OPTION(long_name, letter_, field, value_, help_)                                \
    { .name = long_name, .letter = letter_, .kind = RG_OPT_STRING,                              \
      .at = RG_OPT_AT(reply_options, field, const char *), .value = value_, .help = help_ }

static const rg_option REPLY_OPTIONS[] = {
    STRING_OPTION("attach", 0, attach, "FILE", "the PDF to attach"),
    STRING_OPTION("build", 0, build, "DEF.xml",
                  "build the report from a definition first (with the defaults of 'reportgen "
                  "build') and attach it"),
    STRING_OPTION("attach-name", 0, attach_name, "NAME",
                  "the attachment's file name (default: the PDF's own; with --build the "
                  "definition's, with .pdf)"),
    STRING_OPTION("output", 'o', output, "FILE",
                  "write the reply to FILE (atomically) instead of stdout; an existing FILE "
                  "that is not a regular file, or is one of the inputs, is refused (exit 73)"),
    STRING_OPTION("smtp", 0, smtp, "URL",
                  "send it over SMTP: smtp://HOST[:PORT] (STARTTLS when offered; required for "
                  "a password unless every address of HOST is a loopback one) or "
                  "smtps://HOST[:PORT]"),
    STRING_OPTION("smtp-credentials", 0, credentials, "FILE",
                  "SMTP user (line 1) and password (line 2); the file must not be accessible "
                  "by group or others (exit 64). Default: REPORTGEN_SMTP_USER and "
                  "REPORTGEN_SMTP_PASSWORD"),
    { .name = "sendmail", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(reply_options, sendmail, int),
      .help = "hand it to `sendmail -t -oi`" },
    STRING_OPTION("from", 0, from, "ADDRESS",
                  "the sender (default: Logius <communicatie@logius.nl>)"),
    STRING_OPTION("bcc", 0, bcc, "ADDRESS",
                  "send a copy to ADDRESS too (an archive): an envelope recipient only, named "
                  "in no header, so the person asking does not see it (with --smtp or "
                  "--sendmail; -o and stdout show the message, which has no Bcc)"),
    STRING_OPTION("body-file", 0, body_file, "FILE",
                  "the reply's text (UTF-8) instead of the standard one"),
    STRING_OPTION("subject-prefix", 0, subject_prefix, "TEXT",
                  "put before the request's subject (default: Re:)"),
    { .name = "auto-submitted", .kind = RG_OPT_FLAG,
      .at = RG_OPT_AT(reply_options, auto_submitted, int),
      .help = "mark it as an automatic reply (Auto-Submitted: auto-replied, RFC 3834); "
              "requests that are themselves automatic are refused" },
    RG_OPT_QUIET(reply_options, verbosity,
                 "print nothing but warnings and errors, which is what reply does without -v"),
    RG_OPT_VERBOSE(reply_options, verbosity,
                   "say on stderr whom the reply is to and where it went"),
    { 0 }
};

static const rg_command REPLY = {
    "reply", "REQUEST.eml (--attach PDF | --build DEF.xml) [options]",
    "Writes a reply to a request e-mail with the report attached as a PDF: to the "
    "request's Reply-To (else From), \"Re:\" its subject, threaded by In-Reply-To and "
    "References. Printed on stdout unless told otherwise (-o, --smtp or --sendmail, at "
    "most one of them).",
    REPLY_OPTIONS,
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
    "                        inputs, so the same inputs give the same reply\n"
};

/* The checks of the command line that the table cannot make. */
static int check_options(const rg_args *a, const reply_options *o)
{
    if (a->noperands == 0) return rg_args_error(a, "no request e-mail given");
    if (a->noperands > 1)
        return rg_args_error(a, "more than one request given: %s", a->operands[1]);
    if (!o->attach == !o->build) return rg_args_error(a, "give one of --attach and --build");
    if ((o->smtp != NULL) + o->sendmail + (o->output != NULL) > 1)
        return rg_args_error(a, "give at most one of -o, --smtp and --sendmail");
    if (o->credentials && !o->smtp) return rg_args_error(a, "--smtp-credentials without --smtp");
    if (o->from && !*o->from) return rg_args_error(a, "empty value for --from");
    if (o->bcc && !o->smtp && !o->sendmail)
        return rg_args_error(a, "--bcc without --smtp or --sendmail (a written reply has no "
                             "envelope)");
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

/* -v: whom the reply is to, and where it went. */
static void tell(const rg_reply *r, const reply_options *o)
{
    fputs("reportgen reply: to", stderr);
    for (int i = 0; i < r->nrcpt; i++) fprintf(stderr, "%s %s", i ? "," : "", r->rcpt[i]);
    if (r->bcc) fprintf(stderr, " (bcc %s)", r->bcc);
    if (o->smtp) fprintf(stderr, "; sent over %s\n", o->smtp);
    else if (o->sendmail) fputs("; handed to sendmail\n", stderr);
    else if (o->output && strcmp(o->output, "-")) fprintf(stderr, "; written to %s\n", o->output);
    else fputs("; written to standard output\n", stderr);
}

int rg_cmd_reply(int argc, char **argv)
{
    reply_options o = { 0 };
    rg_args a = { 0 };
    int rc = rg_args_parse(&REPLY, argc - 1, argv + 1, &o, &a);
    if (rc == RG_OK && !a.help) rc = check_options(&a, &o);
    const char *request = a.noperands ? a.operands[0] : NULL;   /* into argv */
    int help = a.help;
    rg_args_free(&a);
    if (rc != RG_OK || help) return rc;
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
    rg_reply_opts ro = { &t, attach_name, o.auto_submitted, o.bcc };
    CHECK(rg_reply_compose(ctx, request, pdf, &ro, &reply));
    if (o.smtp) CHECK(rg_reply_send_smtp(ctx, reply, o.smtp, &auth, NULL));
    else if (o.sendmail) CHECK(rg_reply_send_sendmail(ctx, reply));
    else CHECK(rg_reply_write(ctx, reply, o.output));
    if (o.verbosity > 0) tell(reply, &o);
fail:
    drop_built_report(&built);
    free(body);
    rg_reply_free(reply);
    rg_smtp_auth_clear(&auth);
    rg_ctx_free(ctx);
    return st;
}
