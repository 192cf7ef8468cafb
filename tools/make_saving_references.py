"""Reference outputs for tests/Dendrite.Tests/Saving/RealKerasFileTests.cs: an independent NumPy forward pass over the
weights stored in two real Keras files of ../shared/keras-files (read with h5py, not with Keras or Dendrite).
Run: /usr/bin/python3 tools/make_saving_references.py   (Debian: apt-get install python3-numpy python3-h5py)"""
import io, json, os, zipfile
import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "..", "..", "shared", "keras-files")
relu = lambda v: np.maximum(v, 0)
def softmax(v):
    e = np.exp(v - v.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
sigmoid = lambda v: 1 / (1 + np.exp(-v))

def inputs(rows, width, mod, shift, scale):
    i = np.arange(rows * width, dtype=np.float64).reshape(rows, width)
    return ((i % mod) - shift) / scale

# Keras 3.3.3 Sequential MLP (.keras): layers/dense*/vars/0 kernel, 1 bias.
z = zipfile.ZipFile(os.path.join(FILES, "keras3.3.3_sequential_mlp_amd36.keras"))
w = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
x = inputs(2, 784, 17, 0, 16)
h = x
for name, act in [("dense", relu), ("dense_1", relu), ("dense_2", softmax)]:
    h = act(h @ w[f"layers/{name}/vars/0"][()].astype(np.float64) + w[f"layers/{name}/vars/1"][()])
print("mlp", json.dumps([[float(np.float32(v)) for v in row] for row in h]))

# tf.keras 2.13.1 functional model with two Concatenates (legacy .h5).
f = h5py.File(os.path.join(FILES, "tfkeras2.13.1_functional_concat_ediashta.h5"), "r")
def dense(name, v, act):
    g = f["model_weights"][name][name]
    return act(v @ g["kernel:0"][()].astype(np.float64) + g["bias:0"][()])
x = inputs(3, 30, 7, 3, 30)
d = dense("dense", x, relu)
d1 = dense("dense_1", d, relu)
c = np.concatenate([d, d1], axis=-1)
d2 = dense("dense_2", c, relu)
c1 = np.concatenate([c, d2], axis=-1)
out = dense("dense_3", c1, sigmoid)
print("concat", json.dumps([float(np.float32(v)) for v in out.ravel()]))

# Keras 3.10.0 functional model with BatchNormalization (.keras): inference uses the moving statistics, epsilon 1e-3.
z = zipfile.ZipFile(os.path.join(FILES, "keras3.10.0_functional_bn_carine.keras"))
w = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
v = lambda name, i: w[f"layers/{name}/vars/{i}"][()].astype(np.float64)
x = inputs(3, 11, 7, 3, 5).astype(np.float32).astype(np.float64)
h = relu(x @ v("dense", 0) + v("dense", 1))
h = (h - v("batch_normalization", 2)) / np.sqrt(v("batch_normalization", 3) + 1e-3) * v("batch_normalization", 0) + v("batch_normalization", 1)
h = relu(h @ v("dense_1", 0) + v("dense_1", 1))
out = sigmoid(h @ v("dense_2", 0) + v("dense_2", 1))
print("bn", json.dumps([float(np.float32(v)) for v in out.ravel()]))
