/* fuzz_svg.c - libFuzzer target: bytes -> rg_load_svg_mem (load/load.h).
 * Stage: tests. Fresh context and arena per input. Besides the sanitizers
 * it checks the reader's contract: on success a vector of positive size
 * with at least one path, each path filled or stroked, starting with a
 * move, every coordinate and line width finite, at most 100000 segments
 * in all; on failure RG_EX_DATAERR with an error diagnostic. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *arena = rg_arena_new();
    const rg_vector *v = NULL;
    rg_status st = rg_load_svg_mem(ctx, arena, "fuzz.svg", (const char *)data, size, &v);
    if (st == RG_OK) {
        size_t total = 0;
        if (!v || !(v->width > 0) || !(v->height > 0) || v->npaths == 0 || ctx->errors)
            abort();
        for (size_t p = 0; p < v->npaths; p++) {
            const rg_vpath *vp = &v->paths[p];
            if ((!vp->fill && !vp->stroke) || vp->nsegs == 0 || vp->segs[0].op != RG_VSEG_MOVE ||
                !isfinite(vp->line_width) || vp->line_width < 0)
                abort();
            for (size_t s = 0; s < vp->nsegs; s++)
                for (int k = 0; k < 6; k++)
                    if (!isfinite(vp->segs[s].pts[k])) abort();
            total += vp->nsegs;
        }
        if (total > 100000) abort();
    } else if (st != RG_EX_DATAERR || v || ctx->errors == 0) {
        abort();
    }
    rg_arena_free(arena);
    rg_ctx_free(ctx);
    return 0;
}
