using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;

namespace ModelGoPack.Evaluation;

/// <summary>
/// Applies the config's waivers: a compliance finding whose code and path a waiver matches becomes info,
/// carrying the justification; a waiver that matches nothing is a warning. The manifest lists every
/// applied waiver, so that a reviewer of the bundle sees it.
/// </summary>
internal static class Waivers
{
    public static IReadOnlyList<AppliedWaiver> Apply(ConfigSource source, DiagnosticBag diagnostics, bool reportUnmatched = true)
    {
        var applied = new List<AppliedWaiver>();
        foreach (var waiver in source.Config.Waivers)
        {
            var glob = waiver.Path is null ? null : new Globs([waiver.Path], []);
            var matched = new List<string>();
            diagnostics.Update(d =>
            {
                if (d.Code != waiver.Code || d.Waiver is not null || d.Descriptor.Kind != DiagnosticKind.Compliance)
                {
                    return d;
                }

                if (glob is not null && (d.Path is null || !glob.IsMatch(d.Path)))
                {
                    return d;
                }

                matched.Add(d.Path ?? "");
                return d with { Waiver = waiver.Justification };
            });

            if (matched.Count == 0 && reportUnmatched)
            {
                var (where, line, column) = source.Locate(waiver.JsonPath);
                diagnostics.Add(DiagnosticCatalog.WaiverUnmatched,
                    $"The waiver of {waiver.Code}{(waiver.Path is null ? "" : $" for '{waiver.Path}'")} matches no finding. {DiagnosticCatalog.WaiverUnmatched.Help}", where, line, column);
            }
            else if (matched.Count > 0)
            {
                applied.Add(new AppliedWaiver(waiver, matched.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()));
            }
        }

        return applied;
    }
}

/// <summary>A waiver that covered findings, and the paths of those findings ("" for a finding without one).</summary>
public sealed record AppliedWaiver(WaiverDeclaration Waiver, IReadOnlyList<string> Paths);
