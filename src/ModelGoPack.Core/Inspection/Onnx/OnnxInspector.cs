using System.Globalization;
using System.Text;

namespace ModelGoPack.Inspection;

/// <summary>
/// Reads an ONNX model's weight facts straight from the protobuf wire format: the data type, shape and
/// external-data location of every stored tensor, and the producer and metadata_props strings. A graph keeps
/// its weights in initializers (dense and sparse) and in the values of <c>Constant</c> nodes (exporters such as
/// spox store every weight so), and the subgraphs of <c>If</c>, <c>Loop</c> and <c>Scan</c> nodes keep theirs
/// in turn: all of them count. Tensor data and everything else are skipped by seeking past them, never read. ONNX files have no magic number, so a
/// file counts as ONNX only when it parses as a ModelProto with an ir_version and a graph.
/// This file holds the entry point, the limits and the data types; the walk of the model is in OnnxInspector.Graph,
/// the tensors in OnnxInspector.Tensors and the protobuf reader in OnnxInspector.WireReader.
/// </summary>
internal static partial class OnnxInspector
{
    /// <summary>The most tensors (initializers, dense and sparse, and Constant values) a model may declare.</summary>
    public const long MaxInitializers = 10_000_000;

    /// <summary>The longest string (name, producer, metadata, external-data entry) read, in bytes.</summary>
    public const int MaxStringBytes = 1024 * 1024;

    /// <summary>The most metadata_props entries kept; later distinct keys are dropped.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>The longest metadata key or value kept, in characters; longer ones are truncated.</summary>
    public const int MaxMetadataChars = 1024;

    /// <summary>How deep subgraphs (the GRAPH attributes of If, Loop, Scan) may nest.</summary>
    public const int MaxGraphDepth = 64;

    /// <summary>The most value attributes (value, value_floats, ...) one node may have; a Constant has one.</summary>
    public const int MaxValueAttributes = 16;

    /// <summary>The most dimensions a tensor may have.</summary>
    public const int MaxDimensions = 1024;

    /// <summary>The most distinct data types a model may use.</summary>
    public const int MaxDataTypes = 64;

    // TensorProto.DataType, by number (onnx.proto; 24-26 since ONNX 1.18-1.20).
    private static readonly string[] TypeNames =
    [
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
        "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
        "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2",
    ];

    /// <summary>Reads the weight facts of the ONNX model in the next <paramref name="length"/> bytes of the stream.</summary>
    /// <exception cref="ArtifactFormatException">The bytes are not an ONNX model, or are malformed or hostile.</exception>
    public static WeightFacts Inspect(Stream stream, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            throw new ArtifactFormatException("the file is empty, so it is not an ONNX model (a protobuf ModelProto with a graph).");
        }

        var reader = new WireReader(stream, length);
        var model = new ModelState();
        ReadModel(reader, model);
        if (!model.SawGraph)
        {
            throw new ArtifactFormatException("no graph: the file has no ModelProto.graph (field 7), so it is not an ONNX model.");
        }

        if (!model.SawIrVersion)
        {
            throw new ArtifactFormatException("no ir_version: the file has no ModelProto.ir_version (field 1), so it is not an ONNX model.");
        }

        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in model.Properties)
        {
            metadata[key] = value;
        }

        if (model.ProducerName is not null)
        {
            metadata["producer_name"] = Truncate(model.ProducerName);
        }

        if (model.ProducerVersion is not null)
        {
            metadata["producer_version"] = Truncate(model.ProducerVersion);
        }

        return new WeightFacts
        {
            Format = "onnx",
            TensorCount = model.TensorCount,
            Dtypes = model.Dtypes,
            // Integers wider than 8 bits, booleans and strings are shapes, indices and tables, never weights ONNX
            // quantizes to: they neither make a model quantized nor full precision.
            Precision = Precision.FromElements(model.Dtypes.Where(d => IsFullPrecision(d.Key) || IsLowBit(d.Key)).ToDictionary(), IsFullPrecision),
            Matrices = model.Matrices.Build(),
            Metadata = metadata,
            ExternalFiles = [.. model.ExternalFiles],
            CarriesArchitecture = true,
        };
    }

    /// <summary>The ONNX name of a TensorProto data type number; <c>TYPE_n</c> when unknown.</summary>
    public static string TypeName(int dataType) =>
        dataType >= 0 && dataType < TypeNames.Length ? TypeNames[dataType] : "TYPE_" + dataType.ToString(CultureInfo.InvariantCulture);

    private static bool IsFullPrecision(string dtype) => dtype is "FLOAT" or "FLOAT16" or "BFLOAT16" or "DOUBLE";

    // The bits of an integer type of 8 bits or more (each 4-bit or 2-bit element is one weight), 0 for any other.
    private static int IntegerBits(string dtype) => dtype switch
    {
        "INT8" or "UINT8" => 8,
        "INT16" or "UINT16" => 16,
        "INT32" or "UINT32" => 32,
        "INT64" or "UINT64" => 64,
        _ => 0,
    };

    /// <summary>
    /// Integer and floating-point types of 8 bits or fewer: what ONNX quantization stores weights in. Initializers carry
    /// graph names (onnx::MatMul_7), so the type alone makes a matrix quantized.
    /// </summary>
    private static bool IsLowBit(string dtype) => dtype is "UINT8" or "INT8" or "UINT4" or "INT4" or "UINT2" or "INT2" or "FLOAT4E2M1" || dtype.StartsWith("FLOAT8", StringComparison.Ordinal);

    private static string Truncate(string value)
    {
        if (value.Length <= MaxMetadataChars)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[MaxMetadataChars - 1]) ? MaxMetadataChars - 1 : MaxMetadataChars;
        return value[..cut];
    }

    private static string Describe(string label, string? name) =>
        name is null ? label : $"{label} '{Printable(name)}'";

    /// <summary>A string shortened and stripped of control characters, to quote in a message.</summary>
    private static string Printable(string value)
    {
        const int Max = 120;
        var builder = new StringBuilder(Math.Min(value.Length, Max) + 3);
        foreach (var c in value.Length > Max ? value.AsSpan(0, Max) : value.AsSpan())
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (value.Length > Max)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    /// <summary>A tensor's facts as read: its data type number, name and external data file (validated).</summary>
    private sealed record TensorRead(int DataType, string? Name, string? ExternalFile);

    /// <summary>A node attribute's tensor (a sparse value's values), kept until the node is known to be a Constant.</summary>
    private sealed record PendingTensor(TensorRead Tensor, long[] Dimensions);

    private sealed class ModelState
    {

        public bool SawGraph { get; set; }

        public bool SawIrVersion { get; set; }

        public string? ProducerName { get; set; }

        public string? ProducerVersion { get; set; }

        public long TensorCount { get; set; }

        public SortedDictionary<string, long> Dtypes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> ExternalFiles { get; } = new(StringComparer.Ordinal);

        /// <summary>The weight matrices among the initializers.</summary>
        public MatrixCollector Matrices { get; } = new();

        /// <summary>The current tensor's dimensions, reused from one tensor to the next.</summary>
        public List<long> Dimensions { get; } = [];
    }
}
