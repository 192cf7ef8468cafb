namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float c) => Ops.Add(a, c);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(float c, Tensor a) => Ops.Add(a, c);
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float c) => Ops.Add(a, -c);
    /// <summary>Subtracts from a scalar.</summary>
    public static Tensor operator -(float c, Tensor a) => Ops.Add(Ops.Neg(a), c);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, float c) => Ops.Mul(a, c);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(float c, Tensor a) => Ops.Mul(a, c);
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, float c) => Ops.Mul(a, 1f / c);
    /// <summary>Divides a scalar by each element.</summary>
    public static Tensor operator /(float c, Tensor a) => Ops.Mul(Ops.Reciprocal(a), c);

    /// <summary>Same as <see cref="Ops.MatMul"/>.</summary>
    public Tensor MatMul(Tensor other) => Ops.MatMul(this, other);
    /// <summary>Same as <see cref="Ops.Reshape(Tensor, int[])"/>.</summary>
    public Tensor Reshape(params int[] shape) => Ops.Reshape(this, shape);
    /// <summary>Same as <see cref="Ops.Transpose"/>.</summary>
    public Tensor Transpose(params int[] perm) => Ops.Transpose(this, perm);
    /// <summary>The 2-D transpose.</summary>
    public Tensor T => Ops.Transpose(this);
    /// <summary>Sum of all elements (or over axes).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDims = false) => Ops.Sum(this, axes, keepDims);
    /// <summary>Mean of all elements (or over axes).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDims = false) => Ops.Mean(this, axes, keepDims);
}
