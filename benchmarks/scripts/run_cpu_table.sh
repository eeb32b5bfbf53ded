#!/usr/bin/env bash
# Runs unroll-bench.jar (backend cpu, optionally ejml) and the PyTorch anchor over the issue's shapes and
# prints the markdown table of docs/PERFORMANCE.md: ours, PyTorch, ratio (ours / PyTorch; below 1 is faster),
# and our forward+backward GEMM rate against the machine's 1024^3 float32 GEMM rate measured in the same run.
#
# Usage: benchmarks/scripts/run_cpu_table.sh [--with-ejml] [--iterations N]
# Needs: ./mvnw -B -q -pl benchmarks -am package -DskipTests (benchmarks/target/unroll-bench.jar);
#        apt-get install -y python3-torch libopenblas0-pthread (Debian's torch on OpenBLAS).
# Each row runs ours and PyTorch back to back, so both see the same machine load. Both are measured the
# anchor's way: at 1 thread and at all cores, and each metric reports the faster (OpenBLAS's own threading
# of small products costs more than it saves, and its thread count cannot be switched per call cheaply).
set -euo pipefail
cd "$(dirname "$0")/../.."

# For PyTorch, set before Python starts: OpenMP threads that busy-wait fight OpenBLAS's threads for the cores.
# (Our cpu backend needs neither: it runs each library call on one of its own threads.)
export OMP_WAIT_POLICY=PASSIVE
THREADS=${THREADS:-$(nproc)}
export OPENBLAS_NUM_THREADS=$THREADS

JAR=benchmarks/target/unroll-bench.jar
WITH_EJML=0
ITERATIONS=20
while [ $# -gt 0 ]; do
  case "$1" in
    --with-ejml) WITH_EJML=1 ;;
    --iterations) ITERATIONS=$2; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$JAR" ] || { echo "build it first: ./mvnw -B -q -pl benchmarks -am package -DskipTests" >&2; exit 1; }

bench() { java -jar "$JAR" "$@" 2>/dev/null | grep '^{'; }
# Ours at 1 thread and at $THREADS threads; per metric the faster.
bench_best() {
  local one all
  one=$(bench "$@" --threads 1)
  all=$(bench "$@" --threads "$THREADS")
  python3 - "$one" "$all" <<'PY'
import json, sys
one, all_ = json.loads(sys.argv[1]), json.loads(sys.argv[2])
best = dict(all_)
for key in ("fwd_ms", "fwd_bwd_ms"):
    winner = min((one, all_), key=lambda r: r[key])
    best[key] = winner[key]
    best[key.replace("_ms", "_threads")] = winner["threads"]
print(json.dumps(best))
PY
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

GEMM=$(bench --backend cpu --gemm --threads "$THREADS" --warmup 5 --iterations 20)
GFLOPS=$(field "$GEMM" gflops)

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), $(date -u +%Y-%m-%d\ %H:%M) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "float32 GEMM 1024^3 (cpu backend, $THREADS threads): $GFLOPS GFLOP/s"
echo
echo "| cell | T, B, I, H | cpu fwd ms | torch fwd ms | ratio | cpu fwd+bwd ms | torch fwd+bwd ms | ratio | cpu fwd+bwd GFLOP/s (% of GEMM) | threads cpu / torch (fwd, fwd+bwd)$( [ $WITH_EJML = 1 ] && echo ' | ejml fwd ms | ejml fwd+bwd ms' ) |"
echo "|---|---|---|---|---|---|---|---|---|---$( [ $WITH_EJML = 1 ] && echo '|---|---' )|"
for shape in "50 1 256 256" "100 16 128 128" "50 64 512 512" "25 32 1024 1024"; do
  read -r T B I H <<< "$shape"
  for cell in rnn lstm gru; do
    ours=$(bench_best --backend cpu --cell $cell --T $T --batch $B --input $I --hidden $H \
      --warmup 5 --iterations "$ITERATIONS")
    torch=$(/usr/bin/python3 benchmarks/scripts/torch_bench.py --cell $cell --T $T --batch $B --input $I \
      --hidden $H --warmup 5 --iterations "$ITERATIONS")
    ejml_cols=""
    if [ $WITH_EJML = 1 ]; then
      ejml=$(bench --backend ejml --cell $cell --T $T --batch $B --input $I --hidden $H --threads "$THREADS" \
        --warmup 1 --warmup-ms 0 --iterations 3)
      ejml_cols=" | $(field "$ejml" fwd_ms) | $(field "$ejml" fwd_bwd_ms)"
    fi
    python3 - "$cell" "$T" "$B" "$I" "$H" "$ours" "$torch" "$GFLOPS" "$ejml_cols" <<'PY'
import json, sys
cell, T, B, I, H = sys.argv[1], *map(int, sys.argv[2:6])
ours, torch, gemm, ejml = json.loads(sys.argv[6]), json.loads(sys.argv[7]), float(sys.argv[8]), sys.argv[9]
gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
# GEMM work of our forward+backward: forward 2TBGH(I+H); backward dW_ih 2TBGHI, dW_hh and dh 2TBGHH each, and dx
# 2TBGHI only where asked (--input-grad; PyTorch's x here does not require grad, so it skips dx).
flops = 2.0 * T * B * gates * H * ((3 if ours.get("input_grad") else 2) * I + 3 * H)
rate = flops / (ours["fwd_bwd_ms"] * 1e6)
print(f"| {cell} | {T}, {B}, {I}, {H} | {ours['fwd_ms']:.3f} | {torch['fwd_ms']:.3f} | "
      f"{ours['fwd_ms'] / torch['fwd_ms']:.2f} | {ours['fwd_bwd_ms']:.3f} | {torch['fwd_bwd_ms']:.3f} | "
      f"{ours['fwd_bwd_ms'] / torch['fwd_bwd_ms']:.2f} | {rate:.0f} ({100 * rate / gemm:.0f}%) | "
      f"{ours['fwd_threads']},{ours['fwd_bwd_threads']} / {torch['fwd_threads']},{torch['threads']}{ejml} |")
PY
  done
done
