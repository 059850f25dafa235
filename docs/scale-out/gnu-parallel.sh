#!/bin/sh
# gnu-parallel.sh - one reportgen batch spread over several machines with
# GNU parallel over ssh (https://www.gnu.org/software/parallel/).
#
#   sh gnu-parallel.sh shared    # every shard into one shared folder
#   sh gnu-parallel.sh own       # each shard into a folder of its own, then --merge
#
# Each host needs reportgen on its PATH, the fonts, and the definitions at
# the same path ROOT (an NFS or SMB share: the shard of a definition is
# the hash of its path relative to ROOT, so the mount point itself may
# differ per host, but the command line below names one path). The hosts
# do not talk to each other: `--shard K/N` makes every one build its own
# share, each definition in exactly one.
#
# HOSTS is GNU parallel's --sshlogin list: "SLOTS/HOST,..."; ':' is this
# machine without ssh. N, the number of shares, is best the total of the
# slots: one shard per slot, all at once. Each shard uses every core of
# its host (-j defaults to the cores), so one slot per host is usual.
# --env passes SOURCE_DATE_EPOCH to the hosts (ssh does not): set it and
# every PDF carries that date, byte for byte the same wherever it is built.
set -eu
ROOT=${ROOT:-/srv/rapportages/definities}   # the batch root (absolute)
OUT=${OUT:-/srv/rapportages/pdf}            # the output folder (absolute, shared)
HOSTS=${HOSTS:-1/node1,1/node2,1/node3,1/node4}
N=${N:-4}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-}

case ${1:-shared} in
shared)
    # All shards write into $OUT side by side: the manifest's lock and the
    # claims keep their lines and PDFs apart. Ends with $OUT complete.
    seq 1 "$N" | parallel --sshlogin "$HOSTS" --env SOURCE_DATE_EPOCH --halt now,fail=1 \
        reportgen batch "$ROOT" --shard {}/"$N" -o "$OUT" -q
    ;;
own)
    # Each shard into $OUT.shards/K (on the share too: a host's local disk
    # would need parallel's --return to bring the folder back), then one
    # merge: the PDFs copied into $OUT, the manifests combined. Start with
    # no $OUT.shards (or an empty one): the merge takes every folder in it.
    seq 1 "$N" | parallel --sshlogin "$HOSTS" --env SOURCE_DATE_EPOCH --halt now,fail=1 \
        reportgen batch "$ROOT" --shard {}/"$N" -o "$OUT.shards/{}" -q
    reportgen batch --merge "$OUT" "$OUT.shards"/*
    ;;
*)
    echo "usage: $0 [shared|own]" >&2
    exit 64
    ;;
esac
