using System.Text;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Licensing;
using ModelGoPack.Loading;
using ModelGoPack.Rendering;
using ModelGoPack.Rules;
using NuGet.Packaging.Core;
using ModelGoPack.Discovery;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;
using ModelGoPack.Releases;
using ModelGoPack.Signing;
using ModelGoPack.Reporting.CycloneDx;
using ModelGoPack.Verification;

namespace ModelGoPack;

/// <summary>
/// The pipeline every host drives: Discover, Inspect, Evaluate, Render, Emit. Knows nothing of
/// consoles or MSBuild; findings come back as data.
/// </summary>
public static partial class ModelGoPackEngine
{
    /// <summary>Evaluates a project against MG-BY-SA-2.0 and renders its notices, writing nothing.</summary>
    public static CheckResult Check(ProjectRequest request, CancellationToken cancellationToken = default)
    {
        var diagnostics = new DiagnosticBag();
        var prepared = Prepare(request, [], diagnostics, cancellationToken);
        if (prepared is null)
        {
            return new CheckResult(diagnostics.Items);
        }

        // The digests the manifest will list for the project's files (those not replaced by generated ones),
        // computed on all cores or taken from the cache. A project with errors cannot be packed: its
        // findings come at once, without hashing what may be hundreds of GB.
        if (diagnostics.HasErrors)
        {
            return new CheckResult(diagnostics.Items) { Artifacts = prepared.Project.Artifacts };
        }

        var bundled = prepared.Entries.Where(e => e.Source is not null).Select(e => e.Source!).ToList();
        var digests = DigestEngine.HashDigests(bundled, prepared.Project.Digests, request.Progress, diagnostics, cancellationToken);
        prepared.Project.Digests.Save();
        return new CheckResult(diagnostics.Items) { Artifacts = prepared.Project.Artifacts, Digests = new DigestView(digests) };
    }

    /// <summary>
    /// Verifies a received bundle (a folder, .zip, .tar.gz, or a .nupkg with the bundle beside it): every file
    /// its modelgo-manifest.json lists present with its size and SHA-256, nothing unlisted, and then the license
    /// obligations as check evaluates them, on the bundle's own files. Reads the bundle, writes nothing.
    /// </summary>
    public static CheckResult Verify(string bundlePath, ProgressCounter? progress = null, CancellationToken cancellationToken = default) =>
        Verify(new VerifyRequest { BundlePath = bundlePath, Progress = progress }, cancellationToken);

    /// <summary>Whether <paramref name="path"/> is a folder, not a link, that holds nothing (and can be listed).</summary>
    private static bool IsEmptyFolder(string path)
    {
        try
        {
            var folder = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
            return folder.Exists && folder.LinkTarget is null && !folder.EnumerateFileSystemInfos().Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Verifies a received bundle as <see cref="Verify(string, Hashing.ProgressCounter?, CancellationToken)"/>
    /// does; with <see cref="VerifyRequest.ExtractTo"/>, then writes its files to that new folder, atomically,
    /// when it has no integrity error.
    /// </summary>
    public static CheckResult Verify(VerifyRequest request, CancellationToken cancellationToken = default) => Verify(request, cancellationToken, out _);

    /// <summary>Verifies as <see cref="Verify(VerifyRequest, CancellationToken)"/> does; <paramref name="verified"/>: what was read, or null when it could not be.</summary>
    private static CheckResult Verify(VerifyRequest request, CancellationToken cancellationToken, out BundleContent? verified)
    {
        verified = null;
        var diagnostics = new DiagnosticBag();
        var path = request.BundlePath;
        foreach (var given in new[] { path, request.PackageBundlePath, request.ExtractTo }.OfType<string>())
        {
            if (string.IsNullOrWhiteSpace(given) || ProjectPath.HasControlCharacters(given))
            {
                diagnostics.Add(Messages.BundlePathUnusable.With(ProjectPath.Printable(given)));
                return new CheckResult(diagnostics.Items);
            }
        }

        // An empty folder is filled (and kept, as it is); anything else that is there is never replaced nor merged into.
        if (request.ExtractTo is { } target && Path.Exists(target) && !IsEmptyFolder(target))
        {
            var what = Directory.Exists(target) ? new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(target))).LinkTarget is null ? "is a folder that is not empty" : "is a link" : "is a file";
            diagnostics.Add(Messages.ExtractTargetExists.With(target, what), Path.GetFullPath(target));
            return new CheckResult(diagnostics.Items);
        }

        if (request.PackageBundlePath is { } bundleBeside && !BundleVerifier.IsPackage(path))
        {
            diagnostics.Add(Messages.BundleBesideWithoutPackage.With(bundleBeside, path), Path.GetFullPath(bundleBeside));
            return new CheckResult(diagnostics.Items);
        }

        // The signature first (OMS 8.1 to 8.3): a bundle whose signature does not verify is not read at all.
        OmsStatement? signed = null;
        string? signedBy = null;
        if (request.SignaturePath is { } signature)
        {
            if (BundleVerifier.IsPackage(path))
            {
                diagnostics.Add(Messages.PackageNotSignable.With(path), path);
                return new CheckResult(diagnostics.Items);
            }

            signed = SignatureCheck.Verify(signature, request.PublicKeyPath, request.CertificateChainPath, diagnostics, out signedBy);
            if (signed is null)
            {
                return new CheckResult(diagnostics.Items);
            }
        }

        var content = BundleVerifier.Read(path, request.Progress, diagnostics, cancellationToken, SignatureInside(path, request.SignaturePath));
        if (content is null)
        {
            return new CheckResult(diagnostics.Items);
        }

        // Then every file against the digest signed for it (OMS 8.4), the manifest itself among them.
        if (signed is not null)
        {
            SignatureCheck.Compare(content, signed, diagnostics);
        }

        var read = content;
        if (BundleVerifier.IsPackage(path) && content.Readable)
        {
            PackageMetadata.Check(path, content, diagnostics, cancellationToken);
        }

        if (BundleVerifier.IsPackage(path) && content.Manifest is { } manifest)
        {
            content = PackageBundle.Join(path, content, manifest, request.PackageBundlePath, request.Progress, diagnostics, cancellationToken) ?? content;
        }

        request.Progress?.Finish();
        var digests = content.DigestsRead();
        if (!content.ManifestFound)
        {
            var where = content.Prefix.Length > 0 ? $" (read from its one folder '{content.Prefix}', as the bundle's root)" : "";
            diagnostics.Add(Messages.BundleWithoutManifest.With(path, BundleVerifier.ManifestName, where), path);
        }

        if (content.Readable)
        {
            // Judged on the bundle beside a package: its findings name that bundle's files.
            var evaluation = new DiagnosticBag();
            BundleEvaluation.Evaluate(content, evaluation, cancellationToken);
            foreach (var finding in evaluation.Items)
            {
                diagnostics.Add(ReferenceEquals(content, read) ? finding : PackageBundle.Locate(finding, content.Source));
            }
        }

        var extracted = request.ExtractTo is { } extractTo && BundleExtractor.Extract(content, extractTo, diagnostics, cancellationToken);
        verified = content;
        return new CheckResult(diagnostics.Items) { Digests = digests, ExtractedTo = extracted ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.ExtractTo!)) : null, SignedBy = signedBy };
    }

    /// <summary>
    /// The signature's path inside the folder bundle at <paramref name="bundle"/>, relative, when it is there (older bundles
    /// keep model.sig in the model's folder): OMS 6.2 has verifiers leave it out of the files. Null otherwise.
    /// </summary>
    private static string? SignatureInside(string bundle, string? signature)
    {
        if (signature is null || !Directory.Exists(bundle))
        {
            return null;
        }

        var root = ProjectPath.Real(bundle);
        var file = Path.Combine(ProjectPath.Real(Path.GetDirectoryName(Path.GetFullPath(signature))!), Path.GetFileName(signature));
        return file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? ProjectPath.FromFileSystem(root, file) : null;
    }

    /// <summary>
    /// Signs a bundle (a folder, .zip or .tar.gz) with OpenSSF Model Signing v1.0: every file with its SHA-256, the
    /// manifest's digests checked first (by pack's seal when the bundle is unchanged since pack wrote it, else by reading
    /// it once), written to <c>BUNDLE.sig</c> or <see cref="SignRequest.SignaturePath"/>. Nothing is written when the
    /// bundle does not verify.
    /// </summary>
    public static SignResult Sign(SignRequest request, CancellationToken cancellationToken = default) => BundleSigner.Sign(request, cancellationToken);

    /// <summary>
    /// Pushes an OCI image layout's model manifest and its blobs to a registry (the OCI distribution API): only the blobs
    /// the registry does not hold are uploaded, the manifest last. Judges no license (verify does); see docs/push.md.
    /// </summary>
    public static Task<Distribution.PushResult> PushAsync(Distribution.PushRequest request, CancellationToken cancellationToken = default) =>
        Distribution.RegistryPusher.PushAsync(request, cancellationToken);

    /// <summary>
    /// Inspects every file of a folder: its role and what its header says. Uses modelgo.json's include and
    /// exclude when there is one; works without it too.
    /// </summary>
    public static CheckResult Inspect(ProjectRequest request, CancellationToken cancellationToken = default)
    {
        var diagnostics = new DiagnosticBag();
        if (string.IsNullOrWhiteSpace(request.ProjectDirectory) || ProjectPath.HasControlCharacters(request.ProjectDirectory) || !Directory.Exists(request.ProjectDirectory))
        {
            diagnostics.Add(Messages.ProjectNotAFolder.With(ProjectPath.Printable(request.ProjectDirectory)));
            return new CheckResult(diagnostics.Items);
        }

        var root = Path.GetFullPath(request.ProjectDirectory);
        var config = File.Exists(Path.Combine(root, ModelGoConfig.FileName)) ? ConfigReader.Read(root, request.Overrides, diagnostics)?.Config : null;
        if (diagnostics.HasErrors)
        {
            return new CheckResult(diagnostics.Items);
        }

        var globs = new Globs(config?.Include ?? ["**/*"], config?.Exclude ?? []);
        var files = ProjectScanner.Scan(root, globs, request.ExcludedPaths, diagnostics, cancellationToken);
        var artifacts = ArtifactInspector.Inspect(files, cancellationToken);
        PreferredAdaptableForm.ReportUnreadable(artifacts, diagnostics);

        foreach (var broken in artifacts.Where(a => a.Problem is not null))
        {
            diagnostics.Add(Messages.WeightFileInvalid.With(broken.Path, broken.Problem), broken.Path);
        }

        return new CheckResult(diagnostics.Items) { Artifacts = artifacts };
    }

    /// <summary>
    /// Evaluates the project and, when it has no errors, writes the bundle to <paramref name="outputPath"/>
    /// (null: <see cref="DefaultOutputPath"/>). Nothing is written when there is an error.
    /// </summary>
    public static PackResult Pack(ProjectRequest request, string? outputPath, BundleFormat format, CancellationToken cancellationToken = default)
    {
        var diagnostics = new DiagnosticBag();
        if (outputPath is not null && (string.IsNullOrWhiteSpace(outputPath) || ProjectPath.HasControlCharacters(outputPath)))
        {
            diagnostics.Add(Messages.OutputPathUnusable.With(ProjectPath.Printable(outputPath)));
            return new PackResult(diagnostics.Items);
        }

        if (string.IsNullOrWhiteSpace(request.ProjectDirectory))
        {
            return new PackResult(Check(request, cancellationToken).Diagnostics);
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.ProjectDirectory));
        var excluded = outputPath is null ? Array.Empty<string>() : [Path.GetFullPath(outputPath)];
        var prepared = Prepare(request, excluded, diagnostics, cancellationToken);
        if (prepared is null || diagnostics.HasErrors)
        {
            return new PackResult(diagnostics.Items) { Config = prepared?.Project.Config, Artifacts = prepared?.Project.Artifacts ?? [] };
        }

        var (project, entries, waivers, declared) = prepared;
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputPath ?? DefaultOutputPath(root, project.Config, format)));
        if (output == root || root.StartsWith(output + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            diagnostics.Add(Messages.OutputHoldsProject.With(output), output);
            return new PackResult(diagnostics.Items) { Config = project.Config };
        }

        // Inside the project, only bin/ and obj/ hold outputs: anything else there (an upstream's release, even one
        // ModelGoPack made, folder or archive) may be the project's own input, and is never replaced. Judged on real
        // paths, so that a link or another spelling of the path leads to the same answer.
        if ((FileType.Entry(output) is not null || Path.Exists(output)) && ProjectPath.Real(output) is var real && ProjectPath.Real(root) is var realRoot
            && IsUnder(real, realRoot) && !IsUnder(real, Path.Combine(realRoot, "bin")) && !IsUnder(real, Path.Combine(realRoot, "obj")))
        {
            diagnostics.Add(Messages.OutputInsideProject.With(ProjectPath.Printable(output)), output);
            return new PackResult(diagnostics.Items) { Config = project.Config };
        }

        // Dated by what the manifest declares (the changes dated from git too), as a bundle's BOM is dated from its manifest.
        var timestamp = BundleTimestamp.Resolve(request.SourceDateEpoch, declared);
        // The manifest declares every modification the NOTICE states, those dated from git included, so that verify reads the same lineage.
        // With --bom, the BOM is made of the files as they were copied, and listed in the manifest with them.
        ReadOnlyMemory<byte>? bom = null;
        var written = BundleWriter.Write(entries, declared, waivers, project.Artifacts, output, format, timestamp, project.Digests, request.Progress, diagnostics, cancellationToken,
            request.Bom ? files => [BundleEntry.Generated(BomWriter.FileName, (bom = BomWriter.Write(ProjectBomFacts(project, declared, files, timestamp))).Value)] : null);
        project.Digests.Save();
        foreach (var note in project.Digests.TakeNotes())
        {
            diagnostics.Add(note);
        }

        if (written is null)
        {
            return new PackResult(diagnostics.Items) { Config = project.Config };
        }

        // For sign: the stamps of what was just written, and the manifest whose digests pack computed as it wrote.
        BundleSeal.Leave(request.DigestCacheDirectory, output, written.Value.Manifest);
        var generated = entries.Where(e => e.Source is null).ToDictionary(e => e.Path, e => e.Content, StringComparer.Ordinal);
        generated.Remove(ProjectLoader.ManifestFileName);
        if (bom is not null)
        {
            generated[BomWriter.FileName] = bom.Value;
        }

        return new PackResult(diagnostics.Items)
        {
            OutputPath = output,
            Files = written.Value.Files,
            Config = project.Config,
            Artifacts = project.Artifacts,
            Generated = new GeneratedFiles(generated, ProjectLoader.ManifestFileName, written.Value.Manifest),
            ProjectFiles = [.. project.Files.Where(f => !IsBomName(f.RelativePath))],
        };
    }

    // Whether path is folder or under it, compared as the file system compares names.
    private static bool IsUnder(string path, string folder) =>
        path.Equals(folder, Globs.Comparison) || path.StartsWith(folder + Path.DirectorySeparatorChar, Globs.Comparison);

    /// <summary>
    /// The bundle path when none is given: <c>bin/modelgo/{name}.{version}</c> (plus <c>.zip</c>) under
    /// the project, named like the package NuGet would make of the same identity.
    /// </summary>
    public static string DefaultOutputPath(string projectDirectory, ModelGoConfig config, BundleFormat format) =>
        Path.Combine(Path.GetFullPath(projectDirectory), "bin", "modelgo", BundleName(config, format));

    /// <summary>
    /// A fingerprint of everything a bundle is made from: the tool, the request, modelgo.json, the
    /// templates, and every file that would be bundled (path, size, modification time). Hosts that cache a
    /// bundle rebuild it when this changes. Only file metadata is read, never contents. Null when the
    /// config cannot be read (a full run then reports why), and when an upstream names a release (what it holds is
    /// not the project's files, and is compared every time).
    /// </summary>
    public static string? Fingerprint(ProjectRequest request, string outputPath, BundleFormat format)
    {
        try
        {
            var root = Path.GetFullPath(request.ProjectDirectory);
            var diagnostics = new DiagnosticBag();
            var source = ConfigReader.Read(root, request.Overrides, diagnostics);
            if (source is null || diagnostics.HasErrors)
            {
                return null;
            }

            // An upstream's release (a folder, a Hub snapshot, an archive, a git revision) changes in ways file stamps do
            // not show, and --verify-upstream asks for its bytes: such a project is evaluated every time.
            if (request.VerifyUpstream || source.Config.Upstream.Any(u => (u.Bundle ?? u.Manifest ?? u.Git) is not null))
            {
                return null;
            }

            var text = new StringBuilder();
            void Line(string value) => text.Append(value).Append('\n');
            void Stat(string label, string path)
            {
                var info = new FileInfo(path);
                Line(info.Exists ? $"{label}|{info.Length}|{info.LastWriteTimeUtc.Ticks}" : $"{label}|missing");
            }

            Line($"{ToolInfo.Name} {ToolInfo.Version}");
            Line($"{root}|{Path.GetFullPath(outputPath)}|{format}|{request.SourceDateEpoch}{(request.Bom ? "|bom" : "")}");
            Line(string.Join("|", request.ExcludedPaths));
            Stat("config", Path.Combine(root, ModelGoConfig.FileName));
            foreach (var (key, value) in (request.Overrides?.Values ?? new Dictionary<string, ConfigValue>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Line($"value {key}={value.Value?.ToJsonString()}");
            }

            foreach (var (key, value) in (request.Overrides?.Fallbacks ?? new Dictionary<string, ConfigValue>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Line($"fallback {key}={value.Value?.ToJsonString()}");
            }

            if (request.TemplatesDirectory is { } templates && Directory.Exists(templates))
            {
                foreach (var file in Directory.EnumerateFiles(templates).Order(StringComparer.Ordinal))
                {
                    Stat("template " + Path.GetFileName(file), file);
                }
            }

            foreach (var notice in source.Config.Upstream.SelectMany(u => u.Notices))
            {
                Stat("notice " + notice, Path.Combine(root, notice));
            }

            var globs = new Globs(source.Config.Include, source.Config.Exclude);
            var stamps = new List<ProjectFile>();
            var files = ProjectScanner.Scan(root, globs, request.ExcludedPaths.Append(outputPath), diagnostics, CancellationToken.None, DatasetStamp.FileName, stamps);
            foreach (var stamp in stamps)
            {
                Stat("stamp " + stamp.RelativePath, stamp.FullPath);
            }

            foreach (var file in files)
            {
                Stat(file.RelativePath, file.FullPath);
            }

            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The file name ending of a bundle of <paramref name="format"/>: <c>.zip</c>, <c>.tar.gz</c>, <c>.oci</c> for an OCI image layout (a folder), or none for a plain folder.</summary>
    public static string Extension(BundleFormat format) => format switch
    {
        BundleFormat.Zip => ".zip",
        BundleFormat.TarGz => ".tar.gz",
        BundleFormat.Oci => ".oci",
        _ => "",
    };

    /// <summary>The bundle's file name: <c>{name}.{version}</c>, plus <c>.zip</c> or <c>.tar.gz</c> for an archive.</summary>
    public static string BundleName(ModelGoConfig config, BundleFormat format)
    {
        var identity = new PackageIdentity(config.Name, config.Version);
        return $"{identity.Id}.{identity.Version.ToNormalizedString()}{Extension(format)}";
    }

    /// <summary>Reads the config in effect (modelgo.json and overrides), for hosts that need its values.</summary>
    public static ModelGoConfig? ReadConfig(string projectDirectory, ConfigOverrides? overrides, DiagnosticBag diagnostics) =>
        ConfigReader.Read(Path.GetFullPath(projectDirectory), overrides, diagnostics)?.Config;

    private static Prepared? Prepare(ProjectRequest request, IEnumerable<string> excluded, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ProjectDirectory) || ProjectPath.HasControlCharacters(request.ProjectDirectory))
        {
            diagnostics.Add(Messages.ProjectPathUnusable.With(ProjectPath.Printable(request.ProjectDirectory)));
            return null;
        }

        var root = Path.GetFullPath(request.ProjectDirectory);
        if (!Directory.Exists(root))
        {
            diagnostics.Add(Messages.ProjectNotAFolder.With(request.ProjectDirectory), root);
            return null;
        }

        if (request.TemplatesDirectory is { } templatesDirectory && (string.IsNullOrWhiteSpace(templatesDirectory) || ProjectPath.HasControlCharacters(templatesDirectory)))
        {
            diagnostics.Add(Messages.TemplatesPathUnusable.With(ProjectPath.Printable(templatesDirectory)));
            return null;
        }

        var templates = TemplateSet.Open(request.TemplatesDirectory, diagnostics);

        // The digest cache serves the project's files and its upstreams' releases alike.
        var digests = request.DigestCacheDirectory is { } cache ? DigestCache.Open(cache, root, cancellationToken: cancellationToken) : DigestCache.InMemory();
        foreach (var note in digests.TakeNotes())
        {
            diagnostics.Add(note);
        }

        var releases = new ReleaseOptions(digests, request.VerifyUpstream, request.GitExecutable, cancellationToken) { Progress = request.Progress };
        var project = ProjectLoader.Load(root, request.Overrides, excluded.Concat(request.ExcludedPaths), diagnostics, releases);
        if (project is null || templates is null)
        {
            return null;
        }

        project = project with
        {
            PublicityTexts = request.PublicityTexts,
            SourceDateEpoch = request.SourceDateEpoch,
        };

        Obligations.Evaluate(project, diagnostics, cancellationToken);

        // What the bundle declares: every modification the NOTICE states (those dated from git too), as the manifest lists them,
        // and each upstream as its release describes it where the config is silent (provenance a recipient can use).
        var declared = project.Config with
        {
            Modifications = [.. project.Config.Modifications, .. project.DetectedModifications],
            Upstream = [.. project.Config.Upstream.Select(u => Provenance(u, project))],
        };
        var model = TemplateModel.Build(declared, project.Notices, BundleTimestamp.ResolveDate(request.SourceDateEpoch, project.Config));
        var rendered = new List<BundleEntry>();
        foreach (var (template, output) in TemplateSet.Outputs)
        {
            var text = templates.Render(template, model, diagnostics, out var stopped);
            if (stopped || (text is not null && !GeneratedTextLimit.Fits(text)))
            {
                // Never cut short (a cut notice is not kept), and never larger than verify reads whole.
                diagnostics.Add(GeneratedTextLimit.TooLarge(output, text, templates.Describe(template), project.Notices, templates.Describe(template)));
            }
            else if (text is not null)
            {
                rendered.Add(BundleEntry.Generated(output, Encoding.UTF8.GetBytes(text)));

                // Whatever the template, NOTICE must say what 2.2(a)(ii) to (iv) require, as verify will judge it.
                if (output == ProjectLoader.NoticeFileName)
                {
                    Obligations.EvaluateNotice(text, templates.NoticeTemplate(template), declared, project.Notices, diagnostics);
                }
            }
        }

        // The bundle's model card: the project's README.md with its license keys set and a generated section.
        var section = templates.Render(TemplateSet.ModelCardSection, model, diagnostics, out var sectionStopped);
        var card = section is null ? null : ModelCardWriter.Compose(
            project.ModelCardText,
            project.Config,
            // A teacher is no base model (the Hub would read it as fine-tuned): only derivative upstreams are, when the card names none.
            project.ModelCard?.Strings("base_model") is { Count: > 0 } named ? named : project.Config.Upstream.Where(u => u.Relation == UpstreamRelation.Derivative).Select(u => u.Name).ToList(),
            section);
        if (sectionStopped || (card is not null && !GeneratedTextLimit.Fits(card)))
        {
            var from = project.ModelCardText is { } own
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the project's README.md ({Encoding.UTF8.GetByteCount(own):N0} bytes) and {templates.Describe(TemplateSet.ModelCardSection)}")
                : templates.Describe(TemplateSet.ModelCardSection);
            diagnostics.Add(GeneratedTextLimit.TooLarge(ModelCard.FileName, card, from, [], project.ModelCardText is null ? templates.Describe(TemplateSet.ModelCardSection) : ModelCard.FileName));
        }
        else if (card is not null)
        {
            rendered.Add(BundleEntry.Generated(ModelCard.FileName, Encoding.UTF8.GetBytes(card)));
        }

        var waivers = Waivers.Apply(project.Source, diagnostics);

        // What the bundle holds: the license, the rendered files, and the project's files they do not replace.
        var generated = rendered.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        var entries = new List<BundleEntry>(project.Files.Count + rendered.Count + 1)
        {
            BundleEntry.Generated(ProjectLoader.LicenseFileName, LicenseText.Bytes),
        };
        entries.AddRange(rendered);
        // The BOM's name at the root is reserved (in any case): the project's own file of that name is never bundled. With a
        // BOM it is replaced by the one pack writes (an earlier BOM); without, it is left out, and said so (a file of that
        // name in a bundle would pass for the bundle's own BOM).
        foreach (var reserved in project.Files.Where(f => IsBomName(f.RelativePath) && !request.Bom))
        {
            diagnostics.Add(Messages.BomNameReserved.With(reserved.RelativePath), reserved.RelativePath);
        }

        entries.AddRange(project.Files.Where(f => !generated.Contains(f.RelativePath) && !IsBomName(f.RelativePath)).Select(BundleEntry.Copied));
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        // The manifest records the release day check judged by, when the inputs give one, so verify, which has no
        // SOURCE_DATE_EPOCH, judges by the same day. Templates saw only the config's releaseDate.
        declared = declared with { ReleaseDate = ReleaseDay.FromInputs(project.Config, request.SourceDateEpoch)?.Day };
        BundleLimits.Check(request.Bom ? [.. entries, BundleEntry.Generated(BomWriter.FileName, ReadOnlyMemory<byte>.Empty)] : entries, declared, waivers, diagnostics);
        return new Prepared(project, entries, waivers, declared);
    }

    /// <summary>
    /// An upstream as the bundle records it: its version, url, revision and release date from its release where the config gives none,
    /// the digest of its release's manifest, and the files the derivative removed from it. Never where the release is.
    /// </summary>
    private static UpstreamDeclaration Provenance(UpstreamDeclaration upstream, ModelProject project)
    {
        var release = project.Releases.FirstOrDefault(r => r.Upstream == upstream.Name);
        return release is null ? upstream : upstream with
        {
            Version = upstream.Version ?? release.Version,
            Url = upstream.Url ?? release.Url,
            Revision = upstream.Revision ?? release.Revision,
            ReleaseDate = upstream.ReleaseDate ?? release.ReleaseDate,
            ManifestSha256 = release.ManifestSha256,
            Removed = project.RemovedFiles.TryGetValue(upstream.Name, out var removed) ? removed : [],
            ReleaseNotices = [.. release.Notices.Select(n => n.Path)],
        };
    }

    private sealed record Prepared(ModelProject Project, List<BundleEntry> Entries, IReadOnlyList<AppliedWaiver> Waivers, ModelGoConfig Declared);
}
