using System.Buffers.Binary;
using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Writes real GGUF v3 files at tiny sizes: header, KV pairs, tensor infos, then tensor data aligned to
/// <c>general.alignment</c> (32 unless a KV pair sets it). <see cref="Raw"/> writes any bytes at all, for
/// hostile headers.
/// </summary>
public static class Gguf
{
    public const int F32 = 0;
    public const int F16 = 1;
    public const int Q8_0 = 8;
    public const int Q4_K = 12;
    public const int BF16 = 30;

    // ggml_type → (elements per block, bytes per block) for the types this helper can write data for.
    private static readonly Dictionary<int, (int Elements, int Bytes)> Blocks = new()
    {
        [F32] = (1, 4), [F16] = (1, 2), [BF16] = (1, 2), [Q8_0] = (32, 34), [Q4_K] = (256, 144),
        [2] = (32, 18), [24] = (1, 1), [26] = (1, 4), [28] = (1, 8),
    };

    /// <summary>Writes a GGUF v3 file to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<(string Key, object Value)> kv, params (string Name, int GgmlType, long[] Dims)[] tensors)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Bytes(kv, tensors));
    }

    /// <summary>The bytes of a GGUF v3 file: header, KV pairs, tensor infos, aligned data.</summary>
    public static byte[] Bytes(IEnumerable<(string Key, object Value)> kv, params (string Name, int GgmlType, long[] Dims)[] tensors)
    {
        ArgumentNullException.ThrowIfNull(kv);
        ArgumentNullException.ThrowIfNull(tensors);
        var pairs = kv.ToList();
        var alignment = pairs.Where(p => p.Key == "general.alignment").Select(p => (uint)p.Value).DefaultIfEmpty(32u).First();

        var writer = Raw().Magic().U32(3).U64((ulong)tensors.Length).U64((ulong)pairs.Count);
        foreach (var (key, value) in pairs)
        {
            writer.Str(key).Value(value);
        }

        var sizes = tensors.Select(t => DataBytes(t.GgmlType, t.Dims)).ToArray();
        long offset = 0;
        for (var i = 0; i < tensors.Length; i++)
        {
            var (name, type, dims) = tensors[i];
            writer.Str(name).U32((uint)dims.Length);
            foreach (var dim in dims)
            {
                writer.U64((ulong)dim);
            }

            writer.U32((uint)type).U64((ulong)offset);
            offset = Align(offset + sizes[i], alignment);
        }

        writer.Pad(alignment);
        for (var i = 0; i < tensors.Length; i++)
        {
            var data = new byte[sizes[i]];
            for (var b = 0; b < data.Length; b++)
            {
                data[b] = (byte)((b * 31) + i);
            }

            writer.Bytes(data).Pad(alignment);
        }

        return writer.ToArray();
    }

    /// <summary>A writer of arbitrary little-endian GGUF pieces, valid or not.</summary>
    public static RawWriter Raw() => new();

    private static long DataBytes(int type, long[] dims)
    {
        if (!Blocks.TryGetValue(type, out var block))
        {
            throw new ArgumentException($"the helper cannot write data for ggml type {type}.", nameof(type));
        }

        var elements = dims.Aggregate(1L, (a, b) => a * b);
        if (dims.Length > 0 && dims[0] % block.Elements != 0)
        {
            throw new ArgumentException($"the first dimension must be a multiple of the type's {block.Elements}-element block.", nameof(dims));
        }

        return elements / block.Elements * block.Bytes;
    }

    private static long Align(long value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    /// <summary>Appends GGUF pieces to a buffer: integers little-endian, strings as u64 length + UTF-8.</summary>
    public sealed class RawWriter
    {
        private readonly List<byte> buffer = [];

        public long Length => this.buffer.Count;

        public RawWriter Magic() => this.Bytes("GGUF"u8);

        public RawWriter Bytes(ReadOnlySpan<byte> bytes)
        {
            this.buffer.AddRange(bytes);
            return this;
        }

        public RawWriter U8(byte value) => this.Bytes([value]);

        public RawWriter U16(ushort value)
        {
            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            return this.Bytes(bytes);
        }

        public RawWriter U32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            return this.Bytes(bytes);
        }

        public RawWriter U64(ulong value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            return this.Bytes(bytes);
        }

        /// <summary>A GGUF string: u64 byte length, then the UTF-8 bytes.</summary>
        public RawWriter Str(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            return this.U64((ulong)bytes.Length).Bytes(bytes);
        }

        /// <summary>The header: magic, version, tensor count, KV count.</summary>
        public RawWriter Header(uint version, ulong tensorCount, ulong kvCount) =>
            this.Magic().U32(version).U64(tensorCount).U64(kvCount);

        /// <summary>A typed value: u32 GGUF type, then the value. Arrays (also of arrays) take their element type from the CLR type.</summary>
        public RawWriter Value(object value) => this.U32(TypeOf(value)).Payload(value);

        /// <summary>Zero bytes up to the next multiple of <paramref name="alignment"/>.</summary>
        public RawWriter Pad(uint alignment)
        {
            while (this.buffer.Count % alignment != 0)
            {
                this.buffer.Add(0);
            }

            return this;
        }

        public byte[] ToArray() => this.buffer.ToArray();

        public void WriteTo(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, this.ToArray());
        }

        private static uint TypeOf(object value) => value switch
        {
            byte => 0, sbyte => 1, ushort => 2, short => 3, uint => 4, int => 5, float => 6, bool => 7,
            string => 8, Array => 9, ulong => 10, long => 11, double => 12,
            _ => throw new ArgumentException($"no GGUF type for {value.GetType()}.", nameof(value)),
        };

        private static uint ElementTypeOf(Array array)
        {
            var element = array.GetType().GetElementType()!;
            return element.IsArray ? 9u : Type.GetTypeCode(element) switch
            {
                TypeCode.Byte => 0, TypeCode.SByte => 1, TypeCode.UInt16 => 2, TypeCode.Int16 => 3,
                TypeCode.UInt32 => 4, TypeCode.Int32 => 5, TypeCode.Single => 6, TypeCode.Boolean => 7,
                TypeCode.String => 8, TypeCode.UInt64 => 10, TypeCode.Int64 => 11, TypeCode.Double => 12,
                _ => throw new ArgumentException($"no GGUF element type for {element}.", nameof(array)),
            };
        }

        private RawWriter Payload(object value)
        {
            switch (value)
            {
                case byte v: return this.U8(v);
                case sbyte v: return this.U8(unchecked((byte)v));
                case ushort v: return this.U16(v);
                case short v: return this.U16(unchecked((ushort)v));
                case uint v: return this.U32(v);
                case int v: return this.U32(unchecked((uint)v));
                case float v: return this.U32(BitConverter.SingleToUInt32Bits(v));
                case bool v: return this.U8(v ? (byte)1 : (byte)0);
                case string v: return this.Str(v);
                case ulong v: return this.U64(v);
                case long v: return this.U64(unchecked((ulong)v));
                case double v: return this.U64(BitConverter.DoubleToUInt64Bits(v));
                case Array array:
                    this.U32(ElementTypeOf(array)).U64((ulong)array.Length);
                    foreach (var item in array)
                    {
                        this.Payload(item!);
                    }

                    return this;
                default:
                    throw new ArgumentException($"no GGUF type for {value.GetType()}.", nameof(value));
            }
        }
    }
}
