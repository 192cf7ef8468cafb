namespace Dendrite.Backends.Cpu;

/// <summary>The activations a convolution's <see cref="Epilogue"/> applies in its register tiles.</summary>
internal enum EpilogueActivation
{
    /// <summary>Linear: only the bias, if any.</summary>
    None,

    /// <summary>max(v, 0).</summary>
    Relu,

    /// <summary>v where positive, else slope v.</summary>
    LeakyRelu,
}
