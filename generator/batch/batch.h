/* batch/batch.h - many definitions in one run, in parallel (reportgen
 * batch). Stage: batch: the command, its workers sharing one font cache,
 * the manifest of input hashes (OUTDIR/.reportgen-batch) and the progress
 * line; each report goes through the pipeline (pipeline/pipeline.h). */
#ifndef RG_BATCH_H
#define RG_BATCH_H

/* The batch command: argv[0] is "batch". Parses its options, builds every
 * selected definition into the output folder with -j workers that share
 * one font cache, skips reports whose inputs did not change (unless
 * --force), prints progress on a terminal and a summary line. Returns 0
 * when nothing failed, else the status of the first failure (64 for usage
 * errors). */
int rg_cmd_batch(int argc, char **argv);

#endif
