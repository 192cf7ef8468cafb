using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Dendrite.Training;

/// <summary>
/// Reads a batch source ahead of its consumer: a background task enumerates the source into a bounded channel of
/// <c>capacity</c> items, so loading the next batches overlaps training on the current one. An exception thrown by the
/// source is rethrown to the consumer as it was (its type, message and stack), at the position it happened; disposing
/// cancels the producer, waits for it and disposes the source's enumerator. With capacity 0 (synchronous sources only)
/// the source is read on the consumer's thread when a batch is needed.
/// </summary>
internal sealed class BatchPrefetcher<T> : IDisposable
{
    private readonly IEnumerator<T>? _sync;
    private readonly Channel<T>? _channel;
    private readonly Task? _producer;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _cancellation;
    private ExceptionDispatchInfo? _error;
    private bool _ended, _disposed;

    /// <summary>Reads <paramref name="source"/> (one enumeration) up to <paramref name="capacity"/> items ahead.</summary>
    public BatchPrefetcher(IEnumerable<T> source, int capacity, CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (capacity == 0)
        {
            _sync = source.GetEnumerator();
            return;
        }
        _channel = NewChannel(capacity);
        var writer = _channel.Writer;
        var token = _stop.Token;
        _producer = Task.Run(async () =>
        {
            try
            {
                using var e = source.GetEnumerator();
                while (!token.IsCancellationRequested && e.MoveNext())
                    await writer.WriteAsync(e.Current, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { }
            catch (Exception ex) { _error = ExceptionDispatchInfo.Capture(ex); }
            finally { writer.TryComplete(); }
        }, CancellationToken.None);
    }

    /// <summary>Reads an asynchronous <paramref name="source"/> on a background task, up to <paramref name="capacity"/> (at least 1) items ahead.</summary>
    public BatchPrefetcher(IAsyncEnumerable<T> source, int capacity, CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _channel = NewChannel(Math.Max(1, capacity));
        var writer = _channel.Writer;
        var token = _stop.Token;
        _producer = Task.Run(async () =>
        {
            try
            {
                var e = source.GetAsyncEnumerator(token);
                await using (e.ConfigureAwait(false))
                    while (!token.IsCancellationRequested && await e.MoveNextAsync().ConfigureAwait(false))
                        await writer.WriteAsync(e.Current, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { }
            catch (Exception ex) { _error = ExceptionDispatchInfo.Capture(ex); }
            finally { writer.TryComplete(); }
        }, CancellationToken.None);
    }

    private static Channel<T> NewChannel(int capacity) => Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>
    /// The next item, waiting for it if needed; false once the source has ended. Rethrows the source's exception, and
    /// throws <see cref="OperationCanceledException"/> when the caller's token is cancelled.
    /// </summary>
    public bool TryNext(out T item)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        item = default!;
        if (_ended) return false;
        _cancellation.ThrowIfCancellationRequested();
        if (_sync is not null)
        {
            if (_sync.MoveNext()) { item = _sync.Current; return true; }
            _ended = true;
            return false;
        }
        var reader = _channel!.Reader;
        while (!reader.TryRead(out item!))
        {
            var wait = reader.WaitToReadAsync(_cancellation);
            bool more = wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
            if (!more)
            {
                _ended = true;
                _error?.Throw();
                _cancellation.ThrowIfCancellationRequested();
                return false;
            }
        }
        return true;
    }

    /// <summary>Stops the producer, waits for it to finish and disposes the source's enumerator.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        if (_producer is not null)
        {
            // The producer swallows its own cancellation and records other exceptions; nothing to observe here.
            try { _producer.Wait(); } catch (AggregateException) { }
        }
        _sync?.Dispose();
        _stop.Dispose();
    }
}
