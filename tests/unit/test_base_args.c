/* test_base_args.c - base/args.c, the one command-line parser: values four
 * ways (--a=b, --a b, -ab, -a b), bundled short flags, "--" and "-",
 * missing values, unknown options, numbers and their ranges, choices,
 * options given twice, and help made from the table. */
#include "base/base.h"
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct topts {
    const char *output, *layout;
    int force, verbosity, jobs, pdfa;
} topts;

static const char *const LEVELS[] = { "off", "1b", "2b", "2u", "2a", NULL };

static const rg_option OPTIONS[] = {
    { .name = "output", .letter = 'o', .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(topts, output, const char *), .value = "FILE",
      .help = "the file to write" },
    { .name = "layout", .kind = RG_OPT_STRING, .at = RG_OPT_AT(topts, layout, const char *),
      .value = "NAME", .help = "a house style" },
    { .name = "force", .letter = 'f', .kind = RG_OPT_FLAG, .at = RG_OPT_AT(topts, force, int),
      .help = "build everything" },
    { .name = "quiet", .letter = 'q', .kind = RG_OPT_FLAG, .flag = -1,
      .at = RG_OPT_AT(topts, verbosity, int), .help = "say less" },
    { .name = "verbose", .letter = 'v', .kind = RG_OPT_FLAG, .flag = 1,
      .at = RG_OPT_AT(topts, verbosity, int), .help = "say more" },
    { .name = "jobs", .letter = 'j', .kind = RG_OPT_INT, .at = RG_OPT_AT(topts, jobs, int),
      .value = "N", .min = 1, .max = 64, .help = "workers" },
    { .name = "pdfa", .kind = RG_OPT_CHOICE, .at = RG_OPT_AT(topts, pdfa, int),
      .value = "LEVEL", .choices = LEVELS,
      .help = "PDF/A conformance, a help text long enough to be wrapped over more than one "
              "line of the help, which is 79 columns wide" },
    { 0 }
};

static const rg_command CMD = { "test", "FILE... [options]\n--other-form",
                                "Tests the parser.", OPTIONS, "exit codes: none\n" };

/* What one parse gave: status, options, operands, what it printed. */
typedef struct result {
    rg_status st;
    topts o;
    rg_args a;
    char *out, *err;
    size_t out_len, err_len;
} result;

/* Parses the NULL-terminated arguments. */
static result parse(const char *first, ...)
{
    static char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s && argc < 31; s = va_arg(ap, const char *))
        argv[argc++] = (char *)s;
    va_end(ap);
    argv[argc] = NULL;
    result r;
    memset(&r, 0, sizeof r);
    r.o.pdfa = 4;
    r.a.out = open_memstream(&r.out, &r.out_len);
    r.a.err = open_memstream(&r.err, &r.err_len);
    r.st = rg_args_parse(&CMD, argc, argv, &r.o, &r.a);
    fclose(r.a.out);
    fclose(r.a.err);
    return r;
}

static void done(result *r)
{
    rg_args_free(&r->a);
    free(r->out);
    free(r->err);
}

TEST(args_long_options_take_values_with_or_without_equals)
{
    result r = parse("--output=x.pdf", "def.xml", "--layout", "plain", NULL);
    CHECK(r.st == RG_OK);
    CHECK_STR(r.o.output, "x.pdf");
    CHECK_STR(r.o.layout, "plain");
    CHECK(r.a.noperands == 1);
    CHECK_STR(r.a.operands[0], "def.xml");
    CHECK(r.err_len == 0);
    done(&r);
    r = parse("--output=", NULL);                 /* an empty value is a value */
    CHECK(r.st == RG_OK);
    CHECK_STR(r.o.output, "");
    done(&r);
}

TEST(args_short_options_take_attached_or_separate_values)
{
    result r = parse("-ox.pdf", NULL);
    CHECK(r.st == RG_OK);
    CHECK_STR(r.o.output, "x.pdf");
    done(&r);
    r = parse("-o", "x.pdf", NULL);
    CHECK(r.st == RG_OK);
    CHECK_STR(r.o.output, "x.pdf");
    CHECK(r.a.noperands == 0);
    done(&r);
    r = parse("-o", "-", NULL);                    /* "-" is a value like any other */
    CHECK(r.st == RG_OK);
    CHECK_STR(r.o.output, "-");
    done(&r);
}

TEST(args_short_flags_bundle_and_the_last_may_take_a_value)
{
    result r = parse("-fq", NULL);
    CHECK(r.st == RG_OK);
    CHECK(r.o.force == 1 && r.o.verbosity == -1);
    done(&r);
    r = parse("-qfj4", NULL);
    CHECK(r.st == RG_OK);
    CHECK(r.o.force == 1 && r.o.verbosity == -1 && r.o.jobs == 4);
    done(&r);
    r = parse("-fo", "out.pdf", "in.xml", NULL);
    CHECK(r.st == RG_OK);
    CHECK(r.o.force == 1);
    CHECK_STR(r.o.output, "out.pdf");
    CHECK(r.a.noperands == 1 && !strcmp(r.a.operands[0], "in.xml"));
    done(&r);
    r = parse("-q", "-v", NULL);                   /* flags of one field: the last counts */
    CHECK(r.st == RG_OK && r.o.verbosity == 1);
    done(&r);
}

TEST(args_double_dash_ends_options_and_a_lone_dash_is_an_operand)
{
    result r = parse("a.xml", "-f", "--", "-odd-name.xml", "--force", "-", NULL);
    CHECK(r.st == RG_OK);
    CHECK(r.o.force == 1);
    CHECK(r.o.output == NULL);
    CHECK(r.a.noperands == 4);
    if (r.a.noperands == 4) {
        CHECK_STR(r.a.operands[0], "a.xml");
        CHECK_STR(r.a.operands[1], "-odd-name.xml");
        CHECK_STR(r.a.operands[2], "--force");
        CHECK_STR(r.a.operands[3], "-");
    }
    done(&r);
    r = parse("-", NULL);
    CHECK(r.st == RG_OK && r.a.noperands == 1 && !strcmp(r.a.operands[0], "-"));
    done(&r);
}

TEST(args_a_missing_value_is_a_usage_error_naming_option_and_command)
{
    result r = parse("in.xml", "-o", NULL);
    CHECK(r.st == RG_EX_USAGE);
    CHECK(r.err && strstr(r.err, "reportgen test: -o needs a value: -o FILE"));
    CHECK(r.err && strstr(r.err, "Try 'reportgen test --help'."));
    done(&r);
    r = parse("--output", NULL);
    CHECK(r.st == RG_EX_USAGE);
    CHECK(r.err && strstr(r.err, "--output needs a value"));
    done(&r);
    r = parse("-fj", NULL);
    CHECK(r.st == RG_EX_USAGE);
    CHECK(r.err && strstr(r.err, "-j needs a value"));
    done(&r);
}

TEST(args_unknown_options_are_usage_errors)
{
    result r = parse("--bogus", NULL);
    CHECK(r.st == RG_EX_USAGE);
    CHECK(r.err && strstr(r.err, "reportgen test: unknown option --bogus\n"));
    CHECK(r.err && strstr(r.err, "Try 'reportgen test --help'."));
    CHECK(r.out_len == 0);
    done(&r);
    r = parse("--bogus=1", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "unknown option --bogus\n"));
    done(&r);
    r = parse("-x", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "unknown option -x\n"));
    done(&r);
    r = parse("-fx", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "unknown option -x (in -fx)"));
    done(&r);
    r = parse("--force=yes", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "--force takes no value"));
    done(&r);
}

TEST(args_long_options_are_never_abbreviated_but_the_message_says_which)
{
    result r = parse("--out", "x.pdf", NULL);
    CHECK(r.st == RG_EX_USAGE);
    CHECK(r.err && strstr(r.err, "unknown option --out (did you mean --output?"));
    CHECK(r.o.output == NULL);
    done(&r);
    r = parse("--hel", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "did you mean --help?"));
    CHECK(!r.a.help);
    done(&r);
}

TEST(args_numbers_are_checked_against_their_range)
{
    static const char *const bad[] = { "0", "abc", "99999", "-1", "", "4x", " 4", "+4",
                                       "99999999999999999999", NULL };
    for (int i = 0; bad[i]; i++) {
        result r = parse("-j", bad[i], NULL);
        CHECK(r.st == RG_EX_USAGE);
        char want[128];
        snprintf(want, sizeof want, "reportgen test: -j takes a whole number from 1 to 64, not '%s'",
                 bad[i]);
        CHECK(r.err && strstr(r.err, want));
        CHECK(r.o.jobs == 0);
        done(&r);
    }
    result r = parse("--jobs=64", NULL);
    CHECK(r.st == RG_OK && r.o.jobs == 64);
    done(&r);
    r = parse("--jobs=0", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "--jobs takes a whole number"));
    done(&r);
    r = parse("-j1", NULL);
    CHECK(r.st == RG_OK && r.o.jobs == 1);
    done(&r);
}

TEST(args_choices_are_checked_and_listed)
{
    result r = parse("--pdfa", "2b", NULL);
    CHECK(r.st == RG_OK && r.o.pdfa == 2);
    done(&r);
    r = parse("--pdfa=off", NULL);
    CHECK(r.st == RG_OK && r.o.pdfa == 0);
    done(&r);
    r = parse("--pdfa=3x", NULL);
    CHECK(r.st == RG_EX_USAGE);
    CHECK(r.err && strstr(r.err, "--pdfa takes off, 1b, 2b, 2u or 2a, not '3x'"));
    CHECK(r.o.pdfa == 4);
    done(&r);
}

TEST(args_a_value_option_given_twice_is_refused)
{
    result r = parse("-o", "a.pdf", "--output=b.pdf", NULL);
    CHECK(r.st == RG_EX_USAGE && r.err && strstr(r.err, "--output given twice"));
    done(&r);
    r = parse("-f", "--force", NULL);              /* a flag twice is the flag */
    CHECK(r.st == RG_OK && r.o.force == 1);
    done(&r);
}

TEST(args_help_is_printed_from_the_table)
{
    result r = parse("in.xml", "--help", "--bogus", NULL);
    CHECK(r.st == RG_OK && r.a.help);
    CHECK(r.err_len == 0);
    CHECK(r.out && !strncmp(r.out, "usage: reportgen test FILE... [options]\n"
                                   "       reportgen test --other-form\n", 70));
    for (const rg_option *o = OPTIONS; o->name; o++) {
        char want[64];
        snprintf(want, sizeof want, "--%s", o->name);
        CHECK(r.out && strstr(r.out, want));
    }
    CHECK(r.out && strstr(r.out, "  -o, --output=FILE       the file to write\n"));
    CHECK(r.out && strstr(r.out, "      --layout=NAME       a house style\n"));
    CHECK(r.out && strstr(r.out, "  -f, --force             build everything\n"));
    CHECK(r.out && strstr(r.out, "N is a whole number from 1 to 64"));
    CHECK(r.out && strstr(r.out, "LEVEL is off, 1b, 2b, 2u or 2a"));
    CHECK(r.out && strstr(r.out, "  -h, --help "));
    CHECK(r.out && strstr(r.out, "\nexit codes: none\n"));
    int longest = 0;
    for (const char *p = r.out; p && *p;) {
        int n = (int)strcspn(p, "\n");
        if (n > longest) longest = n;
        p += n + (p[n] == '\n');
    }
    CHECK(longest <= 79);
    done(&r);
    r = parse("-qh", NULL);
    CHECK(r.st == RG_OK && r.a.help && r.out_len > 0);
    done(&r);
}

TEST(args_error_after_parsing_names_the_command)
{
    rg_args a;
    memset(&a, 0, sizeof a);
    char *err = NULL;
    size_t len = 0;
    a.cmd = &CMD;
    a.err = open_memstream(&err, &len);
    CHECK(rg_args_error(&a, "no %s given", "definition") == RG_EX_USAGE);
    fclose(a.err);
    CHECK_STR(err, "reportgen test: no definition given\nTry 'reportgen test --help'.\n");
    free(err);
    a.cmd = NULL;
    err = NULL;
    a.err = open_memstream(&err, &len);
    rg_args_error(&a, "unknown command 'x'");
    fclose(a.err);
    CHECK_STR(err, "reportgen: unknown command 'x'\nTry 'reportgen --help'.\n");
    free(err);
}
