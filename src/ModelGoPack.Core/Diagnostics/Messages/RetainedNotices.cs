namespace ModelGoPack.Diagnostics;

/// <summary>Clause 2.2(a)(iv): retained notices (Rules/RetainedNotices.cs).</summary>
public static partial class Messages
{
    // MGP4001
    public static readonly DiagnosticMessage CopyrightEmpty = M(DiagnosticCatalog.NoCopyright, "\"copyright\" is empty. {help}");

    // MGP4002: {0} how the NOTICE is named, {2} " (from" the upstream ")" or nothing, {3} the built-in template's fault, or nothing.
    public static readonly DiagnosticMessage NoticeDropped = M(DiagnosticCatalog.NoticeDropped, "{0} does not hold the text of '{1}'{2} verbatim.{3} {help}");

    // MGP4003
    public static readonly DiagnosticMessage UpstreamWithoutNotices = M(DiagnosticCatalog.UpstreamWithoutNotices, "Upstream \"{0}\" lists no \"notices\". {help}");
}
