/* test_pdf_keep.c - page content kept outside libharu (pdf/keep.c, issue
 * 22). A kept stream is read back by libharu while it saves, so a mistake
 * would change a page silently: the same pages saved through libharu's
 * own memory stream (rg_pdf_stream_set, the old path), through a kept
 * stream in memory and through one in the scratch file must give the same
 * bytes, across libharu's 4 KB read pieces and the keeper's 64 KB write
 * buffer; a scratch file that loses its bytes, or a full disk, must fail
 * the document with a diagnostic. Includes pdf/internal.h: what is tested
 * is the stage's seam with libharu. */
#include "base/base.h"
#include "pdf/internal.h"
#include "test.h"

#include <fcntl.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <unistd.h>

enum { OLD_PATH, KEPT_MEMORY, KEPT_FILE };

/* Page content sizes: empty, one read piece exactly, across pieces, and
 * one beyond the write buffer. */
static const size_t sizes[] = { 0, 4096, 9001, 1, 100000, 3 };
enum { NPAGES = sizeof sizes / sizeof *sizes };

static void HPDF_STDCALL on_error(HPDF_STATUS no, HPDF_STATUS detail, void *data)
{
    rg_pdf_fail(data, RG_EX_SOFTWARE, "libharu error 0x%04X (%u)", (unsigned)no,
                (unsigned)detail);
}

static char *page_bytes(size_t page, size_t n)
{
    char *p = n ? malloc(n) : NULL;
    for (size_t i = 0; i < n; i++) p[i] = (char)((i * 131 + page * 7 + (i >> 9)) & 0xFF);
    return p;
}

static char scratch[256];

static const char *scratch_dir(void)
{
    if (!scratch[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/rg-keep-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(scratch)) scratch[0] = 0;
    }
    return scratch;
}

/* Removes the scratch folder (empty: the keeper's file has no name). */
static void scratch_done(void)
{
    if (scratch[0]) CHECK(rmdir(scratch) == 0);
    scratch[0] = 0;
}

/* A writer over a new libharu document with NPAGES pages whose content
 * went the way mode says. */
static void doc_new(rg_pdf_writer *w, rg_ctx *ctx, int mode)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->name = "keep.pdf";
    w->scratch_dir = mode == KEPT_FILE ? scratch_dir() : NULL;   /* as write_any sets it */
    w->pdf = HPDF_New(on_error, w);
    for (size_t p = 0; p < NPAGES; p++) {
        HPDF_Page page = HPDF_AddPage(w->pdf);
        HPDF_Dict s = ((HPDF_PageAttr)page->attr)->contents;
        char *bytes = page_bytes(p, sizes[p]);
        if (mode == OLD_PATH) {
            rg_pdf_stream_set(s, bytes, sizes[p], p % 2);
            free(bytes);
        } else {
            rg_pdf_stream_keep(w, s, bytes, sizes[p], p % 2);
        }
    }
}

/* Saves w's document into *out (malloc'd); HPDF_OK or libharu's error. */
static HPDF_STATUS doc_save(rg_pdf_writer *w, unsigned char **out, HPDF_UINT32 *len)
{
    *out = NULL;
    *len = 0;
    HPDF_STATUS ret = HPDF_SaveToStream(w->pdf);
    if (ret != HPDF_OK) return ret;
    *len = HPDF_GetStreamSize(w->pdf);
    *out = malloc(*len ? *len : 1);
    HPDF_UINT32 n = *len;
    HPDF_ReadFromStream(w->pdf, *out, &n);
    return n == *len ? HPDF_OK : HPDF_FILE_IO_ERROR;
}

static void doc_free(rg_pdf_writer *w)
{
    rg_pdf_keep_close(w);
    HPDF_Free(w->pdf);
}

TEST(pdf_keep_gives_the_bytes_of_libharus_memory_stream)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    unsigned char *out[3];
    HPDF_UINT32 len[3];
    for (int mode = OLD_PATH; mode <= KEPT_FILE; mode++) {
        rg_pdf_writer w;
        doc_new(&w, ctx, mode);
        CHECK(doc_save(&w, &out[mode], &len[mode]) == HPDF_OK);
        CHECK(w.status == RG_OK);
        CHECK((rg_pdf_keep_fd(&w) >= 0) == (mode == KEPT_FILE));
        doc_free(&w);
    }
    CHECK(len[0] > 113101);                  /* every page's bytes are in it */
    CHECK(len[1] == len[0] && !memcmp(out[1], out[0], len[0]));
    CHECK(len[2] == len[0] && !memcmp(out[2], out[0], len[0]));
    CHECK(strstr((const char *)out[0], "/Filter /FlateDecode") != NULL);
    for (int mode = 0; mode < 3; mode++) free(out[mode]);
    rg_ctx_free(ctx);
    scratch_done();
}

TEST(pdf_keep_fails_the_save_when_the_scratch_file_lost_its_bytes)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_pdf_writer w;
    doc_new(&w, ctx, KEPT_FILE);
    CHECK(rg_pdf_keep_fd(&w) >= 0);
    CHECK(w.status == RG_OK);
    CHECK(ftruncate(rg_pdf_keep_fd(&w), 0) == 0);     /* what a failing disk would do */
    unsigned char *out;
    HPDF_UINT32 len;
    CHECK(doc_save(&w, &out, &len) != HPDF_OK);
    CHECK(w.status == RG_EX_CANTCREAT);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "cannot read the content of page 2 back "
                                                   "from the temporary file") != NULL);
    free(out);
    doc_free(&w);
    rg_ctx_free(ctx);
    scratch_done();
}

TEST(pdf_keep_fails_on_a_full_disk)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_pdf_writer w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.name = "keep.pdf";
    w.scratch_dir = scratch_dir();
    w.pdf = HPDF_New(on_error, &w);
    HPDF_Page first = HPDF_AddPage(w.pdf);
    rg_pdf_stream_keep(&w, ((HPDF_PageAttr)first->attr)->contents, page_bytes(0, 10), 10, 0);
    int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
    CHECK(full >= 0 && rg_pdf_keep_fd(&w) >= 0);
    if (full >= 0 && rg_pdf_keep_fd(&w) >= 0) {
        dup2(full, rg_pdf_keep_fd(&w));              /* every later write: ENOSPC */
        close(full);
        HPDF_Page page = HPDF_AddPage(w.pdf);
        rg_pdf_stream_keep(&w, ((HPDF_PageAttr)page->attr)->contents, page_bytes(1, 70000),
                           70000, 1);
        CHECK(w.status == RG_EX_CANTCREAT);
        CHECK(ctx->diag_text && strstr(ctx->diag_text, "cannot write the pages' content to a temporary file in"));
    }
    doc_free(&w);
    rg_ctx_free(ctx);
    scratch_done();
}
