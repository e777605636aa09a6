namespace ModelGoPack.Inspection;

/// <summary>
/// What a weight file's header says: its format, the data types of its tensors, and whether the
/// weights are full precision, quantized or compiled. Read from headers only, never from the data.
/// </summary>
public sealed record WeightFacts
{
    /// <summary>The format: <c>safetensors</c>, <c>gguf</c>, <c>pytorch</c>, <c>onnx</c>, <c>tensorrt</c>, <c>tflite</c>, <c>coreml</c>.</summary>
    public required string Format { get; init; }

    /// <summary>The number of tensors the header declares (0 when the format does not say).</summary>
    public long TensorCount { get; init; }

    /// <summary>
    /// For each data type, in the format's own names (F32, BF16, Q4_K, FloatStorage, FLOAT16, ...), the
    /// number of elements stored in it: the weight that decides the precision. Sorted by name.
    /// </summary>
    public IReadOnlyDictionary<string, long> Dtypes { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The weight matrices of the file (safetensors, GGUF, ONNX, and PyTorch tensors a pickle sets in a dict under a string key; empty for other formats).</summary>
    public IReadOnlyList<WeightMatrix> Matrices { get; init; } = [];

    /// <summary>Full precision, quantized, or compiled (see <see cref="WeightPrecision"/>).</summary>
    public required WeightPrecision Precision { get; init; }

    /// <summary>String metadata from the header (safetensors <c>__metadata__</c>, GGUF <c>general.*</c>), capped in size.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Files the weights refer to, relative to the weight file's folder (ONNX external data).</summary>
    public IReadOnlyList<string> ExternalFiles { get; init; } = [];

    /// <summary>Whether the format can run code when loaded (pickle).</summary>
    public bool ExecutesCodeOnLoad { get; init; }

    /// <summary>Whether the format carries the model's architecture itself (GGUF, ONNX, compiled engines).</summary>
    public bool CarriesArchitecture { get; init; }

    /// <summary>
    /// Whether the format was read from the file's header (or its magic bytes); false when it is only guessed from the
    /// file's name (an extension or folder ModelGoPack knows but does not read, a header out of reach or unreadable).
    /// </summary>
    public bool FromHeader { get; init; }
}

/// <summary>How adaptable a weight file is, for clause 2.2(a)(v).</summary>
public enum WeightPrecision
{
    /// <summary>Most elements are in a floating-point type of 16 bits or more (F16, BF16, F32, F64).</summary>
    Full,

    /// <summary>Most elements are in 8-bit or smaller, integer-packed or block-quantized types.</summary>
    Quantized,

    /// <summary>A compiled, runtime-specific export (TensorRT engine, TFLite, Core ML): not adaptable.</summary>
    Compiled,

    /// <summary>The header declares no tensors, so nothing can be said.</summary>
    Unknown,
}

/// <summary>A weight file whose header is malformed or hostile; the message says what is wrong.</summary>
public sealed class ArtifactFormatException(string message) : Exception(message);

/// <summary>A header that lies outside the part of an archive entry verify kept: not judged either way.</summary>
internal sealed class HeaderOutOfReachException(string message) : Exception(message);
