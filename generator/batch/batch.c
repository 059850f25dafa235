/* batch/batch.c - reportgen batch: many definitions in one run (see batch.h).
 * Stage: batch.
 *
 * Jobs are the definitions named on the command line or found (*.xml) in
 * the folders named there, sorted by path. Workers (-j, default: the
 * number of cores) take jobs in order; each has its own context but they
 * share one font cache, so faces are found and parsed once per process. A
 * job loads its definition (for the period id and the input hash), then
 * either skips it (period not selected; inputs unchanged since the PDF was
 * written) or lays it out and writes its PDF atomically. Input hashes are
 * kept in a manifest file in the output folder (MANIFEST below). */
#include "batch.h"

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

#define MANIFEST ".reportgen-batch"   /* "<input hash> <pdf name>" per line */
#define DEFAULT_NAME "{slug}-{period}.pdf"

enum { MAX_JOBS = 100000, MAX_WORKERS = 64, NAME_MAX_LEN = 200 };

typedef enum { JOB_PENDING, JOB_BUILT, JOB_UNCHANGED, JOB_FAILED, JOB_SKIPPED } job_state;

typedef struct job {
    char *def;                     /* definition path */
    char name[NAME_MAX_LEN + 1];   /* output file name (no folder) */
    uint64_t hash;                 /* input hash */
    job_state state;
    rg_status status;
} job;

typedef struct manifest_entry {
    uint64_t hash;
    char *name;
} manifest_entry;

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
    manifest_entry *old;
    size_t nold;
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

static void add_job(batch *b, const char *path)
{
    rg_grow(&b->jobs, &b->jobs_cap, b->njobs + 1, sizeof *b->jobs);
    job *j = &b->jobs[b->njobs++];
    memset(j, 0, sizeof *j);
    j->def = rg_xstrdup(path);
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
            if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) add_job(b, path);
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
    add_job(b, arg);
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

/* --------------------------------------------------------- manifest */

static void manifest_read(batch *b)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", b->outdir, MANIFEST);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[600];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long h;
        char name[NAME_MAX_LEN + 1];
        if (sscanf(line, "%16llx %200s", &h, name) != 2) continue;
        rg_grow(&b->old, &cap, b->nold + 1, sizeof *b->old);
        b->old[b->nold++] = (manifest_entry){ (uint64_t)h, rg_xstrdup(name) };
    }
    fclose(f);
}

static int manifest_has(const batch *b, const char *name, uint64_t hash)
{
    for (size_t i = 0; i < b->nold; i++)
        if (b->old[i].hash == hash && !strcmp(b->old[i].name, name)) return 1;
    return 0;
}

/* Old entries of names this run did not touch, then this run's good ones;
 * written atomically. */
static void manifest_write(batch *b)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", b->outdir, MANIFEST);
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    int slot;
    int fd = rg_build_temp_create(tmp, &slot);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        rg_build_temp_release(slot);
        return;
    }
    for (size_t i = 0; i < b->nold; i++) {
        int touched = 0;
        for (size_t k = 0; k < b->njobs && !touched; k++)
            touched = b->jobs[k].name[0] && !strcmp(b->jobs[k].name, b->old[i].name);
        if (!touched) fprintf(f, "%016llx %s\n", (unsigned long long)b->old[i].hash, b->old[i].name);
    }
    for (size_t k = 0; k < b->njobs; k++) {
        const job *j = &b->jobs[k];
        if (j->state == JOB_BUILT || j->state == JOB_UNCHANGED)
            fprintf(f, "%016llx %s\n", (unsigned long long)j->hash, j->name);
    }
    int bad = fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) unlink(tmp);
    rg_build_temp_release(slot);
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

static void run_job(batch *b, rg_ctx *ctx, job *j)
{
    rg_ctx_reset(ctx);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_status st = rg_build_load(ctx, &b->paths, j->def, b->build.layout, &doc, &style);
    job_state state = JOB_FAILED;
    if (st == RG_OK && !period_selected(b->periods, doc->info.period_id)) {
        state = JOB_SKIPPED;
        goto done;
    }
    char name[sizeof j->name];
    if (st == RG_OK && make_name(b->pattern, doc, name, sizeof name) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0, "--name '%s' gives no usable file name",
                b->pattern);
        st = RG_EX_USAGE;
    }
    if (st == RG_OK && claim_name(b, j, name) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, j->def, 0, 0,
                "another definition in this batch also writes '%s'", name);
        st = RG_EX_DATAERR;
    }
    if (st != RG_OK) goto done;
    j->hash = options_hash(b, ctx->input_hash);
    char out[4200 + NAME_MAX_LEN];
    snprintf(out, sizeof out, "%s/%s", b->outdir, j->name);
    if (!b->force && access(out, R_OK) == 0 && manifest_has(b, j->name, j->hash)) {
        state = JOB_UNCHANGED;
        goto done;
    }
    st = rg_build_write(ctx, doc, style, &b->build, out);
    if (st == RG_OK) state = JOB_BUILT;
done:
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

static int prepare_outdir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return RG_OK;
        fprintf(stderr, "%s: error: cannot write: not a folder\n", dir);
        return RG_EX_CANTCREAT;
    }
    if (mkdir(dir, 0777) != 0) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", dir, strerror(errno));
        return RG_EX_CANTCREAT;
    }
    return RG_OK;
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->njobs; i++) free(b->jobs[i].def);
    free(b->jobs);
    for (size_t i = 0; i < b->nold; i++) free(b->old[i].name);
    free(b->old);
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
    if (st == RG_OK) st = prepare_outdir(b.outdir);
    if (st != RG_OK) {
        batch_free(&b);
        return st < 0 ? RG_OK : st;
    }
    qsort(b.jobs, b.njobs, sizeof *b.jobs, job_cmp);
    b.progress = !b.quiet && isatty(STDOUT_FILENO);
    rg_paths_find(&b.paths);
    rg_build_install_signal_handlers();    /* before any thread is made */
    b.fonts_owner = rg_ctx_new(stderr);
    rg_build_use_paths(b.fonts_owner, &b.paths);
    rg_fonts_prepare(b.fonts_owner);
    manifest_read(&b);
    clock_gettime(CLOCK_MONOTONIC, &b.start);
    int workers = run_workers(&b);
    manifest_write(&b);
    if (b.progress) putchar('\n');
    printf("batch: %zu built, %zu unchanged, %zu failed", b.built, b.unchanged, b.failed);
    if (b.skipped) printf(", %zu not selected", b.skipped);
    printf(" (%zu definitions, %d workers, %.2f s)\n", b.njobs, workers, elapsed(&b));
    rg_status rc = result(&b);
    batch_free(&b);
    return rc;
}
