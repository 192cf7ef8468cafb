using System.Net;
using System.Text.Json;
using Dendrite;
using Dendrite.Models;

/// <summary>
/// An HTTP endpoint over one loaded model: <c>POST /predict</c> with <c>{"instances": [[...], ...]}</c> answers
/// <c>{"predictions": [[...], ...]}</c>; <c>GET /health</c> answers <c>ok</c>. Requests are served concurrently and
/// share the model (Dendrite's Predict is safe to call from many threads at once).
/// </summary>
internal sealed class PredictionServer(Model model, int port) : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int[] _inputShape = model.Inputs[0].Shape.ToArray();
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    public string Url { get; } = $"http://127.0.0.1:{port}/";

    public void Start(int concurrency)
    {
        _listener.Prefixes.Add(Url);
        _listener.Start();
        for (int i = 0; i < concurrency; i++) _loops.Add(Task.Run(AcceptLoop));
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            try { await Handle(context); }
            catch (Exception e) { Console.Error.WriteLine($"request failed: {e.Message}"); }
            finally { context.Response.Close(); }
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod == "GET" && request.Url?.AbsolutePath == "/health")
        {
            await Write(response, 200, "text/plain", "ok"u8.ToArray());
            return;
        }
        if (request.HttpMethod != "POST" || request.Url?.AbsolutePath != "/predict")
        {
            await Error(response, 404, "use POST /predict or GET /health");
            return;
        }
        PredictRequest? body;
        try { body = await JsonSerializer.DeserializeAsync(request.InputStream, ServeJson.Default.PredictRequest); }
        catch (JsonException e) { await Error(response, 400, $"the body is not valid JSON: {e.Message}"); return; }
        if (body?.Instances is not { Length: > 0 } instances) { await Error(response, 400, "expected {\"instances\": [[...], ...]} with at least one instance"); return; }
        int width = _inputShape.Aggregate(1, (a, b) => a * b);
        var flat = new float[instances.Length * width];
        for (int i = 0; i < instances.Length; i++)
        {
            if (instances[i]?.Length != width)
            {
                await Error(response, 400, $"instance {i} has {instances[i]?.Length ?? 0} values; the model takes {width} ({string.Join("x", _inputShape)})");
                return;
            }
            instances[i].CopyTo(flat, i * width);
        }
        var output = model.Predict(Tensor.FromArray(flat, [instances.Length, .. _inputShape]), batchSize: instances.Length, verbose: 0);
        var values = output.ToArray();
        int outWidth = values.Length / instances.Length;
        var predictions = new float[instances.Length][];
        for (int i = 0; i < instances.Length; i++) predictions[i] = values.AsSpan(i * outWidth, outWidth).ToArray();
        await Write(response, 200, "application/json", JsonSerializer.SerializeToUtf8Bytes(new PredictResponse(predictions), ServeJson.Default.PredictResponse));
    }

    private static Task Error(HttpListenerResponse response, int status, string message) =>
        Write(response, status, "application/json", JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), ServeJson.Default.ErrorResponse));

    private static async Task Write(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await Task.WhenAll(_loops);
        _listener.Close();
    }
}
