/* test_pdf_save.c - issue 22: rg_pdf_write_fd (libharu's output into a
 * scratch file, packed from there into the descriptor a window at a time)
 * writes the very bytes rg_pdf_write_mem gives: with more object streams
 * than the packer holds at once, with a content stream larger than its
 * input window, for PDF/A-1b (copied, not packed) and without a scratch
 * folder (by way of memory). A write that fails (a full disk: /dev/full)
 * and a scratch folder that cannot take a file are RG_EX_CANTCREAT with a
 * diagnostic that says why, and no scratch file is left behind. */
#include "base/base.h"
#include "dlist/dlist.h"
#include "pdf/pdf.h"
#include "test.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const rg_color GREY = { 0.5, 0.5, 0.5 };

/* A fresh folder under TMPDIR into dir (256 bytes). */
static void temp_folder(char dir[256])
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, 256, "%s/rg-save-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) dir[0] = 0;
}

/* Entries in dir besides . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* A tagged list of three pages and 4,000 paragraphs: 4,000 structure
 * elements, so 20 object streams of 200 (the packer deflates 16 at a
 * time). */
static rg_dl *many_elements(void)
{
    rg_dl *dl = rg_dl_new();
    dl->meta = (rg_dl_meta){ .title = "Opslaan", .lang = "nl-NL", .year = 2023, .month = 5,
                             .day = 1 };
    for (int p = 0; p < 3; p++) rg_dl_add_page(dl, 595, 842);
    int doc = rg_dl_elem_new(dl, -1, "Document");
    for (int i = 0; i < 4000; i++) {
        int e = rg_dl_elem_new(dl, doc, "P");
        rg_dl_elem_enter(dl, e);
        rg_dl_rect_fill(dl, (size_t)(i % 3), 10 + (i % 50) * 10, 10 + (i / 50) * 9, 8, 6, GREY);
        rg_dl_elem_leave(dl);
    }
    return dl;
}

/* An untagged page of 150,000 rectangles at pseudo-random places: a
 * content stream of well over the packer's 1 MB window, even deflated. */
static rg_dl *big_page(void)
{
    rg_dl *dl = rg_dl_new();
    dl->meta = (rg_dl_meta){ .title = "Groot", .year = 2023, .month = 5, .day = 1 };
    rg_dl_add_page(dl, 595, 842);
    rg_dl_add_page(dl, 595, 842);
    uint32_t r = 12345;
    for (int i = 0; i < 150000; i++) {
        double v[4];
        for (int k = 0; k < 4; k++) {
            r = r * 1103515245u + 12345u;
            v[k] = (double)(r >> 8 & 0xFFFFF) / 2000.0;
        }
        rg_dl_rect_fill(dl, 0, v[0], v[1], v[2] / 20, v[3] / 20, GREY);
    }
    rg_dl_rect_fill(dl, 1, 72, 72, 100, 100, GREY);
    return dl;
}

/* The whole of file fd, malloc'd, into *len. */
static unsigned char *read_back(int fd, size_t *len)
{
    off_t n = lseek(fd, 0, SEEK_END);
    unsigned char *p = malloc(n > 0 ? (size_t)n : 1);
    *len = 0;
    if (n <= 0 || !p || pread(fd, p, (size_t)n, 0) != n) return p;
    *len = (size_t)n;
    return p;
}

/* dl written by rg_pdf_write_mem and by rg_pdf_write_fd (into a file in a
 * fresh folder that is also the scratch folder, or with none when
 * scratch is 0): the same bytes, and nothing but the output left in the
 * folder. */
static void same_bytes(const rg_dl *dl, const rg_pdf_opts *o, int scratch)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    unsigned char *mem = NULL, *file = NULL;
    size_t mem_len = 0, file_len = 0;
    CHECK(rg_pdf_write_mem(ctx, dl, o, &mem, &mem_len) == RG_OK);
    char dir[256], path[300];
    temp_folder(dir);
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    ctx->scratch_dir = scratch ? dir : NULL;
    ctx->spill_after_pages = 0;                   /* a short document uses it too */
    CHECK(rg_pdf_write_fd(ctx, dl, o, fd) == RG_OK);
    CHECK(entries(dir) == 1);                     /* the scratch file had no name */
    file = read_back(fd, &file_len);
    CHECK(mem_len > 0 && file_len == mem_len);
    CHECK(mem && file && file_len == mem_len && !memcmp(mem, file, mem_len));
    close(fd);
    unlink(path);
    rmdir(dir);
    free(mem);
    free(file);
    rg_ctx_free(ctx);
}

TEST(pdf_write_fd_same_bytes_as_memory_many_object_streams)
{
    rg_dl *dl = many_elements();
    rg_pdf_opts o = { .pdfa = RG_PDFA_2A, .tagged = 1 };
    same_bytes(dl, &o, 1);
    rg_dl_free(dl);
}

TEST(pdf_write_fd_same_bytes_as_memory_stream_over_window)
{
    rg_dl *dl = big_page();
    rg_pdf_opts o = { .pdfa = RG_PDFA_2U };
    same_bytes(dl, &o, 1);
    rg_dl_free(dl);
}

TEST(pdf_write_fd_same_bytes_pdfa_1b_and_without_scratch_folder)
{
    rg_dl *dl = many_elements();
    rg_pdf_opts o = { .pdfa = RG_PDFA_1B, .tagged = 1 };   /* copied: no object streams */
    same_bytes(dl, &o, 1);
    o.pdfa = RG_PDFA_2A;
    same_bytes(dl, &o, 0);                        /* memory, then the descriptor */
    rg_dl_free(dl);
}

/* rg_pdf_write_fd into fd with scratch folder dir: its status, and its
 * diagnostics in *diag (malloc'd). */
static rg_status write_fd_after(const rg_pdf_opts *o, int fd, const char *dir, long after,
                                char **diag);

static rg_status write_fd_failing(const rg_pdf_opts *o, int fd, const char *dir, char **diag)
{
    return write_fd_after(o, fd, dir, 0, diag);
}

/* The same with ctx->spill_after_pages = after: the scratch folder is used
 * only for a document of more pages than that. */
static rg_status write_fd_after(const rg_pdf_opts *o, int fd, const char *dir, long after,
                                char **diag)
{
    size_t diag_len = 0;
    FILE *f = open_memstream(diag, &diag_len);
    rg_ctx *ctx = rg_ctx_new(f);
    ctx->scratch_dir = dir;
    ctx->spill_after_pages = after;
    rg_dl *dl = many_elements();
    rg_status st = rg_pdf_write_fd(ctx, dl, o, fd);
    rg_dl_free(dl);
    rg_ctx_free(ctx);
    fclose(f);
    return st;
}

TEST(pdf_write_fd_full_disk_is_an_error_that_says_why)
{
    int full = open("/dev/full", O_WRONLY);
    if (full < 0) return;                         /* no /dev/full here: nothing to test */
    char dir[256], *diag = NULL;
    temp_folder(dir);
    rg_pdf_opts o = { .pdfa = RG_PDFA_2A, .tagged = 1, .name = "out.pdf" };
    CHECK(write_fd_failing(&o, full, dir, &diag) == RG_EX_CANTCREAT);   /* packing */
    CHECK(diag && strstr(diag, "out.pdf: error: cannot write: No space left on device"));
    free(diag);
    o.pdfa = RG_PDFA_1B;                                                /* copying */
    CHECK(write_fd_failing(&o, full, dir, &diag) == RG_EX_CANTCREAT);
    CHECK(diag && strstr(diag, "No space left on device"));
    free(diag);
    o.pdfa = RG_PDFA_2A;                                                /* no scratch */
    CHECK(write_fd_failing(&o, full, NULL, &diag) == RG_EX_CANTCREAT);
    CHECK(diag && strstr(diag, "No space left on device"));
    free(diag);
    CHECK(entries(dir) == 0);
    rmdir(dir);
    close(full);
}

/* A missing scratch folder: an error that names it for a document long
 * enough to use it (spill_after_pages 0); a short document (no more pages
 * than RG_SPILL_AFTER_PAGES: the usual report) is made in memory, so a
 * missing folder is no error and no room is needed beside the output. */
TEST(pdf_write_fd_scratch_folder_missing_matters_for_a_long_document_only)
{
    char dir[256], missing[300], path[300], *diag = NULL;
    temp_folder(dir);
    snprintf(missing, sizeof missing, "%s/no-such-folder", dir);
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    rg_pdf_opts o = { .pdfa = RG_PDFA_2A, .tagged = 1, .name = "out.pdf" };
    for (int round = 0; round < 2; round++) {
        long after = round ? RG_SPILL_AFTER_PAGES : 0;
        int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        rg_status st = write_fd_after(&o, fd, missing, after, &diag);
        if (!round) {
            CHECK(st == RG_EX_CANTCREAT);
            CHECK(diag && strstr(diag, "cannot make a temporary file in ") &&
                  strstr(diag, missing) && strstr(diag, "No such file or directory"));
        } else {
            CHECK(st == RG_OK && diag && !*diag);
            CHECK(lseek(fd, 0, SEEK_END) > 0);
        }
        free(diag);
        close(fd);
    }
    unlink(path);
    rmdir(dir);
}
