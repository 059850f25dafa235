/* pipeline/watch.c - reportgen build --watch (see pipeline/pipeline.h).
 * Stage: pipeline.
 *
 * Builds the report, then again whenever a file the build read (or tried
 * to read) is saved: the definition, its XIncluded parts, its CSV data,
 * the layout file, the schemas. Whatever each build read is told by the
 * load stage (rg_ctx_note_path); the folders holding those files are
 * watched with inotify, not the files, so an editor that saves by writing
 * a new file and renaming it over the old one is seen too, and events are
 * matched by name. A burst of events (an editor's save is several) is one
 * rebuild once WATCH_QUIET_MS passed without another. Each build is
 * reported on stderr with the time of day: its diagnostics as they come,
 * then "12:03:04 built rapport.pdf in 15 ms, 2 warnings" or "12:03:04
 * failed (exit 65): rapport.pdf kept as it was" (the atomic write never
 * touches the PDF of a failed build).
 *
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP end the watch with status 0. They
 * are blocked while a build runs (in every thread, which are all made
 * later) and let in only while the loop waits in pselect, so a build is
 * never cut short: no temporary file is left, and the signal ends the
 * watch right after. rg_build_install_signal_handlers is not used here. */
#include "pipeline.h"
#include "fonts/fonts.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

/* How long the files must stay quiet before a rebuild. */
enum { WATCH_QUIET_MS = 100 };

#define WATCH_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB | \
                      IN_MODIFY | IN_MOVED_FROM)

typedef struct watched_file {
    int wd;                        /* the watch on its folder, or -1 */
    char *dir;                     /* its folder (real path) */
    char *name;                    /* its name there */
} watched_file;

typedef struct watch {
    int fd;                        /* inotify */
    watched_file *files;
    size_t nfiles, capfiles;
    int warned;                    /* a folder could not be watched: said once */
} watch;

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* "12:03:04" in out (9 bytes). */
static void time_of_day(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm)) strftime(out, cap, "%H:%M:%S", &tm);
    else snprintf(out, cap, "--:--:--");
}

/* Adds the file at path (its folder resolved, its name kept) and a watch
 * on its folder, unless it is there already. */
static void watch_file(watch *w, const char *path)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (slash == path) snprintf(dir, sizeof dir, "/");
    else if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else snprintf(dir, sizeof dir, ".");
    if (!*name || !realpath(dir, real)) return;
    for (size_t i = 0; i < w->nfiles; i++)
        if (!strcmp(w->files[i].dir, real) && !strcmp(w->files[i].name, name)) return;
    int wd = -1;
    for (size_t i = 0; i < w->nfiles && wd < 0; i++)
        if (!strcmp(w->files[i].dir, real)) wd = w->files[i].wd;
    if (wd < 0) {
        wd = inotify_add_watch(w->fd, real, WATCH_EVENTS);
        if (wd < 0 && !w->warned++)
            fprintf(stderr, "reportgen: warning: cannot watch %s: %s (its files' changes "
                    "are not seen)\n", real, strerror(errno));
    }
    rg_grow(&w->files, &w->capfiles, w->nfiles + 1, sizeof *w->files);
    w->files[w->nfiles++] = (watched_file){ wd, rg_xstrdup(real), rg_xstrdup(name) };
}

static void note_path(void *data, const char *path)
{
    watch_file(data, path);
}

/* Whether an event names one of the files watched. */
static int concerns(const watch *w, const struct inotify_event *ev)
{
    if (!ev->len) return 0;
    for (size_t i = 0; i < w->nfiles; i++)
        if (w->files[i].wd == ev->wd && !strcmp(w->files[i].name, ev->name)) return 1;
    return 0;
}

/* Reads the events waiting; whether one concerned a file watched. */
static int drain(watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hit = 0;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            hit |= concerns(w, ev);
            p += sizeof *ev + ev->len;
        }
    }
    return hit;
}

/* One build, reported. ctx serves every build (its caches stay). */
static void build_once(rg_ctx *ctx, watch *w, const rg_paths *paths, const char *def,
                       const rg_build_opts *o, const char *output)
{
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    char when[16];
    rg_ctx_reset(ctx);
    ctx->path_hook = note_path;
    ctx->path_hook_data = w;
    double t0 = now_ms();
    rg_status st = rg_build_load(ctx, paths, def, o->layout, &doc, &style);
    if (st == RG_OK) st = rg_build_write_owned(ctx, &doc, style, o, output);
    double ms = now_ms() - t0;
    rg_style_free(style);
    rg_doc_free(doc);
    ctx->path_hook = NULL;
    time_of_day(when, sizeof when);
    const char *shown = o->write_pdf ? output : o->dump;
    if (st == RG_OK) {
        fprintf(stderr, "%s built %s in %.0f ms, %d warning%s\n", when, shown, ms,
                ctx->warnings, ctx->warnings == 1 ? "" : "s");
    } else {
        int kept = o->write_pdf && strcmp(output, "-") && access(output, F_OK) == 0;
        fprintf(stderr, "%s failed (exit %d), %d error%s: %s%s\n", when, (int)st, ctx->errors,
                ctx->errors == 1 ? "" : "s", kept ? output : "no PDF written",
                kept ? " kept as it was" : "");
    }
    fflush(stderr);
}

rg_status rg_build_watch(const rg_paths *paths, const char *def, const rg_build_opts *o,
                         const char *output)
{
    /* the stop signals: blocked from here on (in the threads made later
     * too), let in only while waiting */
    sigset_t stops, waiting;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stops, &waiting);
    sigdelset(&waiting, SIGINT);
    sigdelset(&waiting, SIGTERM);
    sigdelset(&waiting, SIGHUP);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    watch w;
    memset(&w, 0, sizeof w);
    w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.fd < 0) {
        fprintf(stderr, "reportgen: cannot watch files: %s\n", strerror(errno));
        return RG_EX_UNAVAILABLE;
    }
    rg_ctx *ctx = rg_ctx_new(stderr);
    ctx->strict = o->strict;
    rg_build_use_paths(ctx, paths);
    rg_fonts_prepare(ctx);
    watch_file(&w, def);                  /* even when it cannot be read yet */
    char real[PATH_MAX];
    if (realpath(def, real)) watch_file(&w, real);   /* a link's target too */
    fprintf(stderr, "watching %s: Ctrl-C ends\n", def);
    build_once(ctx, &w, paths, def, o, output);

    int pending = 0;
    double last = 0;
    while (!stop_signal) {
        fd_set in;
        FD_ZERO(&in);
        FD_SET(w.fd, &in);
        struct timespec wait, *tp = NULL;
        if (pending) {
            double left = last + WATCH_QUIET_MS - now_ms();
            if (left < 0) left = 0;
            wait.tv_sec = (time_t)(left / 1000);
            wait.tv_nsec = (long)((left - (double)wait.tv_sec * 1000) * 1e6);
            tp = &wait;
        }
        int r = pselect(w.fd + 1, &in, NULL, NULL, tp, &waiting);
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "reportgen: cannot watch files: %s\n", strerror(errno));
            break;
        }
        if (stop_signal) break;
        if (r > 0 && drain(&w)) {
            pending = 1;
            last = now_ms();
        }
        if (pending && now_ms() >= last + WATCH_QUIET_MS) {
            pending = 0;
            build_once(ctx, &w, paths, def, o, output);
        }
    }
    rg_status st = stop_signal ? RG_OK : RG_EX_SOFTWARE;
    if (stop_signal) {
        char when[16];
        time_of_day(when, sizeof when);
        fprintf(stderr, "%s stopped watching\n", when);
    }
    rg_ctx_free(ctx);
    close(w.fd);
    for (size_t i = 0; i < w.nfiles; i++) {
        free(w.files[i].dir);
        free(w.files[i].name);
    }
    free(w.files);
    return st;
}
