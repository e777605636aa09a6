using System.Reflection;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelGoPack.Tests.Support;
using Task = ModelGoPack.Tasks.PackModel;

namespace ModelGoPack.Tests;

/// <summary>The task adapter's mapping, with a fake build engine: properties and items in, MSBuild events out.</summary>
public sealed class TaskTests
{
    [Fact]
    public void Items_and_properties_map_to_the_config_and_NuGet_facts_fill_the_rest()
    {
        using var project = new ModelProjectBuilder();
        project.File("upstream/NOTICE", "Teacher notice\n");
        var (task, engine) = Create(project);
        task.PackageId = "from-nuget";
        task.PackageVersion = "2.1.0";
        task.Copyright = "Copyright 2026 A;Copyright 2026 B";
        task.Upstream = [Item("Teacher-7B", ("Relation", "extracted"), ("Method", "distillation"), ("Notices", "upstream/NOTICE"), ("licensor", "Teacher Labs"))];

        Assert.True(task.Execute(), Describe(engine));

        Assert.Equal(Path.Combine(project.Scratch, "out", "from-nuget.2.1.0.zip"), task.Bundle);
        var notice = Bundle.Read(task.Bundle!).Text("NOTICE");
        Assert.StartsWith("from-nuget 2.1.0\n", notice, StringComparison.Ordinal);
        Assert.Contains("Copyright 2026 A\nCopyright 2026 B\n", notice, StringComparison.Ordinal);
        Assert.Contains("model \"Teacher-7B\" by Teacher Labs", notice, StringComparison.Ordinal);
        Assert.Contains("Teacher notice", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelGoBundleFormat_oci_writes_an_OCI_layout_that_verifies()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (task, engine) = Create(project);
        task.BundleFormat = "OCI";

        Assert.True(task.Execute(), Describe(engine));

        Assert.Equal(Path.Combine(project.Scratch, "out", "tiny-model.1.0.0.oci"), task.Bundle);
        Assert.True(File.Exists(Path.Combine(task.Bundle!, "oci-layout")));
        Assert.Equal("application/vnd.cncf.model.manifest.v1+json", new OciLayoutFile(task.Bundle!).Manifest["artifactType"]!.GetValue<string>());
        Assert.True(ModelGoPackEngine.Verify(task.Bundle!).Compliant);
    }

    [Fact]
    public void Progress_is_logged_at_low_importance_while_the_bundle_is_written()
    {
        using var project = new ModelProjectBuilder();
        var slow = $"slow-{Guid.NewGuid():N}.txt";
        project.File(slow, "read slowly\n").Write();
        var (task, engine) = Create(project);
        // Under the engine's lock: the progress timer logs from another thread while this reads.
        bool Logged()
        {
            lock (engine.Messages)
            {
                return engine.Messages.Any(m => m.Message!.StartsWith("ModelGoPack: packing ", StringComparison.Ordinal));
            }
        }

        // Reading one file waits until the progress timer has logged (a busy thread pool can delay it).
        void Slow(string path)
        {
            if (path == slow)
            {
                SpinWait.SpinUntil(Logged, TimeSpan.FromSeconds(30));
            }
        }

        var interval = Task.ProgressInterval;
        Task.ProgressInterval = TimeSpan.FromMilliseconds(10);
        Hashing.SourceStream.FirstBlockRead += Slow;
        try
        {
            Assert.True(task.Execute(), Describe(engine));
        }
        finally
        {
            Hashing.SourceStream.FirstBlockRead -= Slow;
            Task.ProgressInterval = interval;
        }

        var progress = engine.Messages.ToList().Where(m => m.Message!.StartsWith("ModelGoPack: packing ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, m => Assert.Equal(MessageImportance.Low, m.Importance));
        Assert.Matches(@"^ModelGoPack: packing [0-9,]+ of [0-9,]+ bytes \(\d+%\)$", progress[0].Message);
    }

    [Fact]
    public void Package_files_put_generated_files_at_the_root_and_leave_weights_out_unless_asked()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (task, engine) = Create(project);

        Assert.True(task.Execute(), Describe(engine));
        var paths = task.PackageFiles.ToDictionary(i => Path.GetFileName(i.ItemSpec), i => i.GetMetadata("PackagePath"));

        Assert.Equal("/", paths["LICENSE"]);
        Assert.Equal("/", paths["NOTICE"]);
        Assert.Equal("/", paths["modelgo-manifest.json"]);
        Assert.Equal("/", paths["README.md"]);
        Assert.Equal("model/", paths["config.json"]);
        Assert.DoesNotContain("model.safetensors", paths.Keys);
        // The package's readme is the bundle's model card: the project's README.md with the license section.
        Assert.Equal(Path.Combine(project.Scratch, "obj", "README.md"), task.Readme);
        Assert.Contains("License and provenance", File.ReadAllText(task.Readme!), StringComparison.Ordinal);
        Assert.Contains(task.FileWrites, i => i.ItemSpec == task.Bundle);

        var (withWeights, engine2) = Create(project);
        withWeights.PackWeights = true;
        Assert.True(withWeights.Execute(), Describe(engine2));
        Assert.Contains(withWeights.PackageFiles, i => Path.GetFileName(i.ItemSpec) == "model.safetensors" && i.GetMetadata("PackagePath") == "model/");
    }

    [Fact]
    public void Findings_are_logged_with_code_file_line_and_column()
    {
        using var project = new ModelProjectBuilder();
        project.Config["licence"] = "x";
        project.Write();
        var (task, engine) = Create(project);

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("MGP8003", error.Code);
        Assert.Equal(Path.Combine(project.Root, "modelgo.json"), error.File);
        Assert.True(error.LineNumber > 1);
        Assert.True(error.ColumnNumber > 0);
        Assert.Null(error.Subcategory);
        Assert.Null(task.Bundle);
    }

    [Theory]
    [InlineData(false, "", "", "warning")]
    [InlineData(false, "MGP4001", "", "message")]
    [InlineData(true, "", "", "error")]
    [InlineData(true, "MGP4001", "", "message")]
    [InlineData(true, "", "MGP4001", "warning")]
    public void Warnings_honour_TreatWarningsAsErrors_NoWarn_and_WarningsNotAsErrors(bool treatAsErrors, string noWarn, string notAsErrors, string expected)
    {
        using var project = new ModelProjectBuilder();
        project.Config.Remove("copyright");
        project.Write();
        var (task, engine) = Create(project);
        task.TreatWarningsAsErrors = treatAsErrors;
        task.NoWarn = noWarn;
        task.WarningsNotAsErrors = notAsErrors;

        var succeeded = task.Execute();

        Assert.Equal(expected != "error", succeeded);
        Assert.Equal(expected == "error" ? ["MGP4001"] : [], engine.Errors.Select(e => e.Code));
        Assert.Equal(expected == "warning" ? ["MGP4001"] : [], engine.Warnings.Select(e => e.Code));
        Assert.Equal(expected == "message", engine.Messages.Any(m => m.Message?.Contains("MGP4001", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void Unknown_item_metadata_and_license_clashes_name_the_project_file()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (task, engine) = Create(project);
        task.Upstream = [Item("Teacher", ("Relation", "extracted"), ("Mehtod", "distillation"))];
        task.PackageLicenseExpression = "MIT";

        Assert.False(task.Execute());

        Assert.Equal(["MGP6005", "MGP8019"], engine.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
        Assert.All(engine.Errors, e => Assert.Equal(task.ProjectFile, e.File));
        Assert.Contains(engine.Errors, e => e.Message!.Contains("'Mehtod'", StringComparison.Ordinal));
    }

    [Fact]
    public void Values_set_in_MSBuild_replace_modelgo_json_and_their_errors_say_so()
    {
        using var project = new ModelProjectBuilder();
        project.Config["releaseDate"] = "2026-01-01";
        project.Write();
        var (task, engine) = Create(project);
        task.ReleaseDate = "first of July";

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("MGP8006", error.Code);
        Assert.Equal(task.ProjectFile, error.File);
        Assert.Contains("Set by MSBuild property ModelGoReleaseDate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reused_state_skips_the_work_until_its_bundle_is_gone()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (first, engine) = Create(project);
        first.ReuseState = true;
        Assert.True(first.Execute(), Describe(engine));
        var written = File.GetLastWriteTimeUtc(first.Bundle!);
        Thread.Sleep(50);

        var (second, engine2) = Create(project);
        second.ReuseState = true;
        Assert.True(second.Execute(), Describe(engine2));
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.Bundle!));
        Assert.Contains(engine2.Messages, m => m.Message?.Contains("up to date", StringComparison.Ordinal) == true);
        Assert.Equal(first.PackageFiles.Select(i => i.ItemSpec), second.PackageFiles.Select(i => i.ItemSpec));

        File.Delete(first.Bundle!);
        var (third, engine3) = Create(project);
        third.ReuseState = true;
        Assert.True(third.Execute(), Describe(engine3));
        Assert.True(File.Exists(third.Bundle));
    }

    [Fact]
    public void Invalid_bundle_format_and_SOURCE_DATE_EPOCH_are_input_errors()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (task, engine) = Create(project);
        task.BundleFormat = "rar";
        task.SourceDateEpoch = "soon";

        Assert.False(task.Execute());

        Assert.Equal(["MGP8006", "MGP8017"], engine.Errors.Select(e => e.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bidirectional_controls_in_MSBuild_values_are_MGP8029_at_the_project_file()
    {
        using var project = new ModelProjectBuilder();
        project.File("upstream/NOTICE", "Teacher notice\n").Write();
        var (task, engine) = Create(project);
        task.Copyright = "Copyright 2026 \u202EbaL elpmaxE";
        task.Upstream = [Item("Teacher\u2066-7B", ("Relation", "extracted"), ("Method", "distillation"), ("Notices", "upstream/NOTICE"))];

        Assert.False(task.Execute());

        Assert.Equal(["MGP8029", "MGP8029"], engine.Errors.Select(e => e.Code));
        Assert.All(engine.Errors, e => Assert.Equal(Path.Combine(project.Root, "model.proj"), e.File));
        Assert.Contains(engine.Errors, e => e.Message!.Contains("<U+202E>", StringComparison.Ordinal) && e.Message.Contains("copyright", StringComparison.Ordinal));
        Assert.Contains(engine.Errors, e => e.Message!.Contains("<U+2066>", StringComparison.Ordinal) && e.Message.Contains("upstream", StringComparison.Ordinal));
        Assert.Null(task.Bundle);
    }

    // The task is PackModel; a build script that calls it by its old name, ModelGoPack, still packs (docs/msbuild.md).
    [Theory]
    [InlineData(typeof(Task))]
    [InlineData(typeof(Tasks.ModelGoPack))]
    public void The_task_packs_by_its_name_and_by_its_old_name(Type type)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (task, engine) = Create(project, (Task)Activator.CreateInstance(type)!);
        task.PackageLicenseFile = "LICENSE";

        Assert.True(task.Execute(), Describe(engine));

        Assert.Equal(Path.Combine(project.Scratch, "out", "tiny-model.1.0.0.zip"), task.Bundle);
        Assert.Contains(task.PackageFiles, f => f.ItemSpec.EndsWith("LICENSE", StringComparison.Ordinal));
        Assert.Contains(engine.Messages.ToList(), m => m.Message == $"ModelGoPack: tiny-model -> {task.Bundle}");
    }

    [Fact]
    public void The_old_name_is_the_task_itself_and_the_targets_declare_both_names_in_process_and_in_a_task_host()
    {
        Assert.Equal(typeof(Task), typeof(Tasks.ModelGoPack).BaseType);
        Assert.DoesNotContain(typeof(Tasks.ModelGoPack).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly), m => m is not ConstructorInfo);

        var targets = XDocument.Load(Path.Combine(RepositoryRoot.Path, "build", "ModelGoPack.targets")).Root!;
        var declared = targets.Elements("UsingTask").Select(u => ((string)u.Attribute("TaskName")!, (string?)u.Attribute("TaskFactory"))).ToList();
        Assert.Equal(
            [("ModelGoPack.Tasks.PackModel", null), ("ModelGoPack.Tasks.PackModel", "TaskHostFactory"), ("ModelGoPack.Tasks.ModelGoPack", null), ("ModelGoPack.Tasks.ModelGoPack", "TaskHostFactory")],
            declared);
        Assert.All(declared, d => Assert.NotNull(typeof(Task).Assembly.GetType(d.Item1)));
        Assert.Single(targets.Descendants("PackModel"));
        Assert.Empty(targets.Descendants("ModelGoPack"));
    }

    internal static (Task Task, FakeBuildEngine Engine) Create(ModelProjectBuilder project, Task? task = null)
    {
        var engine = new FakeBuildEngine(Path.Combine(project.Scratch, "ModelGoPack.targets"));
        task ??= new Task();
        task.BuildEngine = engine;
        task.ProjectDirectory = project.Root;
        task.ProjectFile = Path.Combine(project.Root, "model.proj");
        task.IntermediateDirectory = Path.Combine(project.Scratch, "obj");
        task.BundleDirectory = Path.Combine(project.Scratch, "out");
        return (task, engine);
    }

    private static TaskItem Item(string spec, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(spec);
        foreach (var (name, value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return item;
    }

    internal static string Describe(FakeBuildEngine engine) =>
        string.Join("\n", engine.Errors.Select(e => $"{e.File}: error {e.Code}: {e.Message}"));
}
