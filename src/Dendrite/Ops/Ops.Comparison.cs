namespace Dendrite;

public static partial class Ops
{
    /// <summary>1 where x &gt; c, else 0 (no gradient).</summary>
    public static Tensor Greater(Tensor x, float c) => Greater(x, Tensor.Scalar(c));
    /// <summary>1 where x &gt;= c, else 0 (no gradient).</summary>
    public static Tensor GreaterEqual(Tensor x, float c) => GreaterEqual(x, Tensor.Scalar(c));
    /// <summary>1 where x &lt; c, else 0 (no gradient).</summary>
    public static Tensor Less(Tensor x, float c) => Less(x, Tensor.Scalar(c));
    /// <summary>1 where x &lt;= c, else 0 (no gradient).</summary>
    public static Tensor LessEqual(Tensor x, float c) => LessEqual(x, Tensor.Scalar(c));
    /// <summary>1 where x == c, else 0 (no gradient).</summary>
    public static Tensor Equal(Tensor x, float c) => Equal(x, Tensor.Scalar(c));
    /// <summary>1 where x != c, else 0 (no gradient).</summary>
    public static Tensor NotEqual(Tensor x, float c) => NotEqual(x, Tensor.Scalar(c));
}
