#!/usr/bin/env python3
"""Writes the small HDF5 files under Tests/DNNTests/Fixtures that the data tests read:
one well-formed file in the course's layout, and one for each way such a file can be wrong.
Some files only declare datasets far larger than any memory: chunked, with no chunk written,
they stay a few KB on disk, and a reader must refuse them from the declared shape alone.
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
# Found by scripts/fuzz hdf5: a label of 10^18 without list_classes once asked for 10^18 class names.
write("huge_label.h5", train_set_x=x, train_set_y=np.array([0, 1, 10**18], dtype=np.int64))
# Found by scripts/fuzz hdf5: no examples of 2^40 x 2^40 x 3 values each; the product overflowed.
write("empty_overflowing_x.h5", train_set_y=np.zeros(0, dtype=np.int64))
with h5py.File(out / "empty_overflowing_x.h5", "a") as f:
    f.create_dataset("train_set_x", shape=(0, 2**40, 2**40, 3), maxshape=(None, 2**40, 2**40, 3),
                     dtype=np.uint8, chunks=(1, 1, 1, 3))
# Found by scripts/fuzz hdf5: labels declared as integers of 2 GB each made libhdf5 allocate 2 GB;
# integers wider than 8 bytes (here 16) are refused before any read.
write("wide_integer_labels.h5", train_set_x=x)
with h5py.File(out / "wide_integer_labels.h5", "a") as f:
    wide = h5py.h5t.STD_I64LE.copy()
    wide.set_size(16)
    h5py.h5d.create(f.id, b"train_set_y", wide, h5py.h5s.create_simple((3,)))


def declare(name, shapes, **datasets):
    """Writes `datasets`, and for each (name, shape, dtype) of `shapes` a chunked dataset of that
    shape whose chunks are never written (HDF5 allocates them on first write)."""
    write(name, **datasets)
    with h5py.File(out / name, "a") as f:
        for key, shape, dtype in shapes:
            f.create_dataset(key, shape=shape, dtype=dtype, chunks=(1,) * (len(shape) - 1) + (min(shape[-1], 1024),))


# 10⁹ of the course's 64x64 RGB pictures: 12.3 TB of pixels.
declare("declared_huge_x.h5", [("train_set_x", (10**9, 64, 64, 3), np.uint8)], train_set_y=y)
# 2¹²⁰ bytes: each size fits Int64, their product does not.
declare("declared_overflowing_x.h5", [("train_set_x", (2**40, 2**40, 2**40), np.uint8)], train_set_y=y)
# 10¹² labels beside three small pictures.
declare("declared_huge_y.h5", [("train_set_y", (10**12,), np.int64)], train_set_x=x)
x25 = rng.randint(0, 256, size=(25, 2, 2, 3)).astype(np.uint8)
write("labels_25x2.h5", train_set_x=x25, train_set_y=rng.randint(0, 2, size=(25, 2)).astype(np.int64))
write("scalar_labels.h5", train_set_x=x, train_set_y=np.int64(1))
write("null_labels.h5", train_set_x=x, train_set_y=h5py.Empty("<i8"))
(out / "not_hdf5.h5").write_text("this is not an HDF5 file\n")
print("tiny_images.h5 pixels, row-major:", x.ravel().tolist())
# Both sets in one file: a reader must not pick one of them silently (train_set_x and test_set_x
# sort test first). The test set's pixels are the train set's first two pictures in reverse.
write("two_sets.h5", train_set_x=x, train_set_y=y, test_set_x=x[1::-1].copy(),
      test_set_y=np.array([1, 0], dtype=np.int64), list_classes=classes)
# The same pictures under class names of their own: scored by a model of non-cat and cat, the
# labels would mean other classes.
write("other_class_names.h5", train_set_x=x, train_set_y=y, list_classes=np.array([b"dog", b"cat"], dtype="S7"))
