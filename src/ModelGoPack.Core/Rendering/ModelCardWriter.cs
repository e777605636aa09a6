using System.Text;
using ModelGoPack.Config;
using ModelGoPack.Licensing;
using ModelGoPack.Inspection;

namespace ModelGoPack.Rendering;

/// <summary>
/// Composes the bundle's README.md from the project's model card: the front matter keeps every key, in its order and
/// of its shape, but the values of <c>license</c>, <c>license_name</c>, <c>license_link</c> and <c>base_model</c>,
/// which are set for MG-BY-SA-2.0 where the card had them (at the end when it had not); the rendered section goes
/// right after the first heading. The project's own README.md is
/// never changed: only the bundle's copy carries this.
/// </summary>
internal static class ModelCardWriter
{
    private static readonly string[] OwnedKeys = ["license", "license_name", "license_link", "base_model"];

    public static string Compose(string? original, ModelGoConfig config, IReadOnlyList<string> baseModels, string section)
    {
        var lines = (original ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var parsed = SafeParse(original);

        // The owned keys' values, each where the card had it (its key order kept), else at the end; base_model keeps
        // its shape: a scalar stays a scalar when one base model is left.
        var owned = new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            ["license"] = ["license: other"],
            ["license_name"] = [$"license_name: {LicenseText.Id.ToLowerInvariant()}"],
            ["license_link"] = ["license_link: LICENSE"],
            ["base_model"] = baseModels.Count == 0 ? []
                : baseModels.Count == 1 && parsed.Values.ContainsKey("base_model") ? [$"base_model: {Quote(baseModels[0])}"]
                : ["base_model:", .. baseModels.Select(b => "  - " + Quote(b))],
        };
        var missing = new Dictionary<string, List<string>>(owned, StringComparer.Ordinal);
        var frontMatter = new List<string>();
        var body = lines;
        if (lines.Count > 0 && lines[0].TrimEnd() == "---")
        {
            var end = lines.FindIndex(1, l => l.TrimEnd() is "---" or "...");
            if (end > 0)
            {
                frontMatter = ReplaceKeys(lines[1..end], missing);
                body = lines[(end + 1)..];
            }
        }

        frontMatter.AddRange(OwnedKeys.Where(missing.ContainsKey).SelectMany(k => missing[k]));
        var heading = ModelCard.FirstHeading(body, 0);
        if (heading < 0)
        {
            body.InsertRange(0, [$"# {config.Name}", ""]);
            heading = 0;
        }

        var after = heading + 1 < body.Count && body[heading + 1].Trim().Length == 0 ? Array.Empty<string>() : [""];
        body.InsertRange(heading + 1, ["", .. section.TrimEnd('\n').Split('\n'), .. after]);
        var text = new StringBuilder();
        text.Append("---\n");
        foreach (var line in frontMatter)
        {
            text.Append(line).Append('\n');
        }

        text.Append("---\n");
        text.Append(string.Join('\n', body).TrimEnd('\n')).Append('\n');

        // Line-wise editing cannot handle every YAML (anchors, a one-line flow mapping): when the result
        // does not read back, the front matter is rebuilt from the keys the card's YAML parser understood.
        try
        {
            ModelCard.Parse(text.ToString());
            if (!HasUndefinedAlias(frontMatter))
            {
                return text.ToString();
            }

            // An alias to an anchor on a key that was replaced (license: &l other ... extra: *l) would be undefined.
            throw new ArtifactFormatException("an alias names an anchor that is no longer there.");
        }
        catch (ArtifactFormatException)
        {
            // In the card's key order, each value of its shape.
            var rebuilt = new List<string>();
            foreach (var key in parsed.Values.Keys.Concat(parsed.Lists.Keys).Where(k => !OwnedKeys.Contains(k)).OrderBy(k => parsed.Lines.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal))
            {
                if (parsed.Values.TryGetValue(key, out var value))
                {
                    rebuilt.Add($"{Quote(key)}: {Quote(value)}");
                }
                else
                {
                    rebuilt.Add($"{Quote(key)}:");
                    rebuilt.AddRange(parsed.Lists[key].Select(v => "  - " + Quote(v)));
                }
            }

            var start = text.ToString().IndexOf("\n---\n", StringComparison.Ordinal);
            rebuilt.AddRange(OwnedKeys.SelectMany(k => owned[k]));
            return "---\n" + string.Concat(rebuilt.Select(l => l + "\n")) + text.ToString()[(start + 1)..];
        }
    }

    /// <summary>
    /// A YAML double-quoted scalar of <paramref name="value"/>, every character as it is but '"', '\\' and the
    /// control and separator characters, which are escaped (YAML 1.1 and 1.2, as PyYAML reads them; a character past
    /// U+FFFF stays itself, never a pair of surrogate escapes).
    /// </summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' or '\uFEFF' => text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    // Whether the front matter uses an alias (*name) whose anchor (&name) is not defined before it.
    private static bool HasUndefinedAlias(List<string> frontMatter)
    {
        try
        {
            var parser = new YamlDotNet.Core.Parser(new StringReader(string.Join('\n', frontMatter)));
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case YamlDotNet.Core.Events.AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        return true;
                    case YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } node:
                        anchors.Add(node.Anchor.Value);
                        break;
                }
            }

            return false;
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            return true;
        }
    }

    private static ModelCard SafeParse(string? original)
    {
        try
        {
            return ModelCard.Parse(original ?? "");
        }
        catch (ArtifactFormatException)
        {
            return new ModelCard();
        }
    }

    // Puts each owned top-level key's value in place of the key and its indented or list continuation lines, and takes
    // it out of missing: what is left in missing was not in the card.
    private static List<string> ReplaceKeys(List<string> yaml, Dictionary<string, List<string>> missing)
    {
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in yaml)
        {
            var topLevel = line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('-') && !line.StartsWith('#');
            if (topLevel)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var key = colon < 0 ? line.Trim() : line[..colon].Trim().Trim('"', '\'');
                skipping = OwnedKeys.Contains(key, StringComparer.Ordinal);
                if (skipping && missing.Remove(key, out var replacement))
                {
                    kept.AddRange(replacement);
                }
            }

            if (!skipping)
            {
                kept.Add(line);
            }
        }

        return kept;
    }
}
