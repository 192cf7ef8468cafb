#!/usr/bin/env python3
"""Builds the Fashion-MNIST subset embedded in the Dendrite assembly (src/Dendrite/Datasets/Resources/), once, from
Debian's `dataset-fashion-mnist` package (Zalando's four gzipped IDX files, MIT licence).

    apt-get install dataset-fashion-mnist      then    python3 tools/make_fashion_subset.py [/usr/share/datasets/fashion-mnist]

Writes fashion-mnist-subset-{images,labels}.idx.gz: 10,000 images balanced by class, the first 800 of each class from
the training set (in file order), then the first 200 of each class from the test set, both kept in file order.
FashionMnist.LoadEmbedded() splits them back into 8,000 training and 2,000 test images.
"""
import gzip, os, struct, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "Dendrite", "Datasets", "Resources")
SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    data = gzip.open(path, "rb").read()
    assert data[0] == 0 and data[1] == 0 and data[2] == 0x08, path
    dims = struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])
    return dims, data[4 + 4 * data[3]:]


def pick(prefix, per_class):
    (n, h, w), images = read_idx(os.path.join(SRC, f"{prefix}-images-idx3-ubyte.gz"))
    (m,), labels = read_idx(os.path.join(SRC, f"{prefix}-labels-idx1-ubyte.gz"))
    assert n == m and h == w == 28
    taken, counts = [], [0] * 10
    for i in range(n):
        if counts[labels[i]] < per_class:
            counts[labels[i]] += 1
            taken.append(i)
    assert counts == [per_class] * 10
    return b"".join(images[i * 784:(i + 1) * 784] for i in taken), bytes(labels[i] for i in taken)


def write_idx(path, dims, payload):
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as f:
        f.write(bytes([0, 0, 0x08, len(dims)]) + b"".join(struct.pack(">I", x) for x in dims) + payload)


train_x, train_y = pick("train", 800)
test_x, test_y = pick("t10k", 200)
count = len(train_y) + len(test_y)
write_idx(os.path.join(OUT, "fashion-mnist-subset-images.idx.gz"), [count, 28, 28], train_x + test_x)
write_idx(os.path.join(OUT, "fashion-mnist-subset-labels.idx.gz"), [count], train_y + test_y)
print("wrote", len(train_y), "training and", len(test_y), "test images to", OUT)
