"""Reference predictions for the real recurrent Keras files (tests/Dendrite.Tests/Saving/RealKerasFileTests.cs):
an independent NumPy forward pass (Keras 3 cell equations) over the weights stored in ../shared/keras-files."""
import io, json, zipfile
import h5py
import numpy as np

K = "../shared/keras-files/"
sig = lambda x: 1 / (1 + np.exp(-x))


def inputs(rows, width, mod, shift, scale):
    return ((np.arange(rows * width) % mod - shift) / scale).reshape(rows, width)


def lstm(x, k, u, b, seq):
    n = u.shape[0]; h = np.zeros((x.shape[0], n)); c = np.zeros_like(h); out = []
    for t in range(x.shape[1]):
        z = x[:, t] @ k + h @ u + b
        i, f, g, o = sig(z[:, :n]), sig(z[:, n:2 * n]), np.tanh(z[:, 2 * n:3 * n]), sig(z[:, 3 * n:])
        c = f * c + i * g; h = o * np.tanh(c); out.append(h)
    return np.stack(out, 1) if seq else h


def gru(x, k, u, b, seq):
    n = u.shape[0]; h = np.zeros((x.shape[0], n)); out = []
    for t in range(x.shape[1]):
        mx = x[:, t] @ k + b[0]; mh = h @ u + b[1]
        z = sig(mx[:, :n] + mh[:, :n]); r = sig(mx[:, n:2 * n] + mh[:, n:2 * n]); hh = np.tanh(mx[:, 2 * n:] + r * mh[:, 2 * n:])
        h = z * h + (1 - z) * hh; out.append(h)
    return np.stack(out, 1) if seq else h


def fmt(a):
    return "[" + ", ".join("%.9gf" % v for v in np.asarray(a, dtype=np.float32).reshape(-1)) + "]"


z = zipfile.ZipFile(K + "keras3.15.0_embedding_simplernn_bharath.keras")
w = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")["layers"]
ids = (np.arange(2 * 50) * 37 % 5000).reshape(2, 50)
e = w["embedding/vars/0"][:].astype(np.float64)[ids]
kk, uu, bb = (w["simple_rnn/cell/vars/%d" % i][:].astype(np.float64) for i in range(3))
h = np.zeros((2, 32))
for t in range(50):
    h = np.maximum(e[:, t] @ kk + h @ uu + bb, 0)
y = sig(h @ w["dense/vars/0"][:] + w["dense/vars/1"][:])
print("embedding_simplernn", fmt(y))

for name, cell in (("keras3.10.0_legacyh5_lstm_anuj.h5", lstm), ("keras3.10.0_legacyh5_gru_anuj.h5", gru)):
    f = h5py.File(K + name, "r")["model_weights"]
    x = inputs(2, 60, 13, 6, 10)[:, :, None]
    layers = [l for l in f.attrs["layer_names"]]
    ws = []
    for l in layers:
        g = f[l]
        names = [s.decode() if isinstance(s, bytes) else s for s in g.attrs["weight_names"]]
        if names: ws.append([g[n][:].astype(np.float64) for n in names])
    (k1, u1, b1), (k2, u2, b2), (dk, db) = ws   # weight_names: kernel, recurrent_kernel, bias; Dense kernel, bias
    a = cell(x, k1, u1, b1, True)
    a = cell(a, k2, u2, b2, False)
    print(name, fmt(a @ dk + db))
