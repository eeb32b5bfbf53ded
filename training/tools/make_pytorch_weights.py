#!/usr/bin/python3
"""Writes the PyTorch interop fixtures of the training module's tests.

Trains two small PyTorch models for a few steps (so the weights are "trained in PyTorch", not just
initialized), then saves, in the safetensors format, each model's state_dict under PyTorch's names together
with an input and PyTorch's output for it:

  pytorch_lstm.safetensors    nn.LSTM(3, 4, num_layers=2, bidirectional=True): weight_ih_l0, ...,
                              plus x [T,B,3], h0, c0 [4,B,4], y [T,B,8], h_n, c_n
  pytorch_tagger.safetensors  embedding (nn.Embedding 7x5) -> rnn (nn.GRU 5->6) -> head (nn.Linear 6->3):
                              embedding.weight, rnn.weight_ih_l0, ..., head.bias,
                              plus tokens [T,B] (ids as F32) and logits [T,B,3]

torch 1.13 has no safetensors package, so the format is written by hand: an 8-byte little-endian header
length, a JSON header (dtype, shape, data_offsets), then raw little-endian data.

Run from the repository root:  /usr/bin/python3 training/tools/make_pytorch_weights.py
"""
import os

import torch
from torch import nn

from safetensors_writer import write_safetensors

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "pytorch")


def train_a_little(module, make_loss, steps=5):
    opt = torch.optim.SGD(module.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        make_loss().backward()
        opt.step()


def lstm_fixture():
    torch.manual_seed(1234)
    T, B = 5, 2
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    x = torch.randn(T, B, 3)
    h0 = torch.randn(4, B, 4)
    c0 = torch.randn(4, B, 4)
    train_a_little(lstm, lambda: lstm(x, (h0, c0))[0].pow(2).mean())
    with torch.no_grad():
        y, (h_n, c_n) = lstm(x, (h0, c0))
    tensors = dict(lstm.state_dict())
    tensors.update({"x": x, "h0": h0, "c0": c0, "y": y, "h_n": h_n, "c_n": c_n})
    write_safetensors(os.path.join(OUT, "pytorch_lstm.safetensors"), tensors,
                      {"generator": "make_pytorch_weights.py, torch " + torch.__version__})


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(7, 5)
        self.rnn = nn.GRU(5, 6)
        self.head = nn.Linear(6, 3)

    def forward(self, tokens):
        y, _ = self.rnn(self.embedding(tokens))
        return self.head(y)


def tagger_fixture():
    torch.manual_seed(99)
    T, B = 4, 3
    model = Tagger()
    tokens = torch.randint(0, 7, (T, B))
    tags = torch.randint(0, 3, (T, B))
    loss_fn = nn.CrossEntropyLoss()
    train_a_little(model, lambda: loss_fn(model(tokens).reshape(T * B, 3), tags.reshape(T * B)))
    with torch.no_grad():
        logits = model(tokens)
    tensors = dict(model.state_dict())
    tensors.update({"tokens": tokens.to(torch.float32), "logits": logits})
    write_safetensors(os.path.join(OUT, "pytorch_tagger.safetensors"), tensors,
                      {"generator": "make_pytorch_weights.py, torch " + torch.__version__})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    lstm_fixture()
    tagger_fixture()
