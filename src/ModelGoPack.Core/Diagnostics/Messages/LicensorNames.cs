namespace ModelGoPack.Diagnostics;

/// <summary>Section 2.3: the licensor's name (Rules/LicensorNames.cs).</summary>
public static partial class Messages
{
    // MGP7001: {0} where (the card's title, a tag…), {1} the words used, {2} the licensor, {3} the upstream.
    public static readonly DiagnosticMessage LicensorNameUsed = M(DiagnosticCatalog.LicensorNameUsed, "{0} uses \"{1}\", the name of \"{2}\", the licensor of upstream \"{3}\", for publicity. {help}");
}
