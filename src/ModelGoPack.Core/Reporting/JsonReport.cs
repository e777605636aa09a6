using System.Text.Encodings.Web;
using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;

namespace ModelGoPack.Reporting;

/// <summary>
/// The versioned JSON report of <c>check</c> and <c>inspect</c>. Public API: fields are only added;
/// <see cref="ReportVersion"/> changes for anything else.
/// </summary>
public static class JsonReport
{
    public const int ReportVersion = 1;

    internal static readonly JsonWriterOptions Options = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The report. <paramref name="digests"/> adds each artifact's <c>sha256</c>; <paramref name="listDigests"/>
    /// writes them as a <c>digests</c> object too (verify, which has no artifacts). <paramref name="notEvaluated"/>:
    /// why there is no verdict (inspect evaluates nothing), written as <c>"compliant": null</c> and <c>notEvaluated</c>.
    /// </summary>
    public static string Write(IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<Artifact> artifacts, IReadOnlyDictionary<string, string>? digests = null, bool listDigests = false, string? notEvaluated = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("reportVersion", ReportVersion);
            json.WriteString("tool", $"{ToolInfo.Name} {ToolInfo.Version}");
            if (notEvaluated is null)
            {
                json.WriteBoolean("compliant", !diagnostics.Any(d => d.Severity == Severity.Error));
            }
            else
            {
                json.WriteNull("compliant");
                json.WriteString("notEvaluated", notEvaluated);
            }

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

                if (d.Waiver is not null)
                {
                    json.WriteString("waived", d.Waiver);
                }

                json.WriteString("help", d.Descriptor.Help);
                json.WriteString("helpUri", d.Descriptor.HelpLink);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteArtifacts(json, artifacts, digests);
            if (listDigests && digests is not null)
            {
                json.WriteStartObject("digests");
                foreach (var (path, digest) in digests.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    json.WriteString(path, digest);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <c>"artifacts": [{path, size, sha256?, role, weights?, facts, problem?}]</c>.</summary>
    public static void WriteArtifacts(Utf8JsonWriter json, IReadOnlyList<Artifact> artifacts, IReadOnlyDictionary<string, string>? digests = null)
    {
        json.WriteStartArray("artifacts");
        foreach (var artifact in artifacts)
        {
            json.WriteStartObject();
            json.WriteString("path", artifact.Path);
            json.WriteNumber("size", artifact.Size);
            if (digests is not null && digests.TryGetValue(artifact.Path, out var digest))
            {
                json.WriteString("sha256", digest);
            }

            json.WriteString("role", Name(artifact.Role));
            if (artifact.Weights is { } weights)
            {
                json.WriteStartObject("weights");
                json.WriteString("format", weights.Format);
                json.WriteString("precision", Name(weights.Precision));
                json.WriteNumber("tensors", weights.TensorCount);
                json.WriteStartObject("dtypes");
                foreach (var (dtype, elements) in weights.Dtypes)
                {
                    json.WriteNumber(dtype, elements);
                }

                json.WriteEndObject();
                json.WriteStartObject("metadata");
                foreach (var (key, value) in weights.Metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                if (weights.ExternalFiles.Count > 0)
                {
                    json.WriteStartArray("externalFiles");
                    foreach (var file in weights.ExternalFiles)
                    {
                        json.WriteStringValue(file);
                    }

                    json.WriteEndArray();
                }

                json.WriteBoolean("executesCodeOnLoad", weights.ExecutesCodeOnLoad);
                json.WriteBoolean("carriesArchitecture", weights.CarriesArchitecture);
                json.WriteEndObject();
            }

            json.WriteStartObject("facts");
            foreach (var (key, value) in artifact.Facts)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            if (artifact.Problem is not null)
            {
                json.WriteString("problem", artifact.Problem);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>An enum value as the reports spell it: lower case.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
