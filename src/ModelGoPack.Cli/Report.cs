using System.Text.Encodings.Web;
using System.Text.Json;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Cli;

/// <summary>Writes findings as text (MSBuild-style lines) or as the versioned JSON report.</summary>
internal static class Report
{
    /// <summary>The JSON report's schema version. Public API: bump it only for a breaking change.</summary>
    public const int ReportVersion = 1;

    public static void WriteText(TextWriter output, string projectDirectory, IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var path = d.Path is null ? null : Path.IsPathRooted(d.Path) || d.Path.Contains("(built in)", StringComparison.Ordinal) ? d.Path : Path.Join(projectDirectory, d.Path);
            output.WriteLine((d with { Path = path }).ToString());
        }

        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        var warnings = diagnostics.Count(d => d.Severity == Severity.Warning);
        output.WriteLine(errors == 0
            ? $"Compliant with MG-BY-SA-2.0 ({Plural(warnings, "warning")})."
            : $"Not compliant: {Plural(errors, "error")}, {Plural(warnings, "warning")}.");
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<Diagnostic> diagnostics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("reportVersion", ReportVersion);
            json.WriteBoolean("compliant", !diagnostics.Any(d => d.Severity == Severity.Error));
            json.WriteNumber("exitCode", ExitCodes.For(diagnostics));
            json.WriteStartArray("diagnostics");
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("code", d.Code);
                json.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
                json.WriteString("title", d.Descriptor.Title);
                json.WriteString("message", d.Message);
                if (d.Path is null)
                {
                    json.WriteNull("path");
                }
                else
                {
                    json.WriteString("path", d.Path);
                }

                if (d.Line > 0)
                {
                    json.WriteNumber("line", d.Line);
                    json.WriteNumber("column", d.Column);
                }

                json.WriteString("help", d.Descriptor.Help);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
