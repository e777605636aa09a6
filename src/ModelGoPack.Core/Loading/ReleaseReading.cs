using ModelGoPack.Config;
using ModelGoPack.Releases;

namespace ModelGoPack.Loading;

/// <summary>
/// The upstreams' releases (those that name one), read in order on another thread while the project is scanned and
/// inspected: each is listed at once, and the digests of its files are computed once the project's files are known
/// (<see cref="Want"/>), since only a derivative's files the project also has need them. Disposed before
/// <see cref="Want"/> (the project could not be loaded), the reading stops.
/// </summary>
internal sealed class ReleaseReading : IDisposable
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    private readonly TaskCompletionSource<IReadOnlySet<string>> wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop;
    private readonly Task<List<(UpstreamDeclaration Upstream, UpstreamRelease? Release, ReleaseException? Error)>>? reading;

    public ReleaseReading(string root, ModelGoConfig config, ReleaseOptions options)
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
    public List<(UpstreamDeclaration Upstream, UpstreamRelease? Release, ReleaseException? Error)> Results() =>
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

    private (UpstreamDeclaration, UpstreamRelease?, ReleaseException?) Read(string root, UpstreamDeclaration upstream, ReleaseOptions options)
    {
        try
        {
            var derivative = upstream.Relation == UpstreamRelation.Derivative;
            return (upstream, ReleaseReader.Load(root, upstream, () => derivative ? this.wanted.Task.GetAwaiter().GetResult() : None, options), null);
        }
        catch (ReleaseException e)
        {
            return (upstream, null, e);
        }
    }
}
