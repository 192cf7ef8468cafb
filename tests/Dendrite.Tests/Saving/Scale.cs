using System.Text.Json.Nodes;
using Dendrite.Layers;
using Dendrite.Saving;

namespace Dendrite.Tests.Saving;

/// <summary>A user layer for the registry test: multiplies by a constant.</summary>
public sealed class Scale(float factor, string? name = null) : Layer(name), IKerasLayer<Scale>
{
    public override string ClassName => "Scale";
    public float Factor => factor;
    protected override Tensor Forward(Tensor input, bool training) => Ops.Mul(input, Tensor.Scalar(factor));
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["factor"] = factor; return c; }
    public static Scale FromConfig(JsonObject config) => new((float)config["factor"]!, (string?)config["name"]);
}
