#!/usr/bin/env python3
"""Compares Tests/DNNTests/Reference/batchnorm-references.json (written by
make-batchnorm-references.py in numpy and decimal arithmetic) with PyTorch's BatchNorm1d, float64.

- Each unit case: BatchNorm1d(n, eps=ε, momentum=0.1) in training mode with weight γ and bias β on
  Zᵀ (m×n, requires_grad), backward with the gradient dYᵀ: out, dZ, dγ, dβ, and the running
  statistics after that one batch. PyTorch's momentum 0.1 is our 0.9 (running ← 0.9·running + 0.1·
  batch statistic), so its running mean is compared with 0.1·mean; PyTorch keeps the unbiased
  variance in its running variance, so that is compared with 0.9·1 + 0.1·variance·m/(m − 1).
- Every whole-network case without dropout and L2 (full-batch gradient descent, and mini-batches
  with Adam): nn.Linear (without bias for a bn layer), BatchNorm1d, the activation, and the head's
  loss (BCEWithLogits for sigmoid, cross_entropy for softmax, the summed squared error / (2·batch)
  for squared-error), from the case's initial parameters, on the same batches (np.random.seed(10 +
  epoch), np.random.permutation(m), as make-network-references.py's random_mini_batches), with
  torch.optim.SGD or torch.optim.Adam (β 0.9, 0.999, ε 1e-8). The cost of every pass (its batches'
  mean losses × batch size, summed, / m) and the final W, b, γ, β and running statistics. The
  running variance in our convention (biased σ²) is followed from PyTorch's own: after each batch,
  its batch variance is recovered from its running variance's update, (new − 0.9·old)/0.1, turned
  biased by ·(b − 1)/b, and averaged as ours is. The outputs on X in prediction form (with the
  running mean and that variance) and in training form are compared too.

Every difference is per array: max|a − b| / max|b| (b the JSON's value); the cost's is per pass,
|a − b|/|b|. Exits 1 if a unit case differs by more than 1e-12 or a network by more than 1e-10.

    python3 scripts/compare-batchnorm-torch.py
"""
import copy
import json
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

REFERENCE = pathlib.Path(__file__).resolve().parent.parent / "Tests/DNNTests/Reference/batchnorm-references.json"
UNIT_LIMIT = 1e-12
NETWORK_LIMIT = 1e-10


def relative(a, b):
    """max|a − b| / max|b| over one array (b the reference)."""
    a = a.detach().numpy() if isinstance(a, torch.Tensor) else np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), 1e-300))


def t(rows):
    return torch.tensor(np.asarray(rows, float))


def compare_unit(u):
    Z, dY = np.asarray(u["Z"]), np.asarray(u["dY"])
    n, m = Z.shape
    bn = torch.nn.BatchNorm1d(n, eps=u["epsilon"], momentum=0.1)
    bn.train()
    with torch.no_grad():
        bn.weight.copy_(t(u["gamma"]).reshape(-1))
        bn.bias.copy_(t(u["beta"]).reshape(-1))
    # Z (n×m) is the leaf and its transposed view Zᵀ (m×n, not contiguous) the input: ATen then
    # normalises elementwise, ((x − μ)·invstd)·γ + β, as the reference does. (A contiguous input
    # takes its vectorised kernel, which folds that into x·(γ·invstd) + (β − μ·γ·invstd): on
    # Z ≈ 1e4 with σ ≈ 0.01 the two products are ≈ 1e6 and their difference loses about six digits
    # of float64; that kernel's `out` is shown, for information, in the last column.)
    x = torch.tensor(Z, requires_grad=True)
    out = bn(x.T)
    out.backward(torch.tensor(dY.T.copy()))
    folded = torch.nn.BatchNorm1d(n, eps=u["epsilon"], momentum=0.1)
    with torch.no_grad():
        folded.weight.copy_(bn.weight)
        folded.bias.copy_(bn.bias)
        folded_out = folded.train()(torch.tensor(Z.T.copy()))
    mean, variance = np.asarray(u["mean"]), np.asarray(u["variance"])
    return {
        "out": relative(out.T, u["out"]),
        "dZ": relative(x.grad, u["dZ"]),
        "dGamma": relative(bn.weight.grad.reshape(-1, 1), u["dGamma"]),
        "dBeta": relative(bn.bias.grad.reshape(-1, 1), u["dBeta"]),
        "running mean": relative(bn.running_mean.reshape(-1, 1), 0.1 * mean),
        "running var": relative(bn.running_var.reshape(-1, 1), 0.9 + 0.1 * variance * m / (m - 1)),
    }, relative(folded_out.T, u["out"])


ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "identity": lambda x: x,
               "leaky-relu": lambda x: F.leaky_relu(x, 0.01)}


class Network(torch.nn.Module):
    def __init__(self, case):
        super().__init__()
        sizes, L = case["layerSizes"], len(case["layerSizes"]) - 1
        self.case = case
        self.linears = torch.nn.ModuleList()
        self.norms = torch.nn.ModuleDict()
        for l in range(L):
            bn = l < L - 1 and case["batchNorm"][l]
            layer = case["initial"][l]
            linear = torch.nn.Linear(sizes[l], sizes[l + 1], bias=not bn)
            with torch.no_grad():
                linear.weight.copy_(t(layer["W"]))
                if not bn:
                    linear.bias.copy_(t(layer["b"]).reshape(-1))
            self.linears.append(linear)
            if bn:
                assert not np.any(layer["b"])
                norm = torch.nn.BatchNorm1d(sizes[l + 1], eps=case["epsilon"], momentum=1 - case["momentum"])
                with torch.no_grad():
                    norm.weight.copy_(t(layer["gamma"]).reshape(-1))
                    norm.bias.copy_(t(layer["beta"]).reshape(-1))
                    assert np.all(np.asarray(layer["runningMean"]) == 0)
                    assert np.all(np.asarray(layer["runningVariance"]) == 1)
                self.norms[str(l)] = norm
        # Our convention's running variance (biased), followed from PyTorch's.
        self.biased_var = {k: torch.ones_like(v.running_var) for k, v in self.norms.items()}

    def forward(self, x, predict=False):
        L = len(self.linears)
        for l, linear in enumerate(self.linears):
            x = linear(x)
            if l == L - 1:
                return x
            norm = self.norms[str(l)] if str(l) in self.norms else None
            if norm is not None:
                if predict:
                    x = F.batch_norm(x, norm.running_mean, self.biased_var[str(l)], norm.weight, norm.bias,
                                     training=False, eps=norm.eps)
                else:
                    x = norm(x)
            x = ACTIVATIONS[self.case["activations"][l]](x)


def loss(case, z, y):
    """The head's mean loss over the batch: z is batch×K logits, y the JSON's rows' columns."""
    if case["head"] == "sigmoid":
        return F.binary_cross_entropy_with_logits(z, y)
    if case["head"] == "softmax":
        return F.cross_entropy(z, y.reshape(-1).long())
    if case["head"] == "squared-error":
        return F.mse_loss(z, y, reduction="sum") / (2 * z.shape[0])
    raise ValueError(case["head"])


def head(case, z):
    if case["head"] == "sigmoid":
        return torch.sigmoid(z)
    if case["head"] == "softmax":
        return torch.softmax(z, dim=1)
    return z


def compare_network(case):
    net = Network(case)
    X, Y = t(case["X"]).T.contiguous(), t(case["Y"]).T.contiguous()
    m = X.shape[0]
    if case["optimizer"] == "adam":
        optimizer = torch.optim.Adam(net.parameters(), lr=case["learningRate"], betas=(0.9, 0.999), eps=1e-8)
    else:
        assert case["optimizer"] == "gd"
        optimizer = torch.optim.SGD(net.parameters(), lr=case["learningRate"])
    size = case["miniBatchSize"] or m
    seed, costs = 10, []
    net.train()
    for _ in range(case["iterations"]):
        if case["miniBatchSize"]:
            seed += 1
            np.random.seed(seed)
            order = np.random.permutation(m)
        else:
            order = np.arange(m)
        total = 0.0
        for start in range(0, m, size):
            batch = torch.tensor(order[start:start + size])
            b = batch.numel()
            before = {k: v.running_var.clone() for k, v in net.norms.items()}
            optimizer.zero_grad()
            value = loss(case, net(X[batch]), Y[batch])
            value.backward()
            optimizer.step()
            total += value.item() * b
            with torch.no_grad():
                for k, norm in net.norms.items():
                    unbiased = (norm.running_var - (1 - norm.momentum) * before[k]) / norm.momentum
                    net.biased_var[k] = 0.9 * net.biased_var[k] + 0.1 * (unbiased * (b - 1) / b)
        costs.append(total / m)
    cost = max(abs(a - b) / abs(b) for a, b in zip(costs, case["costs"]))
    parameters, running = 0.0, 0.0
    for l, linear in enumerate(net.linears):
        final = case["final"][l]
        parameters = max(parameters, relative(linear.weight, final["W"]))
        if linear.bias is not None:
            parameters = max(parameters, relative(linear.bias.reshape(-1, 1), final["b"]))
        else:
            assert not np.any(final["b"])
        if str(l) in net.norms:
            norm = net.norms[str(l)]
            parameters = max(parameters, relative(norm.weight.reshape(-1, 1), final["gamma"]),
                             relative(norm.bias.reshape(-1, 1), final["beta"]))
            running = max(running, relative(norm.running_mean.reshape(-1, 1), final["runningMean"]),
                          relative(net.biased_var[str(l)].reshape(-1, 1), final["runningVariance"]))
    with torch.no_grad():
        predicted = head(case, net(X, predict=True)).T
        trained = head(case, copy.deepcopy(net).train()(X)).T
    outputs = max(relative(predicted, case["outputs"]), relative(trained, case["trainingOutputs"]))
    return {"cost": cost, "parameters": parameters, "running stats": running, "outputs": outputs}


def main():
    reference = json.loads(REFERENCE.read_text())
    failed = False
    print(f"PyTorch {torch.__version__}, float64; differences are max|a − b| / max|b| per array "
          "(the cost's per pass)")
    print("\nunit cases (limit 1e-12; PyTorch's running variance is unbiased: compared with "
          "0.9 + 0.1·σ²·m/(m − 1))")
    columns = ["out", "dZ", "dGamma", "dBeta", "running mean", "running var"]
    print(f"{'case':56}" + "".join(f"{c:>13}" for c in columns) + f"{'(folded out)':>14}")
    for u in reference["unit"]:
        result, folded = compare_unit(u)
        bad = max(result.values()) > UNIT_LIMIT
        failed |= bad
        print(f"{u['name']:56}" + "".join(f"{result[c]:13.2e}" for c in columns) + f"{folded:14.2e}"
              + ("  FAIL" if bad else ""))
    print("(folded out: a contiguous input, PyTorch's vectorised kernel y = x·(γ/s) + (β − μ·γ/s); "
          "for information, not held to the limit)")

    print("\nwhole networks without dropout or L2 (limit 1e-10; running variance followed in the biased "
          "convention)")
    columns = ["cost", "parameters", "running stats", "outputs"]
    print(f"{'case':90}{'passes':>7}" + "".join(f"{c:>14}" for c in columns))
    compared = 0
    for case in reference["cases"]:
        if case["keepProb"] < 1 or case["l2"] > 0:
            continue
        result = compare_network(case)
        compared += 1
        bad = max(result.values()) > NETWORK_LIMIT
        failed |= bad
        print(f"{case['name']:90}{case['iterations']:7d}" + "".join(f"{result[c]:14.2e}" for c in columns)
              + ("  FAIL" if bad else ""))
    assert compared >= 2
    print("\nFAILED: a difference exceeds its limit" if failed else "\nall within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
