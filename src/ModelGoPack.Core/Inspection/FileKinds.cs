namespace ModelGoPack.Inspection;

/// <summary>
/// What a file is, by its name: model weights, or content that is already compressed. Header-level
/// inspection of weight formats (dtypes, quantization) builds on this.
/// </summary>
public static class FileKinds
{
    private static readonly HashSet<string> WeightExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".safetensors", ".gguf", ".ggml", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack", ".npz", ".npy",
        ".pb", ".tflite", ".engine", ".plan", ".mlmodel", ".pkl", ".joblib", ".keras", ".nemo", ".onnx_data",
    };

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
