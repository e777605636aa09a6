using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class ModelCardTests
{
    [Fact]
    public void Front_matter_keys_lists_lines_and_title_are_read()
    {
        var card = ModelCard.Parse("---\r\nlicense: other\r\nbase_model:\r\n  - org/a\r\n  - org/b\r\ndatasets: [d1]\r\nwidget:\r\n  - text: hi\r\n---\r\n\r\n# My Model\r\n\r\n## Usage\r\n");

        Assert.Equal("other", card.Values["license"]);
        Assert.Equal(["org/a", "org/b"], card.Strings("base_model"));
        Assert.Equal(["d1"], card.Strings("datasets"));
        Assert.Equal(3, card.Lines["base_model"]);
        Assert.Equal("My Model", card.Title);
    }

    [Theory]
    [InlineData("---\nlicense: [unclosed\n---\n", "not valid YAML")]
    [InlineData("---\nlicense: other\n", "never closed")]
    [InlineData("---\n- a\n- b\n---\n", "not a YAML mapping")]
    public void Broken_front_matter_is_MGP8024(string text, string fragment)
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", text).Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8024", "README.md"), (d.Code, d.Path));
        Assert.Contains(fragment, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_collection_never_closed_is_MGP8024_at_the_line_that_opens_it()
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", "---\nlicense: other\ntags: [a, b\nlanguage: en\n---\n# T\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8024", "README.md", 3), (d.Code, d.Path, d.Line));
        Assert.StartsWith("README.md's front matter is not valid YAML: a flow collection ('[' or '{') is never closed. ", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# \t\n\nbody\n", "")]
    [InlineData("  #   Spaced Title  \n", "Spaced Title")]
    public void A_heading_of_spaces_alone_has_an_empty_title_and_an_indented_one_its_text(string text, string title)
    {
        Assert.Equal(title, ModelCard.Parse(text).Title);
    }

    [Fact]
    public void Deeply_nested_front_matter_is_refused_not_recursed()
    {
        var text = "---\nlicense: other\nx: " + new string('[', 200_000) + "\n---\n";

        var error = Assert.Throws<ArtifactFormatException>(() => ModelCard.Parse(text));

        Assert.Contains("deeper than 32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("license: apache-2.0", "license: apache-2.0")]
    [InlineData("license: other\nlicense_name: llama3", "license_name: llama3")]
    public void A_derivative_whose_card_declares_another_license_is_MGP6003_at_that_line(string frontMatter, string quoted)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-01-01", "Tuned");
        project.File("README.md", $"---\n{frontMatter}\n---\n# Tuned\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error);
        Assert.Equal(("MGP6003", "README.md"), (d.Code, d.Path));
        Assert.Contains($"'{quoted}'", d.Message, StringComparison.Ordinal);
        Assert.Contains("2.2(a)(vi)", d.Message, StringComparison.Ordinal);
        Assert.Equal(frontMatter.StartsWith("license: other", StringComparison.Ordinal) ? 3 : 2, d.Line);
    }

    [Fact]
    public void The_example_card_is_consistent()
    {
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled") });

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void A_base_model_no_upstream_declares_is_MGP2005()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base-Tiny", "derivative", "fine-tuning").Modification("2026-01-01", "Tuned");
        project.File("README.md", "---\nlicense: other\nbase_model:\n  - example/base-tiny\n  - other-org/mystery-7b\n---\n# Tuned\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP2005", Diagnostics.Severity.Warning), (d.Code, d.Severity));
        Assert.Contains("'other-org/mystery-7b'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_licensor_name_in_the_title_or_package_texts_is_error_MGP7001()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher-7B", "extracted", "distillation");
        ((System.Text.Json.Nodes.JsonObject)project.Array("upstream")[0]!)["licensor"] = "Teacher Labs";
        project.File("README.md", "# Teacher Labs Tiny: the official small model\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest
        {
            ProjectDirectory = project.Root,
            PublicityTexts = new Dictionary<string, string> { ["PackageTags"] = "llm;teacher labs;tiny", ["Description"] = "TeacherLabsX is unrelated" },
        });

        // Section 2.3 is an error by default (issue 13, point 9): consent is a waiver, not a pass.
        var errors = result.Diagnostics.Where(d => d.Code == "MGP7001").ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, d => Assert.Equal(Diagnostics.Severity.Error, d.Severity));
        Assert.Contains(errors, d => d.Path == "README.md" && d.Message.StartsWith("README.md's first heading", StringComparison.Ordinal));
        Assert.Contains(errors, d => d.Path is null && d.Message.Contains("PackageTags", StringComparison.Ordinal));
        Assert.False(result.Compliant);
    }
}

public sealed class BundleModelCardTests
{
    [Fact]
    public void The_bundle_card_sets_the_license_keys_and_a_section_and_the_project_card_is_untouched()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher-7B", "extracted", "distillation");
        var original = "---\nlicense: apache-2.0\nlicense_name: x\ntags:\n  - llm\nbase_model: org/teacher-7b\n---\n\n# Tiny\n\nBody text.\n";
        project.File("README.md", original).Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, SourceDateEpoch = 0 }, output, Emit.BundleFormat.Directory);

        // The card's own license is a finding (MGP6003); with it waived, the bundle is written.
        Assert.Equal("MGP6003", Assert.Single(result.Diagnostics, d => d.Severity == Diagnostics.Severity.Error).Code);
        project.File("README.md", original.Replace("license: apache-2.0\nlicense_name: x\n", "", StringComparison.Ordinal));
        result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, Emit.BundleFormat.Directory);
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));

        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        var parsed = ModelCard.Parse(card);
        Assert.Equal(("other", "mg-by-sa-2.0", "LICENSE"), (parsed.Values["license"], parsed.Values["license_name"], parsed.Values["license_link"]));
        Assert.Equal(["org/teacher-7b"], parsed.Strings("base_model"));
        Assert.Equal(["llm"], parsed.Strings("tags"));
        Assert.Equal("Tiny", parsed.Title);
        var heading = card.IndexOf("# Tiny", StringComparison.Ordinal);
        var section = card.IndexOf("> **License and provenance.**", StringComparison.Ordinal);
        Assert.True(heading >= 0 && section > heading && section < card.IndexOf("Body text.", StringComparison.Ordinal));
        Assert.Contains("It is an **Extracted Model**: it was created from Output of \"Teacher-7B\"", card, StringComparison.Ordinal);
        Assert.StartsWith("---\ntags:", File.ReadAllText(Path.Combine(project.Root, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_a_card_gets_one_naming_its_upstreams_and_the_section_can_be_overridden()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "merge").Modification("2026-03-01", "Merged");
        project.Write();
        File.Delete(Path.Combine(project.Root, "README.md"));
        var templates = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "MODELCARD.scriban"), "CUSTOM SECTION for {{ project.name }}\n");
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, Emit.BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        Assert.Equal(["Base"], ModelCard.Parse(card).Strings("base_model"));
        Assert.Contains("# tiny-model\n\nCUSTOM SECTION for tiny-model\n", card, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project.Root, "README.md")));
    }
}

public sealed class ModelCardEdgeTests
{
    [Fact]
    public void Headings_inside_code_fences_are_not_the_title_and_odd_yaml_still_yields_a_valid_card()
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", "---\n{license: other, tags: [a, b]}\n---\n\n```bash\n# install deps\n```\n\nText.\n").Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, Emit.BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        var parsed = ModelCard.Parse(card);
        Assert.Equal("mg-by-sa-2.0", parsed.Values["license_name"]);
        Assert.Equal(["a", "b"], parsed.Strings("tags"));
        Assert.Equal("tiny-model", parsed.Title);
        Assert.True(card.IndexOf("License and provenance", StringComparison.Ordinal) < card.IndexOf("```bash", StringComparison.Ordinal));
    }

    [Fact]
    public void A_license_list_in_the_card_is_checked_too()
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", "---\nlicense: [mit]\n---\n# T\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Equal("MGP6003", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void A_stamp_with_an_invalid_date_is_MGP8025()
    {
        using var project = new ModelProjectBuilder();
        project.File("data/modelgo-dataset.json", "{\"stampVersion\": 1, \"generator\": {\"name\": \"T\", \"license\": \"MG-BY-SA-2.0\"}, \"created\": \"April 2026\"}").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Contains("not an ISO 8601 date", Assert.Single(result.Diagnostics, d => d.Code == "MGP8025").Message, StringComparison.Ordinal);
    }
}
