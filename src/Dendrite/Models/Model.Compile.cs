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
    /// How the current or last <c>Fit</c> went: <see cref="Callbacks.TrainingStatus.Running"/> from <c>OnTrainBegin</c> until
    /// <c>OnTrainEnd</c>, where callbacks read whether the run <see cref="Callbacks.TrainingStatus.Completed"/>, was
    /// <see cref="Callbacks.TrainingStatus.Stopped"/> by <see cref="StopTraining"/>, or was
    /// <see cref="Callbacks.TrainingStatus.Cancelled"/> (its token, or an interrupt, after which Fit throws
    /// <see cref="OperationCanceledException"/>).
    /// </summary>
    public Callbacks.TrainingStatus TrainingStatus { get; internal set; }

    private volatile CancellationTokenSource? _fitCancel;

    /// <summary>
    /// Cancels the running Fit as its token would (from any thread, e.g. <see cref="Callbacks.StopOnInterrupt"/>'s Ctrl-C
    /// handler): it stops before the next training or validation step. False when no Fit is running.
    /// </summary>
    internal bool CancelFit()
    {
        var cts = _fitCancel;
        if (cts is null) return false;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }

    /// <summary>
    /// Configures training: <c>model.Compile(optimizer: new Adam(learningRate: 5e-4), loss: "categorical_crossentropy", metrics: ["accuracy"]);</c>
    /// Names (Keras names or class names: <c>"binary_crossentropy"</c>, <c>"BinaryCrossentropy"</c>) and objects are both
    /// accepted; the optimizer defaults to RMSprop, as in Keras. <paramref name="metrics"/> takes metric names, <see cref="Metric"/>
    /// objects or a mix, in any collection (<c>["accuracy", new Precision()]</c>, a <c>string[]</c>, a <c>List&lt;string&gt;</c>, a <c>List&lt;Metric&gt;</c>).
    /// </summary>
    public void Compile(Optimizer? optimizer = null, Loss? loss = null, IEnumerable<object>? metrics = null)
    {
        var resolved = metrics is null ? [] : ResolveMetrics(metrics);
        Optimizer = optimizer ?? new RMSprop();
        Loss = loss;
        _metrics.Clear();
        _metrics.AddRange(resolved);
        var dup = _metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Metric '{dup.Key}' is given twice to Compile.", nameof(metrics));
        IsCompiled = true;
        InvalidatePlans();
        Backends.Cpu.WorkerPool.StartWorkers();   // the threads Fit and Predict will use, started before they need them
    }

    /// <summary>Metric names and objects as metrics; anything else is refused with its position and type.</summary>
    private static List<Metric> ResolveMetrics(IEnumerable<object> metrics)
    {
        var list = new List<Metric>();
        int i = 0;
        foreach (var m in metrics)
        {
            list.Add(m switch
            {
                Metric metric => metric,
                string name => Metric.Get(name),
                null => throw new ArgumentException($"Compile: metrics[{i}] is null; give a metric name (\"accuracy\") or a Metric object.", nameof(metrics)),
                _ => throw new ArgumentException($"Compile: metrics[{i}] is a {m.GetType().Name}; give a metric name (\"accuracy\") or a Metric object.", nameof(metrics)),
            });
            i++;
        }
        return list;
    }

    private void RequireCompiled(string what)
    {
        if (!IsCompiled) throw new InvalidOperationException($"You must call Compile() on model '{Name}' before {what}().");
        if (Loss is null) throw new InvalidOperationException($"Model '{Name}' was compiled without a loss; {what}() needs one (e.g. Compile(loss: \"mse\")).");
    }
}
