using System.Text.Json;
using Json.Schema;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// The specifications' own JSON schemas in ../shared/specs (CNCF ModelPack, OpenSSF Model Signing v1.0, CycloneDX),
/// read with JsonSchema.Net: what ModelGoPack writes is checked against them, never against a copy of ours.
/// Every schema of a spec folder is registered first, so that references between them (bom-1.6 to spdx and jsf,
/// the OMS bundle to its envelope) resolve offline; formats (date-time) are checked too.
/// </summary>
public static class SpecSchemas
{
    /// <summary>The specifications folder beside the repository (../shared/specs).</summary>
    public static string Folder { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot.Path, "..", "shared", "specs"));

    /// <summary>The ModelPack config schema.</summary>
    public static string ModelPackConfig => System.IO.Path.Combine(Folder, "modelpack", "schema", "config-schema.json");

    /// <summary>The CycloneDX 1.6 schema.</summary>
    public static string CycloneDx16 => System.IO.Path.Combine(Folder, "cyclonedx", "schema", "bom-1.6.schema.json");

    /// <summary>An OMS v1.0 schema by name: bundle, envelope, statement or predicate.</summary>
    public static string Oms(string name) => System.IO.Path.Combine(Folder, "oms-v1.0", "schemas", "v1.0", name + ".schema.json");

    /// <summary>The schema's errors for <paramref name="json"/> (instance location: message), none when it validates.</summary>
    public static IReadOnlyList<string> Errors(string schemaPath, string json)
    {
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry };
        var directory = System.IO.Path.GetDirectoryName(schemaPath)!;

        // Dependencies first (a schema's references are resolved when it is built), the one asked for last.
        var files = Directory.GetFiles(directory, "*.json").Where(f => f != schemaPath).OrderBy(Rank).ThenBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                JsonSchema.FromFile(file, options);
            }
            catch (Exception e) when (e is JsonSchemaException or JsonException or RefResolutionException)
            {
                // A schema that needs one not yet read (or a data file such as cryptography-defs.json) is not a dependency here.
            }
        }

        var schema = JsonSchema.FromFile(schemaPath, options);
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    // The schemas others refer to (spdx, jsf, the OMS predicate and envelope) before the ones that refer to them.
    private static int Rank(string file) => System.IO.Path.GetFileName(file) switch
    {
        "spdx.schema.json" or "jsf-0.82.schema.json" or "cryptography-defs.schema.json" or "predicate.schema.json" or "envelope.schema.json" => 0,
        _ => 1,
    };
}
