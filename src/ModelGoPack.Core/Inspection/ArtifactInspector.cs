using System.Text;
using ModelGoPack.Discovery;
using ModelGoPack.Config;
using ModelGoPack.Licensing;
using ModelGoPack.Releases;

namespace ModelGoPack.Inspection;

/// <summary>
/// Inspect: gives every project file a role, and reads the headers of weight files. Never reads a
/// weight file whole, never unpickles, never follows what a header declares past the file's end.
/// </summary>
internal static class ArtifactInspector
{
    private static readonly Dictionary<string, Func<Stream, long, WeightFacts>> Readers = new(StringComparer.Ordinal)
    {
        ["safetensors"] = SafetensorsInspector.Inspect,
        ["onnx"] = OnnxInspector.Inspect,
        ["gguf"] = GgufInspector.Inspect,
        ["pytorch"] = PyTorchInspector.Inspect,
    };

    /// <summary>The fact an LFS pointer carries: the oid and size of the file it stands for.</summary>
    public const string LfsPointerFact = "lfs-pointer";

    /// <summary>The <c>compiled</c> fact of native code (ELF, Mach-O, PE, an ar archive).</summary>
    public const string NativeBinary = "native binary";

    /// <summary>The <c>compiled</c> fact of a managed .NET assembly (a PE image with a CLI header).</summary>
    public const string ManagedAssembly = ".NET assembly";

    /// <summary>The <c>compiled</c> fact of a WebAssembly module.</summary>
    public const string WebAssemblyModule = "WebAssembly module";

    private static readonly string[] NoticePrefixes = ["LICENSE", "LICENCE", "NOTICE", "COPYRIGHT", "COPYING", "AUTHORS", "ATTRIBUTION", "CONTRIBUTORS"];

    private static readonly HashSet<string> TokenizerNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json", "vocab.txt", "merges.txt",
        "special_tokens_map.json", "added_tokens.json", "spiece.model", "sentencepiece.bpe.model", "tokenizer.tiktoken",
    };

    private static readonly HashSet<string> ArchitectureNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "config.json", "params.json", "generation_config.json", "preprocessor_config.json", "processor_config.json",
        "adapter_config.json", "model_index.json", "scheduler_config.json",
    };

    private static readonly HashSet<string> CodeExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".py", ".ipynb", ".sh", ".ps1", ".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".cu", ".cuh", ".rs", ".go", ".js", ".ts",
        ".java", ".kt", ".scala", ".cs", ".fs", ".jl", ".r", ".m", ".swift", ".zig", ".lua", ".rb", ".pl", ".toml", ".yaml", ".yml",
        ".cfg", ".ini", ".mk", ".cmake", ".proj", ".csproj", ".props", ".targets",
    };

    private static readonly HashSet<string> DocExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".rst", ".txt", ".pdf", ".html", ".htm", ".tex", ".docx", ".odt", ".adoc", ".org",
    };

    private static readonly HashSet<string> DataExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jsonl", ".csv", ".tsv", ".parquet", ".arrow", ".tfrecord", ".avro", ".feather",
    };

    private static readonly HashSet<string> NativeExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".so", ".dll", ".dylib", ".exe", ".o", ".a", ".lib", ".node",
    };

    /// <summary>Whether the inspector reads a file of this name whole (the JSON files whose facts it takes).</summary>
    public static bool ReadsWhole(string name) =>
        ArchitectureNames.Contains(name) || name.Equals("tokenizer_config.json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a file name is a license or notice file's (LICENSE, NOTICE, COPYRIGHT, AUTHORS, ...).</summary>
    public static bool IsNoticeName(string name) => NoticePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    public static List<Artifact> Inspect(IEnumerable<ProjectFile> files, CancellationToken cancellationToken)
    {
        // Every file's first bytes are read (native code hides behind any name): on all cores, in order.
        var list = files.ToList();
        var artifacts = list.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(Inspect).ToList();

        // An ONNX model's external data files hold raw tensor bytes, whatever their name or first bytes.
        var external = new HashSet<string>(
            artifacts.Where(a => a.Weights?.ExternalFiles.Count > 0)
                .SelectMany(a => a.Weights!.ExternalFiles.Select(f => Beside(a.Path, f))),
            StringComparer.Ordinal);
        // Files a tokenizer_config.json names (vocab_file, merges_file, tokenizer_file: gpt2.tiktoken, spm.model) are
        // tokenizer files, whatever their names.
        var tokenizer = new HashSet<string>(
            artifacts.Where(a => a.Role == ArtifactRole.Tokenizer && a.Facts.TryGetValue("tokenizer_files", out var named) && named.Length > 0)
                .SelectMany(a => a.Facts["tokenizer_files"].Split(", ").Select(f => Beside(a.Path, f))),
            StringComparer.Ordinal);
        for (var i = 0; i < artifacts.Count; i++)
        {
            if (external.Contains(artifacts[i].Path) && !artifacts[i].IsLfsPointer)
            {
                artifacts[i] = Unread(list[i], "onnx-external-data");
            }
            else if (tokenizer.Contains(artifacts[i].Path) && artifacts[i].Role is ArtifactRole.Other or ArtifactRole.Docs or ArtifactRole.Data
                && !artifacts[i].IsLfsPointer && artifacts[i].Weights is null && !IsOwnName(artifacts[i].Path))
            {
                artifacts[i] = artifacts[i] with { Role = ArtifactRole.Tokenizer };
            }
        }

        return artifacts;
    }

    public static Artifact Inspect(ProjectFile file)
    {
        var path = file.RelativePath;
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var magic = ReadMagic(file);

        // An earlier bundle inside the project (the project loader leaves it out): never weights, whatever its name or folder.
        if (EarlierBundle.IsArchive(file, magic))
        {
            return new Artifact
            {
                Path = file.RelativePath,
                Size = file.Length,
                Role = ArtifactRole.Other,
                Facts = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["kind"] = EarlierBundle.Kind },
            };
        }

        // A Git LFS pointer stands in for the file (a clone without `git lfs pull`): known by its content, whatever its name.
        if (magic.Length == file.Length && magic.AsSpan().StartsWith("version "u8) && LfsPointer.TryParse(magic) is { } pointer)
        {
            return Artifact(file, RoleByName(path), new() { [LfsPointerFact] = PointerFact(pointer) });
        }

        if (path.Split('/').SkipLast(1).Any(s => s.EndsWith(".mlmodelc", StringComparison.OrdinalIgnoreCase)))
        {
            return Compiled(file, "coreml", "Core ML compiled model (.mlmodelc)");
        }

        if (path.Split('/').SkipLast(1).Any(s => s.EndsWith(".mlpackage", StringComparison.OrdinalIgnoreCase)) || extension == ".mlmodel")
        {
            return Compiled(file, "coreml", "Core ML model (.mlpackage, .mlmodel)");
        }

        // TensorFlow checkpoints: name.ckpt.index and name.ckpt.data-00000-of-00001, or variables/variables.*.
        if (name.Contains(".data-0", StringComparison.Ordinal) || name.EndsWith(".ckpt.index", StringComparison.Ordinal) || name.StartsWith("variables.", StringComparison.Ordinal))
        {
            return Unread(file, "tensorflow-checkpoint");
        }

        if (magic.AsSpan().StartsWith("GGUF"u8) || extension == ".gguf")
        {
            return Weights(file, "gguf");
        }

        if (magic.Length >= 8 && magic.AsSpan(4, 4).SequenceEqual("TFL3"u8))
        {
            return Compiled(file, "tflite", "TensorFlow Lite flat buffer", fromHeader: true);
        }

        switch (extension)
        {
            case ".safetensors":
                return Weights(file, "safetensors");
            case ".onnx":
                return Weights(file, "onnx");
            case ".pt" or ".pth" or ".bin" or ".ckpt" when IsNative(magic):
                return NativeCode(file, magic);
            case ".pt" or ".pth" or ".bin" or ".ckpt" when IsWebAssembly(magic):
                return WebAssembly(file);
            case ".pt" or ".pth" or ".bin" or ".ckpt" when magic.AsSpan().StartsWith("PK\x03\x04"u8) || (magic.Length > 0 && magic[0] == 0x80):
                return Weights(file, "pytorch");
            case ".pt" or ".pth" or ".bin" or ".ckpt" or ".h5" or ".hdf5" or ".keras" or ".msgpack" or ".npz" or ".npy" or ".nemo" or ".pb" or ".ggml" or ".onnx_data":
                return Unread(file, extension.TrimStart('.'));
            case ".pkl" or ".pickle" or ".joblib":
                return Unread(file, extension.TrimStart('.')) with
                {
                    Weights = new WeightFacts { Format = extension.TrimStart('.'), Precision = WeightPrecision.Unknown, ExecutesCodeOnLoad = true },
                };
            case ".engine" or ".plan":
                return Compiled(file, "tensorrt", "TensorRT engine");
            case ".tflite":
                return Compiled(file, "tflite", "TensorFlow Lite flat buffer");
        }

        if (extension == ".pyc" || extension == ".pyo")
        {
            return Artifact(file, ArtifactRole.Code, new() { ["compiled"] = "Python bytecode" });
        }

        // GNU's COPYING.LIB is the LGPL's text, not a static library: a license file's name on a file of no native format
        // (a static library is an ar archive, which IsNative knows).
        if ((NativeExtensions.Contains(extension) && !(LicenseFiles.IsLicenseName(path) && !IsNative(magic))) || (IsNative(magic) && !TextEnding(extension)))
        {
            return NativeCode(file, magic);
        }

        // WebAssembly: "\0asm" and a version, compiled code as a native library is (built from Rust, C, C++, Go, ...).
        if (extension == ".wasm" || (IsWebAssembly(magic) && !TextEnding(extension)))
        {
            return WebAssembly(file);
        }

        if (name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
        {
            var facts = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["index"] = "weight shards" };
            if (HuggingFaceFacts.ReadIndexShards(file) is { } shards)
            {
                facts["shards"] = string.Join('\n', shards);
            }

            return Artifact(file, ArtifactRole.Other, facts);
        }

        if (IsNoticeName(name))
        {
            return Artifact(file, ArtifactRole.Notice);
        }

        if (name.Equals("tokenizer_config.json", StringComparison.OrdinalIgnoreCase))
        {
            return Artifact(file, ArtifactRole.Tokenizer, HuggingFaceFacts.ReadTokenizerConfig(file));
        }

        if (TokenizerNames.Contains(name))
        {
            return Artifact(file, ArtifactRole.Tokenizer);
        }

        if (ArchitectureNames.Contains(name))
        {
            return Artifact(file, ArtifactRole.Architecture, HuggingFaceFacts.ReadConfig(file));
        }

        if (CodeExtensions.Contains(extension))
        {
            var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (name.StartsWith("modeling_", StringComparison.Ordinal) && extension == ".py")
            {
                facts["defines"] = "model architecture (custom modeling code)";
            }

            return Artifact(file, ArtifactRole.Code, facts);
        }

        if (DocExtensions.Contains(extension))
        {
            return Artifact(file, ArtifactRole.Docs);
        }

        if (DataExtensions.Contains(extension))
        {
            return Artifact(file, ArtifactRole.Data);
        }

        return Artifact(file, ArtifactRole.Other);
    }

    private static Artifact Weights(ProjectFile file, string format)
    {
        if (!Readers.TryGetValue(format, out var reader))
        {
            return Unread(file, format);
        }

        try
        {
            using var stream = file.Open(1 << 16, FileOptions.RandomAccess);
            var facts = reader(stream, file.Length);
            if (NotWeights(facts) is { } kind)
            {
                // A file in a weight format that holds no model weights is not called weights, here or by any rule.
                return new Artifact
                {
                    Path = file.RelativePath,
                    Size = file.Length,
                    Role = ArtifactRole.Other,
                    Weights = facts with { FromHeader = true },
                    Facts = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["kind"] = kind },
                };
            }

            return new Artifact { Path = file.RelativePath, Size = file.Length, Role = ArtifactRole.Weights, Weights = facts with { FromHeader = true } };
        }
        catch (HeaderOutOfReachException e)
        {
            // Verify reads an archive entry once; a header past what it kept is not judged either way.
            return Unread(file, format) with { OutOfReach = e.Message };
        }
        catch (ArtifactFormatException e)
        {
            return new Artifact { Path = file.RelativePath, Size = file.Length, Role = ArtifactRole.Weights, Problem = $"{format}: {e.Message}" };
        }
        catch (EndOfStreamException)
        {
            return new Artifact { Path = file.RelativePath, Size = file.Length, Role = ArtifactRole.Weights, Problem = $"{format}: the file ends inside its header." };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not a verdict on the file's format: it could not be read at all (permissions, a lock, an I/O error).
            return Unread(file, format) with { ReadError = e.Message };
        }
#pragma warning disable CA1031 // A reader's unforeseen failure on one hostile file must not hide the findings of all the others.
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new Artifact { Path = file.RelativePath, Size = file.Length, Role = ArtifactRole.Weights, Problem = $"{format}: the header could not be read ({e.GetType().Name}: {e.Message})." };
        }
    }

    /// <summary>
    /// Why a file in a weight format holds no model weights, or null: it holds no tensors (training_args.bin, an ONNX
    /// graph of operators only), or it is a GGUF importance matrix. A GGUF multimodal projector (mmproj) holds the vision
    /// encoder's weights, and is weights like any other.
    /// </summary>
    internal static string? NotWeights(WeightFacts facts) =>
        facts.TensorCount == 0 ? "holds no tensors (not model weights)"
        : facts.Format == "gguf" && facts.Metadata.GetValueOrDefault("general.type") == "imatrix" ? "GGUF importance matrix (not model weights)"
        : null;

    /// <summary>A weight file in a format ModelGoPack does not read: its precision is unknown.</summary>
    private static Artifact Unread(ProjectFile file, string format) => new()
    {
        Path = file.RelativePath,
        Size = file.Length,
        Role = ArtifactRole.Weights,
        Weights = new WeightFacts { Format = format, Precision = WeightPrecision.Unknown },
    };

    private static Artifact Compiled(ProjectFile file, string format, string kind, bool fromHeader = false) => new()
    {
        Path = file.RelativePath,
        Size = file.Length,
        Role = ArtifactRole.Weights,
        Weights = new WeightFacts { Format = format, Precision = WeightPrecision.Compiled, CarriesArchitecture = true, FromHeader = fromHeader },
        Facts = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["kind"] = kind },
    };

    private static Artifact NativeCode(ProjectFile file, byte[] magic) =>
        Artifact(file, ArtifactRole.Code, new() { ["compiled"] = IsManaged(magic) ? ManagedAssembly : NativeBinary });

    // The path of a file NAME (relative) in the folder of the file at PATH.
    private static string Beside(string path, string name) => path[..(path.LastIndexOf('/') + 1)] + name;

    // A file of a text ending (document, code, data, JSON) is never judged by magic bytes alone.
    private static bool TextEnding(string extension) =>
        DocExtensions.Contains(extension) || CodeExtensions.Contains(extension) || DataExtensions.Contains(extension) || extension == ".json";

    private static Artifact WebAssembly(ProjectFile file) => Artifact(file, ArtifactRole.Code, new() { ["compiled"] = WebAssemblyModule });

    /// <summary>What an LFS pointer names: "sha256:OID, SIZE bytes".</summary>
    internal static string PointerFact((string Oid, long Size) pointer) =>
        $"sha256:{pointer.Oid}, {pointer.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes";

    // A model card, the config or a notice keeps its role whatever a tokenizer_config.json names.
    private static bool IsOwnName(string path)
    {
        var name = Path.GetFileName(path);
        return name.Equals(ModelCard.FileName, StringComparison.OrdinalIgnoreCase) || name.Equals(ModelGoConfig.FileName, StringComparison.OrdinalIgnoreCase) || IsNoticeName(name);
    }

    /// <summary>The role a file's name gives it, for a file whose content cannot tell (a Git LFS pointer) or that was not inspected (a generated file).</summary>
    internal static ArtifactRole RoleByName(string path)
    {
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(path);
        return FileKinds.IsWeights(path) ? ArtifactRole.Weights
            : IsNoticeName(name) ? ArtifactRole.Notice
            : TokenizerNames.Contains(name) ? ArtifactRole.Tokenizer
            : ArchitectureNames.Contains(name) ? ArtifactRole.Architecture
            : CodeExtensions.Contains(extension) || NativeExtensions.Contains(extension) || extension.Equals(".wasm", StringComparison.OrdinalIgnoreCase) ? ArtifactRole.Code
            : DocExtensions.Contains(extension) ? ArtifactRole.Docs
            : DataExtensions.Contains(extension) ? ArtifactRole.Data
            : ArtifactRole.Other;
    }

    // A WebAssembly binary module: "\0asm", then the version 1 as a little-endian u32.
    private static bool IsWebAssembly(byte[] magic) =>
        magic.AsSpan().StartsWith("\0asm\u0001\0\0\0"u8);

    /// <summary>
    /// Whether a PE image is a managed .NET assembly: its optional header's data directory 14 (the CLI header) is
    /// set. Read from the first bytes; an image whose header lies past them is taken as native.
    /// </summary>
    private static bool IsManaged(byte[] magic)
    {
        if (magic.Length < 64 || magic[0] != (byte)'M' || magic[1] != (byte)'Z')
        {
            return false;
        }

        var pe = BitConverter.ToInt32(magic, 0x3C);
        var optional = (long)pe + 24;
        if (pe < 64 || optional + 2 > magic.Length || !magic.AsSpan(pe, 4).SequenceEqual("PE\0\0"u8))
        {
            return false;
        }

        // PE32 (0x10B): 16 data directories' count at 92, the directories at 96; PE32+ (0x20B): at 108 and 112.
        var (count, directories) = BitConverter.ToUInt16(magic, (int)optional) switch
        {
            0x10B => (optional + 92, optional + 96),
            0x20B => (optional + 108, optional + 112),
            _ => (-1L, -1L),
        };
        var cli = directories + (14 * 8);
        return count >= 0 && cli + 8 <= magic.Length && BitConverter.ToUInt32(magic, (int)count) > 14
            && BitConverter.ToUInt32(magic, (int)cli) != 0 && BitConverter.ToUInt32(magic, (int)cli + 4) != 0;
    }

    // A file with no facts (most of a project's files: docs, data, code) shares one empty set rather than holding its own.
    private static Artifact Artifact(ProjectFile file, ArtifactRole role, SortedDictionary<string, string>? facts = null) => new()
    {
        Path = file.RelativePath,
        Size = file.Length,
        Role = role,
        Facts = facts is { Count: > 0 } ? facts : Inspection.Artifact.NoFacts,
    };

    // ELF, Mach-O (both byte orders, 32 and 64 bit), or a Windows PE image ("MZ" with "PE\0\0" at e_lfanew).
    private static bool IsNative(byte[] magic)
    {
        // An ar archive: a static library (.a, .lib).
        if (magic.AsSpan().StartsWith("!<arch>\n"u8))
        {
            return true;
        }

        if (magic.Length >= 4 && magic[0] == 0x7F && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F')
        {
            return true;
        }

        if (magic.Length >= 4 && BitConverter.ToUInt32(magic, 0) is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE)
        {
            return true;
        }

        if (magic.Length < 64 || magic[0] != (byte)'M' || magic[1] != (byte)'Z')
        {
            return false;
        }

        var peOffset = BitConverter.ToInt32(magic, 0x3C);
        return peOffset >= 64 && peOffset <= magic.Length - 4 && magic.AsSpan(peOffset, 4).SequenceEqual("PE\0\0"u8);
    }

    private static byte[] ReadMagic(ProjectFile file)
    {
        try
        {
            using var stream = file.Open();
            // Enough for every magic number read here, and for a whole Git LFS pointer (at most 1,024 bytes).
            var buffer = new byte[LfsPointer.MaxBytes + 1];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return buffer[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HeaderOutOfReachException)
        {
            return [];
        }
    }

    /// <summary>Text of a small file, or null when it is too big or unreadable.</summary>
    internal static string? ReadSmallText(ProjectFile file, long limit = 16 * 1024 * 1024)
    {
        if (file.Length > limit)
        {
            return null;
        }

        try
        {
            using var stream = file.Open();
            var bytes = new byte[file.Length];
            stream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HeaderOutOfReachException)
        {
            return null;
        }
    }
}
