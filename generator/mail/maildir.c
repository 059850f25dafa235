/* mail/maildir.c - the mail desk's Maildir (see mail/desk.h): the new
 * requests in it, filing a handled one in cur/ with flags or in a
 * Maildir++ subfolder (.Handmatig) for a person, and delivering a message
 * into a Maildir (the stdin mode's Handmatig, --outbox). Stage: mail;
 * plain POSIX (no GMime).
 *
 * The format is D. J. Bernstein's (cr.yp.to/proto/maildir.html): a
 * message is a file in new/ (not yet seen by a reader) or cur/, named
 * uniquely; in cur/ the name ends in ":2," and the flags in ASCII order
 * (R replied, S seen, ...). A Maildir++ subfolder is MAILDIR/.Name with
 * its own new/ cur/ tmp/ and an empty file "maildirfolder".
 *
 * A request is never lost: it only ever moves by rename() within the
 * Maildir (one file system; never copied and deleted), a name that exists
 * is never replaced, and on any failure the message stays where it was. */
#include "desk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Deliveries that find their unique name taken try again up to this often
 * (a name is taken only when the clock went back and the counter and
 * random part repeat too: never, in practice). */
#define DELIVER_TRIES 100

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = rg_xmalloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

static int is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ------------------------------------------------------------- scan ---- */

/* A file name's unique part: what comes before ":2," (its info). */
static char *unique_part(const char *file)
{
    const char *info = strstr(file, ":2,");
    size_t n = info ? (size_t)(info - file) : strlen(file);
    char *s = rg_xmalloc(n + 1);
    memcpy(s, file, n);
    s[n] = 0;
    return s;
}

/* Does the file name carry the S (seen) flag in its ":2," info? */
static int is_seen(const char *file)
{
    const char *info = strstr(file, ":2,");
    return info && strchr(info + 3, 'S') != NULL;
}

typedef struct msg_list {
    rg_maildir_msg *items;
    size_t n, cap;
} msg_list;

/* Adds the regular files of MAILDIR/sub (not the dot files; not those
 * seen when skip_seen) to list. */
static rg_status list_folder(rg_ctx *ctx, const char *maildir, const char *sub, int skip_seen,
                             msg_list *list)
{
    char *folder = join(maildir, sub);
    DIR *d = opendir(folder);
    if (!d) {
        rg_diag(ctx, RG_SEV_ERROR, folder, 0, 0, "cannot read the Maildir folder: %s",
                strerror(errno));
        free(folder);
        return RG_EX_NOINPUT;
    }
    struct dirent *e;
    struct stat st;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        /* a symbolic link, a folder or a FIFO is no message of ours */
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (skip_seen && is_seen(e->d_name)) continue;
        rg_grow(&list->items, &list->cap, list->n + 1, sizeof *list->items);
        list->items[list->n].path = join(folder, e->d_name);
        list->items[list->n].name = unique_part(e->d_name);
        list->n++;
    }
    closedir(d);
    free(folder);
    return RG_OK;
}

static int by_name(const void *a, const void *b)
{
    const rg_maildir_msg *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->path, y->path);
}

rg_status rg_maildir_scan(rg_ctx *ctx, const char *maildir, rg_maildir_msg **msgs, size_t *n)
{
    *msgs = NULL;
    *n = 0;
    static const char *const subs[] = { "new", "cur", "tmp" };
    for (int i = 0; i < 3; i++) {
        char *sub = join(maildir, subs[i]);
        int ok = is_folder(sub);
        free(sub);
        if (!ok) {
            rg_diag(ctx, RG_SEV_ERROR, maildir, 0, 0,
                    "not a Maildir: it has no %s/ folder (a Maildir has new/, cur/ and tmp/)",
                    subs[i]);
            return RG_EX_NOINPUT;
        }
    }
    msg_list list = { NULL, 0, 0 };
    rg_status st = list_folder(ctx, maildir, "new", 0, &list);
    if (st == RG_OK) st = list_folder(ctx, maildir, "cur", 1, &list);
    if (st != RG_OK) {
        rg_maildir_msgs_free(list.items, list.n);
        return st;
    }
    if (list.n) qsort(list.items, list.n, sizeof *list.items, by_name);
    *msgs = list.items;
    *n = list.n;
    return RG_OK;
}

void rg_maildir_msgs_free(rg_maildir_msg *msgs, size_t n)
{
    for (size_t i = 0; msgs && i < n; i++) {
        free(msgs[i].path);
        free(msgs[i].name);
    }
    free(msgs);
}

/* ------------------------------------------------------------ filing ---- */

/* Moves m to target by rename (never replacing a file there) and makes
 * the move last; m->path follows. A message already at target (an
 * earlier run moved it) is left there. On failure m stays where it was. */
static rg_status move_message(rg_ctx *ctx, rg_maildir_msg *m, char *target)
{
    struct stat src, dst;
    int have_src = lstat(m->path, &src) == 0, src_errno = errno;
    int have_dst = lstat(target, &dst) == 0;
    rg_status st = RG_OK;
    if (!strcmp(m->path, target) || (!have_src && have_dst)) {
        /* already there */
    } else if (!have_src) {
        rg_diag(ctx, RG_SEV_ERROR, m->path, 0, 0, "cannot file the message: %s",
                strerror(src_errno));
        st = RG_EX_NOINPUT;
    } else if (have_dst) {
        rg_diag(ctx, RG_SEV_ERROR, m->path, 0, 0,
                "cannot file the message as %s: a file of that name is there (not replaced)",
                target);
        st = RG_EX_CANTCREAT;
    } else if (rename(m->path, target) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, m->path, 0, 0, "cannot move the message to %s: %s", target,
                strerror(errno));
        st = RG_EX_CANTCREAT;
    } else {
        /* the move is done; a folder that cannot be synced only risks
         * the move being undone by a crash (the journal still knows) */
        if (rg_sync_parent(target) != 0 || rg_sync_parent(m->path) != 0)
            rg_diag(ctx, RG_SEV_WARNING, target, 0, 0, "cannot sync the Maildir folder: %s",
                    strerror(errno));
    }
    if (st != RG_OK) {
        free(target);
        return st;
    }
    free(m->path);
    m->path = target;
    return RG_OK;
}

/* flags in ASCII order without repeats into out (27 bytes or more); -1
 * when one is not a letter (Maildir flags are letters). */
static int sort_flags(const char *flags, char out[27])
{
    int have[128] = { 0 };
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(flags ? flags : ""); *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))) return -1;
        have[*p] = 1;
    }
    for (int c = 0; c < 128 && n < 26; c++)
        if (have[c]) out[n++] = (char)c;
    out[n] = 0;
    return 0;
}

rg_status rg_maildir_done(rg_ctx *ctx, const char *maildir, rg_maildir_msg *m,
                          const char *flags)
{
    char sorted[27];
    if (sort_flags(flags, sorted) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "internal error: Maildir flags \"%s\" are not "
                "letters", flags);
        return RG_EX_SOFTWARE;
    }
    size_t n = strlen(maildir) + strlen(m->name) + 40;
    char *target = rg_xmalloc(n);
    snprintf(target, n, "%s/cur/%s:2,%s", maildir, m->name, sorted);
    return move_message(ctx, m, target);
}

/* Makes the folder path (0700) when missing; its name made last. */
static rg_status make_folder(rg_ctx *ctx, const char *path)
{
    if (mkdir(path, 0700) == 0) {
        if (rg_sync_parent(path) == 0) return RG_OK;
    } else if (errno == EEXIST && is_folder(path)) {
        return RG_OK;
    } else if (errno == EEXIST) {
        errno = ENOTDIR;
    }
    rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot make the Maildir folder: %s", strerror(errno));
    return RG_EX_CANTCREAT;
}

/* Makes dir a Maildir (dir, new/, cur/, tmp/ where missing), and a
 * Maildir++ subfolder too (its "maildirfolder" file) when subfolder. */
static rg_status make_maildir(rg_ctx *ctx, const char *dir, int subfolder)
{
    static const char *const subs[] = { "new", "cur", "tmp" };
    rg_status st = make_folder(ctx, dir);
    for (int i = 0; i < 3 && st == RG_OK; i++) {
        char *sub = join(dir, subs[i]);
        st = make_folder(ctx, sub);
        free(sub);
    }
    if (st != RG_OK || !subfolder) return st;
    char *marker = join(dir, "maildirfolder");
    struct stat info;
    if (lstat(marker, &info) != 0) {
        int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 || close(fd) != 0 || rg_sync_parent(marker) != 0) {
            rg_diag(ctx, RG_SEV_ERROR, marker, 0, 0, "cannot make the Maildir++ marker: %s",
                    strerror(errno));
            st = RG_EX_CANTCREAT;
        }
    }
    free(marker);
    return st;
}

rg_status rg_maildir_to_folder(rg_ctx *ctx, const char *maildir, const char *folder,
                               rg_maildir_msg *m)
{
    const char *bare = folder && folder[0] == '.' ? folder + 1 : folder;
    if (!bare || !*bare || strchr(bare, '/') || !strcmp(bare, ".")) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "internal error: \"%s\" is no Maildir++ folder "
                "name", folder ? folder : "(null)");
        return RG_EX_SOFTWARE;
    }
    size_t n = strlen(maildir) + strlen(bare) + 3;
    char *sub = rg_xmalloc(n);
    snprintf(sub, n, "%s/.%s", maildir, bare);
    rg_status st = make_maildir(ctx, sub, 1);
    if (st == RG_OK) {
        /* new/ names carry no ":2," info: the name without it */
        n = strlen(sub) + strlen(m->name) + 6;
        char *target = rg_xmalloc(n);
        snprintf(target, n, "%s/new/%s", sub, m->name);
        st = move_message(ctx, m, target);
    }
    free(sub);
    return st;
}

/* ---------------------------------------------------------- delivery ---- */

/* Eight random bytes as hex (the kernel's; the clock's when it has none). */
static void random_hex(char out[17])
{
    unsigned char b[8];
    if (getentropy(b, sizeof b) != 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t h = rg_hash_bytes((uint64_t)getpid(), &ts, sizeof ts);
        memcpy(b, &h, sizeof b);
    }
    for (int i = 0; i < 8; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* The host name as a Maildir name may hold it: "/" as \057, ":" as \072. */
static void host_part(char *out, size_t size)
{
    char host[256];
    if (gethostname(host, sizeof host) != 0 || !host[0]) snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = 0;
    size_t n = 0;
    for (const char *p = host; *p && n + 5 < size; p++) {
        if (*p == '/' || *p == ':') n += (size_t)snprintf(out + n, size - n, "\\%03o", *p);
        else out[n++] = *p;
    }
    out[n] = 0;
}

/* The next unique name: "<time>.P<pid>Q<counter>R<random>.<host>". */
static void unique_name(char *out, size_t size)
{
    static unsigned counter;
    char rnd[17], host[300];
    random_hex(rnd);
    host_part(host, sizeof host);
    snprintf(out, size, "%lld.P%ldQ%uR%s.%s", (long long)time(NULL), (long)getpid(), ++counter,
             rnd, host);
}

/* Writes data into a new file tmp/NAME (O_EXCL, fsync'ed); its name into
 * name (size bytes), its path into *tmp_path. */
static rg_status write_tmp(rg_ctx *ctx, const char *dir, const char *data, size_t len,
                           char *name, size_t size, char **tmp_path)
{
    int fd = -1;
    char *path = NULL;
    for (int i = 0; i < DELIVER_TRIES && fd < 0; i++) {
        unique_name(name, size);
        free(path);
        size_t n = strlen(dir) + strlen(name) + 6;
        path = rg_xmalloc(n);
        snprintf(path, n, "%s/tmp/%s", dir, name);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) break;
    }
    int bad = fd < 0;
    if (!bad && (rg_write_all(fd, data, len) != 0 || fsync(fd) != 0)) bad = 2;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && !bad) bad = 2, saved = errno;
    if (bad) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write the message: %s", strerror(saved));
        if (bad == 2) unlink(path);   /* our own half-written file, never a message */
        free(path);
        return RG_EX_CANTCREAT;
    }
    *tmp_path = path;
    return RG_OK;
}

rg_status rg_maildir_deliver(rg_ctx *ctx, const char *dir, const char *data, size_t len,
                             char **name_out)
{
    if (name_out) *name_out = NULL;
    char name[512], *tmp = NULL;
    rg_status st = make_maildir(ctx, dir, 0);
    if (st == RG_OK) st = write_tmp(ctx, dir, data, len, name, sizeof name, &tmp);
    if (st != RG_OK) return st;
    size_t n = strlen(dir) + strlen(name) + 6;
    char *target = rg_xmalloc(n);
    snprintf(target, n, "%s/new/%s", dir, name);
    struct stat info;
    if (lstat(target, &info) == 0) {
        errno = EEXIST;
        st = RG_EX_CANTCREAT;
    } else if (rename(tmp, target) != 0) {
        st = RG_EX_CANTCREAT;
    }
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, target, 0, 0, "cannot deliver the message: %s",
                strerror(errno));
        unlink(tmp);
    } else if (rg_sync_parent(target) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, target, 0, 0,
                "the message is delivered but cannot be made to last: %s", strerror(errno));
        st = RG_EX_CANTCREAT;
    }
    free(tmp);
    free(target);
    if (st == RG_OK && name_out) *name_out = rg_xstrdup(name);
    return st;
}
