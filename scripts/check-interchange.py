#!/usr/bin/env python3
"""The Python side of the interchange tests (Tests/DNNToolTests/InterchangeTests.swift).

  check-interchange.py onnx MODEL.onnx X.npy EXPECTED.npy
      onnx.checker.check_model, then ONNX Runtime on X (examples in rows); prints JSON with the
      largest absolute difference from EXPECTED (the outputs `dnn predict` gives: probabilities, or
      a regression's values), the same relative to EXPECTED's largest magnitude, and the task and
      names the model's metadata carry.
  check-interchange.py onnx-table MODEL.onnx DATA.csv EXPECTED.npy
      The same for a model of raw table columns: the CSV file's rows read with Python's csv module
      into the inputs the model's metadata names ("numbers": float, NaN for a missing word;
      each text column: strings as the file writes them), then ONNX Runtime.
  check-interchange.py npz PARAMS.npz MODEL.json
      np.load without pickle; prints JSON with the arrays' names, whether each equals the model
      file's parameters bit for bit, and the task (UTF-8 JSON bytes) as numpy reads it.
  check-interchange.py make-npz PARAMS.npz X.npy PROBABILITIES.npy
      The course's parameters for [4, 5, 3, 1] (randn / sqrt(n), seed 1) saved with np.savez, some
      data, and numpy's forward pass (relu hidden layers, sigmoid output) on it.

Needs numpy, onnx and onnxruntime (.ci/run installs them with pip).
"""
import json
import sys

import numpy as np


def onnx_check(model_path, x_path, expected_path):
    import onnx
    import onnxruntime

    model = onnx.load(model_path)
    onnx.checker.check_model(model)
    X = np.load(x_path, allow_pickle=False)
    expected = np.load(expected_path, allow_pickle=False)
    dtype = np.float32 if model.graph.input[0].type.tensor_type.elem_type == 1 else np.float64
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    (probabilities,) = session.run(None, {"X": X.astype(dtype)})
    metadata = {p.key: p.value for p in model.metadata_props}
    task = json.loads(metadata["task"])
    names_key = {"classification": "class_names", "regression": "target_names", "multilabel": "label_names"}
    difference = np.abs(probabilities.astype(np.float64) - expected)
    print(json.dumps({
        "max_difference": float(np.max(difference)),
        "max_relative_difference": float(np.max(difference) / max(np.max(np.abs(expected)), 1e-300)),
        "shape": list(probabilities.shape), "opset": model.opset_import[0].version,
        "output": model.graph.output[0].name, "task": task,
        "names": json.loads(metadata[names_key[task["kind"]]]), "producer": model.producer_name,
    }))


MISSING = {"", "NA", "N/A", "n/a", "NaN", "nan", "-nan", "-NaN", "NULL", "null", "None", "<NA>", "#N/A", "?"}


def onnx_table_check(model_path, csv_path, expected_path):
    import csv
    import onnx
    import onnxruntime

    model = onnx.load(model_path)
    onnx.checker.check_model(model)
    metadata = {p.key: p.value for p in model.metadata_props}
    described = json.loads(metadata["inputs"])
    with open(csv_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    dtype = np.float32 if model.graph.output[0].type.tensor_type.elem_type == 1 else np.float64
    feeds = {}
    if described["numbers"]:
        feeds["numbers"] = np.array([[np.nan if row[c].strip() in MISSING else float(row[c]) for c in described["numbers"]]
                                     for row in rows], dtype=dtype)
    for name in described["strings"]:
        feeds[name] = np.array([[row[name].strip()] for row in rows], dtype=object)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    (outputs,) = session.run(None, feeds)
    expected = np.load(expected_path, allow_pickle=False)
    print(json.dumps({
        "max_difference": float(np.max(np.abs(outputs.astype(np.float64) - expected))),
        "shape": list(outputs.shape), "inputs": [i.name for i in model.graph.input],
    }))


def npz_check(npz_path, model_path):
    arrays = np.load(npz_path, allow_pickle=False)
    model = json.load(open(model_path))
    equal = {}
    for l, layer in enumerate(model["parameters"], start=1):
        for name in ("W", "b"):
            array = arrays[f"{name}{l}"]
            expected = np.array(layer[name], dtype=np.float64)
            equal[f"{name}{l}"] = bool(array.dtype == np.float64 and array.shape == expected.shape
                                       and np.array_equal(array.view(np.uint64), expected.view(np.uint64)))
    task = json.loads(bytes(arrays["task"])) if "task" in arrays.files else None
    equal["task"] = task == model.get("task")
    print(json.dumps({"arrays": sorted(arrays.files), "equal": equal, "task": task}))


def make_npz(npz_path, x_path, probabilities_path):
    np.random.seed(1)
    dims = [4, 5, 3, 1]
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = np.random.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        parameters[f"b{l}"] = np.random.randn(dims[l], 1) * 0.1
    np.savez(npz_path, **parameters)
    X = np.random.randn(4, 30)
    A = X
    for l in range(1, len(dims)):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = np.maximum(0, Z) if l < len(dims) - 1 else 1 / (1 + np.exp(-Z))
    np.save(x_path, X)
    np.save(probabilities_path, A)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"onnx": onnx_check, "onnx-table": onnx_table_check, "npz": npz_check, "make-npz": make_npz}[command](*arguments)
