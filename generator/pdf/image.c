/* pdf/image.c - raster pictures as image XObjects. Stage: pdf. Owns the
 * embedding of RG_DL_IMAGE items: a JPEG as it is (DCTDecode, libharu's
 * HPDF_LoadJpegImageFromMem reads its frame header: grey, RGB or CMYK,
 * 8 bits), a PNG decoded by image/image.h's rg_image_decode (palette,
 * grey, 16-bit and interlaced files as 8-bit samples) and loaded raw, its
 * alpha channel or tRNS as a soft mask (/SMask). Under PDF/A a CMYK JPEG is refused (the output
 * intent is sRGB, and DeviceCMYK needs a CMYK one), and with --pdfa=1b a
 * PNG's alpha is flattened onto white with a warning, since PDF/A-1
 * forbids soft masks. The same bytes drawn again (on any page) are the
 * same XObject: embedded once. */
#include "internal.h"

#include "image/image.h"

#include <hpdf_objects.h>
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

/* A decoded picture's samples as a raw image XObject, deflated when saved. */
static HPDF_Image raw(rg_pdf_writer *w, const unsigned char *p, int width, int height, int ch)
{
    HPDF_Image img = HPDF_LoadRawImageFromMem(w->pdf, p, (HPDF_UINT)width, (HPDF_UINT)height,
                                              ch == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB,
                                              8);
    if (img) img->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    return img;
}

/* A PNG decoded by image/image.h (8-bit samples and an alpha plane): the
 * samples as the image, the alpha as its /SMask, or with --pdfa=1b put
 * over white (a warning). NULL after an error. */
static HPDF_Image png(rg_pdf_writer *w, const rg_dl_image *im)
{
    rg_image src = { .src = im->name, .path = im->name, .format = RG_IMAGE_PNG,
                     .data = im->data, .len = im->len, .width = im->width,
                     .height = im->height, .channels = im->channels, .alpha = im->alpha };
    rg_pixels px;
    if (rg_image_decode(w->ctx, &src, &px) != RG_OK) {
        rg_pdf_fail(w, RG_EX_DATAERR, "image '%s' cannot be decoded", im->name);
        return NULL;
    }
    if (px.alpha && w->pdfa == RG_PDFA_1B) {
        rg_diag(w->ctx, RG_SEV_WARNING, im->name, 0, 0,
                "its transparency is flattened onto white: PDF/A-1b forbids soft masks "
                "(--pdfa=2b or 2a keep it)");
        rg_pixels_flatten(&px, 1, 1, 1);
    }
    HPDF_Image img = raw(w, px.samples, px.width, px.height, px.channels);
    if (img && px.alpha) {
        HPDF_Image mask = raw(w, px.alpha, px.width, px.height, 1);
        if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK) img = NULL;
    }
    rg_pixels_free(&px);
    return img;
}

/* A JPEG's bytes as they are (DCTDecode). A CMYK one under PDF/A is
 * refused: the output intent is sRGB. libharu gives every CMYK JPEG the
 * inverted /Decode of Adobe's files; one without Adobe's marker stores
 * CMYK plainly and must not have it. */
static HPDF_Image jpeg(rg_pdf_writer *w, const rg_dl_image *im)
{
    if (im->channels == 4 && w->pdfa != RG_PDFA_OFF) {
        rg_pdf_fail(w, RG_EX_DATAERR, "image '%s' is a CMYK JPEG: PDF/A with the sRGB output "
                    "intent takes RGB or grey pictures; convert it to RGB first", im->name);
        return NULL;
    }
    if (w->pdfa != RG_PDFA_OFF && im->icc_channels != 0 && im->icc_channels != im->channels) {
        rg_pdf_fail(w, RG_EX_DATAERR, "image '%s': its ICC profile does not describe its %d "
                    "colour channels; PDF/A needs a picture its sRGB output intent covers "
                    "(save it as sRGB)", im->name, im->channels);
        return NULL;
    }
    HPDF_Image img = HPDF_LoadJpegImageFromMem(w->pdf, im->data, (HPDF_UINT)im->len);
    if (img && im->channels == 4) {
        int inverted = im->adobe_transform >= 0;
        HPDF_Array d = HPDF_Dict_GetItem(img, "Decode", HPDF_OCLASS_ARRAY);
        if (d && !inverted) HPDF_Dict_RemoveElement(img, "Decode");
        else if (!d && inverted) {
            d = HPDF_Array_New(w->pdf->mmgr);
            for (int k = 0; k < 8; k++) HPDF_Array_AddNumber(d, (k & 1) ? 0 : 1);
            HPDF_Dict_Add(img, "Decode", d);
        }
    }
    return img;
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
    HPDF_Image img = im->format == RG_DL_IMAGE_JPEG ? jpeg(w, im) : png(w, im);
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
