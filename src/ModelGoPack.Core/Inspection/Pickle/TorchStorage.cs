namespace ModelGoPack.Inspection.Pickle;

/// <summary>
/// The storage classes of torch (<c>torch.FloatStorage</c>, …): the dtype each holds and its element size, and how
/// a persistent id's class or a rebuild's dtype names one. Nothing here is imported from torch; the names are matched.
/// </summary>
internal static class TorchStorage
{
    // Storage classes and the dtype each holds; the element size converts UntypedStorage bytes to elements.
    public static readonly Dictionary<string, string> DtypeClasses = new(StringComparer.Ordinal)
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

    public static readonly Dictionary<string, int> ClassItemSizes = new(StringComparer.Ordinal)
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

    // The bits of an integer storage's elements (the stored integers of packed weights), 0 for any other.
    public static int IntegerBits(string storageClass) => storageClass switch
    {
        "CharStorage" or "ByteStorage" or "QInt8Storage" or "QUInt8Storage" or "QUInt4x2Storage" or "QUInt2x4Storage" => 8,
        "ShortStorage" or "UInt16Storage" => 16,
        "IntStorage" or "UInt32Storage" or "QInt32Storage" => 32,
        "LongStorage" or "UInt64Storage" => 64,
        _ => 0,
    };

    public static (string Class, bool Untyped) StorageClass(Value value)
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

    public static bool IsTorch(string module) => module == "torch" || module.StartsWith("torch.", StringComparison.Ordinal);

    public static string ClassFromDtype(string dtype) =>
        dtype.Length == 0 ? "UntypedStorage" : char.ToUpperInvariant(dtype[0]) + dtype[1..] + "Storage";
}

/// <summary>A storage a persistent id registers: its class, its elements and whether a dtype has yet to type it.</summary>
internal sealed class StorageInfo(string storageClass, long elements, bool untyped)
{
    public string Class { get; set; } = storageClass;

    public long Elements { get; set; } = elements;

    public bool Untyped { get; set; } = untyped;
}
