/* build.h - one report from definition to PDF: the pipeline that the
 * build, batch and reply commands share. Stage: cli. Output is always
 * written to a temporary file beside the target and renamed into place on
 * success; temporary files are removed when the process is interrupted
 * (SIGINT, SIGTERM, SIGHUP), so no partial PDF ever carries a final name. */
#ifndef RG_BUILD_H
#define RG_BUILD_H

#include "base.h"
#include "dlist.h"
#include "model.h"
#include "paths.h"
#include "pdf.h"
#include "style.h"

typedef struct rg_build_opts {
    const char *layout;            /* layout name or file instead of the definition's; NULL */
    const char *dump;              /* write the display list here ("-": stdout); NULL */
    int write_pdf;                 /* 0: dump only */
    rg_pdfa_level pdfa;
    int tagged;
    int strict;                    /* warnings make the build fail */
    int stage_times;               /* print the layout and pdf stages' times to stderr */
} rg_build_opts;

/* The defaults of the build command: PDF/A-2a, tagged, a PDF. */
rg_build_opts rg_build_defaults(void);

/* Loads a definition and the layout it names (or o->layout). On success
 * *doc and *style are owned by the caller. Status codes as rg_load_*. */
rg_status rg_build_load(rg_ctx *ctx, const rg_paths *paths, const char *def,
                        const char *layout_override, rg_doc **doc, rg_style **style);

/* Lays out a loaded document and writes the dump and/or the PDF at output
 * (atomically). Returns RG_OK or the failing status after diagnostics. */
rg_status rg_build_write(rg_ctx *ctx, const rg_doc *doc, const rg_style *style,
                         const rg_build_opts *o, const char *output);

/* Definition to PDF in one call with the defaults and a fresh context whose
 * diagnostics go to stderr (reply --build). */
rg_status rg_build_to_file(const char *def, const char *out_pdf);

/* Installs the handlers that remove registered temporary files when the
 * process is interrupted, then re-raise the signal. Idempotent. */
void rg_build_install_signal_handlers(void);

#endif
