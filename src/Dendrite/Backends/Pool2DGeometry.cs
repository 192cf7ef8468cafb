namespace Dendrite.Backends;

/// <summary>
/// A 2-D pooling window over channels-last (N, H, W, C) data: window size, strides and the padding before the first
/// row and column (the rest of a "same" padding goes after; padded cells never take part).
/// </summary>
/// <param name="PoolH">Window height.</param>
/// <param name="PoolW">Window width.</param>
/// <param name="StrideH">Step between windows along H.</param>
/// <param name="StrideW">Step between windows along W.</param>
/// <param name="PadTop">Padding rows before the first input row.</param>
/// <param name="PadLeft">Padding columns before the first input column.</param>
public readonly record struct Pool2DGeometry(int PoolH, int PoolW, int StrideH, int StrideW, int PadTop, int PadLeft);
