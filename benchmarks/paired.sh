#!/usr/bin/env bash
# Training speed of two git revisions compared in one JVM, in alternating chunks of 100 steps
# (dev.eimf.bench.PairedTraining): the way to see a few percent on a machine whose speed drifts.
#
#   benchmarks/paired.sh REV_A REV_B [SA|DR|MIND] [DATASET] [STEPS]
#
# Defaults: SA, ml-100k, 3000 steps. Each revision's eimf-core is built in a temporary git worktree;
# the harness itself comes from the current benchmarks jar (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 REV_A REV_B [SA|DR|MIND] [DATASET] [STEPS]" >&2; exit 2; }
a=$1; b=$2; model=${3:-SA}; data=${4:-ml-100k}; steps=${5:-3000}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -pl benchmarks -am package -DskipTests
tmp=$(mktemp -d)
cleanup() { git worktree remove --force "$tmp/a" 2>/dev/null || true; git worktree remove --force "$tmp/b" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
for side in a b; do
  rev=${!side}
  git worktree add --detach -q "$tmp/$side" "$rev"
  (cd "$tmp/$side" && mvn -B -q -pl eimf-core -DskipTests compile)
done
echo "A = $a ($(git rev-parse --short "$a")), B = $b ($(git rev-parse --short "$b")); $model on $data, $steps steps"
java -Xmx8g --add-modules jdk.incubator.vector -Deimf.repo.root="$PWD" -cp "$jar" dev.eimf.bench.PairedTraining "$model" "$data" "$steps" \
  "$tmp/a/eimf-core/target/classes" "$tmp/b/eimf-core/target/classes"
