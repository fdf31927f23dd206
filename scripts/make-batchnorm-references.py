#!/usr/bin/env python3
"""Writes Tests/DNNTests/Reference/batchnorm-references.json: batch normalisation, as the library
implements it, in plain numpy.

The conventions are make-network-references.py's (column layout, activations, heads and losses,
`random_mini_batches` with seed 10 + epoch, dropout masks from one RandomState drawn per batch and
hidden layer as rand(units, batch) < keep_prob, L2's gradient term (λ/batch)·W, a full-batch cost
with λ/(2m)·Σ‖W‖², an epoch's cost its batches' summed losses / m, Adam's step, the gradient check by
centred differences); its functions are reused (its definitions are loaded, not copied), and only
what batch normalisation changes is written here:

- a hidden layer l with batch normalisation: Z = W[l]·A[l−1] with no trained bias (b[l] stays all
  zeros, is never updated, and is written as zeros); over the batch's m columns μ = mean(Z, axis=1),
  σ² = mean((Z − μ)², axis=1) (biased), Ẑ = (Z − μ)/sqrt(σ² + ε), ε = 1e-5; Y = γ⊙Ẑ + β (γ, β n[l]×1,
  trained); A[l] = g(Y); then dropout on A[l] as usual. Layers without it are W·A + b. The output
  layer never has it.
- running averages, updated once per training batch (each mini-batch, or each full-batch iteration)
  from that batch's statistics: running_mean ← 0.9·running_mean + 0.1·μ, running_var ←
  0.9·running_var + 0.1·σ² (biased σ², Keras's momentum 0.9), from 0 and 1; the gradient check's
  evaluations do not update them.
- prediction (inference form): Ẑ = (Z − running_mean)/sqrt(running_var + ε).
- backward, with dY = ∂J/∂Y of the mean cost J: dγ = Σ_j dY⊙Ẑ, dβ = Σ_j dY, dZ = (γ/sqrt(σ² + ε))·
  (dY − mean_j(dY) − Ẑ·mean_j(dY⊙Ẑ)). γ and β are stepped by the same optimiser as W (gradient descent
  or Adam with the same t); L2 applies to W only.

Every case's backward pass is checked against centred finite differences of the cost on the initial
parameters (over W, the trained b, γ and β; batch statistics in training form; L2 in the cost; the
dropout masks drawn once from RandomState(99) and held fixed, as make-network-references.py does),
and every "unit" case of the single operation is computed in 60-digit decimal arithmetic (rounded
to float64 when written), checked by centred differences of sum(out ⊙ dY) in the same arithmetic,
and compared with the float64 functions that train the networks. Each case has its own seeded
RandomState, so running again writes the same file.

    python3 scripts/make-batchnorm-references.py
"""
import ast
import importlib.util
import json
import pathlib
from decimal import Decimal, localcontext

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
OUTPUT = HERE.parent / "Tests/DNNTests/Reference/batchnorm-references.json"
COMMAND = "python3 scripts/make-batchnorm-references.py"


def load_network_references():
    """make-network-references.py's imports, constants and functions, without its top-level run.

    The script has no `if __name__ == "__main__"` guard: executing it whole would train every one of
    its cases again and rewrite network-references.json and task-references.json. So the module is
    made by importlib from its file, and only its imports, function definitions and literal
    constants are executed in it."""
    path = HERE / "make-network-references.py"
    spec = importlib.util.spec_from_file_location("make_network_references", path)
    module = importlib.util.module_from_spec(spec)
    tree = ast.parse(path.read_text(), str(path))
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef)):
            kept.append(node)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            try:
                ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError):
                continue
            kept.append(node)
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(path), "exec"), module.__dict__)
    return module


nr = load_network_references()

BN_EPSILON = 1e-5
MOMENTUM = 0.9  # running ← 0.9·running + 0.1·batch statistic, both written as literals
GRADIENT_EPSILON = nr.EPSILON  # 1e-7
TOLERANCE = nr.TOLERANCE  # 1e-7


# ---------------------------------------------------------------------------------------------
# The single operation, float64 (what the networks use).

def bn_forward(Z, gamma, beta, eps=BN_EPSILON):
    """Training form: (Y, Ẑ, μ, σ²) with the batch's statistics (two passes, biased σ²)."""
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Zhat = (Z - mu) / np.sqrt(var + eps)
    return gamma * Zhat + beta, Zhat, mu, var


def bn_inference(Z, gamma, beta, running_mean, running_var, eps=BN_EPSILON):
    return gamma * ((Z - running_mean) / np.sqrt(running_var + eps)) + beta


def bn_backward(dY, Zhat, gamma, var, eps=BN_EPSILON):
    """(dZ, dγ, dβ) from dY = ∂J/∂Y."""
    dgamma = (dY * Zhat).sum(axis=1, keepdims=True)
    dbeta = dY.sum(axis=1, keepdims=True)
    dZ = gamma / np.sqrt(var + eps) * (
        dY - dY.mean(axis=1, keepdims=True) - Zhat * (dY * Zhat).mean(axis=1, keepdims=True))
    return dZ, dgamma, dbeta


# ---------------------------------------------------------------------------------------------
# The single operation in 60-digit decimal arithmetic: the unit cases' reference.

PRECISION = 60


def exact_bn(Z, gamma, beta, dY, eps=BN_EPSILON):
    """Lists of Decimal rows: out, mean, variance, dZ, dGamma, dBeta (each input float taken exactly,
    ε as the float64 1e-5)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        e = Decimal(eps)
        out, means, variances, dZs, dgammas, dbetas = [], [], [], [], [], []
        for z, g, b, dy in zip(Z, gamma, beta, dY):
            z = [Decimal(float(v)) for v in z]
            dy = [Decimal(float(v)) for v in dy]
            g, b = Decimal(float(g[0])), Decimal(float(b[0]))
            m = len(z)
            mu = sum(z) / m
            var = sum((v - mu) ** 2 for v in z) / m
            inv = 1 / (var + e).sqrt()
            zhat = [(v - mu) * inv for v in z]
            out.append([g * h + b for h in zhat])
            means.append([mu])
            variances.append([var])
            mean_dy = sum(dy) / m
            mean_dyz = sum(d * h for d, h in zip(dy, zhat)) / m
            dZs.append([g * inv * (d - mean_dy - h * mean_dyz) for d, h in zip(dy, zhat)])
            dgammas.append([sum(d * h for d, h in zip(dy, zhat))])
            dbetas.append([sum(dy)])
        return out, means, variances, dZs, dgammas, dbetas


def exact_objective(Z, gamma, beta, dY, eps=BN_EPSILON):
    """sum(out ⊙ dY) in decimal, Z, γ, β given as Decimal rows."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        e = Decimal(eps)
        total = Decimal(0)
        for z, g, b, dy in zip(Z, gamma, beta, dY):
            m = len(z)
            mu = sum(z) / m
            var = sum((v - mu) ** 2 for v in z) / m
            inv = 1 / (var + e).sqrt()
            total += sum(d * (g * (v - mu) * inv + b) for v, d in zip(z, dy))
        return total


def exact_gradient_check(Z, gamma, beta, dY, dZ, dgamma, dbeta):
    """Relative difference between (dZ, dγ, dβ) and centred differences of sum(out ⊙ dY), step 1e-7,
    every evaluation in 60 digits."""
    h = Decimal("1e-7")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        Zd = [[Decimal(float(v)) for v in row] for row in Z]
        gd = [Decimal(float(v[0])) for v in gamma]
        bd = [Decimal(float(v[0])) for v in beta]
        dYd = [[Decimal(float(v)) for v in row] for row in dY]
        approx, analytic = [], []

        def central(change):
            plus, minus = change(h), change(-h)
            return (exact_objective(*plus, dYd) - exact_objective(*minus, dYd)) / (2 * h)

        for i in range(len(Zd)):
            for j in range(len(Zd[i])):
                def change(step, i=i, j=j):
                    z = [row[:] for row in Zd]
                    z[i][j] += step
                    return z, gd, bd
                approx.append(central(change))
                analytic.append(dZ[i][j])
        for i in range(len(gd)):
            def change_gamma(step, i=i):
                g = gd[:]
                g[i] += step
                return Zd, g, bd

            def change_beta(step, i=i):
                b = bd[:]
                b[i] += step
                return Zd, gd, b
            approx.append(central(change_gamma))
            analytic.append(dgamma[i][0])
            approx.append(central(change_beta))
            analytic.append(dbeta[i][0])
        a = np.array([float(v) for v in approx])
        g = np.array([float(v) for v in analytic])
        return float(np.linalg.norm(g - a) / (np.linalg.norm(g) + np.linalg.norm(a)))


def relative(a, b):
    """max|a − b| / max|b| over one array (b the reference)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), 1e-300))


def make_unit(name, seed, n, m, kind=None):
    rng = np.random.RandomState(seed)
    Z = rng.randn(n, m) * 2 + 0.5
    gamma = 1 + 0.1 * rng.randn(n, 1)
    beta = 0.1 * rng.randn(n, 1)
    dY = rng.randn(n, m) / m
    if kind == "constant":
        Z[1, :] = 2.5  # σ² = 0: Ẑ = 0 on that row, out = β, dZ = (γ/√ε)·(dY − mean dY)
    elif kind == "two columns":
        # With m = 2, Ẑ = ±d/sqrt(d² + ε) for d half the difference, and dZ = ±(γ/sqrt(σ² + ε))·
        # (1 − Ẑ²)·(dY₁ − dY₂)/2: with an ordinary spread (d² ≫ ε) 1 − Ẑ² ≈ ε/d² is all
        # cancellation and any float64 evaluation of the formula keeps only ~1e-10 of dZ. A spread
        # near √ε keeps the case well conditioned, so it can be compared to 1e-12.
        Z = 0.003 * rng.randn(n, m)
    elif kind == "negative gamma":
        gamma[n - 1, 0] = -0.7
    elif kind == "cancellation":
        # Around 1e4 with a spread of ~0.01, on a grid of 2⁻³⁰ and m = 8, so the batch's sum and mean
        # are exact in float64 and Z − μ is exact (a two-pass variance is exact to rounding), while
        # E[Z²] − E[Z]² loses about four digits (Z² ≈ 1e8 is rounded to its ulp, 1.5e-8, against
        # σ² ≈ 1e-4).
        assert m == 8
        Z = 1e4 + np.round(rng.randn(n, m) * 0.01 * 2 ** 30) / 2 ** 30
    return {"name": name, "Z": Z, "gamma": gamma, "beta": beta, "dY": dY}


UNIT_CASES = [
    make_unit("m = 2, spread near sqrt(epsilon)", 900, 3, 2, "two columns"),
    make_unit("m = 7, one negative gamma", 901, 4, 7, "negative gamma"),
    make_unit("a row of constant Z (variance 0), m = 5", 902, 3, 5, "constant"),
    make_unit("Z around 1e4 with a small spread (cancellation), m = 8", 903, 2, 8, "cancellation"),
    make_unit("m = 16", 904, 5, 16),
]


def floats(rows_):
    return np.array([[float(v) for v in row] for row in rows_])


def unit_entry(u):
    out, mean, var, dZ, dgamma, dbeta = exact_bn(u["Z"], u["gamma"], u["beta"], u["dY"])
    check = exact_gradient_check(u["Z"], u["gamma"], u["beta"], u["dY"], dZ, dgamma, dbeta)
    assert check < TOLERANCE, (u["name"], check)
    exact = {"out": floats(out), "mean": floats(mean), "variance": floats(var), "dZ": floats(dZ),
             "dGamma": floats(dgamma), "dBeta": floats(dbeta)}
    # The float64 functions the networks train with, against the decimal reference.
    Y, Zhat, mu, v = bn_forward(u["Z"], u["gamma"], u["beta"])
    dZ64, dgamma64, dbeta64 = bn_backward(u["dY"], Zhat, u["gamma"], v)
    numpy64 = {"out": Y, "mean": mu, "variance": v, "dZ": dZ64, "dGamma": dgamma64, "dBeta": dbeta64}
    agreement = max(relative(numpy64[k], exact[k]) for k in exact)
    assert agreement < 1e-13, (u["name"], agreement)
    # What the one-pass variance would give (for the record: the cancellation case must show it).
    naive = (u["Z"] ** 2).mean(axis=1, keepdims=True) - u["Z"].mean(axis=1, keepdims=True) ** 2
    naive_error = relative(naive, exact["variance"]) if exact["variance"].any() else float("nan")
    entry = {"name": u["name"], "Z": nr.rows(u["Z"]), "gamma": nr.rows(u["gamma"]),
             "beta": nr.rows(u["beta"]), "epsilon": BN_EPSILON, "dY": nr.rows(u["dY"])}
    entry.update({k: nr.rows(exact[k]) for k in ("out", "mean", "variance", "dZ", "dGamma", "dBeta")})
    return entry, check, agreement, naive_error


# ---------------------------------------------------------------------------------------------
# Networks with batch-normalised hidden layers.

def forward(case, params, X, masks=None, running=None):
    """Returns (AL, caches, stats). Training form (batch statistics) when `running` is None, else the
    inference form with running[l] = (mean, var) for the bn layers. caches[l − 1] = (A[l−1], the
    activation's input (Y for bn layers, Z otherwise), Ẑ, σ², g(·)); stats[l − 1] = (μ, σ²) of the
    batch for the bn hidden layers, None otherwise."""
    A, caches, stats = X, [], []
    L = len(params)
    for l, p in enumerate(params, start=1):
        if l == L:
            Z = p["W"] @ A + p["b"]
            AL = nr.head_output(case["head"], Z)
            caches.append((A, Z, None, None, AL))
            return AL, caches, stats
        if case["batchNorm"][l - 1]:
            Z = p["W"] @ A
            if running is None:
                Yl, Zhat, mu, var = bn_forward(Z, p["gamma"], p["beta"])
                stats.append((mu, var))
            else:
                mean, var = running[l - 1]
                Yl, Zhat = bn_inference(Z, p["gamma"], p["beta"], mean, var), None
                stats.append(None)
        else:
            Yl, Zhat, var = p["W"] @ A + p["b"], None, None
            stats.append(None)
        out = nr.activate(case["activations"][l - 1], Yl)
        caches.append((A, Yl, Zhat, var, out))
        A = out * masks[l - 1] / case["keepProb"] if masks is not None else out


def backward(case, params, AL, caches, Y, masks=None):
    """Gradients of the mean cost (with L2's (λ/m)·W when the case has L2) per layer: {"W", "b"} and
    {"gamma", "beta"} for the bn layers (whose "b" gradient is zero: b is not trained)."""
    m = Y.shape[-1]
    l2 = case["l2"]
    L = len(params)
    grads = [dict() for _ in params]
    dZ = (AL - nr.targets(case, Y)) / m
    for l in range(L, 0, -1):
        A_prev = caches[l - 1][0]
        W = params[l - 1]["W"]
        grads[l - 1]["W"] = dZ @ A_prev.T + (l2 / m * W if l2 > 0 else 0)
        bn = l < L and case["batchNorm"][l - 1]
        grads[l - 1]["b"] = np.zeros_like(params[l - 1]["b"]) if bn else dZ.sum(axis=1, keepdims=True)
        if l > 1:
            dA = W.T @ dZ
            if masks is not None:
                dA = dA * masks[l - 2] / case["keepProb"]
            _, Y_prev, Zhat, var, out = caches[l - 2]
            dY = dA * nr.derivative(case["activations"][l - 2], Y_prev, out)
            if case["batchNorm"][l - 2]:
                dZ, dgamma, dbeta = bn_backward(dY, Zhat, params[l - 2]["gamma"], var)
                grads[l - 2]["gamma"], grads[l - 2]["beta"] = dgamma, dbeta
            else:
                dZ = dY
    return grads


def trained_keys(case):
    """(layer index, name) of every trained array: W, b (layers without bn), γ, β (bn layers)."""
    keys = []
    L = len(case["sizes"]) - 1
    for l in range(L):
        bn = l < L - 1 and case["batchNorm"][l]
        keys += [(l, "W")] + ([(l, "gamma"), (l, "beta")] if bn else [(l, "b")])
    return keys


def copy_params(params):
    return [{k: (None if v is None else v.copy()) for k, v in p.items()} for p in params]


def full_cost(case, params, X, Y, masks):
    AL = forward(case, params, X, masks)[0]
    m = Y.shape[-1]
    J = nr.loss_sum(case, AL, Y) / m
    if case["l2"] > 0:
        J += case["l2"] / (2 * m) * sum(float(np.sum(p["W"] ** 2)) for p in params)
    return J


def gradient_check(case):
    """Backprop against centred differences at the initial parameters, over the whole training set
    as one batch (training form), L2 in the cost, dropout masks from RandomState(99) held fixed."""
    params, X, Y = case["initial"], case["X"], case["Y"]
    masks = None
    if case["keepProb"] < 1:
        masks = nr.draw_masks(case, np.random.RandomState(99), Y.shape[-1])
    AL, caches, _ = forward(case, params, X, masks)
    grads = backward(case, params, AL, caches, Y, masks)
    keys = trained_keys(case)
    g = np.concatenate([grads[l][k].ravel() for l, k in keys])
    approx = []
    for l, k in keys:
        for index in np.ndindex(params[l][k].shape):
            plus, minus = copy_params(params), copy_params(params)
            plus[l][k][index] += GRADIENT_EPSILON
            minus[l][k][index] -= GRADIENT_EPSILON
            approx.append((full_cost(case, plus, X, Y, masks) - full_cost(case, minus, X, Y, masks))
                          / (2 * GRADIENT_EPSILON))
    approx = np.array(approx)
    return float(np.linalg.norm(g - approx) / (np.linalg.norm(g) + np.linalg.norm(approx)))


def initial_running(case):
    return [(np.zeros((n, 1)), np.ones((n, 1))) if bn else None
            for n, bn in zip(case["sizes"][1:-1], case["batchNorm"])]


def train(case):
    """The engine's training with batch normalisation. Returns the cost of every pass, the final
    parameters and the final running statistics."""
    params = copy_params(case["initial"])
    running = initial_running(case)
    X, Y, m = case["X"], case["Y"], case["X"].shape[1]
    size = case["miniBatchSize"] or m
    dropout = np.random.RandomState(case["dropoutSeed"]) if case["keepProb"] < 1 else None
    # The stepped arrays as make-network-references.py's optimisers take them, in pairs: (W, b) of
    # every layer, then (γ, β) of a bn layer; a bn layer's b has a zero gradient, so neither step
    # moves it (Adam's is 0/(0 + 1e-8)).
    pairs = []
    for l in range(len(params)):
        pairs.append(((l, "W"), (l, "b")))
        if l < len(params) - 1 and case["batchNorm"][l]:
            pairs.append(((l, "gamma"), (l, "beta")))
    state = [(np.zeros_like(params[l][k]), np.zeros_like(params[l][k])) for pair in pairs for l, k in pair]
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
            masks = nr.draw_masks(case, dropout, batch.size) if dropout is not None else None
            AL, caches, stats = forward(case, params, xb, masks)
            for l, s in enumerate(stats):
                if s is not None:
                    mean, var = running[l]
                    running[l] = (0.9 * mean + 0.1 * s[0], 0.9 * var + 0.1 * s[1])
            total += nr.loss_sum(case, AL, yb)
            if not case["miniBatchSize"] and case["l2"] > 0:
                total += case["l2"] / 2 * sum(float(np.sum(p["W"] ** 2)) for p in params)
            grads = backward(case, params, AL, caches, yb, masks)
            t += 1
            values = [tuple(params[l][k] for l, k in pair) for pair in pairs]
            steps = [tuple(grads[l][k] for l, k in pair) for pair in pairs]
            if case["optimizer"] == "adam":
                moved = nr.adam_step(values, steps, state, t, case["learningRate"])
            else:
                moved = [tuple(x - case["learningRate"] * g for x, g in zip(v, s)) for v, s in zip(values, steps)]
            for pair, new in zip(pairs, moved):
                for (l, k), x in zip(pair, new):
                    params[l][k] = x
        costs.append(total / m)
    for l, p in enumerate(params[:-1]):
        if case["batchNorm"][l]:
            assert not p["b"].any()
    return costs, params, running


# Ways of training: (name, mini-batch size, optimizer, L2 λ, keep_prob, passes).
GD = ("full-batch gradient descent", None, "gd", 0.0, 1.0, 40)
GD_REGULARISED = ("full batches, L2 and dropout", None, "gd", 0.3, 0.8, 30)
ADAM = ("mini-batches of 8, Adam", 8, "adam", 0.0, 1.0, 20)
ADAM_REGULARISED = ("mini-batches of 8, Adam, L2 and dropout", 8, "adam", 0.2, 0.8, 20)

# (seed, layer sizes, hidden activation(s), head, m, batch normalisation per hidden layer, way)
CASES = [
    (700, [3, 5, 4, 1], "relu", "sigmoid", 32, [True, True], GD),
    (731, [3, 5, 4, 1], "tanh", "sigmoid", 30, [True, False], GD_REGULARISED),
    (702, [4, 6, 5, 3, 1], "relu", "sigmoid", 36, [True, True, True], ADAM),
    (703, [3, 5, 4, 1], "tanh", "sigmoid", 30, [True, True], ADAM_REGULARISED),
    (704, [3, 4, 3, 1], "identity", "sigmoid", 28, [True, False], ADAM),
    (705, [3, 5, 4, 1], "relu", "sigmoid", 26, [False, True], ADAM_REGULARISED),
    (710, [4, 6, 5, 3], "tanh", "softmax", 30, [True, True], GD),
    (711, [4, 6, 5, 3], "relu", "softmax", 30, [False, True], GD),
    (712, [4, 7, 5, 3], "relu", "softmax", 36, [True, True], GD_REGULARISED),
    (713, [4, 6, 4, 3], "tanh", "softmax", 38, [True, False], ADAM),
    (714, [4, 6, 5, 4, 3], "relu", "softmax", 40, [True, True, True], ADAM_REGULARISED),
    (715, [4, 6, 5, 3], ["tanh", "relu"], "softmax", 30, [True, False], GD),
    (720, [3, 5, 4, 1], "relu", "squared-error", 32, [True, True], GD),
    (721, [3, 6, 4, 1], "tanh", "squared-error", 30, [False, True], GD_REGULARISED),
    (722, [3, 5, 4, 1], "tanh", "squared-error", 36, [True, True], ADAM),
    (723, [3, 6, 5, 1], "relu", "squared-error", 30, [True, False], ADAM_REGULARISED),
    (724, [3, 4, 3, 1], "identity", "squared-error", 24, [True, True], GD),
]
RATES = {("gd", "squared-error"): 0.05, ("gd", "sigmoid"): 0.1, ("gd", "softmax"): 0.1}
ADAM_RATE = 0.01
TASKS = {"sigmoid": "binary", "softmax": "3 classes", "squared-error": "regression"}


def make_case(seed, sizes, hidden, head, m, batch_norm, way):
    way_name, batch, optimizer, l2, keep, passes = way
    rng = np.random.RandomState(seed)
    L = len(sizes) - 1
    activations = [hidden] * (L - 1) if isinstance(hidden, str) else list(hidden)
    assert len(activations) == L - 1 == len(batch_norm)
    assert all(3 <= n <= 7 for n in sizes[1:-1]) and 24 <= m <= 40 and L - 1 in (2, 3)
    assert batch is None or m % batch != 1, "a mini-batch of one example"
    # An identity hidden layer feeding a bn layer: its b (or β) only shifts every column of the next
    # Z alike, which the batch's mean removes, so its true gradient is 0. Gradient descent moves it
    # by α times the rounding noise of its computed gradient (~1e-17), harmlessly; Adam divides that
    # noise by its own square root and takes steps of ~α·1e-9, on which no two float64
    # implementations would agree, so Adam cases have no such layer.
    assert optimizer != "adam" or not any(activations[l] == "identity" and batch_norm[l + 1]
                                          for l in range(L - 2)), "a shift with no gradient, under Adam"
    X = rng.randn(sizes[0], m)
    if head == "squared-error":
        Y = 1.5 * rng.randn(sizes[-1], m) + 0.5
    else:
        Y = rng.randint(0, 2 if head == "sigmoid" else sizes[-1], (1, m))
    initial = []
    for l in range(1, L + 1):
        bn = l < L and batch_norm[l - 1]
        W = rng.randn(sizes[l], sizes[l - 1]) / np.sqrt(sizes[l - 1])
        layer = {"W": W, "b": np.zeros((sizes[l], 1)) if bn else rng.randn(sizes[l], 1) * 0.1,
                 "gamma": None, "beta": None}
        if bn:
            layer["gamma"] = 1 + 0.1 * rng.randn(sizes[l], 1)
            layer["beta"] = 0.1 * rng.randn(sizes[l], 1)
        initial.append(layer)
    where = ("every hidden layer" if all(batch_norm) else
             "hidden layer " + ", ".join(str(i + 1) for i, b in enumerate(batch_norm) if b))
    name = f"{TASKS[head]}, {'/'.join(dict.fromkeys(activations))} hidden, bn on {where}, {way_name}"
    return {"name": name, "sizes": sizes, "activations": activations, "head": head, "X": X, "Y": Y,
            "batchNorm": list(batch_norm), "initial": initial,
            "learningRate": ADAM_RATE if optimizer == "adam" else RATES[(optimizer, head)],
            "iterations": passes, "miniBatchSize": batch, "optimizer": optimizer, "l2": l2,
            "keepProb": keep, "dropoutSeed": 5}


def layers(case, params, running):
    out = []
    for l, p in enumerate(params):
        layer = {"W": nr.rows(p["W"]), "b": nr.rows(p["b"])}
        if l < len(params) - 1 and case["batchNorm"][l]:
            layer.update({"gamma": nr.rows(p["gamma"]), "beta": nr.rows(p["beta"]),
                          "runningMean": nr.rows(running[l][0]), "runningVariance": nr.rows(running[l][1])})
        out.append(layer)
    return out


META = {
    "description": (
        "Batch normalisation in plain numpy, written by scripts/make-batchnorm-references.py "
        "(make-network-references.py's conventions otherwise: column layout, heads and losses, "
        "random_mini_batches with seed 10 + epoch, dropout masks from one RandomState(dropoutSeed) "
        "drawn per batch and hidden layer as rand(units, batch) < keepProb, L2's gradient (λ/batch)·W, "
        "full-batch cost with λ/(2m)·Σ‖W‖², an epoch's cost its summed batch losses / m, Adam). "
        "A bn hidden layer: Z = W·A (b not trained, all zeros); over the batch's columns "
        "μ = mean(Z), σ² = mean((Z−μ)²) (biased), Ẑ = (Z−μ)/sqrt(σ²+ε); Y = γ⊙Ẑ + β; A = g(Y); then "
        "dropout. Running statistics once per training batch: runningMean ← 0.9·runningMean + 0.1·μ, "
        "runningVariance ← 0.9·runningVariance + 0.1·σ² (biased), from 0 and 1. Prediction: "
        "Ẑ = (Z − runningMean)/sqrt(runningVariance + ε). Backward: dγ = Σ_j dY⊙Ẑ, dβ = Σ_j dY, "
        "dZ = (γ/sqrt(σ²+ε))·(dY − mean_j dY − Ẑ·mean_j(dY⊙Ẑ)); γ, β stepped like W (same Adam t); "
        "L2 on W only. Initial γ = 1 + 0.1·randn, β = 0.1·randn. 'outputs': the head on X in "
        "prediction form with the final parameters; 'trainingOutputs': the same in training form "
        "(all of X as one batch). 'unit': the single operation computed in 60-digit decimal "
        "arithmetic and rounded to float64 (dY the upstream gradient of the mean cost; dZ, dGamma, "
        "dBeta checked by centred differences of sum(out ⊙ dY)); the m = 2 case has a spread near "
        "sqrt(ε) (with d² ≫ ε its dZ is all cancellation, ~1e-10 in float64), and the 1e4 case lies "
        "on a grid of 2^-30 with m = 8, so its mean is exact in float64 and a two-pass variance is "
        "exact to rounding, while E[Z²] − E[Z]² is off by ~1.5e-4 relative. Every case's backward pass was "
        "checked by centred differences (step 1e-7, relative difference < 1e-7) before writing."),
    "command": COMMAND,
    "numpy": np.__version__,
    "epsilon": BN_EPSILON,
    "momentum": MOMENTUM,
}


def main():
    units = []
    print(f"{'unit case':58} {'gradient check':>15} {'numpy float64':>14} {'E[Z²]−E[Z]²':>12}")
    worst_unit = 0.0
    for u in UNIT_CASES:
        entry, check, agreement, naive = unit_entry(u)
        worst_unit = max(worst_unit, check)
        print(f"{u['name']:58} {check:15.3e} {agreement:14.3e} {naive:12.3e}")
        units.append(entry)

    cases = [make_case(*spec) for spec in CASES]
    assert len({c["name"] for c in cases}) == len(cases)
    out = []
    worst = 0.0
    print(f"\n{'case':100} {'first cost':>12} {'last cost':>12} {'gradient check':>15}")
    for case in cases:
        check = gradient_check(case)
        assert check < TOLERANCE, (case["name"], check)
        worst = max(worst, check)
        costs, final, running = train(case)
        assert costs[-1] < costs[0], (case["name"], costs[0], costs[-1])
        outputs = forward(case, final, case["X"], running=running)[0]
        training_outputs = forward(case, final, case["X"])[0]
        print(f"{case['name']:100} {costs[0]:12.8f} {costs[-1]:12.8f} {check:15.3e}")
        out.append({
            "name": case["name"],
            "layerSizes": [int(n) for n in case["sizes"]],
            "activations": case["activations"],
            "head": case["head"],
            "batchNorm": case["batchNorm"],
            "epsilon": BN_EPSILON,
            "momentum": MOMENTUM,
            "learningRate": float(case["learningRate"]),
            "iterations": int(case["iterations"]),
            "miniBatchSize": case["miniBatchSize"],
            "optimizer": case["optimizer"],
            "l2": float(case["l2"]),
            "keepProb": float(case["keepProb"]),
            "dropoutSeed": case["dropoutSeed"],
            "weights": None,
            "X": nr.rows(case["X"]),
            "Y": nr.rows(case["Y"]),
            "initial": layers(case, case["initial"], initial_running(case)),
            "costs": [float(c) for c in costs],
            "final": layers(case, final, running),
            "outputs": nr.rows(outputs),
            "trainingOutputs": nr.rows(training_outputs),
        })
    print(f"\nlargest gradient-check relative difference: networks {worst:.3e}, unit cases {worst_unit:.3e}")
    OUTPUT.write_text(json.dumps({"meta": META, "unit": units, "cases": out}, indent=1) + "\n")
    print(f"wrote {len(out)} cases and {len(units)} unit cases to {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
