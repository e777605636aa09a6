using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;
using ModelGoPack.Oci;

namespace ModelGoPack.Distribution;

/// <summary>
/// Uploads one blob from the layout, streamed from disk with bounded memory: POST to open an upload, then the bytes in
/// one PUT <c>?digest=</c> when the blob fits in a chunk, else PATCH chunks (<c>Content-Range</c>) and a final empty
/// PUT <c>?digest=</c>. The bytes are hashed as they are sent: a blob that is not what its digest says is never
/// committed (MGP9051). A failed upload is cancelled at the registry (DELETE), as far as it answers.
/// </summary>
internal sealed class BlobUploader(RegistryClient client, ProgressCounter? progress)
{
    /// <summary>The bytes read from disk at a time.</summary>
    private const int BufferSize = 1024 * 1024;

    /// <summary>Uploads <paramref name="blob"/> from <paramref name="path"/>, in chunks of <paramref name="chunkSize"/> bytes when larger.</summary>
    public async Task UploadAsync(string path, string layout, OciDescriptor blob, long chunkSize, CancellationToken cancellationToken)
    {
        var location = await this.StartAsync(cancellationToken).ConfigureAwait(false);
        var committed = false;
        try
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The layout changed under the push (a pack writing it again, a blob removed): its blob cannot be sent.
                throw new RegistryException(Messages.PushLayoutUnusable.With(layout, $"the blob {blob.Digest} cannot be read any more ({e.Message})"));
            }

            await using (file.ConfigureAwait(false))
            {
                using var hasher = new ChunkHasher(progress);
                if (blob.Size > chunkSize)
                {
                    for (long offset = 0; offset < blob.Size; offset += chunkSize)
                    {
                        var length = Math.Min(chunkSize, blob.Size - offset);
                        location = await this.PatchAsync(location, file, hasher, offset, length, blob, cancellationToken).ConfigureAwait(false);
                    }

                    Check(hasher, blob, layout);
                    await this.CommitAsync(location, null, blob, hasher, layout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await this.CommitAsync(location, () => new FileChunkContent(file, 0, blob.Size, hasher), blob, hasher, layout, cancellationToken).ConfigureAwait(false);
                }

                committed = true;
            }
        }
        finally
        {
            if (!committed)
            {
                await this.CancelAsync(location).ConfigureAwait(false);
            }
        }
    }

    private async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(client.Root, $"v2/{client.Target.Repository}/blobs/uploads/");
        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await client.FailureAsync(response, "POST", cancellationToken).ConfigureAwait(false);
        }

        return client.Resolve(response.Headers.Location);
    }

    private async Task<Uri> PatchAsync(Uri location, FileStream file, ChunkHasher hasher, long offset, long length, OciDescriptor blob, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(
            () =>
            {
                var content = new FileChunkContent(file, offset, length, hasher);
                content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
                return new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await this.RefusalAsync(response, "PATCH", blob, cancellationToken).ConfigureAwait(false);
        }

        return client.Resolve(response.Headers.Location ?? location);
    }

    private async Task CommitAsync(Uri location, Func<HttpContent>? body, OciDescriptor blob, ChunkHasher hasher, string layout, CancellationToken cancellationToken)
    {
        var uri = new Uri(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(blob.Digest));
        using var response = await client.SendAsync(
            () =>
            {
                var content = body?.Invoke() ?? new ByteArrayContent([]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
            },
            cancellationToken).ConfigureAwait(false);

        // The bytes sent are hashed by now: when they are not the blob's, that is what to say, not the registry's refusal.
        Check(hasher, blob, layout);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await this.RefusalAsync(response, "PUT", blob, cancellationToken).ConfigureAwait(false);
        }

        progress?.FileDone();
    }

    /// <summary>A 4xx answer to an upload (not a refusal of who asks) is the registry refusing the blob (MGP9055).</summary>
    private async Task<RegistryException> RefusalAsync(HttpResponseMessage response, string method, OciDescriptor blob, CancellationToken cancellationToken) =>
        (int)response.StatusCode is >= 400 and < 500 && !AuthChallenge.IsRefusal(response.StatusCode)
            ? new RegistryException(Messages.BlobRejected.With(client.Name, blob.Digest, blob.Size, await RegistryClient.DescribeAsync(response, cancellationToken).ConfigureAwait(false)))
            : await client.FailureAsync(response, method, cancellationToken).ConfigureAwait(false);

    private static void Check(ChunkHasher hasher, OciDescriptor blob, string layout)
    {
        if (hasher.Digest() is var actual && actual != blob.Digest)
        {
            throw new RegistryException(Messages.PushBlobAltered.With(blob.Digest, layout, actual));
        }
    }

    /// <summary>Cancels an upload the push will not finish, so that the registry need not keep it; its answer does not matter.</summary>
    private async Task CancelAsync(Uri location)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, location), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RegistryException or OperationCanceledException or HttpRequestException)
        {
        }
    }

    /// <summary>
    /// SHA-256 of a blob's bytes as they are sent, and the progress they make. A chunk sent again (after a 401) is not
    /// hashed or counted twice: only bytes past the ones already hashed are.
    /// </summary>
    private sealed class ChunkHasher(ProgressCounter? progress) : IDisposable
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long hashedTo;

        public void Append(long position, ReadOnlySpan<byte> data)
        {
            var skip = this.hashedTo - position;
            if (skip >= data.Length)
            {
                return;
            }

            var fresh = data[(int)Math.Max(skip, 0)..];
            this.hash.AppendData(fresh);
            this.hashedTo += fresh.Length;
            progress?.AddBytes(fresh.Length);
            progress?.AddHashed(fresh.Length);
        }

        public string Digest() => "sha256:" + Convert.ToHexStringLower(this.hash.GetCurrentHash());

        public void Dispose() => this.hash.Dispose();
    }

    /// <summary>A range of the blob's file as a request body, read from disk as it is sent (never whole in memory).</summary>
    private sealed class FileChunkContent(FileStream file, long offset, long length, ChunkHasher hasher) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => this.SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                var position = offset;
                var end = offset + length;
                while (position < end)
                {
                    var want = (int)Math.Min(buffer.Length, end - position);
                    var read = await RandomAccess.ReadAsync(file.SafeFileHandle, buffer.AsMemory(0, want), position, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException($"the blob's file ended at {position:N0} bytes, before the {end:N0} its descriptor gives");
                    }

                    hasher.Append(position, buffer.AsSpan(0, read));
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    RegistryClient.KeepAlive();
                    position += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return true;
        }
    }
}
