using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
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

        // Nor inside the project it describes (bin/ and obj/ aside, which no bundle holds, as pack's outputs): the next pack would bundle it.
        if (!bundle && output is not null && InsideProject(path, output))
        {
            diagnostics.Add(Messages.BomOutputInsideProject.With(ProjectPath.Printable(output), ProjectPath.Printable(path)), output);
            return new BomResult(diagnostics.Items);
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

    // Whether the output is in the project folder, but not in its bin/ or obj/, compared by real path.
    private static bool InsideProject(string path, string output)
    {
        if (string.IsNullOrWhiteSpace(path) || ProjectPath.HasControlCharacters(path) || !Directory.Exists(path))
        {
            return false;
        }

        var root = ProjectPath.Real(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        var target = ProjectPath.Real(output);
        return IsUnder(target, root) && !IsUnder(target, Path.Combine(root, "bin")) && !IsUnder(target, Path.Combine(root, "obj"));
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
        var digests = DigestEngine.HashDigests(bundled, project.Digests, request.Progress, diagnostics, cancellationToken);
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
            ? new ManifestFile(e.Path, e.Content.Length, Sha256Digest.Of(e.Content.Span))
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
        CardDatasets = project.ModelCard?.Strings("datasets") ?? [],
        Timestamp = timestamp,
    };

    /// <summary>
    /// The BOM of a received bundle, as verify read it (every file hashed once, there): its declaration, its files but the
    /// manifest, what verify read of each, the dataset stamps it holds and its card's datasets; dated as pack dates a bundle,
    /// from what it declares. A BOM the bundle carries is its own when its bytes are those of the BOM made of the rest, dated
    /// as it is dated or as the bundle declares: then that BOM is the answer (so the BOM of a bundle packed with --bom is the
    /// one inside it, SOURCE_DATE_EPOCH's time of day included). Any other file of that name is listed like any file, with MGP9073.
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
        foreach (var file in project.Files)
        {
            if (!content.TryGetDigest(file.RelativePath, out var digest))
            {
                // Every file verify accepted was hashed; one that was not is no file to vouch for.
                diagnostics.Add(Messages.FileGone.With(file.RelativePath), file.RelativePath);
                return null;
            }

            files.Add(new ManifestFile(file.RelativePath, file.Length, digest));
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

        var facts = new BomFacts
        {
            Declared = declaration.Config,
            Files = files,
            Artifacts = project.Artifacts,
            DatasetStamps = stamps,
            CardDatasets = project.ModelCard?.Strings("datasets") ?? [],
            Timestamp = BundleTimestamp.Resolve(request.SourceDateEpoch, declaration.Config),
        };
        if (files.FirstOrDefault(f => IsBomName(f.Path)) is not { } carried)
        {
            return BomWriter.Write(facts);
        }

        if (carried.Path == BomWriter.FileName)
        {
            var rest = facts with { Files = [.. files.Where(f => f != carried)] };
            foreach (var timestamp in CarriedTimestamps(content, carried, facts.Timestamp, cancellationToken))
            {
                var own = BomWriter.Write(rest with { Timestamp = timestamp });
                if (own.Length == carried.Size && Convert.ToHexStringLower(SHA256.HashData(own.Span)) == carried.Sha256)
                {
                    return own;
                }
            }
        }

        diagnostics.Add(Messages.BomCarriedNotOwn.With(carried.Path), carried.Path);
        return BomWriter.Write(facts);
    }

    /// <summary>
    /// The times a BOM the bundle carries may be dated by: its own <c>metadata.timestamp</c>, when it is a BOM of at most 4 MiB
    /// (about 8,000 files) whose timestamp ModelGoPack could have written, then the bundle's time as its manifest declares it.
    /// </summary>
    private static List<DateTimeOffset> CarriedTimestamps(BundleContent content, ManifestFile carried, DateTimeOffset declared, CancellationToken cancellationToken)
    {
        var times = new List<DateTimeOffset>(2);
        BundleVerifier.Fetch(content, [carried.Path], cancellationToken);
        if (content.Text(carried.Path) is { } bytes && BomOutput.IsBom(bytes, whole: true))
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                if (document.RootElement.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                    && metadata.TryGetProperty("timestamp", out var stamp) && stamp.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParseExact(stamp.GetString(), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                    && time >= BundleTimestamp.Earliest)
                {
                    times.Add(time);
                }
            }
            catch (JsonException)
            {
                // Not JSON: no time of its own to try.
            }
        }

        if (!times.Contains(declared))
        {
            times.Add(declared);
        }

        return times;
    }

    // A root file named as the BOM pack --bom writes (in any case: it would collide with it where case does not count).
    private static bool IsBomName(string path) => string.Equals(path, BomWriter.FileName, StringComparison.OrdinalIgnoreCase);
}
