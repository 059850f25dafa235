/* paths.h - where reportgen finds its data (schema, layouts, fonts, images
 * of hyphenation patterns): the source tree when run from build/, else $REPORTGEN_DATADIR, else the
 * installed data folder compiled in (RG_DATADIR). Stage: cli. */
#ifndef RG_PATHS_H
#define RG_PATHS_H

#include <stddef.h>

typedef struct rg_paths {
    char schema[4200];             /* report.xsd */
    char layout_schema[4200];      /* layout.xsd */
    char layouts[4200];            /* folder of <name>.xml layouts */
    char fonts[4200];              /* drop-in font folder */
    char hyphen_images[4200];      /* images of hyphenation patterns (hyphen-image.h) */
} rg_paths;

/* Fills p. Cannot fail: paths that do not exist are reported when used. */
void rg_paths_find(rg_paths *p);

/* Resolves a layout reference: a name ("logius") is looked up in the layouts
 * folder; anything with a '/' or ending in ".xml" is a path relative to
 * base_dir (the definition's folder) unless absolute or base_dir is NULL
 * (a path given on the command line is taken as it is). */
void rg_paths_layout(const rg_paths *p, const char *ref, const char *base_dir,
                     char *out, size_t cap);

#endif
