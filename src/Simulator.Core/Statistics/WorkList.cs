using System.Runtime.ExceptionServices;

namespace Simulator.Core.Statistics;

/// <summary>
/// Independent pieces of work run on all cores, each taken by the next free core in the order they were added (so
/// the longest, added first, do not end up last), each result read after <see cref="Run"/>. Results do not depend on
/// which core runs what, or on the order in which pieces finish.
/// </summary>
public sealed class WorkList
{
    private readonly List<Action> _items = [];

    /// <summary>Adds a piece of work; its result is read through the returned function once <see cref="Run"/> has returned.</summary>
    public Func<T> Add<T>(Func<T> compute)
    {
        T? result = default;
        bool done = false;
        _items.Add(() =>
        {
            result = compute();
            done = true;
        });
        return () => done ? result! : throw new InvalidOperationException("the work has not run");
    }

    /// <summary>Runs every piece on up to <see cref="Environment.ProcessorCount"/> threads; the first failure is rethrown as it was thrown.</summary>
    public void Run()
    {
        if (_items.Count == 0) return;
        int next = -1, workers = Math.Min(Environment.ProcessorCount, _items.Count);
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                for (int i = Interlocked.Increment(ref next); i < _items.Count; i = Interlocked.Increment(ref next)) _items[i]();
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
