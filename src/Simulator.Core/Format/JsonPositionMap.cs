using System.Text;
using System.Text.Json;

namespace Simulator.Core.Format;

/// <summary>
/// Maps JSON paths (<c>$.funds[0].deals</c>) to line and column in the source text. System.Text.Json's DOM
/// keeps no positions, so one pass of <see cref="Utf8JsonReader"/> records them; the same pass finds
/// duplicate keys, which the DOM would silently accept, and every problem that stops the file from being read
/// at all (<see cref="Problem"/>): a syntax error, bytes that are not UTF-8, or a string escape that is not text.
/// </summary>
public sealed class JsonPositionMap
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);
    private readonly List<(string Path, string Key)> _duplicates = [];

    private JsonPositionMap() { }

    /// <summary>Reader options of the format: comments and trailing commas are accepted.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    /// <summary>Keys longer than this are shortened in paths, so that a hostile key cannot flood the messages.</summary>
    public const int MaxKeyInPath = 100;

    /// <summary>Duplicate keys found, as (path of the duplicate, key).</summary>
    public IReadOnlyList<(string Path, string Key)> Duplicates => _duplicates;

    /// <summary>Why the text cannot be read as a scenario at all (null when it can): its nearest path, position and message.</summary>
    public ScenarioTextProblem? Problem { get; private set; }

    /// <summary>Position of the value at <paramref name="path"/>, or of its nearest recorded ancestor.</summary>
    public (int? Line, int? Column) Find(string path)
    {
        string p = path;
        while (true)
        {
            if (_positions.TryGetValue(p, out var pos)) return (pos.Line, pos.Column);
            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0) return (null, null);
            p = p[..cut];
        }
    }

    /// <summary>
    /// Scans <paramref name="utf8"/>. Never throws on bad input: the first problem that stops reading (invalid UTF-8,
    /// a syntax error, an escape such as <c>\uD800</c> that is half a character) is in <see cref="Problem"/>, at the
    /// path of the value being read when it was found.
    /// </summary>
    public static JsonPositionMap Scan(ReadOnlySpan<byte> utf8)
    {
        var map = new JsonPositionMap();
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n') lineStarts.Add(i + 1);
        }
        // The reader does not check that strings are UTF-8 (GetString throws later), so the bytes are checked first;
        // the scan then stops at the token holding the first bad byte, to name its path.
        int invalid = FirstInvalidUtf8(utf8, out int invalidLength);

        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                if (invalid >= 0 && reader.BytesConsumed > invalid) break;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                    {
                        var frame = frames[^1];
                        if (!TryGetString(ref reader, out string? key))
                        {
                            map.Problem = BadEscape(frame.Path, reader.TokenStartIndex, utf8, lineStarts);
                            return map;
                        }
                        frame.Property = key;
                        frame.AwaitingValue = true;
                        if (!frame.Seen!.Add(key!)) map._duplicates.Add((Child(frame), key!));
                        break;
                    }
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                    {
                        string path = frames.Count == 0 ? "$" : Child(frames[^1]);
                        map.Record(path, reader.TokenStartIndex, utf8, lineStarts);
                        if (frames.Count > 0) frames[^1].AwaitingValue = false;
                        bool isArray = reader.TokenType == JsonTokenType.StartArray;
                        frames.Add(new Frame(path, isArray) { Seen = isArray ? null : new HashSet<string>(StringComparer.Ordinal) });
                        break;
                    }
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        Advance(frames);
                        break;
                    default:
                    {
                        string path = frames.Count == 0 ? "$" : Child(frames[^1]);
                        if (reader.TokenType == JsonTokenType.String && !TryGetString(ref reader, out _))
                        {
                            map.Problem = BadEscape(path, reader.TokenStartIndex, utf8, lineStarts);
                            return map;
                        }
                        map.Record(path, reader.TokenStartIndex, utf8, lineStarts);
                        if (frames.Count > 0) frames[^1].AwaitingValue = false;
                        Advance(frames);
                        break;
                    }
                }
            }
        }
        catch (JsonException e) when (invalid < 0)
        {
            map.Problem = SyntaxError(e, Nearest(frames), utf8, lineStarts);
            return map;
        }
        catch (JsonException)
        {
            // Bad bytes outside a string confuse the reader; the bytes are the problem to report.
        }
        if (invalid >= 0)
        {
            var (line, column) = Position(invalid, utf8, lineStarts);
            string bytes = string.Join(" ", utf8.Slice(invalid, invalidLength).ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            map.Problem = new ScenarioTextProblem(Nearest(frames), line, column,
                $"the file is not valid UTF-8: byte{(invalidLength == 1 ? "" : "s")} {bytes} cannot be read as text (e.g. half of a Chinese character, " +
                "or a file saved as GBK or another encoding); save the file as UTF-8");
        }
        return map;
    }

    /// <summary>The path of a child of an object or array, in the format used by every error message.</summary>
    public static string ChildPath(string parent, string key)
    {
        if (IsPlainKey(key) && key.Length <= MaxKeyInPath) return $"{parent}.{key}";
        string shown = key.Length <= MaxKeyInPath ? key : key[..(MaxKeyInPath - 1)] + "…";
        return $"{parent}[{JsonSerializer.Serialize(shown)}]";
    }

    private static bool IsPlainKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string Child(Frame f) => f.IsArray ? $"{f.Path}[{f.Index}]" : ChildPath(f.Path, f.Property!);

    // Where reading stopped: the array element or the field's value being read, else the enclosing object.
    private static string Nearest(List<Frame> frames)
    {
        if (frames.Count == 0) return "$";
        var f = frames[^1];
        return f.IsArray || f.AwaitingValue ? Child(f) : f.Path;
    }

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string? value)
    {
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            // Only an escape can make valid UTF-8 fail here: \uD800 alone is half of a UTF-16 surrogate pair.
            value = null;
            return false;
        }
    }

    /// <summary>The offset of the first byte that does not start a valid UTF-8 sequence (−1 if none) and the length of the bad sequence.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8, out int length)
    {
        length = 0;
        if (System.Text.Unicode.Utf8.IsValid(utf8)) return -1;
        for (int i = 0; i < utf8.Length;)
        {
            var status = System.Text.Rune.DecodeFromUtf8(utf8[i..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                length = Math.Max(1, consumed);
                return i;
            }
            i += consumed;
        }
        return -1;
    }

    private static ScenarioTextProblem BadEscape(string path, long offset, ReadOnlySpan<byte> utf8, List<int> lineStarts)
    {
        var (line, column) = Position(offset, utf8, lineStarts);
        return new ScenarioTextProblem(path, line, column,
            "the string holds an escape that is not text: a \\uD800–\\uDFFF escape must be half of a pair (high then low surrogate); write the character itself or a valid pair");
    }

    private static ScenarioTextProblem SyntaxError(JsonException e, string path, ReadOnlySpan<byte> utf8, List<int> lineStarts)
    {
        string message = e.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut].TrimEnd();
        int line = (int)Math.Clamp(e.LineNumber ?? 0, 0, lineStarts.Count - 1);
        long inLine = Math.Max(0, e.BytePositionInLine ?? 0);
        var (l, column) = Position(Math.Min(utf8.Length, lineStarts[line] + inLine), utf8, lineStarts);
        return new ScenarioTextProblem(path, l, column, $"invalid JSON: {message}");
    }

    // The last position recorded: values come in file order, so the next column is counted on from it. Counting from
    // the start of the line each time is quadratic in a long line (a file written on one line, a list of a million numbers).
    private long _lastOffset = -1;
    private (int Line, int Column) _last;

    private void Record(string path, long offset, ReadOnlySpan<byte> utf8, List<int> lineStarts)
    {
        if (_lastOffset >= 0 && offset >= _lastOffset && (_last.Line == lineStarts.Count || lineStarts[_last.Line] > offset))
        {
            _last = (_last.Line, _last.Column + Encoding.UTF8.GetCharCount(utf8[(int)_lastOffset..(int)offset]));
        }
        else
        {
            _last = Position(offset, utf8, lineStarts);
        }
        _lastOffset = offset;
        _positions.TryAdd(path, _last);
    }

    // 1-based line and column; the column counts characters (UTF-16 units), not bytes.
    private static (int Line, int Column) Position(long offset, ReadOnlySpan<byte> utf8, List<int> lineStarts)
    {
        int line = lineStarts.BinarySearch((int)offset);
        if (line < 0) line = ~line - 1;
        int start = lineStarts[line];
        return (line + 1, Encoding.UTF8.GetCharCount(utf8[start..(int)offset]) + 1);
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
        public string? Property { get; set; }
        // A key was read and its value not yet: a problem here belongs to that field.
        public bool AwaitingValue { get; set; }
        public HashSet<string>? Seen { get; init; }
    }
}

/// <summary>A problem that stops a scenario's text from being read at all.</summary>
/// <param name="Path">The nearest JSON path: the value being read when the problem was found.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, in characters.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record ScenarioTextProblem(string Path, int Line, int Column, string Message);
