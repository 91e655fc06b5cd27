#!/usr/bin/env bash
# Submit a sharded omnisim sweep to Slurm: the array of SHARDS shards
# (sweep.sbatch), then the merge (merge.sbatch) with
# --dependency=afterok on the whole array. Prints the two job ids.
#
# Usage: deploy/slurm/submit.sh SWEEP [OUT] [SHARDS]
#   SWEEP   the sweep file
#   OUT     the folder for the partials and the merged result, on a file
#           system every node sees (default results/<sweep name>)
#   SHARDS  the number of shards (default 4)
#
# Environment: OMNISIM (the binary, passed to the jobs), and sbatch's own
# input variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...)
# for both submissions. Run it from the folder the relative paths are
# relative to: the jobs run there.
#
# Output: "ARRAY_ID MERGE_ID" on stdout (for scripts: `read -r array merge
# < <(deploy/slurm/submit.sh ...)`), a sentence on stderr.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 SWEEP [OUT] [SHARDS]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
SWEEP=$1
OUT=${2:-results/$(basename "$SWEEP" .toml)}
SHARDS=${3:-4}
case "$SHARDS" in
'' | *[!0-9]* | 0) echo "submit.sh: SHARDS must be a positive number, not '$SHARDS'" >&2; exit 2 ;;
esac
export SWEEP OUT SHARDS

# --parsable prints "jobid" or "jobid;cluster".
array=$(sbatch --parsable --array="0-$((SHARDS - 1))" --export=ALL "$here/sweep.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --export=ALL "$here/merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
echo "submit.sh: sweep array $array ($SHARDS shards), then merge $merge;" \
    "results in $OUT/sweep.csv" >&2
