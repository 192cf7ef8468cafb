namespace Dendrite.Autodiff;

/// <summary>Turns gradient recording on and off for the current thread (PyTorch's <c>no_grad</c>).</summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when ops record themselves on the tape.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>Opens a scope in which no op is recorded: <c>using (GradMode.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad()
    {
        _disabledDepth++;
        return new NoGradScope();
    }

    /// <summary>The scope returned by <see cref="NoGrad"/>; disposing it restores recording.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Ends the scope.</summary>
        public void Dispose() => _disabledDepth--;
    }
}
