using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Saving;

/// <summary>
/// The order in which Keras lists a functional model's layers (<c>map_graph</c> in keras/src/ops/function.py): by
/// depth from the outputs, deepest (the inputs) first; layers at the same depth in the order a depth-first walk from the
/// outputs first meets them. Weight groups are named by position in this order (dense, dense_1, ...), so Dendrite
/// writes and reads functional models in it. A Sequential lists its layers as added.
/// </summary>
internal static class KerasLayerOrder
{
    public static IReadOnlyList<Layer> Of(Model model)
    {
        if (model is Sequential || !model.HasGraph) return model.Layers;
        var inputs = new HashSet<SymbolicTensor>(model.Inputs, ReferenceEqualityComparer.Instance);
        var index = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        var finished = new HashSet<LayerNode>();
        var postOrder = new List<LayerNode>();
        void Visit(SymbolicTensor t)
        {
            var node = t.Producer;
            if (finished.Contains(node)) return;
            index.TryAdd(node.Layer, index.Count);
            if (node.Layer is not Input && !inputs.Contains(t))
                foreach (var p in node.Inputs) Visit(p);
            finished.Add(node);
            postOrder.Add(node);
        }
        foreach (var o in model.Outputs) Visit(o);
        var nodeDepth = new Dictionary<LayerNode, int>();
        var layerDepth = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        for (int i = postOrder.Count - 1; i >= 0; i--)
        {
            var node = postOrder[i];
            int depth = Math.Max(nodeDepth.GetValueOrDefault(node), layerDepth.GetValueOrDefault(node.Layer));
            layerDepth[node.Layer] = depth;
            nodeDepth[node] = depth;
            foreach (var p in node.Inputs) nodeDepth[p.Producer] = Math.Max(depth + 1, nodeDepth.GetValueOrDefault(p.Producer));
        }
        foreach (var i in model.Inputs)
            if (!layerDepth.ContainsKey(i.Layer)) { layerDepth[i.Layer] = 0; index[i.Layer] = -1; }
        return layerDepth.Keys.OrderByDescending(l => layerDepth[l]).ThenBy(l => index[l]).ToList();
    }
}
