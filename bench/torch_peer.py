"""PyTorch as a benchmark peer, driven by bench/torch.ts through stdin/stdout.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout, in order.
  {"kind": "gemm", "n": 512}                                        -> {"value": GFLOPS}
  {"kind": "train", "model": "mlp"|"cnn"|"rnn"|"seed", "x": path, "y": path, "shape": [N, ...],
   "batch": 64, "trials": 3, "epochs": 1}                          -> {"value": samples/s or s}
  {"kind": "predict", "model": "mlp", "x": path, "shape": [...], "batch": 32, "trials": 3}
                                                                    -> {"value": samples/s}
  {"kind": "rss"}                                                   -> {"value": peak RSS of this process, MiB}
  {"kind": "info"}                                                  -> {"value": "torch 1.13.1, 1 thread"}
A failure replies {"error": "..."}. x and y are raw little-endian float32 files written by the TS side, so
both libraries see the same inputs; images arrive NHWC (neurite's layout) and are moved to NCHW before
timing. PyTorch runs on ONE thread: torch.set_num_threads(1) bounds PyTorch's own pool but not the BLAS
library's (Debian's libopenblas0-pthread starts one thread per core and ignores it: 190 vs 97 GFLOPS at 1024
on a 2-core machine), so the BLAS/OpenMP thread variables are set to 1 before torch is imported. Timing mirrors the TS workloads: a warm-up,
then the median of `trials` timed runs.
"""
import json
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy/torch load their BLAS: see the docstring

import resource
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)


def load(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape))


def build(model, shape):
    """The TS workloads' models (bench/workloads/specs.ts), in PyTorch."""
    if model == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 1), nn.Sigmoid())
    if model == "cnn":
        side = shape[1]
        after = ((side - 2) // 2 - 2) // 2
        return nn.Sequential(
            nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * after * after, 1), nn.Sigmoid(),
        )
    if model == "rnn":
        return SimpleRnn(shape[2], 32)
    if model == "seed":
        return nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    raise ValueError(f"unknown model {model}")


class SimpleRnn(nn.Module):
    """Keras SimpleRNN(units) (tanh, last state) then Dense(1, sigmoid)."""

    def __init__(self, features, units):
        super().__init__()
        self.rnn = nn.RNN(features, units, batch_first=True)
        self.out = nn.Linear(units, 1)

    def forward(self, x):
        _, h = self.rnn(x)
        return torch.sigmoid(self.out(h[-1]))


def inputs(req):
    x = load(req["x"], req["shape"])
    if req["model"] == "cnn":
        x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW, outside the timing
    return x


def gemm(req):
    n = req["n"]
    a = torch.rand(n, n) * 2 - 1
    b = torch.rand(n, n) * 2 - 1
    reps = max(1, round(2e8 / (2 * n**3)))
    for _ in range(min(reps, 3)):
        torch.mm(a, b)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        times.append((time.perf_counter() - t) / reps)
    return 2 * n**3 / statistics.median(times) / 1e9


def train(req):
    x = inputs(req)
    y = load(req["y"], [req["shape"][0], 1])
    model = build(req["model"], req["shape"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.BCELoss()
    n, batch, epochs = x.shape[0], req["batch"], req.get("epochs", 1)
    seed = req["model"] == "seed"

    def fit():
        for _ in range(epochs):
            order = torch.randperm(n)
            for i in range(0, n, batch):
                idx = order[i : i + batch]
                xb, yb = x[idx], y[idx]
                opt.zero_grad()
                out = model(xb)
                loss = loss_fn(out, yb)
                loss.backward()
                opt.step()
                if seed:  # the seed example also reports accuracy, as its Keras/neurite fit does
                    ((out > 0.5).float() == yb).float().mean().item()

    fit()
    times = []
    for _ in range(req.get("trials", 3)):
        t = time.perf_counter()
        fit()
        times.append(time.perf_counter() - t)
    s = statistics.median(times)
    return s if seed else n / s


def predict(req):
    x = inputs(req)
    model = build(req["model"], req["shape"]).eval()
    batch = req["batch"]

    def run():
        with torch.no_grad():
            torch.cat([model(x[i : i + batch]) for i in range(0, x.shape[0], batch)])

    run()
    times = []
    for _ in range(req.get("trials", 3)):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return x.shape[0] / statistics.median(times)


HANDLERS = {
    "gemm": gemm,
    "train": train,
    "predict": predict,
    "rss": lambda req: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "info": lambda req: f"torch {torch.__version__}, {torch.get_num_threads()} thread, BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}",
}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            reply = {"value": HANDLERS[req["kind"]](req)}
        except Exception as e:  # reported to the TS side, which prints n/a for the row
            reply = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
