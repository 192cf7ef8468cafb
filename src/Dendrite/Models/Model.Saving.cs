using Dendrite.Layers;
using Dendrite.Saving;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>Puts <see cref="Layers"/> in the order a loaded file lists them (Keras names weight groups by that order).</summary>
    internal void SetLayerOrder(IReadOnlyList<Layer> order)
    {
        if (this is Sequential) return;
        if (order.Count == _layers.Count && order.All(_layers.Contains)) _layers = order.ToList();
    }

    /// <summary>
    /// Saves the whole model (config, weights and, when compiled, the optimizer and its state) as Keras does:
    /// ".keras" writes Keras 3's zip format, ".h5"/".hdf5" the legacy HDF5 format. Written atomically.
    /// Needs HDF5 support: <c>Dendrite.Saving.Hdf5.Hdf5Saving.Enable()</c>.
    /// </summary>
    public void Save(string path) => ModelFiles.Save(this, path);

    /// <summary>
    /// Loads a model saved by Dendrite or Keras (.keras zip or legacy HDF5, recognised by their first bytes, not by
    /// extension): a <see cref="Sequential"/> or functional <see cref="Model"/> as saved, compiled when the file has a
    /// compile config, with the optimizer state restored when present.
    /// </summary>
    public static Model Load(string path) => ModelFiles.Load(path);

    /// <summary>Saves the weights (and optimizer state when compiled) to a Keras ".weights.h5" file, or a legacy ".h5" weights file.</summary>
    public void SaveWeights(string path) => ModelFiles.SaveWeights(this, path);

    /// <summary>
    /// Loads weights into this model from a ".weights.h5" file, a whole ".keras" file, or a legacy HDF5 model or
    /// weights file (matched by layer order, as Keras does). Every shape is checked before any weight changes.
    /// </summary>
    public void LoadWeights(string path) => ModelFiles.LoadWeights(this, path);
}
