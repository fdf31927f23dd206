#!/usr/bin/env python3
"""Writes Tests/DNNTests/Reference/network-references.json: small networks trained in plain numpy.

Each case is full-batch gradient descent on a fully connected network in the course's column layout
(X is n0 x m, W[l] is n[l] x n[l-1], b[l] is n[l] x 1), with a choice of hidden activation (relu,
leaky-relu 0.01, tanh, sigmoid, identity, or one per layer) and head (binary sigmoid with
cross-entropy, or softmax with categorical cross-entropy). The file holds each case's data, initial
parameters, the cost before every update, the final parameters and the head's final output, so the
Swift tests can replay the training without a generator and compare every number.

Before writing, every case's backward pass is checked against centred finite differences of the
cost on the initial parameters (epsilon 1e-7, relative difference below 1e-7), so the reference is
proven independently of the Swift code. Each case has its own seeded RandomState, so running again
writes the same file.
"""
import json
import pathlib

import numpy as np

LEAK = 0.01
LEARNING_RATE = 0.1
ITERATIONS = 40
EPSILON = 1e-7
TOLERANCE = 1e-7

# name, seed, layer sizes, hidden activations (one name for all hidden layers, or one per layer),
# head, m
CASES = [
    ("softmax, relu hidden", 1, [4, 6, 5, 3], "relu", "softmax", 30),
    ("softmax, tanh hidden", 2, [5, 7, 4], "tanh", "softmax", 25),
    ("softmax, leaky-relu hidden", 3, [3, 8, 6, 5], "leaky-relu", "softmax", 20),
    ("softmax, sigmoid hidden", 4, [4, 5, 3], "sigmoid", "softmax", 24),
    ("softmax, identity hidden", 5, [4, 5, 3], "identity", "softmax", 24),
    ("sigmoid, tanh hidden", 6, [2, 4, 1], "tanh", "sigmoid", 40),
    ("sigmoid, leaky-relu hidden", 7, [3, 5, 4, 1], "leaky-relu", "sigmoid", 30),
    ("sigmoid, identity hidden", 8, [3, 4, 1], "identity", "sigmoid", 30),
    ("sigmoid, sigmoid hidden", 9, [3, 4, 1], "sigmoid", "sigmoid", 30),
    ("softmax, mixed hidden", 10, [4, 6, 5, 3], ["tanh", "relu"], "softmax", 30),
]


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def activate(name, Z):
    if name == "relu":
        return np.maximum(0, Z)
    if name == "leaky-relu":
        return np.where(Z > 0, Z, LEAK * Z)
    if name == "tanh":
        return np.tanh(Z)
    if name == "sigmoid":
        return sigmoid(Z)
    if name == "identity":
        return Z.copy()
    raise ValueError(name)


def derivative(name, Z, A):
    """g'(Z), given A = g(Z)."""
    if name == "relu":
        return (Z > 0).astype(float)
    if name == "leaky-relu":
        return np.where(Z > 0, 1.0, LEAK)
    if name == "tanh":
        return 1 - A ** 2
    if name == "sigmoid":
        return A * (1 - A)
    if name == "identity":
        return np.ones_like(Z)
    raise ValueError(name)


def head_output(head, Z):
    if head == "sigmoid":
        return sigmoid(Z)
    if head == "softmax":
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)
    raise ValueError(head)


def targets(case):
    """Y as the head compares it with AL: 1 x m of 0/1, or the K x m one-hot matrix."""
    Y, K = case["Y"], case["sizes"][-1]
    if case["head"] == "sigmoid":
        return Y.reshape(1, -1).astype(float)
    onehot = np.zeros((K, Y.size))
    onehot[Y, np.arange(Y.size)] = 1
    return onehot


def forward(case, params):
    """Returns (AL, caches) with caches[l] = (A[l-1], Z[l], A[l]) for l = 1..L (index l - 1)."""
    A, caches = case["X"], []
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = W @ A + b
        out = head_output(case["head"], Z) if l == L else activate(case["activations"][l - 1], Z)
        caches.append((A, Z, out))
        A = out
    return A, caches


def cost(case, AL):
    Y, m = case["Y"], case["Y"].size
    if case["head"] == "sigmoid":
        y = Y.reshape(1, -1)
        return float(-np.sum(y * np.log(AL) + (1 - y) * np.log(1 - AL)) / m)
    return float(-np.sum(np.log(AL[Y, np.arange(m)])) / m)


def backward(case, params, AL, caches):
    """Returns [(dW, db)] per layer."""
    m = case["Y"].size
    grads = [None] * len(params)
    dZ = AL - targets(case)  # the same for sigmoid with cross-entropy and softmax
    for l in range(len(params), 0, -1):
        A_prev, _, _ = caches[l - 1]
        W, _ = params[l - 1]
        grads[l - 1] = (dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m)
        if l > 1:
            dA_prev = W.T @ dZ
            _, Z_prev, A_prev_out = caches[l - 2]
            dZ = dA_prev * derivative(case["activations"][l - 2], Z_prev, A_prev_out)
    return grads


def flatten(pairs):
    return np.concatenate([x.ravel() for pair in pairs for x in pair])


def unflatten(vector, like):
    out, i = [], 0
    for W, b in like:
        Wn = vector[i:i + W.size].reshape(W.shape)
        i += W.size
        bn = vector[i:i + b.size].reshape(b.shape)
        i += b.size
        out.append((Wn, bn))
    return out


def gradient_check(case):
    """Relative difference between backprop and centred finite differences at the initial parameters."""
    params = case["initial"]
    AL, caches = forward(case, params)
    g = flatten(backward(case, params, AL, caches))
    theta = flatten(params)
    approx = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += EPSILON
        minus[i] -= EPSILON
        j_plus = cost(case, forward(case, unflatten(plus, params))[0])
        j_minus = cost(case, forward(case, unflatten(minus, params))[0])
        approx[i] = (j_plus - j_minus) / (2 * EPSILON)
    return float(np.linalg.norm(g - approx) / (np.linalg.norm(g) + np.linalg.norm(approx)))


def train(case):
    params = [(W.copy(), b.copy()) for W, b in case["initial"]]
    costs = []
    for _ in range(case["iterations"]):
        AL, caches = forward(case, params)
        costs.append(cost(case, AL))
        grads = backward(case, params, AL, caches)
        params = [(W - case["learningRate"] * dW, b - case["learningRate"] * db)
                  for (W, b), (dW, db) in zip(params, grads)]
    return costs, params


def make_case(name, seed, sizes, hidden, head, m):
    rng = np.random.RandomState(seed)
    L = len(sizes) - 1
    activations = [hidden] * (L - 1) if isinstance(hidden, str) else list(hidden)
    assert len(activations) == L - 1
    assert (head == "sigmoid" and sizes[-1] == 1) or (head == "softmax" and sizes[-1] >= 3)
    X = rng.randn(sizes[0], m)
    Y = rng.randint(0, 2 if head == "sigmoid" else sizes[-1], m)
    initial = [(rng.randn(sizes[l], sizes[l - 1]) / np.sqrt(sizes[l - 1]), rng.randn(sizes[l], 1) * 0.1)
               for l in range(1, L + 1)]
    return {"name": name, "sizes": sizes, "activations": activations, "head": head, "X": X, "Y": Y,
            "initial": initial, "learningRate": LEARNING_RATE, "iterations": ITERATIONS}


def rows(a):
    return [[float(x) for x in row] for row in a]


def layers(params):
    return [{"W": rows(W), "b": rows(b)} for W, b in params]


cases = [make_case(*spec) for spec in CASES]

checks = {}
for case in cases:
    checks[case["name"]] = gradient_check(case)
    assert checks[case["name"]] < TOLERANCE, (case["name"], checks[case["name"]])

out = []
print(f"{'case':30} {'first cost':>20} {'last cost':>20} {'gradient check':>15}")
for case in cases:
    costs, final = train(case)
    assert costs[-1] < costs[0], (case["name"], costs[0], costs[-1])
    probabilities, _ = forward(case, final)
    print(f"{case['name']:30} {costs[0]:20.17f} {costs[-1]:20.17f} {checks[case['name']]:15.3e}")
    out.append({
        "name": case["name"],
        "layerSizes": [int(n) for n in case["sizes"]],
        "activations": case["activations"],
        "head": case["head"],
        "learningRate": float(case["learningRate"]),
        "iterations": int(case["iterations"]),
        "X": rows(case["X"]),
        "Y": [int(y) for y in case["Y"]],
        "initial": layers(case["initial"]),
        "costs": [float(c) for c in costs],
        "final": layers(final),
        "probabilities": rows(probabilities),
    })

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/DNNTests/Reference/network-references.json"
path.write_text(json.dumps({"meta": {"numpy": np.__version__}, "cases": out}, indent=1) + "\n")
print(f"wrote {len(out)} cases to {path} ({path.stat().st_size} bytes)")
