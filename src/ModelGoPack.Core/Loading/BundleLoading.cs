using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Licensing;
using ModelGoPack.Rendering;
using ModelGoPack.Verification;
using NuGet.Versioning;
using ModelGoPack.Inspection;

namespace ModelGoPack.Loading;

/// <summary>
/// The steps of loading a received bundle (<see cref="ProjectLoader.LoadBundle"/> runs them, in the order they are
/// written here). Its files were listed, hashed and inspected as verify read it (<see cref="BundleVerifier"/>); what
/// the steps read by name is served from what verify kept, and read again from the archive when it was not kept.
/// </summary>
internal sealed class BundleLoading(BundleContent content, ConfigSource? declaration, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    : LoadingSteps(content.Root ?? "", declaration ?? Undeclared, diagnostics)
{
    // What a bundle that declares nothing is judged as: its files alone.
    private static readonly ConfigSource Undeclared = new(new ModelGoConfig { Name = "bundle", Version = new NuGetVersion(0, 0, 0), License = LicenseText.Id }, JsonLocationMap.Empty);

    /// <summary>The bundle's NOTICE as it reads, once <see cref="CheckTexts"/> has run; null when it has none that verify reads whole.</summary>
    public string? NoticeText { get; private set; }

    /// <summary>
    /// Step: what the bundle declares: its manifest's declaration, else the modelgo.json it carries (whose errors are
    /// reported); null when it declares nothing. The texts read by name are read again from the archive first if hashing
    /// did not keep them (the root license copies, as check finds them: a root License.txt is a license copy, not another
    /// license file), and then the notice files the declaration names.
    /// </summary>
    public static ConfigSource? ReadDeclaration(BundleContent content, IReadOnlyList<string> copies, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        BundleVerifier.Fetch(content, [.. copies, ProjectLoader.NoticeFileName, ModelCard.FileName, ModelGoConfig.FileName], cancellationToken);
        var declaration = content.Manifest?.Declaration
            ?? (content.Manifest is null && content.Text(ModelGoConfig.FileName) is { } bytes ? ConfigReader.Parse(bytes, diagnostics) : null);
        BundleVerifier.Fetch(content, declaration?.Config.Upstream.SelectMany(u => u.Notices) ?? [], cancellationToken);
        return declaration;
    }

    /// <summary>
    /// Step: the bundle's files, as verify read them, sorted by path with their artifacts. Sorted in place: a million
    /// files are one array, not also the keys and the map a sort by key makes.
    /// </summary>
    public void ListFiles()
    {
        var files = content.Files.Values.ToArray();
        Array.Sort(files, (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        this.Files = files;
        this.Artifacts = content.Artifacts.Of(files);
    }

    /// <summary>Step: the model card, README.md at the root.</summary>
    public void ReadModelCard() => this.ReadModelCard(content.Files.GetValueOrDefault(ModelCard.FileName));

    /// <summary>Step: every other license file, at any depth, and the one the card's license_link names, as check reads them.</summary>
    public void ReadOtherLicenses() => this.ReadOtherLicenses(this.Files);

    /// <summary>
    /// Step: the root's license copies (2.2(a)(i) and Section 6), identified; a bundle without a LICENSE at its root (one
    /// that was not there to read, not one whose data was damaged) is reported. A project needs none: pack writes it.
    /// </summary>
    public void ReadLicenseCopies(IReadOnlyList<string> copies)
    {
        foreach (var name in copies)
        {
            if (content.Text(name) is { } bytes)
            {
                this.IdentifyLicenseCopy(content.Files[name], bytes);
            }
        }

        if (!content.Files.ContainsKey(ProjectLoader.LicenseFileName) && !content.Damaged.Contains(ProjectLoader.LicenseFileName))
        {
            this.Diagnostics.Add(Messages.BundleLicenseMissing.With(), ProjectLoader.LicenseFileName);
        }
    }

    /// <summary>Step: 2.2(a)(iv): every upstream notice file the bundle declares, each listing as it declares it.</summary>
    public void ReadNotices() => this.ReadUpstreamNotices(keepOnce: false);

    /// <summary>Step: a notice must read as it renders, the bundle's NOTICE included, and so must the names of the files it speaks of.</summary>
    public void CheckTexts()
    {
        this.NoticeText = content.Text(ProjectLoader.NoticeFileName) is { } bytes ? TextDecoder.DecodeLines(bytes) : null;
        ReportBidiNotices(this.NoticeText is null ? this.Notices : this.Notices.Prepend(new NoticeText(ProjectLoader.NoticeFileName, this.NoticeText, null)), this.Diagnostics);
        ReportBidiNames(content.Files.Keys.Where(p => ProjectPath.IndexOfBidiControl(p) >= 0).Order(StringComparer.Ordinal), this.Diagnostics);
    }

    /// <summary>The bundle, as the rules read it.</summary>
    public ModelProject Project() => this.Gathered();

    protected override byte[]? ReadText(ProjectFile file) => content.Text(file.RelativePath);

    protected override byte[]? ReadNotice(UpstreamDeclaration upstream, int index)
    {
        var path = upstream.Notices[index];
        if (content.Text(path) is { } bytes)
        {
            return bytes;
        }

        if (content.Files.TryGetValue(path, out var present))
        {
            this.Diagnostics.Add(Messages.BundleNoticeFileTooLarge.With(path, present.Length, EntryCapture.TextLimit), path);
            return null;
        }

        var (where, line, column) = this.Source.Locate($"{upstream.JsonPath}.notices[{index}]");
        this.Diagnostics.Add(Messages.BundleNoticeFileMissing.With(path, upstream.Name), where, line, column);
        return null;
    }

    protected override void Fetch(IEnumerable<string> paths) => BundleVerifier.Fetch(content, paths, cancellationToken);

    /// <summary>The root license copies a bundle holds, in ordinal order: found once, by a walk of every path.</summary>
    public static List<string> LicenseCopyPaths(BundleContent content) =>
        content.Files.Keys.Where(LicenseFiles.IsLicenseCopy).Order(StringComparer.Ordinal).ToList();
}
