/* test_layout_xref.c - appendices and cross-references (issue 16): the
 * loader's <appendix> and <ref show=>, the appendices' numbering in the
 * outline, and page references that print their target's printed page
 * (the cover labelled "Omslag" shifts them by one) after the passes. */
#include "helpers.h"
#include "layout/layout.h"
#include "load/load.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

#define HEAD "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>" \
             "<info><title>Test</title><organisation>Org</organisation>"             \
             "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>"

static const char PARA[] =
    "<p>Een alinea van drie regels: De continuïteit en veiligheid van onze voorzieningen, "
    "stelsels en standaarden staat centraal. Wij kijken dan ook positief terug op de "
    "beschikbaarheidscijfers en op wat er verder is gedaan.</p>";

TEST(xref_loader_reads_appendices_and_show)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    const char *xml = HEAD
        "<section id='s'><title>S</title><p>a <ref to='b'/> <ref to='b' show='number'/> "
        "<ref to='b' show='title'/> <ref to='b' show='page'/></p></section>"
        "<appendix id='b'><title>Bijlage</title><p>x</p></appendix></report>";
    CHECK(test_load_string(ctx, xml, &doc) == RG_OK);
    if (doc) {
        const rg_block *s = doc->blocks, *a = s->next;
        CHECK(s->kind == RG_BLOCK_SECTION && !s->appendix);
        CHECK(a && a->kind == RG_BLOCK_SECTION && a->appendix && a->level == 1);
        const rg_inlines *in = &s->children->text;
        int shows[4], n = 0;
        for (size_t i = 0; i < in->n && n < 4; i++)
            if (in->spans[i].ref) shows[n++] = in->spans[i].ref_show;
        CHECK(n == 4);
        CHECK(shows[0] == RG_REF_LABEL && shows[1] == RG_REF_NUMBER);
        CHECK(shows[2] == RG_REF_TITLE && shows[3] == RG_REF_PAGE);
    }
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}

/* Pages of text, then appendices, each with a page reference to the last
 * appendix and one back to the first section. */
static char *appendix_doc(int nappendices)
{
    size_t cap = 64 * 1024;
    char *xml = malloc(cap), *o = xml, *end = xml + cap;
    o += snprintf(o, (size_t)(end - o), "%s<cover/><toc/><section id='s1'><title>Begin</title>"
                  "<p>Zie <ref to='app-%d'/> op pagina <ref to='app-%d' show='page'/>.</p>",
                  HEAD, nappendices, nappendices);
    for (int i = 0; i < 12; i++) o += snprintf(o, (size_t)(end - o), "%s", PARA);
    o += snprintf(o, (size_t)(end - o), "</section>");
    for (int i = 1; i <= nappendices; i++)
        o += snprintf(o, (size_t)(end - o),
                      "<appendix id='app-%d'><title>Onderwerp %d</title><p>Terug naar pagina "
                      "<ref to='s1' show='page'/>.</p><section><title>Deel</title><p>x</p>"
                      "</section></appendix>", i, i);
    snprintf(o, (size_t)(end - o), "</report>");
    return xml;
}

static long dest_page(const rg_dl *dl, const char *name)
{
    for (size_t p = 0; p < dl->npages; p++)
        for (size_t i = 0; i < dl->pages[p].nitems; i++)
            if (dl->pages[p].items[i].kind == RG_DL_DEST &&
                !strcmp(dl->pages[p].items[i].u.dest.name, name))
                return (long)p;
    return -1;
}

TEST(xref_page_references_print_the_printed_page)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = appendix_doc(3);
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    if (dl) {
        CHECK(dl->npagerefs == 4);
        for (size_t i = 0; i < dl->npagerefs; i++) {
            const rg_dl_pageref *r = &dl->pagerefs[i];
            long pg = dest_page(dl, r->dest);
            CHECK(pg >= 1);
            char want[24];
            snprintf(want, sizeof want, "%ld", pg + 1);   /* after the cover, page 2 is "2" */
            CHECK_STR(r->text, want);
        }
        CHECK_STR(dl->pagerefs[0].dest, "app-3");
    }
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}

TEST(xref_appendices_hang_under_one_outline_entry)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = appendix_doc(27);
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    if (dl) {
        int bijlagen = 0, appendices = 0, parts = 0, aa = 0;
        for (size_t i = 0; i < dl->noutline; i++) {
            const rg_dl_outline *o = &dl->outline[i];
            if (!strcmp(o->title, "Bijlagen")) bijlagen += o->level == 1;
            if (!strncmp(o->title, "Bijlage ", 8)) appendices += o->level == 2;
            if (!strcmp(o->title, "Deel")) parts += o->level == 3;
            if (!strcmp(o->title, "Bijlage AA Onderwerp 27")) aa++;
        }
        CHECK(bijlagen == 1);
        CHECK(appendices == 27);
        CHECK(parts == 27);
        CHECK(aa == 1);
    }
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}
