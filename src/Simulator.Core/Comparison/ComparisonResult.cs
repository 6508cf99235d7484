using Simulator.Core.Scenarios;

namespace Simulator.Core.Comparison;

/// <summary>A variant's key figures compared with the base.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Figures">Its figures, in the base's figure order.</param>
public sealed record VariantOutcome(ScenarioVariant Variant, IReadOnlyList<FigureComparison> Figures);

/// <summary>The base and every variant's figures, for comparison.csv, sensitivity.csv and the charts.</summary>
/// <param name="Base">The base scenario (its Sweep and Sensitivity describe the grid and the tornado).</param>
/// <param name="BaseFigures">The base's figures (differences 0).</param>
/// <param name="Variants">Each variant, in run order.</param>
public sealed record ComparisonResult(Scenario Base, IReadOnlyList<FigureComparison> BaseFigures, IReadOnlyList<VariantOutcome> Variants)
{
    /// <summary>A variant's outcome by name.</summary>
    public VariantOutcome? Find(string name) => Variants.FirstOrDefault(v => v.Variant.Name == name);

    /// <summary>The figure <paramref name="figure"/> of <paramref name="outcome"/>.</summary>
    public static FigureComparison? Figure(VariantOutcome outcome, string figure) => outcome.Figures.FirstOrDefault(f => f.Figure.Name == figure);
}
