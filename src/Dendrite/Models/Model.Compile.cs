using Dendrite.Losses;
using Dendrite.Metrics;
using Dendrite.Optimizers;

namespace Dendrite.Models;

public partial class Model
{
    private readonly List<Metric> _metrics = [];

    /// <summary>The optimizer set by <see cref="Compile"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss set by <see cref="Compile"/> (applied to every output and summed).</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics set by <see cref="Compile"/> (computed on the first output).</summary>
    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>True after <see cref="Compile"/>.</summary>
    public bool IsCompiled { get; private set; }

    /// <summary>Set by a callback to end training after the current batch (Keras stop_training).</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Configures training: <c>model.Compile(optimizer: new Adam(learningRate: 5e-4), loss: "categorical_crossentropy", metrics: ["accuracy"]);</c>
    /// Names and objects are both accepted; the optimizer defaults to RMSprop, as in Keras.
    /// </summary>
    public void Compile(Optimizer? optimizer = null, Loss? loss = null, IEnumerable<Metric>? metrics = null)
    {
        Optimizer = optimizer ?? new RMSprop();
        Loss = loss;
        _metrics.Clear();
        if (metrics is not null) _metrics.AddRange(metrics);
        var dup = _metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Metric '{dup.Key}' is given twice to Compile.", nameof(metrics));
        IsCompiled = true;
        InvalidateCompiledSteps();
    }

    private void RequireCompiled(string what)
    {
        if (!IsCompiled) throw new InvalidOperationException($"You must call Compile() on model '{Name}' before {what}().");
        if (Loss is null) throw new InvalidOperationException($"Model '{Name}' was compiled without a loss; {what}() needs one (e.g. Compile(loss: \"mse\")).");
    }
}
