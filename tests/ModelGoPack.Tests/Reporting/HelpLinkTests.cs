using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Reporting;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Every finding leads to its code's page (docs/diagnostics/MGPxxxx.md): MSBuild's help link and keyword, SARIF's
/// helpUri, the JSON report's helpUri.
/// </summary>
public sealed class HelpLinkTests
{
    [Fact]
    public void A_help_link_is_the_page_of_its_code_in_the_repository()
    {
        Assert.All(DiagnosticCatalog.All, d =>
        {
            Assert.Equal($"https://github.com/modelgopack/modelgopack/blob/main/docs/diagnostics/{d.Code}.md", d.HelpLink);
            Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", d.Code + ".md")), d.Code + " has no page");
        });
    }

    [Fact]
    public void MSBuild_errors_and_warnings_carry_the_help_link_and_every_finding_the_code_as_help_keyword()
    {
        using var project = new ModelProjectBuilder();
        project.Config.Remove("copyright");
        project.Upstream("Base", "derivative", "fine-tuning").Upstream("Teacher", "extracted", method: null).Write();
        var (task, engine) = TaskTests.Create(project);

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("MGP2001", error.Code);
        Assert.Equal(DiagnosticCatalog.DerivativeWithoutModification.HelpLink, error.HelpLink);
        Assert.Equal("MGP2001", error.HelpKeyword);

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("MGP4001", warning.Code);
        Assert.Equal(DiagnosticCatalog.NoCopyright.HelpLink, warning.HelpLink);
        Assert.Equal("MGP4001", warning.HelpKeyword);

        // MSBuild's messages have no help link; the keyword still names the code.
        var info = Assert.Single(engine.Messages, m => m.Code == "MGP3001");
        Assert.Equal("MGP3001", info.HelpKeyword);
    }

    [Fact]
    public void Sarif_rules_carry_helpUri_the_page_of_their_code()
    {
        var finding = new Diagnostic(DiagnosticCatalog.NoCopyright, "\"copyright\" is empty.", "modelgo.json", 5, 3);
        using var sarif = JsonDocument.Parse(SarifReport.Write([finding], "/work/model", "/work"));

        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(DiagnosticCatalog.All.Count, rules.Count);
        Assert.All(rules, rule =>
        {
            var code = rule.GetProperty("id").GetString()!;
            Assert.Equal(DiagnosticCatalog.All.Single(d => d.Code == code).HelpLink, rule.GetProperty("helpUri").GetString());
            Assert.True(Uri.IsWellFormedUriString(rule.GetProperty("helpUri").GetString(), UriKind.Absolute));
        });
    }

    [Fact]
    public void Json_report_findings_carry_helpUri_beside_help()
    {
        var finding = new Diagnostic(DiagnosticCatalog.NoCopyright, "\"copyright\" is empty.", "modelgo.json", 5, 3);
        using var report = JsonDocument.Parse(JsonReport.Write([finding], []));

        var written = Assert.Single(report.RootElement.GetProperty("diagnostics").EnumerateArray().ToList());
        Assert.Equal(DiagnosticCatalog.NoCopyright.Help, written.GetProperty("help").GetString());
        Assert.Equal("https://github.com/modelgopack/modelgopack/blob/main/docs/diagnostics/MGP4001.md", written.GetProperty("helpUri").GetString());
        Assert.Equal(["help", "helpUri"], written.EnumerateObject().Select(p => p.Name).SkipWhile(n => n != "help"));
    }
}
