/* base/files.c - opening what reportgen reads, checking what it writes
 * (see base/base.h). A FIFO, a device or a folder given where a file is
 * expected must neither hang a run nor be read or replaced: every input is
 * opened non-blocking and fstat'ed before a byte is read, every output
 * target is lstat'ed before it is replaced. */
#define _GNU_SOURCE                /* O_TMPFILE (rg_scratch_file) */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What kind of file st is, for a message ("a FIFO"). */
static const char *kind_of(const struct stat *st)
{
    if (S_ISDIR(st->st_mode)) return "a folder";
    if (S_ISFIFO(st->st_mode)) return "a FIFO";
    if (S_ISCHR(st->st_mode)) return "a character device";
    if (S_ISBLK(st->st_mode)) return "a block device";
    if (S_ISSOCK(st->st_mode)) return "a socket";
    if (S_ISLNK(st->st_mode)) return "a symbolic link";
    return "not a regular file";
}

int rg_open_regular(const char *path, size_t cap, size_t *size, rg_file_id *id,
                    rg_status *status, char *why, size_t whylen)
{
    struct stat st;
    *status = RG_EX_NOINPUT;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        const char *kind = kind_of(&st);
        snprintf(why, whylen, "%s%s", kind, strncmp(kind, "not ", 4) ? ", not a regular file" : "");
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > cap) {
        snprintf(why, whylen, "file too large (%lld bytes; the limit is %zu)",
                 (long long)st.st_size, cap);
        *status = RG_EX_DATAERR;
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    *size = (size_t)st.st_size;
    if (id) *id = (rg_file_id){ (uint64_t)st.st_dev, (uint64_t)st.st_ino };
    *status = RG_OK;
    return fd;
}

/* Reads up to want bytes; fewer only at end of file. -1 on an error. */
static ssize_t read_full(int fd, char *buf, size_t want)
{
    size_t n = 0;
    while (n < want) {
        ssize_t got = read(fd, buf + n, want - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return -1;
        if (got == 0) break;
        n += (size_t)got;
    }
    return (ssize_t)n;
}

rg_status rg_read_regular(const char *path, size_t cap, char **out, size_t *len,
                          rg_file_id *id, char *why, size_t whylen)
{
    rg_status st;
    size_t size;
    *out = NULL;
    *len = 0;
    int fd = rg_open_regular(path, cap, &size, id, &st, why, whylen);
    if (fd < 0) return st;
    char *buf = rg_xmalloc(size + 1);
    char extra;
    ssize_t n = read_full(fd, buf, size);
    if (n < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
    } else if ((size_t)n != size || read_full(fd, &extra, 1) != 0) {
        snprintf(why, whylen, "file changed while being read");
        n = -1;
    }
    close(fd);
    if (n < 0) {
        free(buf);
        return RG_EX_NOINPUT;
    }
    buf[size] = 0;
    *out = buf;
    *len = size;
    return RG_OK;
}

rg_status rg_read_stream(int fd, size_t cap, char **out, size_t *len, rg_file_id *id,
                         int *have_id, char *why, size_t whylen)
{
    struct stat st;
    *out = NULL;
    *len = 0;
    if (have_id) *have_id = 0;
    if (fstat(fd, &st) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return RG_EX_NOINPUT;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "a folder, not a regular file");
        return RG_EX_NOINPUT;
    }
    if (S_ISREG(st.st_mode)) {
        if (id) *id = (rg_file_id){ (uint64_t)st.st_dev, (uint64_t)st.st_ino };
        if (have_id) *have_id = 1;
    }
    /* grown as bytes come, up to cap + 1: the one byte that tells */
    size_t n = 0, room = 0;
    char *buf = NULL;
    for (;;) {
        if (n == room) {
            if (room > cap) break;
            room = room ? room * 2 : 65536;
            if (room > cap + 1) room = cap + 1;
            buf = rg_xrealloc(buf, room + 1);
        }
        ssize_t got = read(fd, buf + n, room - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            snprintf(why, whylen, "%s", strerror(errno));
            free(buf);
            return RG_EX_NOINPUT;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    if (n > cap) {
        snprintf(why, whylen, "too large (more than %zu bytes, the limit)", cap);
        free(buf);
        return RG_EX_DATAERR;
    }
    if (!buf) buf = rg_xmalloc(1);
    buf[n] = 0;
    *out = buf;
    *len = n;
    return RG_OK;
}

int rg_write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len > 0) {
        ssize_t n = write(fd, c, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) {              /* no progress and no error: do not spin */
            errno = EIO;
            return -1;
        }
        c += n;
        len -= (size_t)n;
    }
    return 0;
}

int rg_read_at(int fd, void *p, size_t len, uint64_t off)
{
    char *c = p;
    while (len > 0) {
        ssize_t n = pread(fd, c, len, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) {              /* the file is shorter than what was written to it */
            errno = EIO;
            return -1;
        }
        c += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

int rg_scratch_file(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return -1;
#endif
    size_t n = strlen(dir);
    char *tmp = rg_xmalloc(n + sizeof "/.reportgen-scratch-XXXXXX");
    memcpy(tmp, dir, n);
    memcpy(tmp + n, "/.reportgen-scratch-XXXXXX", sizeof "/.reportgen-scratch-XXXXXX");
    int f = mkstemp(tmp);
    if (f >= 0) {
        unlink(tmp);
        (void)fcntl(f, F_SETFD, FD_CLOEXEC);
    }
    int saved = errno;
    free(tmp);
    errno = saved;
    return f;
}

void rg_ctx_note_file(rg_ctx *ctx, rg_file_id id)
{
    for (size_t i = 0; i < ctx->ninput_files; i++)
        if (ctx->input_files[i].dev == id.dev && ctx->input_files[i].ino == id.ino) return;
    rg_grow(&ctx->input_files, &ctx->input_files_cap, ctx->ninput_files + 1,
            sizeof *ctx->input_files);
    ctx->input_files[ctx->ninput_files++] = id;
}

void rg_ctx_note_path(rg_ctx *ctx, const char *path)
{
    if (ctx->path_hook) ctx->path_hook(ctx->path_hook_data, path);
}

rg_status rg_output_check(rg_ctx *ctx, const char *path)
{
    struct stat st;
    if (!strcmp(path, "-")) return RG_OK;
    if (lstat(path, &st) != 0) return RG_OK;      /* nothing there (or the write will say) */
    if (!S_ISREG(st.st_mode)) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0,
                "refusing to write here: it is %s, which reportgen never replaces "
                "(write to a regular file, or to standard output with -o -)", kind_of(&st));
        return RG_EX_CANTCREAT;
    }
    for (size_t i = 0; i < ctx->ninput_files; i++)
        if (ctx->input_files[i].dev == (uint64_t)st.st_dev &&
            ctx->input_files[i].ino == (uint64_t)st.st_ino) {
            rg_diag(ctx, RG_SEV_ERROR, path, 0, 0,
                    "refusing to write here: it is one of this report's inputs");
            return RG_EX_CANTCREAT;
        }
    return RG_OK;
}

int rg_sync_folder(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int rg_sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return rg_sync_folder(".");
    if (slash == path) return rg_sync_folder("/");
    size_t n = (size_t)(slash - path);
    char *dir = rg_xmalloc(n + 1);
    memcpy(dir, path, n);
    dir[n] = 0;
    int rc = rg_sync_folder(dir);
    int saved = errno;
    free(dir);
    errno = saved;
    return rc;
}
