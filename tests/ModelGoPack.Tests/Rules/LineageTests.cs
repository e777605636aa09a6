using System.Text.Json.Nodes;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Modifications found by comparing the project with its upstream's release, made by ModelGoPack itself.</summary>
public sealed class LineageTests
{
    [Theory]
    [InlineData("dir")]
    [InlineData("zip")]
    [InlineData("manifest")]
    public void Changed_added_and_removed_files_need_dated_modifications(string form)
    {
        using var derivative = Derivative(form, out var reference);
        derivative.Modification("2026-05-01", "Fine-tuned on X", "model.safetensors").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = derivative.Root });

        var undeclared = result.Diagnostics.Where(d => d.Code == "MGP2006").ToDictionary(d => d.Path!, d => d.Message);
        Assert.Equal(["extra.py", "tokenizer.json"], undeclared.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("is added compared with the release of \"Base\"", undeclared["extra.py"], StringComparison.Ordinal);
        Assert.Contains("is removed", undeclared["tokenizer.json"], StringComparison.Ordinal);
        Assert.Contains($"({reference})", undeclared["extra.py"], StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Path == "model.safetensors");
    }

    [Fact]
    public void A_declared_modification_of_an_unchanged_file_is_MGP2007_and_full_declarations_pass()
    {
        using var derivative = Derivative("dir", out _);
        derivative.Modification("2026-05-01", "Fine-tuned on X", "model.safetensors")
            .Modification("2026-05-02", "Added a sampling script; dropped the tokenizer", "extra.py", "tokenizer.json")
            .Modification("2026-05-03", "Retuned the config", "config.json")
            .Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = derivative.Root });

        // The release inside the project is left out of the bundle, with a note.
        var left = Assert.Single(result.Diagnostics, d => d.Code == "MGP8037");
        Assert.Equal("upstream/base-release", left.Path);
        var d = Assert.Single(result.Diagnostics, d => d.Code != "MGP8037");
        Assert.Equal(("MGP2007", Diagnostics.Severity.Warning), (d.Code, d.Severity));
        Assert.Contains("Retuned the config", d.Message, StringComparison.Ordinal);
        Assert.True(result.Compliant);
    }

    [Fact]
    public void The_upstream_bundle_notices_are_kept_verbatim_in_the_NOTICE()
    {
        using var derivative = Derivative("zip", out _);
        derivative.Modification("2026-05-01", "Everything", "**/*").Write();
        var output = Path.Combine(derivative.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = derivative.Root }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        var retained = notice.IndexOf("----- NOTICE (from \"Base\") -----\nbase-model 1.0.0\n", StringComparison.Ordinal);
        Assert.True(retained > 0, notice);
        Assert.Contains("Copyright 2025 Base Labs\n", notice[retained..], StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_alone_keeps_the_upstream_copyright_lines()
    {
        using var derivative = Derivative("manifest", out _);
        derivative.Modification("2026-05-01", "Everything", "**/*").File("upstream/Base/NOTICE", "Base authors: A. Person\n").Write();

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = derivative.Root }, Path.Combine(derivative.Scratch, "out"), BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var notice = File.ReadAllText(Path.Combine(derivative.Scratch, "out", "NOTICE"));
        Assert.Contains("----- modelgo-manifest.json#copyright (from \"Base\") -----\nCopyright 2025 Base Labs\n", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_release_is_MGP8027()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-01-01", "x");
        ((JsonObject)project.Array("upstream")[0]!)["bundle"] = "upstream/missing.zip";
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP8027", "modelgo.json"), (d.Code, d.Path));
        Assert.Equal(2, result.ExitCode);
    }

    /// <summary>
    /// Packs an original "Base" model with ModelGoPack, puts its release into a derivative project (as a
    /// bundle folder, a zip, or only its manifest), then changes the weights, adds extra.py and drops tokenizer.json.
    /// </summary>
    private static ModelProjectBuilder Derivative(string form, out string reference)
    {
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Config["copyright"] = new JsonArray("Copyright 2025 Base Labs");
        upstream.File("tokenizer.json", "{\"model\": {}}").Write();
        var bundle = Path.Combine(upstream.Scratch, form == "zip" ? "base.zip" : "base");
        var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = upstream.Root }, bundle, form == "zip" ? BundleFormat.Zip : BundleFormat.Directory);
        Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));

        var derivative = new ModelProjectBuilder("derived-model");
        foreach (var name in new[] { "model.safetensors", "config.json", "README.md" })
        {
            File.Copy(Path.Combine(upstream.Root, name), Path.Combine(derivative.Root, name), overwrite: true);
        }

        Safetensors.Write(Path.Combine(derivative.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]), ("head.weight", "F32", [2, 4]));
        derivative.File("extra.py", "print('sample')\n");
        derivative.Upstream("Base", "derivative", "fine-tuning");
        var entry = (JsonObject)derivative.Array("upstream")[0]!;
        switch (form)
        {
            case "zip":
                Directory.CreateDirectory(Path.Combine(derivative.Root, "upstream"));
                File.Copy(bundle, Path.Combine(derivative.Root, "upstream", "base.zip"));
                entry["bundle"] = reference = "upstream/base.zip";
                break;
            case "dir":
                // Not upstream/base: the builder's upstream/Base/NOTICE would differ from it only in case (MGP8030).
                CopyDirectory(bundle, Path.Combine(derivative.Root, "upstream", "base-release"));
                entry["bundle"] = reference = "upstream/base-release";
                break;
            default:
                derivative.File("upstream/base-manifest/modelgo-manifest.json", File.ReadAllText(Path.Combine(bundle, "modelgo-manifest.json")));
                entry["manifest"] = reference = "upstream/base-manifest/modelgo-manifest.json";
                break;
        }

        return derivative;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>Lineage against a commit or tag of the project's own git repository, with dates from its commits.</summary>
public sealed class GitLineageTests
{
    [Fact]
    public void Committed_changes_are_dated_from_git_and_listed_in_the_NOTICE_and_uncommitted_ones_are_errors()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning");
        ((JsonObject)project.Array("upstream")[0]!)["git"] = "base-v1";
        project.Write();
        Git(project.Root, "2026-01-10", "init", "-q", "-b", "main");
        Commit(project.Root, "2026-01-10", "upstream as released");
        Git(project.Root, "2026-01-10", "tag", "base-v1");
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]));
        Commit(project.Root, "2026-03-05", "fine-tune");
        project.File("extra.py", "print('x')\n");
        Commit(project.Root, "2026-03-06", "add a script");
        project.File("config.json", """{"architectures": ["TinyForCausalLM"], "model_type": "tiny", "torch_dtype": "bfloat16"}""");

        var uncommitted = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        Commit(project.Root, "2026-03-07", "config");
        var output = Path.Combine(project.Scratch, "out");
        var committed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        var error = Assert.Single(uncommitted.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP2006", "config.json"), (error.Code, error.Path));
        Assert.Contains("the change is not committed", error.Message, StringComparison.Ordinal);
        Assert.True(committed.Compliant, string.Join("\n", committed.Diagnostics));
        Assert.Equal(["config.json", "extra.py", "model.safetensors"], committed.Diagnostics.Where(d => d.Code == "MGP2008").Select(d => d.Path!).Order(StringComparer.Ordinal));
        var notice = File.ReadAllText(Path.Combine(output, "NOTICE"));
        var first = notice.IndexOf("  - 2026-03-05: Modified model.safetensors [model.safetensors]", StringComparison.Ordinal);
        var second = notice.IndexOf("  - 2026-03-06: Added extra.py [extra.py]", StringComparison.Ordinal);
        var third = notice.IndexOf("  - 2026-03-07: Modified config.json [config.json]", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first && third > second, notice);

        // The manifest declares the modifications the NOTICE states, so verify judges the bundle as pack did.
        var verified = ModelGoPackEngine.Verify(output);
        Assert.True(verified.Compliant, string.Join("\n", verified.Diagnostics));
        Assert.DoesNotContain(verified.Diagnostics, d => d.Code == "MGP2001");
    }

    [Fact]
    public void Line_end_filters_and_glob_characters_do_not_make_false_changes_and_a_missing_tag_is_named()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-02-01", "Tuned", "model.safetensors");
        ((JsonObject)project.Array("upstream")[0]!)["git"] = "base-v1";
        project.File(".gitattributes", "*.txt text eol=crlf\n").File("w[1].txt", "a\nb\n").File("w1.txt", "one\n").Write();
        Git(project.Root, "2026-01-10", "init", "-q", "-b", "main");
        Commit(project.Root, "2026-01-10", "release");
        Git(project.Root, "2026-01-10", "tag", "base-v1");
        File.Delete(Path.Combine(project.Root, "w[1].txt"));
        Git(project.Root, "2026-01-10", "checkout", "--", "w[1].txt");
        Safetensors.Write(Path.Combine(project.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]));
        Commit(project.Root, "2026-02-01", "tune");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        ((JsonObject)project.Array("upstream")[0]!)["git"] = "base-v9";
        project.Write();
        var missing = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Path is "w[1].txt" or "w1.txt");
        var error = Assert.Single(missing.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal("MGP8027", error.Code);
        Assert.Contains("git 'base-v9'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_git_upstream_without_git_is_MGP8028()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-01-01", "x");
        ((JsonObject)project.Array("upstream")[0]!)["git"] = "base-v1";
        project.Write();

        var (exit, stdout, _) = CliRunner.Run(new Dictionary<string, string?> { ["MODELGOPACK_GIT"] = "/nonexistent/git" }, "check", project.Root);

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8028", stdout, StringComparison.Ordinal);
    }

    private static void Commit(string root, string date, string message)
    {
        Git(root, date, "add", "-A");
        Git(root, date, "commit", "-q", "-m", message);
    }

    private static void Git(string root, string date, params string[] arguments) => TestGit.Run(root, date + "T12:00:00Z", arguments);
}
