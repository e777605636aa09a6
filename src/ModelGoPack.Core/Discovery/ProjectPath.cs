using ModelGoPack.Emit;
using ModelGoPack.Reporting;

namespace ModelGoPack;

/// <summary>Project-relative paths: always '/'-separated, never rooted, never escaping the root.</summary>
internal static partial class ProjectPath
{
    public static string Normalize(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        return normalized;
    }

    public static bool IsRootedOrEscaping(string path)
    {
        var normalized = Normalize(path);
        if (normalized.StartsWith('/') || (normalized.Length >= 2 && normalized[1] == ':'))
        {
            return true;
        }

        return normalized.Split('/').Any(segment => segment == "..");
    }

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    };

    /// <summary>The characters Windows forbids in a file name besides the separators and control characters.</summary>
    private static readonly System.Buffers.SearchValues<char> WindowsForbidden = System.Buffers.SearchValues.Create(":*?\"<>|");

    /// <summary>
    /// Why an archive entry's name cannot be written under a folder on every system, or null when it can:
    /// absolute or drive-rooted, leaving the folder (<c>..</c>), a backslash, an empty or <c>.</c> segment,
    /// a control character, a character Windows forbids (<c>: * ? " &lt; &gt; |</c>), a segment ending in a dot
    /// or space, a Windows device name (<c>NUL</c>, <c>COM1.txt</c>), or longer than a bundle path may be
    /// (<see cref="Emit.BundleLimits"/>). One rule for pack (MGP8031) and verify (MGP9010).
    /// </summary>
    public static string? UnsafeEntryName(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (HasControlCharacters(name))
        {
            return "it holds a control character";
        }

        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':'))
        {
            return "it is an absolute path";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "it holds a backslash, which Windows reads as a folder separator";
        }

        if (name.AsSpan().IndexOfAny(WindowsForbidden) is >= 0 and var forbidden)
        {
            return $"it holds the character '{name[forbidden]}', which Windows forbids in file names";
        }

        if (BundleLimits.PathTooLong(name.TrimEnd('/')) is { } tooLong)
        {
            return tooLong;
        }

        foreach (var segment in name.TrimEnd('/').Split('/'))
        {
            if (segment == "..")
            {
                return "it leaves the folder it is extracted to (..)";
            }

            if (segment.Length == 0 || segment == ".")
            {
                return "it has an empty or '.' path segment";
            }

            if (segment.EndsWith('.') || segment.EndsWith(' '))
            {
                return $"its segment '{segment}' ends in a dot or space, which Windows drops";
            }

            var stem = segment.Contains('.', StringComparison.Ordinal) ? segment[..segment.IndexOf('.', StringComparison.Ordinal)] : segment;
            if (DeviceNames.Contains(stem.TrimEnd(' ')))
            {
                return $"its segment '{segment}' is a Windows device name";
            }
        }

        return null;
    }

    /// <summary>
    /// The key under which two paths are the same file on some system: Unicode NFC normalization (macOS keeps
    /// names decomposed, Linux as given: <c>café</c> in NFC and NFD are one name on one and two on the other;
    /// it also makes the Kelvin sign <c>K</c>) and then case folding (Windows and macOS ignore case; folding by
    /// upper- then lower-casing, so that <c>ς</c> and <c>σ</c> fold alike). Two paths with one key cannot both
    /// be extracted everywhere: one would overwrite the other.
    /// </summary>
    public static string FoldKey(string path)
    {
        // ASCII (most paths): folding is lower-casing, and a path already in lower case is its own key.
        if (System.Text.Ascii.IsValid(path))
        {
            return path.AsSpan().ContainsAnyInRange('A', 'Z') ? path.ToLowerInvariant() : path;
        }

        try
        {
            return path.Normalize(System.Text.NormalizationForm.FormC).ToUpperInvariant().ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Not valid UTF-16 (a lone surrogate): compared as it is.
            return path;
        }
    }

    /// <summary>
    /// The groups of <paramref name="files"/> that collide on a system that ignores case or normalization
    /// (<see cref="FoldKey"/>): files with one key, and a file whose key is that of a folder another file is in
    /// (<c>Docs</c> and <c>docs/x.md</c>). Each group is sorted, with why its names collide; one rule for pack
    /// (MGP8030) and verify (MGP9010).
    /// </summary>
    public static IEnumerable<(IReadOnlyList<string> Names, string Why)> Collisions(IEnumerable<string> files)
    {
        // Each key with the first path that has it; a list only for the few keys more than one path has.
        var byKey = new Dictionary<string, string>(files.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.Ordinal);
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var key = FoldKey(file);
            if (!byKey.TryAdd(key, file))
            {
                if (!groups.TryGetValue(key, out var names))
                {
                    groups[key] = names = [byKey[key]];
                }

                names.Add(file);
            }
        }

        foreach (var names in groups.Values.OrderBy(n => n.Min(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            yield return (names.Order(StringComparer.Ordinal).ToList(), "differ only in case or Unicode normalization");
        }

        // A file's key that is the key of a folder another path is in; looked up by span, so that a million paths
        // allocate nothing here.
        var lookup = byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        var found = new SortedDictionary<string, (string File, string Name)>(StringComparer.Ordinal);
        foreach (var (key, name) in byKey)
        {
            for (var slash = key.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = key.IndexOf('/', slash + 1))
            {
                if (lookup.TryGetValue(key.AsSpan(0, slash), out var file))
                {
                    var folderKey = key[..slash];
                    if (!found.TryGetValue(folderKey, out var first) || string.CompareOrdinal(key, FoldKey(first.Name)) < 0)
                    {
                        found[folderKey] = (file, name);
                    }

                    break;
                }
            }
        }

        foreach (var (folderKey, (file, name)) in found)
        {
            // The folder as this file names it: as many segments as the colliding file has.
            var folder = string.Join('/', name.Split('/').Take(folderKey.Count(c => c == '/') + 1));
            yield return ([file, name], $"name one path as a file and as a folder ('{folder}/')");
        }
    }

    /// <summary>
    /// The first bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069: what
    /// "Trojan Source" uses to make text render otherwise than it reads) in <paramref name="text"/>, or -1.
    /// The marks LRM, RLM and ALM, which right-to-left notices need, are allowed.
    /// </summary>
    public static int IndexOfBidiControl(string text) => text.AsSpan().IndexOfAny(BidiControls);

    private static readonly System.Buffers.SearchValues<char> BidiControls =
        System.Buffers.SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    /// <summary>Whether a character is a bidirectional control (an embedding, override or isolate).</summary>
    public static bool IsBidiControl(char c) => BidiControls.Contains(c);

    /// <summary><paramref name="text"/> with each bidirectional control written as &lt;U+XXXX&gt;, so that a message shows it.</summary>
    public static string ShowBidi(string text) =>
        string.Concat(text.Select(c => IsBidiControl(c) ? $"<U+{(int)c:X4}>" : c.ToString()));

    /// <summary>A bidirectional control character, or its JSON escape (\u202E).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"[\u202A-\u202E\u2066-\u2069]|\\u(202[a-eA-E]|206[6-9])")]
    public static partial System.Text.RegularExpressions.Regex BidiControlOrEscape();

    /// <summary>Where in <paramref name="text"/> the character at <paramref name="index"/> is: 1-based line and column.</summary>
    public static (int Line, int Column) LineAndColumn(string text, int index)
    {
        var line = 1 + text.AsSpan(0, index).Count('\n');
        var column = index - (text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1) + 1;
        return (line, index == 0 ? 1 : column);
    }

    public static bool HasControlCharacters(string path) => path.Any(char.IsControl);

    /// <summary>
    /// A name from a received archive as a message shows it: printable, and cut to its first 40 and last 20
    /// characters when longer, so that a hostile name of a megabyte costs a line, not a megabyte.
    /// </summary>
    public static string Shown(string name) => BundleLimits.Shorten(Printable(name));

    /// <summary>The path with control characters shown as \uXXXX, for messages (<see cref="Reporting.PrintableText"/>).</summary>
    public static string Printable(string path) => PrintableText.Escape(path);

    /// <summary>Whether any component of <paramref name="relativePath"/> under <paramref name="root"/> is a symbolic link.</summary>
    public static bool PassesThroughLink(string root, string relativePath)
    {
        var current = root;
        foreach (var segment in Normalize(relativePath).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null || (Directory.Exists(current) && new DirectoryInfo(current).LinkTarget is not null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="path"/> as the file system resolves it: its deepest existing folder through realpath(3)
    /// (every link followed, <c>..</c> and <c>.</c> gone), and the rest as given. On Windows, the full path.
    /// </summary>
    public static string Real(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (OperatingSystem.IsWindows())
        {
            return full;
        }

        var rest = new Stack<string>();
        for (var existing = full; existing is not null; existing = Path.GetDirectoryName(existing))
        {
            var resolved = RealPath(existing, IntPtr.Zero);
            if (resolved != IntPtr.Zero)
            {
                try
                {
                    var real = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(resolved)!;
                    return rest.Aggregate(real, Path.Join);
                }
                finally
                {
                    Free(resolved);
                }
            }

            rest.Push(Path.GetFileName(existing));
        }

        return full;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>Converts an OS path under <paramref name="root"/> to a project path.</summary>
    public static string FromFileSystem(string root, string fullPath) =>
        Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
