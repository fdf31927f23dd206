#!/usr/bin/env python3
"""Writes Tests/DNNTests/Reference/metric-references.json: scikit-learn's precision, recall and F1
per class and their macro and weighted averages (zero_division=0) on real labels.

The labels are the real test labels of ../shared/data/real/digits_test.csv (ten classes) and
breast_cancer_test.csv (two); the predictions are a weak classifier's, fitted on the matching
training file: a decision tree of depth 2 (digits: it never predicts most of the ten classes, the
case the averages must count as precision 0) and of depth 1 (breast cancer). Needs numpy and
scikit-learn (pip); the tests read the file, not scikit-learn.
"""
import json
import pathlib

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.tree import DecisionTreeClassifier

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "real"


def load(name):
    table = np.genfromtxt(DATA / name, delimiter=",", skip_header=1)
    return table[:, :-1], table[:, -1].astype(int)


cases = []
for stem, depth, classes in [("digits", 2, 10), ("breast_cancer", 1, 2)]:
    X, y = load(f"{stem}_train.csv")
    X_test, y_test = load(f"{stem}_test.csv")
    predicted = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X, y).predict(X_test)
    labels = list(range(classes))
    case = {"name": stem, "classes": classes, "actual": y_test.tolist(), "predicted": predicted.tolist(),
            "never_predicted": sorted(set(labels) - set(predicted.tolist()))}
    for metric, function in [("precision", precision_score), ("recall", recall_score), ("f1", f1_score)]:
        case[metric] = function(y_test, predicted, labels=labels, average=None, zero_division=0).tolist()
        for average in ("macro", "weighted"):
            case[f"{metric}_{average}"] = float(function(y_test, predicted, average=average, zero_division=0))
    cases.append(case)
    print(stem, "never predicted:", case["never_predicted"], "macro F1", case["f1_macro"])

path = ROOT / "Tests/DNNTests/Reference/metric-references.json"
path.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
print("wrote", path)
