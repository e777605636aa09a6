using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// End to end: the real `dotnet pack` on model repos made by the tests, with the ModelGoPack package
/// from a local feed built from this repo.
/// </summary>
public sealed partial class MSBuildTests
{
    [Fact]
    public void NoTargets_model_repo_packs_a_compliant_package_and_the_bundle_beside_it()
    {
        using var repo = Repo(p => p.Upstream("Teacher-7B", "extracted", "distillation")).NoTargets();

        var (exit, output) = repo.Pack();

        Assert.True(exit == 0, output);
        Assert.DoesNotMatch(@"warning [A-Z]+\d+", output);
        var (files, read) = MSBuildRepo.OpenPackage(repo.Output("tiny-model.1.0.0.nupkg"));
        Assert.Contains("LICENSE", files);
        Assert.Contains("NOTICE", files);
        Assert.Contains("README.md", files);
        Assert.Contains("modelgo-manifest.json", files);
        Assert.Contains("model/config.json", files);
        Assert.Contains("model/upstream/Teacher-7B/NOTICE", files);
        Assert.DoesNotContain("model/model.safetensors", files);
        Assert.Equal(LicenseText.Bytes.ToArray(), read("LICENSE"));
        Assert.Contains("NOTICE OF EXTRACTED MODEL", Encoding.UTF8.GetString(read("NOTICE")), StringComparison.Ordinal);

        var nuspec = Nuspec(read, "tiny-model.nuspec");
        var license = nuspec.Descendants().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("file", "LICENSE"), (license.Attribute("type")?.Value, license.Value));
        Assert.Equal("README.md", nuspec.Descendants().Single(e => e.Name.LocalName == "readme").Value);

        var bundle = repo.Output("tiny-model.1.0.0.zip");
        var (unzip, unzipOutput) = ProcessRunner.Run("unzip", null, "-t", bundle);
        Assert.True(unzip == 0, unzipOutput);
        Assert.Contains("model.safetensors", Bundle.Read(bundle).Paths);

        // verify takes the real package, finds the bundle beside it, and judges the whole release.
        var (verifyExit, verifyOutput, _) = CliRunner.Run("verify", repo.Output("tiny-model.1.0.0.nupkg"), "--format", "json", "--quiet");
        Assert.True(verifyExit == 0, verifyOutput);
        using var report = System.Text.Json.JsonDocument.Parse(verifyOutput);
        Assert.Equal(0, report.RootElement.GetProperty("diagnostics").GetArrayLength());
        Assert.True(report.RootElement.GetProperty("digests").TryGetProperty("model.safetensors", out _));
    }

    [Fact]
    public void ModelGoPack_package_is_a_development_dependency_with_the_task_closure_and_no_lib()
    {
        var (files, read) = MSBuildRepo.OpenPackage(LocalFeed.Package("ModelGoPack"));

        Assert.DoesNotContain(files, f => f.StartsWith("lib/", StringComparison.Ordinal) || f.StartsWith("ref/", StringComparison.Ordinal));
        foreach (var folder in new[] { "build", "buildTransitive", "buildMultiTargeting" })
        {
            Assert.Contains($"{folder}/ModelGoPack.props", files);
            Assert.Contains($"{folder}/ModelGoPack.targets", files);
        }

        foreach (var file in new[] { "ModelGoPack.Tasks.dll", "ModelGoPack.Tasks.deps.json", "ModelGoPack.Core.dll", "NuGet.Packaging.dll", "NuGet.Versioning.dll", "Scriban.Signed.dll", "Microsoft.Extensions.FileSystemGlobbing.dll" })
        {
            Assert.Contains($"tasks/net10.0/{file}", files);
        }

        Assert.DoesNotContain(files, f => f.Contains("Microsoft.Build", StringComparison.Ordinal));
        var nuspec = Nuspec(read, "ModelGoPack.nuspec");
        Assert.Equal("true", nuspec.Descendants().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void ModelGoPack_package_built_on_linux_x64_ships_ReadyToRun_images_that_keep_their_IL()
    {
        // The task runs in MSBuild's own process: ReadyToRun code spares it the JIT of its first call (docs/performance.md).
        // Built on linux-x64, every managed assembly of the task folder is a linux-x64 image; built elsewhere, IL only.
        var (files, read) = MSBuildRepo.OpenPackage(LocalFeed.Package("ModelGoPack"));
        var readyToRun = OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;

        var assemblies = files.Where(f => f.StartsWith("tasks/net10.0/", StringComparison.Ordinal) && !f.Contains("/runtimes/", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        Assert.Contains("tasks/net10.0/ModelGoPack.Tasks.dll", assemblies);
        Assert.Contains("tasks/net10.0/ModelGoPack.Core.dll", assemblies);
        Assert.Contains("tasks/net10.0/Scriban.Signed.dll", assemblies);
        foreach (var file in assemblies)
        {
            using var pe = new PEReader(new MemoryStream(read(file)));
            var cor = pe.PEHeaders.CorHeader!;
            Assert.True(readyToRun == cor.ManagedNativeHeaderDirectory.Size > 0, $"{file}: ReadyToRun header {cor.ManagedNativeHeaderDirectory.Size} bytes, expected {(readyToRun ? "one" : "none")}");
            Assert.Equal(!readyToRun, cor.Flags.HasFlag(CorFlags.ILOnly));
            // crossgen2 marks an image for Linux by XOR-ing its machine with 0x7B79; IL for any CPU says I386.
            Assert.Equal(readyToRun ? (Machine)(0x8664 ^ 0x7B79) : Machine.I386, pe.PEHeaders.CoffHeader.Machine);

            // The image is still an assembly with its IL: MSBuild on any other platform loads it and JITs.
            var metadata = pe.GetMetadataReader();
            var method = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition).First(m => m.RelativeVirtualAddress != 0);
            Assert.True(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!.Length > 0, file);
        }
    }

    [Fact]
    public void Multi_targeting_library_packs_its_assembly_with_the_notices_and_weights_on_request()
    {
        using var repo = Repo().Library("<TargetFrameworks>net10.0</TargetFrameworks>", "<PropertyGroup><ModelGoPackWeights>true</ModelGoPackWeights><ModelGoBundleFormat>dir</ModelGoBundleFormat></PropertyGroup>");

        var (exit, output) = repo.Pack();

        Assert.True(exit == 0, output);
        var (files, _) = MSBuildRepo.OpenPackage(repo.Output("tiny-model.1.0.0.nupkg"));
        Assert.Contains("lib/net10.0/model.dll", files);
        Assert.Contains("LICENSE", files);
        Assert.Contains("NOTICE", files);
        Assert.Contains("model/model.safetensors", files);
        Assert.True(File.Exists(Path.Combine(repo.Output("tiny-model.1.0.0"), "modelgo-manifest.json")));
    }

    [Fact]
    public void Non_compliant_project_fails_with_exact_codes_at_the_config_lines_and_writes_nothing()
    {
        using var repo = Repo(p =>
        {
            p.Upstream("Base", "derivative", "fine-tuning").Upstream("Teacher", "derivative", "synthetic-data");
            p.File("LICENSE", LicenseText.Text.Replace("royalty-free", "royalty-bearing", StringComparison.Ordinal));
        }).NoTargets();

        var (exit, output) = repo.Pack();

        Assert.NotEqual(0, exit);
        Assert.Equal(["MGP1001", "MGP2001", "MGP3002"], Codes(output, "error"));
        Assert.Matches(@"modelgo\.json\(\d+,\d+\): error MGP2001: ", output);
        Assert.Matches(@"LICENSE\(\d+,1\): error MGP1001: .*royalty-bearing", output);
        Assert.False(File.Exists(repo.Output("tiny-model.1.0.0.nupkg")));
        Assert.False(File.Exists(repo.Output("tiny-model.1.0.0.zip")));
    }

    [Fact]
    public void PackageLicenseExpression_is_reported_as_MGP1005_before_NuGet_NU5033()
    {
        using var repo = Repo().NoTargets("<PropertyGroup><PackageLicenseExpression>MIT</PackageLicenseExpression></PropertyGroup>");

        var (exit, output) = repo.Pack();

        Assert.NotEqual(0, exit);
        Assert.Equal(["MGP1005"], Codes(output, "error"));
        Assert.DoesNotContain("error NU5033", output, StringComparison.Ordinal);
        Assert.Matches(@"model\.proj.*: error MGP1005: PackageLicenseExpression is 'MIT'", output);
    }

    [Fact]
    public void Licensor_name_in_Title_Description_or_PackageTags_fails_the_pack_with_MGP7001_at_the_project_file()
    {
        // Section 2.3: the package's texts are publicity; the builder's upstream Teacher-7B is licensed by "Teacher-7B Labs".
        using var repo = Repo(p => p.Upstream("Teacher-7B", "extracted", "distillation")).NoTargets("""
            <PropertyGroup>
              <Title>Teacher-7B Labs Tiny</Title>
              <Description>The official small model of Teacher-7B Labs.</Description>
              <PackageTags>llm;teacher-7b-labs</PackageTags>
            </PropertyGroup>
            """);

        var (exit, output) = repo.Pack();

        Assert.NotEqual(0, exit);
        Assert.Equal(["MGP7001"], Codes(output, "error"));
        Assert.Matches(@"model\.proj.*: error MGP7001: The package's Title \(""Teacher-7B Labs Tiny""\) uses ""Teacher-7B Labs""", output);
        Assert.Matches(@"model\.proj.*: error MGP7001: The package's Description \(""The official small model of Teacher-7B Labs\.""\)", output);
        Assert.Matches(@"model\.proj.*: error MGP7001: The package's PackageTags \(""llm;teacher-7b-labs""\) uses ""teacher-7b-labs""", output);
        Assert.False(File.Exists(repo.Output("tiny-model.1.0.0.nupkg")));
        Assert.False(File.Exists(repo.Output("tiny-model.1.0.0.zip")));
    }

    [Fact]
    public void MSBuild_properties_and_items_configure_a_project_without_modelgo_json()
    {
        using var repo = Repo(write: false).NoTargets("""
            <PropertyGroup>
              <ModelGoPackEnabled>true</ModelGoPackEnabled>
              <PackageId>msbuild-model</PackageId>
              <Version>2.0.0</Version>
              <ModelGoCopyright>Copyright 2026 MSBuild Lab;Portions copyright 2025 Someone</ModelGoCopyright>
              <ModelGoReleaseDate>2026-07-01</ModelGoReleaseDate>
            </PropertyGroup>
            <ItemGroup>
              <ModelGoUpstream Include="Base-1B" Version="1.0" Relation="derivative" Method="fine-tuning" Licensor="Base Labs" Notices="upstream/NOTICE" />
              <ModelGoModification Include="Fine-tuned on the example corpus" Date="2026-06-15" Paths="model.safetensors" />
            </ItemGroup>
            """);
        repo.Project.File("upstream/NOTICE", "Base-1B\nCopyright 2025 Base Labs\n");

        var (exit, output) = repo.Pack();

        Assert.True(exit == 0, output);
        var bundle = Bundle.Read(repo.Output("msbuild-model.2.0.0.zip"));
        var notice = bundle.Text("NOTICE");
        Assert.Contains("Copyright 2026 MSBuild Lab\nPortions copyright 2025 Someone\n", notice, StringComparison.Ordinal);
        Assert.Contains("2026-06-15: Fine-tuned on the example corpus [model.safetensors]", notice, StringComparison.Ordinal);
        Assert.Contains("Base-1B\nCopyright 2025 Base Labs\n", notice, StringComparison.Ordinal);
        using var manifest = bundle.Manifest();
        Assert.Equal("2.0.0", manifest.RootElement.GetProperty("version").GetString());
        Assert.Equal("2026-07-01", manifest.RootElement.GetProperty("releaseDate").GetString());
    }

    [Fact]
    public void MSBuild_values_replace_modelgo_json_keys_and_their_errors_name_the_project_file()
    {
        using var repo = Repo().NoTargets("""
            <PropertyGroup><ModelGoReleaseDate>July 2026</ModelGoReleaseDate></PropertyGroup>
            <ItemGroup><ModelGoUpstream Include="Teacher" Relation="extracted" Mehtod="distillation" /></ItemGroup>
            """);

        var (exit, output) = repo.Pack();

        Assert.NotEqual(0, exit);
        Assert.Equal(["MGP8019"], Codes(output, "error"));
        Assert.Matches(@"model\.proj.*: error MGP8019: ModelGoUpstream 'Teacher' has unknown metadata 'Mehtod'", output);
    }

    [Fact]
    public void Package_identity_that_differs_from_the_model_is_warning_MGP8020()
    {
        using var repo = Repo().NoTargets("<PropertyGroup><PackageId>other-name</PackageId><Version>3.0.0</Version></PropertyGroup>");

        var (exit, output) = repo.Pack();

        Assert.True(exit == 0, output);
        Assert.Equal(["MGP8020"], Codes(output, "warning"));
        Assert.Contains("PackageId is 'other-name' but the model's name is 'tiny-model'", output, StringComparison.Ordinal);
        Assert.Contains("PackageVersion is '3.0.0' but the model's version is '1.0.0'", output, StringComparison.Ordinal);
        Assert.True(File.Exists(repo.Output("other-name.3.0.0.nupkg")));
        Assert.True(File.Exists(repo.Output("tiny-model.1.0.0.zip")));
    }

    [Fact]
    public void Warnings_follow_NoWarn_and_TreatWarningsAsErrors()
    {
        using var repo = Repo(p => p.Config.Remove("copyright")).NoTargets();

        var (plain, plainOutput) = repo.Pack();
        var (suppressed, suppressedOutput) = repo.Pack("-p:NoWarn=MGP4001");
        var (strict, strictOutput) = repo.Pack("-p:TreatWarningsAsErrors=true");
        var (exempt, exemptOutput) = repo.Pack("-p:TreatWarningsAsErrors=true", "-p:WarningsNotAsErrors=MGP4001");

        Assert.True(plain == 0, plainOutput);
        Assert.Equal(["MGP4001"], Codes(plainOutput, "warning"));
        Assert.True(suppressed == 0, suppressedOutput);
        Assert.Empty(Codes(suppressedOutput, "warning"));
        Assert.NotEqual(0, strict);
        Assert.Equal(["MGP4001"], Codes(strictOutput, "error"));
        Assert.True(exempt == 0, exemptOutput);
        Assert.Equal(["MGP4001"], Codes(exemptOutput, "warning"));
    }

    [Fact]
    public void Second_pack_with_nothing_changed_does_not_render_or_hash_again_and_a_deleted_file_does()
    {
        using var repo = Repo(p => p.File("extra.txt", "extra").Config.Remove("copyright")).NoTargets();
        var bundle = repo.Output("tiny-model.1.0.0.zip");

        var (first, firstOutput) = repo.Pack();
        Assert.True(first == 0, firstOutput);
        var written = File.GetLastWriteTimeUtc(bundle);
        Thread.Sleep(1100);

        var (second, secondOutput) = repo.Pack();
        Assert.True(second == 0, secondOutput);
        Assert.Contains("tiny-model.1.0.0.zip is up to date.", secondOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ModelGoPack: tiny-model -> ", secondOutput, StringComparison.Ordinal);
        Assert.Equal(written, File.GetLastWriteTimeUtc(bundle));

        // The reused run still reports the run's warnings, under today's settings.
        Assert.Equal(["MGP4001"], Codes(secondOutput, "warning"));
        var (warned, warnedOutput) = repo.Pack("-p:WarningsAsErrors=MGP4001");
        Assert.NotEqual(0, warned);
        Assert.Equal(["MGP4001"], Codes(warnedOutput, "error"));

        File.Delete(Path.Combine(repo.Root, "extra.txt"));
        var (third, thirdOutput) = repo.Pack();
        Assert.True(third == 0, thirdOutput);
        Assert.Contains("ModelGoPack: tiny-model -> ", thirdOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("extra.txt", Bundle.Read(bundle).Paths);

        // A file put back with an older time, and an excluded property change, are both seen.
        File.WriteAllText(Path.Combine(repo.Root, "README.md"), "# replaced\n");
        File.SetLastWriteTimeUtc(Path.Combine(repo.Root, "README.md"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var (fourth, fourthOutput) = repo.Pack("-p:ModelGoExclude=*.py");
        Assert.True(fourth == 0, fourthOutput);
        Assert.Contains("# replaced\n", Bundle.Read(bundle).Text("README.md"), StringComparison.Ordinal);

        var (clean, cleanOutput) = repo.Run("clean", "-c", "Release", "-nodeReuse:false");
        Assert.True(clean == 0, cleanOutput);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "obj", "modelgo")) && Directory.EnumerateFileSystemEntries(Path.Combine(repo.Root, "obj", "modelgo")).Any());
    }

    [Fact]
    public void Task_host_path_runs_the_task_out_of_process()
    {
        using var repo = Repo().NoTargets();

        var (exit, output) = repo.Pack("-p:ModelGoPackUseTaskHost=true");
        var (inProcess, inProcessOutput) = repo.Pack("-p:ModelGoPackUseTaskHost=false", "-p:ModelGoVersion=1.0.1");

        Assert.True(exit == 0, output);
        Assert.Contains("running in a .NET task host", output, StringComparison.Ordinal);
        Assert.Contains("with NuGet.Packaging 8.0", output, StringComparison.Ordinal);
        Assert.True(File.Exists(repo.Output("tiny-model.1.0.0.zip")));
        Assert.True(inProcess == 0, inProcessOutput);
        Assert.Contains("running in the MSBuild process", inProcessOutput, StringComparison.Ordinal);

        // In process, the task gets NuGet 8.0 from its own folder, not the SDK's NuGet.
        Assert.Contains("with NuGet.Packaging 8.0", inProcessOutput, StringComparison.Ordinal);
    }

    // The task is PackModel (docs/msbuild.md); a script written for its old name, ModelGoPack, still works.
    [Theory]
    [InlineData("PackModel")]
    [InlineData("ModelGoPack")]
    public void Standalone_task_call_from_an_existing_build_script(string taskName)
    {
        using var temp = new TempDirectory();
        var package = temp.Combine("modelgopack");
        System.IO.Compression.ZipFile.ExtractToDirectory(LocalFeed.Package("ModelGoPack"), package);
        var example = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled");
        var script = temp.Combine("release.proj");
        File.WriteAllText(script, $"""
            <Project>
              <UsingTask TaskName="ModelGoPack.Tasks.{taskName}" AssemblyFile="{package}/tasks/net10.0/ModelGoPack.Tasks.dll" />
              <Target Name="Release">
                <{taskName} ProjectDirectory="{example}" IntermediateDirectory="{temp.Path}/obj" BundlePath="{temp.Path}/out/model.zip">
                  <Output TaskParameter="Bundle" PropertyName="Bundle" />
                </{taskName}>
                <Message Importance="high" Text="Bundle: $(Bundle)" />
              </Target>
            </Project>
            """);

        var (exit, output) = ProcessRunner.Run("dotnet", temp.Path, "msbuild", script, "-t:Release", "-nodeReuse:false");

        Assert.True(exit == 0, output);
        Assert.Contains($"Bundle: {temp.Path}/out/model.zip", output, StringComparison.Ordinal);
        Assert.Equal(0, ProcessRunner.Run("unzip", null, "-t", temp.Combine("out", "model.zip")).ExitCode);
    }

    private static MSBuildRepo Repo(Action<ModelProjectBuilder>? configure = null, bool write = true)
    {
        var project = new ModelProjectBuilder();
        configure?.Invoke(project);
        if (write)
        {
            project.Write();
        }

        return new MSBuildRepo(project);
    }

    private static XDocument Nuspec(Func<string, byte[]> read, string name)
    {
        using var stream = new MemoryStream(read(name));
        return XDocument.Load(stream);
    }

    /// <summary>The distinct MGP codes of one severity in a build's output, sorted.</summary>
    private static List<string> Codes(string output, string severity) =>
        CodePattern().Matches(output).Where(m => m.Groups["severity"].Value == severity)
            .Select(m => m.Groups["code"].Value).Distinct().Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@": (?<severity>error|warning) (?<code>MGP\d{4}):")]
    private static partial Regex CodePattern();
}
