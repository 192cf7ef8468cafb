#!/usr/bin/python3
"""Writes tests/Dendrite.Tests/Models/KerasReferences.cs: expected values computed independently of Dendrite.

Optimizers: Keras 3's update formulas (keras/src/optimizers/*.py) re-implemented in float64 NumPy, applied for three
steps to a Dense(3 -> 2, linear) layer under mean squared error, with gradients derived by hand.
Losses: PyTorch where it has the same loss, NumPy with Keras's formulas otherwise.
Metrics: scikit-learn.
Run: /usr/bin/python3 tools/make_keras_references.py (after ../shared/peers/setup.sh).
"""
import os
import numpy as np
import torch
import torch.nn.functional as F
from sklearn import metrics as skm

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Dendrite.Tests", "Models", "KerasReferences.cs")

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-1.0, 2.0, 0.75], [0.0, -0.5, 1.0]])
Y = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 3.0], [2.0, 1.0]])
W0 = np.array([[0.2, -0.3], [0.4, 0.1], [-0.5, 0.25]])
B0 = np.array([0.1, -0.2])


def grads(w, b):
    """MSE = mean over all 8 values of (xW + b - y)^2; d/dW = 2/8 X^T (pred - y)."""
    err = X @ w + b - Y
    n = err.size
    return 2.0 / n * X.T @ err, 2.0 / n * err.sum(0)


def clip(gs, clipnorm=None, clipvalue=None, global_clipnorm=None):
    if clipnorm:
        return [g * clipnorm / max(np.linalg.norm(g), clipnorm) for g in gs]
    if global_clipnorm:
        total = np.sqrt(sum((g ** 2).sum() for g in gs))
        return [g * global_clipnorm / max(total, global_clipnorm) for g in gs]
    if clipvalue:
        return [np.clip(g, -clipvalue, clipvalue) for g in gs]
    return gs


def run(update, steps=3, wd=None, lr=0.1, **clipping):
    w, b = W0.copy(), B0.copy()
    state = {}
    for t in range(steps):
        gs = clip(list(grads(w, b)), **clipping)
        params = [w, b]
        if wd:
            params = [p - p * wd * lr for p in params]
        params = [update(p, g, state.setdefault(i, {}), t, lr) for i, (p, g) in enumerate(zip(params, gs))]
        w, b = params
        state["_step_done"] = True
    return w, b


def sgd(momentum=0.0, nesterov=False):
    def u(p, g, s, t, lr):
        if momentum == 0:
            return p - lr * g
        m = s.get("m", np.zeros_like(p))
        m = momentum * m - lr * g
        s["m"] = m
        return p + (momentum * m - lr * g if nesterov else m)
    return u


def adam(b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    def u(p, g, s, t, lr):
        m = s.get("m", np.zeros_like(p)); v = s.get("v", np.zeros_like(p)); vh = s.get("vh", np.zeros_like(p))
        step = t + 1
        alpha = lr * np.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        s["m"], s["v"] = m, v
        if amsgrad:
            vh = np.maximum(vh, v); s["vh"] = vh; v = vh
        return p - alpha * m / (np.sqrt(v) + eps)
    return u


def rmsprop(rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    def u(p, g, s, t, lr):
        v = s.get("v", np.zeros_like(p)); m = s.get("m", np.zeros_like(p)); a = s.get("a", np.zeros_like(p))
        v = rho * v + (1 - rho) * g * g
        denom = v
        if centered:
            a = rho * a + (1 - rho) * g; denom = v - a * a
        inc = lr * g / np.sqrt(denom + eps)
        s["v"], s["a"] = v, a
        if momentum > 0:
            m = momentum * m + inc; s["m"] = m
            return p - m
        return p - inc
    return u


def adagrad(init=0.1, eps=1e-7):
    def u(p, g, s, t, lr):
        acc = s.get("acc", np.full_like(p, init)) + g * g
        s["acc"] = acc
        return p - lr * g / np.sqrt(acc + eps)
    return u


class Nadam:
    def __init__(self, b1=0.9, b2=0.999, eps=1e-7):
        self.b1, self.b2, self.eps, self.uprod, self.last_t = b1, b2, eps, 1.0, -1

    def __call__(self, p, g, s, t, lr):
        b1, b2 = self.b1, self.b2
        ut = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        ut1 = b1 * (1 - 0.5 * 0.96 ** (t + 2))
        if self.last_t != t:
            self.uprod *= ut
            self.last_t = t
        uprod_t1 = self.uprod * ut1
        m = s.get("m", np.zeros_like(p)); v = s.get("v", np.zeros_like(p))
        m = m + (g - m) * (1 - b1); v = v + (g * g - v) * (1 - b2)
        s["m"], s["v"] = m, v
        m_hat = ut1 * m / (1 - uprod_t1) + (1 - ut) * g / (1 - self.uprod)
        v_hat = v / (1 - b2 ** (t + 1))
        return p - lr * m_hat / (np.sqrt(v_hat) + self.eps)


CASES = [
    ("new SGD(learningRate: 0.1)", sgd(), {}),
    ("new SGD(learningRate: 0.1, momentum: 0.9)", sgd(0.9), {}),
    ("new SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)", sgd(0.9, True), {}),
    ("new SGD(learningRate: 0.1, clipnorm: 0.5)", sgd(), {"clipnorm": 0.5}),
    ("new SGD(learningRate: 0.1, clipvalue: 0.2)", sgd(), {"clipvalue": 0.2}),
    ("new SGD(learningRate: 0.1, globalClipnorm: 0.5)", sgd(), {"global_clipnorm": 0.5}),
    ("new SGD(learningRate: 0.1, weightDecay: 0.05)", sgd(), {"wd": 0.05}),
    ("new Adam(learningRate: 0.1)", adam(), {}),
    ("new Adam(learningRate: 0.1, amsgrad: true)", adam(amsgrad=True), {}),
    ("new AdamW(learningRate: 0.1)", adam(), {"wd": 0.004}),
    ("new RMSprop(learningRate: 0.1)", rmsprop(), {}),
    ("new RMSprop(learningRate: 0.1, momentum: 0.5, centered: true)", rmsprop(momentum=0.5, centered=True), {}),
    ("new Adagrad(learningRate: 0.1)", adagrad(), {}),
    ("new Nadam(learningRate: 0.1)", Nadam(), {}),
]


def arr(a):
    return "[" + ", ".join(f"{v:.9g}f" for v in np.asarray(a, dtype=np.float64).flatten()) + "]"


L = ["// <auto-generated> by tools/make_keras_references.py; do not edit. </auto-generated>", "#nullable enable",
     "using Dendrite.Losses;", "using Dendrite.Optimizers;", "", "namespace Dendrite.Tests.Models;", "",
     "/// <summary>Values computed independently (NumPy with Keras's formulas, PyTorch, scikit-learn).</summary>",
     "internal static class KerasReferences", "{",
     f"    public static readonly float[] X = {arr(X)}, Y = {arr(Y)}, Kernel0 = {arr(W0)}, Bias0 = {arr(B0)};", "",
     "    /// <summary>Optimizer, kernel and bias after 3 steps of Dense(2) on X (4x3) -> Y (4x2) under MSE.</summary>",
     "    public static (string Name, Func<Optimizer> Make, float[] Kernel, float[] Bias)[] Optimizers() =>", "    ["]
for code, upd, kw in CASES:
    wd = kw.pop("wd", None)
    w, b = run(upd, wd=wd, **kw)
    L.append(f'        ("{code}", () => {code}, {arr(w)}, {arr(b)}),')
L += ["    ];", ""]

# Losses.
yt = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
yp = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.05, 0.15, 0.8]], dtype=torch.float64)
logits = torch.tensor([[1.0, 2.5, -0.5], [0.3, -1.2, 2.0], [-2.0, 0.5, 1.0]], dtype=torch.float64)
reg_t = torch.tensor([[1.0, -2.0], [0.5, 3.0], [2.0, 0.0]], dtype=torch.float64)
reg_p = torch.tensor([[1.5, -1.0], [0.0, 2.5], [4.0, 0.25]], dtype=torch.float64)
bin_t = torch.tensor([[1.0], [0.0], [1.0], [0.0]], dtype=torch.float64)
bin_p = torch.tensor([[0.9], [0.2], [0.4], [0.6]], dtype=torch.float64)
bin_z = torch.tensor([[2.0], [-1.0], [0.3], [4.0]], dtype=torch.float64)
t, p = reg_t.numpy(), reg_p.numpy()
losses = {
    "mse": ("\"mse\"", reg_t, reg_p, F.mse_loss(reg_p, reg_t).item()),
    "mae": ("\"mae\"", reg_t, reg_p, F.l1_loss(reg_p, reg_t).item()),
    "huber": ("new Huber()", reg_t, reg_p, F.huber_loss(reg_p, reg_t, delta=1.0).item()),
    "huber2": ("new Huber(delta: 2.0)", reg_t, reg_p, F.huber_loss(reg_p, reg_t, delta=2.0).item()),
    "log_cosh": ("\"log_cosh\"", reg_t, reg_p, float(np.mean(np.log(np.cosh(p - t))))),
    "mape": ("\"mape\"", reg_t, reg_p, float(np.mean(100 * np.abs((t - p) / np.maximum(np.abs(t), 1e-7))))),
    "msle": ("\"msle\"", torch.abs(reg_t), torch.abs(reg_p),
             float(np.mean((np.log(np.maximum(np.abs(p), 1e-7) + 1) - np.log(np.maximum(np.abs(t), 1e-7) + 1)) ** 2))),
    "cce": ("\"categorical_crossentropy\"", yt, yp, F.nll_loss(torch.log(yp), yt.argmax(1)).item()),
    "cce_logits": ("new CategoricalCrossentropy(fromLogits: true)", yt, logits, F.cross_entropy(logits, yt.argmax(1)).item()),
    "cce_smooth": ("new CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1)", yt, logits,
                   F.cross_entropy(logits, yt.argmax(1), label_smoothing=0.1).item()),
    "scce": ("\"sparse_categorical_crossentropy\"", yt.argmax(1, keepdim=True).double(), yp, F.nll_loss(torch.log(yp), yt.argmax(1)).item()),
    "bce": ("\"binary_crossentropy\"", bin_t, bin_p, F.binary_cross_entropy(bin_p, bin_t).item()),
    "bce_logits": ("new BinaryCrossentropy(fromLogits: true)", bin_t, bin_z, F.binary_cross_entropy_with_logits(bin_z, bin_t).item()),
    "bce_smooth": ("new BinaryCrossentropy(labelSmoothing: 0.2)", bin_t, bin_p, F.binary_cross_entropy(bin_p, bin_t * 0.8 + 0.1).item()),
    "hinge": ("\"hinge\"", bin_t, bin_z, float(np.mean(np.maximum(1 - (2 * bin_t.numpy() - 1) * bin_z.numpy(), 0)))),
    "kld": ("\"kl_divergence\"", yt * 0.7 + 0.1, yp, F.kl_div(torch.log(yp), yt * 0.7 + 0.1, reduction="batchmean").item()),
}
L.append("    /// <summary>Loss (as C# code), y_true, its shape, y_pred, its shape, expected scalar loss.</summary>")
L.append("    public static (string Key, Func<Dendrite.Losses.Loss> Make, float[] YTrue, int[] TShape, float[] YPred, int[] PShape, float Expected)[] Losses() =>")
L.append("    [")
for key, (code, a, b, v) in losses.items():
    L.append(f'        ("{key}", () => {code}, {arr(a.numpy())}, [{", ".join(map(str, a.shape))}], {arr(b.numpy())}, [{", ".join(map(str, b.shape))}], {v:.9g}f),')
L += ["    ];", ""]

# Metrics via scikit-learn.
rng = np.random.default_rng(3)
m_true = rng.integers(0, 2, 40).astype(float)
m_prob = np.clip(m_true * 0.35 + rng.random(40) * 0.65, 0, 1)
m_pred = (m_prob > 0.5).astype(float)
L.append(f"    public static readonly float[] BinTrue = {arr(m_true)}, BinProb = {arr(m_prob)};")
L.append(f"    public static readonly float BinAccuracy = {skm.accuracy_score(m_true, m_pred):.9g}f, BinPrecision = {skm.precision_score(m_true, m_pred):.9g}f,"
         f" BinRecall = {skm.recall_score(m_true, m_pred):.9g}f, BinF1 = {skm.f1_score(m_true, m_pred):.9g}f, BinRocAuc = {skm.roc_auc_score(m_true, m_prob):.9g}f;")
c_true = rng.integers(0, 3, 30)
c_prob = rng.random((30, 3)); c_prob[np.arange(30), c_true] += 0.4; c_prob /= c_prob.sum(1, keepdims=True)
c_pred = c_prob.argmax(1)
L.append(f"    public static readonly float[] CatTrueOneHot = {arr(np.eye(3)[c_true])}, CatProb = {arr(c_prob)};")
L.append(f"    public static readonly float CatAccuracy = {skm.accuracy_score(c_true, c_pred):.9g}f,"
         f" CatF1Macro = {skm.f1_score(c_true, c_pred, average='macro'):.9g}f, CatF1Micro = {skm.f1_score(c_true, c_pred, average='micro'):.9g}f,"
         f" CatF1Weighted = {skm.f1_score(c_true, c_pred, average='weighted'):.9g}f,"
         f" CatTop2 = {skm.top_k_accuracy_score(c_true, c_prob, k=2):.9g}f;")
L.append("}")
with open(OUT, "w") as f:
    f.write("\n".join(L) + "\n")
print("wrote", OUT)
