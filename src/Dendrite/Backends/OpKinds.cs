namespace Dendrite.Backends;

/// <summary>Elementwise one-input ops a backend implements (forward and gradient).</summary>
public enum UnaryOp
{
    /// <summary>-x</summary>
    Neg,
    /// <summary>e^x</summary>
    Exp,
    /// <summary>ln x</summary>
    Log,
    /// <summary>sqrt x</summary>
    Sqrt,
    /// <summary>|x|</summary>
    Abs,
    /// <summary>x^2</summary>
    Square,
    /// <summary>1/x</summary>
    Reciprocal,
    /// <summary>max(x, 0)</summary>
    Relu,
    /// <summary>min(max(x, 0), 6)</summary>
    Relu6,
    /// <summary>x if x &gt; 0 else alpha x</summary>
    LeakyRelu,
    /// <summary>x if x &gt; 0 else alpha (e^x - 1)</summary>
    Elu,
    /// <summary>scaled ELU</summary>
    Selu,
    /// <summary>exact GELU</summary>
    Gelu,
    /// <summary>tanh-approximated GELU</summary>
    GeluTanh,
    /// <summary>logistic function</summary>
    Sigmoid,
    /// <summary>clip(x/6 + 1/2, 0, 1)</summary>
    HardSigmoid,
    /// <summary>clip(0.2 x + 1/2, 0, 1): Keras 2's hard sigmoid</summary>
    HardSigmoidKeras2,
    /// <summary>hyperbolic tangent</summary>
    Tanh,
    /// <summary>ln(1 + e^x)</summary>
    Softplus,
    /// <summary>x / (1 + |x|)</summary>
    Softsign,
    /// <summary>x sigmoid(x)</summary>
    Silu,
    /// <summary>x tanh(softplus x)</summary>
    Mish,
    /// <summary>1 if x &gt;= 0 else 0</summary>
    Heaviside,
    /// <summary>-1, 0 or 1</summary>
    Sign,
    /// <summary>clip to [alpha, beta]</summary>
    Clip,
    /// <summary>x + alpha</summary>
    AddScalar,
    /// <summary>x * alpha</summary>
    MulScalar,
    /// <summary>x^alpha</summary>
    PowScalar,
}

/// <summary>Elementwise two-input ops with NumPy broadcasting.</summary>
public enum BinaryOp
{
    /// <summary>a + b</summary>
    Add,
    /// <summary>a - b</summary>
    Sub,
    /// <summary>a * b</summary>
    Mul,
    /// <summary>a / b</summary>
    Div,
    /// <summary>a^b</summary>
    Pow,
    /// <summary>min(a, b)</summary>
    Minimum,
    /// <summary>max(a, b)</summary>
    Maximum,
    /// <summary>a &gt; b</summary>
    Greater,
    /// <summary>a &gt;= b</summary>
    GreaterEqual,
    /// <summary>a &lt; b</summary>
    Less,
    /// <summary>a &lt;= b</summary>
    LessEqual,
    /// <summary>a == b</summary>
    Equal,
    /// <summary>a != b</summary>
    NotEqual,
    /// <summary>binary cross-entropy of logits a against targets b</summary>
    SigmoidCrossEntropy,
    /// <summary>sigmoid(a) - b</summary>
    SigmoidCrossEntropyGrad,
}

/// <summary>Reductions over axes.</summary>
public enum ReduceOp
{
    /// <summary>sum</summary>
    Sum,
    /// <summary>maximum</summary>
    Max,
    /// <summary>minimum</summary>
    Min,
}
