/* image/probe.c - what a PNG's or JPEG's header says, read by hand from
 * the bytes in memory with every length checked against what is left:
 * no library, no allocation (see image/image.h). */
#include "image.h"

#include <string.h>

static const char *name_of(const rg_image *img)
{
    return img->path ? img->path : img->src ? img->src : "image";
}

static rg_status bad(rg_ctx *ctx, const rg_image *img, const char *what)
{
    rg_diag(ctx, RG_SEV_ERROR, name_of(img), 0, 0, "%s", what);
    return RG_EX_DATAERR;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* The limits of image.h, for a header's width, height, samples a pixel
 * (alpha included) and bits a sample. */
static rg_status check_limits(rg_ctx *ctx, const rg_image *img, uint64_t w, uint64_t h,
                              int samples, int bits)
{
    if (w == 0 || h == 0) return bad(ctx, img, "corrupt image: width or height 0");
    uint64_t bytes_per = bits > 8 ? 2 : 1;
    if (w > RG_MAX_IMAGE_SIDE || h > RG_MAX_IMAGE_SIDE || w * h > RG_MAX_IMAGE_PIXELS ||
        w * h * (uint64_t)samples * bytes_per > RG_MAX_IMAGE_BYTES) {
        rg_diag(ctx, RG_SEV_ERROR, name_of(img), 0, 0,
                "image too large (%llu x %llu pixels; the limits are %llu pixels, "
                "%d on a side and %llu MiB decoded)",
                (unsigned long long)w, (unsigned long long)h, RG_MAX_IMAGE_PIXELS,
                RG_MAX_IMAGE_SIDE, RG_MAX_IMAGE_BYTES >> 20);
        return RG_EX_DATAERR;
    }
    return RG_OK;
}

/* ---- PNG ---- */

static rg_status probe_png(rg_ctx *ctx, rg_image *img)
{
    const unsigned char *d = img->data;
    size_t len = img->len, at = 8;
    int seen_ihdr = 0, seen_idat = 0, seen_plte = 0, trns = 0, color = 0;
    for (;;) {
        if (len - at < 12) return bad(ctx, img, "truncated PNG (no IEND chunk)");
        uint32_t n = be32(d + at);
        const unsigned char *type = d + at + 4, *body = d + at + 8;
        if (n > 0x7fffffffu) return bad(ctx, img, "corrupt PNG (chunk length out of range)");
        if (len - at - 12 < n) return bad(ctx, img, "truncated PNG (a chunk runs past the end)");
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
                return bad(ctx, img, "corrupt PNG (bad chunk type)");
        if (!seen_ihdr && memcmp(type, "IHDR", 4))
            return bad(ctx, img, "corrupt PNG (IHDR is not the first chunk)");
        if (!memcmp(type, "IHDR", 4)) {
            if (seen_ihdr || n != 13) return bad(ctx, img, "corrupt PNG (bad IHDR chunk)");
            seen_ihdr = 1;
            uint32_t w = be32(body), h = be32(body + 4);
            int depth = body[8];
            color = body[9];
            if (body[10] != 0 || body[11] != 0 || body[12] > 1)
                return bad(ctx, img, "corrupt PNG (unknown compression, filter or interlace method)");
            int ok;
            switch (color) {
            case 0: ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16; break;
            case 3: ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
            case 2: case 4: case 6: ok = depth == 8 || depth == 16; break;
            default: ok = 0;
            }
            if (!ok) return bad(ctx, img, "corrupt PNG (bad bit depth or colour type)");
            if (w > 0x7fffffffu || h > 0x7fffffffu)
                return bad(ctx, img, "corrupt PNG (width or height out of range)");
            img->width = (int)(w > RG_MAX_IMAGE_SIDE ? RG_MAX_IMAGE_SIDE : w);
            img->height = (int)(h > RG_MAX_IMAGE_SIDE ? RG_MAX_IMAGE_SIDE : h);
            img->channels = (color == 0 || color == 4) ? 1 : 3;
            img->alpha = color == 4 || color == 6;
            img->bits = depth;
            /* what rg_image_decode holds at once: the file's samples widened
             * to 8 or 16 bits, alpha included (a tRNS adds one later) */
            rg_status st = check_limits(ctx, img, w, h, img->channels + 1, depth);
            if (st != RG_OK) return st;
        } else if (!memcmp(type, "PLTE", 4)) {
            if (n == 0 || n % 3 || n > 768 || seen_idat)
                return bad(ctx, img, "corrupt PNG (bad PLTE chunk)");
            seen_plte = 1;
        } else if (!memcmp(type, "tRNS", 4)) {
            if (seen_idat || color == 4 || color == 6)
                return bad(ctx, img, "corrupt PNG (misplaced tRNS chunk)");
            trns = 1;
        } else if (!memcmp(type, "IDAT", 4)) {
            if (color == 3 && !seen_plte) return bad(ctx, img, "corrupt PNG (palette image without PLTE)");
            seen_idat = 1;
        } else if (!memcmp(type, "IEND", 4)) {
            if (!seen_idat) return bad(ctx, img, "corrupt PNG (no IDAT chunk)");
            break;
        } else if (!(type[0] & 0x20)) {   /* a critical chunk we do not know */
            return bad(ctx, img, "corrupt PNG (unknown critical chunk)");
        }
        at += 12 + (size_t)n;
    }
    if (trns) img->alpha = 1;
    img->format = RG_IMAGE_PNG;
    img->progressive = 0;
    img->adobe_transform = -1;
    img->icc_channels = 0;
    img->orientation = 1;
    return RG_OK;
}

/* ---- JPEG ---- */

/* The orientation tag (0x0112) of an EXIF APP1's first IFD, 1..8, or 1
 * when it is missing or anything about it is out of bounds (an unreadable
 * EXIF is not worth refusing a photo for). body: after "Exif\0\0". */
static int exif_orientation(const unsigned char *t, size_t n)
{
    if (n < 8) return 1;
    int le;
    if (!memcmp(t, "II*\0", 4)) le = 1;
    else if (!memcmp(t, "MM\0*", 4)) le = 0;
    else return 1;
#define U16(p) (le ? (unsigned)(p)[0] | (unsigned)(p)[1] << 8 : be16(p))
#define U32(p) (le ? (uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | (uint32_t)(p)[2] << 16 | (uint32_t)(p)[3] << 24 \
                   : be32(p))
    uint32_t ifd = U32(t + 4);
    if (ifd > n - 2) return 1;
    unsigned count = U16(t + ifd);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + 12 * (size_t)i;
        if (e + 12 > n) return 1;
        if (U16(t + e) == 0x0112 && U16(t + e + 2) == 3) {   /* SHORT */
            unsigned v = U16(t + e + 8);
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
#undef U16
#undef U32
    return 1;
}

static rg_status probe_jpeg(rg_ctx *ctx, rg_image *img)
{
    const unsigned char *d = img->data;
    size_t len = img->len, at = 2;
    int seen_sof = 0;
    img->adobe_transform = -1;
    img->icc_channels = 0;
    img->progressive = 0;
    img->orientation = 1;
    for (;;) {
        /* a marker: 0xFF, any fill bytes 0xFF, its code */
        if (at >= len || d[at] != 0xFF) {
            if (at >= len)
                return bad(ctx, img, seen_sof ? "truncated JPEG (no scan)" : "truncated JPEG (no SOF marker)");
            return bad(ctx, img, "corrupt JPEG (no marker where one belongs)");
        }
        while (at < len && d[at] == 0xFF) at++;
        if (at >= len)
            return bad(ctx, img, seen_sof ? "truncated JPEG (no scan)" : "truncated JPEG (no SOF marker)");
        unsigned m = d[at++];
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;     /* no length */
        if (m == 0xD8 || m == 0xD9 || m == 0x00)
            return bad(ctx, img, seen_sof ? "corrupt JPEG (no scan)" : "truncated JPEG (no SOF marker)");
        if (len - at < 2)
            return bad(ctx, img, seen_sof ? "truncated JPEG (no scan)" : "truncated JPEG (no SOF marker)");
        unsigned n = be16(d + at);
        if (n < 2) return bad(ctx, img, "corrupt JPEG (bad segment length)");
        if (len - at < n)
            return bad(ctx, img, seen_sof ? "truncated JPEG (a segment runs past the end)"
                                          : "truncated JPEG (no SOF marker)");
        const unsigned char *body = d + at + 2;
        size_t blen = n - 2;
        if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
            if (seen_sof) return bad(ctx, img, "corrupt JPEG (two SOF markers)");
            if (blen < 6) return bad(ctx, img, "corrupt JPEG (bad SOF segment)");
            if (body[0] != 8) {
                rg_diag(ctx, RG_SEV_ERROR, name_of(img), 0, 0,
                        "unsupported JPEG: %d-bit samples (only 8-bit JPEGs can be embedded)", body[0]);
                return RG_EX_DATAERR;
            }
            unsigned h = be16(body + 1), w = be16(body + 3), nc = body[5];
            if (h == 0) return bad(ctx, img, "unsupported JPEG: its height is given after the scan (DNL)");
            if (nc != 1 && nc != 3 && nc != 4) {
                rg_diag(ctx, RG_SEV_ERROR, name_of(img), 0, 0,
                        "unsupported JPEG: %u colour components (1, 3 or 4 can be embedded)", nc);
                return RG_EX_DATAERR;
            }
            if (blen < 6 + 3 * (size_t)nc) return bad(ctx, img, "corrupt JPEG (bad SOF segment)");
            rg_status st = check_limits(ctx, img, w, h, (int)nc, 8);
            if (st != RG_OK) return st;
            img->width = (int)w;
            img->height = (int)h;
            img->channels = (int)nc;
            img->progressive = m == 0xC2;
            seen_sof = 1;
        } else if (m == 0xC3 || (m >= 0xC5 && m <= 0xC7) || (m >= 0xC9 && m <= 0xCB) ||
                   (m >= 0xCD && m <= 0xCF)) {
            const char *kind = m == 0xC3 ? "lossless"
                             : (m >= 0xC9) ? "arithmetic-coded" : "hierarchical";
            rg_diag(ctx, RG_SEV_ERROR, name_of(img), 0, 0,
                    "unsupported JPEG: %s (save it as a baseline or progressive JPEG)", kind);
            return RG_EX_DATAERR;
        } else if (m == 0xEE && blen >= 12 && !memcmp(body, "Adobe", 5)) {
            img->adobe_transform = body[11] <= 2 ? body[11] : 0;
        } else if (m == 0xE2 && blen >= 14 + 20 && !memcmp(body, "ICC_PROFILE", 12) && body[12] == 1) {
            /* the first chunk holds the profile's header: colour space at 16 */
            const unsigned char *cs = body + 14 + 16;
            img->icc_channels = !memcmp(cs, "RGB ", 4) ? 3 : !memcmp(cs, "GRAY", 4) ? 1
                              : !memcmp(cs, "CMYK", 4) ? 4 : -1;
        } else if (m == 0xE1 && blen >= 6 && !memcmp(body, "Exif\0\0", 6)) {
            img->orientation = exif_orientation(body + 6, blen - 6);
        } else if (m == 0xDA) {
            if (!seen_sof) return bad(ctx, img, "corrupt JPEG (a scan before the SOF marker)");
            break;
        }
        at += n;
    }
    /* the scan's end: an EOI among the last bytes (some writers add a few) */
    size_t tail = len > 4096 ? len - 4096 : 0;
    int eoi = 0;
    for (size_t i = len - 2; i + 1 > tail && i < len; i--)
        if (d[i] == 0xFF && d[i + 1] == 0xD9) {
            eoi = 1;
            break;
        }
    if (!eoi) return bad(ctx, img, "truncated JPEG (no EOI marker at its end)");
    img->format = RG_IMAGE_JPEG;
    img->alpha = 0;
    img->bits = 8;
    return RG_OK;
}

rg_status rg_image_probe(rg_ctx *ctx, rg_image *img)
{
    static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    if (!img->data || img->len == 0) return bad(ctx, img, "empty file, not a PNG or JPEG file");
    if (img->len >= 8 && !memcmp(img->data, png_sig, 8)) return probe_png(ctx, img);
    if (img->len >= 3 && img->data[0] == 0xFF && img->data[1] == 0xD8 && img->data[2] == 0xFF)
        return probe_jpeg(ctx, img);
    if (img->len < 8 && !memcmp(img->data, png_sig, img->len))
        return bad(ctx, img, "truncated PNG (no IEND chunk)");
    return bad(ctx, img, "not a PNG or JPEG file");
}
