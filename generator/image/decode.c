/* image/decode.c - a PNG's pixels with libpng (see image/image.h). libpng
 * reports errors by longjmp: everything allocated while it runs hangs off
 * one heap struct (whose pointer does not change after setjmp), so the
 * error path frees it all. */
#include "image.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_job {
    const unsigned char *data;
    size_t len, at;
    char why[200];                 /* libpng's message, or ours */
    int truncated;
    unsigned char *rows;           /* interleaved, as libpng writes them */
    png_bytep *rowp;
    rg_pixels px;
} png_job;

static void on_error(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);
    if (job && !job->why[0]) snprintf(job->why, sizeof job->why, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;                     /* ancillary trouble (a bad iCCP): not ours to report */
}

static void read_mem(png_structp png, png_bytep out, size_t n)
{
    png_job *job = png_get_io_ptr(png);
    if (job->len - job->at < n) {
        job->truncated = 1;
        png_error(png, "unexpected end of file");
    }
    memcpy(out, job->data + job->at, n);
    job->at += n;
}

static void job_free(png_job *job)
{
    free(job->rows);
    free(job->rowp);
    rg_pixels_free(&job->px);
    free(job);
}

void rg_pixels_free(rg_pixels *p)
{
    if (!p) return;
    free(p->samples);
    free(p->alpha);
    memset(p, 0, sizeof *p);
}

rg_status rg_image_decode(rg_ctx *ctx, const rg_image *img, rg_pixels *out)
{
    const char *name = img->path ? img->path : img->src ? img->src : "image";
    memset(out, 0, sizeof *out);
    if (img->format != RG_IMAGE_PNG || !img->data) {
        rg_diag(ctx, RG_SEV_ERROR, name, 0, 0, "internal error: only a PNG is decoded");
        return RG_EX_SOFTWARE;
    }
    png_job *job = rg_xcalloc(1, sizeof *job);
    job->data = img->data;
    job->len = img->len;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, job, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
        free(job);
        rg_diag(ctx, RG_SEV_ERROR, name, 0, 0, "out of memory reading a PNG");
        return RG_EX_SOFTWARE;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        rg_diag(ctx, RG_SEV_ERROR, name, 0, 0, "%s PNG (%s)",
                job->truncated ? "truncated" : "corrupt", job->why[0] ? job->why : "libpng error");
        job_free(job);
        return RG_EX_DATAERR;
    }
    png_set_read_fn(png, job, read_mem);
    png_set_user_limits(png, RG_MAX_IMAGE_SIDE, RG_MAX_IMAGE_SIDE);
    png_set_chunk_cache_max(png, 128);               /* ancillary chunks kept */
    png_set_chunk_malloc_max(png, (png_alloc_size_t)8 << 20);   /* a chunk's size */
    png_read_info(png, info);

    png_uint_32 w, h;
    int depth, color, interlace;
    png_get_IHDR(png, info, &w, &h, &depth, &color, &interlace, NULL, NULL);
    uint64_t pixels = (uint64_t)w * h;
    if (pixels == 0 || pixels > RG_MAX_IMAGE_PIXELS ||
        pixels * 4 * (depth > 8 ? 2 : 1) > RG_MAX_IMAGE_BYTES) {
        snprintf(job->why, sizeof job->why, "%lu x %lu pixels: over the limits",
                 (unsigned long)w, (unsigned long)h);
        png_error(png, job->why);
    }
    png_set_expand(png);           /* palette -> RGB, grey < 8 bits -> 8, tRNS -> alpha */
    png_set_scale_16(png);         /* 16 -> 8 bits, rounded */
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int nch = png_get_channels(png, info);            /* 1 G, 2 GA, 3 RGB, 4 RGBA */
    size_t rowbytes = png_get_rowbytes(png, info);
    if (nch < 1 || nch > 4 || png_get_bit_depth(png, info) != 8 || rowbytes != (size_t)w * nch) {
        snprintf(job->why, sizeof job->why, "unexpected layout after expansion");
        png_error(png, job->why);
    }
    int has_alpha = nch == 2 || nch == 4, colour = nch - has_alpha;
    size_t npx = (size_t)pixels;
    job->px.width = (int)w;
    job->px.height = (int)h;
    job->px.channels = colour;
    job->px.samples = rg_xmalloc(npx * colour);
    if (has_alpha) job->px.alpha = rg_xmalloc(npx);
    /* an interlaced image needs all its rows at once; another is read a
     * row at a time into one row's room, so that at most the result and
     * one row are held (not the result twice) */
    if (interlace != PNG_INTERLACE_NONE) {
        job->rows = rg_xmalloc(rowbytes * h);
        job->rowp = rg_xmalloc(sizeof *job->rowp * h);
        for (png_uint_32 y = 0; y < h; y++) job->rowp[y] = job->rows + (size_t)y * rowbytes;
        png_read_image(png, job->rowp);
    } else {
        job->rows = rg_xmalloc(rowbytes);
    }
    int opaque = 1;
    for (png_uint_32 y = 0; y < h; y++) {
        const unsigned char *row = job->rows;
        if (interlace != PNG_INTERLACE_NONE) row = job->rowp[y];
        else png_read_row(png, job->rows, NULL);
        size_t first = (size_t)y * w;
        for (png_uint_32 x = 0; x < w; x++) {
            const unsigned char *s = row + (size_t)x * nch;
            memcpy(job->px.samples + (first + x) * colour, s, (size_t)colour);
            if (has_alpha) {
                job->px.alpha[first + x] = s[colour];
                opaque &= s[colour] == 255;
            }
        }
    }
    png_read_end(png, NULL);
    if (has_alpha && opaque) {     /* a tRNS no pixel uses: no soft mask needed */
        free(job->px.alpha);
        job->px.alpha = NULL;
    }
    png_destroy_read_struct(&png, &info, NULL);
    *out = job->px;
    memset(&job->px, 0, sizeof job->px);
    job_free(job);
    return RG_OK;
}

void rg_pixels_flatten(rg_pixels *p, double r, double g, double b)
{
    if (!p || !p->alpha) return;
    double bgd[3] = { r, g, b };
    unsigned bg[3];
    for (int c = 0; c < 3; c++) {
        double v = bgd[c] != bgd[c] ? 0 : bgd[c] < 0 ? 0 : bgd[c] > 1 ? 1 : bgd[c];
        int iv;
        rg_double_to_int(v * 255 + 0.5, 0, 255, &iv);
        bg[c] = (unsigned)iv;
    }
    size_t npx = (size_t)p->width * (size_t)p->height;
    if (p->channels == 1 && !(bg[0] == bg[1] && bg[1] == bg[2])) {
        unsigned char *rgb = rg_xmalloc(npx * 3);
        for (size_t i = 0; i < npx; i++) memset(rgb + i * 3, p->samples[i], 3);
        free(p->samples);
        p->samples = rgb;
        p->channels = 3;
    }
    int nc = p->channels;
    for (size_t i = 0; i < npx; i++) {
        unsigned a = p->alpha[i];
        for (int c = 0; c < nc; c++) {
            unsigned char *s = p->samples + i * nc + c;
            *s = (unsigned char)((*s * a + bg[c] * (255 - a) + 127) / 255);
        }
    }
    free(p->alpha);
    p->alpha = NULL;
}
