namespace ModelGoPack.Tests.Support;

/// <summary>
/// Packs one of the repo's packages into a local feed, once per test run, from the build the tests were
/// compiled with (<c>--no-build</c>), as MinVer's PackagesFixture does.
/// </summary>
public static class LocalFeed
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "modelgopack-tests", "feed-" + Guid.NewGuid().ToString("N"));
        foreach (var project in new[] { "ModelGoPack.Cli", "ModelGoPack.Tasks" })
        {
            var path = Path.Combine(RepositoryRoot.Path, "src", project, project + ".csproj");
            var (exit, output) = ProcessRunner.Run("dotnet", null, "pack", path, "-c", Configuration, "--no-build", "-o", folder);
            if (exit != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} exited {exit}:\n{output}");
            }
        }

        return folder;
    });

    /// <summary>The feed folder holding ModelGoPack.Cli and ModelGoPack .nupkg files.</summary>
    public static string Location => Folder.Value;

    public static string Package(string id) =>
        Directory.GetFiles(Folder.Value, $"{id}.{ToolInfo.Version}.nupkg").Single();
}
