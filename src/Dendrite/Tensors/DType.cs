namespace Dendrite;

/// <summary>Element types. Float32 is the one computed with today; the others are reserved for indices and half precision.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float.</summary>
    Float32,
    /// <summary>32-bit signed integer (reserved: indices, labels).</summary>
    Int32,
    /// <summary>bfloat16 (reserved).</summary>
    BFloat16,
    /// <summary>IEEE half (reserved).</summary>
    Half,
}
