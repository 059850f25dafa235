/* pipeline/pipeline.h - the face of the pipeline stage: one report from
 * definition to PDF (load -> layout -> display list -> pdf), which the
 * build, batch and reply commands share (pipeline/build.c), and where the
 * stages find their data (pipeline/paths.c), build --watch (pipeline/watch.c)
 * and init (pipeline/init.c). Output is always
 * written to a temporary file beside the target and renamed into place on
 * success; temporary files are removed when the process is interrupted
 * (SIGINT, SIGTERM, SIGHUP), so no partial PDF ever carries a final name. */
#ifndef RG_PIPELINE_H
#define RG_PIPELINE_H

#include "base/base.h"
#include "dlist/dlist.h"
#include "model/model.h"
#include "pdf/pdf.h"
#include "style/style.h"

#include <stdint.h>

/* ---- where reportgen finds its data (pipeline/paths.c): the schema, layouts, fonts,
 * images of hyphenation patterns and the mail desk's texts - $REPORTGEN_DATADIR, else the source
 * tree when run from build/, else BIN/../share/reportgen beside the
 * executable's real folder BIN (an installed tree, also when staged with
 * DESTDIR or moved), else the data folder compiled in (RG_DATADIR). ---- */
typedef struct rg_paths {
    char schema[4200];             /* report.xsd (its compact copy when current) */
    char layout_schema[4200];      /* layout.xsd (its compact copy when current) */
    char layouts[4200];            /* folder of <name>.xml layouts */
    char fonts[4200];              /* drop-in font folder */
    char hyphen_images[4200];      /* images of hyphenation patterns (hyphen/image.h) */
    char mail[4200];               /* the mail desk's shipped files: antwoord-nl.txt,
                                    * antwoord-en.txt, inbox.conf.example (mail/) */
} rg_paths;

/* Fills p. Cannot fail: paths that do not exist are reported when used. */
void rg_paths_find(rg_paths *p);

/* Finds the helper program name (reportgen-reply) into out: in
 * $REPORTGEN_LIBEXECDIR when that is set (and only there), else beside the executable (a build folder), else in
 * BIN/../libexec/reportgen beside its real folder BIN (an installed tree,
 * also staged or moved), else in the folder compiled in (RG_LIBEXECDIR).
 * Returns 1 when out is executable; 0 leaves in out the path last tried. */
int rg_paths_libexec(const char *name, char *out, size_t cap);

/* Resolves a layout reference: a name ("logius") is looked up in the layouts
 * folder; anything with a '/' or ending in ".xml" is a path relative to
 * base_dir (the definition's folder) unless absolute or base_dir is NULL
 * (a path given on the command line is taken as it is). */
void rg_paths_layout(const rg_paths *p, const char *ref, const char *base_dir,
                     char *out, size_t cap);

/* ---- one report, definition to PDF (pipeline/build.c) ---- */
typedef struct rg_build_opts {
    const char *layout;            /* layout name or file instead of the definition's; NULL */
    const char *dump;              /* write the display list here ("-": stdout); NULL */
    int write_pdf;                 /* 0: dump only */
    rg_pdfa_level pdfa;
    int tagged;
    int strict;                    /* warnings make the build fail */
    int stage_times;               /* print the layout and pdf stages' times to stderr */
    int check_layout;              /* check the layout's invariants (check/check.h); a
                                    * violation fails the build with RG_EX_SOFTWARE */
} rg_build_opts;

/* The names the command line gives the PDF/A levels (--pdfa), indexed by
 * rg_pdfa_level, NULL-terminated: "off", "1b", "2b", "2u", "2a". */
extern const char *const rg_pdfa_level_names[];

/* The option-table entries (base/base.h) of the options every command that
 * builds reports takes (build, batch): --layout into the const char *
 * field layout_f of T, --pdfa (an rg_pdfa_level, as an int) into pdfa_f,
 * --strict into the int strict_f. One place for their help. */
#define RG_BUILD_OPTIONS(T, layout_f, pdfa_f, strict_f)                                     \
    { .name = "layout", .kind = RG_OPT_STRING, .at = RG_OPT_AT(T, layout_f, const char *),   \
      .value = "NAME|FILE",                                                                  \
      .help = "house style to use instead of the one the definition names: a name from the " \
              "layouts folder (logius, plain) or a layout file" },                          \
    { .name = "pdfa", .kind = RG_OPT_CHOICE, .at = RG_OPT_AT(T, pdfa_f, int),               \
      .value = "LEVEL", .choices = rg_pdfa_level_names,                                      \
      .help = "PDF/A conformance (default 2a: archivable and tagged for accessibility, "     \
              "PDF/UA-1; off: a plain PDF)" },                                               \
    { .name = "strict", .kind = RG_OPT_FLAG, .at = RG_OPT_AT(T, strict_f, int),              \
      .help = "treat warnings as errors: every compromise the layout makes (a word broken "  \
              "without a hyphen, a table set smaller, a text shortened) fails the report, "   \
              "exit 65" }

/* The defaults below turn check_layout on when the environment has
 * REPORTGEN_CHECK_LAYOUT=1 (the test suites set it, so that every document
 * they build is checked). */

/* The defaults of the build command: PDF/A-2a, tagged, a PDF. */
rg_build_opts rg_build_defaults(void);

/* Points ctx at the folders in paths that the stages read from while
 * building: the drop-in fonts and the images of hyphenation patterns. */
void rg_build_use_paths(rg_ctx *ctx, const rg_paths *paths);

/* Loads a definition and the layout it names (or o->layout). On success
 * *doc and *style are owned by the caller. Status codes as rg_load_*. */
rg_status rg_build_load(rg_ctx *ctx, const rg_paths *paths, const char *def,
                        const char *layout_override, rg_doc **doc, rg_style **style);

/* Lays out a loaded document and writes the dump and/or the PDF at output
 * (atomically). Returns RG_OK or the failing status after diagnostics. */
rg_status rg_build_write(rg_ctx *ctx, const rg_doc *doc, const rg_style *style,
                         const rg_build_opts *o, const char *output);
/* The same, taking the document: frees *doc (and sets it NULL) as soon as
 * layout, the checker and the dump are done with it, so that the model is
 * not in memory while the PDF is written (issue 22). *doc may be NULL
 * after: the caller still frees it with rg_doc_free, which accepts NULL. */
rg_status rg_build_write_owned(rg_ctx *ctx, rg_doc **doc, const rg_style *style,
                               const rg_build_opts *o, const char *output);

/* The time SOURCE_DATE_EPOCH gives (seconds since 1970) in *t, -1 when it
 * is unset or empty. A value that is not a whole number from 0 to the end
 * of 9999 (the last year a PDF date can hold) is a usage error: returns
 * RG_EX_USAGE after an error. The build, batch and reply commands check it
 * before any work. */
rg_status rg_build_source_date(rg_ctx *ctx, long long *t);

/* Definition to PDF in one call with the defaults and a fresh context whose
 * diagnostics go to stderr (reply --build). */
rg_status rg_build_to_file(const char *def, const char *out_pdf);

/* ---- build --watch (pipeline/watch.c) ---- */

/* Builds def (the layout o->layout, when set) to output as the build
 * command does, then again every time a file that build read or tried to
 * read (definition, XIncluded parts, CSV data, layout file, schemas) is
 * saved, however the editor saves it (the files' folders are watched with
 * inotify; a burst of events is one rebuild, 100 ms after the last).
 * Prints each build's diagnostics and a line with the time of day, the
 * time it took and its warnings ("12:03:04 built rapport.pdf in 15 ms,
 * 2 warnings") or its exit status (the previous PDF is kept) to stderr.
 * Returns RG_OK when SIGINT, SIGTERM or SIGHUP ends it (they are blocked
 * while a build runs, so none is cut short); RG_EX_UNAVAILABLE when
 * inotify cannot be used. Call before any other thread exists, instead of
 * rg_build_install_signal_handlers. */
rg_status rg_build_watch(const rg_paths *paths, const char *def, const rg_build_opts *o,
                         const char *output);

/* ---- reportgen init (pipeline/init.c) ---- */

/* Writes the next period's definition from the valid definition from
 * (rg_load_init in load/load.h: period NULL is the one after from's,
 * output NULL from's name with the period id moved on), with a fresh
 * context whose diagnostics go to stderr; what was written is told on
 * stderr unless verbosity < 0 (-q), and each mark too when it is > 0 (-v).
 * Status codes as rg_load_init. */
rg_status rg_init_next_period(const char *from, const char *period, const char *output,
                              int verbosity);

/* Makes SIGINT, SIGTERM and SIGHUP remove the registered temporary files
 * and then end the process by the signal as before: blocks them in the
 * calling thread and every thread made after it, and starts a thread that
 * waits for them. Call before any other thread exists (fontconfig's and
 * the hyphenation patterns' loaders, batch workers). Idempotent. */
void rg_build_install_signal_handlers(void);

/* Starts parsing the layout's schema in paths on a thread, for the load
 * of the layout file on ctx that follows (rg_load_schemas_ahead;
 * pipeline/ahead.c). For one build on a context of its own, after
 * rg_build_install_signal_handlers. */
void rg_build_schemas_ahead(rg_ctx *ctx, const rg_paths *paths);

/* Starts loading the hyphenation patterns of doc's language on a thread
 * (rg_hyphen_preload), as soon as the definition is loaded
 * (rg_build_load calls it). Cannot fail. */
void rg_build_patterns_ahead(rg_ctx *ctx, const rg_doc *doc);

/* Creates a temporary file from tmpl (a path ending in XXXXXX, rewritten
 * as mkstemp does) and registers it for removal on interruption, both
 * under one lock the interruption takes: returns the descriptor and *slot
 * (-1 when the table is full: the file is then not removed on a signal),
 * or -1 with errno (EINTR once an interruption began). The file is
 * flock'ed (LOCK_EX) for as long as the descriptor is open: a file of this
 * kind that can be locked belongs to a dead run (a SIGKILL leaves it) and
 * may be removed (batch/claims.c). So close the descriptor only after the
 * file is renamed into place or removed. */
int rg_build_temp_create(char *tmpl, int *slot);

/* Forgets a registered temporary file (renamed into place or removed).
 * Accepts -1. */
void rg_build_temp_release(int slot);

/* ---- the batch manifest's line format (pipeline/manifestline.c) ----
 * One line of OUTDIR/.reportgen-batch (the format: batch/manifest.h), which
 * the batch stage writes and reads and the mail desk reads (it may not
 * include batch): written and parsed here, once. */
#define RG_MANIFEST_NAME ".reportgen-batch"
#define RG_MANIFEST_VERSION 1

/* One report as a manifest line records it. Strings are malloc'd by the
 * reader (rg_manifest_line_parse) and freed by rg_manifest_entry_clear; NULL is
 * JSON null. */
typedef struct rg_manifest_entry {
    char *output;
    uint64_t hash;
    char *definition;
    char *period;
    char *from, *to;               /* "YYYY-MM-DD" */
    char *title;
} rg_manifest_entry;

void rg_manifest_entry_clear(rg_manifest_entry *e);   /* frees the strings; accepts zeroes */

/* What a line of the file is. */
typedef enum {
    RG_LINE_RECORD,                   /* a report of this version */
    RG_LINE_NEWER,                    /* a version this reader does not know */
    RG_LINE_OLD,                      /* "<hash> <name>": the format before version 1 */
    RG_LINE_BAD                       /* anything else: skipped with a warning */
} rg_manifest_line_kind;

/* Formats e as one JSON line, '\n' included, into a malloc'd string the
 * caller frees. Returns NULL when a string of e is not valid UTF-8 (JSON
 * cannot carry it; a path of other bytes). output and hash are required. */
char *rg_manifest_line_format(const rg_manifest_entry *e);

/* What --list prints of a report: one JSON line, '\n' included,
 *   {"reportgen_list":1,"definition":"noord/r01.xml","period":"2023-T1",
 *    "output":"r01.pdf","hash":"1a945cb333cba545"}
 * (definition relative to the batch root; period may be NULL), escaped
 * as manifest lines are. Malloc'd; NULL when a string is not UTF-8. */
char *rg_list_line_format(const char *definition, const char *period, const char *output,
                       uint64_t hash);

/* Reads one line (len bytes, without its '\n'). For RG_LINE_RECORD fills *e
 * (the caller clears it); for RG_LINE_BAD says why in why. Never fails on
 * any bytes: at worst RG_LINE_BAD. */
rg_manifest_line_kind rg_manifest_line_parse(const char *line, size_t len, rg_manifest_entry *e,
                              char *why, size_t whylen);


#endif
