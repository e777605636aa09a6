namespace ModelGoPack.Diagnostics;

/// <summary>Clause 2.2(a)(vi): share-alike (Rules/ShareAlike.cs, and the license-file walk of Rules/LicenseCopy.cs).</summary>
public static partial class Messages
{
    // MGP1004
    public static readonly DiagnosticMessage ProjectLicenseUnsupported = M(DiagnosticCatalog.ProjectLicenseUnsupported, "\"license\" is '{0}'. {help}");

    // MGP6001: {1} is what the project is (ShareAlike.Kind).
    public static readonly DiagnosticMessage ProjectLicenseBreaksShareAlike = M(DiagnosticCatalog.ShareAlikeViolated, "\"license\" is '{0}', but this project is {1} of an MG-BY-SA-2.0 model. {help}");

    // MGP6002
    public static readonly DiagnosticMessage UpstreamLicenseNotEvaluated = M(DiagnosticCatalog.UpstreamLicenseNotEvaluated, "Upstream \"{0}\" is licensed '{1}'. {help}");

    // MGP6003: {0} the card's key and value, {1} what a linked file is, in parentheses, or nothing, {2} the share-alike sentence or nothing.
    public static readonly DiagnosticMessage ModelCardLicense = M(DiagnosticCatalog.ModelCardLicense, "README.md's front matter says '{0}'{1}.{2} {help}");

    // MGP6004
    public static readonly DiagnosticMessage LicenseCopyBreaksShareAlike = M(DiagnosticCatalog.LicenseFileShareAlike, "{0} is the {1} license, but this project is {2} of an MG-BY-SA-2.0 model. {help}");

    // MGP6006: {2} the weights the file covers, {3} what the project is.
    public static readonly DiagnosticMessage WeightsUnderOtherLicense = M(DiagnosticCatalog.WeightsUnderOtherLicense, "{0} is the {1} license, and it covers {2}; this project is {3} of an MG-BY-SA-2.0 model. {help}");

    // MGP6007
    public static readonly DiagnosticMessage LicenseLinkMissing = M(DiagnosticCatalog.LicenseLinkMissing, "README.md's front matter says 'license_link: {0}', but the release holds no file '{1}'. {help}");

    // MGP6008
    public static readonly DiagnosticMessage WeightsUnderUnknownLicense = M(DiagnosticCatalog.WeightsUnderUnknownLicense, "{0} is named like a license file, but ModelGoPack does not recognise its text, and it covers {1}; this project is {2} of an MG-BY-SA-2.0 model. {help}");

    // MGP6009: {2} where the release states it, {3} the config's file name.
    public static readonly DiagnosticMessage UpstreamLicenseContradicted = M(DiagnosticCatalog.UpstreamLicenseContradicted, "The release of upstream \"{0}\" states the license '{1}' ({2}), but {3} declares '{4}'. {help}");
}
