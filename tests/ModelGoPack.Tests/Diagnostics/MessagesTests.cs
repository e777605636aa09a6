using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Messages are formats in one table (Diagnostics/Messages/*.cs), filled in at the call: every message reports a code
/// of the catalog, every code has a message, the help is spliced in by the table and never appended at a call site.
/// </summary>
public sealed class MessagesTests
{
    [Fact]
    public void Every_message_reports_a_code_of_the_catalog_and_every_code_has_a_message()
    {
        var messages = Messages.All;
        Assert.True(messages.Count > 100, $"only {messages.Count} messages");
        Assert.All(messages, m => Assert.Contains(m.Message.Descriptor, DiagnosticCatalog.All));
        // A code MSBuild raises before the task can load (MGP8018, an MSBuild too old) is an <Error> of the targets.
        var targets = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "build", "ModelGoPack.targets"));
        var without = DiagnosticCatalog.All.Select(d => d.Code).Except(messages.Select(m => m.Message.Descriptor.Code))
            .Where(code => !targets.Contains($"Code=\"{code}\"", StringComparison.Ordinal)).ToList();
        Assert.True(without.Count == 0, "codes without a message in Messages (or an <Error> in the targets): " + string.Join(", ", without));
    }

    [Fact]
    public void Each_message_fills_its_holes_and_splices_its_help_in_once()
    {
        foreach (var (name, message) in Messages.All)
        {
            var values = Enumerable.Range(0, message.ArgumentCount).Select(i => (object)$"<value {i}>").ToArray();
            var text = message.With(values).Text;
            for (var i = 0; i < values.Length; i++)
            {
                // A hole with a date format gets a string here, which the format leaves as it is.
                Assert.Contains($"<value {i}>", text);
            }

            Assert.DoesNotContain(DiagnosticMessage.HelpHole, text);
            var helps = Regex.Count(text, Regex.Escape(message.Descriptor.Help));
            Assert.True(helps == (message.Format.Contains(DiagnosticMessage.HelpHole, StringComparison.Ordinal) ? 1 : 0), $"{name}: the help appears {helps} times in \"{text}\"");
            // A hole or the help placed where the sentence has no room for it reads as a doubled or a trailing space.
            Assert.False(text.Contains("  ", StringComparison.Ordinal) || text.EndsWith(' '), $"{name}: a stray space in \"{text}\"");
        }
    }

    [Fact]
    public void A_message_given_the_wrong_number_of_values_is_a_defect_at_the_call_site()
    {
        var message = Messages.ProjectNotAFolder;
        Assert.Equal(1, message.ArgumentCount);
        var e = Assert.Throws<ArgumentException>(() => message.With("a", "b"));
        Assert.Contains(message.Descriptor.Code + "'s message", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => message.With());
    }

    [Fact]
    public void Braces_in_a_help_text_stay_literal()
    {
        // MGP2009's help names the template variable {{ upstream.statement }}: the help is text, not a format.
        var text = Messages.NoticeLacksModification.With("NOTICE", "base", "Modified.", "").Text;
        Assert.Contains("{{ upstream.statement }}", text, StringComparison.Ordinal);
        Assert.StartsWith("NOTICE does not hold the statement of modification for derivative upstream \"base\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_are_formatted_the_same_on_every_machine()
    {
        var before = Thread.CurrentThread.CurrentCulture;
        try
        {
            // th-TH counts years from 543 BC: a date formatted in the current culture would read 2569.
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("th-TH");
            var text = Messages.ModificationAfterRelease.With("Fine-tuned", new DateOnly(2026, 12, 6), new DateOnly(2026, 1, 2), "releaseDate").Text;
            Assert.StartsWith("The modification \"Fine-tuned\" is dated 2026-12-06, after the release date 2026-01-02 (releaseDate).", text, StringComparison.Ordinal);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = before;
        }
    }

    [Fact]
    public void No_call_site_writes_a_message_or_appends_help_by_hand()
    {
        var src = Path.Combine(RepositoryRoot.Path, "src");
        var handWritten = new Regex(@"\.Help\}|\.Add\(\s*DiagnosticCatalog\.|new\s+Diagnostic\(\s*DiagnosticCatalog\.", RegexOptions.CultureInvariant);
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(l => handWritten.IsMatch(l.Text))
            .Select(l => $"{l.File}({l.Line}): {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "call sites that write a message by hand (use a format of Messages):\n" + string.Join("\n", offenders));
    }
}
