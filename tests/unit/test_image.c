/* test_image.c - image/: every PNG variant of tests/images/ decodes to the
 * pixels make-fixtures.py wrote (same formulas here), JPEG headers give
 * their size, components, Adobe and ICC colour space, and bad files
 * (not an image, truncated, corrupt, too large, unsupported kinds) fail
 * with the file's name, as data (65), without a crash at any length. */
#include "image/image.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    char path[512];
    char *bytes;
    size_t len;
    rg_image img;
} fixture;

/* Reads tests/images/NAME with rg_read_regular, as the callers will. */
static int fixture_read(fixture *f, const char *name)
{
    char why[200];
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s/tests/images/%s", test_root, name);
    if (rg_read_regular(f->path, RG_MAX_IMAGE_FILE, &f->bytes, &f->len, NULL, why, sizeof why) != RG_OK) {
        fprintf(stderr, "  cannot read %s: %s\n", f->path, why);
        return 0;
    }
    f->img.src = name;
    f->img.path = name;            /* messages name it: "rgb.png: error: ..." */
    f->img.data = (const unsigned char *)f->bytes;
    f->img.len = f->len;
    return 1;
}

/* Probes and decodes tests/images/NAME; RG_OK and the pixels, or not. */
static rg_status decode_fixture(const char *name, rg_pixels *px, rg_image *img)
{
    fixture f;
    memset(px, 0, sizeof *px);
    if (!fixture_read(&f, name)) return RG_EX_NOINPUT;
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_status st = rg_image_probe(ctx, &f.img);
    if (st == RG_OK) st = rg_image_decode(ctx, &f.img, px);
    if (st != RG_OK) fprintf(stderr, "  %s: %s", name, ctx->diag_text ? ctx->diag_text : "?\n");
    if (img) *img = f.img;
    rg_ctx_free(ctx);
    free(f.bytes);
    return st;
}

static const unsigned char *at(const rg_pixels *p, int x, int y)
{
    return p->samples + ((size_t)y * p->width + x) * p->channels;
}

static int rgb_is(const rg_pixels *p, int x, int y, int r, int g, int b)
{
    const unsigned char *s = at(p, x, y);
    if (p->channels == 3 && s[0] == r && s[1] == g && s[2] == b) return 1;
    fprintf(stderr, "  pixel %d,%d: %d %d %d, want %d %d %d\n", x, y, s[0],
            p->channels > 1 ? s[1] : -1, p->channels > 2 ? s[2] : -1, r, g, b);
    return 0;
}

static int alpha_at(const rg_pixels *p, int x, int y)
{
    return p->alpha ? p->alpha[(size_t)y * p->width + x] : -1;
}

TEST(image_png_rgb_and_rgba)
{
    rg_pixels p;
    rg_image img;
    CHECK(decode_fixture("rgb.png", &p, &img) == RG_OK);
    CHECK(img.format == RG_IMAGE_PNG && img.width == 4 && img.height == 3);
    CHECK(img.channels == 3 && !img.alpha && img.bits == 8);
    CHECK(p.width == 4 && p.height == 3 && p.channels == 3 && p.alpha == NULL);
    if (p.samples) {
        CHECK(rgb_is(&p, 0, 0, 10, 20, 200));
        CHECK(rgb_is(&p, 3, 2, 130, 120, 130));
        CHECK(rgb_is(&p, 1, 2, 50, 120, 150));
    }
    rg_pixels_free(&p);
    CHECK(decode_fixture("rgba.png", &p, &img) == RG_OK);
    CHECK(img.channels == 3 && img.alpha);
    CHECK(p.channels == 3 && p.alpha != NULL);
    if (p.alpha) {
        CHECK(rgb_is(&p, 3, 2, 130, 120, 130));
        CHECK(alpha_at(&p, 0, 0) == 0 && alpha_at(&p, 3, 2) == 200 && alpha_at(&p, 1, 1) == 70);
    }
    rg_pixels_free(&p);
    CHECK(p.samples == NULL && p.alpha == NULL);
}

TEST(image_png_grey_kept_grey)
{
    rg_pixels p;
    rg_image img;
    CHECK(decode_fixture("grey.png", &p, &img) == RG_OK);
    CHECK(img.channels == 1 && !img.alpha && p.channels == 1 && !p.alpha);
    if (p.samples) CHECK(at(&p, 0, 0)[0] == 0 && at(&p, 3, 2)[0] == 230 && at(&p, 2, 1)[0] == 130);
    rg_pixels_free(&p);
    CHECK(decode_fixture("grey-alpha.png", &p, &img) == RG_OK);
    CHECK(img.channels == 1 && img.alpha && p.channels == 1 && p.alpha);
    if (p.alpha) {
        CHECK(at(&p, 3, 2)[0] == 230);
        CHECK(alpha_at(&p, 0, 1) == 255 && alpha_at(&p, 3, 0) == 75);
    }
    rg_pixels_free(&p);
    /* 2-bit grey: 0..3 scaled to 0, 85, 170, 255 */
    CHECK(decode_fixture("grey-2bit.png", &p, &img) == RG_OK);
    CHECK(img.bits == 2 && p.width == 5 && p.height == 2 && p.channels == 1);
    if (p.samples) CHECK(at(&p, 4, 1)[0] == 85 && at(&p, 2, 1)[0] == 255 && at(&p, 0, 0)[0] == 0);
    rg_pixels_free(&p);
}

TEST(image_png_palette_with_trns_becomes_rgb_and_alpha)
{
    rg_pixels p;
    rg_image img;
    CHECK(decode_fixture("palette-trns.png", &p, &img) == RG_OK);
    CHECK(img.channels == 3 && img.alpha && img.bits == 2);
    CHECK(p.channels == 3 && p.alpha);
    if (p.alpha) {
        CHECK(rgb_is(&p, 0, 0, 255, 0, 0) && alpha_at(&p, 0, 0) == 0);
        CHECK(rgb_is(&p, 1, 0, 0, 255, 0) && alpha_at(&p, 1, 0) == 128);
        CHECK(rgb_is(&p, 2, 0, 0, 0, 255) && alpha_at(&p, 2, 0) == 255);   /* past tRNS: opaque */
        CHECK(rgb_is(&p, 3, 1, 0, 255, 0) && alpha_at(&p, 3, 1) == 128);
    }
    rg_pixels_free(&p);
}

TEST(image_png_16bit_reduced_to_8_rounded)
{
    rg_pixels p;
    rg_image img;
    CHECK(decode_fixture("rgb16.png", &p, &img) == RG_OK);
    CHECK(img.bits == 16 && p.channels == 3);
    /* 0x1234 = 4660 -> 18; 0x369c -> 54; 0xeeee -> 238; 0x282 -> 2 */
    if (p.samples) {
        CHECK(rgb_is(&p, 0, 0, 18, 255, 0));
        CHECK(rgb_is(&p, 2, 1, 54, 238, 2));
    }
    rg_pixels_free(&p);
}

TEST(image_png_interlaced_and_unused_trns)
{
    rg_pixels p;
    rg_image img;
    CHECK(decode_fixture("interlaced.png", &p, &img) == RG_OK);
    CHECK(p.width == 9 && p.height == 9 && p.channels == 3 && !p.alpha);
    if (p.samples) {
        CHECK(rgb_is(&p, 0, 0, 0, 0, 0));
        CHECK(rgb_is(&p, 8, 8, 160, 200, 64));
        CHECK(rgb_is(&p, 5, 3, 100, 75, 15));
        CHECK(rgb_is(&p, 1, 7, 20, 175, 7));
    }
    rg_pixels_free(&p);
    /* a tRNS colour no pixel has: the header says alpha, decoding finds none */
    CHECK(decode_fixture("rgb-trns-unused.png", &p, &img) == RG_OK);
    CHECK(img.alpha && p.alpha == NULL);
    rg_pixels_free(&p);
}

TEST(image_flatten_onto_background)
{
    rg_pixels p;
    CHECK(decode_fixture("rgba.png", &p, NULL) == RG_OK);
    rg_pixels_flatten(&p, 1, 1, 1);
    CHECK(p.alpha == NULL && p.channels == 3);
    if (p.samples) {
        CHECK(rgb_is(&p, 0, 0, 255, 255, 255));        /* alpha 0: the background */
        /* alpha 200: (130 x 200 + 255 x 55 + 127) / 255 = 157 */
        CHECK(rgb_is(&p, 3, 2, 157, 149, 157));
    }
    rg_pixels_free(&p);
    /* grey on red: becomes RGB */
    CHECK(decode_fixture("grey-alpha.png", &p, NULL) == RG_OK);
    rg_pixels_flatten(&p, 1, 0, 0);
    CHECK(p.alpha == NULL && p.channels == 3);
    if (p.samples && p.channels == 3) {
        CHECK(rgb_is(&p, 0, 0, 0, 0, 0));              /* opaque black */
        CHECK(rgb_is(&p, 3, 0, 206, 26, 26));          /* grey 90, alpha 75 */
    }
    rg_pixels_free(&p);
    /* grey on grey stays grey; no alpha: nothing happens */
    CHECK(decode_fixture("grey-alpha.png", &p, NULL) == RG_OK);
    rg_pixels_flatten(&p, 1, 1, 1);
    CHECK(p.channels == 1 && p.alpha == NULL);
    if (p.samples) CHECK(at(&p, 0, 1)[0] == 70);       /* alpha 255: unchanged */
    rg_pixels_flatten(&p, 0, 0, 0);
    CHECK(p.channels == 1);
    rg_pixels_free(&p);
}

/* Probes NAME; returns its status, its diagnostics in diag (256 bytes). */
static rg_status probe_fixture(const char *name, rg_image *img, char *diag)
{
    fixture f;
    diag[0] = 0;
    if (!fixture_read(&f, name)) return RG_EX_NOINPUT;
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_status st = rg_image_probe(ctx, &f.img);
    snprintf(diag, 256, "%s", ctx->diag_text ? ctx->diag_text : "");
    if (st != RG_OK && ctx->errors != 1) st = RG_EX_SOFTWARE;   /* one error, always */
    if (img) *img = f.img;
    rg_ctx_free(ctx);
    free(f.bytes);
    return st;
}

TEST(image_jpeg_probe_reads_size_components_adobe_icc)
{
    rg_image img;
    char diag[256];
    CHECK(probe_fixture("rgb-icc.jpg", &img, diag) == RG_OK);
    CHECK(img.format == RG_IMAGE_JPEG && img.width == 20 && img.height == 12);
    CHECK(img.channels == 3 && !img.alpha && img.bits == 8 && !img.progressive);
    CHECK(img.icc_channels == 3 && img.adobe_transform == -1);
    CHECK(probe_fixture("grey.jpg", &img, diag) == RG_OK);
    CHECK(img.width == 8 && img.height == 8 && img.channels == 1 && img.icc_channels == 0);
    CHECK(probe_fixture("progressive.jpg", &img, diag) == RG_OK);
    CHECK(img.width == 24 && img.height == 16 && img.channels == 3 && img.progressive);
    CHECK(probe_fixture("cmyk.jpg", &img, diag) == RG_OK);
    CHECK(img.width == 16 && img.height == 8 && img.channels == 4);
    CHECK(img.adobe_transform == 0 && img.icc_channels == 0);
    CHECK(probe_fixture("cmyk-icc.jpg", &img, diag) == RG_OK);
    CHECK(img.channels == 4 && img.icc_channels == 4);
    CHECK(img.orientation == 1);
    /* EXIF orientation 6: stored 8 x 8, shown turned a quarter clockwise */
    CHECK(probe_fixture("exif-rotated.jpg", &img, diag) == RG_OK);
    CHECK(img.orientation == 6 && img.width == 8 && img.channels == 1);
    /* nothing to decode for a JPEG: embedded as it is */
    fixture f;
    if (fixture_read(&f, "grey.jpg")) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_pixels p;
        CHECK(rg_image_probe(ctx, &f.img) == RG_OK);
        CHECK(rg_image_decode(ctx, &f.img, &p) == RG_EX_SOFTWARE && p.samples == NULL);
        rg_ctx_free(ctx);
        free(f.bytes);
    }
}

TEST(image_bad_files_fail_with_the_file_name)
{
    char diag[256];
    CHECK(probe_fixture("not-an-image.png", NULL, diag) == RG_EX_DATAERR);
    CHECK_STR(diag, "not-an-image.png: error: not a PNG or JPEG file\n");
    CHECK(probe_fixture("truncated.png", NULL, diag) == RG_EX_DATAERR);
    CHECK(strstr(diag, "truncated.png: error: truncated PNG") == diag);
    CHECK(probe_fixture("truncated.jpg", NULL, diag) == RG_EX_DATAERR);
    CHECK_STR(diag, "truncated.jpg: error: truncated JPEG (no SOF marker)\n");
    CHECK(probe_fixture("truncated-scan.jpg", NULL, diag) == RG_EX_DATAERR);
    CHECK_STR(diag, "truncated-scan.jpg: error: truncated JPEG (no EOI marker at its end)\n");
    CHECK(probe_fixture("arith.jpg", NULL, diag) == RG_EX_DATAERR);
    CHECK(strstr(diag, "arith.jpg: error: unsupported JPEG: arithmetic-coded") == diag);
    CHECK(probe_fixture("12bit.jpg", NULL, diag) == RG_EX_DATAERR);
    CHECK(strstr(diag, "12bit.jpg: error: unsupported JPEG: 12-bit samples") == diag);
    /* well-formed chunks, a wrong CRC: only libpng sees it, when decoding */
    rg_pixels p;
    fixture f;
    if (fixture_read(&f, "bad-crc.png")) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        CHECK(rg_image_probe(ctx, &f.img) == RG_OK);
        CHECK(rg_image_decode(ctx, &f.img, &p) == RG_EX_DATAERR);
        CHECK(p.samples == NULL && p.alpha == NULL && ctx->errors == 1);
        CHECK(ctx->diag_text && strstr(ctx->diag_text, "bad-crc.png: error: corrupt PNG (") ==
                                    ctx->diag_text);
        rg_ctx_free(ctx);
        free(f.bytes);
    }
}

/* A PNG of just a header saying w x h, colour type ct, depth (CRCs 0: the
 * probe does not check them). */
static size_t png_header(unsigned char *b, uint32_t w, uint32_t h, int depth, int ct)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    size_t n = 0;
    memcpy(b, sig, 8);
    n = 8;
    const unsigned char ihdr[] = { 0, 0, 0, 13, 'I', 'H', 'D', 'R',
        (unsigned char)(w >> 24), (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w,
        (unsigned char)(h >> 24), (unsigned char)(h >> 16), (unsigned char)(h >> 8), (unsigned char)h,
        (unsigned char)depth, (unsigned char)ct, 0, 0, 0, 0, 0, 0, 0 };
    memcpy(b + n, ihdr, sizeof ihdr);
    n += sizeof ihdr;
    const unsigned char rest[] = { 0, 0, 0, 0, 'I', 'D', 'A', 'T', 0, 0, 0, 0,
                                   0, 0, 0, 0, 'I', 'E', 'N', 'D', 0, 0, 0, 0 };
    memcpy(b + n, rest, sizeof rest);
    return n + sizeof rest;
}

TEST(image_limits_refuse_before_allocating)
{
    char diag[256];
    rg_image img;
    /* huge.png: IHDR 100000 x 100000 (its data a few bytes) */
    CHECK(probe_fixture("huge.png", &img, diag) == RG_EX_DATAERR);
    CHECK(strstr(diag, "huge.png: error: image too large (100000 x 100000 pixels") == diag);
    /* decode checks again, on its own (a caller that skipped the probe) */
    fixture f;
    if (fixture_read(&f, "huge.png")) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_pixels p;
        f.img.format = RG_IMAGE_PNG;
        CHECK(rg_image_decode(ctx, &f.img, &p) == RG_EX_DATAERR && p.samples == NULL);
        rg_ctx_free(ctx);
        free(f.bytes);
    }
    /* 36 megapixels pass the pixel count, but RGBA at 16 bits is 288 MB */
    unsigned char b[64];
    rg_ctx *ctx = rg_ctx_new(NULL);
    memset(&img, 0, sizeof img);
    img.path = "big.png";
    img.data = b;
    img.len = png_header(b, 6000, 6000, 16, 6);
    CHECK(rg_image_probe(ctx, &img) == RG_EX_DATAERR);
    img.len = png_header(b, 6000, 6000, 8, 6);          /* 144 MB: allowed */
    CHECK(rg_image_probe(ctx, &img) == RG_OK && img.width == 6000 && img.alpha);
    img.len = png_header(b, 0, 10, 8, 2);
    CHECK(rg_image_probe(ctx, &img) == RG_EX_DATAERR);
    img.len = png_header(b, 10, 10, 16, 3);             /* no 16-bit palettes */
    CHECK(rg_image_probe(ctx, &img) == RG_EX_DATAERR);
    CHECK(ctx->errors == 3);
    rg_ctx_free(ctx);
}

/* Every prefix of a few fixtures, and each with one byte changed: RG_OK or
 * one error as data, never a crash or a failure without a message. */
TEST(image_every_prefix_and_flipped_byte_fails_cleanly)
{
    static const char *names[] = { "rgba.png", "palette-trns.png", "interlaced.png",
                                   "progressive.jpg", "cmyk-icc.jpg" };
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        fixture f;
        if (!fixture_read(&f, names[k])) {
            CHECK(0);
            continue;
        }
        unsigned char *copy = malloc(f.len);
        int bad_contract = 0;
        for (size_t n = 0; n <= f.len * 2; n++) {
            memcpy(copy, f.bytes, f.len);
            rg_image img = f.img;
            img.data = copy;
            if (n <= f.len) {
                img.len = n;
            } else {
                copy[n - f.len - 1] ^= 0x5a;
            }
            rg_ctx *ctx = rg_ctx_new(NULL);
            rg_pixels p;
            rg_status st = rg_image_probe(ctx, &img);
            if (st == RG_OK && img.format == RG_IMAGE_PNG) st = rg_image_decode(ctx, &img, &p);
            if (st == RG_OK && img.format == RG_IMAGE_PNG) rg_pixels_free(&p);
            if (st != RG_OK && (st != RG_EX_DATAERR || ctx->errors != 1)) bad_contract++;
            if (st == RG_OK && n < f.len && img.format == RG_IMAGE_PNG) bad_contract++;
            rg_ctx_free(ctx);
        }
        if (bad_contract) fprintf(stderr, "  %s: %d bad outcomes\n", names[k], bad_contract);
        CHECK(bad_contract == 0);
        free(copy);
        free(f.bytes);
    }
}
