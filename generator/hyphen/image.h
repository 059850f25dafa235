/* hyphen/image.h - a libhyphen dictionary as one file that loads in a read
 * and a pass of pointer fix-ups, instead of libhyphen's parse of the
 * pattern file (Dutch: 16k patterns, 18k states, 7-11 ms and 41 M
 * instructions, most of a small report's hyphenation cost). Stage: hyphen
 * (hyphen/hyphenate.c uses it; the build's hyphen-image tool writes the images).
 *
 * An image holds exactly the states libhyphen built from one pattern file
 * and the length and hash of that file's bytes: it is only used for those
 * bytes, so a changed or different pattern file falls back to libhyphen's
 * own loader. Images are native (this machine's struct layout), written at
 * build time next to the binary. */
#ifndef RG_HYPHEN_IMAGE_H
#define RG_HYPHEN_IMAGE_H

#include <hyphen.h>                /* libhyphen */
#include <stddef.h>
#include <stdio.h>

/* The bytes of the pattern file at path (malloc'ed, *len of them), which
 * images are made from and checked against; NULL when it cannot be read or
 * is empty (libhyphen would make nothing of it either), or memory ran out. */
unsigned char *rg_hyphen_image_source(const char *path, size_t *len);

/* Writes dict (as hnj_hyphen_load_file made it from the len bytes at src)
 * to out. Returns 0, or -1 when writing failed or dict is not one libhyphen
 * makes (more than 8 levels, negative counts). */
int rg_hyphen_image_write(const HyphenDict *dict, const void *src, size_t len, FILE *out);

/* The dictionary in the image at path, when that image was made from
 * exactly the len bytes at src and is whole (its own hash, every offset,
 * string and state number inside it); NULL otherwise (no file, another
 * pattern file, another struct layout, damage). The result is only read by
 * libhyphen's hyphenate functions and must be freed with
 * rg_hyphen_image_free, never hnj_hyphen_free. */
HyphenDict *rg_hyphen_image_load(const char *path, const void *src, size_t len);

/* Frees a dictionary from rg_hyphen_image_load. Accepts NULL. */
void rg_hyphen_image_free(HyphenDict *dict);

#endif
