using System.Text.RegularExpressions;
using ModelGoPack.Inspection;

namespace ModelGoPack.Rules;

/// <summary>
/// Clause 2.2(a)(v), matrix by matrix: each quantized matrix of the release has a full-precision counterpart, by
/// name, by shape within an export, or by layer when an export splits or fuses them (MGP5011). What counts as the
/// same layer across naming schemes (Hugging Face, llama.cpp, Mistral), tied embeddings, and the weights of
/// unlisted full-precision pickles.
/// </summary>
internal static partial class PreferredAdaptableForm
{
    /// <summary>The bits of each weight the nearest config.json of a folder or above declares (quantization_config.bits), 0 when none does.</summary>
    private static Func<string, int> BitsOf(IReadOnlyList<Artifact> artifacts)
    {
        var declared = artifacts.Where(a => Path.GetFileName(a.Path) == "config.json" && a.Facts.ContainsKey("quantization_bits"))
            .ToDictionary(a => Folder(a.Path), a => int.Parse(a.Facts["quantization_bits"], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return folder => Ancestors(folder).Select(f => declared.GetValueOrDefault(f)).FirstOrDefault(b => b > 0);
    }

    /// <summary>
    /// Whether the output head of the weights of a folder is a matrix of its own: the nearest config.json of that
    /// folder or one above it that says tie_word_embeddings says false, or, when none above says it, every config.json
    /// of the release that says it says false (a GGUF beside its model's folder).
    /// </summary>
    private static Func<string, bool> Untied(IReadOnlyList<Artifact> artifacts)
    {
        var said = artifacts.Where(a => Path.GetFileName(a.Path) == "config.json" && a.Facts.ContainsKey("tie_word_embeddings"))
            .ToDictionary(a => Folder(a.Path), a => a.Facts["tie_word_embeddings"] == "false", StringComparer.Ordinal);
        var everywhere = said.Count > 0 && said.Values.All(untied => untied);
        return folder => Ancestors(folder).Select(f => said.TryGetValue(f, out var untied) ? untied : (bool?)null).FirstOrDefault(u => u is not null) ?? everywhere;
    }

    /// <summary>
    /// The layer of a model a matrix belongs to, by its name: <c>blk.3</c> (GGUF), <c>model.layers.3</c>,
    /// <c>layers.3</c>, <c>h.3</c>, <c>block.3</c> and <c>blocks.3</c> are all layer 3, of the vision tower
    /// (<c>v.</c>, <c>vision</c>, <c>visual</c>), the audio tower (<c>a.</c>, <c>audio</c>), the encoder (<c>enc.</c>,
    /// <c>encoder</c>) or a draft or multi-token-prediction model (<c>mtp</c>, <c>nextn</c>, <c>draft</c>) when the
    /// name says so; null for a matrix of no numbered layer.
    /// </summary>
    internal static string? Layer(string name)
    {
        if (LayerNumber().Match(name) is not { Success: true } match)
        {
            return null;
        }

        var part = VisionPart().IsMatch(name) ? "vision" : AudioPart().IsMatch(name) ? "audio" : EncoderPart().IsMatch(name) ? "encoder"
            : ExtraPart().IsMatch(name) ? "extra" : "";
        return part + ":" + match.Groups["layer"].Value;
    }

    [GeneratedRegex(@"^a\.|audio|whisper", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AudioPart();

    // Layers of a draft or multi-token-prediction model kept beside the main one.
    [GeneratedRegex(@"mtp|nextn|draft|speculat", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExtraPart();

    [GeneratedRegex(@"(?:^|[./])(?:blk|layers?|h|blocks?)[._](?<layer>\d{1,6})(?=[._/]|$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LayerNumber();

    [GeneratedRegex(@"^v\.|vision|visual", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VisionPart();

    [GeneratedRegex(@"^enc\.|encoder", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EncoderPart();

    /// <summary>The release's full-precision matrices: by name, by shape (of the release, of each export and format) and by layer.</summary>
    private sealed class FullPrecision(Func<string, bool> untied, Func<string, int> bitsOf)
    {
        private readonly Dictionary<string, List<WeightMatrix>> byName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<MatrixShape, int>> byFormat = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<Export, List<MatrixShape>>> layers = new(StringComparer.Ordinal);
        private readonly Dictionary<MatrixShape, int> tied = [];
        private readonly Dictionary<Export, Dictionary<MatrixShape, int>> tiedByExport = [];
        private readonly Dictionary<long, int> tiedElements = [];
        private readonly Dictionary<Export, Dictionary<long, int>> tiedElementsByExport = [];

        public Dictionary<MatrixShape, int> All { get; } = [];

        public void Add(Export export, WeightMatrix matrix)
        {
            foreach (var name in (string[])[matrix.Name, .. MistralName(matrix.Name) is { } hub ? [hub] : Array.Empty<string>()])
            {
                var key = Key(name, export);
                if (!this.byName.TryGetValue(key, out var list))
                {
                    this.byName[key] = list = [];
                }

                list.Add(matrix);
            }

            Count(this.All, matrix.Shape);
            if (!untied(export.Folder))
            {
                // A model whose embedding is its head: its matrices may stand for a quantized head.
                Count(this.tied, matrix.Shape);
                Count(Entry(this.tiedByExport, export), matrix.Shape);
                this.tiedElements[matrix.Elements] = this.tiedElements.GetValueOrDefault(matrix.Elements) + 1;
                var ownElements = this.tiedElementsByExport.TryGetValue(export, out var counted) ? counted : this.tiedElementsByExport[export] = [];
                ownElements[matrix.Elements] = ownElements.GetValueOrDefault(matrix.Elements) + 1;
            }
            Count(Entry(this.byFormat, export.Format), matrix.Shape);
            if (Layer(matrix.Name) is { } layer)
            {
                var exports = this.layers.TryGetValue(layer, out var known) ? known : this.layers[layer] = [];
                (exports.TryGetValue(export, out var shapes) ? shapes : exports[export] = []).Add(matrix.Shape);
            }
        }

        /// <summary>Whether a full-precision matrix of the quantized matrix's name (in its scope) is a copy of it.</summary>
        public bool Named(WeightMatrix quantized, Export export)
        {
            var bits = bitsOf(export.Folder);
            return (this.byName.TryGetValue(Key(quantized.Name, export), out var list) && list.Any(f => quantized.IsCopy(f, bits)))
                || (quantized.Module is { } module && this.byName.TryGetValue(Key(module, export), out var modules) && modules.Any(f => quantized.IsCopy(f, bits)))
                || (MistralName(quantized.Name) is { } hub && this.byName.TryGetValue(hub, out var hubList) && hubList.Any(f => quantized.IsCopy(f, bits)));
        }

        /// <summary>How many full-precision matrices of a shape a format's files hold.</summary>
        public int OfFormat(string format, MatrixShape shape) => this.byFormat.TryGetValue(format, out var shapes) ? shapes.GetValueOrDefault(shape) : 0;

        /// <summary>Whether another export, of a model whose embedding is its head, holds a full-precision matrix the quantized head could be.</summary>
        public bool Elsewhere(WeightMatrix quantized, Export export)
        {
            if (quantized.ShapeIsWeights && this.tied.GetValueOrDefault(quantized.Shape) > (this.tiedByExport.TryGetValue(export, out var shapes) ? shapes.GetValueOrDefault(quantized.Shape) : 0))
            {
                return true;
            }

            // A packed head: a matrix of exactly the weights its integers hold at 1, 2, 3, 4 or 8 bits, found by count.
            var own = this.tiedElementsByExport.GetValueOrDefault(export);
            var declared = bitsOf(export.Folder);
            for (var bits = 1; bits <= 8; bits++)
            {
                var weights = (Int128)quantized.Elements * quantized.PackedBits;
                if ((declared == bits || (declared == 0 && bits is not (1 or 7))) && bits <= quantized.PackedBits && weights % bits == 0 && weights / bits <= long.MaxValue
                    && (long)(weights / bits) is var count && this.tiedElements.GetValueOrDefault(count) > (own?.GetValueOrDefault(count) ?? 0))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The layers whose quantized matrices another scheme's export holds in full precision, split or fused
        /// otherwise: past the matrices of equal shapes, each other full-precision matrix of the layer is exactly the
        /// quantized matrices that share one of its dimensions (kv_b_proj [heads × (nope + v), kv_lora] is attn_k_b and
        /// attn_v_b, of kv_lora; gate_up_proj is ffn_gate_exps and ffn_up_exps), and no quantized matrix is left. A
        /// larger model's layer, or another model's, holds other sums.
        /// </summary>
        public HashSet<string?> Layers(IEnumerable<WeightMatrix> quantized, Export export)
        {
            var needed = new Dictionary<string, List<WeightMatrix>>(StringComparer.Ordinal);
            foreach (var matrix in quantized)
            {
                if (Layer(matrix.Name) is { } layer)
                {
                    (needed.TryGetValue(layer, out var list) ? list : needed[layer] = []).Add(matrix);
                }
            }

            var covered = new HashSet<string?>(StringComparer.Ordinal);
            foreach (var (layer, matrices) in needed)
            {
                if (this.layers.TryGetValue(layer, out var exports) && exports.Any(e => e.Key.Format != export.Format && Holds(e.Value, exports.GetValueOrDefault(export), matrices)))
                {
                    covered.Add(layer);
                }
            }

            return covered;
        }

        // Whether a layer's full-precision matrices hold its quantized ones, split or fused otherwise: past the matrices
        // of equal shapes (and those the quantized export keeps in full precision itself), each full-precision matrix is
        // exactly two or more of the quantized ones that share one of its dimensions, and no quantized one is left. Full-
        // precision matrices left over once every quantized one is held do no harm (the release has more of the model
        // in full precision, not less); in a split or fused partition, none of either may be left. A layer of more
        // matrices than any model has is not judged this way (its matrices need counterparts of their own).
        private static bool Holds(List<MatrixShape> full, List<MatrixShape>? kept, List<WeightMatrix> quantized)
        {
            const int MaxMatrices = 256;
            const int MaxParts = 16;
            if (full.Count > MaxMatrices || quantized.Count > MaxMatrices)
            {
                return false;
            }

            var left = new Dictionary<MatrixShape, int>();
            foreach (var shape in full)
            {
                left[shape] = left.GetValueOrDefault(shape) + 1;
            }

            foreach (var shape in kept ?? [])
            {
                if (left.GetValueOrDefault(shape) > 0)
                {
                    left[shape]--;
                }
            }

            var rest = new List<WeightMatrix>();
            foreach (var matrix in quantized)
            {
                if (matrix.ShapeIsWeights && left.GetValueOrDefault(matrix.Shape) > 0)
                {
                    left[matrix.Shape]--;
                }
                else
                {
                    rest.Add(matrix);
                }
            }

            var others = left.SelectMany(s => Enumerable.Repeat(s.Key, s.Value)).OrderByDescending(s => s.Elements).ToList();
            if (rest.Count == 0 || others.Count == 0 || rest.Any(m => !m.ShapeIsWeights) || others.Any(s => s.Rank > 3))
            {
                return rest.Count == 0;
            }

            var used = new bool[rest.Count];
            foreach (var shape in others)
            {
                if (!Split(shape, rest, used, MaxParts))
                {
                    return false;
                }
            }

            return used.All(u => u);
        }

        // Marks two or more unused quantized matrices that share a dimension of a full-precision matrix and hold exactly
        // its weights, trying each subset of at most `maxParts` candidates.
        private static bool Split(MatrixShape full, List<WeightMatrix> rest, bool[] used, int maxParts)
        {
            foreach (var dim in (long[])[full.A, full.B, full.C])
            {
                if (dim <= 1)
                {
                    continue;
                }

                var candidates = Enumerable.Range(0, rest.Count)
                    .Where(i => !used[i] && (rest[i].Shape.A == dim || rest[i].Shape.B == dim || rest[i].Shape.C == dim))
                    .Take(maxParts + 1)
                    .ToList();
                if (candidates.Count < 2 || candidates.Count > maxParts)
                {
                    continue;
                }

                for (var subset = 1; subset < 1 << candidates.Count; subset++)
                {
                    if (int.PopCount(subset) < 2)
                    {
                        continue;
                    }

                    Int128 sum = 0;
                    for (var k = 0; k < candidates.Count; k++)
                    {
                        sum += (subset >> k & 1) == 1 ? rest[candidates[k]].Elements : 0;
                    }

                    if (sum == full.Elements)
                    {
                        for (var k = 0; k < candidates.Count; k++)
                        {
                            used[candidates[k]] |= (subset >> k & 1) == 1;
                        }

                        return true;
                    }
                }
            }

            return false;
        }

        private static void Count(Dictionary<MatrixShape, int> shapes, MatrixShape shape) => shapes[shape] = shapes.GetValueOrDefault(shape) + 1;

        // A name's scope: an ONNX graph's own names are numbered per graph, so they stand for the same matrix only
        // within one model's ONNX files (model.onnx, model_q4.onnx, model_quantized.onnx of one folder).
        private static string Key(string name, Export export) =>
            export.Format == "onnx" && (name.StartsWith("onnx::", StringComparison.Ordinal) || name.StartsWith('/'))
                ? $"{export.Folder}/{OnnxVariant().Replace(export.Stem, "")}\0{name}"
                : name;
    }

    /// <summary>
    /// The full-precision shapes one quantized export may take, each once: those of other naming schemes (other
    /// formats) less those it has taken.
    /// </summary>
    private sealed class Pool(FullPrecision full, Export export)
    {
        private readonly Dictionary<MatrixShape, int> taken = [];

        /// <summary>Takes a counterpart for a quantized matrix no name matched: one of its shape, or as many of one matrix's shape as its stack holds.</summary>
        public bool Take(WeightMatrix quantized)
        {
            if (!quantized.ShapeIsWeights)
            {
                return false;
            }

            if (this.Left(quantized.Shape) > 0)
            {
                this.taken[quantized.Shape] = this.taken.GetValueOrDefault(quantized.Shape) + 1;
                return true;
            }

            foreach (var (count, each) in quantized.Shape.Unstacked())
            {
                if (this.Left(each) >= count)
                {
                    this.taken[each] = this.taken.GetValueOrDefault(each) + (int)count;
                    return true;
                }
            }

            return false;
        }

        private long Left(MatrixShape shape) =>
            (long)full.All.GetValueOrDefault(shape) - full.OfFormat(export.Format, shape) - this.taken.GetValueOrDefault(shape);
    }

    /// <summary>
    /// The Hugging Face name of a matrix Mistral's own format names (params.json and consolidated.safetensors, which
    /// mistral-inference loads): <c>layers.3.attention.wq</c> is <c>model.layers.3.self_attn.q_proj</c>,
    /// <c>layers.3.feed_forward.w1</c> <c>model.layers.3.mlp.gate_proj</c>, <c>tok_embeddings</c>
    /// <c>model.embed_tokens</c>, <c>output</c> <c>lm_head</c>; null for another name.
    /// </summary>
    internal static string? MistralName(string name)
    {
        if (name is "tok_embeddings" or "output")
        {
            return name == "output" ? "lm_head" : "model.embed_tokens";
        }

        if (MistralLayer().Match(name) is not { Success: true } match)
        {
            return null;
        }

        var hub = match.Groups["part"].Value switch
        {
            "attention.wq" => "self_attn.q_proj",
            "attention.wk" => "self_attn.k_proj",
            "attention.wv" => "self_attn.v_proj",
            "attention.wo" => "self_attn.o_proj",
            "feed_forward.w1" => "mlp.gate_proj",
            "feed_forward.w2" => "mlp.down_proj",
            _ => "mlp.up_proj",
        };
        return $"model.layers.{match.Groups["layer"].Value}.{hub}";
    }

    [GeneratedRegex(@"^layers\.(?<layer>\d{1,6})\.(?<part>attention\.w[qkvo]|feed_forward\.w[123])$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MistralLayer();

    private static Dictionary<MatrixShape, int> Entry<TKey>(Dictionary<TKey, Dictionary<MatrixShape, int>> shapes, TKey key)
        where TKey : notnull =>
        shapes.TryGetValue(key, out var entry) ? entry : shapes[key] = [];

    // The suffixes that name an ONNX model's variants (transformers.js dtypes): model_q4f16.onnx, model_q2f16.onnx, model_q1.onnx,
    // model_quantized.onnx, model_fp16.onnx are model.onnx.
    [GeneratedRegex(@"_(?:quantized|quant|q\d(?:f16)?|int\d{1,2}|uint\d{1,2}|fp\d{1,2}|bf16|bnb4)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OnnxVariant();

    /// <summary>The output head, which tied embeddings share with the token embedding: llama.cpp's <c>output</c>, Hugging Face's <c>lm_head</c>.</summary>
    private static bool IsOutputHead(string name) =>
        name == "output" || name == "lm_head" || name.EndsWith(".lm_head", StringComparison.Ordinal);

    /// <summary>An export: the weight files of one folder and format whose names differ only by a shard suffix.</summary>
    private readonly partial record struct Export(string Folder, string Format, string Stem)
    {
        public static Export Of(Artifact file) =>
            new(PreferredAdaptableForm.Folder(file.Path), file.Weights!.Format, ShardSuffix().Replace(Path.GetFileNameWithoutExtension(file.Path), ""));

        [GeneratedRegex(@"-\d{3,6}-of-\d{3,6}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
        private static partial Regex ShardSuffix();
    }
}
