using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>The MSBuild task's <c>Bom</c> (<c>ModelGoPackBom=true</c>): the BOM in the bundle and in the package, and in the fingerprint.</summary>
public sealed class TaskBomTests
{
    [Fact]
    public void Bom_puts_the_BOM_in_the_bundle_and_at_the_package_root_and_turning_it_off_packs_again()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var (task, engine) = TaskTests.Create(project);
        task.Bom = true;
        task.ReuseState = true;

        Assert.True(task.Execute(), TaskTests.Describe(engine));

        var bundle = Bundle.Read(task.Bundle!);
        var packaged = task.PackageFiles.Single(i => Path.GetFileName(i.ItemSpec) == "modelgo-bom.cdx.json");
        Assert.Equal("/", packaged.GetMetadata("PackagePath"));
        Assert.Equal(bundle.Bytes("modelgo-bom.cdx.json"), File.ReadAllBytes(packaged.ItemSpec));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, bundle.Text("modelgo-bom.cdx.json")));

        // The flag is an input: without it the bundle is written again, and holds no BOM.
        var (without, engine2) = TaskTests.Create(project);
        without.ReuseState = true;
        Assert.True(without.Execute(), TaskTests.Describe(engine2));
        Assert.DoesNotContain("modelgo-bom.cdx.json", Bundle.Read(without.Bundle!).Paths);
        Assert.DoesNotContain(without.PackageFiles, i => Path.GetFileName(i.ItemSpec) == "modelgo-bom.cdx.json");
    }
}
