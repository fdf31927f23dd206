#!/usr/bin/env python3
"""Prints scikit-learn's successive-halving plan (examples and candidates per round) for a few
searches, the figures Tests/DNNTests/HalvingTests.swift holds SuccessiveHalving to.

    python3 scripts/make-halving-references.py     (needs scikit-learn)
"""
import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV

# (candidates, examples, factor, folds, classes)
CASES = [(24, 344, 3, 5, 3), (8, 100, 3, 5, 2), (100, 1000, 3, 5, 2), (243, 100000, 3, 2, 2),
         (30, 60, 2, 3, 2), (1, 50, 3, 5, 2), (27, 569, 3, 5, 2)]

for n, m, factor, folds, classes in CASES:
    X = np.zeros((m, 1))
    y = np.arange(m) % classes
    search = HalvingGridSearchCV(DummyClassifier(), {"constant": list(range(n))}, factor=factor,
                                 cv=folds, refit=False)
    search.fit(X, y)
    print(f"({n}, {m}, {factor}, smallest: {2 * folds * classes}): examples {search.n_resources_}, "
          f"candidates {search.n_candidates_}")
