namespace ModelGoPack.Hosting;

/// <summary>
/// How a front door names the file of a finding. Findings name project files relative to the project, '/'-separated;
/// a host shows them inside the project folder. A full path stands as it is, and so does a template built into the
/// tool (<see cref="BuiltIn"/>), which is in no folder.
/// </summary>
public static class DisplayPath
{
    private const string BuiltInMark = "(built in)";

    /// <summary>The name of a file built into the tool, such as a default template: <c>templates/NOTICE.scriban (built in)</c>.</summary>
    public static string BuiltIn(string path) => $"{path} {BuiltInMark}";

    /// <summary>
    /// <paramref name="path"/> as a host shows it: null stays null; a full path or a built-in file as it is; a path
    /// relative to the project joined to <paramref name="projectDirectory"/>, made a full path with <paramref name="full"/>.
    /// </summary>
    public static string? InProject(string? path, string projectDirectory, bool full = false) =>
        path is null || Path.IsPathRooted(path) || path.Contains(BuiltInMark, StringComparison.Ordinal) ? path
        : full ? Path.GetFullPath(Path.Combine(projectDirectory, path))
        : Path.Join(projectDirectory, path);
}
