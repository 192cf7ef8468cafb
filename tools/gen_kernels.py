#!/usr/bin/env python3
"""Generates src/Dendrite/Backends/Cpu/Kernels/{UnaryOps,UnaryGradOps,BinaryOps}.cs.

Each op is one readonly struct with a scalar path and Vector256/Vector512 paths written from the same
expression (V stands for the vector type), so the paths cannot drift apart. Run: python3 tools/gen_kernels.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEST = os.path.join(HERE, "..", "src", "Dendrite", "Backends", "Cpu", "Kernels")

UNARY = [  # name, scalar f(x), vector f(x) or None (scalar lanes)
    ("Neg", "-x", "-x"),
    ("Exp", "MathF.Exp(x)", "VMath.Exp(x)"),
    ("Log", "MathF.Log(x)", "VMath.Log(x)"),
    ("Sqrt", "MathF.Sqrt(x)", "V.Sqrt(x)"),
    ("Abs", "MathF.Abs(x)", "V.Abs(x)"),
    ("Square", "x * x", "x * x"),
    ("Reciprocal", "1f / x", "V<float>.One / x"),
    ("Relu", "x > 0f ? x : 0f", "V.Max(x, V<float>.Zero)"),
    ("Relu6", "x > 0f ? (x < 6f ? x : 6f) : 0f", "V.Min(V.Max(x, V<float>.Zero), V.Create(6f))"),
    ("LeakyRelu", "x > 0f ? x : alpha * x", "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), x, x * V.Create(alpha))"),
    ("Elu", "x > 0f ? x : alpha * (MathF.Exp(x) - 1f)",
     "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), x, V.Create(alpha) * (VMath.Exp(x) - V<float>.One))"),
    ("Selu", "x > 0f ? C.SeluScale * x : C.SeluScale * C.SeluAlpha * (MathF.Exp(x) - 1f)",
     "V.Create(C.SeluScale) * V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), x, V.Create(C.SeluAlpha) * (VMath.Exp(x) - V<float>.One))"),
    ("Gelu", "0.5f * x * (1f + VMath.Erf(x * C.InvSqrt2))", "V.Create(0.5f) * x * (V<float>.One + VMath.Erf(x * V.Create(C.InvSqrt2)))"),
    ("GeluTanh", "0.5f * x * (1f + MathF.Tanh(C.Sqrt2OverPi * (x + 0.044715f * x * x * x)))",
     "V.Create(0.5f) * x * (V<float>.One + VMath.Tanh(V.Create(C.Sqrt2OverPi) * (x + V.Create(0.044715f) * x * x * x)))"),
    ("Sigmoid", "VMath.Sigmoid(x)", "VMath.Sigmoid(x)"),
    ("HardSigmoid", "MathF.Min(MathF.Max(x / 6f + 0.5f, 0f), 1f)", "V.Min(V.Max(x * V.Create(1f / 6f) + V.Create(0.5f), V<float>.Zero), V<float>.One)"),
    # Keras 2's hard_sigmoid (slope 0.2), which legacy Keras 1.x/2.x files name "hard_sigmoid".
    ("HardSigmoidKeras2", "MathF.Min(MathF.Max(0.2f * x + 0.5f, 0f), 1f)", "V.Min(V.Max(x * V.Create(0.2f) + V.Create(0.5f), V<float>.Zero), V<float>.One)"),
    ("Tanh", "MathF.Tanh(x)", "VMath.Tanh(x)"),
    ("Softplus", "VMath.Softplus(x)", "VMath.Softplus(x)"),
    ("Softsign", "x / (1f + MathF.Abs(x))", "x / (V<float>.One + V.Abs(x))"),
    ("Silu", "x * VMath.Sigmoid(x)", "x * VMath.Sigmoid(x)"),
    ("Mish", "x * MathF.Tanh(VMath.Softplus(x))", "x * VMath.Tanh(VMath.Softplus(x))"),
    ("Heaviside", "x >= 0f ? 1f : 0f", "V.ConditionalSelect(V.GreaterThanOrEqual(x, V<float>.Zero), V<float>.One, V<float>.Zero)"),
    ("Sign", "x > 0f ? 1f : x < 0f ? -1f : 0f",
     "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), V<float>.One, V<float>.Zero) - V.ConditionalSelect(V.LessThan(x, V<float>.Zero), V<float>.One, V<float>.Zero)"),
    ("Clip", "MathF.Min(MathF.Max(x, alpha), beta)", "V.Min(V.Max(x, V.Create(alpha)), V.Create(beta))"),
    ("AddScalar", "x + alpha", "x + V.Create(alpha)"),
    ("MulScalar", "x * alpha", "x * V.Create(alpha)"),
    ("PowScalar", "MathF.Pow(x, alpha)", None),
]

GRAD = [  # name, scalar dx(x, y, dy), vector dx or None
    ("Neg", "-dy", "-dy"),
    ("Exp", "dy * y", "dy * y"),
    ("Log", "dy / x", "dy / x"),
    ("Sqrt", "dy * 0.5f / y", "dy * V.Create(0.5f) / y"),
    ("Abs", "x > 0f ? dy : x < 0f ? -dy : 0f",
     "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), dy, V<float>.Zero) - V.ConditionalSelect(V.LessThan(x, V<float>.Zero), dy, V<float>.Zero)"),
    ("Square", "2f * x * dy", "V.Create(2f) * x * dy"),
    ("Reciprocal", "-dy * y * y", "-dy * y * y"),
    ("Relu", "x > 0f ? dy : 0f", "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), dy, V<float>.Zero)"),
    ("Relu6", "x > 0f && x < 6f ? dy : 0f", "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero) & V.LessThan(x, V.Create(6f)), dy, V<float>.Zero)"),
    ("LeakyRelu", "x > 0f ? dy : alpha * dy", "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), dy, dy * V.Create(alpha))"),
    ("Elu", "x > 0f ? dy : dy * (y + alpha)", "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), dy, dy * (y + V.Create(alpha)))"),
    ("Selu", "x > 0f ? C.SeluScale * dy : dy * (y + C.SeluScale * C.SeluAlpha)",
     "V.ConditionalSelect(V.GreaterThan(x, V<float>.Zero), dy * V.Create(C.SeluScale), dy * (y + V.Create(C.SeluScale * C.SeluAlpha)))"),
    ("Gelu", "dy * (0.5f * (1f + VMath.Erf(x * C.InvSqrt2)) + x * C.InvSqrt2Pi * MathF.Exp(-0.5f * x * x))",
     "dy * (V.Create(0.5f) * (V<float>.One + VMath.Erf(x * V.Create(C.InvSqrt2))) + x * V.Create(C.InvSqrt2Pi) * VMath.Exp(V.Create(-0.5f) * x * x))"),
    ("GeluTanh", "dy * GeluTanhDerivative(x)", "dy * GeluTanhDerivative(x)"),
    ("Sigmoid", "dy * y * (1f - y)", "dy * y * (V<float>.One - y)"),
    ("HardSigmoid", "x > -3f && x < 3f ? dy / 6f : 0f",
     "V.ConditionalSelect(V.GreaterThan(x, V.Create(-3f)) & V.LessThan(x, V.Create(3f)), dy * V.Create(1f / 6f), V<float>.Zero)"),
    ("HardSigmoidKeras2", "x > -2.5f && x < 2.5f ? dy * 0.2f : 0f",
     "V.ConditionalSelect(V.GreaterThan(x, V.Create(-2.5f)) & V.LessThan(x, V.Create(2.5f)), dy * V.Create(0.2f), V<float>.Zero)"),
    ("Tanh", "dy * (1f - y * y)", "dy * (V<float>.One - y * y)"),
    ("Softplus", "dy * VMath.Sigmoid(x)", "dy * VMath.Sigmoid(x)"),
    ("Softsign", "dy / ((1f + MathF.Abs(x)) * (1f + MathF.Abs(x)))", "dy / ((V<float>.One + V.Abs(x)) * (V<float>.One + V.Abs(x)))"),
    ("Silu", "dy * VMath.Sigmoid(x) * (1f + x * (1f - VMath.Sigmoid(x)))", "dy * VMath.Sigmoid(x) * (V<float>.One + x * (V<float>.One - VMath.Sigmoid(x)))"),
    ("Mish", "dy * MishDerivative(x)", "dy * MishDerivative(x)"),
    ("Clip", "x >= alpha && x <= beta ? dy : 0f",
     "V.ConditionalSelect(V.GreaterThanOrEqual(x, V.Create(alpha)) & V.LessThanOrEqual(x, V.Create(beta)), dy, V<float>.Zero)"),
    ("MulScalar", "dy * alpha", "dy * V.Create(alpha)"),
    ("PowScalar", "dy * alpha * MathF.Pow(x, alpha - 1f)", None),
]

BINARY = [  # name, scalar f(a, b), vector f(a, b) or None
    ("Add", "a + b", "a + b"),
    ("Sub", "a - b", "a - b"),
    ("Mul", "a * b", "a * b"),
    ("Div", "a / b", "a / b"),
    ("Pow", "MathF.Pow(a, b)", None),
    ("Minimum", "MathF.Min(a, b)", "V.Min(a, b)"),
    ("Maximum", "MathF.Max(a, b)", "V.Max(a, b)"),
    ("Greater", "a > b ? 1f : 0f", "V.ConditionalSelect(V.GreaterThan(a, b), V<float>.One, V<float>.Zero)"),
    ("GreaterEqual", "a >= b ? 1f : 0f", "V.ConditionalSelect(V.GreaterThanOrEqual(a, b), V<float>.One, V<float>.Zero)"),
    ("Less", "a < b ? 1f : 0f", "V.ConditionalSelect(V.LessThan(a, b), V<float>.One, V<float>.Zero)"),
    ("LessEqual", "a <= b ? 1f : 0f", "V.ConditionalSelect(V.LessThanOrEqual(a, b), V<float>.One, V<float>.Zero)"),
    ("Equal", "a == b ? 1f : 0f", "V.ConditionalSelect(V.Equals(a, b), V<float>.One, V<float>.Zero)"),
    ("NotEqual", "a != b ? 1f : 0f", "V<float>.One - V.ConditionalSelect(V.Equals(a, b), V<float>.One, V<float>.Zero)"),
    # max(z, 0) - z t + log(1 + exp(-|z|)): binary cross-entropy from logits z against targets t.
    ("SigmoidCrossEntropy", "MathF.Max(a, 0f) - a * b + MathF.Log(1f + MathF.Exp(-MathF.Abs(a)))",
     "V.Max(a, V<float>.Zero) - a * b + VMath.Log(V<float>.One + VMath.Exp(-V.Abs(a)))"),
    ("SigmoidCrossEntropyGrad", "VMath.Sigmoid(a) - b", "VMath.Sigmoid(a) - b"),
]

HEADER = ["// <auto-generated> by tools/gen_kernels.py; edit the generator, not this file. </auto-generated>",
          "using System.Runtime.CompilerServices;", "using System.Runtime.Intrinsics;", "using C = Dendrite.Backends.Cpu.Kernels.KernelConstants;", "",
          "namespace Dendrite.Backends.Cpu.Kernels;", ""]


def vec(expr, width):
    return expr.replace("V<float>", f"Vector{width}<float>").replace("V.", f"Vector{width}.")


def emit(path, items, iface, params, call):
    out = list(HEADER)
    for name, s, v in items:
        out.append(f"internal readonly partial struct {name}{'Grad' if iface == 'IUnaryGradOp' else ''}Op(float alpha = 0f, float beta = 0f) : {iface}")
        out.append("{")
        out.append(f"    public float Invoke({', '.join('float ' + p for p in params)}) => {s};")
        for w in ("256", "512"):
            sig = ", ".join(f"Vector{w}<float> {p}" for p in params)
            if v is None:
                # Lane by lane through the scalar path, without a stackalloc'd buffer (a method with one is never
                # inlined, and crossgen2 refuses a driver whose op's vector method it could not inline).
                lanes = 16 if w == "512" else 8
                args = ", ".join("Invoke(" + ", ".join(f"{p}.GetElement({i})" for p in params) + ")" for i in range(lanes))
                out.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
                out.append(f"    public Vector{w}<float> Invoke({sig}) => Vector{w}.Create({args});")
            else:
                # Inlined into the drivers' loops: crossgen2 cannot precompile a method with a vector parameter on its
                # own, so a driver whose op it did not inline was left to the JIT (the GELU gradient was).
                out.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
                out.append(f"    public Vector{w}<float> Invoke({sig}) => {vec(v, w)};")
        out.append(f"    private float Unused => alpha + beta;")
        out.append("}")
        out.append("")
    with open(os.path.join(DEST, path), "w") as f:
        f.write("\n".join(out))


emit("UnaryOps.cs", UNARY, "IUnaryOp", ["x"], None)
emit("UnaryGradOps.cs", GRAD, "IUnaryGradOp", ["x", "y", "dy"], None)
emit("BinaryOps.cs", BINARY, "IBinaryOp", ["a", "b"], None)
print("generated", len(UNARY), len(GRAD), len(BINARY))
