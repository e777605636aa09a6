using ModelGoPack.Diagnostics;
using ModelGoPack.Hosting;
using ModelGoPack.Inspection;
using ModelGoPack.Reporting;

namespace ModelGoPack.Cli;

/// <summary>Writes findings as text (MSBuild-style lines) or as the versioned JSON report.</summary>
internal static class Report
{
    /// <summary>Writes each finding, then (with <paramref name="verdict"/>) the compliance verdict they add up to.</summary>
    public static void WriteText(TextWriter output, string projectDirectory, IReadOnlyList<Diagnostic> diagnostics, bool verdict = true)
    {
        foreach (var d in diagnostics)
        {
            output.WriteLine((d with { Path = DisplayPath.InProject(d.Path, projectDirectory) }).ToString());
        }

        if (!verdict)
        {
            return;
        }

        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        var warnings = diagnostics.Count(d => d.Severity == Severity.Warning);
        output.WriteLine(errors == 0
            ? $"Compliant with MG-BY-SA-2.0 ({Plural(warnings, "warning")})."
            : $"Not compliant: {Plural(errors, "error")}, {Plural(warnings, "warning")}.");
    }

    /// <summary>
    /// A finding of verify or sign as it prints: inside a folder bundle, its path; inside an archive, archive!entry; a
    /// full path (the bundle itself, a key, a signature) stands as it is.
    /// </summary>
    public static Diagnostic InBundle(Diagnostic d, string bundle, bool folder) =>
        d.Path is null || d.Path == bundle || Path.IsPathRooted(d.Path) ? d : d with { Path = folder ? Path.Join(bundle, d.Path) : $"{bundle}!{d.Path}" };

    public static void WriteJson(TextWriter output, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<Artifact> artifacts, IReadOnlyDictionary<string, string>? digests = null, bool listDigests = false, string? notEvaluated = null) =>
        PrintableWriter.WriteLines(output, JsonReport.Write(diagnostics, artifacts, digests, listDigests, notEvaluated));

    /// <summary>The artifacts as a table: path, role, size, and what the header says.</summary>
    public static void WriteArtifacts(TextWriter output, IReadOnlyList<Artifact> artifacts)
    {
        // Paths as they print (escaped), so that the columns line up.
        var width = Math.Min(Math.Max(artifacts.Select(a => PrintableText.Escape(a.Path).Length).DefaultIfEmpty(4).Max(), 4), 60);
        output.WriteLine($"{"PATH".PadRight(width)}  {"ROLE",-12}  {"SIZE",12}  FACTS");
        foreach (var a in artifacts)
        {
            output.WriteLine($"{PrintableText.Escape(a.Path).PadRight(width)}  {JsonReport.Name(a.Role),-12}  {a.Size,12:N0}  {Facts(a)}");
        }
    }

    private static string Facts(Artifact a)
    {
        var parts = new List<string>();
        if (a.Problem is not null)
        {
            parts.Add("MALFORMED: " + a.Problem);
        }

        if (a.Weights is { } w)
        {
            var dtypes = string.Join(" ", w.Dtypes.OrderByDescending(d => d.Value).Select(d => d.Key));
            parts.Add($"{w.Format}, {JsonReport.Name(w.Precision)}{(w.TensorCount > 0 ? $", {w.TensorCount} tensors" : "")}{(dtypes.Length > 0 ? $", {dtypes}" : "")}");
            if (w.ExecutesCodeOnLoad)
            {
                parts.Add("pickle (runs code on load)");
            }
        }

        parts.AddRange(a.Facts.Where(f => f.Key != "shards").Select(f => $"{f.Key}={f.Value}"));
        return string.Join("; ", parts);
    }

    internal static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The full path of <paramref name="path"/> for a SARIF report's root; the current folder when it is no usable path.</summary>
    internal static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return Environment.CurrentDirectory;
        }
    }
}
