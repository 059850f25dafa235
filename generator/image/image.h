/* image/image.h - raster images (PNG, JPEG) read safely: the header of a
 * file already in memory (rg_image_probe), a PNG's pixels (rg_image_decode,
 * libpng), alpha flattened onto a colour (rg_pixels_flatten, for PDF/A-1b).
 *
 * Who calls what: the stage that reads an image file (with base's
 * rg_read_regular, cap RG_MAX_IMAGE_FILE) fills img->src, path, data and
 * len and calls rg_image_probe once, which fills the rest of what the
 * header says. The pdf side then embeds a JPEG's bytes as they are (DCT)
 * and decodes a PNG with rg_image_decode into 8-bit samples and a separate
 * alpha plane. Nothing here keeps state between calls; every function may
 * run on any thread with its own ctx.
 *
 * Why not libharu's own loaders (2.3.0, Debian's; tried on tests/images):
 * HPDF_LoadPngImageFromMem aborts the process (SIGABRT) on a corrupt or
 * truncated PNG (its libpng error handler returns instead of jumping),
 * refuses interlaced PNGs, labels 16-bit images BitsPerComponent 16 (not
 * PDF/A-1), ignores a grey or RGB tRNS and always makes alpha a soft mask;
 * so PNGs go through rg_image_decode and HPDF_LoadRawImageFromMem (plus a
 * DeviceGray raw image for HPDF_Image_AddSMask). HPDF_LoadJpegImageFromMem
 * is sound after rg_image_probe: it copies the bytes as DCT and takes
 * baseline and progressive SOFs, but would also take arithmetic and 12-bit
 * ones and truncated scans (the probe refuses them), and it gives every
 * 4-component JPEG /Decode [1 0 1 0 1 0 1 0] (right for Adobe's inverted
 * CMYK, adobe_transform >= 0; wrong without the APP14 marker). */
#ifndef RG_IMAGE_H
#define RG_IMAGE_H

#include "base/base.h"
#include "model/model.h"

/* Limits, checked from the header before anything is allocated:
 * width x height at most RG_MAX_IMAGE_PIXELS (40 megapixels: a 300 dpi A3
 * page is 17), the decoded size (width x height x (channels + alpha) x
 * bytes per sample as stored) at most RG_MAX_IMAGE_BYTES, each side at most
 * RG_MAX_IMAGE_SIDE; the file itself at most RG_MAX_IMAGE_FILE bytes (the
 * cap to give rg_read_regular). */
#define RG_MAX_IMAGE_PIXELS 40000000ull
#define RG_MAX_IMAGE_BYTES (256ull << 20)
#define RG_MAX_IMAGE_SIDE 100000
#define RG_MAX_IMAGE_FILE ((size_t)64 << 20)

/* Recognises img->data (img->len bytes) as PNG (its signature) or JPEG
 * (SOI) and reads its header only, no pixels: sets format, width, height,
 * channels (1 grey, 3 RGB, 4 CMYK: JPEG only; a PNG palette counts 3),
 * alpha (PNG: an alpha channel or a tRNS chunk), bits, and for a JPEG
 * progressive, adobe_transform, icc_channels and orientation (model/model.h
 * says what each means; a PNG gets 0, -1, 0 and 1). A PNG must hold IHDR, IDAT and IEND in well-formed chunks;
 * a JPEG must have an 8-bit baseline, extended or progressive Huffman SOF
 * (arithmetic, lossless, hierarchical and 12-bit JPEGs are refused) and a
 * scan. Messages name img->path (else img->src): "logo.png: error: not a
 * PNG or JPEG file". Returns RG_OK, or RG_EX_DATAERR after one error (a
 * file not of either format, truncated, corrupt, or over the limits);
 * then the fields are unspecified. Allocates nothing. */
rg_status rg_image_probe(rg_ctx *ctx, rg_image *img);

/* Decoded pixels: 8 bits a sample, rows top to bottom, no padding. */
typedef struct rg_pixels {
    int width, height;
    int channels;                  /* of samples: 1 grey or 3 RGB */
    unsigned char *samples;        /* width x height x channels bytes (malloc'd) */
    unsigned char *alpha;          /* width x height bytes, 0 transparent .. 255
                                    * opaque (malloc'd); NULL when every pixel
                                    * is opaque */
} rg_pixels;

/* Decodes a PNG that rg_image_probe accepted (img->format RG_IMAGE_PNG)
 * into *out with libpng: a palette becomes RGB, grey stays grey (1, 2 and
 * 4-bit grey scaled to 8), 16-bit samples are reduced to 8 (rounded; PDF
 * could take 16, but 8 keeps one path and halves the size), tRNS becomes
 * alpha, interlaced images are handled; gamma and ICC chunks are ignored
 * (samples are taken as sRGB). Limits are checked again from libpng's own
 * reading of the header (and png_set_user_limits). Memory at its peak: the
 * result and one row, or the result twice for an interlaced image. Returns RG_OK, or RG_EX_DATAERR after an error
 * naming the file (corrupt or truncated data: *out is then empty and
 * nothing is left allocated). A JPEG is not decoded: RG_EX_SOFTWARE.
 * Free *out with rg_pixels_free. */
rg_status rg_image_decode(rg_ctx *ctx, const rg_image *img, rg_pixels *out);

/* Frees what p holds and empties it; accepts an empty or zeroed p. */
void rg_pixels_free(rg_pixels *p);

/* Composites p onto the opaque colour r, g, b (0..1, sRGB) and drops its
 * alpha (PDF/A-1b forbids soft masks): each sample becomes
 * s x a + bg x (1 - a), rounded. A grey image on a colour that is not grey
 * becomes RGB (channels 3). Does nothing when p->alpha is NULL. Cannot
 * fail (allocation failure aborts). */
void rg_pixels_flatten(rg_pixels *p, double r, double g, double b);

#endif
