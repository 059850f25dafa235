/* model/model.c - lifetime of the document tree. Stage: model. The whole tree,
 * the rg_doc itself included, lives in the document's arena. */
#include "model.h"

void rg_doc_free(rg_doc *doc)
{
    if (!doc) return;
    rg_arena_free(doc->arena);    /* frees doc too: it is in its own arena */
}
