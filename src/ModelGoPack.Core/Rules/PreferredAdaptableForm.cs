using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Inspection.Pickle;

namespace ModelGoPack.Rules;

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
            diagnostics.Add(Messages.WeightFileMalformed.With(broken.Path, broken.Problem), broken.Path);
        }

        var externalData = ExternalData(artifacts, paths, diagnostics);
        var weights = artifacts.Where(a => a.Role == ArtifactRole.Weights && a.Problem is null && !a.IsLfsPointer && !externalData.Contains(a.Path)).ToList();
        var quantizedByConfig = QuantizedByConfig(artifacts);

        if (weights.Count == 0 && !artifacts.Any(a => a.Problem is not null || (a.IsLfsPointer && a.Role == ArtifactRole.Weights)))
        {
            diagnostics.Add(Messages.NoWeights.With());
        }

        var adaptable = weights.Where(w => Precision(w, quantizedByConfig) is WeightPrecision.Full or WeightPrecision.Unknown).ToList();
        if (weights.Count > 0 && adaptable.Count == 0)
        {
            var list = string.Join("; ", weights.Select(w => Describe(w, quantizedByConfig)));
            diagnostics.Add(Messages.OnlyQuantizedWeights.With(list), weights[0].Path);
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
                diagnostics.Add(Messages.PdfOnlyDocs.With(pdf.Path), pdf.Path);
            }
        }

        foreach (var pickle in weights.Where(w => w.Weights?.ExecutesCodeOnLoad == true))
        {
            diagnostics.Add(Messages.PickleWeights.With(pickle.Path), pickle.Path);
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
                foreach (var (_, elements) in facts.Dtypes.Where(d => TorchStorage.IsFullPrecision(d.Key)))
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
                diagnostics.Add(Messages.QuantizedMatricesWithoutFullPrecision.With(file.Key, names.Count, names.Count == 1 ? "x" : "ces", shown, unreadNote), file.Key);
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

    /// <summary>Weight files that could not be read at all: MGP8009, naming each.</summary>
    public static void ReportUnreadable(IEnumerable<Artifact> artifacts, DiagnosticBag diagnostics)
    {
        foreach (var unreadable in artifacts.Where(a => a.ReadError is not null))
        {
            diagnostics.Add(Messages.FileReadFailed.With(unreadable.Path, unreadable.ReadError), unreadable.Path);
        }

        foreach (var pointer in artifacts.Where(a => a.IsLfsPointer))
        {
            ReportLfsPointer(pointer.Path, pointer.Facts[ArtifactInspector.LfsPointerFact], diagnostics);
        }
    }

    /// <summary>MGP8041: a file that is a Git LFS pointer (<paramref name="pointed"/>: the oid and size it names).</summary>
    public static void ReportLfsPointer(string path, string pointed, DiagnosticBag diagnostics)
    {
        diagnostics.Add(Messages.LfsPointer.With(path, pointed), path);
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
        artifacts.Where(a => Path.GetFileName(a.Path) == "config.json" && a.Facts.ContainsKey("quantization"))
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
            .Where(a => (a.Role == ArtifactRole.Architecture && Path.GetFileName(a.Path) is not "generation_config.json")
                || (a.Role == ArtifactRole.Code && !a.IsCompiledCode && a.Path.EndsWith(".py", StringComparison.OrdinalIgnoreCase)))
            .Select(a => Folder(a.Path))
            .ToHashSet(StringComparer.Ordinal);
        var bare = weights.Where(w => w.Weights is { CarriesArchitecture: false } && !Ancestors(Folder(w.Path)).Any(definitions.Contains)).ToList();
        if (bare.Count > 0)
        {
            diagnostics.Add(Messages.WeightsWithoutArchitecture.With(string.Join(", ", bare.Select(w => w.Path))), bare[0].Path);
        }

        foreach (var config in artifacts.Where(a => Path.GetFileName(a.Path) == "config.json" && a.Facts.TryGetValue("auto_map", out var modules) && modules.Length > 0))
        {
            var folder = Folder(config.Path);
            var missing = config.Facts["auto_map"].Split(", ")
                .Select(m => Join(folder, m.Replace('.', '/') + ".py"))
                .Where(p => !artifacts.Any(a => a.Path == p))
                .ToList();
            if (missing.Count > 0)
            {
                diagnostics.Add(Messages.CustomCodeMissing.With(config.Path, string.Join(", ", missing)), config.Path);
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
                diagnostics.Add(Messages.TokenizerMissing.With(config.Path, string.Join(", ", missing)), config.Path);
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
            diagnostics.Add(Messages.StrayShard.With(stray.Path), stray.Path);
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
            diagnostics.Add(Messages.WeightFilesMissing.With(owner, relation, string.Join(", ", missing)), owner);
        }
    }

    private static void CompiledCode(IReadOnlyList<Artifact> artifacts, HashSet<string> paths, DiagnosticBag diagnostics)
    {
        foreach (var bytecode in artifacts.Where(a => a.Facts.GetValueOrDefault("compiled") == "Python bytecode"))
        {
            var source = PythonSource(bytecode.Path);
            if (!paths.Contains(source))
            {
                diagnostics.Add(Messages.BytecodeWithoutSource.With(bytecode.Path, source), bytecode.Path);
            }
        }

        // Native binaries, .NET assemblies and WebAssembly modules are built from source in a compiled language.
        var binaries = artifacts.Where(a => a.Facts.GetValueOrDefault("compiled") is ArtifactInspector.NativeBinary or ArtifactInspector.ManagedAssembly or ArtifactInspector.WebAssemblyModule).ToList();
        if (binaries.Count > 0 && !artifacts.Any(a => CompiledLanguageSources.Contains(Path.GetExtension(a.Path))))
        {
            var kinds = binaries.Select(b => b.Facts["compiled"]).Distinct(StringComparer.Ordinal).ToList();
            var what = binaries.Count == 1 ? $"is a {kinds[0]}, and the release holds no source code it"
                : kinds.Count == 1 ? $"are {Plural(kinds[0])}, and the release holds no source code they"
                : $"are compiled code ({string.Join(", ", kinds.Select(Plural))}), and the release holds no source code they";
            diagnostics.Add(Messages.BinariesWithoutSource.With(string.Join(", ", binaries.Select(n => n.Path)), what), binaries[0].Path);
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
        var name = Path.GetFileNameWithoutExtension(path);
        if (Path.GetFileName(folder) == "__pycache__")
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
