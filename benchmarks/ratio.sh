#!/usr/bin/env bash
# An encoder's forward+backward and the reference GEMM in alternating rounds of about 0.2 s in one JVM,
# so that both see the same moment of a shared machine; prints each one's GFLOP/s and the median of the
# rounds' fractions of the reference (dev.eimf.bench.KernelRatio).
#
#   benchmarks/ratio.sh [SA|DR|MIND] [T] [ROUNDS] [JSON]
#
# Defaults: SA, T 20, 40 rounds (about 25 s after 6 s of warm-up). Builds the benchmarks jar if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -o -q -pl benchmarks -am package -DskipTests
echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java --add-modules jdk.incubator.vector -cp "$jar" dev.eimf.bench.KernelRatio "$@"
