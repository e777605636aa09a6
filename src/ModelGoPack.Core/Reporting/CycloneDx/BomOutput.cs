using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;

namespace ModelGoPack.Reporting.CycloneDx;

/// <summary>
/// Writes a BOM to the file <c>bom --output</c> names, atomically (<see cref="Signing.AtomicFile"/>): under a locked
/// temporary name beside it, flushed to disk, then renamed over it, so that a failed or interrupted run leaves
/// the path as it was. What is there is replaced only when it is a CycloneDX BOM (an earlier run's); a folder or any
/// other file is the user's, and is refused (MGP9071).
/// </summary>
internal static class BomOutput
{
    /// <summary>Why the BOM may not be written to <paramref name="output"/> (a full path), or null when it may.</summary>
    public static string? WhyNotReplaceable(string output)
    {
        if (Directory.Exists(output))
        {
            return "is a folder";
        }

        var info = new FileInfo(output);
        if (info.LinkTarget is not null)
        {
            return "is a link";
        }

        if (!info.Exists)
        {
            return null;
        }

        try
        {
            // A BOM says what it is near its start ("bomFormat" is the second key ModelGoPack writes; other tools put it first).
            using var stream = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            var head = new byte[64 * 1024];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return IsBom(head.AsSpan(0, read), read < head.Length) ? null : "is a file that is not a CycloneDX BOM";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({e.Message})";
        }
    }

    /// <summary>Writes <paramref name="bom"/> to <paramref name="output"/> (a full path); false, with the problem reported, when it could not be.</summary>
    public static bool Write(string output, ReadOnlyMemory<byte> bom, DiagnosticBag diagnostics)
    {
        if (WhyNotReplaceable(output) is { } problem)
        {
            diagnostics.Add(Messages.BomOutputNotReplaceable.With(ProjectPath.Printable(output), problem), output);
            return false;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            Signing.AtomicFile.Write(output, bom.Span, diagnostics);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.BomNotWritten.With(ProjectPath.Printable(output), e.Message), output);
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="head"/> (a file's start, all of it when <paramref name="whole"/>) is a JSON object whose own
    /// top-level <c>bomFormat</c> is <c>CycloneDX</c>: the key read as JSON, never a text that merely quotes it (a page of
    /// documentation, a note, a nested value).
    /// </summary>
    internal static bool IsBom(ReadOnlySpan<byte> head, bool whole) => EarlierOutput.HasTopLevelString(head, whole, "bomFormat"u8, "CycloneDX");
}
