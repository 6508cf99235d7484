using Simulator.Core.Statistics;
using Simulator.Reporting.Plots;

namespace Simulator.Tests.Reporting.Plots;

public class GuaranteeLossHistogramTests
{
    [Test]
    public void Notes_ImportanceSampled_ShareBeyondTheBinsIsWeighted()
    {
        // Half the sampled trials lie beyond the bins, but with a weight of 0.001 each against 1 for the others:
        // they are 0.0999% of the weighted trials, not 50%; the trial without loss is 1/4.004 = 24.98%, not 12.5%.
        double[] losses = [0, 1, 2, 3, 100, 100, 100, 100];
        double[] weights = [1, 1, 1, 1, 0.001, 0.001, 0.001, 0.001];
        var notes = GuaranteeLossHistogram.Notes(new GuaranteeLossHistogram.Binning(1, 10), TrialDistribution.FromSample(losses, weights));
        Assert.That(notes, Has.Some.StartsWith("Not shown: 0.100% of the weighted trials (4 sampled trials) above"));
        Assert.That(notes, Has.Some.StartsWith("No credit loss at all in 24.98% of trials"));
    }

    [Test]
    public void Notes_PlainSampling_CountAndShareOfTrials()
    {
        double[] losses = [0, 1, 2, 3, 100, 100, 100, 100];
        var notes = GuaranteeLossHistogram.Notes(new GuaranteeLossHistogram.Binning(1, 10), TrialDistribution.FromSample(losses));
        Assert.That(notes, Has.Some.StartsWith("Not shown: 4 trials (50.00%) above"));
        Assert.That(notes, Has.Some.StartsWith("No credit loss at all in 12.50% of trials"));
    }
}
