#!/usr/bin/python3
"""Float32 accuracy of Unroll's backends and of PyTorch against the conformance kit's float64 golden fixtures.

Usage (run.sh does all of it):
    /usr/bin/python3 conformance-tests/tools/accuracy/accuracy.py [--impls ejml,cpu] [--work DIR]
        [--filter SUBSTR] [--per-cell]

Reads the bundled fixtures from conformance-tests/src/main/resources/dev/unroll/conformance/golden, a backend's
results from DIR/out/<impl>/<fixture>.json (written by AccuracyHarness.java), runs PyTorch float32 on the same
fixtures, and prints, for every implementation, the error over all elements of all fixtures pooled (outputs y, h_n,
c_n; gradients of x, h0, c0 and every parameter):

    median ulp / 99th percentile ulp / share correctly rounded

Definitions (those of the measurement behind backend-cpu/README.md, "Accuracy"):
  truth       the fixture's float64 values (PyTorch float64 on the float64 inputs).
  ulp error   |value - truth| / ulp, where ulp = np.spacing(|float32(truth)|), the float32 ulp of the truth;
              elements whose truth is exactly 0 are left out of the ulp statistics.
  correctly rounded   value == float32(truth) (round to nearest); share over all elements, zeros included.
  torch32     PyTorch float32 (CPU, 1 thread) on the fixture's inputs, parameters and upstream gradients rounded to
              float32, through generate_golden.py's own code path (pack_padded_sequence for variable lengths).
  ideal32     PyTorch float64 on the same float32-rounded inputs, rounded once to float32: the best any float32
              code can do, since a float32 backend starts from the rounded inputs.
  kit tol     |value - truth| / (1e-5 + 1e-4 |truth|), the kit's float32 cell tolerance (CELL_FLOAT32; <= 1 passes).
A tensor a backend returns that the fixture lacks (dh0 for a zero initial state) is not compared. Per-tensor
statistics go to DIR/per_tensor.csv.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ next to generate_golden.py
import generate_golden as gg  # noqa: E402  make_module; sets the default dtype to float64 (dtypes are explicit here)

GOLD = os.path.join(HERE, "..", "..", "src", "main", "resources", "dev", "unroll", "conformance", "golden")
LABELS = {"torch32": "PyTorch %s float32 (CPU)" % ".".join(torch.__version__.split(".")[:2]),
          "ideal32": "float64 on the float32-rounded inputs, rounded once (the best any float32 code can do)"}

torch.set_num_threads(1)


def T(d):
    return np.asarray(d["data"], dtype=np.float64).reshape(d["shape"])


def run_torch(doc, dt):
    """generate_golden.compute's code path in dtype dt, on the fixture's values rounded to float32 first."""
    cell, L, bi, bias = doc["cell"], doc["num_layers"], doc["bidirectional"], doc["bias"]
    tt = lambda d: torch.from_numpy(T(d).astype(np.float32).astype(np.float64)).to(dt)
    params = {k: tt(v) for k, v in doc["params"].items()}
    x = tt(doc["x"])
    Tn, B, I = x.shape
    mod = gg.make_module(cell, I, doc["hidden_size"], L, bi, bias).to(dt)
    mod.load_state_dict(params, strict=True)
    x = x.clone().requires_grad_(True)
    leaves = {"x": x}
    hx = None
    if "h0" in doc:
        h0 = tt(doc["h0"]).requires_grad_(True)
        leaves["h0"] = h0
        if cell == "lstm":
            c0 = tt(doc["c0"]).requires_grad_(True)
            leaves["c0"] = c0
            hx = (h0, c0)
        else:
            hx = h0
    inp = x
    lengths = doc.get("lengths")
    if lengths is not None:
        inp = pack_padded_sequence(x, torch.tensor(lengths, dtype=torch.int64), batch_first=False,
                                   enforce_sorted=False)
    out, hn = mod(inp, hx)
    if lengths is not None:
        out, _ = pad_packed_sequence(out, batch_first=False, padding_value=0.0, total_length=Tn)
    h_n, c_n = (hn if cell == "lstm" else (hn, None))
    loss = (out * tt(doc["dy"])).sum() + (h_n * tt(doc["dh_n"])).sum()
    if c_n is not None:
        loss = loss + (c_n * tt(doc["dc_n"])).sum()
    names = list(leaves) + [n for n, _ in mod.named_parameters()]
    tensors = list(leaves.values()) + [p for _, p in mod.named_parameters()]
    gs = torch.autograd.grad(loss, tensors, allow_unused=True)
    res = {"y": out.detach().double().numpy(), "h_n": h_n.detach().double().numpy()}
    if c_n is not None:
        res["c_n"] = c_n.detach().double().numpy()
    res["grads"] = {n: (np.zeros(t.shape) if g is None else g.detach().double().numpy())
                    for n, t, g in zip(names, tensors, gs)}
    return res


def load(path):
    with open(path) as f:
        d = json.load(f)
    res = {k: T(d[k]) for k in ("y", "h_n", "c_n") if k in d}
    res["grads"] = {k: T(v) for k, v in d["grads"].items()}
    return res


def flat(res):
    """{(category, name): array}: outputs y/h_n/c_n, gradients dx/dh0/dc0/d<param>."""
    t = {("out", k): res[k] for k in ("y", "h_n", "c_n") if k in res}
    t.update({("grad", "d" + k): v for k, v in res["grads"].items()})
    return t


def errors(val, truth):
    """ulp errors (truth != 0 only), correctly-rounded flags, kit tolerance ratios, all flattened."""
    val, truth = val.reshape(-1), truth.reshape(-1)
    ae = np.abs(val - truth)
    t32 = truth.astype(np.float32)
    nz = truth != 0
    ulp = ae[nz] / np.spacing(np.abs(t32)).astype(np.float64)[nz]
    exact = val == t32.astype(np.float64)
    tol = ae / (1e-5 + 1e-4 * np.abs(truth))
    return ulp, exact, tol


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--impls", default="ejml,cpu", help="backend results under WORK/out to read (comma-separated)")
    ap.add_argument("--work", default=os.environ.get("ACCURACY_WORK", "/tmp/unroll-accuracy"))
    ap.add_argument("--filter", default="", help="only fixtures whose file name contains this")
    ap.add_argument("--per-cell", action="store_true", help="also print the table per cell type")
    a = ap.parse_args()
    ours = [i for i in a.impls.split(",") if i]
    impls = ["torch32"] + ours + ["ideal32"]
    files = sorted(f for f in os.listdir(GOLD) if f.endswith(".json") and a.filter in f)
    pooled = {}  # (impl, cat, group) -> [ulps, exacts, tols]
    rows = []
    for fname in files:
        with open(os.path.join(GOLD, fname)) as f:
            doc = json.load(f)
        truth = flat({k: T(doc[k]) for k in ("y", "h_n", "c_n") if k in doc} |
                     {"grads": {k: T(v) for k, v in doc["grads"].items()}})
        f64 = run_torch(doc, torch.float64)
        results = {"torch32": run_torch(doc, torch.float32),
                   "ideal32": {k: (v.astype(np.float32).astype(np.float64) if k != "grads" else
                                   {n: g.astype(np.float32).astype(np.float64) for n, g in v.items()})
                               for k, v in f64.items()}}
        for i in ours:
            results[i] = load(os.path.join(a.work, "out", i, fname))
        for impl in impls:
            got = flat(results[impl])
            missing = set(truth) - set(got)
            assert not missing, (fname, impl, "lacks", sorted(missing))
            for (cat, name), tr in truth.items():
                arr = got[(cat, name)]
                assert tr.shape == arr.shape, (fname, impl, name, tr.shape, arr.shape)
                ulp, exact, tol = errors(arr, tr)
                for grp in ("all", doc["cell"]):
                    p = pooled.setdefault((impl, cat, grp), [[], [], []])
                    p[0].append(ulp); p[1].append(exact); p[2].append(tol)
                rows.append(dict(fixture=fname[:-5], impl=impl, tensor=name, n=tr.size,
                                 max_ulp=ulp.max() if ulp.size else 0.0, med_ulp=np.median(ulp) if ulp.size else 0.0,
                                 correctly_rounded=exact.mean(), max_kit_tol=tol.max()))
    os.makedirs(a.work, exist_ok=True)
    with open(os.path.join(a.work, "per_tensor.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)

    def stats(impl, cat, grp):
        ulp, exact, tol = (np.concatenate(x) for x in pooled[(impl, cat, grp)])
        return np.median(ulp), np.percentile(ulp, 99), exact.mean(), tol.max(), exact.size

    def cellfmt(s):
        return "%.2f / %.0f / %.0f%%" % (s[0], s[1], 100 * s[2])

    label = lambda i: LABELS.get(i, "`%s`" % i)
    n_out, n_grad = stats("torch32", "out", "all")[4], stats("torch32", "grad", "all")[4]
    print("Accuracy (float32, %d fixtures, all elements pooled: %d outputs, %d gradients; error in float ulps of the"
          " exact value, median / 99th percentile / share correctly rounded):\n" % (len(files), n_out, n_grad))
    print("| | outputs | gradients |\n|---|---|---|")
    for i in impls:
        print("| %s | %s | %s |" % (label(i), cellfmt(stats(i, "out", "all")), cellfmt(stats(i, "grad", "all"))))
    print("\nWorst element, as a share of the kit's float32 cell tolerance (atol 1e-5 + rtol 1e-4 |truth|):")
    print("  " + ", ".join("%s %.0f%%" % (i, 100 * max(stats(i, c, "all")[3] for c in ("out", "grad")))
                           for i in impls))
    if a.per_cell:
        cells = [c for c in ("rnn_tanh", "rnn_relu", "lstm", "gru") if any(k[2] == c for k in pooled)]
        print("\nPer cell (median ulp / p99 ulp / correctly rounded):\n")
        print("| | | " + " | ".join(cells) + " |\n|---|---|" + "---|" * len(cells))
        for cat in ("out", "grad"):
            for i in impls:
                print("| %s | %s | %s |" % (label(i), {"out": "outputs", "grad": "gradients"}[cat],
                                            " | ".join(cellfmt(stats(i, cat, c)) for c in cells)))


if __name__ == "__main__":
    main()
