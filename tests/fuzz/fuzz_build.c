/* fuzz_build.c - libFuzzer target: bytes -> report definition -> layout
 * -> display list -> PDF bytes in memory, the whole `reportgen build`
 * pipeline without the file system. Stage: tests.
 * The definition is loaded with rg_load_definition_mem and no base folder
 * (no includes, no data files); it is laid out with both shipped layouts,
 * plain (written as untagged PDF/A-1b) and logius (tagged PDF/A-2a, the
 * build default), and each display list is dumped and written with
 * rg_pdf_write_mem. The layouts and the font cache are loaded once per
 * process (as a batch does); every input gets a fresh context that shares
 * the fonts. Besides the sanitizers it checks: no internal error
 * (RG_EX_SOFTWARE), no failure without an error diagnostic, and every PDF
 * starts with %PDF- and ends with %%EOF. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts/fonts.h"
#include "layout/layout.h"
#include "load/load.h"
#include "pipeline/pipeline.h"
#include "pdf/pdf.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NLAYOUTS = 2 };
static const char *const layout_names[NLAYOUTS] = { "plain", "logius" };
static const rg_pdf_opts layout_pdf[NLAYOUTS] = {
    { .pdfa = RG_PDFA_1B, .tagged = 0 },
    { .pdfa = RG_PDFA_2A, .tagged = 1 },
};

static rg_paths paths;
static rg_ctx *owner;                 /* the fonts and the layouts live here */
static rg_style *styles[NLAYOUTS];
static FILE *devnull;

static void setup(void)
{
    rg_paths_find(&paths);
    owner = rg_ctx_new(stderr);
    rg_fonts_add_dir(owner, paths.fonts);
    for (int i = 0; i < NLAYOUTS; i++) {
        char path[8400];
        rg_paths_layout(&paths, layout_names[i], NULL, path, sizeof path);
        if (rg_load_layout(owner, path, paths.layout_schema, &styles[i]) != RG_OK) abort();
    }
    devnull = fopen("/dev/null", "w");
    if (!devnull) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!owner) setup();
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_fonts_share(owner, ctx);
    rg_doc *doc = NULL;
    rg_status st = rg_load_definition_mem(ctx, "fuzz.xml", (const char *)data, size, NULL,
                                          paths.schema, &doc);
    if (fuzz_bad(st, ctx) || st == RG_EX_UNAVAILABLE) abort();
    for (int i = 0; i < NLAYOUTS && st == RG_OK; i++)
        fuzz_layout_and_write(ctx, doc, styles[i], layout_pdf[i], devnull);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return 0;
}
