namespace ModelGoPack.Emit;

/// <summary>The bundle's container.</summary>
public enum BundleFormat
{
    /// <summary>A plain folder.</summary>
    Directory,

    /// <summary>A .zip archive: weights stored, text deflated, Zip64 where needed.</summary>
    Zip,

    /// <summary>A .tar.gz archive (GNU tar): weights in stored gzip members, text deflated.</summary>
    TarGz,

    /// <summary>An OCI image layout folder holding a CNCF ModelPack artifact: each file a raw layer (docs/oci.md).</summary>
    Oci,
}
