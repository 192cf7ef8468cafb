namespace Dendrite.Training.Compiled;

/// <summary>
/// One <see cref="StepBuffer"/> per prediction lane (lane 0 also serves training), so that lanes running at the same
/// time never share a buffer. Lanes are added by <see cref="Ensure"/> before they run, never while they run.
/// </summary>
internal sealed class LaneBuffers(int width)
{
    private StepBuffer[] _lanes = [new StepBuffer(width)];

    /// <summary>The buffer of lane <paramref name="lane"/>.</summary>
    public StepBuffer this[int lane] => _lanes[lane];

    /// <summary>Makes lanes 0 .. <paramref name="lanes"/> - 1 available.</summary>
    public void Ensure(int lanes)
    {
        if (_lanes.Length >= lanes) return;
        var grown = new StepBuffer[lanes];
        Array.Copy(_lanes, grown, _lanes.Length);
        for (int i = _lanes.Length; i < lanes; i++) grown[i] = new StepBuffer(width);
        _lanes = grown;
    }
}
