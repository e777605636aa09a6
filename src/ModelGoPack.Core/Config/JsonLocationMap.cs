using System.Text.Json;

namespace ModelGoPack.Config;

/// <summary>
/// Maps JSON paths (<c>$.upstream[0].name</c>) to the 1-based line and column where the key (or, in an
/// array, the element) starts, so that a diagnostic can point at the config key. Each key and element is a node
/// known by its parent and its name or index, never by its whole path: memory grows with the count of keys and
/// elements, not with their depth or the length of the keys above them (a long key over many values).
/// </summary>
internal sealed class JsonLocationMap
{
    private const int Root = 0;

    // (parent node, property name or null, element index or -1) -> node; node -> where it starts.
    private readonly Dictionary<(int Parent, string? Name, int Index), int> nodes;
    private readonly List<(int Line, int Column)> starts;

    private JsonLocationMap(Dictionary<(int, string?, int), int> nodes, List<(int, int)> starts) => (this.nodes, this.starts) = (nodes, starts);

    public static JsonLocationMap Empty { get; } = new([], []);

    public (int Line, int Column) Find(string path)
    {
        // The deepest node of the path that the map holds: the nearest enclosing path that has a location.
        if (this.starts.Count == 0)
        {
            return (0, 0);
        }

        var node = Root;
        var found = this.starts[Root];
        for (var i = path.StartsWith('$') ? 1 : path.Length; i < path.Length;)
        {
            (int, string?, int) key;
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0 || !int.TryParse(path.AsSpan(i + 1, close - i - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    break;
                }

                key = (node, null, index);
                i = close + 1;
            }
            else if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                key = (node, path[(i + 1)..end], -1);
                i = end;
            }
            else
            {
                break;
            }

            if (!this.nodes.TryGetValue(key, out node))
            {
                break;
            }

            found = this.starts[node];
        }

        return found;
    }

    /// <summary>
    /// Builds the map, or an empty one when a key is not valid Unicode (the binder reports that). <paramref name="collapsed"/>:
    /// the line break at offset <c>At</c> stands for <c>Lines</c> more (a manifest's files list, left out): the lines after
    /// it are counted that much further on.
    /// </summary>
    public static JsonLocationMap TryBuild(ReadOnlySpan<byte> utf8, JsonReaderOptions options, (int At, int Lines) collapsed = default)
    {
        try
        {
            return Build(utf8, options, collapsed);
        }
        catch (InvalidOperationException)
        {
            return Empty;
        }
    }

    /// <summary>Builds the map. The input must already have parsed as JSON with <paramref name="options"/>.</summary>
    public static JsonLocationMap Build(ReadOnlySpan<byte> utf8, JsonReaderOptions options, (int At, int Lines) collapsed = default)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var nodes = new Dictionary<(int, string?, int), int>();
        var starts = new List<(int, int)>();
        var stack = new Stack<Frame>();
        var reader = new Utf8JsonReader(utf8, options);
        int? pendingProperty = null;
        int Add((int, string?, int) key, int offset)
        {
            if (!nodes.TryGetValue(key, out var node))
            {
                node = starts.Count;
                nodes.Add(key, node);
                var (line, column) = Locate(lineStarts, offset);
                starts.Add((offset > collapsed.At && collapsed.Lines > 0 ? line + collapsed.Lines : line, column));
            }

            return node;
        }

        while (reader.Read())
        {
            var offset = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = Add((stack.Peek().Node, reader.GetString(), -1), offset);
                    continue;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var node = ValueNode(stack, ref pendingProperty, offset, Add);
                    stack.Push(new Frame(node, reader.TokenType == JsonTokenType.StartArray));
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    continue;
                case JsonTokenType.Comment:
                    continue;
                default:
                    ValueNode(stack, ref pendingProperty, offset, Add);
                    continue;
            }
        }

        return new JsonLocationMap(nodes, starts);
    }

    // The node a value stands for: the root; an array's next element; or the property it is the value of.
    private static int ValueNode(Stack<Frame> stack, ref int? pendingProperty, int offset, Func<(int, string?, int), int, int> add)
    {
        if (stack.Count == 0)
        {
            return add((-1, null, -1), offset);
        }

        var frame = stack.Peek();
        if (frame.IsArray)
        {
            return add((frame.Node, null, frame.NextIndex++), offset);
        }

        var property = pendingProperty ?? frame.Node;
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

    private sealed class Frame(int node, bool isArray)
    {
        public int Node { get; } = node;

        public bool IsArray { get; } = isArray;

        public int NextIndex { get; set; }
    }
}
