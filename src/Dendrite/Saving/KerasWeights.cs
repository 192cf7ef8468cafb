using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

namespace Dendrite.Saving;

/// <summary>
/// The weights layout of Keras 3 (model.weights.h5 inside .keras, and .weights.h5): the model's own empty "vars",
/// then "layers/&lt;snake_case class&gt;[_n]/vars/&lt;i&gt;" by position in <see cref="Model.Layers"/> (nested models
/// repeat "layers/..."), then "optimizer/vars/&lt;i&gt;": iterations (int64), the learning rate (float32, absent with a
/// schedule) and the slots in the optimizer's Keras order.
/// </summary>
internal static class KerasWeights
{
    /// <summary>Every (path, variable) pair of the model in Keras's walk order.</summary>
    public static List<(string Path, Tensor Variable)> Paths(Model model)
    {
        var list = new List<(string, Tensor)>();
        var visited = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        Walk(model, "", list, [], visited);
        return list;
    }

    /// <summary>The groups (with their "name" attribute) of every object walked, even without variables.</summary>
    private static void Walk(Layer layer, string prefix, List<(string, Tensor)> into, List<(string, string)> groups, HashSet<Layer> visited)
    {
        if (!visited.Add(layer)) return;
        if (layer is Model m)
        {
            groups.Add((prefix + "vars", m.Name));
            var layers = KerasLayerOrder.Of(m);
            var keys = KerasNaming.ContainerKeys(layers.Select(l => l.ClassName));
            for (int i = 0; i < layers.Count; i++) Walk(layers[i], $"{prefix}layers/{keys[i]}/", into, groups, visited);
            return;
        }
        foreach (var (path, vars) in layer.KerasVariables())
        {
            groups.Add((prefix + path, layer.Name));
            for (int i = 0; i < vars.Count; i++) into.Add(($"{prefix}{path}/{i}", vars[i]));
        }
    }

    public static HdfGroup ToHdf(Model model)
    {
        var root = new HdfGroup();
        var vars = new List<(string, Tensor)>();
        var groups = new List<(string Path, string Name)>();
        Walk(model, "", vars, groups, new HashSet<Layer>(ReferenceEqualityComparer.Instance));
        foreach (var (path, name) in groups) Ensure(root, path).Attributes["name"] = name;
        foreach (var (path, t) in vars) Put(root, path, new HdfArray(t.Shape.ToArray(), Values(t)));
        if (model.Optimizer is Optimizer opt)
        {
            var ov = Ensure(root, "optimizer/vars");
            ov.Attributes["name"] = opt.ClassName.ToLowerInvariant();
            int i = 0;
            foreach (var a in OptimizerState(opt, model.TrainableWeights)) ov.Datasets[(i++).ToString()] = a;
        }
        return root;
    }

    /// <summary>A weight's values for writing: its own array when it holds exactly the values (no copy of a large model), else a copy.</summary>
    internal static float[] Values(Tensor t) => t.Data.Length == t.Size ? t.Data : t.AsSpan().ToArray();

    private static HdfGroup Ensure(HdfGroup root, string path)
    {
        var g = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) g = g.Group(part);
        return g;
    }

    private static void Put(HdfGroup root, string path, HdfArray a)
    {
        int cut = path.LastIndexOf('/');
        Ensure(root, path[..cut]).Datasets[path[(cut + 1)..]] = a;
    }

    /// <summary>Keras's optimizer.variables: iterations, learning rate (unless scheduled), then the slots when every variable has them.</summary>
    public static List<HdfArray> OptimizerState(Optimizer opt, IReadOnlyList<Tensor> trainable)
    {
        var list = new List<HdfArray> { new([], [opt.Iterations]) };
        if (opt.Schedule is null) list.Add(new([], [(float)opt.LearningRate]));
        if (trainable.Count > 0 && trainable.All(v => opt.ExistingSlots(v) is not null))
            foreach (var (v, s) in opt.KerasSlotOrder(trainable.Count))
                list.Add(new(trainable[v].Shape.ToArray(), opt.ExistingSlots(trainable[v])![s]));   // shared, not copied: written at once
        return list;
    }

    /// <summary>Restores iterations, learning rate and slots from Keras's list; false (nothing changed) when the list does not fit.</summary>
    public static bool RestoreOptimizer(Optimizer opt, IReadOnlyList<Tensor> trainable, IReadOnlyList<HdfArray> values, bool hasLearningRate)
    {
        int head = hasLearningRate ? 2 : 1;
        if (values.Count < head || values[0].Shape.Length != 0) return false;
        var order = opt.KerasSlotOrder(trainable.Count).ToList();
        if (values.Count != head && values.Count != head + order.Count) return false;
        if (values.Count > head)
            for (int k = 0; k < order.Count; k++)
                if (!values[head + k].Shape.SequenceEqual(trainable[order[k].Variable].Shape.ToArray())) return false;
        opt.RestoreIterations(values[0].Longs?[0] ?? (long)values[0].AsFloats()[0]);
        if (hasLearningRate && opt.Schedule is null) opt.LearningRate = values[1].AsFloats()[0];
        if (values.Count > head)
            for (int k = 0; k < order.Count; k++)
                values[head + k].AsFloats().CopyTo(opt.SlotsOf(trainable[order[k].Variable])[order[k].Slot], 0);
        return true;
    }

    /// <summary>Reads every variable of the model from a Keras 3 weights tree, checking all shapes before changing anything.</summary>
    public static void Load(Model model, HdfGroup root, string file)
    {
        var values = new List<(Tensor Target, float[] Data)>();
        foreach (var (path, t) in Paths(model))
        {
            var d = root.FindDataset(path) ?? root.FindDataset(path.Replace("layers/", "_layer_checkpoint_dependencies/"))
                ?? throw new InvalidDataException($"{file} has no weight at '{path}' for {t.Name} of shape {t.Shape}: the file was saved from a different model.");
            if (!d.Shape.SequenceEqual(t.Shape.ToArray()))
                throw new InvalidDataException($"{file}: the weight at '{path}' has shape {d} but {t.Name} in the model has shape {t.Shape}.");
            values.Add((t, d.AsFloats()));
        }
        foreach (var (t, data) in values) data.CopyTo(t.AsSpan());
        if (model.Optimizer is Optimizer opt && root.Find("optimizer/vars") is HdfGroup ov)
        {
            var list = new List<HdfArray>();
            for (int i = 0; ov.Datasets.TryGetValue(i.ToString(), out var a); i++) list.Add(a);
            bool hasLr = list.Count > 1 && list[1].Shape.Length == 0;
            if (list.Count > 0 && !RestoreOptimizer(opt, model.TrainableWeights, list, hasLr))
                Console.Error.WriteLine($"Warning: {file}: the saved optimizer state ({list.Count} variables) does not fit {opt.ClassName} on model '{model.Name}'; the optimizer starts fresh.");
        }
    }
}
