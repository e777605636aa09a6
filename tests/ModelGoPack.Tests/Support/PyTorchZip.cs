using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Writes real PyTorch checkpoints at tiny sizes, without Python: the zip format of <c>torch.save</c>
/// (<c>archive/data.pkl</c>, a protocol 2 pickle of an OrderedDict of tensors byte for byte as Python's
/// pickler writes it, <c>archive/data/&lt;key&gt;</c>, <c>archive/byteorder</c>, <c>archive/version</c>)
/// and the legacy format (magic number, protocol version, sys_info, object and key pickles, then storages).
/// </summary>
public static class PyTorchZip
{
    private static readonly Dictionary<string, int> ItemSizes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = 4, ["DoubleStorage"] = 8, ["HalfStorage"] = 2, ["BFloat16Storage"] = 2, ["CharStorage"] = 1,
        ["ByteStorage"] = 1, ["ShortStorage"] = 2, ["IntStorage"] = 4, ["LongStorage"] = 8, ["BoolStorage"] = 1,
        ["ComplexFloatStorage"] = 8, ["ComplexDoubleStorage"] = 16, ["QInt8Storage"] = 1, ["QUInt8Storage"] = 1,
        ["QInt32Storage"] = 4, ["QUInt4x2Storage"] = 1, ["QUInt2x4Storage"] = 1,
        // Dtypes added after the storage classes were frozen: written as UntypedStorage + _rebuild_tensor_v3.
        ["Float8_e4m3fnStorage"] = 1, ["Float8_e5m2Storage"] = 1, ["UInt16Storage"] = 2, ["UInt32Storage"] = 4,
        ["UInt64Storage"] = 8,
    };

    // The torch dtype each newer storage class stands for (torch names no such class; the names are ours).
    private static readonly Dictionary<string, string> NewDtypes = new(StringComparer.Ordinal)
    {
        ["Float8_e4m3fnStorage"] = "float8_e4m3fn", ["Float8_e5m2Storage"] = "float8_e5m2", ["UInt16Storage"] = "uint16",
        ["UInt32Storage"] = "uint32", ["UInt64Storage"] = "uint64",
    };

    /// <summary>The legacy format's leading pickled long, torch.serialization.MAGIC_NUMBER.</summary>
    public static readonly byte[] LegacyMagic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>Writes <c>torch.save(OrderedDict(name: tensor, ...), path)</c> for tensors of the given storage classes and shapes.</summary>
    public static void Write(string path, params (string Name, string StorageClass, long[] Shape)[] tensors)
    {
        var pickle = StateDictPickle(tensors, legacy: false);
        var storages = tensors.Select((t, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Bytes: Contents(t))).ToList();
        WriteArchive(path, "archive", pickle, storages);
    }

    /// <summary>Writes <c>torch.save([tensor, ...], path)</c>: a list of tensors, which names none of them.</summary>
    public static void WriteList(string path, params (string Name, string StorageClass, long[] Shape)[] tensors)
    {
        var p = new Pickler();
        p.Proto();
        p.Op(Pickler.EmptyList);
        p.Put();
        p.Op(Pickler.Mark);
        for (var i = 0; i < tensors.Length; i++)
        {
            Tensor(p, tensors[i], i, legacy: false);
        }

        p.Op(Pickler.Appends);
        p.Op(Pickler.Stop);
        var storages = tensors.Select((t, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Bytes: Contents(t))).ToList();
        WriteArchive(path, "archive", p.ToArray(), storages);
    }

    /// <summary>Writes a zip checkpoint whose data.pkl is the given bytes (deflated when asked).</summary>
    public static void WriteRaw(string path, byte[] dataPkl, string archive = "archive", bool deflate = false)
    {
        WriteArchive(path, archive, dataPkl, [], deflate);
    }

    /// <summary>The data.pkl that <see cref="Write"/> puts in the archive.</summary>
    public static byte[] StateDictPickle((string Name, string StorageClass, long[] Shape)[] tensors, bool legacy)
    {
        var p = new Pickler();
        p.Proto();
        p.Global("collections", "OrderedDict");
        p.EmptyTuple();
        p.Op(Pickler.Reduce);
        p.Put();
        for (var start = 0; start < tensors.Length; start += 1000)
        {
            var batch = tensors.Skip(start).Take(1000).ToArray();
            if (batch.Length > 1)
            {
                p.Op(Pickler.Mark);
            }

            for (var i = 0; i < batch.Length; i++)
            {
                p.Str(batch[i].Name);
                Tensor(p, batch[i], start + i, legacy);
            }

            p.Op(batch.Length > 1 ? Pickler.SetItems : Pickler.SetItem);
        }

        p.Op(Pickler.Stop);
        return p.ToArray();
    }

    /// <summary>Writes the legacy (pre-1.6, non-zip) format: five pickles, then each storage's size and bytes.</summary>
    public static void WriteLegacy(string path, params (string Name, string StorageClass, long[] Shape)[] tensors)
    {
        using var file = new MemoryStream();
        var magic = new Pickler();
        magic.Proto();
        magic.Long1(LegacyMagic);
        magic.Op(Pickler.Stop);
        file.Write(magic.ToArray());

        var version = new Pickler();
        version.Proto();
        version.SaveInt(1001);
        version.Op(Pickler.Stop);
        file.Write(version.ToArray());

        // sys_info = dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))
        var info = new Pickler();
        info.Proto();
        info.Op(Pickler.EmptyDict);
        info.Put();
        info.Op(Pickler.Mark);
        info.Str("protocol_version");
        info.SaveInt(1001);
        info.Str("little_endian");
        info.Op(Pickler.NewTrue);
        info.Str("type_sizes");
        info.Op(Pickler.EmptyDict);
        info.Put();
        info.Op(Pickler.Mark);
        info.Str("short");
        info.SaveInt(2);
        info.Str("int");
        info.SaveInt(4);
        info.Str("long");
        info.SaveInt(4);
        info.Op(Pickler.SetItems);
        info.Op(Pickler.SetItems);
        info.Op(Pickler.Stop);
        file.Write(info.ToArray());

        file.Write(StateDictPickle(tensors, legacy: true));

        var keys = new Pickler();
        keys.Proto();
        keys.Op(Pickler.EmptyList);
        keys.Put();
        if (tensors.Length > 1)
        {
            keys.Op(Pickler.Mark);
        }

        for (var i = 0; i < tensors.Length; i++)
        {
            keys.Str(LegacyKey(i));
        }

        if (tensors.Length > 0)
        {
            keys.Op(tensors.Length > 1 ? Pickler.Appends : Pickler.Append);
        }

        keys.Op(Pickler.Stop);
        file.Write(keys.ToArray());

        Span<byte> size = stackalloc byte[8];
        foreach (var tensor in tensors)
        {
            BinaryPrimitives.WriteInt64LittleEndian(size, Numel(tensor.Shape));
            file.Write(size);
            file.Write(Contents(tensor));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, file.ToArray());
    }

    /// <summary>
    /// Rewrites the uncompressed size an entry declares, in its local header and in the central directory,
    /// leaving the data as it is: a zip that lies about how large an entry inflates.
    /// </summary>
    public static void DeclareUncompressedSize(string path, string entryName, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entryName);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name)
                && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 26)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name)
                && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
                patched++;
            }
        }

        if (patched != 2)
        {
            throw new InvalidOperationException($"found {patched} headers for '{entryName}', expected 2.");
        }

        File.WriteAllBytes(path, bytes);
    }

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    public static int ItemSize(string storageClass) => ItemSizes[storageClass];

    private static bool IsNewDtype(string storageClass) => NewDtypes.ContainsKey(storageClass);

    // The key a legacy file gives a storage: str(storage._cdata), a pointer.
    private static string LegacyKey(int index) => (94_000_000_000_000L + (index * 64L)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Contents((string Name, string StorageClass, long[] Shape) tensor)
    {
        var bytes = new byte[Numel(tensor.Shape) * ItemSize(tensor.StorageClass)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 31) + tensor.Name.Length);
        }

        return bytes;
    }

    // Tensor.__reduce_ex__: _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict()),
    // _rebuild_qtensor for quantized storages, _rebuild_tensor_v3(..., dtype) for the newer dtypes.
    private static void Tensor(Pickler p, (string Name, string StorageClass, long[] Shape) tensor, int index, bool legacy)
    {
        var quantized = tensor.StorageClass.StartsWith('Q');
        var v3 = IsNewDtype(tensor.StorageClass);
        p.Global("torch._utils", quantized ? "_rebuild_qtensor" : v3 ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2");
        p.Op(Pickler.Mark);

        // The persistent id: ('storage', storage class, key, location, numel[, view_metadata]).
        p.Op(Pickler.Mark);
        p.Str("storage", shared: true);
        if (v3)
        {
            p.Global("torch.storage", "UntypedStorage");
        }
        else
        {
            p.Global("torch", tensor.StorageClass);
        }

        p.Str(legacy ? LegacyKey(index) : index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        p.Str("cpu", shared: true);
        var numel = Numel(tensor.Shape);
        p.SaveInt(v3 ? numel * ItemSize(tensor.StorageClass) : numel);
        if (legacy)
        {
            p.Op(Pickler.None);
        }

        p.Op(Pickler.Tuple);
        p.Put();
        p.Op(Pickler.BinPersid);

        p.SaveInt(0);
        p.IntTuple(tensor.Shape);
        var strides = new long[tensor.Shape.Length];
        long stride = 1;
        for (var i = tensor.Shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(tensor.Shape[i], 1);
        }

        p.IntTuple(strides);
        if (quantized)
        {
            // (torch.per_tensor_affine, scale, zero_point)
            p.Global("torch", "per_tensor_affine");
            p.SaveFloat(0.05);
            p.SaveInt(0);
            p.Op(Pickler.Tuple3);
            p.Put();
        }

        p.Op(Pickler.NewFalse);
        p.Global("collections", "OrderedDict");
        p.EmptyTuple();
        p.Op(Pickler.Reduce);
        p.Put();
        if (v3)
        {
            p.Global("torch", NewDtypes[tensor.StorageClass]);
        }

        p.Op(Pickler.Tuple);
        p.Put();
        p.Op(Pickler.Reduce);
        p.Put();
    }

    private static void WriteArchive(string path, string archive, byte[] pickle, List<(string Key, byte[] Bytes)> storages, bool deflate = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add(zip, archive + "/data.pkl", pickle, deflate);
        Add(zip, archive + "/byteorder", "little"u8.ToArray(), deflate: false);
        foreach (var (key, bytes) in storages)
        {
            Add(zip, archive + "/data/" + key, bytes, deflate: false);
        }

        Add(zip, archive + "/version", "3\n"u8.ToArray(), deflate: false);
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes, bool deflate)
    {
        var entry = zip.CreateEntry(name, deflate ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    /// <summary>Emits pickle opcodes the way CPython's protocol 2 pickler does, memo included.</summary>
    public sealed class Pickler
    {
        public const byte Mark = (byte)'(';
        public const byte Stop = (byte)'.';
        public const byte None = (byte)'N';
        public const byte BinPersid = (byte)'Q';
        public const byte Reduce = (byte)'R';
        public const byte Append = (byte)'a';
        public const byte Appends = (byte)'e';
        public const byte EmptyDict = (byte)'}';
        public const byte EmptyList = (byte)']';
        public const byte SetItem = (byte)'s';
        public const byte SetItems = (byte)'u';
        public const byte Tuple = (byte)'t';
        public const byte Tuple1 = 0x85;
        public const byte Tuple3 = 0x87;
        public const byte NewTrue = 0x88;
        public const byte NewFalse = 0x89;

        private readonly ArrayBufferWriter<byte> output = new();
        private readonly Dictionary<string, int> shared = new(StringComparer.Ordinal);
        private int next;

        public void Proto() => this.output.Write<byte>([0x80, 2]);

        public void Op(byte opcode) => this.output.Write([opcode]);

        /// <summary>Writes BINPUT (or LONG_BINPUT) of the next memo index.</summary>
        public void Put()
        {
            if (this.next < 256)
            {
                this.output.Write([(byte)'q', (byte)this.next]);
            }
            else
            {
                this.output.Write([(byte)'r']);
                this.WriteUInt32((uint)this.next);
            }

            this.next++;
        }

        public void Get(int index)
        {
            if (index < 256)
            {
                this.output.Write([(byte)'h', (byte)index]);
            }
            else
            {
                this.output.Write([(byte)'j']);
                this.WriteUInt32((uint)index);
            }
        }

        /// <summary>GLOBAL module\nname\n, memoized: a global written before is a BINGET.</summary>
        public void Global(string module, string name)
        {
            if (this.Recall("c:" + module + "." + name))
            {
                return;
            }

            this.output.Write([(byte)'c']);
            this.output.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
            this.Remember("c:" + module + "." + name);
        }

        /// <summary>BINUNICODE, memoized; a shared string (one Python object used again) is a BINGET the second time.</summary>
        public void Str(string value, bool shared = false)
        {
            if (shared && this.Recall("s:" + value))
            {
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            this.output.Write([(byte)'X']);
            this.WriteUInt32((uint)bytes.Length);
            this.output.Write(bytes);
            if (shared)
            {
                this.Remember("s:" + value);
            }
            else
            {
                this.Put();
            }
        }

        /// <summary>An int as CPython's save_long writes it at protocol 2.</summary>
        public void SaveInt(long value)
        {
            if (value is >= 0 and <= 0xff)
            {
                this.output.Write([(byte)'K', (byte)value]);
            }
            else if (value is >= 0 and <= 0xffff)
            {
                this.output.Write([(byte)'M', (byte)value, (byte)(value >> 8)]);
            }
            else if (value is >= int.MinValue and <= int.MaxValue)
            {
                this.output.Write([(byte)'J']);
                Span<byte> bytes = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
                this.output.Write(bytes);
            }
            else
            {
                // LONG1: the shortest little-endian two's complement.
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
                var length = 8;
                while (length > 1 && ((bytes[length - 1] == 0 && (bytes[length - 2] & 0x80) == 0)
                    || (bytes[length - 1] == 0xff && (bytes[length - 2] & 0x80) != 0)))
                {
                    length--;
                }

                this.Long1(bytes[..length]);
            }
        }

        public void Long1(ReadOnlySpan<byte> littleEndian)
        {
            this.output.Write<byte>([0x8a, (byte)littleEndian.Length]);
            this.output.Write(littleEndian);
        }

        /// <summary>BINFLOAT: an 8-byte big-endian double.</summary>
        public void SaveFloat(double value)
        {
            this.output.Write([(byte)'G']);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
            this.output.Write(bytes);
        }

        public void EmptyTuple() => this.output.Write([(byte)')']);

        /// <summary>A tuple of ints as save_tuple writes it: EMPTY_TUPLE, TUPLE1..3, or MARK ... TUPLE; memoized unless empty.</summary>
        public void IntTuple(long[] values)
        {
            if (values.Length == 0)
            {
                this.EmptyTuple();
                return;
            }

            if (values.Length > 3)
            {
                this.Op(Mark);
            }

            foreach (var value in values)
            {
                this.SaveInt(value);
            }

            this.Op(values.Length > 3 ? Tuple : (byte)(Tuple1 + values.Length - 1));
            this.Put();
        }

        public void Raw(ReadOnlySpan<byte> bytes) => this.output.Write(bytes);

        public byte[] ToArray() => this.output.WrittenSpan.ToArray();

        private bool Recall(string key)
        {
            if (!this.shared.TryGetValue(key, out var index))
            {
                return false;
            }

            this.Get(index);
            return true;
        }

        private void Remember(string key)
        {
            this.shared[key] = this.next;
            this.Put();
        }

        private void WriteUInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            this.output.Write(bytes);
        }
    }
}
