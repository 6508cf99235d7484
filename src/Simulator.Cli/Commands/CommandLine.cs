using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Simulator.Core.Scenarios;
using Simulator.Reporting.Csv;
using Simulator.Core.Format;

namespace Simulator.Cli.Commands;

/// <summary>The command tree of spec §1: <c>run</c>, <c>validate</c>, <c>schema</c>.</summary>
internal static class CommandLine
{
    public static RootCommand Build(IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Simulator: Monte Carlo loss distributions and tolerance-breach probabilities of government-guided venture funds.");
        root.Subcommands.Add(Run(services, stdout, stderr));
        root.Subcommands.Add(Merge(services, stdout, stderr));
        root.Subcommands.Add(Slurm(stdout, stderr));
        root.Subcommands.Add(Validate(stdout, stderr));
        root.Subcommands.Add(Schema(stdout, stderr));
        root.Subcommands.Add(ValidateModel(stdout, stderr));
        root.Subcommands.Add(Bench(stdout));
        root.Subcommands.Add(Serve.ServeCommand.Build(services, stdout, stderr));
        root.Subcommands.Add(Fit.FitCommand.Build(stdout, stderr));
        root.Subcommands.Add(Solve.SolveCommand.Build(services, stdout, stderr));
        return root;
    }

    private static Argument<string[]> Inputs() => new("scenarios")
    {
        Description = "Scenario files or folders (a folder means every *.json in it, in name order).",
        Arity = ArgumentArity.OneOrMore,
    };

    private static Option<int?> TrialsOption() => new("--trials")
    {
        Description = "Number of trials, overriding the files' simulation.trials (1 to 1000000000; 1e5 is accepted).",
        CustomParser = r => (int?)OptionValues.Integer(r, "--trials", 1, 1_000_000_000),
    };

    private static Option<long?> SeedOption() => new("--seed")
    {
        Description = "Random seed, overriding the files' simulation.seed (a non-negative integer).",
        CustomParser = r => OptionValues.Integer(r, "--seed", 0, long.MaxValue),
    };

    private static Option<int?> ThreadsOption(string description) => new("--threads")
    {
        Description = description,
        CustomParser = r => (int?)OptionValues.Integer(r, "--threads", 1, 1024),
    };

    private static Command Run(IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        var inputs = Inputs();
        var output = new Option<string>("--out") { Description = "Output folder; each scenario writes <out>/<name>/.", DefaultValueFactory = _ => "output" };
        OptionValues.RequirePath(output, "results");
        var trials = TrialsOption();
        var seed = SeedOption();
        var threads = ThreadsOption("Worker threads (default: all cores, at most 1024); never changes a result.");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but errors." };
        var trialsCsv = new Option<string?>("--trials-csv")
        {
            Description = "Columns of trials.csv: all, key (only those the format requires: loss ratios, losses and party payments), none (no trials.csv). "
                + "Default: all for the base run, key for each variant. Never changes any other file.",
        };
        trialsCsv.AcceptOnlyFromAmong("all", "key", "none");
        var trialsFormat = new Option<string?>("--trials-format")
        {
            Description = "File format of the trial table: csv (trials.csv, the default), parquet (trials.parquet instead: the same columns and values, "
                + "Snappy-compressed, for pandas, DuckDB, R and Spark; docs/columnar-output.md), none (no trial table). Never changes any other file.",
        };
        trialsFormat.AcceptOnlyFromAmong("csv", "parquet", "none");
        var noXlsx = new Option<bool>("--no-xlsx") { Description = "Write no summary.xlsx (the summary tables as a workbook, with a sheet explaining each column). Never changes any other file." };
        var shard = new Option<(int K, int N)?>("--shard")
        {
            Description = "Run only shard K of N: trials ⌊(K−1)·n/N⌋+1 … ⌊K·n/N⌋ of every scenario and variant, written to <out>/<name>.shard-K-of-N/ for 'simulator merge' (docs/sharding.md).",
            CustomParser = r => OptionValues.Shard(r),
        };
        var command = new Command("run", "Run scenarios and write results to <out>/<name>/.") { inputs, output, trials, seed, threads, quiet, trialsCsv, trialsFormat, noXlsx, shard };
        command.SetAction((parse, cancellation) =>
        {
            var request = new RunRequest(parse.GetValue(inputs)!, parse.GetValue(output)!, parse.GetValue(trials), parse.GetValue(seed),
                parse.GetValue(threads) ?? 0, parse.GetValue(quiet),
                parse.GetValue(trialsCsv) is { } columns ? Enum.Parse<TrialsCsvColumns>(columns, ignoreCase: true) : TrialsCsvColumns.AllForBase)
            {
                Shard = parse.GetValue(shard),
                TrialsFormat = parse.GetValue(trialsFormat) is { } format ? Enum.Parse<TrialsFormat>(format, ignoreCase: true) : TrialsFormat.Csv,
                Xlsx = !parse.GetValue(noXlsx),
            };
            var runner = services.GetRequiredService<BatchRunner>();
            try
            {
                return Task.FromResult(runner.Run(request, stdout, stderr, cancellation));
            }
            catch (OperationCanceledException)
            {
                // Stopped while the files were read, before any scenario ran (BatchRunner reports a stop after that).
                stderr.WriteLine("cancelled before any scenario ran: nothing was written");
                return Task.FromResult(ExitCodes.Cancelled);
            }
        });
        return command;
    }

    private static Command Merge(IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        var shards = new Argument<string[]>("shards")
        {
            Description = "Shard folders (<out>/<name>.shard-K-of-N), folders holding them, or globs of either (e.g. 'shards/*').",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "Output folder; each scenario writes <out>/<name>/, as 'simulator run' does.", DefaultValueFactory = _ => "output" };
        OptionValues.RequirePath(output, "results");
        var threads = ThreadsOption("Worker threads for the statistics and charts (default: all cores); never changes a result.");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but errors." };
        var command = new Command("merge", "Merge the shards of 'simulator run --shard K/N' into the result folders a whole run writes, byte for byte.") { shards, output, threads, quiet };
        command.SetAction((parse, cancellation) =>
        {
            var request = new RunRequest(parse.GetValue(shards)!, parse.GetValue(output)!, null, null, parse.GetValue(threads) ?? 0, parse.GetValue(quiet));
            return Task.FromResult(Simulator.Cli.Shards.MergeRunner.Run(services.GetRequiredService<BatchRunner>(), request, stdout, stderr, cancellation));
        });
        return command;
    }

    private static Command Slurm(TextWriter stdout, TextWriter stderr)
    {
        var inputs = Inputs();
        var shards = new Option<int>("--shards")
        {
            Description = "N: the number of array tasks, one shard each (1 to 100000; Slurm's MaxArraySize is 1001 by default).",
            Required = true,
            CustomParser = r => (int)(OptionValues.Integer(r, "--shards", 1, OptionValues.MaxShards) ?? 0),
        };
        var output = new Option<string>("--out") { Description = "Output folder on a file system every node sees: results in it, shards in <out>/shards, scripts and logs in <out>/slurm.", DefaultValueFactory = _ => "output" };
        OptionValues.RequirePath(output, "results");
        var partition = new Option<string?>("--partition") { Description = "sbatch --partition." };
        var time = new Option<string?>("--time") { Description = "sbatch --time of each task and of the merge (e.g. 2:00:00)." };
        var cpus = new Option<int>("--cpus")
        {
            Description = "CPUs per task (sbatch --cpus-per-task and the program's --threads; default 1).",
            DefaultValueFactory = _ => 1,
            CustomParser = r => (int)(OptionValues.Integer(r, "--cpus", 1, 1024) ?? 0),
        };
        var trials = TrialsOption();
        var seed = SeedOption();
        var program = new Option<string?>("--simulator") { Description = "The command that runs Simulator on the nodes (default: this program), e.g. a ReadyToRun build on the shared file system." };
        var submit = new Option<bool>("--submit") { Description = "Submit the array and the merge (sbatch, --dependency=afterok) and print their job ids." };
        var command = new Command("slurm", "Write (and with --submit, submit) a Slurm job array of N shards and a merge job that depends on it (docs/sharding.md).")
        {
            inputs, shards, output, partition, time, cpus, trials, seed, program, submit,
        };
        command.SetAction(parse => Simulator.Cli.Shards.SlurmJobs.Run(new Simulator.Cli.Shards.SlurmRequest(parse.GetValue(inputs)!, parse.GetValue(shards), parse.GetValue(output)!,
            parse.GetValue(partition), parse.GetValue(time), parse.GetValue(cpus), parse.GetValue(trials), parse.GetValue(seed), parse.GetValue(program), parse.GetValue(submit)), stdout, stderr));
        return command;
    }

    private static Command Validate(TextWriter stdout, TextWriter stderr)
    {
        var inputs = Inputs();
        var command = new Command("validate", "Check scenario files and report every error with its path and line.") { inputs };
        command.SetAction(parse =>
        {
            var (files, problems) = ScenarioInputs.Expand(parse.GetValue(inputs)!);
            foreach (var p in problems) stderr.WriteLine($"error: {p}");
            bool anyInvalid = problems.Count > 0;
            foreach (var file in files)
            {
                var result = ScenarioLoader.Load(file);
                if (result.IsValid)
                {
                    var sc = result.Scenario!;
                    // One count per registered kind, in the format's order: "2 funds, 1 guarantee"; a kind that is not listed when
                    // absent (IInstrumentFormat.ListedWhenAbsent) is counted only when the file has it.
                    var items = InstrumentKinds.Of(typeof(ScenarioSpec)).Zip(sc.Instruments())
                        .Where(x => x.First.Format.ListedWhenAbsent || x.Second.Items.Count > 0)
                        .Select(x => Count(x.Second.Items.Count, x.First.Format.Noun));
                    stdout.WriteLine($"{file}: ok ({sc.Name}: {string.Join(", ", items)}, {Count(sc.Variants.Count, "variant")}, {sc.Trials} trials)");
                    continue;
                }
                anyInvalid = true;
                foreach (var e in result.Errors) stderr.WriteLine(e);
                stderr.WriteLine($"{file}: invalid ({result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")})");
            }
            return anyInvalid ? ExitCodes.Invalid : ExitCodes.Ok;
        });
        return command;
    }

    private static Command ValidateModel(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string?>("--out") { Description = "Write the Markdown report here (e.g. docs/validation.md) instead of standard output." };
        OptionValues.RequirePath(output, "docs/validation.md");
        var trials = new Option<int>("--trials")
        {
            Description = "Trials of the largest cases (1000 to 100000000).",
            DefaultValueFactory = _ => 100_000,
            CustomParser = r => (int)(OptionValues.Integer(r, "--trials", 1000, 100_000_000) ?? 0),
        };
        var command = new Command("validate-model", "Run the engine against exact results (binomial, one-factor integrals, Vasicek, Basel IRB) and report z-scores.") { output, trials };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(trials);
            var cases = Simulator.Core.Validation.ModelValidation.Run(n);
            string text = Simulator.Reporting.Markdown.ValidationReport.Render(cases, Simulator.Reporting.ProgramInfo.Version,
                $"simulator validate-model --trials {n}");
            if (parse.GetValue(output) is not { } path) stdout.Write(text);
            else if (!TryWrite(path, text, stderr)) return ExitCodes.Invalid;
            int bad = cases.Count(c => Math.Abs(c.Z) > 4);
            if (bad > 0) stderr.WriteLine($"validate-model: {bad} case(s) outside four standard errors");
            return bad == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command Bench(TextWriter stdout)
    {
        var poolTrials = new Option<int>("--pool-trials")
        {
            Description = "Trials of the 10,000-loan pool (at least 100).",
            DefaultValueFactory = _ => 2000,
            CustomParser = r => (int)(OptionValues.Integer(r, "--pool-trials", 100, 100_000_000) ?? 0),
        };
        var fundTrials = new Option<int>("--fund-trials")
        {
            Description = "Trials of the 20-fund programme (at least 100).",
            DefaultValueFactory = _ => 20000,
            CustomParser = r => (int)(OptionValues.Integer(r, "--fund-trials", 100, 100_000_000) ?? 0),
        };
        var only = new Option<string[]>("--only") { Description = "Measure only these benchmarks: pool, funds (the engine), tapes (the default kernel on the loan tapes' shape, in CPU time), writers (trials.parquet and trials.csv); the raw limit is always measured.", AllowMultipleArgumentsPerToken = true };
        only.AcceptOnlyFromAmong("pool", "funds", "tapes", "writers");
        var writerRows = new Option<int>("--writer-rows")
        {
            Description = "Rows the trial-table writers write (at least 1024; default 1000000).",
            DefaultValueFactory = _ => 1_000_000,
            CustomParser = r => (int)(OptionValues.Integer(r, "--writer-rows", 1024, 100_000_000) ?? 0),
        };
        var quick = new Option<bool>("--quick") { Description = "A smoke test: short measurements, no warm-up (figures are not representative)." };
        var command = new Command("bench", "Measure the raw random-number limit, the engine's rates on a 10,000-loan pool and a 20-fund programme, and the trial-table writers (see docs/performance.md).") { poolTrials, fundTrials, only, quick, writerRows };
        command.SetAction(parse =>
        {
            var rates = Simulator.Cli.Bench.Benchmarks.All(parse.GetValue(poolTrials), parse.GetValue(fundTrials), parse.GetValue(only) ?? [], parse.GetValue(quick),
                parse.GetValue(writerRows));
            Simulator.Cli.Bench.Benchmarks.Print(stdout, rates);
            return ExitCodes.Ok;
        });
        return command;
    }

    // A path given with --out that cannot be written is a bad command line: one line, exit code 2, no stack trace.
    private static bool TryWrite(string path, string text, TextWriter stderr)
    {
        try
        {
            File.WriteAllText(path, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: --out {path}: cannot write the file: {e.Message}");
            return false;
        }
    }

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    private static Command Schema(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string?>("--out") { Description = "Write the schema to this file instead of standard output." };
        OptionValues.RequirePath(output, "scenario.schema.json");
        var command = new Command("schema", "Print the JSON Schema of scenario files (for editor completion and checks).") { output };
        command.SetAction(parse =>
        {
            string schema = ScenarioSchema.Generate();
            if (parse.GetValue(output) is not { } path) stdout.Write(schema);
            else if (!TryWrite(path, schema, stderr)) return ExitCodes.Invalid;
            return ExitCodes.Ok;
        });
        return command;
    }
}
