using ModelGoPack.Discovery;
using ModelGoPack.Inspection;

namespace ModelGoPack.Verification;

/// <summary>
/// Every file's artifact, kept compactly: one with header facts (weights, a config's model_type, a problem) whole,
/// one with a role alone as that role, made again when asked for. A bundle of a million plain files keeps a million
/// roles, not a million objects. Safe to write from several workers at once.
/// </summary>
internal sealed class ArtifactStore
{
    private readonly Dictionary<string, Artifact> whole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArtifactRole> roles = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Set(Artifact artifact)
    {
        var plain = artifact.Weights is null && artifact.Facts.Count == 0 && artifact.Problem is null && artifact.ReadError is null && artifact.OutOfReach is null;
        lock (this.gate)
        {
            this.Remove(artifact.Path);
            if (plain)
            {
                this.roles[artifact.Path] = artifact.Role;
            }
            else
            {
                this.whole[artifact.Path] = artifact;
            }
        }
    }

    /// <summary>Makes room for <paramref name="count"/> plain artifacts at once, not by growing copies.</summary>
    public void EnsureCapacity(int count)
    {
        lock (this.gate)
        {
            this.roles.EnsureCapacity(count);
        }
    }

    public bool Contains(string path) => this.whole.ContainsKey(path) || this.roles.ContainsKey(path);

    /// <summary>The artifact of <paramref name="file"/>, or null when it was not inspected.</summary>
    public Artifact? Get(ProjectFile file) =>
        this.whole.TryGetValue(file.RelativePath, out var artifact) ? artifact
        : this.roles.TryGetValue(file.RelativePath, out var role) ? new Artifact { Path = file.RelativePath, Size = file.Length, Role = role }
        : null;

    public bool Remove(string path) => this.whole.Remove(path) | this.roles.Remove(path);

    /// <summary>
    /// The artifacts of those of <paramref name="files"/> that were inspected, in their order: a list that makes each
    /// plain artifact when it is read, so that judging a million files holds no million artifacts.
    /// </summary>
    public IReadOnlyList<Artifact> Of(IReadOnlyList<ProjectFile> files) =>
        new Listed(this, files.All(f => this.Contains(f.RelativePath)) ? files : [.. files.Where(f => this.Contains(f.RelativePath))]);

    private sealed class Listed(ArtifactStore store, IReadOnlyList<ProjectFile> files) : IReadOnlyList<Artifact>
    {
        public int Count => files.Count;

        public Artifact this[int index] => store.Get(files[index])!;

        public IEnumerator<Artifact> GetEnumerator() => files.Select(f => store.Get(f)!).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this.GetEnumerator();
    }

    /// <summary>Moves every artifact under another path (<paramref name="move"/>), as when an archive's one folder becomes its root.</summary>
    public void Rename(Func<string, string> move)
    {
        var whole = this.whole.ToList();
        var roles = this.roles.ToList();
        this.whole.Clear();
        this.roles.Clear();
        foreach (var (path, artifact) in whole)
        {
            this.whole[move(path)] = artifact with { Path = move(path) };
        }

        foreach (var (path, role) in roles)
        {
            this.roles[move(path)] = role;
        }
    }
}
