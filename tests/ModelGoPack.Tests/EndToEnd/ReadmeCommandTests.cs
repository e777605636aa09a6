using System.Net;
using System.Text.RegularExpressions;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// The README's install and MSBuild sections work when pasted: their code blocks are taken from README.md as it is
/// and run in a shell, with only the feed's path (the README's placeholder) put in for this build's.
/// </summary>
public sealed partial class ReadmeCommandTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

    [Fact]
    public void The_private_tool_install_puts_modelgopack_on_PATH()
    {
        var block = Block("sh", after: "For a private install");
        Assert.Contains("--tool-path", block, StringComparison.Ordinal);
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("artifacts"));
        Directory.CreateSymbolicLink(temp.Combine("artifacts", "feed"), LocalFeed.Location);
        Directory.CreateDirectory(temp.Combine("home"));

        var (exit, output) = Shell(temp.Path, temp.Combine("home"), block + "\nmodelgopack --version\ncommand -v modelgopack\n");

        Assert.True(exit == 0, output);
        Assert.Contains(ToolInfo.Version, output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(temp.Combine("home"), ".modelgopack", "modelgopack"), output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_MSBuild_section_packs_a_model_repo_through_the_nuget_config_it_shows()
    {
        var project = Block("xml", after: "## MSBuild");
        var feedCommands = Block("sh", after: "build it into a local");
        Assert.Contains($"Include=\"ModelGoPack\" Version=\"{ToolInfo.Version}\"", project, StringComparison.Ordinal);
        using var temp = new TempDirectory();
        var model = temp.Combine("my-model");
        CopyFolder(Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled"), model);
        File.WriteAllText(Path.Combine(model, "my-model.csproj"), project);
        File.Copy(Path.Combine(RepositoryRoot.Path, "global.json"), Path.Combine(model, "global.json"));

        // The feed is built already (LocalFeed): the block's other lines run as written, the placeholder made this feed.
        var commands = string.Join('\n', feedCommands.Split('\n').Where(l => !l.StartsWith("dotnet pack src/", StringComparison.Ordinal)))
            .Replace("/abs/path/to/ModelGoPack/artifacts/feed", LocalFeed.Location, StringComparison.Ordinal);
        var (exit, output) = Shell(temp.Path, temp.Combine("home"), commands + "\ndotnet pack -c Release\n");

        Assert.True(exit == 0, output);
        Assert.Contains(LocalFeed.Location, File.ReadAllText(Path.Combine(model, "nuget.config")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(model, "bin", "Release", "tiny-llm-distilled.1.0.0.zip")), output);
        Assert.True(File.Exists(Path.Combine(model, "bin", "Release", "tiny-llm-distilled.1.0.0.nupkg")), output);

        // As the README says: the repo's project is a file of the repo, so it is in the bundle; nuget.config never is.
        using var bundle = System.IO.Compression.ZipFile.OpenRead(Path.Combine(model, "bin", "Release", "tiny-llm-distilled.1.0.0.zip"));
        Assert.True(bundle.Entries.Any(e => e.FullName == "my-model.csproj"), string.Join(", ", bundle.Entries.Select(e => e.FullName)));
        Assert.DoesNotContain(bundle.Entries, e => e.FullName == "nuget.config");
    }

    [Fact]
    public void The_publish_section_packs_signs_pushes_pulls_and_verifies_as_written()
    {
        // The block as written, run by bash with the built tool as `modelgopack` and a real registry (Debian's
        // docker-registry) where the README has 127.0.0.1:5000; skopeo pulls it back; verify checks the signature.
        var block = Block("sh", after: "## Publish");
        Assert.Contains("127.0.0.1:5000", block, StringComparison.Ordinal);
        using var registry = LocalRegistry.Start();
        using var temp = new TempDirectory();
        CopyFolder(Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled"), temp.Combine("tests", "examples", "tiny-llm-distilled"));
        var script = $"modelgopack() {{ '{ToolProcess.Command}' \"$@\"; }}\n" + block.Replace("127.0.0.1:5000", registry.Address, StringComparison.Ordinal);

        var (exit, output) = Shell(temp.Path, temp.Combine("home"), script);

        Assert.True(exit == 0, output);
        Assert.Matches(@"uploaded (\d+) of \1 blobs \([\d,]+ bytes\), 0 already there", output);
        Assert.Contains("and the signature out/tiny.oci.sig by the P-256 key", output, StringComparison.Ordinal);
        Assert.Contains("compliant with MG-BY-SA-2.0", output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, registry.ManifestStatus("models/tiny", "1.0.0"));
        using var bom = System.Text.Json.JsonDocument.Parse(File.ReadAllText(temp.Combine("tiny.cdx.json")));
        Assert.Equal("CycloneDX", bom.RootElement.GetProperty("bomFormat").GetString());
    }

    // The first ```LANGUAGE block after the first line holding AFTER.
    private static string Block(string language, string after)
    {
        var at = Readme.IndexOf(after, StringComparison.Ordinal);
        Assert.True(at >= 0, $"README.md has no '{after}'");
        var match = CodeBlock().Match(Readme, at);
        while (match.Success && match.Groups["language"].Value != language)
        {
            match = match.NextMatch();
        }

        Assert.True(match.Success, $"README.md has no ```{language} block after '{after}'");
        return match.Groups["body"].Value;
    }

    private static (int Exit, string Output) Shell(string folder, string home, string script)
    {
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["NUGET_PACKAGES"] = Path.Combine(home, "nuget-packages"),
            ["DOTNET_CLI_HOME"] = home,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        return ProcessRunner.Run("bash", folder, environment, "-euo", "pipefail", "-c", script);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"^```(?<language>[a-z]*)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
