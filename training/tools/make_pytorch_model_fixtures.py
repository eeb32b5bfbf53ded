#!/usr/bin/python3
"""Writes the PyTorch parity fixtures of the training module's models (PyTorchModelParityTest).

Builds three task models in PyTorch (float64, fixed seeds) out of the modules our models mirror, under the
same state_dict names, runs one teacher-forced / supervised batch of variable-length sequences through each,
and saves the weights, the batch, PyTorch's mean loss, every parameter's gradient and, for seq2seq, greedy
and beam-search decodings:

  model_classifier.safetensors  embedding (nn.Embedding 7x3) -> rnn (nn.LSTM 3->4, 2 layers, bidirectional)
                                -> head (nn.Linear 8->3) over the last layer's final states (forward ++ reverse);
                                cross-entropy over B=4 sequences of lengths 5, 2, 3, 1
  model_regressor.safetensors   features [T,B,2] -> rnn (nn.GRU 2->3, 2 layers, bidirectional) -> head
                                (nn.Linear 6->2); mean squared error over B=3 sequences of lengths 5, 2, 4
  model_seq2seq.safetensors     encoder (embedding 5x3, nn.LSTM 3->4, 2 layers) whose final (h, c) start
                                decoder (embedding 6x3, nn.LSTM 3->4, 2 layers, head nn.Linear 4->6), begin 0,
                                end 1; teacher-forced cross-entropy over source lengths 4, 1, 2 and target
                                lengths 2, 4, 1; then greedy and beam (width 3) decodings of sources of
                                lengths 2, 3, 4

Tensor names in each file (all F64; ids and lengths stored as exact doubles):
  param.<name>     the weights, under the model's state_dict name
  grad.<name>      d(mean loss)/d(param), from loss.backward()
  batch.*          the inputs and labels; padded positions of id batches hold arbitrary valid ids (the models
                   must ignore them), padded feature steps hold zeros
  expected.*       loss, and the model's other outputs (probabilities, predictions, input-gradient norms)
  decode<k>.*      seq2seq: source, greedy tokens, beam tokens and beam log-probability (END included)

The seq2seq model is first trained a little (Adam, on "reverse the source, +1 per token") so that its
decodings are neither constant nor empty, and the decoded sources are picked so that no argmax or beam cut is a near tie
(margin > 1e-6): float64 rounding differences cannot flip them. Picked sources decode differently with beam
width 3 than greedily where one can be found (at least one must), so the fixture tells beam search from greedy
decoding.

torch 1.13 has no safetensors package, so the format is written by hand (safetensors_writer.py, shared with
make_pytorch_weights.py).
Run from the repository root (the build and tests never need Python; this only regenerates the files):

  /usr/bin/python3 training/tools/make_pytorch_model_fixtures.py
"""
import itertools
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from safetensors_writer import write_safetensors

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "pytorch")
BEGIN, END = 0, 1
MAX_LENGTH = 6      # decoding: at most this many tokens before the end token
BEAM_WIDTH = 3
MIN_MARGIN = 1e-6   # every decision a decoding makes is at least this far from a tie

torch.set_default_dtype(torch.float64)


def weights_and_grads(module):
    out = {}
    for name, p in module.named_parameters():
        out["param." + name] = p
    for name, p in module.named_parameters():
        out["grad." + name] = p.grad
    return out


def metadata(description):
    return {"generator": "make_pytorch_model_fixtures.py, torch " + torch.__version__, "model": description}


def padded_ids(sequences, vocab, generator):
    """Time-major [T, B] ids; padded positions get random valid ids, which a correct model never reads."""
    steps = max(len(s) for s in sequences)
    ids = torch.randint(0, vocab, (steps, len(sequences)), generator=generator)
    for b, s in enumerate(sequences):
        ids[:len(s), b] = torch.tensor(s)
    return ids


def last_layer_final_states(rnn, x, lengths):
    """What our EncoderHeadModel feeds its head: the last layer's final hidden state of each sequence, forward
    direction then reverse (for the reverse direction that is its state after reading step 0)."""
    _, h = rnn(pack_padded_sequence(x, lengths, enforce_sorted=False))
    h_n = h[0] if isinstance(h, tuple) else h
    directions = 2 if rnn.bidirectional else 1
    return torch.cat([h_n[-directions + d] for d in range(directions)], dim=1)


class EncoderHead(nn.Module):
    def __init__(self, rnn, outputs, vocab=0, embedding=0):
        super().__init__()
        if vocab:
            self.embedding = nn.Embedding(vocab, embedding)
        self.rnn = rnn
        self.head = nn.Linear((2 if rnn.bidirectional else 1) * rnn.hidden_size, outputs)

    def forward(self, x, lengths):
        if hasattr(self, "embedding"):
            x = self.embedding(x)
        return self.head(last_layer_final_states(self.rnn, x, lengths))


def classifier_fixture():
    torch.manual_seed(2024)
    model = EncoderHead(nn.LSTM(3, 4, num_layers=2, bidirectional=True), 3, vocab=7, embedding=3)
    g = torch.Generator().manual_seed(7)
    sequences = [[1, 2, 3, 6, 5], [4, 6], [2, 2, 1], [5]]
    ids = padded_ids(sequences, 7, g)
    lengths = torch.tensor([len(s) for s in sequences])
    labels = torch.tensor([2, 0, 1, 2])
    logits = model(ids, lengths)
    loss = nn.functional.cross_entropy(logits, labels)
    loss.backward()
    tensors = weights_and_grads(model)
    tensors.update({"batch.ids": ids, "batch.lengths": lengths, "batch.labels": labels,
                    "expected.loss": loss.reshape(1), "expected.probabilities": logits.softmax(-1)})
    write_safetensors(os.path.join(OUT, "model_classifier.safetensors"), tensors,
                      metadata("classifier: embedding 7x3, LSTM 3->4 2 layers bidirectional, head 8->3"), dtype="F64")


def regressor_fixture():
    torch.manual_seed(77)
    model = EncoderHead(nn.GRU(2, 3, num_layers=2, bidirectional=True), 2)
    lengths = torch.tensor([5, 2, 4])
    # float32-representable values: our FeatureSequences and RegressionBatch hold float[]
    x = (torch.rand(5, 3, 2) * 2 - 1).float().double()
    for b, n in enumerate(lengths.tolist()):
        x[n:, b] = 0.0
    targets = torch.tensor([[0.5, -1.25], [2.0, 0.25], [-0.75, 1.0]])
    x.requires_grad_(True)
    prediction = model(x, lengths)
    loss = nn.functional.mse_loss(prediction, targets)
    loss.backward()
    tensors = weights_and_grads(model)
    tensors.update({"batch.features": x, "batch.lengths": lengths, "batch.targets": targets,
                    "expected.loss": loss.reshape(1), "expected.predictions": prediction,
                    # ||dL/dx_t|| over batch and features: SequenceRegressor.inputGradientNorms
                    "expected.input_gradient_norms": x.grad.reshape(x.shape[0], -1).norm(dim=1)})
    write_safetensors(os.path.join(OUT, "model_regressor.safetensors"), tensors,
                      metadata("regressor: features 2, GRU 2->3 2 layers bidirectional, head 6->2"), dtype="F64")


class Coder(nn.Module):
    def __init__(self, vocab, outputs=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 3)
        self.rnn = nn.LSTM(3, 4, num_layers=2)
        if outputs:
            self.head = nn.Linear(4, outputs)


class Seq2Seq(nn.Module):
    """Our Seq2Seq: the encoder's final (h, c) of every layer start the decoder; no attention."""

    def __init__(self):
        super().__init__()
        self.encoder = Coder(5)
        self.decoder = Coder(6, outputs=6)

    def encode(self, src, src_lengths):
        _, state = self.encoder.rnn(pack_padded_sequence(self.encoder.embedding(src), src_lengths,
                                                         enforce_sorted=False))
        return state

    def loss(self, sources, targets, g):
        """Teacher forcing: the decoder reads [begin, y...] and predicts [y..., end]; mean over real targets.
        Returns the loss and the padded source batch (padding ids drawn from g)."""
        src = padded_ids(sources, 5, g)
        dec_in = padded_ids([[BEGIN] + t for t in targets], 6, g)
        dec_out = torch.full(dec_in.shape, -100)  # cross_entropy's ignore_index
        for b, t in enumerate(targets):
            dec_out[:len(t) + 1, b] = torch.tensor(t + [END])
        state = self.encode(src, torch.tensor([len(s) for s in sources]))
        y, _ = self.decoder.rnn(pack_padded_sequence(self.decoder.embedding(dec_in),
                                                     torch.tensor([len(t) + 1 for t in targets]),
                                                     enforce_sorted=False), state)
        y, _ = pad_packed_sequence(y, total_length=dec_in.shape[0])
        logits = self.decoder.head(y)
        return nn.functional.cross_entropy(logits.reshape(-1, 6), dec_out.reshape(-1), ignore_index=-100), src

    def step(self, token, state):
        """log p(next token) after feeding the decoder one token."""
        y, state = self.decoder.rnn(self.decoder.embedding(torch.tensor([[token]])), state)
        return self.decoder.head(y[0, 0]).log_softmax(-1), state


def greedy(model, source):
    """Argmax at every step until the end token, or MAX_LENGTH tokens. Returns (tokens, smallest margin
    between the argmax and the runner-up)."""
    with torch.no_grad():
        state = model.encode(torch.tensor(source).reshape(-1, 1), torch.tensor([len(source)]))
        token, out, margin = BEGIN, [], float("inf")
        while len(out) < MAX_LENGTH:
            logp, state = model.step(token, state)
            top = logp.topk(2).values
            margin = min(margin, (top[0] - top[1]).item())
            token = int(logp.argmax())
            if token == END:
                break
            out.append(token)
        return out, margin


def beam(model, source, width):
    """Seq2Seq.translateBeam's documented algorithm over PyTorch's log-probabilities: every one-token extension
    of the live prefixes (end included) competes, the best `width` survive, those ending in END are finished;
    prefixes of MAX_LENGTH tokens may only add END; stop when no live prefix beats the best finished one.
    Returns (tokens without END, log-probability with END, smallest margin of any comparison made)."""
    with torch.no_grad():
        live = [([], 0.0, model.encode(torch.tensor(source).reshape(-1, 1), torch.tensor([len(source)])))]
        best, margin = None, float("inf")
        while live:
            candidates = []
            for tokens, score, state in live:
                logp, next_state = model.step(tokens[-1] if tokens else BEGIN, state)
                for token in range(logp.numel()):
                    if len(tokens) < MAX_LENGTH or token == END:
                        candidates.append((tokens + [token], score + logp[token].item(), next_state))
            candidates.sort(key=lambda c: -c[1])
            if len(candidates) > width:
                margin = min(margin, candidates[width - 1][1] - candidates[width][1])
            survivors = []
            for c in candidates[:width]:
                if c[0][-1] == END:
                    if best is not None:
                        margin = min(margin, abs(c[1] - best[1]))
                    if best is None or c[1] > best[1]:
                        best = (c[0][:-1], c[1])
                else:
                    survivors.append(c)
            if best is not None:
                for c in survivors:
                    margin = min(margin, abs(c[1] - best[1]))
            live = [c for c in survivors if best is None or c[1] > best[1]]
        return best[0], best[1], margin


def teacher_forced_log_probability(model, source, target):
    with torch.no_grad():
        state = model.encode(torch.tensor(source).reshape(-1, 1), torch.tensor([len(source)]))
        total = 0.0
        for prev, nxt in zip([BEGIN] + target, target + [END]):
            logp, state = model.step(prev, state)
            total += logp[nxt].item()
        return total


def train_to_reverse(model):
    """Adam on "reverse the source, each token +1", so decodings are not all one token or all empty."""
    g = torch.Generator().manual_seed(5)
    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    for _ in range(150):
        sources = [torch.randint(1, 5, (int(torch.randint(1, 4, (1,), generator=g)),), generator=g).tolist()
                   for _ in range(8)]
        targets = [[t + 1 for t in reversed(s)] for s in sources]
        opt.zero_grad()
        model.loss(sources, targets, g)[0].backward()
        opt.step()


def pick_decoding_sources(model):
    """One source of each length 2, 3 and 4 over the trained ids 1..4 (0 is padding), in a fixed search order:
    the first whose decodings have no near tie and whose beam result differs from greedy, else the first with
    no near tie."""
    picked = []
    for n in (2, 3, 4):
        fallback = None
        for source in itertools.product(range(1, 5), repeat=n):
            source = list(source)
            g, g_margin = greedy(model, source)
            b, score, b_margin = beam(model, source, BEAM_WIDTH)
            if min(g_margin, b_margin) <= MIN_MARGIN:
                continue
            if b != g:
                fallback = (source, g, b, score)
                break
            fallback = fallback or (source, g, b, score)
        assert fallback, f"no well-separated decoding of a length-{n} source"
        picked.append(fallback)
    assert any(g != b for _, g, b, _ in picked), "beam search never differs from greedy decoding"
    return picked


def seq2seq_fixture():
    torch.manual_seed(31)
    model = Seq2Seq()
    train_to_reverse(model)
    model.zero_grad()
    sources = [[1, 2, 3, 4], [3], [4, 2]]
    targets = [[5, 4], [2, 3, 5, 4], [3]]
    g = torch.Generator().manual_seed(3)
    loss, src = model.loss(sources, targets, g)
    loss.backward()
    tensors = weights_and_grads(model)
    tgt = padded_ids(targets, 6, g)  # ours builds [begin, y...] and [y..., end] from these itself
    tensors.update({"batch.source": src, "batch.source_lengths": torch.tensor([len(s) for s in sources]),
                    "batch.target": tgt, "batch.target_lengths": torch.tensor([len(t) for t in targets]),
                    "expected.loss": loss.reshape(1)})
    for k, (source, greedy_tokens, beam_tokens, score) in enumerate(pick_decoding_sources(model)):
        # the beam's score is log p(tokens, END | source): check it as teacher forcing computes it
        assert abs(score - teacher_forced_log_probability(model, source, beam_tokens)) < 1e-12
        print(f"  decode {source}: greedy {greedy_tokens}, beam{BEAM_WIDTH} {beam_tokens} ({score:.6f})")
        tensors.update({f"decode{k}.source": torch.tensor(source), f"decode{k}.greedy": torch.tensor(greedy_tokens),
                        f"decode{k}.beam": torch.tensor(beam_tokens),
                        f"decode{k}.beam_score": torch.tensor([score])})
    write_safetensors(os.path.join(OUT, "model_seq2seq.safetensors"), tensors,
                      metadata("seq2seq: encoder embedding 5x3 + LSTM 3->4 2 layers; decoder embedding 6x3 +"
                               " LSTM 3->4 2 layers + head 4->6; begin 0, end 1; decodings: max length "
                               f"{MAX_LENGTH}, beam width {BEAM_WIDTH}"), dtype="F64")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    classifier_fixture()
    regressor_fixture()
    seq2seq_fixture()
