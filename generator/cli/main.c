/* cli/main.c - the reportgen command line. Stage: cli. Finds the
 * subcommand (build, validate, init, batch, reply, inbox) in COMMANDS, parses
 * build's, validate's and init's options and maps failures to exit codes;
 * the pipeline itself is pipeline/build.c's (build --watch:
 * pipeline/watch.c; init: load/init.c through pipeline/init.c), batch is
 * batch/batch.c's, and reply and inbox run reportgen-reply
 * (mail/command.c, mail/inbox.c).
 *
 * Every command parses its arguments with the one parser, rg_args_parse
 * (base/args.c; its conventions are in base/base.h), from a table of its
 * options, and its help (-h, --help, 'reportgen help COMMAND') is made
 * from the same table.
 *
 * To add an option: a field in the command's options struct and an entry
 * in its table (BUILD_OPTIONS and VALIDATE_OPTIONS below, BATCH_OPTIONS in
 * batch/batch.c, REPLY_OPTIONS in mail/command.c); the help shows it from
 * there. Then document it in reportgen.1 under the command's options:
 * tests/cli_man.py fails until the man page and --help list the same ones.
 * To add a command: a function int cmd_NAME(int argc, char **argv) (argv[0]
 * is the command's name) that parses with rg_args_parse by its rg_command
 * (usage lines, what it does, the table), and a line in COMMANDS: the
 * overview, 'reportgen help NAME' and the dispatch come from there. Give
 * it -q and -v (what they do for it in their help), and a section in
 * reportgen.1 that tests/cli_man.py will then compare with its --help. */
#include "base/base.h"
#include "batch/batch.h"
#include "pipeline/pipeline.h"
#include "fonts/fonts.h"
#include "pdf/pdf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_CODES                                                          \
    "exit codes:\n"                                                         \
    "  0   success\n"                                                       \
    "  64  usage error (bad command line)\n"                                \
    "  65  invalid definition or layout (file:line:col messages on stderr)\n" \
    "  66  input file missing or unreadable\n"                              \
    "  69  font or other dependency missing\n"                              \
    "  70  internal error, or a layout invariant broken (--check-layout)\n" \
    "  73  cannot write the output file\n"

#define ENVIRONMENT                                                         \
    "environment:\n"                                                        \
    "  SOURCE_DATE_EPOCH     document date when the definition gives none (seconds\n" \
    "                        since 1970, up to the end of 9999; else exit 64)\n" \
    "  REPORTGEN_DATADIR     folder with schema/, layouts/, fonts/ and mail/\n"

/* -------------------------------------------------------------- build */

typedef struct build_options {
    const char *output, *layout, *dump;
    int strict, stage_times, check_layout, watch, pdfa, verbosity;
} build_options;

static const rg_option BUILD_OPTIONS[] = {
    { .name = "output", .letter = 'o', .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(build_options, output, const char *), .value = "FILE",
      .help = "the PDF to write (default: the definition's name with .pdf, in the current "
              "folder; '-' for standard output; required when the definition is '-', standard "
              "input). An existing FILE that is not a regular file, or is one of the report's "
              "inputs, is never replaced (exit 73)" },
    RG_BUILD_OPTIONS(build_options, layout, pdfa, strict),
    { .name = "dump-layout", .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(build_options, dump, const char *), .value = "FILE",
      .help = "write the display list (the laid-out pages) as text ('-' for standard "
              "output); without -o no PDF is written" },
    { .name = "check-layout", .kind = RG_OPT_FLAG,
      .at = RG_OPT_AT(build_options, check_layout, int),
      .help = "check the layout's invariants (nothing outside its box, no overlaps, no word "
              "broken without a hyphen, nothing left out, no page ending with a heading); a "
              "violation is an error, exit 70" },
    { .name = "watch", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(build_options, watch, int),
      .help = "build, then build again on every save of the definition, its parts, its data "
              "or its layout file, printing each build's messages and a line with the time, "
              "e.g. '12:03:04 built rapport.pdf in 15 ms, 2 warnings'; a failed build keeps "
              "the last PDF; Ctrl-C ends it (exit 0)" },
    { .name = "stage-times", .kind = RG_OPT_FLAG,
      .at = RG_OPT_AT(build_options, stage_times, int),
      .help = "print the layout and pdf stages' times, and where the hyphenation patterns "
              "and fonts came from, on stderr (benchmarks)" },
    RG_OPT_QUIET(build_options, verbosity,
                 "print nothing but warnings and errors, which is what build does without -v"),
    RG_OPT_VERBOSE(build_options, verbosity,
                   "say on stderr what was written, and the stages' times (as --stage-times)"),
    { 0 }
};

static const rg_command BUILD = {
    "build", "DEFINITION.xml [-o OUT.pdf] [options]",
    "Turns an XML report definition into a PDF report. The PDF is written to a temporary "
    "file beside OUT.pdf and renamed into place only when everything succeeded: a failed "
    "run never creates, truncates or replaces it.\n\n"
    "A DEFINITION.xml of '-' is read from standard input, as safely as a file; its "
    "XIncludes, data files and layout file are found in the current folder, and messages "
    "name it <stdin>.",
    BUILD_OPTIONS, EXIT_CODES "\n" ENVIRONMENT
};

static void default_output(const char *input, char *out, size_t cap)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".xml")) n -= 4;
    snprintf(out, cap, "%.*s.pdf", (int)n, base);
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

/* The checks of build's command line that the table cannot make. */
static int check_build(const rg_args *a, const build_options *o)
{
    if (a->noperands == 0) return rg_args_error(a, "no definition given");
    if (a->noperands > 1)
        return rg_args_error(a, "more than one definition given: %s", a->operands[1]);
    int from_stdin = !strcmp(a->operands[0], "-");
    if (from_stdin && !o->output && !o->dump)
        return rg_args_error(a, "reading from standard input: give -o FILE or -o -");
    if (o->watch && from_stdin)
        return rg_args_error(a, "--watch needs a definition file, not standard input");
    if (o->watch && o->output && !strcmp(o->output, "-"))
        return rg_args_error(a, "--watch writes a file again and again: give -o FILE");
    if (o->output && !strcmp(o->output, "-")) {
        if (o->dump && !strcmp(o->dump, "-"))
            return rg_args_error(a, "the PDF and the display list cannot both go to standard "
                                    "output");
        if (isatty(STDOUT_FILENO))
            return rg_args_error(a, "-o - writes the PDF to standard output, which is a terminal; "
                                    "redirect it or name a file");
    }
    return RG_OK;
}

static int build(const char *input, const build_options *o)
{
    rg_paths paths;
    rg_paths_find(&paths);
    char outbuf[4096];
    const char *output = o->output;
    if (!output) {
        default_output(input, outbuf, sizeof outbuf);
        output = outbuf;
    }
    rg_build_opts bo = rg_build_defaults();
    bo.layout = o->layout;
    bo.dump = o->dump;
    bo.write_pdf = o->output || !o->dump;
    bo.pdfa = (rg_pdfa_level)o->pdfa;
    bo.strict = o->strict;
    bo.stage_times = o->stage_times || o->verbosity > 0;
    bo.check_layout |= o->check_layout;
    if (o->watch) return rg_build_watch(&paths, input, &bo, output);
    rg_ctx *ctx = rg_ctx_new(stderr);
    ctx->strict = o->strict;
    rg_build_install_signal_handlers();    /* before any thread is made */
    rg_build_use_paths(ctx, &paths);
    rg_fonts_prepare(ctx);                 /* overlaps with loading the definition */
    rg_build_schemas_ahead(ctx, &paths);   /* so does parsing the layout's schema */
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_status st = rg_build_load(ctx, &paths, input, o->layout, &doc, &style);
    if (st == RG_OK) st = rg_build_write_owned(ctx, &doc, style, &bo, output);
    if (st == RG_OK && o->verbosity > 0) {
        if (bo.write_pdf)
            fprintf(stderr, "reportgen build: wrote %s\n",
                    strcmp(output, "-") ? output : "the PDF to standard output");
        if (o->dump)
            fprintf(stderr, "reportgen build: wrote the display list to %s\n",
                    strcmp(o->dump, "-") ? o->dump : "standard output");
    }
    rg_style_free(style);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return st;
}

static int cmd_build(int argc, char **argv)
{
    build_options o = { .pdfa = RG_PDFA_2A };
    rg_args a = { 0 };
    int rc = rg_args_parse(&BUILD, argc - 1, argv + 1, &o, &a);
    if (rc == RG_OK && !a.help) rc = check_build(&a, &o);
    if (rc == RG_OK && !a.help) rc = check_environment();
    if (rc == RG_OK && !a.help) rc = build(a.operands[0], &o);
    rg_args_free(&a);
    return rc;
}

/* ----------------------------------------------------------- validate */

typedef struct validate_options {
    int verbosity;
} validate_options;

static const rg_option VALIDATE_OPTIONS[] = {
    RG_OPT_QUIET(validate_options, verbosity,
                 "print nothing for a valid definition: only warnings and errors (the exit "
                 "status says whether all were valid)"),
    RG_OPT_VERBOSE(validate_options, verbosity,
                   "say of each valid definition its period and the layout file it was checked "
                   "with"),
    { 0 }
};

static const rg_command VALIDATE = {
    "validate", "DEFINITION.xml... [options]",
    "Checks each definition, the parts it includes, its data and the layout it names "
    "against the schemas and the language's rules, as build would before laying it out; "
    "prints 'FILE: valid' on stdout for each that is. The exit status is 0 when every one "
    "is valid, 65 when one is not, else the first failure's (66: a file missing). '-' (once) "
    "is standard input, named <stdin>. A place marked <?reportgen-todo ...?> (reportgen "
    "init) that is not filled in is an error.",
    VALIDATE_OPTIONS, EXIT_CODES
};

static int cmd_validate(int argc, char **argv)
{
    validate_options o = { 0 };
    rg_args a = { 0 };
    int rc = rg_args_parse(&VALIDATE, argc - 1, argv + 1, &o, &a);
    if (rc == RG_OK && !a.help && a.noperands == 0) rc = rg_args_error(&a, "no definition given");
    for (int i = 0, seen = 0; rc == RG_OK && !a.help && i < a.noperands; i++)
        if (!strcmp(a.operands[i], "-") && seen++)
            rc = rg_args_error(&a, "standard input ('-') can be read only once");
    if (rc != RG_OK || a.help) {
        rg_args_free(&a);
        return rc;
    }
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_paths paths;
    rg_paths_find(&paths);
    int worst = RG_OK;
    for (int i = 0; i < a.noperands; i++) {
        const char *file = a.operands[i];
        rg_doc *doc = NULL;
        rg_style *style = NULL;
        rg_status st = rg_build_load(ctx, &paths, file, NULL, &doc, &style);
        if (st == RG_OK && o.verbosity > 0)
            printf("%s: valid (period %s; layout %s, %s)\n", doc->path,
                   doc->info.period_id ? doc->info.period_id : "none",
                   style->name ? style->name : "-", style->path ? style->path : "built in");
        else if (st == RG_OK && o.verbosity == 0)
            printf("%s: valid\n", doc->path);
        else if (st != RG_OK && (worst == RG_OK || st == RG_EX_DATAERR))
            worst = st;
        rg_style_free(style);
        rg_doc_free(doc);
    }
    rg_ctx_free(ctx);
    rg_args_free(&a);
    return worst;
}

/* --------------------------------------------------------------- init */

typedef struct init_options {
    const char *from, *period, *output;
    int verbosity;
} init_options;

static const rg_option INIT_OPTIONS[] = {
    { .name = "from", .kind = RG_OPT_STRING, .at = RG_OPT_AT(init_options, from, const char *),
      .value = "FILE",
      .help = "PREVIOUS: the last period's definition, which must be valid (required)" },
    { .name = "period", .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(init_options, period, const char *), .value = "ID",
      .help = "the new period's id, of PREVIOUS's form (2024-T1; default: the period after "
              "PREVIOUS's)" },
    { .name = "output", .letter = 'o', .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(init_options, output, const char *), .value = "NEW.xml",
      .help = "the definition to write (default: PREVIOUS's name with the period id moved on, "
              "beside it); an existing file is never replaced (exit 73)" },
    RG_OPT_QUIET(init_options, verbosity,
                 "print nothing but warnings and errors (not what was written)"),
    RG_OPT_VERBOSE(init_options, verbosity,
                   "also list each place marked to fill in, with its line and column in NEW"),
    { 0 }
};

static const rg_command INIT = {
    "init", "--from PREVIOUS.xml [--period ID] [-o NEW.xml] [options]",
    "Writes the next period's definition from the last one: the period's id, dates (as "
    "long as PREVIOUS's) and label (in PREVIOUS's words) moved on, the period named anew in "
    "the title, subtitle, subject and keywords, data file names that hold the period id "
    "moved on (the new CSV written with the old header row), and every figure to update "
    "marked <?reportgen-todo ...?>: values of inline datasets (emptied), datasets without "
    "records, chart alt texts, the publication date. validate and build list each mark not "
    "yet filled in as an error, with its line and column and a count. The rest of the file "
    "is kept byte for byte, and lines whose text still names the old period are pointed "
    "at. No file is ever replaced.",
    INIT_OPTIONS, EXIT_CODES
};

static int cmd_init(int argc, char **argv)
{
    init_options o = { 0 };
    rg_args a = { 0 };
    int rc = rg_args_parse(&INIT, argc - 1, argv + 1, &o, &a);
    if (rc == RG_OK && !a.help && !o.from) rc = rg_args_error(&a, "--from PREVIOUS.xml is needed");
    if (rc == RG_OK && !a.help && a.noperands > 0)
        rc = rg_args_error(&a, "init takes no operands ('%s'): give --from PREVIOUS.xml",
                           a.operands[0]);
    if (rc == RG_OK && !a.help &&
        (!strcmp(o.from, "-") || (o.output && !strcmp(o.output, "-"))))
        rc = rg_args_error(&a, "init reads and writes files, not standard input or output");
    if (rc == RG_OK && !a.help) rc = rg_init_next_period(o.from, o.period, o.output, o.verbosity);
    rg_args_free(&a);
    return rc;
}

/* -------------------------------------------------------------- reply */

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

/* Its options and help are reportgen-reply's (mail/command.c). */
static int cmd_reply(int argc, char **argv)
{
    (void)argc;
    return exec_reply(argv);
}

/* reportgen inbox runs reportgen-reply too (argv[0] "inbox" tells it
 * which); its options and help are mail/inbox.c's. */
static int cmd_inbox(int argc, char **argv)
{
    (void)argc;
    return exec_reply(argv);
}

/* ----------------------------------------------------------- commands */

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the name; returns the exit code */
    const char *summary;                 /* one line of the overview */
} command;

static const command COMMANDS[] = {
    { "build", cmd_build, "build one definition into a PDF" },
    { "validate", cmd_validate, "check definitions, their data and layouts against the schemas" },
    { "init", cmd_init, "write the next period's definition from the last one" },
    { "batch", rg_cmd_batch, "build many definitions into a folder, in parallel" },
    { "reply", cmd_reply, "answer a request e-mail with the report attached" },
    { "inbox", cmd_inbox, "answer a Maildir of requests, each once, with the period's report" },
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

static const command *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (!strcmp(COMMANDS[i].name, name)) return &COMMANDS[i];
    return NULL;
}

static void overview(FILE *out)
{
    fputs("usage: reportgen COMMAND [options] [arguments]\n"
          "       reportgen help [COMMAND]\n"
          "       reportgen --help | --version\n"
          "\n"
          "Turns XML report definitions into PDF reports.\n"
          "\n"
          "commands:\n", out);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("\n"
          "'reportgen help COMMAND' or 'reportgen COMMAND --help' shows a command's\n"
          "options. Options follow GNU conventions: --opt=VALUE or --opt VALUE,\n"
          "-oVALUE or -o VALUE, short flags bundled (-qv), '--' ends the options;\n"
          "long options are never abbreviated. Every command takes -q (quiet) and\n"
          "-v (verbose).\n"
          "\n" EXIT_CODES
          "  75  reply, inbox: a temporary failure, worth a retry ('reportgen help reply')\n"
          "\n" ENVIRONMENT, out);
}

static int unknown_command(const rg_args *a, const char *name)
{
    char list[256] = "";
    for (int i = 0; i < NCOMMANDS; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 COMMANDS[i].name);
    return rg_args_error(a, "unknown command '%s'; the commands are %s", name, list);
}

/* reportgen help [COMMAND] */
static int help(int argc, char **argv)
{
    rg_args a = { 0 };
    if (argc == 0) {
        overview(stdout);
        return RG_OK;
    }
    if (argc > 1) return rg_args_error(&a, "'help' takes one command, not '%s'", argv[1]);
    const command *c = find_command(argv[0]);
    if (!c) return unknown_command(&a, argv[0]);
    char *args[] = { (char *)c->name, "--help", NULL };
    return c->run(2, args);
}

int main(int argc, char **argv)
{
    rg_args a = { 0 };                    /* the program's own messages */
    if (argc < 2)
        return rg_args_error(&a, "no command given (build, validate, init, batch, reply or inbox)");
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        overview(stdout);
        return RG_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("reportgen %s\n", RG_VERSION);
        return RG_OK;
    }
    if (!strcmp(name, "help")) return help(argc - 2, argv + 2);
    const command *c = find_command(name);
    if (c) return c->run(argc - 1, argv + 1);
    if (name[0] == '-') return rg_args_error(&a, "unknown option %s before the command", name);
    return unknown_command(&a, name);
}
