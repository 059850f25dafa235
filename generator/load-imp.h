/* load-imp.h - internals shared by the load stage's files (load-xml.c,
 * load.c, load-layout.c). Stage: load. This is the only header besides the
 * load*.c files that includes libxml2; no other stage may include it. */
#ifndef RG_LOAD_IMP_H
#define RG_LOAD_IMP_H

#include <libxml/tree.h>

#include "load.h"

/* Named limits of the load stage. */
enum {
    /* Largest file read (definition, layout, schema or XInclude'd part):
     * real report definitions are a few hundred KiB; this bounds memory. */
    RG_MAX_INPUT_BYTES = 16 * 1024 * 1024,
    /* Deepest element nesting accepted. Report trees are shallow
     * (report > section > section > section > list > item > list ...);
     * the model builder recurses per level, so the cap bounds its stack. */
    RG_MAX_DEPTH = 32,
    /* xi:include elements per definition; each file may be included once
     * and included files may not include further (no XInclude bombs). */
    RG_MAX_INCLUDES = 64,
    /* Diagnostics from one file before the rest are suppressed. */
    RG_MAX_LOAD_DIAGS = 50
};

#define RG_NS_REPORT "urn:reportgen:report:1"
#define RG_NS_LAYOUT "urn:reportgen:layout:1"

/* Reads path safely (regular file, size cap), parses it without network,
 * DTD loading or entity substitution (any DOCTYPE is refused), processes
 * XInclude when xinclude is set (only files inside path's folder, each
 * once, no nesting), checks the nesting depth against RG_MAX_DEPTH and
 * validates against schema_path. Every problem is a diagnostic on ctx
 * "file:line:col: error: ...". On success *out is a document the caller
 * frees with xmlFreeDoc. Returns RG_EX_NOINPUT (file unreadable),
 * RG_EX_UNAVAILABLE (schema missing or unusable) or RG_EX_DATAERR;
 * *out is NULL then. */
rg_status rg_xml_load(rg_ctx *ctx, const char *path, const char *schema_path,
                      int xinclude, xmlDocPtr *out);

/* Line of a node (>= 1), for diagnostics. Cannot fail. */
int rg_xml_line(xmlNodePtr node);

/* Whether node is the element {ns}name. */
int rg_xml_is(xmlNodePtr node, const char *ns, const char *name);

/* Attribute value (no namespace) as a string in arena a, or NULL. */
char *rg_xml_attr(rg_arena *a, xmlNodePtr node, const char *name);

/* The text content of node with XML whitespace runs collapsed to one space
 * and trimmed, in arena a. Never NULL (may be ""). */
char *rg_xml_text(rg_arena *a, xmlNodePtr node);

/* ASCII case-insensitive comparison (language tags, keywords). */
int rg_ascii_casecmp(const char *a, const char *b);

#endif
