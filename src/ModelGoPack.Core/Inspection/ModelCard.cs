using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ModelGoPack.Inspection;

/// <summary>
/// The Hugging Face model card: README.md's YAML front matter (<c>license</c>, <c>license_name</c>,
/// <c>license_link</c>, <c>base_model</c>, <c>base_model_relation</c>, <c>datasets</c>) and its first heading.
/// The YAML is read as a stream of events with a depth limit, so a hostile card cannot exhaust the stack.
/// </summary>
public sealed record ModelCard
{
    public const string FileName = "README.md";

    private const int MaxFrontMatterBytes = 256 * 1024;
    private const int MaxDepth = 32;

    /// <summary>
    /// Whether a card's reference to a model (base_model, a dataset stamp's generator) names an upstream: "org/base-tiny"
    /// names upstream "Base-Tiny", and so does a url ending in "/org/base-tiny" or "/base-tiny".
    /// </summary>
    public static bool Names(string reference, string name, string? url)
    {
        var repo = reference.Trim().TrimEnd('/');
        var last = repo[(repo.LastIndexOf('/') + 1)..];
        return string.Equals(repo, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(last, name, StringComparison.OrdinalIgnoreCase)
            || (url is not null && url.TrimEnd('/').EndsWith("/" + repo, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The Hub's base_model_relation values (huggingface.co/docs/hub/model-cards#specifying-a-base-model), all of them
    /// derivatives, each with the method it is in modelgo.json.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> BaseModelRelations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["finetune"] = "fine-tuning",
        ["adapter"] = "adapter",
        ["merge"] = "merge",
        ["quantized"] = "quantization",
    };

    /// <summary>Top-level keys with a scalar value, or a list of scalars (joined values are in <see cref="Lists"/>).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Lists { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>The first Markdown heading (<c># ...</c>) after the front matter, or null.</summary>
    public string? Title { get; init; }

    /// <summary>The 1-based line of <see cref="Title"/> in the card's text (line ends as LF), or 0 when there is none.</summary>
    public int TitleLine { get; init; }

    /// <summary>The 1-based line of each top-level key, for diagnostics.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>A value given as a string or as a list: the list's items, or the one string.</summary>
    public IReadOnlyList<string> Strings(string key) =>
        this.Lists.TryGetValue(key, out var list) ? list : this.Values.TryGetValue(key, out var value) ? [value] : [];

    /// <summary>Reads a model card's text. Throws <see cref="ArtifactFormatException"/> when its front matter is not valid YAML.</summary>
    public static ModelCard Parse(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var body = 0;
        string? yaml = null;
        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            var end = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
            if (end < 0)
            {
                throw new ArtifactFormatException("the front matter opened by '---' on line 1 is never closed by a '---' line.");
            }

            yaml = string.Join('\n', lines[1..end]);
            body = end + 1;
            if (System.Text.Encoding.UTF8.GetByteCount(yaml) > MaxFrontMatterBytes)
            {
                throw new ArtifactFormatException($"the front matter is larger than {MaxFrontMatterBytes / 1024} KiB.");
            }
        }

        var heading = FirstHeading(lines, body);
        // FirstHeading found "# " after leading whitespace; a heading of spaces alone has an empty title.
        var title = heading < 0 ? null : lines[heading].TrimStart()[2..].Trim();
        return (yaml is null ? new ModelCard { Title = title } : ReadYaml(yaml, title)) with { TitleLine = heading + 1 };
    }

    /// <summary>The index of the first Markdown "# " heading at or after <paramref name="start"/>, outside fenced code blocks; -1 if none.</summary>
    public static int FirstHeading(IReadOnlyList<string> lines, int start)
    {
        string? fence = null;
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i].TrimStart();
            if (fence is null && (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = line[..3];
            }
            else if (fence is not null && line.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
            }
            else if (fence is null && line.StartsWith("# ", StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static ModelCard ReadYaml(string yaml, string? title)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _) || !parser.TryConsume<DocumentStart>(out _))
            {
                return new ModelCard { Title = title };
            }

            if (!parser.TryConsume<MappingStart>(out _))
            {
                throw new ArtifactFormatException("the front matter is not a YAML mapping of keys.");
            }

            // Anchored scalars and lists of scalars, so that an alias (base_model: *b) reads as what it names.
            var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
            var sequences = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                if (parser.TryConsume<Scalar>(out var scalar))
                {
                    values[key.Value] = scalar.Value;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        scalars[scalar.Anchor.Value] = scalar.Value;
                    }
                }
                else if (parser.TryConsume<AnchorAlias>(out var alias))
                {
                    if (scalars.TryGetValue(alias.Value.Value, out var named))
                    {
                        values[key.Value] = named;
                    }
                    else if (sequences.TryGetValue(alias.Value.Value, out var namedList))
                    {
                        lists[key.Value] = namedList;
                    }
                }
                else if (parser.TryConsume<SequenceStart>(out var start))
                {
                    var items = new List<string>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        if (parser.TryConsume<Scalar>(out var item))
                        {
                            items.Add(item.Value);
                            if (!item.Anchor.IsEmpty)
                            {
                                scalars[item.Anchor.Value] = item.Value;
                            }
                        }
                        else if (parser.TryConsume<AnchorAlias>(out var itemAlias))
                        {
                            if (scalars.TryGetValue(itemAlias.Value.Value, out var namedItem))
                            {
                                items.Add(namedItem);
                            }
                        }
                        else
                        {
                            Skip(parser, 2);
                        }
                    }

                    lists[key.Value] = items;
                    if (!start.Anchor.IsEmpty)
                    {
                        sequences[start.Anchor.Value] = items;
                    }
                }
                else
                {
                    Skip(parser, 1);
                }

                keyLines.TryAdd(key.Value, (int)key.Start.Line + 1);
            }
        }
        catch (YamlException e)
        {
            throw new ArtifactFormatException($"the front matter is not valid YAML (line {e.Start.Line + 1}): {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // The parser's word for a stream that ends inside a flow collection ("bad: [unclosed"): the collection
            // opened at the last event read is never closed.
            var line = (parser.Current?.Start.Line ?? yaml.Split('\n').Length) + 1;
            throw new ArtifactFormatException($"the front matter is not valid YAML (line {line}): a flow collection ('[' or '{{') is never closed.");
        }

        return new ModelCard { Values = values, Lists = lists, Title = title, Lines = keyLines };
    }

    // Skips one node (scalar, alias, or a whole mapping or sequence), refusing nesting deeper than MaxDepth.
    private static void Skip(Parser parser, int depth)
    {
        var open = 0;
        do
        {
            var current = parser.Current ?? throw new ArtifactFormatException("the front matter ends inside a value.");
            if (current is MappingStart or SequenceStart)
            {
                open++;
                if (depth + open > MaxDepth)
                {
                    throw new ArtifactFormatException($"the front matter nests deeper than {MaxDepth} levels.");
                }
            }
            else if (current is MappingEnd or SequenceEnd)
            {
                open--;
            }

            parser.MoveNext();
        }
        while (open > 0);
    }
}
