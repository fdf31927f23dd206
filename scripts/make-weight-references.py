#!/usr/bin/env python3
"""Writes Tests/DNNTests/Reference/class-weight-reference.json: scikit-learn's
LogisticRegression(class_weight="balanced", C=1) on an imbalanced subset of breast cancer.

The subset: ../shared/data/real/breast_cancer_train.csv, every benign row (label 1) and every
fifth malignant one (label 0), in file order: 42 malignant against 267 benign. The features are
standardised as StandardScaler does (population deviation). scikit-learn minimises
½‖w‖² + C·Σᵢ cᵢ·lossᵢ with cᵢ = m / (2·count of i's class); dnn's weighted cost with L2 λ is
Σ cᵢ·lossᵢ / Σ cᵢ + λ/(2·Σ cᵢ)·‖W‖², the same minimum for λ = 1/C = 1, and dnn leaves the bias out
of L2 as scikit-learn leaves the intercept. The reference holds the rows, the coefficients and
the intercept (lbfgs to a tolerance of 1e-12), and the balanced weights themselves.
"""
import json
import pathlib

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_class_weight

ROOT = pathlib.Path(__file__).resolve().parent.parent
table = np.genfromtxt(ROOT.parent / "shared/data/real/breast_cancer_train.csv", delimiter=",", skip_header=1)
X, y = table[:, :-1], table[:, -1].astype(int)
malignant = np.flatnonzero(y == 0)
rows = sorted(set(np.flatnonzero(y == 1)) | set(malignant[::5]))
X, y = X[rows], y[rows]
X = (X - X.mean(axis=0)) / X.std(axis=0)
model = LogisticRegression(class_weight="balanced", C=1.0, tol=1e-12, max_iter=100000).fit(X, y)
weights = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
path = ROOT / "Tests/DNNTests/Reference/class-weight-reference.json"
path.write_text(json.dumps({
    "rows": [int(r) for r in rows], "counts": [int((y == 0).sum()), int((y == 1).sum())],
    "class_weights": weights.tolist(), "coefficients": model.coef_[0].tolist(),
    "intercept": float(model.intercept_[0]),
}, indent=1) + "\n")
print("malignant", (y == 0).sum(), "benign", (y == 1).sum(), "class weights", weights, "wrote", path)
