using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// The findings of the obligation rules, each with the words and the modelgo.json line a publisher acts on: share-alike
/// (2.2(a)(vi)), Derivative Materials (ii), Extracted Models (iii) and retained notices (iv).
/// </summary>
public sealed class ObligationRulesTests
{
    [Theory]
    [InlineData("derivative", "Derivative Materials")]
    [InlineData("extracted", "an Extracted Model")]
    [InlineData("both", "Derivative Materials and an Extracted Model")]
    public void A_derivative_or_extracted_project_under_another_license_is_MGP6001_naming_what_it_is(string relation, string kind)
    {
        using var project = Project(relation);
        project.Config["license"] = "Apache-2.0";

        var d = Single(project, "MGP6001");

        Assert.Equal($"\"license\" is 'Apache-2.0', but this project is {kind} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.ShareAlikeViolated.Help}", d.Message);
        AssertAtLine(project, d, "\"license\": \"Apache-2.0\"");
    }

    [Fact]
    public void An_original_project_under_another_license_is_MGP1004()
    {
        using var project = new ModelProjectBuilder();
        project.Config["license"] = "MIT";

        var d = Single(project, "MGP1004");

        Assert.Equal($"\"license\" is 'MIT'. {DiagnosticCatalog.ProjectLicenseUnsupported.Help}", d.Message);
        AssertAtLine(project, d, "\"license\": \"MIT\"");
    }

    [Fact]
    public void An_upstream_under_another_license_is_MGP6002_at_its_license()
    {
        using var project = Project("derivative");
        ((JsonObject)project.Array("upstream")[0]!)["license"] = "Llama-3";

        var d = Single(project, "MGP6002");

        Assert.Equal($"Upstream \"Base\" is licensed 'Llama-3'. {DiagnosticCatalog.UpstreamLicenseNotEvaluated.Help}", d.Message);
        AssertAtLine(project, d, "\"license\": \"Llama-3\"");
    }

    [Fact]
    public void Two_upstreams_with_one_name_are_reported_once_at_the_second()
    {
        using var project = Project("derivative");
        project.Upstream("Base", "extracted", "distillation");
        ((JsonObject)project.Array("upstream")[1]!)["version"] = "second";

        var d = Single(project, DiagnosticCatalog.DuplicateUpstream.Code);

        Assert.Equal("Upstream name \"Base\" is used 2 times.", d.Message);
        var lines = File.ReadAllLines(Path.Combine(project.Root, "modelgo.json"));
        Assert.Contains("\"name\": \"Base\"", lines[d.Line - 1], StringComparison.Ordinal);
        Assert.Contains("\"second\"", string.Join('\n', lines[(d.Line - 1)..]), StringComparison.Ordinal);
        Assert.Contains("\"name\": \"Base\"", string.Join('\n', lines[..(d.Line - 1)]), StringComparison.Ordinal);
    }

    // The release a derivative names could not be read: that is the error (MGP8027/MGP8028), and what changed is unknown,
    // so no MGP2001 is added for want of a modification.
    [Theory]
    [InlineData("manifest", "upstream/missing/modelgo-manifest.json")]
    [InlineData("bundle", "upstream/missing.zip")]
    [InlineData("git", "no-such-tag")]
    public void A_derivative_whose_release_cannot_be_read_is_not_also_MGP2001(string key, string value)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning");
        ((JsonObject)project.Array("upstream")[0]!)[key] = value;

        var errors = Errors(project);

        Assert.NotEmpty(errors);
        Assert.All(errors, d => Assert.StartsWith("MGP80", d.Code, StringComparison.Ordinal));
    }

    [Fact]
    public void A_derivative_without_a_modification_is_MGP2001_at_its_entry_and_one_naming_it_or_none_is_enough()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Upstream("Other", "derivative", "merge").Modification("2026-05-01", "Fine-tuned");
        ((JsonObject)project.Array("modifications")[0]!)["upstream"] = "Other";

        var d = Single(project, "MGP2001");

        Assert.Equal($"Upstream \"Base\" is a derivative, but no modification of it is declared. {DiagnosticCatalog.DerivativeWithoutModification.Help}", d.Message);
        AssertAtLine(project, d, "{");
        ((JsonObject)project.Array("modifications")[0]!).Remove("upstream");
        Assert.Empty(Errors(project));
    }

    [Fact]
    public void A_derivative_made_by_distillation_is_MGP3002_at_its_relation()
    {
        using var project = Project("derivative");
        ((JsonObject)project.Array("upstream")[0]!)["method"] = "logit distillation";

        var d = Single(project, "MGP3002");

        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal($"Upstream \"Base\" has \"relation\": \"derivative\" but \"method\": \"logit distillation\". {DiagnosticCatalog.RelationMethodMismatch.Help}", d.Message);
        AssertAtLine(project, d, "\"relation\": \"derivative\"");
    }

    [Fact]
    public void Modifications_without_a_derivative_are_MGP2003_and_one_naming_no_derivative_is_MGP2004()
    {
        using var project = Project("extracted");
        project.Modification("2026-05-01", "Fine-tuned").Modification("2026-05-02", "Merged");
        ((JsonObject)project.Array("modifications")[1]!)["upstream"] = "Teacher";

        var unneeded = Single(project, "MGP2003");
        var unknown = Single(project, "MGP2004");

        Assert.Equal($"2 modification(s) declared, but no upstream has \"relation\": \"derivative\". {DiagnosticCatalog.ModificationWithoutDerivative.Help}", unneeded.Message);
        AssertAtLine(project, unneeded, "\"modifications\"");
        Assert.Equal($"Modification names upstream \"Teacher\", which is not a declared derivative upstream. {DiagnosticCatalog.ModificationUpstreamUnknown.Help}", unknown.Message);
        AssertAtLine(project, unknown, "\"upstream\": \"Teacher\"");
    }

    [Fact]
    public void A_modification_path_that_matches_no_file_is_MGP2002_at_that_path()
    {
        using var project = Project("derivative");
        ((JsonObject)project.Array("modifications")[0]!)["paths"] = new JsonArray("model.safetensors", "weights/*.bin");

        var d = Single(project, "MGP2002");

        Assert.Equal($"Modification path 'weights/*.bin' matches no file of the bundle. {DiagnosticCatalog.ModificationPathUnmatched.Help}", d.Message);
        AssertAtLine(project, d, "\"weights/*.bin\"");
    }

    [Theory]
    [InlineData("data/synthetic", "Teacher Labs", false, "The dataset in data/synthetic/ holds Output of \"Teacher-7B\" by Teacher Labs, provided under MG-BY-SA-2.0, and no upstream names that model. ")]
    [InlineData("", null, false, "The dataset in the project root holds Output of \"Teacher-7B\", provided under MG-BY-SA-2.0, and no upstream names that model. ")]
    [InlineData("data", null, true, "The dataset in data/ holds Output of \"Teacher-7B\", provided under MG-BY-SA-2.0, and its upstream entry says \"relation\": \"derivative\". ")]
    public void An_undisclosed_extraction_says_where_the_dataset_is_whose_Output_it_holds_and_what_is_declared(string folder, string? licensor, bool declared, string message)
    {
        using var project = new ModelProjectBuilder();
        if (declared)
        {
            project.Upstream("Teacher-7B", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned");
        }

        var generator = new JsonObject { ["name"] = "Teacher-7B", ["license"] = "MG-BY-SA-2.0" };
        if (licensor is not null)
        {
            generator["licensor"] = licensor;
        }

        var stamp = folder.Length == 0 ? "modelgo-dataset.json" : folder + "/modelgo-dataset.json";
        project.File(stamp, new JsonObject { ["stampVersion"] = 1, ["generator"] = generator }.ToJsonString());

        var d = Single(project, "MGP3003");

        Assert.Equal(message + DiagnosticCatalog.UndisclosedExtraction.Help, d.Message);
        Assert.Equal(stamp, d.Path);
    }

    [Fact]
    public void An_extracted_upstream_without_a_method_is_an_info_at_its_entry()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", null);

        var d = Single(project, "MGP3001");

        Assert.Equal(Severity.Info, d.Severity);
        Assert.Equal($"Upstream \"Teacher\" is extracted and has no \"method\"; NOTICE states that this model was created from its Output without saying how. {DiagnosticCatalog.ExtractedWithoutMethod.Help}", d.Message);
        AssertAtLine(project, d, "{");
    }

    [Fact]
    public void No_copyright_lines_and_an_upstream_without_notices_are_warnings_at_their_keys()
    {
        using var project = Project("extracted");
        project.Config["copyright"] = new JsonArray();
        ((JsonObject)project.Array("upstream")[0]!).Remove("notices");

        var copyright = Single(project, "MGP4001");
        var notices = Single(project, "MGP4003");

        Assert.Equal($"\"copyright\" is empty. {DiagnosticCatalog.NoCopyright.Help}", copyright.Message);
        AssertAtLine(project, copyright, "\"copyright\"");
        Assert.Equal($"Upstream \"Teacher\" lists no \"notices\". {DiagnosticCatalog.UpstreamWithoutNotices.Help}", notices.Message);
        AssertAtLine(project, notices, "{");
    }

    private static ModelProjectBuilder Project(string relation)
    {
        var project = new ModelProjectBuilder();
        if (relation is "derivative" or "both")
        {
            project.Upstream("Base", "derivative", "fine-tuning").Modification("2026-05-01", "Fine-tuned");
        }

        if (relation is "extracted" or "both")
        {
            project.Upstream("Teacher", "extracted", "distillation");
        }

        return project;
    }

    private static List<Diagnostic> Findings(ModelProjectBuilder project)
    {
        project.Write();
        return [.. ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics];
    }

    private static List<Diagnostic> Errors(ModelProjectBuilder project) => [.. Findings(project).Where(d => d.Severity == Severity.Error)];

    private static Diagnostic Single(ModelProjectBuilder project, string code) => Assert.Single(Findings(project), d => d.Code == code);

    private static void AssertAtLine(ModelProjectBuilder project, Diagnostic d, string text)
    {
        Assert.Equal("modelgo.json", d.Path);
        Assert.True(d.Line > 0, d.ToString());
        Assert.Contains(text, File.ReadAllLines(Path.Combine(project.Root, "modelgo.json"))[d.Line - 1], StringComparison.Ordinal);
    }
}
