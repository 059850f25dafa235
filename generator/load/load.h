/* load/load.h - reading report definitions and layouts. Stage: load (the only
 * stage that includes libxml2). Files are read safely (no network, no DTD
 * loading, no entity substitution, XInclude only inside the definition's
 * folder), validated against the shipped XSD schema, and turned into the
 * model / style. Every problem is a diagnostic "file:line:col: error: ...".
 *
 * Implementation: load/xml.c (safe reading, XInclude, validation), load/load.c
 * (definition -> rg_doc), load/svg.c (SVG logos -> rg_vector), load/data.c (datasets, CSV files beside the
 * definition, tables, charts), load/csv.c (the project's own RFC 4180 CSV
 * reader: no library), load/style.c (layout -> rg_style), load/init.c (the
 * next period's definition, and the marks it leaves); schemas in
 * generator/schema/report.xsd (+ xml.xsd) and layouts/layout.xsd.
 * The loaders install a process-wide libxml2 external entity loader that
 * refuses every read outside an active load (no other stage uses libxml2);
 * error handlers are per thread, and libxml2's global state is set up once
 * (pthread_once), so loads may run on several threads. Line numbers above
 * 65535 are reported as 65535 (libxml2 2.9 stores element lines in 16 bits). */
#ifndef RG_LOAD_H
#define RG_LOAD_H

#include "base/base.h"
#include "model/model.h"
#include "style/style.h"

/* How diagnostics and doc->path name a definition read from standard input. */
#define RG_STDIN_NAME "<stdin>"

/* Loads and validates a report definition against schema_path (report.xsd).
 * path "-" reads standard input (read as safely as a file, with the same
 * size limit), named RG_STDIN_NAME, its XIncludes and data files found in
 * the current folder. On success *out owns a new document (free with rg_doc_free). On failure
 * returns RG_EX_NOINPUT (file missing/unreadable), RG_EX_DATAERR (not
 * well-formed, invalid, or semantically wrong: duplicate ids, bad dates,
 * unknown datasets or fields, data values not of their field's type, data
 * files missing or outside the definition's folder...)
 * or RG_EX_UNAVAILABLE (schema missing), after one or more diagnostics;
 * *out is NULL then. */
rg_status rg_load_definition(rg_ctx *ctx, const char *path, const char *schema_path,
                             rg_doc **out);

/* The same for a definition already in memory (len bytes, no NUL needed;
 * fuzzing, tests, callers that hold the bytes): name is the file named in
 * diagnostics and in doc->path. base_dir is the folder XInclude targets and
 * CSV data files are read from, with the same confinement as for a file
 * (pass the definition's folder, and its path as name, to get exactly what
 * rg_load_definition does); with base_dir NULL no file is read besides the
 * schema: every xi:include and every <data src> is an error. Same statuses
 * and ownership as rg_load_definition. */
rg_status rg_load_definition_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                                 const char *base_dir, const char *schema_path, rg_doc **out);

/* Loads and validates a layout file against schema_path (layout.xsd). Same
 * contract as rg_load_definition; *out is freed with rg_style_free. */
rg_status rg_load_layout(rg_ctx *ctx, const char *path, const char *schema_path,
                         rg_style **out);

/* The logos the layout st names (<cover logo=>, <header logo=>: files
 * relative to the layout file's folder, read as a definition's pictures,
 * never outside that folder) into doc->cover_logo (unless the definition
 * gave one) and doc->header_logo, in doc's arena. Returns RG_OK, or
 * RG_EX_DATAERR after errors at the layout file's line. */
rg_status rg_load_layout_logos(rg_ctx *ctx, rg_doc *doc, const rg_style *st);

/* ---- SVG images (load/svg.c) ---- */

/* Reads the SVG file at path and turns it into *out, in arena a (pass the
 * document's arena, doc->arena, so that it lives as long as the rg_image
 * naming it). The file is read as safely as a definition: a regular file
 * of at most 4 MiB, parsed without network, DTD or entity substitution
 * (any DOCTYPE is refused), nothing else read; at most 64 levels of
 * nesting, 20000 elements and 100000 path segments. Only the documented
 * subset is drawn (docs/images.md "SVG subset": <svg> with viewBox or
 * width and height, <g>, <path> with every command, <rect>, <circle>,
 * <ellipse>, <line>, <polyline>, <polygon>; solid fill and stroke,
 * stroke-width, fill-rule, transforms; opacity 1); anything else that
 * would change the drawing (<text>, <image>, <use>, gradients, filters,
 * masks, clip paths, <style>, scripts, href, opacity below 1, ...) is an
 * error "file:line:col: error: <text> is not in the SVG subset ...", and
 * so is an SVG that draws nothing. *out on success: width x height is the
 * viewBox's size (or width and height in px, 96 to the inch), every point
 * in those user units after every transform, origin at the viewBox's
 * top-left, y DOWN: the caller scales to the size it places, flips y and
 * paints the paths in order (fill then stroke, nonzero or even-odd,
 * butt caps and miter joins as SVG's defaults; line_width scaled like the
 * points). Returns RG_OK; RG_EX_NOINPUT (missing or unreadable, not a
 * regular file) or RG_EX_DATAERR (too large, not well-formed, outside the
 * subset, draws nothing), after diagnostics; *out is NULL then. Thread-
 * safe as the other loaders are. */
rg_status rg_load_svg(rg_ctx *ctx, rg_arena *a, const char *path, const rg_vector **out);

/* The same for an SVG already in memory (len bytes, no NUL needed): name
 * is the file named in diagnostics. For tests, fuzzing and callers that
 * hold the bytes. Same statuses (never RG_EX_NOINPUT). */
rg_status rg_load_svg_mem(rg_ctx *ctx, rg_arena *a, const char *name, const char *data,
                          size_t len, const rg_vector **out);

/* ---- the next period's definition (load/init.c) ---- */

/* Writes the definition of the period after (or of o->period, an id such
 * as 2024-T1) the one the valid definition o->from reports on, to
 * o->output (NULL: from's name with its period id moved on, in its folder;
 * the name is put in written, cap bytes; written may be NULL): the <period>'s id, dates (its length from from's
 * dates) and label (in from's words) moved on; the period named anew in
 * title, subtitle, subject and keywords; data files whose name holds the
 * old id moved on, the new file written with the old one's header row
 * only; and every figure to update marked <?reportgen-todo ...?> (values
 * of inline datasets, emptied; datasets without records; chart alts; the
 * publication date), which every load reports as an error until it is
 * filled in. The rest of the file is kept byte for byte. No file is ever
 * replaced. What was done is told on o->report, warnings (where the text
 * still names the old period) on ctx. Returns RG_OK, RG_EX_USAGE
 * (period not of from's form; no name for output), RG_EX_NOINPUT,
 * RG_EX_DATAERR (from invalid, or its period not a run of whole months),
 * RG_EX_UNAVAILABLE (schema), or RG_EX_CANTCREAT (output exists or cannot
 * be written), after diagnostics. */
typedef struct rg_init_opts {
    const char *from;              /* PREVIOUS.xml */
    const char *period;            /* the new period's id, or NULL: the next */
    const char *output;            /* NEW.xml, or NULL: from's name moved on */
    FILE *report;                  /* where what was written is told, or NULL */
    int list_marks;                /* tell each mark too: "NEW:LINE:COL: marked: ..." */
} rg_init_opts;

rg_status rg_load_init(rg_ctx *ctx, const char *schema_path, const rg_init_opts *o,
                       char *written, size_t cap);

/* Starts parsing the n schemas at schema_paths, in that order, on a thread
 * of their own, for loads on ctx that name them later (their parse is a
 * tenth of a small report's time; the thread runs it beside reading the
 * definition). A load takes its schema when ready, waits for it if not,
 * and parses it itself when the thread could not, or said anything about
 * it: the diagnostics, the inputs noted (rg_ctx_note_input, _file, _path)
 * and the tree are the same as without this. rg_ctx_free joins the thread.
 * Once per context; nothing happens when the thread cannot be made. */
void rg_load_schemas_ahead(rg_ctx *ctx, const char *const *schema_paths, int n);

#endif
