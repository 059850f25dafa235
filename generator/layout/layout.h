/* layout/layout.h - flowing a document into pages. Stage: layout. Consumes
 * the model and the style, uses the text stage for shaping and line
 * breaking, and produces a display list. Never includes a PDF library
 * header. Implementation: layout/layout.c (blocks, sections, TOC, passes,
 * headers and footers), layout/flow.c (pages, lines, fonts per role),
 * layout/table.c (tables: columns, rows split over pages, repeated
 * headers), layout/figure.c (captions and charts), layout/ahead.c (running
 * text set ahead on a second thread), layout/xref.c (appendices' numbering,
 * cross-references and their page numbers). */
#ifndef RG_LAYOUT_H
#define RG_LAYOUT_H

#include "base/base.h"
#include "dlist/dlist.h"
#include "model/model.h"
#include "style/style.h"

/* Lays out doc with style. On success *out owns a new display list
 * (free with rg_dl_free). Fails with RG_EX_UNAVAILABLE when a font of the
 * style cannot be found (after a diagnostic naming it), and with
 * RG_EX_DATAERR when a limit is exceeded: more than RG_MAX_PAGES pages, or
 * an error reported by the text stage during a pass (a paragraph beyond
 * RG_MAX_PARA_BYTES / RG_MAX_PARA_GLYPHS, see text.h); *out is NULL then.
 * Runs up to RG_LAYOUT_MAX_PASSES passes until the table of contents'
 * page numbers, and the pages <ref show="page"/> print, are stable (a
 * warning naming the reference's line when they are not). */
rg_status rg_layout(rg_ctx *ctx, const rg_doc *doc, const rg_style *style, rg_dl **out);

enum { RG_LAYOUT_MAX_PASSES = 4 };   /* TOC fixpoint: two passes almost always */

/* Pages per document. A report of 10000 A4 pages is not read by anyone,
 * and every page costs memory in the display list and the PDF writer: a
 * definition that gets there is a mistake (a runaway table, a huge text).
 * Layout stops there with a diagnostic naming the limit and the
 * definition, and rg_layout returns RG_EX_DATAERR. */
enum { RG_MAX_PAGES = 10000 };

#endif
