using System.Text;
using System.Text.Json;
using ModelGoPack.Config;
using ModelGoPack.Licensing;

namespace ModelGoPack.Rendering;

/// <summary>
/// Composes the bundle's README.md from the project's model card: the front matter keeps every key but
/// <c>license</c>, <c>license_name</c>, <c>license_link</c> and <c>base_model</c>, which are set for
/// MG-BY-SA-2.0; the rendered section goes right after the first heading. The project's own README.md is
/// never changed: only the bundle's copy carries this.
/// </summary>
internal static class ModelCardWriter
{
    private static readonly string[] OwnedKeys = ["license", "license_name", "license_link", "base_model"];

    public static string Compose(string? original, ModelGoConfig config, IReadOnlyList<string> baseModels, string section)
    {
        var lines = (original ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var frontMatter = new List<string>();
        var body = lines;
        if (lines.Count > 0 && lines[0].TrimEnd() == "---")
        {
            var end = lines.FindIndex(1, l => l.TrimEnd() is "---" or "...");
            if (end > 0)
            {
                frontMatter = RemoveKeys(lines[1..end]);
                body = lines[(end + 1)..];
            }
        }

        frontMatter.Add("license: other");
        frontMatter.Add($"license_name: {LicenseText.Id.ToLowerInvariant()}");
        frontMatter.Add("license_link: LICENSE");
        if (baseModels.Count > 0)
        {
            frontMatter.Add("base_model:");
            frontMatter.AddRange(baseModels.Select(b => "  - " + JsonSerializer.Serialize(b)));
        }

        var heading = Inspection.ModelCard.FirstHeading(body, 0);
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
            Inspection.ModelCard.Parse(text.ToString());
            return text.ToString();
        }
        catch (Inspection.ArtifactFormatException)
        {
            var card = SafeParse(original);
            var rebuilt = new List<string>();
            foreach (var (key, value) in card.Values.Where(v => !OwnedKeys.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                rebuilt.Add($"{JsonSerializer.Serialize(key)}: {JsonSerializer.Serialize(value)}");
            }

            foreach (var (key, values) in card.Lists.Where(v => !OwnedKeys.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                rebuilt.Add($"{JsonSerializer.Serialize(key)}:");
                rebuilt.AddRange(values.Select(v => "  - " + JsonSerializer.Serialize(v)));
            }

            var start = text.ToString().IndexOf("\n---\n", StringComparison.Ordinal);
            var ownedStart = frontMatter.IndexOf("license: other");
            return "---\n" + string.Concat(rebuilt.Concat(frontMatter.Skip(ownedStart)).Select(l => l + "\n")) + text.ToString()[(start + 1)..];
        }
    }

    private static Inspection.ModelCard SafeParse(string? original)
    {
        try
        {
            return Inspection.ModelCard.Parse(original ?? "");
        }
        catch (Inspection.ArtifactFormatException)
        {
            return new Inspection.ModelCard();
        }
    }

    // Drops the owned top-level keys with their indented or list continuation lines.
    private static List<string> RemoveKeys(List<string> yaml)
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
            }

            if (!skipping)
            {
                kept.Add(line);
            }
        }

        return kept;
    }
}
