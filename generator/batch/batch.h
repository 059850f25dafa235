/* batch/batch.h - many definitions in one run, in parallel (reportgen
 * batch). Stage: batch: the command, its workers sharing one font cache,
 * the manifest and the progress line; each report goes through the
 * pipeline (pipeline/pipeline.h).
 *
 * The manifest, OUTDIR/.reportgen-batch, is what other tools read of a
 * batch (shards, the mail desk): JSON lines, one object per report, each
 * with its format version; the format in full is in batch/manifest.h.
 * A line:
 *
 *   {"reportgen_manifest":1,"output":"viermaandsrapportage-2023-T1.pdf","hash":"1a945cb333cba545","definition":"../samples/viermaandsrapportage-2023-T1.xml","period":"2023-T1","from":"2023-01-01","to":"2023-04-30","title":"Viermaandsrapportage januari t/m april 2023"}

 *
 * Shards (--shard K/N, issue 22): N runs, each given its own K, build
 * every definition once between them without talking. A definition's
 * share, which any other tool can compute the same way:
 *
 *   share = FNV-1a-64(path) mod N + 1
 *
 * path: the definition's path relative to the batch root (the deepest
 * folder holding every folder and file operand, taken lexically: no
 * symbolic link followed), '/' between names, as its UTF-8 bytes;
 * FNV-1a-64: h = 14695981039346656037, then for each byte h = (h ^ byte)
 * * 1099511628211 mod 2^64 (batch/shard.c; --list prints that path as
 * "definition"). Shards write into one shared folder side by side, or
 * into their own, which --merge combines (batch/merge.c).
 */
#ifndef RG_BATCH_H
#define RG_BATCH_H

/* The batch command: argv[0] is "batch". Parses its options (its help on
 * --help), reads every definition's period id first when --period is
 * given (refusing ids that match none), makes the output folder (with its
 * parents; one another run makes at the same time is fine), removes files
 * dead runs left there, builds every selected definition into it with -j
 * workers that share one font cache, skips reports whose inputs did not
 * change (unless --force), records each report in the manifest as it
 * finishes, shows progress on stderr when it is a terminal and prints a
 * summary line on stdout. Other batches may write into the same folder at
 * the same time. --shard keeps one share of the definitions (after
 * --period looked at all, and after the other shares' output names were
 * read, so that a name one of them writes is refused, exit 65, in every
 * shard; another share's definition that cannot be loaded is one
 * warning, not a failure), --list prints their JSON lines instead of
 * building them, --merge combines folders instead (see above). Returns 0 when nothing failed, else the status of the
 * first failure (64 for usage errors, also a --period that matches no
 * definition; 65 also for an output name two definitions write; 73 for an output that would replace a definition or is not
 * a regular file, and for a manifest that could not be written). */
int rg_cmd_batch(int argc, char **argv);

#endif
