using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Clause 2.2(a)(vi), from each place a license is stated: config, model card, license file, MSBuild.</summary>
public sealed class ShareAlikeTests
{
    [Fact]
    public void Each_source_of_a_contradicting_license_is_its_own_MGP6xxx_error_naming_where()
    {
        using var project = new ModelProjectBuilder();
        project.Config["license"] = "Apache-2.0";
        project.Upstream("Teacher", "extracted", "distillation");
        project.Bytes("LICENSE", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-2.0.LICENSE")));
        project.File("README.md", "---\nlicense: apache-2.0\n---\n# Student\n").Write();
        var engine = new FakeBuildEngine(Path.Combine(project.Scratch, "ModelGoPack.targets"));
        var task = new Tasks.PackModel
        {
            BuildEngine = engine,
            ProjectDirectory = project.Root,
            ProjectFile = Path.Combine(project.Root, "model.proj"),
            IntermediateDirectory = Path.Combine(project.Scratch, "obj"),
            PackageLicenseExpression = "Apache-2.0",
        };

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        Assert.False(task.Execute());

        var errors = result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => (d.Code, d.Path)).OrderBy(e => e.Code, StringComparer.Ordinal).ToList();
        Assert.Equal([("MGP6001", "modelgo.json"), ("MGP6003", "README.md"), ("MGP6004", "LICENSE")], errors);
        var msbuild = Assert.Single(engine.Errors);
        Assert.Equal(("MGP6005", task.ProjectFile), (msbuild.Code, msbuild.File));
    }

    [Fact]
    public void An_original_project_with_another_license_file_is_MGP1003_not_share_alike()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("LICENSE", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-2.0.LICENSE"))).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal("MGP1003", Assert.Single(result.Diagnostics).Code);
    }
}
