using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Evaluation;
using ModelGoPack.Licensing;
using ModelGoPack.Rendering;
using NuGet.Versioning;
using ModelGoPack.Rules;

namespace ModelGoPack.Verification;

/// <summary>
/// The license evaluation of <c>check</c>, run on a received bundle: its LICENSE is the unmodified text, its
/// NOTICE makes the statements each declared upstream relation requires and keeps each upstream notice
/// verbatim, and its files are in Preferred Adaptable Form. What the bundle declares comes from its
/// manifest, else from the modelgo.json it carries; a bundle with neither is judged on its files alone.
/// </summary>
internal static class BundleEvaluation
{
    public static void Evaluate(BundleContent content, DiagnosticBag diagnostics, CancellationToken cancellationToken = default)
    {
        // What the evaluation reads by name, read again from the archive if hashing did not keep it. The root license
        // copies in any case, as check finds them: a root License.txt is a license copy, not another license file.
        var copies = content.Files.Keys.Where(ProjectLoader.IsLicenseCopy).Order(StringComparer.Ordinal).ToList();
        BundleVerifier.Fetch(content, [.. copies, ProjectLoader.NoticeFileName, Inspection.ModelCard.FileName, ModelGoConfig.FileName], cancellationToken);
        var declaration = content.Manifest?.Declaration ?? BundledConfig(content, diagnostics);
        BundleVerifier.Fetch(content, declaration?.Config.Upstream.SelectMany(u => u.Notices) ?? [], cancellationToken);
        var declared = declaration is not null;
        var source = declaration ?? new ConfigSource(
            new ModelGoConfig { Name = "bundle", Version = new NuGetVersion(0, 0, 0), License = LicenseText.Id }, JsonLocationMap.Empty);
        var config = source.Config;

        // 2.2(a)(i) and Section 6: the license copy.
        var licenseFiles = new List<(Discovery.ProjectFile, LicenseIdentification)>();
        foreach (var name in copies)
        {
            if (content.Text(name) is { } bytes)
            {
                licenseFiles.Add((content.Files[name], LicenseIdentifier.Identify(bytes)));
            }
        }

        // Every other license file, at any depth, and the one the card's license_link names, as check reads them.
        var cardText = content.Text(Inspection.ModelCard.FileName) is { } readme ? TextDecoder.Decode(readme) : null;
        var card = ProjectLoader.ParseModelCard(cardText, diagnostics);
        var otherPaths = LicenseFiles.OtherLicenseFiles(content.Files.Keys, LicenseFiles.LinkedPath(card, config)?.Path);
        BundleVerifier.Fetch(content, otherPaths, cancellationToken);
        var otherLicenses = new List<(Discovery.ProjectFile, LicenseIdentification)>();
        foreach (var path in otherPaths)
        {
            if (content.Files[path].Length > EntryCapture.TextLimit)
            {
                otherLicenses.Add((content.Files[path], LicenseFiles.TooLarge));
            }
            else if (content.Text(path) is { } bytes)
            {
                otherLicenses.Add((content.Files[path], LicenseFiles.Identify(bytes)));
            }
        }

        if (!content.Files.ContainsKey(ProjectLoader.LicenseFileName) && !content.Damaged.Contains(ProjectLoader.LicenseFileName))
        {
            diagnostics.Add(DiagnosticCatalog.LicenseCopyMissing, $"The bundle has no {ProjectLoader.LicenseFileName} at its root. {DiagnosticCatalog.LicenseCopyMissing.Help}", ProjectLoader.LicenseFileName);
        }

        // 2.2(a)(ii) to (iv): the NOTICE, with every upstream notice file the bundle declares kept in it verbatim.
        var notices = new List<NoticeText>();
        foreach (var upstream in config.Upstream)
        {
            for (var i = 0; i < upstream.Notices.Count; i++)
            {
                var path = upstream.Notices[i];
                if (content.Text(path) is { } bytes)
                {
                    notices.Add(new NoticeText(path, TextDecoder.DecodeLines(bytes), upstream.Name));
                    continue;
                }

                if (content.Files.TryGetValue(path, out var present))
                {
                    diagnostics.Add(DiagnosticCatalog.FileUnreadable, $"'{path}' is {present.Length} bytes; a notice file is at most {EntryCapture.TextLimit} bytes of text.", path);
                    continue;
                }

                var (where, line, column) = source.Locate($"{upstream.JsonPath}.notices[{i}]");
                diagnostics.Add(DiagnosticCatalog.UpstreamNoticeMissing,
                    $"Notice file '{path}' of upstream \"{upstream.Name}\" is not in the bundle. {DiagnosticCatalog.UpstreamNoticeMissing.Help}", where, line, column);
            }
        }

        // A notice must read as it renders, and so must the names of the files it speaks of.
        var noticeText = content.Text(ProjectLoader.NoticeFileName) is { } noticeBytes ? TextDecoder.DecodeLines(noticeBytes) : null;
        ProjectLoader.ReportBidiNotices(noticeText is null ? notices : notices.Prepend(new NoticeText(ProjectLoader.NoticeFileName, noticeText, null)), diagnostics);
        ProjectLoader.ReportBidiNames(content.Files.Keys.Where(p => ProjectPath.IndexOfBidiControl(p) >= 0).Order(StringComparer.Ordinal), diagnostics);

        // A NOTICE or model card larger than pack generates is not read whole, so it cannot be judged: an
        // error (a NOTICE padded past the limit must not pass unread), and the NOTICE is not called missing.
        foreach (var name in new[] { ProjectLoader.NoticeFileName, Inspection.ModelCard.FileName })
        {
            if (content.Files.TryGetValue(name, out var large) && large.Length > Rendering.GeneratedTextLimit.MaxBytes)
            {
                diagnostics.Add(DiagnosticCatalog.GeneratedTextTooLarge, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The bundle's {name} is {large.Length:N0} bytes, over the limit of {Rendering.GeneratedTextLimit.MaxBytes:N0} bytes (4 MiB) that verify reads whole, so it is not judged. {DiagnosticCatalog.GeneratedTextTooLarge.Help}"), name);
            }
        }

        if (noticeText is not null)
        {
            Obligations.EvaluateNotice(noticeText, template: null, config, notices, diagnostics);
        }
        else if (config.Upstream.Count > 0 && !(content.Files.TryGetValue(ProjectLoader.NoticeFileName, out var unread) && unread.Length > Rendering.GeneratedTextLimit.MaxBytes))
        {
            diagnostics.Add(DiagnosticCatalog.NoticeMissing,
                $"The bundle declares {config.Upstream.Count} upstream model(s) but has no {ProjectLoader.NoticeFileName} at its root. {DiagnosticCatalog.NoticeMissing.Help}", ProjectLoader.NoticeFileName);
        }


        // Sorted in place: a million files are one array, not also the keys and the map a sort by key makes.
        var files = content.Files.Values.ToArray();
        Array.Sort(files, (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        var project = new ModelProject
        {
            Root = content.Root ?? "",
            Source = source,
            Files = files,
            LicenseFiles = licenseFiles,
            OtherLicenseFiles = otherLicenses,
            ModelCard = card,
            ModelCardText = cardText,
            Artifacts = content.Artifacts.Of(files),
            Notices = notices,
        };
        Obligations.EvaluateBundle(project, declared, diagnostics);

        foreach (var path in content.HeadersOutOfReach.Order(StringComparer.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.WeightHeaderNotRead, $"'{path}': {content.Artifacts.Get(content.Files[path])!.OutOfReach}. {DiagnosticCatalog.WeightHeaderNotRead.Help}", path);
        }

        // The publisher's waivers, as the manifest lists them; one that matches nothing here is not news.
        if (declaration is not null)
        {
            Waivers.Apply(declaration, diagnostics, received: true);
        }
    }

    /// <summary>The modelgo.json a bundle carries, for a bundle without a manifest; its errors are reported.</summary>
    private static ConfigSource? BundledConfig(BundleContent content, DiagnosticBag diagnostics) =>
        content.Manifest is null && content.Text(ModelGoConfig.FileName) is { } bytes ? ConfigReader.Parse(bytes, diagnostics) : null;
}
