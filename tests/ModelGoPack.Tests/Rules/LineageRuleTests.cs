using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Rules;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Lineage's rules one by one: which changes need a declaration, and what each finding says.</summary>
public sealed class LineageRuleTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly ModelProjectBuilder derivative = new("derived-model");

    public void Dispose()
    {
        this.derivative.Dispose();
        this.temp.Dispose();
    }

    [Theory]
    [InlineData("a\r\nb\r\n", "a\nb\n")]
    [InlineData("a\rb\n", "a\rb\n")]
    [InlineData("a\r\r\nb", "a\r\nb")]
    [InlineData("ends with CR\r", "ends with CR\r")]
    [InlineData("", "")]
    public void Line_ends_are_made_LF_only_where_CR_precedes_LF(string file, string expected)
    {
        var path = Path.Combine(this.temp.Path, "text.txt");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes(file));

        Assert.Equal(Sha(Encoding.ASCII.GetBytes(expected)), DerivativeMaterials.LineEndsMadeLf(new Discovery.ProjectFile("text.txt", path, file.Length)));
    }

    [Fact]
    public void A_file_with_a_NUL_in_its_first_8000_bytes_is_binary_and_not_made_LF()
    {
        var path = Path.Combine(this.temp.Path, "table.bin");
        var bytes = Enumerable.Repeat((byte)'a', 9000).ToArray();
        bytes[7999] = 0;
        File.WriteAllBytes(path, bytes);
        Assert.Null(DerivativeMaterials.LineEndsMadeLf(new Discovery.ProjectFile("table.bin", path, bytes.Length)));

        // A NUL past the first 8,000 bytes does not make it binary (git's own test).
        bytes[7999] = (byte)'a';
        bytes[8000] = 0;
        File.WriteAllBytes(path, bytes);
        Assert.Equal(Sha(bytes), DerivativeMaterials.LineEndsMadeLf(new Discovery.ProjectFile("table.bin", path, bytes.Length)));
        Assert.Null(DerivativeMaterials.LineEndsMadeLf(new Discovery.ProjectFile("gone.bin", Path.Combine(this.temp.Path, "gone.bin"), 1)));
    }

    [Fact]
    public void A_file_stored_with_LFS_is_never_forgiven_its_line_ends()
    {
        // The clone stores notes.txt with LFS: its pointer names the LF text; the project holds CRLF text.
        var clone = Path.Combine(this.temp.Path, "clone");
        Directory.CreateDirectory(clone);
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        var text = "first\nsecond\n"u8.ToArray();
        File.WriteAllText(Path.Combine(clone, "notes.txt"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{Sha(text)}\nsize {text.Length}\n");
        foreach (var name in new[] { "model.safetensors", "config.json", "README.md" })
        {
            File.Copy(Path.Combine(this.derivative.Root, name), Path.Combine(clone, name));
        }

        TestGit.Run(clone, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(clone, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        this.derivative.File("notes.txt", "first\r\nsecond\r\n");
        this.Upstream(new JsonObject { ["git"] = "main", ["repository"] = clone }).Modification("2026-05-01", "Retuned", "config.json").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "notes.txt");
    }

    [Fact]
    public void Each_finding_says_why_the_change_has_no_date()
    {
        var release = this.Release();
        this.derivative.File("extra.py", "print(1)\n");
        this.Upstream(new JsonObject { ["bundle"] = release }).Modification("2026-05-01", "Tokenizer", "tokenizer.json").Write();

        // Not in git.
        var outside = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });
        var added = Assert.Single(outside.Diagnostics, d => d.Code == "MGP2006" && d.Path == "extra.py");
        Assert.Contains("'extra.py' is added compared with the release of \"Base\"", added.Message, StringComparison.Ordinal);
        Assert.Contains("and the project is not in a git repository, so it has no date", added.Message, StringComparison.Ordinal);

        // In git, not committed.
        TestGit.Run(this.derivative.Root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        var uncommitted = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });
        Assert.Contains("and the change is not committed, so it has no date", Assert.Single(uncommitted.Diagnostics, d => d.Code == "MGP2006" && d.Path == "extra.py").Message, StringComparison.Ordinal);

        // git cannot be run: the date cannot be asked of it.
        var noGit = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, GitExecutable = Path.Combine(this.temp.Path, "no-such-git") });
        var unavailable = Assert.Single(noGit.Diagnostics, d => d.Code == "MGP8028" && d.Path == "extra.py");
        Assert.Contains("'extra.py' is added compared with the release of \"Base\" and no modification declares it, so its date must come from git, but git could not be run", unavailable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(noGit.Diagnostics, d => d.Code == "MGP2006" && d.Path == "extra.py");
    }

    [Fact]
    public void A_modification_counts_for_its_own_upstream_and_MGP2007_only_when_nothing_it_names_changed()
    {
        var release = this.Release();
        this.Upstream(new JsonObject { ["bundle"] = release });
        this.derivative.Array("upstream").Add(new JsonObject { ["name"] = "Other", ["relation"] = "derivative", ["method"] = "merge" });

        // Declared for "Other", the change of the weights is undeclared for "Base"; one naming a changed and an
        // unchanged file is no MGP2007, nor is one naming no file at all (that is MGP2002).
        this.derivative.Modification("2026-05-01", "Merged", "model.safetensors").Modification("2026-05-02", "Tokenizer and config", "tokenizer.json", "config.json")
            .Modification("2026-05-03", "Nothing at all", "missing.bin");
        ((JsonObject)this.derivative.Array("modifications")[0]!)["upstream"] = "Other";
        this.derivative.Write();
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "model.safetensors");
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2007");
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP2002");

        // Naming only unchanged files is MGP2007, and says which.
        ((JsonObject)this.derivative.Array("modifications")[1]!)["paths"] = new JsonArray("config.json");
        this.derivative.Write();
        var unchanged = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root }).Diagnostics, d => d.Code == "MGP2007");
        Assert.Contains("The modification of 2026-05-02 (\"Tokenizer and config\") names config.json, identical to the release of \"Base\".", unchanged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_glob_matching_some_files_is_no_MGP2002_and_a_license_contradiction_points_at_the_declared_license()
    {
        var release = this.Release();
        File.WriteAllText(Path.Combine(release, "LICENSE"), "MIT License\n\nCopyright (c) 2025 Base Labs\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n");
        this.Upstream(new JsonObject { ["bundle"] = release, ["license"] = "MG-BY-SA-2.0" }).Modification("2026-05-01", "Fine-tuned", "*.safetensors", "tokenizer.json").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2002");
        var contradiction = Assert.Single(result.Diagnostics, d => d.Code == "MGP6009");
        var lines = File.ReadAllLines(Path.Combine(this.derivative.Root, "modelgo.json"));
        Assert.Equal(Array.FindIndex(lines, l => l.Contains("\"license\": \"MG-BY-SA-2.0\"", StringComparison.Ordinal) && l.StartsWith("      ", StringComparison.Ordinal)) + 1, contradiction.Line);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Undeclared_changes_are_dated_from_git_at_once_each_by_its_own_last_commit()
    {
        // git is run through a wrapper that logs each run: the number of runs must not grow with the changed files.
        var log = Path.Combine(this.temp.Path, "git.log");
        var wrapper = this.GitWrapper("git-logged", $"echo \"$1\" >> '{log}'");
        this.CommittedAgainstRelease("model.safetensors");
        for (var i = 0; i < 40; i++)
        {
            this.derivative.File($"scripts/s{i:D2}.py", $"print({i})\n");
        }

        TestGit.Run(this.derivative.Root, "2026-02-02T00:00:00Z", "add", "-A");
        TestGit.Run(this.derivative.Root, "2026-02-02T00:00:00Z", "commit", "-q", "-m", "scripts");
        this.derivative.File("scripts/s07.py", "print('seven')\n");
        TestGit.Run(this.derivative.Root, "2026-03-03T00:00:00Z", "commit", "-q", "-am", "seven");

        // A staged rename: both its paths are uncommitted changes; an untracked file is one too.
        TestGit.Run(this.derivative.Root, "2026-03-03T00:00:00Z", "mv", "config.json", "settings.json");
        this.derivative.File("untracked.py", "print('new')\n");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, GitExecutable = wrapper });

        string? Dated(string path) => result.Diagnostics.SingleOrDefault(d => d.Code == "MGP2008" && d.Path == path)?.Message;
        Assert.Contains("the last commit touching it is of 2026-02-02", Dated("scripts/s00.py"), StringComparison.Ordinal);
        Assert.Contains("the last commit touching it is of 2026-02-02", Dated("scripts/s39.py"), StringComparison.Ordinal);
        Assert.Contains("the last commit touching it is of 2026-03-03", Dated("scripts/s07.py"), StringComparison.Ordinal);
        Assert.Contains("the last commit touching it is of 2026-01-01", Dated("tokenizer.json"), StringComparison.Ordinal);
        Assert.Equal(40, result.Diagnostics.Count(d => d.Code == "MGP2008" && d.Path!.StartsWith("scripts/s", StringComparison.Ordinal)));
        var undated = result.Diagnostics.Where(d => d.Code == "MGP2006").Select(d => d.Path).Order(StringComparer.Ordinal);
        Assert.Equal(["config.json", "settings.json", "untracked.py"], undated);
        Assert.All(result.Diagnostics.Where(d => d.Code == "MGP2006"), d => Assert.Contains("the change is not committed", d.Message, StringComparison.Ordinal));
        var runs = File.ReadAllLines(log);
        Assert.True(runs.Length <= 6, string.Join(", ", runs));

        // Without git at all, the open fails once and is not tried again for each file.
        File.Delete(log);
        Directory.Delete(Path.Combine(this.derivative.Root, ".git"), recursive: true);
        var outside = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, GitExecutable = wrapper });
        Assert.True(outside.Diagnostics.Count(d => d.Code == "MGP2006") > 40);
        Assert.Single(File.ReadAllLines(log));
    }

    [Fact]
    public void Past_a_merge_each_change_is_dated_as_git_log_dates_it_alone()
    {
        // p.txt changed on main (Feb) and on a side branch (Mar), the merge keeping main's; q.txt only on the side branch;
        // r.txt changed in the merge itself (Apr).
        var release = this.Release();
        foreach (var name in new[] { "p.txt", "q.txt", "r.txt" })
        {
            this.derivative.File(name, "base\n");
            File.WriteAllText(Path.Combine(release, name), "base\n");
        }

        this.Upstream(new JsonObject { ["bundle"] = release }).Modification("2026-05-01", "Fine-tuned", "model.safetensors", "tokenizer.json").Write();
        var root = this.derivative.Root;
        TestGit.Run(root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "checkout", "-q", "-b", "side");
        this.derivative.File("p.txt", "side\n").File("q.txt", "side\n");
        TestGit.Run(root, "2026-03-01T00:00:00Z", "commit", "-q", "-am", "side");
        TestGit.Run(root, "2026-03-01T00:00:00Z", "checkout", "-q", "main");
        this.derivative.File("p.txt", "main\n");
        TestGit.Run(root, "2026-02-01T00:00:00Z", "commit", "-q", "-am", "main");
        // The merge stops at the conflict in p.txt (exit 1), resolved by keeping main's.
        var merge = ProcessRunner.Run("git", root, new Dictionary<string, string?>
        {
            ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_AUTHOR_NAME"] = "Test", ["GIT_AUTHOR_EMAIL"] = "test@example.org",
            ["GIT_COMMITTER_NAME"] = "Test", ["GIT_COMMITTER_EMAIL"] = "test@example.org",
        }, "merge", "-q", "--no-commit", "side");
        Assert.True(merge.ExitCode == 1, merge.Output);
        TestGit.Run(root, "2026-04-01T00:00:00Z", "checkout", "--ours", "p.txt");
        this.derivative.File("r.txt", "merged\n");
        TestGit.Run(root, "2026-04-01T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-04-01T00:00:00Z", "commit", "-q", "-m", "merge");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = root });

        string? Dated(string path) => result.Diagnostics.SingleOrDefault(d => d.Code == "MGP2008" && d.Path == path)?.Message;
        Assert.Contains("the last commit touching it is of 2026-02-01", Dated("p.txt") ?? string.Join("\n", result.Diagnostics), StringComparison.Ordinal);
        Assert.Contains("the last commit touching it is of 2026-03-01", Dated("q.txt") ?? string.Join("\n", result.Diagnostics), StringComparison.Ordinal);
        Assert.Contains("the last commit touching it is of 2026-04-01", Dated("r.txt") ?? string.Join("\n", result.Diagnostics), StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_file_whose_name_is_now_a_folder_is_dated_by_the_folder_and_an_uncommitted_file_in_it_is_not_dated()
    {
        var release = this.Release();
        File.WriteAllText(Path.Combine(release, "tok"), "x\n");
        this.Upstream(new JsonObject { ["bundle"] = release }).Modification("2026-05-01", "Fine-tuned", "model.safetensors", "tokenizer.json").Write();
        var root = this.derivative.Root;
        TestGit.Run(root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        this.derivative.File("tok", "x\n");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        File.Delete(Path.Combine(root, "tok"));
        this.derivative.File("tok/vocab.txt", "y\n").File("tok/merges.txt", "m\n");
        TestGit.Run(root, "2026-03-10T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-03-10T00:00:00Z", "commit", "-q", "-m", "tokenizer folder");
        this.derivative.File("tok/merges.txt", "m2\n");
        TestGit.Run(root, "2026-03-20T00:00:00Z", "commit", "-q", "-am", "merges");
        this.derivative.File("tok/vocab.txt", "edited\n");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = root });

        Assert.Contains("the change is not committed", Assert.Single(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "tok/vocab.txt").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2008" && d.Path == "tok/vocab.txt");
        Assert.Contains("of 2026-03-20", Assert.Single(result.Diagnostics, d => d.Code == "MGP2008" && d.Path == "tok/merges.txt").Message, StringComparison.Ordinal);

        // "tok", removed, is dated as `git log -1 -- tok` dates it: by the last commit under it.
        Assert.Contains("of 2026-03-20", Assert.Single(result.Diagnostics, d => d.Code == "MGP2008" && d.Path == "tok").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "git status failed")]
    [InlineData("ls-files", "git ls-files failed")]
    [InlineData("--show-prefix", "git rev-parse failed")]
    [InlineData("--merges", "git rev-list failed")]
    [InlineData("--name-only", "git log failed")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void When_git_cannot_say_whether_a_change_is_committed_it_is_MGP8028_never_dated(string failing, string said)
    {
        var wrapper = this.GitWrapper("git-failing", $"for a in \"$@\"; do if [ \"$a\" = {failing} ]; then echo 'fatal: out of memory' >&2; exit 128; fi; done");
        this.CommittedAgainstRelease("model.safetensors");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = this.derivative.Root, GitExecutable = wrapper });

        var failed = Assert.Single(result.Diagnostics, d => d.Code == "MGP8028" && d.Path == "tokenizer.json");
        Assert.Contains($"but {said}: fatal: out of memory.", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2008");
    }

    [Fact]
    public void Files_git_ignores_or_is_told_not_to_look_at_are_never_dated()
    {
        var root = this.CommittedAgainstRelease();

        // extra.bin was committed, then removed from git and ignored; the file now there was never committed.
        this.derivative.File("extra.bin", "x");
        TestGit.Run(root, "2026-03-03T00:00:00Z", "add", "extra.bin");
        TestGit.Run(root, "2026-03-03T00:00:00Z", "commit", "-q", "-m", "add");
        TestGit.Run(root, "2026-04-04T00:00:00Z", "rm", "-q", "extra.bin");
        this.derivative.File(".gitignore", "extra.bin\n");
        TestGit.Run(root, "2026-04-04T00:00:00Z", "add", ".gitignore");
        TestGit.Run(root, "2026-04-04T00:00:00Z", "commit", "-q", "-m", "rm");
        this.derivative.File("extra.bin", "totally new");

        // config.json changed under skip-worktree, .gitignore under assume-unchanged: git status shows neither.
        this.derivative.File("config.json", "{\"model_type\": \"changed\"}");
        TestGit.Run(root, "2026-04-04T00:00:00Z", "update-index", "--skip-worktree", "config.json");
        this.derivative.File(".gitignore", "extra.bin\n# changed\n");
        TestGit.Run(root, "2026-04-04T00:00:00Z", "update-index", "--assume-unchanged", ".gitignore");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = root });

        foreach (var path in new[] { "extra.bin", "config.json", ".gitignore" })
        {
            Assert.Contains("the change is not committed", Assert.Single(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == path).Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2008");
    }

    [Fact]
    public void Only_a_file_the_index_holds_under_its_own_name_is_dated()
    {
        var root = this.CommittedAgainstRelease();

        // build/x committed, then untracked and its folder ignored; inner/x committed, then untracked and inner made a
        // repository of its own; b.txt committed as B.txt (a case-only rename), the work tree holding b.txt.
        this.derivative.File("build/x", "v1").File("inner/x", "v1").File("b.txt", "v1");
        TestGit.Run(root, "2026-02-02T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-02-02T00:00:00Z", "commit", "-q", "-m", "add");
        TestGit.Run(root, "2026-03-03T00:00:00Z", "rm", "-q", "--cached", "build/x", "inner/x");
        TestGit.Run(root, "2026-03-03T00:00:00Z", "mv", "b.txt", "B.txt");
        this.derivative.File(".gitignore", "build/\n");
        TestGit.Run(root, "2026-03-03T00:00:00Z", "add", ".gitignore");
        TestGit.Run(root, "2026-03-03T00:00:00Z", "commit", "-q", "-m", "untrack");
        TestGit.Run(Path.Combine(root, "inner"), "2026-03-03T00:00:00Z", "init", "-q");
        File.Move(Path.Combine(root, "B.txt"), Path.Combine(root, "b.txt"));
        TestGit.Run(root, "2026-03-03T00:00:00Z", "config", "core.ignorecase", "true");
        this.derivative.File("build/x", "never committed").File("inner/x", "never committed").File("b.txt", "never committed");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = root });

        foreach (var path in new[] { "build/x", "inner/x", "b.txt" })
        {
            Assert.Contains("the change is not committed", Assert.Single(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == path).Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2008" && d.Path is "build/x" or "inner/x" or "b.txt");
    }

    [Fact]
    public void The_repositorys_log_settings_do_not_change_the_dates()
    {
        // The project in sub/ of the repository, which holds sub/sub/x; diff.relative and log.showRoot=false set.
        var release = this.Release();
        this.Upstream(new JsonObject { ["bundle"] = release }).Modification("2026-05-01", "Fine-tuned", "model.safetensors", "tokenizer.json").Write();
        var repository = Path.Combine(this.temp.Path, "repo");
        var project = Path.Combine(repository, "sub");
        Directory.CreateDirectory(repository);
        ProcessRunner.Run("cp", null, "-r", this.derivative.Root, project);
        File.WriteAllText(Path.Combine(project, "x"), "y\n");
        TestGit.Run(repository, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(repository, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(repository, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        Directory.CreateDirectory(Path.Combine(project, "sub"));
        File.WriteAllText(Path.Combine(project, "sub", "x"), "x\n");
        TestGit.Run(repository, "2026-02-02T00:00:00Z", "add", "-A");
        TestGit.Run(repository, "2026-02-02T00:00:00Z", "commit", "-q", "-m", "nested");
        TestGit.Run(repository, "2026-02-02T00:00:00Z", "config", "diff.relative", "true");
        TestGit.Run(repository, "2026-02-02T00:00:00Z", "config", "log.showRoot", "false");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project });

        string? Dated(string path) => result.Diagnostics.SingleOrDefault(d => d.Code == "MGP2008" && d.Path == path)?.Message;
        Assert.Contains("of 2026-01-01", Dated("x") ?? string.Join("\n", result.Diagnostics), StringComparison.Ordinal);
        Assert.Contains("of 2026-02-02", Dated("sub/x") ?? string.Join("\n", result.Diagnostics), StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_folder_whose_name_begins_with_a_space_keeps_its_uncommitted_changes()
    {
        var release = this.Release();
        this.Upstream(new JsonObject { ["bundle"] = release }).Modification("2026-05-01", "Fine-tuned", "model.safetensors").Write();
        var repository = Path.Combine(this.temp.Path, "repo");
        var project = Path.Combine(repository, " proj");
        Directory.CreateDirectory(repository);
        ProcessRunner.Run("cp", null, "-r", this.derivative.Root, project);
        TestGit.Run(repository, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(repository, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(repository, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        File.AppendAllText(Path.Combine(project, "tokenizer.json"), " ");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project });

        Assert.Contains("the change is not committed", Assert.Single(result.Diagnostics, d => d.Code == "MGP2006" && d.Path == "tokenizer.json").Message, StringComparison.Ordinal);
    }

    /// <summary>The project, a derivative of a plain-folder release with <paramref name="declared"/> (else its weights and tokenizer) declared modified, committed on 2026-01-01.</summary>
    private string CommittedAgainstRelease(params string[] declared)
    {
        var release = this.Release();
        this.Upstream(new JsonObject { ["bundle"] = release }).Modification("2026-05-01", "Fine-tuned", declared.Length > 0 ? declared : ["model.safetensors", "tokenizer.json"]).Write();
        var root = this.derivative.Root;
        TestGit.Run(root, "2026-01-01T00:00:00Z", "init", "-q", "-b", "main");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "add", "-A");
        TestGit.Run(root, "2026-01-01T00:00:00Z", "commit", "-q", "-m", "base");
        return root;
    }

    /// <summary>An executable script that runs <paramref name="before"/>, then git with its arguments.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string GitWrapper(string name, string before)
    {
        var wrapper = Path.Combine(this.temp.Path, name);
        File.WriteAllText(wrapper, $"#!/bin/sh\n{before}\nexec git \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }

    private string Release()
    {
        var folder = Path.Combine(this.temp.Path, "base");
        Directory.CreateDirectory(folder);
        Safetensors.Write(Path.Combine(folder, "model.safetensors"), ("embed.weight", "F32", [4, 2]), ("head.weight", "F32", [2, 4]));
        File.Copy(Path.Combine(this.derivative.Root, "config.json"), Path.Combine(folder, "config.json"));
        this.derivative.File("tokenizer.json", "{\"model\": {\"vocab\": 2}}");
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), "{\"model\": {}}");
        return folder;
    }

    private ModelProjectBuilder Upstream(JsonObject release)
    {
        release["name"] = "Base";
        release["relation"] = "derivative";
        release["method"] = "fine-tuning";
        this.derivative.Array("upstream").Add(release);
        return this.derivative;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
