using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>Tar header blocks edited by tests.</summary>
public static class TarHeader
{
    /// <summary>Writes a header's checksum: the sum of its bytes with the checksum field as spaces, in six octal digits, NUL, space.</summary>
    public static void SetChecksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header[..512])
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
    }
}
