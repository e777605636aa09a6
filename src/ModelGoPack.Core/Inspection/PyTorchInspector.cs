using System.Globalization;
using System.IO.Compression;
using System.Text;
using ModelGoPack.Inspection.Pickle;

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

    // Version 1001 files start with this pickled long (torch.serialization.MAGIC_NUMBER).
    private static readonly byte[] LegacyMagic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

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
                    ["archive"] = PickleMachine.Truncate(folder, 256),
                    ["entries"] = entries.ToString(CultureInfo.InvariantCulture),
                };
                ReadSmallText(archive, folder + "/version", "version", metadata);
                ReadSmallText(archive, folder + "/byteorder", "byteorder", metadata);

                PickleMachine scan;
                using (var data = pickle.Open())
                {
                    var reader = new PickleReader(data, Math.Min(pickle.Length, MaxPickleBytes), pickle.FullName);
                    scan = new PickleMachine(reader);
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
        var magic = new PickleMachine(reader);
        var top = magic.Run();
        if (top.Kind != Kind.BigInt || !((byte[])top.Ref!).AsSpan().SequenceEqual(LegacyMagic))
        {
            throw new ArtifactFormatException("the file is a pickle that does not start with torch's magic number: not a PyTorch checkpoint.");
        }

        var version = new PickleMachine(reader).Run();
        if (version.Kind != Kind.Int || version.Number != 1001)
        {
            throw new ArtifactFormatException($"the legacy checkpoint's protocol version is {version.Describe()}; only 1001 is known.");
        }

        new PickleMachine(reader).Run();
        var scan = new PickleMachine(reader);
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
}
