using Microsoft.Extensions.FileSystemGlobbing;

namespace ModelGoPack.Discovery;

/// <summary>Include/exclude globs (<c>**</c>, <c>*</c>) over project-relative paths.</summary>
internal sealed class Globs
{
    private readonly Matcher matcher;

    public Globs(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        this.matcher = new Matcher(Comparison);
        foreach (var pattern in include)
        {
            this.matcher.AddInclude(ProjectPath.Normalize(pattern));
        }

        foreach (var pattern in exclude)
        {
            this.matcher.AddExclude(ProjectPath.Normalize(pattern));
        }
    }

    /// <summary>Path comparison for globs and collisions: case-insensitive where the file system usually is.</summary>
    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public bool IsMatch(string relativePath) => this.matcher.Match(relativePath).HasMatches;

    /// <summary>
    /// Whether <paramref name="pattern"/> can match a path other than itself: a <c>*</c> or <c>**</c> in it, a folder
    /// (<c>weights/</c> matches what is under it), a <c>.</c>, <c>..</c> or empty segment, a backslash, or, where case
    /// does not count, another case. A pattern that cannot is matched by looking its path up.
    /// </summary>
    public static bool MatchesOthers(string pattern) =>
        Comparison != StringComparison.Ordinal || pattern.Length == 0 || pattern.AsSpan().IndexOfAny('*', '\\') >= 0 || pattern.EndsWith('/') || pattern.StartsWith('/')
        || pattern.Split('/').Any(segment => segment is "" or "." or "..");

    /// <summary>
    /// The items of <paramref name="items"/> whose relative path (<paramref name="pathOf"/>) matches, in their order. Matched
    /// a chunk of paths at a time (matching one path at a time costs a tree walk each: seconds for 100,000 files; all at
    /// once builds a tree of every path, and copies of them all, for a million files at once): whether a path matches
    /// depends on that path alone.
    /// </summary>
    public IEnumerable<T> Matching<T>(IReadOnlyList<T> items, Func<T, string> pathOf)
    {
        const string root = "/modelgopack-root";
        for (var start = 0; start < items.Count; start += MatchChunk)
        {
            var end = Math.Min(items.Count, start + MatchChunk);
            var paths = new List<string>(end - start);
            for (var i = start; i < end; i++)
            {
                paths.Add(root + "/" + pathOf(items[i]));
            }

            var matched = this.matcher.Match(root, paths).Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            for (var i = start; i < end; i++)
            {
                if (matched.Contains(pathOf(items[i])))
                {
                    yield return items[i];
                }
            }
        }
    }

    /// <summary>How many paths <see cref="Matching"/> matches at once.</summary>
    internal const int MatchChunk = 4096;
}
