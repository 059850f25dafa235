/* load/internal.h - internals shared by the load stage's files (load/xml.c,
 * load/load.c, load/data.c, load/style.c). Stage: load. This is the only
 * header besides the load*.c files that includes libxml2; no other stage
 * may include it. */
#ifndef RG_LOAD_IMP_H
#define RG_LOAD_IMP_H

#include <limits.h>

#include <stdarg.h>
#include <libxml/tree.h>

#include "load.h"

/* Named limits of the load stage. */
enum {
    /* Largest file read (definition, layout, schema or XInclude'd part):
     * real report definitions are a few hundred KiB; this bounds memory. */
    RG_MAX_INPUT_BYTES = 16 * 1024 * 1024,
    /* Attributes (namespace declarations included) on one element: an
     * element of a definition or layout has fewer than 20. libxml2 2.9
     * checks an element's attributes for duplicates pairwise, so 100,000
     * of them took a minute; the raw bytes are counted before it parses. */
    RG_MAX_ATTRIBUTES = 256,
    /* Deepest element nesting accepted. Report trees are shallow
     * (report > section > section > section > list > item > list ...);
     * the model builder recurses per level, so the cap bounds its stack. */
    RG_MAX_DEPTH = 32,
    /* xi:include elements per definition; each file may be included once
     * and included files may not include further (no XInclude bombs). */
    RG_MAX_INCLUDES = 64,
    /* Diagnostics from one file before the rest are suppressed. */
    RG_MAX_LOAD_DIAGS = 50,
    /* Records per dataset. Tables are read by people and charts draw every
     * record: 100000 rows is some 2000 pages of table already, so more is a
     * mistake (a log file, not a report). Bounds memory and layout time. */
    RG_MAX_RECORDS = 100000,
    /* Values (records x fields) per dataset: bounds the typed copy
     * (about 48 bytes a value, so at most ~100 MB) whatever the shape. */
    RG_MAX_VALUES = 2000000,
    /* Datasets per definition: a report holds a few dozen tables and
     * charts; lookups by id are linear. */
    RG_MAX_DATASETS = 256,
    /* Rows per table (the records of its dataset): a table is read by
     * people, and 20000 rows is already some 400 A4 pages. A dataset may
     * hold more (RG_MAX_RECORDS) for a chart or no use at all; a table of
     * it is refused at the <table>'s line. Bounds layout time and the
     * PDF's object count. */
    RG_MAX_TABLE_ROWS = 20000,
    /* Columns per table: an A4 page (even landscape) cannot show more
     * than 40 readable columns; more is a dataset dumped, not a table. */
    RG_MAX_TABLE_COLS = 40,
    /* Points per chart (records x series): a vector chart with more is
     * unreadable (bars thinner than a hairline) and slow to draw and to
     * open in a viewer. Checked at the <chart>'s line. */
    RG_MAX_CHART_POINTS = 2000
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

/* The same for a document already in memory (len bytes, no NUL needed):
 * name is the file named in diagnostics (and libxml2's base for relative
 * XInclude hrefs: pass the file's path when base_dir is its folder);
 * base_dir is the only folder XInclude and external reads may reach, and
 * with base_dir NULL nothing outside data is read at all (every xi:include
 * is an error). The bytes are noted with rg_ctx_note_input. Statuses as
 * rg_xml_load. */
rg_status rg_xml_load_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                          const char *base_dir, const char *schema_path, int xinclude,
                          xmlDocPtr *out);

/* The same reading for an XML file of another vocabulary that has no
 * schema (an SVG image: load/svg.c): no network, no DTD (any DOCTYPE is
 * refused), no entity substitution, no XInclude and nothing read beside
 * data; the raw bytes prescanned (rg_xml_prescan) and the nesting checked
 * against max_depth. The caller checks the elements itself. Statuses as
 * rg_xml_load_mem but for RG_EX_UNAVAILABLE (no schema: never). */
rg_status rg_xml_parse_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                           int max_depth, xmlDocPtr *out);

/* Checks the raw bytes of an XML file before libxml2 parses it (load/prescan.c):
 * no NUL anywhere (libxml2 stops at one and drops the rest), at most
 * RG_MAX_ATTRIBUTES attributes on any element; with part set (an XIncluded
 * part) also: UTF-8, with no other encoding declared, and no control
 * character or noncharacter (load/chars.h). A definition or layout may be
 * UTF-16. Linear in len. Returns 0, or -1 after a diagnostic
 * "file:line:col: error: ..." with a short reason in why (for the include's
 * own message). */
int rg_xml_prescan(rg_ctx *ctx, const char *file, const char *data, size_t len, int part,
                   char *why, size_t whylen);

/* The byte rules of an included part, XML or text (load/prescan.c): UTF-8
 * (no UTF-16 byte order mark), no NUL, no control character or
 * noncharacter (load/chars.h). Returns 0, or -1 after a diagnostic
 * "file:line:col: error: ..." naming the part, with a short reason in why. */
int rg_part_check_utf8(rg_ctx *ctx, const char *file, const char *data, size_t len, char *why,
                       size_t whylen);

/* Reads the file at path (regular, at most RG_MAX_INPUT_BYTES) into *data
 * (malloc'd, NUL-terminated, *len bytes; the caller frees) and the real path
 * of its folder into dir. Returns RG_OK, or RG_EX_NOINPUT (unreadable) /
 * RG_EX_DATAERR (too large) after a diagnostic "path: error: cannot read:
 * ..."; *data is NULL then. */
rg_status rg_xml_read_file(rg_ctx *ctx, const char *path, char **data, size_t *len,
                           char dir[PATH_MAX]);

/* Reads standard input the same way (at most RG_MAX_INPUT_BYTES: a longer
 * stream is refused when the byte after the limit arrives, not read to its
 * end), noting it as an input when it is a regular file, and the real path
 * of the current folder into dir, where its XIncludes and data files are
 * found. Diagnostics name it RG_STDIN_NAME. Statuses as rg_xml_read_file. */
rg_status rg_xml_read_stdin(rg_ctx *ctx, char **data, size_t *len, char dir[PATH_MAX]);

/* Reads the file rel, a path relative to base_dir, the definition's folder
 * (no scheme, not absolute, no ".." component), the way XInclude targets
 * are read: it must resolve (symlinks followed) to a regular file inside
 * that folder and hold at most cap bytes; with base_dir NULL (a definition
 * loaded from memory without a folder) nothing is read. On success *out is
 * a malloc'd NUL-terminated buffer of *len bytes that the caller frees, and
 * 0 is returned; otherwise -1 with the reason in why. */
int rg_read_beside(rg_ctx *ctx, const char *base_dir, const char *rel, size_t cap, char **out,
                   size_t *len, char *why, size_t whylen);

/* The marks reportgen init leaves (load/init.c): every processing
 * instruction <?reportgen-todo ...?> in x whose place is not filled in (a
 * <value> still empty, a <dataset> still without records in doc, anywhere
 * else until it is removed) is an error "file:line:col: error: to be
 * filled in: ..." (the column found in data, the definition's bytes), and
 * a last error counts them. Returns how many are open. */
int rg_marks_check(rg_ctx *ctx, const char *file, const char *data, size_t len, xmlDocPtr x,
                   const rg_doc *doc);

/* A length as layouts write it ("12.5mm", "9pt", "1in", "2.5cm", "0") in
 * points. Locale-independent. Returns 0, or -1 when s is not a length. */
int rg_parse_length(const char *s, double *out);

/* ---- load/data.c: datasets, tables and charts of a definition ---- */

/* Builds doc->datasets from <data> (inline records, or a CSV file beside
 * the definition read with rg_read_beside and rg_csv_parse), values typed
 * by their field and read by their dataset's dialect. Everything goes into
 * doc->arena. Returns 0, or -1 after diagnostics "def.xml:L:C: ..." or
 * "data.csv:L:C: ...". */
int rg_load_datasets(rg_ctx *ctx, rg_doc *doc, xmlNodePtr data);

/* Builds the rg_table of <table> n (columns resolved to field indexes of a
 * dataset of doc) into doc->arena; the caption is the caller's. Returns 0
 * with *out set, or -1 after diagnostics with *out NULL. */
int rg_load_table(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const rg_table **out);

/* The same for <chart> n: type, fields, reference, axis, title and alt. */
int rg_load_chart(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const rg_chart **out);

/* ---- load/image.c: <image> blocks ---- */

/* Builds the rg_image of <image> n into doc->arena: alt= (required unless
 * decorative="true"), width=, and the file src= read beside the definition
 * (rg_read_beside) with its PNG or JPEG header checked. Returns 0 with
 * *out set, or -1 after diagnostics at n's line with *out NULL. */
int rg_load_image(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const rg_image **out);

/* A logo named by attribute attr of n (<cover logo=>): the file read and
 * checked as rg_load_image's, decorative until the layout gives it its
 * alternative (the organisation). Same returns. */
int rg_load_logo(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const char *attr,
                 const rg_image **out);

/* Text hygiene of a loaded document (load/load.c): the declared encoding must be
 * UTF-8, UTF-16 or ASCII, and no text or attribute value may hold a
 * control character other than collapsed whitespace (C0, DEL, C1) or a
 * noncharacter (U+FFFE, U+FFFF, ...). Returns 0, or -1 after diagnostics
 * "file:line:1: error: control character U+0085 in <title>". */
int rg_xml_check_text(rg_ctx *ctx, const char *file, xmlDocPtr doc);

/* Line of a node (>= 1), for diagnostics. Cannot fail. */
int rg_xml_line(xmlNodePtr node);
/* An error diagnostic at element n of file ("file:line:1: error: ..."). */
void rg_xml_verror(rg_ctx *ctx, const char *file, xmlNodePtr n, const char *fmt, va_list ap);

/* Whether node is the element {ns}name. */
int rg_xml_is(xmlNodePtr node, const char *ns, const char *name);

/* Attribute value (no namespace) as a string in arena a, or NULL. */
char *rg_xml_attr(rg_arena *a, xmlNodePtr node, const char *name);

/* The text content of node with XML whitespace runs collapsed to one space
 * and trimmed, in arena a. Never NULL (may be ""). */
char *rg_xml_text(rg_arena *a, xmlNodePtr node);

/* ASCII case-insensitive comparison (language tags, keywords). */
int rg_ascii_casecmp(const char *a, const char *b);

/* ---- figures from the data in the prose (issue 17, tables; load/valueof.c) ---- */

/* An error "file:LINE:1: error: <prefix><message>" at element n's line. */
void rg_node_verror(rg_ctx *ctx, const char *file, xmlNodePtr n, const char *prefix,
                    const char *fmt, va_list ap);

/* The text <value-of> n stands for: a record's cell (row=), a named
 * table's total (row= its total label, with table=) or an aggregate of a
 * field (agg=), computed exactly and formatted as a table formats it, in
 * doc's arena. *figure is set for a number, percent or euro (set without a
 * break). Datasets must be loaded. Returns NULL after an error at n's line. */
const char *rg_value_of(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, int *figure);

/* ---- rows with roles (issue 17, tables; load/tablerows.c) ---- */

/* group-by=, subtotals=, subtotal-label= and <row> children of <table> n
 * into t (its columns loaded): t->rows, and with group-by= the derived
 * t->data (t->source the dataset as defined). Returns 0, or -1 after
 * errors at their lines. */
int rg_load_table_rows(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, rg_table *t);

#endif
