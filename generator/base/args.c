/* base/args.c - the command-line parser and help of every subcommand (see
 * "command lines" in base/base.h). Stage: base. Table-driven: a command's
 * rg_option table says which options it has, what they store where and
 * what its help says of them; nothing here knows a command. */
#include "base.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { HELP_WIDTH = 79, HELP_COLUMN = 26, MAX_OPTIONS = 64 };

static FILE *out_of(const rg_args *a)
{
    return a && a->out ? a->out : stdout;
}

static FILE *err_of(const rg_args *a)
{
    return a && a->err ? a->err : stderr;
}

static rg_status verror(const rg_args *a, const char *fmt, va_list ap)
{
    FILE *err = err_of(a);
    const char *name = a && a->cmd ? a->cmd->name : NULL;
    fprintf(err, "reportgen%s%s: ", name ? " " : "", name ? name : "");
    vfprintf(err, fmt, ap);
    fprintf(err, "\nTry 'reportgen%s%s --help'.\n", name ? " " : "", name ? name : "");
    return RG_EX_USAGE;
}

rg_status rg_args_error(const rg_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_status st = verror(a, fmt, ap);
    va_end(ap);
    return st;
}

/* ------------------------------------------------------------- help */

/* Prints text wrapped at HELP_WIDTH, every line but the first indented by
 * indent (the first starts at column col, where the caller left off). A
 * blank line ("\n\n") starts a new paragraph. */
static void wrap(FILE *out, const char *text, int col, int indent)
{
    const char *p = text;
    int at_start = 1;
    while (*p) {
        if (*p == '\n') {                     /* a paragraph break */
            fputc('\n', out);
            while (*p == '\n') p++;
            if (*p) fprintf(out, "\n%*s", indent, "");
            col = indent;
            at_start = 1;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t n = strcspn(p, " \n");
        if (!at_start && col + 1 + (int)n > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
            at_start = 1;
        }
        if (!at_start) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += (int)n;
        p += n;
        at_start = 0;
    }
    fputc('\n', out);
}

/* "-o, --output=FILE" or "    --layout=NAME|FILE" into buf. */
static void spelling(const rg_option *o, char *buf, size_t cap)
{
    char value[64] = "";
    if (o->kind != RG_OPT_FLAG) snprintf(value, sizeof value, "=%s", o->value ? o->value : "VALUE");
    if (o->letter)
        snprintf(buf, cap, "-%c, --%s%s", o->letter, o->name, value);
    else
        snprintf(buf, cap, "    --%s%s", o->name, value);
}

/* "off, 1b, 2b, 2u or 2a" into buf. */
static void choice_list(const char *const *choices, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; choices[k] && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s",
                              k == 0 ? "" : choices[k + 1] ? ", " : " or ", choices[k]);
}

/* The option's help with what the table says of its values added. */
static void option_help(const rg_option *o, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "%s", o->help ? o->help : "");
    if (n >= cap) return;
    const char *value = o->value ? o->value : "VALUE";
    char list[512];
    if (o->kind == RG_OPT_INT) {
        snprintf(buf + n, cap - n, "; %s is a whole number from %d to %d", value, o->min, o->max);
    } else if (o->kind == RG_OPT_CHOICE) {
        choice_list(o->choices, list, sizeof list);
        snprintf(buf + n, cap - n, "; %s is %s", value, list);
    }
}

static void print_option(FILE *out, const char *spelled, const char *help)
{
    int col = fprintf(out, "  %s", spelled);
    if (col + 2 > HELP_COLUMN) {
        fprintf(out, "\n%*s", HELP_COLUMN, "");
    } else {
        fprintf(out, "%*s", HELP_COLUMN - col, "");
    }
    wrap(out, help, HELP_COLUMN, HELP_COLUMN);
}

void rg_args_help(const rg_command *cmd, FILE *out)
{
    const char *form = cmd->synopsis ? cmd->synopsis : "";
    for (int first = 1;; first = 0) {
        size_t n = strcspn(form, "\n");
        fprintf(out, "%s reportgen %s %.*s\n", first ? "usage:" : "      ", cmd->name, (int)n,
                form);
        if (!form[n]) break;
        form += n + 1;
    }
    if (cmd->about) {
        fputc('\n', out);
        wrap(out, cmd->about, 0, 0);
    }
    fputs("\noptions:\n", out);
    char spelled[128], help[1024];
    for (const rg_option *o = cmd->options; o && o->name; o++) {
        spelling(o, spelled, sizeof spelled);
        option_help(o, help, sizeof help);
        print_option(out, spelled, help);
    }
    print_option(out, "-h, --help", "show this help and exit");
    if (cmd->epilogue) {
        fputc('\n', out);
        fputs(cmd->epilogue, out);
    }
}

/* ----------------------------------------------------------- parsing */

typedef struct parser {
    const rg_command *cmd;
    rg_args *a;
    void *opts;
    unsigned char given[MAX_OPTIONS];  /* value options seen, by table index */
} parser;

static const rg_option *by_name(const rg_command *cmd, const char *name, size_t n)
{
    for (const rg_option *o = cmd->options; o && o->name; o++)
        if (strlen(o->name) == n && !strncmp(o->name, name, n)) return o;
    return NULL;
}

static const rg_option *by_letter(const rg_command *cmd, char c)
{
    for (const rg_option *o = cmd->options; o && o->name; o++)
        if (o->letter == c) return o;
    return NULL;
}

/* "--out" is no option; say which one it abbreviates, if only one does. */
static rg_status unknown_long(const parser *p, const char *name, size_t n)
{
    const char *only = NULL;
    int count = 0;
    if (n > 0 && n < 4 && !strncmp("help", name, n)) {
        only = "help";
        count++;
    }
    for (const rg_option *o = p->cmd->options; o && o->name; o++)
        if (n > 0 && strlen(o->name) > n && !strncmp(o->name, name, n)) {
            only = o->name;
            count++;
        }
    if (count == 1)
        return rg_args_error(p->a, "unknown option --%.*s (did you mean --%s? long options "
                                   "are never abbreviated)", (int)n, name, only);
    return rg_args_error(p->a, "unknown option --%.*s", (int)n, name);
}

static rg_status missing_value(const parser *p, const rg_option *o, const char *shown)
{
    return rg_args_error(p->a, "%s needs a value: %s %s", shown, shown,
                         o->value ? o->value : "VALUE");
}

/* A whole number, decimal, optionally negative; nothing else around it. */
static int parse_int(const char *s, int min, int max, int *out)
{
    const char *digits = s[0] == '-' ? s + 1 : s;
    if (*digits < '0' || *digits > '9') return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno == ERANGE || v < min || v > max) return -1;
    *out = (int)v;
    return 0;
}

/* Stores value (NULL for a flag) for o, which the user spelled as shown
 * ("--jobs", "-j"). */
static rg_status store(parser *p, const rg_option *o, const char *shown, const char *value)
{
    char *field = (char *)p->opts + o->at;
    size_t index = (size_t)(o - p->cmd->options);
    if (o->kind == RG_OPT_FLAG) {
        int v = o->flag ? o->flag : 1;
        memcpy(field, &v, sizeof v);
        return RG_OK;
    }
    if (p->given[index]) return rg_args_error(p->a, "%s given twice", shown);
    p->given[index] = 1;
    if (o->kind == RG_OPT_STRING) {
        memcpy(field, &value, sizeof value);
        return RG_OK;
    }
    int v = -1;
    if (o->kind == RG_OPT_INT) {
        if (parse_int(value, o->min, o->max, &v) != 0)
            return rg_args_error(p->a, "%s takes a whole number from %d to %d, not '%s'", shown,
                                 o->min, o->max, value);
    } else {
        for (int k = 0; o->choices[k] && v < 0; k++)
            if (!strcmp(value, o->choices[k])) v = k;
        if (v < 0) {
            char list[512];
            choice_list(o->choices, list, sizeof list);
            return rg_args_error(p->a, "%s takes %s, not '%s'", shown, list, value);
        }
    }
    memcpy(field, &v, sizeof v);
    return RG_OK;
}

static rg_status help(parser *p)
{
    rg_args_help(p->cmd, out_of(p->a));
    p->a->help = 1;
    return RG_OK;
}

/* argv[*i] is "--name" or "--name=value". */
static rg_status long_option(parser *p, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *name = arg + 2, *eq = strchr(name, '=');
    size_t n = eq ? (size_t)(eq - name) : strlen(name);
    char shown[128];
    snprintf(shown, sizeof shown, "--%.*s", (int)(n < 100 ? n : 100), name);
    if (n == 4 && !strncmp(name, "help", 4)) {
        if (eq) return rg_args_error(p->a, "--help takes no value");
        return help(p);
    }
    const rg_option *o = by_name(p->cmd, name, n);
    if (!o) return unknown_long(p, name, n);
    if (o->kind == RG_OPT_FLAG) {
        if (eq) return rg_args_error(p->a, "%s takes no value", shown);
        return store(p, o, shown, NULL);
    }
    if (eq) return store(p, o, shown, eq + 1);
    if (*i + 1 >= argc) return missing_value(p, o, shown);
    return store(p, o, shown, argv[++*i]);
}

/* argv[*i] is "-x", "-xyz" (flags) or "-oVALUE". */
static rg_status short_options(parser *p, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    for (const char *c = arg + 1; *c; c++) {
        char shown[3] = { '-', *c, 0 };
        if (*c == 'h') return help(p);
        const rg_option *o = by_letter(p->cmd, *c);
        if (!o) {
            if (c == arg + 1 && !c[1]) return rg_args_error(p->a, "unknown option %s", shown);
            return rg_args_error(p->a, "unknown option %s (in %s)", shown, arg);
        }
        if (o->kind == RG_OPT_FLAG) {
            rg_status st = store(p, o, shown, NULL);
            if (st != RG_OK) return st;
            continue;
        }
        if (c[1]) return store(p, o, shown, c + 1);
        if (*i + 1 >= argc) return missing_value(p, o, shown);
        return store(p, o, shown, argv[++*i]);
    }
    return RG_OK;
}

rg_status rg_args_parse(const rg_command *cmd, int argc, char **argv, void *opts, rg_args *a)
{
    a->cmd = cmd;
    a->operands = rg_xcalloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *a->operands);
    a->noperands = 0;
    a->help = 0;
    parser p = { cmd, a, opts, { 0 } };
    int count = 0;
    for (const rg_option *o = cmd->options; o && o->name; o++) count++;
    if (count > MAX_OPTIONS) return rg_args_error(a, "too many options in its table (internal)");
    int only_operands = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        rg_status st = RG_OK;
        if (only_operands || arg[0] != '-' || !arg[1]) {
            a->operands[a->noperands++] = argv[i];
        } else if (!strcmp(arg, "--")) {
            only_operands = 1;
        } else if (arg[1] == '-') {
            st = long_option(&p, argc, argv, &i);
        } else {
            st = short_options(&p, argc, argv, &i);
        }
        if (st != RG_OK || a->help) return st;
    }
    return RG_OK;
}

void rg_args_free(rg_args *a)
{
    free(a->operands);
    a->operands = NULL;
    a->noperands = 0;
}
