using System.Text;
using System.Text.Json;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Maps JSON paths (<c>$.funds[0].deals</c>) to line and column in the source text. System.Text.Json's DOM
/// keeps no positions, so one pass of <see cref="Utf8JsonReader"/> records them; the same pass finds
/// duplicate keys, which the DOM would silently accept.
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

    /// <summary>Duplicate keys found, as (path of the duplicate, key).</summary>
    public IReadOnlyList<(string Path, string Key)> Duplicates => _duplicates;

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

    /// <summary>Scans <paramref name="utf8"/>; throws <see cref="JsonException"/> on a syntax error.</summary>
    public static JsonPositionMap Scan(ReadOnlySpan<byte> utf8)
    {
        var map = new JsonPositionMap();
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n') lineStarts.Add(i + 1);
        }

        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var frames = new List<Frame>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                {
                    var frame = frames[^1];
                    string key = reader.GetString()!;
                    frame.Property = key;
                    if (!frame.Seen!.Add(key)) map._duplicates.Add((Child(frame), key));
                    break;
                }
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                {
                    string path = frames.Count == 0 ? "$" : Child(frames[^1]);
                    map.Record(path, reader.TokenStartIndex, utf8, lineStarts);
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
                    map.Record(path, reader.TokenStartIndex, utf8, lineStarts);
                    Advance(frames);
                    break;
                }
            }
        }
        return map;
    }

    /// <summary>The path of a child of an object or array, in the format used by every error message.</summary>
    public static string ChildPath(string parent, string key) =>
        IsPlainKey(key) ? $"{parent}.{key}" : $"{parent}[{JsonSerializer.Serialize(key)}]";

    private static bool IsPlainKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string Child(Frame f) => f.IsArray ? $"{f.Path}[{f.Index}]" : ChildPath(f.Path, f.Property!);

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private void Record(string path, long offset, ReadOnlySpan<byte> utf8, List<int> lineStarts)
    {
        int line = lineStarts.BinarySearch((int)offset);
        if (line < 0) line = ~line - 1;
        int start = lineStarts[line];
        int column = Encoding.UTF8.GetCharCount(utf8[start..(int)offset]) + 1;
        _positions.TryAdd(path, (line + 1, column));
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
        public string? Property { get; set; }
        public HashSet<string>? Seen { get; init; }
    }
}
