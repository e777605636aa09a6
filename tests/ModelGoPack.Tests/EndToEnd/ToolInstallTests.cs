using System.Xml.Linq;
using ModelGoPack.Tests.Support;
using NuGet.Packaging;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// End to end, as the README says: pack ModelGoPack.Cli into a local feed, `dotnet tool install` it from
/// there into a private tool path, and run the installed `modelgopack` on the example project.
/// </summary>
public sealed class ToolInstallTests(ToolInstallTests.InstalledTool tool) : IClassFixture<ToolInstallTests.InstalledTool>
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

    /// <summary>Packs the tool once per test run and installs it into a private tool path.</summary>
    public sealed class InstalledTool : IDisposable
    {
        private readonly TempDirectory temp = new();

        public InstalledTool()
        {
            var feed = LocalFeed.Location;
            this.Package = LocalFeed.Package("ModelGoPack.Cli");

            // A private NuGet config and package cache: only the local feed, never a stale cached copy.
            var config = this.temp.Combine("nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            var tools = this.temp.Combine("tools");
            this.Run("dotnet", "tool", "install", "ModelGoPack.Cli", "--tool-path", tools, "--configfile", config, "--version", ToolInfo.Version);
            this.Command = Path.Combine(tools, OperatingSystem.IsWindows() ? "modelgopack.exe" : "modelgopack");
        }

        public string Package { get; }

        public string Command { get; }

        public void Dispose() => this.temp.Dispose();

        private void Run(string fileName, params string[] arguments)
        {
            var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = this.temp.Combine("packages") };
            var (exit, output) = ProcessRunner.Run(fileName, this.temp.Path, environment, arguments);
            if (exit != 0)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {exit}:\n{output}");
            }
        }
    }
}
