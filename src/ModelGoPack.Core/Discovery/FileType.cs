using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ModelGoPack.Discovery;

/// <summary>
/// What lstat(2) says of a path. Tells a regular file from a named pipe, socket or device, which .NET
/// reports as ordinary files (opening a pipe would block pack forever), and gives the identity the digest
/// cache is keyed by: size, modification and change times in nanoseconds, inode and device. Reads the
/// stat structure where its layout is known (Linux x64 and arm64); elsewhere every non-directory counts as
/// a regular file and the identity is the size and modification time .NET reports.
/// </summary>
internal static partial class FileType
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;
    private const uint Folder = 0x4000;
    private const uint Link = 0xA000;

    // struct stat on Linux x64 and arm64: st_dev at 0, st_ino at 8, st_size at 48, st_mtim at 88, st_ctim at 104.
    private static readonly int ModeOffset = OperatingSystem.IsLinux()
        ? RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        }
        : -1;

    /// <summary>Whether <paramref name="path"/> is a regular file (true when the platform cannot tell).</summary>
    public static bool IsRegular(string path)
    {
        if (ModeOffset < 0)
        {
            return true;
        }

        Span<byte> buffer = stackalloc byte[256];
        if (LStat(path, buffer) != 0)
        {
            return true;
        }

        var mode = BinaryPrimitives.ReadUInt32LittleEndian(buffer[ModeOffset..]);
        return (mode & TypeMask) == Regular;
    }

    /// <summary>
    /// What is at <paramref name="path"/> itself (a link is not followed): a folder, a link or another kind, and the
    /// user that owns it. Null when nothing is there, or where the platform cannot tell (all but Linux x64 and arm64).
    /// </summary>
    public static (bool Folder, bool Link, uint Owner)? Entry(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (ModeOffset < 0 || LStat(path, buffer) != 0)
        {
            return null;
        }

        var mode = BinaryPrimitives.ReadUInt32LittleEndian(buffer[ModeOffset..]) & TypeMask;

        // st_uid follows st_mode on x64 (mode at 24, uid at 28), and st_nlink does on arm64 (mode at 16, uid at 24).
        var owner = BinaryPrimitives.ReadUInt32LittleEndian(buffer[(ModeOffset + (RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8))..]);
        return (mode == Folder, mode == Link, owner);
    }

    /// <summary>The effective user of this process, where <see cref="Entry"/> can tell owners; else null.</summary>
    public static uint? EffectiveUser => ModeOffset < 0 ? null : GetEffectiveUser();

    /// <summary>Whether anything (a file, folder or link, followed or not) is at <paramref name="path"/>, as its bytes name it.</summary>
    public static bool Exists(string path)
    {
        if (ModeOffset < 0)
        {
            return Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
        }

        Span<byte> buffer = stackalloc byte[256];
        return LStat(path, buffer) == 0;
    }

    /// <summary>
    /// Whether <see cref="Stamp"/> gives a file's whole identity (change time, inode and device besides size and
    /// modification time); elsewhere it gives only the two a user can set back (touch -d).
    /// </summary>
    public static bool KnowsIdentity => ModeOffset >= 0;

    /// <summary>The file's identity now; null when it is gone, cannot be read, or is not a regular file.</summary>
    public static FileStamp? Stamp(string path)
    {
        if (ModeOffset < 0)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks * 100, 0, 0, 0) : null;
        }

        Span<byte> buffer = stackalloc byte[256];
        if (LStat(path, buffer) != 0 || (BinaryPrimitives.ReadUInt32LittleEndian(buffer[ModeOffset..]) & TypeMask) != Regular)
        {
            return null;
        }

        static long Nanoseconds(ReadOnlySpan<byte> timespec) =>
            (BinaryPrimitives.ReadInt64LittleEndian(timespec) * 1_000_000_000) + BinaryPrimitives.ReadInt64LittleEndian(timespec[8..]);

        return new FileStamp(
            BinaryPrimitives.ReadInt64LittleEndian(buffer[48..]),
            Nanoseconds(buffer[88..]),
            Nanoseconds(buffer[104..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer));
    }

    /// <summary>
    /// Makes <paramref name="link"/> a new name (a hard link, link(2)) of the file at <paramref name="target"/>, never
    /// replacing anything at <paramref name="link"/>. False when it cannot: another file system (EXDEV), too many links,
    /// no permission, a name already there, or a platform where <see cref="KnowsIdentity"/> is false.
    /// </summary>
    public static bool TryHardLink(string target, string link) => ModeOffset >= 0 && HardLink(target, link) == 0;

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int HardLink(string target, string link);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUser();
}

/// <summary>
/// A file's identity for the digest cache: size, modification and status-change times (nanoseconds since
/// 1970), inode and device. Any difference means the contents may differ.
/// </summary>
internal readonly record struct FileStamp(long Size, long ModifiedNs, long ChangedNs, ulong Inode, ulong Device)
{
    /// <summary>The five numbers, tab-separated, as the digest cache and pack's seal write them.</summary>
    public string ToLine() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{this.Size}\t{this.ModifiedNs}\t{this.ChangedNs}\t{this.Inode}\t{this.Device}");

    /// <summary>Reads the five numbers <see cref="ToLine"/> writes, from <paramref name="parts"/> at <paramref name="start"/>.</summary>
    public static bool TryParse(string[] parts, int start, out FileStamp stamp)
    {
        const System.Globalization.NumberStyles signed = System.Globalization.NumberStyles.AllowLeadingSign;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        stamp = default;
        if (parts.Length < start + 5
            || !long.TryParse(parts[start], System.Globalization.NumberStyles.None, culture, out var size)
            || !long.TryParse(parts[start + 1], signed, culture, out var modified)
            || !long.TryParse(parts[start + 2], signed, culture, out var changed)
            || !ulong.TryParse(parts[start + 3], System.Globalization.NumberStyles.None, culture, out var inode)
            || !ulong.TryParse(parts[start + 4], System.Globalization.NumberStyles.None, culture, out var device))
        {
            return false;
        }

        stamp = new FileStamp(size, modified, changed, inode, device);
        return true;
    }
}
