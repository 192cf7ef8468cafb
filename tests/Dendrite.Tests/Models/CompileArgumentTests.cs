using Dendrite.Layers;
using Dendrite.Losses;
using Dendrite.Metrics;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

public class CompileArgumentTests
{
    private static Sequential Model3() => new([new Input(shape: [3]), new Dense(1, activation: "sigmoid")]);

    private static string[] Names(Model m) => m.Metrics.Select(x => x.Name).ToArray();

    [Fact]
    public void Metrics_take_string_arrays_lists_objects_and_mixes()
    {
        var m = Model3();
        string[] array = ["accuracy", "precision"];
        m.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: array);
        Assert.Equal(["accuracy", "precision"], Names(m));
        m.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: new List<string> { "auc" });
        Assert.Equal(["auc"], Names(m));
        m.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy", new Recall(threshold: 0.3)]);
        Assert.Equal(["accuracy", "recall"], Names(m));
        Assert.IsType<Recall>(m.Metrics[1]);
        m.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: new List<Metric> { new Precision() });
        Assert.IsType<Precision>(Assert.Single(m.Metrics));
        IEnumerable<Metric> query = new[] { "mae" }.Select(Metric.Get);
        m.Compile(loss: "mse", metrics: query);
        Assert.Equal(["mae"], Names(m));
        m.Compile(loss: "mse");
        Assert.Empty(m.Metrics);
    }

    [Fact]
    public void A_wrong_metric_element_is_named_by_position_and_type()
    {
        var m = Model3();
        var e = Assert.Throws<ArgumentException>(() => m.Compile(loss: "mse", metrics: ["accuracy", 42]));
        Assert.Contains("metrics[1]", e.Message);
        Assert.Contains("Int32", e.Message);
        Assert.False(m.IsCompiled);
        Assert.Contains("acuracy", Assert.Throws<ArgumentException>(() => m.Compile(loss: "mse", metrics: new[] { "acuracy" })).Message);
    }

    [Theory]
    [InlineData("BinaryCrossentropy", typeof(BinaryCrossentropy))]
    [InlineData("CategoricalCrossentropy", typeof(CategoricalCrossentropy))]
    [InlineData("SparseCategoricalCrossentropy", typeof(SparseCategoricalCrossentropy))]
    [InlineData("MeanSquaredError", typeof(Dendrite.Losses.MeanSquaredError))]
    [InlineData("MeanAbsoluteError", typeof(Dendrite.Losses.MeanAbsoluteError))]
    [InlineData("MeanAbsolutePercentageError", typeof(MeanAbsolutePercentageError))]
    [InlineData("MeanSquaredLogarithmicError", typeof(MeanSquaredLogarithmicError))]
    [InlineData("Huber", typeof(Huber))]
    [InlineData("LogCosh", typeof(LogCosh))]
    [InlineData("Hinge", typeof(Hinge))]
    [InlineData("KLDivergence", typeof(KLDivergence))]
    [InlineData("binary_crossentropy", typeof(BinaryCrossentropy))]
    public void Loss_takes_Keras_class_names(string name, Type expected)
    {
        var m = Model3();
        m.Compile(optimizer: "Adam", loss: name);
        Assert.IsType(expected, m.Loss);
    }

    [Theory]
    [InlineData("BinaryAccuracy", "binary_accuracy")]
    [InlineData("Precision", "precision")]
    [InlineData("AUC", "auc")]
    [InlineData("MeanAbsoluteError", "mean_absolute_error")]
    [InlineData("RootMeanSquaredError", "root_mean_squared_error")]
    [InlineData("mae", "mae")]
    public void Metrics_take_Keras_class_names_with_Keras_display_names(string name, string display)
    {
        Assert.Equal(display, Metric.Get(name).Name);
    }
}
