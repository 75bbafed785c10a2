#!/usr/bin/python3
"""Golden files: PyTorch's numbers for every op and module of src/, checked
number for number by tests/test_reference.cpp (as llm.c's test_gpt2.c).

Rerun (only needed when a case changes; the files are committed):

    /usr/bin/python3 tests/reference/make_golden.py

Needs torch (Debian's python3-torch 1.13 is what made the committed files)
and numpy. Writes data/golden/*.safetensors with its own tiny writer
(minillm.save_safetensors: F32 only, tensors sorted by name, compact JSON,
__metadata__ of strings). Integer ids, labels and masks are stored as F32
(exact for small integers). Everything is deterministic: fixed seeds, one
thread, per-file seeds, inputs drawn in float64 and rounded once to float32. The same torch
version rewrites the same bytes.

Layout of a file. Each file holds one or more cases; tensor names are
"<case>/<role>/<name>":
    input/x       an input (a leaf; its gradient is wanted when a grad/x exists)
    param/w       a parameter, under its torch state_dict name
    output/y      a forward output
    dout/y        the upstream gradient given to output y (random); the
                  backward is torch.autograd.backward(outputs, douts), i.e. of
                  L = sum_y sum(y * dout/y)
    grad/x        dL/dx for every input and parameter that takes a gradient
Scalars and configuration go in __metadata__ as "<case>/<key>" strings.
Masks follow our convention: 1 = blocked / padding.

Files (small shapes: B 2, T 5, C 8, H 2, F 16; about 150 KB in all):
    linear       x [2,3,4], W [5,4], b [5]
    softmax      plain; causal mask; padding mask; all_blocked (a row whose
                 every entry is blocked: ours gives zeros and zero gradient,
                 torch would give NaN, so torch runs on the other rows only)
    log_softmax  including a row of large logits
    cross_entropy
    layer_norm   eps 1e-5, affine; small_var: rows of variance ~ eps and << eps
    gelu         exact erf form (torch's default)
    relu         including exact zeros (gradient 0 there, as torch)
    sdpa         plain (T 5, S 6); causal; padding
    mha          torch.nn.MultiheadAttention(8, 2, batch_first=True, bias=True),
                 per-head weights (average_attn_weights=False): nomask; kpm
                 (key_padding_mask); causal (attn_mask)
    positional   sinusoidal PE (float64 angles), 16x8, 50x12 and 9x7
    encoder      nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
                 in train mode (no fast path), with src_key_padding_mask:
                 post_relu, post_gelu, pre_relu, pre_gelu; post_relu_nomask
    minillm      minillm.MiniLLM, 2 layers, cross-entropy loss: post (relu),
                 pre (gelu, final encoder.norm)
    adamw        torch.optim.AdamW(lr 1e-3, betas (0.9, 0.999), eps 1e-8,
                 weight_decay 0.01): params after 1 and 3 steps with given grads
    clip         torch.nn.utils.clip_grad_norm_: below (max_norm < norm),
                 above (max_norm > norm): grads after and the returned norm
    train        10 steps of a small MiniLLM (post-LN, relu, dropout off) on one
                 fixed batch; each step: zero_grad, cross-entropy, backward,
                 clip_grad_norm_(max_norm 0.8) (norms 1.23 -> 0.56: steps 1-5
                 clip, 6-10 do not), AdamW(lr 3e-3, wd 0.01).step(); stores
                 the 10 losses, the 10 grad norms and the final params
"""
import math
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.stateless import functional_call

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import minillm  # noqa: E402

OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "data", "golden"))

torch.set_num_threads(1)
torch.manual_seed(0)
GEN = torch.Generator().manual_seed(1234)


def randn(*shape, scale=1.0, offset=0.0):
    """float64 draw, rounded once to float32."""
    return (torch.randn(tuple(shape), dtype=torch.float64, generator=GEN) * scale + offset).float()


def uniform(*shape, lo=-1.0, hi=1.0):
    return (torch.rand(tuple(shape), dtype=torch.float64, generator=GEN) * (hi - lo) + lo).float()


def perturb(module, scale=0.1):
    """Move every parameter off torch's init (zero biases, unit LayerNorm gains)
    so that each one matters in the comparison."""
    with torch.no_grad():
        for _, p in sorted(module.named_parameters()):
            p.add_(randn(*p.shape, scale=scale))


def causal(T):
    return torch.triu(torch.ones(T, T), diagonal=1)              # 1 above the diagonal = blocked


class Golden:
    """One output file: cases of inputs, params, outputs, douts and grads."""

    def __init__(self, name, description):
        self.name = name
        self.tensors = {}
        self.meta = {"description": description, "generator": "tests/reference/make_golden.py",
                     "torch": torch.__version__}

    def put(self, key, t):
        assert key not in self.tensors, key
        t = t.detach().to(torch.float32).clone() if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=torch.float32)
        assert torch.isfinite(t).all(), key
        self.tensors[key] = t

    def run(self, case, fn, inputs=None, params=None, consts=None, douts=None, meta=None):
        """fn(**inputs, **params, **consts) -> dict of outputs. inputs/params:
        dicts of leaf tensors (gradients wanted); consts: dict of stored inputs
        without gradients (masks, ids); douts: names of the outputs that get a
        random upstream gradient (default: all), or a dict name -> tensor."""
        inputs, params, consts = inputs or {}, params or {}, consts or {}
        leaves = {}
        for k, v in list(inputs.items()) + list(params.items()):
            leaves[k] = v.detach().clone().requires_grad_(True)
        outs = fn(**leaves, **consts)
        if douts is None:
            douts = list(outs)
        if not isinstance(douts, dict):
            douts = {k: randn(*outs[k].shape) for k in douts}
        torch.autograd.backward([outs[k] for k in douts], [douts[k] for k in douts])
        for k in inputs:
            self.put(f"{case}/input/{k}", inputs[k])
        for k in params:
            self.put(f"{case}/param/{k}", params[k])
        for k, v in consts.items():
            self.put(f"{case}/input/{k}", v)
        for k, v in outs.items():
            self.put(f"{case}/output/{k}", v)
        for k, v in douts.items():
            self.put(f"{case}/dout/{k}", v)
        for k, v in leaves.items():
            self.put(f"{case}/grad/{k}", v.grad if v.grad is not None else torch.zeros_like(v))
        for k, v in (meta or {}).items():
            self.meta[f"{case}/{k}"] = str(v)

    def save(self):
        path = os.path.join(OUT_DIR, self.name + ".safetensors")
        minillm.save_safetensors(path, self.tensors, self.meta)
        return path, os.path.getsize(path)


def masked_softmax(x, blocked):
    return x.masked_fill(blocked.bool(), float("-inf")).softmax(-1)


# ---------------------------------------------------------------------------
def gen_linear():
    g = Golden("linear", "x W^T + b, torch.nn.functional.linear")
    g.run("linear", lambda x, W, b: {"out": F.linear(x, W, b)},
          inputs={"x": randn(2, 3, 4)}, params={"W": randn(5, 4, scale=0.5), "b": randn(5)})
    return g


def gen_softmax():
    g = Golden("softmax", "softmax over the last dim; masks 1 = blocked, torch: masked_fill(-inf)")
    g.run("plain", lambda x: {"out": x.softmax(-1)}, inputs={"x": randn(2, 3, 5, scale=2.0)})
    g.run("causal", lambda x, mask: {"out": masked_softmax(x, mask)},
          inputs={"x": randn(2, 5, 5, scale=2.0)}, consts={"mask": causal(5)})
    pad = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 1]], dtype=torch.float32)   # [B, S]
    g.run("padding", lambda x, pad: {"out": masked_softmax(x, pad.view(2, 1, 1, 5))},
          inputs={"x": randn(2, 2, 4, 5, scale=2.0)}, consts={"pad": pad},
          meta={"note": "mask = padding_mask_for_scores(pad) [B,1,1,S]"})

    mask = torch.tensor([[0, 1, 0, 0], [1, 1, 1, 1], [0, 0, 1, 1]], dtype=torch.float32)

    def all_blocked(x, mask):                                    # torch on the rows that have a key
        ok = (mask == 0).any(-1)
        out = torch.zeros_like(x)
        out[ok] = masked_softmax(x[ok], mask[ok])
        return {"out": out}
    g.run("all_blocked", all_blocked, inputs={"x": randn(3, 4, scale=2.0)}, consts={"mask": mask},
          meta={"note": "row 1 is fully blocked: expected zeros and zero gradient (ours), torch gives NaN"})
    return g


def gen_log_softmax():
    g = Golden("log_softmax", "log_softmax over the last dim")
    x = randn(2, 3, 5, scale=2.0)
    x[1, 2] += 50.0                                              # large logits: max-subtraction matters
    g.run("log_softmax", lambda x: {"out": x.log_softmax(-1)}, inputs={"x": x})
    return g


def gen_cross_entropy():
    g = Golden("cross_entropy", "mean cross-entropy, torch.nn.functional.cross_entropy")
    labels = torch.tensor([2, 0, 1, 2, 1], dtype=torch.float32)
    g.run("cross_entropy", lambda logits, labels: {"loss": F.cross_entropy(logits, labels.long())},
          inputs={"logits": randn(5, 3, scale=2.0)}, consts={"labels": labels})
    return g


def gen_layer_norm():
    g = Golden("layer_norm", "torch.nn.functional.layer_norm over the last dim, eps 1e-5, affine")
    g.run("layer_norm", lambda x, weight, bias: {"out": F.layer_norm(x, (8,), weight, bias, eps=1e-5)},
          inputs={"x": randn(2, 3, 8, scale=1.5, offset=0.5)},
          params={"weight": randn(8, scale=0.3, offset=1.0), "bias": randn(8, scale=0.3)}, meta={"eps": "1e-05"})
    # rows of variance ~1e-5: here eps is as large as the variance, so where
    # it enters the formula (sqrt(var + eps), not sqrt(var) + eps) shows
    x = randn(2, 3, 8, scale=0.003)                             # mean ~0: no cancellation in x - mean
    x[1, 2] = randn(8, scale=0.0003)                             # variance ~1e-7 << eps
    g.run("small_var", lambda x, weight, bias: {"out": F.layer_norm(x, (8,), weight, bias, eps=1e-5)},
          inputs={"x": x}, params={"weight": randn(8, scale=0.3, offset=1.0), "bias": randn(8, scale=0.3)},
          meta={"eps": "1e-05"})
    return g


def gen_gelu():
    g = Golden("gelu", "torch.nn.functional.gelu, exact erf form (approximate='none')")
    x = uniform(4, 16, lo=-6.0, hi=6.0)
    x[0, :3] = torch.tensor([0.0, 1.0, -1.0])
    g.run("gelu", lambda x: {"out": F.gelu(x)}, inputs={"x": x})
    return g


def gen_relu():
    g = Golden("relu", "torch.relu; the gradient at exactly 0 is 0")
    x = randn(3, 7)
    x[0, 0] = 0.0
    x[2, 4] = 0.0
    g.run("relu", lambda x: {"out": torch.relu(x)}, inputs={"x": x})
    return g


def sdpa(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    weights = scores.softmax(-1) if mask is None else masked_softmax(scores, mask)
    return {"out": weights @ v, "weights": weights, "scores": scores}


def gen_sdpa():
    g = Golden("sdpa", "softmax(Q K^T / sqrt(D), mask) V; all three outputs get an upstream gradient")
    g.run("plain", lambda q, k, v: sdpa(q, k, v),
          inputs={"q": randn(2, 2, 5, 4), "k": randn(2, 2, 6, 4), "v": randn(2, 2, 6, 3)})
    g.run("causal", lambda q, k, v, mask: sdpa(q, k, v, mask),
          inputs={"q": randn(2, 2, 5, 4), "k": randn(2, 2, 5, 4), "v": randn(2, 2, 5, 4)},
          consts={"mask": causal(5)})
    pad = torch.tensor([[0, 0, 1, 1, 1], [0, 0, 0, 0, 1]], dtype=torch.float32)
    g.run("padding", lambda q, k, v, pad: sdpa(q, k, v, pad.view(2, 1, 1, 5)),
          inputs={"q": randn(2, 2, 5, 4), "k": randn(2, 2, 5, 4), "v": randn(2, 2, 5, 4)},
          consts={"pad": pad}, meta={"note": "mask = padding_mask_for_scores(pad) [B,1,1,S]"})
    return g


def gen_mha():
    g = Golden("mha", "torch.nn.MultiheadAttention(8, 2, batch_first=True, bias=True), need_weights=True, "
                      "average_attn_weights=False; out and per-head weights [B,H,T,S] get upstream gradients")
    B, T, C, H = 2, 5, 8, 2
    m = nn.MultiheadAttention(C, H, batch_first=True, bias=True)
    perturb(m)
    m.train()                                                    # no inference fast path
    params = {k: v.detach().clone() for k, v in m.state_dict().items()}

    def f(x, pad=None, mask=None, **p):
        out, w = functional_call(m, p, (x, x, x), {
            "key_padding_mask": pad.bool() if pad is not None else None,
            "attn_mask": mask.bool() if mask is not None else None,
            "need_weights": True, "average_attn_weights": False})
        return {"out": out, "weights": w}

    pad = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]], dtype=torch.float32)
    for case, consts in (("nomask", {}), ("kpm", {"pad": pad}), ("causal", {"mask": causal(T)})):
        g.run(case, f, inputs={"x": randn(B, T, C)}, params=params, consts=consts,
              meta={"d_model": C, "num_heads": H})
    return g


def gen_positional():
    g = Golden("positional", "sinusoidal PE, interleaved: PE[p,2i] = sin(p / 10000^(2i/C)), PE[p,2i+1] = cos(...), "
                             "angles in float64 (numpy), stored as float32")
    for L, C in ((16, 8), (50, 12), (9, 7)):
        pe = np.zeros((L, C), dtype=np.float64)
        pos = np.arange(L, dtype=np.float64)[:, None]
        two_i = (np.arange(C) - np.arange(C) % 2).astype(np.float64)[None, :]
        angle = pos / np.power(10000.0, two_i / C)
        pe[:, 0::2] = np.sin(angle[:, 0::2])
        pe[:, 1::2] = np.cos(angle[:, 1::2])
        g.put(f"L{L}_C{C}/output/pe", torch.from_numpy(pe))
        g.meta[f"L{L}_C{C}/max_len"], g.meta[f"L{L}_C{C}/d_model"] = str(L), str(C)
        assert torch.equal(torch.from_numpy(pe).float(), minillm.sinusoidal_encoding(L, C))
    return g


def gen_encoder():
    g = Golden("encoder", "torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), train mode, "
                          "src_key_padding_mask (True = padding)")
    B, T, C, H, Fd = 2, 5, 8, 2, 16
    pad = torch.tensor([[0, 0, 0, 0, 1], [0, 0, 1, 1, 1]], dtype=torch.float32)
    variants = (("post_relu", "relu", False, True), ("post_gelu", "gelu", False, True),
                ("pre_relu", "relu", True, True), ("pre_gelu", "gelu", True, True),
                ("post_relu_nomask", "relu", False, False))
    for case, act, pre, masked in variants:
        layer = nn.TransformerEncoderLayer(C, H, dim_feedforward=Fd, dropout=0.0, activation=act,
                                           batch_first=True, norm_first=pre)
        perturb(layer)
        layer.train()                                            # the slow path, as ours
        params = {k: v.detach().clone() for k, v in layer.state_dict().items()}

        def f(x, pad=None, **p):                                 # the module, with the leaves as parameters
            out = functional_call(
                layer, p, (x,), {"src_key_padding_mask": pad.bool() if pad is not None else None})
            return {"out": out}
        g.run(case, f, inputs={"x": randn(B, T, C)}, params=params, consts={"pad": pad} if masked else {},
              meta={"d_model": C, "num_heads": H, "d_ff": Fd, "activation": act,
                    "pre_norm": "true" if pre else "false", "masked": "true" if masked else "false"})
    return g


MODEL_CFG = dict(vocab_size=16, d_model=8, num_heads=2, d_ff=16, num_layers=2, num_classes=3, max_len=8)


def model_meta(cfg):
    return {k: (("true" if v else "false") if isinstance(v, bool) else v) for k, v in cfg.items()}


def gen_minillm():
    g = Golden("minillm", "tests/reference/minillm.py MiniLLM (dropout off), cross-entropy loss, loss.backward()")
    B, T = 3, 6
    lengths = [6, 4, 2]
    for case, act, pre in (("post", "relu", False), ("pre", "gelu", True)):
        cfg = dict(MODEL_CFG, activation=act, pre_norm=pre)
        model = minillm.MiniLLM(dropout=0.0, **cfg)
        perturb(model)
        model.train()
        params = {k: v.detach().clone() for k, v in model.state_dict().items()}
        ids = torch.randint(2, cfg["vocab_size"], (B, T), generator=GEN)
        ids[0, 3] = 1                                             # an <unk>
        pad = torch.zeros(B, T)
        for b, n in enumerate(lengths):
            ids[b, n:] = 0
            pad[b, n:] = 1
        labels = torch.tensor([0, 2, 1])

        def f(ids, pad, labels, **p):
            logits = functional_call(model, p, (ids.long(), pad.bool()))
            return {"logits": logits, "loss": F.cross_entropy(logits, labels.long())}
        g.run(case, f, params=params, consts={"ids": ids.float(), "pad": pad, "labels": labels.float()},
              douts={"loss": torch.tensor(1.0)}, meta=model_meta(cfg))
    return g


def gen_adamw():
    g = Golden("adamw", "torch.optim.AdamW(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)")
    params = {"p0": randn(4, 5), "p1": randn(5, scale=0.1)}
    grads = [{"p0": randn(4, 5, scale=s), "p1": randn(5, scale=s * 0.01)} for s in (1.0, 0.5, 2.0)]
    grads[0]["p0"][1, 2] = 0.0                                   # a zero gradient
    grads[1]["p1"][3] = 0.0
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    opt = torch.optim.AdamW(list(leaves.values()), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    for k, v in params.items():
        g.put(f"adamw/param/{k}", v)
    for step, gr in enumerate(grads, start=1):
        for k in leaves:
            leaves[k].grad = gr[k].clone()
            g.put(f"adamw/grad_step{step}/{k}", gr[k])
        opt.step()
        if step in (1, 3):
            for k in leaves:
                g.put(f"adamw/after_step{step}/{k}", leaves[k])
    g.meta.update({"adamw/lr": "0.001", "adamw/beta1": "0.9", "adamw/beta2": "0.999", "adamw/eps": "1e-08",
                   "adamw/weight_decay": "0.01"})
    return g


def gen_clip():
    g = Golden("clip", "torch.nn.utils.clip_grad_norm_(params, max_norm), L2; returns the norm before clipping")
    grads = {"g0": randn(3, 4), "g1": randn(6, scale=2.0), "g2": randn(2, 2, 2, scale=0.5)}
    norm = math.sqrt(sum(float((v.double() ** 2).sum()) for v in grads.values()))
    for case, factor in (("below", 0.5), ("above", 2.0)):
        max_norm = float(np.float32(norm * factor))              # the float32 the C++ side is given
        ps = {k: torch.zeros_like(v, requires_grad=True) for k, v in grads.items()}
        for k in ps:
            ps[k].grad = grads[k].clone()
        total = torch.nn.utils.clip_grad_norm_(list(ps.values()), max_norm)
        for k in ps:
            g.put(f"{case}/grad_before/{k}", grads[k])
            g.put(f"{case}/grad_after/{k}", ps[k].grad)
        g.put(f"{case}/input/max_norm", torch.tensor(max_norm))
        g.put(f"{case}/output/norm", total)
    return g


TRAIN = dict(steps=10, lr=3e-3, max_norm=0.8, B=4, T=6)


def gen_train():
    g = Golden("train", "10 training steps of minillm.MiniLLM (post-LN, relu, dropout off) on one fixed batch: "
                        "zero_grad, cross-entropy, backward, clip_grad_norm_(max_norm 0.8), AdamW(lr 3e-3, "
                        "betas (0.9, 0.999), eps 1e-8, weight_decay 0.01).step()")
    cfg = dict(MODEL_CFG, activation="relu", pre_norm=False)
    model = minillm.MiniLLM(dropout=0.0, **cfg)
    perturb(model)
    model.train()
    B, T = TRAIN["B"], TRAIN["T"]
    ids = torch.randint(2, cfg["vocab_size"], (B, T), generator=GEN)
    pad = torch.zeros(B, T)
    for b, n in enumerate([6, 5, 3, 4]):
        ids[b, n:] = 0
        pad[b, n:] = 1
    labels = torch.tensor([0, 1, 2, 1])
    for k, v in model.state_dict().items():
        g.put(f"train/param/{k}", v)
    g.put("train/input/ids", ids.float())
    g.put("train/input/pad", pad)
    g.put("train/input/labels", labels.float())
    opt = torch.optim.AdamW(model.parameters(), lr=TRAIN["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    losses, norms = [], []
    for _ in range(TRAIN["steps"]):
        opt.zero_grad()
        loss = F.cross_entropy(model(ids, pad.bool()), labels)
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), TRAIN["max_norm"])))
        opt.step()
        losses.append(float(loss))
    g.put("train/output/losses", torch.tensor(losses))
    g.put("train/output/grad_norms", torch.tensor(norms))
    for k, v in model.state_dict().items():
        g.put(f"train/final/{k}", v)
    g.meta.update({f"train/{k}": str(v) for k, v in model_meta(cfg).items()})
    g.meta.update({"train/steps": "10", "train/lr": "0.003", "train/max_norm": "0.8", "train/beta1": "0.9",
                   "train/beta2": "0.999", "train/eps": "1e-08", "train/weight_decay": "0.01",
                   "train/clipping": "clip_grad_norm_(max_norm 0.8) after backward, before each step"})
    print("train: losses", " ".join(f"{x:.4f}" for x in losses), "| grad norms", " ".join(f"{x:.2f}" for x in norms))
    return g


def check_cli_path():
    """minillm.py's eval path (no_grad, eval mode) agrees with the train-mode forward used above."""
    model = minillm.MiniLLM(dropout=0.0, **dict(MODEL_CFG, activation="relu", pre_norm=False))
    perturb(model)
    ids = torch.tensor([[3, 4, 5, 0], [6, 7, 0, 0]])
    pad = ids == 0
    model.train()
    a = model(ids, pad).detach()
    model.eval()
    with torch.no_grad():
        b = model(ids, pad)
    assert torch.allclose(a, b, atol=1e-5), (a, b)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for gen in (gen_linear, gen_softmax, gen_log_softmax, gen_cross_entropy, gen_layer_norm, gen_gelu, gen_relu,
                gen_sdpa, gen_mha, gen_positional, gen_encoder, gen_minillm, gen_adamw, gen_clip, gen_train):
        seed = zlib.crc32(gen.__name__.encode())                 # each file its own streams: adding a
        torch.manual_seed(seed)                                  # case never changes the other files
        GEN.manual_seed(seed)
        path, size = gen().save()
        total += size
        print(f"wrote {os.path.relpath(path)} ({size} bytes)")
    check_cli_path()
    print(f"total {total} bytes in {os.path.relpath(OUT_DIR)}")


if __name__ == "__main__":
    main()
