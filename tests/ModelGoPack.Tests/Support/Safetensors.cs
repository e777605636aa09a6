using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ModelGoPack.Tests.Support;

/// <summary>Writes real safetensors files at tiny sizes: 8-byte LE header length, JSON header, data.</summary>
public static class Safetensors
{
    private static readonly Dictionary<string, int> DtypeSizes = new(StringComparer.Ordinal)
    {
        ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I8"] = 1, ["U8"] = 1, ["F64"] = 8, ["I32"] = 4,
    };

    /// <summary>Writes tensors (name, dtype, shape) with deterministic contents.</summary>
    public static void Write(string path, params (string Name, string Dtype, int[] Shape)[] tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        using var data = new MemoryStream();
        foreach (var (name, dtype, shape) in tensors)
        {
            var length = shape.Aggregate(1L, (a, b) => a * b) * DtypeSizes[dtype];
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
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
