using System.IO.Compression;

namespace ModelGoPack.Tests.Support;

/// <summary>Damages the data of one zip entry in place, as a bad disk or transfer would.</summary>
public static class ZipDamage
{
    /// <summary>Flips bits in bytes <paramref name="from"/> to <paramref name="to"/> of the entry's stored data.</summary>
    public static void Corrupt(string zip, string entry, int from, int to)
    {
        long dataOffset;
        using (var archive = ZipFile.OpenRead(zip))
        {
            // The central directory's offset of the entry, then past its local header (30 bytes + name).
            var field = typeof(ZipArchiveEntry).GetField("_offsetOfLocalHeader", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
            dataOffset = (long)field!.GetValue(archive.GetEntry(entry))! + 30 + System.Text.Encoding.UTF8.GetByteCount(entry);
        }

        using var file = new FileStream(zip, FileMode.Open, FileAccess.ReadWrite);
        for (var i = from; i < to; i++)
        {
            file.Position = dataOffset + i;
            var b = file.ReadByte();
            file.Position = dataOffset + i;
            file.WriteByte((byte)(b ^ 0x5A));
        }
    }
}
