using System.Buffers;
using System.Security.Cryptography;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads one entry of an archive once: hashed, never further than it may be (<see cref="HashCapped"/>), what its header
/// and the evaluation need kept (<see cref="EntryCapture"/>), and its header read from what was kept.
/// </summary>
internal static class EntryReader
{
    /// <summary>
    /// Hashes an entry (at most <paramref name="limit"/> + 1 bytes: an entry longer than its manifest says is
    /// altered, however long it claims to be), keeps what its header needs, and reads that header.
    /// </summary>
    public static void Read(BundleContent content, ProjectFile file, Stream stream, long limit, ProgressCounter? progress, CancellationToken cancellationToken, Sha256Digest? listed = null)
    {
        // Sized by what may be read (the manifest's size), not by what the archive's header claims.
        var claimed = content.ClaimWhole(file.RelativePath);
        var capture = new EntryCapture(file.RelativePath, limit, claimed);
        if (HashCapped(stream, limit, capture.Add, progress, cancellationToken) is not { } digest)
        {
            content.LongerThanListed[file.RelativePath] = true;
            return;
        }

        content.Record(file.RelativePath, digest, listed);

        // The entry as read (its real length), served from what was kept.
        var view = file with { Length = capture.Length, Opener = capture.Open };
        var artifact = ArtifactInspector.Inspect(view);
        content.Artifacts.Set(artifact);
        if (artifact.OutOfReach is not null)
        {
            content.HeadersOutOfReach.Add(file.RelativePath);
        }

        if (capture.Whole is { } whole)
        {
            content.Keep(file.RelativePath, whole, claimed);
        }
    }

    [ThreadStatic]
    private static IncrementalHash? reusableHash;

    /// <summary>A block of an entry as it is read.</summary>
    internal delegate void BlockSink(ReadOnlySpan<byte> block);

    /// <summary>
    /// The SHA-256 of <paramref name="stream"/>, reading at most <paramref name="limit"/> + 1 bytes and handing
    /// each block within the limit to <paramref name="sink"/>; null when the stream holds more than the limit
    /// (an entry longer than listed is altered, however long it claims to be).
    /// </summary>
    internal static Sha256Digest? HashCapped(Stream stream, long limit, BlockSink sink, ProgressCounter? progress, CancellationToken cancellationToken)
    {
        // One hash per thread, used again: a million small entries make no million hash contexts.
        var hash = reusableHash ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        reusableHash = null;
        var buffer = ArrayPool<byte>.Shared.Rent(SourceStream.BlockSize);
        var done = false;
        try
        {
            long total = 0;
            int read;
            while (total <= limit && (read = stream.Read(buffer, 0, (int)Math.Min(SourceStream.BlockSize, limit + 1 - total))) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                total += read;
                if (total > limit)
                {
                    return null;
                }

                hash.AppendData(buffer, 0, read);
                sink(buffer.AsSpan(0, read));
                progress?.AddBytes(read);
                progress?.AddHashed(read);
            }

            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            done = true;
            return Sha256Digest.From(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (done)
            {
                reusableHash = hash;
            }
            else
            {
                hash.Dispose();
            }
        }
    }
}
