namespace ModelGoPack.Inspection;

/// <summary>
/// The walk of the model: ModelProto, its functions and metadata, the graph and its subgraphs, nodes and their
/// attributes, down to the tensors they hold (OnnxInspector.Tensors).
/// </summary>
internal static partial class OnnxInspector
{
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
                    Commit(model, tensor, model.Dimensions, label);
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
            Commit(model, tensor.Tensor with { Name = name }, tensor.Dimensions, label);
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
}
