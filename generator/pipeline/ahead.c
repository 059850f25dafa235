/* pipeline/ahead.c - work started early for one build. Stage: pipeline. */
#include "pipeline.h"
#include "hyphen/hyphen.h"
#include "load/load.h"

/* Only the layout's schema: it is needed after the whole definition is
 * loaded (~1.6 ms on the sample), and its parse (~0.3 ms) then costs
 * nothing. The definition's is needed within ~0.3 ms, before its parse on
 * a thread could end: measured, the load took longer with it there. */
void rg_build_schemas_ahead(rg_ctx *ctx, const rg_paths *paths)
{
    const char *schemas[] = { paths->layout_schema };
    rg_load_schemas_ahead(ctx, schemas, 1);
}

/* The layout starts the patterns' load too, when it begins (layout.c);
 * started here, once the definition says its language, it also runs
 * beside loading the layout file: the first paragraph that needs
 * hyphens waited ~1 ms for it on the sample, now ~0.3 ms less. Should the
 * layout not hyphenate, the patterns were read for nothing, on the other
 * core. */
void rg_build_patterns_ahead(rg_ctx *ctx, const rg_doc *doc)
{
    rg_hyphen_preload(ctx, doc->lang);
}
