using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = BinaryForward(BinaryOp.Add, a, b);
        Tape.Record(y, "add", static (n, g) => { n.SetGrad(0, g); n.SetGrad(1, g); }, a, b);
        return y;
    }

    /// <summary>a - b with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = BinaryForward(BinaryOp.Sub, a, b);
        Tape.Record(y, "sub", static (n, g) => { n.SetGrad(0, g); if (n.Input(1)!.RequiresGrad) n.SetGrad(1, Neg(g)); }, a, b);
        return y;
    }

    /// <summary>a * b elementwise with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = BinaryForward(BinaryOp.Mul, a, b);
        Tape.Record(y, "mul", static (n, g) =>
        {
            Tensor a = n.Input(0)!, b = n.Input(1)!;
            if (a.RequiresGrad) n.SetGrad(0, Mul(g, b));
            if (b.RequiresGrad) n.SetGrad(1, Mul(g, a));
        }, a, b);
        return y;
    }

    /// <summary>a / b elementwise with NumPy broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) =>
        Tape.Record(BinaryForward(BinaryOp.Div, a, b), "div", a, b, g =>
            [a.RequiresGrad ? Div(g, b) : null, b.RequiresGrad ? Neg(Div(Mul(g, a), Square(b))) : null]);

    /// <summary>a ** b elementwise (b's gradient uses ln a, so it needs a &gt; 0).</summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        var y = BinaryForward(BinaryOp.Pow, a, b);
        return Tape.Record(y, "pow", a, b, g =>
            [a.RequiresGrad ? Mul(g, Mul(b, Pow(a, Sub(b, Tensor.Scalar(1f))))) : null,
             b.RequiresGrad ? Mul(g, Mul(y, Log(a))) : null]);
    }

    /// <summary>x ** exponent elementwise.</summary>
    public static Tensor Pow(Tensor x, float exponent) => Elementwise(UnaryOp.PowScalar, x, "pow", exponent);

    /// <summary>x + c.</summary>
    public static Tensor Add(Tensor x, float c) => Elementwise(UnaryOp.AddScalar, x, "add", c);

    /// <summary>x * c.</summary>
    public static Tensor Mul(Tensor x, float c) => Elementwise(UnaryOp.MulScalar, x, "mul", c);

    /// <summary>-x.</summary>
    public static Tensor Neg(Tensor x) => Elementwise(UnaryOp.Neg, x, "neg");

    /// <summary>e^x.</summary>
    public static Tensor Exp(Tensor x) => Elementwise(UnaryOp.Exp, x, "exp");

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x) => Elementwise(UnaryOp.Log, x, "log");

    /// <summary>Square root.</summary>
    public static Tensor Sqrt(Tensor x) => Elementwise(UnaryOp.Sqrt, x, "sqrt");

    /// <summary>Absolute value (gradient 0 at 0).</summary>
    public static Tensor Abs(Tensor x) => Elementwise(UnaryOp.Abs, x, "abs");

    /// <summary>x * x.</summary>
    public static Tensor Square(Tensor x) => Elementwise(UnaryOp.Square, x, "square");

    /// <summary>1 / x.</summary>
    public static Tensor Reciprocal(Tensor x) => Elementwise(UnaryOp.Reciprocal, x, "reciprocal");

    /// <summary>Elementwise minimum with broadcasting; ties split the gradient evenly.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => MinMax(BinaryOp.Minimum, BinaryOp.Less, a, b, "minimum");

    /// <summary>Elementwise maximum with broadcasting; ties split the gradient evenly.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => MinMax(BinaryOp.Maximum, BinaryOp.Greater, a, b, "maximum");

    private static Tensor MinMax(BinaryOp op, BinaryOp wins, Tensor a, Tensor b, string name) =>
        Tape.Record(BinaryForward(op, a, b), name, a, b, g =>
        {
            // Share of the gradient that goes to a: 1 where a wins, 1/2 on ties, 0 where b wins.
            var share = Add(BinaryForward(wins, a, b), Mul(BinaryForward(BinaryOp.Equal, a, b), 0.5f));
            return [a.RequiresGrad ? Mul(g, share) : null, b.RequiresGrad ? Mul(g, Sub(Tensor.Scalar(1f), share)) : null];
        });

    /// <summary>Clips every element into [min, max]; the gradient passes where min &lt;= x &lt;= max.</summary>
    public static Tensor Clip(Tensor x, float min, float max)
    {
        if (min > max) throw new ArgumentException($"Clip: min ({min}) is greater than max ({max}).");
        return Elementwise(UnaryOp.Clip, x, "clip", min, max);
    }

    /// <summary>cond != 0 ? a : b elementwise, all broadcast together; no gradient flows to cond.</summary>
    public static Tensor Where(Tensor cond, Tensor a, Tensor b)
    {
        var shape = Shape.Broadcast(Shape.Broadcast(cond.Shape, a.Shape), b.Shape);
        var y = Tensor.Empty(shape);
        B.Where(cond, a, b, y);
        return Tape.Record(y, "where", [a, b], g =>
        {
            var zero = Tensor.Scalar(0f);
            return [a.RequiresGrad ? Where(cond, g, zero) : null, b.RequiresGrad ? Where(cond, zero, g) : null];
        });
    }

    /// <summary>1 where a &gt; b, else 0 (no gradient).</summary>
    public static Tensor Greater(Tensor a, Tensor b) => BinaryForward(BinaryOp.Greater, a, b);
    /// <summary>1 where a &gt;= b, else 0 (no gradient).</summary>
    public static Tensor GreaterEqual(Tensor a, Tensor b) => BinaryForward(BinaryOp.GreaterEqual, a, b);
    /// <summary>1 where a &lt; b, else 0 (no gradient).</summary>
    public static Tensor Less(Tensor a, Tensor b) => BinaryForward(BinaryOp.Less, a, b);
    /// <summary>1 where a &lt;= b, else 0 (no gradient).</summary>
    public static Tensor LessEqual(Tensor a, Tensor b) => BinaryForward(BinaryOp.LessEqual, a, b);
    /// <summary>1 where a == b, else 0 (no gradient).</summary>
    public static Tensor Equal(Tensor a, Tensor b) => BinaryForward(BinaryOp.Equal, a, b);
    /// <summary>1 where a != b, else 0 (no gradient).</summary>
    public static Tensor NotEqual(Tensor a, Tensor b) => BinaryForward(BinaryOp.NotEqual, a, b);
}
