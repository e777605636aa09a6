using System.Collections.Concurrent;
using ModelGoPack.Diagnostics;
using ModelGoPack.Oci;

namespace ModelGoPack.Distribution;

/// <summary>
/// push: an OCI image layout's model manifest to a registry, over the OCI distribution API. The layout is checked first
/// (<see cref="LayoutToPush"/>); then the registry (GET /v2/ and its challenge), HEAD of every blob, upload of the missing
/// ones a few at a time (<see cref="BlobUploader"/>), and last the manifest PUT under the tag. A push that fails or is
/// interrupted tags nothing and leaves nothing on this machine; what it uploaded stays in the registry, so a run again
/// uploads only what is still missing. push does not judge the model's license: verify does.
/// </summary>
public static class RegistryPusher
{
    /// <summary>How many blobs are asked for (HEAD) at a time.</summary>
    private const int HeadParallelism = 8;

    /// <summary>Pushes as <paramref name="request"/> says; every refusal and failure is a coded finding of the result.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled: nothing was tagged.</exception>
    public static async Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        var diagnostics = new DiagnosticBag();
        var target = RegistryReference.Parse(request.Target, out var problem);
        if (target is null)
        {
            diagnostics.Add(Messages.PushTargetMalformed.With(request.Target, problem));
            return new PushResult(diagnostics.Items);
        }

        var layout = LayoutToPush.Read(request.Layout, diagnostics);
        if (layout is null)
        {
            return new PushResult(diagnostics.Items);
        }

        var digest = layout.Descriptor.Digest;
        if (target.Digest is { } named && named != digest)
        {
            diagnostics.Add(Messages.PushDigestDiffers.With(request.Target, named, digest));
            return new PushResult(diagnostics.Items) { ManifestDigest = digest };
        }

        // Without a tag: the layout's ref name, so that pack's name for the model is the registry's; pushed by digest
        // only when the target names one and no tag.
        var tag = target.Tag ?? (target.Digest is null && RegistryReference.IsTag(layout.RefName) ? layout.RefName : null);
        if (tag is null && target.Digest is null)
        {
            diagnostics.Add(Messages.PushTagUnknown.With(request.Target));
            return new PushResult(diagnostics.Items) { ManifestDigest = digest };
        }

        var configPath = DockerConfig.PathFrom(request.Environment);
        var credentials = DockerConfig.Find(configPath, target.Registry, diagnostics);
        if (diagnostics.HasErrors)
        {
            return new PushResult(diagnostics.Items) { ManifestDigest = digest };
        }

        var handler = request.Handler?.Invoke(new SocketsHttpHandler { UseProxy = false });
        using var client = new RegistryClient(tag is null ? target : target.WithTag(tag), request.PlainHttp, credentials, configPath, handler, request.IdleTimeout);
        try
        {
            await client.PingAsync(cancellationToken).ConfigureAwait(false);
            var missing = await MissingAsync(client, layout.Blobs, cancellationToken).ConfigureAwait(false);
            request.Progress?.Start("pushing", missing.Sum(b => b.Size), missing.Count);
            await UploadAsync(client, request, layout, missing, cancellationToken).ConfigureAwait(false);
            request.Progress?.Finish();
            var stored = await client.PutManifestAsync(layout.Bytes, OciMediaTypes.ImageManifest, digest, tag ?? digest, cancellationToken).ConfigureAwait(false);
            if (stored is not null && stored != digest)
            {
                throw new RegistryException(Messages.ManifestRejected.With(client.Name, digest, $"{target.Repository}:{tag ?? digest}", $"the registry says it stored {stored}, another digest than the bytes sent"));
            }

            return new PushResult(diagnostics.Items)
            {
                PushedTo = client.Target.ToString(),
                ManifestDigest = digest,
                Blobs = layout.Blobs.Count,
                Uploaded = missing.Count,
                UploadedBytes = missing.Sum(b => b.Size),
                AlreadyThere = layout.Blobs.Count - missing.Count,
            };
        }
        catch (RegistryException e)
        {
            diagnostics.Add(e.Diagnostic);
            return new PushResult(diagnostics.Items) { ManifestDigest = digest, Blobs = layout.Blobs.Count };
        }
    }

    /// <summary>The blobs the repository does not hold yet, in the manifest's order.</summary>
    private static async Task<List<OciDescriptor>> MissingAsync(RegistryClient client, IReadOnlyList<OciDescriptor> blobs, CancellationToken cancellationToken)
    {
        var present = new bool[blobs.Count];
        await ForEachAsync(Enumerable.Range(0, blobs.Count), HeadParallelism, async (i, token) => present[i] = await client.BlobExistsAsync(blobs[i].Digest, blobs[i].Size, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return [.. blobs.Where((_, i) => !present[i])];
    }

    private static Task UploadAsync(RegistryClient client, PushRequest request, LayoutToPush layout, List<OciDescriptor> missing, CancellationToken cancellationToken)
    {
        var uploader = new BlobUploader(client, request.Progress);
        return ForEachAsync(missing, Math.Max(1, request.Parallelism), (blob, token) => uploader.UploadAsync(layout.PathOf(blob), layout.Root, blob, Math.Max(1, request.ChunkSize), token), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on each item, <paramref name="parallelism"/> at a time; the first refusal stops the
    /// others and is the one thrown (not the cancellations it caused).
    /// </summary>
    private static async Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentQueue<RegistryException>();
        try
        {
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (item, token) =>
            {
                try
                {
                    await body(item, token).ConfigureAwait(false);
                }
                catch (RegistryException e)
                {
                    failures.Enqueue(e);
                    throw;
                }
            }).ConfigureAwait(false);
        }
        catch (Exception) when (failures.TryPeek(out var first) && !cancellationToken.IsCancellationRequested)
        {
            throw first;
        }
    }
}
