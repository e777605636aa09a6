using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Rendering;
using ModelGoPack.Rules;
using ModelGoPack.Inspection;
using ModelGoPack.Releases;
using ModelGoPack.Licensing;

namespace ModelGoPack.Loading;

/// <summary>The steps of loading a project folder (<see cref="ProjectLoader.Load"/> runs them, in the order they are written here).</summary>
internal sealed class FolderLoading(string root, ConfigSource source, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    : LoadingSteps(root, source, diagnostics)
{
    private static readonly string[] ReservedNames = [ProjectLoader.LicenseFileName, ProjectLoader.NoticeFileName, ProjectLoader.ManifestFileName];

    private readonly List<ProjectFile> stampFiles = [];
    private List<ProjectFile> scanned = [];
    private List<ProjectFile> files = [];
    private List<Artifact> artifacts = [];
    private NoticeText? projectNotice;
    private readonly List<UpstreamRelease> releases = [];
    private readonly HashSet<string> unread = new(StringComparer.Ordinal);
    private readonly List<DatasetStamp> stamps = [];

    /// <summary>The paths of the files that go into the bundle, once <see cref="Inspect"/> has run.</summary>
    public IReadOnlySet<string> FilePaths => this.files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Step: the project's files, as the config's include and exclude select them. Nothing of an upstream's release is
    /// bundled: a release named inside the project, and every earlier bundle (a folder holding a modelgo-manifest.json,
    /// an archive pack wrote), are left out, each with a note. (A release that is not there is reported when it is read;
    /// git's own folder is never a file of the project.) Dataset stamps are found wherever they are.
    /// </summary>
    public void Scan(IEnumerable<string> excludedFullPaths)
    {
        var releasePaths = this.Config.Upstream.Select(u => (Upstream: u, Full: ReleaseLocation.LeftOut(this.Root, u)))
            .Where(r => r.Full is not null && Path.Exists(r.Full))
            .Select(r => (r.Upstream, Full: r.Full!, Inside: ReleaseLocation.InsideProject(this.Root, r.Full!)))
            .Where(r => r.Inside is not null && r.Inside != ".git" && !r.Inside.StartsWith(".git/", StringComparison.Ordinal))
            .ToList();
        var bundles = new List<string>();
        var globs = new Globs(this.Config.Include, this.Config.Exclude);
        this.scanned = ProjectScanner.Scan(this.Root, globs, excludedFullPaths.Concat(releasePaths.Select(r => Path.Combine(this.Root, r.Inside!))), this.Diagnostics, cancellationToken, DatasetStamp.FileName, this.stampFiles, bundles);

        // An upstream's notice files are kept (iv), and listed in the manifest, wherever they are: one under a release
        // that is left out is still a project file, as verify will look for it in the bundle.
        var leftOut = releasePaths.Select(r => r.Inside! + "/").Concat(bundles.Select(b => b + "/")).ToList();
        foreach (var notice in this.Config.Upstream.SelectMany(u => u.Notices).Distinct(StringComparer.Ordinal)
            .Where(n => leftOut.Any(l => n.StartsWith(l, StringComparison.Ordinal)) && !ProjectPath.PassesThroughLink(this.Root, n)))
        {
            var full = Path.GetFullPath(Path.Combine(this.Root, notice));
            if (FileType.Stamp(full) is { } stamp && this.scanned.All(f => f.RelativePath != notice))
            {
                this.scanned.Add(new ProjectFile(notice, full, stamp.Size));
            }
        }

        this.scanned.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        foreach (var (upstream, _, inside) in releasePaths)
        {
            this.Diagnostics.Add(Messages.ReleaseInProjectLeftOut.With(inside, upstream.Name), inside);
        }

        foreach (var folder in bundles.Where(b => !releasePaths.Any(r => r.Inside == b)))
        {
            this.Diagnostics.Add(Messages.EarlierBundleFolderLeftOut.With(folder), folder);
        }
    }

    /// <summary>
    /// Step: the files at the root that the bundle generates. Paths under a folder named like one are refused; root license
    /// copies are identified (the bundle's LICENSE is always the canonical text; other license file names are kept); the
    /// project's own NOTICE is kept verbatim inside the generated one; a root manifest would be replaced, and is refused.
    /// </summary>
    public void SortRootFiles()
    {
        this.files = new List<ProjectFile>(this.scanned.Count);
        foreach (var file in this.scanned)
        {
            var atRoot = !file.RelativePath.Contains('/', StringComparison.Ordinal);
            var firstSegment = atRoot ? file.RelativePath : file.RelativePath[..file.RelativePath.IndexOf('/', StringComparison.Ordinal)];
            if (!atRoot && ReservedNames.Contains(firstSegment, StringComparer.OrdinalIgnoreCase))
            {
                this.Diagnostics.Add(Messages.UnderFolderNamedLikeGenerated.With(file.RelativePath, firstSegment), file.RelativePath);
                continue;
            }

            if (LicenseFiles.IsLicenseCopy(file.RelativePath))
            {
                if (this.ReadText(file) is { } bytes && !this.IsLfsPointer(file, bytes))
                {
                    this.IdentifyLicenseCopy(file, bytes);
                }

                if (string.Equals(file.RelativePath, ProjectLoader.LicenseFileName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
            }
            else if (atRoot && string.Equals(file.RelativePath, ProjectLoader.NoticeFileName, StringComparison.OrdinalIgnoreCase))
            {
                if (this.ReadText(file) is { } bytes && !this.IsLfsPointer(file, bytes))
                {
                    this.projectNotice = new NoticeText(file.RelativePath, TextDecoder.DecodeLines(bytes), null);
                }

                continue;
            }
            else if (atRoot && string.Equals(file.RelativePath, ProjectLoader.ManifestFileName, StringComparison.OrdinalIgnoreCase))
            {
                this.Diagnostics.Add(Messages.ProjectManifestWouldBeReplaced.With(file.RelativePath), file.RelativePath);
                continue;
            }

            this.files.Add(file);
        }
    }

    /// <summary>
    /// Step: a bundle never records where a release is on the packer's machine: a modelgo.json that names one outside the
    /// project stays out of it (the manifest declares the same lineage). Judged by the file as written, whatever MSBuild
    /// put in place of its upstream list.
    /// </summary>
    public void LeaveOutMachinePaths()
    {
        var outside = this.Source.FileReleaseLocations.FirstOrDefault(r => ReleaseLocation.NamesMachinePath(this.Root, r.Location));
        if (outside.Location is not null && this.files.FindIndex(f => f.RelativePath == ModelGoConfig.FileName) is >= 0 and var configIndex)
        {
            this.files.RemoveAt(configIndex);
            this.Diagnostics.Add(Messages.ConfigNamesReleaseOnMachine.With(outside.Location, outside.Upstream), ModelGoConfig.FileName);
        }
    }

    /// <summary>Step: every file's role and header facts; an archive that is an earlier bundle (under any name) is left out.</summary>
    public void Inspect()
    {
        this.artifacts = ArtifactInspector.Inspect(this.files, cancellationToken);
        var earlier = this.artifacts.Where(a => a.Facts.TryGetValue("kind", out var kind) && kind == EarlierBundle.Kind).Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        if (earlier.Count > 0)
        {
            foreach (var path in earlier.Order(StringComparer.Ordinal))
            {
                this.Diagnostics.Add(Messages.EarlierBundleArchiveLeftOut.With(path), path);
            }

            this.files.RemoveAll(f => earlier.Contains(f.RelativePath));
            this.artifacts.RemoveAll(a => earlier.Contains(a.Path));
        }

        this.Files = this.files;
        this.Artifacts = this.artifacts;
    }

    /// <summary>
    /// Step: names that render otherwise than they read; names some system cannot write (a bundle is extracted on every
    /// system: what verify would refuse there is refused here); names that collide where case does not count, the
    /// bundle's generated files' included (a project's readme.md would be README.md's twin on Windows).
    /// </summary>
    public void CheckNames()
    {
        ReportBidiNames(this.files.Select(f => f.RelativePath), this.Diagnostics);
        foreach (var file in this.files.Where(f => ProjectPath.UnsafeEntryName(f.RelativePath) is not null))
        {
            this.Diagnostics.Add(Messages.ProjectFileNameNotPortable.With(ProjectPath.Printable(file.RelativePath), ProjectPath.UnsafeEntryName(file.RelativePath)), file.RelativePath);
        }

        var bundled = this.files.Select(f => f.RelativePath).Union([ProjectLoader.LicenseFileName, ProjectLoader.NoticeFileName, ModelCard.FileName, ProjectLoader.ManifestFileName], StringComparer.Ordinal);
        foreach (var (names, why) in ProjectPath.Collisions(bundled))
        {
            var shown = names.Select(ProjectPath.Printable).ToList();
            this.Diagnostics.Add(Messages.ProjectNamesCollide.With(string.Join(" and ", shown.Select(n => $"'{n}'")), why), names.FirstOrDefault(n => this.files.Any(f => f.RelativePath == n)) ?? names[0]);
        }
    }

    /// <summary>Step: the notices kept verbatim: the project's own NOTICE first, then each upstream's notice files, each once.</summary>
    public void ReadNotices()
    {
        if (this.projectNotice is not null)
        {
            this.Notices.Add(this.projectNotice);
        }

        this.ReadUpstreamNotices(keepOnce: true);
    }

    /// <summary>
    /// Step: the upstreams' releases, as <paramref name="reading"/> read them: compared with the project later, their notice
    /// files kept verbatim now (named by the upstream and the file's name in its release: never a path of this machine).
    /// A release that could not be read is reported, under the code its reader gave.
    /// </summary>
    public void TakeReleases(ReleaseReading reading, ReleaseOptions options)
    {
        foreach (var (upstream, release, error) in reading.Results())
        {
            if (release is not null)
            {
                this.releases.Add(release);
                options.Progress?.UpstreamRead(release.BytesHashed);
                foreach (var (name, text) in release.Notices.Where(n => !this.Notices.Any(existing => existing.Text.Contains(n.Text, StringComparison.Ordinal))))
                {
                    this.Notices.Add(new NoticeText(name, text, upstream.Name));
                }

                continue;
            }

            var key = upstream.Git is not null ? "git" : upstream.Manifest is not null ? "manifest" : "bundle";
            var named = upstream.Git is not null
                ? $"git '{upstream.Git}'{(upstream.Repository is { } clone ? $" of repository '{clone}'" : "")}"
                : $"{key} '{upstream.Bundle ?? upstream.Manifest}'";
            this.unread.Add(upstream.Name);
            var (where, line, column) = this.Source.Locate($"{upstream.JsonPath}.{key}");
            this.Diagnostics.Add(Messages.ReleaseProblemFor(error!.Code).With(upstream.Name, named, error.File, error.Message), where, line, column);
        }
    }

    /// <summary>Step: every notice must read as it renders.</summary>
    public void CheckNoticeTexts() => ReportBidiNotices(this.Notices, this.Diagnostics);

    /// <summary>Step: the model card, README.md at the root.</summary>
    public void ReadModelCard() => this.ReadModelCard(this.files.FirstOrDefault(f => f.RelativePath == ModelCard.FileName));

    /// <summary>Step: every other license file, and the one the card's license_link names.</summary>
    public void ReadOtherLicenses() => this.ReadOtherLicenses(this.files);

    /// <summary>Step: the dataset stamps, which count wherever they are (a dataset used for training is often left out of the bundle).</summary>
    public void ReadDatasetStamps()
    {
        foreach (var stampFile in this.stampFiles)
        {
            var stampBytes = this.ReadText(stampFile);
            if (stampBytes is null)
            {
                continue;
            }

            try
            {
                this.stamps.Add(DatasetStamp.Parse(stampFile.RelativePath, TextDecoder.Decode(stampBytes)));
            }
            catch (ArtifactFormatException e)
            {
                this.Diagnostics.Add(Messages.DatasetStampUnreadable.With(stampFile.RelativePath, e.Message), stampFile.RelativePath);
            }
        }
    }

    /// <summary>The project, with what only a folder has: its releases, its dataset stamps, the git and digests of this run.</summary>
    public ModelProject Project(ReleaseOptions options) => this.Gathered() with
    {
        DatasetStamps = this.stamps,
        Releases = this.releases,
        UnreadReleases = this.unread,
        GitExecutable = options.GitExecutable,
        Digests = options.Cache,
    };

    protected override byte[]? ReadText(ProjectFile file)
    {
        if (file.Length > ProjectLoader.MaxTextFileBytes)
        {
            this.Diagnostics.Add(Messages.TextFileTooLarge.With(file.RelativePath, file.Length, ProjectLoader.MaxTextFileBytes), file.RelativePath);
            return null;
        }

        try
        {
            return File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            this.Diagnostics.Add(Messages.ProjectFileUnreadable.With(file.RelativePath, e.Message), file.RelativePath);
            return null;
        }
    }

    protected override byte[]? ReadNotice(UpstreamDeclaration upstream, int index)
    {
        var relative = upstream.Notices[index];
        var full = Path.GetFullPath(Path.Combine(this.Root, relative));
        var info = new FileInfo(full);
        var problem = ProjectPath.PassesThroughLink(this.Root, relative) ? "goes through a symbolic link, which ModelGoPack does not follow"
            : Directory.Exists(full) ? "is a folder, not a file"
            : !info.Exists ? "does not exist"
            : null;
        if (problem is not null)
        {
            var (where, line, column) = this.Source.Locate($"{upstream.JsonPath}.notices[{index}]");
            this.Diagnostics.Add(Messages.ProjectNoticeUnusable.With(relative, upstream.Name, problem), where, line, column);
            return null;
        }

        return this.ReadText(new ProjectFile(relative, full, info.Length));
    }

    // A root LICENSE or NOTICE that is a Git LFS pointer (MGP8041) is neither a license text nor a notice.
    private bool IsLfsPointer(ProjectFile file, byte[] bytes)
    {
        if (LfsPointer.TryParse(bytes) is not { } pointer)
        {
            return false;
        }

        PreferredAdaptableForm.ReportLfsPointer(file.RelativePath, ArtifactInspector.PointerFact(pointer), this.Diagnostics);
        return true;
    }
}
