namespace Simulator.Core.Statistics;

/// <summary>
/// The randomisations of a randomised quasi-Monte Carlo run as batches: trial i (1-based) belongs to randomisation
/// (i − 1) mod R, i.e. position p of a series in trial order to randomisation p mod R. The R randomisations are
/// independent and each gives an unbiased estimate on its own trials, so the standard deviation of their R estimates
/// divided by √R is the standard error of the run's estimate — the only valid one: the trials within a randomisation
/// are spread evenly on purpose, not independent, and the iid formulas overstate the error.
/// </summary>
internal static class RandomisationBatches
{
    /// <summary>The standard deviation (R − 1) of the randomisations' estimates over √R (NaN when one is not finite or R &lt; 2).</summary>
    public static double Error(ReadOnlySpan<double> estimates)
    {
        int r = estimates.Length;
        if (r < 2) return double.NaN;
        double sum = 0;
        foreach (double e in estimates)
        {
            if (!double.IsFinite(e)) return double.NaN;
            sum += e;
        }
        double mean = sum / r, ss = 0;
        foreach (double e in estimates) ss += (e - mean) * (e - mean);
        return Math.Sqrt(ss / (r - 1) / r);
    }

    /// <summary>Column k's error over the rows of <paramref name="estimates"/> (one row per randomisation, NaN where a
    /// randomisation has none).</summary>
    public static double[] Errors(IReadOnlyList<double[]> estimates, int columns)
    {
        var errors = new double[columns];
        var column = new double[estimates.Count];
        for (int k = 0; k < columns; k++)
        {
            for (int r = 0; r < estimates.Count; r++) column[r] = estimates[r][k];
            errors[k] = Error(column);
        }
        return errors;
    }

    /// <summary>
    /// The values [0, <paramref name="n"/>) of <paramref name="values"/> (and the aligned <paramref name="weights"/>, under
    /// importance sampling) split by randomisation, each in trial order: one pass, n values held.
    /// </summary>
    public static (double[] X, double[]? W)[] Split(TrialSeries values, TrialSeries? weights, long n, int randomisations)
    {
        var batches = new (double[] X, double[]? W)[randomisations];
        for (int r = 0; r < randomisations; r++)
        {
            long size = n / randomisations + (r < n % randomisations ? 1 : 0);
            batches[r] = (new double[size], weights is null ? null : new double[size]);
        }
        var block = new double[SeriesReader.BlockValues];
        var weightBlock = weights is null ? null : new double[SeriesReader.BlockValues];
        for (long from = 0; from < n; from += SeriesReader.BlockValues)
        {
            int count = (int)Math.Min(SeriesReader.BlockValues, n - from);
            values.CopyTo(from, block.AsSpan(0, count));
            weights?.CopyTo(from, weightBlock.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                long p = from + i;
                int r = (int)(p % randomisations);
                long at = p / randomisations;
                batches[r].X[at] = block[i];
                if (weightBlock is not null) batches[r].W![at] = weightBlock[i];
            }
        }
        return batches;
    }
}
