using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;

namespace ModelGoPack.Verification;

/// <summary>
/// A .nupkg made by ModelGoPack carries the bundle's manifest and its files except the weights, which stay in
/// the bundle written beside it. Verify checks the package against that manifest, then the bundle, and
/// evaluates the bundle: the whole release.
/// </summary>
internal static class PackageBundle
{
    /// <summary>The bundle's content when it was found and read; null to evaluate the package alone.</summary>
    public static BundleContent? Join(string packagePath, BundleContent package, BundleManifest manifest, string? bundlePath, ProgressCounter? progress, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var left = manifest.Files.Where(f => !package.Files.ContainsKey(f.Path) && FileKinds.IsWeights(f.Path)).Select(f => f.Path).ToList();
        if (left.Count == 0 && bundlePath is null)
        {
            return null;
        }

        var candidates = bundlePath is null ? Beside(packagePath, manifest) : [bundlePath];
        var found = candidates.FirstOrDefault(Path.Exists);
        if (found is null)
        {
            foreach (var path in left)
            {
                diagnostics.Add(Messages.WeightsLeftToMissingBundle.With(path, string.Join(", ", candidates.Select(c => $"'{c}'"))), path);
            }

            return null;
        }

        if (BundleVerifier.IsPackage(found))
        {
            diagnostics.Add(Messages.BundleBesideIsPackage.With(found, packagePath), Path.GetFullPath(found));
            return null;
        }

        var own = new DiagnosticBag();
        var bundle = BundleVerifier.Read(found, progress, own, cancellationToken);
        foreach (var finding in own.Items)
        {
            diagnostics.Add(Locate(finding, found));
        }

        if (bundle is null)
        {
            return null;
        }

        if (bundle.Manifest is not { } bundleManifest || bundleManifest.Digest != manifest.Digest || bundleManifest.Length != manifest.Length)
        {
            diagnostics.Add((bundle.ManifestFound ? Messages.BundleBesideHoldsOtherManifest : Messages.BundleBesideHoldsNoManifest).With(found, packagePath), Path.GetFullPath(found));

        }

        return bundle;
    }

    /// <summary>A finding about a file of the bundle beside a package, named by full path (bundle!entry in an archive), not as the package's.</summary>
    public static Diagnostic Locate(Diagnostic finding, string bundle)
    {
        var full = Path.GetFullPath(bundle);
        return finding.Path is null || Path.IsPathRooted(finding.Path) ? finding
            : finding with { Path = Directory.Exists(full) ? Path.Join(full, finding.Path) : $"{full}!{finding.Path}" };
    }

    // Where pack puts the bundle by default: beside the package, named {name}.{version} plus the format's ending.
    private static List<string> Beside(string packagePath, BundleManifest manifest)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(packagePath))!;
        var config = manifest.Declaration?.Config;
        if (config is null)
        {
            return [];
        }

        return [.. new[] { BundleFormat.Zip, BundleFormat.TarGz, BundleFormat.Directory, BundleFormat.Oci }.Select(f => Path.Combine(folder, ModelGoPackEngine.BundleName(config, f)))];
    }
}
