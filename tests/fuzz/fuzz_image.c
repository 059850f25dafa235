/* fuzz_image.c - libFuzzer target: bytes -> rg_image_probe, then for a PNG
 * rg_image_decode and rg_pixels_flatten (image/image.h). Stage: tests.
 * Besides the sanitizers it checks the face's contract: a failure is
 * RG_EX_DATAERR with exactly one error diagnostic; a probe that succeeds
 * gives a size within the limits and 1, 3 or 4 channels; decoded pixels
 * have the probe's size, 1 or 3 channels and, after flattening, no alpha.
 * Seeds: tests/fuzz/corpus/image (the fixtures of tests/images). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_image img;
    memset(&img, 0, sizeof img);
    img.src = img.path = "fuzz.img";
    img.data = data;
    img.len = size;
    rg_status st = rg_image_probe(ctx, &img);
    if (st != RG_OK) {
        if (st != RG_EX_DATAERR || ctx->errors != 1) abort();
    } else {
        if (img.width <= 0 || img.height <= 0 ||
            (uint64_t)img.width * (uint64_t)img.height > RG_MAX_IMAGE_PIXELS)
            abort();
        if (img.channels != 1 && img.channels != 3 && img.channels != 4) abort();
        if (img.format == RG_IMAGE_PNG) {
            rg_pixels px;
            st = rg_image_decode(ctx, &img, &px);
            if (st == RG_OK) {
                if (px.width != img.width || px.height != img.height ||
                    (px.channels != 1 && px.channels != 3) || !px.samples || ctx->errors)
                    abort();
                rg_pixels_flatten(&px, 1, 0.5, 0);
                if (px.alpha || !px.samples) abort();
                rg_pixels_free(&px);
            } else if (st != RG_EX_DATAERR || ctx->errors != 1 || px.samples || px.alpha) {
                abort();
            }
        } else if (img.format != RG_IMAGE_JPEG || img.alpha) {
            abort();
        }
    }
    rg_ctx_free(ctx);
    return 0;
}
