/* batch/manifest.c - the batch manifest on disk (format: manifest.h):
 * what it records, lines appended as reports finish, the compaction at
 * the end. Stage: batch.
 *
 * Two locks: a mutex for the threads of this process, and flock on the
 * lock file for other processes (flock belongs to the open file, which
 * the threads share, so it cannot tell them apart). Both are held only
 * while a line is appended or the file rewritten, never while a report
 * is built. Reading needs neither: appends add whole lines and the
 * compaction replaces the file by rename, so a reader sees complete lines
 * of one file or the other; a line not yet finished (no '\n') is read on
 * the next refresh. */
#include "manifest.h"
#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    MAX_MANIFEST_LINE = 65536      /* a line holds a path and a title: far less */
};

struct manifest {
    char dir[4096];
    char path[4200];
    FILE *err;
    int lock_fd;
    pthread_mutex_t mutex;
    /* what the file records, one entry per output (the last line wins) */
    rg_manifest_entry *entries;
    size_t n, cap;
    size_t *index;                 /* open addressing by output name: entry + 1, 0 empty */
    size_t index_cap;
    /* how far the file was read: held open (view_fd), so that its inode
     * number cannot go to another file while the view is of it (a
     * compaction's new file often gets the number of one replaced before:
     * the view would take it for the file it read and skip its start) */
    int view_fd;
    dev_t dev;
    ino_t ino;
    off_t offset;
    size_t line_no;
    size_t skipped, old_lines, newer_lines;
};

/* "OUTDIR/.reportgen-batch: SEV: message" on m->err. */
static void say(manifest *m, const char *sev, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void say(manifest *m, const char *sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(m->err, "%s: %s: ", m->path, sev);
    vfprintf(m->err, fmt, ap);
    fputc('\n', m->err);
    va_end(ap);
}

/* ------------------------------------------------------------ the view */

static size_t slot_for(const manifest *m, const char *output)
{
    size_t mask = m->index_cap - 1;
    size_t i = (size_t)rg_hash_bytes(0, output, strlen(output)) & mask;
    while (m->index[i] && strcmp(m->entries[m->index[i] - 1].output, output)) i = (i + 1) & mask;
    return i;
}

static void grow_index(manifest *m)
{
    if (m->index_cap && (m->n + 1) * 2 <= m->index_cap) return;
    free(m->index);
    m->index_cap = m->index_cap ? m->index_cap * 2 : 256;
    m->index = rg_xcalloc(m->index_cap, sizeof *m->index);
    for (size_t k = 0; k < m->n; k++) m->index[slot_for(m, m->entries[k].output)] = k + 1;
}

/* Takes e (its strings) as the latest line for its output. */
static void remember(manifest *m, rg_manifest_entry *e)
{
    grow_index(m);
    size_t i = slot_for(m, e->output);
    if (m->index[i]) {
        rg_manifest_entry_clear(&m->entries[m->index[i] - 1]);
        m->entries[m->index[i] - 1] = *e;
        return;
    }
    rg_grow(&m->entries, &m->cap, m->n + 1, sizeof *m->entries);
    m->entries[m->n++] = *e;
    m->index[i] = m->n;
}

static void forget_all(manifest *m)
{
    for (size_t k = 0; k < m->n; k++) rg_manifest_entry_clear(&m->entries[k]);
    m->n = 0;
    if (m->index) memset(m->index, 0, m->index_cap * sizeof *m->index);
    m->offset = 0;
    m->line_no = 0;
    m->skipped = m->old_lines = m->newer_lines = 0;
}

static void take_line(manifest *m, char *line, size_t len)
{
    rg_manifest_entry e;
    char why[128];
    m->line_no++;
    if (len == 0) return;
    switch (rg_manifest_line_parse(line, len, &e, why, sizeof why)) {
    case RG_LINE_RECORD: remember(m, &e); return;
    case RG_LINE_OLD: m->old_lines++; return;
    case RG_LINE_NEWER: m->newer_lines++; return;
    case RG_LINE_BAD: break;
    }
    m->skipped++;
    say(m, "warning", "line %zu skipped: %s", m->line_no, why);
}

/* Reads the complete lines between m->offset and the end of fd. */
static void read_new_lines(manifest *m, int fd, off_t size)
{
    size_t want = (size_t)(size - m->offset);
    char *buf = rg_xmalloc(want + 1);
    ssize_t got = pread(fd, buf, want, m->offset);
    size_t used = 0;
    for (size_t i = 0; got > 0 && i < (size_t)got; i++) {
        if (buf[i] != '\n') continue;
        buf[i] = 0;
        if (i - used <= MAX_MANIFEST_LINE) {
            take_line(m, buf + used, i - used);
        } else {
            m->skipped++;
            say(m, "warning", "line %zu skipped: longer than %d bytes", ++m->line_no,
                MAX_MANIFEST_LINE);
        }
        used = i + 1;
    }
    m->offset += (off_t)used;
    free(buf);
}

/* Brings the view up to the file as it is now: the lines appended since,
 * or all of it again when it was replaced. Called with m->mutex held. */
static void refresh(manifest *m)
{
    int fd = open(m->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        if (m->offset) forget_all(m);
        if (m->view_fd >= 0) close(m->view_fd);
        m->view_fd = -1;
        return;
    }
    if (m->view_fd < 0 || st.st_dev != m->dev || st.st_ino != m->ino || st.st_size < m->offset) {
        forget_all(m);
        if (m->view_fd >= 0) close(m->view_fd);
        m->view_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);   /* -1: read all again next time */
        m->dev = st.st_dev;
        m->ino = st.st_ino;
    }
    if (st.st_size > m->offset) read_new_lines(m, fd, st.st_size);
    close(fd);
}

recorded_state manifest_recorded(manifest *m, const char *output, uint64_t hash,
                                 const char *definition)
{
    pthread_mutex_lock(&m->mutex);
    refresh(m);
    recorded_state rs = RECORDED_NOT;
    size_t i = m->index_cap ? slot_for(m, output) : 0;
    if (m->index_cap && m->index[i] && m->entries[m->index[i] - 1].hash == hash) {
        const char *def = m->entries[m->index[i] - 1].definition;
        rs = def && definition && !strcmp(def, definition) ? RECORDED : RECORDED_ELSEWHERE;
    }
    pthread_mutex_unlock(&m->mutex);
    return rs;
}

/* ------------------------------------------------------------ writing */

static void lock_file(manifest *m)
{
    pthread_mutex_lock(&m->mutex);
    while (flock(m->lock_fd, LOCK_EX) != 0 && errno == EINTR) {}
}

static void unlock_file(manifest *m)
{
    flock(m->lock_fd, LOCK_UN);
    pthread_mutex_unlock(&m->mutex);
}

/* A line left without its '\n' (a crash in the middle of a write) gets
 * one, so that the next line is not glued to it. */
static int end_last_line(int fd)
{
    struct stat st;
    char last;
    if (fstat(fd, &st) != 0) return -1;
    if (st.st_size == 0) return 0;
    if (pread(fd, &last, 1, st.st_size - 1) != 1) return -1;
    return last == '\n' ? 0 : rg_write_all(fd, "\n", 1);
}

static rg_status append_line(manifest *m, const char *line)
{
    struct stat before;
    int existed = lstat(m->path, &before) == 0;
    int fd = open(m->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    int bad = fd < 0 || end_last_line(fd) != 0 || rg_write_all(fd, line, strlen(line)) != 0 ||
              fsync(fd) != 0;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && !bad) bad = 1, saved = errno;
    if (!bad && !existed && rg_sync_folder(m->dir) != 0) bad = 1, saved = errno;
    errno = saved;
    return bad ? RG_EX_CANTCREAT : RG_OK;
}

rg_status manifest_append(manifest *m, const rg_manifest_entry *e)
{
    char *line = rg_manifest_line_format(e);
    if (!line) {
        say(m, "error", "cannot record %s: a path or title that is not UTF-8", e->output);
        return RG_EX_DATAERR;
    }
    lock_file(m);
    rg_status st = append_line(m, line);
    if (st != RG_OK)
        say(m, "error", "cannot record %s: %s (it is built again next time)", e->output,
            strerror(errno));
    unlock_file(m);
    free(line);
    return st;
}

static int by_output(const void *a, const void *b)
{
    return strcmp((*(const rg_manifest_entry *const *)a)->output,
                  (*(const rg_manifest_entry *const *)b)->output);
}

/* The compacted file's bytes: one line per output whose PDF exists. */
static char *compacted(manifest *m, size_t *len)
{
    const rg_manifest_entry **order = rg_xcalloc(m->n + 1, sizeof *order);
    size_t n = 0;
    for (size_t k = 0; k < m->n; k++) {
        char pdf[4400];
        struct stat st;
        snprintf(pdf, sizeof pdf, "%s/%s", m->dir, m->entries[k].output);
        if (lstat(pdf, &st) == 0) order[n++] = &m->entries[k];
    }
    qsort(order, n, sizeof *order, by_output);
    char *all = rg_xstrdup("");
    size_t used = 0, cap = 1;
    for (size_t k = 0; k < n; k++) {
        char *line = rg_manifest_line_format(order[k]);   /* it was read as UTF-8: cannot fail */
        size_t l = line ? strlen(line) : 0;
        rg_grow(&all, &cap, used + l + 1, 1);
        memcpy(all + used, line ? line : "", l + 1);
        used += l;
        free(line);
    }
    free(order);
    *len = used;
    return all;
}

/* Writes bytes as the new file: temporary file, fsync, rename, folder
 * fsync. 0, or -1 with errno. Called with the file locked. */
static int replace_file(manifest *m, const char *bytes, size_t len)
{
    char tmp[4300];
    int slot;
    snprintf(tmp, sizeof tmp, "%s/.reportgen-XXXXXX", m->dir);
    int fd = rg_build_temp_create(tmp, &slot);
    if (fd < 0) return -1;
    mode_t mask = umask(0);
    umask(mask);
    /* renamed before it is closed: the open file's lock marks it alive */
    int bad = fchmod(fd, 0666 & ~mask) != 0 || rg_write_all(fd, bytes, len) != 0 ||
              fsync(fd) != 0 || rename(tmp, m->path) != 0;
    int saved = errno;
    if (bad) unlink(tmp);
    if (close(fd) != 0 && !bad) bad = 1, saved = errno;
    rg_build_temp_release(slot);
    if (!bad && rg_sync_folder(m->dir) != 0) bad = 1, saved = errno;
    errno = saved;
    return bad ? -1 : 0;
}

rg_status manifest_compact(manifest *m)
{
    lock_file(m);
    refresh(m);
    rg_status st = RG_OK;
    if (m->newer_lines) {
        say(m, "error", "not compacted: it has lines of a newer reportgen");
        st = RG_EX_CANTCREAT;
    } else {
        size_t len;
        char *bytes = compacted(m, &len);
        if (replace_file(m, bytes, len) != 0) {
            say(m, "error", "cannot rewrite it: %s", strerror(errno));
            st = RG_EX_CANTCREAT;
        }
        free(bytes);
    }
    unlock_file(m);
    return st;
}

/* ------------------------------------------------------------ opening */

rg_status manifest_open(const char *dir, FILE *err, manifest **out)
{
    manifest *m = rg_xcalloc(1, sizeof *m);
    snprintf(m->dir, sizeof m->dir, "%s", dir);
    snprintf(m->path, sizeof m->path, "%s/%s", dir, RG_MANIFEST_NAME);
    m->err = err;
    m->view_fd = -1;
    pthread_mutex_init(&m->mutex, NULL);
    *out = m;
    char lock_path[4300];
    snprintf(lock_path, sizeof lock_path, "%s/%s", dir, MANIFEST_LOCK_NAME);
    m->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    struct stat st;
    if (m->lock_fd >= 0 && (fstat(m->lock_fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(m->lock_fd);
        m->lock_fd = -1;
        errno = EEXIST;
    }
    if (m->lock_fd < 0) {
        fprintf(err, "%s: error: cannot create the lock file: %s\n", lock_path, strerror(errno));
        return RG_EX_CANTCREAT;
    }
    pthread_mutex_lock(&m->mutex);
    refresh(m);
    size_t newer = m->newer_lines, old = m->old_lines, skipped = m->skipped;
    pthread_mutex_unlock(&m->mutex);
    if (newer) {
        say(m, "error", "written by a newer reportgen (format version above %d): "
            "refusing to change it", RG_MANIFEST_VERSION);
        return RG_EX_CANTCREAT;
    }
    if (old)
        say(m, "note", "in the format before version 1: read as no manifest, so its "
            "reports are built once more");
    return old || skipped ? manifest_compact(m) : RG_OK;
}

rg_status manifest_read(const char *dir, FILE *err, manifest **out)
{
    manifest *m = rg_xcalloc(1, sizeof *m);
    snprintf(m->dir, sizeof m->dir, "%s", dir);
    snprintf(m->path, sizeof m->path, "%s/%s", dir, RG_MANIFEST_NAME);
    m->err = err;
    m->lock_fd = -1;
    m->view_fd = -1;
    pthread_mutex_init(&m->mutex, NULL);
    *out = m;
    pthread_mutex_lock(&m->mutex);
    refresh(m);
    size_t newer = m->newer_lines;
    pthread_mutex_unlock(&m->mutex);
    if (!newer) return RG_OK;
    say(m, "error", "written by a newer reportgen (format version above %d)", RG_MANIFEST_VERSION);
    return RG_EX_DATAERR;
}

const rg_manifest_entry *manifest_entries(manifest *m, size_t *n)
{
    pthread_mutex_lock(&m->mutex);
    refresh(m);
    *n = m->n;
    pthread_mutex_unlock(&m->mutex);
    return m->entries;
}

void manifest_free(manifest *m)
{
    if (!m) return;
    forget_all(m);
    free(m->entries);
    free(m->index);
    if (m->lock_fd >= 0) close(m->lock_fd);
    if (m->view_fd >= 0) close(m->view_fd);
    pthread_mutex_destroy(&m->mutex);
    free(m);
}
