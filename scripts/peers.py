#!/usr/bin/env python3
"""The peers of `scripts/compare-peers`: one training run in numpy or PyTorch, printed as JSON.

numpy follows the course's algorithm as its notebooks write it (as ../shared/bench/numpy_baseline.py
does for the cat model): columns are examples, [LINEAR->ACT]*(L-1) -> LINEAR->SIGMOID (or SOFTMAX
for K classes), the cost summed per batch, backward through dA as L_model_backward (dA0 included),
random_mini_batches (seed 10, + 1 before each epoch, np.random.permutation) and the course's
update_parameters_with_adam. PyTorch trains the same network as nn.Sequential with BCELoss (or
CrossEntropyLoss) and torch.optim.SGD or Adam, on the same batches.

Both start from the parameters dnn draws by default (numpy's generator, seed 1: randn * 0.01 for
one hidden layer, randn / sqrt(n[l-1]) for more) and time the training loop alone.

  python3 scripts/peers.py --impl numpy --data tall.h5 --layers 784,128,64,1 --iterations 10 --dtype float64
"""
import argparse, json, time
import numpy as np


def load(path):
    """X (n×m, as the course: bytes / 255 for HDF5), Y (1×m class indices)."""
    if path.endswith(".h5"):
        import h5py
        with h5py.File(path, "r") as f:
            xk = next(k for k in f.keys() if k.endswith("_x"))
            x, y = np.array(f[xk]), np.array(f[xk[:-1] + "y"])
        return x.reshape(x.shape[0], -1).T / 255.0, y.reshape(1, -1)
    data = np.genfromtxt(path, delimiter=",", names=True)
    names = [n for n in data.dtype.names if n != "label"]
    return np.array([data[n] for n in names]), data["label"].reshape(1, -1)


def initial_parameters(dims):
    np.random.seed(1)
    p = {}
    for l in range(1, len(dims)):
        w = np.random.randn(dims[l], dims[l - 1])
        p["W%d" % l] = w * 0.01 if len(dims) == 3 else w / np.sqrt(dims[l - 1])
        p["b%d" % l] = np.zeros((dims[l], 1))
    return p


def batches(m, size, seed, in_order=False):
    """The course's random_mini_batches, as index lists; in order, as slices (views, no copies)."""
    if size is None:
        return [None]
    if in_order:
        return [slice(k, min(k + size, m)) for k in range(0, m, size)]
    np.random.seed(seed)
    permutation = list(np.random.permutation(m))
    return [permutation[k:k + size] for k in range(0, m, size)]


# numpy: the course's functions


def forward(X, p, L, softmax):
    A, caches = X, []
    for l in range(1, L + 1):
        Z = p["W%d" % l] @ A + p["b%d" % l]
        caches.append((A, Z))
        if l < L:
            A = np.maximum(0, Z)
        elif softmax:
            E = np.exp(Z - Z.max(axis=0, keepdims=True))
            A = E / E.sum(axis=0, keepdims=True)
        else:
            A = 1 / (1 + np.exp(-Z))
    return A, caches


def train_numpy(X, Y, dims, a):
    dt = np.dtype(a.dtype)
    X, Y = X.astype(dt), Y.astype(dt)
    p = {k: v.astype(dt) for k, v in initial_parameters(dims).items()}
    L, m, K = len(dims) - 1, X.shape[1], dims[-1]
    softmax = K > 1
    onehot = (np.arange(K).reshape(-1, 1) == Y).astype(dt) if softmax else Y
    lr = dt.type(a.lr)
    adam = a.optimizer == "adam"
    if adam:
        v = {k: np.zeros_like(w) for k, w in p.items()}
        s = {k: np.zeros_like(w) for k, w in p.items()}
        t, beta1, beta2, eps = 0, 0.9, 0.999, 1e-8
    costs, seed = [], 10
    start = time.perf_counter()
    for epoch in range(a.iterations):
        seed += 1
        total = 0.0
        for idx in batches(m, a.mini_batch_size, seed, a.in_order):
            Xb, Yb = (X, onehot) if idx is None else (X[:, idx], onehot[:, idx])
            mb = Xb.shape[1]
            AL, caches = forward(Xb, p, L, softmax)
            if softmax:
                total += float(-np.sum(Yb * np.log(AL)))
                dZ = AL - Yb
            else:
                total += float(-np.sum(Yb * np.log(AL) + (1 - Yb) * np.log(1 - AL)))
                dA = -(Yb / AL - (1 - Yb) / (1 - AL))
                dZ = dA * AL * (1 - AL)
            grads = {}
            for l in range(L, 0, -1):
                A_prev, Z = caches[l - 1]
                if l < L:
                    dZ = dA * (Z > 0)
                grads["W%d" % l] = dZ @ A_prev.T / mb
                grads["b%d" % l] = np.sum(dZ, axis=1, keepdims=True) / mb
                dA = p["W%d" % l].T @ dZ  # the course computes dA0 too
            if adam:
                t += 1
                for k in p:
                    v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
                    s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
                    v_hat, s_hat = v[k] / (1 - beta1 ** t), s[k] / (1 - beta2 ** t)
                    p[k] = p[k] - lr * v_hat / (np.sqrt(s_hat) + eps)
            else:
                for k in p:
                    p[k] = p[k] - lr * grads[k]
        costs.append([epoch, total / m])
    return time.perf_counter() - start, costs


# PyTorch: nn.Sequential on the same batches


def train_torch(X, Y, dims, a):
    import torch
    torch.set_num_threads(a.threads)
    dt = torch.float64 if a.dtype == "float64" else torch.float32
    L, K = len(dims) - 1, dims[-1]
    layers = []
    for l in range(1, L + 1):
        layers.append(torch.nn.Linear(dims[l - 1], dims[l]))
        if l < L:
            layers.append(torch.nn.ReLU())
    if K == 1:
        layers.append(torch.nn.Sigmoid())
    model = torch.nn.Sequential(*layers).to(dt)
    p = initial_parameters(dims)
    with torch.no_grad():
        linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
        for l, layer in enumerate(linears, start=1):
            layer.weight.copy_(torch.from_numpy(p["W%d" % l]))
            layer.bias.copy_(torch.from_numpy(p["b%d" % l].ravel()))
    Xt = torch.from_numpy(np.ascontiguousarray(X.T)).to(dt)  # examples as rows, PyTorch's layout
    if K == 1:
        Yt, loss_fn = torch.from_numpy(Y.T.copy()).to(dt), torch.nn.BCELoss(reduction="sum")
    else:
        Yt, loss_fn = torch.from_numpy(Y.ravel().astype(np.int64)), torch.nn.CrossEntropyLoss(reduction="sum")
    if a.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=a.lr)
    m, costs, seed = Xt.shape[0], [], 10
    start = time.perf_counter()
    for epoch in range(a.iterations):
        seed += 1
        total = 0.0
        for idx in batches(m, a.mini_batch_size, seed):
            if idx is None:
                Xb, Yb = Xt, Yt
            else:
                index = torch.tensor(idx)
                Xb, Yb = Xt.index_select(0, index), Yt.index_select(0, index)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xb), Yb)
            (loss / Xb.shape[0]).backward()
            opt.step()
            total += loss.item()
        costs.append([epoch, total / m])
    return time.perf_counter() - start, costs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", choices=["numpy", "torch"], required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--layers", required=True, help="layers_dims, e.g. 784,128,64,1")
    ap.add_argument("--iterations", type=int, required=True, help="iterations, or epochs with --mini-batch-size")
    ap.add_argument("--mini-batch-size", type=int)
    ap.add_argument("--optimizer", choices=["gd", "adam"], default="gd")
    ap.add_argument("--lr", type=float, default=0.0075)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--in-order", action="store_true",
                    help="numpy: mini-batches in order as slices of X, as a user writes the loop (no shuffle, no copies)")
    a = ap.parse_args()
    X, Y = load(a.data)
    dims = [int(s) for s in a.layers.split(",")]
    seconds, costs = (train_numpy if a.impl == "numpy" else train_torch)(X, Y, dims, a)
    print(json.dumps({"seconds": seconds, "costs": costs}))


if __name__ == "__main__":
    main()
