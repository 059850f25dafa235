/* test_load.c - the definition loader: the model it builds, and refusals. */
#include "helpers.h"
#include "load.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>

#define HEAD "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL'>" \
             "<info><title>T</title><organisation>O</organisation>"   \
             "<period id='2023-T1' from='2023-01-01' to='2023-04-30'>jan</period></info>"

TEST(load_inline_spans_flags_and_whitespace)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(test_load_string(ctx, HEAD "<section id='s'><title>Kop</title><p>\n  Een  <em>schuine\n"
                                "<strong>vette</strong></em> <a href='mailto:x@y.nl'>link</a>  </p>"
                                "</section></report>", &doc) == RG_OK);
    if (doc) {
        const rg_block *s = doc->blocks;
        CHECK(s && s->kind == RG_BLOCK_SECTION && s->level == 1);
        CHECK_STR(s->id, "s");
        const rg_block *p = s->children;
        CHECK(p && p->kind == RG_BLOCK_PARA);
        char all[256] = "";
        unsigned flags[8] = { 0 };
        for (size_t i = 0; p && i < p->text.n && i < 8; i++) {
            strncat(all, p->text.spans[i].text, p->text.spans[i].len);
            flags[i] = p->text.spans[i].flags;
        }
        CHECK_STR(all, "Een schuine vette link");
        CHECK(flags[0] == 0 && flags[1] == RG_SPAN_EM && flags[2] == (RG_SPAN_EM | RG_SPAN_STRONG));
        CHECK(p && p->text.n >= 4 && p->text.spans[p->text.n - 1].href &&
              !strcmp(p->text.spans[p->text.n - 1].href, "mailto:x@y.nl"));
        CHECK_STR(doc->info.period_id, "2023-T1");
        CHECK(doc->info.period_to.month == 4 && doc->info.period_to.day == 30);
    }
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}

TEST(load_nested_lists_and_levels)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(test_load_string(ctx, HEAD "<section><title>A</title><section><title>B</title>"
                                "<list><item>een<list type='ordered'><item>twee</item></list></item>"
                                "</list></section></section></report>", &doc) == RG_OK);
    if (doc) {
        const rg_block *b = doc->blocks->children;
        CHECK(b && b->kind == RG_BLOCK_SECTION && b->level == 2);
        const rg_block *list = b ? b->children : NULL;
        CHECK(list && list->kind == RG_BLOCK_LIST && !list->ordered);
        const rg_block *item = list ? list->children : NULL;
        CHECK(item && item->kind == RG_BLOCK_ITEM && item->children &&
              item->children->kind == RG_BLOCK_LIST && item->children->ordered);
    }
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}

TEST(load_refuses_with_line_numbers)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = (rg_doc *)1;
    CHECK(test_load_string(ctx, HEAD "\n<section><title>A</title>\n<bogus/></section></report>",
                           &doc) == RG_EX_DATAERR);
    CHECK(doc == NULL);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, ":3:") && strstr(ctx->diag_text, "error"));
    rg_ctx_free(ctx);

    ctx = rg_ctx_new(NULL);
    CHECK(test_load_string(ctx, HEAD "<section id='a'><title>A</title></section>\n"
                                "<section id='a'><title>B</title></section></report>",
                           &doc) == RG_EX_DATAERR);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, ":2:") && strstr(ctx->diag_text, "duplicate"));
    rg_ctx_free(ctx);
}

TEST(load_missing_file_is_noinput)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    char schema[1024];
    snprintf(schema, sizeof schema, "%s/generator/schema/report.xsd", test_root);
    CHECK(rg_load_definition(ctx, "/nonexistent/def.xml", schema, &doc) == RG_EX_NOINPUT);
    CHECK(doc == NULL);
    rg_ctx_free(ctx);
}

TEST(load_layouts_ship_valid)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_style *st = NULL;
    CHECK(test_load_layout(ctx, "logius", &st) == RG_OK);
    if (st) {
        CHECK(fabs(st->page_w - 595.276) < 0.01 && fabs(st->page_h - 841.89) < 0.01);
        CHECK(st->ribbon.r < 0.2 && st->ribbon.b > 0.4);      /* dark blue */
        CHECK_STR(st->roles[RG_ROLE_BODY].family, "Noto Sans");
        CHECK(st->roles[RG_ROLE_H1].bold && st->roles[RG_ROLE_H1].size > st->roles[RG_ROLE_BODY].size);
    }
    rg_style_free(st);
    st = NULL;
    CHECK(test_load_layout(ctx, "plain", &st) == RG_OK);
    rg_style_free(st);
    rg_ctx_free(ctx);
}
