using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ModelGoPack.Inspection;

/// <summary>
/// Reads what a PyTorch checkpoint (<c>torch.save</c>) holds without unpickling it. The zip format keeps
/// a pickle in <c>&lt;archive&gt;/data.pkl</c> whose tensors name their storages by persistent ids
/// <c>('storage', torch.&lt;X&gt;Storage, key, location, numel)</c>; the legacy format is a run of pickles
/// after a magic number. The pickle's opcodes are only scanned, with a small bounded shadow of the
/// stack and memo (strings, ints, globals, short tuples and tensors) that resolves the storage classes
/// and, for tensors rebuilt by <c>torch._utils</c> and set in a dict under a string key, each tensor's
/// name, storage class and size, which list the file's weight matrices: no object is ever built and
/// nothing is imported or called.
/// </summary>
internal static class PyTorchInspector
{
    /// <summary>The most data.pkl may inflate to (or the legacy pickles may span).</summary>
    public const long MaxPickleBytes = 64L * 1024 * 1024;

    private const int MaxStorages = 1_000_000;

    /// <summary>The most named tensors a pickle may list (dict keys naming a tensor); more is refused, like more storages.</summary>
    private const int MaxNamedTensors = 1_000_000;

    // Version 1001 files start with this pickled long (torch.serialization.MAGIC_NUMBER).
    private static readonly byte[] LegacyMagic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    // Storage classes and the dtype each holds; the element size converts UntypedStorage bytes to elements.
    private static readonly Dictionary<string, string> DtypeClasses = new(StringComparer.Ordinal)
    {
        ["float32"] = "FloatStorage", ["float"] = "FloatStorage", ["float64"] = "DoubleStorage", ["double"] = "DoubleStorage",
        ["float16"] = "HalfStorage", ["half"] = "HalfStorage", ["bfloat16"] = "BFloat16Storage",
        ["int8"] = "CharStorage", ["uint8"] = "ByteStorage", ["int16"] = "ShortStorage", ["short"] = "ShortStorage",
        ["int32"] = "IntStorage", ["int"] = "IntStorage", ["int64"] = "LongStorage", ["long"] = "LongStorage",
        ["bool"] = "BoolStorage", ["complex64"] = "ComplexFloatStorage", ["cfloat"] = "ComplexFloatStorage",
        ["complex128"] = "ComplexDoubleStorage", ["cdouble"] = "ComplexDoubleStorage",
        ["complex32"] = "ComplexHalfStorage", ["chalf"] = "ComplexHalfStorage",
        ["qint8"] = "QInt8Storage", ["quint8"] = "QUInt8Storage", ["qint32"] = "QInt32Storage",
        ["quint4x2"] = "QUInt4x2Storage", ["quint2x4"] = "QUInt2x4Storage",
        ["uint16"] = "UInt16Storage", ["uint32"] = "UInt32Storage", ["uint64"] = "UInt64Storage",
        ["float8_e4m3fn"] = "Float8_e4m3fnStorage", ["float8_e5m2"] = "Float8_e5m2Storage",
        ["float8_e4m3fnuz"] = "Float8_e4m3fnuzStorage", ["float8_e5m2fnuz"] = "Float8_e5m2fnuzStorage",
        ["float8_e8m0fnu"] = "Float8_e8m0fnuStorage", ["float4_e2m1fn_x2"] = "Float4_e2m1fn_x2Storage",
        ["bits8"] = "Bits8Storage", ["bits16"] = "Bits16Storage", ["bits1x8"] = "Bits1x8Storage",
        ["bits2x4"] = "Bits2x4Storage", ["bits4x2"] = "Bits4x2Storage",
    };

    private static readonly Dictionary<string, int> ClassItemSizes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = 4, ["DoubleStorage"] = 8, ["HalfStorage"] = 2, ["BFloat16Storage"] = 2, ["CharStorage"] = 1,
        ["ByteStorage"] = 1, ["ShortStorage"] = 2, ["IntStorage"] = 4, ["LongStorage"] = 8, ["BoolStorage"] = 1,
        ["ComplexFloatStorage"] = 8, ["ComplexDoubleStorage"] = 16, ["ComplexHalfStorage"] = 4, ["QInt8Storage"] = 1,
        ["QUInt8Storage"] = 1, ["QInt32Storage"] = 4, ["QUInt4x2Storage"] = 1, ["QUInt2x4Storage"] = 1,
        ["UInt16Storage"] = 2, ["UInt32Storage"] = 4, ["UInt64Storage"] = 8, ["Float8_e4m3fnStorage"] = 1,
        ["Float8_e5m2Storage"] = 1, ["Float8_e4m3fnuzStorage"] = 1, ["Float8_e5m2fnuzStorage"] = 1,
        ["Float8_e8m0fnuStorage"] = 1, ["Float4_e2m1fn_x2Storage"] = 1, ["Bits8Storage"] = 1, ["Bits16Storage"] = 2,
        ["Bits1x8Storage"] = 1, ["Bits2x4Storage"] = 1, ["Bits4x2Storage"] = 1,
    };

    public static bool IsFullPrecision(string storageClass) =>
        storageClass is "FloatStorage" or "DoubleStorage" or "HalfStorage" or "BFloat16Storage";

    public static WeightFacts Inspect(Stream stream, long length)
    {
        Span<byte> magic = stackalloc byte[2];
        var start = stream.Position;
        if (length < 2 || stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) < 2)
        {
            throw new ArtifactFormatException($"the file is {length} bytes; a PyTorch checkpoint is a zip or a pickle.");
        }

        stream.Position = start;
        if (magic[0] == (byte)'P' && magic[1] == (byte)'K')
        {
            return InspectZip(stream);
        }

        if (magic[0] == Opcodes.Proto)
        {
            return InspectLegacy(stream, length);
        }

        throw new ArtifactFormatException(
            $"the file starts with bytes 0x{magic[0]:X2} 0x{magic[1]:X2}: neither a zip (PK) nor a pickle (0x80), so not a PyTorch checkpoint.");
    }

    private static WeightFacts InspectZip(Stream stream)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (IsZipFailure(e))
        {
            throw new ArtifactFormatException($"the file starts like a zip but is not a readable one: {e.Message}");
        }

        using (archive)
        {
            ZipArchiveEntry? pickle = null;
            string? folder = null;
            var entries = 0;
            try
            {
                foreach (var entry in archive.Entries)
                {
                    entries++;
                    var name = entry.FullName;
                    var slash = name.IndexOf('/', StringComparison.Ordinal);
                    if (slash > 0 && name.AsSpan(slash + 1).SequenceEqual("data.pkl"))
                    {
                        if (pickle is not null)
                        {
                            throw new ArtifactFormatException($"the zip holds two pickles, '{pickle.FullName}' and '{name}'; a checkpoint has one */data.pkl.");
                        }

                        pickle = entry;
                        folder = name[..slash];
                    }
                }

                if (pickle is null || folder is null)
                {
                    throw new ArtifactFormatException($"the zip has no */data.pkl among its {entries} entries, so it is not a torch.save checkpoint.");
                }

                // TorchScript (torch.jit.save) archives keep the model's code beside the pickle.
                var hasCode = archive.Entries.Any(e => e.FullName.StartsWith(folder + "/code/", StringComparison.Ordinal));
                if (pickle.Length > MaxPickleBytes)
                {
                    throw new ArtifactFormatException($"'{pickle.FullName}' declares {pickle.Length:N0} bytes; the limit is {MaxPickleBytes:N0}.");
                }

                var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["archive"] = Truncate(folder, 256),
                    ["entries"] = entries.ToString(CultureInfo.InvariantCulture),
                };
                ReadSmallText(archive, folder + "/version", "version", metadata);
                ReadSmallText(archive, folder + "/byteorder", "byteorder", metadata);

                Scan scan;
                using (var data = pickle.Open())
                {
                    var reader = new PickleReader(data, Math.Min(pickle.Length, MaxPickleBytes), pickle.FullName);
                    scan = new Scan(reader);
                    scan.Run();
                }

                return scan.Facts(metadata, carriesArchitecture: hasCode);
            }
            catch (Exception e) when (IsZipFailure(e))
            {
                throw new ArtifactFormatException($"the zip cannot be read: {e.Message}");
            }
        }
    }

    private static WeightFacts InspectLegacy(Stream stream, long length)
    {
        // Legacy torch.save: pickles of the magic number, the protocol version, sys_info, then the object.
        var reader = new PickleReader(stream, Math.Min(length - stream.Position, MaxPickleBytes), "the legacy checkpoint");
        var magic = new Scan(reader);
        var top = magic.Run();
        if (top.Kind != Kind.BigInt || !((byte[])top.Ref!).AsSpan().SequenceEqual(LegacyMagic))
        {
            throw new ArtifactFormatException("the file is a pickle that does not start with torch's magic number: not a PyTorch checkpoint.");
        }

        var version = new Scan(reader).Run();
        if (version.Kind != Kind.Int || version.Number != 1001)
        {
            throw new ArtifactFormatException($"the legacy checkpoint's protocol version is {Describe(version)}; only 1001 is known.");
        }

        new Scan(reader).Run();
        var scan = new Scan(reader);
        scan.Run();
        return scan.Facts(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["legacy"] = "true" }, carriesArchitecture: false);
    }

    private static bool IsZipFailure(Exception e) =>
        e is InvalidDataException or NotSupportedException or IOException or ArgumentException or OverflowException
            or InvalidOperationException;

    private static void ReadSmallText(ZipArchive archive, string name, string key, SortedDictionary<string, string> metadata)
    {
        var entry = archive.GetEntry(name);
        if (entry is null || entry.Length > 64)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[64];
        using var stream = entry.Open();
        var count = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var text = Encoding.ASCII.GetString(buffer[..count]).Trim();
        if (text.Length > 0 && text.All(c => c is >= ' ' and <= '~'))
        {
            metadata[key] = text;
        }
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;

    private static string Describe(Value value) => value.Kind switch
    {
        Kind.Int => value.Number.ToString(CultureInfo.InvariantCulture),
        Kind.Str => $"'{value.Ref}'",
        Kind.Global => ((GlobalName)value.Ref!).ToString(),
        _ => value.Kind.ToString().ToLowerInvariant(),
    };

    private enum Kind : byte
    {
        Opaque,
        None,
        Bool,
        Int,
        BigInt,
        Str,
        Global,
        Tuple,
        Storage,
        Tensor,
    }

    /// <summary>A shadow of one pickle stack value: only what resolving storages needs.</summary>
    private readonly record struct Value(Kind Kind, long Number = 0, object? Ref = null)
    {
        public static readonly Value Opaque = new(Kind.Opaque);
        public static readonly Value EmptyTuple = new(Kind.Tuple, 1, Array.Empty<Value>());

        public string? Text => this.Kind == Kind.Str ? (string)this.Ref! : null;

        // Tuples keep their items while short and shallow (the persistent id, the rebuild arguments).
        public Value[]? Items => this.Kind == Kind.Tuple ? (Value[])this.Ref! : null;

        public int Depth => this.Kind == Kind.Tuple ? (int)this.Number : 0;

        // A tensor keeps its size tuple's items (all ints, none negative) and the index of its storage's class.
        public Value[]? Size => this.Kind == Kind.Tensor ? (Value[])this.Ref! : null;
    }

    private sealed record GlobalName(string Module, string Name)
    {
        public override string ToString() => this.Module + "." + this.Name;
    }

    private sealed class StorageInfo(string storageClass, long elements, bool untyped)
    {
        public string Class { get; set; } = storageClass;

        public long Elements { get; set; } = elements;

        public bool Untyped { get; set; } = untyped;
    }

    /// <summary>Scans one pickle, from PROTO (or its first opcode) to STOP.</summary>
    private sealed class Scan(PickleReader reader)
    {
        private const int MaxStack = 1_000_000;
        private const int MaxMarks = 10_000;
        private const int MaxMemo = 1_000_000;
        private const int MaxTupleItems = 16;
        private const int MaxTupleDepth = 2;
        private const int MaxKeptString = 256;

        private readonly List<Value> stack = [];
        private readonly List<int> marks = [];
        private readonly Dictionary<long, Value> memo = [];
        private readonly Dictionary<string, StorageInfo> storages = new(StringComparer.Ordinal);
        private readonly HashSet<string> named = new(StringComparer.Ordinal);
        private readonly MatrixCollector matrices = new();
        private readonly List<string> tensorClasses = [];
        private readonly Dictionary<string, int> tensorClassIndexes = new(StringComparer.Ordinal);
        private readonly List<long> dims = [];
        private long opcodeAt;
        private byte opcode;

        public WeightFacts Facts(SortedDictionary<string, string> metadata, bool carriesArchitecture)
        {
            var dtypes = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var storage in this.storages.Values)
            {
                var sum = dtypes.GetValueOrDefault(storage.Class);
                dtypes[storage.Class] = sum > long.MaxValue - storage.Elements ? long.MaxValue : sum + storage.Elements;
            }

            return new WeightFacts
            {
                Format = "pytorch",
                TensorCount = this.storages.Count,
                Dtypes = dtypes,
                Precision = Precision.FromElements(dtypes, IsFullPrecision),
                Matrices = this.matrices.Build(),
                Metadata = metadata,
                ExecutesCodeOnLoad = true,
                CarriesArchitecture = carriesArchitecture,
            };
        }

        /// <summary>Scans to STOP and returns the value left on top of the stack.</summary>
        public Value Run()
        {
            while (true)
            {
                this.opcodeAt = reader.Position;
                this.opcode = reader.ReadByte("an opcode (the pickle has no STOP)");
                if (this.opcode == Opcodes.Stop)
                {
                    return this.Top();
                }

                this.Step();
            }
        }

        private void Step()
        {
            switch (this.opcode)
            {
                case Opcodes.Mark:
                    if (this.marks.Count >= MaxMarks)
                    {
                        throw this.Error($"opens more than {MaxMarks:N0} nested MARKs");
                    }

                    this.marks.Add(this.stack.Count);
                    break;
                case Opcodes.Pop:
                    if (this.stack.Count > this.Fence())
                    {
                        this.stack.RemoveAt(this.stack.Count - 1);
                    }
                    else
                    {
                        this.PopMark();
                    }

                    break;
                case Opcodes.PopMark:
                    this.PopMark();
                    break;
                case Opcodes.Dup:
                    this.Push(this.Top());
                    break;
                case Opcodes.Float:
                    reader.ReadLine(0, "FLOAT");
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Int:
                    this.Push(ParseInt(reader.ReadLine(32, "INT"), allowBool: true));
                    break;
                case Opcodes.Long:
                    this.Push(ParseInt(reader.ReadLine(32, "LONG"), allowBool: false));
                    break;
                case Opcodes.BinInt:
                    this.Push(new Value(Kind.Int, BinaryPrimitives.ReadInt32LittleEndian(reader.ReadFixed(4, "BININT"))));
                    break;
                case Opcodes.BinInt1:
                    this.Push(new Value(Kind.Int, reader.ReadFixed(1, "BININT1")[0]));
                    break;
                case Opcodes.BinInt2:
                    this.Push(new Value(Kind.Int, BinaryPrimitives.ReadUInt16LittleEndian(reader.ReadFixed(2, "BININT2"))));
                    break;
                case Opcodes.Long1:
                    this.Push(this.ReadLong(reader.ReadFixed(1, "LONG1")[0], "LONG1"));
                    break;
                case Opcodes.Long4:
                    this.Push(this.ReadLong(BinaryPrimitives.ReadInt32LittleEndian(reader.ReadFixed(4, "LONG4")), "LONG4"));
                    break;
                case Opcodes.None:
                    this.Push(new Value(Kind.None));
                    break;
                case Opcodes.NewTrue:
                case Opcodes.NewFalse:
                    this.Push(new Value(Kind.Bool, this.opcode == Opcodes.NewTrue ? 1 : 0));
                    break;
                case Opcodes.BinFloat:
                    reader.ReadFixed(8, "BINFLOAT");
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Persid:
                    reader.ReadLine(0, "PERSID");
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.BinPersid:
                    this.Push(this.PersistentId(this.Pop()));
                    break;
                case Opcodes.Reduce:
                {
                    var args = this.Pop();
                    var callable = this.Pop();
                    this.Push(this.Rebuild(callable, args));
                    break;
                }

                case Opcodes.String:
                    this.Push(Str(Unquote(reader.ReadLine(MaxKeptString, "STRING"))));
                    break;
                case Opcodes.Unicode:
                    this.Push(Str(reader.ReadLine(MaxKeptString, "UNICODE")));
                    break;
                case Opcodes.BinString:
                    this.Push(this.ReadString(BinaryPrimitives.ReadInt32LittleEndian(reader.ReadFixed(4, "BINSTRING")), "BINSTRING", Encoding.Latin1));
                    break;
                case Opcodes.ShortBinString:
                    this.Push(this.ReadString(reader.ReadFixed(1, "SHORT_BINSTRING")[0], "SHORT_BINSTRING", Encoding.Latin1));
                    break;
                case Opcodes.BinUnicode:
                    this.Push(this.ReadString(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "BINUNICODE")), "BINUNICODE", Encoding.UTF8));
                    break;
                case Opcodes.ShortBinUnicode:
                    this.Push(this.ReadString(reader.ReadFixed(1, "SHORT_BINUNICODE")[0], "SHORT_BINUNICODE", Encoding.UTF8));
                    break;
                case Opcodes.BinUnicode8:
                    this.Push(this.ReadString(Length8(reader.ReadFixed(8, "BINUNICODE8")), "BINUNICODE8", Encoding.UTF8));
                    break;
                case Opcodes.BinBytes:
                    this.SkipPayload(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "BINBYTES")), "BINBYTES");
                    break;
                case Opcodes.ShortBinBytes:
                    this.SkipPayload(reader.ReadFixed(1, "SHORT_BINBYTES")[0], "SHORT_BINBYTES");
                    break;
                case Opcodes.BinBytes8:
                    this.SkipPayload(Length8(reader.ReadFixed(8, "BINBYTES8")), "BINBYTES8");
                    break;
                case Opcodes.ByteArray8:
                    this.SkipPayload(Length8(reader.ReadFixed(8, "BYTEARRAY8")), "BYTEARRAY8");
                    break;
                case Opcodes.Append:
                    this.Pop();
                    this.Top();
                    break;
                case Opcodes.SetItems:
                    this.NameTensors();
                    this.PopMark();
                    this.Top();
                    break;
                case Opcodes.Appends:
                case Opcodes.AddItems:
                    this.PopMark();
                    this.Top();
                    break;
                case Opcodes.Build:
                    this.Pop();
                    this.Top();
                    break;
                case Opcodes.SetItem:
                {
                    var value = this.Pop();
                    var key = this.Pop();
                    this.Top();
                    this.NameTensor(key, value);
                    break;
                }

                case Opcodes.Global:
                {
                    var module = reader.ReadLine(MaxKeptString, "GLOBAL");
                    var name = reader.ReadLine(MaxKeptString, "GLOBAL");
                    this.Push(module.Whole && name.Whole ? new Value(Kind.Global, 0, new GlobalName(module.Text, name.Text)) : Value.Opaque);
                    break;
                }

                case Opcodes.StackGlobal:
                {
                    var name = this.Pop();
                    var module = this.Pop();
                    this.Push(module.Text is { } m && name.Text is { } n ? new Value(Kind.Global, 0, new GlobalName(m, n)) : Value.Opaque);
                    break;
                }

                case Opcodes.Inst:
                    reader.ReadLine(0, "INST");
                    reader.ReadLine(0, "INST");
                    this.PopMark();
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Obj:
                    if (this.PopMark() == 0)
                    {
                        throw this.Error("has no class after its MARK");
                    }

                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Dict:
                    this.NameTensors();
                    this.PopMark();
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.List:
                case Opcodes.FrozenSet:
                    this.PopMark();
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.EmptyDict:
                case Opcodes.EmptyList:
                case Opcodes.EmptySet:
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Tuple:
                {
                    if (this.marks.Count == 0)
                    {
                        throw this.Error("needs a MARK, but there is none");
                    }

                    var fence = this.Fence();
                    var count = this.stack.Count - fence;
                    var tuple = this.MakeTuple(count);
                    this.marks.RemoveAt(this.marks.Count - 1);
                    this.Push(tuple);
                    break;
                }

                case Opcodes.EmptyTuple:
                    this.Push(Value.EmptyTuple);
                    break;
                case Opcodes.Tuple1:
                case Opcodes.Tuple2:
                case Opcodes.Tuple3:
                {
                    var count = this.opcode - Opcodes.Tuple1 + 1;
                    if (this.stack.Count - this.Fence() < count)
                    {
                        throw this.Error($"needs {count} values on the stack");
                    }

                    this.Push(this.MakeTuple(count));
                    break;
                }

                case Opcodes.Get:
                    this.Push(this.Recall(ParseIndex(reader.ReadLine(32, "GET"))));
                    break;
                case Opcodes.BinGet:
                    this.Push(this.Recall(reader.ReadFixed(1, "BINGET")[0]));
                    break;
                case Opcodes.LongBinGet:
                    this.Push(this.Recall(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "LONG_BINGET"))));
                    break;
                case Opcodes.Put:
                    this.Memoize(ParseIndex(reader.ReadLine(32, "PUT")));
                    break;
                case Opcodes.BinPut:
                    this.Memoize(reader.ReadFixed(1, "BINPUT")[0]);
                    break;
                case Opcodes.LongBinPut:
                    this.Memoize(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "LONG_BINPUT")));
                    break;
                case Opcodes.Memoize:
                    this.Memoize(this.memo.Count);
                    break;
                case Opcodes.Proto:
                {
                    var protocol = reader.ReadFixed(1, "PROTO")[0];
                    if (protocol > 5)
                    {
                        throw this.Error($"names protocol {protocol}; the highest is 5");
                    }

                    break;
                }

                case Opcodes.NewObj:
                    this.Pop();
                    this.Pop();
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.NewObjEx:
                    this.Pop();
                    this.Pop();
                    this.Pop();
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Ext1:
                    reader.ReadFixed(1, "EXT1");
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Ext2:
                    reader.ReadFixed(2, "EXT2");
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Ext4:
                    reader.ReadFixed(4, "EXT4");
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.Frame:
                    reader.ReadFixed(8, "FRAME");
                    break;
                case Opcodes.NextBuffer:
                    this.Push(Value.Opaque);
                    break;
                case Opcodes.ReadOnlyBuffer:
                    this.Top();
                    break;
                default:
                    throw new ArtifactFormatException(
                        $"{reader.Source}: byte 0x{this.opcode:X2} at byte {this.opcodeAt:N0} is not a pickle opcode (protocols 0 to 5).");
            }
        }

        // Registers ('storage', class, key, location, numel[, view_metadata]) and stands for the storage.
        private Value PersistentId(Value pid)
        {
            if (pid.Items is not { Length: >= 5 } items || items[0].Text != "storage")
            {
                return Value.Opaque;
            }

            var key = items[2].Kind == Kind.Int ? items[2].Number.ToString(CultureInfo.InvariantCulture) : items[2].Text;
            if (key is null)
            {
                throw this.Error($"names a storage whose key is {Describe(items[2])}, not a string");
            }

            if (!this.storages.ContainsKey(key))
            {
                if (this.storages.Count >= MaxStorages)
                {
                    throw this.Error($"names more than {MaxStorages:N0} storages");
                }

                var (storageClass, untyped) = StorageClass(items[1]);
                long elements = 1;
                if (items[4].Kind == Kind.Int)
                {
                    elements = items[4].Number;
                    if (elements < 0)
                    {
                        throw this.Error($"gives storage '{Truncate(key, 64)}' {elements} elements");
                    }
                }

                this.storages[key] = new StorageInfo(storageClass, elements, untyped);
            }

            return new Value(Kind.Storage, 0, key);
        }

        // torch._utils rebuilds a tensor from (storage, offset, size, stride, ...): _rebuild_tensor_v2, _rebuild_tensor
        // (legacy), _rebuild_qtensor, and _rebuild_tensor_v3, whose dtype (its seventh argument) types an
        // UntypedStorage. _rebuild_parameter(tensor, requires_grad, hooks) wraps one. Anything else is opaque.
        private Value Rebuild(Value callable, Value args)
        {
            if (callable.Ref is not GlobalName { Module: "torch._utils" } function || args.Items is not { } items)
            {
                return Value.Opaque;
            }

            switch (function.Name)
            {
                case "_rebuild_parameter" or "_rebuild_parameter_with_state" when items.Length >= 1 && items[0].Kind == Kind.Tensor:
                    return items[0];
                case "_rebuild_tensor_v3" when items.Length >= 7:
                    this.TypeUntypedStorage(items[0], items[6]);
                    return this.Tensor(items[0], items[2]);
                case "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_qtensor" when items.Length >= 4:
                    return this.Tensor(items[0], items[2]);
                default:
                    return Value.Opaque;
            }
        }

        // A tensor of a storage of a torch storage class and a size tuple of ints; a storage of no known type (an
        // UntypedStorage no dtype typed, a class from another module) or any other size (opaque, a float, a long
        // int) leaves it out of the matrices. The shadow shares the size tuple's items: a tensor allocates nothing.
        private Value Tensor(Value storage, Value size)
        {
            if (storage.Kind != Kind.Storage || !this.storages.TryGetValue((string)storage.Ref!, out var info)
                || info.Untyped || info.Class == "unknown" || info.Class.Contains('.', StringComparison.Ordinal)
                || size.Items is not { } items)
            {
                return Value.Opaque;
            }

            var negative = false;
            foreach (var item in items)
            {
                if (item.Kind != Kind.Int)
                {
                    return Value.Opaque;
                }

                negative |= item.Number < 0;
            }

            if (negative)
            {
                throw this.Error($"rebuilds a tensor of size ({string.Join(", ", items.Select(d => d.Number))}): a size cannot be negative");
            }

            // One entry per storage class (a few dozen in a real file; at most one per storage in a hostile one).
            if (!this.tensorClassIndexes.TryGetValue(info.Class, out var index))
            {
                index = this.tensorClasses.Count;
                this.tensorClasses.Add(info.Class);
                this.tensorClassIndexes[info.Class] = index;
            }

            return new Value(Kind.Tensor, index, items);
        }

        private void TypeUntypedStorage(Value storageValue, Value dtypeValue)
        {
            if (storageValue.Kind != Kind.Storage || dtypeValue.Ref is not GlobalName dtype || !IsTorch(dtype.Module)
                || !this.storages.TryGetValue((string)storageValue.Ref!, out var storage) || !storage.Untyped)
            {
                return;
            }

            var storageClass = DtypeClasses.GetValueOrDefault(dtype.Name) ?? ClassFromDtype(dtype.Name);
            storage.Class = storageClass;
            storage.Untyped = false;
            if (ClassItemSizes.TryGetValue(storageClass, out var size) && storage.Elements > 1)
            {
                storage.Elements /= size;
            }
        }

        // SETITEMS and DICT: the key and value pairs above the last MARK.
        private void NameTensors()
        {
            if (this.marks.Count == 0)
            {
                return;
            }

            for (var i = this.Fence(); i + 1 < this.stack.Count; i += 2)
            {
                this.NameTensor(this.stack[i], this.stack[i + 1]);
            }
        }

        // A tensor set in a dict under a string key is listed by that name, once: a name met again (the same
        // state dict nested twice, as model and EMA) keeps its first tensor. Nested dicts' keys are kept as they are.
        private void NameTensor(Value key, Value value)
        {
            if (value.Kind != Kind.Tensor || key.Text is not { } name || this.named.Contains(name))
            {
                return;
            }

            if (this.named.Count >= MaxNamedTensors)
            {
                throw this.Error($"names more than {MaxNamedTensors:N0} tensors");
            }

            this.named.Add(name);
            var storageClass = this.tensorClasses[(int)value.Number];
            this.dims.Clear();
            long elements = 1;
            foreach (var item in value.Size!)
            {
                var dim = item.Number;
                this.dims.Add(dim);
                elements = dim == 0 ? 0 : elements > long.MaxValue / dim ? long.MaxValue : elements * dim;
            }

            this.matrices.Add(name, this.dims, elements, IsFullPrecision(storageClass), quantizedType: storageClass.StartsWith("Float8", StringComparison.Ordinal) || storageClass.StartsWith("Float4", StringComparison.Ordinal), boolean: storageClass == "BoolStorage", IntegerBits(storageClass));
        }

        // The bits of an integer storage's elements (the stored integers of packed weights), 0 for any other.
        private static int IntegerBits(string storageClass) => storageClass switch
        {
            "CharStorage" or "ByteStorage" or "QInt8Storage" or "QUInt8Storage" or "QUInt4x2Storage" or "QUInt2x4Storage" => 8,
            "ShortStorage" or "UInt16Storage" => 16,
            "IntStorage" or "UInt32Storage" or "QInt32Storage" => 32,
            "LongStorage" or "UInt64Storage" => 64,
            _ => 0,
        };

        private static (string Class, bool Untyped) StorageClass(Value value)
        {
            if (value.Ref is not GlobalName global)
            {
                return ("unknown", false);
            }

            var torch = IsTorch(global.Module);
            if (torch && global.Name is "UntypedStorage" or "TypedStorage" or "_UntypedStorage")
            {
                return ("UntypedStorage", true);
            }

            if (torch && global.Name.EndsWith("Storage", StringComparison.Ordinal))
            {
                return (global.Name, false);
            }

            if (global.Module == "torch" && DtypeClasses.TryGetValue(global.Name, out var fromDtype))
            {
                return (fromDtype, false);
            }

            return (global.ToString(), false);
        }

        private static bool IsTorch(string module) => module == "torch" || module.StartsWith("torch.", StringComparison.Ordinal);

        private static string ClassFromDtype(string dtype) =>
            dtype.Length == 0 ? "UntypedStorage" : char.ToUpperInvariant(dtype[0]) + dtype[1..] + "Storage";

        private Value MakeTuple(int count)
        {
            Value tuple;
            if (count > MaxTupleItems)
            {
                tuple = Value.Opaque;
            }
            else
            {
                var items = new Value[count];
                var depth = 1;
                for (var i = 0; i < count; i++)
                {
                    var item = this.stack[this.stack.Count - count + i];
                    depth = Math.Max(depth, item.Depth + 1);
                    items[i] = item;
                }

                tuple = depth > MaxTupleDepth ? Value.Opaque : count == 0 ? Value.EmptyTuple : new Value(Kind.Tuple, depth, items);
            }

            this.stack.RemoveRange(this.stack.Count - count, count);
            return tuple;
        }

        private Value ReadLong(long length, string name)
        {
            if (length < 0)
            {
                throw this.Error($"declares a negative length ({length})");
            }

            this.CheckLength(length, name);
            if (length <= 8)
            {
                Span<byte> bytes = stackalloc byte[8];
                var payload = reader.ReadFixed((int)length, name);
                payload.CopyTo(bytes);
                if (length > 0 && (payload[^1] & 0x80) != 0)
                {
                    bytes[(int)length..].Fill(0xFF);
                }

                return new Value(Kind.Int, BinaryPrimitives.ReadInt64LittleEndian(bytes));
            }

            if (length <= 16)
            {
                return new Value(Kind.BigInt, 0, reader.ReadFixed((int)length, name).ToArray());
            }

            reader.Skip(length, name);
            return Value.Opaque;
        }

        private Value ReadString(long length, string name, Encoding encoding)
        {
            if (length < 0)
            {
                throw this.Error($"declares a negative length ({length})");
            }

            this.CheckLength(length, name);
            if (length <= MaxKeptString)
            {
                return new Value(Kind.Str, 0, encoding.GetString(reader.ReadFixed((int)length, name)));
            }

            reader.Skip(length, name);
            return Value.Opaque;
        }

        private void SkipPayload(long length, string name)
        {
            if (length < 0)
            {
                throw this.Error($"declares a negative length ({length})");
            }

            this.CheckLength(length, name);
            reader.Skip(length, name);
            this.Push(Value.Opaque);
        }

        private void CheckLength(long length, string name)
        {
            var remaining = reader.Declared - reader.Position;
            if (length > remaining)
            {
                throw this.Error($"declares {length:N0} bytes, but only {Math.Max(remaining, 0):N0} remain in the pickle");
            }
        }

        private static long Length8(ReadOnlySpan<byte> bytes)
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            return value > long.MaxValue ? long.MaxValue : (long)value;
        }

        private static Value ParseInt((string Text, bool Whole) line, bool allowBool)
        {
            var text = line.Text.TrimEnd('L');
            if (!line.Whole)
            {
                return Value.Opaque;
            }

            if (allowBool && text is "00" or "01")
            {
                return new Value(Kind.Bool, text == "01" ? 1 : 0);
            }

            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? new Value(Kind.Int, value)
                : Value.Opaque;
        }

        private long ParseIndex((string Text, bool Whole) line) =>
            line.Whole && long.TryParse(line.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? index
                : throw this.Error($"has a memo index '{Truncate(line.Text, 32)}' that is not a number");

        // A protocol 0 STRING argument is a quoted Python literal; escapes are left as they are.
        private static (string Text, bool Whole) Unquote((string Text, bool Whole) line) =>
            line.Text.Length >= 2 && line.Text[0] == line.Text[^1] && line.Text[0] is '\'' or '"'
                ? (line.Text[1..^1], line.Whole)
                : line;

        private static Value Str((string Text, bool Whole) line) => line.Whole ? new Value(Kind.Str, 0, line.Text) : Value.Opaque;

        private Value Recall(long index) =>
            this.memo.TryGetValue(index, out var value) ? value : throw this.Error($"reads memo entry {index}, which was never stored");

        private void Memoize(long index)
        {
            var value = this.Top();
            if (this.memo.Count >= MaxMemo && !this.memo.ContainsKey(index))
            {
                throw this.Error($"stores more than {MaxMemo:N0} memo entries");
            }

            this.memo[index] = value;
        }

        private int Fence() => this.marks.Count == 0 ? 0 : this.marks[^1];

        private void Push(Value value)
        {
            if (this.stack.Count >= MaxStack)
            {
                throw this.Error($"pushes more than {MaxStack:N0} values");
            }

            this.stack.Add(value);
        }

        private Value Pop()
        {
            if (this.stack.Count <= this.Fence())
            {
                throw this.Error("pops an empty stack");
            }

            var value = this.stack[^1];
            this.stack.RemoveAt(this.stack.Count - 1);
            return value;
        }

        private Value Top() =>
            this.stack.Count > this.Fence() ? this.stack[^1] : throw this.Error("needs a value, but the stack is empty");

        // Drops everything above the last MARK and the MARK itself; returns how many values were dropped.
        private int PopMark()
        {
            if (this.marks.Count == 0)
            {
                throw this.Error("needs a MARK, but there is none");
            }

            var fence = this.marks[^1];
            this.marks.RemoveAt(this.marks.Count - 1);
            var count = this.stack.Count - fence;
            this.stack.RemoveRange(fence, count);
            return count;
        }

        private ArtifactFormatException Error(string what) =>
            new($"{reader.Source}: {Opcodes.Name(this.opcode)} at byte {this.opcodeAt:N0} {what}.");
    }

    /// <summary>
    /// Reads a pickle through a fixed buffer, counting every byte: past <see cref="MaxPickleBytes"/> it
    /// stops, whatever the archive declared, and long payloads are skipped in chunks, never stored.
    /// </summary>
    private sealed class PickleReader(Stream stream, long declared, string source)
    {
        private readonly byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;
        private long consumed;

        /// <summary>Where the pickle stream says it ends (the declared entry size or the file size), capped.</summary>
        public long Declared { get; } = declared;

        public string Source { get; } = source;

        /// <summary>The offset of the next byte in the pickle.</summary>
        public long Position => this.consumed - (this.end - this.start);

        public byte ReadByte(string what)
        {
            if (this.start == this.end)
            {
                this.Fill(what);
            }

            return this.buffer[this.start++];
        }

        /// <summary>Reads a small fixed-size argument (at most the buffer's size).</summary>
        public ReadOnlySpan<byte> ReadFixed(int count, string what)
        {
            if (this.end - this.start < count)
            {
                this.Compact();
                while (this.end < count)
                {
                    this.Fill(what);
                }
            }

            var span = this.buffer.AsSpan(this.start, count);
            this.start += count;
            return span;
        }

        public void Skip(long count, string what)
        {
            while (count > 0)
            {
                if (this.start == this.end)
                {
                    this.Fill(what);
                }

                var take = (int)Math.Min(count, this.end - this.start);
                this.start += take;
                count -= take;
            }
        }

        /// <summary>
        /// Reads a newline-terminated argument, keeping at most <paramref name="keep"/> characters (Latin-1);
        /// <c>Whole</c> says whether the kept text is the whole line.
        /// </summary>
        public (string Text, bool Whole) ReadLine(int keep, string what)
        {
            var text = new StringBuilder();
            var whole = true;
            while (true)
            {
                var b = this.ReadByte(what);
                if (b == (byte)'\n')
                {
                    return (text.ToString(), whole);
                }

                if (text.Length < keep)
                {
                    text.Append((char)b);
                }
                else
                {
                    whole = false;
                }
            }
        }

        private void Compact()
        {
            Buffer.BlockCopy(this.buffer, this.start, this.buffer, 0, this.end - this.start);
            this.end -= this.start;
            this.start = 0;
        }

        private void Fill(string what)
        {
            if (this.start == this.end)
            {
                this.start = this.end = 0;
            }

            var room = this.buffer.Length - this.end;
            var allowed = MaxPickleBytes - this.consumed;
            var read = allowed <= 0
                ? stream.Read(this.buffer, this.end, 1)
                : stream.Read(this.buffer, this.end, (int)Math.Min(room, allowed));
            if (read == 0)
            {
                throw new ArtifactFormatException($"{this.Source}: the pickle is truncated: it ends at byte {this.Position:N0}, in {what}.");
            }

            if (allowed <= 0)
            {
                throw new ArtifactFormatException($"{this.Source}: the pickle is longer than {MaxPickleBytes:N0} bytes, the limit for a checkpoint's pickle.");
            }

            this.end += read;
            this.consumed += read;
        }
    }

    private static class Opcodes
    {
        public const byte Mark = (byte)'(';
        public const byte Stop = (byte)'.';
        public const byte Pop = (byte)'0';
        public const byte PopMark = (byte)'1';
        public const byte Dup = (byte)'2';
        public const byte Float = (byte)'F';
        public const byte Int = (byte)'I';
        public const byte BinInt = (byte)'J';
        public const byte BinInt1 = (byte)'K';
        public const byte Long = (byte)'L';
        public const byte BinInt2 = (byte)'M';
        public const byte None = (byte)'N';
        public const byte Persid = (byte)'P';
        public const byte BinPersid = (byte)'Q';
        public const byte Reduce = (byte)'R';
        public const byte String = (byte)'S';
        public const byte BinString = (byte)'T';
        public const byte ShortBinString = (byte)'U';
        public const byte Unicode = (byte)'V';
        public const byte BinUnicode = (byte)'X';
        public const byte Append = (byte)'a';
        public const byte Build = (byte)'b';
        public const byte Global = (byte)'c';
        public const byte Dict = (byte)'d';
        public const byte EmptyDict = (byte)'}';
        public const byte Appends = (byte)'e';
        public const byte Get = (byte)'g';
        public const byte BinGet = (byte)'h';
        public const byte Inst = (byte)'i';
        public const byte LongBinGet = (byte)'j';
        public const byte List = (byte)'l';
        public const byte EmptyList = (byte)']';
        public const byte Obj = (byte)'o';
        public const byte Put = (byte)'p';
        public const byte BinPut = (byte)'q';
        public const byte LongBinPut = (byte)'r';
        public const byte SetItem = (byte)'s';
        public const byte Tuple = (byte)'t';
        public const byte EmptyTuple = (byte)')';
        public const byte SetItems = (byte)'u';
        public const byte BinFloat = (byte)'G';
        public const byte Proto = 0x80;
        public const byte NewObj = 0x81;
        public const byte Ext1 = 0x82;
        public const byte Ext2 = 0x83;
        public const byte Ext4 = 0x84;
        public const byte Tuple1 = 0x85;
        public const byte Tuple2 = 0x86;
        public const byte Tuple3 = 0x87;
        public const byte NewTrue = 0x88;
        public const byte NewFalse = 0x89;
        public const byte Long1 = 0x8a;
        public const byte Long4 = 0x8b;
        public const byte BinBytes = (byte)'B';
        public const byte ShortBinBytes = (byte)'C';
        public const byte ShortBinUnicode = 0x8c;
        public const byte BinUnicode8 = 0x8d;
        public const byte BinBytes8 = 0x8e;
        public const byte EmptySet = 0x8f;
        public const byte AddItems = 0x90;
        public const byte FrozenSet = 0x91;
        public const byte NewObjEx = 0x92;
        public const byte StackGlobal = 0x93;
        public const byte Memoize = 0x94;
        public const byte Frame = 0x95;
        public const byte ByteArray8 = 0x96;
        public const byte NextBuffer = 0x97;
        public const byte ReadOnlyBuffer = 0x98;

        private static readonly Dictionary<byte, string> Names = new()
        {
            [Mark] = "MARK", [Stop] = "STOP", [Pop] = "POP", [PopMark] = "POP_MARK", [Dup] = "DUP", [Float] = "FLOAT",
            [Int] = "INT", [BinInt] = "BININT", [BinInt1] = "BININT1", [Long] = "LONG", [BinInt2] = "BININT2",
            [None] = "NONE", [Persid] = "PERSID", [BinPersid] = "BINPERSID", [Reduce] = "REDUCE", [String] = "STRING",
            [BinString] = "BINSTRING", [ShortBinString] = "SHORT_BINSTRING", [Unicode] = "UNICODE",
            [BinUnicode] = "BINUNICODE", [Append] = "APPEND", [Build] = "BUILD", [Global] = "GLOBAL", [Dict] = "DICT",
            [EmptyDict] = "EMPTY_DICT", [Appends] = "APPENDS", [Get] = "GET", [BinGet] = "BINGET", [Inst] = "INST",
            [LongBinGet] = "LONG_BINGET", [List] = "LIST", [EmptyList] = "EMPTY_LIST", [Obj] = "OBJ", [Put] = "PUT",
            [BinPut] = "BINPUT", [LongBinPut] = "LONG_BINPUT", [SetItem] = "SETITEM", [Tuple] = "TUPLE",
            [EmptyTuple] = "EMPTY_TUPLE", [SetItems] = "SETITEMS", [BinFloat] = "BINFLOAT", [Proto] = "PROTO",
            [NewObj] = "NEWOBJ", [Ext1] = "EXT1", [Ext2] = "EXT2", [Ext4] = "EXT4", [Tuple1] = "TUPLE1",
            [Tuple2] = "TUPLE2", [Tuple3] = "TUPLE3", [NewTrue] = "NEWTRUE", [NewFalse] = "NEWFALSE", [Long1] = "LONG1",
            [Long4] = "LONG4", [BinBytes] = "BINBYTES", [ShortBinBytes] = "SHORT_BINBYTES",
            [ShortBinUnicode] = "SHORT_BINUNICODE", [BinUnicode8] = "BINUNICODE8", [BinBytes8] = "BINBYTES8",
            [EmptySet] = "EMPTY_SET", [AddItems] = "ADDITEMS", [FrozenSet] = "FROZENSET", [NewObjEx] = "NEWOBJ_EX",
            [StackGlobal] = "STACK_GLOBAL", [Memoize] = "MEMOIZE", [Frame] = "FRAME", [ByteArray8] = "BYTEARRAY8",
            [NextBuffer] = "NEXT_BUFFER", [ReadOnlyBuffer] = "READONLY_BUFFER",
        };

        public static string Name(byte opcode) => Names.GetValueOrDefault(opcode) ?? $"0x{opcode:X2}";
    }
}
