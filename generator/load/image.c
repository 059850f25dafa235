/* load/image.c - <image> blocks of a definition. Stage: load. Owns
 * rg_load_image: the attributes (alt= required unless decorative="true",
 * width= as a length or a share of the text width), the file read beside
 * the definition with rg_read_beside (the rules of a data file: inside the
 * definition's folder, a regular file, at most RG_MAX_IMAGE_FILE) and then
 * either an SVG (by its first bytes: load/svg.c turns it into paths) or a
 * PNG or JPEG whose header image/image.h's rg_image_probe reads and checks
 * against the size limits. A file of another format, cut short or corrupt
 * is an error naming the file, then one at the <image>'s line. The pixels
 * themselves are the pdf stage's (a JPEG is embedded as it is). */
#include "internal.h"

#include "image/image.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* The file as diagnostics name it: beside the definition, as the user
 * named it ("samples/jaarverslag/afbeeldingen/proces.png"). */
static const char *file_name(rg_arena *a, const char *beside, const char *src)
{
    const char *slash = strrchr(beside, '/');
    if (!slash) return rg_arena_strdup(a, src);
    size_t n = (size_t)(slash - beside) + 1, m = strlen(src);
    char *p = rg_arena_alloc(a, n + m + 1);
    memcpy(p, beside, n);
    memcpy(p + n, src, m + 1);
    return p;
}

/* An SVG by its first non-blank bytes ("<?xml" or "<svg"; an XML file
 * that is not SVG is told so by the SVG reader). */
static int looks_like_svg(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    return n - i >= 4 && (!memcmp(p + i, "<?xm", 4) || !memcmp(p + i, "<svg", 4) ||
                          !memcmp(p + i, "<!--", 4));
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

/* Reads the file im->src beside the definition into im: an SVG's paths,
 * or a raster file's bytes with its header probed. 0, or -1 after
 * diagnostics (the last at n's line). */
static int read_image_in(rg_ctx *ctx, rg_arena *a, const char *dir, const char *file,
                         int line, rg_image *im)
{
    char *data = NULL, why[300];
    size_t len = 0;
    if (rg_read_beside(ctx, dir, im->src, RG_MAX_IMAGE_FILE, &data, &len, why,
                       sizeof why) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, file, line, 1, "cannot read image '%s': %s", im->src, why);
        return -1;
    }
    const unsigned char *p = (const unsigned char *)data;
    rg_status st;
    if (looks_like_svg(p, len)) {
        im->format = RG_IMAGE_SVG;
        st = rg_load_svg_mem(ctx, a, im->path, data, len, &im->vector);
    } else {
        /* the probe reads the header only; the bytes stay for the pdf stage */
        unsigned char *copy = rg_arena_alloc(a, len + 1);
        memcpy(copy, data, len);
        im->data = copy;
        im->len = len;
        st = rg_image_probe(ctx, im);
    }
    free(data);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, file, line, 1, "image '%s' cannot be used (see above)",
                im->src);
        return -1;
    }
    return 0;
}

static int read_image(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, rg_image *im)
{
    im->path = file_name(doc->arena, doc->path, im->src);
    return read_image_in(ctx, doc->arena, doc->base_dir, doc->path, rg_xml_line(n), im);
}

int rg_load_logo(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const char *attr,
                 const rg_image **out)
{
    rg_image *im = rg_arena_alloc(doc->arena, sizeof *im);
    memset(im, 0, sizeof *im);
    *out = NULL;
    im->line = rg_xml_line(n);
    im->src = rg_xml_attr(doc->arena, n, attr);
    im->decorative = 1;
    if (!im->src || read_image(ctx, doc, n, im) < 0) return -1;
    *out = im;
    return 0;
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
    if (read_image(ctx, doc, n, im) < 0) return -1;
    if (bad) return -1;
    *out = im;
    return 0;
}

/* One logo the layout names (rel, relative to the layout file's folder). */
static rg_status layout_logo(rg_ctx *ctx, rg_doc *doc, const rg_style *st, const char *rel,
                             int line, const rg_image **out)
{
    rg_image *im = rg_arena_alloc(doc->arena, sizeof *im);
    memset(im, 0, sizeof *im);
    im->src = rg_arena_strdup(doc->arena, rel);
    im->path = file_name(doc->arena, st->path, rel);
    im->decorative = 1;
    im->line = line;
    char dir[PATH_MAX];
    const char *slash = strrchr(st->path, '/');
    size_t n = slash ? (size_t)(slash - st->path) : 1;
    if (n >= sizeof dir) n = sizeof dir - 1;
    memcpy(dir, slash ? st->path : ".", n);
    dir[n] = 0;
    if (read_image_in(ctx, doc->arena, dir, st->path, line, im) < 0) return RG_EX_DATAERR;
    *out = im;
    return RG_OK;
}

rg_status rg_load_layout_logos(rg_ctx *ctx, rg_doc *doc, const rg_style *st)
{
    rg_status r = RG_OK;
    if (!doc->cover_logo && st->cover_logo)
        r = layout_logo(ctx, doc, st, st->cover_logo, st->cover_line, &doc->cover_logo);
    if (r == RG_OK && st->header_logo)
        r = layout_logo(ctx, doc, st, st->header_logo, st->header_line, &doc->header_logo);
    return r;
}
