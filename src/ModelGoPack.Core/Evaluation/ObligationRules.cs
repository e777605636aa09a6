using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Licensing;

namespace ModelGoPack.Evaluation;

/// <summary>
/// Evaluate: the license's obligations as rules over a project's facts. Only this layer knows what
/// MG-BY-SA-2.0 requires; every rule reports under a code of <see cref="DiagnosticCatalog"/>.
/// </summary>
internal static class ObligationRules
{
    // A method that transfers patterns from Output, in the words of the license's definitions: "distillation methods or
    // synthetic data generation" ("distillation", "knowledge-distillation", "self-distilled", "synthetic-data", ...).
    private static readonly string[] ExtractionMethods = ["distil", "synthetic"];

    public static void Evaluate(ModelProject project, DiagnosticBag diagnostics, CancellationToken cancellationToken = default)
    {
        Lineage.Evaluate(project, diagnostics, cancellationToken);
        EvaluateBundle(project, declared: true, diagnostics);
    }

    /// <summary>
    /// The rules on what a project or bundle holds, without comparing it with an upstream release: all of
    /// them for a project, and for a received bundle (verify) that declares its lineage. Without a
    /// declaration (no manifest and no modelgo.json in the bundle) only what the files themselves show is
    /// judged: the license copy, Preferred Adaptable Form and the model card.
    /// </summary>
    public static void EvaluateBundle(ModelProject project, bool declared, DiagnosticBag diagnostics)
    {
        LicenseCopy(project, diagnostics);
        LicenseFileRules.Evaluate(project, diagnostics);
        if (declared)
        {
            ShareAlike(project, diagnostics);
            DerivativeMaterials(project, diagnostics);
            ModificationDates(project, diagnostics);
            ExtractedModels(project, diagnostics);
            RetainedNotices(project, diagnostics);
        }

        PreferredAdaptableForm.Evaluate(project.Artifacts, diagnostics);
        ModelCardRules.Evaluate(project, diagnostics);
    }

    /// <summary>2.2(a)(i) and Section 6: the license copy is the unmodified MG-BY-SA-2.0 text.</summary>
    private static void LicenseCopy(ModelProject project, DiagnosticBag diagnostics)
    {
        foreach (var (file, identification) in project.LicenseFiles)
        {
            switch (identification.Kind)
            {
                case LicenseMatchKind.Modified:
                    diagnostics.Add(DiagnosticCatalog.LicenseModified,
                        $"{file.RelativePath} differs from the {LicenseText.Id} text at word {identification.WordIndex}: the license reads \"{identification.Expected}\", the file reads \"{identification.Found}\". {DiagnosticCatalog.LicenseModified.Help}",
                        file.RelativePath, identification.Line, 1);
                    break;
                case LicenseMatchKind.Superseded:
                    diagnostics.Add(DiagnosticCatalog.LicenseSuperseded,
                        $"{file.RelativePath} is the superseded MG-BY-SA \"Version 2.0, May 2025\" text. {DiagnosticCatalog.LicenseSuperseded.Help}",
                        file.RelativePath, 1, 1);
                    break;
                case LicenseMatchKind.Other when project.Config.IsDerivative || project.Config.IsExtracted:
                    diagnostics.Add(DiagnosticCatalog.LicenseFileShareAlike,
                        $"{file.RelativePath} is the {identification.Name} license, but this project is {Kind(project.Config)} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.LicenseFileShareAlike.Help}",
                        file.RelativePath, 1, 1);
                    break;
                case LicenseMatchKind.Other:
                    diagnostics.Add(DiagnosticCatalog.LicenseOther,
                        $"{file.RelativePath} is the {identification.Name} license, not {LicenseText.Id}. {DiagnosticCatalog.LicenseOther.Help}",
                        file.RelativePath, 1, 1);
                    break;
                case LicenseMatchKind.Unknown:
                    diagnostics.Add(DiagnosticCatalog.LicenseOther,
                        $"{file.RelativePath} is not the {LicenseText.Id} text (it does not start with \"ModelGo Attribution-ShareAlike License, Version 2.0, Dec 2025\"). {DiagnosticCatalog.LicenseOther.Help}",
                        file.RelativePath, 1, 1);
                    break;
            }
        }
    }

    /// <summary>2.2(a)(vi): Derivative Materials and Extracted Models are licensed MG-BY-SA-2.0.</summary>
    private static void ShareAlike(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        if (config.License != LicenseText.Id)
        {
            var (where, line, column) = project.Source.Locate("$.license");
            if (config.IsDerivative || config.IsExtracted)
            {
                diagnostics.Add(DiagnosticCatalog.ShareAlikeViolated,
                    $"\"license\" is '{config.License}', but this project is {Kind(config)} of an MG-BY-SA-2.0 model. {DiagnosticCatalog.ShareAlikeViolated.Help}",
                    where, line, column);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.ProjectLicenseUnsupported,
                    $"\"license\" is '{config.License}'. {DiagnosticCatalog.ProjectLicenseUnsupported.Help}", where, line, column);
            }
        }

        foreach (var upstream in config.Upstream.Where(u => u.License != LicenseText.Id))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath + ".license");
            diagnostics.Add(DiagnosticCatalog.UpstreamLicenseNotEvaluated,
                $"Upstream \"{upstream.Name}\" is licensed '{upstream.License}'. {DiagnosticCatalog.UpstreamLicenseNotEvaluated.Help}",
                where, line, column);
        }

        // What the release says it is under, against what the config declares: only MG-BY-SA-2.0 or not is judged,
        // since a license named by its title ("Apache License 2.0") and one by its SPDX id cannot be told apart reliably.
        foreach (var release in project.Releases.Where(r => r.License is not null))
        {
            var upstream = config.Upstream.FirstOrDefault(u => u.Name == release.Upstream);
            if (upstream is not null && Releases.ReleaseDescription.IsModelGo(release.License!) != Releases.ReleaseDescription.IsModelGo(upstream.License))
            {
                var (where, line, column) = project.Source.Locate(upstream.JsonPath + ".license");
                diagnostics.Add(DiagnosticCatalog.UpstreamLicenseContradicted,
                    $"The release of upstream \"{upstream.Name}\" states the license '{release.License}' ({release.LicenseSource}), but {project.Source.FileName} declares '{upstream.License}'. {DiagnosticCatalog.UpstreamLicenseContradicted.Help}",
                    where, line, column);
            }
        }

        foreach (var duplicate in config.Upstream.GroupBy(u => u.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var (where, line, column) = project.Source.Locate(duplicate.Last().JsonPath + ".name");
            diagnostics.Add(DiagnosticCatalog.DuplicateUpstream, $"Upstream name \"{duplicate.Key}\" is used {duplicate.Count()} times.", where, line, column);
        }
    }

    /// <summary>2.2(a)(ii): each derivative upstream has dated modifications, and each modification is coherent.</summary>
    private static void DerivativeMaterials(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        var derivatives = config.Upstream.Where(u => u.Relation == UpstreamRelation.Derivative).ToList();
        foreach (var upstream in derivatives)
        {
            // An upstream whose release could not be read is already an error; its changes are unknown.
            var releaseUnread = (upstream.Git ?? upstream.Manifest ?? upstream.Bundle) is not null && !project.Releases.Any(r => r.Upstream == upstream.Name);
            if (!releaseUnread && !config.Modifications.Concat(project.DetectedModifications).Any(m => m.Upstream is null || m.Upstream == upstream.Name))
            {
                var (where, line, column) = project.Source.Locate(upstream.JsonPath);
                diagnostics.Add(DiagnosticCatalog.DerivativeWithoutModification,
                    $"Upstream \"{upstream.Name}\" is a derivative, but no modification of it is declared. {DiagnosticCatalog.DerivativeWithoutModification.Help}",
                    where, line, column);
            }

            if (upstream.Method is { } method && ExtractionMethods.Any(m => method.Contains(m, StringComparison.OrdinalIgnoreCase)))
            {
                var (where, line, column) = project.Source.Locate(upstream.JsonPath + ".relation");
                diagnostics.Add(DiagnosticCatalog.RelationMethodMismatch,
                    $"Upstream \"{upstream.Name}\" has \"relation\": \"derivative\" but \"method\": \"{method}\". {DiagnosticCatalog.RelationMethodMismatch.Help}",
                    where, line, column);
            }
        }

        if (config.Modifications.Count > 0 && derivatives.Count == 0)
        {
            var (where, line, column) = project.Source.Locate("$.modifications");
            diagnostics.Add(DiagnosticCatalog.ModificationWithoutDerivative,
                $"{config.Modifications.Count} modification(s) declared, but no upstream has \"relation\": \"derivative\". {DiagnosticCatalog.ModificationWithoutDerivative.Help}",
                where, line, column);
        }

        // A modification may name a file the project removed from a derivative upstream's release: as lineage found them
        // (pack, check), as the manifest lists them (verify), so that both judge alike. Plain paths are looked up, globs
        // matched, each against every path.
        var paths = project.Files.Select(f => f.RelativePath).Concat(project.RemovedFiles.Values.SelectMany(r => r)).Concat(config.Upstream.SelectMany(u => u.Removed))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var modification in config.Modifications)
        {
            if (modification.Upstream is { } name && !derivatives.Any(u => u.Name == name))
            {
                var (where, line, column) = project.Source.Locate(modification.JsonPath + ".upstream");
                diagnostics.Add(DiagnosticCatalog.ModificationUpstreamUnknown,
                    $"Modification names upstream \"{name}\", which is not a declared derivative upstream. {DiagnosticCatalog.ModificationUpstreamUnknown.Help}",
                    where, line, column);
            }

            // Whether a path names a file the project removed from a release that could not be read is not known: that
            // release's error is the finding.
            if (modification.Upstream is { } of ? project.UnreadReleases.Contains(of) : derivatives.Any(u => project.UnreadReleases.Contains(u.Name)))
            {
                continue;
            }

            for (var i = 0; i < modification.Paths.Count; i++)
            {
                var glob = new Globs([modification.Paths[i]], []);
                if (!(paths.Contains(modification.Paths[i]) || (Globs.MatchesOthers(modification.Paths[i]) && paths.Any(glob.IsMatch))))
                {
                    var (where, line, column) = project.Source.Locate($"{modification.JsonPath}.paths[{i}]");
                    diagnostics.Add(DiagnosticCatalog.ModificationPathUnmatched,
                        $"Modification path '{modification.Paths[i]}' matches no file of the bundle. {DiagnosticCatalog.ModificationPathUnmatched.Help}",
                        where, line, column);
                }
            }
        }
    }

    /// <summary>
    /// 2.2(a)(ii) asks for "the relevant date of such modification": a modification dated after the release (its
    /// <c>releaseDate</c>, else SOURCE_DATE_EPOCH's day, else the day of the run: <see cref="ReleaseDay"/>) is not that date, and NOTICE would state
    /// it as fact: an error. One dated before the upstream's own release, when that is known (its <c>releaseDate</c> in
    /// modelgo.json, else its release manifest's), is doubtful: a warning.
    /// </summary>
    private static void ModificationDates(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        var (release, from) = ReleaseDay.Resolve(config, project.SourceDateEpoch);
        foreach (var modification in config.Modifications.Concat(project.DetectedModifications))
        {
            if (modification.Date > release)
            {
                var (where, line, column) = project.Source.Locate(modification.JsonPath + ".date");
                diagnostics.Add(DiagnosticCatalog.ModificationAfterRelease,
                    $"The modification \"{modification.Description}\" is dated {Day(modification.Date)}, after the release date {Day(release)} ({from}). {DiagnosticCatalog.ModificationAfterRelease.Help}",
                    where, line, column);
            }
        }

        foreach (var upstream in config.Upstream.Where(u => u.Relation == UpstreamRelation.Derivative))
        {
            var upstreamRelease = upstream.ReleaseDate ?? project.Releases.FirstOrDefault(r => r.Upstream == upstream.Name)?.ReleaseDate;
            if (upstreamRelease is not { } released)
            {
                continue;
            }

            foreach (var modification in config.Modifications.Where(m => (m.Upstream is null || m.Upstream == upstream.Name) && m.Date < released))
            {
                var (where, line, column) = project.Source.Locate(modification.JsonPath + ".date");
                diagnostics.Add(DiagnosticCatalog.ModificationBeforeUpstreamRelease,
                    $"The modification \"{modification.Description}\" of \"{upstream.Name}\" is dated {Day(modification.Date)}, before \"{upstream.Name}\" was released on {Day(released)} ({(upstream.ReleaseDate is null ? "its release manifest's \"releaseDate\"" : "its \"releaseDate\"")}). {DiagnosticCatalog.ModificationBeforeUpstreamRelease.Help}",
                    where, line, column);
            }
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>2.2(a)(iii): an Extracted Model's notice says from which model's Output, and how, it was made.</summary>
    private static void ExtractedModels(ModelProject project, DiagnosticBag diagnostics)
    {
        // A stamped dataset made from an MG-BY-SA-2.0 model's Output, with no extracted upstream naming that
        // model: the undisclosed distillation the Extracted Models clause exists for.
        foreach (var stamp in project.DatasetStamps.Where(s => string.Equals(s.GeneratorLicense.Trim(), LicenseText.Id, StringComparison.OrdinalIgnoreCase)))
        {
            // The generator by its name or by its Hub id ("org/teacher-7b"), matched to an upstream's name or url as the
            // model card's base_model is.
            var naming = project.Config.Upstream.Where(u => ModelCardRules.Names(stamp.GeneratorName, u.Name, u.Url)).ToList();
            if (naming.Any(u => u.Relation == UpstreamRelation.Extracted))
            {
                continue;
            }

            var declared = naming.FirstOrDefault();

            var folder = stamp.Path.Contains('/', StringComparison.Ordinal) ? stamp.Path[..stamp.Path.LastIndexOf('/')] + "/" : "the project root";
            diagnostics.Add(DiagnosticCatalog.UndisclosedExtraction,
                $"The dataset in {folder} holds Output of \"{stamp.GeneratorName}\"{(stamp.GeneratorLicensor is null ? "" : $" by {stamp.GeneratorLicensor}")}, provided under {LicenseText.Id}, and {(declared is null ? "no upstream names that model" : "its upstream entry says \"relation\": \"derivative\"")}. {DiagnosticCatalog.UndisclosedExtraction.Help}",
                stamp.Path);
        }

        foreach (var upstream in project.Config.Upstream.Where(u => u.Relation == UpstreamRelation.Extracted && u.Method is null))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath);
            diagnostics.Add(DiagnosticCatalog.ExtractedWithoutMethod,
                $"Upstream \"{upstream.Name}\" is extracted and has no \"method\"; NOTICE states that this model was created from its Output without saying how. {DiagnosticCatalog.ExtractedWithoutMethod.Help}",
                where, line, column);
        }
    }

    /// <summary>2.2(a)(iv): existing copyright and attribution notices are kept.</summary>
    private static void RetainedNotices(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        if (config.Copyright.Count == 0)
        {
            var (where, line, column) = project.Source.Locate("$.copyright");
            diagnostics.Add(DiagnosticCatalog.NoCopyright, $"\"copyright\" is empty. {DiagnosticCatalog.NoCopyright.Help}", where, line, column);
        }

        // The notice files of a release the upstream names are kept without being listed: an upstream whose release gives
        // some declares its notices that way (pack reads the release; verify reads the manifest's "releaseNotices").
        foreach (var upstream in config.Upstream.Where(u => u.Notices.Count == 0 && u.ReleaseNotices.Count == 0
            && !project.Releases.Any(r => r.Upstream == u.Name && r.Notices.Count > 0)))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath);
            diagnostics.Add(DiagnosticCatalog.UpstreamWithoutNotices,
                $"Upstream \"{upstream.Name}\" lists no \"notices\". {DiagnosticCatalog.UpstreamWithoutNotices.Help}", where, line, column);
        }
    }

    internal static string Kind(ModelGoConfig config) =>
        config.IsDerivative && config.IsExtracted ? "Derivative Materials and an Extracted Model"
        : config.IsDerivative ? "Derivative Materials"
        : "an Extracted Model";
}
