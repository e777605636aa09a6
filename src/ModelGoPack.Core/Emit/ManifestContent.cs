using ModelGoPack.Config;
using ModelGoPack.Rules;

namespace ModelGoPack.Emit;

/// <summary>
/// A bundle's modelgo-manifest.json as pack wrote it: made from the files' list whenever it is written (to the bundle,
/// to the seal), its bytes held only when asked for (<see cref="Bytes"/>). For 100,000 files it is 16 MB, which pack
/// would otherwise hold at its peak, beside every file's record.
/// </summary>
internal sealed class ManifestContent(ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IReadOnlyCollection<ManifestFile> files)
{
    private long? length;
    private byte[]? bytes;

    /// <summary>The manifest's size in bytes (measured, not held).</summary>
    public long Length => this.length ??= this.bytes?.Length ?? ManifestWriter.Measure(config, waivers, files.Select(f => (f.Path, f.Size)));

    /// <summary>The manifest's bytes, made (and kept) when first asked for.</summary>
    public byte[] Bytes => this.bytes ??= ManifestWriter.Write(config, waivers, files);

    /// <summary>Writes the manifest to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        if (this.bytes is { } held)
        {
            stream.Write(held);
        }
        else
        {
            // The JSON writer flushes its stream as it goes: not passed on (a flush could mean more than a write to some streams).
            ManifestWriter.Write(new Unflushed(stream), config, waivers, files);
        }
    }

    /// <summary>Passes writes through; a flush is not passed on.</summary>
    private sealed class Unflushed(Stream inner) : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}

/// <summary>
/// The generated files of a pack (path to bytes) as <see cref="PackResult.Generated"/> gives them: the manifest's bytes
/// made only when a host asks for them (the MSBuild task does; the command line does not).
/// </summary>
internal sealed class GeneratedFiles(Dictionary<string, ReadOnlyMemory<byte>> held, string manifestName, ManifestContent manifest)
    : IReadOnlyDictionary<string, ReadOnlyMemory<byte>>
{
    public int Count => held.Count + (held.ContainsKey(manifestName) ? 0 : 1);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<ReadOnlyMemory<byte>> Values => this.Select(p => p.Value);

    public ReadOnlyMemory<byte> this[string key] => this.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => key == manifestName || held.ContainsKey(key);

    public bool TryGetValue(string key, out ReadOnlyMemory<byte> value)
    {
        if (key == manifestName)
        {
            value = manifest.Bytes;
            return true;
        }

        return held.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<string, ReadOnlyMemory<byte>>> GetEnumerator() =>
        held.Where(p => p.Key != manifestName)
            .Append(new KeyValuePair<string, ReadOnlyMemory<byte>>(manifestName, default))
            .Select(p => p.Key == manifestName ? new KeyValuePair<string, ReadOnlyMemory<byte>>(p.Key, manifest.Bytes) : p)
            .GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this.GetEnumerator();
}
