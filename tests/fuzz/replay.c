/* replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over files,
 * without libFuzzer, so that `make check` replays the seed corpus and every
 * input that ever crashed a target (as qpdf replays its fuzz corpus).
 * Stage: tests. Usage: replay-TARGET DIR-OR-FILE...  (a missing folder is
 * skipped). Each file runs in a child process, so a crash or abort fails
 * that one file (named on stderr) and the rest still run; the target is
 * called once on an empty input first, in this process, so that its
 * one-time setup (schema paths, fonts, layouts) is inherited by the
 * children. Built with -fsanitize=address (make sanitize-check), each
 * child's exit runs the leak check too. Prints "N passed, N failed"; exits
 * 1 on any failure. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int passed, failed;

/* Reads the whole file into an exact-size malloc'd buffer, as libFuzzer
 * hands inputs over (a read past the end is caught under a sanitizer).
 * Out of memory aborts. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0) {
        fclose(f);
        return -1;
    }
    size_t n = (size_t)sb.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) abort();
    int err = fread(buf, 1, n, f) != n;
    fclose(f);
    if (err) {
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static void run_one(const char *path)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (read_file(path, &data, &len) < 0) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        failed++;
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        LLVMFuzzerTestOneInput(data, len);
        exit(0);            /* not _exit: LeakSanitizer checks at exit in a sanitizer build */
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) status = -1;
    free(data);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        passed++;
        return;
    }
    failed++;
    if (pid > 0 && WIFSIGNALED(status))
        fprintf(stderr, "FAIL %s: killed by signal %d\n", path, WTERMSIG(status));
    else
        fprintf(stderr, "FAIL %s: exit status %d\n", path,
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;                               /* no crashes saved yet */
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) abort();
            names = bigger;
        }
        size_t l = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(l);
        if (!names[n]) abort();
        snprintf(names[n++], l, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);   /* the same order every run */
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) run_one(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    static const uint8_t empty[1];
    LLVMFuzzerTestOneInput(empty, 0);
    passed++;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) run_dir(argv[i]);
        else run_one(argv[i]);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
