/* test_base_files.c - base/files.c: inputs that are not regular files are
 * refused before they are read (and never waited on); output targets that
 * are not regular files, or are inputs, are never replaced. */
#include "base/base.h"
#include "test.h"

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
