using System.Collections.Concurrent;
using Simulator.Reporting.Plots;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting;

public class PlotBatchTests
{
    [Test]
    public void Write_ChartsFinishOutOfOrder_ReturnsNamesInTheGivenOrder()
    {
        using var temp = new TempDirectory("simulator-batch");
        var finished = new ConcurrentQueue<string>();
        using var lastDone = new ManualResetEventSlim();
        var plots = new List<PlotFile>
        {
            // The first chart waits for the last, so on two threads they finish in another order than listed.
            new("a.png", path => { Assert.That(lastDone.Wait(TimeSpan.FromSeconds(10)), Is.True); Done(path); }),
            new("b.png", Done),
            new("c.png", path => { Done(path); lastDone.Set(); }),
        };

        var names = PlotBatch.Write(plots, temp.Path, threads: 2);

        Assert.That(names, Is.EqualTo(new[] { "a.png", "b.png", "c.png" }));
        Assert.That(finished, Is.EqualTo(new[] { "b.png", "c.png", "a.png" }), "the charts were drawn side by side");
        Assert.That(Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(), Is.EqualTo(names));

        void Done(string path)
        {
            File.WriteAllText(path, "");
            finished.Enqueue(Path.GetFileName(path));
        }
    }

    [Test]
    public void Write_SeveralChartsFail_ThrowsTheFirstFailureInListOrderUnwrapped()
    {
        using var temp = new TempDirectory("simulator-batch");
        var plots = new List<PlotFile>
        {
            new("ok.png", path => File.WriteAllText(path, "")),
            new("disk.png", path => throw new IOException("disk full")),
            new("bug.png", path => throw new InvalidOperationException("bug")),
        };

        for (int threads = 1; threads <= 3; threads++)
        {
            // The CLI tells write failures (IOException) from bugs by the exception's type, so it must not be wrapped.
            var e = Assert.Throws<IOException>(() => PlotBatch.Write(plots, temp.Path, threads));
            Assert.That(e!.Message, Is.EqualTo("disk full"), $"{threads} threads");
        }
    }

    [Test]
    public void Write_LargeCharts_DrawnFirstButListedInPlace()
    {
        using var temp = new TempDirectory("simulator-batch");
        var drawn = new List<string>();
        var plots = new[] { "a.png", "big1.png", "b.png", "big2.png" }
            .Select(name => new PlotFile(name, path => drawn.Add(Path.GetFileName(path)), Large: name.StartsWith("big", StringComparison.Ordinal)))
            .ToList();

        var names = PlotBatch.Write(plots, temp.Path, threads: 1);

        Assert.That(drawn, Is.EqualTo(new[] { "big1.png", "big2.png", "a.png", "b.png" }));
        Assert.That(names, Is.EqualTo(new[] { "a.png", "big1.png", "b.png", "big2.png" }));
    }

    [Test]
    public void Write_NoCharts_ReturnsEmpty()
    {
        using var temp = new TempDirectory("simulator-batch");
        Assert.That(PlotBatch.Write([], temp.Path), Is.Empty);
    }
}
