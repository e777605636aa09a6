using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ModelGoPack.Discovery;

/// <summary>
/// Opening a file ModelGoPack keeps for itself (the digest cache) as the data from disk it is: never through
/// a symbolic link, never a pipe, socket or device. .NET has no way to open without following a link, and
/// opening a named pipe for reading blocks until a writer comes, so on Linux (x64 and arm64) the file is
/// checked with lstat(2) before it is opened, opened with <c>O_NOFOLLOW | O_NONBLOCK</c> (a link swapped in
/// fails, a pipe swapped in does not block), and checked again with fstat(2) on the open descriptor: the
/// same regular file (device and inode) lstat saw. Elsewhere the link and type checks are what .NET reports.
/// </summary>
internal static partial class FileType
{
    // open(2) flags; O_NOFOLLOW differs between x64 (0400000) and arm64 (0100000).
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int NoLinkFollowX64 = 0x20000;
    private const int NoLinkFollowArm64 = 0x8000;
    private const int NoSuchFile = 2;
    private const int TooManyLinks = 40;

    /// <summary>
    /// Opens <paramref name="path"/> for reading when it is a regular file, not a link. Null with
    /// <paramref name="refused"/> null when nothing is there; null with the reason (for a message:
    /// "is a symbolic link", ...) when something else is there or it cannot be opened.
    /// </summary>
    public static SafeFileHandle? OpenRegular(string path, out string? refused)
    {
        refused = null;
        if (ModeOffset < 0)
        {
            return OpenPortable(path, out refused);
        }

        Span<byte> before = stackalloc byte[256];
        if (LStat(path, before) != 0)
        {
            refused = Marshal.GetLastPInvokeError() == NoSuchFile ? null : "cannot be read";
            return null;
        }

        if (Kind(before) is { } kind)
        {
            refused = kind;
            return null;
        }

        var flags = ReadOnly | NonBlocking | CloseOnExec | (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? NoLinkFollowArm64 : NoLinkFollowX64);
        var descriptor = Open(path, flags);
        if (descriptor < 0)
        {
            refused = Marshal.GetLastPInvokeError() switch
            {
                NoSuchFile => "was removed while it was opened",
                TooManyLinks => "is a symbolic link",
                _ => "cannot be opened",
            };
            return null;
        }

        var handle = new SafeFileHandle((nint)descriptor, ownsHandle: true);
        Span<byte> after = stackalloc byte[256];
        if (FStat(descriptor, after) != 0 || Kind(after) is not null
            || BinaryPrimitives.ReadUInt64LittleEndian(after) != BinaryPrimitives.ReadUInt64LittleEndian(before)
            || BinaryPrimitives.ReadUInt64LittleEndian(after[8..]) != BinaryPrimitives.ReadUInt64LittleEndian(before[8..]))
        {
            handle.Dispose();
            refused = "was replaced while it was opened";
            return null;
        }

        return handle;
    }

    /// <summary>
    /// Opens a file the user named (a key, a certificate, a signature) for reading when it is, or links to, a regular
    /// file; a pipe, socket, device or folder is refused unopened (opening a named pipe would wait for a writer forever).
    /// A link is followed to its final target, which is then opened as <see cref="OpenRegular"/> opens a file. Null with
    /// the reason ("does not exist", "is not a regular file ...") when it cannot be.
    /// </summary>
    public static SafeFileHandle? OpenNamed(string path, out string refused)
    {
        var target = path;
        try
        {
            target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not there, or a loop of links: opening the path itself says which.
        }

        var handle = OpenRegular(target, out var why);
        refused = handle is null ? why ?? "does not exist" : "";
        return handle;
    }

    // Null for a regular file; else what it is.
    private static string? Kind(ReadOnlySpan<byte> stat) => (BinaryPrimitives.ReadUInt32LittleEndian(stat[ModeOffset..]) & TypeMask) switch
    {
        Regular => null,
        Link => "is a symbolic link",
        _ => "is not a regular file (a folder, pipe, socket or device)",
    };

    private static SafeFileHandle? OpenPortable(string path, out string? refused)
    {
        refused = null;
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || (info.Exists && info.Attributes.HasFlag(FileAttributes.ReparsePoint)))
            {
                refused = "is a symbolic link";
                return null;
            }

            if (Directory.Exists(path))
            {
                refused = "is not a regular file (a folder, pipe, socket or device)";
                return null;
            }

            return info.Exists ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            refused = "cannot be opened";
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(int descriptor, Span<byte> buffer);
}
