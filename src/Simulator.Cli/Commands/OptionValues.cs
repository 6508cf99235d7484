using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Simulator.Core.Scenarios;
using Simulator.Core.Format;

namespace Simulator.Cli.Commands;

/// <summary>
/// Checks of command-line values that System.CommandLine does not make itself: integers written as the scenario
/// files accept them, non-empty paths, and tokens that look like options but name none.
/// </summary>
internal static class OptionValues
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// An option's integer from <paramref name="min"/> to <paramref name="max"/>. Like simulation.trials in a scenario
    /// file it may be written 1e5 or 100000.0; anything else (100,000, abc, 1.5) or a value out of range adds an
    /// error naming the option, the value and what is allowed, so the command line fails with exit code 2 instead
    /// of the parser's exception.
    /// </summary>
    /// <returns>The value, or null when there is none or it was refused.</returns>
    public static long? Integer(ArgumentResult result, string option, long min, long max)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        string allowed = $"allowed: an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        // decimal holds every long exactly and reads 1e5; a number too large for it is still a number, only out of range.
        bool whole = decimal.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out decimal value) && decimal.Truncate(value) == value;
        bool large = !whole && double.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && Math.Abs(d) >= 1e28;
        if (whole && value >= min && value <= max) return (long)value;
        if (whole || large)
        {
            result.AddError($"{option}: value {text} is out of range; {allowed}");
            return null;
        }
        string hint = text.Contains(',') || text.Contains('_') ? " (write it without separators: 100000 or 1e5)"
            : max >= 100_000 ? " (1e5 is accepted)" : "";
        result.AddError($"{option}: value '{text}' is not an integer; {allowed}{hint}");
        return null;
    }

    /// <summary>
    /// <c>--shard K/N</c>: shard K of N, 1 ≤ K ≤ N ≤ 100000; anything else adds an error naming the value and what is allowed.
    /// </summary>
    public static (int K, int N)? Shard(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && k >= 1 && k <= n && n <= MaxShards)
            return (k, n);
        result.AddError($"--shard: value '{text}' is not a shard; allowed: K/N with 1 ≤ K ≤ N ≤ {MaxShards.ToString(CultureInfo.InvariantCulture)}, e.g. --shard 2/8 for the second of eight");
        return null;
    }

    /// <summary>The most shards of one run (a Slurm array holds at most MaxArraySize − 1 tasks, 1,000 by default).</summary>
    public const int MaxShards = 100_000;

    /// <summary>Refuses an empty path (<c>--out ''</c>), which would otherwise reach the file system as "".</summary>
    public static void RequirePath(Option option, string example) => option.Validators.Add(r =>
    {
        if (r.Tokens.Count > 0 && string.IsNullOrWhiteSpace(r.Tokens[0].Value))
            r.AddError($"{option.Name}: the value is empty; give a path, e.g. {option.Name} {example}");
    });

    /// <summary>
    /// A misspelt command, and tokens that look like options of the chosen command but are none: those the parser left unmatched, and those
    /// it took as file arguments (a command with file arguments takes <c>--trails 1000</c> as two files, and the run
    /// went ahead at the default trials). A token after <c>--</c>, or one that names an existing file or folder, is
    /// an argument as written.
    /// </summary>
    /// <returns>One message per unknown command or option, with the closest one when one is near.</returns>
    public static IReadOnlyList<(string Token, string Message)> UnknownOptions(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var arguments = parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var known = KnownOptions(parse.CommandResult).ToList();
        var found = new List<(string Token, string Message)>();
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) break;
            string value = token.Value;
            if (command is RootCommand && token.Type == TokenType.Argument && ReferenceEquals(token, parse.Tokens[0]) && unmatched.Contains(value) && value[0] != '-')
            {
                found.Add((value, $"unknown command '{value}'{SpecBinder.Suggest(value, command.Subcommands.Select(c => c.Name))}; the commands are {string.Join(", ", command.Subcommands.Select(c => c.Name))}"));
                continue;
            }
            if (token.Type != TokenType.Argument || value.Length < 2 || value[0] != '-' || found.Any(f => f.Token == value)) continue;
            bool unknown = unmatched.Contains(value) || (arguments.Contains(value) && !File.Exists(value) && !Directory.Exists(value));
            if (!unknown) continue;
            string name = command is RootCommand ? "simulator" : $"simulator {command.Name}";
            found.Add((value, $"unknown option '{value}' for '{name}'{SpecBinder.Suggest(value, known)}; run '{name} --help' for its options"));
        }
        return found;
    }

    // The command's own options and the recursive ones of its ancestors (--help).
    private static IEnumerable<string> KnownOptions(CommandResult result)
    {
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is not CommandResult c) continue;
            foreach (var option in c.Command.Options.Where(o => ReferenceEquals(at, result) || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases) yield return alias;
            }
        }
    }
}
