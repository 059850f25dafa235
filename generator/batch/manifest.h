/* batch/manifest.h - the batch manifest and the files beside it in the
 * output folder; for this folder only (batch.c, manifest.c,
 * claims.c). Stage: batch.
 *
 * OUTDIR/.reportgen-batch is JSON lines, one object per report built into
 * the folder, the format that batch, shards (--shard, issue 22) and the
 * mail desk (reportgen inbox, issue 19) share. Every line carries its
 * format version, so lines can be concatenated (shards merged) and the
 * format can grow:
 *
 *   {"reportgen_manifest":1,"output":"viermaandsrapportage-2023-T1.pdf",
 *    "hash":"1a945cb333cba545","definition":"../samples/viermaandsrapportage-2023-T1.xml",
 *    "period":"2023-T1","from":"2023-01-01","to":"2023-04-30",
 *    "title":"Viermaandsrapportage januari t/m april 2023"}
 *
 * (one line in the file). output: the PDF's name in the folder; hash: the
 * input hash (16 hex digits: every file the report read and the options,
 * see batch.c); definition: the definition's path relative to the output
 * folder (so a reader that knows only the folder finds it, from wherever
 * it runs), or absolute when the two share no folder but the root;
 * period, from, to, title: as the definition gives them (dates ISO
 * 8601), null when it has none. Strings are UTF-8, escaped as JSON
 * requires (\" \\ and control characters). Later fields may be added to
 * version 1 as strings, numbers, booleans or null; readers ignore fields
 * they do not know. A change that old readers would misread takes
 * version 2, and this reader then refuses to change the file.
 *
 * A report may have several lines (appended as reports finish, by one or
 * more runs); the last line for an output counts. At the end of a run the
 * file is compacted: one line per output whose PDF exists, sorted by
 * output name, written to a temporary file and renamed over it.
 *
 * The format before version 1 ("<hash> <name>" lines) is read as no
 * manifest: those reports are built once more, and the file is rewritten
 * in this format.
 *
 * Beside it: .reportgen-batch.lock, the lock file (flock, held only while
 * a line is appended or the file compacted); .reportgen-batch.claim-NAME,
 * held (flock) by the run building NAME (claims.c); .reportgen-XXXXXX,
 * temporary files (the PDFs, the compacted manifest). */
#ifndef RG_BATCH_MANIFEST_H
#define RG_BATCH_MANIFEST_H

#include "base/base.h"
#include "pipeline/pipeline.h"     /* the manifest line format (rg_manifest_entry) */

#include <stdint.h>
#include <stdio.h>

#define MANIFEST_LOCK_NAME ".reportgen-batch.lock"

/* ---- the file and its lock (manifest.c) ---- */

typedef struct manifest manifest;

/* Opens the manifest of folder dir (which exists): creates the lock file,
 * reads what is recorded, and rewrites the file at once when it holds
 * lines this reader skips (the old "<hash> <name>" format is read as no
 * manifest: its reports are built once more). Warnings and errors go to
 * err. Returns RG_OK and *out, or RG_EX_CANTCREAT (cannot create the lock
 * file; the file holds lines of a newer version, which it will not
 * change). */
rg_status manifest_open(const char *dir, FILE *err, manifest **out);

void manifest_free(manifest *m);   /* accepts NULL */

/* Opens the manifest of dir only to read it (--merge's sources): makes no
 * lock file, writes nothing. RG_OK and *out (also when there is no file:
 * no entries), or RG_EX_DATAERR (lines of a newer version) after an error
 * on err. */
rg_status manifest_read(const char *dir, FILE *err, manifest **out);

/* What m records, read again from the file: one entry per output (its
 * last line), n of them. Valid until the next call on m. */
const rg_manifest_entry *manifest_entries(manifest *m, size_t *n);

typedef enum {
    RECORDED_NOT,                  /* no line for output with that hash */
    RECORDED_ELSEWHERE,            /* that hash, but another definition path */
    RECORDED                       /* the same hash and definition */
} recorded_state;

/* Whether the manifest, as on disk now (lines other runs appended since
 * are read first), records output with hash and definition. Safe from
 * any thread. Cannot fail: a file that cannot be read records nothing. */
recorded_state manifest_recorded(manifest *m, const char *output, uint64_t hash,
                                 const char *definition);

/* Appends e's line under the lock and fsyncs it: once it returns RG_OK
 * the line survives a crash. Safe from any thread. RG_EX_CANTCREAT (full
 * disk, ...) after an error on err; RG_EX_DATAERR when e cannot be written
 * as JSON (not UTF-8). */
rg_status manifest_append(manifest *m, const rg_manifest_entry *e);

/* Rewrites the file under the lock as one line per output whose PDF
 * exists, sorted by output name: a temporary file, fsync'd, renamed over
 * it (and the folder fsync'd). Lines other runs appended meanwhile are
 * kept. RG_OK or RG_EX_CANTCREAT after an error on err. */
rg_status manifest_compact(manifest *m);

/* ---- claims and leftovers (claims.c) ---- */

/* The right to write one output: held by one run at a time. */
typedef struct claim {
    int fd;
    char path[4400];
} claim;

/* Takes the claim on output name in dir, waiting while another run holds
 * it. Returns 0, or -1 with errno when the claim file cannot be made or
 * locked. */
int claim_take(const char *dir, const char *name, claim *c);

/* Gives the claim up and removes its file. Accepts a claim not taken
 * (fd -1). */
void claim_give(claim *c);

/* Removes from dir what dead runs left: temporary files (.reportgen-XXXXXX)
 * and claim files that no live process holds locked (rg_build_temp_create
 * and claim_take keep theirs locked while they live). Returns how many it
 * removed. Cannot fail. */
int sweep_dead_runs_files(const char *dir);

/* ---- shares and paths (shard.c) ---- */

/* 64-bit FNV-1a: mixes the n bytes at p into h, one byte at a time
 * (h ^= byte; h *= FNV1A64_PRIME), starting from FNV1A64_BASIS. The same
 * on every machine. Cannot fail. */
#define FNV1A64_BASIS 14695981039346656037ull
#define FNV1A64_PRIME 1099511628211ull
uint64_t fnv1a64(uint64_t h, const void *p, size_t n);

enum { SHARD_MAX = 100000 };

/* The share (1..n) of the definition at relative (its path relative to
 * the batch root, '/'-separated, UTF-8 as it is):
 * fnv1a64(FNV1A64_BASIS, relative) mod n, plus 1. */
unsigned shard_of(const char *relative, unsigned n);

/* "K/N" with 1 <= K <= N <= SHARD_MAX into *k and *n: 0, or -1. */
int parse_shard(const char *s, unsigned *k, unsigned *n);

/* path made absolute (against base, or the current folder when base is
 * NULL) and normalised without looking at the disk: no "." or ".."
 * components, no "//", no trailing '/'. Malloc'd; NULL with errno when
 * the current folder cannot be read. */
char *lexical_path(const char *base, const char *path);

/* The deepest folder two normalised absolute paths share ("/" at least). */
char *common_folder(const char *a, const char *b);

/* path (normalised, absolute) relative to root, which holds it: "a/b.xml";
 * path itself when root does not hold it. Malloc'd. */
char *path_under(const char *root, const char *path);

/* path relative to the folder dir (both normalised, absolute), with
 * "../" where needed: "../samples/a.xml"; path itself when the two share
 * no folder but the root. Malloc'd. */
char *relative_to(const char *dir, const char *path);

/* ---- merging shards' folders (merge.c) ---- */

/* reportgen batch --merge OUTDIR SRC...: see batch.h. */
int merge_folders(const char *outdir, char *const *srcs, int nsrcs);

/* mkdir -p: every missing folder of path; one another process makes at
 * the same moment is fine. 0, or -1 with errno (batch.c). */
int make_folders(const char *path);

#endif
