namespace Dendrite;

public sealed partial class Tensor
{
    // Comparisons return a float tensor of 0s and 1s, elementwise with broadcasting, as NumPy and Keras do
    // (`y_proba > 0.5`); they carry no gradient. `==` and `!=` are deliberately NOT overloaded: Tensor is a reference type,
    // and C# code relies on `a == b` and `t == null` meaning identity; use Eq/Ne or Ops.Equal/Ops.NotEqual for elementwise equality.

    /// <summary>1 where a &gt; b, else 0 (elementwise, broadcasting; no gradient).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => Ops.Greater(a, b);
    /// <summary>1 where a &lt; b, else 0 (elementwise, broadcasting; no gradient).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => Ops.Less(a, b);
    /// <summary>1 where a &gt;= b, else 0 (elementwise, broadcasting; no gradient).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => Ops.GreaterEqual(a, b);
    /// <summary>1 where a &lt;= b, else 0 (elementwise, broadcasting; no gradient).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => Ops.LessEqual(a, b);

    /// <summary>1 where an element is greater than <paramref name="c"/>, else 0: <c>yProba &gt; 0.5f</c>.</summary>
    public static Tensor operator >(Tensor a, float c) => Ops.Greater(a, c);
    /// <summary>1 where an element is less than <paramref name="c"/>, else 0.</summary>
    public static Tensor operator <(Tensor a, float c) => Ops.Less(a, c);
    /// <summary>1 where an element is at least <paramref name="c"/>, else 0.</summary>
    public static Tensor operator >=(Tensor a, float c) => Ops.GreaterEqual(a, c);
    /// <summary>1 where an element is at most <paramref name="c"/>, else 0.</summary>
    public static Tensor operator <=(Tensor a, float c) => Ops.LessEqual(a, c);

    /// <summary>1 where <paramref name="c"/> is greater than the element, else 0.</summary>
    public static Tensor operator >(float c, Tensor a) => Ops.Less(a, c);
    /// <summary>1 where <paramref name="c"/> is less than the element, else 0.</summary>
    public static Tensor operator <(float c, Tensor a) => Ops.Greater(a, c);
    /// <summary>1 where <paramref name="c"/> is at least the element, else 0.</summary>
    public static Tensor operator >=(float c, Tensor a) => Ops.LessEqual(a, c);
    /// <summary>1 where <paramref name="c"/> is at most the element, else 0.</summary>
    public static Tensor operator <=(float c, Tensor a) => Ops.GreaterEqual(a, c);

    /// <summary>1 where an element is greater than <paramref name="c"/> (as float32), else 0: <c>yProba &gt; 0.5</c>.</summary>
    public static Tensor operator >(Tensor a, double c) => Ops.Greater(a, (float)c);
    /// <summary>1 where an element is less than <paramref name="c"/> (as float32), else 0.</summary>
    public static Tensor operator <(Tensor a, double c) => Ops.Less(a, (float)c);
    /// <summary>1 where an element is at least <paramref name="c"/> (as float32), else 0.</summary>
    public static Tensor operator >=(Tensor a, double c) => Ops.GreaterEqual(a, (float)c);
    /// <summary>1 where an element is at most <paramref name="c"/> (as float32), else 0.</summary>
    public static Tensor operator <=(Tensor a, double c) => Ops.LessEqual(a, (float)c);
    /// <summary>1 where <paramref name="c"/> (as float32) is greater than the element, else 0.</summary>
    public static Tensor operator >(double c, Tensor a) => Ops.Less(a, (float)c);
    /// <summary>1 where <paramref name="c"/> (as float32) is less than the element, else 0.</summary>
    public static Tensor operator <(double c, Tensor a) => Ops.Greater(a, (float)c);
    /// <summary>1 where <paramref name="c"/> (as float32) is at least the element, else 0.</summary>
    public static Tensor operator >=(double c, Tensor a) => Ops.LessEqual(a, (float)c);
    /// <summary>1 where <paramref name="c"/> (as float32) is at most the element, else 0.</summary>
    public static Tensor operator <=(double c, Tensor a) => Ops.GreaterEqual(a, (float)c);

    /// <summary>Elementwise equality as a 0/1 tensor (NumPy's <c>a == b</c>; see <see cref="Ops.Equal(Tensor, Tensor)"/>).</summary>
    public Tensor Eq(Tensor other) => Ops.Equal(this, other);
    /// <summary>Elementwise equality with a scalar as a 0/1 tensor (NumPy's <c>a == c</c>).</summary>
    public Tensor Eq(float c) => Ops.Equal(this, c);
    /// <summary>Elementwise inequality as a 0/1 tensor (NumPy's <c>a != b</c>).</summary>
    public Tensor Ne(Tensor other) => Ops.NotEqual(this, other);
    /// <summary>Elementwise inequality with a scalar as a 0/1 tensor (NumPy's <c>a != c</c>).</summary>
    public Tensor Ne(float c) => Ops.NotEqual(this, c);
}
