#!/usr/bin/env python3
"""Writes Tests/DNNTests/Reference/network-references.json and task-references.json: small networks
trained in plain numpy.

Each case is full-batch gradient descent on a fully connected network in the course's column layout
(X is n0 x m, W[l] is n[l] x n[l-1], b[l] is n[l] x 1), with a choice of hidden activation (relu,
leaky-relu 0.01, tanh, sigmoid, identity, or one per layer) and head (binary sigmoid with
cross-entropy, or softmax with categorical cross-entropy). The file holds each case's data, initial
parameters, the cost before every update, the final parameters and the head's final output, so the
Swift tests can replay the training without a generator and compare every number.

task-references.json holds the other tasks' losses, each with every hidden activation: the identity
and the squared error (regression, one target and three), J = (1/(2m))·Σ (A − Y)², and independent
sigmoid units with binary cross-entropy summed over three labels (multi-label). Each is trained
three ways: full-batch gradient descent; full batches with L2 and dropout; and epochs of mini-batches
with Adam, L2 and dropout; and a few with RMSprop on mini-batches. The engine's conventions are followed exactly: mini-batches are the
course's `random_mini_batches` (seed 10 + epoch, numpy's permutation), dropout masks come from one
RandomState seeded once, drawn per batch and hidden layer as rand(units, batch) < keep_prob, L2's
gradient term is (λ/batch)·W, a full-batch cost includes λ/(2m)·Σ‖W‖² and an epoch's cost is its
batches' summed losses / m.

Before writing, every case's backward pass is checked against centred finite differences of the
cost on the initial parameters (epsilon 1e-7, relative difference below 1e-7; with L2 in the cost and
the first pass's dropout masks held fixed), so the reference is proven independently of the Swift code. Each case has its own seeded RandomState, so running again
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
    if head in ("sigmoid", "multilabel"):
        return sigmoid(Z)
    if head == "softmax":
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)
    if head == "squared-error":
        return Z.copy()
    raise ValueError(head)


def targets(case, Y):
    """Y as the head compares it with AL: 1 x m of 0/1, the K x m one-hot matrix, or Y itself (k x m
    values or L x m indicators)."""
    if case["head"] == "sigmoid":
        return Y.reshape(1, -1).astype(float)
    if case["head"] == "softmax":
        K = case["sizes"][-1]
        onehot = np.zeros((K, Y.size))
        onehot[Y, np.arange(Y.size)] = 1
        return onehot
    return Y


def forward(case, params, X=None, masks=None):
    """Returns (AL, caches) with caches[l] = (A[l-1], Z[l], g(Z[l])) for l = 1..L (index l - 1); with
    dropout `masks` (one per hidden layer), the next layer takes A[l] = g(Z[l]) * D[l] / keep_prob."""
    A, caches = (case["X"] if X is None else X), []
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = W @ A + b
        out = head_output(case["head"], Z) if l == L else activate(case["activations"][l - 1], Z)
        # The cache keeps g(Z) for the derivative; the next layer takes it after dropout.
        caches.append((A, Z, out))
        A = out * masks[l - 1] / case["keepProb"] if masks is not None and l < L else out
    return A, caches


def loss_sum(case, AL, Y, w=None):
    """The loss summed over the examples (not divided by m), each example's times its weight w."""
    w = np.ones(AL.shape[1]) if w is None else w
    if case["head"] == "squared-error":
        return float(np.sum(w * (AL - Y) ** 2) / 2)
    if case["head"] == "softmax":
        return float(-np.sum(w * np.log(AL[Y, np.arange(Y.size)])))
    y = targets(case, Y)
    return float(-np.sum(w * (y * np.log(AL) + (1 - y) * np.log(1 - AL))))


def cost(case, AL, Y=None, params=None):
    """J = loss summed / m, plus λ/(2m)·Σ‖W‖² when `params` are given and the case has L2."""
    Y = case["Y"] if Y is None else Y
    m = Y.shape[-1]
    if case["head"] in ("sigmoid", "softmax") and params is None:
        # The first cases' formulas, unchanged (their file is regenerated bit for bit).
        if case["head"] == "sigmoid":
            y = Y.reshape(1, -1)
            return float(-np.sum(y * np.log(AL) + (1 - y) * np.log(1 - AL)) / m)
        return float(-np.sum(np.log(AL[Y, np.arange(m)])) / m)
    J = loss_sum(case, AL, Y) / m
    if params is not None and case.get("l2", 0) > 0:
        J += case["l2"] / (2 * m) * sum(float(np.sum(W ** 2)) for W, _ in params)
    return J


def backward(case, params, AL, caches, Y=None, masks=None, w=None):
    """Returns [(dW, db)] per layer, with L2's (λ/m)·W in dW when the case has L2 and dropout's masks
    on dA of the hidden layers when `masks` are given. With weights w, dZ's columns are weighted and
    m is their sum (the weighted mean's gradient)."""
    Y = case["Y"] if Y is None else Y
    m = Y.shape[-1] if w is None else float(np.sum(w))
    l2 = case.get("l2", 0)
    grads = [None] * len(params)
    dZ = AL - targets(case, Y)  # the same for every head's loss through its output
    if w is not None:
        dZ = dZ * w
    for l in range(len(params), 0, -1):
        A_prev, _, _ = caches[l - 1]
        W, _ = params[l - 1]
        dW = dZ @ A_prev.T / m
        if l2 > 0:
            dW = dW + l2 / m * W
        grads[l - 1] = (dW, dZ.sum(axis=1, keepdims=True) / m)
        if l > 1:
            dA_prev = W.T @ dZ
            if masks is not None:
                dA_prev = dA_prev * masks[l - 2] / case["keepProb"]
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


def draw_masks(case, source, count):
    """One mask per hidden layer, in layer order: rand(units, count) < keep_prob."""
    return [source.rand(n, count) < case["keepProb"] for n in case["sizes"][1:-1]]


def gradient_check(case):
    """Relative difference between backprop and centred finite differences at the initial parameters
    (with L2 in the cost, and dropout masks drawn once and held fixed)."""
    params = case["initial"]
    masks = None
    if case.get("keepProb", 1) < 1:
        masks = draw_masks(case, np.random.RandomState(99), case["Y"].shape[-1])
    penalty = params if case.get("l2", 0) > 0 else None

    def J(p):
        return cost(case, forward(case, p, masks=masks)[0], params=p if penalty is not None else None)

    AL, caches = forward(case, params, masks=masks)
    g = flatten(backward(case, params, AL, caches, masks=masks))
    theta = flatten(params)
    approx = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += EPSILON
        minus[i] -= EPSILON
        approx[i] = (J(unflatten(plus, params)) - J(unflatten(minus, params))) / (2 * EPSILON)
    return float(np.linalg.norm(g - approx) / (np.linalg.norm(g) + np.linalg.norm(approx)))


def train(case):
    """The first cases: full-batch gradient descent, the cost before every update."""
    params = [(W.copy(), b.copy()) for W, b in case["initial"]]
    costs = []
    for _ in range(case["iterations"]):
        AL, caches = forward(case, params)
        costs.append(cost(case, AL))
        grads = backward(case, params, AL, caches)
        params = [(W - case["learningRate"] * dW, b - case["learningRate"] * db)
                  for (W, b), (dW, db) in zip(params, grads)]
    return costs, params


def adam_step(params, grads, state, t, rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """The course's update_parameters_with_adam on every W and b; `state` holds (v, s) per parameter."""
    out = []
    for index, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        moved = []
        for k, (x, g) in enumerate(((W, dW), (b, db))):
            v, sq = state[2 * index + k]
            v = beta1 * v + (1 - beta1) * g
            sq = beta2 * sq + (1 - beta2) * g ** 2
            state[2 * index + k] = (v, sq)
            moved.append(x - rate * (v / (1 - beta1 ** t)) / (np.sqrt(sq / (1 - beta2 ** t)) + eps))
        out.append(tuple(moved))
    return out


def rmsprop_step(params, grads, state, rate, beta=0.9, eps=1e-8):
    """s = β·s + (1 − β)·g², x −= α·g/(√s + ε) on every W and b; `state` holds (unused, s)."""
    out = []
    for index, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        moved = []
        for k, (x, g) in enumerate(((W, dW), (b, db))):
            v, sq = state[2 * index + k]
            sq = beta * sq + (1 - beta) * g ** 2
            state[2 * index + k] = (v, sq)
            moved.append(x - rate * g / (np.sqrt(sq) + eps))
        out.append(tuple(moved))
    return out


def train_task(case):
    """A task case as the engine trains it: full batches or epochs of mini-batches, gradient descent
    or Adam, with L2 and dropout as the case sets them. Returns the cost of every pass and the final
    parameters."""
    params = [(W.copy(), b.copy()) for W, b in case["initial"]]
    X, Y, m = case["X"], case["Y"], case["X"].shape[1]
    weights = case.get("weights")
    size = case["miniBatchSize"] or m
    dropout = np.random.RandomState(case["dropoutSeed"]) if case["keepProb"] < 1 else None
    state = [(np.zeros_like(x), np.zeros_like(x)) for pair in params for x in pair]
    seed, t, costs = 10, 0, []
    for _ in range(case["iterations"]):
        if case["miniBatchSize"]:
            seed += 1
            np.random.seed(seed)
            order = np.random.permutation(m)
        else:
            order = np.arange(m)
        total = 0.0
        for start in range(0, m, size):
            batch = order[start:start + size]
            xb, yb = X[:, batch], Y[:, batch]
            wb = None if weights is None else weights[batch]
            masks = draw_masks(case, dropout, batch.size) if dropout is not None else None
            AL, caches = forward(case, params, xb, masks)
            total += loss_sum(case, AL, yb, wb)
            if not case["miniBatchSize"] and case["l2"] > 0:
                total += case["l2"] / 2 * sum(float(np.sum(W ** 2)) for W, _ in params)
            grads = backward(case, params, AL, caches, yb, masks, wb)
            t += 1
            if case["optimizer"] == "adam":
                params = adam_step(params, grads, state, t, case["learningRate"])
            elif case["optimizer"] == "rmsprop":
                params = rmsprop_step(params, grads, state, case["learningRate"])
            else:
                params = [(W - case["learningRate"] * dW, b - case["learningRate"] * db)
                          for (W, b), (dW, db) in zip(params, grads)]
        costs.append(total / (m if weights is None else float(np.sum(weights))))
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


def write(name, out):
    path = pathlib.Path(__file__).resolve().parent.parent / "Tests/DNNTests/Reference" / name
    path.write_text(json.dumps({"meta": {"numpy": np.__version__}, "cases": out}, indent=1) + "\n")
    print(f"wrote {len(out)} cases to {path} ({path.stat().st_size} bytes)")


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
write("network-references.json", out)

# The other tasks: (name, output units, the head as the model file names it).
TASK_HEADS = [
    ("regression", 1, "squared-error"),
    ("regression of 3 targets", 3, "squared-error"),
    ("multi-label of 3 labels", 3, "multilabel"),
]
# How each is trained: (name, mini-batch size, optimizer, learning rate, L2 λ, keep_prob, passes).
REGIMES = [
    ("full-batch gradient descent", None, "gd", 0.05, 0.0, 1.0, 30),
    ("full batches, L2 and dropout", None, "gd", 0.05, 0.3, 0.8, 30),
    ("mini-batches of 8, Adam, L2 and dropout", 8, "adam", 0.01, 0.2, 0.85, 6),
]
ACTIVATIONS = ["relu", "leaky-relu", "tanh", "sigmoid", "identity"]


def make_task_case(head_spec, regime, activation, seed):
    task, units, head = head_spec
    regime_name, batch, optimizer, rate, l2, keep, passes = regime
    rng = np.random.RandomState(seed)
    sizes, m = [4, 6, 5, units], 30
    X = rng.randn(sizes[0], m)
    if head == "squared-error":
        Y = 1.5 * rng.randn(units, m) + 0.5
    else:
        Y = rng.randint(0, 2, (units, m)).astype(float)
    initial = [(rng.randn(sizes[l], sizes[l - 1]) / np.sqrt(sizes[l - 1]), rng.randn(sizes[l], 1) * 0.1)
               for l in range(1, len(sizes))]
    return {"name": f"{task}, {activation} hidden, {regime_name}", "sizes": sizes,
            "activations": [activation] * (len(sizes) - 2), "head": head, "X": X, "Y": Y,
            "initial": initial, "learningRate": rate, "iterations": passes, "miniBatchSize": batch,
            "optimizer": optimizer, "l2": l2, "keepProb": keep, "dropoutSeed": 5}


# RMSprop (s = β·s + (1 − β)·dW², W −= α·dW/(√s + ε), β 0.9, ε 1e-8) on a few of them.
RMSPROP = ("mini-batches of 8, RMSprop", 8, "rmsprop", 0.005, 0.0, 1.0, 6)
task_cases = [make_task_case(h, r, a, 100 + 17 * i + 5 * j + k)
              for i, h in enumerate(TASK_HEADS) for j, r in enumerate(REGIMES) for k, a in enumerate(ACTIVATIONS)]
task_cases += [make_task_case(TASK_HEADS[i], RMSPROP, a, 300 + 7 * i + k)
               for i in (1, 2) for k, a in enumerate(("relu", "tanh"))]
# Weighted examples (weights 0…3, a few 0): the weighted mean loss Σ w·loss / Σ w and its gradient,
# full batches with L2 and mini-batches with Adam and L2.
for i, head in enumerate(TASK_HEADS):
    for j, regime in enumerate((REGIMES[1][:5] + (1.0, 30), REGIMES[2][:5] + (1.0, 6))):
        case = make_task_case(head, regime, "tanh", 400 + 10 * i + j)
        case["weights"] = np.floor(np.random.RandomState(500 + 10 * i + j).uniform(0, 4, case["X"].shape[1]))
        case["name"] = case["name"].replace(" and dropout", "") + ", weighted"
        task_cases.append(case)
out = []
print(f"{'case':70} {'first cost':>12} {'last cost':>12} {'gradient check':>15}")
for case in task_cases:
    check = gradient_check(case)
    assert check < TOLERANCE, (case["name"], check)
    costs, final = train_task(case)
    assert costs[-1] < costs[0], (case["name"], costs[0], costs[-1])
    outputs, _ = forward(case, final)
    print(f"{case['name']:70} {costs[0]:12.8f} {costs[-1]:12.8f} {check:15.3e}")
    out.append({
        "name": case["name"],
        "layerSizes": [int(n) for n in case["sizes"]],
        "activations": case["activations"],
        # The model file's loss: multi-label is sigmoid units.
        "head": "sigmoid" if case["head"] == "multilabel" else case["head"],
        "learningRate": float(case["learningRate"]),
        "iterations": int(case["iterations"]),
        "miniBatchSize": case["miniBatchSize"],
        "optimizer": case["optimizer"],
        "l2": float(case["l2"]),
        "keepProb": float(case["keepProb"]),
        "dropoutSeed": case["dropoutSeed"],
        "weights": [float(w) for w in case["weights"]] if case.get("weights") is not None else None,
        "X": rows(case["X"]),
        "Y": rows(case["Y"]),
        "initial": layers(case["initial"]),
        "costs": [float(c) for c in costs],
        "final": layers(final),
        "outputs": rows(outputs),
    })
write("task-references.json", out)
