/* helpers.h - test helpers: load a definition written from a string, with
 * the source tree's schemas and layouts. */
#ifndef RG_TEST_HELPERS_H
#define RG_TEST_HELPERS_H

#include "base/base.h"
#include "dlist/dlist.h"
#include "model/model.h"
#include "style/style.h"

/* Writes xml to a temporary file and loads it; returns the load status. */
rg_status test_load_string(rg_ctx *ctx, const char *xml, rg_doc **doc);
/* Writes text to /tmp/NAME, beside the definitions test_load_string
 * writes (a data file they name); returns 0 on success. */
int test_write_tmp(const char *name, const char *text);
/* Removes /tmp/NAME. */
void test_unlink_tmp(const char *name);
/* Loads layouts/<name>.xml from the source tree. */
rg_status test_load_layout(rg_ctx *ctx, const char *name, rg_style **style);
/* Loads xml and lays it out with the named layout; NULL on failure. */
rg_dl *test_layout_string(rg_ctx *ctx, const char *xml, const char *layout);

#endif
