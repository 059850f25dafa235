/* fuzz_common.h - what the targets that lay out and write a report share
 * (fuzz_build: the definition is fuzzed; fuzz_layout: the layout file is).
 * Stage: tests. Included by one target file each, so its functions are
 * static. */
#ifndef RG_FUZZ_COMMON_H
#define RG_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"
#include "pdf/pdf.h"

/* fontconfig leaks a few hundred bytes while it parses its own
 * configuration (once per process, in setup); nothing of ours. Read by
 * LeakSanitizer when the target is built with it, unused otherwise. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* A broken contract: an internal error, or a failure without an error
 * diagnostic. */
static int fuzz_bad(rg_status st, const rg_ctx *ctx)
{
    return st == RG_EX_SOFTWARE || (st != RG_OK && ctx->errors == 0);
}

/* "%%EOF" among the last 8 bytes (followed by at most a line end). */
static int fuzz_ends_with_eof(const unsigned char *pdf, size_t len)
{
    for (size_t i = len - 8; i + 5 <= len; i++)
        if (memcmp(pdf + i, "%%EOF", 5) == 0) return 1;
    return 0;
}

/* Lays doc out in style, dumps the display list to devnull and writes the
 * PDF in memory with po; aborts where a contract is broken (a failure
 * without an error, RG_OK without a display list or the other way round,
 * a PDF that fails or is not %PDF-...%%EOF). Returns the layout's status. */
static rg_status fuzz_layout_and_write(rg_ctx *ctx, const rg_doc *doc, const rg_style *style,
                                       rg_pdf_opts po, FILE *devnull)
{
    rg_dl *dl = NULL;
    int errors0 = ctx->errors;
    rg_status lst = rg_layout(ctx, doc, style, &dl);
    if (fuzz_bad(lst, ctx) || (lst == RG_OK) != (dl != NULL)) abort();
    if (lst == RG_OK) {
        rg_dl_dump(dl, devnull);
        po.tagged = po.tagged && dl->nelems > 0;
        unsigned char *pdf = NULL;
        size_t len = 0;
        rg_status pst = rg_pdf_write_mem(ctx, dl, &po, &pdf, &len);
        if (pst != RG_OK || ctx->errors > errors0) abort();
        if (len < 16 || memcmp(pdf, "%PDF-", 5) != 0 || !fuzz_ends_with_eof(pdf, len)) abort();
        free(pdf);
    }
    rg_dl_free(dl);
    return lst;
}

#endif
