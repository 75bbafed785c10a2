#!/usr/bin/python3
"""The MiniLLM of src/nn/model.hpp, in PyTorch, with the same parameter names.

    ids [B, T], pad [B, T] (True/1 = padding)
    x = embedding(ids) * sqrt(C) + PE[:T]            sinusoidal PE, interleaved sin/cos
    x = Dropout(x)
    x = TransformerEncoder(x, src_key_padding_mask=pad)
    pooled = mean of x over the real tokens           [B, C]
    logits = classifier(pooled)                       [B, K]

state_dict() names are exactly the C++ names (MiniLLM::named_parameters):
    embedding.weight, encoder.layers.N.self_attn.{in_proj_weight, in_proj_bias,
    out_proj.weight, out_proj.bias}, encoder.layers.N.{linear1, linear2, norm1,
    norm2}.{weight, bias}, encoder.norm.{weight, bias} (pre-LN only),
    classifier.{weight, bias}.
The positional table is a buffer registered with persistent=False, so it is
not in the state_dict (the C++ model does not save it either).

Used two ways:
  * imported by make_golden.py for the whole-model golden files;
  * from the command line, to run a checkpoint written by lesson 5:

      /usr/bin/python3 tests/reference/minillm.py out/lesson5/model.safetensors \\
          "the acting was not good" "a wonderful film"

    prints one line per sentence:  label  negative=0.91 neutral=0.06 positive=0.03

Needs only torch and numpy (the safetensors reader is below, json + struct).
"""
import json
import math
import struct
import sys

import numpy as np
import torch
from torch import nn

# ---------------------------------------------------------------------------
# Where lesson 5's checkpoint keeps its configuration: config field -> the
# "__metadata__" key that holds it (every value is a string). Adjust here if
# the saver names them differently.
METADATA_KEYS = {
    "vocab_size": "vocab_size",
    "d_model": "d_model",
    "num_heads": "num_heads",
    "d_ff": "d_ff",
    "num_layers": "num_layers",
    "num_classes": "num_classes",
    "max_len": "max_len",
    "activation": "activation",    # "relu" or "gelu"
    "pre_norm": "pre_norm",        # "true"/"false" (also 1/0, yes/no)
    "vocab": "vocab",              # tokens in id order joined by "\n"
    "classes": "classes",          # class names in label order joined by "\n"
}

PAD_ID, UNK_ID = 0, 1


# ---------------------------------------------------------------------------
# Positional encoding (src/nn/positional.cpp): angle computed in float64.
def sinusoidal_encoding(max_len, d_model):
    pe = np.zeros((max_len, d_model), dtype=np.float64)
    for pos in range(max_len):
        for j in range(d_model):
            two_i = j - j % 2
            angle = pos / math.pow(10000.0, two_i / d_model)
            pe[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return torch.from_numpy(pe.astype(np.float32))


class MiniLLM(nn.Module):
    def __init__(self, vocab_size, d_model=64, num_heads=4, d_ff=256, num_layers=2,
                 num_classes=3, max_len=32, dropout=0.0, activation="relu", pre_norm=False):
        super().__init__()
        self.d_model, self.max_len = d_model, max_len
        self.embedding = nn.Embedding(vocab_size, d_model)            # no padding_idx, as ours
        layer = nn.TransformerEncoderLayer(d_model, num_heads, dim_feedforward=d_ff, dropout=dropout,
                                           activation=activation, batch_first=True, norm_first=pre_norm)
        self.encoder = nn.TransformerEncoder(layer, num_layers,
                                             norm=nn.LayerNorm(d_model) if pre_norm else None,
                                             enable_nested_tensor=False)
        self.classifier = nn.Linear(d_model, num_classes)
        self.embed_dropout = nn.Dropout(dropout)
        self.register_buffer("positions", sinusoidal_encoding(max_len, d_model), persistent=False)

    def forward(self, ids, pad):
        """ids [B, T] int64, pad [B, T] bool (True = padding) -> logits [B, K]."""
        T = ids.shape[1]
        x = self.embedding(ids) * math.sqrt(self.d_model) + self.positions[:T]
        x = self.embed_dropout(x)
        x = self.encoder(x, src_key_padding_mask=pad)
        keep = (~pad).to(x.dtype)                                        # [B, T]
        count = keep.sum(dim=1, keepdim=True)                            # [B, 1]
        pooled = (x * keep.unsqueeze(-1)).sum(dim=1) / count.clamp(min=1)
        return self.classifier(pooled)


# ---------------------------------------------------------------------------
# safetensors, F32 only (the format is described in src/io/safetensors.hpp)
def load_safetensors(path):
    """-> (metadata dict of str, dict name -> float32 torch tensor)"""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor '{name}' has dtype {info['dtype']}, only F32 is supported")
        begin, end = info["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"]).copy()
        tensors[name] = torch.from_numpy(arr)
    return metadata, tensors


def save_safetensors(path, tensors, metadata=None):
    """tensors: dict name -> array-like (stored as F32, sorted by name); metadata: dict str -> str."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in sorted(metadata.items())}
    for name in sorted(tensors):
        t = tensors[name]
        if isinstance(t, torch.Tensor):
            t = t.detach().cpu().numpy()
        arr = np.array(t, dtype="<f4", order="C")                         # keeps 0-d ([]) shapes
        b = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)                             # data starts 8-aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


# ---------------------------------------------------------------------------
# Tokenizer (src/io/tokenizer.hpp): ASCII letters lowercased; bytes <= 0x20 and
# 0x7F separate; each ASCII punctuation byte is a token; runs of letters,
# digits and bytes >= 0x80 are words.
def tokenize(text):
    data = text.encode("utf-8")
    tokens, i, n = [], 0, len(data)

    def kind(c):
        if c <= 0x20 or c == 0x7F:
            return "sep"
        if c >= 0x80 or chr(c).isalnum():
            return "word"
        return "punct"

    while i < n:
        k = kind(data[i])
        if k == "sep":
            i += 1
        elif k == "punct":
            tokens.append(data[i:i + 1].decode("ascii"))
            i += 1
        else:
            j = i + 1
            while j < n and kind(data[j]) == "word":
                j += 1
            tokens.append(data[i:j].lower().decode("utf-8", errors="surrogateescape"))
            i = j
    return tokens


def make_batch(vocab, texts, max_len):
    """-> ids [B, T] int64, pad [B, T] bool, as llm::make_batch."""
    index = {tok: i for i, tok in enumerate(vocab)}
    rows = [[index.get(t, UNK_ID) for t in tokenize(s)][:max_len] for s in texts]
    for s, r in zip(texts, rows):
        if not r:
            raise ValueError(f"sentence {s!r} has no tokens")
    T = max(len(r) for r in rows)
    ids = torch.full((len(rows), T), PAD_ID, dtype=torch.long)
    pad = torch.ones((len(rows), T), dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.long)
        pad[b, :len(r)] = False
    return ids, pad


def _flag(s):
    return str(s).strip().lower() in ("1", "true", "yes", "on")


def load_checkpoint(path):
    """-> (model in eval mode, vocab list, class names list, max_len)"""
    meta, tensors = load_safetensors(path)
    k = METADATA_KEYS

    def need(field):
        if k[field] not in meta:
            raise KeyError(f"{path}: __metadata__ has no '{k[field]}' (config field {field}); "
                           f"keys present: {sorted(meta)}. Adjust METADATA_KEYS in {__file__}.")
        return meta[k[field]]

    vocab = need("vocab").rstrip("\n").split("\n")
    classes = need("classes").rstrip("\n").split("\n")
    cfg = dict(vocab_size=int(need("vocab_size")) if k["vocab_size"] in meta else len(vocab),
               d_model=int(need("d_model")), num_heads=int(need("num_heads")), d_ff=int(need("d_ff")),
               num_layers=int(need("num_layers")), num_classes=int(need("num_classes")),
               max_len=int(need("max_len")), activation=need("activation").strip().lower(),
               pre_norm=_flag(need("pre_norm")))
    model = MiniLLM(dropout=0.0, **cfg)
    model.load_state_dict(tensors, strict=True)                         # every name must match
    model.eval()
    return model, vocab, classes, cfg["max_len"]


def main(argv):
    digits = 3
    if len(argv) > 2 and argv[1].startswith("--digits="):           # more digits, to measure differences
        digits = int(argv[1].split("=", 1)[1])
        argv = argv[:1] + argv[2:]
    if len(argv) < 3:
        print(f"usage: {argv[0]} [--digits=N] CHECKPOINT.safetensors SENTENCE [SENTENCE ...]\n"
              "prints one line per sentence, as build/lesson5 --predict does: label  class=probability ...",
              file=sys.stderr)
        return 2
    model, vocab, classes, max_len = load_checkpoint(argv[1])
    sentences = argv[2:]
    ids, pad = make_batch(vocab, sentences, max_len)
    with torch.no_grad():
        probs = torch.softmax(model(ids, pad), dim=-1)
    width = max(len(c) for c in classes)
    for row in probs:
        best = int(row.argmax())
        print(classes[best].ljust(width + 2) + " ".join(f"{c}={float(p):.{digits}f}" for c, p in zip(classes, row)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
