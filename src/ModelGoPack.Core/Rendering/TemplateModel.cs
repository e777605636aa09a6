using System.Globalization;
using ModelGoPack.Config;
using ModelGoPack.Licensing;
using Scriban.Runtime;

namespace ModelGoPack.Rendering;

/// <summary>
/// The data model every template receives. It is public API: the README documents each variable,
/// and a test keeps that list and this builder in step. Templates see only these values, never .NET objects.
/// </summary>
internal static class TemplateModel
{
    public static ScriptObject Build(ModelGoConfig config, IReadOnlyList<NoticeText> notices, DateOnly? bundleDate)
    {
        var upstreams = config.Upstream.Select(u => Upstream(u, config, notices)).ToList();
        var project = new ScriptObject
        {
            ["name"] = config.Name,
            ["version"] = config.Version.ToNormalizedString(),
            ["license"] = config.License,
            ["license_title"] = LicenseText.Title,
            ["copyright"] = List(config.Copyright),
            ["release_date"] = Date(config.ReleaseDate),
            ["is_original"] = config.Upstream.Count == 0,
            ["is_derivative"] = config.IsDerivative,
            ["is_extracted"] = config.IsExtracted,
        };

        var model = new ScriptObject
        {
            ["project"] = project,
            ["upstreams"] = List(upstreams),
            ["derivatives"] = List(upstreams.Where(u => Equals(u["relation"], "derivative"))),
            ["extracted"] = List(upstreams.Where(u => Equals(u["relation"], "extracted"))),
            ["notices"] = List(notices.Select(Notice)),
            ["bundle_date"] = Date(bundleDate),
            ["tool"] = new ScriptObject { ["name"] = "ModelGoPack", ["version"] = ToolInfo.Version },
        };
        return model;
    }

    private static ScriptObject Upstream(UpstreamDeclaration upstream, ModelGoConfig config, IReadOnlyList<NoticeText> notices)
    {
        var modifications = NoticeStatement.Modifications(config, upstream)
            .Select(m => new ScriptObject
            {
                ["date"] = Date(m.Date),
                ["description"] = m.Description,
                ["paths"] = List(m.Paths),
            });
        return new ScriptObject
        {
            ["name"] = upstream.Name,
            ["version"] = upstream.Version,
            ["url"] = upstream.Url,
            ["revision"] = upstream.Revision,
            ["manifest_sha256"] = upstream.ManifestSha256,
            ["license"] = upstream.License,
            ["licensor"] = upstream.Licensor,
            ["relation"] = upstream.Relation == UpstreamRelation.Derivative ? "derivative" : "extracted",
            ["method"] = upstream.Method,
            ["modifications"] = List(modifications),
            ["statement"] = NoticeStatement.For(config, upstream),
            // Its own notices, with a file it shares with an earlier upstream (kept once, under that one).
            ["notices"] = List(notices.Where(n => n.Upstream == upstream.Name || upstream.Notices.Contains(n.Path, StringComparer.Ordinal)).Select(Notice)),
        };
    }

    private static ScriptObject Notice(NoticeText notice) => new()
    {
        ["path"] = notice.Path,
        ["text"] = notice.Text,
        ["upstream"] = notice.Upstream,
    };

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ScriptArray List<T>(IEnumerable<T> items)
    {
        var array = new ScriptArray();
        foreach (var item in items)
        {
            array.Add(item);
        }

        return array;
    }
}
