using System.Globalization;
using System.Text;
using ModelGoPack.Diagnostics;
using ModelGoPack.Config;
using ModelGoPack.Rules;
using ModelGoPack.Verification;

namespace ModelGoPack.Emit;

/// <summary>
/// The limits a bundle keeps, one definition for both sides: <c>pack</c> refuses a release that would break
/// one (MGP8031, MGP8032), and <c>verify</c> refuses a bundle that does (MGP9006, MGP9010), so that every
/// bundle pack writes is one its own verify accepts. The numbers are public API (docs/reliability.md, "The output").
/// </summary>
internal static class BundleLimits
{
    /// <summary>The most files a bundle holds, its manifest not counted: 1,000,000.</summary>
    public const int MaxFiles = 1_000_000;

    /// <summary>
    /// The longest path of a file in a bundle, in UTF-8 bytes: 1,024. Linux's PATH_MAX is 4,096 for the whole
    /// path, so a bundle extracted under a folder of up to 3,000 bytes still fits.
    /// </summary>
    public const int MaxPathBytes = 1024;

    /// <summary>The longest name of one path segment, in UTF-8 bytes: 255, NAME_MAX on ext4, XFS, APFS and NTFS alike.</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>
    /// The largest <c>modelgo-manifest.json</c>: 256 MiB. A manifest line of the longest path is about 1,140
    /// bytes, so this holds 230,000 files of the longest paths, or the 1,000,000 files of short ones.
    /// </summary>
    public const long MaxManifestBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Pack's side: the bundle must be one verify reads: at most so many files, and a manifest of at
    /// most so many bytes, measured exactly before anything is hashed or written (MGP8032). Path lengths are the
    /// name rule's (MGP8031).
    /// </summary>
    public static void Check(IReadOnlyList<BundleEntry> entries, ModelGoConfig declared, IReadOnlyList<AppliedWaiver> waivers, DiagnosticBag diagnostics)
    {
        if (entries.Count > MaxFiles)
        {
            diagnostics.Add(Messages.BundleTooManyFiles.With(entries.Count, MaxFiles), ModelGoConfig.FileName);
            return;
        }

        var declaredSize = ManifestWriter.Measure(declared, waivers, []);
        if (declaredSize > ManifestReader.MaxDeclaredBytes)
        {
            diagnostics.Add(Messages.ManifestDeclarationsTooLarge.With(declaredSize, ManifestReader.MaxDeclaredBytes), ModelGoConfig.FileName);
            return;
        }

        var values = ManifestReader.DeclaredValues(ManifestWriter.Write(declared, waivers, []));
        if (values > ManifestReader.MaxDeclaredValues)
        {
            diagnostics.Add(Messages.ManifestDeclarationsTooMany.With(ManifestReader.MaxDeclaredValues), ModelGoConfig.FileName);
            return;
        }

        var size = ManifestWriter.Measure(declared, waivers, entries.Select(e => (e.Path, e.Length)));
        if (size > MaxManifestBytes)
        {
            diagnostics.Add(Messages.ManifestTooLarge.With(size, entries.Count, MaxManifestBytes), ModelGoConfig.FileName);
        }
    }

    /// <summary>Why <paramref name="path"/> is too long for a bundle, or null when it is not.</summary>
    public static string? PathTooLong(string path)
    {
        var bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes > MaxPathBytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {bytes:N0} bytes long, and a bundle path is at most {MaxPathBytes:N0} bytes of UTF-8");
        }

        foreach (var segment in path.Split('/'))
        {
            var length = Encoding.UTF8.GetByteCount(segment);
            if (length > MaxSegmentBytes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"its segment '{Shorten(segment)}' is {length:N0} bytes long, and a file or folder name is at most {MaxSegmentBytes} bytes of UTF-8 on most file systems");
            }
        }

        return null;
    }

    /// <summary>A long name cut for a message: its first 40 characters, an ellipsis and its last 20.</summary>
    public static string Shorten(string text) => text.Length <= 64 ? text : $"{text[..40]}…{text[^20..]}";
}
