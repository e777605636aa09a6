using System.Xml.Linq;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Hosting;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>What the command line and the MSBuild task share (Core/Hosting): each rule once, each door's default stated there.</summary>
public sealed class HostingTests
{
    [Fact]
    public void SOURCE_DATE_EPOCH_is_digits_only_and_each_door_says_what_is_unset()
    {
        // The environment: set but empty is unset; the MSBuild property: blank is unset.
        Assert.Null(SourceDateEpoch.FromEnvironment(_ => null));
        Assert.Null(SourceDateEpoch.FromEnvironment(_ => ""));
        Assert.Equal(" ", SourceDateEpoch.FromEnvironment(_ => " "));
        Assert.Null(SourceDateEpoch.FromProperty(null));
        Assert.Null(SourceDateEpoch.FromProperty(" "));
        Assert.Equal("1767225600", SourceDateEpoch.FromProperty("1767225600"));

        var diagnostics = new DiagnosticBag();
        Assert.Null(SourceDateEpoch.Parse(null, diagnostics));
        Assert.Equal(1_767_225_600, SourceDateEpoch.Parse("1767225600", diagnostics));
        Assert.Empty(diagnostics.Items);

        foreach (var text in new[] { " ", "yesterday", "-1", "+1", "1.5", "1e9", "99999999999999999999" })
        {
            var bag = new DiagnosticBag();
            Assert.Null(SourceDateEpoch.Parse(text, bag, "model.proj"));
            var d = Assert.Single(bag.Items);
            Assert.Equal(("MGP8017", "model.proj"), (d.Code, d.Path));
            Assert.Equal($"SOURCE_DATE_EPOCH is '{text}'. {DiagnosticCatalog.EnvironmentInvalid.Help}", d.Message);
        }
    }

    [Fact]
    public void MODELGOPACK_GIT_names_the_git_to_run_else_git()
    {
        Assert.Equal("git", GitExecutable.From(_ => null));
        Assert.Equal("git", GitExecutable.From(_ => ""));
        Assert.Equal("/opt/git/bin/git", GitExecutable.From(name => name == "MODELGOPACK_GIT" ? "/opt/git/bin/git" : null));
        Assert.Equal(GitExecutable.Default, new ProjectRequest { ProjectDirectory = "." }.GitExecutable);
    }

    [Fact]
    public void Bundle_format_names_parse_in_any_case_and_each_door_keeps_its_default()
    {
        Assert.Equal(["dir", "zip", "tar.gz", "oci"], BundleFormats.Names);
        Assert.Equal(BundleFormat.Directory, BundleFormats.CommandLineDefault);
        Assert.Equal(BundleFormat.Zip, BundleFormats.MSBuildDefault);
        Assert.Equal(BundleFormats.Name(BundleFormats.CommandLineDefault), BundleFormats.Names[0]);
        foreach (var format in Enum.GetValues<BundleFormat>())
        {
            Assert.Equal(format, BundleFormats.Parse(BundleFormats.Name(format), BundleFormat.Zip));
            Assert.Equal(format, BundleFormats.Parse(BundleFormats.Name(format).ToUpperInvariant(), BundleFormat.Zip));
        }

        Assert.Equal(BundleFormat.Directory, BundleFormats.Parse("Directory", BundleFormat.Zip));
        Assert.Equal(BundleFormat.TarGz, BundleFormats.Parse("TGZ", BundleFormat.Zip));
        Assert.Equal(BundleFormat.TarGz, BundleFormats.Parse(null, BundleFormat.TarGz));
        Assert.Equal(BundleFormat.Directory, BundleFormats.Parse("", BundleFormat.Directory));
        Assert.Null(BundleFormats.Parse("rar", BundleFormat.Zip));
        Assert.Null(BundleFormats.Parse(" zip", BundleFormat.Zip));

        // dotnet pack's default is set by the props as well as by the task when the property is empty.
        var props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "build", "ModelGoPack.props"));
        Assert.Equal(BundleFormats.Name(BundleFormats.MSBuildDefault), props.Descendants("ModelGoBundleFormat").Single().Value);
    }

    [Fact]
    public void A_finding_s_path_is_shown_in_the_project_unless_it_is_full_or_built_in()
    {
        var project = Path.Combine("work", "model");
        var full = Path.GetFullPath(Path.Combine("work", "other", "NOTICE"));
        var builtIn = DisplayPath.BuiltIn("templates/NOTICE.scriban");

        Assert.Equal("templates/NOTICE.scriban (built in)", builtIn);
        Assert.Null(DisplayPath.InProject(null, project));
        Assert.Equal(full, DisplayPath.InProject(full, project));
        Assert.Equal(builtIn, DisplayPath.InProject(builtIn, project));
        Assert.Equal(builtIn, DisplayPath.InProject(builtIn, project, full: true));
        Assert.Equal(Path.Join(project, "upstream/NOTICE"), DisplayPath.InProject("upstream/NOTICE", project));
        Assert.Equal(Path.GetFullPath(Path.Combine(project, "upstream/NOTICE")), DisplayPath.InProject("upstream/NOTICE", project, full: true));
    }
}
