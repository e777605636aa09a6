using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ModelGoPack.Inspection;

/// <summary>
/// Reads a GGUF file's header (magic, version, KV pairs, tensor infos) and never its tensor data.
/// Every declared length and count is checked against the file before it is used, so a hostile file
/// gives an <see cref="ArtifactFormatException"/> that says what is wrong and where, and nothing is
/// allocated in proportion to a declared size.
/// </summary>
internal static class GgufInspector
{
    /// <summary>Keys and tensor names longer than this are refused (ggml itself caps names at 64 bytes).</summary>
    public const int MaxKeyBytes = 64 * 1024;

    /// <summary>How many <c>general.*</c> string values become <see cref="WeightFacts.Metadata"/>.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>Metadata values are cut to this many characters.</summary>
    public const int MaxMetadataChars = 1024;

    /// <summary>How deep arrays may nest inside arrays (1 is a plain array).</summary>
    public const int MaxArrayDepth = 8;

    /// <summary>GGML_MAX_DIMS.</summary>
    public const int MaxDimensions = 4;

    private const uint DefaultAlignment = 32;

    // The smallest encodings: a KV pair is an 8-byte key length, a 4-byte type and at least a 1-byte
    // value (UINT8, INT8, BOOL); a tensor info is an 8-byte name length, 4-byte n_dims (0), 4-byte type
    // and 8-byte offset.
    private const long MinKvBytes = 8 + 4 + 1;
    private const long MinTensorInfoBytes = 8 + 4 + 4 + 8;
    private const long HeaderBytes = 4 + 4 + 8 + 8;

    private const uint TypeString = 8;
    private const uint TypeArray = 9;
    private const uint TypeUInt32 = 4;

    private static readonly string[] ValueTypeNames =
        ["UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"];

    // Message prefixes, so that skipping a value builds no string unless it fails.
    private static readonly string[] ValueParts = [.. ValueTypeNames.Select(name => $"the {name} value of ")];
    private static readonly string[] ElementParts = [.. ValueTypeNames.Select(name => $"the {name} elements of an array in ")];

    private static readonly string[] DimensionParts = [.. Enumerable.Range(0, MaxDimensions).Select(d => $"dimension {d} of ")];

    // Encoded size of each fixed-size value type; 0 for STRING and ARRAY.
    private static readonly int[] ValueTypeSizes = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8];

    // ggml_type id → (name, elements per block, bytes per block), from ggml.h and ggml-common.h.
    // Gaps are ids ggml has removed (Q4_2, Q4_3, the 4x4/4x8/8x8 repacked types).
    private static readonly Dictionary<uint, (string Name, int BlockElements, int BlockBytes)> GgmlTypes = new()
    {
        [0] = ("F32", 1, 4), [1] = ("F16", 1, 2), [2] = ("Q4_0", 32, 18), [3] = ("Q4_1", 32, 20),
        [6] = ("Q5_0", 32, 22), [7] = ("Q5_1", 32, 24), [8] = ("Q8_0", 32, 34), [9] = ("Q8_1", 32, 36),
        [10] = ("Q2_K", 256, 84), [11] = ("Q3_K", 256, 110), [12] = ("Q4_K", 256, 144), [13] = ("Q5_K", 256, 176),
        [14] = ("Q6_K", 256, 210), [15] = ("Q8_K", 256, 292), [16] = ("IQ2_XXS", 256, 66), [17] = ("IQ2_XS", 256, 74),
        [18] = ("IQ3_XXS", 256, 98), [19] = ("IQ1_S", 256, 50), [20] = ("IQ4_NL", 32, 18), [21] = ("IQ3_S", 256, 110),
        [22] = ("IQ2_S", 256, 82), [23] = ("IQ4_XS", 256, 136), [24] = ("I8", 1, 1), [25] = ("I16", 1, 2),
        [26] = ("I32", 1, 4), [27] = ("I64", 1, 8), [28] = ("F64", 1, 8), [29] = ("IQ1_M", 256, 56),
        [30] = ("BF16", 1, 2), [34] = ("TQ1_0", 256, 54), [35] = ("TQ2_0", 256, 66), [39] = ("MXFP4", 32, 17),
        [40] = ("NVFP4", 64, 36),
    };

    /// <summary>Reads the header of the GGUF file in <paramref name="stream"/> (seekable, at 0) of <paramref name="length"/> bytes.</summary>
    /// <exception cref="ArtifactFormatException">The header is malformed, truncated or hostile.</exception>
    public static WeightFacts Inspect(Stream stream, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        stream.Seek(0, SeekOrigin.Begin);
        var reader = new Reader(stream, length);

        ReadPreamble(reader, out var tensorCount, out var kvCount);
        var header = ReadKvPairs(reader, kvCount);
        var tensors = ReadTensorInfos(reader, tensorCount);
        CheckTensorData(reader.Position, length, header.Alignment, tensors);

        var dtypes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var matrices = new MatrixCollector();
        foreach (var tensor in tensors)
        {
            var name = TypeName(tensor.Type);
            dtypes[name] = SaturatingAdd(dtypes.GetValueOrDefault(name), tensor.Elements);
            matrices.Add(tensor.Name, tensor.Shape, tensor.Elements, IsFullPrecision(name), quantizedType: IsBlockType(name), boolean: false, integerBits: 0);
        }

        return new WeightFacts
        {
            Format = "gguf",
            TensorCount = tensors.Count,
            Dtypes = dtypes,
            Precision = Precision.FromElements(dtypes, IsFullPrecision),
            Matrices = matrices.Build(),
            Metadata = header.Metadata,
            CarriesArchitecture = header.HasArchitecture,
        };
    }

    private static void ReadPreamble(Reader reader, out long tensorCount, out long kvCount)
    {
        if (reader.Length < 4)
        {
            throw new ArtifactFormatException($"the file is {reader.Length} bytes, too short for the GGUF magic.");
        }

        Span<byte> magic = stackalloc byte[4];
        reader.Read(magic, "the magic");
        if (!magic.SequenceEqual("GGUF"u8))
        {
            throw new ArtifactFormatException($"the file does not start with the GGUF magic \"GGUF\" (found bytes {Convert.ToHexString(magic)}).");
        }

        var version = reader.ReadUInt32("the version");
        switch (version)
        {
            case 2 or 3:
                break;
            case 1:
                throw new ArtifactFormatException("GGUF version 1 is not supported (it has 32-bit counts and lengths); only versions 2 and 3 are.");
            case 0x02000000 or 0x03000000:
                throw new ArtifactFormatException($"the file is a big-endian GGUF (version {BinaryPrimitives.ReverseEndianness(version)} byte-swapped); only little-endian GGUF is supported.");
            default:
                throw new ArtifactFormatException($"GGUF version {version} is not supported; only versions 2 and 3 are.");
        }

        var tensors = reader.ReadUInt64("the tensor count");
        var kvs = reader.ReadUInt64("the KV count");
        var room = reader.Length - HeaderBytes;
        if (kvs > (ulong)(room / MinKvBytes))
        {
            throw new ArtifactFormatException(
                $"the header declares {kvs} KV pairs, but the {room} bytes after the header can hold at most {room / MinKvBytes} ({MinKvBytes} bytes each at least).");
        }

        kvCount = (long)kvs;
        var roomForTensors = room - (kvCount * MinKvBytes);
        if (tensors > (ulong)(roomForTensors / MinTensorInfoBytes))
        {
            throw new ArtifactFormatException(
                $"the header declares {tensors} tensors, but the {room} bytes after the header can hold at most {roomForTensors / MinTensorInfoBytes} tensor infos beside {kvCount} KV pairs ({MinTensorInfoBytes} bytes each at least).");
        }

        tensorCount = (long)tensors;
    }

    private static Header ReadKvPairs(Reader reader, long kvCount)
    {
        var header = new Header();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < kvCount; i++)
        {
            var key = reader.ReadName($"the key of KV pair {i}", "keys");
            var where = $"KV pair {i} ({Quote(key)})";
            if (!keys.Add(key))
            {
                throw new ArtifactFormatException($"{where} repeats a key already in the file.");
            }

            var type = reader.ReadUInt32(where, "the value type of ");
            if (type >= ValueTypeNames.Length)
            {
                throw new ArtifactFormatException($"{where} has value type {type}; GGUF defines types 0 to {ValueTypeNames.Length - 1}.");
            }

            if (key == "general.alignment")
            {
                header.Alignment = ReadAlignment(reader, type, where);
            }
            else if (type == TypeString && key.StartsWith("general.", StringComparison.Ordinal))
            {
                var value = reader.ReadStringPrefix(where, "the string value of ", MaxMetadataChars);
                header.HasArchitecture |= key == "general.architecture";
                if (header.Metadata.Count < MaxMetadataEntries)
                {
                    header.Metadata[key] = value;
                }
            }
            else
            {
                SkipValue(reader, type, where, depth: 0);
            }
        }

        return header;
    }

    private static uint ReadAlignment(Reader reader, uint type, string where)
    {
        if (type != TypeUInt32)
        {
            throw new ArtifactFormatException($"{where} has type {ValueTypeNames[type]}; GGUF requires UINT32.");
        }

        var alignment = reader.ReadUInt32(where, "the value of ");
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArtifactFormatException($"{where} is {alignment}; the alignment must be a power of two.");
        }

        return alignment;
    }

    private static void SkipValue(Reader reader, uint type, string where, int depth)
    {
        if (type == TypeString)
        {
            reader.SkipString(where, "a string value in ");
        }
        else if (type == TypeArray)
        {
            SkipArray(reader, where, depth + 1);
        }
        else
        {
            reader.Skip(ValueTypeSizes[type], where, ValueParts[type]);
        }
    }

    private static void SkipArray(Reader reader, string where, int depth)
    {
        if (depth > MaxArrayDepth)
        {
            throw new ArtifactFormatException($"{where} nests arrays more than {MaxArrayDepth} deep.");
        }

        var elementType = reader.ReadUInt32(where, "the element type of an array in ");
        if (elementType >= ValueTypeNames.Length)
        {
            throw new ArtifactFormatException($"an array in {where} has element type {elementType}; GGUF defines types 0 to {ValueTypeNames.Length - 1}.");
        }

        var count = reader.ReadUInt64(where, "the element count of an array in ");
        var size = ValueTypeSizes[elementType];
        long minElementBytes = elementType switch
        {
            TypeString => 8,
            TypeArray => 4 + 8,
            _ => size,
        };
        if (count > (ulong)(reader.Remaining / minElementBytes))
        {
            throw new ArtifactFormatException(
                $"an array in {where} declares {count} {ValueTypeNames[elementType]} elements, but only {reader.Remaining} bytes remain in the file (at byte {reader.Position}).");
        }

        if (size > 0)
        {
            reader.Skip((long)count * size, where, ElementParts[elementType]);
            return;
        }

        for (ulong e = 0; e < count; e++)
        {
            SkipValue(reader, elementType, where, depth);
        }
    }

    private static List<TensorInfo> ReadTensorInfos(Reader reader, long tensorCount)
    {
        var tensors = new List<TensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long t = 0; t < tensorCount; t++)
        {
            var name = reader.ReadName($"the name of tensor {t}", "tensor names");
            var where = $"tensor {t} ({Quote(name)})";
            if (!names.Add(name))
            {
                throw new ArtifactFormatException($"{where} repeats a tensor name already in the file.");
            }

            var dimensions = reader.ReadUInt32(where, "the dimension count of ");
            if (dimensions > MaxDimensions)
            {
                throw new ArtifactFormatException($"{where} declares {dimensions} dimensions; GGUF allows at most {MaxDimensions}.");
            }

            var dims = new long[dimensions];
            for (var d = 0; d < dims.Length; d++)
            {
                var dim = reader.ReadUInt64(where, DimensionParts[d]);
                if (dim > long.MaxValue)
                {
                    throw new ArtifactFormatException($"dimension {d} of {where} is {dim}, more than a signed 64-bit count.");
                }

                dims[d] = (long)dim;
            }

            var type = reader.ReadUInt32(where, "the type of ");
            var offset = reader.ReadUInt64(where, "the data offset of ");
            if (GgmlTypes.TryGetValue(type, out var known) && dims.Length > 0 && dims[0] % known.BlockElements != 0)
            {
                throw new ArtifactFormatException(
                    $"{where} has rows of {dims[0]} elements, not a multiple of the {known.BlockElements}-element blocks of {known.Name}.");
            }

            var elements = Precision.Elements(dims);
            tensors.Add(new TensorInfo(where, type, elements, offset, name, MatrixShape.Of(dims, elements)));
        }

        return tensors;
    }

    private static void CheckTensorData(long headerEnd, long length, uint alignment, List<TensorInfo> tensors)
    {
        if (tensors.Count == 0)
        {
            return;
        }

        // The data section starts at the first multiple of the alignment after the tensor infos.
        var dataStart = headerEnd + ((alignment - (headerEnd % alignment)) % alignment);
        foreach (var tensor in tensors)
        {
            if (dataStart > length || tensor.Offset > (ulong)(length - dataStart))
            {
                throw new ArtifactFormatException(
                    $"{tensor.Where} has data offset {tensor.Offset} into the data section at byte {dataStart}, beyond the end of the file ({length} bytes).");
            }

            if (tensor.Offset % alignment != 0)
            {
                throw new ArtifactFormatException($"{tensor.Where} has data offset {tensor.Offset}, not a multiple of the alignment {alignment}.");
            }

            var start = dataStart + (long)tensor.Offset;
            if (GgmlTypes.TryGetValue(tensor.Type, out var known))
            {
                var blocks = tensor.Elements / known.BlockElements;
                var bytes = blocks > long.MaxValue / known.BlockBytes ? long.MaxValue : blocks * known.BlockBytes;
                if (bytes > length - start)
                {
                    throw new ArtifactFormatException(
                        $"{tensor.Where} holds {tensor.Elements} {known.Name} elements ({bytes} bytes) from byte {start}, beyond the end of the file ({length} bytes).");
                }
            }
        }
    }

    private static string TypeName(uint type) =>
        GgmlTypes.TryGetValue(type, out var known) ? known.Name : $"TYPE_{type}";

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>A name from the file, quoted for a message: shortened, with control characters escaped.</summary>
    private static string Quote(string text)
    {
        const int Max = 80;
        var builder = new StringBuilder("'");
        foreach (var c in text.Length > Max ? text[..Max] : text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        }

        return builder.Append(text.Length > Max ? "...'" : "'").ToString();
    }

    private sealed class Header
    {
        public uint Alignment { get; set; } = DefaultAlignment;

        public SortedDictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

        public bool HasArchitecture { get; set; }
    }

    private static bool IsFullPrecision(string type) => type is "F32" or "F16" or "BF16" or "F64";

    // A block-quantized type (Q4_K, IQ2_S, an id ggml has added since): quantized whatever its tensor's name.
    private static bool IsBlockType(string type) => !IsFullPrecision(type) && type is not ("I8" or "I16" or "I32" or "I64");

    private sealed record TensorInfo(string Where, uint Type, long Elements, ulong Offset, string Name, MatrixShape Shape);

    /// <summary>
    /// A small forward reader over a seekable stream that knows the file's length: every read and skip
    /// is checked against it first, skips past the buffer seek instead of reading.
    /// </summary>
    private sealed class Reader(Stream stream, long length)
    {
        private const int BufferSize = 16 * 1024;

        // Enough UTF-8 bytes for MaxMetadataChars UTF-16 characters (at most 4 bytes per character).
        private const int MaxPrefixBytes = MaxMetadataChars * 4;

        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        private readonly byte[] buffer = new byte[BufferSize];
        private long bufferStart;
        private int next;
        private int end;

        public long Length => length;

        public long Position => this.bufferStart + this.next;

        public long Remaining => length - this.Position;

        public void Read(Span<byte> destination, string what, string part = "")
        {
            this.Require(destination.Length, what, part);
            while (!destination.IsEmpty)
            {
                if (this.next == this.end)
                {
                    this.Fill(what, part);
                }

                var n = Math.Min(destination.Length, this.end - this.next);
                this.buffer.AsSpan(this.next, n).CopyTo(destination);
                this.next += n;
                destination = destination[n..];
            }
        }

        public uint ReadUInt32(string what, string part = "")
        {
            Span<byte> bytes = stackalloc byte[4];
            this.Read(bytes, what, part);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }

        public ulong ReadUInt64(string what, string part = "")
        {
            Span<byte> bytes = stackalloc byte[8];
            this.Read(bytes, what, part);
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }

        public void Skip(long count, string what, string part = "")
        {
            this.Require(count, what, part);
            if (count <= this.end - this.next)
            {
                this.next += (int)count;
                return;
            }

            var target = this.Position + count;
            stream.Seek(target, SeekOrigin.Begin);
            this.bufferStart = target;
            this.next = 0;
            this.end = 0;
        }

        /// <summary>A u64-length UTF-8 key or tensor name, refused above <see cref="MaxKeyBytes"/>.</summary>
        public string ReadName(string what, string kind)
        {
            var declared = this.ReadUInt64(what, "the length of ");
            if (declared > MaxKeyBytes)
            {
                throw new ArtifactFormatException(
                    $"{what} (at byte {this.Position - 8}) declares {declared} bytes; {kind} are limited to {MaxKeyBytes} bytes.");
            }

            var count = (int)declared;
            this.Require(count, what, string.Empty);
            var rented = ArrayPool<byte>.Shared.Rent(Math.Max(count, 1));
            try
            {
                this.Read(rented.AsSpan(0, count), what);
                return Utf8.GetString(rented, 0, count);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        /// <summary>A u64-length UTF-8 string whose first <paramref name="maxChars"/> characters are kept and the rest skipped.</summary>
        public string ReadStringPrefix(string what, string part, int maxChars)
        {
            var declared = this.ReadStringLength(what, part);
            var prefix = (int)Math.Min(declared, MaxPrefixBytes);
            var rented = ArrayPool<byte>.Shared.Rent(Math.Max(prefix, 1));
            string text;
            try
            {
                this.Read(rented.AsSpan(0, prefix), what, part);
                text = Utf8.GetString(rented, 0, prefix);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            this.Skip(declared - prefix, what, part);
            if (text.Length <= maxChars)
            {
                return text;
            }

            var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
            return text[..cut];
        }

        public void SkipString(string what, string part = "") => this.Skip(this.ReadStringLength(what, part), what, part);

        private long ReadStringLength(string what, string part = "")
        {
            if (this.Remaining < 8)
            {
                this.Require(8, what, "the length of " + part);
            }

            var declared = this.ReadUInt64(what, part);
            if (declared > (ulong)this.Remaining)
            {
                throw new ArtifactFormatException(
                    $"{part}{what} (at byte {this.Position - 8}) declares {declared} bytes, but only {this.Remaining} remain in the file.");
            }

            return (long)declared;
        }

        private void Require(long count, string what, string part)
        {
            if (count > this.Remaining)
            {
                throw new ArtifactFormatException(
                    $"the file ends at byte {length}, before {part}{what} ({count} bytes at byte {this.Position}): it is truncated.");
            }
        }

        private void Fill(string what, string part)
        {
            this.bufferStart += this.end;
            this.next = 0;
            this.end = 0;
            var want = (int)Math.Min(BufferSize, length - this.bufferStart);
            var read = stream.Read(this.buffer, 0, want);
            if (read <= 0)
            {
                throw new ArtifactFormatException(
                    $"the stream ended at byte {this.bufferStart}, before {part}{what} and before the file's length of {length} bytes: it is truncated.");
            }

            this.end = read;
        }
    }
}
