using System.Diagnostics;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
namespace Dendrite.Benchmarks;
internal static class Probe {
  public static void Run() {
    Random.SetSeed(0);
    var x = Tensor.RandomUniform([32, 3072], seed: 1);
    var y = Ops.OneHot(Enumerable.Range(0, 32).Select(i => i % 10).ToArray(), 10);
    var model = new Sequential([new Input(shape: [3072]), new Dense(200, activation: "relu"), new Dense(150, activation: "relu"), new Dense(10, activation: "softmax")]);
    var opt = new Adam(learningRate: 5e-4);
    var loss = new Dendrite.Losses.CategoricalCrossentropy();
    var tw = model.TrainableWeights;
    double tf = 0, tb = 0, to = 0, tz = 0; int N = 300;
    string mode = Environment.GetEnvironmentVariable("PROBE_MODE") ?? "full";
    int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
    for (int it = 0; it < N + 50; it++) {
      using var scope = TensorScope.Begin();
      long t0 = Stopwatch.GetTimestamp();
      foreach (var w in tw) w.ZeroGrad();
      long t1 = Stopwatch.GetTimestamp();
      var outp = model.Call(x, training: true);
      var l = loss.Call(y, outp);
      long t2 = Stopwatch.GetTimestamp();
      if (mode != "noback") l.Backward();
      long t3 = Stopwatch.GetTimestamp();
      if (mode == "full") opt.Apply(tw);
      long t4 = Stopwatch.GetTimestamp();
      if (it >= 50) { tz += t1 - t0; tf += t2 - t1; tb += t3 - t2; to += t4 - t3; }
    }
    double f = 1e6 / Stopwatch.Frequency / N;
    Console.WriteLine($"mode {mode} gcs {GC.CollectionCount(0)-gc0}/{GC.CollectionCount(1)-gc1}/{GC.CollectionCount(2)-gc2}");
    Console.WriteLine($"per step us: zero {tz*f:F0} forward+loss {tf*f:F0} backward {tb*f:F0} optimizer {to*f:F0}");
    var d1 = (Dense)model.Layers[0];
    var ops = new (string, Func<Tensor>)[] {
      ("matmul", () => Ops.MatMul(x, d1.Kernel)),
      ("matmul+bias", () => Ops.Add(Ops.MatMul(x, d1.Kernel), d1.Bias!)),
      ("dense call", () => d1.Call(x)),
      ("model call", () => model.Call(x)),
      ("model call+loss", () => loss.Call(y, model.Call(x))),
    };
    foreach (var (nm, fn) in ops) {
      for (int i = 0; i < 30; i++) { using var s1 = TensorScope.Begin(); fn(); }
      long z0 = Stopwatch.GetTimestamp();
      for (int i = 0; i < N; i++) { using var s1 = TensorScope.Begin(); fn(); }
      Console.WriteLine($"{nm}: {(Stopwatch.GetTimestamp()-z0)*1e6/Stopwatch.Frequency/N:F0} us");
    }
    // GEMMs alone
    var a = Tensor.RandomUniform([32, 3072], seed: 3); var k = Tensor.RandomUniform([3072, 200], seed: 4); var g = Tensor.RandomUniform([32, 200], seed: 5);
    var c1 = new float[32*200]; var c2 = new float[3072*200];
    for (int i = 0; i < 50; i++) { Dendrite.Backends.Cpu.Gemm.Sgemm(false,false,32,200,3072,1f,a.AsSpan(),3072,k.AsSpan(),200,0f,c1,200); Dendrite.Backends.Cpu.Gemm.Sgemm(true,false,3072,200,32,1f,a.AsSpan(),3072,g.AsSpan(),200,0f,c2,200);}
    long q = Stopwatch.GetTimestamp();
    for (int i = 0; i < N; i++) Dendrite.Backends.Cpu.Gemm.Sgemm(false,false,32,200,3072,1f,a.AsSpan(),3072,k.AsSpan(),200,0f,c1,200);
    long q2 = Stopwatch.GetTimestamp();
    for (int i = 0; i < N; i++) Dendrite.Backends.Cpu.Gemm.Sgemm(true,false,3072,200,32,1f,a.AsSpan(),3072,g.AsSpan(),200,0f,c2,200);
    long q3 = Stopwatch.GetTimestamp();
    Console.WriteLine($"gemm fwd 32x3072x200: {(q2-q)*f:F0} us; dW 3072x32x200: {(q3-q2)*f:F0} us");
  }
}
