using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Evaluation;
using ModelGoPack.Rendering;
using NuGet.Versioning;

namespace ModelGoPack.Tests;

/// <summary>
/// What a NOTICE must say, judged on its text (pack on the rendered NOTICE, verify on a received one):
/// each statement clauses 2.2(a)(ii) to (iv) require, and findings that name the NOTICE as the one who
/// must act on them knows it.
/// </summary>
public sealed class NoticeRulesTests
{
    private static readonly NoticeText Own = new("NOTICE", "Project notice\n", null);

    private static readonly NoticeText Teachers = new("upstream/Teacher/NOTICE", "Copyright 2025 Teacher Labs\n", "Teacher");

    [Fact]
    public void A_dropped_notice_is_named_with_its_upstream_and_the_NOTICE_as_verify_read_it()
    {
        var findings = Evaluate("Nothing kept here.", null, Config(), [Own, Teachers]);

        Assert.Equal(
            [
                ("MGP4004", "NOTICE", $"NOTICE does not hold the text of 'NOTICE' verbatim. {DiagnosticCatalog.NoticeDropped.Help}"),
                ("MGP4004", "upstream/Teacher/NOTICE", $"NOTICE does not hold the text of 'upstream/Teacher/NOTICE' (from \"Teacher\") verbatim. {DiagnosticCatalog.NoticeDropped.Help}"),
            ],
            findings.Select(d => (d.Code, d.Path!, d.Message)));
    }

    [Fact]
    public void A_notice_dropped_by_the_built_in_template_is_named_as_its_fault()
    {
        var d = Assert.Single(Evaluate("Nothing kept here.", new NoticeTemplate("templates/NOTICE.scriban", BuiltIn: true), Config(), [Teachers]));

        Assert.Equal(
            $"NOTICE, rendered by the built-in template templates/NOTICE.scriban, does not hold the text of 'upstream/Teacher/NOTICE' (from \"Teacher\") verbatim. The built-in template renders every notice text whole, so this is a fault of ModelGoPack: please report it. {DiagnosticCatalog.NoticeDropped.Help}",
            d.Message);
    }

    [Fact]
    public void A_notice_dropped_by_a_custom_template_names_that_template_file()
    {
        var d = Assert.Single(Evaluate("Nothing kept here.", new NoticeTemplate("/work/templates/NOTICE.scriban", BuiltIn: false), Config(), [Teachers]));

        Assert.Equal(
            $"NOTICE, rendered by the template '/work/templates/NOTICE.scriban', does not hold the text of 'upstream/Teacher/NOTICE' (from \"Teacher\") verbatim. {DiagnosticCatalog.NoticeDropped.Help}",
            d.Message);
    }

    [Fact]
    public void A_notice_is_kept_when_its_text_stands_whole_whatever_blank_lines_end_it_and_a_file_listed_twice_counts_once()
    {
        var trailing = new NoticeText("upstream/Base/NOTICE", "Base authors\n\n\n", "Base");
        var findings = Evaluate("Intro\nBase authors", null, Config(), [trailing, Teachers, Teachers]);

        var d = Assert.Single(findings);
        Assert.Equal(("MGP4004", "upstream/Teacher/NOTICE"), (d.Code, d.Path));
    }

    [Fact]
    public void Each_upstream_gets_one_finding_listing_what_it_lacks_derivatives_first_in_config_order()
    {
        var config = Config(
            [Upstream("Teacher", UpstreamRelation.Extracted), Upstream("Alpha", UpstreamRelation.Derivative), Upstream("Beta", UpstreamRelation.Derivative)],
            [Modification("2026-03-01", "Alpha"), Modification("2026-01-15", "Alpha"), Modification("2026-02-01", "Beta"), Modification("2026-01-15", null)]);

        var findings = Evaluate("A NOTICE that names nobody.", null, config, []);

        Assert.Equal(
            [
                ("MGP2009", $"NOTICE does not give, for derivative upstream \"Alpha\": the name \"Alpha\", that it was modified, the date 2026-01-15, the date 2026-03-01. {DiagnosticCatalog.NoticeLacksModification.Help}"),
                ("MGP2009", $"NOTICE does not give, for derivative upstream \"Beta\": the name \"Beta\", that it was modified, the date 2026-01-15, the date 2026-02-01. {DiagnosticCatalog.NoticeLacksModification.Help}"),
                ("MGP3004", $"NOTICE does not give, for extracted upstream \"Teacher\": the name \"Teacher\", that the model was created from its Output. {DiagnosticCatalog.NoticeLacksExtraction.Help}"),
            ],
            findings.Select(d => (d.Code, d.Message)));
        Assert.All(findings, d => Assert.Equal("NOTICE", d.Path));
    }

    [Fact]
    public void A_NOTICE_that_makes_every_statement_passes_whatever_the_case_of_names_and_words()
    {
        var config = Config(
            [Upstream("Teacher", UpstreamRelation.Extracted), Upstream("Base", UpstreamRelation.Derivative)],
            [Modification("2026-05-01", "Base")]);

        Assert.Empty(Evaluate("BASE was MODIFIED on 2026-05-01. Made from the OUTPUTS of teacher.", null, config, []));
        Assert.Empty(Evaluate("Modifications of base: 2026-05-01. Trained on Teacher's output.", null, config, []));
    }

    [Theory]
    [InlineData("Base, unmodified, 2026-05-01; Teacher's output.", "that it was modified")]
    [InlineData("Base, modifiable, 2026-05-01; Teacher's output.", "that it was modified")]
    [InlineData("Base was modified on 2026-05-01; Teacher's throughput.", "that the model was created from its Output")]
    [InlineData("Base was modified on 2026-05-01; Teacher's outputted text.", "that the model was created from its Output")]
    [InlineData("Base was modified in May 2026; Teacher's output.", "the date 2026-05-01")]
    public void Words_count_only_whole(string notice, string lacking)
    {
        var config = Config(
            [Upstream("Teacher", UpstreamRelation.Extracted), Upstream("Base", UpstreamRelation.Derivative)],
            [Modification("2026-05-01", "Base")]);

        var d = Assert.Single(Evaluate(notice, null, config, []));

        Assert.EndsWith($": {lacking}. {d.Descriptor.Help}", d.Message, StringComparison.Ordinal);
    }

    private static List<Diagnostic> Evaluate(string notice, NoticeTemplate? template, ModelGoConfig config, IReadOnlyList<NoticeText> notices)
    {
        var diagnostics = new DiagnosticBag();
        NoticeRules.Evaluate(notice, template, config, notices, diagnostics);
        return [.. diagnostics.Items];
    }

    private static ModelGoConfig Config(IReadOnlyList<UpstreamDeclaration>? upstream = null, IReadOnlyList<ModificationDeclaration>? modifications = null) => new()
    {
        Name = "tiny-model",
        Version = new NuGetVersion(1, 0, 0),
        License = "MG-BY-SA-2.0",
        Upstream = upstream ?? [],
        Modifications = modifications ?? [],
    };

    private static UpstreamDeclaration Upstream(string name, UpstreamRelation relation) =>
        new() { Name = name, License = "MG-BY-SA-2.0", Relation = relation, Method = relation == UpstreamRelation.Extracted ? "distillation" : "fine-tuning" };

    private static ModificationDeclaration Modification(string date, string? upstream) =>
        new() { Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Description = "changed", Upstream = upstream };
}
