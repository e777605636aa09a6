using System.Text;

namespace ModelGoPack.Releases;

/// <summary>
/// A Git LFS pointer file: what a clone holds in place of a large file until <c>git lfs pull</c>. Exactly
/// (spec v1): <c>version https://git-lfs.github.com/spec/v1</c>, then <c>key value</c> lines sorted by key,
/// among them <c>oid sha256:&lt;64 hex&gt;</c> and <c>size &lt;bytes&gt;</c>, each ending in a line feed, and
/// under 1,024 bytes in all. The oid is the SHA-256 of the content the pointer stands for.
/// </summary>
internal static class LfsPointer
{
    /// <summary>The largest pointer file: the LFS specification caps a pointer at 1,024 bytes.</summary>
    public const int MaxBytes = 1024;

    private const string Version = "version https://git-lfs.github.com/spec/v1";

    // The version lines git-lfs reads besides its own: the pre-release names of the same format.
    private static readonly string[] Versions = [Version, "version https://hawser.github.com/spec/v1", "version http://git-media.io/v/2"];

    /// <summary>The oid (lower-case hex SHA-256) and size a pointer names, or null when <paramref name="bytes"/> is no pointer.</summary>
    public static (string Oid, long Size)? TryParse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes || bytes.Length == 0 || bytes[^1] != (byte)'\n' || !bytes.StartsWith("version "u8))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        // Line ends as a checkout with CRLF conversion leaves them are read as git-lfs reads them.
        var lines = text[..^1].Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToArray();
        if (!Versions.Contains(lines[0], StringComparer.Ordinal))
        {
            return null;
        }

        // As git-lfs parses one: after the version, keys in sorted order, each once, of [a-z0-9.-], only oid, size and
        // ext-* extensions; oid "sha256:" and 64 hex digits; size plain digits. Anything else is a file, not a pointer.
        string? oid = null;
        long? size = null;
        var previous = "";
        foreach (var line in lines.Skip(1))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                return null;
            }

            var (key, value) = (line[..space], line[(space + 1)..]);
            if (string.CompareOrdinal(key, previous) <= 0 || !key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
            {
                return null;
            }

            previous = key;
            if (key == "oid")
            {
                oid = value.Length == 71 && value.StartsWith("sha256:", StringComparison.Ordinal) && value[7..].All(char.IsAsciiHexDigitLower) ? value[7..] : null;
                if (oid is null)
                {
                    return null;
                }
            }
            else if (key == "size")
            {
                size = value.Length is > 0 and <= 19 && value.All(char.IsAsciiDigit) && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytesSize) ? bytesSize : null;
                if (size is null)
                {
                    return null;
                }
            }
            else if (!key.StartsWith("ext-", StringComparison.Ordinal))
            {
                return null;
            }
        }

        return oid is not null && size is not null ? (oid, size.Value) : null;
    }

    /// <summary>The pointer in the file at <paramref name="path"/> (a file of at most <see cref="MaxBytes"/>), or null.</summary>
    public static (string Oid, long Size)? TryRead(string path, long length)
    {
        if (length > MaxBytes || length < 40)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[MaxBytes + 1];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return TryParse(buffer[..read]);
    }
}
