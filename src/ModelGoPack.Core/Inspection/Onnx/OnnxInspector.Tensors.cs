namespace ModelGoPack.Inspection;

/// <summary>
/// Tensors: dense and sparse TensorProtos read for their data type, dimensions, name and external data, counted
/// (with their elements and weight matrices) into the model's facts; and the check of an external-data location.
/// </summary>
internal static partial class OnnxInspector
{
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
                        Commit(model, read, model.Dimensions, label + " values");
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

    /// <summary>Counts a tensor that was read: its external data file, its type, elements and matrix.</summary>
    private static void Commit(ModelState model, TensorRead tensor, IReadOnlyList<long> dims, string label)
    {
        RecordExternal(model, tensor);

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
}
