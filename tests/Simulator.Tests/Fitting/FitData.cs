using Simulator.Core.Fitting;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Tests.Fitting;

/// <summary>Synthetic data drawn from known parameters with a fixed seed, for the fitting tests.</summary>
internal static class FitData
{
    /// <summary>Known parameters of an outcome model: shares, the partial beta, the success law, uniform years held per band.</summary>
    internal sealed record Truth(double WriteOff, double Partial, double PartialMean, double PartialSd, SuccessLaw Success,
        (double Lo, double Hi)[] Years);

    internal static readonly Truth ParetoTruth = new(0.40, 0.30, 0.30, 0.20, new SuccessLaw(SuccessFamily.Pareto, 1.0, 1.1),
        [(1, 4), (2, 6), (3, 8)]);

    // Median e^1.5 ≈ 4.5 and σ 0.5: 0.13% of the law lies below 1x, so the band read off the data is the law.
    internal static readonly Truth LogNormalTruth = new(0.30, 0.25, 0.40, 0.22, new SuccessLaw(SuccessFamily.LogNormal, 1.5, 0.5),
        [(1, 5), (2, 7), (4, 9)]);

    /// <summary><paramref name="n"/> exits drawn from <paramref name="truth"/>; successes below 1x are redrawn (the band as the data define it).</summary>
    internal static List<ExitRow> Exits(Truth truth, int n, ulong seed, string? stage = null)
    {
        var random = new SeededRandom(seed);
        var (a, b) = ExitFit.BetaShape(truth.PartialMean, truth.PartialSd);
        var rows = new List<ExitRow>(n);
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            int band = u < truth.WriteOff ? 0 : u < truth.WriteOff + truth.Partial ? 1 : 2;
            double m = band switch
            {
                0 => 0,
                1 => MathNet.Numerics.Distributions.Beta.Sample(random, a, b),
                _ => Success(truth.Success, random),
            };
            var (lo, hi) = truth.Years[band];
            rows.Add(new ExitRow(m, lo + (hi - lo) * random.NextDouble(), stage, null, i + 2));
        }
        return rows;
    }

    private static double Success(SuccessLaw law, Random random)
    {
        double m;
        do m = law.Quantile(random.NextDouble()); while (m < 1);
        return m;
    }

    /// <summary>A Vasicek history: <paramref name="years"/> independent years of <paramref name="loans"/> loans.</summary>
    internal static List<DefaultRow> Defaults(double pd, double rho, int years, int loans, ulong seed, string? grade = null)
    {
        var g = new Xoshiro256(seed);
        var rows = new List<DefaultRow>(years);
        double threshold = NormalMath.InvCdf(pd);
        for (int t = 0; t < years; t++)
        {
            double z = NormalMath.InvCdf(g.NextOpenUnit());
            double p = NormalMath.Cdf((threshold - Math.Sqrt(rho) * z) / Math.Sqrt(1 - rho));
            int d = 0;
            for (int i = 0; i < loans; i++) if (g.NextOpenUnit() < p) d++;
            rows.Add(new DefaultRow(2000 + t, loans, d, grade, t + 2));
        }
        return rows;
    }
}
