using ModelGoPack.Config;
using ModelGoPack.Hashing;

namespace ModelGoPack.Verification;

/// <summary>A bundle's <c>modelgo-manifest.json</c>: the files it lists and, read as a config, what it declares.</summary>
internal sealed record BundleManifest(IReadOnlyList<ManifestEntry> Files, ConfigSource? Declaration, Sha256Digest Digest, long Length);

/// <summary>One file the manifest lists.</summary>
internal readonly record struct ManifestEntry(string Path, long Size, Sha256Digest Sha256);

/// <summary>
/// Where a manifest lists a path, found by a binary search of its paths in ordinal order: the manifest's own order when
/// it lists them so (as ModelGoPack writes them), else an order of its indexes made once. A million paths cost at
/// most 4 bytes each here, where a lookup by path would cost some 30.
/// </summary>
internal sealed class ListingOrder
{
    private readonly IReadOnlyList<ManifestEntry> files;
    private readonly int[]? order;

    private ListingOrder(IReadOnlyList<ManifestEntry> files, int[]? order) => (this.files, this.order) = (files, order);

    public static ListingOrder Of(IReadOnlyList<ManifestEntry> files)
    {
        for (var i = 1; i < files.Count; i++)
        {
            if (string.CompareOrdinal(files[i - 1].Path, files[i].Path) >= 0)
            {
                var order = new int[files.Count];
                for (var j = 0; j < order.Length; j++)
                {
                    order[j] = j;
                }

                Array.Sort(order, (a, b) => string.CompareOrdinal(files[a].Path, files[b].Path));
                return new ListingOrder(files, order);
            }
        }

        return new ListingOrder(files, null);
    }

    /// <summary>The index in the manifest's files list of <paramref name="path"/>, or -1 if it does not list it.</summary>
    public int Find(string path)
    {
        var (low, high) = (0, this.files.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var at = this.order is null ? middle : this.order[middle];
            var compared = string.CompareOrdinal(this.files[at].Path, path);
            if (compared == 0)
            {
                return at;
            }

            if (compared < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }
}
