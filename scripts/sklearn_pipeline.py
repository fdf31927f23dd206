"""scikit-learn's counterpart of dnn's tabular pipeline, shared by the comparison scripts.

The model dnn builds from a CSV file: missing numbers imputed with the training median and
standardised, missing strings imputed with the most frequent value and one-hot encoded (unseen
categories all zeros), then an MLPClassifier.
"""


def read(path):
    """The CSV file as pandas reads it by default (NA, empty cells and the like as missing)."""
    import pandas as pd

    return pd.read_csv(path)


def pipeline(frame, label, classifier):
    """`classifier` behind the ColumnTransformer for `frame`'s feature columns (all but `label`)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    features = [c for c in frame.columns if c != label]
    numbers = [c for c in features if frame[c].dtype.kind in "fi"]
    strings = [c for c in features if c not in numbers]
    return make_pipeline(
        ColumnTransformer([
            ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
            ("strings", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                      OneHotEncoder(handle_unknown="ignore")), strings),
        ]),
        classifier)


def ensure_packages():
    """scikit-learn and pandas, installed with pip when missing (the tests never need them)."""
    import subprocess
    import sys

    for module, package in [("sklearn", "scikit-learn"), ("pandas", "pandas")]:
        try:
            __import__(module)
        except ImportError:
            print(f"installing {package} with pip …", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
