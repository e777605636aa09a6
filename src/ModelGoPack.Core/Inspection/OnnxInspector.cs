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
/// </summary>
internal static class OnnxInspector
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

    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLength = 2;
    private const int WireFixed32 = 5;

    // TensorProto.DataType, by number (onnx.proto; 24-26 since ONNX 1.18-1.20).
    private static readonly string[] TypeNames =
    [
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
        "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
        "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2",
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

    /// <summary>
    /// Integer and floating-point types of 8 bits or fewer: what ONNX quantization stores weights in. Initializers carry
    /// graph names (onnx::MatMul_7), so the type alone makes a matrix quantized.
    /// </summary>
    // The bits of an integer type of 8 bits or more (each 4-bit or 2-bit element is one weight), 0 for any other.
    private static int IntegerBits(string dtype) => dtype switch
    {
        "INT8" or "UINT8" => 8,
        "INT16" or "UINT16" => 16,
        "INT32" or "UINT32" => 32,
        "INT64" or "UINT64" => 64,
        _ => 0,
    };

    private static bool IsLowBit(string dtype) => dtype is "UINT8" or "INT8" or "UINT4" or "INT4" or "UINT2" or "INT2" or "FLOAT4E2M1" || dtype.StartsWith("FLOAT8", StringComparison.Ordinal);

    private static void ReadModel(WireReader reader, ModelState model)
    {
        const string Context = "ModelProto";
        var end = reader.Length;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, Context);
            switch (field)
            {
                case 1:
                    Expect(wire, WireVarint, Context, "ir_version", field);
                    reader.ReadVarint(end, Context);
                    model.SawIrVersion = true;
                    break;
                case 2:
                    Expect(wire, WireLength, Context, "producer_name", field);
                    model.ProducerName = reader.ReadString(end, Context, "producer_name", field);
                    break;
                case 3:
                    Expect(wire, WireLength, Context, "producer_version", field);
                    model.ProducerVersion = reader.ReadString(end, Context, "producer_version", field);
                    break;
                case 7:
                    Expect(wire, WireLength, Context, "graph", field);
                    ReadGraph(reader, reader.ReadMessageEnd(end, Context, "graph", field), model, depth: 0);
                    model.SawGraph = true;
                    break;
                case 8:
                    Expect(wire, WireLength, Context, "opset_import", field);
                    reader.SkipField(wire, end, Context, field);
                    break;
                case 25:
                    Expect(wire, WireLength, Context, "functions", field);
                    ReadFunction(reader, reader.ReadMessageEnd(end, Context, "functions", field), model);
                    break;
                case 14:
                    Expect(wire, WireLength, Context, "metadata_props", field);
                    ReadMetadataEntry(reader, reader.ReadMessageEnd(end, Context, "metadata_props", field), model);
                    break;
                default:
                    reader.SkipField(wire, end, Context, field);
                    break;
            }
        }
    }

    // FunctionProto: node = 7. A model-local function's Constants are weights as a graph's are.
    private static void ReadFunction(WireReader reader, long end, ModelState model)
    {
        const string Context = "FunctionProto";
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, Context);
            if (field == 7)
            {
                Expect(wire, WireLength, Context, "node", field);
                ReadNode(reader, reader.ReadMessageEnd(end, Context, "node", field), model, depth: 1);
            }
            else
            {
                reader.SkipField(wire, end, Context, field);
            }
        }
    }

    private static void ReadMetadataEntry(WireReader reader, long end, ModelState model)
    {
        var (key, value) = ReadStringEntry(reader, end, "ModelProto.metadata_props");
        key = Truncate(key ?? string.Empty);
        if (model.Properties.ContainsKey(key) || model.Properties.Count < MaxMetadataEntries)
        {
            model.Properties[key] = Truncate(value ?? string.Empty);
        }
    }

    private static (string? Key, string? Value) ReadStringEntry(WireReader reader, long end, string context)
    {
        string? key = null;
        string? value = null;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, context);
            switch (field)
            {
                case 1:
                    Expect(wire, WireLength, context, "key", field);
                    key = reader.ReadString(end, context, "key", field);
                    break;
                case 2:
                    Expect(wire, WireLength, context, "value", field);
                    value = reader.ReadString(end, context, "value", field);
                    break;
                default:
                    reader.SkipField(wire, end, context, field);
                    break;
            }
        }

        return (key, value);
    }

    private static void ReadGraph(WireReader reader, long end, ModelState model, int depth)
    {
        const string Context = "GraphProto";
        if (depth > MaxGraphDepth)
        {
            throw new ArtifactFormatException($"subgraphs nest more than {MaxGraphDepth} levels deep.");
        }

        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, Context);
            switch (field)
            {
                case 1:
                    Expect(wire, WireLength, Context, "node", field);
                    ReadNode(reader, reader.ReadMessageEnd(end, Context, "node", field), model, depth);
                    break;
                case 5:
                    Expect(wire, WireLength, Context, "initializer", field);
                    var label = CountTensor(model, "initializer");
                    var tensor = ReadTensor(reader, reader.ReadMessageEnd(end, Context, "initializer", field), model, label);
                    Commit(model, tensor, model.Dimensions, label, countElements: true);
                    break;
                case 15:
                    Expect(wire, WireLength, Context, "sparse_initializer", field);
                    var sparseLabel = CountTensor(model, "sparse_initializer");
                    ReadSparseTensor(reader, reader.ReadMessageEnd(end, Context, "sparse_initializer", field), model, sparseLabel, pending: null);
                    break;
                default:
                    reader.SkipField(wire, end, Context, field);
                    break;
            }
        }
    }

    /// <summary>
    /// Reads a NodeProto: the subgraphs of its GRAPH and GRAPHS attributes (If, Loop, Scan and any other op), and, for
    /// a <c>Constant</c> of the default domain, the tensor its value attribute holds (<c>value</c>, <c>sparse_value</c>,
    /// <c>value_float(s)</c>, <c>value_int(s)</c>, <c>value_string(s)</c>), counted as a tensor like an initializer.
    /// Fields may come in any order, so a value is kept aside until the node's op_type is known.
    /// </summary>
    private static void ReadNode(WireReader reader, long end, ModelState model, int depth)
    {
        // Fixed contexts: a node costs no allocation unless it holds a value or a name is read.
        const string Context = "NodeProto";
        string? opType = null;
        string? domain = null;
        string? output = null;
        var sawOutput = false;
        List<PendingTensor>? pending = null;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, Context);
            switch (field)
            {
                case 2 when !sawOutput:
                    Expect(wire, WireLength, Context, "output", field);
                    output = reader.ReadLenientString(end, Context, field);
                    sawOutput = true;
                    break;
                case 4:
                    Expect(wire, WireLength, Context, "op_type", field);
                    opType = reader.ReadLenientString(end, Context, field);
                    break;
                case 5:
                    Expect(wire, WireLength, Context, "attribute", field);
                    ReadAttribute(reader, reader.ReadMessageEnd(end, Context, "attribute", field), model, depth, ref pending);
                    break;
                case 7:
                    Expect(wire, WireLength, Context, "domain", field);
                    domain = reader.ReadLenientString(end, Context, field);
                    break;
                default:
                    reader.SkipField(wire, end, Context, field);
                    break;
            }
        }

        if (pending is null || opType != "Constant" || domain is not (null or "" or "ai.onnx"))
        {
            return;
        }

        // A valid Constant has one value, named by its output; any further (invalid) values stay unnamed, so that one
        // output name is never kept once for each.
        for (var i = 0; i < pending.Count; i++)
        {
            var tensor = pending[i];
            var label = CountTensor(model, "Constant");
            var name = !string.IsNullOrEmpty(tensor.Tensor.Name) ? tensor.Tensor.Name : i == 0 ? output : null;
            Commit(model, tensor.Tensor with { Name = name }, tensor.Dimensions, label, countElements: true);
        }
    }

    // AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, g = 6, floats = 7, ints = 8, strings = 9, graphs = 11,
    // sparse_tensor = 22. Only a value attribute's tensor is kept (for a Constant); every subgraph is read.
    private static void ReadAttribute(WireReader reader, long end, ModelState model, int depth, ref List<PendingTensor>? pending)
    {
        const string label = "AttributeProto";
        string? name = null;
        PendingTensor? tensor = null;
        long listed = 0;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, label);
            switch (field)
            {
                case 1:
                    Expect(wire, WireLength, label, "name", field);
                    name = reader.ReadLenientString(end, label, field);
                    break;
                case 4:
                    Expect(wire, WireLength, label, "s", field);
                    reader.SkipField(wire, end, label, field);
                    break;
                case 5:
                    Expect(wire, WireLength, label, "t", field);
                    var read = ReadTensor(reader, reader.ReadMessageEnd(end, label, "t", field), model, label);
                    RecordExternal(model, read);
                    tensor = new PendingTensor(read, [.. model.Dimensions]);
                    break;
                case 6:
                    Expect(wire, WireLength, label, "g", field);
                    ReadGraph(reader, reader.ReadMessageEnd(end, label, "g", field), model, depth + 1);
                    break;
                case 7 when wire == WireFixed32:
                    reader.SkipField(wire, end, label, field);
                    listed++;
                    break;
                case 7:
                    Expect(wire, WireLength, label, "floats", field);
                    var floatsEnd = reader.ReadMessageEnd(end, label, "floats", field);
                    if ((floatsEnd - reader.Position) % 4 != 0)
                    {
                        throw new ArtifactFormatException($"{label}: packed floats of {floatsEnd - reader.Position} bytes, not a whole number of 4-byte floats.");
                    }

                    listed += (floatsEnd - reader.Position) / 4;
                    reader.SkipTo(floatsEnd);
                    break;
                case 8 when wire == WireVarint:
                    reader.ReadVarint(end, label);
                    listed++;
                    break;
                case 8:
                    Expect(wire, WireLength, label, "ints", field);
                    var intsEnd = reader.ReadMessageEnd(end, label, "ints", field);
                    while (reader.Position < intsEnd)
                    {
                        reader.ReadVarint(intsEnd, label + " ints");
                        listed++;
                    }

                    break;
                case 9:
                    Expect(wire, WireLength, label, "strings", field);
                    reader.SkipField(wire, end, label, field);
                    listed++;
                    break;
                case 11:
                    Expect(wire, WireLength, label, "graphs", field);
                    ReadGraph(reader, reader.ReadMessageEnd(end, label, "graphs", field), model, depth + 1);
                    break;
                case 22:
                    Expect(wire, WireLength, label, "sparse_tensor", field);
                    var values = new List<PendingTensor>(1);
                    ReadSparseTensor(reader, reader.ReadMessageEnd(end, label, "sparse_tensor", field), model, label, values);
                    tensor = values.Count > 0 ? values[^1] : null;
                    break;
                default:
                    reader.SkipField(wire, end, label, field);
                    break;
            }
        }

        // The Constant op's value attributes (onnx/defs/generator/defs.cc); exactly one is set on a valid node.
        var value = name switch
        {
            "value" or "sparse_value" => tensor,
            // A proto3 writer leaves out f = 0 and i = 0: the attribute's name alone says there is a value.
            "value_float" => Scalar("FLOAT", []),
            "value_int" => Scalar("INT64", []),
            "value_string" => Scalar("STRING", []),
            "value_floats" => Scalar("FLOAT", [listed]),
            "value_ints" => Scalar("INT64", [listed]),
            "value_strings" => Scalar("STRING", [listed]),
            _ => null,
        };
        if (value is null)
        {
            return;
        }

        pending ??= [];
        if (pending.Count >= MaxValueAttributes)
        {
            throw new ArtifactFormatException($"{label}: a node has more than {MaxValueAttributes} value attributes.");
        }

        pending.Add(value);

        static PendingTensor Scalar(string dtype, long[] dims) =>
            new(new TensorRead(Array.IndexOf(TypeNames, dtype), null, null), dims);
    }

    private static string CountTensor(ModelState model, string kind)
    {
        if (model.TensorCount >= MaxInitializers)
        {
            throw new ArtifactFormatException($"the graph declares more than {MaxInitializers} tensors (initializers and Constant values).");
        }

        model.TensorCount++;
        return $"{kind} #{model.TensorCount}";
    }

    // SparseTensorProto: values = 1 (the stored elements, a TensorProto), indices = 2, dims = 3. With pending null
    // (a sparse initializer), the tensor is counted at once; else its values and indices are kept aside.
    private static void ReadSparseTensor(WireReader reader, long end, ModelState model, string label, List<PendingTensor>? pending)
    {
        PendingTensor? values = null;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, label);
            switch (field)
            {
                case 1:
                    Expect(wire, WireLength, label, "values", field);
                    var read = ReadTensor(reader, reader.ReadMessageEnd(end, label, "values", field), model, label + " values");
                    if (pending is null)
                    {
                        Commit(model, read, model.Dimensions, label + " values", countElements: true);
                    }
                    else
                    {
                        RecordExternal(model, read);
                        values = new PendingTensor(read, [.. model.Dimensions]);
                    }

                    break;
                case 2:
                    Expect(wire, WireLength, label, "indices", field);
                    RecordExternal(model, ReadTensor(reader, reader.ReadMessageEnd(end, label, "indices", field), model, label + " indices"));

                    break;
                default:
                    reader.SkipField(wire, end, label, field);
                    break;
            }
        }

        if (pending is not null && values is not null)
        {
            pending.Add(values);
        }
    }

    /// <summary>Reads a TensorProto's data type, name and external location; its dimensions are left in <c>model.Dimensions</c>.</summary>
    private static TensorRead ReadTensor(WireReader reader, long end, ModelState model, string label)
    {
        var dims = model.Dimensions;
        dims.Clear();
        var dataType = 0;
        ulong dataLocation = 0;
        string? name = null;
        string? location = null;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag(end, label);
            switch (field)
            {
                case 1 when wire == WireVarint:
                    AddDimension(dims, reader.ReadVarint(end, label), label);
                    break;
                case 1 when wire == WireLength:
                    var packedEnd = reader.ReadMessageEnd(end, label, "dims", field);
                    while (reader.Position < packedEnd)
                    {
                        AddDimension(dims, reader.ReadVarint(packedEnd, label + " dims"), label);
                    }

                    break;
                case 1:
                    throw WrongWire(wire, label, "dims", field, "varint or packed");
                case 2:
                    Expect(wire, WireVarint, label, "data_type", field);
                    dataType = unchecked((int)reader.ReadVarint(end, label));
                    break;
                case 8:
                    Expect(wire, WireLength, label, "name", field);
                    name = reader.ReadString(end, label, "name", field);
                    break;
                case 13:
                    Expect(wire, WireLength, label, "external_data", field);
                    var (key, value) = ReadStringEntry(reader, reader.ReadMessageEnd(end, label, "external_data", field), label + " external_data");
                    if (key == "location")
                    {
                        location = value ?? string.Empty;
                    }
                    else if (key is "offset" or "length" && !IsDecimal(value))
                    {
                        throw new ArtifactFormatException($"{Describe(label, name)}: external_data {key} '{Printable(value ?? string.Empty)}' is not a non-negative decimal number.");
                    }

                    break;
                case 14:
                    Expect(wire, WireVarint, label, "data_location", field);
                    dataLocation = reader.ReadVarint(end, label);
                    break;
                default:
                    reader.SkipField(wire, end, label, field);
                    break;
            }
        }

        if (dataLocation > 1)
        {
            throw new ArtifactFormatException($"{Describe(label, name)}: data_location {dataLocation} is neither DEFAULT (0) nor EXTERNAL (1).");
        }

        string? external = null;
        if (dataLocation == 1)
        {
            if (location is null)
            {
                throw new ArtifactFormatException($"{Describe(label, name)}: data_location is EXTERNAL but external_data has no location.");
            }

            external = ValidateLocation(location, Describe(label, name));
        }

        return new TensorRead(dataType, name, external);
    }

    // An attribute's tensor in external data: ONNX loads that file for any node, so the file belongs to the model.
    private static void RecordExternal(ModelState model, TensorRead tensor)
    {
        if (tensor.ExternalFile is { } external)
        {
            model.ExternalFiles.Add(external);
        }
    }

    /// <summary>Counts a tensor that was read: its external data file, and (for stored elements) its type, elements and matrix.</summary>
    private static void Commit(ModelState model, TensorRead tensor, IReadOnlyList<long> dims, string label, bool countElements)
    {
        RecordExternal(model, tensor);

        if (!countElements)
        {
            return;
        }

        var dtype = TypeName(tensor.DataType);
        if (!model.Dtypes.TryGetValue(dtype, out var count))
        {
            if (model.Dtypes.Count >= MaxDataTypes)
            {
                throw new ArtifactFormatException($"{Describe(label, tensor.Name)}: the tensors use more than {MaxDataTypes} distinct data types.");
            }

            count = 0;
        }

        var elements = Precision.Elements(dims);
        model.Dtypes[dtype] = count > long.MaxValue - elements ? long.MaxValue : count + elements;
        if (tensor.Name is { } name)
        {
            model.Matrices.Add(name, dims, elements, IsFullPrecision(dtype), IsLowBit(dtype) && WeightMatrix.LogicalName(name) != name, dtype == "BOOL", IntegerBits(dtype));
        }
    }

    private static void AddDimension(List<long> dims, ulong value, string label)
    {
        var dim = unchecked((long)value);
        if (dim < 0)
        {
            throw new ArtifactFormatException($"{label}: dimension {dims.Count} is negative ({dim}).");
        }

        if (dims.Count >= MaxDimensions)
        {
            throw new ArtifactFormatException($"{label}: more than {MaxDimensions} dimensions.");
        }

        dims.Add(dim);
    }

    /// <summary>
    /// Checks an external-data location and returns it with '/' separators and without '.' or empty
    /// segments: it must be relative to the model's folder, without '..', a root, a drive, a colon or a
    /// control character.
    /// </summary>
    private static string ValidateLocation(string location, string what)
    {
        ArtifactFormatException Fail(string why) =>
            new($"{what}: external data location '{Printable(location)}' {why}.");

        if (location.Length == 0)
        {
            throw Fail("is empty");
        }

        foreach (var c in location)
        {
            if (char.IsControl(c))
            {
                throw Fail("contains a control character");
            }
        }

        if (location[0] is '/' or '\\' || Path.IsPathRooted(location))
        {
            throw Fail("is an absolute path; it must be relative to the model's folder");
        }

        if (location.Contains(':', StringComparison.Ordinal))
        {
            throw Fail("contains ':' (a drive or a stream name); it must be a plain relative path");
        }

        var segments = new List<string>();
        foreach (var segment in location.Split('/', '\\'))
        {
            if (segment == "..")
            {
                throw Fail("contains '..'; it must stay inside the model's folder");
            }

            if (segment.Length > 0 && segment != ".")
            {
                segments.Add(segment);
            }
        }

        if (segments.Count == 0)
        {
            throw Fail("names no file");
        }

        return string.Join('/', segments);
    }

    private static bool IsDecimal(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static void Expect(int wire, int expected, string context, string name, int field)
    {
        if (wire != expected)
        {
            throw WrongWire(wire, context, name, field, expected == WireVarint ? "varint" : "length-delimited");
        }
    }

    private static ArtifactFormatException WrongWire(int wire, string context, string name, int field, string expected) =>
        new($"{context}.{name} (field {field}) has wire type {wire}, expected {expected}: not an ONNX model.");

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

    /// <summary>
    /// A forward-only protobuf wire reader over a stream, with a fixed buffer. Every read is bounded by the
    /// end of the message it is in; skipping seeks (or, on a stream that cannot seek, reads and discards).
    /// </summary>
    private sealed class WireReader
    {
        private const int BufferSize = 64 * 1024;

        private readonly Stream stream;
        private readonly long origin;
        private readonly byte[] buffer = new byte[BufferSize];
        private long bufferStart;
        private int bufferCount;
        private long streamOffset;

        public WireReader(Stream stream, long length)
        {
            this.stream = stream;
            this.Length = length;
            if (stream.CanSeek)
            {
                this.origin = stream.Position;
                var available = stream.Length - this.origin;
                if (available < length)
                {
                    throw new ArtifactFormatException($"the file has {available} bytes, fewer than the {length} expected.");
                }
            }
        }

        public long Length { get; }

        public long Position { get; private set; }

        /// <summary>Reads a field's tag: its number and wire type.</summary>
        public (int Field, int Wire) ReadTag(long end, string context)
        {
            var at = this.Position;
            var tag = this.ReadVarint(end, context);
            if (tag > uint.MaxValue)
            {
                throw new ArtifactFormatException($"{context}: the field tag at byte {at} is over 32 bits: not an ONNX model.");
            }

            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            if (field == 0)
            {
                throw new ArtifactFormatException($"{context}: field number 0 at byte {at} is invalid protobuf: not an ONNX model.");
            }

            if (wire is 3 or 4)
            {
                throw new ArtifactFormatException(
                    $"{context}: field {field} at byte {at} has wire type {wire} ({(wire == 3 ? "start" : "end")} group), which ONNX never uses: not an ONNX model.");
            }

            if (wire is 6 or 7)
            {
                throw new ArtifactFormatException($"{context}: field {field} at byte {at} has wire type {wire}, which protobuf does not define: not an ONNX model.");
            }

            return (field, wire);
        }

        /// <summary>Reads a base-128 varint of at most 10 bytes, all before <paramref name="end"/>.</summary>
        public ulong ReadVarint(long end, string context)
        {
            var at = this.Position;
            ulong value = 0;
            for (var i = 0; i < 10; i++)
            {
                if (this.Position >= end)
                {
                    throw new ArtifactFormatException($"{context}: the varint at byte {at} runs past the end of {Container(end)}.");
                }

                var b = this.ReadByte();
                if (i == 9 && b > 1)
                {
                    throw new ArtifactFormatException((b & 0x80) != 0
                        ? $"{context}: the varint at byte {at} is longer than 10 bytes."
                        : $"{context}: the varint at byte {at} overflows 64 bits.");
                }

                value |= (ulong)(b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidOperationException("unreachable: the tenth byte of a varint ends it or throws.");
        }

        /// <summary>Reads a length-delimited field's length and returns where its content ends.</summary>
        public long ReadMessageEnd(long end, string context, string? name, int field)
        {
            var at = this.Position;
            var length = this.ReadVarint(end, context);
            var remaining = end - this.Position;
            if (length > (ulong)remaining)
            {
                throw new ArtifactFormatException(
                    $"{FieldName(context, name, field)} at byte {at} declares {length} bytes, but only {remaining} remain in {Container(end)}.");
            }

            return this.Position + (long)length;
        }

        /// <summary>Reads a UTF-8 string field of at most <see cref="MaxStringBytes"/> bytes.</summary>
        public string ReadString(long end, string context, string name, int field)
        {
            var at = this.Position;
            var stringEnd = this.ReadMessageEnd(end, context, name, field);
            var length = stringEnd - this.Position;
            if (length > MaxStringBytes)
            {
                throw new ArtifactFormatException($"{context}.{name} (field {field}) at byte {at} is {length} bytes long, over the limit of {MaxStringBytes} bytes.");
            }

            var bytes = new byte[length];
            this.ReadExactly(bytes);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new ArtifactFormatException($"{context}.{name} (field {field}) at byte {at} is not valid UTF-8.");
            }
        }

        /// <summary>Moves to a position inside the current message (past a packed field whose length is known).</summary>
        public void SkipTo(long position) => this.Position = position;

        /// <summary>
        /// Reads a name of a node (op_type, domain, output, an attribute's name) as ONNX Runtime does: bytes that are
        /// not UTF-8 decode to U+FFFD, and a name longer than <see cref="MaxStringBytes"/> is skipped (null).
        /// </summary>
        public string? ReadLenientString(long end, string context, int field)
        {
            var stringEnd = this.ReadMessageEnd(end, context, null, field);
            var length = stringEnd - this.Position;
            if (length > MaxStringBytes)
            {
                this.Position = stringEnd;
                return null;
            }

            var bytes = new byte[length];
            this.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Skips a field whose tag has been read, without reading its content.</summary>
        public void SkipField(int wire, long end, string context, int field)
        {
            switch (wire)
            {
                case WireVarint:
                    this.ReadVarint(end, context);
                    break;
                case WireFixed64:
                    this.SkipFixed(8, end, context, field);
                    break;
                case WireLength:
                    this.Position = this.ReadMessageEnd(end, context, null, field);
                    break;
                case WireFixed32:
                    this.SkipFixed(4, end, context, field);
                    break;
                default:
                    throw new ArtifactFormatException($"{context}: field {field} has wire type {wire}: not an ONNX model.");
            }
        }

        private void SkipFixed(int size, long end, string context, int field)
        {
            if (end - this.Position < size)
            {
                throw new ArtifactFormatException(
                    $"{context}: the {size * 8}-bit field {field} at byte {this.Position} runs past the end of {Container(end)}.");
            }

            this.Position += size;
        }

        private static string FieldName(string context, string? name, int field) =>
            name is null ? $"{context}: field {field}" : $"{context}.{name} (field {field})";

        private string Container(long end) => end == this.Length ? "the file" : "its message";

        private byte ReadByte()
        {
            if (this.Position < this.bufferStart || this.Position >= this.bufferStart + this.bufferCount)
            {
                this.Fill();
            }

            return this.buffer[this.Position++ - this.bufferStart];
        }

        private void ReadExactly(Span<byte> destination)
        {
            while (destination.Length > 0)
            {
                if (this.Position < this.bufferStart || this.Position >= this.bufferStart + this.bufferCount)
                {
                    this.Fill();
                }

                var offset = (int)(this.Position - this.bufferStart);
                var count = Math.Min(destination.Length, this.bufferCount - offset);
                this.buffer.AsSpan(offset, count).CopyTo(destination);
                destination = destination[count..];
                this.Position += count;
            }
        }

        /// <summary>Loads the buffer from <see cref="Position"/>, which callers keep below <see cref="Length"/>.</summary>
        private void Fill()
        {
            if (this.streamOffset != this.Position)
            {
                if (this.stream.CanSeek)
                {
                    this.stream.Seek(this.origin + this.Position, SeekOrigin.Begin);
                    this.streamOffset = this.Position;
                }
                else
                {
                    while (this.streamOffset < this.Position)
                    {
                        var skipped = this.stream.Read(this.buffer, 0, (int)Math.Min(BufferSize, this.Position - this.streamOffset));
                        if (skipped == 0)
                        {
                            throw this.Truncated();
                        }

                        this.streamOffset += skipped;
                    }
                }
            }

            var read = this.stream.Read(this.buffer, 0, (int)Math.Min(BufferSize, this.Length - this.Position));
            if (read == 0)
            {
                throw this.Truncated();
            }

            this.bufferStart = this.Position;
            this.bufferCount = read;
            this.streamOffset += read;
        }

        private ArtifactFormatException Truncated() =>
            new($"the file ends at byte {this.streamOffset}, before the {this.Length} bytes expected.");
    }
}
