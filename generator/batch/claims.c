/* batch/claims.c - which run may write an output, and what dead runs left
 * in the output folder (see manifest.h). Stage: batch.
 *
 * Liveness is a held flock: a claim file (.reportgen-batch.claim-NAME) is
 * locked by the run building NAME, a temporary file (.reportgen-XXXXXX)
 * by the run writing it (rg_build_temp_create), and the kernel drops both
 * locks when a run dies, however it dies (SIGKILL too). A file of either
 * kind that can be locked is therefore a dead run's and is removed; age
 * plays no part, so a rerun right after a kill cleans up, and a slow live
 * run is never touched.
 *
 * A file is removed only by whoever holds its lock, and whoever locks one
 * then checks that the name still leads to the file it locked (else
 * someone removed it in between, and it starts again): the usual way to
 * remove lock files without two holders. */
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLAIM_PREFIX ".reportgen-batch.claim-"
#define TEMP_PREFIX ".reportgen-"

/* Is fd, which this process has locked, still the file path names? */
static int still_named(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static int lock(int fd, int how)
{
    int rc;
    while ((rc = flock(fd, how)) != 0 && errno == EINTR) {}
    return rc;
}

int claim_take(const char *dir, const char *name, claim *c)
{
    enum { TRIES = 1000 };         /* each retry means another run removed the file */
    snprintf(c->path, sizeof c->path, "%s/%s%s", dir, CLAIM_PREFIX, name);
    for (int i = 0; i < TRIES; i++) {
        c->fd = open(c->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
        if (c->fd < 0) return -1;
        if (lock(c->fd, LOCK_EX) != 0) break;
        if (still_named(c->fd, c->path)) return 0;
        close(c->fd);
    }
    int saved = errno;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    errno = saved ? saved : EAGAIN;
    return -1;
}

void claim_give(claim *c)
{
    if (c->fd < 0) return;
    unlink(c->path);               /* removed while held: see the top of this file */
    close(c->fd);
    c->fd = -1;
}

/* ".reportgen-" and six characters of mkstemp's alphabet. */
static int is_temp_name(const char *n)
{
    size_t p = strlen(TEMP_PREFIX);
    return !strncmp(n, TEMP_PREFIX, p) && strlen(n) == p + 6 &&
           strspn(n + p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == 6;
}

/* Removes path when it is a regular file no live process holds locked.
 * Opened for writing: over NFS flock is a POSIX lock, which a write lock
 * on a read-only descriptor cannot take. */
static int remove_if_dead(const char *path)
{
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) return 0;
    int dead = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && lock(fd, LOCK_EX | LOCK_NB) == 0 &&
               still_named(fd, path) && unlink(path) == 0;
    close(fd);
    return dead;
}

int sweep_dead_runs_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int removed = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!is_temp_name(de->d_name) && strncmp(de->d_name, CLAIM_PREFIX, strlen(CLAIM_PREFIX)))
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        removed += remove_if_dead(path);
    }
    closedir(d);
    return removed;
}
