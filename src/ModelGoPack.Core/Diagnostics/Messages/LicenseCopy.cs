namespace ModelGoPack.Diagnostics;

/// <summary>Clause 2.2(a)(i) and Section 6: the license copy and its text (Rules/LicenseCopy.cs).</summary>
public static partial class Messages
{
    // MGP1001: {0} the file, {1} MG-BY-SA-2.0, {2} the word's index, {3} what the license reads, {4} what the file reads.
    public static readonly DiagnosticMessage LicenseTextModified = M(DiagnosticCatalog.LicenseModified, "{0} differs from the {1} text at word {2}: the license reads \"{3}\", the file reads \"{4}\". {help}");
    public static readonly DiagnosticMessage ReuseModelGoTextIsOther = M(DiagnosticCatalog.LicenseModified, "{0} is named as the {1} text of a REUSE LICENSES folder, but it is {2}: the files whose SPDX lines name it would be under another text. {help}");

    // MGP1002
    public static readonly DiagnosticMessage LicenseTextSuperseded = M(DiagnosticCatalog.LicenseSuperseded, "{0} is the superseded MG-BY-SA \"Version 2.0, May 2025\" text. {help}");

    // MGP1003
    public static readonly DiagnosticMessage LicenseCopyIsOther = M(DiagnosticCatalog.LicenseOther, "{0} is the {1} license, not {2}. {help}");
    public static readonly DiagnosticMessage LicenseCopyUnknown = M(DiagnosticCatalog.LicenseOther, "{0} is not the {1} text (it does not start with \"ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025\"). {help}");

    // MGP1007
    public static readonly DiagnosticMessage ReuseTextOfOtherLicense = M(DiagnosticCatalog.PartUnderOtherLicense, "{0} is the {1} license text of a REUSE LICENSES folder: it licenses no folder, only {2}. {help}");
    public static readonly DiagnosticMessage HeaderTemplateOfOtherLicense = M(DiagnosticCatalog.PartUnderOtherLicense, "{0} is a template of the {1} license header that source files carry: it licenses no folder, only the files that carry the header. {help}");
    public static readonly DiagnosticMessage PartUnderOtherLicense = M(DiagnosticCatalog.PartUnderOtherLicense, "{0} is the {1} license; {2}. {help}");

    // MGP1008
    public static readonly DiagnosticMessage LicenseOfMissingFile = M(DiagnosticCatalog.LicenseFileUnidentified, "{0} is the {1} license of {2}, a file the release does not hold; it covers no file. {help}");
    public static readonly DiagnosticMessage LicenseTextUnrecognised = M(DiagnosticCatalog.LicenseFileUnidentified, "{0} is named like a license file, but ModelGoPack does not recognise its text; it would cover {1}. {help}");
}
