using System.Globalization;
using System.Text.Json;
using ModelGoPack.Config;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;

namespace ModelGoPack.Oci;

/// <summary>
/// The CNCF ModelPack config (<c>application/vnd.cncf.model.config.v1+json</c>, ../shared/specs/modelpack/docs/config.md)
/// from what ModelGoPack knows: the descriptor from modelgo.json (name, version, the copyright lines' holders as authors,
/// <c>LicenseRef-MG-BY-SA-2.0</c>, the bundle time as createdAt), the technical config from the weight headers, and
/// <c>modelfs</c> from the layers. Our readings where the spec leaves a choice (docs/oci.md says the same):
/// <list type="bullet">
/// <item>a raw layer is no tar, so its DiffID is the digest of the layer itself (the uncompressed content);</item>
/// <item>several weight formats are listed comma-separated in <c>format</c>, as the spec lists several precisions;</item>
/// <item><c>precision</c> lists the spec's names of the element types the headers hold, in the spec's table order;
/// types that are no precision of that table (GGUF's Q4_K, ONNX's INT4) are the <c>quantization</c>, unless config.json
/// names its method (awq, gptq);</item>
/// <item><c>architecture</c> is config.json's <c>architectures</c> (else its <c>model_type</c>), else GGUF's
/// <c>general.architecture</c>; <c>paramSize</c> is given only when every weight file is of one format (shards of one
/// model), from the element counts of its headers.</item>
/// </list>
/// Members with nothing to say are left out; the JSON is written in a fixed order, so the same inputs give the same digest.
/// </summary>
internal static class ModelPackConfig
{
    // The spec's precision names (its table order) and the element types of each weight format that mean them.
    private static readonly (string Name, string[] Types)[] Precisions =
    [
        ("float32", ["F32", "FLOAT", "FLOATSTORAGE", "FLOAT32"]),
        ("float64", ["F64", "DOUBLE", "DOUBLESTORAGE", "FLOAT64"]),
        ("float16", ["F16", "FLOAT16", "HALFSTORAGE", "HALF"]),
        ("bfloat16", ["BF16", "BFLOAT16", "BFLOAT16STORAGE"]),
        ("float8_e4m3", ["F8_E4M3", "F8_E4M3FN", "FLOAT8E4M3FN", "FLOAT8_E4M3FNSTORAGE"]),
        ("float8_e5m2", ["F8_E5M2", "FLOAT8E5M2", "FLOAT8_E5M2STORAGE"]),
        ("complex32", ["COMPLEXHALFSTORAGE", "COMPLEX32"]),
        ("complex64", ["C64", "COMPLEX64", "COMPLEXFLOATSTORAGE"]),
        ("complex128", ["C128", "COMPLEX128", "COMPLEXDOUBLESTORAGE"]),
        ("int8", ["I8", "INT8", "CHARSTORAGE"]),
        ("int16", ["I16", "INT16", "SHORTSTORAGE"]),
        ("int32", ["I32", "INT32", "INTSTORAGE"]),
        ("int64", ["I64", "INT64", "LONGSTORAGE"]),
        ("uint8", ["U8", "UINT8", "BYTESTORAGE"]),
        ("uint16", ["U16", "UINT16"]),
        ("uint32", ["U32", "UINT32"]),
        ("uint64", ["U64", "UINT64"]),
        ("bool", ["BOOL", "BOOLSTORAGE"]),
    ];

    /// <summary>The config's JSON.</summary>
    public static byte[] Create(ModelGoConfig config, IReadOnlyList<Artifact> artifacts, DateTimeOffset created, IEnumerable<string> diffIds)
    {
        var weights = artifacts.Where(a => a.Weights is not null).OrderBy(a => a.Path, StringComparer.Ordinal).ToList();
        var dtypes = weights.SelectMany(w => w.Weights!.Dtypes).GroupBy(d => d.Key.ToUpperInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(d => d.Value), StringComparer.Ordinal);
        var precisions = Precisions.Where(p => p.Types.Any(dtypes.ContainsKey)).Select(p => p.Name).ToList();
        var known = Precisions.SelectMany(p => p.Types).ToHashSet(StringComparer.Ordinal);
        var formats = weights.Select(w => FormatName(w.Weights!.Format)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // config.json's quant_method; "yes" stands for a quantization_config that names none (bitsandbytes' load_in_4bit).
        var quantization = (Fact(artifacts, "quantization") is { } method && method != "yes" ? method : null)
            ?? Joined(weights.SelectMany(w => w.Weights!.Dtypes.Keys).Where(t => !known.Contains(t.ToUpperInvariant())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var architecture = Fact(artifacts, "architectures") ?? Fact(artifacts, "model_type")
            ?? weights.Select(w => w.Weights!.Metadata.GetValueOrDefault("general.architecture")).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a));

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OciDescriptor.WriterOptions with { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("descriptor");
            json.WriteString("createdAt", Rfc3339(created));
            var authors = config.Copyright.Select(LicenseIdentifier.CopyrightHolder).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (authors.Count > 0)
            {
                json.WriteStartArray("authors");
                authors.ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            json.WriteString("name", config.Name);
            json.WriteString("version", config.Version.ToNormalizedString());
            json.WriteStartArray("licenses");
            json.WriteStringValue(LicenseText.SpdxReference);
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("config");
            WriteIfAny(json, "architecture", architecture);
            WriteIfAny(json, "format", Joined(formats));
            if (formats.Count == 1 && !SharesTensors(weights))
            {
                WriteIfAny(json, "paramSize", ParamSize(dtypes.Values.Sum()));
            }

            WriteIfAny(json, "precision", Joined(precisions));
            WriteIfAny(json, "quantization", quantization);
            json.WriteEndObject();

            json.WriteStartObject("modelfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diffIds");
            foreach (var diffId in diffIds)
            {
                json.WriteStringValue(diffId);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A time as RFC 3339 in UTC to the second (2026-06-01T00:00:00Z), as the config and the annotations give it.</summary>
    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The spec's <c>&lt;count&gt;&lt;scale-prefix&gt;</c>, one digit after the point at most (6.7B, 100M, 0.5K); the
    /// prefix is required, so below 50 parameters (0.0K) there is none to give: null.
    /// </summary>
    internal static string? ParamSize(long parameters)
    {
        foreach (var (scale, prefix) in new[] { (1e15, "Q"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K") })
        {
            // Judged on the rounded count, so that 999,960 is 1M, not 1000K.
            if (Math.Round(parameters / scale, 1, MidpointRounding.AwayFromZero) is var count and >= 1)
            {
                return count.ToString("0.#", CultureInfo.InvariantCulture) + prefix;
            }
        }

        var thousands = Math.Round(parameters / 1e3, 1, MidpointRounding.AwayFromZero);
        return thousands > 0 ? thousands.ToString("0.#", CultureInfo.InvariantCulture) + "K" : null;
    }

    // Two files that hold a tensor of one name are two copies of (part of) one model (Mistral's model.safetensors beside
    // consolidated.safetensors, diffusers' .fp16 variants): their counts would add up to a model twice the size.
    private static bool SharesTensors(IEnumerable<Artifact> weights)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in weights)
        {
            var names = file.Weights!.Matrices.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            if (names.Overlaps(seen))
            {
                return true;
            }

            seen.UnionWith(names);
        }

        return false;
    }

    // The spec's examples: "onnx", "safetensors", "gguf", "pt" (PyTorch).
    private static string FormatName(string format) => format == "pytorch" ? "pt" : format.ToLowerInvariant();

    private static string? Fact(IEnumerable<Artifact> artifacts, string name) =>
        artifacts.OrderBy(a => a.Path.Count(c => c == '/')).ThenBy(a => a.Path, StringComparer.Ordinal)
            .Select(a => a.Facts.GetValueOrDefault(name)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string? Joined(IEnumerable<string> values) => string.Join(',', values) is { Length: > 0 } text ? text : null;

    private static void WriteIfAny(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(name, value);
        }
    }
}
