using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Dendrite;
using Dendrite.Models;

/// <summary>
/// A bounded load test on loopback: each client sends its requests one after another (1-8 test digits each), all
/// clients at once; every answer is compared with the model's single-threaded prediction for the same rows.
/// </summary>
internal static class LoadTest
{
    public static async Task<int> Run(string url, Model model, Tensor xTest, int clients, int perClient)
    {
        int width = xTest.Size / xTest.Shape[0];
        var pixels = xTest.ToArray();
        int total = clients * perClient;
        // The requests and their expected answers, computed one at a time before any concurrency.
        var requests = new PredictRequest[total];
        var expected = new float[total][];
        for (int r = 0; r < total; r++)
        {
            int rows = 1 + r % 8, start = (r * 37) % (xTest.Shape[0] - rows);
            var instances = new float[rows][];
            for (int i = 0; i < rows; i++) instances[i] = pixels.AsSpan((start + i) * width, width).ToArray();
            requests[r] = new PredictRequest(instances);
            expected[r] = model.Predict(Tensor.FromArray(pixels.AsSpan(start * width, rows * width).ToArray(), [rows, 28, 28]), batchSize: rows, verbose: 0).ToArray();
        }
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var latencies = new double[total];
        int mismatches = 0, failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int k = 0; k < perClient; k++)
            {
                int r = c * perClient + k;
                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var answer = await http.PostAsJsonAsync("predict", requests[r], ServeJson.Default.PredictRequest);
                    var body = answer.IsSuccessStatusCode ? await answer.Content.ReadFromJsonAsync(ServeJson.Default.PredictResponse) : null;
                    latencies[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (body is null) { Interlocked.Increment(ref failures); continue; }
                    if (!body.Predictions.SelectMany(row => row).SequenceEqual(expected[r])) Interlocked.Increment(ref mismatches);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"request {r} failed: {e.Message}");
                }
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        string P(double q) => latencies[Math.Min(total - 1, (int)Math.Ceiling(q * total) - 1)].ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine($"load test: {clients} clients x {perClient} requests = {total} in {seconds.ToString("F2", CultureInfo.InvariantCulture)} s " +
            $"({(total / seconds).ToString("F0", CultureInfo.InvariantCulture)} requests/s)");
        Console.WriteLine($"latency ms: p50 {P(0.50)}, p90 {P(0.90)}, p99 {P(0.99)}, max {P(1.0)}");
        Console.WriteLine($"answers equal to the single-threaded predictions: {total - mismatches - failures} of {total}; mismatches: {mismatches}; failed requests: {failures}");
        return mismatches == 0 && failures == 0 ? 0 : 1;
    }
}
