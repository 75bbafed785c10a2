"""The goal's yardstick on our own split: Kim (2014)'s CNN with random word
vectors ("CNN-rand", 82.7% on SST-2's official test set in the paper), in
PyTorch, trained and early-stopped exactly on the files lesson 5 uses.

    build/realdata/split glue/SST-2/train.tsv 0.15 13 TRAIN.tsv HELDOUT.tsv
    build/realdata/split TRAIN.tsv 0.1 42 FIT.tsv VALID.tsv    # lesson 5's own validation split (seed 42)
    python3 tests/realdata/cnn_baseline.py FIT.tsv VALID.tsv HELDOUT.tsv SEED [EPOCHS]

The model and training are the paper's: 300-d word vectors drawn from
U(-0.25, 0.25) and trained; filter widths 3, 4, 5 with 100 maps each; ReLU;
max over time; dropout 0.5; a max-norm of 3 on each class's output weights;
Adadelta (rho 0.95); batches of 50; the epoch with the best validation
accuracy is the one reported. Words are split on spaces (SST-2 is already
tokenized); a word not in FIT.tsv is <unk>. One thread; deterministic per
seed on one machine. Prints one line per epoch and a RESULT line.
"""
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read(path):
    """(words, label) per line of a sentence<TAB>label TSV with a header; labels 0/1 or negative/positive."""
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            text, label = line.rstrip("\n").rsplit("\t", 1)
            rows.append((text.split(), 1 if label in ("1", "positive") else 0))
    return rows


class CNN(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, 300, padding_idx=0)
        nn.init.uniform_(self.emb.weight, -0.25, 0.25)
        with torch.no_grad():
            self.emb.weight[0].zero_()
        self.convs = nn.ModuleList([nn.Conv1d(300, 100, h) for h in (3, 4, 5)])
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(300, 2)

    def forward(self, ids):                                   # ids [B, T]
        x = self.emb(ids).transpose(1, 2)                     # [B, 300, T]
        h = torch.cat([F.relu(c(x)).max(dim=2).values for c in self.convs], 1)   # [B, 300]
        return self.fc(self.drop(h))                          # [B, 2]


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit("usage: cnn_baseline.py FIT.tsv VALID.tsv TEST.tsv SEED [EPOCHS (25)]")
    fit, valid, test = (read(p) for p in sys.argv[1:4])
    seed = int(sys.argv[4])
    epochs = int(sys.argv[5]) if len(sys.argv) == 6 else 25
    torch.set_num_threads(1)
    random.seed(seed)
    torch.manual_seed(seed)
    vocab = {"<pad>": 0, "<unk>": 1}
    for words, _ in fit:
        for w in words:
            vocab.setdefault(w, len(vocab))
    pad = 4                                                   # widest filter - 1, on each side

    def batch(rows):
        T = max(max(len(w) for w, _ in rows), 5) + 2 * pad
        ids = torch.zeros(len(rows), T, dtype=torch.long)
        for i, (words, _) in enumerate(rows):
            ids[i, pad:pad + len(words)] = torch.tensor([vocab.get(w, 1) for w in words])
        return ids, torch.tensor([y for _, y in rows])

    model = CNN(len(vocab))
    opt = torch.optim.Adadelta(model.parameters(), rho=0.95, eps=1e-6)

    def accuracy(rows):
        model.eval()
        right = 0
        with torch.no_grad():
            for i in range(0, len(rows), 500):
                ids, y = batch(rows[i:i + 500])
                right += (model(ids).argmax(1) == y).sum().item()
        model.train()
        return right / len(rows)

    best = (-1.0, 0.0, 0)                                     # validation, test, epoch
    for epoch in range(1, epochs + 1):
        start = time.time()
        random.shuffle(fit)
        for i in range(0, len(fit), 50):
            ids, y = batch(fit[i:i + 50])
            loss = F.cross_entropy(model(ids), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():                             # max-norm 3 on each class's weights
                norm = model.fc.weight.norm(dim=1, keepdim=True).clamp(min=3.0)
                model.fc.weight.mul_(3.0 / norm)
        v, t = accuracy(valid), accuracy(test)
        if v > best[0]:
            best = (v, t, epoch)
        print(f"epoch {epoch} valid {100 * v:.2f}% test {100 * t:.2f}% ({time.time() - start:.0f} s)", flush=True)
    print(f"RESULT cnn-rand seed {seed}: best validation {100 * best[0]:.2f}% at epoch {best[2]}, "
          f"test {100 * best[1]:.2f}%")


if __name__ == "__main__":
    main()
