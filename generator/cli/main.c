/* cli/main.c - the reportgen command line. Stage: cli. Dispatches the
 * subcommands (build, validate, batch, reply), parses build's options and
 * maps failures to exit codes. The pipeline itself is pipeline/build.c's. */
#include "base/base.h"
#include "batch/batch.h"
#include "pipeline/pipeline.h"
#include "fonts/fonts.h"
#include "pdf/pdf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RG_LIBEXECDIR
#define RG_LIBEXECDIR "/usr/local/libexec/reportgen"
#endif

static const char USAGE[] =
    "usage: reportgen build DEFINITION.xml [-o OUT.pdf] [options]\n"
    "       reportgen validate DEFINITION.xml...\n"
    "       reportgen batch DIR|DEFINITION.xml... -o OUTDIR [-j N] [--period LIST|FROM..TO]\n"
    "                 [--name PATTERN] [--force] [-q]\n"
    "       reportgen reply REQUEST.eml (--attach PDF | --build DEF.xml) [-o FILE |\n"
    "                 --smtp URL | --sendmail] [--from ADDR] [--auto-submitted]\n"
    "       reportgen --help | --version\n"
    "\n"
    "Turns an XML report definition into a PDF report.\n"
    "\n"
    "build options:\n"
    "  -o, --output FILE     PDF to write (default: the definition's name with .pdf;\n"
    "                        '-' for standard output); an existing FILE that is not a\n"
    "                        regular file, or is one of the report's inputs, is\n"
    "                        never replaced (exit 73)\n"
    "  --layout NAME|FILE    house style to use instead of the definition's layout\n"
    "  --dump-layout FILE    write the display list as text ('-' for stdout);\n"
    "                        without -o no PDF is written\n"
    "  --strict              treat warnings that matter as errors\n"
    "  --check-layout        check the layout's invariants (nothing outside its box,\n"
    "                        no overlaps, no word broken without a hyphen, nothing\n"
    "                        left out, no page ending with a heading); a violation\n"
    "                        is an error, exit 70\n"
    "  --stage-times         print the layout and pdf stages' times and where the\n"
    "                        hyphenation patterns came from (benchmarks)\n"
    "  --pdfa=LEVEL          PDF/A conformance: off, 1b, 2b, 2u or 2a (default 2a:\n"
    "                        archivable and tagged for accessibility, PDF/UA-1)\n"
    "\n"
    "validate checks each definition (and the layout it names) against the schemas.\n"
    "\n"
    "batch builds many definitions into OUTDIR, in parallel (-j, default: the\n"
    "number of cores), naming each PDF by --name (default {slug}-{period}.pdf;\n"
    "fields {slug} {period} {name}); a report whose inputs did not change since\n"
    "its PDF was written is skipped unless --force; --period selects by period id.\n"
    "\n"
    "reply writes a MIME reply to a request e-mail with the PDF attached (to\n"
    "stdout, -o FILE, an SMTP server or sendmail); 'reportgen reply --help'.\n"
    "\n"
    "exit codes:\n"
    "  0   success\n"
    "  64  usage error (bad command line)\n"
    "  65  invalid definition or layout (file:line:col messages on stderr)\n"
    "  66  input file missing or unreadable\n"
    "  69  font or other dependency missing\n"
    "  70  internal error\n"
    "  73  cannot write the output file\n"
    "\n"
    "environment:\n"
    "  SOURCE_DATE_EPOCH     document date when the definition gives none (seconds\n"
    "                        since 1970, up to the end of 9999; else exit 64)\n"
    "  REPORTGEN_DATADIR     folder with schema/, layouts/ and fonts/\n";

typedef struct options {
    const char *input;
    const char *output;
    const char *layout;
    const char *dump;
    int strict;
    int stage_times;
    int check_layout;
    rg_pdfa_level pdfa;
    int tagged;
} options;

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "reportgen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'reportgen --help'.\n", stderr);
    return RG_EX_USAGE;
}

static void default_output(const char *input, char *out, size_t cap)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".xml")) n -= 4;
    snprintf(out, cap, "%.*s.pdf", (int)n, base);
}

static int cmd_build(const options *o)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    ctx->strict = o->strict;
    rg_paths paths;
    rg_paths_find(&paths);
    rg_build_install_signal_handlers();    /* before any thread is made */
    rg_build_use_paths(ctx, &paths);
    rg_fonts_prepare(ctx);                 /* overlaps with loading the definition */
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    char outbuf[4096];
    const char *output = o->output;
    if (!output) {
        default_output(o->input, outbuf, sizeof outbuf);
        output = outbuf;
    }
    rg_build_opts bo = rg_build_defaults();
    bo.layout = o->layout;
    bo.dump = o->dump;
    bo.write_pdf = o->output || !o->dump;
    bo.pdfa = o->pdfa;
    bo.tagged = o->tagged;
    bo.strict = o->strict;
    bo.stage_times = o->stage_times;
    bo.check_layout |= o->check_layout;
    rg_status st = rg_build_load(ctx, &paths, o->input, o->layout, &doc, &style);
    if (st == RG_OK) st = rg_build_write(ctx, doc, style, &bo, output);
    rg_style_free(style);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return st;
}

static int cmd_validate(char **files, int n)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_paths paths;
    rg_paths_find(&paths);
    int worst = RG_OK;
    for (int i = 0; i < n; i++) {
        rg_doc *doc = NULL;
        rg_style *style = NULL;
        rg_status st = rg_build_load(ctx, &paths, files[i], NULL, &doc, &style);
        if (st == RG_OK) printf("%s: valid\n", files[i]);
        else if (worst == RG_OK || st == RG_EX_DATAERR) worst = st;
        rg_style_free(style);
        rg_doc_free(doc);
    }
    rg_ctx_free(ctx);
    return worst;
}

static int parse_build(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->pdfa = RG_PDFA_2A;
    o->tagged = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!has_value) return usage_error("missing value for", a);
            o->output = argv[++i];
        } else if (!strcmp(a, "--layout")) {
            if (!has_value) return usage_error("missing value for", a);
            o->layout = argv[++i];
        } else if (!strcmp(a, "--dump-layout")) {
            if (!has_value) return usage_error("missing value for", a);
            o->dump = argv[++i];
        } else if (!strcmp(a, "--strict")) {
            o->strict = 1;
        } else if (!strcmp(a, "--stage-times")) {
            o->stage_times = 1;
        } else if (!strcmp(a, "--check-layout")) {
            o->check_layout = 1;
        } else if (!strncmp(a, "--pdfa=", 7)) {
            static const char *const names[] = { "off", "1b", "2b", "2u", "2a" };
            int found = -1;
            for (int k = 0; k < 5; k++)
                if (!strcmp(a + 7, names[k])) found = k;
            if (found < 0) return usage_error("--pdfa takes off, 1b, 2b, 2u or 2a", a);
            o->pdfa = (rg_pdfa_level)found;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a);
        } else if (o->input) {
            return usage_error("more than one definition given", a);
        } else {
            o->input = a;
        }
    }
    if (!o->input) return usage_error("no definition given", NULL);
    if (o->output && !strcmp(o->output, "-")) {
        if (o->dump && !strcmp(o->dump, "-"))
            return usage_error("the PDF and the display list cannot both go to standard output",
                               NULL);
        if (isatty(STDOUT_FILENO))
            return usage_error("-o - writes the PDF to standard output, which is a terminal; "
                               "redirect it or name a file", NULL);
    }
    return RG_OK;
}

/* What the environment says that a build depends on (SOURCE_DATE_EPOCH),
 * checked before any work: RG_OK or RG_EX_USAGE after a message. */
static int check_environment(void)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    long long t;
    rg_status st = rg_build_source_date(ctx, &t);
    rg_ctx_free(ctx);
    return st;
}

/* reportgen reply runs reportgen-reply (cli/reply-main.c), found by
 * rg_paths_libexec: $REPORTGEN_LIBEXECDIR, beside this executable (a build
 * folder), ../libexec/reportgen from it (installed, staged or moved), else
 * RG_LIBEXECDIR. */
static int exec_reply(char **argv)
{
    char path[4200];
    rg_paths_libexec("reportgen-reply", path, sizeof path);
    execv(path, argv);
    fprintf(stderr, "reportgen: cannot run %s: %s (REPORTGEN_LIBEXECDIR names the folder "
            "of reportgen-reply)\n", path, strerror(errno));
    return RG_EX_UNAVAILABLE;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage_error("no command given", NULL);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return RG_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("reportgen %s\n", RG_VERSION);
        return RG_OK;
    }
    if (!strcmp(cmd, "build")) {
        options o;
        int rc = parse_build(argc - 2, argv + 2, &o);
        if (rc == RG_OK) rc = check_environment();
        return rc != RG_OK ? rc : cmd_build(&o);
    }
    if (!strcmp(cmd, "batch")) {
        int rc = check_environment();
        return rc != RG_OK ? rc : rg_cmd_batch(argc - 1, argv + 1);
    }
    if (!strcmp(cmd, "reply")) return exec_reply(argv + 1);
    if (!strcmp(cmd, "validate")) {
        if (argc < 3) return usage_error("no definition given", NULL);
        for (int i = 2; i < argc; i++)
            if (argv[i][0] == '-' && argv[i][1]) return usage_error("unknown option", argv[i]);
        return cmd_validate(argv + 2, argc - 2);
    }
    return usage_error("unknown command", cmd);
}
