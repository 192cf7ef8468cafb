using System.Globalization;

namespace Dendrite;

/// <summary>
/// Data as a .NET program holds it, accepted wherever Keras takes an array (<c>Fit</c>, <c>Evaluate</c>, <c>Predict</c>,
/// <c>Utils.TrainTestSplit</c>): a <see cref="Tensor"/>, <c>float[]</c>, <c>float[,]</c>, <c>float[,,]</c>, <c>float[,,,]</c>,
/// <c>float[][]</c>, <c>List&lt;float[]&gt;</c>, <c>double[]</c>, <c>double[,]</c>, <c>double[][]</c>, <c>int[]</c>, <c>int[,]</c>,
/// <c>long[]</c>, <c>long[,]</c>, <c>byte[]</c> or <c>byte[,]</c>. Each converts implicitly into a float32 tensor (a copy) and
/// remembers what it was given, so that errors name it (<c>double[1000,69]</c>).
/// </summary>
public readonly struct ArrayLike
{
    private readonly Tensor? _tensor;

    private ArrayLike(Tensor tensor, string description)
    {
        _tensor = tensor;
        Description = description;
    }

    /// <summary>The data as a tensor.</summary>
    public Tensor Tensor => _tensor ?? throw new InvalidOperationException("This ArrayLike is empty (default); give it an array or a tensor.");

    /// <summary>What was given, as C# writes it with its lengths: <c>double[1000,69]</c>, <c>float[1000]</c>, <c>Tensor (1000, 69)</c>.</summary>
    public string Description { get; } = "";

    /// <inheritdoc/>
    public override string ToString() => Description;

    /// <summary>Wraps a tensor (no copy).</summary>
    public static implicit operator ArrayLike(Tensor t) => new(NotNull(t), $"Tensor {t.Shape}");
    /// <summary>One value per sample (shape (n,)).</summary>
    public static implicit operator ArrayLike(float[] a) => new(Tensor.FromArray(NotNull(a)), Describe("float", a));
    /// <summary>Samples by features.</summary>
    public static implicit operator ArrayLike(float[,] a) => new(Tensor.FromArray(NotNull(a)), Describe("float", a));
    /// <summary>A rank-3 array (e.g. grayscale images).</summary>
    public static implicit operator ArrayLike(float[,,] a) => new(Tensor.FromArray(NotNull(a)), Describe("float", a));
    /// <summary>A rank-4 array (e.g. NHWC images).</summary>
    public static implicit operator ArrayLike(float[,,,] a) => new(Tensor.FromArray(NotNull(a)), Describe("float", a));
    /// <summary>Rows of equal length.</summary>
    public static implicit operator ArrayLike(float[][] a) => new(Tensor.FromArray(NotNull(a)), DescribeJagged("float", a.Length, a.FirstOrDefault()?.Length));
    /// <summary>Rows of equal length.</summary>
    public static implicit operator ArrayLike(List<float[]> a) => new(Tensor.FromArray(NotNull(a)), $"List<float[]> of {a.Count} rows");
    /// <summary>Doubles, rounded to float32.</summary>
    public static implicit operator ArrayLike(double[] a) => new(Tensor.FromArray(NotNull(a)), Describe("double", a));
    /// <summary>Doubles, rounded to float32.</summary>
    public static implicit operator ArrayLike(double[,] a) => new(Tensor.FromArray(NotNull(a)), Describe("double", a));
    /// <summary>Rows of doubles, rounded to float32.</summary>
    public static implicit operator ArrayLike(double[][] a) => new(Tensor.FromArray(NotNull(a)), DescribeJagged("double", a.Length, a.FirstOrDefault()?.Length));
    /// <summary>Integer labels or features.</summary>
    public static implicit operator ArrayLike(int[] a) => new(Tensor.FromArray(NotNull(a)), Describe("int", a));
    /// <summary>Integer labels or features.</summary>
    public static implicit operator ArrayLike(int[,] a) => new(Tensor.FromArray(NotNull(a)), Describe("int", a));
    /// <summary>Integer labels or features (NumPy's default integers).</summary>
    public static implicit operator ArrayLike(long[] a) => new(Tensor.FromArray(NotNull(a)), Describe("long", a));
    /// <summary>Integer labels or features (NumPy's default integers).</summary>
    public static implicit operator ArrayLike(long[,] a) => new(Tensor.FromArray(NotNull(a)), Describe("long", a));
    /// <summary>Bytes (e.g. pixels 0..255, not rescaled).</summary>
    public static implicit operator ArrayLike(byte[] a) => new(Tensor.FromArray(NotNull(a)), Describe("byte", a));
    /// <summary>Bytes (e.g. pixels 0..255, not rescaled).</summary>
    public static implicit operator ArrayLike(byte[,] a) => new(Tensor.FromArray(NotNull(a)), Describe("byte", a));

    private static T NotNull<T>(T value) where T : class =>
        value ?? throw new ArgumentNullException(nameof(value), "An array or tensor is required, but null was given.");

    private static string Describe(string element, Array a) =>
        element + "[" + string.Join(",", Enumerable.Range(0, a.Rank).Select(d => a.GetLength(d).ToString(CultureInfo.InvariantCulture))) + "]";

    private static string DescribeJagged(string element, int rows, int? cols) =>
        cols is int c ? $"{element}[{rows}][{c}]" : $"{element}[{rows}][]";
}
