namespace ModelGoPack.Diagnostics;

/// <summary>What the engine reports about the paths it is given, before any rule runs (ModelGoPackEngine).</summary>
public static partial class Messages
{
    // MGP8001
    public static readonly DiagnosticMessage ProjectNotAFolder = M(DiagnosticCatalog.ProjectDirectoryMissing, "'{0}' is not a folder. {help}");
    public static readonly DiagnosticMessage ProjectPathUnusable = M(DiagnosticCatalog.ProjectDirectoryMissing, "The project folder '{0}' is not a usable path. {help}");

    // MGP8xxx: templates, weights, output
    public static readonly DiagnosticMessage TemplatesPathUnusable = M(DiagnosticCatalog.TemplatesDirectoryMissing, "The templates folder '{0}' is not a usable path.");
    public static readonly DiagnosticMessage WeightFileInvalid = M(DiagnosticCatalog.WeightHeaderInvalid, "'{0}' is not a valid weight file: {1}");
    public static readonly DiagnosticMessage OutputPathUnusable = M(DiagnosticCatalog.OutputNotABundle, "The output path '{0}' is not a usable path. Give the bundle's path, or leave the output out for the default.");
    public static readonly DiagnosticMessage OutputHoldsProject = M(DiagnosticCatalog.OutputNotABundle, "The output path '{0}' is the project folder or holds it; writing there would replace the project. Choose an output outside the project, or under it (such as bin/).");
    public static readonly DiagnosticMessage OutputInsideProject = M(DiagnosticCatalog.OutputNotABundle, "The output path '{0}' is inside the project and outside bin/ and obj/; pack replaces nothing inside the project but under bin/ and obj/, where outputs go, since anything else (an upstream's release, even one ModelGoPack made) may be the project's own. {help}");

    // MGP9xxx: the bundle verify is given
    public static readonly DiagnosticMessage BundlePathUnusable = M(DiagnosticCatalog.BundleUnreadable, "'{0}' is not a usable path. {help}");
    public static readonly DiagnosticMessage ExtractTargetExists = M(DiagnosticCatalog.ExtractTargetExists, "'{0}' already exists and {1}. {help}");
    public static readonly DiagnosticMessage BundleBesideWithoutPackage = M(DiagnosticCatalog.PackageBundleMismatch, "--bundle '{0}' is for a .nupkg, and '{1}' is not one. {help}");
    public static readonly DiagnosticMessage BundleWithoutManifest = M(DiagnosticCatalog.BundleWithoutManifest, "'{0}' holds no {1}{2}. {help}");
}
