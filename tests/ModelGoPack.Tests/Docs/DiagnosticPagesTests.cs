using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// docs/diagnostics/MGPxxxx.md, one page per code (NuGet's way, one page per NU code), agrees with the catalog both
/// ways, and quotes the license word for word.
/// </summary>
public sealed partial class DiagnosticPagesTests
{
    private static readonly string[] Sections = ["Issue", "Why", "Solution", "Example", "Waiving"];

    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics");

    // The license as the tool embeds it (the same bytes as ../shared/licenses/modelgo/V2/MG-BY-SA/LICENSE), its
    // white space (tabs, CRLF, the lines' trailing spaces) made single spaces.
    private static readonly string License = Normalize(File.ReadAllText(
        Path.Combine(RepositoryRoot.Path, "src", "ModelGoPack.Core", "Licensing", "Texts", "MG-BY-SA-2.0.LICENSE")));

    public static TheoryData<string> Codes() => [.. DiagnosticCatalog.All.Select(d => d.Code)];

    [Fact]
    public void Every_code_has_a_page_and_every_page_is_a_code()
    {
        var pages = Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var codes = DiagnosticCatalog.All.Select(d => d.Code + ".md").ToList();

        Assert.Equal(codes, pages);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void A_page_says_what_the_catalog_says(string code)
    {
        var descriptor = DiagnosticCatalog.All.Single(d => d.Code == code);
        var problems = Problems(descriptor, Page(code));

        Assert.True(problems.Count == 0, $"docs/diagnostics/{code}.md:\n- " + string.Join("\n- ", problems));
    }

    [Fact]
    public void A_page_that_disagrees_with_the_catalog_is_found_out()
    {
        var descriptor = DiagnosticCatalog.LicenseModified;
        var page = Page(descriptor.Code);
        Assert.Empty(Problems(descriptor, page));

        Assert.Contains("the title line is not", Problems(descriptor, page.Replace(descriptor.Title, "License file is modified", StringComparison.Ordinal))[0], StringComparison.Ordinal);
        Assert.Contains("Waivable", Problems(descriptor, page.Replace("Waivable: no", "Waivable: yes", StringComparison.Ordinal))[0], StringComparison.Ordinal);
        Assert.Contains("## Example", Problems(descriptor, page.Replace("## Example", "## Examples", StringComparison.Ordinal))[0], StringComparison.Ordinal);
        Assert.Contains("not in the license", Problems(descriptor, page.Replace("without modification", "with modification", StringComparison.Ordinal))[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_diagnostics_index_links_every_page()
    {
        var index = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics.md"));
        Assert.All(DiagnosticCatalog.All, d => Assert.Contains($"[{d.Code}](diagnostics/{d.Code}.md)", index, StringComparison.Ordinal));
    }

    private static string Page(string code) => File.ReadAllText(Path.Combine(Folder, code + ".md")).ReplaceLineEndings("\n");

    /// <summary>What is wrong with <paramref name="page"/> as the page of <paramref name="descriptor"/>; empty when nothing.</summary>
    private static List<string> Problems(DiagnosticDescriptor descriptor, string page)
    {
        var problems = new List<string>();
        var lines = page.Split('\n');
        var severity = descriptor.Severity.ToString().ToLowerInvariant();
        if (lines[0] != $"# {descriptor.Code}: {descriptor.Title}")
        {
            problems.Add($"the title line is not '# {descriptor.Code}: {descriptor.Title}'");
        }

        var facts = $"Severity: {severity} · Kind: {(descriptor.Kind == DiagnosticKind.Compliance ? "compliance" : "input")} · Waivable: {(descriptor.Waivable ? "yes" : "no")}";
        if (!lines.Skip(1).SkipWhile(string.IsNullOrEmpty).FirstOrDefault("").Equals(facts, StringComparison.Ordinal))
        {
            problems.Add($"the line after the title is not '{facts}' (severity, kind, Waivable)");
        }

        var headings = lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        if (!headings.SequenceEqual(Sections.Select(s => "## " + s)))
        {
            problems.Add($"the sections are {string.Join(", ", headings)}, not {string.Join(", ", Sections.Select(s => "## " + s))}");
            return problems;
        }

        var quotes = Blockquotes(lines).ToList();
        problems.AddRange(quotes.Where(q => !License.Contains(q, StringComparison.Ordinal)).Select(q => $"the quote \"{q}\" is not in the license word for word"));
        if (descriptor.Kind == DiagnosticKind.Compliance && !Section(lines, "Why").Any(l => l.StartsWith('>')))
        {
            problems.Add("## Why quotes no clause of the license");
        }

        if (!Section(lines, "Example").Any(l => l.Contains($"{severity} {descriptor.Code}: ", StringComparison.Ordinal)))
        {
            problems.Add($"## Example shows no message '{severity} {descriptor.Code}: ...'");
        }

        // A waivable code's page shows the waiver; another says what a waiver of it is (MGP8036, or MGP8006 for an input error).
        var waiving = string.Join("\n", Section(lines, "Waiving"));
        var expected = descriptor.Waivable ? $"\"code\": \"{descriptor.Code}\"" : descriptor.Kind == DiagnosticKind.Compliance ? "MGP8036" : "MGP8006";
        if (!waiving.Contains(expected, StringComparison.Ordinal))
        {
            problems.Add($"## Waiving does not hold {expected}");
        }

        return problems;
    }

    private static IEnumerable<string> Section(string[] lines, string name) =>
        lines.SkipWhile(l => l != "## " + name).Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));

    // Each run of '>' lines is one quote; every quote on a page is the license's own words.
    private static IEnumerable<string> Blockquotes(string[] lines)
    {
        var quote = new List<string>();
        foreach (var line in lines.Append(""))
        {
            if (line.StartsWith('>'))
            {
                quote.Add(line[1..]);
            }
            else if (quote.Count > 0)
            {
                yield return Normalize(string.Join(" ", quote));
                quote.Clear();
            }
        }
    }

    private static string Normalize(string text) => Whitespace().Replace(text.Trim('\uFEFF'), " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
