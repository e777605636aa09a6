using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Config;

namespace ModelGoPack.Reporting;

/// <summary>
/// SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule of the catalog with its help
/// text and its page (helpUri), results with a file location (relative to the working folder, which is
/// the repository root in CI), waived findings as notes with an external suppression and its justification.
/// </summary>
public static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <param name="diagnostics">The findings.</param>
    /// <param name="projectDirectory">The project folder that relative diagnostic paths are under.</param>
    /// <param name="workingDirectory">The folder result URIs are made relative to (the repository root).</param>
    /// <param name="archive">For verify of an archive: its path. Results then locate the archive file, and name
    /// the entry inside it as a logical location.</param>
    public static string Write(IReadOnlyList<Diagnostic> diagnostics, string projectDirectory, string workingDirectory, string? archive = null)
    {
        var rules = DiagnosticCatalog.All;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonReport.Options))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();

            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", ToolInfo.Name);
            json.WriteString("version", ToolInfo.Version);
            json.WriteString("semanticVersion", ToolInfo.Version);
            json.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", rule.Code);
                json.WriteString("name", Name(rule.Title));
                json.WriteStartObject("shortDescription");
                json.WriteString("text", rule.Title);
                json.WriteEndObject();
                json.WriteStartObject("fullDescription");
                json.WriteString("text", rule.Help);
                json.WriteEndObject();
                json.WriteStartObject("help");
                json.WriteString("text", rule.Help);
                json.WriteEndObject();
                json.WriteString("helpUri", rule.HelpLink);
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(rule.Severity));
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteStartArray("tags");
                json.WriteStringValue("mg-by-sa-2.0");
                json.WriteStringValue(rule.Kind == DiagnosticKind.Compliance ? "compliance" : "input");
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartArray("results");
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", d.Code);
                json.WriteNumber("ruleIndex", IndexOf(rules, d.Code));
                json.WriteString("level", Level(d.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", d.Message);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                var inArchive = archive is not null && !(d.Path is not null && Path.IsPathRooted(d.Path));
                json.WriteString("uri", inArchive ? Uri(archive!, workingDirectory, workingDirectory) : Uri(d.Path ?? ModelGoConfig.FileName, projectDirectory, workingDirectory));
                json.WriteEndObject();
                // GitHub requires a region with startLine; a finding about a whole file points at its first line.
                json.WriteStartObject("region");
                json.WriteNumber("startLine", inArchive ? 1 : Math.Max(d.Line, 1));
                json.WriteNumber("startColumn", inArchive ? 1 : Math.Max(d.Column, 1));
                json.WriteEndObject();

                json.WriteEndObject();
                if (inArchive && d.Path is not null && d.Path != archive)
                {
                    json.WriteStartArray("logicalLocations");
                    json.WriteStartObject();
                    json.WriteString("fullyQualifiedName", d.Path);
                    json.WriteString("kind", "member");
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                json.WriteEndObject();
                json.WriteEndArray();
                if (d.Waiver is not null)
                {
                    json.WriteStartArray("suppressions");
                    json.WriteStartObject();
                    json.WriteString("kind", "external");
                    json.WriteString("justification", d.Waiver);
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static int IndexOf(IReadOnlyList<DiagnosticDescriptor> rules, string code)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    // "Only quantized or compiled weights" -> "OnlyQuantizedOrCompiledWeights"
    private static string Name(string title) =>
        string.Concat(title.Split(' ', '-', '(', ')', '"', ',', '.', '/', '\'').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    // A '/'-separated path relative to the working folder when the file is under it, else a file:// URI; each
    // a valid URI reference, whatever characters the file's name holds.
    private static string Uri(string path, string projectDirectory, string workingDirectory)
    {
        var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(projectDirectory, path));
        var relative = Path.GetRelativePath(workingDirectory, full);
        if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
        {
            return string.Join('/', relative.Replace('\\', '/').Split('/').Select(System.Uri.EscapeDataString));
        }

        // System.Uri percent-encodes control characters, spaces, '%', '#' and '?' in a file path, but leaves '['
        // and ']', which a URI path may not hold (RFC 3986 keeps them for IPv6 hosts).
        return new Uri(full).AbsoluteUri.Replace("[", "%5B", StringComparison.Ordinal).Replace("]", "%5D", StringComparison.Ordinal);
    }
}
