using System.Runtime.InteropServices;

namespace ModelGoPack.Discovery;

/// <summary>
/// Tells a regular file from a named pipe, socket or device, which .NET reports as ordinary files: opening
/// a pipe would block pack forever. Uses lstat(2) where the stat layout is known (Linux x64 and arm64);
/// elsewhere every non-directory counts as a regular file.
/// </summary>
internal static partial class FileType
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;

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

        var buffer = new byte[256];
        if (LStat(path, buffer) != 0)
        {
            return true;
        }

        var mode = BitConverter.ToUInt32(buffer, ModeOffset);
        return (mode & TypeMask) == Regular;
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, [Out] byte[] buffer);
}
