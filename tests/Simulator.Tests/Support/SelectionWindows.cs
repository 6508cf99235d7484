using Simulator.Core.Statistics;

namespace Simulator.Tests.Support;

/// <summary>Runs statistics with the selection and walk windows forced small, so every refinement level and windowed path runs.</summary>
public static class SelectionWindows
{
    /// <summary>Runs <paramref name="body"/> with small windows (or the default ones), restoring them after.</summary>
    public static void Run(bool small, Action body)
    {
        int window = SeriesOrder.WindowCapacity, collect = SeriesOrder.CollectCapacity;
        try
        {
            if (small)
            {
                SeriesOrder.WindowCapacity = 700;
                SeriesOrder.CollectCapacity = 300;
            }
            body();
        }
        finally
        {
            SeriesOrder.WindowCapacity = window;
            SeriesOrder.CollectCapacity = collect;
        }
    }
}
