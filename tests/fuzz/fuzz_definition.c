/* fuzz_definition.c - libFuzzer target: bytes -> report definition, the
 * whole load stage (safe XML reading, XSD validation against the shipped
 * schema, the model builder's own checks, inline datasets). Stage: tests.
 * The bytes are loaded with rg_load_definition_mem and no base folder, so
 * no file besides the schema is ever read (xi:include and <data src> are
 * errors). Fresh context per input, diagnostics kept in memory only.
 * Beyond the sanitizers it checks the loader's contract: RG_OK exactly when
 * a document comes back, and never a failure without an error diagnostic
 * or an internal error (RG_EX_SOFTWARE / RG_EX_UNAVAILABLE). */
#include <stdint.h>
#include <stdlib.h>

#include "load/load.h"
#include "pipeline/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rg_paths paths;
    static int ready;
    if (!ready) {
        rg_paths_find(&paths);
        ready = 1;
    }
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    rg_status st = rg_load_definition_mem(ctx, "fuzz.xml", (const char *)data, size, NULL,
                                          paths.schema, &doc);
    if ((st == RG_OK) != (doc != NULL)) abort();
    if (st != RG_OK && (ctx->errors == 0 || st == RG_EX_SOFTWARE || st == RG_EX_UNAVAILABLE))
        abort();
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return 0;
}
