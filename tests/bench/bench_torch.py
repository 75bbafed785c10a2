#!/usr/bin/python3
"""The PyTorch side of `make bench`: the same measurements as tests/bench/bench.cpp
(read its header for what is timed), printed as the same JSON lines on stdout.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tests/bench/bench_torch.py > torch.jsonl

Fair-comparison settings, all applied here:
  * one child process per thread count (1, 2), because the thread settings must
    be in the environment before torch is imported: OMP_NUM_THREADS and
    OPENBLAS_NUM_THREADS = n (torch.set_num_threads does not reach OpenBLAS's
    own pool), OMP_WAIT_POLICY=PASSIVE (no spinning OpenMP threads competing
    with the work on 2 cores), and torch.set_num_threads(n);
  * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (they can slow OpenBLAS);
  * GEMM is torch.mm, which Debian's torch sends to libblas.so.3 (check that
    `update-alternatives --display libblas.so.3-x86_64-linux-gnu` points at
    openblas-pthread, else the "OpenBLAS" column is the reference BLAS).

Two models, both our architecture (src/nn/model.hpp): embedding * sqrt(C) +
sinusoidal PE, dropout, post-LN encoder layers with the padding mask, masked
mean pooling, linear classifier; dropout 0.1 in training at the same places as
ours (embeddings, attention output, inside and after the feed-forward network,
not on the attention weights):
  impl "torch"       nn.TransformerEncoderLayer(batch_first=True) with
                     src_key_padding_mask (its evaluation forward may take
                     PyTorch's fused / nested-tensor fast path: that is its best)
  impl "torch_hand"  the same layer written out: one in_proj, matmuls, softmax

    bench_torch.py --export-onnx DIR   writes DIR/A.onnx and DIR/B.onnx: the torch_hand
                                       model in evaluation mode (opset 17), and next to
                                       each its batch (A.onnx.json), for ONNX Runtime
                                       (tests/bench/bench_ort.mjs)
"""
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time

CONFIGS = {   # name: model sizes, batch, seq_len, (train warm-up, reps), (forward warm-up, reps)
    "A": dict(V=1000, C=64, H=4, F=256, L=2, K=3, B=32, T=16, train=(30, 100), forward=(30, 200)),
    "B": dict(V=10000, C=512, H=8, F=2048, L=6, K=3, B=16, T=64, train=(1, 3), forward=(1, 5)),
}
GEMM_SIZES = [64, 128, 256, 512, 1024]


def emit(record):
    print(json.dumps(record), flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# The parent: one child per thread count, then one for the peak RSS.

def parent():
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    emit({"impl": "torch", "bench": "meta", "load": os.getloadavg()[0]})
    for n in (1, 2):
        child_env = dict(env, OMP_NUM_THREADS=str(n), OPENBLAS_NUM_THREADS=str(n), OMP_WAIT_POLICY="PASSIVE")
        subprocess.run([sys.executable, __file__, "--child", str(n)], env=child_env, check=True)
    child_env = dict(env, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", OMP_WAIT_POLICY="PASSIVE")
    subprocess.run([sys.executable, __file__, "--rss", "B"], env=child_env, check=True)
    # HOOK (lesson 5): time lesson 5's whole training in PyTorch here if wanted,
    # emitting {"impl": "torch", "bench": "lesson5", ...} (see bench.cpp's hook).
    emit({"impl": "torch", "bench": "meta_end", "load": os.getloadavg()[0]})


# ---------------------------------------------------------------------------
# The models (imported lazily: the parent must not load torch)

def build(cfg, hand, seed=1234):
    import torch
    from torch import nn
    import torch.nn.functional as F

    torch.manual_seed(seed)
    C, H, FF, p = cfg["C"], cfg["H"], cfg["F"], 0.1

    def sinusoidal(max_len, d_model):
        pe = torch.zeros(max_len, d_model, dtype=torch.float64)
        for pos in range(max_len):
            for j in range(d_model):
                angle = pos / math.pow(10000.0, (j - j % 2) / d_model)
                pe[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
        return pe.float()

    class HandLayer(nn.Module):
        """Post-LN encoder layer, attention written out (PyTorch's fastest here)."""

        def __init__(self):
            super().__init__()
            self.in_proj = nn.Linear(C, 3 * C)
            self.out_proj = nn.Linear(C, C)
            self.linear1, self.linear2 = nn.Linear(C, FF), nn.Linear(FF, C)
            self.norm1, self.norm2 = nn.LayerNorm(C), nn.LayerNorm(C)

        def forward(self, x, mask):                                         # mask [B, 1, 1, T]: -inf at pads
            B, T, _ = x.shape
            q, k, v = self.in_proj(x).view(B, T, 3, H, C // H).permute(2, 0, 3, 1, 4)   # 3 x [B, H, T, D]
            w = torch.softmax(q @ k.transpose(-2, -1) * (1.0 / math.sqrt(C // H)) + mask, dim=-1)
            a = (w @ v).transpose(1, 2).reshape(B, T, C)
            x = self.norm1(x + F.dropout(self.out_proj(a), p, self.training))
            h = F.dropout(F.relu(self.linear1(x)), p, self.training)
            return self.norm2(x + F.dropout(self.linear2(h), p, self.training))

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(cfg["V"], C)
            self.register_buffer("positions", sinusoidal(cfg["T"], C), persistent=False)
            if hand:
                self.layers = nn.ModuleList(HandLayer() for _ in range(cfg["L"]))
            else:
                layer = nn.TransformerEncoderLayer(C, H, dim_feedforward=FF, dropout=p, batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, cfg["L"])
                for l in self.encoder.layers:
                    l.self_attn.dropout = 0.0                                 # ours has no attention-weight dropout
            self.classifier = nn.Linear(C, cfg["K"])

        def forward(self, ids, pad):                                          # pad [B, T] bool, True = padding
            x = self.embedding(ids) * math.sqrt(C) + self.positions[: ids.shape[1]]
            x = F.dropout(x, p, self.training)
            if hand:
                mask = torch.zeros(pad.shape, dtype=x.dtype).masked_fill(pad, float("-inf"))[:, None, None, :]
                for layer in self.layers:
                    x = layer(x, mask)
            else:
                x = self.encoder(x, src_key_padding_mask=pad)
            keep = (~pad).to(x.dtype)
            pooled = (x * keep.unsqueeze(-1)).sum(dim=1) / keep.sum(dim=1, keepdim=True).clamp(min=1)
            return self.classifier(pooled)

    model = Model()
    gen = torch.Generator().manual_seed(99)                                   # the batch, as bench.cpp builds it
    B, T = cfg["B"], cfg["T"]
    lengths = torch.randint(T // 2, T + 1, (B,), generator=gen)
    pad = torch.arange(T)[None, :] >= lengths[:, None]
    ids = torch.randint(2, cfg["V"], (B, T), generator=gen).masked_fill(pad, 0)
    labels = torch.randint(0, cfg["K"], (B,), generator=gen)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def train_step():
        model.train()
        opt.zero_grad()
        loss = F.cross_entropy(model(ids, pad), labels)
        loss.backward()
        opt.step()

    def forward():
        model.eval()
        with torch.no_grad():
            model(ids, pad)

    def export_onnx(path):
        """The model in evaluation mode as ONNX (for ONNX Runtime, tests/bench/bench_ort.mjs),
        with the batch it is timed on next to it (path + '.json')."""
        model.eval()
        with torch.no_grad():
            torch.onnx.export(model, (ids, pad), path, input_names=["ids", "pad"], output_names=["logits"],
                              opset_version=17, do_constant_folding=True)
        with open(path + ".json", "w") as f:
            json.dump({"B": B, "T": T, "ids": ids.flatten().tolist(), "pad": pad.flatten().int().tolist()}, f)

    model.export_onnx = export_onnx
    return model, train_step, forward


def time_it(f, warmup, reps):
    for _ in range(warmup):
        f()
    ms = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ms.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(ms), min(ms)


# ---------------------------------------------------------------------------
# The children

def child(threads):
    import warnings
    import torch
    warnings.filterwarnings("ignore", message=".*nested tensors.*")   # the fast path's prototype notice
    torch.set_num_threads(threads)
    for n in GEMM_SIZES:
        a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
        c = torch.empty(n, n)
        flop = 2.0 * n ** 3
        reps = min(2000, max(5, int(2e9 / flop)))
        med, best = time_it(lambda: torch.mm(a, b, out=c), 3, reps)
        log(f"  torch.mm n={n:4d} threads={threads}: {flop / med / 1e6:7.1f} GFLOP/s")
        emit({"impl": "torch", "bench": "gemm", "n": n, "threads": threads, "median_ms": med, "min_ms": best,
              "gflops": flop / med / 1e6})
    for name, cfg in CONFIGS.items():
        tokens = cfg["B"] * cfg["T"]
        for hand in (False, True):
            impl = "torch_hand" if hand else "torch"
            model, train_step, forward = build(cfg, hand)
            params = sum(p.numel() for p in model.parameters())
            for what, f, (warmup, reps) in (("train", train_step, cfg["train"]), ("forward", forward, cfg["forward"])):
                med, best = time_it(f, warmup, reps)
                log(f"  {impl:10s} config {name} {what:7s} threads={threads}: {med:9.2f} ms ({tokens / med * 1e3:.0f} tokens/s)")
                emit({"impl": impl, "bench": what, "config": name, "threads": threads, "median_ms": med,
                      "min_ms": best, "tokens_per_s": tokens / med * 1e3, "params": params})


def rss(name):
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0    # after Python, before torch
    import torch
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    runtime = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    model, train_step, _ = build(CONFIGS[name], hand=False)
    for _ in range(2):
        train_step()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    log(f"  torch peak RSS config {name}: {peak:.0f} MB (python {base:.0f} MB, with torch loaded {runtime:.0f} MB)")
    emit({"impl": "torch", "bench": "rss", "config": name, "peak_mb": peak, "base_mb": runtime})


def export(folder):
    """Config A's and B's hand-written-attention model as ONNX: folder/A.onnx, folder/B.onnx."""
    import warnings
    warnings.filterwarnings("ignore")                                     # the exporter's notices
    os.makedirs(folder, exist_ok=True)
    for name, cfg in CONFIGS.items():
        model, _, _ = build(cfg, hand=True)
        model.export_onnx(os.path.join(folder, name + ".onnx"))
        log(f"  exported config {name} to {os.path.join(folder, name + '.onnx')}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--export-onnx":
        export(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--rss":
        rss(sys.argv[2])
    else:
        parent()
