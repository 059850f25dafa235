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
 * the second finds it recorded once it gets the claim (claims.c). */
#include "batch.h"
#include "manifest.h"

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

typedef enum { JOB_PENDING, JOB_BUILT, JOB_UNCHANGED, JOB_FAILED, JOB_SKIPPED } job_state;

typedef struct job {
    char *def;                     /* definition path */
    rg_file_id def_id;             /* the definition file, which no output may replace */
    char name[NAME_MAX_LEN + 1];   /* output file name (no folder) */
    uint64_t hash;                 /* input hash */
    job_state state;
    rg_status status;
} job;

typedef struct batch {
    /* options */
    const char *outdir;
    const char *pattern;
    const char *periods;           /* "A,B" or "A..B", or NULL */
    int workers, force, quiet, progress;
    rg_build_opts build;
    /* work */
    job *jobs;
    size_t njobs, jobs_cap;
    atomic_size_t next;
    rg_file_id *def_ids;           /* every job's definition, sorted */
    char *outdir_real;             /* the output folder as realpath gives it */
    manifest *manifest;
    rg_status manifest_status;     /* the first failure to record a report (b->lock) */
    rg_ctx *fonts_owner;           /* holds the shared font cache */
    rg_paths paths;
    pthread_mutex_t lock;          /* counters, names, progress output */
    size_t done, built, unchanged, failed, skipped;
    struct timespec start;
} batch;

/* ------------------------------------------------------------ options */

static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "reportgen batch: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fputs("usage: reportgen batch DIR|DEF.xml... -o OUTDIR [-j N] [--period LIST|FROM..TO]\n"
          "       [--name PATTERN] [--force] [-q] [--layout NAME|FILE] [--pdfa=LEVEL]\n",
          stderr);
    return RG_EX_USAGE;
}

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

static int parse_args(batch *b, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && more) b->outdir = argv[++i];
        else if (!strcmp(a, "-j") && more) b->workers = atoi(argv[++i]);
        else if (!strncmp(a, "-j", 2) && a[2]) b->workers = atoi(a + 2);
        else if (!strcmp(a, "--period") && more) b->periods = argv[++i];
        else if (!strcmp(a, "--name") && more) b->pattern = argv[++i];
        else if (!strcmp(a, "--layout") && more) b->build.layout = argv[++i];
        else if (!strcmp(a, "--force")) b->force = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) b->quiet = 1;
        else if (!strcmp(a, "--strict")) b->build.strict = 1;
        else if (!strncmp(a, "--pdfa=", 7)) {
            static const char *const names[] = { "off", "1b", "2b", "2u", "2a" };
            int found = -1;
            for (int k = 0; k < 5; k++)
                if (!strcmp(a + 7, names[k])) found = k;
            if (found < 0) return usage("--pdfa takes off, 1b, 2b, 2u or 2a", a);
            b->build.pdfa = (rg_pdfa_level)found;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage("help", NULL);
            return -1;
        } else if (a[0] == '-' && a[1]) {
            return usage("unknown option or missing value", a);
        } else {
            int st = add_input(b, a);
            if (st != RG_OK) return st;
        }
    }
    if (!b->outdir) return usage("no output folder given (-o DIR)", NULL);
    if (b->workers < 0 || b->workers > MAX_WORKERS) return usage("-j takes 1 to 64", NULL);
    if (b->njobs == 0) return usage("no definitions given", NULL);
    return RG_OK;
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

static double elapsed(const batch *b)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - b->start.tv_sec) + (now.tv_nsec - b->start.tv_nsec) / 1e9;
}

/* Called with b->lock held. */
static void show_progress(batch *b)
{
    if (!b->progress) return;
    double t = elapsed(b);
    double eta = b->done ? t / (double)b->done * (double)(b->njobs - b->done) : 0;
    printf("\r[%zu/%zu] %zu built, %zu unchanged, %zu failed, ETA %.0f s   ", b->done, b->njobs,
           b->built, b->unchanged, b->failed, eta);
    fflush(stdout);
}

static void finish_job(batch *b, job *j, job_state state, rg_status st)
{
    pthread_mutex_lock(&b->lock);
    j->state = state;
    j->status = st;
    b->done++;
    if (state == JOB_BUILT) b->built++;
    else if (state == JOB_UNCHANGED) b->unchanged++;
    else if (state == JOB_FAILED) b->failed++;
    else b->skipped++;
    show_progress(b);
    pthread_mutex_unlock(&b->lock);
}

/* ---------------------------------------------------------------- jobs */

/* A second job aiming at an output name another job already has fails. */
/* Gives j the output name unless another job of the batch has it; -1 when
 * taken. Names are read and written under b->lock only while workers run
 * (a worker's own later reads of j->name need no lock: only it writes). */
static int claim_name(batch *b, job *j, const char *name)
{
    pthread_mutex_lock(&b->lock);
    int taken = 0;
    for (size_t k = 0; k < b->njobs && !taken; k++)
        taken = &b->jobs[k] != j && b->jobs[k].name[0] && !strcmp(b->jobs[k].name, name);
    if (!taken) snprintf(j->name, sizeof j->name, "%s", name);
    pthread_mutex_unlock(&b->lock);
    return taken ? -1 : 0;
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
    for (const unsigned char *p = (const unsigned char *)opts; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
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
    if (!bsearch(&id, b->def_ids, b->njobs, sizeof id, file_id_cmp)) return RG_OK;
    rg_diag(ctx, RG_SEV_ERROR, out, 0, 0,
            "refusing to write here: it is one of this batch's definitions (see --name)");
    return RG_EX_CANTCREAT;
}

/* Gives j its output name (--name), unless it is another job's or unsafe. */
static rg_status name_job(batch *b, rg_ctx *ctx, job *j, const rg_doc *doc)
{
    char name[sizeof j->name], out[4200 + NAME_MAX_LEN];
    if (make_name(b->pattern, doc, name, sizeof name) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0, "--name '%s' gives no usable file name",
                b->pattern);
        return RG_EX_USAGE;
    }
    if (claim_name(b, j, name) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0,
                "another definition in this batch also writes '%s'", name);
        return RG_EX_DATAERR;
    }
    snprintf(out, sizeof out, "%s/%s", b->outdir, j->name);
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
    size_t common = 0;             /* the last '/' (or end) both share */
    for (size_t i = 0;; i++) {
        char a = dir_real[i], c = real[i];
        if ((a == '/' || !a) && (c == '/' || !c)) common = i;
        if (a != c || !a) break;
    }
    if (common == 0) return real;
    size_t ups = 0;
    for (const char *p = dir_real + common; *p; p++)
        if (p[0] != '/' && (p == dir_real || p[-1] == '/')) ups++;
    const char *rest = real + common + (real[common] == '/');
    char *rel = rg_xmalloc(ups * 3 + strlen(rest) + 1);
    rel[0] = 0;
    for (size_t k = 0; k < ups; k++) strcat(rel, "../");
    strcat(rel, rest);
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
                              manifest_entry *e)
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
    char *line = manifest_line_format(e);
    free(line);
    if (line) return RG_OK;
    rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0,
            "its path is not UTF-8, which the manifest (JSON) cannot record");
    return RG_EX_DATAERR;
}

/* Appends e's line; a failure is remembered for the exit status (the
 * manifest said why). */
static void record(batch *b, const manifest_entry *e)
{
    rg_status st = manifest_append(b->manifest, e);
    pthread_mutex_lock(&b->lock);
    if (st != RG_OK && b->manifest_status == RG_OK) b->manifest_status = st;
    pthread_mutex_unlock(&b->lock);
}

/* Does the PDF at out exist and the manifest (as on disk now, with what
 * other runs added) record it with e's input hash? A line naming the
 * definition by another path gets a new one. */
static int up_to_date(batch *b, const manifest_entry *e, const char *out)
{
    if (b->force || access(out, R_OK) != 0) return 0;
    recorded_state rs = manifest_recorded(b->manifest, e->output, e->hash, e->definition);
    if (rs == RECORDED_ELSEWHERE) record(b, e);
    return rs != RECORDED_NOT;
}

/* Builds j unless it is up to date; holds the output's claim while it
 * looks again (another run may have built it meanwhile) and builds. */
static job_state build_unless_up_to_date(batch *b, rg_ctx *ctx, const job *j, const rg_doc *doc,
                                         const rg_style *style, const manifest_entry *e,
                                         rg_status *st)
{
    char out[4200 + NAME_MAX_LEN];
    snprintf(out, sizeof out, "%s/%s", b->outdir, j->name);
    if (up_to_date(b, e, out)) return JOB_UNCHANGED;
    claim c;
    if (claim_take(b->outdir, j->name, &c) != 0) {
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
    rg_ctx_reset(ctx);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    manifest_entry e = { 0 };
    rg_status st = rg_build_load(ctx, &b->paths, j->def, b->build.layout, &doc, &style);
    job_state state = JOB_FAILED;
    if (st == RG_OK && !period_selected(b->periods, doc->info.period_id)) {
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
    manifest_entry_clear(&e);
    rg_style_free(style);
    rg_doc_free(doc);
    finish_job(b, j, state, st);
}

static void *worker(void *arg)
{
    batch *b = arg;
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_fonts_share(b->fonts_owner, ctx);
    rg_build_use_paths(ctx, &b->paths);
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->njobs) break;
        run_job(b, ctx, &b->jobs[i]);
    }
    rg_ctx_free(ctx);
    return NULL;
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

static int run_workers(batch *b)
{
    int n = b->workers ? b->workers : cores();
    if ((size_t)n > b->njobs) n = (int)b->njobs;
    pthread_t threads[MAX_WORKERS];
    int started = 0;
    for (int i = 1; i < n; i++) {
        if (pthread_create(&threads[started], NULL, worker, b) != 0) break;
        started++;
    }
    worker(b);                     /* the main thread works too */
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    return n;
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
static int make_folders(const char *path)
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
    if (make_folders(b->outdir) != 0 || !(b->outdir_real = realpath(b->outdir, NULL))) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", b->outdir,
                strerror(errno));
        return RG_EX_CANTCREAT;
    }
    int removed = sweep_dead_runs_files(b->outdir);
    if (removed)
        fprintf(stderr, "%s: note: removed %d file%s left by interrupted runs\n", b->outdir,
                removed, removed == 1 ? "" : "s");
    return manifest_open(b->outdir, stderr, &b->manifest);
}

static void index_definitions(batch *b)
{
    b->def_ids = rg_xcalloc(b->njobs, sizeof *b->def_ids);
    for (size_t i = 0; i < b->njobs; i++) b->def_ids[i] = b->jobs[i].def_id;
    qsort(b->def_ids, b->njobs, sizeof *b->def_ids, file_id_cmp);
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->njobs; i++) free(b->jobs[i].def);
    free(b->jobs);
    free(b->def_ids);
    free(b->outdir_real);
    manifest_free(b->manifest);
    rg_ctx_free(b->fonts_owner);
    pthread_mutex_destroy(&b->lock);
}

int rg_cmd_batch(int argc, char **argv)
{
    batch b;
    memset(&b, 0, sizeof b);
    pthread_mutex_init(&b.lock, NULL);
    b.build = rg_build_defaults();
    b.pattern = DEFAULT_NAME;
    int st = parse_args(&b, argc, argv);
    rg_build_install_signal_handlers();    /* before any thread is made */
    if (st == RG_OK) st = prepare_outdir(&b);
    if (st != RG_OK) {
        batch_free(&b);
        return st < 0 ? RG_OK : st;
    }
    qsort(b.jobs, b.njobs, sizeof *b.jobs, job_cmp);
    index_definitions(&b);
    b.progress = !b.quiet && isatty(STDOUT_FILENO);
    rg_paths_find(&b.paths);
    b.fonts_owner = rg_ctx_new(stderr);
    rg_build_use_paths(b.fonts_owner, &b.paths);
    rg_fonts_prepare(b.fonts_owner);
    clock_gettime(CLOCK_MONOTONIC, &b.start);
    int workers = run_workers(&b);
    rg_status compacted = manifest_compact(b.manifest);
    if (b.progress) putchar('\n');
    printf("batch: %zu built, %zu unchanged, %zu failed", b.built, b.unchanged, b.failed);
    if (b.skipped) printf(", %zu not selected", b.skipped);
    printf(" (%zu definitions, %d workers, %.2f s)\n", b.njobs, workers, elapsed(&b));
    rg_status rc = result(&b);
    if (rc == RG_OK) rc = b.manifest_status != RG_OK ? b.manifest_status : compacted;
    batch_free(&b);
    return rc;
}
