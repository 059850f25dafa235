/* pdf/image.c - raster pictures as image XObjects. Stage: pdf. Owns the
 * embedding of RG_DL_IMAGE items: a JPEG as it is (DCTDecode, libharu's
 * HPDF_LoadJpegImageFromMem reads its frame header: grey, RGB or CMYK,
 * 8 bits), a PNG through libharu's PNG loader (libpng underneath: palette,
 * grey, 16-bit and interlaced files; an alpha channel or tRNS becomes a
 * soft mask, /SMask). Under PDF/A a CMYK JPEG is refused (the output
 * intent is sRGB, and DeviceCMYK needs a CMYK one), and with --pdfa=1b a
 * PNG's alpha is flattened onto white with a warning, since PDF/A-1
 * forbids soft masks. The same bytes drawn again (on any page) are the
 * same XObject: embedded once. */
#include "internal.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>

typedef struct cached {
    const unsigned char *data;
    size_t len;
    HPDF_Image image;
} cached;

struct rg_pdf_images {
    cached *v;
    size_t n, cap;
};

void rg_pdf_images_free(rg_pdf_writer *w)
{
    if (!w->images) return;
    free(w->images->v);
    free(w->images);
    w->images = NULL;
}

/* The whole of a libharu memory stream (its data as loaded, before any
 * filter is applied at save time) into a malloc'd buffer of *n bytes. */
static unsigned char *stream_bytes(HPDF_Stream s, size_t *n)
{
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s), size = HPDF_Stream_Size(s);
    unsigned char *out = malloc(size ? size : 1);
    if (!out) abort();
    size_t o = 0;
    for (HPDF_UINT i = 0; i < count && o < size; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (!p) break;
        if (len > size - o) len = (HPDF_UINT)(size - o);
        memcpy(out + o, p, len);
        o += len;
    }
    *n = o;
    return out;
}

/* PDF/A-1: the PNG libharu loaded with a soft mask, its colours put over
 * white by their alpha, as a new image without one. NULL after an error. */
static HPDF_Image flatten(rg_pdf_writer *w, HPDF_Image img, const rg_dl_image *im)
{
    HPDF_Dict smask = HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT);
    if (!smask) return img;
    size_t nc, na;
    unsigned char *c = stream_bytes(img->stream, &nc), *a = stream_bytes(smask->stream, &na);
    HPDF_UINT iw = HPDF_Image_GetWidth(img), ih = HPDF_Image_GetHeight(img);
    HPDF_UINT bits = HPDF_Image_GetBitsPerComponent(img);
    const char *cs = HPDF_Image_GetColorSpace(img);
    int ch = cs && !strcmp(cs, "DeviceGray") ? 1 : 3;
    size_t px = (size_t)iw * ih;
    HPDF_Image out = NULL;
    if (bits != 8 || nc < px * (size_t)ch || na < px) {
        rg_pdf_fail(w, RG_EX_DATAERR, "image '%s': cannot flatten its transparency for PDF/A-1b "
                    "(%u bits, %s)", im->name, (unsigned)bits, cs ? cs : "?");
    } else {
        for (size_t i = 0; i < px; i++)
            for (int k = 0; k < ch; k++) {
                unsigned v = c[i * (size_t)ch + (size_t)k], al = a[i];
                c[i * (size_t)ch + (size_t)k] = (unsigned char)((v * al + 255u * (255u - al) + 127u) / 255u);
            }
        out = HPDF_LoadRawImageFromMem(w->pdf, c, iw, ih,
                                       ch == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
        if (out) out->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    }
    free(c);
    free(a);
    return out;
}

HPDF_Image rg_pdf_image(rg_pdf_writer *w, const rg_dl_image *im)
{
    if (!w->images) {
        w->images = calloc(1, sizeof *w->images);
        if (!w->images) abort();
    }
    struct rg_pdf_images *c = w->images;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].len == im->len &&
            (c->v[i].data == im->data || !memcmp(c->v[i].data, im->data, im->len)))
            return c->v[i].image;
    HPDF_Image img = NULL;
    if (im->format == RG_DL_IMAGE_JPEG) {
        if (im->channels == 4 && w->pdfa != RG_PDFA_OFF) {
            rg_pdf_fail(w, RG_EX_DATAERR, "image '%s' is a CMYK JPEG: PDF/A with the sRGB "
                        "output intent takes RGB or grey pictures; convert it to RGB first",
                        im->name);
            return NULL;
        }
        img = HPDF_LoadJpegImageFromMem(w->pdf, im->data, (HPDF_UINT)im->len);
    } else {
        img = HPDF_LoadPngImageFromMem(w->pdf, im->data, (HPDF_UINT)im->len);
        if (img && im->alpha && w->pdfa == RG_PDFA_1B) {
            rg_diag(w->ctx, RG_SEV_WARNING, w->name, 0, 0,
                    "image '%s': its transparency is flattened onto white (PDF/A-1b forbids "
                    "soft masks; --pdfa=2b or 2a keep it)", im->name);
            img = flatten(w, img, im);
        }
    }
    if (img && im->format == RG_DL_IMAGE_PNG) {
        /* libharu keeps decoded samples: deflated when saved */
        img->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        HPDF_Dict sm = HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT);
        if (sm) sm->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    }
    if (!img) {
        if (!w->status)
            rg_pdf_fail(w, RG_EX_DATAERR, "image '%s' cannot be read (a corrupt file?)",
                        im->name);
        return NULL;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 8;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) abort();
    }
    c->v[c->n++] = (cached){ im->data, im->len, img };
    return img;
}
