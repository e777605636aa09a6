using System.Buffers.Binary;
using System.Text.Json;

namespace ModelGoPack.Inspection;

/// <summary>
/// Reads a safetensors header with the reference reader's limits: an 8-byte little-endian length of at
/// most 100,000,000, a JSON header of tensors (dtype, shape, data_offsets) and <c>__metadata__</c>, and
/// data offsets that are contiguous, in bounds and cover the rest of the file exactly.
/// </summary>
internal static class SafetensorsInspector
{
    /// <summary>The reference implementation's cap on the header length.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const int MaxMetadataEntries = 64;
    private const int MaxMetadataValue = 1024;

    // Bits per element of every dtype the format defines.
    private static readonly Dictionary<string, int> DtypeBits = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 8, ["F4"] = 4, ["F6_E2M3"] = 6, ["F6_E3M2"] = 6, ["U8"] = 8, ["I8"] = 8, ["F8_E5M2"] = 8, ["F8_E4M3"] = 8,
        ["F8_E8M0"] = 8, ["F8_E4M3FNUZ"] = 8, ["F8_E5M2FNUZ"] = 8, ["I16"] = 16, ["U16"] = 16, ["F16"] = 16, ["BF16"] = 16,
        ["I32"] = 32, ["U32"] = 32, ["F32"] = 32, ["C64"] = 64, ["F64"] = 64, ["I64"] = 64, ["U64"] = 64,
    };

    public static bool IsFullPrecision(string dtype) => dtype is "F16" or "BF16" or "F32" or "F64";

    // A floating-point type of fewer than 16 bits (FP8, FP6, FP4): quantized weights whatever the tensor's name.
    private static bool IsLowFloat(string dtype) => dtype.StartsWith("F8", StringComparison.Ordinal) || dtype.StartsWith("F6", StringComparison.Ordinal) || dtype == "F4";

    // The bits of an integer type (the stored integers of packed quantized weights), 0 for any other.
    private static int IntegerBits(string dtype) => dtype[0] is 'I' or 'U' ? DtypeBits[dtype] : 0;

    public static WeightFacts Inspect(Stream stream, long length)
    {
        if (length < 8)
        {
            throw new ArtifactFormatException($"the file is {length} bytes; a safetensors file starts with an 8-byte header length.");
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
        {
            throw new ArtifactFormatException($"the header declares {headerLength:N0} bytes; the safetensors limit is {MaxHeaderLength:N0}.");
        }

        if ((long)headerLength > length - 8)
        {
            throw new ArtifactFormatException($"the header declares {headerLength:N0} bytes, but only {length - 8:N0} follow the length.");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new ArtifactFormatException("the header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException($"the header is not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
        }

        using (document)
        {
            return Read(document.RootElement, length - 8 - (long)headerLength);
        }
    }

    private static WeightFacts Read(JsonElement root, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArtifactFormatException("the header is not a JSON object.");
        }

        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var dtypes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var spans = new List<(long Begin, long End, string Name)>();
        var matrices = new MatrixCollector();

        // JsonDocument keeps a repeated key; the reference reader keeps one (then finds its offsets broken), so a name may appear once.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (spans.Count >= 10_000_000)
            {
                throw new ArtifactFormatException("the header declares more than 10,000,000 tensors.");
            }

            var name = property.Name;
            if (!names.Add(name))
            {
                throw new ArtifactFormatException(name == "__metadata__"
                    ? "the header repeats __metadata__; it may appear once."
                    : $"the header repeats the tensor name '{name}'; each tensor is named once.");
            }

            if (name == "__metadata__")
            {
                ReadMetadata(property.Value, metadata);
                continue;
            }

            var (dtype, elements, begin, end, dims) = ReadTensor(name, property.Value);
            dtypes[dtype] = dtypes.GetValueOrDefault(dtype) + elements;
            matrices.Add(name, dims, elements, IsFullPrecision(dtype), quantizedType: IsLowFloat(dtype), dtype == "BOOL", IntegerBits(dtype));

            spans.Add((begin, end, name));
        }

        // Offsets must tile the data exactly: sorted, starting at 0, no gap, no overlap, ending at the file's end.
        spans.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var (begin, end, name) in spans)
        {
            if (begin != expected)
            {
                throw new ArtifactFormatException(begin < expected
                    ? $"tensor '{name}' starts at byte {begin:N0}, inside the previous tensor (which ends at {expected:N0}): offsets overlap."
                    : $"tensor '{name}' starts at byte {begin:N0}, leaving a gap after byte {expected:N0}: offsets are not contiguous.");
            }

            expected = end;
        }

        if (expected != dataLength)
        {
            throw new ArtifactFormatException($"the tensors cover {expected:N0} bytes of data, but the file holds {dataLength:N0} after the header.");
        }

        return new WeightFacts
        {
            Format = "safetensors",
            TensorCount = spans.Count,
            Dtypes = dtypes,
            Precision = Precision.FromElements(dtypes, IsFullPrecision),
            Matrices = matrices.Build(),
            Metadata = metadata,
        };
    }

    private static (string Dtype, long Elements, long Begin, long End, List<long> Dims) ReadTensor(string name, JsonElement tensor)
    {
        if (tensor.ValueKind != JsonValueKind.Object
            || !tensor.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !tensor.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !tensor.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new ArtifactFormatException($"tensor '{name}' needs \"dtype\", \"shape\" and two \"data_offsets\".");
        }

        var dtype = dtypeElement.GetString()!;
        if (!DtypeBits.TryGetValue(dtype, out var bits))
        {
            throw new ArtifactFormatException($"tensor '{name}' has unknown dtype '{dtype}'.");
        }

        var dims = new List<long>();
        foreach (var dim in shape.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw new ArtifactFormatException($"tensor '{name}' has a shape entry that is not a non-negative integer.");
            }

            dims.Add(value);
        }

        if (offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new ArtifactFormatException($"tensor '{name}' has data_offsets that are not two non-negative integers in order.");
        }

        var elements = Precision.Elements(dims);
        var bytes = elements > long.MaxValue / bits ? long.MaxValue : (elements * bits + 7) / 8;
        if (end - begin != bytes)
        {
            throw new ArtifactFormatException($"tensor '{name}' is {dtype}{Shape(dims)}, which takes {bytes:N0} bytes, but its data_offsets span {end - begin:N0}.");
        }

        return (dtype, elements, begin, end, dims);
    }

    private static void ReadMetadata(JsonElement element, SortedDictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArtifactFormatException("__metadata__ is not an object of strings.");
        }

        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new ArtifactFormatException($"__metadata__ value '{entry.Name}' is not a string.");
            }

            if (metadata.Count < MaxMetadataEntries)
            {
                var value = entry.Value.GetString()!;
                metadata[entry.Name] = value.Length > MaxMetadataValue ? value[..MaxMetadataValue] : value;
            }
        }
    }

    private static string Shape(List<long> dims) => "[" + string.Join(", ", dims) + "]";
}
