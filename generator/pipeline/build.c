/* pipeline/build.c - one report from definition to PDF (see pipeline/pipeline.h). Stage: pipeline.
 * Owns the atomic output (temporary file + rename) and the table of
 * temporary files that a signal handler removes on interruption. */
#include "pipeline.h"
#include "check/check.h"
#include "fonts/fonts.h"
#include "hyphen/hyphen.h"
#include "layout/layout.h"
#include "load/load.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- temporary files removed on interruption ----
 * SIGINT, SIGTERM and SIGHUP are blocked in every thread and taken by one
 * thread of their own (sigwait), which removes the registered temporary
 * files and then dies of the signal. A temporary file is created and
 * registered under temp_lock, which that thread holds from the signal on:
 * no file can appear between its sweep and the end of the process (a
 * handler running on one thread while another creates a file could not
 * promise that). A fixed table: no allocation on that path. */
enum { MAX_TEMPS = 64, TEMP_PATH = 4200 };

static char temp_path[MAX_TEMPS][TEMP_PATH];
static int temp_used[MAX_TEMPS];
static int temp_stopping;          /* a signal came: create nothing more */
static pthread_mutex_t temp_lock = PTHREAD_MUTEX_INITIALIZER;
static sigset_t stop_signals;

/* Locks a new temporary file for as long as it is open, so that a sweep
 * of files left by dead runs (batch/claims.c) can tell it is alive: 1 when
 * locked and still linked (or the file system has no locks: then no sweep
 * can lock it either), 0 when a sweep removed it between mkstemp and here. */
static int lock_while_linked(int fd)
{
    int rc;
    while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR) {}
    struct stat st;
    return rc != 0 || (fstat(fd, &st) == 0 && st.st_nlink > 0);
}

/* mkstemp, then the lock above; a name a sweep took is replaced. */
static int make_locked_temp(char *tmpl)
{
    enum { TRIES = 100 };
    char pattern[TEMP_PATH];
    snprintf(pattern, sizeof pattern, "%s", tmpl);
    for (int i = 0; i < TRIES; i++) {
        int fd = mkstemp(tmpl);
        if (fd < 0 || lock_while_linked(fd)) return fd;
        close(fd);
        memcpy(tmpl, pattern, strlen(pattern) + 1);
    }
    errno = EAGAIN;
    return -1;
}

int rg_build_temp_create(char *tmpl, int *slot)
{
    *slot = -1;
    pthread_mutex_lock(&temp_lock);
    if (temp_stopping) {
        pthread_mutex_unlock(&temp_lock);
        errno = EINTR;
        return -1;
    }
    int fd = make_locked_temp(tmpl);
    for (int i = 0; fd >= 0 && i < MAX_TEMPS && *slot < 0; i++)
        if (!temp_used[i] && strlen(tmpl) < TEMP_PATH) {
            memcpy(temp_path[i], tmpl, strlen(tmpl) + 1);
            temp_used[i] = 1;
            *slot = i;
        }
    pthread_mutex_unlock(&temp_lock);
    return fd;
}

void rg_build_temp_release(int slot)
{
    if (slot < 0) return;
    pthread_mutex_lock(&temp_lock);
    temp_used[slot] = 0;
    pthread_mutex_unlock(&temp_lock);
}

static void *signal_main(void *arg)
{
    (void)arg;
    int sig;
    if (sigwait(&stop_signals, &sig) != 0) return NULL;
    pthread_mutex_lock(&temp_lock);          /* kept: nothing is created from here on */
    temp_stopping = 1;
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temp_used[i]) unlink(temp_path[i]);
    /* die of the signal, as without any of this */
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);                         /* not reached */
}

static void install_once(void)
{
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);
    /* blocked here, in the threads made later, and taken by signal_main */
    if (pthread_sigmask(SIG_BLOCK, &stop_signals, NULL) != 0) return;
    pthread_t t;
    if (pthread_create(&t, NULL, signal_main, NULL) == 0) pthread_detach(t);
    else pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);   /* then plain defaults */
}

void rg_build_install_signal_handlers(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_once);
}

/* ---- the pipeline ---- */

const char *const rg_pdfa_level_names[] = { "off", "1b", "2b", "2u", "2a", NULL };

rg_build_opts rg_build_defaults(void)
{
    rg_build_opts o;
    memset(&o, 0, sizeof o);
    o.write_pdf = 1;
    o.pdfa = RG_PDFA_2A;
    o.tagged = 1;
    const char *check = getenv("REPORTGEN_CHECK_LAYOUT");
    o.check_layout = check && !strcmp(check, "1");
    return o;
}

static void dirname_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, cap, ".");
    else if (slash == path) snprintf(out, cap, "/");
    else snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

void rg_build_use_paths(rg_ctx *ctx, const rg_paths *paths)
{
    rg_fonts_add_dir(ctx, paths->fonts);
    rg_hyphen_set_image_dir(ctx, paths->hyphen_images);
}

rg_status rg_build_load(rg_ctx *ctx, const rg_paths *paths, const char *def,
                        const char *layout_override, rg_doc **doc, rg_style **style)
{
    *style = NULL;
    rg_status st = rg_load_definition(ctx, def, paths->schema, doc);
    if (st != RG_OK) return st;
    rg_build_patterns_ahead(ctx, *doc);       /* pipeline/ahead.c */
    const char *ref = layout_override ? layout_override
                                      : ((*doc)->layout ? (*doc)->layout : "logius");
    char dir[4096], layout_path[8400];
    dirname_of(def, dir, sizeof dir);
    rg_paths_layout(paths, ref, layout_override ? NULL : dir, layout_path, sizeof layout_path);
    st = rg_load_layout(ctx, layout_path, paths->layout_schema, style);
    if (st == RG_OK) st = rg_load_layout_logos(ctx, *doc, *style);
    if (st != RG_OK) {
        rg_doc_free(*doc);
        *doc = NULL;
        if (*style) rg_style_free(*style);
        *style = NULL;
    }
    return st;
}

/* Seconds of 9999-12-31T23:59:59Z: the last moment a PDF date (D:YYYY...)
 * and an XMP date can both say. */
#define LAST_SOURCE_DATE 253402300799LL

rg_status rg_build_source_date(rg_ctx *ctx, long long *t)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    *t = -1;
    if (!sde || !*sde) return RG_OK;
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (*end || errno || v < 0 || v > LAST_SOURCE_DATE) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0,
                "SOURCE_DATE_EPOCH='%s' is not a time from 1970 to 9999 in seconds since "
                "1970-01-01 (0 to %lld)", sde, LAST_SOURCE_DATE);
        return RG_EX_USAGE;
    }
    *t = v;
    return RG_OK;
}

/* SOURCE_DATE_EPOCH stands in for a date the definition does not give. */
static rg_status apply_source_date(rg_ctx *ctx, const rg_doc *doc, rg_dl *dl)
{
    long long t;
    rg_status st = rg_build_source_date(ctx, &t);
    if (st != RG_OK || doc->info.date.year || t < 0) return st;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) return RG_OK;
    dl->meta.year = tm.tm_year + 1900;
    dl->meta.month = tm.tm_mon + 1;
    dl->meta.day = tm.tm_mday;
    dl->meta.hour = tm.tm_hour;
    dl->meta.minute = tm.tm_min;
    dl->meta.second = tm.tm_sec;
    return RG_OK;
}

static rg_status cannot_write(rg_ctx *ctx, const char *path, const char *why)
{
    rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", why);
    return RG_EX_CANTCREAT;
}

static rg_status write_dump(rg_ctx *ctx, const rg_dl *dl, const char *path)
{
    if (!strcmp(path, "-")) {
        rg_dl_dump(dl, stdout);
        return fflush(stdout) == 0 ? RG_OK : RG_EX_CANTCREAT;
    }
    rg_status st = rg_output_check(ctx, path);
    if (st != RG_OK) return st;
    FILE *f = fopen(path, "w");
    if (!f) return cannot_write(ctx, path, strerror(errno));
    rg_dl_dump(dl, f);
    if (fclose(f) != 0) return cannot_write(ctx, path, strerror(errno));
    return RG_OK;
}

/* Writes the finished PDF to standard output (-o -), the one stream
 * reportgen writes a PDF to. */
static rg_status write_pdf_stdout(rg_ctx *ctx, const unsigned char *pdf, size_t len)
{
    fflush(stdout);
    if (rg_write_all(STDOUT_FILENO, pdf, len) != 0)
        return cannot_write(ctx, "standard output", strerror(errno));
    return RG_OK;
}

/* -o -: the PDF is made in memory and written to standard output. */
static rg_status write_pdf_to_stdout(rg_ctx *ctx, const rg_dl *dl, rg_pdf_opts *po)
{
    po->name = "standard output";
    unsigned char *pdf = NULL;
    size_t len = 0;
    rg_status st = rg_pdf_write_mem(ctx, dl, po, &pdf, &len);
    if (st == RG_OK) st = write_pdf_stdout(ctx, pdf, len);
    free(pdf);
    return st;
}

/* Writes the PDF into a temporary file beside the target as it is made
 * (rg_pdf_write_fd: every write checked, so a full disk is an error, not a
 * truncated PDF; libharu's file stream would ignore a failing fclose),
 * then fsyncs it and renames it into place on success. On any failure the
 * temporary file is removed and the previous file at output stays as it
 * was. A target that is not a regular file, or is one of the report's
 * inputs, is refused (rg_output_check); "-" is standard output. */
static rg_status write_pdf_atomically(rg_ctx *ctx, const rg_dl *dl, const rg_pdf_opts *opts,
                                      const char *output)
{
    rg_status st = rg_output_check(ctx, output);
    if (st != RG_OK) return st;
    rg_pdf_opts po = *opts;
    if (!strcmp(output, "-")) return write_pdf_to_stdout(ctx, dl, &po);
    po.name = output;
    char dir[4096], tmp[TEMP_PATH];
    dirname_of(output, dir, sizeof dir);
    snprintf(tmp, sizeof tmp, "%s/.reportgen-XXXXXX", dir);
    int slot;
    int fd = rg_build_temp_create(tmp, &slot);
    if (fd < 0) return cannot_write(ctx, output, strerror(errno));
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) { /* keeps mkstemp's 0600: still a valid PDF */ }
    st = rg_pdf_write_fd(ctx, dl, &po, fd);      /* its diagnostic names output */
    if (st == RG_OK) st = rg_output_check(ctx, output);   /* again: making it took time */
    /* renamed before it is closed: closing drops the lock that tells a
     * sweep of dead runs' files this one is alive (rg_build_temp_create) */
    if (st == RG_OK && (fsync(fd) != 0 || rename(tmp, output) != 0))
        st = cannot_write(ctx, output, strerror(errno));
    if (close(fd) != 0 && st == RG_OK) st = cannot_write(ctx, output, strerror(errno));
    if (st != RG_OK) unlink(tmp);
    rg_build_temp_release(slot);
    return st;
}

/* glibc's malloc_trim where the C library has it: a weak reference, so
 * no header beyond C and POSIX, and nothing happens on a library without
 * it. */
extern int malloc_trim(size_t pad) __attribute__((weak));

/* AddressSanitizer replaces malloc, so glibc's own arenas are first set
 * up by the trim itself, and glibc does that without a lock: two batch
 * workers trimming at once could read a bin not yet made (a SEGV at
 * 0x8 in malloc_trim, about 1 run in 300 of two threads trimming). The
 * trim frees nothing there anyway. */
#if defined(__SANITIZE_ADDRESS__)
#define RG_MALLOC_IS_GLIBCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RG_MALLOC_IS_GLIBCS 0
#endif
#endif
#ifndef RG_MALLOC_IS_GLIBCS
#define RG_MALLOC_IS_GLIBCS 1
#endif

/* Freed memory back to the system, where malloc is glibc's. */
static void return_freed_memory(void)
{
    if (RG_MALLOC_IS_GLIBCS && malloc_trim) malloc_trim(0);
}

/* issue 22: the pdf stage hands back each page it has rendered; nothing
 * reads that page's items after, so they go (rg_pdf_opts.page_done).
 * After the last one the freed pages go back to the system: glibc keeps
 * freed small blocks for reuse, and the save's big buffers (the output,
 * the object streams) are fresh mappings that would not reuse them (8,000
 * pages: 1,270 MB peak without the trim, 1,020 MB with it). */
static void release_page(void *arg, size_t page)
{
    rg_dl *dl = arg;
    rg_dl_page_release(dl, page);
    if (page + 1 == dl->npages) return_freed_memory();
}

static rg_status build_write(rg_ctx *ctx, const rg_doc *doc, rg_doc **owned,
                             const rg_style *style, const rg_build_opts *o, const char *output);

/* A page layout spilled and could not read back (issue 22): the list is
 * incomplete and nothing may be written from it. */
static rg_status spill_check(rg_ctx *ctx, const rg_dl *dl, const char *path)
{
    int err = rg_dl_spill_status(dl, NULL);
    if (!err) return RG_OK;
    rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read laid-out pages back from the "
            "temporary file in %s: %s", ctx->scratch_dir ? ctx->scratch_dir : "?",
            strerror(err));
    return RG_EX_CANTCREAT;
}

/* The process's peak resident memory so far, MB (--stage-times). */
static long peak_rss_mb(void)
{
    struct rusage u;
    return getrusage(RUSAGE_SELF, &u) == 0 ? u.ru_maxrss / 1024 : -1;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* issue 22: where the stages keep their unlinked temporary files
 * (rg_ctx.scratch_dir): the folder the PDF is written in (the temporary
 * output is there already, and /tmp may be memory), else $TMPDIR or
 * /tmp. */
static void scratch_dir_for(const rg_build_opts *o, const char *output, char *dir, size_t cap)
{
    if (o->write_pdf && output && strcmp(output, "-") != 0) {
        dirname_of(output, dir, cap);
        return;
    }
    const char *t = getenv("TMPDIR");
    snprintf(dir, cap, "%s", t && *t ? t : "/tmp");
}

/* Both entry points: owned, when not NULL, is the caller's pointer to doc,
 * freed once layout is done with it. */
static rg_status write_with_scratch(rg_ctx *ctx, const rg_doc *doc, rg_doc **owned,
                                    const rg_style *style, const rg_build_opts *o,
                                    const char *output)
{
    char scratch[4096];
    scratch_dir_for(o, output, scratch, sizeof scratch);
    const char *scratch_before = ctx->scratch_dir;
    long spill_before = ctx->spill_after_pages, window_before = ctx->table_window_rows;
    ctx->scratch_dir = scratch;
    /* tests make every document spill (0) or none (-1), and tables keep
     * their lines a few rows at a time or all at once (-1); not a user's
     * option (tests/spill.sh) */
    const char *e = getenv("REPORTGEN_SPILL_AFTER");
    if (e && *e) ctx->spill_after_pages = strtol(e, NULL, 10);
    e = getenv("REPORTGEN_TABLE_WINDOW");
    if (e && *e) ctx->table_window_rows = strtol(e, NULL, 10);
    rg_status st = build_write(ctx, doc, owned, style, o, output);
    ctx->scratch_dir = scratch_before;
    ctx->spill_after_pages = spill_before;
    ctx->table_window_rows = window_before;
    return st;
}

rg_status rg_build_write(rg_ctx *ctx, const rg_doc *doc, const rg_style *style,
                         const rg_build_opts *o, const char *output)
{
    return write_with_scratch(ctx, doc, NULL, style, o, output);
}

rg_status rg_build_write_owned(rg_ctx *ctx, rg_doc **doc, const rg_style *style,
                               const rg_build_opts *o, const char *output)
{
    return write_with_scratch(ctx, *doc, doc, style, o, output);
}

/* rg_build_write without its scratch folder. */
static rg_status build_write(rg_ctx *ctx, const rg_doc *doc, rg_doc **owned,
                             const rg_style *style, const rg_build_opts *o, const char *output)
{
    rg_dl *dl = NULL;
    /* refuse a target that may not be written before the work, not after */
    long long sde;
    rg_status st = rg_build_source_date(ctx, &sde);
    if (st == RG_OK && o->write_pdf) st = rg_output_check(ctx, output);
    if (st == RG_OK && o->dump) st = rg_output_check(ctx, o->dump);
    if (st != RG_OK) return st;
    double t0 = now_ms();
    long rss0 = peak_rss_mb();
    ctx->layout_unchecked = !o->check_layout && !o->dump;   /* issue 22 */
    st = rg_layout(ctx, doc, style, &dl);
    ctx->layout_unchecked = 0;
    double t1 = now_ms();
    long rss1 = peak_rss_mb();
    size_t spilled = 0;                            /* before the pdf stage lets pages go */
    uint64_t spill_bytes = 0;
    if (dl && o->stage_times) rg_dl_spill_counts(dl, &spilled, &spill_bytes);
    if (st == RG_OK) st = spill_check(ctx, dl, doc->path);
    if (st == RG_OK && o->check_layout && rg_check_layout(ctx, dl, doc->path, NULL))
        st = RG_EX_SOFTWARE;
    if (st == RG_OK && o->strict && ctx->warnings) {
        rg_diag(ctx, RG_SEV_ERROR, doc->path, 0, 0, "warnings are errors with --strict");
        st = RG_EX_DATAERR;
    }
    if (st == RG_OK) st = apply_source_date(ctx, doc, dl);
    if (st == RG_OK && o->dump) st = write_dump(ctx, dl, o->dump);
    if (st == RG_OK) rg_dl_before_pdf(dl);         /* issue 22: what only check and dump read */
    if (owned) {                                   /* and the model: the list holds what the */
        rg_doc_free(*owned);                       /* pdf stage reads (pictures copied) */
        *owned = NULL;
        doc = NULL;
    }
    if (st == RG_OK && o->write_pdf) {
        rg_pdf_opts po = { o->pdfa, o->tagged && dl->nelems > 0, NULL,
                           release_page, dl };     /* issue 22: the list is ours */
        st = write_pdf_atomically(ctx, dl, &po, output);
    }
    if (o->stage_times && dl) {
        int images, parsed, memo, fontconfig;
        rg_hyphen_counts(ctx, &images, &parsed);
        images += ctx->helper_patterns[0];        /* the layout thread's contexts */
        parsed += ctx->helper_patterns[1];
        rg_fonts_counts(ctx, &memo, &fontconfig);
        fprintf(stderr, "stage times: layout %.2f ms, pdf %.2f ms (%zu pages); "
                "hyphenation patterns: %d from images, %d parsed; "
                "font lookups: %d from the memo, %d by fontconfig; "
                "set ahead: %zu paragraphs, %zu cells\n", t1 - t0, now_ms() - t1,
                dl->npages, images, parsed, memo, fontconfig, ctx->paras_ahead, ctx->items_ahead);
        fprintf(stderr, "stage times: peak RSS %ld MB before layout, %ld after it, %ld after the pdf; "
                "spilled: %zu pages, %.1f MB to a temporary file\n", rss0, rss1, peak_rss_mb(),
                spilled, (double)spill_bytes / 1e6);
    }
    rg_dl_free(dl);
    return st;
}

rg_status rg_build_to_file(const char *def, const char *out_pdf)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_paths paths;
    rg_paths_find(&paths);
    rg_build_use_paths(ctx, &paths);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_build_opts o = rg_build_defaults();
    rg_status st = rg_build_load(ctx, &paths, def, NULL, &doc, &style);
    if (st == RG_OK) st = rg_build_write_owned(ctx, &doc, style, &o, out_pdf);
    rg_style_free(style);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return st;
}
