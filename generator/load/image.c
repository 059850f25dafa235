/* load/image.c - <image> blocks of a definition. Stage: load. Owns
 * rg_load_image: the attributes (alt= required unless decorative="true",
 * width= as a length or a share of the text width), the file read beside
 * the definition with rg_read_beside (the rules of a data file: inside the
 * definition's folder, a regular file, at most RG_MAX_INPUT_BYTES) and its
 * header read: PNG or JPEG by its first bytes, its size in pixels and its
 * colour channels, checked against RG_MAX_IMAGE_PIXELS before anything is
 * decoded. A file that is neither, or whose header is cut short or
 * inconsistent, is an error naming the file. The pixels themselves are
 * the pdf stage's (a JPEG is embedded as it is). */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Largest picture accepted: width x height. 40 megapixels is a 7,000 x
 * 5,700 photo, far more than print at 300 dpi needs on an A4 page; the
 * decoded RGBA samples of one (160 MB) bound the pdf stage's memory. */
enum { RG_MAX_IMAGE_PIXELS = 40 * 1000 * 1000, RG_MAX_IMAGE_SIDE = 30000 };

static void ierr(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void ierr(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const char *fmt, ...)
{
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rg_diag(ctx, RG_SEV_ERROR, doc->path, rg_xml_line(n), 1, "%s", msg);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A PNG's header: IHDR's size, depth and colour type; alpha from the
 * colour type or a tRNS chunk before the first IDAT. NULL, or why not. */
static const char *probe_png(const unsigned char *p, size_t n, rg_image *im)
{
    if (n < 33 || memcmp(p + 12, "IHDR", 4) || be32(p + 8) != 13) return "no IHDR chunk";
    uint32_t w = be32(p + 16), h = be32(p + 20);
    int depth = p[24], type = p[25];
    if (w == 0 || h == 0) return "a size of 0 pixels";
    if (w > RG_MAX_IMAGE_SIDE || h > RG_MAX_IMAGE_SIDE ||
        (uint64_t)w * h > RG_MAX_IMAGE_PIXELS)
        return "larger than 40 megapixels";
    switch (type) {
    case 0: im->channels = 1; break;
    case 2: im->channels = 3; break;
    case 3: im->channels = 3; break;
    case 4: im->channels = 1; im->alpha = 1; break;
    case 6: im->channels = 3; im->alpha = 1; break;
    default: return "an unknown PNG colour type";
    }
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
        return "an unknown PNG bit depth";
    size_t o = 33;
    int idat = 0;
    while (o + 12 <= n) {
        uint32_t len = be32(p + o);
        if (len > n - o - 12) return "a chunk cut short (truncated file)";
        if (!memcmp(p + o + 4, "tRNS", 4)) im->alpha = 1;
        if (!memcmp(p + o + 4, "IDAT", 4)) idat = 1;
        if (!memcmp(p + o + 4, "IEND", 4)) break;
        o += 12 + (size_t)len;
    }
    if (!idat) return "no image data (truncated file)";
    if (o + 12 > n) return "no IEND chunk (truncated file)";
    im->width = (int)w;
    im->height = (int)h;
    return NULL;
}

/* A JPEG's header: the frame (SOF) marker's size and components. */
static const char *probe_jpeg(const unsigned char *p, size_t n, rg_image *im)
{
    size_t o = 2;
    while (o + 4 <= n) {
        if (p[o] != 0xFF) return "a broken marker";
        int m = p[o + 1];
        if (m == 0xFF) { o++; continue; }
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) { o += 2; continue; }
        size_t len = (size_t)p[o + 2] << 8 | p[o + 3];
        if (len < 2 || o + 2 + len > n) return "a segment cut short (truncated file)";
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (m != 0xC0 && m != 0xC1 && m != 0xC2)
                return "a JPEG coding PDF readers do not all support (lossless or arithmetic)";
            if (len < 8) return "a frame header cut short";
            int h = p[o + 5] << 8 | p[o + 6], w = p[o + 7] << 8 | p[o + 8], c = p[o + 9];
            if (w == 0 || h == 0) return "a size of 0 pixels";
            if ((uint64_t)w * (uint64_t)h > RG_MAX_IMAGE_PIXELS) return "larger than 40 megapixels";
            if (c != 1 && c != 3 && c != 4) return "an unsupported number of colour components";
            if (p[o + 4] != 8) return "not 8 bits per sample";
            im->width = w;
            im->height = h;
            im->channels = c;
            /* the scan must follow: a file cut after its header is corrupt */
            for (size_t e = n; e >= 2 && e > n - 64; e--)
                if (p[e - 2] == 0xFF && p[e - 1] == 0xD9) return NULL;
            return "no end-of-image marker (truncated file)";
        }
        if (m == 0xDA || m == 0xD9) break;
        o += 2 + len;
    }
    return "no frame header";
}

/* "50%" or a length. 0, or -1. */
static int parse_width(const char *s, rg_image *im)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '%') {
        char *end;
        double v = strtod(s, &end);
        if (end != s + n - 1 || !(v > 0) || v > 100) return -1;
        im->width_share = v / 100;
        return 0;
    }
    return rg_parse_length(s, &im->width_pt) < 0 || !(im->width_pt > 0) ? -1 : 0;
}

int rg_load_image(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const rg_image **out)
{
    rg_arena *a = doc->arena;
    rg_image *im = rg_arena_alloc(a, sizeof *im);
    memset(im, 0, sizeof *im);
    *out = NULL;
    im->line = rg_xml_line(n);
    im->src = rg_xml_attr(a, n, "src");
    im->alt = rg_xml_attr(a, n, "alt");
    char *dec = rg_xml_attr(a, n, "decorative");
    im->decorative = dec && (!strcmp(dec, "true") || !strcmp(dec, "1"));
    char *width = rg_xml_attr(a, n, "width");
    int bad = 0;
    if (im->decorative) {
        im->alt = NULL;
    } else {
        const char *s = im->alt;
        while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++;
        if (!s || !*s) {
            ierr(ctx, doc, n, "an image needs alt= (what it shows, for screen readers) or "
                              "decorative=\"true\"");
            bad = 1;
        }
    }
    if (width && parse_width(width, im) < 0) {
        ierr(ctx, doc, n, "width='%s': a length above 0 (60mm) or a share of the text width "
                          "up to 100%%", width);
        bad = 1;
    }
    if (!im->src) return -1;                     /* the schema requires it */
    char *data = NULL, why[300];
    size_t len = 0;
    if (rg_read_beside(ctx, doc->base_dir, im->src, RG_MAX_INPUT_BYTES, &data, &len, why,
                       sizeof why) < 0) {
        ierr(ctx, doc, n, "cannot read image '%s': %s", im->src, why);
        return -1;
    }
    const unsigned char *p = (const unsigned char *)data;
    const char *no = NULL;
    if (len >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8)) {
        im->format = RG_IMAGE_PNG;
        no = probe_png(p, len, im);
    } else if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        im->format = RG_IMAGE_JPEG;
        no = probe_jpeg(p, len, im);
    } else {
        no = "not a PNG or JPEG file";
        if (len >= 5 && (!memcmp(p, "<?xml", 5) || !memcmp(p, "<svg", 4)))
            no = "an SVG file: SVG pictures are not supported yet (issue 15)";
    }
    if (no) {
        ierr(ctx, doc, n, "image '%s': %s", im->src, no);
        free(data);
        return -1;
    }
    unsigned char *copy = rg_arena_alloc(a, len + 1);
    memcpy(copy, data, len);
    free(data);
    im->data = copy;
    im->len = len;
    im->path = im->src;
    if (bad) return -1;
    *out = im;
    return 0;
}
