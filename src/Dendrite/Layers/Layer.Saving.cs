namespace Dendrite.Layers;

public abstract partial class Layer
{
    /// <summary>
    /// The layer's variables as Keras lays them out in a weights file, as (path below the layer's group, variables):
    /// by default one group "vars" holding the layer's own weights, trainable first, then non-trainable (Keras's
    /// <c>save_own_variables</c>). Layers that hold sub-objects override it the way Keras walks them, e.g. a recurrent
    /// layer yields ("vars", []) and ("cell/vars", its cell's weights); Bidirectional "forward_layer/cell/vars" and
    /// "backward_layer/cell/vars". Models are walked through their layers instead.
    /// </summary>
    protected internal virtual IEnumerable<(string Path, IReadOnlyList<Tensor> Variables)> KerasVariables()
    {
        yield return ("vars", OwnVariablesInKerasOrder());
    }

    private List<Tensor> OwnVariablesInKerasOrder()
    {
        var list = new List<Tensor>(_weights.Count);
        for (int i = 0; i < _weights.Count; i++) if (_weightTrainable[i]) list.Add(_weights[i]);
        for (int i = 0; i < _weights.Count; i++) if (!_weightTrainable[i]) list.Add(_weights[i]);
        return list;
    }
}
