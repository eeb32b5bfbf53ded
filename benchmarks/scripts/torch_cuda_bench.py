#!/usr/bin/env python3
"""The cuDNN anchor for `unroll bench --backend cuda`, run on the GPU machine itself (same run, same card).

For each cell and shape, times one single-layer unidirectional torch.nn.RNN/LSTM/GRU in float32 with TF32
off (cuDNN's RNN path): fwd_ms = inference forward under torch.no_grad(); fwd_bwd_ms = forward plus
m(x)[0].sum().backward() with every parameter gradient (x does not require grad, as in ../shared/anchors).
Medians of CUDA-event timings after warm-up. Prints one JSON line per row, like unroll-bench.jar.
"""
import json
import statistics

import torch

SHAPES = [(50, 1, 256, 256), (100, 16, 128, 128), (50, 64, 512, 512), (25, 32, 1024, 1024), (25, 128, 2048, 2048)]


def median_ms(fn, warmup=10, iterations=50):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(iterations):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def main():
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(1)
    device = torch.device("cuda")
    for cell in ("rnn", "lstm", "gru"):
        for (steps, batch, inputs, hidden) in SHAPES:
            module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](inputs, hidden).to(device)
            x = torch.rand(steps, batch, inputs, device=device) * 2 - 1

            def forward():
                with torch.no_grad():
                    module(x)

            def forward_backward():
                module(x)[0].sum().backward()

            print(json.dumps({"backend": "cudnn", "cell": cell, "T": steps, "B": batch, "I": inputs, "H": hidden,
                              "fwd_ms": round(median_ms(forward), 4), "fwd_bwd_ms": round(median_ms(forward_backward), 4),
                              "device": torch.cuda.get_device_name(), "torch": torch.__version__,
                              "cudnn": torch.backends.cudnn.version()}), flush=True)


if __name__ == "__main__":
    main()
