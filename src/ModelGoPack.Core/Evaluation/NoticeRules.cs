using System.Globalization;
using System.Text.RegularExpressions;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Rendering;

namespace ModelGoPack.Evaluation;

/// <summary>
/// What a NOTICE must say, judged on its text, whoever wrote it: the bundle's NOTICE as a template rendered
/// it (pack), or as a received bundle holds it (verify). For each derivative upstream (2.2(a)(ii)) its name,
/// that it was modified, and each modification's date; for each extracted upstream (2.2(a)(iii)) its name
/// and that the model was created from its Output; and every existing notice verbatim (2.2(a)(iv)).
/// Findings name the NOTICE as the one who must act on them knows it: the bundle's, or the one a template
/// rendered, built in or the user's own.
/// </summary>
internal static partial class NoticeRules
{
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

        var saysModified = Modified().IsMatch(notice);
        var saysOutput = Output().IsMatch(notice);

        // Derivative upstreams first, then extracted ones, each in config order.
        foreach (var upstream in config.Upstream.OrderBy(u => u.Relation == UpstreamRelation.Derivative ? 0 : 1))
        {
            var derivative = upstream.Relation == UpstreamRelation.Derivative;
            var missing = new List<string>();
            if (!notice.Contains(upstream.Name, StringComparison.OrdinalIgnoreCase))
            {
                missing.Add($"the name \"{upstream.Name}\"");
            }

            if (derivative)
            {
                if (!saysModified)
                {
                    missing.Add("that it was modified");
                }

                var dates = config.Modifications.Where(m => m.Upstream is null || m.Upstream == upstream.Name).Select(m => m.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Distinct().Order(StringComparer.Ordinal);
                missing.AddRange(dates.Where(d => !notice.Contains(d, StringComparison.Ordinal)).Select(d => "the date " + d));
            }
            else if (!saysOutput)
            {
                missing.Add("that the model was created from its Output");
            }

            if (missing.Count > 0)
            {
                var rule = derivative ? DiagnosticCatalog.NoticeLacksModification : DiagnosticCatalog.NoticeLacksExtraction;
                diagnostics.Add(rule, $"{describe} does not give, for {(derivative ? "derivative" : "extracted")} upstream \"{upstream.Name}\": {string.Join(", ", missing)}. {rule.Help}", ProjectLoader.NoticeFileName);
            }
        }
    }

    [GeneratedRegex(@"\bmodif(y|ied|ication|ications)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Modified();

    [GeneratedRegex(@"\boutputs?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Output();
}

/// <summary>The template that rendered a NOTICE: its name as a message shows it, and whether it is the built-in one.</summary>
internal sealed record NoticeTemplate(string Name, bool BuiltIn);
