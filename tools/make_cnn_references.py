"""Reference outputs of the real Keras CNN files (../shared/keras-files) for RealKerasFileTests: an independent PyTorch
forward pass (float64, NCHW) over the weights read with h5py, not with Keras or Dendrite.
Run: /usr/bin/python3 tools/make_cnn_references.py"""
import io, json, os, zipfile
import h5py
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "..", "..", "shared", "keras-files")

def inputs(rows, width, mod, shift, scale):
    i = np.arange(rows * width, dtype=np.float64).reshape(rows, width)
    return ((i % mod) - shift) / scale

def conv(x, k, b):  # valid, stride 1; Keras kernel (kh, kw, in, out)
    return F.conv2d(x, torch.tensor(k, dtype=torch.float64).permute(3, 2, 0, 1), torch.tensor(b, dtype=torch.float64))

def dense(x, k, b):
    return x @ torch.tensor(k, dtype=torch.float64) + torch.tensor(b, dtype=torch.float64)

def flatten_nhwc(x):  # Keras flattens channels-last
    return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)

x = torch.tensor(inputs(2, 784, 17, 0, 16)).reshape(2, 28, 28, 1).permute(0, 3, 1, 2)

# Keras 3.14 Sequential: Conv2D(32, 3, relu), MaxPooling2D(2), Conv2D(64, 3, relu), MaxPooling2D(2), Flatten, Dense(relu), Dropout, Dense(softmax).
z = zipfile.ZipFile(os.path.join(FILES, "keras3.14.0_sequential_cnn_gosolna.keras"))
w = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
v = lambda name, i: w[f"layers/{name}/vars/{i}"][()].astype(np.float64)
h = F.max_pool2d(F.relu(conv(x, v("conv2d", 0), v("conv2d", 1))), 2)
h = F.max_pool2d(F.relu(conv(h, v("conv2d_1", 0), v("conv2d_1", 1))), 2)
h = F.relu(dense(flatten_nhwc(h), v("dense", 0), v("dense", 1)))
out = torch.softmax(dense(h, v("dense_1", 0), v("dense_1", 1)), -1)
print("gosolna", json.dumps([float(np.float32(t)) for t in out.numpy().ravel()]))

# Keras 2.3.1 Sequential (legacy .h5): Conv2D, MaxPooling2D, Conv2D, MaxPooling2D, Conv2D, Flatten, Dense, Dense.
f = h5py.File(os.path.join(FILES, "keras2.3.1_sequential_cnn_ikukang.h5"), "r")
cfg = json.loads(f.attrs["model_config"])
layers = cfg["config"]["layers"] if isinstance(cfg["config"], dict) else cfg["config"]
h = x
for l in layers:
    c, cls = l["config"], l["class_name"]
    if cls in ("Conv2D", "Dense"):
        g = f["model_weights"][c["name"]]
        names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["weight_names"]]
        k, b = (g[n][()].astype(np.float64) for n in names)
        assert c.get("padding", "valid") == "valid" and tuple(c.get("strides", (1, 1))) == (1, 1)
        h = conv(h, k, b) if cls == "Conv2D" else dense(h, k, b)
        h = {"relu": F.relu, "softmax": lambda t: torch.softmax(t, -1), "linear": lambda t: t}[c["activation"]](h)
    elif cls == "MaxPooling2D":
        assert c["padding"] == "valid"
        h = F.max_pool2d(h, c["pool_size"], c["strides"])
    elif cls == "Flatten":
        h = flatten_nhwc(h)
    else:
        raise ValueError(cls)
print("ikukang", json.dumps([float(np.float32(t)) for t in h.numpy().ravel()]))
