using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Verification;
using ModelGoPack.Releases;

namespace ModelGoPack.Loading;

/// <summary>
/// Discover and Inspect: reads what a model is made of into a <see cref="ModelProject"/>, which the rules judge. One
/// loader, for a project folder (check and pack) and for a received bundle (verify); each step is a method of
/// <see cref="FolderLoading"/> or <see cref="BundleLoading"/>, those they share are <see cref="LoadingSteps"/>'s.
/// <para>A project folder (<see cref="Load"/>), in this order:</para>
/// <list type="number">
/// <item>the config: modelgo.json with the host's overrides (<see cref="ConfigReader.Read(string, ConfigOverrides?, DiagnosticBag)"/>);</item>
/// <item>the upstreams' releases, read on another thread while the next steps run (<see cref="ReleaseReading"/>);</item>
/// <item><see cref="FolderLoading.Scan"/>: the files, releases inside the project and earlier bundles left out;</item>
/// <item><see cref="FolderLoading.SortRootFiles"/>: reserved names refused, license copies identified, the project's NOTICE kept;</item>
/// <item><see cref="FolderLoading.LeaveOutMachinePaths"/>: a modelgo.json naming a release on this machine left out;</item>
/// <item><see cref="FolderLoading.Inspect"/>: every file's role and header facts, archives that are earlier bundles left out;</item>
/// <item><see cref="FolderLoading.CheckNames"/>: names that render otherwise, that some system cannot write, or that collide;</item>
/// <item><see cref="FolderLoading.ReadNotices"/>: the project's NOTICE and each upstream's notice files;</item>
/// <item><see cref="FolderLoading.TakeReleases"/>: the releases read, their notices kept;</item>
/// <item><see cref="FolderLoading.CheckNoticeTexts"/>: notices that render otherwise than they read;</item>
/// <item><see cref="FolderLoading.ReadModelCard"/>: README.md;</item>
/// <item><see cref="FolderLoading.ReadOtherLicenses"/>: the other license files, and the one the card links;</item>
/// <item><see cref="FolderLoading.ReadDatasetStamps"/>: the dataset stamps, wherever they are.</item>
/// </list>
/// <para>A received bundle (<see cref="LoadBundle"/>), which verify listed, hashed and inspected as it read it:</para>
/// <list type="number">
/// <item><see cref="BundleLoading.ReadDeclaration"/>: its manifest's declaration, else the modelgo.json it carries;</item>
/// <item><see cref="BundleLoading.ListFiles"/>: its files, sorted, with their artifacts;</item>
/// <item><see cref="BundleLoading.ReadModelCard"/>: README.md;</item>
/// <item><see cref="BundleLoading.ReadOtherLicenses"/>: the other license files, and the one the card links;</item>
/// <item><see cref="BundleLoading.ReadLicenseCopies"/>: the root's license copies, and whether LICENSE is there;</item>
/// <item><see cref="BundleLoading.ReadNotices"/>: each upstream notice file it declares;</item>
/// <item><see cref="BundleLoading.CheckTexts"/>: notices, its NOTICE among them, and names that render otherwise.</item>
/// </list>
/// </summary>
internal static class ProjectLoader
{
    /// <summary>Bundle-root files that ModelGoPack generates.</summary>
    public const string LicenseFileName = "LICENSE";
    public const string NoticeFileName = "NOTICE";
    public const string ManifestFileName = "modelgo-manifest.json";

    /// <summary>The most a license or notice file (or the model card) may hold: 4 MiB.</summary>
    public const int MaxTextFileBytes = 4 * 1024 * 1024;

    /// <summary>Loads the project folder <paramref name="root"/>; null when its config cannot be read.</summary>
    public static ModelProject? Load(string root, ConfigOverrides? overrides, IEnumerable<string> excludedFullPaths, DiagnosticBag diagnostics, ReleaseOptions releaseOptions)
    {
        var source = ConfigReader.Read(root, overrides, diagnostics);
        if (source is null)
        {
            return null;
        }

        using var releases = new ReleaseReading(root, source.Config, releaseOptions);
        var folder = new FolderLoading(root, source, diagnostics, releaseOptions.CancellationToken);
        folder.Scan(excludedFullPaths);
        folder.SortRootFiles();
        folder.LeaveOutMachinePaths();
        folder.Inspect();

        // The project's files are known: a derivative's release may compute the digests of those it also has.
        releases.Want(folder.FilePaths);
        folder.CheckNames();
        folder.ReadNotices();
        folder.TakeReleases(releases, releaseOptions);
        folder.CheckNoticeTexts();
        folder.ReadModelCard();
        folder.ReadOtherLicenses();
        folder.ReadDatasetStamps();
        return folder.Project(releaseOptions);
    }

    /// <summary>Loads a received bundle as verify read it; what it declares, if anything, comes with it.</summary>
    public static LoadedBundle LoadBundle(BundleContent content, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var copies = BundleLoading.LicenseCopyPaths(content);
        var declaration = BundleLoading.ReadDeclaration(content, copies, diagnostics, cancellationToken);
        var bundle = new BundleLoading(content, declaration, diagnostics, cancellationToken);
        bundle.ListFiles();
        bundle.ReadModelCard();
        bundle.ReadOtherLicenses();
        bundle.ReadLicenseCopies(copies);
        bundle.ReadNotices();
        bundle.CheckTexts();
        return new LoadedBundle(bundle.Project(), declaration, bundle.NoticeText);
    }
}

/// <summary>A received bundle, loaded: what the rules judge, what it declares (null: nothing), and its NOTICE as it reads.</summary>
internal sealed record LoadedBundle(ModelProject Project, ConfigSource? Declaration, string? NoticeText);
