using System.IO.Compression;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// A model repo for end-to-end MSBuild tests: a project file that references the ModelGoPack package
/// from the local feed, its own NuGet.Config, and a package cache private to this test run.
/// </summary>
public sealed class MSBuildRepo : IDisposable
{
    // One cache per test run: never a stale ModelGoPack from an earlier run, downloads shared within a run.
    private static readonly string Packages = Path.Combine(Path.GetTempPath(), "modelgopack-tests", "packages-" + Guid.NewGuid().ToString("N"));

    public MSBuildRepo(ModelProjectBuilder project) => this.Project = project;

    public ModelProjectBuilder Project { get; }

    public string Root => this.Project.Root;

    /// <summary>Writes a Microsoft.Build.NoTargets project (the natural model repo) with <paramref name="body"/> inside.</summary>
    public MSBuildRepo NoTargets(string body = "") => this.ProjectFile("model.proj", "Microsoft.Build.NoTargets/3.7.0", "<TargetFramework>net10.0</TargetFramework>", body);

    /// <summary>Writes an ordinary class library project with <paramref name="body"/> inside.</summary>
    public MSBuildRepo Library(string targetFrameworks = "<TargetFramework>net10.0</TargetFramework>", string body = "")
    {
        this.Project.File("Model.cs", "namespace TinyModel;\n\npublic static class Loader\n{\n    public const string Weights = \"model.safetensors\";\n}\n");
        return this.ProjectFile("model.csproj", "Microsoft.NET.Sdk", targetFrameworks, body);
    }

    public (int ExitCode, string Output) Pack(params string[] arguments) =>
        this.Run(["pack", "-maxCpuCount:1", "-nodeReuse:false", "-v:n", "-c", "Release", .. arguments]);

    public (int ExitCode, string Output) Run(params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Packages,
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["SOURCE_DATE_EPOCH"] = null,
        };
        return ProcessRunner.Run("dotnet", this.Root, environment, arguments);
    }

    public string Output(string name) => Path.Combine(this.Root, "bin", "Release", name);

    /// <summary>The files in a .nupkg, and the text of one of them.</summary>
    public static (List<string> Files, Func<string, byte[]> Read) OpenPackage(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        var contents = archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
        return (contents.Keys.Order(StringComparer.Ordinal).ToList(), name => contents[name]);
    }

    public void Dispose() => this.Project.Dispose();

    private MSBuildRepo ProjectFile(string fileName, string sdk, string targetFrameworks, string body)
    {
        this.Project.File("NuGet.Config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{LocalFeed.Location}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        this.Project.File("global.json", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "global.json")));
        var text = $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                {targetFrameworks}
                <PackageId>tiny-model</PackageId>
                <Version>1.0.0</Version>
                <Authors>Example Lab</Authors>
                <Description>A tiny test model.</Description>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelGoPack" Version="{ToolInfo.Version}" PrivateAssets="all" />
              </ItemGroup>
            {body}
            </Project>
            """;
        this.Project.File(fileName, text);
        return this;
    }
}
