#!/usr/bin/env python3
"""Prints the README's benchmark table from the device run's logs.

usage: cuda_table.py BENCH_LOG CUDNN_LOG
  BENCH_LOG  JSON lines of `unroll bench --backend cuda` (device-check.sh writes $OUT/bench.log)
  CUDNN_LOG  JSON lines of benchmarks/scripts/torch_cuda_bench.py on the same card ($OUT/cudnn.log)
"""
import json
import sys


def rows(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            out[(r["cell"], r["T"], r["B"], r["I"], r["H"])] = r
    return out


def main():
    ours, cudnn = rows(sys.argv[1]), rows(sys.argv[2])
    print("| cell | (T,B,I,H) | pass | ours (ms) | cuDNN (ms) | ratio |")
    print("|------|-----------|------|-----------|------------|-------|")
    for key in cudnn:
        if key not in ours:
            continue
        cell, t, b, i, h = key
        for name, field in (("forward", "fwd_ms"), ("forward+backward", "fwd_bwd_ms")):
            o, c = ours[key][field], cudnn[key][field]
            print(f"| {cell.upper()} | ({t},{b},{i},{h}) | {name} | {o:.3f} | {c:.3f} | {o / c:.2f}x |")


if __name__ == "__main__":
    main()
