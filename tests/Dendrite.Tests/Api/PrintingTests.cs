using Dendrite.Layers;
using Dendrite.Metrics;
using Dendrite.Models;

namespace Dendrite.Tests.Api;

/// <summary>What a newcomer prints shows values, not a type name.</summary>
public class PrintingTests
{
    [Fact]
    public void Printing_the_weights_shows_names_shapes_and_values()
    {
        var m = new Sequential([new Input(shape: [2]), new Dense(3, name: "printed")]);
        m.SetWeights([Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }), Tensor.FromArray([0.5f, 0f, -1f])]);
        var weights = m.GetWeights();
        string text = weights.ToString();
        Assert.Equal("printed/kernel (2, 3):\n[[1. 2. 3.]\n [4. 5. 6.]]\nprinted/bias (3,):\n[ 0.5  0.  -1. ]", text);
        Assert.Equal(text, $"{weights}");
        Assert.Equal(text, TensorList.Format(weights.ToArray()));
        Assert.DoesNotContain("System.", string.Join("\n", weights));
        Assert.Equal("[]", new TensorList([]).ToString());
        weights[0][0, 0] = 100f;   // a copy: the model keeps its values
        Assert.Equal(1f, m.Weights[0][0, 0]);
    }

    [Fact]
    public void Printing_a_confusion_matrix_shows_its_counts()
    {
        var cm = Scores.ConfusionMatrix([0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
        Assert.Equal("[[ 1  1]\n [ 1 11]]", cm.ToString());
        Assert.Equal(11, cm[1, 1]);
        Assert.Equal(2, cm.GetLength(1));
        Assert.Equal([0, 1], cm.Labels);
        int[,] array = cm;
        Assert.Equal(new[,] { { 1, 1 }, { 1, 11 } }, array);
    }
}
