/* fuzz_layout.c - libFuzzer target: bytes -> layout file (the house
 * style) -> one fixed report laid out in it -> display list -> PDF bytes in
 * memory. Stage: tests. A layout carries the numbers the layout, chart and
 * text stages compute with (page sizes, margins, font sizes down to
 * 0.0001pt, leadings, paddings, rules, typography ranges), which no
 * definition can reach; the report below has something of every block:
 * cover, contents, three heading levels, paragraphs with links and
 * references, nested lists, a quote, a signature, a table with groups,
 * merged cells, marks and totals, and a chart of every type.
 * rg_load_layout reads a file, so each input is written to one temporary
 * file in $TMPDIR (removed at exit); nothing else is read besides the schemas and the
 * fonts. Fresh context per input, fonts shared. Checks as fuzz_build:
 * no internal error, no failure without an error diagnostic, every PDF
 * %PDF-...%%EOF. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fonts/fonts.h"
#include "layout/layout.h"
#include "load/load.h"
#include "pipeline/pipeline.h"
#include "pdf/pdf.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char report[] =
    "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL'>"
    "<info><title>Viermaandsrapportage januari t/m april 2023</title>"
    "<subtitle>Verantwoording</subtitle><organisation>Logius</organisation>"
    "<period id='p' from='2023-01-01' to='2023-04-30'>januari t/m april 2023</period>"
    "<date>2023-06-15</date>"
    "<contact href='mailto:info@logius.nl'>info@logius.nl</contact></info>"
    "<data><dataset id='d' note='Illustratieve cijfers.'>"
    "<field name='domein' label='Domein'/><field name='dienst' label='Voorziening'/>"
    "<field name='real' label='Realisatie' type='percent' decimals='2'/>"
    "<field name='norm' label='Norm' type='percent'/>"
    "<field name='begroot' label='Begroting' type='euro' unit='mln'/>"
    "<field name='prognose' label='Prognose' type='euro' unit='mln'/>"
    "<record><value>Toegang</value><value>DigiD</value><value>99.62</value>"
    "<value>99.8</value><value>228.3</value><value>221.0</value></record>"
    "<record><value>Toegang</value><value>Machtigen</value><value>99.91</value>"
    "<value>99.8</value><value>96.4</value><value>98.1</value></record>"
    "<record><value>Interactie</value><value>MijnOverheid</value><value>99.98</value>"
    "<value>99.8</value><value>20.5</value><value>23.6</value></record>"
    "</dataset></data>"
    "<cover/><toc title='Inhoud' depth='2'/>"
    "<foreword id='v'><title>Voorwoord</title><p>Zo zorgen we ervoor dat burgers en "
    "bedrijven hun zaken met de overheid kunnen doen.</p>"
    "<signature><name>Tom Kok</name><role>Algemeen directeur</role></signature></foreword>"
    "<section id='a'><title>Inleiding</title>"
    "<p>Iedere vier maanden doet Logius verslag van wat ze heeft gedaan; zie "
    "<ref to='t'/> en <a href='https://www.logius.nl'>de website</a>. "
    "Hoofdstedelijke informatievoorzieningsvoorzieningen vragen afbreekpunten.</p>"
    "<quote><p>Dat is wat wij doen.</p></quote>"
    "<section id='a1'><title>Toegang</title>"
    "<list><item>DigiD was begin maart verstoord.<list><item>Verbeteringen zijn "
    "doorgevoerd.</item></list></item><item>De baliemachtiging is beschikbaar.</item></list>"
    "<section id='a11'><title>Details</title><p>Kort.</p></section></section></section>"
    "<section id='b'><title>Cijfers</title>"
    "<table id='t' data='d' totals='true'><caption>Beschikbaarheid en geld</caption>"
    "<column field='domein' merge='true'/><column field='dienst'/>"
    "<column field='real' group='Beschikbaarheid' min-field='norm' align='decimal'/>"
    "<column field='norm' group='Beschikbaarheid'/>"
    "<column field='begroot' group='Financi\xC3\xABn' total='true'/>"
    "<column field='prognose' group='Financi\xC3\xABn' total='true'/></table>"
    "<chart id='c1' type='bar' orientation='horizontal' data='d' category='dienst' "
    "series='real' reference='norm' ref-value='99.8' ref-label='Norm' axis-min='99.5' "
    "axis-max='100'><caption>Liggend</caption><alt>Staven</alt></chart>"
    "<chart id='c2' type='grouped' data='d' category='dienst' series='begroot prognose'>"
    "<alt>Groepen</alt></chart>"
    "<chart id='c3' type='stacked' data='d' category='dienst' series='begroot prognose'>"
    "<alt>Gestapeld</alt></chart>"
    "<chart id='c4' type='line' data='d' category='dienst' series='begroot prognose'>"
    "<alt>Lijnen</alt></chart>"
    "<chart id='c5' type='pie' data='d' category='dienst' series='begroot'>"
    "<alt>Taart</alt></chart>"
    "<chart id='c6' type='donut' data='d' category='dienst' series='prognose'>"
    "<alt>Ring</alt></chart></section></report>";

static rg_paths paths;
static rg_ctx *owner;                 /* the fonts live here */
static FILE *devnull;
static char tmp_path[4200];

static void remove_tmp(void)
{
    unlink(tmp_path);
}

static void setup(void)
{
    rg_paths_find(&paths);
    owner = rg_ctx_new(stderr);
    rg_fonts_add_dir(owner, paths.fonts);
    devnull = fopen("/dev/null", "w");
    const char *dir = getenv("TMPDIR");
    snprintf(tmp_path, sizeof tmp_path, "%s/fuzz-layout-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmp_path);
    if (!devnull || fd < 0) abort();
    close(fd);
    atexit(remove_tmp);
}

static void write_tmp(const uint8_t *data, size_t size)
{
    FILE *f = fopen(tmp_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!owner) setup();
    write_tmp(data, size);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_fonts_share(owner, ctx);
    rg_doc *doc = NULL;
    rg_style *style = NULL;
    if (rg_load_definition_mem(ctx, "fuzz.xml", report, sizeof report - 1, NULL, paths.schema,
                               &doc) != RG_OK) {
        fputs(ctx->diag_text ? ctx->diag_text : "", stderr);
        abort();                      /* the fixed report is valid */
    }
    rg_status st = rg_load_layout(ctx, tmp_path, paths.layout_schema, &style);
    if (fuzz_bad(st, ctx) || (st == RG_OK) != (style != NULL)) abort();
    if (st == RG_OK) {
        rg_pdf_opts po = { RG_PDFA_2A, 1, NULL, NULL, NULL };
        fuzz_layout_and_write(ctx, doc, style, po, devnull);
    }
    rg_style_free(style);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
    return 0;
}
