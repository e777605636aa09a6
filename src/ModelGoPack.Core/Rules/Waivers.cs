using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;

namespace ModelGoPack.Rules;

/// <summary>
/// Applies the config's waivers: a compliance finding whose code and path a waiver matches becomes info,
/// carrying the justification; a waiver that matches nothing is a warning. The manifest lists every
/// applied waiver, so that a reviewer of the bundle sees it. A waiver of a code that cannot be waived
/// (<see cref="DiagnosticDescriptor.Waivable"/>: an obligation of the license itself) is never applied: in a
/// project's modelgo.json it is an input error (MGP8036), in a received bundle's manifest a finding (MGP9017).
/// </summary>
internal static class Waivers
{
    /// <param name="source">The declaration whose waivers apply: a project's modelgo.json, or a received bundle's manifest.</param>
    /// <param name="diagnostics">The findings to waive; where findings about the waivers go.</param>
    /// <param name="received">Whether <paramref name="source"/> is a received bundle's manifest (verify): a waiver that
    /// matches nothing there is not news, and one that cannot be waived is the bundle's fault, not the user's.</param>
    public static IReadOnlyList<AppliedWaiver> Apply(ConfigSource source, DiagnosticBag diagnostics, bool received = false)
    {
        var applied = new List<AppliedWaiver>();
        foreach (var waiver in source.Config.Waivers)
        {
            if (DiagnosticCatalog.All.FirstOrDefault(d => d.Code == waiver.Code) is { Waivable: false } obligation)
            {
                var (where, line, column) = source.Locate(waiver.JsonPath);
                var of = waiver.Path is null ? "" : $" for '{waiver.Path}'";
                diagnostics.Add((received ? Messages.ManifestWaiverNotAllowed : Messages.WaiverNotAllowed).With(waiver.Code, of, waiver.Justification, DiagnosticCatalog.ObligationOf(obligation)), where, line, column);
                continue;
            }

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

            if (matched.Count == 0 && !received)
            {
                var (where, line, column) = source.Locate(waiver.JsonPath);
                diagnostics.Add(Messages.WaiverUnmatched.With(waiver.Code, waiver.Path is null ? "" : $" for '{waiver.Path}'"), where, line, column);
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
