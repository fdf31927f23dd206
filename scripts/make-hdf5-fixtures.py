#!/usr/bin/env python3
"""Writes the small HDF5 files under Tests/DNNTests/Fixtures that the data tests read:
one well-formed file in the course's layout, and one for each way such a file can be wrong.
Needs numpy and h5py. Run again only to add cases."""
import pathlib

import h5py
import numpy as np

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/DNNTests/Fixtures"
rng = np.random.RandomState(0)
x = rng.randint(0, 256, size=(3, 2, 2, 3)).astype(np.uint8)
y = np.array([0, 1, 1], dtype=np.int64)
classes = np.array([b"non-cat", b"cat"], dtype="S7")


def write(name, **datasets):
    with h5py.File(out / name, "w") as f:
        for key, value in datasets.items():
            f.create_dataset(key, data=value)


write("tiny_images.h5", train_set_x=x, train_set_y=y, list_classes=classes)
write("no_x_dataset.h5", images=x, train_set_y=y)
write("no_y_dataset.h5", train_set_x=x)
write("float_pixels.h5", train_set_x=x.astype(np.float64), train_set_y=y)
write("float_labels.h5", train_set_x=x, train_set_y=y.astype(np.float32))
write("label_two.h5", train_set_x=x, train_set_y=np.array([0, 2, 1], dtype=np.int64))
write("count_mismatch.h5", train_set_x=x, train_set_y=np.array([0, 1], dtype=np.int64))
(out / "not_hdf5.h5").write_text("this is not an HDF5 file\n")
print("tiny_images.h5 pixels, row-major:", x.ravel().tolist())
