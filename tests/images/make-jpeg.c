/* make-jpeg.c - writes the JPEG fixtures of tests/images/ (run once; the
 * files are committed: neither the build nor the tests compile this).
 *
 *   cc -o /tmp/make-jpeg tests/images/make-jpeg.c -ljpeg
 *   /tmp/make-jpeg tests/images /usr/share/color/icc/sRGB.icc
 *
 * Uses libjpeg-turbo (libjpeg62-turbo-dev). README.md says what each
 * file is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

enum { PLAIN = 0, PROGRESSIVE = 1, ARITH = 2 };

static void write_jpeg(const char *dir, const char *name, int w, int h, J_COLOR_SPACE cs,
                       int nc, int how, const unsigned char *icc, size_t icclen)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(1); }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = nc;
    c.in_color_space = cs;
    jpeg_set_defaults(&c);          /* CMYK in: CMYK out, with an Adobe marker */
    jpeg_set_quality(&c, 90, TRUE);
    if (how == PROGRESSIVE) jpeg_simple_progression(&c);
    if (how == ARITH) c.arith_code = TRUE;
    jpeg_start_compress(&c, TRUE);
    if (icc) jpeg_write_icc_profile(&c, icc, (unsigned)icclen);
    unsigned char *row = malloc((size_t)w * nc);
    while (c.next_scanline < c.image_height) {
        int y = (int)c.next_scanline;
        for (int x = 0; x < w; x++)
            for (int k = 0; k < nc; k++)
                row[x * nc + k] = (unsigned char)(nc == 4 ? 255 - (k * 60 + x * 8) % 256  /* inverted, as Adobe's */
                                                          : (x * 12 + y * 7 + k * 80) % 256);
        JSAMPROW rp = row;
        jpeg_write_scanlines(&c, &rp, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: make-jpeg DIR SRGB.icc\n"); return 2; }
    const char *dir = argv[1];
    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    static unsigned char icc[1 << 16];
    size_t icclen = fread(icc, 1, sizeof icc, f);
    fclose(f);
    write_jpeg(dir, "rgb-icc.jpg", 20, 12, JCS_RGB, 3, PLAIN, icc, icclen);
    write_jpeg(dir, "grey.jpg", 8, 8, JCS_GRAYSCALE, 1, PLAIN, NULL, 0);
    write_jpeg(dir, "progressive.jpg", 24, 16, JCS_RGB, 3, PROGRESSIVE, NULL, 0);
    write_jpeg(dir, "cmyk.jpg", 16, 8, JCS_CMYK, 4, PLAIN, NULL, 0);
    /* a fake profile header (128 bytes, colour space CMYK at 16): for the
     * probe only, not a profile a PDF could use */
    unsigned char fake[128] = { 0 };
    fake[3] = 128;
    memcpy(fake + 12, "prtr", 4);
    memcpy(fake + 16, "CMYK", 4);
    memcpy(fake + 20, "Lab ", 4);
    memcpy(fake + 36, "acsp", 4);
    write_jpeg(dir, "cmyk-icc.jpg", 16, 8, JCS_CMYK, 4, PLAIN, fake, sizeof fake);
    write_jpeg(dir, "arith.jpg", 8, 8, JCS_RGB, 3, ARITH, NULL, 0);
    return 0;
}
