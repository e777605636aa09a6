using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;
using ModelGoPack.Rules;
using ModelGoPack.Inspection;
using ModelGoPack.Rendering;

namespace ModelGoPack.Verification;

/// <summary>
/// The license evaluation of <c>check</c>, run on a received bundle: its LICENSE is the unmodified text, its
/// NOTICE makes the statements each declared upstream relation requires and keeps each upstream notice
/// verbatim, and its files are in Preferred Adaptable Form. What the bundle declares comes from its
/// manifest, else from the modelgo.json it carries; a bundle with neither is judged on its files alone.
/// The bundle is read by the loader a project is read by (<see cref="ProjectLoader.LoadBundle"/>).
/// </summary>
internal static class BundleEvaluation
{
    public static void Evaluate(BundleContent content, DiagnosticBag diagnostics, CancellationToken cancellationToken = default)
    {
        var (project, declaration, noticeText) = ProjectLoader.LoadBundle(content, diagnostics, cancellationToken);
        var config = project.Config;

        // A NOTICE or model card larger than pack generates is not read whole, so it cannot be judged: an
        // error (a NOTICE padded past the limit must not pass unread), and the NOTICE is not called missing.
        foreach (var name in new[] { ProjectLoader.NoticeFileName, ModelCard.FileName })
        {
            if (content.Files.TryGetValue(name, out var large) && large.Length > GeneratedTextLimit.MaxBytes)
            {
                diagnostics.Add(Messages.BundleTextTooLarge.With(name, large.Length, GeneratedTextLimit.MaxBytes), name);
            }
        }

        // 2.2(a)(ii) to (iv): the NOTICE, with every upstream notice file the bundle declares kept in it verbatim.
        if (noticeText is not null)
        {
            Obligations.EvaluateNotice(noticeText, template: null, config, project.Notices, diagnostics);
        }
        else if (config.Upstream.Count > 0 && !(content.Files.TryGetValue(ProjectLoader.NoticeFileName, out var unread) && unread.Length > GeneratedTextLimit.MaxBytes))
        {
            diagnostics.Add(Messages.BundleNoticeMissing.With(config.Upstream.Count), ProjectLoader.NoticeFileName);
        }

        Obligations.EvaluateBundle(project, declared: declaration is not null, diagnostics);

        foreach (var path in content.HeadersOutOfReach.Order(StringComparer.Ordinal))
        {
            diagnostics.Add(Messages.WeightHeaderOutOfReach.With(path, content.Artifacts.Get(content.Files[path])!.OutOfReach), path);
        }

        // The publisher's waivers, as the manifest lists them; one that matches nothing here is not news.
        if (declaration is not null)
        {
            Waivers.Apply(declaration, diagnostics, received: true);
        }
    }
}
