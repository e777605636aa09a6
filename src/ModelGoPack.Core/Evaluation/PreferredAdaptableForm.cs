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
        ".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".cu", ".cuh", ".rs", ".go", ".zig", ".swift", ".m", ".mm", ".cs", ".java", ".kt", ".f90", ".pyx",
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
        var weights = artifacts.Where(a => a.Role == ArtifactRole.Weights && a.Problem is null && !externalData.Contains(a.Path) && !IsAuxiliary(a)).ToList();
        var quantizedByConfig = QuantizedByConfig(artifacts);

        if (weights.Count == 0 && !artifacts.Any(a => a.Problem is not null))
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
            QuantizedMatrices(weights, diagnostics);
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
    /// <item>a full-precision matrix of the same logical name in any weight file (Hugging Face names, kept by
    /// GPTQ, AWQ, bitsandbytes, FP8, compressed-tensors, EXL2 and MXFP4 exports);</item>
    /// <item>else, across naming schemes, that is formats (llama.cpp names in GGUF and graph names in ONNX differ from
    /// Hugging Face names in safetensors, and store matrices transposed), a full-precision matrix of the same shape in
    /// any order of dimensions, each standing for one quantized matrix;</item>
    /// <item>else, for a stack of matrices (a GGUF or fused MoE tensor [experts, rows, columns]), as many
    /// full-precision matrices of one matrix's shape as the stack holds;</item>
    /// <item>else, for the output head (<c>output</c>, <c>lm_head</c>), any full-precision matrix of its shape in
    /// another export, used or not: tied embeddings are saved once, as the token embedding;</item>
    /// <item>else elements of full-precision files whose matrices ModelGoPack does not list (PyTorch pickles), as
    /// many as the matrix holds: a small full-precision file does not stand for a large quantized model.</item>
    /// </list>
    /// Files of one export are those of the same folder, format and name apart from the shard suffix
    /// (<c>model-00001-of-00004.safetensors</c>): a quantized export's own full-precision embedding is not its
    /// counterpart. Linear in the number of matrices.
    /// </summary>
    private static void QuantizedMatrices(List<Artifact> weights, DiagnosticBag diagnostics)
    {
        var fullNames = new HashSet<string>(StringComparer.Ordinal);
        var allShapes = new Dictionary<MatrixShape, int>();
        var shapesByExport = new Dictionary<Export, Dictionary<MatrixShape, int>>();
        var shapesByFormat = new Dictionary<string, Dictionary<MatrixShape, int>>(StringComparer.Ordinal);
        Int128 unlisted = 0;
        foreach (var file in weights)
        {
            var facts = file.Weights!;
            if (facts.Format == "pytorch")
            {
                foreach (var (dtype, elements) in facts.Dtypes.Where(d => PyTorchInspector.IsFullPrecision(d.Key)))
                {
                    unlisted += elements;
                }
            }

            var own = Entry(shapesByExport, Export.Of(file));
            var sameFormat = Entry(shapesByFormat, facts.Format);
            foreach (var matrix in facts.Matrices.Where(m => !m.Quantized))
            {
                fullNames.Add(matrix.Name);
                allShapes[matrix.Shape] = allShapes.GetValueOrDefault(matrix.Shape) + 1;
                own[matrix.Shape] = own.GetValueOrDefault(matrix.Shape) + 1;
                sameFormat[matrix.Shape] = sameFormat.GetValueOrDefault(matrix.Shape) + 1;
            }
        }

        foreach (var group in weights.Where(w => w.Weights!.Matrices.Any(m => m.Quantized)).GroupBy(Export.Of))
        {
            // Shapes stand in for names only across naming schemes (formats: PyTorch pickles list no matrices); other
            // exports' matrices may be the tied output head.
            var pool = Except(allShapes, shapesByFormat[group.Key.Format]);
            var others = Except(allShapes, shapesByExport[group.Key]);
            var budget = unlisted;
            foreach (var file in group)
            {
                var missing = file.Weights!.Matrices
                    .Where(m => m.Quantized && !fullNames.Contains(m.Name) && !Counterpart(m, pool, others, ref budget))
                    .Select(m => m.Name)
                    .ToList();
                if (missing.Count > 0)
                {
                    var shown = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
                    diagnostics.Add(DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision,
                        $"'{file.Path}' holds {missing.Count} quantized weight matri{(missing.Count == 1 ? "x" : "ces")} with no full-precision counterpart in the release: {shown}. {DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision.Help}",
                        file.Path);
                }
            }
        }
    }

    private static Dictionary<MatrixShape, int> Entry<TKey>(Dictionary<TKey, Dictionary<MatrixShape, int>> shapes, TKey key)
        where TKey : notnull =>
        shapes.TryGetValue(key, out var entry) ? entry : shapes[key] = [];

    /// <summary>The shapes of <paramref name="all"/> less those of <paramref name="some"/>, keeping those left.</summary>
    private static Dictionary<MatrixShape, int> Except(Dictionary<MatrixShape, int> all, Dictionary<MatrixShape, int> some) =>
        all.Where(s => s.Value > some.GetValueOrDefault(s.Key)).ToDictionary(s => s.Key, s => s.Value - some.GetValueOrDefault(s.Key));

    /// <summary>Takes a full-precision counterpart for a quantized matrix that no name matched, by steps 2 to 5 of <see cref="QuantizedMatrices"/>.</summary>
    private static bool Counterpart(WeightMatrix quantized, Dictionary<MatrixShape, int> pool, Dictionary<MatrixShape, int> others, ref Int128 budget)
    {
        if (pool.GetValueOrDefault(quantized.Shape) > 0)
        {
            pool[quantized.Shape]--;
            return true;
        }

        foreach (var (count, each) in quantized.Shape.Unstacked())
        {
            if (pool.GetValueOrDefault(each) >= count)
            {
                pool[each] -= (int)count;
                return true;
            }
        }

        if (IsOutputHead(quantized.Name) && others.ContainsKey(quantized.Shape))
        {
            return true;
        }

        if (budget >= quantized.Elements)
        {
            budget -= quantized.Elements;
            return true;
        }

        return false;
    }

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
    }

    /// <summary>
    /// Weight-format files that are not the model's weights: a file ModelGoPack read that holds no tensors
    /// (training_args.bin, an empty header), and GGUF side files (a multimodal projector or an importance
    /// matrix). They neither satisfy nor fail the rule.
    /// </summary>
    private static bool IsAuxiliary(Artifact artifact) =>
        artifact.Weights is { } facts && artifact.OutOfReach is null && artifact.ReadError is null
        && ((facts.TensorCount == 0 && facts.Format is "safetensors" or "gguf" or "pytorch" or "onnx")
            || (facts.Format == "gguf" && facts.Metadata.GetValueOrDefault("general.type") is "mmproj" or "imatrix"));

    /// <summary>A weight file's precision, counting weights beside a config.json with quantization_config as quantized.</summary>
    private static WeightPrecision Precision(Artifact weights, Dictionary<string, string> quantizedByConfig) =>
        weights.Weights!.Precision == WeightPrecision.Full && quantizedByConfig.ContainsKey(Folder(weights.Path)) && weights.Weights.Format is "safetensors" or "pytorch"
            ? WeightPrecision.Quantized
            : weights.Weights.Precision;

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

        var natives = artifacts.Where(a => a.Facts.GetValueOrDefault("compiled") == "native binary").ToList();
        if (natives.Count > 0 && !artifacts.Any(a => CompiledLanguageSources.Contains(System.IO.Path.GetExtension(a.Path))))
        {
            diagnostics.Add(DiagnosticCatalog.CompiledWithoutSource,
                $"{string.Join(", ", natives.Select(n => n.Path))} {(natives.Count == 1 ? "is a native binary, and the release holds no source code it" : "are native binaries, and the release holds no source code they")} could be built from. {DiagnosticCatalog.CompiledWithoutSource.Help}", natives[0].Path);
        }
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
