using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ModelGoPack.Tests.Support;

/// <summary>Writes real safetensors files at tiny sizes: 8-byte LE header length, JSON header, data.</summary>
public static class Safetensors
{
    private static readonly Dictionary<string, int> DtypeBits = new(StringComparer.Ordinal)
    {
        ["F32"] = 32, ["F16"] = 16, ["BF16"] = 16, ["I8"] = 8, ["U8"] = 8, ["F64"] = 64, ["I32"] = 32, ["I64"] = 64, ["F4"] = 4, ["F8_E4M3"] = 8, ["BOOL"] = 8, ["I16"] = 16,
    };

    /// <summary>Writes tensors (name, dtype, shape) with deterministic contents.</summary>
    public static void Write(string path, params (string Name, string Dtype, int[] Shape)[] tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        using var data = new MemoryStream();
        foreach (var (name, dtype, shape) in tensors)
        {
            var length = ((shape.Aggregate(1L, (a, b) => a * b) * DtypeBits[dtype]) + 7) / 8;
            header[name] = new Dictionary<string, object> { ["dtype"] = dtype, ["shape"] = shape, ["data_offsets"] = new[] { offset, offset + length } };
            for (var i = 0; i < length; i++)
            {
                data.WriteByte((byte)((i * 31 + name.Length) & 0xFF));
            }

            offset += length;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        data.ToArray().CopyTo(bytes, 8 + padded);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// A one-tensor file of exactly <paramref name="size"/> bytes whose data is a hole (sparse: it takes no
    /// disk space), for tests of large files.
    /// </summary>
    public static void WriteSparse(string path, long size, string dtype = "U8")
    {
        var header = OneTensorHeader(size - 8 - 128, dtype);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(BitConverter.GetBytes((ulong)header.Length));
        file.Write(header);
        file.SetLength(size);
    }

    /// <summary>A one-tensor (U8) file holding <paramref name="data"/>.</summary>
    public static byte[] WithData(byte[] data)
    {
        var header = OneTensorHeader(data.Length, "U8");
        return [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. data];
    }

    // A 128-byte header (padded with spaces) for one tensor of `dataBytes` bytes.
    private static byte[] OneTensorHeader(long dataBytes, string dtype) =>
        Encoding.UTF8.GetBytes($"{{\"w\":{{\"dtype\":\"{dtype}\",\"shape\":[{dataBytes * 8 / DtypeBits[dtype]}],\"data_offsets\":[0,{dataBytes}]}}}}".PadRight(128));

    /// <summary>Writes a file with a declared header length, a header text and data, exactly as given (for hostile headers).</summary>
    public static void WriteRaw(string path, ulong declaredLength, string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength);
        json.CopyTo(bytes, 8);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
