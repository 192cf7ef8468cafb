namespace Dendrite.Training.Compiled;

/// <summary>
/// A float buffer of a compiled step, seen as (rows, width) tensors (or rows of another per-sample shape). It grows to
/// the largest batch asked for and keeps the views of the last two row counts (a full batch and the last, shorter
/// one), so steps allocate nothing.
/// </summary>
internal sealed class StepBuffer
{
    private readonly int _width;
    private readonly int[] _perSample;
    private readonly StepBuffer? _source;
    private float[] _data = [];
    private Tensor? _recent, _previous;

    /// <summary>A buffer of <paramref name="width"/> values per row (0: one value per row, viewed as a vector).</summary>
    public StepBuffer(int width) : this(width, width == 0 ? [] : [width], null) { }

    private StepBuffer(int width, int[] perSample, StepBuffer? source)
    {
        _width = width;
        _perSample = perSample;
        _source = source;
    }

    /// <summary>The same values seen with another per-sample shape of the same size.</summary>
    public StepBuffer Reshaped(Shape perSample) => new(_width, perSample.ToArray(), this);

    /// <summary>Values per row.</summary>
    public int Width => _width;

    /// <summary>The first <paramref name="rows"/> rows as a tensor of shape (rows, per-sample shape...).</summary>
    public Tensor View(int rows)
    {
        var data = _source is null ? Data(rows) : _source.Data(rows);
        if (!ReferenceEquals(data, _data)) { _data = data; _recent = _previous = null; }
        if (_recent is { } r && r.Shape[0] == rows) return r;
        if (_previous is { } p && p.Shape[0] == rows)
        {
            (_recent, _previous) = (p, _recent);
            return p;
        }
        var view = new Tensor(_data, new Shape([rows, .. _perSample]));
        _previous = _recent;
        _recent = view;
        return view;
    }

    private float[] Data(int rows)
    {
        int need = rows * Math.Max(_width, 1);
        if (_data.Length < need) { _data = new float[need]; _recent = _previous = null; }
        return _data;
    }
}
