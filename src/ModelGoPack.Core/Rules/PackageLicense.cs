using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;

namespace ModelGoPack.Rules;

/// <summary>
/// The package's license, as NuGet's metadata declares it (clause 2.2(a)(i), a copy of the license with the model;
/// clause 2.2(a)(vi), share-alike). The package's license is the bundle's LICENSE, the MG-BY-SA-2.0 text: ModelGoPack
/// sets PackageLicenseFile to it. Any other PackageLicenseFile, or a PackageLicenseExpression, would declare another
/// license (MGP1005); for Derivative Materials or an Extracted Model of an MG-BY-SA-2.0 model, share-alike requires
/// MG-BY-SA-2.0 itself (MGP6005). The MSBuild task passes the project's values in; the decisions are made here.
/// </summary>
public static class PackageLicense
{
    /// <summary>MGP1005, at <paramref name="path"/>, when <paramref name="packageLicenseFile"/> names another file than the bundle's LICENSE.</summary>
    public static void CheckFile(string? packageLicenseFile, DiagnosticBag diagnostics, string? path)
    {
        if (!string.IsNullOrWhiteSpace(packageLicenseFile) && !string.Equals(packageLicenseFile, ProjectLoader.LicenseFileName, StringComparison.Ordinal))
        {
            diagnostics.Add(Messages.PackageLicenseFileNotBundleLicense.With(packageLicenseFile), path);
        }
    }

    /// <summary>
    /// For a <paramref name="packageLicenseExpression"/>, at <paramref name="path"/>: MGP6005 when the config in effect
    /// makes the model Derivative Materials or an Extracted Model, else MGP1005 (also when the config is invalid: null).
    /// </summary>
    public static void CheckExpression(string? packageLicenseExpression, ModelGoConfig? config, DiagnosticBag diagnostics, string? path)
    {
        if (string.IsNullOrWhiteSpace(packageLicenseExpression))
        {
            return;
        }

        diagnostics.Add(
            config is { } c && (c.IsDerivative || c.IsExtracted)
                ? Messages.PackageLicenseExpressionNotShareAlike.With(packageLicenseExpression)
                : Messages.PackageLicenseExpressionBesideLicenseFile.With(packageLicenseExpression),
            path);
    }
}
