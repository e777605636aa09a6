using System.Text.RegularExpressions;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Rendering;
using ModelGoPack.Rules;
using NuGet.Versioning;

namespace ModelGoPack.Tests;

/// <summary>
/// What a NOTICE must say, judged on its text (pack on the rendered NOTICE, verify on a received one):
/// each statement clauses 2.2(a)(ii) to (iv) require, and findings that name the NOTICE as the one who
/// must act on them knows it.
/// </summary>
public sealed partial class NoticeRulesTests
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
    public void Each_upstream_lacking_its_statement_gets_one_finding_that_quotes_it_derivatives_first_in_config_order()
    {
        var config = Config(
            [Upstream("Teacher", UpstreamRelation.Extracted), Upstream("Alpha", UpstreamRelation.Derivative), Upstream("Beta", UpstreamRelation.Derivative)],
            [Modification("2026-03-01", "Alpha"), Modification("2026-01-15", "Alpha"), Modification("2026-02-01", "Beta"), Modification("2026-01-15", null)]);

        var findings = Evaluate("A NOTICE that names nobody.", null, config, []);

        const string Title = "ModelGo Attribution-ShareAlike License 2.0";
        Assert.Equal(
            [
                ("MGP2009", $"NOTICE does not hold the statement of modification for derivative upstream \"Alpha\" that its declaration makes: \"tiny-model is Derivative Materials of \"Alpha\", provided under the {Title}. The Licensed Materials of \"Alpha\" have been modified by fine-tuning, as follows: - 2026-01-15: changed - 2026-01-15: changed - 2026-03-01: changed\". {DiagnosticCatalog.NoticeLacksModification.Help}"),
                ("MGP2009", $"NOTICE does not hold the statement of modification for derivative upstream \"Beta\" that its declaration makes: \"tiny-model is Derivative Materials of \"Beta\", provided under the {Title}. The Licensed Materials of \"Beta\" have been modified by fine-tuning, as follows: - 2026-01-15: changed - 2026-02-01: changed\". {DiagnosticCatalog.NoticeLacksModification.Help}"),
                ("MGP3004", $"NOTICE does not hold the Extracted Model statement for extracted upstream \"Teacher\" that its declaration makes: \"tiny-model is an Extracted Model. It was created from Output of the model \"Teacher\", provided under the {Title}, by distillation.\". {DiagnosticCatalog.NoticeLacksExtraction.Help}"),
            ],
            findings.Select(d => (d.Code, d.Message)));
        Assert.All(findings, d => Assert.Equal("NOTICE", d.Path));
    }

    [Fact]
    public void A_NOTICE_that_makes_every_statement_passes_however_a_template_wraps_indents_or_ends_its_lines()
    {
        var config = Config(
            [Upstream("Teacher", UpstreamRelation.Extracted, version: "2.1", licensor: "Teacher Labs", url: "https://example.org/teacher"), Upstream("Base", UpstreamRelation.Derivative)],
            [Modification("2026-05-01", "Base", "model.safetensors", "config.json")]);
        var derivative = NoticeStatement.For(config, config.Upstream[1]);
        var extracted = NoticeStatement.For(config, config.Upstream[0]);

        Assert.Empty(Evaluate($"Header\n{derivative}\n\n{extracted}\n", null, config, []));
        Assert.Empty(Evaluate($"Header\r\n  {derivative.Replace("\n", "\r\n    ", StringComparison.Ordinal)}\r\n\t{extracted.Replace(" ", "\n", StringComparison.Ordinal)}", null, config, []));
        Assert.Equal(
            "tiny-model is an Extracted Model. It was created from Output of the\nmodel \"Teacher\" version 2.1 by Teacher Labs (https://example.org/teacher),\nprovided under the ModelGo Attribution-ShareAlike License 2.0,\nby distillation.",
            extracted);
        Assert.Equal(
            "tiny-model is Derivative Materials of \"Base\",\nprovided under the ModelGo Attribution-ShareAlike License 2.0.\nThe Licensed Materials of \"Base\" have been modified by fine-tuning, as follows:\n  - 2026-05-01: changed [model.safetensors, config.json]",
            derivative);
    }

    // Clause (iii) asks for a notice "that the Extracted Models are created from Output of the Licensed Materials", (ii) for
    // notices "that You have modified the Licensed Materials and the relevant date": the words "Output" or "modified"
    // elsewhere in the text, or the statement with a part changed, do not say that.
    [Theory]
    [InlineData("Base was modified on 2026-05-01. This model's Output may be inaccurate; Teacher wrote the eval set.", "MGP2009 MGP3004")]
    [InlineData("{derivative}\nThe Output of this model is provided as is, and Teacher is thanked.", "MGP3004")]
    [InlineData("{derivative|2026-05-01: changed|2026-05-02: changed}\n{extracted}", "MGP2009")]
    [InlineData("{derivative|, as follows:|, as follows (2026-05-01 only in part):}\n{extracted}", "MGP2009")]
    [InlineData("{derivative}\n{extracted|It was created|It was not created}", "MGP3004")]
    [InlineData("{derivative}\n{extracted|ModelGo Attribution-ShareAlike License 2.0|MIT license}", "MGP3004")]
    [InlineData("{derivative}\n{extracted|\"Teacher\"|\"Teacher-2\"}", "MGP3004")]
    [InlineData("{derivative|tiny-model|other-model}\n{extracted}", "MGP2009")]
    public void A_NOTICE_passes_only_with_each_statement_whole(string notice, string codes)
    {
        var config = Config(
            [Upstream("Teacher", UpstreamRelation.Extracted), Upstream("Base", UpstreamRelation.Derivative)],
            [Modification("2026-05-01", "Base")]);
        var text = Placeholder().Replace(notice, m =>
        {
            var statement = NoticeStatement.For(config, config.Upstream[m.Groups[1].Value == "derivative" ? 1 : 0]);
            return m.Groups[2].Success ? statement.Replace(m.Groups[2].Value, m.Groups[3].Value, StringComparison.Ordinal) : statement;
        });

        Assert.Equal(codes, string.Join(' ', Evaluate(text, null, config, []).Select(d => d.Code)));
    }

    [Fact]
    public void An_extracted_upstream_without_a_method_has_a_statement_that_ends_with_the_license()
    {
        var config = Config([Upstream("Teacher", UpstreamRelation.Extracted) with { Method = null }]);

        var statement = NoticeStatement.For(config, config.Upstream[0]);

        Assert.EndsWith("provided under the ModelGo Attribution-ShareAlike License 2.0.", statement, StringComparison.Ordinal);
        Assert.Empty(Evaluate(statement, null, config, []));
        Assert.Equal("MGP3004", Assert.Single(Evaluate(statement + " by distillation", null, Config([Upstream("Teacher", UpstreamRelation.Extracted)]), [])).Code);
    }

    [Fact]
    public void A_statement_names_another_license_as_such_and_a_derivative_without_a_method_says_only_that_it_was_modified()
    {
        var config = Config([Upstream("Base", UpstreamRelation.Derivative) with { License = "Apache-2.0", Method = null }], [Modification("2026-05-01", null)]);

        Assert.Equal(
            "tiny-model is Derivative Materials of \"Base\",\nprovided under the Apache-2.0 license.\nThe Licensed Materials of \"Base\" have been modified, as follows:\n  - 2026-05-01: changed",
            NoticeStatement.For(config, config.Upstream[0]));
    }

    [Theory]
    [InlineData("  a \r\n\t b  ", "a b")]
    [InlineData("a\u00A0\u2003b\n", "a b")]
    [InlineData("", "")]
    public void White_space_is_made_one_space_and_none_at_either_end(string text, string normalized) =>
        Assert.Equal(normalized, NoticeStatement.Normalize(text));

    [Fact]
    public void A_statement_too_long_to_quote_is_cut_in_the_finding()
    {
        var config = Config([Upstream("Base", UpstreamRelation.Derivative)], [.. Enumerable.Range(1, 40).Select(d => Modification($"2026-01-{1 + (d % 28):00}", "Base"))]);

        var d = Assert.Single(Evaluate("nothing", null, config, []));

        Assert.Contains(" [...]\". ", d.Message, StringComparison.Ordinal);
        Assert.True(d.Message.Length < 600 + 200 + d.Descriptor.Help.Length, d.Message);
    }

    private static List<Diagnostic> Evaluate(string notice, NoticeTemplate? template, ModelGoConfig config, IReadOnlyList<NoticeText> notices)
    {
        var diagnostics = new DiagnosticBag();
        Obligations.EvaluateNotice(notice, template, config, notices, diagnostics);
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

    private static UpstreamDeclaration Upstream(string name, UpstreamRelation relation, string? version = null, string? licensor = null, string? url = null) =>
        new() { Name = name, License = "MG-BY-SA-2.0", Relation = relation, Method = relation == UpstreamRelation.Extracted ? "distillation" : "fine-tuning", Version = version, Licensor = licensor, Url = url };

    private static ModificationDeclaration Modification(string date, string? upstream, params string[] paths) =>
        new() { Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Description = "changed", Upstream = upstream, Paths = paths };

    // {derivative} or {extracted}, optionally with |old|new: the statement, with one part of it changed.
    [GeneratedRegex(@"\{(derivative|extracted)(?:\|([^|]*)\|([^}]*))?\}")]
    private static partial Regex Placeholder();
}
