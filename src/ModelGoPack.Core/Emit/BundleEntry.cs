using ModelGoPack.Discovery;

namespace ModelGoPack.Emit;

/// <summary>One file of the bundle: generated content, or a project file copied as it is.</summary>
internal sealed record BundleEntry(string Path, ProjectFile? Source, ReadOnlyMemory<byte> Content)
{
    // Already-compressed or binary tensor formats: deflating them costs time and saves nothing.
    private static readonly HashSet<string> StoredExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".safetensors", ".gguf", ".ggml", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack", ".npz", ".npy",
        ".pb", ".tflite", ".engine", ".plan", ".mlmodel", ".pkl", ".joblib", ".keras", ".nemo",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp3", ".mp4", ".wav", ".flac", ".parquet", ".arrow",
    };

    public long Length => this.Source?.Length ?? this.Content.Length;

    /// <summary>Whether a zip stores the entry as it is rather than deflating it.</summary>
    public bool Store => StoredExtensions.Contains(System.IO.Path.GetExtension(this.Path));

    public static BundleEntry Generated(string path, ReadOnlyMemory<byte> content) => new(path, null, content);

    public static BundleEntry Copied(ProjectFile file) => new(file.RelativePath, file, ReadOnlyMemory<byte>.Empty);
}
