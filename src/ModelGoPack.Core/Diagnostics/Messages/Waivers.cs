namespace ModelGoPack.Diagnostics;

/// <summary>Waivers in modelgo.json and in a received bundle's manifest (Rules/Waivers.cs).</summary>
public static partial class Messages
{
    // MGP8xxx, MGP9017: {0} the code, {1} " for" its path or nothing, {2} the justification, {3} the obligation (DiagnosticCatalog.ObligationOf).
    public static readonly DiagnosticMessage WaiverNotAllowed = M(DiagnosticCatalog.WaiverNotAllowed, "The waiver of {0}{1} (\"{2}\"), which cannot be waived: it is {3}, an obligation of the license itself. {help}");
    public static readonly DiagnosticMessage ManifestWaiverNotAllowed = M(DiagnosticCatalog.ManifestWaiverNotAllowed, "The bundle's manifest waives {0}{1} (\"{2}\"), which cannot be waived: it is {3}, an obligation of the license itself. The waiver is not applied. {help}");

    // MGP8xxx
    public static readonly DiagnosticMessage WaiverUnmatched = M(DiagnosticCatalog.WaiverUnmatched, "The waiver of {0}{1} matches no finding. {help}");
}
