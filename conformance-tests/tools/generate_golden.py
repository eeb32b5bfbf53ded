#!/usr/bin/env python3
"""Generate the golden forward/BPTT fixtures ("rnn-golden/1") used by conformance-tests.

Every fixture is produced by PyTorch in float64 with torch.nn.RNN (tanh / relu), nn.LSTM
and nn.GRU. Variable-length batches go through pack_padded_sequence(enforce_sorted=False)
and pad_packed_sequence(total_length=T), i.e. PyTorch packed-sequence semantics.

Usage:
    /usr/bin/python3 conformance-tests/tools/generate_golden.py [OUTPUT_DIR]

OUTPUT_DIR defaults to ../src/main/resources/dev/unroll/conformance/golden relative to this
script. The script rewrites every *.json there and writes index.txt (one file name per line).
The output is deterministic: every case draws from its own seed (crc32 of the case name).

Format (one JSON object per file, see also README.md next to this script):
    format        "rnn-golden/1"
    name, generator, cell (rnn_tanh | rnn_relu | lstm | gru), num_layers, bidirectional, bias,
    T, B, input_size, hidden_size
    lengths       (variable-length cases only) plain JSON int array, one per batch entry
    params        {state_dict name: tensor}; weight_ih_l{k}[_reverse] [G*H, in],
                  weight_hh_l{k}[_reverse] [G*H, H], bias_ih/bias_hh [G*H] (1-D);
                  gate order LSTM i,f,g,o; GRU r,z,n
    x             [T, B, input_size] (time-major)
    h0, c0        (given-initial-state cases only) [num_layers*D, B, H]
    y             [T, B, D*H], zero past each sequence's length
    h_n, c_n      [num_layers*D, B, H], state at each sequence's own last step
    dy, dh_n, dc_n  upstream gradients; L = sum(y*dy) + sum(h_n*dh_n) [+ sum(c_n*dc_n)]
    grads         dL/d of x, h0, c0 (when present) and every parameter (same names)
    tensor        {"shape": [...], "data": [...]} flattened row-major (last index fastest)
"""

import json
import os
import sys
import zlib

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

FORMAT = "rnn-golden/1"
CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # bit-for-bit reproducible reductions


def generator_string():
    return "torch %s float64 (conformance-tests/tools/generate_golden.py)" % torch.__version__


def make_module(cell, input_size, hidden_size, num_layers, bidirectional, bias):
    if cell in ("rnn_tanh", "rnn_relu"):
        return nn.RNN(input_size, hidden_size, num_layers=num_layers,
                      nonlinearity=cell[4:], bias=bias, batch_first=False,
                      bidirectional=bidirectional)
    if cell == "lstm":
        return nn.LSTM(input_size, hidden_size, num_layers=num_layers, bias=bias,
                       batch_first=False, bidirectional=bidirectional)
    if cell == "gru":
        return nn.GRU(input_size, hidden_size, num_layers=num_layers, bias=bias,
                      batch_first=False, bidirectional=bidirectional)
    raise ValueError("unknown cell " + cell)


def compute(cell, num_layers, bidirectional, bias, params, x, h0=None, c0=None,
            lengths=None, dy=None, dh_n=None, dc_n=None):
    """Core: run forward + BPTT in float64.

    params: dict state_dict-name -> tensor; x [T,B,I]; h0/c0 [L*D,B,H] or None (zero state);
    lengths: list of ints or None (fixed length). Returns dict with y, h_n, c_n (lstm) and
    grads (dict: x, h0, c0 when given, and every parameter)."""
    T, B, I = x.shape
    H = params["weight_hh_l0"].shape[1]
    mod = make_module(cell, I, H, num_layers, bidirectional, bias).double()
    mod.load_state_dict({k: v.detach().clone().double() for k, v in params.items()}, strict=True)
    x = x.detach().clone().double().requires_grad_(True)
    leaves = {"x": x}
    hx = None
    if h0 is not None:
        h0 = h0.detach().clone().double().requires_grad_(True)
        leaves["h0"] = h0
        if cell == "lstm":
            c0 = c0.detach().clone().double().requires_grad_(True)
            leaves["c0"] = c0
            hx = (h0, c0)
        else:
            hx = h0
    inp = x
    if lengths is not None:
        inp = pack_padded_sequence(x, torch.tensor(list(lengths), dtype=torch.int64),
                                   batch_first=False, enforce_sorted=False)
    out, hn = mod(inp, hx)
    if lengths is not None:
        out, _ = pad_packed_sequence(out, batch_first=False, padding_value=0.0, total_length=T)
    if cell == "lstm":
        h_n, c_n = hn
    else:
        h_n, c_n = hn, None
    loss = (out * dy).sum() + (h_n * dh_n).sum()
    if c_n is not None:
        loss = loss + (c_n * dc_n).sum()
    names = list(leaves.keys()) + [n for n, _ in mod.named_parameters()]
    tensors = list(leaves.values()) + [p for _, p in mod.named_parameters()]
    gs = torch.autograd.grad(loss, tensors, allow_unused=True)
    grads = {}
    for n, t, g in zip(names, tensors, gs):
        grads[n] = torch.zeros_like(t) if g is None else g.detach()
    return {"y": out.detach(), "h_n": h_n.detach(),
            "c_n": None if c_n is None else c_n.detach(), "grads": grads,
            "param_names": [n for n, _ in mod.named_parameters()]}


def tensor_json(t):
    t = t.detach().double().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def build_case(name, cell, num_layers, bidirectional, bias, T, B, I, H,
               given_state, lengths=None, weight_scale=1.0, input_scale=1.0, seed=None):
    """Draws params/inputs/upstream gradients deterministically and computes the fixture."""
    if seed is None:
        seed = zlib.crc32(name.encode("utf-8"))
    D = 2 if bidirectional else 1
    torch.manual_seed(seed)
    mod = make_module(cell, I, H, num_layers, bidirectional, bias).double()  # default init
    params = {k: v.detach().clone() * weight_scale for k, v in mod.state_dict().items()}
    g = torch.Generator().manual_seed(seed ^ 0x5EED)

    def randn(*shape):
        return torch.randn(*shape, generator=g, dtype=torch.float64)

    x = randn(T, B, I) * input_scale
    h0 = randn(num_layers * D, B, H) if given_state else None
    c0 = randn(num_layers * D, B, H) if (given_state and cell == "lstm") else None
    dy = randn(T, B, D * H)
    dh_n = randn(num_layers * D, B, H)
    dc_n = randn(num_layers * D, B, H) if cell == "lstm" else None
    # dy past a sequence's length stays random: y is zero there, so it contributes nothing.
    r = compute(cell, num_layers, bidirectional, bias, params, x, h0, c0, lengths, dy, dh_n, dc_n)

    doc = {
        "format": FORMAT,
        "name": name,
        "generator": generator_string(),
        "cell": cell,
        "num_layers": num_layers,
        "bidirectional": bidirectional,
        "bias": bias,
        "T": T, "B": B, "input_size": I, "hidden_size": H,
    }
    if lengths is not None:
        doc["lengths"] = [int(v) for v in lengths]
    doc["params"] = {k: tensor_json(params[k]) for k in r["param_names"]}
    doc["x"] = tensor_json(x)
    if h0 is not None:
        doc["h0"] = tensor_json(h0)
    if c0 is not None:
        doc["c0"] = tensor_json(c0)
    doc["y"] = tensor_json(r["y"])
    doc["h_n"] = tensor_json(r["h_n"])
    if r["c_n"] is not None:
        doc["c_n"] = tensor_json(r["c_n"])
    doc["dy"] = tensor_json(dy)
    doc["dh_n"] = tensor_json(dh_n)
    if dc_n is not None:
        doc["dc_n"] = tensor_json(dc_n)
    doc["grads"] = {k: tensor_json(v) for k, v in r["grads"].items()}
    return doc, r


def valid_mask(T, B, lengths):
    m = torch.ones(T, B, dtype=torch.bool)
    if lengths is not None:
        for b, L in enumerate(lengths):
            m[L:, b] = False
    return m


def relu_ok(r, T, B, lengths):
    """Non-degeneracy for rnn_relu: a fair share of the valid outputs must be positive."""
    y = r["y"]
    m = valid_mask(T, B, lengths)
    vals = y[m]
    frac = float((vals > 0).double().mean())
    return frac >= 0.25 and bool((r["h_n"] != 0).any())


def make_case(name, cell, num_layers, bidirectional, bias, T, B, I, H, given_state,
              lengths=None, weight_scale=1.0, input_scale=1.0):
    base = zlib.crc32(name.encode("utf-8"))
    for attempt in range(100):
        doc, r = build_case(name, cell, num_layers, bidirectional, bias, T, B, I, H, given_state,
                            lengths, weight_scale, input_scale, seed=base + attempt)
        if cell != "rnn_relu" or relu_ok(r, T, B, lengths):
            return doc
    raise RuntimeError("could not find a non-degenerate rnn_relu case for " + name)


def lengths_for(T, B, rng):
    """Mix of T and shorter lengths in 1..T, never sorted (non-increasing)."""
    assert B >= 2 and T >= 2
    while True:
        ls = [T] + [int(v) for v in torch.randint(1, T, (B - 1,), generator=rng).tolist()]
        if B >= 3 and 1 not in ls and torch.rand(1, generator=rng).item() < 0.5:
            ls[-1] = 1  # make length-1 sequences common
        perm = torch.randperm(B, generator=rng).tolist()
        ls = [ls[p] for p in perm]
        if any(ls[i] < ls[i + 1] for i in range(B - 1)):
            return ls


# Shape cycles for the matrix; (T, B, I, H). Fixed-length cases may use B=1.
SHAPES_FIX = [(5, 3, 4, 3), (3, 1, 2, 5), (7, 2, 5, 3), (4, 4, 3, 2), (6, 2, 2, 4),
              (5, 1, 3, 6), (4, 3, 5, 4), (6, 4, 4, 3), (4, 2, 3, 5)]
# cycle lengths (9, 7) are coprime to the 4 fix/var cases of each (cell, layers, direction)
# group, so B=1, odd sizes etc. land on every state/bias combination somewhere.
SHAPES_VAR = [(6, 3, 3, 5), (5, 4, 5, 3), (7, 2, 4, 2), (4, 3, 2, 4), (6, 4, 3, 3),
              (5, 2, 5, 6), (7, 3, 2, 3)]


def all_cases():
    cases = []  # (name, kwargs)
    i_fix = i_var = 0
    for cell in CELLS:
        for L in (1, 2, 3):
            for bi in (False, True):
                for var in (False, True):
                    for given in (False, True):
                        for bias in (True, False):
                            name = "%s_l%d_%s_%s_%s_%s" % (
                                cell, L, "bi" if bi else "uni", "var" if var else "fix",
                                "h0" if given else "zero", "bias" if bias else "nobias")
                            if var:
                                T, B, I, H = SHAPES_VAR[i_var % len(SHAPES_VAR)]
                                i_var += 1
                            else:
                                T, B, I, H = SHAPES_FIX[i_fix % len(SHAPES_FIX)]
                                i_fix += 1
                            # keep deep bidirectional files small
                            if L * (2 if bi else 1) >= 4:
                                H = min(H, 4)
                            lengths = None
                            if var:
                                rng = torch.Generator().manual_seed(zlib.crc32(name.encode()) ^ 0x1E9)
                                lengths = lengths_for(T, B, rng)
                            cases.append((name, dict(cell=cell, num_layers=L, bidirectional=bi,
                                                     bias=bias, T=T, B=B, I=I, H=H,
                                                     given_state=given, lengths=lengths)))
    # long sequences
    long_specs = {"rnn_tanh": (120, 2, 3, 4), "rnn_relu": (120, 2, 2, 3),
                  "lstm": (120, 2, 3, 4), "gru": (120, 2, 4, 3)}
    for cell in CELLS:
        T, B, I, H = long_specs[cell]
        cases.append(("%s_long_T%d" % (cell, T),
                      dict(cell=cell, num_layers=1, bidirectional=False, bias=True,
                           T=T, B=B, I=I, H=H, given_state=True, lengths=None)))
    # long, bidirectional, 2 layers, variable length
    for cell in ("lstm", "gru"):
        T, B, I, H = 100, 3, 3, 3
        cases.append(("%s_long_T%d_l2_bi_var" % (cell, T),
                      dict(cell=cell, num_layers=2, bidirectional=True, bias=True,
                           T=T, B=B, I=I, H=H, given_state=True, lengths=[57, T, 1])))
    # saturated activations
    sat_specs = {"rnn_tanh": (6, 3, 4, 3), "rnn_relu": (5, 2, 3, 5),
                 "lstm": (6, 3, 5, 3), "gru": (6, 3, 3, 5)}
    for cell in CELLS:
        T, B, I, H = sat_specs[cell]
        cases.append(("%s_saturated" % cell,
                      dict(cell=cell, num_layers=1, bidirectional=False, bias=True,
                           T=T, B=B, I=I, H=H, given_state=True, lengths=None,
                           weight_scale=4.0, input_scale=5.0)))
    return cases


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = argv[1] if len(argv) > 1 else os.path.join(
        here, "..", "src", "main", "resources", "dev", "unroll", "conformance", "golden")
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for name, kw in all_cases():
        doc = make_case(name, **kw)
        fname = name + ".json"
        with open(os.path.join(out_dir, fname), "w", encoding="utf-8") as f:
            json.dump(doc, f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
        names.append(fname)
    keep = set(names)
    for f in os.listdir(out_dir):  # drop stale fixtures from earlier runs
        if f.endswith(".json") and f not in keep:
            os.remove(os.path.join(out_dir, f))
    names.sort()
    with open(os.path.join(out_dir, "index.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")
    total = sum(os.path.getsize(os.path.join(out_dir, n)) for n in names)
    print("wrote %d fixtures (%d bytes) + index.txt to %s" % (len(names), total, out_dir))


if __name__ == "__main__":
    main(sys.argv)
