using System.Collections.Concurrent;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;
using ModelGoPack.Loading;
using ModelGoPack.Oci;
using ModelGoPack.Rules;

namespace ModelGoPack.Emit;

/// <summary>
/// Emit: writes the bundle in one streaming pass. Each file is read once, in large blocks, and hashed
/// (SHA-256) as it is copied, always: the manifest lists only digests of the bytes written (the digest cache is
/// only checked against them); nothing is held whole in memory. Folder and zip bundles are written on all
/// cores, a file per core; tar.gz front to back. The bundle is written under a locked temporary name beside
/// the output and put in place only when complete (<see cref="PreviousBundle.Replace"/>), so a failed or
/// cancelled run leaves nothing at the output path.
/// </summary>
internal static class BundleWriter
{
    /// <summary>
    /// Writes the bundle; returns the manifest's files and bytes, or null with diagnostics. <paramref name="late"/>, when
    /// given, makes entries from the list of the files copied (a BOM of their digests): they are written after those
    /// files, before the manifest, which lists them too.
    /// </summary>
    public static (IReadOnlyList<ManifestFile> Files, ManifestContent Manifest)? Write(
        IReadOnlyList<BundleEntry> entries,
        ModelGoConfig config,
        IReadOnlyList<AppliedWaiver> waivers,
        IReadOnlyList<Artifact> artifacts,
        string outputPath,
        BundleFormat format,
        DateTimeOffset timestamp,
        DigestCache cache,
        ProgressCounter? progress,
        DiagnosticBag diagnostics,
        CancellationToken cancellationToken,
        Func<IReadOnlyList<ManifestFile>, IReadOnlyList<BundleEntry>>? late = null)
    {
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputPath));
        if (PreviousBundle.WhyNotReplaceable(output, format) is { } problem)
        {
            diagnostics.Add(Messages.OutputNotReplaceable.With(ProjectPath.Printable(output), problem), output);
            return null;
        }

        // An archive's identity now: if it is the same when the new bundle is ready, it need not be read again.
        var before = FileType.Stamp(output);

        var directory = Path.GetDirectoryName(output)!;
        TemporaryOutput? temporary = null;
        try
        {
            Directory.CreateDirectory(directory);

            // What an interrupted run (kill -9, a power cut) left beside this output goes first, and is reported.
            TemporaryOutput.RemoveStale(directory, diagnostics);
            temporary = TemporaryOutput.Create(output);
            // A folder bundle or OCI layout reuses the files of the previous one at the output that its seal and the digest cache prove identical.
            var oci = format == BundleFormat.Oci ? new OciSink(CreateDirectory(temporary.Path), timestamp) : null;
            var copier = new Copier(cache, progress, DigestEngine.Overlap(entries.Select(e => e.Length)), cancellationToken)
            {
                Late = late,
                Reuse = format switch
                {
                    BundleFormat.Directory => PreviousFiles.Folder(output, CreateDirectory(temporary.Path), cache, timestamp),
                    BundleFormat.Oci => PreviousFiles.Layout(output, temporary.Path, cache, timestamp),
                    _ => null,
                },
            };
            if (cache.Folder is not null)
            {
                // A cache saved to disk remembers every file copied (one kept in memory only those the evaluation used).
                cache.Reserve(entries.Count);
            }
            progress?.Start("packing", entries.Sum(e => e.Length), entries.Count);
            var written = format switch
            {
                BundleFormat.Zip => WriteZip(temporary.Path, entries, config, waivers, timestamp, copier, diagnostics),
                BundleFormat.TarGz => WriteSequential(new TarGzSink(temporary.Path, timestamp), entries, config, waivers, copier, diagnostics),
                BundleFormat.Oci => WriteOci(oci!, entries, config, waivers, artifacts, timestamp, copier, diagnostics),
                _ => WriteDirectory(CreateDirectory(temporary.Path), entries, config, waivers, timestamp, copier, diagnostics),
            };
            if (written is null)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            // A file of the previous bundle written in place while the new one shared it would be in the new bundle too.
            if (PreviousBundle.Replace(temporary, output, format, before, copier.Reuse is { } reuse ? reuse.WrittenSinceLinked : null) is { } changed)
            {
                diagnostics.Add(Messages.OutputChangedWhilePacking.With(ProjectPath.Printable(output), changed), output);
                return null;
            }

            return written;
        }
        catch (Exception e) when (e is (IOException and not SourceReadException) or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.BundleNotWritten.With(ProjectPath.Printable(outputPath), e.Message), outputPath);
            return null;
        }
        finally
        {
            // The temporary (and an old bundle moved aside) removed; what cannot be is reported and left to the next run.
            temporary?.Release(diagnostics);
        }
    }

    /// <summary>
    /// Zip: every stored entry (weights) gets its place at the start, sized by the file, and is written
    /// there by a core of its own; at the same time the deflated entries (text) are streamed one after the
    /// other behind them; then the manifest and the central directory, in the order of the data: the stored
    /// entries by path, the deflated ones by path, the manifest (tools that update a zip in place expect it).
    /// </summary>
    private static (IReadOnlyList<ManifestFile> Files, ManifestContent Manifest)? WriteZip(
        string path, IReadOnlyList<BundleEntry> entries, ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, DateTimeOffset timestamp, Copier copier, DiagnosticBag diagnostics)
    {
        using var zip = new ZipWriter(path, timestamp, entries.Where(e => e.Store).Sum(e => e.Length));
        var files = new ManifestFile?[entries.Count];
        var stored = Enumerable.Range(0, entries.Count).Where(i => entries[i].Store).ToList();
        var deflated = Enumerable.Range(0, entries.Count).Where(i => !entries[i].Store).ToList();
        var slots = zip.Reserve(stored.Select(i => (entries[i].Path, entries[i].Length)));
        var slotOf = stored.Select((index, slot) => (index, slot)).ToDictionary(p => p.index, p => slots[p.slot]);
        var problems = new DiagnosticBag();

        // Either side failing stops the other: no more entries are started, and copies in flight are cancelled.
        using var halt = new CancellationTokenSource();
        var deflating = Task.Run(() =>
        {
            try
            {
                foreach (var i in deflated)
                {
                    if (halt.IsCancellationRequested)
                    {
                        return false;
                    }

                    if (copier.Copy(entries[i], content => zip.AddDeflated(entries[i].Path, entries[i].Length, content), out files[i], halt.Token) is { } problem)
                    {
                        lock (problems)
                        {
                            problems.Add(problem);
                        }

                        halt.Cancel();
                        return false;
                    }
                }

                return true;
            }
            catch
            {
                halt.Cancel();
                throw;
            }
        });

        bool copied;
        try
        {
            copied = copier.CopyInParallel(stored, (i, content) => slotOf[i].Write(content), entries, files, problems, halt);
        }
        catch
        {
            // Never leave the streaming side running (its files open, writing to a closed archive).
            halt.Cancel();
            ((IAsyncResult)deflating).AsyncWaitHandle.WaitOne();
            throw;
        }

        ((IAsyncResult)deflating).AsyncWaitHandle.WaitOne();

        // A write failure on the streaming side (disk full) surfaces here as the IOException it is.
        var streamed = deflating.IsCanceled || (deflating.IsFaulted && deflating.Exception!.InnerExceptions.All(e => e is OperationCanceledException)) ? false : deflating.GetAwaiter().GetResult();
        if (!copied || !streamed)
        {
            copier.ThrowIfCancelled();
            foreach (var problem in problems.Items.OrderBy(p => p.Path, StringComparer.Ordinal))
            {
                diagnostics.Add(problem);
            }

            return null;
        }

        var listed = copier.CopyLate([.. files.Select(f => f!)], (entry, content) => zip.AddDeflated(entry.Path, entry.Length, content));
        // Deflated from its bytes whole, in one write: deflate's output depends on how its input is cut (a manifest streamed
        // as the JSON writer flushes deflates to other bytes), and bundles are byte-for-byte reproducible. A folder bundle
        // streams it.
        var manifest = ManifestWriter.Content(config, waivers, listed);
        using (var content = new MemoryStream(manifest.Bytes, writable: false))
        {
            zip.AddDeflated(ProjectLoader.ManifestFileName, manifest.Length, content);
        }

        zip.Complete();
        return (listed, manifest);
    }

    /// <summary>A folder: every file written in parallel, one per core.</summary>
    private static (IReadOnlyList<ManifestFile> Files, ManifestContent Manifest)? WriteDirectory(
        string root, IReadOnlyList<BundleEntry> entries, ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, DateTimeOffset timestamp, Copier copier, DiagnosticBag diagnostics)
    {
        using var sink = new DirectorySink(root, timestamp);
        var files = new ManifestFile?[entries.Count];
        if (!copier.CopyInParallel([.. Enumerable.Range(0, entries.Count)], (i, content) => sink.Add(entries[i], content), entries, files, diagnostics))
        {
            return null;
        }

        var listed = copier.CopyLate([.. files.Select(f => f!)], sink.Add);
        var manifest = ManifestWriter.Content(config, waivers, listed);
        sink.Add(BundleEntry.Generated(ProjectLoader.ManifestFileName, ReadOnlyMemory<byte>.Empty), manifest.WriteTo);

        sink.Complete();
        return (listed, manifest);
    }

    /// <summary>
    /// An OCI image layout (CNCF ModelPack): every file written in parallel, one per core, as a raw layer named by
    /// the digest it was hashed to while written; the manifest as a doc layer; then the ModelPack config, the OCI
    /// manifest with the layers in path order (the manifest last, as in every format) and the index.
    /// </summary>
    private static (IReadOnlyList<ManifestFile> Files, ManifestContent Manifest)? WriteOci(
        OciSink sink, IReadOnlyList<BundleEntry> entries, ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, IReadOnlyList<Artifact> artifacts, DateTimeOffset timestamp, Copier copier, DiagnosticBag diagnostics)
    {
        var files = new ManifestFile?[entries.Count];
        if (!copier.CopyInParallel([.. Enumerable.Range(0, entries.Count)], sink.Add, entries, files, diagnostics))
        {
            return null;
        }

        var copied = files.Select(f => f!).ToList();
        for (var i = 0; i < copied.Count; i++)
        {
            sink.Commit(i, copied[i].Sha256);
        }

        // Generated late entries are small texts (the BOM): a blob each, and a layer like every file's.
        copied = copier.CopyLate(copied, (entry, _) => sink.AddBlob(OciMediaTypes.DocRaw, entry.Content.ToArray()));

        var manifest = ManifestWriter.Content(config, waivers, copied);
        var manifestFile = new ManifestFile(ProjectLoader.ManifestFileName, manifest.Length, sink.AddBlob(OciMediaTypes.DocRaw, manifest.Bytes).Sha256Hex!);

        var byPath = artifacts.ToDictionary(a => a.Path, StringComparer.Ordinal);
        var layers = copied.OrderBy(f => f.Path, StringComparer.Ordinal).Append(manifestFile)
            .Select(f => sink.Layer(f, byPath.GetValueOrDefault(f.Path)))
            .ToList();
        var modelConfig = sink.AddBlob(OciMediaTypes.ModelConfig, ModelPackConfig.Create(config, artifacts, timestamp, layers.Select(l => l.Digest)));
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OciMediaTypes.CreatedAnnotation] = ModelPackConfig.Rfc3339(timestamp),
            ["org.opencontainers.image.title"] = config.Name,
            ["org.opencontainers.image.version"] = config.Version.ToNormalizedString(),
            ["org.opencontainers.image.licenses"] = LicenseText.SpdxReference,
        };
        var ociManifest = new OciManifest(OciMediaTypes.ModelManifest, modelConfig, layers, annotations);
        sink.Complete(sink.AddBlob(OciMediaTypes.ImageManifest, ociManifest.ToJson(), OciMediaTypes.ModelManifest), config.Version.ToNormalizedString());
        return (copied, manifest);
    }

    /// <summary>An archive written front to back (tar.gz): one entry after the other.</summary>
    private static (IReadOnlyList<ManifestFile> Files, ManifestContent Manifest)? WriteSequential(
        TarGzSink sink, IReadOnlyList<BundleEntry> entries, ModelGoConfig config, IReadOnlyList<AppliedWaiver> waivers, Copier copier, DiagnosticBag diagnostics)
    {
        using (sink)
        {
            var files = new List<ManifestFile>(entries.Count);
            foreach (var entry in entries)
            {
                if (copier.Copy(entry, content => sink.Add(entry, content), out var file) is { } problem)
                {
                    diagnostics.Add(problem);
                    return null;
                }

                files.Add(file!);
            }

            files = copier.CopyLate(files, sink.Add);
            var manifest = ManifestWriter.Content(config, waivers, files);
            using (var content = new MemoryStream(manifest.Bytes, writable: false))
            {
                sink.Add(BundleEntry.Generated(ProjectLoader.ManifestFileName, manifest.Bytes), content);
            }

            sink.Complete();
            return (files, manifest);
        }
    }

    /// <summary>
    /// Copies one entry into a sink: read once, hashed while copied (on another core when there are cores to
    /// spare), and checked afterwards to be the file it was when it was opened. The digest listed is always
    /// that of the bytes copied, never one from the digest cache: the cache is only confirmed (or corrected)
    /// with it, and a digest the evaluation used that the bytes contradict stops the bundle (MGP9002).
    /// </summary>
    private sealed class Copier(DigestCache cache, ProgressCounter? progress, bool overlap, CancellationToken cancellationToken)
    {
        /// <summary>Makes entries from the files copied (the hook of <see cref="Write"/>); null: none.</summary>
        public Func<IReadOnlyList<ManifestFile>, IReadOnlyList<BundleEntry>>? Late { get; init; }

        /// <summary>The previous bundle's files, linked instead of copied where proven identical; null: every file is copied.</summary>
        public PreviousFiles? Reuse { get; init; }

        /// <summary>
        /// Writes the entries <see cref="Late"/> makes from <paramref name="files"/> (all copied) with <paramref name="write"/>,
        /// and returns <paramref name="files"/> with theirs added, for the manifest to list.
        /// </summary>
        public List<ManifestFile> CopyLate(List<ManifestFile> files, Action<BundleEntry, Stream> write)
        {
            foreach (var entry in this.Late?.Invoke(files) ?? [])
            {
                if (this.Copy(entry, content => write(entry, content), out var file) is null)
                {
                    files.Add(file!);
                }
            }

            return files;
        }

        /// <summary>Throws when the run itself was cancelled (Ctrl+C), rather than stopped by a failure.</summary>
        public void ThrowIfCancelled() => cancellationToken.ThrowIfCancellationRequested();

        /// <summary>
        /// Null when copied (with its manifest line), else the problem. <paramref name="stop"/> (a failure
        /// elsewhere) cancels the copy like the run's own token does.
        /// </summary>
        public Diagnostic? Copy(BundleEntry entry, Action<Stream> write, out ManifestFile? copied, CancellationToken stop = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop);
            var token = linked.Token;
            token.ThrowIfCancellationRequested();
            copied = null;
            if (entry.Source is not { } file)
            {
                using var content = new MemoryStream(entry.Content.ToArray(), writable: false);
                write(content);
                copied = new ManifestFile(entry.Path, entry.Content.Length, Sha256Digest.Of(entry.Content.Span));
                progress?.AddBytes(entry.Content.Length);
                progress?.AddHashed(entry.Content.Length);
                progress?.FileDone();
                return null;
            }

            if (this.Reuse?.TryLink(entry, cache) is { } reused)
            {
                copied = reused;
                progress?.AddBytes(file.Length);
                progress?.AddReused(file.Length);
                progress?.FileDone();
                return null;
            }

            if (DigestEngine.Identify(file, out var problem) is not { } before)
            {
                return problem;
            }

            var started = DateTimeOffset.UtcNow;
            Sha256Digest? digest = null;
            SourceStream? source = null;
            try
            {
                source = SourceStream.Open(file.RelativePath, file.FullPath, file.Length, progress, token, overlap);
                write(source);
                problem = DigestEngine.Unchanged(file, before, source.BytesRead);
                digest = source.Digest();
            }
            catch (SourceReadException e)
            {
                problem = DigestEngine.Unreadable(entry.Path, e);
            }
            catch (InvalidDataException)
            {
                // The file grew past the place reserved for it in the archive.
                problem = DigestEngine.Unchanged(file, before, source?.BytesRead ?? 0);
            }
            finally
            {
                source?.Dispose();
            }

            if (problem is not null)
            {
                return problem;
            }

            if (cache.Confirm(file.RelativePath, before, digest!.Value, started) is { } contradiction)
            {
                return contradiction.At(file.RelativePath);
            }

            copied = new ManifestFile(entry.Path, file.Length, digest.Value);
            progress?.FileDone();
            return null;
        }

        /// <summary>
        /// Copies entries on all cores, largest first; false (with the problems, by path) when any failed.
        /// <paramref name="halt"/> is cancelled on a failure here, and cancelling it elsewhere stops this work.
        /// </summary>
        /// <remarks>The work is entry indexes and one writer for all (not a closure per entry: a million files would hold a million).</remarks>
        public bool CopyInParallel(List<int> indexes, Action<int, Stream> write, IReadOnlyList<BundleEntry> entries, ManifestFile?[] files, DiagnosticBag diagnostics, CancellationTokenSource? halt = null)
        {
            var problems = new ConcurrentBag<Diagnostic>();
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, halt?.Token ?? CancellationToken.None);
            var ordered = indexes.OrderByDescending(i => entries[i].Length).ThenBy(i => i).ToList();
            try
            {
                Parallel.ForEach(
                    Partitioner.Create(ordered, EnumerablePartitionerOptions.NoBuffering),
                    new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = failed.Token },
                    index =>
                    {
                        try
                        {
                            if (this.Copy(entries[index], content => write(index, content), out files[index], failed.Token) is { } problem)
                            {
                                problems.Add(problem);
                                failed.Cancel();
                                halt?.Cancel();
                            }
                        }
                        catch (OperationCanceledException) when (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                        {
                            // Stopped by a failure elsewhere; that failure is what is reported.
                        }
                        catch
                        {
                            halt?.Cancel();
                            throw;
                        }
                    });
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Stopped because an entry failed; its problem is reported below.
            }
            catch (AggregateException e)
            {
                // A write failure (disk full) is reported as such; a cancellation as the interruption it is.
                var first = e.Flatten().InnerExceptions.FirstOrDefault(i => i is not OperationCanceledException) ?? e.InnerExceptions[0];
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            }

            cancellationToken.ThrowIfCancellationRequested();

            lock (diagnostics)
            {
                foreach (var problem in problems.OrderBy(p => p.Path, StringComparer.Ordinal))
                {
                    diagnostics.Add(problem);
                }
            }

            return problems.IsEmpty && halt?.IsCancellationRequested != true;
        }
    }

    private static string CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}
