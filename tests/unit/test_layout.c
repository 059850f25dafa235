/* test_layout.c - pagination rules checked on the display list: widows and
 * orphans, headings kept with what follows, the TOC's page numbers, the
 * running footer's "pagina X van Y". */
#include "fonts/fonts.h"
#include "helpers.h"
#include "layout/layout.h"
#include "load/load.h"
#include "pdf/pdf.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HEAD "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL' layout='plain'>" \
             "<info><title>Test</title><organisation>Org</organisation>"             \
             "<period id='T1' from='2023-01-01' to='2023-04-30'>jan-apr</period></info>"

/* a paragraph that the plain layout sets in exactly three lines */
static const char THREE_LINES[] =
    "<p>Een alinea van drie regels: De continuïteit en veiligheid van onze voorzieningen, "
    "stelsels en standaarden staat centraal. Wij kijken dan ook positief terug op de "
    "beschikbaarheidscijfers en op wat er verder is gedaan.</p>";

static char *build_xml(const char *body_part, int repeat, const char *prefix)
{
    size_t cap = strlen(HEAD) + strlen(prefix) + (size_t)repeat * (strlen(body_part) + 8) + 64;
    char *xml = malloc(cap), *o = xml;
    o += sprintf(o, "%s%s", HEAD, prefix);
    for (int i = 0; i < repeat; i++) o += sprintf(o, "%s", body_part);
    sprintf(o, "</section></report>");
    return xml;
}

/* body text lines per page: glyph runs at the body size that start a line
 * at the left margin */
static int body_lines_on(const rg_dl *dl, size_t page, double size, double left)
{
    int n = 0;
    const rg_dl_page *p = &dl->pages[page];
    for (size_t i = 0; i < p->nitems; i++) {
        const rg_dl_item *it = &p->items[i];
        if (it->kind == RG_DL_GLYPHS && fabs(it->u.glyphs.size - size) < 0.01 &&
            fabs(it->u.glyphs.x - left) < 0.01 && it->u.glyphs.text_len > 1)
            n++;
    }
    return n;
}

TEST(layout_paragraph_of_three_lines_never_splits)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = build_xml(THREE_LINES, 60, "<section><title>Alinea's</title>");
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    if (dl) {
        CHECK(dl->npages >= 5);
        double left = 25 * 72 / 25.4;
        int total = 0;
        for (size_t pg = 0; pg < dl->npages; pg++) {
            int n = body_lines_on(dl, pg, 10, left);
            CHECK(n % 3 == 0);     /* 1+2 or 2+1 splits would leave a widow or an orphan */
            total += n;
        }
        CHECK(total == 180);
    }
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}

TEST(layout_heading_is_kept_with_two_lines)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char part[2048];
    snprintf(part, sizeof part, "<section><title>Kop</title>%s</section>", THREE_LINES);
    char *xml = build_xml(part, 40, "<section><title>Hoofdstuk</title>");
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    if (dl) {
        CHECK(dl->noutline == 41);
        for (size_t i = 0; i < dl->noutline; i++) {
            const rg_dl_outline *o = &dl->outline[i];
            /* at least two body lines below the heading on its own page */
            const rg_dl_page *p = &dl->pages[o->page];
            int below = 0;
            for (size_t k = 0; k < p->nitems; k++) {
                const rg_dl_item *it = &p->items[k];
                if (it->kind == RG_DL_GLYPHS && fabs(it->u.glyphs.size - 10) < 0.01 &&
                    it->u.glyphs.y < o->y - 20 && it->u.glyphs.y > 60)
                    below++;
            }
            CHECK(below >= 2);
        }
    }
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}

/* finds text in a page's glyph runs */
static int page_has_text(const rg_dl *dl, size_t page, const char *text)
{
    const rg_dl_page *p = &dl->pages[page];
    for (size_t i = 0; i < p->nitems; i++)
        if (p->items[i].kind == RG_DL_GLYPHS && !strcmp(p->items[i].u.glyphs.text, text))
            return 1;
    return 0;
}

TEST(layout_toc_numbers_match_heading_pages)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char part[2048];
    snprintf(part, sizeof part, "<section><title>Onderdeel</title>%s%s%s%s%s</section>",
             THREE_LINES, THREE_LINES, THREE_LINES, THREE_LINES, THREE_LINES);
    char *xml = build_xml(part, 20, "<cover/><toc/><section><title>Hoofdstuk</title>");
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    if (dl) {
        /* page 1 cover, page 2 TOC: every entry's number is its heading's page */
        for (size_t i = 1; i < dl->noutline; i++) {
            char num[16];
            snprintf(num, sizeof num, "%d", dl->outline[i].page + 1);
            CHECK(page_has_text(dl, 1, num));
        }
        CHECK(dl->outline[dl->noutline - 1].page >= 6);
        /* footer on the last page, none on the cover */
        char footer[64];
        snprintf(footer, sizeof footer, "%zu / %zu", dl->npages, dl->npages);   /* plain */
        CHECK(page_has_text(dl, dl->npages - 1, footer));
        CHECK(dl->pages[0].nitems > 0);
        for (size_t i = 0; i < dl->pages[0].nitems; i++)                /* no footer on the cover */
            CHECK(dl->pages[0].items[i].kind != RG_DL_GLYPHS ||
                  !strstr(dl->pages[0].items[i].u.glyphs.text, " / "));
        CHECK(dl->nlabels == 2 && dl->labels[1].first_page == 1 && dl->labels[1].start == 2);
    }
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}

TEST(layout_link_areas_follow_link_text)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = build_xml("<p>Stuur een e-mail naar <a href='mailto:a@b.nl'>a@b.nl</a>.</p>", 1,
                          "<section id='s'><title>Links</title>");
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    int found = 0;
    for (size_t i = 0; dl && i < dl->pages[0].nitems; i++) {
        const rg_dl_item *it = &dl->pages[0].items[i];
        if (it->kind == RG_DL_LINK && it->u.link.uri && !strcmp(it->u.link.uri, "mailto:a@b.nl")) {
            found++;
            CHECK(it->u.link.w > 20 && it->u.link.w < 60);
            CHECK_STR(it->u.link.contents, "a@b.nl");
        }
    }
    CHECK(found == 1);
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}

TEST(layout_is_deterministic)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = build_xml(THREE_LINES, 20, "<cover/><toc/><section><title>Een</title>");
    rg_dl *a = test_layout_string(ctx, xml, "plain");
    rg_dl *b = test_layout_string(ctx, xml, "plain");
    char *da = NULL, *db = NULL;
    size_t la = 0, lb = 0;
    FILE *fa = open_memstream(&da, &la), *fb = open_memstream(&db, &lb);
    if (a && b) {
        rg_dl_dump(a, fa);
        rg_dl_dump(b, fb);
    }
    fclose(fa);
    fclose(fb);
    CHECK(a && b && la > 1000 && la == lb && !memcmp(da, db, la));
    free(da);
    free(db);
    rg_dl_free(a);
    rg_dl_free(b);
    free(xml);
    rg_ctx_free(ctx);
}

TEST(layout_pagebreak_starts_a_new_page)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = build_xml("<p>Voor de pagina-einde.</p><pagebreak/><p>Na het pagina-einde.</p>", 1,
                          "<section><title>Een</title>");
    rg_dl *dl = test_layout_string(ctx, xml, "plain");
    CHECK(dl != NULL);
    if (dl) {
        CHECK(dl->npages == 2);
        CHECK(page_has_text(dl, 0, "Voor de pagina-einde."));
        CHECK(page_has_text(dl, 1, "Na het pagina-einde."));
    }
    rg_dl_free(dl);
    free(xml);
    rg_ctx_free(ctx);
}

/* Loads the first sample with the logius layout and lays it out; the
 * caller frees what it gets. RG_OK when all three steps did. */
static rg_status lay_out_sample(rg_ctx *ctx, rg_doc **doc, rg_style **style, rg_dl **dl)
{
    char def[1024], schema[1024];
    snprintf(def, sizeof def, "%s/samples/viermaandsrapportage-2023-T1.xml", test_root);
    snprintf(schema, sizeof schema, "%s/generator/schema/report.xsd", test_root);
    *doc = NULL;
    *style = NULL;
    *dl = NULL;
    rg_status st = rg_load_definition(ctx, def, schema, doc);
    if (st == RG_OK) st = test_load_layout(ctx, "logius", style);
    if (st == RG_OK) st = rg_layout(ctx, *doc, *style, dl);
    return st;
}

/* Tagged PDF at the display-list level, on the real sample: every content
 * item belongs to a structure element or is decoration (an artifact), and
 * headings match the outline. */
TEST(layout_sample_is_fully_tagged)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc;
    rg_style *style;
    rg_dl *dl;
    CHECK(lay_out_sample(ctx, &doc, &style, &dl) == RG_OK);
    if (dl) {
        int untagged = 0, content = 0, headings = 0, figures = 0, ths = 0;
        for (size_t pg = 0; pg < dl->npages; pg++) {
            int artifact = 0;
            for (size_t i = 0; i < dl->pages[pg].nitems; i++) {
                const rg_dl_item *it = &dl->pages[pg].items[i];
                if (it->kind == RG_DL_ARTIFACT_BEGIN) artifact = 1;
                if (it->kind == RG_DL_ARTIFACT_END) artifact = 0;
                if (it->kind != RG_DL_GLYPHS && it->kind != RG_DL_RECT && it->kind != RG_DL_PATH)
                    continue;
                content++;
                if (!artifact && it->chunk < 0) untagged++;
                if (it->chunk >= 0) CHECK(dl->chunks[it->chunk].page == pg);
                if (it->kind == RG_DL_LINK) CHECK(it->elem >= 0);
            }
        }
        for (size_t e = 0; e < dl->nelems; e++) {
            const char *r = dl->elems[e].role;
            headings += r[0] == 'H' && r[1] >= '1' && r[1] <= '3' && !r[2];
            if (!strcmp(r, "Figure")) {
                figures++;
                /* the charts' alternatives say what they show; the cover
                 * logo's is "Logo <organisation>" */
                CHECK(rg_dl_elem_more_of(&dl->elems[e])->alt && (strlen(rg_dl_elem_more_of(&dl->elems[e])->alt) > 20 ||
                                           !strcmp(rg_dl_elem_more_of(&dl->elems[e])->alt, "Logo Logius")));
            }
            if (!strcmp(r, "TH")) {
                ths++;
                CHECK(rg_dl_elem_more_of(&dl->elems[e])->scope != NULL);
            }
        }
        if (content <= 300 || untagged) fprintf(stderr, "content=%d untagged=%d\n", content, untagged);
        CHECK(content > 300 && untagged == 0);
        CHECK((size_t)headings == dl->noutline);
        CHECK(figures == 4 && ths >= 7);   /* three charts and the cover logo */
    }
    rg_dl_free(dl);
    rg_style_free(style);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}

TEST(layout_figure_alt_gets_the_data_when_it_has_no_numbers)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    char *xml = build_xml("<chart type='bar' data='d' category='k' series='v'>"
                          "<alt>Een staafdiagram.</alt></chart>", 1,
                          "<section><title>Een</title>");
    /* build_xml has no <data>: put a dataset before </info> */
    const char *data = "<data><dataset id='d'><field name='k' type='text'/>"
                       "<field name='v' type='percent'/>"
                       "<record><value>DigiD</value><value>99.62</value></record>"
                       "<record><value>COR</value><value>99.93</value></record>"
                       "</dataset></data>";
    char *at = strstr(xml, "</info>") + strlen("</info>");
    size_t n = strlen(xml) + strlen(data) + 1;
    char *full = malloc(n);
    snprintf(full, n, "%.*s%s%s", (int)(at - xml), xml, data, at);
    rg_dl *dl = test_layout_string(ctx, full, "plain");
    CHECK(dl != NULL);
    int found = 0;
    for (size_t e = 0; dl && e < dl->nelems; e++)
        if (!strcmp(dl->elems[e].role, "Figure")) {
            found = 1;
            CHECK(strstr(rg_dl_elem_more_of(&dl->elems[e])->alt, "Een staafdiagram.") != NULL);
            CHECK(strstr(rg_dl_elem_more_of(&dl->elems[e])->alt, "DigiD: 99,6") != NULL);
            CHECK(strstr(rg_dl_elem_more_of(&dl->elems[e])->alt, "COR: 99,9") != NULL);
        }
    CHECK(found);
    rg_dl_free(dl);
    free(full);
    free(xml);
    rg_ctx_free(ctx);
}

/* The sample laid out with (checked) and without (unchecked) boxes and
 * sources, written as a tagged PDF into memory; NULL when anything fails. */
static unsigned char *sample_pdf(int unchecked, size_t *len, size_t *nboxes, size_t *nparas,
                                 size_t *npages)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc;
    rg_style *style;
    rg_dl *dl;
    unsigned char *pdf = NULL;
    ctx->layout_unchecked = unchecked;
    if (lay_out_sample(ctx, &doc, &style, &dl) == RG_OK) {
        *nboxes = dl->nboxes;
        *nparas = dl->nparas;
        *npages = dl->npages;
        rg_dl_meta *m = &dl->meta;
        m->year = 2023, m->month = 5, m->day = 1;   /* no clock in the bytes */
        rg_pdf_opts o = { RG_PDFA_2A, 1, NULL, NULL, NULL };
        if (rg_pdf_write_mem(ctx, dl, &o, &pdf, len) != RG_OK) pdf = NULL;
    }
    rg_dl_free(dl);
    rg_style_free(style);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return pdf;
}

/* issue 22: without the checker or the dump, layout keeps only the pages'
 * areas of its boxes and no paragraph sources, and draws the same PDF. */
TEST(layout_unchecked_keeps_no_sources_and_draws_the_same)
{
    size_t len[2] = { 0, 0 }, boxes[2] = { 0, 0 }, paras[2] = { 0, 0 }, pages[2] = { 0, 0 };
    unsigned char *checked = sample_pdf(0, &len[0], &boxes[0], &paras[0], &pages[0]);
    unsigned char *unchecked = sample_pdf(1, &len[1], &boxes[1], &paras[1], &pages[1]);
    CHECK(checked && unchecked);
    CHECK(boxes[0] > pages[0] && paras[0] > 0);       /* cells, charts, labels, chrome */
    CHECK(pages[1] == pages[0] && boxes[1] == pages[1] && paras[1] == 0);
    CHECK(len[0] > 0 && len[0] == len[1]);
    CHECK(checked && unchecked && !memcmp(checked, unchecked, len[0]));
    free(checked);
    free(unchecked);
}
