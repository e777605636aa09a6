namespace ModelGoPack.Inspection;

/// <summary>
/// What a file is, by its name: model weights, or content that is already compressed. Header-level
/// inspection of weight formats (dtypes, quantization) builds on this.
/// </summary>
public static class FileKinds
{
    /// <summary>
    /// The one table of weight-file endings: what inspect reads or names as weights, what stays out of a .nupkg
    /// unless asked, what is stored undeflated, and what no license file name ends in (Licensing/LicenseFiles.Names.cs).
    /// </summary>
    internal static readonly IReadOnlyList<string> WeightEndings =
    [
        ".safetensors", ".gguf", ".ggml", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".onnx_data", ".h5", ".hdf5", ".keras",
        ".msgpack", ".npz", ".npy", ".pb", ".tflite", ".engine", ".plan", ".mlmodel", ".pkl", ".pickle", ".joblib", ".nemo",
    ];

    private static readonly HashSet<string> WeightExtensions = new(WeightEndings, StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> CompressedExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".png", ".jpg", ".jpeg", ".gif", ".webp",
        ".mp3", ".mp4", ".wav", ".flac", ".parquet", ".arrow",
    };

    /// <summary>Whether the file holds model weights (by extension).</summary>
    public static bool IsWeights(string path) => WeightExtensions.Contains(Path.GetExtension(path));

    /// <summary>Whether deflating the file is wasted work: weights and already-compressed formats.</summary>
    public static bool IsIncompressible(string path) =>
        IsWeights(path) || CompressedExtensions.Contains(Path.GetExtension(path));
}
