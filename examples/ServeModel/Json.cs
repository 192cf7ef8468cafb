using System.Text.Json.Serialization;

/// <summary>POST /predict body: one flattened input per instance (784 pixels for the MNIST model).</summary>
internal sealed record PredictRequest(float[][] Instances);

/// <summary>POST /predict answer: the model's output for each instance.</summary>
internal sealed record PredictResponse(float[][] Predictions);

/// <summary>The body of a 400 answer.</summary>
internal sealed record ErrorResponse(string Error);

/// <summary>Source-generated JSON (trimming- and AOT-safe), snake_case as TensorFlow Serving's REST API writes it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class ServeJson : JsonSerializerContext;
