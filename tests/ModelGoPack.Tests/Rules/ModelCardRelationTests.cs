using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// The card's base_model_relation against the Hub's values and the release (MGP2012), and the bundle's card keeping
/// the user's front-matter key order and each value's shape.
/// </summary>
public sealed class ModelCardRelationTests
{
    [Theory]
    [InlineData("distilled", "README.md's base_model_relation 'distilled' is none the Hub defines (adapter, finetune, merge, quantized), so the Hub ignores it. ")]
    [InlineData("quantized", "README.md's base_model_relation is 'quantized', but every weight file of the release is full precision (model.safetensors). ")]
    public void A_relation_that_does_not_describe_the_release_is_MGP2012_at_its_line(string relation, string message)
    {
        using var project = Derivative($"---\nlicense: other\nbase_model: example/base-tiny\nbase_model_relation: {relation}\n---\n# Tuned\n");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP2012", Diagnostics.Severity.Warning, "README.md", 4), (warning.Code, warning.Severity, warning.Path, warning.Line));
        Assert.Equal(message + Diagnostics.DiagnosticCatalog.BaseModelRelationMismatch.Help, warning.Message);
    }

    [Fact]
    public void Quantized_is_judged_by_the_weight_files_alone_and_names_each()
    {
        using var project = Derivative("---\nbase_model: example/base-tiny\nbase_model_relation: quantized\n---\n# Tuned\n");
        Safetensors.Write(Path.Combine(project.Root, "extra", "model.safetensors"), ("embed.weight", "F16", [4, 2]));
        File.WriteAllText(Path.Combine(project.Root, "extra", "config.json"), """{"model_type": "tiny"}""");

        // A vocabulary-only GGUF (role other, precision unknown) is no weight file: it neither hides nor joins the finding.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "real", "llama-cpp-vocab", "ggml-vocab-bert-bge.gguf"), Path.Combine(project.Root, "vocab.gguf"));

        var warning = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP2012");

        Assert.StartsWith("README.md's base_model_relation is 'quantized', but every weight file of the release is full precision (extra/model.safetensors, model.safetensors). ", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantized_of_a_release_without_weights_is_no_MGP2012()
    {
        using var project = Derivative("---\nbase_model: example/base-tiny\nbase_model_relation: quantized\n---\n# Tuned\n");
        File.Delete(Path.Combine(project.Root, "model.safetensors"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5001");
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2012");
    }

    [Fact]
    public void A_teacher_is_found_among_several_upstreams_and_a_derivative_base_model_is_not_one()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base-Tiny", "derivative", "fine-tuning").Upstream("Teacher-7B", "extracted", "distillation").Modification("2026-01-01", "Tuned");
        project.File("README.md", "---\nbase_model:\n  - example/base-tiny\n  - teacher-org/Teacher-7B\n---\n# Student\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "MGP2012");
        Assert.Contains("'teacher-org/Teacher-7B'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finetune", "F32")]
    [InlineData("adapter", "F32")]
    [InlineData("merge", "BF16")]
    [InlineData("quantized", "I8")]
    public void A_Hub_relation_that_fits_the_release_is_quiet(string relation, string dtype)
    {
        using var project = Derivative($"---\nbase_model: example/base-tiny\nbase_model_relation: {relation}\n---\n# Tuned\n");
        if (dtype == "I8")
        {
            // A quantized export beside its full precision is a compliant release, and its card may say quantized.
            Safetensors.Write(Path.Combine(project.Root, "int8", "model.safetensors"), ("embed.weight", "I8", [4, 2]), ("head.weight", "I8", [2, 4]));
            File.WriteAllText(Path.Combine(project.Root, "int8", "config.json"), """{"model_type": "tiny"}""");
        }

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP2012");
    }

    [Theory]
    [InlineData(null, "fine-tuned from")]
    [InlineData("finetune", "made from by 'finetune'")]
    public void A_teacher_given_as_base_model_is_MGP2012(string? relation, string how)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher-7B", "extracted", "distillation");
        project.File("README.md", $"---\nbase_model: teacher-org/Teacher-7B\n{(relation is null ? "" : $"base_model_relation: {relation}\n")}---\n# Student\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "MGP2012");
        Assert.Equal(("README.md", 2), (warning.Path, warning.Line));
        Assert.StartsWith($"README.md's base_model 'teacher-org/Teacher-7B' is an upstream this model was extracted from (a teacher), which the Hub reads as the base model it was {how}. ", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundle_card_keeps_the_key_order_and_a_scalar_base_model_stays_a_scalar()
    {
        using var project = Derivative("---\ntags:\n  - chat\nbase_model: example/base-tiny\nlicense: other\npipeline_tag: text-generation\n---\n# Tuned\n");

        var card = PackedCard(project);

        Assert.StartsWith(
            "---\ntags:\n  - chat\nbase_model: \"example/base-tiny\"\nlicense: other\npipeline_tag: text-generation\nlicense_name: mg-by-sa-2.0\nlicense_link: LICENSE\n---\n",
            card,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_stays_a_list_and_a_card_without_base_model_names_only_derivative_upstreams()
    {
        using var listed = Derivative("---\nbase_model:\n  - example/base-tiny\nlanguage: en\n---\n# Tuned\n");
        Assert.StartsWith("---\nbase_model:\n  - \"example/base-tiny\"\nlanguage: en\nlicense: other\n", PackedCard(listed), StringComparison.Ordinal);

        using var mixed = new ModelProjectBuilder();
        mixed.Upstream("Base-Tiny", "derivative", "fine-tuning").Upstream("Teacher-7B", "extracted", "distillation").Modification("2026-01-01", "Tuned");
        mixed.File("README.md", "---\nlanguage: en\n---\n# Tuned\n").Write();
        var card = PackedCard(mixed);
        Assert.Contains("base_model:\n  - \"Base-Tiny\"\n---", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Teacher-7B\"\n", card, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_model_given_by_an_alias_is_read_checked_and_kept_in_the_bundle_card()
    {
        using var project = Derivative("---\nlicense: other\nbase: &b example/base-tiny\nbase_model: *b\nother: &o other-org/mystery\nbase_model_list: [*o]\n---\n# Tuned\n");

        var card = PackedCard(project);

        Assert.Contains("\nbase_model: \"example/base-tiny\"\n", card, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(project.Root, "README.md"), "---\nlicense: other\nbase: &b other-org/mystery\nbase_model: *b\n---\n# Tuned\n");
        var warning = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP2005");
        Assert.Contains("'other-org/mystery'", warning.Message, StringComparison.Ordinal);
    }

    private static ModelProjectBuilder Derivative(string card)
    {
        var project = new ModelProjectBuilder();
        project.Upstream("Base-Tiny", "derivative", "fine-tuning").Modification("2026-01-01", "Tuned");
        project.File("README.md", card).Write();
        return project;
    }

    private static string PackedCard(ModelProjectBuilder project)
    {
        var output = Path.Combine(project.Scratch, "out-" + Guid.NewGuid().ToString("N"));
        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);
        Assert.True(result.Diagnostics.All(d => d.Severity != Diagnostics.Severity.Error), string.Join("\n", result.Diagnostics));
        return File.ReadAllText(Path.Combine(output, "README.md"));
    }
}
