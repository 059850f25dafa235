/* main.c - the reportgen command line. Stage: cli. Parses subcommands and
 * options, runs load -> layout -> pdf, and maps failures to exit codes.
 * Output is written to a temporary file in the target folder and renamed
 * only on success, so a failed run never touches the previous PDF. */
#include "base.h"
#include "fonts.h"
#include "layout.h"
#include "load.h"
#include "paths.h"
#include "pdf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: reportgen build DEFINITION.xml [-o OUT.pdf] [options]\n"
    "       reportgen validate DEFINITION.xml...\n"
    "       reportgen --help | --version\n"
    "\n"
    "Turns an XML report definition into a PDF report.\n"
    "\n"
    "build options:\n"
    "  -o, --output FILE     PDF to write (default: the definition's name with .pdf)\n"
    "  --layout NAME|FILE    house style to use instead of the definition's layout\n"
    "  --dump-layout FILE    write the display list as text ('-' for stdout);\n"
    "                        without -o no PDF is written\n"
    "  --strict              treat warnings that matter as errors\n"
    "  --pdfa=LEVEL          PDF/A conformance: off, 1b, 2b, 2u or 2a (default 2a:\n"
    "                        archivable and tagged for accessibility, PDF/UA-1)\n"
    "\n"
    "validate checks each definition (and the layout it names) against the schemas.\n"
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
    "  SOURCE_DATE_EPOCH     document date when the definition gives none\n"
    "  REPORTGEN_DATADIR     folder with schema/, layouts/ and fonts/\n";

typedef struct options {
    const char *input;
    const char *output;
    const char *layout;
    const char *dump;
    int strict;
    rg_pdfa_level pdfa;
    int tagged;
} options;

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "reportgen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'reportgen --help'.\n", stderr);
    return RG_EX_USAGE;
}

static void dirname_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, cap, ".");
    else if (slash == path) snprintf(out, cap, "/");
    else snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/* Loads a definition and the layout it names (or the override). */
static rg_status load_all(rg_ctx *ctx, const rg_paths *paths, const char *input,
                          const char *layout_override, rg_doc **doc, rg_style **style)
{
    *style = NULL;
    rg_status st = rg_load_definition(ctx, input, paths->schema, doc);
    if (st != RG_OK) return st;
    const char *ref = layout_override ? layout_override
                                      : ((*doc)->layout ? (*doc)->layout : "logius");
    char dir[4096], layout_path[8400];
    dirname_of(input, dir, sizeof dir);
    rg_paths_layout(paths, ref, layout_override ? NULL : dir, layout_path, sizeof layout_path);
    st = rg_load_layout(ctx, layout_path, paths->layout_schema, style);
    if (st != RG_OK) {
        rg_doc_free(*doc);
        *doc = NULL;
    }
    return st;
}

/* SOURCE_DATE_EPOCH stands in for a date the definition does not give. */
static void apply_source_date(const rg_doc *doc, rg_dl *dl)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (doc->info.date.year || !sde || !*sde) return;
    char *end;
    long long t = strtoll(sde, &end, 10);
    if (*end || t < 0) return;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) return;
    dl->meta.year = tm.tm_year + 1900;
    dl->meta.month = tm.tm_mon + 1;
    dl->meta.day = tm.tm_mday;
    dl->meta.hour = tm.tm_hour;
    dl->meta.minute = tm.tm_min;
    dl->meta.second = tm.tm_sec;
}

static rg_status write_dump(rg_ctx *ctx, const rg_dl *dl, const char *path)
{
    if (!strcmp(path, "-")) {
        rg_dl_dump(dl, stdout);
        return fflush(stdout) == 0 ? RG_OK : RG_EX_CANTCREAT;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        return RG_EX_CANTCREAT;
    }
    rg_dl_dump(dl, f);
    if (fclose(f) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        return RG_EX_CANTCREAT;
    }
    return RG_OK;
}

/* Writes the PDF beside the target and renames it into place on success. */
static rg_status write_pdf_atomically(rg_ctx *ctx, const rg_dl *dl,
                                      const rg_pdf_opts *pdf_opts, const char *output)
{
    struct stat sb;
    if (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rg_diag(ctx, RG_SEV_ERROR, output, 0, 0, "cannot write: is a directory");
        return RG_EX_CANTCREAT;
    }
    char dir[4096], tmp[4200];
    dirname_of(output, dir, sizeof dir);
    snprintf(tmp, sizeof tmp, "%s/.reportgen-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rg_diag(ctx, RG_SEV_ERROR, output, 0, 0, "cannot write: %s", strerror(errno));
        return RG_EX_CANTCREAT;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    rg_pdf_opts po = *pdf_opts;
    po.name = output;
    rg_status st = rg_pdf_write(ctx, dl, &po, tmp);
    if (st == RG_OK && rename(tmp, output) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, output, 0, 0, "cannot write: %s", strerror(errno));
        st = RG_EX_CANTCREAT;
    }
    if (st != RG_OK) unlink(tmp);
    return st;
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
    rg_fonts_add_dir(ctx, paths.fonts);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_dl *dl = NULL;
    char outbuf[4096];
    rg_status st = load_all(ctx, &paths, o->input, o->layout, &doc, &style);
    if (st == RG_OK) st = rg_layout(ctx, doc, style, &dl);
    if (st == RG_OK && ctx->strict && ctx->warnings) {
        rg_diag(ctx, RG_SEV_ERROR, o->input, 0, 0, "warnings are errors with --strict");
        st = RG_EX_DATAERR;
    }
    if (st == RG_OK) {
        apply_source_date(doc, dl);
        if (o->dump) st = write_dump(ctx, dl, o->dump);
    }
    if (st == RG_OK && (o->output || !o->dump)) {
        const char *output = o->output;
        if (!output) {
            default_output(o->input, outbuf, sizeof outbuf);
            output = outbuf;
        }
        rg_pdf_opts po = { o->pdfa, o->tagged && dl->nelems > 0, NULL };
        st = write_pdf_atomically(ctx, dl, &po, output);
    }
    rg_dl_free(dl);
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
        rg_status st = load_all(ctx, &paths, files[i], NULL, &doc, &style);
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
    return RG_OK;
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
        return rc != RG_OK ? rc : cmd_build(&o);
    }
    if (!strcmp(cmd, "validate")) {
        if (argc < 3) return usage_error("no definition given", NULL);
        for (int i = 2; i < argc; i++)
            if (argv[i][0] == '-' && argv[i][1]) return usage_error("unknown option", argv[i]);
        return cmd_validate(argv + 2, argc - 2);
    }
    return usage_error("unknown command", cmd);
}
