/* test_base_files.c - base/files.c: inputs that are not regular files are
 * refused before they are read (and never waited on); output targets that
 * are not regular files, or are inputs, are never replaced. */
#include "base/base.h"
#include "test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh folder under TMPDIR into dir (PATH_MAX-free: 256 bytes). */
static void temp_folder(char dir[256])
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, 256, "%s/rg-files-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) dir[0] = 0;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(files_read_regular_reads_whole_file_and_its_identity)
{
    char dir[256], path[300], *data = NULL, why[160] = "";
    size_t len = 0;
    rg_file_id id = { 0, 0 };
    struct stat st;
    temp_folder(dir);
    snprintf(path, sizeof path, "%s/a.xml", dir);
    write_text(path, "<report/>");
    CHECK(rg_read_regular(path, 100, &data, &len, &id, why, sizeof why) == RG_OK);
    CHECK(len == 9 && data && !strcmp(data, "<report/>"));
    CHECK(stat(path, &st) == 0 && id.ino == (uint64_t)st.st_ino && id.dev == (uint64_t)st.st_dev);
    free(data);
    /* one byte over the limit: refused before reading, as data (65) */
    CHECK(rg_read_regular(path, 8, &data, &len, NULL, why, sizeof why) == RG_EX_DATAERR);
    CHECK(data == NULL && strstr(why, "file too large"));
    unlink(path);
    rmdir(dir);
}

TEST(files_read_regular_refuses_fifo_folder_and_device_without_blocking)
{
    char dir[256], path[300], *data = NULL, why[160] = "";
    size_t len = 0;
    temp_folder(dir);
    snprintf(path, sizeof path, "%s/fifo.xml", dir);
    CHECK(mkfifo(path, 0600) == 0);
    /* a blocking open would wait here for a writer forever */
    CHECK(rg_read_regular(path, 100, &data, &len, NULL, why, sizeof why) == RG_EX_NOINPUT);
    CHECK_STR(why, "a FIFO, not a regular file");
    CHECK(rg_read_regular(dir, 100, &data, &len, NULL, why, sizeof why) == RG_EX_NOINPUT);
    CHECK_STR(why, "a folder, not a regular file");
    CHECK(rg_read_regular("/dev/zero", 100, &data, &len, NULL, why, sizeof why) == RG_EX_NOINPUT);
    CHECK_STR(why, "a character device, not a regular file");
    CHECK(data == NULL && len == 0);
    unlink(path);
    rmdir(dir);
}

/* rg_read_stream over a pipe holding text (at most a pipe's buffer). */
static rg_status read_pipe(const char *text, size_t cap, char **data, size_t *len, int *have_id,
                           char *why, size_t whylen)
{
    int fds[2];
    rg_file_id id;
    if (pipe(fds) != 0) return RG_EX_SOFTWARE;
    size_t n = strlen(text);
    int wrote = write(fds[1], text, n) == (ssize_t)n;
    close(fds[1]);
    rg_status st = rg_read_stream(fds[0], cap, data, len, &id, have_id, why, whylen);
    close(fds[0]);
    return wrote ? st : RG_EX_SOFTWARE;
}

TEST(files_read_stream_reads_a_pipe_and_stops_at_the_limit)
{
    char *data = NULL, why[160] = "";
    size_t len = 0;
    int have_id = 1;
    CHECK(read_pipe("<report/>", 100, &data, &len, &have_id, why, sizeof why) == RG_OK);
    CHECK(len == 9 && data && !strcmp(data, "<report/>") && !have_id);  /* a pipe has none */
    free(data);
    /* exactly at the limit: read; one byte over: refused */
    CHECK(read_pipe("12345678", 8, &data, &len, &have_id, why, sizeof why) == RG_OK);
    CHECK(len == 8);
    free(data);
    CHECK(read_pipe("123456789", 8, &data, &len, &have_id, why, sizeof why) == RG_EX_DATAERR);
    CHECK(data == NULL && strstr(why, "more than 8 bytes"));
    /* an empty stream is empty, NUL-terminated */
    CHECK(read_pipe("", 8, &data, &len, &have_id, why, sizeof why) == RG_OK);
    CHECK(len == 0 && data && !data[0]);
    free(data);
    /* an endless one ends at the limit */
    int zero = open("/dev/zero", O_RDONLY);
    CHECK(zero >= 0);
    CHECK(rg_read_stream(zero, 1000000, &data, &len, NULL, NULL, why, sizeof why) ==
          RG_EX_DATAERR);
    close(zero);
}

TEST(files_output_check_refuses_what_is_not_ours)
{
    char dir[256], reg[300], fifo[300], sym[300], input[300], hard[300], fresh[300];
    char *data = NULL, why[160];
    size_t len;
    rg_file_id id;
    rg_ctx *ctx = rg_ctx_new(NULL);
    temp_folder(dir);
    snprintf(reg, sizeof reg, "%s/old.pdf", dir);
    snprintf(fifo, sizeof fifo, "%s/out.fifo", dir);
    snprintf(sym, sizeof sym, "%s/link.pdf", dir);
    snprintf(input, sizeof input, "%s/def.xml", dir);
    snprintf(hard, sizeof hard, "%s/hard.pdf", dir);
    snprintf(fresh, sizeof fresh, "%s/new.pdf", dir);
    write_text(reg, "%PDF");
    write_text(input, "<report/>");
    CHECK(mkfifo(fifo, 0600) == 0 && symlink(reg, sym) == 0 && link(input, hard) == 0);
    CHECK(rg_read_regular(input, 100, &data, &len, &id, why, sizeof why) == RG_OK);
    free(data);
    rg_ctx_note_file(ctx, id);
    CHECK(rg_output_check(ctx, "-") == RG_OK);
    CHECK(rg_output_check(ctx, fresh) == RG_OK);
    CHECK(rg_output_check(ctx, reg) == RG_OK);
    CHECK(rg_output_check(ctx, fifo) == RG_EX_CANTCREAT);
    CHECK(rg_output_check(ctx, sym) == RG_EX_CANTCREAT);
    CHECK(rg_output_check(ctx, dir) == RG_EX_CANTCREAT);
    CHECK(rg_output_check(ctx, "/dev/null") == RG_EX_CANTCREAT);
    CHECK(rg_output_check(ctx, input) == RG_EX_CANTCREAT);
    CHECK(rg_output_check(ctx, hard) == RG_EX_CANTCREAT);     /* the same file */
    CHECK(ctx->errors == 6 && strstr(ctx->diag_text, "it is a FIFO") &&
          strstr(ctx->diag_text, "it is a symbolic link") &&
          strstr(ctx->diag_text, "one of this report's inputs"));
    rg_ctx_reset(ctx);                   /* the next document read other files */
    CHECK(rg_output_check(ctx, input) == RG_OK);
    rg_ctx_free(ctx);
    unlink(reg), unlink(fifo), unlink(sym), unlink(input), unlink(hard);
    rmdir(dir);
}

static void count_path(void *data, const char *path)
{
    if (!strcmp(path, "a.xml")) ++*(int *)data;
}

TEST(files_note_path_tells_the_hook_when_there_is_one)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    int n = 0;
    rg_ctx_note_path(ctx, "a.xml");          /* no hook: nothing */
    ctx->path_hook = count_path;
    ctx->path_hook_data = &n;
    rg_ctx_note_path(ctx, "a.xml");
    rg_ctx_note_path(ctx, "b.xml");
    CHECK(n == 1);
    rg_ctx_free(ctx);
}
