namespace ModelGoPack.Diagnostics;

/// <summary>
/// What the MSBuild task reports about the values MSBuild gives it (ModelGoPack.Tasks), and the package's license
/// metadata (Rules/PackageLicense.cs).
/// </summary>
public static partial class Messages
{
    // MGP1005, MGP6005: the package's license metadata beside the bundle's LICENSE
    public static readonly DiagnosticMessage PackageLicenseFileNotBundleLicense = M(DiagnosticCatalog.PackageLicenseClash, "PackageLicenseFile is '{0}', not the bundle's LICENSE. {help}");
    public static readonly DiagnosticMessage PackageLicenseExpressionBesideLicenseFile = M(DiagnosticCatalog.PackageLicenseClash, "PackageLicenseExpression is '{0}', but this package is licensed MG-BY-SA-2.0 by its LICENSE file. {help}");
    public static readonly DiagnosticMessage PackageLicenseExpressionNotShareAlike = M(DiagnosticCatalog.PackageLicenseShareAlike, "PackageLicenseExpression is '{0}', but this model is a derivative or Extracted Model of an MG-BY-SA-2.0 model. {help}");

    // MGP8006
    public static readonly DiagnosticMessage BundleFormatPropertyUnknown = M(DiagnosticCatalog.ConfigInvalidValue, "ModelGoBundleFormat is '{0}'; use zip, tar.gz, dir or oci.");

    // MGP8019: {0} the item type, {1} the item, {2} the metadata's name
    public static readonly DiagnosticMessage ItemMetadataUnknown = M(DiagnosticCatalog.MSBuildItemInvalid, "{0} '{1}' has unknown metadata '{2}'. {help}");

    // MGP8020
    public static readonly DiagnosticMessage PackageIdNotModelName = M(DiagnosticCatalog.PackageIdentityMismatch, "PackageId is '{0}' but the model's name is '{1}'. {help}");
    public static readonly DiagnosticMessage PackageVersionNotModelVersion = M(DiagnosticCatalog.PackageIdentityMismatch, "PackageVersion is '{0}' but the model's version is '{1}'. {help}");
}
