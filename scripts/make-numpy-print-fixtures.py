#!/usr/bin/env python3
"""Writes Tests/DNNTests/Reference/numpy-print.json: matrices and how numpy prints them.

numpy decides the expected strings; the Swift tests check `Matrix.description` against them.
Run again (numpy >= 1.14) only to add cases.
"""
import json
import pathlib

import numpy as np

rng = np.random.RandomState(7)
cases = {
    "exponent small": np.array([[1e-5, 1.0]]),
    "exponent mixed": np.array([[1.5e-5, 1.0, -2.25e10]]),
    "exponent ratio": np.array([[123456.789, 0.001]]),
    "exponent large": np.array([[1e8, 2.5]]),
    "big positional": np.array([[12345678.9, -3.0]]),
    "zeros signed": np.array([[0.0, -0.0], [1.0, 2.5]]),
    "non-finite": np.array([[np.inf, -np.inf, np.nan, 1.5]]),
    "nan only": np.array([[np.nan]]),
    "thirds": np.array([[1 / 3, -2 / 3, 10 / 3]]),
    "tie at 8 digits": np.array([[0.001953125, 0.5]]),
    "wrapped row": rng.randn(1, 30),
    "wrapped rows": rng.randn(3, 12) * 10,
    "summarised": rng.randn(40, 40),
    "summarised tall": rng.randn(2000, 1),
    "summarised wide": rng.randn(1, 2000),
    "integers": np.array([[1.0, 2.0], [30.0, -4.0]]),
}
out = [
    {"name": name, "rows": a.shape[0], "cols": a.shape[1],
     "values": [repr(float(x)) for x in a.ravel()], "numpy": str(a)}
    for name, a in cases.items()
]
path = pathlib.Path(__file__).resolve().parent.parent / "Tests/DNNTests/Reference/numpy-print.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {len(out)} cases to {path}")
