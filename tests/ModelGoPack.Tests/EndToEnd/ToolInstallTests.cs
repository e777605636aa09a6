using System.Xml.Linq;
using ModelGoPack.Tests.Support;
using NuGet.Packaging;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// End to end, as the README says: pack ModelGoPack.Cli into a local feed, `dotnet tool install` it from
/// there into a private tool path, and run the installed `modelgopack` on the example project.
/// </summary>
public sealed class ToolInstallTests(ToolInstallTests.Installed tool) : IClassFixture<ToolInstallTests.Installed>
{
    [Fact]
    public void Tool_package_has_the_contracted_identity_and_command()
    {
        using var reader = new PackageArchiveReader(tool.Package);
        var identity = reader.GetIdentity();
        Assert.Equal("ModelGoPack.Cli", identity.Id);
        Assert.Equal(ToolInfo.Version, identity.Version.ToNormalizedString());
        Assert.Contains(reader.GetPackageTypes(), t => t.Name == "DotnetTool");
        var settingsPath = reader.GetFiles().Single(f => f.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        using var settings = reader.GetStream(settingsPath);
        var command = XDocument.Load(settings).Descendants("Command").Single();
        Assert.Equal("modelgopack", command.Attribute("Name")?.Value);
        Assert.Equal("README.md", reader.NuspecReader.GetReadme());
    }

    [Fact]
    public void Installed_tool_packs_the_example_into_a_zip_that_unzip_accepts()
    {
        using var temp = new TempDirectory();
        var zip = temp.Combine("example.zip");
        var example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");

        var (exit, output) = ProcessRunner.Run(tool.Command, temp.Path, "pack", example, "--format", "zip", "--output", zip);

        Assert.True(exit == 0, output);
        Assert.Contains("Compliant with MG-BY-SA-2.0", output, StringComparison.Ordinal);
        var (unzipExit, unzipOutput) = ProcessRunner.Run("unzip", null, "-t", zip);
        Assert.True(unzipExit == 0, unzipOutput);
        Assert.Contains("testing: modelgo-manifest.json", unzipOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_tool_reports_a_bad_config_with_exit_2_and_no_stack_trace()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("modelgo.json"), "{ \"name\": \"m\", \"version\": \"1.0.0\", \"licnse\": \"x\" }");

        var (exit, output) = ProcessRunner.Run(tool.Command, temp.Path, "check");

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8003: Unknown key 'licnse'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_level_package_names_the_native_linux_x64_package_and_the_framework_dependent_fallback()
    {
        using var reader = new PackageArchiveReader(tool.Package);
        var settingsPath = reader.GetFiles().Single(f => f.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        using var settings = reader.GetStream(settingsPath);
        var packages = XDocument.Load(settings).Descendants("RuntimeIdentifierPackage")
            .ToDictionary(p => p.Attribute("RuntimeIdentifier")!.Value, p => p.Attribute("Id")!.Value);

        Assert.Equal("ModelGoPack.Cli.any", packages["any"]);
        if (Support.InstalledTool.NativeRid is { } rid)
        {
            Assert.Equal($"ModelGoPack.Cli.{rid}", packages[rid]);
        }

        // The top-level package holds no program of its own: the per-platform packages do.
        Assert.DoesNotContain(reader.GetFiles(), f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith("/modelgopack", StringComparison.Ordinal));
    }

    [Fact]
    public void Dotnet_tool_install_picks_the_native_binary_on_linux_x64_and_the_fallback_elsewhere()
    {
        var rid = Support.InstalledTool.NativeRid;
        Assert.Equal(rid ?? "any", Support.InstalledTool.PackageRid);
        if (rid is null)
        {
            return;
        }

        // The package holds the native binary alone: no assemblies, no symbols, no documentation files.
        var files = Directory.GetFiles(Support.InstalledTool.Files).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["DotnetToolSettings.xml", "modelgopack"], files);
        var binary = Path.Combine(Support.InstalledTool.Files, "modelgopack");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(binary)[..4]);

        // A native program needs no .NET to run: not the dotnet host, not a runtime.
        var (exit, output) = ProcessRunner.Run(Support.InstalledTool.Command, null, new Dictionary<string, string?> { ["DOTNET_ROOT"] = "/nonexistent", ["PATH"] = "/usr/bin:/bin" }, "--version");
        Assert.True(exit == 0, output);
        Assert.StartsWith(ToolInfo.Version, output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Framework_dependent_fallback_package_installs_and_runs()
    {
        using var temp = new TempDirectory();
        var tools = Support.InstalledTool.InstallInto(temp.Path, "ModelGoPack.Cli.any");
        var (files, rid) = Support.InstalledTool.StoredPackage(tools, "ModelGoPack.Cli.any");

        Assert.Equal("any", rid);
        Assert.True(File.Exists(Path.Combine(files, "modelgopack.dll")), string.Join(", ", Directory.GetFiles(files)));
        Assert.DoesNotContain(Directory.GetFiles(files), f => f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal) && !f.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        var example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");
        var (exit, output) = ProcessRunner.Run(Path.Combine(tools, OperatingSystem.IsWindows() ? "modelgopack.exe" : "modelgopack"), temp.Path, "check", example, "--no-cache");
        Assert.True(exit == 0, output);
        Assert.Contains("Compliant with MG-BY-SA-2.0", output, StringComparison.Ordinal);
    }

    /// <summary>The tool packed into the local feed and installed once per test run (<see cref="Support.InstalledTool"/>).</summary>
    public sealed class Installed
    {
        public string Package { get; } = LocalFeed.Package("ModelGoPack.Cli");

        public string Command { get; } = Support.InstalledTool.Command;
    }
}
