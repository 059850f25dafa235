/* test_layout_chrome.c - running headers and footers and the cover hold
 * on any content: templates drop a separator next to an empty field,
 * fields that would collide are shortened with an ellipsis, the cover
 * stays one page, and the layout checker finds nothing. */
#include "check/check.h"
#include "helpers.h"
#include "layout/layout.h"
#include "load/load.h"
#include "test.h"

#include <stdlib.h>

#define INFO(title, extra)                                                                 \
    "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>"            \
    "<info><title>" title "</title>" extra                                                \
    "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>"

static const char BODY[] = "<cover/><toc/><section><title>Hoofdstuk</title>"
                           "<p>Een alinea.</p></section></report>";

/* Lays out xml in the plain layout with the header's templates set. */
static rg_dl *layout_with(rg_ctx *ctx, const char *xml, const char *left, const char *right,
                          const char *wordmark)
{
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    rg_dl *dl = NULL;
    if (test_load_string(ctx, xml, &doc) == RG_OK &&
        test_load_layout(ctx, "plain", &style) == RG_OK) {
        style->header_left = left;
        style->header_right = right;
        style->cover_wordmark = wordmark;
        style->h1_new_page = 1;        /* the TOC page has no section */
        rg_layout(ctx, doc, style, &dl);
    }
    rg_style_free(style);
    rg_doc_free(doc);
    return dl;
}

/* The text of the glyph runs in boxes of kind on page, joined with "|". */
static void box_text(const rg_dl *dl, size_t page, rg_box_kind kind, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    const rg_dl_page *p = &dl->pages[page];
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_item *it = &p->items[i];
        if (it->kind != RG_DL_GLYPHS || it->box < 0 || dl->boxes[it->box].kind != kind) continue;
        o += (size_t)snprintf(out + o, cap - o, "%s%.*s", o ? "|" : "",
                              (int)it->u.glyphs.text_len, it->u.glyphs.text);
        if (o >= cap) o = cap - 1;
    }
}

static char *concat(const char *a, const char *b)
{
    char *s = malloc(strlen(a) + strlen(b) + 1);
    strcpy(s, a);
    strcat(s, b);
    return s;
}

TEST(chrome_separator_next_to_an_empty_field_is_dropped)
{
    static const struct {
        const char *tpl, *toc, *section;   /* header text on the TOC page / a section's */
    } cases[] = {
        { "{subtitle} | {period}", "jan-apr", "jan-apr" },
        { "{organisation} | {subtitle} · {period}", "Org | jan-apr", "Org | jan-apr" },
        { "{section} · {organisation}", "Org", "Hoofdstuk · Org" },
        { "{organisation} · {section}", "Org", "Org · Hoofdstuk" },
        { "Sectie {section}", "", "Sectie Hoofdstuk" },
        { "{title} ({subtitle})", "Test", "Test" },
        { "({subtitle}) {title}", "Test", "Test" },
        { "{section} ({period})", "(jan-apr)", "Hoofdstuk (jan-apr)" },
        { "pagina {page} van {pages}", "pagina 2 van 3", "pagina 3 van 3" },
        { "Vertrouwelijk", "Vertrouwelijk", "Vertrouwelijk" },
    };
    char *xml = concat(INFO("Test", "<organisation>Org</organisation>"), BODY);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rg_ctx *ctx = rg_ctx_new(NULL);
        rg_dl *dl = layout_with(ctx, xml, cases[i].tpl, NULL, NULL);
        CHECK(dl && dl->npages == 3);
        if (dl && dl->npages == 3) {
            char got[256];
            box_text(dl, 1, RG_BOX_HEADER, got, sizeof got);
            CHECK_STR(got, cases[i].toc);
            box_text(dl, 2, RG_BOX_HEADER, got, sizeof got);
            CHECK_STR(got, cases[i].section);
        }
        rg_dl_free(dl);
        rg_ctx_free(ctx);
    }
    free(xml);
}

/* Every glyph run flagged shortened ends with an ellipsis; returns how many. */
static int shortened_runs(const rg_dl *dl, rg_box_kind kind)
{
    int n = 0;
    for (size_t pg = 0; pg < dl->npages; pg++)
        for (size_t i = 0; i < dl->pages[pg].nitems; i++) {
            const rg_dl_item *it = &dl->pages[pg].items[i];
            if (it->kind != RG_DL_GLYPHS || !(it->u.glyphs.flags & RG_RUN_SHORTENED)) continue;
            if (it->box < 0 || dl->boxes[it->box].kind != kind) continue;
            const rg_dl_glyphs *g = &it->u.glyphs;
            CHECK(g->text_len >= 3 && !memcmp(g->text + g->text_len - 3, "\xE2\x80\xA6", 3));
            n++;
        }
    return n;
}

TEST(chrome_long_fields_are_shortened_apart)
{
    char *xml = concat(INFO("Test",
                            "<organisation>Een organisatie met een heel lange naam die met "
                            "geen mogelijkheid op een halve regel past, hoe klein ook</organisation>"),
                       BODY);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = layout_with(ctx, xml, "{organisation}", "{organisation}", NULL);
    CHECK(dl != NULL);
    if (dl) {
        CHECK(shortened_runs(dl, RG_BOX_HEADER) == 4);   /* both fields on pages 2 and 3 */
        CHECK(rg_check_layout(ctx, dl, "test", NULL) == 0);
        /* once per field and text, not per page */
        CHECK(ctx->warnings == 2);
    }
    rg_dl_free(dl);
    /* one long field beside a short one: only the long one is shortened */
    rg_ctx *ctx2 = rg_ctx_new(NULL);
    dl = layout_with(ctx2, xml, "{organisation}", "{page} / {pages}", NULL);
    if (dl) {
        char got[512];
        box_text(dl, 2, RG_BOX_HEADER, got, sizeof got);
        CHECK(strstr(got, "\xE2\x80\xA6|3 / 3") != NULL);
        CHECK(shortened_runs(dl, RG_BOX_HEADER) == 2);
        CHECK(rg_check_layout(ctx2, dl, "test", NULL) == 0);
        CHECK(ctx2->warnings == 1);
    }
    rg_dl_free(dl);
    rg_ctx_free(ctx2);
    rg_ctx_free(ctx);
    free(xml);
}

TEST(cover_with_a_2000_character_title_stays_one_page)
{
    char title[2100];
    size_t o = 0;
    while (o < 1990) o += (size_t)snprintf(title + o, sizeof title - o, "beschikbaarheid ");
    title[o - 1] = 0;
    char *head = malloc(1024 + 3 * o);
    snprintf(head, 1024 + 3 * o,
             "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>"
             "<info><title>%s</title><subtitle>%s</subtitle><organisation>%s</organisation>"
             "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>",
             title, title, title);
    char *xml = concat(head, BODY);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = layout_with(ctx, xml, "{title}", "{page}", "{organisation}");
    CHECK(dl && dl->npages == 3);
    if (dl) {
        CHECK(dl->boxes[dl->pages[0].area].kind == RG_BOX_COVER);
        CHECK(dl->boxes[dl->pages[1].area].kind == RG_BOX_TEXT_AREA);
        CHECK(shortened_runs(dl, RG_BOX_COVER) >= 3);     /* wordmark, title, subtitle, ... */
        CHECK(rg_check_layout(ctx, dl, "test", NULL) == 0);
        CHECK(ctx->warnings >= 4);
        /* nothing on the cover is set below 60 % of its role's size */
        const rg_dl_page *p = &dl->pages[0];
        for (size_t i = 0; i < p->nitems; i++)
            if (p->items[i].kind == RG_DL_GLYPHS) CHECK(p->items[i].u.glyphs.size >= 5.99);
    }
    rg_dl_free(dl);
    rg_ctx_free(ctx);
    free(xml);
    free(head);
}

TEST(cover_wordmark_fields_are_replaced)
{
    char *xml = concat(INFO("Test", "<organisation>Dienst</organisation>"), BODY);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_dl *dl = layout_with(ctx, xml, NULL, NULL, "{organisation} · {subtitle}");
    CHECK(dl != NULL);
    if (dl) {
        char got[256];
        box_text(dl, 0, RG_BOX_COVER, got, sizeof got);
        CHECK(!strncmp(got, "Dienst|", 7));              /* the wordmark comes first */
        CHECK(strchr(got, '{') == NULL);
    }
    rg_dl_free(dl);
    rg_ctx_free(ctx);
    free(xml);
}
