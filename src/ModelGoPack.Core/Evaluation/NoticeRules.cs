using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Rendering;

namespace ModelGoPack.Evaluation;

/// <summary>
/// What a NOTICE must say, judged on its text, whoever wrote it: the bundle's NOTICE as a template rendered
/// it (pack), or as a received bundle holds it (verify). For each derivative upstream (2.2(a)(ii)) the
/// statement that it was modified, with every modification's date, and for each extracted upstream
/// (2.2(a)(iii)) the statement that the model was created from its Output, each as the unit
/// <see cref="NoticeStatement"/> makes from the declaration; and every existing notice verbatim (2.2(a)(iv)).
/// Findings name the NOTICE as the one who must act on them knows it: the bundle's, or the one a template
/// rendered, built in or the user's own.
/// </summary>
internal static class NoticeRules
{
    // A statement is shown in a finding up to this many characters (one with a thousand modifications is long).
    private const int MaxShown = 600;

    /// <param name="notice">The NOTICE's text.</param>
    /// <param name="template">The template that rendered it; null for a NOTICE read from a bundle.</param>
    /// <param name="config">What the bundle declares: its upstreams and modifications.</param>
    /// <param name="notices">The notice texts it must keep verbatim (a file listed twice counts once).</param>
    /// <param name="diagnostics">Where findings go.</param>
    public static void Evaluate(string notice, NoticeTemplate? template, ModelGoConfig config, IReadOnlyList<NoticeText> notices, DiagnosticBag diagnostics)
    {
        var describe = template switch
        {
            null => ProjectLoader.NoticeFileName,
            { BuiltIn: true } => $"NOTICE, rendered by the built-in template {template.Name},",
            _ => $"NOTICE, rendered by the template '{template.Name}',",
        };
        var fault = template is { BuiltIn: true }
            ? " The built-in template renders every notice text whole, so this is a fault of ModelGoPack: please report it."
            : "";
        foreach (var kept in notices.DistinctBy(n => n.Path, StringComparer.Ordinal).Where(n => !notice.Contains(n.Text.TrimEnd('\n'), StringComparison.Ordinal)))
        {
            diagnostics.Add(DiagnosticCatalog.NoticeDropped,
                $"{describe} does not hold the text of '{kept.Path}'{(kept.Upstream is null ? "" : $" (from \"{kept.Upstream}\")")} verbatim.{fault} {DiagnosticCatalog.NoticeDropped.Help}", kept.Path);
        }

        // Each statement is a unit made from the declaration (NoticeStatement), the one the built-in template renders and
        // a custom one places with {{ upstream.statement }}: the NOTICE holds it, white space aside, or it does not.
        var text = NoticeStatement.Normalize(notice);

        // Derivative upstreams first, then extracted ones, each in config order.
        foreach (var upstream in config.Upstream.OrderBy(u => u.Relation == UpstreamRelation.Derivative ? 0 : 1))
        {
            var statement = NoticeStatement.For(config, upstream);
            if (text.Contains(NoticeStatement.Normalize(statement), StringComparison.Ordinal))
            {
                continue;
            }

            var derivative = upstream.Relation == UpstreamRelation.Derivative;
            var rule = derivative ? DiagnosticCatalog.NoticeLacksModification : DiagnosticCatalog.NoticeLacksExtraction;
            var shown = statement.Length <= MaxShown ? statement : statement[..MaxShown] + " [...]";
            diagnostics.Add(rule,
                $"{describe} does not hold the {(derivative ? "statement of modification" : "Extracted Model statement")} for {(derivative ? "derivative" : "extracted")} upstream \"{upstream.Name}\" that its declaration makes: \"{NoticeStatement.Normalize(shown)}\".{fault} {rule.Help}",
                ProjectLoader.NoticeFileName);
        }
    }
}

/// <summary>The template that rendered a NOTICE: its name as a message shows it, and whether it is the built-in one.</summary>
internal sealed record NoticeTemplate(string Name, bool BuiltIn);
