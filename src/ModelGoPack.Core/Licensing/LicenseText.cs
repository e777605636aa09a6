namespace ModelGoPack.Licensing;

/// <summary>The canonical MG-BY-SA-2.0 text (December 2025), byte for byte as published.</summary>
public static class LicenseText
{
    /// <summary>The short identifier used in config, manifests and model cards.</summary>
    public const string Id = "MG-BY-SA-2.0";

    /// <summary>
    /// The license as an SPDX expression: MG-BY-SA-2.0 is on no SPDX list, so it is a LicenseRef (as REUSE names it),
    /// the form the ModelPack config's <c>licenses</c> and CycloneDX take.
    /// </summary>
    public const string SpdxReference = "LicenseRef-" + Id;

    /// <summary>The license's full name.</summary>
    public const string Title = "ModelGo Attribution-ShareAlike License 2.0";

    private static readonly Lazy<byte[]> Canonical = new(() =>
    {
        using var stream = typeof(LicenseText).Assembly.GetManifestResourceStream("ModelGoPack.Licenses.MG-BY-SA-2.0")
            ?? throw new InvalidOperationException("The embedded MG-BY-SA-2.0 text is missing from ModelGoPack.Core.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    /// <summary>The published bytes: UTF-8 with BOM, CRLF line endings (7,288 bytes).</summary>
    public static ReadOnlyMemory<byte> Bytes => Canonical.Value;

    /// <summary>The text, decoded.</summary>
    public static string Text => System.Text.Encoding.UTF8.GetString(Canonical.Value.AsSpan(3));
}
