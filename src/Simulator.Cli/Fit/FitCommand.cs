using System.CommandLine;
using Simulator.Cli.Commands;
using Simulator.Core.Fitting;
using Simulator.Reporting.Plots;

namespace Simulator.Cli.Fit;

/// <summary>
/// <c>simulator fit exits|defaults &lt;file.csv&gt;</c> (issue 20): fits an outcome model to past exits, or PD and asset
/// correlation to a default history, and writes the block to paste into a scenario, the details and a chart per group.
/// </summary>
internal static class FitCommand
{
    /// <summary>Bootstrap replicates when --bootstrap is not given.</summary>
    public const int DefaultBootstrap = 1000;

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("fit", "Fit model inputs to your own data: an outcome model to past exits, PD and asset correlation to a default history (docs/fitting.md).")
        {
            Exits(stdout, stderr),
            Defaults(stdout, stderr),
        };
        return command;
    }

    private static Option<string> OutOption()
    {
        var output = new Option<string>("--out") { Description = "Folder for the fitted block, the details (JSON) and the charts (created if needed).", DefaultValueFactory = _ => "output/fit" };
        OptionValues.RequirePath(output, "output/fit");
        return output;
    }

    private static Command Exits(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "CSV of past exits: multiple,years and optionally stage and sector (a header line first)." };
        var output = OutOption();
        var family = new Option<string>("--family") { Description = "Law of the success band (multiples ≥ 1): lognormal, pareto, or auto (the one with the higher likelihood).", DefaultValueFactory = _ => "auto" };
        family.AcceptOnlyFromAmong("lognormal", "pareto", "auto");
        var bootstrap = new Option<int>("--bootstrap")
        {
            Description = $"Bootstrap resamples for the 95% intervals and the goodness-of-fit p-values (default {DefaultBootstrap}; 100 to 100000).",
            DefaultValueFactory = _ => DefaultBootstrap,
            CustomParser = r => (int)(OptionValues.Integer(r, "--bootstrap", 100, 100_000) ?? DefaultBootstrap),
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed of the bootstrap's random numbers (default 1; a non-negative integer).",
            DefaultValueFactory = _ => 1,
            CustomParser = r => OptionValues.Integer(r, "--seed", 0, long.MaxValue) ?? 1,
        };
        var command = new Command("exits", "Fit an outcome model (write-off share, partial band, success law, exit years) to past exits, per stage if given; writes <out>/outcomes.json to paste into a scenario.")
        {
            file, output, family, bootstrap, seed,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var read = ExitData.Read(path);
            if (!Report(read.Errors, path, stderr)) return ExitCodes.Invalid;
            var options = new ExitFitOptions(parse.GetValue(family) switch
            {
                "lognormal" => SuccessFamily.LogNormal,
                "pareto" => SuccessFamily.Pareto,
                _ => null,
            }, parse.GetValue(bootstrap), (ulong)parse.GetValue(seed));
            var (fits, errors) = ExitFit.FitAll(path, read.Rows, options);
            if (!Report(errors, path, stderr)) return ExitCodes.Invalid;
            string dir = parse.GetValue(output)!;
            if (!FitOutput.TryCreate(dir, stderr)) return ExitCodes.Invalid;
            var written = new List<string> { "outcomes.json", "exits-fit.json" };
            File.WriteAllText(Path.Combine(dir, "outcomes.json"), OutcomeBlock.Write(fits, path));
            File.WriteAllText(Path.Combine(dir, "exits-fit.json"), FitOutput.ExitsJson(fits, path, options));
            foreach (var fit in fits)
            {
                string png = $"exits-{fit.Group}.png";
                FitCharts.Exits(fit, Path.Combine(dir, png));
                written.Add(png);
            }
            FitOutput.PrintExits(stdout, fits, path, read.Rows.Count, options);
            stdout.WriteLine($"wrote {Path.Combine(dir, "")}: {string.Join(", ", written)}");
            stdout.WriteLine($"paste the models of {Path.Combine(dir, "outcomes.json")} into a scenario's \"outcomes\" and name one in a fund's \"outcomes\"");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Defaults(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "CSV of default history: year,loans,defaults and optionally grade (a header line first)." };
        var output = OutOption();
        var factor = new Option<string>("--factor") { Description = "Factor named in the snippet's exposure (default macro).", DefaultValueFactory = _ => "macro" };
        // The snippet is pasted into a scenario, whose factor names follow the format's name rule.
        factor.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !System.Text.RegularExpressions.Regex.IsMatch(r.Tokens[0].Value, Simulator.Core.Format.SpecPatterns.Name))
                r.AddError($"--factor: '{r.Tokens[0].Value}' is not a factor name; allowed: letters, digits, '-' and '_', starting with a letter or digit, e.g. macro");
        });
        var command = new Command("defaults", "Fit PD and asset correlation (Vasicek maximum likelihood) to a yearly default history, per grade if given; writes a guarantees' loans snippet.")
        {
            file, output, factor,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var read = DefaultData.Read(path);
            if (!Report(read.Errors, path, stderr)) return ExitCodes.Invalid;
            var (fits, errors) = VasicekFit.FitAll(path, read.Rows);
            if (!Report(errors, path, stderr)) return ExitCodes.Invalid;
            string dir = parse.GetValue(output)!;
            if (!FitOutput.TryCreate(dir, stderr)) return ExitCodes.Invalid;
            var written = new List<string> { "defaults-fit.json" };
            File.WriteAllText(Path.Combine(dir, "defaults-fit.json"), FitOutput.DefaultsJson(fits, path, parse.GetValue(factor)!));
            foreach (var fit in fits)
            {
                string png = $"defaults-{fit.Grade}.png";
                FitCharts.Defaults(fit, Path.Combine(dir, png));
                written.Add(png);
            }
            FitOutput.PrintDefaults(stdout, fits, path, parse.GetValue(factor)!);
            stdout.WriteLine($"wrote {Path.Combine(dir, "")}: {string.Join(", ", written)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // Every problem on stderr with a closing count; nothing is written when there is one.
    private static bool Report(IReadOnlyList<DataError> errors, string path, TextWriter stderr)
    {
        if (errors.Count == 0) return true;
        foreach (var e in errors) stderr.WriteLine(e);
        stderr.WriteLine($"{path}: cannot fit ({errors.Count} error{(errors.Count == 1 ? "" : "s")}); nothing was written");
        return false;
    }
}
