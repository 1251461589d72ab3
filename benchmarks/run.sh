#!/usr/bin/env bash
# Runs the JMH benchmarks and writes JSON plus a Markdown table (GFLOP/s, fraction of the reference GEMM).
#
#   benchmarks/run.sh [short|medium|long] [JMH benchmark regexps and options...]
#
# short: -wi 2 -i 3 -w 1s -r 1s -f 1 (a few minutes on a shared 2-core machine; noisy)
# medium: -wi 3 -i 8 -w 1s -r 1s -f 1 (a subset in about five minutes on an idle machine)
# long:  -wi 5 -i 10 -w 2s -r 2s -f 2 (for figures worth quoting; run it on an otherwise idle machine)
# Extra arguments go to JMH, e.g. `benchmarks/run.sh short EncoderBench -p maxLen=20`; the reference
# GemmBench is always added so that every table has its denominator.
# Output: benchmarks/target/jmh-<mode>.json and benchmarks/target/jmh-<mode>.md
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-short}
[ $# -gt 0 ] && shift
case "$mode" in
  short) opts=(-wi 2 -i 3 -w 1s -r 1s -f 1) ;;
  medium) opts=(-wi 3 -i 8 -w 1s -r 1s -f 1) ;;
  long) opts=(-wi 5 -i 10 -w 2s -r 2s -f 2) ;;
  *) echo "usage: $0 [short|medium|long] [JMH args...]" >&2; exit 2 ;;
esac
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -o -q -pl benchmarks -am package -DskipTests
json=benchmarks/target/jmh-$mode.json
md=benchmarks/target/jmh-$mode.md
extra=("$@")
# a regexp among the extra arguments selects benchmarks: keep the reference in the run
for a in "${extra[@]}"; do
  if [[ "$a" != -* ]]; then extra+=(GemmBench); break; fi
done
before=$(uptime)
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
java -jar "$jar" "${opts[@]}" -rf json -rff "$json" "${extra[@]}"
after=$(uptime)
{
  echo "Run $start on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(java -version 2>&1 | head -1)."
  echo
  echo "Command: \`java -jar $jar ${opts[*]} -rf json -rff $json ${extra[*]}\`"
  echo
  echo "Load (uptime) before: \`$(echo "$before" | xargs)\`; after: \`$(echo "$after" | xargs)\`."
  echo
  java -cp "$jar" dev.eimf.bench.Report "$json"
} > "$md"
cat "$md"
