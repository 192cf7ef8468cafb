using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>
/// Real Bidirectional(LSTM) files written by Keras 3.0.5 (.keras) and tf.keras 2.10 (legacy HDF5) from
/// ../shared/keras-files (skipped when absent); the expected outputs come from a float64 NumPy forward pass over the
/// stored weights (Keras's LSTM equations, the backward sequence reversed back before the concat).
/// </summary>
public sealed class RealKerasBidirectionalTests
{
    public RealKerasBidirectionalTests() => Hdf5Saving.Enable();

    private static string? KerasFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "keras-files", name);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Dendrite.slnx"))) return Path.GetFullPath(candidate);
        }
        return null;
    }

    // v[i] = ((i % mod) - shift) / scale, shaped (rows, steps, 1).
    private static Tensor Inputs(int rows, int steps, int mod, float shift, float scale)
    {
        var v = new float[rows * steps];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(((i % mod) - (double)shift) / scale);
        return Tensor.FromArray(v, [rows, steps, 1]);
    }

    [Fact]
    public void Keras_3_stacked_bidirectional_lstm_loads_and_predicts_what_numpy_predicts()
    {
        if (KerasFile("keras3.0.5_bidirectional_lstm_partha.keras") is not string path) return;   // ../shared absent: skipped
        var model = Model.Load(path);
        var bi = Assert.IsType<Bidirectional>(model.Layers[0]);
        Assert.Equal("forward_lstm", bi.ForwardLayer.Name);
        Assert.Equal("backward_lstm", bi.BackwardLayer.Name);
        Assert.True(bi.BackwardLayer.GoBackwards);
        Assert.Equal(2 * 4 * 50 * (1 + 50 + 1), bi.CountParams());
        TensorAssert.Close([-0.1405138206801101f, -0.1010011043789702f, 0.1384020058241269f], model.Predict(Inputs(3, 4, 5, 2, 4), verbose: 0), atol: 2e-6f, rtol: 1e-5f);
    }

    [Fact]
    public void Tf_keras_2_legacy_bidirectional_lstm_loads_by_order_and_predicts_what_numpy_predicts()
    {
        if (KerasFile("tfkeras2.10.0_bidirectional_lstm_hdf5_named_keras_sailesh.keras") is not string path) return;
        var model = Model.Load(path);
        var bi = Assert.IsType<Bidirectional>(model.Layers[0]);
        Assert.Equal("backward_lstm", bi.BackwardLayer.Name);   // derived: tf.keras 2.10 stored no backward_layer
        TensorAssert.Close([-0.023480429731172134f, 0.32206401998722334f, 0.24596775283617037f], model.Predict(Inputs(3, 12, 7, 3, 7), verbose: 0), atol: 2e-6f, rtol: 1e-5f);
    }
}
