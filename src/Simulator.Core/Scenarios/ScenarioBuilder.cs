using Simulator.Core.Economy;
using Simulator.Core.Format;
using Simulator.Core.Instruments;
using Simulator.Core.Outcomes;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Turns a valid, filled-in spec into the immutable <see cref="Scenario"/>: the economy, the outcome models, and each
/// registered kind's instrument (built by its format, <see cref="IInstrumentFormat.Build"/>).
/// </summary>
internal static class ScenarioBuilder
{
    public static Scenario Build(ScenarioSpec filled, string sourceFile, string baseDirectory, IReadOnlyDictionary<string, Dictionary<int, object>> loaded)
    {
        var factors = filled.Factors!.Select(f => new Factor(f.Name!, f.Persistence ?? 0)).ToList();
        var factorIndex = factors.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var stresses = filled.Stresses!.Where(StressLibrary.IsFactorStress)
            .Select(s => new Stress(factorIndex[s.Factor!], s.FromYear!.Value, StressLibrary.LastYear(s), s.Shift!.Value)).ToList();

        var models = new Dictionary<string, OutcomeModel>(StringComparer.Ordinal);
        OutcomeModel Outcome(string name)
        {
            if (!models.TryGetValue(name, out var model))
            {
                var spec = filled.Outcomes!.TryGetValue(name, out var custom) ? custom : OutcomePresets.All[name];
                models[name] = model = Shared(name, spec);
            }
            return model;
        }
        var modelStresses = filled.Stresses!.Where(s => !StressLibrary.IsFactorStress(s)).ToList();
        var instruments = new List<IInstrument>();
        var lookup = ItemLookup.Over(filled);
        var names = ItemLookup.Names(filled);
        foreach (var kind in InstrumentKinds.Of(typeof(ScenarioSpec)))
        {
            var context = new BuildContext(factors, Outcome, filled.Policy!.Tolerance!, modelStresses, filled.Report!,
                loaded.TryGetValue(kind.Format.Field, out var files) ? files : [], kind.Format, filled.Policy.Exemption) { ItemLookup = lookup, NamesLookup = names };
            instruments.Add(kind.Format.Build(kind.Items(filled), context));
        }

        int horizon = filled.Simulation!.HorizonYears!.Value;
        int years = Math.Max(horizon, instruments.Select(i => i.FactorYears).DefaultIfEmpty(1).Max());
        years = Math.Max(years, stresses.Select(s => s.ToYear).DefaultIfEmpty(1).Max());
        var copula = filled.Copula?.T?.Df is { } df ? Copula.StudentT(df) : Copula.Gaussian;
        var economy = new EconomyModel(factors, stresses, years, copula, filled.Simulation.Sampling switch { "sobol" => FactorSampling.Sobol, "lhs" => FactorSampling.LatinHypercube, _ => FactorSampling.Random });
        var precision = filled.Simulation.Precision is { } p ? new Statistics.PrecisionTarget(p.RelativeError!.Value, p.CheckEvery!.Value) : null;
        Statistics.ImportanceSamplingSettings? sampling = null;
        if (filled.Simulation.ImportanceSampling is { } isSpec && !(isSpec.ValueKind == System.Text.Json.JsonValueKind.False))
        {
            int shiftYears = instruments.Select(i => i.ShockYears).DefaultIfEmpty(0).Max();
            if (isSpec.ValueKind == System.Text.Json.JsonValueKind.True)
            {
                sampling = new Statistics.ImportanceSamplingSettings(true, null, shiftYears);
            }
            else
            {
                var shift = new double[factors.Count];
                foreach (var f in isSpec.GetProperty("shift").EnumerateObject()) shift[factorIndex[f.Name]] = f.Value.GetDouble();
                sampling = new Statistics.ImportanceSamplingSettings(false, shift, shiftYears);
            }
        }
        return new Scenario(filled.Name!, filled.Title ?? filled.Name!, filled.Description, filled.Simulation.Trials!.Value,
            filled.Simulation.Seed!.Value, horizon, economy, instruments, filled.Report!.LossRatios!, filled.Report.Exceedance!, ScenarioLoader.Write(filled), sourceFile)
        {
            Precision = precision, ImportanceSampling = sampling, BaseDirectory = baseDirectory,
        };
    }

    // A model is a function of its name and spec (records compared by value), immutable: scenarios built from equal specs
    // share one instance, so that what is tabulated from a model once (a relay's mark curves, RelayFormat) serves every
    // later build of the same file. The what-if server builds the file and its variant again at every move; tabulating
    // the relay's curves took 40-80 ms of each.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, OutcomeModelSpec Spec), OutcomeModel> Models = new();

    private static OutcomeModel Shared(string name, OutcomeModelSpec spec)
    {
        if (Models.TryGetValue((name, spec), out var known)) return known;
        if (Models.Count >= 256) Models.Clear(); // a bound, far above the models of one file and its variants
        return Models.GetOrAdd((name, spec), key => BuildModel(key.Name, key.Spec));
    }

    private static OutcomeModel BuildModel(string name, OutcomeModelSpec m) => new(
        name, m.WriteOff ?? 0, m.Partial?.Probability ?? 0, m.Partial?.Multiple?.Build(), m.Success?.Multiple?.Build(),
        m.Success?.Cap ?? double.PositiveInfinity, m.ExposureYears ?? ScenarioDefaults.ExposureYears,
        m.ExitYears?.WriteOff?.Build(), m.ExitYears?.Partial?.Build(), m.ExitYears?.Success?.Build());
}
