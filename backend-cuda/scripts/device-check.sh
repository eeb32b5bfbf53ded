#!/bin/bash
# The GPU machine's one script. Prepare here (after ../shared/device/bundle.sh backend-cuda):
#   backend-cuda/scripts/device-check.sh --prepare   adds the bench command's jars (no ND4J) to .device-bundle
# then with the device tool: carry [".device-bundle"], command "bash backend-cuda/scripts/device-check.sh".
# On the GPU machine it runs the module's tests (the kit, the memory test), `unroll bench --backend cuda` on the
# issue's shapes, the GEMM and LSTM micro benchmarks, and PyTorch's cuDNN on the same card. Each stage has its
# own time limit, so one hang cannot take the whole lease; logs go to $OUT.
cd "$(dirname "$0")/../.."
B=.device-bundle
if [ "${1:-}" = "--prepare" ]; then
  set -e
  # bundle.sh drops the last entry of its classpath file (no newline after it): copy whatever is missing
  for jar in $(tr ':' ' ' < $B/cp.txt); do [ -e "$B/lib/$(basename "$jar")" ] || cp "$jar" $B/lib/; done
  ./mvnw -q -B -pl benchmarks -am install -DskipTests
  ./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$B/bench-cp.txt"
  rm -rf $B/bench; mkdir -p $B/bench
  # only what the bench command needs beside the test bundle: no ND4J (the bundle must stay under 64 MiB)
  { tr ':' '\n' < $B/bench-cp.txt; echo; } | grep -E '/(unroll-(api|cells|backend-ejml)|picocli|ejml-)[^/]*\.jar$' \
    | while read -r jar; do [ -n "$jar" ] && [ ! -e "$B/lib/$(basename "$jar")" ] && cp "$jar" $B/bench/; done
  cp benchmarks/target/unroll-benchmarks-*-SNAPSHOT.jar $B/bench/
  # JCuda's natives jar also carries the PTX compiler, runtime and NVRTC bindings (24 MB unpacked) that the
  # driver-API backend never loads: drop them so everything that travels stays under the 64 MiB limit
  python3 - $B/lib/jcuda-natives-*.jar <<'PY'
import sys, zipfile, os
src = sys.argv[1]; tmp = src + ".tmp"
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if not any(n in item.filename for n in ("JNvPTXCompiler", "JNvrtc", "JCudaRuntime")):
            zout.writestr(item, zin.read(item.filename))
os.replace(tmp, src)
PY
  rm -f $B/bench-cp.txt; du -sh $B; exit 0
fi
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
JAVA=$B/jre/bin/java
# the console launcher runs with -jar, which ignores -cp: list every jar (a "lib/*" wildcard would not expand)
CP="$B/classes:$B/test-classes:$(ls $B/lib/*.jar | tr '\n' ':')"
export PATH=$PATH:/usr/local/cuda/bin
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv,noheader
STAGES=" ${STAGES:-tests bench micro cudnn} "   # e.g. STAGES="micro" MICRO=dev.unroll.backend.cuda.PersistentMicroBenchmark
# BENCH_OPTS: JVM options of the bench stage, e.g. BENCH_OPTS=-Dunroll.cuda.graphs=off for an A/B of the graphs
if [[ $STAGES == *" tests "* ]]; then
echo "== tests"
timeout ${TEST_LIMIT:-240} $JAVA -jar $B/launcher/junit-platform-console-standalone-*.jar execute \
  --class-path "$CP" --scan-class-path $B/test-classes --exclude-classname '.*KernelEmulationTest' \
  --details=tree --details-theme=ascii --disable-banner --reports-dir "$OUT/junit" > "$OUT/tests.log" 2>&1
echo "tests rc=$?"
grep -E "tests (found|successful|failed|skipped|aborted)|containers failed" "$OUT/tests.log"
grep -E "\[X\]" "$OUT/tests.log" | head -40
fi
if [[ $STAGES == *" bench "* ]]; then
echo "== bench (unroll bench --backend cuda), per GEMM family in GEMM_FAMILIES (default: the built-in choice)"
for family in ${GEMM_FAMILIES:-default}; do
  echo "# gemm family $family"
  for cell in rnn lstm gru; do
    for shape in "50 1 256 256" "100 16 128 128" "50 64 512 512" "25 32 1024 1024" "25 128 2048 2048"; do
      set -- $shape
      timeout 60 $JAVA ${BENCH_OPTS:-} $([ "$family" != default ] && echo "-Dunroll.cuda.gemm=$family") -cp "$B/bench/*:$B/classes:$B/lib/*" \
        dev.unroll.benchmarks.BenchCommand --backend cuda --cell $cell --T $1 --batch $2 --input $3 --hidden $4 \
        --warmup-ms ${WARMUP_MS:-500} --iterations 30
    done
  done
done 2>&1 | tee "$OUT/bench.log" | cut -c1-160
fi
if [[ $STAGES == *" micro "* ]]; then
echo "== micro benchmarks"
for main in ${MICRO:-dev.unroll.backend.cuda.GemmMicroBenchmark dev.unroll.backend.cuda.CudaMicroBenchmark}; do
  timeout ${MICRO_LIMIT:-90} $JAVA -cp "$CP" $main 2>&1 | tee -a "$OUT/micro.log" | tail -40
done
fi
if [[ $STAGES == *" cudnn "* ]]; then
echo "== cuDNN"
timeout ${TORCH_LIMIT:-90} python3 benchmarks/scripts/torch_cuda_bench.py 2>&1 | tee "$OUT/cudnn.log" | cut -c1-120
fi
