using System.Text;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Roles by content: Git LFS pointers before any format parser, WebAssembly and managed .NET assemblies as compiled
/// code, and the files a tokenizer_config.json names as tokenizer files.
/// </summary>
public sealed class InspectionRoleTests
{
    private const string Oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    private static readonly string Pointer = $"version https://git-lfs.github.com/spec/v1\noid sha256:{Oid}\nsize 2000000000\n";

    [Theory]
    [InlineData("model.safetensors", ArtifactRole.Weights)]
    [InlineData("config.json", ArtifactRole.Architecture)]
    [InlineData("tokenizer.json", ArtifactRole.Tokenizer)]
    public void A_Git_LFS_pointer_is_known_by_its_content_and_says_to_pull(string file, ArtifactRole role)
    {
        using var project = new ModelProjectBuilder();
        project.File("tokenizer.json", "{}").Write();
        File.WriteAllText(Path.Combine(project.Root, file), Pointer);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP8041", file), (error.Code, error.Path));
        Assert.Equal(
            $"'{file}' is a Git LFS pointer to a file of sha256:{Oid}, 2000000000 bytes, not the file itself. {Diagnostics.DiagnosticCatalog.LfsPointer.Help}",
            error.Message);
        Assert.Contains("git lfs pull", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.ExitCode);
        var artifact = result.Artifacts.Single(a => a.Path == file);
        Assert.Equal(role, artifact.Role);
        Assert.True(artifact.IsLfsPointer);
        Assert.Null(artifact.Weights);
    }

    [Fact]
    public void Inspect_reports_an_LFS_pointer_too_and_a_text_that_only_starts_like_one_is_no_pointer()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("model.gguf"), Pointer);
        File.WriteAllText(temp.Combine("VERSION"), "version 1.2.0\n");
        File.WriteAllText(temp.Combine("notes.txt"), Pointer.Replace("size 2000000000", "size 2e9", StringComparison.Ordinal));

        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = temp.Path });

        Assert.Equal(["model.gguf"], result.Diagnostics.Where(d => d.Code == "MGP8041").Select(d => d.Path));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP8021");
        Assert.False(result.Artifacts.Single(a => a.Path == "VERSION").IsLfsPointer);
        Assert.Equal(ArtifactRole.Docs, result.Artifacts.Single(a => a.Path == "notes.txt").Role);
    }

    [Theory]
    [InlineData("kernels/ops.wasm")]
    [InlineData("kernels/ops.module")]
    public void WebAssembly_is_compiled_code_that_needs_its_source(string file)
    {
        using var project = new ModelProjectBuilder();
        project.Bytes(file, [0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 1, 4, 1, 96, 0, 0]).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var artifact = result.Artifacts.Single(a => a.Path == file);
        Assert.Equal((ArtifactRole.Code, "WebAssembly module"), (artifact.Role, artifact.Facts["compiled"]));
        var error = Assert.Single(result.Diagnostics, d => d.Code == "MGP5007");
        Assert.StartsWith($"{file} is a WebAssembly module, and the release holds no source code it could be built from. ", error.Message, StringComparison.Ordinal);

        File.Copy(Path.Combine(project.Root, file), Path.Combine(project.Root, "kernels", "second.wasm"));
        var both = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5007");
        Assert.StartsWith($"{file}, kernels/second.wasm are WebAssembly modules, and the release holds no source code they could be built from. ", both.Message, StringComparison.Ordinal);

        project.File("kernels/src/lib.rs", "pub fn add(a: i32, b: i32) -> i32 { a + b }\n");
        Assert.DoesNotContain(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5007");
    }

    [Fact]
    public void A_managed_assembly_is_a_NET_assembly_and_a_native_executable_is_a_native_binary()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        File.Copy(typeof(ModelGoPackEngine).Assembly.Location, Path.Combine(project.Root, "ModelGoPack.Core.dll"));
        var native = Path.Combine(project.Root, "runtime", "host");
        Directory.CreateDirectory(Path.GetDirectoryName(native)!);
        File.Copy(NativeExecutable(), native);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(".NET assembly", result.Artifacts.Single(a => a.Path == "ModelGoPack.Core.dll").Facts["compiled"]);
        Assert.Equal("native binary", result.Artifacts.Single(a => a.Path == "runtime/host").Facts["compiled"]);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "MGP5007");
        Assert.StartsWith("ModelGoPack.Core.dll, runtime/host are compiled code (.NET assemblies, native binaries), and the release holds no source code they could be built from. ", error.Message, StringComparison.Ordinal);

        File.Delete(native);
        error = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5007");
        Assert.StartsWith("ModelGoPack.Core.dll is a .NET assembly, and the release holds", error.Message, StringComparison.Ordinal);
        project.File("src/Runtime.fs", "module Runtime\n");
        Assert.DoesNotContain(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP5007");
    }

    [Fact]
    public void Files_a_tokenizer_config_names_are_tokenizer_files()
    {
        using var project = new ModelProjectBuilder();
        project.File("tokenizer_config.json", """{"vocab_file": "gpt2.tiktoken", "merges_file": "merges.bpe", "tokenizer_file": null}""")
            .File("gpt2.tiktoken", "IQ== 0\n")
            .File("merges.bpe", "#version: 0.2\n")
            .File("unrelated.tiktoken", "IQ== 0\n")
            .File("other/tokenizer_config.json", """{"vocab_file": "spm.model"}""")
            .File("other/spm.model", "model")
            .File("spm.model", "model")
            .Write();

        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = project.Root });

        ArtifactRole Role(string path) => result.Artifacts.Single(a => a.Path == path).Role;
        Assert.Equal(
            (ArtifactRole.Tokenizer, ArtifactRole.Tokenizer, ArtifactRole.Other, ArtifactRole.Tokenizer, ArtifactRole.Other),
            (Role("gpt2.tiktoken"), Role("merges.bpe"), Role("unrelated.tiktoken"), Role("other/spm.model"), Role("spm.model")));
    }

    [Fact]
    public void Every_weight_ending_is_in_one_table_that_inspect_and_the_license_file_rules_share()
    {
        using var temp = new TempDirectory();
        foreach (var ending in FileKinds.WeightEndings)
        {
            File.WriteAllBytes(temp.Combine("w" + ending), new byte[16]);
        }

        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = temp.Path });

        Assert.Equal(FileKinds.WeightEndings.Count, result.Artifacts.Count);
        Assert.All(result.Artifacts, a => Assert.Equal(ArtifactRole.Weights, a.Role));
        // The license-file rules read the same table: LICENSE followed by a weight ending is a weight file, not a license.
        Assert.All(FileKinds.WeightEndings, e => Assert.False(Licensing.LicenseFiles.IsLicenseName("LICENSE" + e), e));
        Assert.True(FileKinds.IsWeights("model.pickle") && FileKinds.IsWeights("model.HDF5") && !FileKinds.IsWeights("model.json"));
    }

    private static string NativeExecutable()
    {
        // The test host's own executable (dotnet, or testhost): an ELF, Mach-O or native PE image on every system.
        var path = Environment.ProcessPath!;
        Assert.True(new FileInfo(path).Length > 64, path);
        var magic = File.ReadAllBytes(path).AsSpan(0, 4);
        Assert.True(magic.StartsWith("\u007fELF"u8) || magic.StartsWith("MZ"u8) || magic[0] is 0xCF or 0xCE or 0xFE, Encoding.ASCII.GetString(magic));
        return path;
    }
}
