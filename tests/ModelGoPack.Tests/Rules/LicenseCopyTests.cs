using ModelGoPack.Diagnostics;
using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>Clause 2.2(a)(i) and Section 6 on the root's license copy: each kind of text gets its code, message and line.</summary>
public sealed class LicenseCopyTests
{
    [Fact]
    public void A_root_LICENSE_of_no_known_text_is_MGP1003_at_its_top()
    {
        using var project = new ModelProjectBuilder();
        project.File("LICENSE", "You may do anything with this model.\n").Write();

        var d = Assert.Single(Check(project).Diagnostics);

        Assert.Equal(("MGP1003", "LICENSE", 1, 1), (d.Code, d.Path, d.Line, d.Column));
        Assert.Equal($"LICENSE is not the MG-BY-SA-2.0 text (it does not start with \"ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025\"). {DiagnosticCatalog.LicenseOther.Help}", d.Message);
    }

    [Fact]
    public void A_root_LICENSE_of_the_superseded_text_is_MGP1002_at_its_top()
    {
        using var project = new ModelProjectBuilder();
        project.Bytes("LICENSE", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-SA-2.0-May-2025.LICENSE"))).Write();

        var d = Assert.Single(Check(project).Diagnostics);

        Assert.Equal(("MGP1002", "LICENSE", 1, 1), (d.Code, d.Path, d.Line, d.Column));
        Assert.Equal($"LICENSE is the superseded MG-BY-SA \"Version 2.0, May 2025\" text. {DiagnosticCatalog.LicenseSuperseded.Help}", d.Message);
    }

    [Fact]
    public void A_root_LICENSE_changed_in_one_word_is_MGP1001_at_the_line_of_that_word()
    {
        using var project = new ModelProjectBuilder();
        var text = LicenseText.Text.TrimStart('\uFEFF');
        var lines = text.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains("Licensor", StringComparison.Ordinal) && l.Length > 20 && Array.IndexOf(lines, l) > 5);
        lines[at] = lines[at].Replace("Licensor", "Lessor", StringComparison.Ordinal);
        project.File("LICENSE", string.Join('\n', lines)).Write();

        var d = Assert.Single(Check(project).Diagnostics);

        Assert.Equal(("MGP1001", "LICENSE", at + 1, 1), (d.Code, d.Path, d.Line, d.Column));
        Assert.StartsWith("LICENSE differs from the MG-BY-SA-2.0 text at word ", d.Message, StringComparison.Ordinal);
        Assert.Contains("Lessor", d.Message, StringComparison.Ordinal);
    }

    private static CheckResult Check(ModelProjectBuilder project) =>
        ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
}
