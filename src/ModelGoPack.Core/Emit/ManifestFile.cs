namespace ModelGoPack.Emit;

/// <summary>One file of a bundle as its manifest lists it.</summary>
public sealed record ManifestFile(string Path, long Size, string Sha256);
