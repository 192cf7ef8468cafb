using Dendrite.Layers;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>
    /// Adjusts input ranks as Keras 3 does, builds a Sequential without declared input from the data, and checks the
    /// input shapes, naming the whole array's shape (<c>(1000,)</c>) when one does not fit.
    /// </summary>
    private void PrepareFor(DataSet data)
    {
        if (HasGraph) data.AdjustInputRanks(Layer.ShapesOf(Inputs));
        else
        {
            var vector = data.X.FirstOrDefault(t => t.Rank == 1);
            if (vector is not null)
                throw new ArgumentException($"{data.What}: x has shape {vector.Shape} (one value per sample), and model '{Name}' has no input shape yet. " +
                    $"Declare it, e.g. new Input(shape: [1]) or inputShape: [1] on the first layer, so that each value is one feature (Keras 3 adds the axis then), " +
                    $"or give x the shape ({vector.Shape[0]}, 1).");
        }
        var shapes = new List<Shape>(data.X.Count);
        foreach (var t in data.X) shapes.Add(new Shape(t.Shape.ToArray()[1..]));
        EnsureBuilt(shapes);
        if (HasGraph)
        {
            if (shapes.Count != Inputs.Count)
                throw new ArgumentException($"{data.What}: model '{Name}' has {Inputs.Count} input(s), but {shapes.Count} input array(s) were given.");
            for (int i = 0; i < shapes.Count; i++)
                if (shapes[i] != Inputs[i].Shape)
                    throw new ArgumentException($"{data.What}: input {i} of model '{Name}' expects shape {FormatShape(Inputs[i].Shape)}, " +
                        $"but {(shapes.Count == 1 ? "x" : $"x[{i}]")} has shape {data.X[i].Shape}, i.e. {FormatShape(shapes[i])} per batch.");
        }
        CheckInputShapes(shapes);
    }
}
