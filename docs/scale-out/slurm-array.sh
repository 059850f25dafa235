#!/bin/bash
# slurm-array.sh - one reportgen batch as a Slurm job array: one array
# task per share (sbatch slurm-array.sh). NOT run on a real cluster: the
# tests run the command line below with the SLURM_ARRAY_* variables Slurm
# sets, for every index, and check that each share 1..N comes out once.
#
# Slurm numbers the tasks as --array declares them: --array=1-8 gives
# SLURM_ARRAY_TASK_ID 1..8, --array=0-7 gives 0..7. The shard is counted
# from the array's first index (SLURM_ARRAY_TASK_MIN), so both work; the
# number of shares is the range's length. Declare a plain range (a step,
# "1-15:2", or a list, "1,3,5", is refused below); a throttle ("%4": at
# most four at once) is fine.
#
# Every node needs reportgen on its PATH and ROOT and OUT at these paths
# (a shared file system); all tasks write into OUT side by side (the
# manifest's lock keeps them apart). For folders of their own, use
# -o "$OUT.shards/$SHARD" and run `reportgen batch --merge "$OUT" "$OUT".shards/*`
# once the array is done (sbatch --dependency=afterok:JOBID).
#
#SBATCH --job-name=rapportages
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=rapportages-%A_%a.log
set -eu
ROOT=${ROOT:-/srv/rapportages/definities}
OUT=${OUT:-/srv/rapportages/pdf}
FIRST=${SLURM_ARRAY_TASK_MIN:?not in a Slurm job array}
SHARDS=$((SLURM_ARRAY_TASK_MAX - FIRST + 1))
if [ "${SLURM_ARRAY_TASK_COUNT:-$SHARDS}" -ne "$SHARDS" ]; then
    echo "slurm-array.sh: --array must be a plain range such as 1-8 or 0-7" >&2
    exit 64
fi
SHARD=$((SLURM_ARRAY_TASK_ID - FIRST + 1))
exec reportgen batch "$ROOT" --shard "$SHARD/$SHARDS" -o "$OUT" -j "${SLURM_CPUS_PER_TASK:-1}" -q
