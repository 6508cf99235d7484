using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>The outcome of loading one file: a scenario, or every error found in it.</summary>
/// <param name="File">The file as named by the user.</param>
/// <param name="Scenario">The scenario, when valid.</param>
/// <param name="Errors">All errors (empty when valid).</param>
public sealed record LoadResult(string File, Scenario? Scenario, IReadOnlyList<ScenarioError> Errors)
{
    /// <summary>True when the file is valid.</summary>
    public bool IsValid => Scenario is not null && Errors.Count == 0;
}

/// <summary>
/// Reads scenario files: JSON with comments and trailing commas → spec classes (all errors at once, with
/// path, line, value and what is allowed) → defaults filled in → immutable <see cref="Scenario"/>.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>The largest scenario file read, in bytes (10 MiB): far above any real scenario (large loan books belong in
    /// loan tapes), and small enough that parsing and checking stay fast and within memory.</summary>
    public const int MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>Loads a file from disk.</summary>
    public static LoadResult Load(string path)
    {
        byte[] bytes;
        if (InputFile.NotRegular(path) is { } what)
            return new LoadResult(path, null, [new ScenarioError(path, "$", null, null, $"cannot read the file: it is {what}, not a regular file; give a scenario file (*.json)")]);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.CanSeek && stream.Length > MaxFileBytes) return TooLarge(path, stream.Length);
            // Read at most one byte more than allowed, so that a device or a pipe without a length cannot fill the memory.
            bytes = new byte[MaxFileBytes + 1];
            int read = 0, n;
            while (read < bytes.Length && (n = stream.Read(bytes, read, bytes.Length - read)) > 0) read += n;
            Array.Resize(ref bytes, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LoadResult(path, null, [new ScenarioError(path, "$", null, null, $"cannot read the file: {e.Message}")]);
        }
        return Parse(bytes, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    private static LoadResult TooLarge(string file, long length) => new(file, null, [new ScenarioError(file, "$", null, null,
        $"the file is {(length > MaxFileBytes + 1 ? length.ToString("N0", CultureInfo.InvariantCulture) : "more than " + MaxFileBytes.ToString("N0", CultureInfo.InvariantCulture))} bytes; " +
        $"a scenario file may hold at most {MaxFileBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes (10 MB). Put large loan books in a loan tape (\"loanTape\")")]);

    /// <summary>Loads a scenario from text (tests, tools).</summary>
    public static LoadResult Parse(string text, string fileLabel = "<text>", string? baseDirectory = null) =>
        Parse(Encoding.UTF8.GetBytes(text), fileLabel, baseDirectory);

    /// <summary>Loads a scenario from UTF-8 bytes; loan tapes are resolved against <paramref name="baseDirectory"/>
    /// (default: the current directory). Variants, sweeps and sensitivity inputs are expanded and validated too.</summary>
    public static LoadResult Parse(byte[] utf8, string fileLabel, string? baseDirectory)
    {
        if (utf8.Length > MaxFileBytes) return TooLarge(fileLabel, utf8.Length);
        var read = Read(utf8, fileLabel, baseDirectory);
        if (read.Errors.Count > 0 || read.Spec is null) return new LoadResult(fileLabel, null, read.Errors);
        var filled = ScenarioDefaults.Fill(read.Spec);
        string folder = baseDirectory ?? Directory.GetCurrentDirectory();
        var scenario = ScenarioBuilder.Build(filled, fileLabel, folder, read.Loaded);
        if (filled.Variants is null && filled.Sweep is null && filled.Sensitivity is null && filled.Solve is null) return new LoadResult(fileLabel, scenario, []);

        var errors = new ErrorSink(fileLabel, read.Positions!);
        var expanded = new VariantExpander(errors, fileLabel, baseDirectory, read.FileCache).Expand(filled, scenario, read.Spec.Policy);
        return errors.Errors.Count > 0 ? new LoadResult(fileLabel, null, errors.Errors) : new LoadResult(fileLabel, expanded, []);
    }

    /// <summary>A filled spec as JSON text, the form a <see cref="Scenario"/> keeps it in.</summary>
    internal static string Write(ScenarioSpec filled) => JsonSerializer.Serialize(filled, ScenarioJson.SerializerOptions);

    /// <summary>Reads back what <see cref="Write"/> wrote: a fresh copy of the spec records.</summary>
    internal static ScenarioSpec ReadFilled(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var positions = JsonPositionMap.Scan(bytes);
        using var document = JsonDocument.Parse(bytes);
        var errors = new ErrorSink("scenario.json", positions);
        var spec = new SpecBinder(errors).Bind<ScenarioSpec>(document.RootElement);
        // The text was written from a valid spec by the same format, so it binds without error.
        if (spec is null || errors.Errors.Count > 0)
            throw new InvalidOperationException("a filled scenario did not read back: " + string.Join("; ", errors.Errors.Select(e => e.ToString())));
        return spec;
    }

    /// <summary>The result of reading a file into the spec classes.</summary>
    internal sealed record ReadResult(ScenarioSpec? Spec, IReadOnlyDictionary<string, Dictionary<int, object>> Loaded, IReadOnlyList<ScenarioError> Errors, JsonPositionMap? Positions)
    {
        /// <summary>Input files read, by a key of each kind's choosing, for variants that keep the same files.</summary>
        public Dictionary<string, object> FileCache { get; init; } = new(StringComparer.Ordinal);
    }

    /// <summary>Parses, binds and validates a file (or a variant's generated text), loading its input files.</summary>
    internal static ReadResult Read(byte[] utf8, string fileLabel, string? baseDirectory, Dictionary<string, object>? fileCache = null)
    {
        fileCache ??= new Dictionary<string, object>(StringComparer.Ordinal);
        ReadOnlySpan<byte> span = utf8;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];

        var positions = JsonPositionMap.Scan(span);
        if (positions.Problem is { } problem)
            return new ReadResult(null, new Dictionary<string, Dictionary<int, object>>(), [new ScenarioError(fileLabel, problem.Path, problem.Line, problem.Column, problem.Message)], null);
        // The scan accepted the text with the same options, so parsing it cannot fail.
        var document = JsonDocument.Parse(span.ToArray(), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 64,
        });

        using (document)
        {
            var errors = new ErrorSink(fileLabel, positions);
            foreach (var (path, key) in positions.Duplicates) errors.Add(path, $"field '{key}' appears twice in the same object; keep one");
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("$", "a scenario file holds one JSON object, e.g. { \"name\": \"my-scenario\", \"funds\": [ ... ] }");
                return new ReadResult(null, new Dictionary<string, Dictionary<int, object>>(), errors.Errors, positions);
            }
            var spec = new SpecBinder(errors).Bind<ScenarioSpec>(document.RootElement);
            var validator = new ScenarioValidator(errors, baseDirectory ?? Directory.GetCurrentDirectory(), fileCache);
            if (spec is not null) validator.Validate(spec);
            return new ReadResult(spec, validator.Loaded, errors.Errors.Concat(validator.FileErrors).ToList(), positions) { FileCache = fileCache };
        }
    }
}
