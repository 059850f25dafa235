/* batch/batch.c - reportgen batch: many definitions in one run (see batch.h).
 * Stage: batch.
 *
 * Jobs are the definitions named on the command line or found (*.xml) in
 * the folders named there, sorted by path. Workers (-j, default: the
 * number of cores) take jobs in order; each has its own context but they
 * share one font cache, so faces are found and parsed once per process. A
 * job loads its definition (for the period id and the input hash), then
 * either skips it (period not selected; inputs unchanged since the PDF was
 * written) or lays it out and writes its PDF atomically.
 *
 * The output folder may be shared by batches running side by side (on
 * one machine or, as shards, on several): what each report was built from
 * is kept in the manifest (manifest.h: its format, manifest.c), a line
 * appended and fsync'd as each report finishes; a run takes the claim on
 * an output before building it, so two runs never write one at once and
 * the second finds it recorded once it gets the claim (claims.c).
 *
 * With --period, the jobs are first only loaded, for their period ids (by
 * the workers, in parallel), so that an id or range that matches no
 * definition is a usage error before anything is built or written; then
 * the selected ones are loaded again and built. With --shard, that first
 * pass also loads the other shares' definitions for their output names
 * (kept as b->others), so that a shard refuses a name another share's
 * definition writes as a batch without --shard refuses one of its own.
 *
 * Progress goes to stderr, and only when it is a terminal (as git's
 * does): a line redrawn in place with the counts and, once a report has
 * finished, an ETA; every other line of the batch goes through the
 * progress stream so that none is glued onto it (progress.h). -v adds a
 * line per report. The summary line is the result and goes to stdout. */
#include "batch.h"
#include "manifest.h"
#include "progress.h"

#include "base/base.h"
#include "pipeline/pipeline.h"
#include "fonts/fonts.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_NAME "{slug}-{period}.pdf"

enum { MAX_JOBS = 100000, MAX_WORKERS = 64, NAME_MAX_LEN = 200 };

typedef enum {
    JOB_PENDING, JOB_BUILT, JOB_UNCHANGED, JOB_FAILED, JOB_SKIPPED,
    JOB_LISTED                     /* --list: its line made, nothing built */
} job_state;

typedef struct job {
    char *def;                     /* definition path */
    char *rel;                     /* its path relative to the batch root (the share's key) */
    char *listed;                  /* --list: its JSON line */
    rg_file_id def_id;             /* the definition file, which no output may replace */
    char name[NAME_MAX_LEN + 1];   /* output file name (no folder) */
    char *period;                  /* its period id once read (--period); NULL: none */
    uint64_t hash;                 /* input hash */
    job_state state;
    rg_status status;
} job;

/* The options as the command line gives them (BATCH_OPTIONS). */
typedef struct batch_options {
    const char *outdir;
    const char *pattern;
    const char *periods;           /* "A,B" or "A..B", or NULL */
    const char *layout;
    const char *shard;             /* "K/N", or NULL */
    const char *merge;             /* --merge OUTDIR: the operands are the folders to merge */
    int workers, force, strict, pdfa, verbosity, list;
} batch_options;

typedef struct batch {
    batch_options opt;
    rg_build_opts build;
    unsigned shard_k, shard_n;     /* this run's share, K of N (1 of 1 without --shard) */
    char *root;                    /* the batch root: the deepest folder holding every operand */
    /* work */
    job *jobs;
    size_t njobs, jobs_cap;
    job *others;                   /* --shard: the other shares' selected jobs, named */
    size_t nothers, others_cap;
    size_t unnamed;                /* --shard: other shares' jobs that could not be named */
    atomic_size_t next;
    int scanning;                  /* the workers only read the jobs' period ids */
    int nworkers;
    rg_file_id *def_ids;           /* every job's definition (every share's), sorted */
    size_t ndef_ids;
    char *outdir_real;             /* the output folder as realpath gives it */
    manifest *manifest;
    rg_status manifest_status;     /* the first failure to record a report (b->lock) */
    rg_ctx *fonts_owner;           /* holds the shared font cache */
    rg_paths paths;
    pthread_mutex_t lock;          /* counters, names, times */
    size_t done, built, unchanged, failed, skipped, scanned;
    double busy;                   /* seconds the jobs loaded so far took, summed */
    size_t timed;                  /* how many jobs that is */
    progress *progress;            /* the progress line; its stream gets every message */
    FILE *err;                     /* progress_stream(progress) */
    struct timespec start;
} batch;

/* ------------------------------------------------------------ options */

static const rg_option BATCH_OPTIONS[] = {
    { .name = "output", .letter = 'o', .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(batch_options, outdir, const char *), .value = "DIR",
      .help = "the folder to write the PDFs and the manifest (.reportgen-batch) into, made "
              "with its parents when missing; required, except with --list or --merge" },
    { .name = "jobs", .letter = 'j', .kind = RG_OPT_INT,
      .at = RG_OPT_AT(batch_options, workers, int), .value = "N", .min = 1, .max = MAX_WORKERS,
      .help = "build N reports at a time (default: the number of cores)" },
    { .name = "period", .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(batch_options, periods, const char *), .value = "LIST|FROM..TO",
      .help = "build only the reports of these periods: ids separated by commas "
              "(2023-T1,2023-T2), or a range FROM..TO with both ends included and either "
              "one left out (ids compare as text: 2022-T3 comes before 2023-T1). An id or "
              "range that matches no definition is an error (exit 64) that lists the "
              "periods there are, and nothing is built" },
    { .name = "name", .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(batch_options, pattern, const char *), .value = "PATTERN",
      .help = "the PDFs' file names (default " DEFAULT_NAME "), with the fields {slug} (the "
              "title's first word, lowercased), {period} (the period id) and {name} (the "
              "definition's file name without .xml); characters other than letters, digits, "
              "'.', '_' and '-' become '-'" },
    { .name = "shard", .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(batch_options, shard, const char *), .value = "K/N",
      .help = "build only the K-th of N shares of the definitions (1 <= K <= N), so that N "
              "machines or processes split a batch without talking: a definition's share is "
              "the 64-bit FNV-1a hash of its path relative to the batch root (the deepest "
              "folder holding every folder and file named; '/' separators, UTF-8 bytes) mod "
              "N, plus 1. --period is checked against every definition, as without --shard, and "
              "the other shares' definitions are loaded for their output names: a name one of "
              "them also writes is refused by both shards (exit 65), so neither is built" },
    { .name = "list", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(batch_options, list, int),
      .help = "print what would be built (after --period and --shard) as JSON lines on "
              "stdout, one per report: {\"reportgen_list\":1,\"definition\":...,\"period\":..."
              ",\"output\":...,\"hash\":...}, definition relative to the batch root, hash the "
              "input hash the manifest would record (give the same --layout, --pdfa and "
              "SOURCE_DATE_EPOCH as the build); loads the definitions but builds and writes "
              "nothing; -o is not needed" },
    { .name = "merge", .kind = RG_OPT_STRING,
      .at = RG_OPT_AT(batch_options, merge, const char *), .value = "OUTDIR",
      .help = "instead of building: combine the output folders named as operands (shards "
              "built into folders of their own) into OUTDIR: their PDFs (each written to a "
              "temporary file and renamed) and their manifests (the last line per output). "
              "A PDF of one name with different input hashes in two folders, or a file in "
              "OUTDIR that its manifest does not record, is an error and nothing is merged. "
              "Merging again changes nothing" },
    { .name = "force", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(batch_options, force, int),
      .help = "build every selected report, also those whose inputs did not change since "
              "their PDF was written" },
    RG_BUILD_OPTIONS(batch_options, layout, pdfa, strict),
    RG_OPT_QUIET(batch_options, verbosity,
                 "no progress line: only warnings, errors and the summary line"),
    RG_OPT_VERBOSE(batch_options, verbosity,
                   "a line on stderr for each report as it finishes (built, unchanged or failed; "
                   "its PDF; the seconds it took), also when stderr is not a terminal"),
    { 0 }
};

static const rg_command BATCH = {
    "batch", "DIR|DEFINITION.xml... -o OUTDIR [options]  |  --merge OUTDIR DIR...",
    "Builds many definitions (files, or the *.xml files of folders) into OUTDIR, in "
    "parallel, with workers that share one font cache. A report whose input files "
    "(definition, parts, data, layout, schemas) and options did not change since its PDF "
    "was written is skipped unless --force. What each report was built from is kept in the "
    "manifest, OUTDIR/.reportgen-batch (JSON lines); batches may write into one folder at "
    "the same time. A failure does not stop the others. --shard K/N splits a batch among N "
    "machines that do not talk to each other; --list says what one would build; --merge "
    "combines the folders of shards that wrote into their own (docs/scale-out/).\n\n"
    "When stderr is a terminal, a progress line there counts the reports done and, once "
    "one has finished, estimates the time left (the reports left times the mean time of "
    "one, divided by the workers); when it is not, there is none (as with git). The "
    "summary line ('batch: 6 built, 0 unchanged, 1 failed ...') goes to stdout.",
    BATCH_OPTIONS,
    "exit codes: 0 when nothing failed, else the first failure's:\n"
    "  64  usage error; also a --period that matches no definition, an unknown --name field\n"
    "  65  an invalid definition or layout (file:line:col messages on stderr); --merge: a\n"
    "      PDF of one name built from different inputs in two folders\n"
    "  66  an input missing or unreadable\n"
    "  69  a font or other dependency missing\n"
    "  70  internal error, or a layout invariant broken\n"
    "  73  an output that cannot or may not be written (it would replace a definition,\n"
    "      or is not a regular file), or a manifest that cannot be written; --merge: a\n"
    "      file in OUTDIR that its manifest does not record\n"
};

static void add_job(batch *b, const char *path, const struct stat *st)
{
    rg_grow(&b->jobs, &b->jobs_cap, b->njobs + 1, sizeof *b->jobs);
    job *j = &b->jobs[b->njobs++];
    memset(j, 0, sizeof *j);
    j->def = rg_xstrdup(path);
    j->def_id = (rg_file_id){ (uint64_t)st->st_dev, (uint64_t)st->st_ino };
}

static int has_xml_suffix(const char *n)
{
    size_t l = strlen(n);
    return l > 4 && !strcmp(n + l - 4, ".xml") && n[0] != '.';
}

/* A folder contributes its *.xml files (not its subfolders: shared parts
 * included by definitions live there). */
static int add_folder(batch *b, const char *dir)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "%s: error: cannot read folder: %s\n", dir, strerror(errno));
        return RG_EX_NOINPUT;
    }
    for (int i = 0; i < n; i++) {
        if (has_xml_suffix(list[i]->d_name) && b->njobs < MAX_JOBS) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
            struct stat st;
            /* a FIFO or device named *.xml becomes a job that fails with a
             * message (load reads only regular files), not a silent gap */
            if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) add_job(b, path, &st);
        }
        free(list[i]);
    }
    free(list);
    return RG_OK;
}

static int add_input(batch *b, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0) {
        fprintf(stderr, "%s: error: cannot read: %s\n", arg, strerror(errno));
        return RG_EX_NOINPUT;
    }
    if (S_ISDIR(st.st_mode)) return add_folder(b, arg);
    add_job(b, arg, &st);
    return RG_OK;
}

/* The fields a --name pattern may use: anything else in braces is a usage
 * error, named before any work. */
static const char *const NAME_FIELDS[] = { "slug", "period", "name", NULL };

static rg_status check_pattern(const rg_args *a, const char *pattern)
{
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p, '{')) {
        const char *close = strchr(p, '}');
        if (!close)
            return rg_args_error(a, "--name '%s': a '{' without '}'; the fields are {slug} "
                                    "{period} {name}", pattern);
        int known = 0;
        for (int k = 0; NAME_FIELDS[k]; k++)
            known |= (size_t)(close - p - 1) == strlen(NAME_FIELDS[k]) &&
                     !strncmp(p + 1, NAME_FIELDS[k], strlen(NAME_FIELDS[k]));
        if (!known)
            return rg_args_error(a, "--name '%s': unknown field %.*s; the fields are {slug} "
                                    "{period} {name}", pattern, (int)(close - p + 1), p);
        p = close + 1;
    }
    return RG_OK;
}

/* The batch root: the deepest folder holding every folder operand and
 * every file operand's folder (lexically, as shard.c does), into b->root;
 * and each job's path relative to it. -1 with errno. */
static int find_root(batch *b, const rg_args *a)
{
    for (int i = 0; i < a->noperands; i++) {
        struct stat st;
        char *abs = lexical_path(NULL, a->operands[i]);
        if (!abs) return -1;
        if (stat(a->operands[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
            char *slash = strrchr(abs, '/');
            slash[slash == abs] = 0;    /* its folder; "/x.xml" is in "/" */
        }
        char *root = b->root ? common_folder(b->root, abs) : rg_xstrdup(abs);
        free(b->root);
        free(abs);
        b->root = root;
    }
    for (size_t i = 0; i < b->njobs; i++) {
        char *abs = lexical_path(NULL, b->jobs[i].def);
        if (!abs) return -1;
        b->jobs[i].rel = path_under(b->root, abs);
        free(abs);
    }
    return 0;
}

/* The options that take the place of -o, or that do not go together. */
static rg_status check_modes(batch *b, const rg_args *a)
{
    if (b->opt.shard && parse_shard(b->opt.shard, &b->shard_k, &b->shard_n) != 0)
        return rg_args_error(a, "--shard '%s': give K/N, two whole numbers with 1 <= K <= N "
                                "<= %d (--shard 2/5: the second of five shares)", b->opt.shard,
                             SHARD_MAX);
    if (!b->opt.shard) b->shard_k = b->shard_n = 1;
    if (b->opt.merge && (b->opt.outdir || b->opt.shard || b->opt.list || b->opt.periods))
        return rg_args_error(a, "--merge OUTDIR takes the folders to merge, and none of -o, "
                                "--shard, --list, --period");
    if (b->opt.merge && (b->opt.workers || b->opt.force || b->opt.strict || b->opt.layout ||
                         strcmp(b->opt.pattern, DEFAULT_NAME) || b->opt.pdfa != RG_PDFA_2A))
        return rg_args_error(a, "--merge copies what was built: -j, --name, --force, --layout, "
                                "--pdfa and --strict do not go with it");
    if (b->opt.merge && a->noperands == 0)
        return rg_args_error(a, "--merge %s: no folders to merge given", b->opt.merge);
    if (!b->opt.outdir && !b->opt.list && !b->opt.merge)
        return rg_args_error(a, "no output folder given (-o DIR)");
    return RG_OK;
}

/* The command line into b: its options, and a job per definition. */
static int parse_args(batch *b, int argc, char **argv, rg_args *a)
{
    int st = rg_args_parse(&BATCH, argc - 1, argv + 1, &b->opt, a);
    if (st != RG_OK || a->help) return st;
    st = check_modes(b, a);
    if (st != RG_OK || b->opt.merge) return st;
    if (a->noperands == 0) return rg_args_error(a, "no definitions given");
    const char *sel = b->opt.periods;
    if (sel && !strstr(sel, "..") && !sel[strspn(sel, ",")])
        return rg_args_error(a, "--period '%s' names no period", sel);
    st = check_pattern(a, b->opt.pattern);
    for (int i = 0; i < a->noperands && st == RG_OK; i++) st = add_input(b, a->operands[i]);
    if (st == RG_OK && b->njobs == 0) st = rg_args_error(a, "no definitions given");
    if (st == RG_OK && find_root(b, a) != 0) {
        fprintf(stderr, "reportgen batch: error: cannot read the current folder: %s\n",
                strerror(errno));
        st = RG_EX_NOINPUT;
    }
    b->build.layout = b->opt.layout;
    b->build.strict = b->opt.strict;
    b->build.pdfa = (rg_pdfa_level)b->opt.pdfa;
    return st;
}

/* --------------------------------------------------------- selection */

/* --period "A,B,C" or "FROM..TO" (inclusive, compared as strings: period
 * ids like 2023-T1 sort in time order). */
static int period_selected(const char *sel, const char *period)
{
    if (!sel) return 1;
    if (!period) return 0;
    const char *dots = strstr(sel, "..");
    if (dots) {
        char from[128];
        snprintf(from, sizeof from, "%.*s", (int)(dots - sel < 127 ? dots - sel : 127), sel);
        return (!from[0] || strcmp(period, from) >= 0) && (!dots[2] || strcmp(period, dots + 2) <= 0);
    }
    size_t plen = strlen(period);
    for (const char *p = sel; *p;) {
        size_t n = strcspn(p, ",");
        if (n == plen && !strncmp(p, period, n)) return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* ------------------------------------------------------------ names */

/* Characters allowed in a generated file name: anything else becomes '-',
 * so a period id or title can never leave the output folder. */
static void safe_append(char *out, size_t cap, size_t *o, const char *s, int lower)
{
    for (; *s && *o + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (lower && c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        out[(*o)++] = ok ? (char)c : '-';
    }
    out[*o] = 0;
}

/* The first word of the title, lowercased ("Viermaandsrapportage ..."). */
static void slug_of(const char *title, char *out, size_t cap)
{
    size_t n = title ? strcspn(title, " \t") : 0;
    char word[128];
    snprintf(word, sizeof word, "%.*s", (int)(n < 127 ? n : 127), title ? title : "");
    size_t o = 0;
    safe_append(out, cap, &o, word[0] ? word : "rapport", 1);
}

static int make_name(const char *pattern, const rg_doc *doc, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (const char *p = pattern; *p && o + 1 < cap;) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close) return -1;
            size_t n = (size_t)(close - p - 1);
            char slug[128];
            if (n == 6 && !strncmp(p + 1, "period", 6))
                safe_append(out, cap, &o, doc->info.period_id ? doc->info.period_id : "", 0);
            else if (n == 4 && !strncmp(p + 1, "slug", 4)) {
                slug_of(doc->info.title, slug, sizeof slug);
                safe_append(out, cap, &o, slug, 0);
            } else if (n == 4 && !strncmp(p + 1, "name", 4)) {
                const char *base = strrchr(doc->path, '/');
                base = base ? base + 1 : doc->path;
                size_t bl = strlen(base);
                char stem[256];
                snprintf(stem, sizeof stem, "%.*s", (int)(bl > 4 ? bl - 4 : bl), base);
                safe_append(out, cap, &o, stem, 0);
            } else {
                return -1;
            }
            p = close + 1;
        } else {
            char c[2] = { *p++, 0 };
            safe_append(out, cap, &o, c, 0);
        }
    }
    /* never hidden, never "." or "..", never empty */
    if (!out[0] || out[0] == '.') return -1;
    return 0;
}

/* ----------------------------------------------------------- progress */

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Called with b->lock held. The ETA, once a report has finished: the
 * reports left times the mean time of one, divided by the workers. */
static void show_progress(batch *b)
{
    if (b->scanning) {
        progress_show(b->progress, "[%zu/%zu] reading the definitions' %s", b->scanned,
                      b->njobs, b->opt.periods ? "periods" : "output names");
        return;
    }
    char eta[48] = "";
    if (b->timed) {
        double left = (double)(b->njobs - b->done) * (b->busy / (double)b->timed) / b->nworkers;
        int s;
        rg_double_to_int(left + 0.5, 0, 99999999, &s);
        if (s < 60) snprintf(eta, sizeof eta, ", ETA %d s", s);
        else snprintf(eta, sizeof eta, ", ETA %d min %02d s", s / 60, s % 60);
    }
    progress_show(b->progress, "[%zu/%zu] %zu built, %zu unchanged, %zu failed%s", b->done,
                  b->njobs, b->built, b->unchanged, b->failed, eta);
}

/* -v: a line for the job that finished (with b->lock held). */
static void tell_job(batch *b, const job *j, double seconds)
{
    if (b->opt.verbosity <= 0 || j->state == JOB_SKIPPED || j->state == JOB_LISTED) return;
    char took[32] = "";
    if (seconds >= 0) snprintf(took, sizeof took, ", %.2f s", seconds);
    if (j->state == JOB_FAILED)
        fprintf(b->err, "[%zu/%zu] failed %s (exit %d%s)\n", b->done, b->njobs, j->def,
                (int)j->status, took);
    else
        fprintf(b->err, "[%zu/%zu] %s %s/%s (%s%s)\n", b->done, b->njobs,
                j->state == JOB_BUILT ? "built" : "unchanged", b->opt.outdir, j->name, j->def,
                took);
}

/* seconds: how long it took, or < 0 when it was not loaded (not selected). */
static void finish_job(batch *b, job *j, job_state state, rg_status st, double seconds)
{
    pthread_mutex_lock(&b->lock);
    j->state = state;
    j->status = st;
    b->done++;
    if (state == JOB_BUILT) b->built++;
    else if (state == JOB_UNCHANGED) b->unchanged++;
    else if (state == JOB_FAILED) b->failed++;
    else if (state == JOB_SKIPPED) b->skipped++;
    if (seconds >= 0) {
        b->busy += seconds;
        b->timed++;
    }
    tell_job(b, j, seconds);
    show_progress(b);
    pthread_mutex_unlock(&b->lock);
}

/* ---------------------------------------------------------------- jobs */

static int in_own_share(const batch *b, const job *j)
{
    return b->shard_n <= 1 || shard_of(j->rel, b->shard_n) == b->shard_k;
}

/* The job among jobs[0..n) other than j that has the output name, or NULL. */
static const job *name_holder(const job *jobs, size_t n, const job *j, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (&jobs[k] != j && jobs[k].name[0] && !strcmp(jobs[k].name, name)) return &jobs[k];
    return NULL;
}

/* Gives j the output name unless another job of the batch (of any share)
 * has it; else returns that job's definition path. Names are read and
 * written under b->lock only while workers run (a worker's own later
 * reads of j->name need no lock: only it writes). */
static const char *claim_name(batch *b, job *j, const char *name)
{
    pthread_mutex_lock(&b->lock);
    const job *holder = name_holder(b->jobs, b->njobs, j, name);
    if (!holder) holder = name_holder(b->others, b->nothers, j, name);
    if (!holder) snprintf(j->name, sizeof j->name, "%s", name);
    pthread_mutex_unlock(&b->lock);
    return holder ? holder->def : NULL;
}

/* Everything that decides the bytes of a report besides its input files. */
static int file_id_cmp(const void *x, const void *y)
{
    const rg_file_id *a = x, *c = y;
    if (a->dev != c->dev) return a->dev < c->dev ? -1 : 1;
    return a->ino < c->ino ? -1 : a->ino > c->ino;
}

static uint64_t options_hash(const batch *b, uint64_t h)
{
    char opts[512];
    snprintf(opts, sizeof opts, "reportgen %s|pdfa=%d|tagged=%d|layout=%s|date=%s", RG_VERSION,
             (int)b->build.pdfa, b->build.tagged, b->build.layout ? b->build.layout : "",
             getenv("SOURCE_DATE_EPOCH") ? getenv("SOURCE_DATE_EPOCH") : "");
    return fnv1a64(h, opts, strlen(opts));
}

/* Refuses an output that would replace one of the batch's definitions
 * (a name pattern like '{name}.xml' into the definitions' folder, or one
 * definition's output named as another definition), or that is not a
 * regular file (rg_output_check); before any job builds, so no definition
 * is overwritten whatever order the jobs run in. */
static rg_status refuse_unsafe_output(const batch *b, rg_ctx *ctx, const char *out)
{
    struct stat st;
    rg_status rc = rg_output_check(ctx, out);
    if (rc != RG_OK || lstat(out, &st) != 0) return rc;
    rg_file_id id = { (uint64_t)st.st_dev, (uint64_t)st.st_ino };
    if (!bsearch(&id, b->def_ids, b->ndef_ids, sizeof id, file_id_cmp)) return RG_OK;
    rg_diag(ctx, RG_SEV_ERROR, out, 0, 0,
            "refusing to write here: it is one of this batch's definitions (see --name)");
    return RG_EX_CANTCREAT;
}

/* Gives j its output name (--name), unless it is another job's. */
static rg_status pick_name(batch *b, rg_ctx *ctx, job *j, const rg_doc *doc)
{
    char name[sizeof j->name];
    if (make_name(b->opt.pattern, doc, name, sizeof name) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0, "--name '%s' gives no usable file name",
                b->opt.pattern);
        return RG_EX_USAGE;
    }
    const char *holder = claim_name(b, j, name);
    if (holder) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0,
                "another definition in this batch also writes '%s' (%s)", name, holder);
        return RG_EX_DATAERR;
    }
    return RG_OK;
}

/* Gives j its output name (--name), unless it is another job's or unsafe. */
static rg_status name_job(batch *b, rg_ctx *ctx, job *j, const rg_doc *doc)
{
    char out[4200 + NAME_MAX_LEN];
    rg_status st = pick_name(b, ctx, j, doc);
    if (st != RG_OK) return st;
    snprintf(out, sizeof out, "%s/%s", b->opt.outdir, j->name);
    return refuse_unsafe_output(b, ctx, out);
}

/* path relative to the folder dir_real (a realpath), "/"-separated:
 * "../samples/a.xml"; absolute when the two share no folder but the root
 * ("/srv/defs/a.xml" for an output in /tmp/out). Returns a malloc'd
 * string, or NULL with errno. */
static char *relative_path(const char *dir_real, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real) return NULL;
    char *rel = relative_to(dir_real, real);
    free(real);
    return rel;
}

static char *iso_date(rg_date d)
{
    char buf[32];
    if (!d.year) return NULL;
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return rg_xstrdup(buf);
}

static char *dup_or_null(const char *s)
{
    return s ? rg_xstrdup(s) : NULL;
}

/* The manifest line j will have (e's strings are the caller's to clear):
 * refused when JSON cannot carry it, before anything is built. */
static rg_status describe_job(const batch *b, rg_ctx *ctx, const job *j, const rg_doc *doc,
                              rg_manifest_entry *e)
{
    e->output = rg_xstrdup(j->name);
    e->hash = j->hash;
    e->definition = relative_path(b->outdir_real, j->def);
    e->period = dup_or_null(doc->info.period_id);
    e->from = iso_date(doc->info.period_from);
    e->to = iso_date(doc->info.period_to);
    e->title = dup_or_null(doc->info.title);
    if (!e->definition) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0, "cannot resolve its path: %s", strerror(errno));
        return RG_EX_NOINPUT;
    }
    char *line = rg_manifest_line_format(e);
    free(line);
    if (line) return RG_OK;
    rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0,
            "its path is not UTF-8, which the manifest (JSON) cannot record");
    return RG_EX_DATAERR;
}

/* Appends e's line; a failure is remembered for the exit status (the
 * manifest said why). */
static void record(batch *b, const rg_manifest_entry *e)
{
    rg_status st = manifest_append(b->manifest, e);
    pthread_mutex_lock(&b->lock);
    if (st != RG_OK && b->manifest_status == RG_OK) b->manifest_status = st;
    pthread_mutex_unlock(&b->lock);
}

/* Does the PDF at out exist and the manifest (as on disk now, with what
 * other runs added) record it with e's input hash? A line naming the
 * definition by another path gets a new one. */
static int up_to_date(batch *b, const rg_manifest_entry *e, const char *out)
{
    if (b->opt.force || access(out, R_OK) != 0) return 0;
    recorded_state rs = manifest_recorded(b->manifest, e->output, e->hash, e->definition);
    if (rs == RECORDED_ELSEWHERE) record(b, e);
    return rs != RECORDED_NOT;
}

/* Builds j unless it is up to date; holds the output's claim while it
 * looks again (another run may have built it meanwhile) and builds. */
static job_state build_unless_up_to_date(batch *b, rg_ctx *ctx, const job *j, const rg_doc *doc,
                                         const rg_style *style, const rg_manifest_entry *e,
                                         rg_status *st)
{
    char out[4200 + NAME_MAX_LEN];
    snprintf(out, sizeof out, "%s/%s", b->opt.outdir, j->name);
    if (up_to_date(b, e, out)) return JOB_UNCHANGED;
    claim c;
    if (claim_take(b->opt.outdir, j->name, &c) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, out, 0, 0, "cannot take the claim to write it: %s",
                strerror(errno));
        *st = RG_EX_CANTCREAT;
        return JOB_FAILED;
    }
    job_state state = JOB_UNCHANGED;
    if (!up_to_date(b, e, out)) {
        *st = rg_build_write(ctx, doc, style, &b->build, out);
        if (*st == RG_OK) record(b, e);
        state = *st == RG_OK ? JOB_BUILT : JOB_FAILED;
    }
    claim_give(&c);
    return state;
}

static void run_job(batch *b, rg_ctx *ctx, job *j)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rg_ctx_reset(ctx);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_manifest_entry e = { 0 };
    rg_status st = rg_build_load(ctx, &b->paths, j->def, b->build.layout, &doc, &style);
    job_state state = JOB_FAILED;
    if (st == RG_OK && !period_selected(b->opt.periods, doc->info.period_id)) {
        state = JOB_SKIPPED;
        goto done;
    }
    if (st == RG_OK) st = name_job(b, ctx, j, doc);
    if (st == RG_OK) {
        j->hash = options_hash(b, ctx->input_hash);
        st = describe_job(b, ctx, j, doc, &e);
    }
    if (st == RG_OK) state = build_unless_up_to_date(b, ctx, j, doc, style, &e, &st);
done:
    rg_manifest_entry_clear(&e);
    rg_style_free(style);
    rg_doc_free(doc);
    finish_job(b, j, state, st, seconds_since(&t0));
}

/* --list: loads j for its period, output name and input hash (as run_job
 * does) and makes its line; builds nothing. */
static void list_job(batch *b, rg_ctx *ctx, job *j)
{
    rg_ctx_reset(ctx);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_status st = rg_build_load(ctx, &b->paths, j->def, b->build.layout, &doc, &style);
    job_state state = JOB_FAILED;
    if (st == RG_OK && !period_selected(b->opt.periods, doc->info.period_id)) {
        state = JOB_SKIPPED;
    } else if (st == RG_OK && (st = pick_name(b, ctx, j, doc)) == RG_OK) {
        j->hash = options_hash(b, ctx->input_hash);
        j->listed = rg_list_line_format(j->rel, doc->info.period_id, j->name, j->hash);
        if (!j->listed) {
            rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0,
                    "its path or period is not UTF-8, which JSON cannot carry");
            st = RG_EX_DATAERR;
        }
        state = j->listed ? JOB_LISTED : JOB_FAILED;
    }
    rg_style_free(style);
    rg_doc_free(doc);
    finish_job(b, j, state, st, -1);
}

/* --shard: gives another share's job j its output name, if doc is
 * selected, without looking at the other names (its own shard does);
 * -1 when the pattern gives it none. */
static int name_other_share(batch *b, job *j, const rg_doc *doc)
{
    char name[sizeof j->name];
    if (!period_selected(b->opt.periods, doc->info.period_id)) return 0;
    if (make_name(b->opt.pattern, doc, name, sizeof name) < 0) return -1;
    pthread_mutex_lock(&b->lock);
    snprintf(j->name, sizeof j->name, "%s", name);
    pthread_mutex_unlock(&b->lock);
    return 0;
}

/* The pass before building (--period, --shard): only loads j, for its
 * period id (--period) and, when it is another share's, its output name.
 * A definition of this share that cannot be loaded fails here, once;
 * another share's failures are its own shard's to tell (counted in
 * b->unnamed). Without --period, this share's jobs are left alone. */
static void scan_job(batch *b, rg_ctx *ctx, job *j)
{
    int own = in_own_share(b, j);
    rg_status st = RG_OK;
    if (!own || b->opt.periods) {
        rg_ctx_reset(ctx);
        rg_doc *doc = NULL;
        rg_style *style = NULL;
        FILE *diag_out = ctx->diag_out;
        if (!own) ctx->diag_out = NULL;
        st = rg_build_load(ctx, &b->paths, j->def, b->build.layout, &doc, &style);
        ctx->diag_out = diag_out;
        if (st == RG_OK && doc->info.period_id) j->period = rg_xstrdup(doc->info.period_id);
        if (st == RG_OK && !own && name_other_share(b, j, doc) < 0) st = RG_EX_USAGE;
        rg_style_free(style);
        rg_doc_free(doc);
    }
    pthread_mutex_lock(&b->lock);
    b->scanned++;
    if (st != RG_OK && !own) b->unnamed++;
    if (st == RG_OK) show_progress(b);
    pthread_mutex_unlock(&b->lock);
    if (st != RG_OK && own) finish_job(b, j, JOB_FAILED, st, -1);
}

static void *worker(void *arg)
{
    batch *b = arg;
    rg_ctx *ctx = rg_ctx_new(b->err);
    rg_fonts_share(b->fonts_owner, ctx);
    rg_build_use_paths(ctx, &b->paths);
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->njobs) break;
        if (b->scanning) scan_job(b, ctx, &b->jobs[i]);
        else if (b->jobs[i].state == JOB_PENDING && b->opt.list) list_job(b, ctx, &b->jobs[i]);
        else if (b->jobs[i].state == JOB_PENDING) run_job(b, ctx, &b->jobs[i]);
    }
    rg_ctx_free(ctx);
    return NULL;
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

/* The workers (b->nworkers, the main thread one of them) over every job. */
static void run_workers(batch *b)
{
    pthread_t threads[MAX_WORKERS];
    int started = 0;
    atomic_store(&b->next, 0);
    for (int i = 1; i < b->nworkers; i++) {
        if (pthread_create(&threads[started], NULL, worker, b) != 0) break;
        started++;
    }
    worker(b);                     /* the main thread works too */
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
}

static int text_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* "2022-T3, 2023-T1, ..." (malloc'd): the period ids the jobs read have,
 * sorted, each once; at most 30 of them. */
static char *known_periods(const batch *b)
{
    const char **ids = rg_xcalloc(b->njobs, sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].period) ids[n++] = b->jobs[i].period;
    qsort(ids, n, sizeof *ids, text_cmp);
    size_t cap = 64, len = 0, shown = 0, distinct = 0;
    char *list = rg_xmalloc(cap);
    list[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(ids[i], ids[i - 1])) continue;
        distinct++;
        if (shown == 30) continue;
        rg_grow(&list, &cap, len + strlen(ids[i]) + 3, 1);
        len += (size_t)sprintf(list + len, "%s%s", shown ? ", " : "", ids[i]);
        shown++;
    }
    if (distinct > shown) {
        rg_grow(&list, &cap, len + 40, 1);
        sprintf(list + len, " and %zu more", distinct - shown);
    }
    free(ids);
    return list;
}

/* Does any job read have a period sel selects? */
static int matches_some(const batch *b, const char *sel)
{
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].period && period_selected(sel, b->jobs[i].period)) return 1;
    return 0;
}

/* After read_period: every id of --period (or its range) matches some
 * definition, else a usage error listing the periods there are. */
static rg_status check_periods(const batch *b, const rg_args *a)
{
    const char *sel = b->opt.periods;
    char *unmatched = rg_xstrdup("");
    size_t nunmatched = 0;
    if (strstr(sel, "..")) {
        nunmatched = !matches_some(b, sel);
    } else {
        for (const char *p = sel; *p;) {
            size_t n = strcspn(p, ",");
            char *item = rg_xmalloc(n + 1);
            snprintf(item, n + 1, "%.*s", (int)n, p);
            if (n > 0 && !matches_some(b, item)) {
                unmatched = rg_xrealloc(unmatched, strlen(unmatched) + n + 3);
                if (nunmatched++) strcat(unmatched, ", ");
                strcat(unmatched, item);
            }
            free(item);
            p += n + (p[n] == ',');
        }
    }
    rg_status st = RG_OK;
    if (nunmatched) {
        char *known = known_periods(b);
        const char *lead = known[0] ? "the periods are " : "no definition has a period id";
        char unread[96] = "";
        if (b->failed)
            snprintf(unread, sizeof unread, " (%zu definition%s could not be read: see above)",
                     b->failed, b->failed == 1 ? "" : "s");
        if (!strchr(sel, ','))
            st = rg_args_error(a, "--period %s matches no report; %s%s%s", sel, lead, known,
                               unread);
        else
            st = rg_args_error(a, "--period %s: %s match%s no report; %s%s%s", sel, unmatched,
                               nunmatched == 1 ? "es" : "", lead, known, unread);
        free(known);
    }
    free(unmatched);
    return st;
}

static void job_free(job *j)
{
    free(j->def);
    free(j->rel);
    free(j->period);
    free(j->listed);
}

/* --shard: moves the jobs of the other shares (after --period looked at
 * them all) out of b->jobs, so that they count nowhere; those with an
 * output name go to b->others, where claim_name finds it. */
static void keep_own_share(batch *b)
{
    size_t kept = 0;
    for (size_t i = 0; i < b->njobs; i++) {
        job *j = &b->jobs[i];
        if (in_own_share(b, j)) {
            b->jobs[kept++] = *j;
        } else if (j->name[0]) {
            rg_grow(&b->others, &b->others_cap, b->nothers + 1, sizeof *b->others);
            b->others[b->nothers++] = *j;
        } else {
            job_free(j);
        }
    }
    b->njobs = kept;
    if ((size_t)b->nworkers > b->njobs) b->nworkers = b->njobs ? (int)b->njobs : 1;
}

/* After the scan: one warning for the other shares' definitions whose
 * output names are not known (not loaded, or no usable name). */
static void warn_unnamed(const batch *b)
{
    if (b->unnamed == 1)
        fprintf(b->err, "reportgen batch: warning: 1 definition of another share could not be "
                        "checked for output names: its shard reports it\n");
    else if (b->unnamed > 1)
        fprintf(b->err, "reportgen batch: warning: %zu definitions of other shares could not be "
                        "checked for output names: their shards report them\n", b->unnamed);
}

/* Before any job is built: with --period, reads every job's period id (in
 * parallel; every share's, so that every shard refuses the same
 * selections) and refuses a selection that matches nothing; with
 * --shard, names the other shares' selected jobs (so that every shard
 * refuses an output name two shares' definitions write). Then keeps this
 * run's share and sets aside the jobs not selected. */
static rg_status scan_definitions(batch *b, const rg_args *a)
{
    if (b->opt.periods || b->shard_n > 1) {
        b->scanning = 1;
        run_workers(b);
        b->scanning = 0;
        warn_unnamed(b);
    }
    rg_status st = b->opt.periods ? check_periods(b, a) : RG_OK;
    keep_own_share(b);
    for (size_t i = 0; i < b->njobs && st == RG_OK; i++)
        if (b->jobs[i].state == JOB_PENDING && !period_selected(b->opt.periods, b->jobs[i].period))
            finish_job(b, &b->jobs[i], JOB_SKIPPED, RG_OK, -1);
    return st;
}

static int job_cmp(const void *x, const void *y)
{
    return strcmp(((const job *)x)->def, ((const job *)y)->def);
}

static rg_status result(const batch *b)
{
    rg_status first = RG_OK;
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].state == JOB_FAILED && first == RG_OK) first = b->jobs[i].status;
    return b->failed && first == RG_OK ? RG_EX_SOFTWARE : first;
}

/* mkdir -p: every missing folder of path. A folder another process makes
 * at the same moment (two batches into one new folder) is fine. 0, or -1
 * with errno. */
int make_folders(const char *path)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *s = p + 1;; s++) {
        if (*s && *s != '/') continue;
        char c = *s;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) return -1;
        *s = c;
        if (!c) break;
    }
    struct stat st;
    if (stat(p, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* The output folder made, files of dead runs removed, the manifest open. */
static int prepare_outdir(batch *b)
{
    if (make_folders(b->opt.outdir) != 0 || !(b->outdir_real = realpath(b->opt.outdir, NULL))) {
        fprintf(b->err, "%s: error: cannot create the output folder: %s\n", b->opt.outdir,
                strerror(errno));
        return RG_EX_CANTCREAT;
    }
    int removed = sweep_dead_runs_files(b->opt.outdir);
    if (removed)
        fprintf(b->err, "%s: note: removed %d file%s left by interrupted runs\n", b->opt.outdir,
                removed, removed == 1 ? "" : "s");
    return manifest_open(b->opt.outdir, b->err, &b->manifest);
}

static void index_definitions(batch *b)
{
    b->ndef_ids = b->njobs;
    b->def_ids = rg_xcalloc(b->njobs, sizeof *b->def_ids);
    for (size_t i = 0; i < b->njobs; i++) b->def_ids[i] = b->jobs[i].def_id;
    qsort(b->def_ids, b->njobs, sizeof *b->def_ids, file_id_cmp);
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->njobs; i++) job_free(&b->jobs[i]);
    free(b->jobs);
    for (size_t i = 0; i < b->nothers; i++) job_free(&b->others[i]);
    free(b->others);
    free(b->root);
    free(b->def_ids);
    free(b->outdir_real);
    manifest_free(b->manifest);
    rg_ctx_free(b->fonts_owner);
    progress_free(b->progress);
    pthread_mutex_destroy(&b->lock);
}

/* --list: every selected job's line on stdout, in the jobs' order. */
static rg_status list_jobs(batch *b)
{
    run_workers(b);
    progress_end(b->progress);
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].listed) fputs(b->jobs[i].listed, stdout);
    return result(b);
}

/* Builds every selected job into the output folder, compacts the
 * manifest and prints the summary line. */
static rg_status build_jobs(batch *b)
{
    rg_status st = prepare_outdir(b);
    if (st != RG_OK) return st;
    run_workers(b);
    rg_status compacted = manifest_compact(b->manifest);
    progress_end(b->progress);             /* the summary is not glued onto it either */
    printf("batch: %zu built, %zu unchanged, %zu failed", b->built, b->unchanged, b->failed);
    if (b->skipped) printf(", %zu not selected", b->skipped);
    printf(" (%zu definitions", b->njobs);
    if (b->shard_n > 1) printf(" in share %u/%u", b->shard_k, b->shard_n);
    printf(", %d workers, %.2f s)\n", b->nworkers, seconds_since(&b->start));
    rg_status rc = result(b);
    if (rc == RG_OK) rc = b->manifest_status != RG_OK ? b->manifest_status : compacted;
    return rc;
}

int rg_cmd_batch(int argc, char **argv)
{
    batch b;
    memset(&b, 0, sizeof b);
    pthread_mutex_init(&b.lock, NULL);
    b.build = rg_build_defaults();
    b.opt.pattern = DEFAULT_NAME;
    b.opt.pdfa = RG_PDFA_2A;
    rg_args a = { 0 };
    int st = parse_args(&b, argc, argv, &a);
    if (st == RG_OK && !a.help && b.opt.merge) {
        st = merge_folders(b.opt.merge, a.operands, a.noperands);
        rg_args_free(&a);
        batch_free(&b);
        return st;
    }
    if (st == RG_OK && !a.help) {
        long long sde;
        rg_ctx *ctx = rg_ctx_new(stderr);
        st = rg_build_source_date(ctx, &sde);   /* a usage error, before any work */
        rg_ctx_free(ctx);
    }
    if (st != RG_OK || a.help) {
        rg_args_free(&a);
        batch_free(&b);
        return st;
    }
    rg_build_install_signal_handlers();    /* before any thread is made */
    qsort(b.jobs, b.njobs, sizeof *b.jobs, job_cmp);
    index_definitions(&b);
    b.progress = progress_new(b.opt.verbosity >= 0 && !b.opt.list && isatty(STDERR_FILENO));
    b.err = progress_stream(b.progress);
    a.err = b.err;
    rg_paths_find(&b.paths);
    b.fonts_owner = rg_ctx_new(b.err);
    rg_build_use_paths(b.fonts_owner, &b.paths);
    rg_fonts_prepare(b.fonts_owner);
    b.nworkers = b.opt.workers ? b.opt.workers : cores();
    if ((size_t)b.nworkers > b.njobs) b.nworkers = (int)b.njobs;
    clock_gettime(CLOCK_MONOTONIC, &b.start);
    st = scan_definitions(&b, &a);
    if (st == RG_OK && b.opt.list) st = list_jobs(&b);
    else if (st == RG_OK) st = build_jobs(&b);
    rg_args_free(&a);
    batch_free(&b);
    return st;
}
