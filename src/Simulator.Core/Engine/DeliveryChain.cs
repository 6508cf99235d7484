namespace Simulator.Core.Engine;

/// <summary>
/// Deliveries of batches of rows on another thread, one after another in the order they were queued, while the caller
/// fills the next batch (the engine's pipeline and a variant's run from the base's rows). Each queued batch holds one
/// of <c>depth</c> sets of buffers, which the caller may fill again only after <see cref="WaitFor"/> returns for it.
/// </summary>
internal sealed class DeliveryChain(int depth)
{
    private Task _chain = Task.CompletedTask;
    // The delivery of the batch last queued from each buffer set.
    private readonly Task?[] _inUse = new Task?[depth];

    /// <summary>Waits until buffer set <paramref name="slot"/> is delivered, rethrowing a delivery's failure as it was thrown.</summary>
    public void WaitFor(int slot)
    {
        if (_inUse[slot] is not { } earlier) return;
        _inUse[slot] = null;
        earlier.GetAwaiter().GetResult();
    }

    /// <summary>Queues <paramref name="deliver"/> for buffer set <paramref name="slot"/> after every delivery before it;
    /// a failed delivery fails every later one with the same exception, and they deliver nothing.</summary>
    public void Queue(int slot, Action deliver)
    {
        _chain = _chain.ContinueWith(previous =>
        {
            previous.GetAwaiter().GetResult();
            deliver();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _inUse[slot] = _chain;
    }

    /// <summary>Waits for every delivery, rethrowing a failure.</summary>
    public void Complete() => _chain.GetAwaiter().GetResult();

    /// <summary>On cancellation or failure: lets the deliveries in flight finish before the sinks and series are disposed.</summary>
    public void Drain()
    {
        try { _chain.Wait(CancellationToken.None); }
        catch (AggregateException) { }
    }
}
