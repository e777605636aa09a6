using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;
using ModelGoPack.Rendering;

namespace ModelGoPack.Rules;

/// <summary>
/// Clause 2.2(a)(iv): "retain all copyright and attribution notices". The project declares its own copyright lines
/// (MGP4001) and each upstream's notice files (MGP4003); NOTICE holds every notice text verbatim (MGP4002). A notice
/// file listed but missing is found when the project is loaded (MGP4002 too).
/// </summary>
internal static class RetainedNotices
{
    /// <summary>The copyright lines and the upstreams' notice files the declaration names.</summary>
    public static void Declared(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        if (config.Copyright.Count == 0)
        {
            var (where, line, column) = project.Source.Locate("$.copyright");
            diagnostics.Add(Messages.CopyrightEmpty.With(), where, line, column);
        }

        // The notice files of a release the upstream names are kept without being listed: an upstream whose release gives
        // some declares its notices that way (pack reads the release; verify reads the manifest's "releaseNotices").
        foreach (var upstream in config.Upstream.Where(u => u.Notices.Count == 0 && u.ReleaseNotices.Count == 0
            && !project.Releases.Any(r => r.Upstream == u.Name && r.Notices.Count > 0)))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath);
            diagnostics.Add(Messages.UpstreamWithoutNotices.With(upstream.Name), where, line, column);
        }
    }

    /// <summary>Every notice text the NOTICE must keep is in it, verbatim (MGP4002).</summary>
    public static void InNotice(NoticeRead notice, IReadOnlyList<NoticeText> notices, DiagnosticBag diagnostics)
    {
        foreach (var kept in notices.DistinctBy(n => n.Path, StringComparer.Ordinal).Where(n => !notice.Text.Contains(n.Text.TrimEnd('\n'), StringComparison.Ordinal)))
        {
            diagnostics.Add(Messages.NoticeDropped.With(notice.Describe, kept.Path, kept.Upstream is null ? "" : $" (from \"{kept.Upstream}\")", notice.Fault), kept.Path);
        }
    }
}
