/* layout.h - flowing a document into pages. Stage: layout. Consumes the
 * model and the style, uses the text stage for shaping and line breaking,
 * and produces a display list. Never includes a PDF library header. */
#ifndef RG_LAYOUT_H
#define RG_LAYOUT_H

#include "base.h"
#include "dlist.h"
#include "model.h"
#include "style.h"

/* Lays out doc with style. On success *out owns a new display list
 * (free with rg_dl_free). Fails with RG_EX_UNAVAILABLE when a font of the
 * style cannot be found (after a diagnostic naming it); *out is NULL then.
 * Runs up to RG_LAYOUT_MAX_PASSES passes until the table of contents'
 * page numbers are stable. */
rg_status rg_layout(rg_ctx *ctx, const rg_doc *doc, const rg_style *style, rg_dl **out);

enum { RG_LAYOUT_MAX_PASSES = 4 };   /* TOC fixpoint: two passes almost always */

#endif
