using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Licensing;
using ModelGoPack.Rendering;
using ModelGoPack.Rules;

namespace ModelGoPack.Evaluation;

/// <summary>Discover and Inspect: reads the config, lists the files and reads the license and notice files.</summary>
internal static class ProjectLoader
{
    /// <summary>Bundle-root files that ModelGoPack generates.</summary>
    public const string LicenseFileName = "LICENSE";
    public const string NoticeFileName = "NOTICE";
    public const string ManifestFileName = "modelgo-manifest.json";

    /// <summary>The most a license or notice file (or the model card) may hold: 4 MiB.</summary>
    public const int MaxTextFileBytes = 4 * 1024 * 1024;

    private static readonly string[] ReservedNames = [LicenseFileName, NoticeFileName, ManifestFileName];

    /// <summary>Root file names read as the project's (or a bundle's) license copy.</summary>
    public static readonly string[] LicenseFileNames = ["LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENCE.txt", "LICENCE.md"];

    /// <summary>Whether a path is a root license copy: one of <see cref="LicenseFileNames"/>, in any case.</summary>
    public static bool IsLicenseCopy(string path) => LicenseFileNames.Contains(path, StringComparer.OrdinalIgnoreCase);

    public static ModelProject? Load(string root, ConfigOverrides? overrides, IEnumerable<string> excludedFullPaths, DiagnosticBag diagnostics, Releases.ReleaseOptions releaseOptions)
    {
        var cancellationToken = releaseOptions.CancellationToken;
        var source = ConfigReader.Read(root, overrides, diagnostics);
        if (source is null)
        {
            return null;
        }

        var config = source.Config;

        // The releases the upstreams name are read on another thread while the project is scanned and inspected.
        using var reading = new ReleaseReading(root, config, releaseOptions);
        var globs = new Globs(config.Include, config.Exclude);
        var stampFiles = new List<ProjectFile>();

        // Nothing of an upstream's release is bundled: a release named inside the project, and every earlier bundle
        // (a folder holding a modelgo-manifest.json, an archive pack wrote), are left out, each with a note.
        // (A release that is not there is reported when it is read; git's own folder is never a file of the project.)
        var releasePaths = config.Upstream.Select(u => (Upstream: u, Full: Releases.ReleaseLocation.LeftOut(root, u)))
            .Where(r => r.Full is not null && Path.Exists(r.Full))
            .Select(r => (r.Upstream, Full: r.Full!, Inside: Releases.ReleaseLocation.InsideProject(root, r.Full!)))
            .Where(r => r.Inside is not null && r.Inside != ".git" && !r.Inside.StartsWith(".git/", StringComparison.Ordinal))
            .ToList();
        var bundles = new List<string>();
        var scanned = ProjectScanner.Scan(root, globs, excludedFullPaths.Concat(releasePaths.Select(r => Path.Combine(root, r.Inside!))), diagnostics, cancellationToken, Inspection.DatasetStamp.FileName, stampFiles, bundles);

        // An upstream's notice files are kept (iv), and listed in the manifest, wherever they are: one under a release
        // that is left out is still a project file, as verify will look for it in the bundle.
        var leftOut = releasePaths.Select(r => r.Inside! + "/").Concat(bundles.Select(b => b + "/")).ToList();
        foreach (var notice in config.Upstream.SelectMany(u => u.Notices).Distinct(StringComparer.Ordinal)
            .Where(n => leftOut.Any(l => n.StartsWith(l, StringComparison.Ordinal)) && !ProjectPath.PassesThroughLink(root, n)))
        {
            var full = Path.GetFullPath(Path.Combine(root, notice));
            if (FileType.Stamp(full) is { } stamp && scanned.All(f => f.RelativePath != notice))
            {
                scanned.Add(new ProjectFile(notice, full, stamp.Size));
            }
        }

        scanned.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        foreach (var (upstream, _, inside) in releasePaths)
        {
            diagnostics.Add(DiagnosticCatalog.ReleaseLeftOut, $"'{inside}' is the release of upstream \"{upstream.Name}\"; it is compared with, and left out of the bundle.", inside);
        }

        foreach (var folder in bundles.Where(b => !releasePaths.Any(r => r.Inside == b)))
        {
            diagnostics.Add(DiagnosticCatalog.ReleaseLeftOut, $"'{folder}' holds a modelgo-manifest.json: it is a bundle (an earlier output of pack, or a release), and is left out of this one.", folder);
        }

        var files = new List<ProjectFile>(scanned.Count);
        var licenseFiles = new List<(ProjectFile, LicenseIdentification)>();
        NoticeText? projectNotice = null;
        foreach (var file in scanned)
        {
            var atRoot = !file.RelativePath.Contains('/', StringComparison.Ordinal);
            var firstSegment = atRoot ? file.RelativePath : file.RelativePath[..file.RelativePath.IndexOf('/', StringComparison.Ordinal)];
            if (!atRoot && ReservedNames.Contains(firstSegment, StringComparer.OrdinalIgnoreCase))
            {
                diagnostics.Add(DiagnosticCatalog.ReservedBundlePath,
                    $"'{file.RelativePath}' is under a folder named like the generated '{firstSegment}'. {DiagnosticCatalog.ReservedBundlePath.Help}", file.RelativePath);
                continue;
            }

            if (IsLicenseCopy(file.RelativePath))
            {
                if (ReadText(file, diagnostics) is { } bytes && !IsLfsPointer(file, bytes, diagnostics))
                {
                    licenseFiles.Add((file, LicenseIdentifier.Identify(bytes)));
                }

                // The bundle's LICENSE is always the canonical text; other license file names are kept.
                if (string.Equals(file.RelativePath, LicenseFileName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
            }
            else if (atRoot && string.Equals(file.RelativePath, NoticeFileName, StringComparison.OrdinalIgnoreCase))
            {
                // The project's own NOTICE is kept verbatim inside the generated NOTICE.
                if (ReadText(file, diagnostics) is { } bytes && !IsLfsPointer(file, bytes, diagnostics))
                {
                    projectNotice = new NoticeText(file.RelativePath, TextDecoder.DecodeLines(bytes), null);
                }

                continue;
            }
            else if (atRoot && string.Equals(file.RelativePath, ManifestFileName, StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(DiagnosticCatalog.ReservedBundlePath,
                    $"'{file.RelativePath}' would be replaced by the bundle's generated manifest. {DiagnosticCatalog.ReservedBundlePath.Help}", file.RelativePath);
                continue;
            }

            files.Add(file);
        }

        // A bundle never records where a release is on the packer's machine: a modelgo.json that names one outside the
        // project stays out of it (the manifest declares the same lineage). Judged by the file as written, whatever
        // MSBuild put in place of its upstream list.
        var outside = source.FileReleaseLocations.FirstOrDefault(r => Releases.ReleaseLocation.NamesMachinePath(root, r.Location));
        if (outside.Location is not null && files.FindIndex(f => f.RelativePath == ModelGoConfig.FileName) is >= 0 and var configIndex)
        {
            files.RemoveAt(configIndex);
            diagnostics.Add(DiagnosticCatalog.ConfigLeftOut,
                $"{ModelGoConfig.FileName} names '{outside.Location}', where the release of upstream \"{outside.Upstream}\" is on this machine; it is left out of the bundle. {DiagnosticCatalog.ConfigLeftOut.Help}", ModelGoConfig.FileName);
        }

        // Every file's role and header facts; an archive that is an earlier bundle (under any name) is left out.
        var artifacts = Inspection.ArtifactInspector.Inspect(files, cancellationToken);
        var earlier = artifacts.Where(a => a.Facts.TryGetValue("kind", out var kind) && kind == Releases.EarlierBundle.Kind).Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        if (earlier.Count > 0)
        {
            foreach (var path in earlier.Order(StringComparer.Ordinal))
            {
                diagnostics.Add(DiagnosticCatalog.ReleaseLeftOut, $"'{path}' is a bundle ModelGoPack wrote (an earlier output of pack, or a release); it is left out of this one.", path);
            }

            files.RemoveAll(f => earlier.Contains(f.RelativePath));
            artifacts.RemoveAll(a => earlier.Contains(a.Path));
        }

        // The project's files are known: a derivative's release may compute the digests of those it also has.
        reading.Want(files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal));

        // Names that render otherwise than they read, or that collide where case does not count.
        ReportBidiNames(files.Select(f => f.RelativePath), diagnostics);

        // A bundle is extracted on every system: what verify would refuse there is refused here.
        foreach (var file in files.Where(f => ProjectPath.UnsafeEntryName(f.RelativePath) is not null))
        {
            diagnostics.Add(DiagnosticCatalog.FileNameNotPortable, $"The file name '{ProjectPath.Printable(file.RelativePath)}' cannot be written on every system: {ProjectPath.UnsafeEntryName(file.RelativePath)}. {DiagnosticCatalog.FileNameNotPortable.Help}", file.RelativePath);
        }

        // Against the bundle's generated files too: a project's readme.md would be README.md's twin on Windows.
        var bundled = files.Select(f => f.RelativePath).Union([LicenseFileName, NoticeFileName, Inspection.ModelCard.FileName, ManifestFileName], StringComparer.Ordinal);
        foreach (var (names, why) in ProjectPath.Collisions(bundled))
        {
            var shown = names.Select(ProjectPath.Printable).ToList();
            diagnostics.Add(DiagnosticCatalog.CaseCollision, $"{string.Join(" and ", shown.Select(n => $"'{n}'"))} {why}: where case or normalization does not count, one would overwrite the other. {DiagnosticCatalog.CaseCollision.Help}", names.FirstOrDefault(n => files.Any(f => f.RelativePath == n)) ?? names[0]);
        }

        var notices = new List<NoticeText>();
        if (projectNotice is not null)
        {
            notices.Add(projectNotice);
        }

        foreach (var upstream in config.Upstream)
        {
            for (var i = 0; i < upstream.Notices.Count; i++)
            {
                var relative = upstream.Notices[i];

                // A notice file listed twice (by this upstream, or by two upstreams that share it, as two models
                // of one licensor may) is kept once, under the first that lists it. Clause 2.2(a)(iv) asks to keep
                // each notice, not to repeat it; refusing the second listing would make the user misstate which
                // upstreams a notice belongs to, and a NOTICE holding it twice is only longer.
                if (notices.Any(n => n.Path == relative))
                {
                    continue;
                }

                var full = Path.GetFullPath(Path.Combine(root, relative));
                var info = new FileInfo(full);
                var problem = ProjectPath.PassesThroughLink(root, relative) ? "goes through a symbolic link, which ModelGoPack does not follow"
                    : Directory.Exists(full) ? "is a folder, not a file"
                    : !info.Exists ? "does not exist"
                    : null;
                if (problem is not null)
                {
                    var (where, line, column) = source.Locate($"{upstream.JsonPath}.notices[{i}]");
                    diagnostics.Add(DiagnosticCatalog.UpstreamNoticeMissing,
                        $"Notice file '{relative}' of upstream \"{upstream.Name}\" {problem}. {DiagnosticCatalog.UpstreamNoticeMissing.Help}",
                        where, line, column);
                    continue;
                }

                if (ReadText(new ProjectFile(relative, full, info.Length), diagnostics) is { } bytes)
                {
                    notices.Add(new NoticeText(relative, TextDecoder.DecodeLines(bytes), upstream.Name));
                }
            }
        }

        // Upstream releases: compared with the project, and their notice files kept verbatim. Only the digests of
        // files the project also has are needed (the rest are added or removed whatever they hold).
        var releases = new List<UpstreamRelease>();
        var unread = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (upstream, release, error) in reading.Results())
        {
            if (release is not null)
            {
                releases.Add(release);
                releaseOptions.Progress?.UpstreamRead(release.BytesHashed);
                foreach (var (name, text) in release.Notices.Where(n => !notices.Any(existing => existing.Text.Contains(n.Text, StringComparison.Ordinal))))
                {
                    // Named by the upstream and the file's name in its release: never a path of this machine.
                    notices.Add(new NoticeText(name, text, upstream.Name));
                }

                continue;
            }

            var key = upstream.Git is not null ? "git" : upstream.Manifest is not null ? "manifest" : "bundle";
            var named = upstream.Git is not null
                ? $"git '{upstream.Git}'{(upstream.Repository is { } clone ? $" of repository '{clone}'" : "")}"
                : $"{key} '{upstream.Bundle ?? upstream.Manifest}'";
            unread.Add(upstream.Name);
            var (where, line, column) = source.Locate($"{upstream.JsonPath}.{key}");
            diagnostics.Add(error!.Code,
                $"The release of upstream \"{upstream.Name}\" ({named}): '{error.File}' {error.Message} {error.Code.Help}", where, line, column);
        }

        ReportBidiNotices(notices, diagnostics);

        string? cardText = null;
        if (files.FirstOrDefault(f => f.RelativePath == Inspection.ModelCard.FileName) is { } readme && ReadText(readme, diagnostics) is { } readmeBytes)
        {
            cardText = TextDecoder.Decode(readmeBytes);
        }

        var card = ParseModelCard(cardText, diagnostics);

        // Every other license file, at any depth, and the one the card's license_link names: only these are read.
        // Only the candidates are kept by path: a release of a million files makes no map of them all.
        var link = LicenseFiles.LinkedPath(card, config)?.Path;
        var byPath = files.Where(f => f.RelativePath == link || LicenseFiles.IsLicenseName(f.RelativePath)).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var otherLicenses = new List<(ProjectFile, LicenseIdentification)>();
        foreach (var path in LicenseFiles.OtherLicenseFiles(byPath.Keys, link))
        {
            // A file too large for a license text is one ModelGoPack cannot read: unrecognised (verify judges it alike).
            if (byPath[path].Length > MaxTextFileBytes)
            {
                otherLicenses.Add((byPath[path], LicenseFiles.TooLarge));
            }
            else if (ReadText(byPath[path], diagnostics) is { } licenseBytes)
            {
                otherLicenses.Add((byPath[path], LicenseFiles.Identify(licenseBytes)));
            }
        }

        // Stamps count wherever they are: a dataset used for training is often left out of the bundle.
        var stamps = new List<Inspection.DatasetStamp>();
        foreach (var stampFile in stampFiles)
        {
            var stampBytes = ReadText(stampFile, diagnostics);
            if (stampBytes is null)
            {
                continue;
            }

            try
            {
                stamps.Add(Inspection.DatasetStamp.Parse(stampFile.RelativePath, TextDecoder.Decode(stampBytes)));
            }
            catch (Inspection.ArtifactFormatException e)
            {
                diagnostics.Add(DiagnosticCatalog.DatasetStampInvalid, $"'{stampFile.RelativePath}': {e.Message} {DiagnosticCatalog.DatasetStampInvalid.Help}", stampFile.RelativePath);
            }
        }

        return new ModelProject
        {
            Root = root,
            ModelCard = card,
            ModelCardText = cardText,
            DatasetStamps = stamps,
            Releases = releases,
            UnreadReleases = unread,
            GitExecutable = releaseOptions.GitExecutable,
            Digests = releaseOptions.Cache,
            Source = source,
            Files = files,
            Artifacts = artifacts,
            LicenseFiles = licenseFiles,
            OtherLicenseFiles = otherLicenses,
            Notices = notices,
        };
    }

    /// <summary>File names holding a bidirectional control: MGP8029 each.</summary>
    public static void ReportBidiNames(IEnumerable<string> paths, DiagnosticBag diagnostics)
    {
        foreach (var path in paths.Where(p => ProjectPath.IndexOfBidiControl(p) >= 0))
        {
            var shown = ProjectPath.ShowBidi(path);
            diagnostics.Add(DiagnosticCatalog.BidiControl, $"The file name '{shown}' holds an invisible bidirectional control. {DiagnosticCatalog.BidiControl.Help}", shown);
        }
    }

    /// <summary>Notice texts holding a bidirectional control: MGP8029 each, at its line and column.</summary>
    public static void ReportBidiNotices(IEnumerable<NoticeText> notices, DiagnosticBag diagnostics)
    {
        foreach (var notice in notices.Where(n => ProjectPath.IndexOfBidiControl(n.Text) >= 0))
        {
            var index = ProjectPath.IndexOfBidiControl(notice.Text);
            var (line, column) = ProjectPath.LineAndColumn(notice.Text, index);
            diagnostics.Add(DiagnosticCatalog.BidiControl, $"The notice '{notice.Path}' holds U+{(int)notice.Text[index]:X4}, an invisible bidirectional control; the bundle's NOTICE would not read as it renders. {DiagnosticCatalog.BidiControl.Help}", notice.Path, line, column);
        }
    }

    /// <summary>The model card README.md's text parsed, or null; front matter that is not valid YAML is MGP8024.</summary>
    public static Inspection.ModelCard? ParseModelCard(string? text, DiagnosticBag diagnostics)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return Inspection.ModelCard.Parse(text);
        }
        catch (Inspection.ArtifactFormatException e)
        {
            var (message, line) = FrontMatterProblem(e.Message);
            diagnostics.Add(DiagnosticCatalog.ModelCardInvalid, $"{Inspection.ModelCard.FileName}'s {message} {DiagnosticCatalog.ModelCardInvalid.Help}", Inspection.ModelCard.FileName, line, line > 0 ? 1 : 0);
            return null;
        }
    }

    /// <summary>
    /// What the card's reader says of its front matter ("the front matter is not valid YAML (line 4): ..."), as said
    /// of README.md ("front matter is not valid YAML: ..."), and the line of README.md it names (the YAML parser's,
    /// counted in the file; 1 for a front matter never closed), or 0.
    /// </summary>
    internal static (string Message, int Line) FrontMatterProblem(string problem)
    {
        const string Subject = "the front matter ";
        var message = problem.StartsWith(Subject, StringComparison.Ordinal) ? problem[4..] : $"front matter is not readable: {problem}";
        const string LineMark = " (line ";
        var at = message.IndexOf(LineMark, StringComparison.Ordinal);
        var end = at < 0 ? -1 : message.IndexOf(')', at);
        if (at >= 0 && end > at && int.TryParse(message.AsSpan(at + LineMark.Length, end - at - LineMark.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line))
        {
            return (message.Remove(at, end + 1 - at), line);
        }

        return (message, message.Contains("opened by '---' on line 1", StringComparison.Ordinal) ? 1 : 0);
    }

    // A root LICENSE or NOTICE that is a Git LFS pointer (MGP8041) is neither a license text nor a notice.
    private static bool IsLfsPointer(ProjectFile file, byte[] bytes, DiagnosticBag diagnostics)
    {
        if (Releases.LfsPointer.TryParse(bytes) is not { } pointer)
        {
            return false;
        }

        PreferredAdaptableForm.ReportLfsPointer(file.RelativePath, Inspection.ArtifactInspector.PointerFact(pointer), diagnostics);
        return true;
    }

    private static byte[]? ReadText(ProjectFile file, DiagnosticBag diagnostics)
    {
        if (file.Length > MaxTextFileBytes)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable,
                $"'{file.RelativePath}' is {file.Length} bytes; a license or notice file is at most {MaxTextFileBytes} bytes of text.", file.RelativePath);
            return null;
        }

        try
        {
            return File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable, $"Cannot read '{file.RelativePath}': {e.Message}", file.RelativePath);
            return null;
        }
    }

    /// <summary>
    /// The upstreams' releases (those that name one), read in order on another thread while the project is scanned and
    /// inspected: each is listed at once, and the digests of its files are computed once the project's files are known
    /// (<see cref="Want"/>), since only a derivative's files the project also has need them. Disposed before
    /// <see cref="Want"/> (the project could not be loaded), the reading stops.
    /// </summary>
    private sealed class ReleaseReading : IDisposable
    {
        private static readonly IReadOnlySet<string> None = new HashSet<string>();

        private readonly TaskCompletionSource<IReadOnlySet<string>> wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource stop;
        private readonly Task<List<(UpstreamDeclaration Upstream, UpstreamRelease? Release, Releases.ReleaseException? Error)>>? reading;

        public ReleaseReading(string root, ModelGoConfig config, Releases.ReleaseOptions options)
        {
            // Stopped with the run, or when the project could not be loaded (no hashing goes on behind an error).
            this.stop = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
            var own = options with { CancellationToken = this.stop.Token };
            var named = config.Upstream.Where(u => u.Manifest is not null || u.Bundle is not null || u.Git is not null).ToList();
            if (named.Count > 0)
            {
                this.reading = Task.Run(() => named.Select(u => this.Read(root, u, own)).ToList(), this.stop.Token);
            }
        }

        /// <summary>The project's files (by project-relative path): the paths whose digests a derivative's release computes.</summary>
        public void Want(IReadOnlySet<string> files) => this.wanted.TrySetResult(files);

        /// <summary>Each upstream naming a release, with the release read or why it could not be; waits for the reading.</summary>
        public List<(UpstreamDeclaration Upstream, UpstreamRelease? Release, Releases.ReleaseException? Error)> Results() =>
            this.reading?.GetAwaiter().GetResult() ?? [];

        public void Dispose()
        {
            this.wanted.TrySetCanceled();
            if (this.reading is null || this.reading.IsCompleted)
            {
                this.stop.Dispose();
            }
            else
            {
                // The reading is still going (the project could not be loaded): stopped, and its source disposed when it ends.
                this.stop.Cancel();
                this.reading.ContinueWith(_ => this.stop.Dispose(), TaskScheduler.Default);
            }
        }

        private (UpstreamDeclaration, UpstreamRelease?, Releases.ReleaseException?) Read(string root, UpstreamDeclaration upstream, Releases.ReleaseOptions options)
        {
            try
            {
                var derivative = upstream.Relation == UpstreamRelation.Derivative;
                return (upstream, Releases.ReleaseReader.Load(root, upstream, () => derivative ? this.wanted.Task.GetAwaiter().GetResult() : None, options), null);
            }
            catch (Releases.ReleaseException e)
            {
                return (upstream, null, e);
            }
        }
    }
}
