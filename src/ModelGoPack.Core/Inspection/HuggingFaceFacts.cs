using System.Text.Json;
using ModelGoPack.Discovery;

namespace ModelGoPack.Inspection;

/// <summary>Facts from Hugging Face repo files: config.json, and the shard index of sharded weights.</summary>
internal static class HuggingFaceFacts
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// From config.json: <c>architectures</c>, <c>model_type</c>, <c>torch_dtype</c>, <c>quantization</c>
    /// (quantization_config's quant_method), <c>quantization_bits</c> (its bits or w_bit), <c>tie_word_embeddings</c> (at the top or in <c>text_config</c>) and
    /// <c>auto_map</c> (the modules of custom code it names).
    /// </summary>
    public static SortedDictionary<string, string> ReadConfig(ProjectFile file)
    {
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (ArtifactInspector.ReadSmallText(file) is not { } text)
        {
            return facts;
        }

        try
        {
            using var document = JsonDocument.Parse(text, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return facts;
            }

            if (root.TryGetProperty("architectures", out var architectures) && architectures.ValueKind == JsonValueKind.Array)
            {
                facts["architectures"] = string.Join(", ", architectures.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()));
            }

            foreach (var key in new[] { "model_type", "torch_dtype", "dtype" })
            {
                if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    facts[key == "dtype" ? "torch_dtype" : key] = value.GetString()!;
                }
            }

            if (root.TryGetProperty("quantization_config", out var quantization) && quantization.ValueKind == JsonValueKind.Object)
            {
                facts["quantization"] = quantization.TryGetProperty("quant_method", out var method) && method.ValueKind == JsonValueKind.String
                    ? method.GetString()!
                    : "yes";

                // The bits of each weight (GPTQ, AWQ, EXL3: "bits"; AutoAWQ: "w_bit"), when a whole number from 1 to 8.
                foreach (var key in new[] { "bits", "w_bit" })
                {
                    if (quantization.TryGetProperty(key, out var bits) && bits.ValueKind == JsonValueKind.Number && bits.TryGetInt32(out var width) && width is >= 1 and <= 8)
                    {
                        facts["quantization_bits"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    }
                }
            }

            // Whether the output head is the token embedding (saved once): at the top, or in a multimodal model's text_config.
            foreach (var holder in new[] { root, root.TryGetProperty("text_config", out var textConfig) && textConfig.ValueKind == JsonValueKind.Object ? textConfig : default })
            {
                if (holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty("tie_word_embeddings", out var tied) && tied.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    facts["tie_word_embeddings"] = tied.ValueKind == JsonValueKind.True ? "true" : "false";
                    break;
                }
            }

            if (root.TryGetProperty("auto_map", out var autoMap) && autoMap.ValueKind == JsonValueKind.Object)
            {
                var modules = autoMap.EnumerateObject()
                    .SelectMany(p => p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().ToArray() : new[] { p.Value })
                    .Where(v => v.ValueKind == JsonValueKind.String)
                    .Select(v => v.GetString()!)
                    .Where(v => !v.Contains("--", StringComparison.Ordinal)) // "repo--module.Class" lives in another repo
                    .Select(v => v[..Math.Max(v.LastIndexOf('.'), 0)])
                    .Where(m => m.Length > 0)
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal);
                facts["auto_map"] = string.Join(", ", modules);
            }
        }
        catch (JsonException)
        {
            facts["unreadable"] = "not valid JSON";
        }
        catch (InvalidOperationException)
        {
            facts["unreadable"] = "not valid Unicode";
        }

        return facts;
    }

    /// <summary>From tokenizer_config.json: <c>tokenizer_files</c>, the files its <c>*_file</c> keys name.</summary>
    public static SortedDictionary<string, string> ReadTokenizerConfig(ProjectFile file)
    {
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (ArtifactInspector.ReadSmallText(file) is not { } text)
        {
            return facts;
        }

        try
        {
            using var document = JsonDocument.Parse(text, Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var files = document.RootElement.EnumerateObject()
                    .Where(p => p.Name.EndsWith("_file", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
                    .Select(p => p.Value.GetString()!)
                    .Where(v => v.Length > 0 && !v.Contains("..", StringComparison.Ordinal) && !Path.IsPathRooted(v))
                    .Select(v => Path.GetFileName(v.Replace('\\', '/')))
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal);
                facts["tokenizer_files"] = string.Join(", ", files);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            facts["unreadable"] = "not valid JSON";
        }

        return facts;
    }

    /// <summary>The shard files a <c>*.index.json</c> maps tensors to, relative to the index's folder; null if unreadable.</summary>
    public static SortedSet<string>? ReadIndexShards(ProjectFile file)
    {
        if (ArtifactInspector.ReadSmallText(file, 256 * 1024 * 1024) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, Options);
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new SortedSet<string>(
                map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!),
                StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
