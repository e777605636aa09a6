using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Writes real ONNX models at tiny sizes: a ModelProto (ir_version 9, opset 17) whose graph has one MatMul
/// node and the given initializers, with raw_data of the right size or data in an external file.
/// </summary>
public static class Onnx
{
    /// <summary>The shared external-data file that external initializers are written to.</summary>
    public const string ExternalDataFile = "model.onnx_data";

    public const string Producer = "modelgopack-tests";
    public const string ProducerVersion = "1.0";

    public const int F32 = 1;
    public const int U8 = 2;
    public const int I8 = 3;
    public const int I32 = 6;
    public const int I64 = 7;
    public const int F16 = 10;
    public const int F64 = 11;
    public const int BF16 = 16;
    public const int U4 = 21;
    public const int I4 = 22;

    /// <summary>
    /// Writes a model to <paramref name="path"/>; initializers marked External keep their data in
    /// <see cref="ExternalDataFile"/> beside it.
    /// </summary>
    public static void Write(string path, params (string Name, int DataType, long[] Dims, bool External)[] initializers)
    {
        using var data = new MemoryStream();
        var model = Model(ExternalDataFile, data, initializers);
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(path, model);
        if (initializers.Any(i => i.External))
        {
            File.WriteAllBytes(Path.Combine(folder, ExternalDataFile), data.ToArray());
        }
    }

    /// <summary>
    /// The bytes of a model whose external initializers name <paramref name="location"/> and whose external
    /// data is appended to <paramref name="externalData"/> (which may be <see cref="Stream.Null"/>).
    /// </summary>
    public static byte[] Model(string location, Stream externalData, params (string Name, int DataType, long[] Dims, bool External)[] initializers)
    {
        var graph = new ProtoWriter()
            .Message(1, Node(initializers.Length > 0 ? initializers[0].Name : "W"))
            .Text(2, "modelgopack-test-graph");
        foreach (var (name, dataType, dims, external) in initializers)
        {
            graph.Message(5, Tensor(name, dataType, dims, external ? location : null, externalData));
        }

        var elemType = initializers.Length > 0 ? initializers[0].DataType : F32;
        graph.Message(11, ValueInfo("X", elemType)).Message(12, ValueInfo("Y", elemType));
        return new ProtoWriter()
            .Varint(1, 9)
            .Text(2, Producer)
            .Text(3, ProducerVersion)
            .Message(7, graph)
            .Message(8, new ProtoWriter().Text(1, string.Empty).Varint(2, 17))
            .ToArray();
    }

    /// <summary>A TensorProto with packed dims and either raw_data or an external_data reference.</summary>
    public static ProtoWriter Tensor(string name, int dataType, long[] dims, string? location, Stream externalData)
    {
        var size = ByteSize(dataType, dims.Aggregate(1L, (a, b) => a * b));
        var tensor = new ProtoWriter();
        if (dims.Length > 0)
        {
            var packed = new ProtoWriter();
            foreach (var dim in dims)
            {
                packed.RawVarint((ulong)dim);
            }

            tensor.Bytes(1, packed.ToArray());
        }

        tensor.Varint(2, (ulong)dataType).Text(8, name);
        var bytes = new byte[size];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 31 + name.Length) & 0xFF);
        }

        if (location is null)
        {
            return tensor.Bytes(9, bytes);
        }

        var offset = externalData.Position;
        externalData.Write(bytes);
        return tensor
            .Message(13, Entry("location", location))
            .Message(13, Entry("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Message(13, Entry("length", size.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Varint(14, 1);
    }

    /// <summary>A StringStringEntryProto.</summary>
    public static ProtoWriter Entry(string key, string value) => new ProtoWriter().Text(1, key).Text(2, value);

    /// <summary>The bytes <paramref name="elements"/> elements of an ONNX data type take in raw_data.</summary>
    public static long ByteSize(int dataType, long elements) => dataType switch
    {
        1 or 6 or 12 => elements * 4,
        2 or 3 or 9 or 17 or 18 or 19 or 20 or 24 => elements,
        4 or 5 or 10 or 16 => elements * 2,
        7 or 11 or 13 or 14 => elements * 8,
        15 => elements * 16,
        21 or 22 or 23 => (elements + 1) / 2,
        25 or 26 => (elements + 3) / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "no raw_data size for this ONNX data type"),
    };

    private static ProtoWriter Node(string weight) => new ProtoWriter()
        .Text(1, "X")
        .Text(1, weight)
        .Text(2, "Y")
        .Text(3, "matmul0")
        .Text(4, "MatMul");

    // ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1 } } }
    private static ProtoWriter ValueInfo(string name, int elemType) => new ProtoWriter()
        .Text(1, name)
        .Message(2, new ProtoWriter().Message(1, new ProtoWriter().Varint(1, (ulong)elemType)));
}

/// <summary>A minimal protobuf wire-format writer, for building ONNX models and hostile variants of them.</summary>
public sealed class ProtoWriter
{
    private readonly List<byte> buffer = [];

    public ProtoWriter Tag(int field, int wireType) => this.RawVarint(((ulong)field << 3) | (uint)wireType);

    public ProtoWriter Varint(int field, ulong value) => this.Tag(field, 0).RawVarint(value);

    public ProtoWriter Bytes(int field, byte[] bytes)
    {
        this.Tag(field, 2).RawVarint((ulong)bytes.Length);
        this.buffer.AddRange(bytes);
        return this;
    }

    public ProtoWriter Text(int field, string value) => this.Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => this.Bytes(field, message.ToArray());

    public ProtoWriter RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            this.buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }

        this.buffer.Add((byte)value);
        return this;
    }

    public ProtoWriter Raw(params byte[] bytes)
    {
        this.buffer.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. this.buffer];
}
