#!/usr/bin/env python3
"""An independent reference for the meaning model (all-MiniLM-L6-v2): the same BERT
forward pass written out in numpy from the model card's recipe (tokenizer.json through
Hugging Face's `tokenizers`, mean pooling over the attention mask, L2 normalisation), so
Panelist's Rust embedding (candle's BERT and its own WordPiece tokenizer) can be checked
against something that shares no code with it.

    python3 -m venv /tmp/refenv && /tmp/refenv/bin/pip install numpy tokenizers safetensors
    /tmp/refenv/bin/python models/check-meaning-model.py models/all-MiniLM-L6-v2

Prints, for each sentence, its token ids and the first embedding values, and for each
pair the cosine similarity. `crates/meaning/tests/meaning.rs` holds these figures and
checks the Rust model against them. Not run in CI (it needs numpy).
"""

import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "Overfitting is when the model memorises the noise in its training data.",
    "The model learns the training examples by heart, including their random errors, and fails on new data.",
    "noise, overfitting, model, training, data",
    "A stack is last in, first out; a queue is first in, first out.",
    "I like to cook pasta on Sundays with my family.",
    "Café naïve résumé — déjà vu!",
]
PAIRS = [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (3, 4)]


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def embed(t, ids):
    n = len(ids)
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n] \
        + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"]).astype(np.float64)
    heads, dim = 12, 32
    for i in range(6):
        p = f"encoder.layer.{i}."
        lin = lambda name, v: v @ t[p + name + ".weight"].T.astype(np.float64) + t[p + name + ".bias"]
        q = lin("attention.self.query", x).reshape(n, heads, dim).transpose(1, 0, 2)
        k = lin("attention.self.key", x).reshape(n, heads, dim).transpose(1, 0, 2)
        v = lin("attention.self.value", x).reshape(n, heads, dim).transpose(1, 0, 2)
        a = q @ k.transpose(0, 2, 1) / math.sqrt(dim)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        ctx = (a @ v).transpose(1, 0, 2).reshape(n, heads * dim)
        x = layer_norm(lin("attention.output.dense", ctx) + x,
                       t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        h = gelu(lin("intermediate.dense", x))
        x = layer_norm(lin("output.dense", h) + x, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    e = x.mean(0)
    return e / np.linalg.norm(e)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "models/all-MiniLM-L6-v2"
    t = load_file(f"{folder}/model.safetensors")
    tok = Tokenizer.from_file(f"{folder}/tokenizer.json")
    tok.no_padding()
    tok.no_truncation()
    vecs = []
    for s in SENTENCES:
        ids = tok.encode(s).ids
        e = embed(t, ids)
        vecs.append(e)
        print(f"{s!r}: ids {ids}")
        print("  first values", " ".join(f"{v:.6f}" for v in e[:4]))
    for i, j in PAIRS:
        print(f"cosine {i} {j}: {float(vecs[i] @ vecs[j]):.6f}")


if __name__ == "__main__":
    main()
