using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Simulator.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher (<c>--filter</c>, <c>--job</c>, <c>--list</c>, …) with a rate column.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance).AddColumn(new RateColumn());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
