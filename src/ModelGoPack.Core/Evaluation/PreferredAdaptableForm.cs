using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;

namespace ModelGoPack.Evaluation;

/// <summary>
/// 2.2(a)(v): the release must be in Preferred Adaptable Form: full-precision weights in an open format,
/// the architecture definition and what is needed to load and run the model, and source for code.
/// A quantized or compiled export is fine beside its full-precision weights, never instead of them.
/// </summary>
internal static partial class PreferredAdaptableForm
{
    private static readonly HashSet<string> CompiledLanguageSources = new(StringComparer.OrdinalIgnoreCase)
    {
        ".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".cu", ".cuh", ".rs", ".go", ".zig", ".swift", ".m", ".mm", ".cs", ".fs", ".vb", ".java", ".kt", ".f90", ".pyx", ".wat",
    };

    private static readonly HashSet<string> EditableDocs = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".tex", ".rst", ".docx", ".odt", ".html", ".htm", ".adoc", ".org", ".txt",
    };

    public static void Evaluate(IReadOnlyList<Artifact> artifacts, DiagnosticBag diagnostics)
    {
        // Made at its size once: a release of a million files grows no set by copies.
        var paths = new HashSet<string>(artifacts.Count, StringComparer.Ordinal);
        foreach (var artifact in artifacts)
        {
            paths.Add(artifact.Path);
        }

        ReportUnreadable(artifacts, diagnostics);

        foreach (var broken in artifacts.Where(a => a.Problem is not null))
        {
            diagnostics.Add(DiagnosticCatalog.WeightHeaderInvalid, $"'{broken.Path}' is not a valid weight file: {broken.Problem} {DiagnosticCatalog.WeightHeaderInvalid.Help}", broken.Path);
        }

        var externalData = ExternalData(artifacts, paths, diagnostics);
        var weights = artifacts.Where(a => a.Role == ArtifactRole.Weights && a.Problem is null && !a.IsLfsPointer && !externalData.Contains(a.Path)).ToList();
        var quantizedByConfig = QuantizedByConfig(artifacts);

        if (weights.Count == 0 && !artifacts.Any(a => a.Problem is not null || (a.IsLfsPointer && a.Role == ArtifactRole.Weights)))
        {
            diagnostics.Add(DiagnosticCatalog.NoWeights, $"No file of the release holds model weights. {DiagnosticCatalog.NoWeights.Help}");
        }

        var adaptable = weights.Where(w => Precision(w, quantizedByConfig) is WeightPrecision.Full or WeightPrecision.Unknown).ToList();
        if (weights.Count > 0 && adaptable.Count == 0)
        {
            var list = string.Join("; ", weights.Select(w => Describe(w, quantizedByConfig)));
            diagnostics.Add(DiagnosticCatalog.OnlyQuantizedWeights,
                $"Every weight file is quantized or compiled: {list}. The full-precision weights are missing. {DiagnosticCatalog.OnlyQuantizedWeights.Help}", weights[0].Path);
        }
        else
        {
            QuantizedMatrices(weights, artifacts, diagnostics);
        }

        Architecture(artifacts, weights, diagnostics);
        Tokenizer(artifacts, paths, diagnostics);
        Shards(artifacts, paths, diagnostics);
        CompiledCode(artifacts, paths, diagnostics);

        foreach (var pdf in artifacts.Where(a => a.Role == ArtifactRole.Docs && a.Path.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)))
        {
            var stem = pdf.Path[..^4];
            if (!EditableDocs.Any(e => paths.Contains(stem + e)))
            {
                diagnostics.Add(DiagnosticCatalog.PdfOnlyDocs, $"'{pdf.Path}' has no editable source beside it. {DiagnosticCatalog.PdfOnlyDocs.Help}", pdf.Path);
            }
        }

        foreach (var pickle in weights.Where(w => w.Weights?.ExecutesCodeOnLoad == true))
        {
            diagnostics.Add(DiagnosticCatalog.PickleWeights, $"'{pickle.Path}' is a PyTorch pickle. {DiagnosticCatalog.PickleWeights.Help}", pickle.Path);
        }
    }

    /// <summary>
    /// Each quantized matrix needs a full-precision counterpart in the release, one each:
    /// <list type="number">
    /// <item>a full-precision matrix of the same logical name and shape (for a packed matrix, of 1 to 8 weights for
    /// each stored byte) in any weight file: Hugging Face names, kept by GPTQ, AWQ, bitsandbytes, FP8,
    /// compressed-tensors, EXL2 and MXFP4 exports. An ONNX graph's own names (<c>onnx::MatMul_12</c>, <c>/model/…</c>)
    /// are numbered per graph, so they meet only in the ONNX files of the same folder and model (<c>model_q4.onnx</c>
    /// and <c>model.onnx</c>);</item>
    /// <item>else, across naming schemes, that is formats (llama.cpp names in GGUF and graph names in ONNX differ from
    /// Hugging Face names in safetensors, and store matrices transposed), a full-precision matrix of the same shape in
    /// any order of dimensions, each standing for one quantized matrix. Mistral's own names (<c>layers.0.attention.wq</c>
    /// in consolidated.safetensors) are read as their Hugging Face names (<c>model.layers.0.self_attn.q_proj</c>);</item>
    /// <item>else, for a stack of matrices (a GGUF or fused MoE tensor [experts, rows, columns]), as many
    /// full-precision matrices of one matrix's shape as the stack holds;</item>
    /// <item>else, for the quantized matrices of one layer of a model (<c>blk.3</c>, <c>model.layers.3</c>) that a
    /// converter split or fused (llama.cpp splits DeepSeek's kv_b_proj into attn_k_b and attn_v_b, fused
    /// gate_up_proj experts into ffn_gate_exps and ffn_up_exps, InternLM2's wqkv into attn_q, attn_k and attn_v),
    /// the same layer of an export of another scheme, each of whose other full-precision matrices is exactly the
    /// quantized matrices that share one of its dimensions;</item>
    /// <item>else, for the output head (<c>output</c>, <c>lm_head</c>), any full-precision matrix of its shape (for a
    /// packed head, of the weights its integers hold) in another export of a model whose embedding is its head, used
    /// or not: tied embeddings are saved once, as the token embedding. A model's head is its own when the nearest
    /// config.json of its folder or above says <c>tie_word_embeddings: false</c> (with none above, when every
    /// config.json of the release that says it says false);</item>
    /// <item>else weights of full-precision PyTorch pickles whose matrices ModelGoPack could not list, as many as the
    /// matrix holds (a packed matrix counted as 4-bit weights): a small full-precision file does not stand for a large
    /// quantized model.</item>
    /// </list>
    /// Files of one export are those of the same folder, format and name apart from the shard suffix
    /// (<c>model-00001-of-00004.safetensors</c>): a quantized export's own full-precision embedding is not its
    /// counterpart. Linear in the number of matrices.
    /// </summary>
    private static void QuantizedMatrices(List<Artifact> weights, IReadOnlyList<Artifact> artifacts, DiagnosticBag diagnostics)
    {
        var full = new FullPrecision(Untied(artifacts), BitsOf(artifacts));
        Int128 unlisted = 0;
        foreach (var file in weights)
        {
            var facts = file.Weights!;
            if (facts.Format == "pytorch" && facts.Matrices.Count == 0)
            {
                foreach (var (_, elements) in facts.Dtypes.Where(d => PyTorchInspector.IsFullPrecision(d.Key)))
                {
                    unlisted += elements;
                }
            }

            var export = Export.Of(file);
            foreach (var matrix in facts.Matrices.Where(m => !m.Quantized))
            {
                full.Add(export, matrix);
            }
        }

        // Files ModelGoPack reads no matrices of, which may hold the full precision: named in the finding.
        var unread = weights.Where(w => w.Weights!.Precision == WeightPrecision.Unknown).Select(w => w.Path).ToList();
        foreach (var group in weights.Where(w => w.Weights!.Matrices.Any(m => m.Quantized)).GroupBy(Export.Of))
        {
            var quantized = group.SelectMany(f => f.Weights!.Matrices.Where(m => m.Quantized).Select(m => (File: f, Matrix: m))).ToList();
            var pool = new Pool(full, group.Key);
            var left = new List<int>();
            for (var i = 0; i < quantized.Count; i++)
            {
                if (!full.Named(quantized[i].Matrix, group.Key) && !pool.Take(quantized[i].Matrix))
                {
                    left.Add(i);
                }
            }

            // Split or fused matrices: a layer's quantized weights against another scheme's full-precision weights of that layer.
            var covered = full.Layers(quantized.Select(q => q.Matrix), group.Key);
            var budget = unlisted;
            var missing = left.Where(i => !covered.Contains(Layer(quantized[i].Matrix.Name))
                    && !(IsOutputHead(quantized[i].Matrix.Name) && full.Elsewhere(quantized[i].Matrix, group.Key))
                    && !Spend(quantized[i].Matrix, ref budget))
                .Select(i => quantized[i])
                .ToList();
            foreach (var file in missing.GroupBy(q => q.File.Path, StringComparer.Ordinal))
            {
                var names = file.Select(q => q.Matrix.Name).ToList();
                var shown = string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
                var unreadNote = unread.Count == 0 ? ""
                    : $" The release also holds weights ModelGoPack does not read per matrix ({string.Join(", ", unread.Take(3))}{(unread.Count > 3 ? $" and {unread.Count - 3} more" : "")}): if they are this model's full precision, waive MGP5011 saying so.";
                diagnostics.Add(DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision,
                    $"'{file.Key}' holds {names.Count} quantized weight matri{(names.Count == 1 ? "x" : "ces")} with no full-precision counterpart in the release: {shown}.{unreadNote} {DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision.Help}",
                    file.Key);
            }
        }
    }

    // Spends the weights of unlisted full-precision pickles on a quantized matrix, when they hold as many.
    private static bool Spend(WeightMatrix quantized, ref Int128 budget)
    {
        if (budget < quantized.Weights)
        {
            return false;
        }

        budget -= quantized.Weights;
        return true;
    }

    /// <summary>The bits of each weight the nearest config.json of a folder or above declares (quantization_config.bits), 0 when none does.</summary>
    private static Func<string, int> BitsOf(IReadOnlyList<Artifact> artifacts)
    {
        var declared = artifacts.Where(a => System.IO.Path.GetFileName(a.Path) == "config.json" && a.Facts.ContainsKey("quantization_bits"))
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
        var said = artifacts.Where(a => System.IO.Path.GetFileName(a.Path) == "config.json" && a.Facts.ContainsKey("tie_word_embeddings"))
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
            new(PreferredAdaptableForm.Folder(file.Path), file.Weights!.Format, ShardSuffix().Replace(System.IO.Path.GetFileNameWithoutExtension(file.Path), ""));

        [GeneratedRegex(@"-\d{3,6}-of-\d{3,6}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
        private static partial Regex ShardSuffix();
    }

    /// <summary>Weight files that could not be read at all: MGP8009, naming each.</summary>
    public static void ReportUnreadable(IEnumerable<Artifact> artifacts, DiagnosticBag diagnostics)
    {
        foreach (var unreadable in artifacts.Where(a => a.ReadError is not null))
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable, $"Cannot read '{unreadable.Path}': {unreadable.ReadError} {DiagnosticCatalog.FileUnreadable.Help}", unreadable.Path);
        }

        foreach (var pointer in artifacts.Where(a => a.IsLfsPointer))
        {
            ReportLfsPointer(pointer.Path, pointer.Facts[ArtifactInspector.LfsPointerFact], diagnostics);
        }
    }

    /// <summary>MGP8041: a file that is a Git LFS pointer (<paramref name="pointed"/>: the oid and size it names).</summary>
    public static void ReportLfsPointer(string path, string pointed, DiagnosticBag diagnostics)
    {
        diagnostics.Add(DiagnosticCatalog.LfsPointer, $"'{path}' is a Git LFS pointer to a file of {pointed}, not the file itself. {DiagnosticCatalog.LfsPointer.Help}", path);
    }

    /// <summary>
    /// A weight file's precision, counting weights beside a config.json with quantization_config as quantized when
    /// their matrices do not say otherwise: a file whose matrices are all full precision is as precise as its elements
    /// say, whatever the config asks to quantize on loading. (Its elements still decide: a layout whose weights hide
    /// under names of no matrix is quantized by its share.)
    /// </summary>
    private static WeightPrecision Precision(Artifact weights, Dictionary<string, string> quantizedByConfig) =>
        QuantizedByItsConfig(weights, quantizedByConfig) ? WeightPrecision.Quantized : weights.Weights!.Precision;

    private static bool QuantizedByItsConfig(Artifact weights, Dictionary<string, string> quantizedByConfig) =>
        weights.Weights!.Precision == WeightPrecision.Full && quantizedByConfig.ContainsKey(Folder(weights.Path)) && weights.Weights.Format is "safetensors" or "pytorch"
        && (weights.Weights.Matrices.Count == 0 || weights.Weights.Matrices.Any(m => m.Quantized));

    private static string Describe(Artifact weights, Dictionary<string, string> quantizedByConfig)
    {
        var facts = weights.Weights!;
        if (facts.Precision == WeightPrecision.Compiled)
        {
            return $"{weights.Path} ({weights.Facts.GetValueOrDefault("kind", facts.Format)})";
        }

        var total = facts.Dtypes.Values.Aggregate(0L, (a, b) => a > long.MaxValue - b ? long.MaxValue : a + b);
        var main = facts.Dtypes.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).FirstOrDefault();
        var share = total == 0 ? 0 : (int)Math.Floor(100.0 * main.Value / total);
        var byConfig = facts.Format is "safetensors" or "pytorch" && quantizedByConfig.TryGetValue(Folder(weights.Path), out var method)
            && (facts.Matrices.Count == 0 || facts.Matrices.Any(m => m.Quantized))
            ? $", quantized by {method} per config.json"
            : "";
        return $"{weights.Path} ({facts.Format}, {main.Key} for {share}% of elements{byConfig})";
    }

    /// <summary>Folders whose config.json declares quantization_config, with its method.</summary>
    private static Dictionary<string, string> QuantizedByConfig(IReadOnlyList<Artifact> artifacts) =>
        artifacts.Where(a => System.IO.Path.GetFileName(a.Path) == "config.json" && a.Facts.ContainsKey("quantization"))
            .ToDictionary(a => Folder(a.Path), a => a.Facts["quantization"], StringComparer.Ordinal);

    /// <summary>ONNX external data: every referenced file must exist; those files are part of their model.</summary>
    private static HashSet<string> ExternalData(IReadOnlyList<Artifact> artifacts, HashSet<string> paths, DiagnosticBag diagnostics)
    {
        var external = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in artifacts.Where(a => a.Weights?.ExternalFiles.Count > 0))
        {
            RequireFiles(model.Path, model.Weights!.ExternalFiles, "keeps its weights in external data files", paths, external, diagnostics);
        }

        return external;
    }

    private static void Architecture(IReadOnlyList<Artifact> artifacts, List<Artifact> weights, DiagnosticBag diagnostics)
    {
        // Each tensor-only weight file needs an architecture definition in its folder or a folder above it:
        // a config file, or model source code.
        var definitions = artifacts
            .Where(a => (a.Role == ArtifactRole.Architecture && System.IO.Path.GetFileName(a.Path) is not "generation_config.json")
                || (a.Role == ArtifactRole.Code && !a.IsCompiledCode && a.Path.EndsWith(".py", StringComparison.OrdinalIgnoreCase)))
            .Select(a => Folder(a.Path))
            .ToHashSet(StringComparer.Ordinal);
        var bare = weights.Where(w => w.Weights is { CarriesArchitecture: false } && !Ancestors(Folder(w.Path)).Any(definitions.Contains)).ToList();
        if (bare.Count > 0)
        {
            diagnostics.Add(DiagnosticCatalog.WeightsWithoutArchitecture,
                $"{string.Join(", ", bare.Select(w => w.Path))} hold tensors only, and no config.json, params.json or model code is beside them or in a folder above. {DiagnosticCatalog.WeightsWithoutArchitecture.Help}", bare[0].Path);
        }

        foreach (var config in artifacts.Where(a => System.IO.Path.GetFileName(a.Path) == "config.json" && a.Facts.TryGetValue("auto_map", out var modules) && modules.Length > 0))
        {
            var folder = Folder(config.Path);
            var missing = config.Facts["auto_map"].Split(", ")
                .Select(m => Join(folder, m.Replace('.', '/') + ".py"))
                .Where(p => !artifacts.Any(a => a.Path == p))
                .ToList();
            if (missing.Count > 0)
            {
                diagnostics.Add(DiagnosticCatalog.CustomCodeMissing,
                    $"'{config.Path}' auto_map loads classes from {string.Join(", ", missing)}, which the release does not hold. {DiagnosticCatalog.CustomCodeMissing.Help}", config.Path);
            }
        }
    }

    private static void Tokenizer(IReadOnlyList<Artifact> artifacts, HashSet<string> paths, DiagnosticBag diagnostics)
    {
        foreach (var config in artifacts.Where(a => a.Facts.TryGetValue("tokenizer_files", out var files) && files.Length > 0))
        {
            var missing = config.Facts["tokenizer_files"].Split(", ").Select(f => Join(Folder(config.Path), f)).Where(p => !paths.Contains(p)).ToList();
            if (missing.Count > 0)
            {
                diagnostics.Add(DiagnosticCatalog.TokenizerMissing,
                    $"'{config.Path}' names tokenizer files that are not in the release: {string.Join(", ", missing)}. {DiagnosticCatalog.TokenizerMissing.Help}", config.Path);
            }
        }
    }

    private static void Shards(IReadOnlyList<Artifact> artifacts, HashSet<string> paths, DiagnosticBag diagnostics)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var indexedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in artifacts.Where(a => a.Facts.ContainsKey("index")))
        {
            if (index.Facts.GetValueOrDefault("shards") is not { } shards)
            {
                continue;
            }

            var folder = Folder(index.Path);
            indexedFolders.Add(folder);
            RequireFiles(index.Path, shards.Split('\n', StringSplitOptions.RemoveEmptyEntries), "maps tensors to shards", paths, listed, diagnostics);
        }

        foreach (var stray in artifacts.Where(a => a.Role == ArtifactRole.Weights && ShardName().IsMatch(a.Path) && indexedFolders.Contains(Folder(a.Path)) && !listed.Contains(a.Path)))
        {
            diagnostics.Add(DiagnosticCatalog.StrayShard, $"'{stray.Path}' is named like a shard, but no index beside it lists it. {DiagnosticCatalog.StrayShard.Help}", stray.Path);
        }
    }

    /// <summary>
    /// Files that <paramref name="owner"/> refers to (relative to its folder) must be in the release; adds
    /// each to <paramref name="referenced"/> and reports the missing ones together as MGP5005.
    /// </summary>
    private static void RequireFiles(string owner, IEnumerable<string> names, string relation, HashSet<string> paths, HashSet<string> referenced, DiagnosticBag diagnostics)
    {
        var missing = new List<string>();
        foreach (var name in names)
        {
            var path = Join(Folder(owner), name);
            referenced.Add(path);
            if (!paths.Contains(path))
            {
                missing.Add(path);
            }
        }

        if (missing.Count > 0)
        {
            diagnostics.Add(DiagnosticCatalog.WeightFilesMissing,
                $"'{owner}' {relation} that are missing: {string.Join(", ", missing)}. {DiagnosticCatalog.WeightFilesMissing.Help}", owner);
        }
    }

    private static void CompiledCode(IReadOnlyList<Artifact> artifacts, HashSet<string> paths, DiagnosticBag diagnostics)
    {
        foreach (var bytecode in artifacts.Where(a => a.Facts.GetValueOrDefault("compiled") == "Python bytecode"))
        {
            var source = PythonSource(bytecode.Path);
            if (!paths.Contains(source))
            {
                diagnostics.Add(DiagnosticCatalog.CompiledWithoutSource, $"'{bytecode.Path}' is Python bytecode, and its source '{source}' is not in the release. {DiagnosticCatalog.CompiledWithoutSource.Help}", bytecode.Path);
            }
        }

        // Native binaries, .NET assemblies and WebAssembly modules are built from source in a compiled language.
        var binaries = artifacts.Where(a => a.Facts.GetValueOrDefault("compiled") is ArtifactInspector.NativeBinary or ArtifactInspector.ManagedAssembly or ArtifactInspector.WebAssemblyModule).ToList();
        if (binaries.Count > 0 && !artifacts.Any(a => CompiledLanguageSources.Contains(System.IO.Path.GetExtension(a.Path))))
        {
            var kinds = binaries.Select(b => b.Facts["compiled"]).Distinct(StringComparer.Ordinal).ToList();
            var what = binaries.Count == 1 ? $"is a {kinds[0]}, and the release holds no source code it"
                : kinds.Count == 1 ? $"are {Plural(kinds[0])}, and the release holds no source code they"
                : $"are compiled code ({string.Join(", ", kinds.Select(Plural))}), and the release holds no source code they";
            diagnostics.Add(DiagnosticCatalog.CompiledWithoutSource,
                $"{string.Join(", ", binaries.Select(n => n.Path))} {what} could be built from. {DiagnosticCatalog.CompiledWithoutSource.Help}", binaries[0].Path);
        }

        static string Plural(string kind) => kind switch
        {
            ArtifactInspector.NativeBinary => "native binaries",
            ArtifactInspector.ManagedAssembly => ".NET assemblies",
            _ => "WebAssembly modules",
        };
    }

    // dir/__pycache__/name.cpython-312.pyc → dir/name.py; dir/name.pyc → dir/name.py
    private static string PythonSource(string path)
    {
        var folder = Folder(path);
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        if (System.IO.Path.GetFileName(folder) == "__pycache__")
        {
            folder = Folder(folder);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            name = dot < 0 ? name : name[..dot];
        }

        return Join(folder, name + ".py");
    }

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var current = folder; ; current = Folder(current))
        {
            yield return current;
            if (current.Length == 0)
            {
                yield break;
            }
        }
    }

    private static string Folder(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static string Join(string folder, string name) => folder.Length == 0 ? ProjectPath.Normalize(name) : folder + "/" + ProjectPath.Normalize(name);

    [GeneratedRegex(@"-\d{3,6}-of-\d{3,6}\.(safetensors|bin)$")]
    private static partial Regex ShardName();
}
