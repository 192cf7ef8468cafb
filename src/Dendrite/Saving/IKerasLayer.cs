using System.Text.Json.Nodes;
using Dendrite.Layers;

namespace Dendrite.Saving;

/// <summary>A layer that can be recreated from its Keras config; register it with <see cref="LayerRegistry.Register{TLayer}(string)"/>.</summary>
public interface IKerasLayer<TSelf> where TSelf : Layer
{
    /// <summary>A new layer from the config its <see cref="Layer.GetConfig"/> wrote.</summary>
    static abstract TSelf FromConfig(JsonObject config);
}
