using System.Text.Json;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class DatasetStampTests
{
    [Fact]
    public void Stamp_dataset_writes_a_version_1_stamp_and_never_replaces_one_silently()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("synthetic");
        Directory.CreateDirectory(dataset);

        var (exit, stdout, _) = CliRunner.Run("stamp-dataset", dataset, "--generator", "Teacher-7B", "--generator-version", "2.1", "--generator-licensor", "Teacher Labs", "--created", "2026-04-01");
        var (again, againOut, _) = CliRunner.Run("stamp-dataset", dataset, "--generator", "Other");
        var (forced, _, _) = CliRunner.Run("stamp-dataset", dataset, "--generator", "Other", "--force");

        Assert.Equal(0, exit);
        Assert.Contains("Wrote", stdout, StringComparison.Ordinal);
        Assert.Equal(2, again);
        Assert.Contains("MGP8026", againOut, StringComparison.Ordinal);
        Assert.Equal(0, forced);
        using var stamp = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataset, "modelgo-dataset.json")));
        Assert.Equal(1, stamp.RootElement.GetProperty("stampVersion").GetInt32());
        Assert.Equal("Other", stamp.RootElement.GetProperty("generator").GetProperty("name").GetString());
        Assert.Equal("MG-BY-SA-2.0", stamp.RootElement.GetProperty("generator").GetProperty("license").GetString());
    }

    [Fact]
    public void A_stamped_dataset_of_an_MG_BY_SA_model_without_an_extracted_upstream_is_MGP3003_even_when_excluded()
    {
        using var project = new ModelProjectBuilder();
        project.Config["exclude"] = new System.Text.Json.Nodes.JsonArray("data/**");
        project.File("data/synthetic/train.jsonl", "{\"prompt\": \"hi\", \"response\": \"hello\"}\n").Write();
        Assert.Equal(0, CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data", "synthetic"), "--generator", "Teacher-7B", "--generator-licensor", "Teacher Labs").ExitCode);

        var undisclosed = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var error = Assert.Single(undisclosed.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP3003", "data/synthetic/modelgo-dataset.json"), (error.Code, error.Path));
        Assert.Contains("holds Output of \"Teacher-7B\" by Teacher Labs", error.Message, StringComparison.Ordinal);
        Assert.Contains("no upstream names that model", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, undisclosed.ExitCode);
    }

    [Fact]
    public void Declaring_the_generator_as_an_extracted_upstream_discloses_it_and_the_manifest_records_the_dataset()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("teacher-7b", "extracted", "synthetic-data");
        ((System.Text.Json.Nodes.JsonObject)project.Array("upstream")[0]!)["datasets"] = new System.Text.Json.Nodes.JsonArray("data/synthetic");
        project.File("data/synthetic/train.jsonl", "{}\n").Write();
        CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data", "synthetic"), "--generator", "Teacher-7B");
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, Emit.BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelgo-manifest.json")));
        var upstream = Assert.Single(manifest.RootElement.GetProperty("upstream").EnumerateArray());
        Assert.Equal("data/synthetic", Assert.Single(upstream.GetProperty("datasets").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("derivative", "fine-tuning", "MGP3003")]
    [InlineData(null, null, null)]
    public void A_generator_declared_as_derivative_is_still_undisclosed_and_other_licenses_are_not_this_license_concern(string? relation, string? method, string? code)
    {
        using var project = new ModelProjectBuilder();
        if (relation is not null)
        {
            project.Upstream("Teacher-7B", relation, method).Modification("2026-01-01", "Tuned");
        }

        project.File("data/train.jsonl", "{}\n").Write();
        var license = relation is null ? "Apache-2.0" : "MG-BY-SA-2.0";
        CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data"), "--generator", "Teacher-7B", "--generator-license", license);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(code is null ? [] : [code], result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Code));
    }

    [Theory]
    [InlineData("example-org/Teacher-7B", "Teacher-7B", null, null)] // the Hub id's model is the upstream's name
    [InlineData("example-org/teacher-7b", "Teacher", "https://huggingface.co/example-org/teacher-7b", null)] // its url
    [InlineData("Teacher-7B", "Teacher", "https://huggingface.co/example-org/teacher-7b/", null)] // the url's last part
    [InlineData("example-org/teacher-7b", "Teacher", "https://huggingface.co/example-org/teacher-8b", "MGP3003")]
    [InlineData("example-org/Student-1B", "Teacher-7B", null, "MGP3003")]
    public void A_stamp_naming_its_generator_by_Hub_id_matches_an_upstream_by_name_or_url(string generator, string upstream, string? url, string? code)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream(upstream, "extracted", "synthetic-data");
        if (url is not null)
        {
            ((System.Text.Json.Nodes.JsonObject)project.Array("upstream")[0]!)["url"] = url;
        }

        project.File("data/train.jsonl", "{}\n").Write();
        Assert.Equal(0, CliRunner.Run("stamp-dataset", Path.Combine(project.Root, "data"), "--generator", generator).ExitCode);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal(code is null ? [] : [code], result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Code));
    }

    [Fact]
    public void An_invalid_stamp_is_MGP8025()
    {
        using var project = new ModelProjectBuilder();
        project.File("data/modelgo-dataset.json", "{\"stampVersion\": 1, \"generator\": {\"name\": \"x\"}}").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8025", "data/modelgo-dataset.json"), (d.Code, d.Path));
        Assert.Contains("\"name\" and \"license\"", d.Message, StringComparison.Ordinal);
    }
}
