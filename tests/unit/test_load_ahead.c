/* test_load_ahead.c - schemas parsed ahead on a thread (rg_load_schemas_ahead):
 * a load that takes one ends as a load that parsed it itself (status,
 * diagnostics, inputs noted and their hash), also when the schema is broken
 * or the thread's schema is never taken. (A schema the thread has not
 * started on when its load comes is parsed by the load: the same again.) */
#include "test.h"
#include "helpers.h"
#include "load/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct load_result {
    rg_status st;
    char diags[2048];
    uint64_t input_hash;
    int ninputs;
    size_t nfiles;
} load_result;

/* Loads the layout file at path against schema, with the schema parsed
 * ahead (named ahead_path: the same or another) or not (ahead_path NULL). */
static load_result load_with(const char *path, const char *schema, const char *ahead_path)
{
    load_result r;
    memset(&r, 0, sizeof r);
    rg_ctx *ctx = rg_ctx_new(NULL);
    if (ahead_path) rg_load_schemas_ahead(ctx, &ahead_path, 1);
    if (ahead_path) usleep(200 * 1000);       /* the thread done first: its schema is taken */
    rg_style *st = NULL;
    r.st = rg_load_layout(ctx, path, schema, &st);
    snprintf(r.diags, sizeof r.diags, "%s", ctx->diag_text ? ctx->diag_text : "");
    r.input_hash = ctx->input_hash;
    r.ninputs = ctx->ninputs;
    r.nfiles = ctx->ninput_files;
    if (st) rg_style_free(st);
    rg_ctx_free(ctx);
    return r;
}

static int same(const load_result *a, const load_result *b)
{
    return a->st == b->st && !strcmp(a->diags, b->diags) && a->input_hash == b->input_hash &&
           a->ninputs == b->ninputs && a->nfiles == b->nfiles;
}

TEST(load_schema_ahead_same_as_parsed_in_place)
{
    char path[1024], schema[1024], other[1024];
    snprintf(path, sizeof path, "%s/layouts/logius.xml", test_root);
    snprintf(schema, sizeof schema, "%s/layouts/layout.xsd", test_root);
    snprintf(other, sizeof other, "%s/generator/schema/report.xsd", test_root);
    load_result plain = load_with(path, schema, NULL);
    load_result ahead = load_with(path, schema, schema);
    CHECK(plain.st == RG_OK);
    CHECK(plain.ninputs >= 2);                 /* the layout file and its schema */
    CHECK(same(&plain, &ahead));
    /* a schema parsed ahead under another path is not taken, and freed */
    load_result unused = load_with(path, schema, other);
    CHECK(same(&plain, &unused));
}

TEST(load_schema_ahead_broken_schema_reports_as_before)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/layouts/logius.xml", test_root);
    CHECK(test_write_tmp("rg-ahead-broken.xsd",
                         "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
                         "  <xs:element name=\"layout\" type=\"no-such-type\"/>\n"
                         "</xs:schema>\n") == 0);
    const char *schema = "/tmp/rg-ahead-broken.xsd";
    load_result plain = load_with(path, schema, NULL);
    load_result ahead = load_with(path, schema, schema);
    CHECK(plain.st == RG_EX_UNAVAILABLE);
    CHECK(strstr(plain.diags, "rg-ahead-broken.xsd") != NULL);
    CHECK(same(&plain, &ahead));
    if (!same(&plain, &ahead)) fprintf(stderr, "  plain: %s  ahead: %s", plain.diags, ahead.diags);
    test_unlink_tmp("rg-ahead-broken.xsd");
    /* a schema that is missing: the same message either way */
    load_result gone = load_with(path, schema, NULL);
    load_result gone_ahead = load_with(path, schema, schema);
    CHECK(gone.st == RG_EX_UNAVAILABLE);
    CHECK(same(&gone, &gone_ahead));
}
