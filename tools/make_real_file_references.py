#!/usr/bin/python3
"""Writes tests/Dendrite.Tests/Saving/RealKerasFileReferences.cs: what each real Keras file in ../shared/keras-files
predicts for fixed inputs, computed by an independent float64 NumPy forward pass over the weights stored in the file.

Only h5py, zipfile, json and NumPy are used (no Keras, no TensorFlow, no Dendrite). The model graph comes from the
file's own config (config.json or the legacy model_config attribute); every layer's math is written out below after
../shared/KERAS-LAYERS.md (Dense, Conv2D, SeparableConv2D, max/global-average pooling, BatchNormalization at inference,
Embedding, SimpleRNN, LSTM, GRU with reset_after true/false, Bidirectional, Concatenate, Add, Flatten, Dropout as identity).
Weights are looked up the way Keras stores them: .keras files by path (layers/<snake_case class>[_n]/vars/i, the
cell under cell/, Bidirectional under forward_layer/ and backward_layer/), legacy .h5 files by each layer's
weight_names attribute.
Run: /usr/bin/python3 tools/make_real_file_references.py   (Debian: python3-numpy python3-h5py)"""
import io, json, os, re, zipfile
import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "..", "..", "shared", "keras-files")
OUT = os.path.join(HERE, "..", "tests", "Dendrite.Tests", "Saving", "RealKerasFileReferences.cs")

# (file, batch, input kind, mod, shift, scale): input i of the flattened batch is ((i % mod) - shift) / scale, as float32
# ("float"), or the integer (i * 7919 + 13) % mod ("index", for Embedding).
CASES = [
    ("keras3.3.3_sequential_mlp_amd36.keras", 2, "float", 17, 0, 16),
    ("keras3.14.0_sequential_cnn_gosolna.keras", 2, "float", 29, 3, 28),
    ("keras3.10.0_functional_bn_carine.keras", 3, "float", 7, 3, 4),
    ("keras3.15.0_embedding_simplernn_bharath.keras", 2, "index", 5000, 0, 1),
    ("keras3.0.5_bidirectional_lstm_partha.keras", 3, "float", 5, 2, 4),
    ("keras3.10.0_legacyh5_lstm_anuj.h5", 2, "float", 13, 4, 12),
    ("keras3.10.0_legacyh5_gru_anuj.h5", 2, "float", 11, 3, 10),
    ("keras2.3.1_sequential_cnn_ikukang.h5", 2, "float", 31, 5, 30),
    ("keras2.0.5_functional_xception_bn_oarriaga.hdf5", 2, "float", 23, 11, 12),
    ("tfkeras2.10.0_bidirectional_lstm_hdf5_named_keras_sailesh.keras", 3, "float", 9, 4, 8),
    ("tfkeras2.13.1_functional_concat_ediashta.h5", 3, "float", 7, 3, 30),
]


def snake(name):
    """Keras's to_snake_case (keras/src/utils/naming.py)."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[0] != "_" else "private" + s


def sigmoid(v): return 1 / (1 + np.exp(-v))
def softmax(v):
    e = np.exp(v - v.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def activation(name, keras2):
    return {
        "linear": lambda v: v, None: lambda v: v, "relu": lambda v: np.maximum(v, 0), "tanh": np.tanh,
        "sigmoid": sigmoid, "softmax": softmax,
        # Keras 2's hard_sigmoid has slope 0.2; Keras 3's 1/6 (KERAS-LAYERS.md, LSTM "Keras 2 history").
        "hard_sigmoid": (lambda v: np.clip(0.2 * v + 0.5, 0, 1)) if keras2 else (lambda v: np.clip(v / 6 + 0.5, 0, 1)),
    }[name]


def same_pads(n, k, s, d=1):
    ek = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + ek - n, 0)
    return out, total // 2, total - total // 2


def conv2d(x, w, strides, padding, dilation=(1, 1)):
    """x (N,H,W,C), w (kh,kw,C,F): cross-correlation as Keras computes it; 'same' puts the odd pixel at the end."""
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    (sh, sw), (dh, dw) = strides, dilation
    if padding == "same":
        oh, t, b = same_pads(h, kh, sh, dh)
        ow, l, r = same_pads(wd, kw, sw, dw)
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    else:
        oh = (h - (kh - 1) * dh - 1) // sh + 1
        ow = (wd - (kw - 1) * dw - 1) // sw + 1
    y = np.zeros((n, oh, ow, f))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i * dh: i * dh + (oh - 1) * sh + 1: sh, j * dw: j * dw + (ow - 1) * sw + 1: sw, :]
            y += patch @ w[i, j]
    return y


def depthwise(x, w, strides, padding):
    """w (kh,kw,C,M): output channel c*M + m."""
    kh, kw, c, m = w.shape
    n = x.shape[0]
    out = []
    for ch in range(c):
        out.append(conv2d(x[..., ch:ch + 1], w[:, :, ch:ch + 1, :], strides, padding))
    return np.concatenate(out, axis=-1).reshape(n, out[0].shape[1], out[0].shape[2], c * m)


def max_pool(x, pool, strides, padding):
    n, h, wd, c = x.shape
    (ph, pw), (sh, sw) = pool, strides
    if padding == "same":
        oh, t, b = same_pads(h, ph, sh)
        ow, l, r = same_pads(wd, pw, sw)
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=-np.inf)
    else:
        oh, ow = (h - ph) // sh + 1, (wd - pw) // sw + 1
    y = np.full((n, oh, ow, c), -np.inf)
    for i in range(ph):
        for j in range(pw):
            y = np.maximum(y, x[:, i: i + (oh - 1) * sh + 1: sh, j: j + (ow - 1) * sw + 1: sw, :])
    return y


def rnn(x, cell, go_backwards, return_sequences):
    """Runs cell(x_t, state) -> (out, state) over axis 1; returns the last output or all of them (processing order)."""
    n, t = x.shape[:2]
    steps = range(t - 1, -1, -1) if go_backwards else range(t)
    state, outs = None, []
    for s in steps:
        o, state = cell(x[:, s], state)
        outs.append(o)
    return np.stack(outs, axis=1) if return_sequences else outs[-1]


def simple_rnn_cell(w, cfg, keras2):
    k, u, b = w
    act = activation(cfg.get("activation", "tanh"), keras2)
    def step(xt, st):
        h = np.zeros((xt.shape[0], u.shape[0])) if st is None else st
        h = act(xt @ k + h @ u + b)
        return h, h
    return step


def lstm_cell(w, cfg, keras2):
    k, u, b = w
    units = u.shape[0]
    act, rec = activation(cfg.get("activation", "tanh"), keras2), activation(cfg.get("recurrent_activation", "sigmoid"), keras2)
    def step(xt, st):
        h, c = (np.zeros((xt.shape[0], units)),) * 2 if st is None else st
        z = xt @ k + h @ u + b
        i, f, g, o = (z[:, q * units:(q + 1) * units] for q in range(4))
        c = rec(f) * c + rec(i) * act(g)
        h = rec(o) * act(c)
        return h, (h, c)
    return step


def gru_cell(w, cfg, keras2):
    k, u, b = w
    units = u.shape[0]
    act, rec = activation(cfg.get("activation", "tanh"), keras2), activation(cfg.get("recurrent_activation", "sigmoid"), keras2)
    reset_after = cfg.get("reset_after", not keras2)
    def step(xt, st):
        h = np.zeros((xt.shape[0], units)) if st is None else st
        sl = lambda a, q: a[..., q * units:(q + 1) * units]
        if reset_after:
            mx, mi = xt @ k + b[0], h @ u + b[1]
            z, r = rec(sl(mx, 0) + sl(mi, 0)), rec(sl(mx, 1) + sl(mi, 1))
            hh = act(sl(mx, 2) + r * sl(mi, 2))
        else:
            mx = xt @ k + b
            z, r = rec(sl(mx, 0) + h @ sl(u, 0)), rec(sl(mx, 1) + h @ sl(u, 1))
            hh = act(sl(mx, 2) + (r * h) @ sl(u, 2))
        h = z * h + (1 - z) * hh
        return h, h
    return step


CELLS = {"SimpleRNN": simple_rnn_cell, "LSTM": lstm_cell, "GRU": gru_cell}


def call(cls, cfg, w, inputs, keras2):
    x = inputs[0]
    if cls in ("InputLayer", "Dropout"):
        return x
    if cls == "Dense":
        return activation(cfg.get("activation"), keras2)(x @ w[0] + (w[1] if cfg.get("use_bias", True) else 0))
    if cls == "Activation":
        return activation(cfg["activation"], keras2)(x)
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1)
    if cls == "Concatenate":
        return np.concatenate(inputs, axis=cfg.get("axis", -1))
    if cls == "Add":
        return sum(inputs)
    if cls == "Conv2D":
        y = conv2d(x, w[0], cfg["strides"], cfg["padding"], cfg.get("dilation_rate", (1, 1)))
        if cfg.get("use_bias", True): y = y + w[1]
        return activation(cfg.get("activation"), keras2)(y)
    if cls == "SeparableConv2D":
        y = conv2d(depthwise(x, w[0], cfg["strides"], cfg["padding"]), w[1], (1, 1), "valid")
        if cfg.get("use_bias", True): y = y + w[2]
        return activation(cfg.get("activation"), keras2)(y)
    if cls == "MaxPooling2D":
        return max_pool(x, cfg["pool_size"], cfg.get("strides") or cfg["pool_size"], cfg["padding"])
    if cls == "GlobalAveragePooling2D":
        return x.mean(axis=(1, 2))
    if cls == "BatchNormalization":
        it = iter(w)
        gamma = next(it) if cfg.get("scale", True) else 1.0
        beta = next(it) if cfg.get("center", True) else 0.0
        mean, var = next(it), next(it)
        return gamma * (x - mean) / np.sqrt(var + cfg.get("epsilon", 1e-3)) + beta
    if cls == "Embedding":
        return w[0][x.astype(np.int64)]
    if cls in CELLS:
        return rnn(x, CELLS[cls](w, cfg, keras2), cfg.get("go_backwards", False), cfg.get("return_sequences", False))
    if cls == "Bidirectional":
        inner = cfg["layer"]
        icls, icfg = inner["class_name"], inner["config"]
        half = len(w) // 2
        seq = icfg.get("return_sequences", False)
        fwd = rnn(x, CELLS[icls](w[:half], icfg, keras2), icfg.get("go_backwards", False), seq)
        bwd = rnn(x, CELLS[icls](w[half:], icfg, keras2), not icfg.get("go_backwards", False), seq)
        if seq: bwd = bwd[:, ::-1]
        mode = cfg.get("merge_mode", "concat")
        return {"concat": lambda: np.concatenate([fwd, bwd], -1), "sum": lambda: fwd + bwd,
                "ave": lambda: (fwd + bwd) / 2, "mul": lambda: fwd * bwd}[mode]()
    raise NotImplementedError(cls)


class Keras3Weights:
    """.keras: the weights of model.layers[i] at layers/<unique snake_case class>/..."""
    def __init__(self, h5, layers, functional):
        self.h5, self.paths, seen = h5, {}, {}
        for l in layers:
            if l["class_name"] == "InputLayer" and not functional: continue
            base = snake(l["class_name"])
            k = seen.get(base, 0)
            seen[base] = k + 1
            self.paths[l["config"]["name"]] = "layers/" + (base if k == 0 else f"{base}_{k}")

    def vars(self, group):
        if group not in self.h5: return []
        g = self.h5[group]
        return [g[str(i)][()].astype(np.float64) for i in range(len(g))]

    def __call__(self, l):
        p = self.paths.get(l["config"]["name"])
        if p is None: return []
        if l["class_name"] in CELLS: return self.vars(p + "/cell/vars")
        if l["class_name"] == "Bidirectional":
            return self.vars(p + "/forward_layer/cell/vars") + self.vars(p + "/backward_layer/cell/vars")
        return self.vars(p + "/vars")


class LegacyWeights:
    """Legacy .h5: model_weights/<layer name>, datasets in the order of its weight_names attribute."""
    def __init__(self, h5): self.h5 = h5["model_weights"]
    def __call__(self, l):
        name = l["config"]["name"]
        if name not in self.h5: return []
        g = self.h5[name]
        names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs.get("weight_names", [])]
        return [g[n][()].astype(np.float64) for n in names]


def load(path):
    with open(path, "rb") as fh:
        zipped = fh.read(4) == b"PK\x03\x04"
    if zipped:
        z = zipfile.ZipFile(path)
        cfg = json.loads(z.read("config.json"))
        h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        keras_version = json.loads(z.read("metadata.json"))["keras_version"]
    else:
        h5 = h5py.File(path, "r")
        a = h5.attrs["model_config"]
        cfg = json.loads(a if isinstance(a, str) else a.decode())
        v = h5.attrs.get("keras_version", b"")
        keras_version = v if isinstance(v, str) else v.decode()
    layers = cfg["config"] if isinstance(cfg["config"], list) else cfg["config"]["layers"]
    functional = cfg["class_name"] in ("Model", "Functional")
    weights = Keras3Weights(h5, layers, functional) if zipped else LegacyWeights(h5)
    return cfg, layers, functional, weights, keras_version.startswith("2.")


def inbound(l):
    """Names of the layers feeding l's (single) call, from Keras 3 {args, kwargs} nodes or Keras 2 nested lists."""
    nodes = l.get("inbound_nodes", [])
    if not nodes: return []
    node = nodes[0]
    if isinstance(node, dict):
        found = []
        def walk(v):
            if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__": found.append(v["config"]["keras_history"][0])
            elif isinstance(v, list): [walk(e) for e in v]
        walk(node["args"])
        return found
    return [e[0] for e in node]


def forward(path, x):
    cfg, layers, functional, weights, keras2 = load(path)
    if not functional:
        for l in layers:
            x = call(l["class_name"], l["config"], weights(l), [x], keras2)
        return x
    outs = {}
    inputs = cfg["config"]["input_layers"]
    if isinstance(inputs[0], str): inputs = [inputs]
    outs[inputs[0][0]] = x
    for l in layers:
        name = l["config"]["name"]
        if name in outs: continue
        outs[name] = call(l["class_name"], l["config"], weights(l), [outs[n] for n in inbound(l)], keras2)
    out = cfg["config"]["output_layers"]
    return outs[(out if isinstance(out[0], str) else out[0])[0]]


def input_shape(path):
    cfg, layers, functional, _, _ = load(path)
    first = layers[0]["config"]
    shape = first.get("batch_shape") or first.get("batch_input_shape")
    return shape[1:]


def make_input(batch, shape, kind, mod, shift, scale):
    i = np.arange(batch * int(np.prod(shape)), dtype=np.int64)
    if kind == "index":
        v = ((i * 7919 + 13) % mod).astype(np.float32)
    else:
        v = (((i % mod) - shift) / scale).astype(np.float32)
    return v.reshape([batch] + list(shape)).astype(np.float64)


def cs_float(v):
    return repr(float(np.float32(v))) + "f"


def main():
    entries = []
    for file, batch, kind, mod, shift, scale in CASES:
        path = os.path.join(FILES, file)
        shape = input_shape(path)
        y = forward(path, make_input(batch, shape, kind, mod, shift, scale))
        print(file, list(y.shape), y.ravel()[:4])
        values = ", ".join(cs_float(v) for v in y.ravel())
        entries.append(
            f'        new("{file}", Batch: {batch}, InputShape: [{", ".join(str(d) for d in shape)}], Indices: {"true" if kind == "index" else "false"},\n'
            f'            Mod: {mod}, Shift: {shift}, Scale: {scale}, OutputShape: [{", ".join(str(d) for d in y.shape)}],\n'
            f'            Expected: [{values}]),')
    with open(OUT, "w") as f:
        f.write("// <auto-generated> by tools/make_real_file_references.py: an independent NumPy forward pass over the weights stored in\n")
        f.write("// each real Keras file of ../shared/keras-files. Do not edit; rerun the script.</auto-generated>\n")
        f.write("namespace Dendrite.Tests.Saving;\n\n")
        f.write("/// <summary>One real Keras file, its fixed input (see <see cref=\"RealKerasFileReference.Input\"/>) and what NumPy predicts for it.</summary>\n")
        f.write("internal static class RealKerasFileReferences\n{\n")
        f.write("    public static readonly RealKerasFileReference[] All =\n    [\n")
        f.write("\n".join(entries))
        f.write("\n    ];\n}\n")


if __name__ == "__main__":
    main()
