using System.Security.Cryptography;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Inspection;
using ModelGoPack.Loading;
using ModelGoPack.Reporting.CycloneDx;
using ModelGoPack.Verification;

namespace ModelGoPack;

/// <summary>The CycloneDX bill of materials: <c>bom</c> of a project or a received bundle (<c>pack --bom</c> is in <see cref="Pack"/>).</summary>
public static partial class ModelGoPackEngine
{
    /// <summary>
    /// The CycloneDX 1.6 BOM (docs/bom.md) of <see cref="ProjectRequest.ProjectDirectory"/>: a project folder (the bundle
    /// <c>pack --bom</c> would write, byte for byte the BOM it would put in it), or a received bundle (a folder holding a
    /// modelgo-manifest.json, a .zip, a .tar.gz, a .nupkg with its bundle beside it), as verify reads it. Made only of a
    /// project check passes, or of a bundle verify passes: with an error, no BOM. With <paramref name="outputPath"/>, written
    /// there atomically; else only returned (<see cref="BomResult.Bom"/>).
    /// </summary>
    public static BomResult Bom(ProjectRequest request, string? outputPath, CancellationToken cancellationToken = default)
    {
        var diagnostics = new DiagnosticBag();
        if (outputPath is not null && (string.IsNullOrWhiteSpace(outputPath) || ProjectPath.HasControlCharacters(outputPath)))
        {
            diagnostics.Add(Messages.BomOutputNotReplaceable.With(ProjectPath.Printable(outputPath), "is not a usable path"));
            return new BomResult(diagnostics.Items);
        }

        var output = outputPath is null ? null : Path.GetFullPath(outputPath);
        var path = request.ProjectDirectory;
        var bundle = IsBundle(path);
        if (bundle && output is not null && InsideBundle(path, output))
        {
            diagnostics.Add(Messages.BomOutputInsideBundle.With(ProjectPath.Printable(output), ProjectPath.Printable(path)), output);
            return new BomResult(diagnostics.Items) { FromBundle = true };
        }

        var bom = bundle ? BundleBom(request, diagnostics, cancellationToken) : ProjectBom(request with { Bom = true }, output, diagnostics, cancellationToken);
        if (bom is null || diagnostics.HasErrors)
        {
            return new BomResult(diagnostics.Items) { FromBundle = bundle };
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (output is not null && !BomOutput.Write(output, bom.Value, diagnostics))
        {
            return new BomResult(diagnostics.Items) { FromBundle = bundle };
        }

        return new BomResult(diagnostics.Items) { Bom = bom, OutputPath = output, FromBundle = bundle };
    }

    /// <summary>Whether <paramref name="path"/> is a received bundle rather than a project (<see cref="BundleLocation"/>).</summary>
    private static bool IsBundle(string path) => BundleLocation(path) is not null;

    /// <summary>
    /// Where the received bundle <paramref name="path"/> names is: a file (an archive), a folder holding a
    /// modelgo-manifest.json, an OCI image layout, or the layout of <c>LAYOUT:REF</c>; null for anything else (a project).
    /// </summary>
    private static string? BundleLocation(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || ProjectPath.HasControlCharacters(path))
        {
            return null;
        }

        if (File.Exists(path) || File.Exists(Path.Combine(path, ProjectLoader.ManifestFileName)) || (Directory.Exists(path) && Oci.OciLayout.IsLayout(path)))
        {
            return path;
        }

        // LAYOUT:REF, by verify's rule.
        return Oci.OciLayout.SplitReference(path)?.Layout;
    }

    // Whether the output is the bundle (an archive) or inside it (a folder, a layout), compared by real path.
    private static bool InsideBundle(string path, string output)
    {
        var bundle = BundleLocation(path)!;
        var real = ProjectPath.Real(Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundle)));
        var target = ProjectPath.Real(output);
        return File.Exists(bundle) ? target.Equals(real, Globs.Comparison) : IsUnder(target, real);
    }

    /// <summary>The BOM of a project folder: what pack would bundle, hashed through the digest cache as check hashes it.</summary>
    private static ReadOnlyMemory<byte>? ProjectBom(ProjectRequest request, string? output, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var prepared = Prepare(request, output is null ? [] : [output], diagnostics, cancellationToken);
        if (prepared is null || diagnostics.HasErrors)
        {
            return null;
        }

        var (project, entries, _, declared) = prepared;
        var bundled = entries.Where(e => e.Source is not null).Select(e => e.Source!).ToList();
        var digests = DigestEngine.HashAll(bundled, project.Digests, request.Progress, diagnostics, cancellationToken);
        project.Digests.Save();
        foreach (var note in project.Digests.TakeNotes())
        {
            diagnostics.Add(note);
        }

        if (diagnostics.HasErrors)
        {
            return null;
        }

        request.Progress?.Finish();
        var files = entries.Select(e => e.Source is null
            ? new ManifestFile(e.Path, e.Content.Length, Convert.ToHexStringLower(SHA256.HashData(e.Content.Span)))
            : new ManifestFile(e.Path, e.Length, digests[e.Path])).ToList();
        return BomWriter.Write(ProjectBomFacts(project, declared, files, BundleTimestamp.Resolve(request.SourceDateEpoch, declared)));
    }

    /// <summary>What a project's BOM is made of: the same for <c>bom DIR</c> and for the one <c>pack --bom</c> puts in the bundle.</summary>
    private static BomFacts ProjectBomFacts(ModelProject project, ModelGoConfig declared, IReadOnlyList<ManifestFile> files, DateTimeOffset timestamp) => new()
    {
        Declared = declared,
        Files = files,
        Artifacts = project.Artifacts,
        DatasetStamps = project.DatasetStamps,
        Timestamp = timestamp,
    };

    /// <summary>
    /// The BOM of a received bundle, as verify read it (every file hashed once, there): its declaration, its files but the
    /// manifest and a BOM it carries (so that the BOM of a bundle packed with --bom is the one inside it), what verify read of
    /// each, and the dataset stamps it holds; dated as pack dates a bundle, from what it declares.
    /// </summary>
    private static ReadOnlyMemory<byte>? BundleBom(ProjectRequest request, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var path = request.ProjectDirectory;
        var result = Verify(new VerifyRequest { BundlePath = path, Progress = request.Progress }, cancellationToken, out var content);
        foreach (var finding in result.Diagnostics)
        {
            diagnostics.Add(finding);
        }

        if (content is null || diagnostics.HasErrors)
        {
            return null;
        }

        var (project, declaration, _) = ProjectLoader.LoadBundle(content, new DiagnosticBag(), cancellationToken);
        if (declaration is null)
        {
            diagnostics.Add(Messages.BomBundleUndeclared.With(path, ProjectLoader.ManifestFileName, ModelGoConfig.FileName), path);
            return null;
        }

        var files = new List<ManifestFile>(project.Files.Count);
        foreach (var file in project.Files.Where(f => f.RelativePath != BomWriter.FileName))
        {
            if (!content.TryGetDigest(file.RelativePath, out var digest))
            {
                // Every file verify accepted was hashed; one that was not is no file to vouch for.
                diagnostics.Add(Messages.FileGone.With(file.RelativePath), file.RelativePath);
                return null;
            }

            files.Add(new ManifestFile(file.RelativePath, file.Length, digest.ToString()));
        }

        var stampPaths = content.Files.Keys.Where(p => p == DatasetStamp.FileName || p.EndsWith("/" + DatasetStamp.FileName, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        BundleVerifier.Fetch(content, stampPaths, cancellationToken);
        var stamps = new List<DatasetStamp>();
        foreach (var stampPath in stampPaths)
        {
            try
            {
                stamps.Add(DatasetStamp.Parse(stampPath, content.Text(stampPath) is { } bytes ? TextDecoder.Decode(bytes) : ""));
            }
            catch (ArtifactFormatException e)
            {
                diagnostics.Add(Messages.DatasetStampUnreadable.With(stampPath, e.Message), stampPath);
            }
        }

        if (diagnostics.HasErrors)
        {
            return null;
        }

        return BomWriter.Write(new BomFacts
        {
            Declared = declaration.Config,
            Files = files,
            Artifacts = project.Artifacts,
            DatasetStamps = stamps,
            Timestamp = BundleTimestamp.Resolve(request.SourceDateEpoch, declaration.Config),
        });
    }

    // A root file named as the BOM pack --bom writes (in any case: it would collide with it where case does not count).
    private static bool IsBomName(string path) => string.Equals(path, BomWriter.FileName, StringComparison.OrdinalIgnoreCase);
}
