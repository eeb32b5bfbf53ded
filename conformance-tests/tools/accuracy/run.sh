#!/bin/bash
# Float32 accuracy of the ejml and cpu backends and of PyTorch against the conformance kit's golden fixtures
# (see README.md next to this script). Run from the repository root after `./mvnw -B -q install -DskipTests`:
#
#     conformance-tests/tools/accuracy/run.sh [WORK_DIR]
#
# WORK_DIR (default /tmp/unroll-accuracy) receives the classpath, a snapshot of the module jars, the compiled
# harness, every backend's outputs and gradients (out/<backend>/) and per_tensor.csv. BACKENDS (default
# "ejml cpu") picks the backends; UNROLL_CPU_GEMM / UNROLL_CPU_TANH choose the cpu variant. Nothing in the
# repository is written.
set -euo pipefail
ROOT=$(pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
[ -f "$ROOT/conformance-tests/pom.xml" ] || { echo "run.sh: run it from the repository root" >&2; exit 2; }
WORK=$(mkdir -p "${1:-/tmp/unroll-accuracy}" && cd "${1:-/tmp/unroll-accuracy}" && pwd)
BACKENDS=${BACKENDS:-ejml cpu}
MODULES="api cells backend-ejml backend-cpu conformance-tests"

# 1. the classpath: the third-party dependencies of the three modules (offline), then the module jars, copied so a
#    concurrent build cannot swap them mid-run.
rm -rf "$WORK/jars" "$WORK/classes" "$WORK/out"
mkdir -p "$WORK/jars" "$WORK/classes"
for m in conformance-tests backend-ejml backend-cpu; do
  ./mvnw -q -B -o -pl "$m" dependency:build-classpath -Dmdep.outputFile="$WORK/cp-$m.txt"
done
CP=$(cat "$WORK"/cp-{conformance-tests,backend-ejml,backend-cpu}.txt | tr ':' '\n' | grep -v 'dev/unroll' \
     | grep -v -e junit -e opentest -e apiguardian | sort -u | tr '\n' ':')
for m in $MODULES; do
  jar=$(ls "$ROOT/$m"/target/unroll-"$m"-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1) \
    || { echo "run.sh: no jar in $m/target; run ./mvnw -B -q install -DskipTests first" >&2; exit 1; }
  cp "$jar" "$WORK/jars/"
  CP="$CP$WORK/jars/$(basename "$jar"):"
done
echo "$CP" > "$WORK/cp.txt"

# 2. every bundled fixture on each backend in FLOAT32, as GoldenChecks runs it
javac -d "$WORK/classes" -cp "$CP" "$HERE/AccuracyHarness.java"
for b in $BACKENDS; do
  java -cp "$WORK/classes:$CP" AccuracyHarness "$b" "$WORK/out/$b" FLOAT32 2> >(grep -v '^SLF4J:' >&2)
done

# 3. PyTorch float32, the ideal32 reference and the table
/usr/bin/python3 "$HERE/accuracy.py" --work "$WORK" --impls "$(echo $BACKENDS | tr ' ' ',')" ${PER_CELL:+--per-cell}
