namespace ModelGoPack.Emit;

/// <summary>The bundle's container.</summary>
public enum BundleFormat
{
    /// <summary>A plain folder.</summary>
    Directory,

    /// <summary>A .zip archive: weights stored, text deflated, Zip64 where needed.</summary>
    Zip,
}
