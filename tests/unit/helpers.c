/* helpers.c - see helpers.h. */
#include "helpers.h"
#include "layout/layout.h"
#include "load/load.h"
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

static void root_path(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s/%s", test_root, rel);
}

rg_status test_load_string(rg_ctx *ctx, const char *xml, rg_doc **doc)
{
    char path[] = "/tmp/rg-unit-XXXXXX.xml";
    int fd = mkstemps(path, 4);
    if (fd < 0) return RG_EX_SOFTWARE;
    size_t n = strlen(xml);
    if (write(fd, xml, n) != (ssize_t)n) {
        close(fd);
        return RG_EX_SOFTWARE;
    }
    close(fd);
    char schema[1024];
    root_path(schema, sizeof schema, "generator/schema/report.xsd");
    rg_status st = rg_load_definition(ctx, path, schema, doc);
    unlink(path);
    return st;
}

int test_write_tmp(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/%s", name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

void test_unlink_tmp(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/%s", name);
    remove(path);
}

rg_status test_load_layout(rg_ctx *ctx, const char *name, rg_style **style)
{
    char path[1024], schema[1024], rel[256];
    snprintf(rel, sizeof rel, "layouts/%s.xml", name);
    root_path(path, sizeof path, rel);
    root_path(schema, sizeof schema, "layouts/layout.xsd");
    return rg_load_layout(ctx, path, schema, style);
}

rg_dl *test_layout_string(rg_ctx *ctx, const char *xml, const char *layout)
{
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_dl *dl = NULL;
    if (test_load_string(ctx, xml, &doc) == RG_OK &&
        test_load_layout(ctx, layout, &style) == RG_OK)
        rg_layout(ctx, doc, style, &dl);
    rg_style_free(style);
    rg_doc_free(doc);
    return dl;
}
