using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Onnx.Converters;

/// <summary>
/// The converter of each layer type: it adds the layer call's nodes and returns the name of its result. A new layer
/// (convolutions, recurrent layers, BatchNormalization with its moving statistics, ...) exports once it has an entry
/// here; a nested model is expanded in place.
/// </summary>
internal static class LayerConverters
{
    private static readonly Dictionary<Type, Func<LayerCall, OnnxGraph, string>> ByType = new()
    {
        [typeof(Dense)] = CoreConverters.Dense,
        [typeof(Flatten)] = CoreConverters.Flatten,
        [typeof(Reshape)] = CoreConverters.Reshape,
        [typeof(Dropout)] = CoreConverters.Identity,
        [typeof(Activation)] = ActivationLayerConverters.Activation,
        [typeof(ReLU)] = ActivationLayerConverters.ReLU,
        [typeof(LeakyReLU)] = ActivationLayerConverters.LeakyReLU,
        [typeof(ELU)] = ActivationLayerConverters.ELU,
        [typeof(Softmax)] = ActivationLayerConverters.Softmax,
        [typeof(Add)] = MergeConverters.Add,
        [typeof(Subtract)] = MergeConverters.Subtract,
        [typeof(Multiply)] = MergeConverters.Multiply,
        [typeof(Average)] = MergeConverters.Average,
        [typeof(Maximum)] = MergeConverters.Maximum,
        [typeof(Minimum)] = MergeConverters.Minimum,
        [typeof(Concatenate)] = MergeConverters.Concatenate,
        [typeof(Conv1D)] = ConvConverters.Conv,
        [typeof(Conv2D)] = ConvConverters.Conv,
        [typeof(Conv2DTranspose)] = ConvConverters.Conv2DTranspose,
        [typeof(DepthwiseConv2D)] = ConvConverters.DepthwiseConv2D,
        [typeof(SeparableConv2D)] = ConvConverters.SeparableConv2D,
        [typeof(MaxPooling1D)] = PoolNormConverters.Pooling,
        [typeof(MaxPooling2D)] = PoolNormConverters.Pooling,
        [typeof(AveragePooling1D)] = PoolNormConverters.Pooling,
        [typeof(AveragePooling2D)] = PoolNormConverters.Pooling,
        [typeof(GlobalAveragePooling1D)] = PoolNormConverters.GlobalPooling,
        [typeof(GlobalAveragePooling2D)] = PoolNormConverters.GlobalPooling,
        [typeof(GlobalMaxPooling1D)] = PoolNormConverters.GlobalPooling,
        [typeof(GlobalMaxPooling2D)] = PoolNormConverters.GlobalPooling,
        [typeof(BatchNormalization)] = PoolNormConverters.BatchNormalization,
        [typeof(LayerNormalization)] = PoolNormConverters.LayerNormalization,
        [typeof(ZeroPadding2D)] = PoolNormConverters.ZeroPadding2D,
        [typeof(Cropping2D)] = PoolNormConverters.Cropping2D,
        [typeof(UpSampling2D)] = PoolNormConverters.UpSampling2D,
        [typeof(SpatialDropout2D)] = CoreConverters.Identity,
    };

    /// <summary>The layer types that export (besides <see cref="Input"/> and nested models).</summary>
    public static IReadOnlyCollection<Type> SupportedTypes => ByType.Keys;

    /// <summary>Converts one call, or throws naming the layer when its type has no converter.</summary>
    public static string Convert(LayerCall call, OnnxGraph g)
    {
        if (call.Layer is Model nested) return ModelConverter.ConvertNested(nested, call, g);
        if (ByType.TryGetValue(call.Layer.GetType(), out var convert)) return convert(call, g);
        throw new NotSupportedException(
            $"ONNX export: layer '{call.Layer.Name}' ({call.Layer.ClassName}, {call.Layer.GetType().FullName}) has no ONNX operator mapping. " +
            $"Layers that export: {string.Join(", ", ByType.Keys.Select(t => t.Name).Order())}, Input and nested models.");
    }
}
