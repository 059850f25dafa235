/* mail/send.c - delivering a composed reply. Stage: mail. Owns
 * writing it to stdout or atomically to a file, the SMTP credentials (from
 * the environment or a private file, never from the command line) and
 * handing it to the local sendmail; sending over SMTP is mail/smtp.c's. The
 * message itself is made in mail/mail.c; this file never changes its bytes
 * except for sendmail's local line ends. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define CHECK(x) do { st = (x); if (st != RG_OK) goto fail; } while (0)

/* A credentials file is two short lines; anything bigger is not one. */
#define MAX_CREDENTIALS_BYTES 4096

rg_status rg_reply_write(rg_ctx *ctx, const rg_reply *r, const char *path)
{
    rg_status st = RG_EX_CANTCREAT;
    char tmp[4200] = "";
    int fd = -1;
    if (!path || !strcmp(path, "-")) {
        if (fwrite(r->data, 1, r->len, stdout) != r->len || fflush(stdout) != 0) {
            rg_diag(ctx, RG_SEV_ERROR, "stdout", 0, 0, "cannot write: %s", strerror(errno));
            goto fail;
        }
        st = RG_OK;
        goto fail;
    }
    /* a device, FIFO, symlink or folder at path is never replaced, nor
     * the request or the attachment this reply was made from */
    if (rg_output_check(ctx, path) != RG_OK) goto fail;
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(tmp, sizeof tmp, "./.reportgen-reply-XXXXXX");
    else snprintf(tmp, sizeof tmp, "%.*s/.reportgen-reply-XXXXXX",
                  (int)(slash == path ? 1 : slash - path), path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        tmp[0] = '\0';
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        goto fail;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || rg_write_all(fd, r->data, r->len) != 0 || fsync(fd) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        goto fail;
    }
    int rc = close(fd);
    fd = -1;
    if (rc != 0 || rename(tmp, path) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
        goto fail;
    }
    tmp[0] = '\0';
    st = RG_OK;
fail:
    if (fd >= 0) close(fd);
    if (tmp[0]) unlink(tmp);
    return st;
}

/* ------------------------------------------------------------ credentials */

void rg_smtp_auth_clear(rg_smtp_auth *auth)
{
    if (auth->user) explicit_bzero(auth->user, strlen(auth->user));
    if (auth->password) explicit_bzero(auth->password, strlen(auth->password));
    free(auth->user);
    free(auth->password);
    auth->user = auth->password = NULL;
}

rg_status rg_smtp_auth_load(rg_ctx *ctx, const char *path, rg_smtp_auth *auth)
{
    rg_status st = RG_EX_NOINPUT;
    char buf[MAX_CREDENTIALS_BYTES + 1];
    size_t n = 0;
    int fd = -1;
    auth->user = auth->password = NULL;
    if (!path) {
        const char *u = getenv("REPORTGEN_SMTP_USER"), *p = getenv("REPORTGEN_SMTP_PASSWORD");
        if ((u && *u) != (p != NULL)) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "%s is set but %s is not",
                    u && *u ? "REPORTGEN_SMTP_USER" : "REPORTGEN_SMTP_PASSWORD",
                    u && *u ? "REPORTGEN_SMTP_PASSWORD" : "REPORTGEN_SMTP_USER");
            return RG_EX_USAGE;
        }
        if (u && *u) {
            auth->user = rg_xstrdup(u);
            auth->password = rg_xstrdup(p);
        }
        return RG_OK;
    }
    struct stat sb;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read the SMTP credentials: %s",
                strerror(errno));
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "the SMTP credentials are not a regular file");
        goto fail;
    }
    /* Checked on the open file, so it cannot be swapped after the check. */
    if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0,
                "the SMTP credentials are accessible by group or others (mode %04o); "
                "run chmod 600 on the file", (unsigned)(sb.st_mode & 07777));
        st = RG_EX_USAGE;
        goto fail;
    }
    for (;;) {
        ssize_t got = read(fd, buf + n, sizeof buf - 1 - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read the SMTP credentials: %s",
                    strerror(errno));
            goto fail;
        }
        if (got == 0) break;
        n += (size_t)got;
        if (n == sizeof buf - 1) {
            rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "not a credentials file (over %d bytes)",
                    MAX_CREDENTIALS_BYTES);
            st = RG_EX_DATAERR;
            goto fail;
        }
    }
    buf[n] = '\0';
    st = RG_EX_DATAERR;
    if (memchr(buf, '\0', n)) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "not a credentials file (binary data)");
        goto fail;
    }
    /* line 1: user, line 2: password, then nothing but empty lines */
    char *line[2] = { NULL, NULL };
    char *p = buf;
    for (int i = 0; i < 2 && *p; i++) {
        line[i] = p;
        p += strcspn(p, "\n");
        if (*p) *p++ = '\0';
        size_t len = strlen(line[i]);
        if (len && line[i][len - 1] == '\r') line[i][len - 1] = '\0';
    }
    if (!line[0] || !*line[0]) {
        rg_diag(ctx, RG_SEV_ERROR, path, 1, 0, "no user name (line 1: user, line 2: password)");
        goto fail;
    }
    if (!line[1] || !*line[1]) {
        rg_diag(ctx, RG_SEV_ERROR, path, 2, 0, "no password (line 1: user, line 2: password)");
        goto fail;
    }
    if (p[strspn(p, "\r\n")] != '\0') {
        rg_diag(ctx, RG_SEV_ERROR, path, 3, 0, "more than two lines (user, password)");
        goto fail;
    }
    auth->user = rg_xstrdup(line[0]);
    auth->password = rg_xstrdup(line[1]);
    st = RG_OK;
fail:
    explicit_bzero(buf, sizeof buf);
    if (fd >= 0) close(fd);
    return st;
}

/* --------------------------------------------------------------- sendmail */

/* Where sendmail is: cron and most users have no /usr/sbin on PATH. */
#ifndef RG_SENDMAIL
#define RG_SENDMAIL "/usr/sbin/sendmail"
#endif

rg_status rg_reply_send_sendmail(rg_ctx *ctx, const rg_reply *r)
{
    /* $REPORTGEN_SENDMAIL: a path, or a name without '/' looked up on PATH */
    const char *prog = getenv("REPORTGEN_SENDMAIL");
    if (!prog || !*prog) prog = RG_SENDMAIL;
    rg_status st = RG_EX_UNAVAILABLE;
    int fds[2] = { -1, -1 };
    pid_t pid = -1;
    char *local = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int fa_ok = 0, attr_ok = 0;
    sigset_t none;
    struct sigaction ign, old;
    int sig_saved = 0;
    /* `-t -oi`: the recipients from the headers. A Bcc is in no header:
     * then every recipient is named after "--" and -t is left out (with
     * -t, Sendmail and Exim drop the arguments' addresses, Postfix adds
     * them). After "--" an address starting with '-' is not an option. */
    char *argv[RG_MAIL_MAX_RECIPIENTS + 6];
    int argc = 0;
    argv[argc++] = (char *)prog;
    if (!r->bcc) {
        argv[argc++] = "-t";
        argv[argc++] = "-oi";
    } else {
        argv[argc++] = "-oi";
        argv[argc++] = "--";
        for (int i = 0; i < r->nrcpt; i++) argv[argc++] = r->rcpt[i];
        argv[argc++] = r->bcc;
    }
    argv[argc] = NULL;

    /* sendmail reads the local format: LF line ends. */
    local = rg_xmalloc(r->len + 1);
    size_t n = 0;
    for (size_t i = 0; i < r->len; i++)
        if (!(r->data[i] == '\r' && i + 1 < r->len && r->data[i + 1] == '\n'))
            local[n++] = r->data[i];

    if (pipe(fds) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot start %s: %s", prog, strerror(errno));
        goto fail;
    }
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    if (posix_spawn_file_actions_init(&fa) != 0) goto fail;
    fa_ok = 1;
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    /* reply --build blocks SIGINT, SIGTERM and SIGHUP in this process (the
     * pipeline's signal thread takes them); sendmail must not inherit that */
    if (posix_spawnattr_init(&attr) != 0) goto fail;
    attr_ok = 1;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    int rc = strchr(prog, '/') ? posix_spawn(&pid, prog, &fa, &attr, argv, environ)
                               : posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
    if (rc != 0) {
        pid = -1;
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot start %s: %s (REPORTGEN_SENDMAIL names "
                "another sendmail)", prog, strerror(rc));
        goto fail;
    }
    close(fds[0]);
    fds[0] = -1;
    /* A sendmail that exits early must not kill us with SIGPIPE. */
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sig_saved = sigaction(SIGPIPE, &ign, &old) == 0;
    int werr = rg_write_all(fds[1], local, n) != 0 ? errno : 0;
    close(fds[1]);
    fds[1] = -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sendmail: %s", strerror(errno));
            pid = -1;
            goto fail;
        }
    }
    pid = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* sendmail speaks sysexits too: its EX_TEMPFAIL (queue full, no
         * server) is ours, worth a retry; anything else is not */
        if (WIFEXITED(status) && WEXITSTATUS(status) == RG_EX_TEMPFAIL) {
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sendmail failed with exit status %d "
                    "(a temporary failure: try again later)", WEXITSTATUS(status));
            st = RG_EX_TEMPFAIL;
        } else if (WIFEXITED(status))
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sendmail failed with exit status %d",
                    WEXITSTATUS(status));
        else
            rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "sendmail was killed by signal %d",
                    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        goto fail;
    }
    if (werr) {
        rg_diag(ctx, RG_SEV_ERROR, NULL, 0, 0, "cannot hand the reply to sendmail: %s",
                strerror(werr));
        goto fail;
    }
    st = RG_OK;
fail:
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
    if (pid > 0) waitpid(pid, NULL, 0);
    if (sig_saved) sigaction(SIGPIPE, &old, NULL);
    if (fa_ok) posix_spawn_file_actions_destroy(&fa);
    if (attr_ok) posix_spawnattr_destroy(&attr);
    free(local);
    return st;
}
