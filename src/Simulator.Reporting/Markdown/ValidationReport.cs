using System.Globalization;
using Simulator.Core.Validation;

namespace Simulator.Reporting.Markdown;

/// <summary>docs/validation.md: the engine's validation cases as Markdown (Core computes them; it writes no Markdown).</summary>
public static class ValidationReport
{
    /// <summary>The report as Markdown (docs/validation.md).</summary>
    public static string Render(IReadOnlyList<ValidationCase> cases, string version, string command)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("# Validation of the engine against exact results");
        sb.AppendLine();
        sb.AppendLine($"Written by `{command}` (simulator {version}). Each row runs a scenario through the same loader and engine as users' files and");
        sb.AppendLine("compares the estimate with a value known exactly. z = (simulated − exact) / standard error; the tests require |z| ≤ 4 for every row.");
        sb.AppendLine("The Vasicek and IRB rows compare a finite pool with the infinite-pool limit, so they also carry the (small) granularity gap.");
        sb.AppendLine();
        foreach (var group in cases.GroupBy(c => c.Group))
        {
            sb.AppendLine($"## {group.Key}");
            sb.AppendLine();
            sb.AppendLine("| case | figure | exact | simulated | standard error | z | trials |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var c in group)
                sb.AppendLine(string.Create(inv, $"| {c.Case} | {c.Figure} | {c.Exact:G6} | {c.Simulated:G6} | {c.StandardError:G3} | {c.Z:F2} | {c.Trials:N0} |"));
            sb.AppendLine();
        }
        int bad = cases.Count(c => Math.Abs(c.Z) > 4);
        sb.AppendLine(bad == 0 ? $"All {cases.Count} cases lie within four standard errors." : $"**{bad} of {cases.Count} cases lie outside four standard errors.**");
        return sb.ToString();
    }
}
