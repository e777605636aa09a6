using System.Text.Json;

namespace ModelGoPack.Config;

/// <summary>
/// Maps JSON paths (<c>$.upstream[0].name</c>) to the 1-based line and column where the key (or, in an
/// array, the element) starts, so that a diagnostic can point at the config key.
/// </summary>
internal sealed class JsonLocationMap
{
    private readonly Dictionary<string, (int Line, int Column)> locations;

    private JsonLocationMap(Dictionary<string, (int Line, int Column)> locations) => this.locations = locations;

    public static JsonLocationMap Empty { get; } = new([]);

    public (int Line, int Column) Find(string path)
    {
        // Fall back to the nearest enclosing path that has a location.
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (this.locations.TryGetValue(p, out var location))
            {
                return location;
            }
        }

        return (0, 0);
    }

    /// <summary>Builds the map, or an empty one when a key is not valid Unicode (the binder reports that).</summary>
    public static JsonLocationMap TryBuild(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        try
        {
            return Build(utf8, options);
        }
        catch (InvalidOperationException)
        {
            return Empty;
        }
    }

    /// <summary>Builds the map. The input must already have parsed as JSON with <paramref name="options"/>.</summary>
    public static JsonLocationMap Build(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var map = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        var reader = new Utf8JsonReader(utf8, options);
        string? pendingProperty = null;
        while (reader.Read())
        {
            var offset = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = stack.Peek().Path + "." + reader.GetString();
                    map.TryAdd(pendingProperty, Locate(lineStarts, offset));
                    continue;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var path = ValuePath(stack, ref pendingProperty, lineStarts, offset, map);
                    stack.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    continue;
                case JsonTokenType.Comment:
                    continue;
                default:
                    ValuePath(stack, ref pendingProperty, lineStarts, offset, map);
                    continue;
            }
        }

        return new JsonLocationMap(map);
    }

    private static string ValuePath(Stack<Frame> stack, ref string? pendingProperty, List<int> lineStarts, int offset, Dictionary<string, (int, int)> map)
    {
        if (stack.Count == 0)
        {
            map.TryAdd("$", Locate(lineStarts, offset));
            return "$";
        }

        var frame = stack.Peek();
        if (frame.IsArray)
        {
            var path = $"{frame.Path}[{frame.NextIndex++}]";
            map.TryAdd(path, Locate(lineStarts, offset));
            return path;
        }

        var property = pendingProperty ?? frame.Path;
        pendingProperty = null;
        return property;
    }

    private static (int, int) Locate(List<int> lineStarts, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, offset - lineStarts[index] + 1);
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? (path == "$" ? "" : "$") : path[..cut];
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int NextIndex { get; set; }
    }
}
