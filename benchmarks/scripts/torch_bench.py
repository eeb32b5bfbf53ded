#!/usr/bin/python3
"""The PyTorch CPU anchor for unroll-bench.jar: same shapes, same JSON line.

Times one single-layer, unidirectional torch.nn.RNN/LSTM/GRU (float32, input [T, B, I] time-major):
fwd_ms = inference forward under torch.no_grad(); fwd_bwd_ms = forward plus m(x)[0].sum().backward()
(all parameter gradients; x does not require grad unless --input-grad, as in ../shared/anchors).
Medians after warm-up, at torch.set_num_threads(1) and (2); each metric reports the faster.

Run with Debian's torch and OpenBLAS, and the environment set BEFORE Python starts:
  OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_bench.py --cell lstm --T 50 ...
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch


def median_ms(fn, warmup, iterations):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def measure(cell, steps, batch, inputs, hidden, threads, warmup, iterations, input_grad, seed):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](inputs, hidden)
    x = torch.rand(steps, batch, inputs) * 2 - 1
    if input_grad:
        x.requires_grad_(True)

    def forward():
        with torch.no_grad():
            module(x)

    def forward_backward():
        module(x)[0].sum().backward()

    return median_ms(forward, warmup, iterations), median_ms(forward_backward, warmup, iterations)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cell", choices=["rnn", "lstm", "gru"], default="lstm")
    p.add_argument("--T", type=int, default=50)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--input", type=int, default=512)
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--threads", default="1,2", help="comma-separated torch thread counts to try")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--input-grad", action="store_true", help="also compute dx (x.requires_grad)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if os.environ.get("OMP_WAIT_POLICY", "").upper() != "PASSIVE":
        print("warning: OMP_WAIT_POLICY=PASSIVE is not set; on 2 cores torch runs 3-6x slower", file=sys.stderr)
    best = None
    for threads in [int(t) for t in a.threads.split(",")]:
        fwd, fwd_bwd = measure(a.cell, a.T, a.batch, a.input, a.hidden, threads, a.warmup, a.iterations,
                               a.input_grad, a.seed)
        if best is None:
            best = {"fwd": (fwd, threads), "fwd_bwd": (fwd_bwd, threads)}
        else:
            best["fwd"] = min(best["fwd"], (fwd, threads))
            best["fwd_bwd"] = min(best["fwd_bwd"], (fwd_bwd, threads))
    print(json.dumps({"backend": "torch", "cell": a.cell, "T": a.T, "B": a.batch, "I": a.input, "H": a.hidden,
                      "threads": best["fwd_bwd"][1], "fwd_ms": round(best["fwd"][0], 3),
                      "fwd_bwd_ms": round(best["fwd_bwd"][0], 3), "fwd_threads": best["fwd"][1],
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
