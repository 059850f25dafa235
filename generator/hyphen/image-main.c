/* hyphen/image-main.c - the build's hyphen-image tool: reads a pattern
 * file with libhyphen and writes its image (see hyphen/image.h), which
 * reportgen then loads instead of parsing the patterns.
 *
 *   hyphen-image PATTERNS.dic IMAGE
 *
 * The image is written beside IMAGE and renamed over it once it is whole
 * and loads back; exit 0, or 1 with a message and no IMAGE. */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "hyphen-image: %s: %s\n", path, what);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hyphen-image PATTERNS.dic IMAGE\n");
        return 2;
    }
    const char *dic = argv[1], *image = argv[2];
    size_t len = 0;
    unsigned char *src = rg_hyphen_image_source(dic, &len);
    if (!src) return fail("cannot read it (or it is empty)", dic);
    FILE *in = fmemopen(src, len, "r");
    HyphenDict *dict = in ? hnj_hyphen_load_file(in) : NULL;
    if (in) fclose(in);
    if (!dict) {
        free(src);
        return fail("libhyphen cannot load it", dic);
    }

    size_t n = strlen(image);
    char *tmp = malloc(n + 5);
    if (!tmp) return fail("out of memory", image);
    memcpy(tmp, image, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *out = fopen(tmp, "wb");
    int ok = out && rg_hyphen_image_write(dict, src, len, out) == 0;
    if (out && fclose(out) != 0) ok = 0;
    HyphenDict *back = ok ? rg_hyphen_image_load(tmp, src, len) : NULL;
    ok = back && rename(tmp, image) == 0;
    rg_hyphen_image_free(back);
    hnj_hyphen_free(dict);
    free(src);
    if (!ok) {
        remove(tmp);
        free(tmp);
        return fail("cannot write a loadable image", image);
    }
    free(tmp);
    return 0;
}
