#!/usr/bin/env bash
# Checks eimf-spark's jobs on Spark's standalone mode against local[2]: ml-100k as interactions.csv, a ComiRec-SA
# of 300 steps (eimf train), then preprocess and evaluate under local[2] and under local-cluster[2,1,1024] (two
# workers, executors in JVMs of their own); the metrics must be equal. About 5 minutes on 2 cores, so it is not
# part of `mvn test`. Data: $EIMF_DATA/ml-100k, else ../shared/data/ml-100k beside the repository.
# Usage: eimf-spark/src/test/scripts/local-cluster-check.sh [WORK_DIR]   (default: a new temporary directory)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
data="${EIMF_DATA:-$root/../shared/data}/ml-100k"
[ -f "$data/u.data" ] || { echo "local-cluster-check: no ml-100k in $data" >&2; exit 2; }
work="${1:-$(mktemp -d)}"
mkdir -p "$work/ml"
log="$work/log.txt"
: >"$log"
echo "local-cluster-check: work directory $work (log: $log)"
# u.data is user, item, rating, timestamp (TAB); the same lines in the same order keep eimf train's item ids.
{ echo "user,item,timestamp,rating"; awk -F'\t' '{print $1","$2","$4","$3}' "$data/u.data"; } >"$work/ml/interactions.csv"
"$root/bin/eimf" train --data "$data" --model comirec-sa --steps 300 --out "$work/model" >>"$log" 2>&1

metrics() { # MASTER OUT: preprocess into OUT, then evaluate; prints the metrics line
  "$root/bin/eimf-spark" --master "$1" preprocess --input "$work/ml" --out "$2" --core 5 --seed 1 >>"$log" 2>&1
  "$root/bin/eimf-spark" --master "$1" evaluate --model "$work/model" --data "$2" --part test --cutoffs 20,50 \
    2>>"$log" | grep '^MetricsResult'
}
local_m="$(metrics 'local[2]' "$work/out-local")"
cluster_m="$(metrics 'local-cluster[2,1,1024]' "$work/out-cluster")"
echo "local[2]:                $local_m"
echo "local-cluster[2,1,1024]: $cluster_m"
if [ "$local_m" = "$cluster_m" ] && [ -n "$local_m" ]; then
  echo "local-cluster-check: equal"
else
  echo "local-cluster-check: DIFFERENT (see $log)" >&2
  exit 1
fi
