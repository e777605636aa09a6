using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Inspection;
using ModelGoPack.Loading;

namespace ModelGoPack.Rules;

/// <summary>
/// Clause 2.2(a)(ii): Derivative Materials carry "prominent notices stating that You modified the Licensed Materials
/// and the relevant date of such modification". Declared (this file): each derivative upstream has dated
/// modifications (MGP2001), each modification names a declared derivative and files of the release (MGP2002–2004),
/// and is dated no later than the release and no earlier than the upstream's (MGP2010, MGP2011); the model card's
/// base_model is declared (MGP2005) and its base_model_relation says how (MGP2012); NOTICE holds the statement of
/// modification (MGP2009). Found (DerivativeMaterials.Lineage.cs): the project compared with each derivative
/// upstream's release, every change dated (MGP2006–2008).
/// </summary>
internal static partial class DerivativeMaterials
{
    /// <summary>Each derivative upstream has dated modifications, and each modification is coherent.</summary>
    public static void Declared(ModelProject project, DiagnosticBag diagnostics)
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
                diagnostics.Add(Messages.DerivativeWithoutModification.With(upstream.Name), where, line, column);
            }

            ExtractedModels.DerivativeMadeFromOutput(project, upstream, diagnostics);
        }

        if (config.Modifications.Count > 0 && derivatives.Count == 0)
        {
            var (where, line, column) = project.Source.Locate("$.modifications");
            diagnostics.Add(Messages.ModificationWithoutDerivative.With(config.Modifications.Count), where, line, column);
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
                diagnostics.Add(Messages.ModificationUpstreamUnknown.With(name), where, line, column);
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
                    diagnostics.Add(Messages.ModificationPathUnmatched.With(modification.Paths[i]), where, line, column);
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
    public static void ModificationDates(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        var (release, from) = ReleaseDay.Resolve(config, project.SourceDateEpoch);
        foreach (var modification in config.Modifications.Concat(project.DetectedModifications))
        {
            if (modification.Date > release)
            {
                var (where, line, column) = project.Source.Locate(modification.JsonPath + ".date");
                diagnostics.Add(Messages.ModificationAfterRelease.With(modification.Description, modification.Date, release, from), where, line, column);
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
                diagnostics.Add(Messages.ModificationBeforeUpstreamRelease.With(modification.Description, upstream.Name, modification.Date, released,
                    upstream.ReleaseDate is null ? "its release manifest's \"releaseDate\"" : "its \"releaseDate\""), where, line, column);
            }
        }
    }

    /// <summary>Every base_model of the model card is a declared upstream (MGP2005).</summary>
    public static void BaseModels(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        foreach (var baseModel in card.Strings("base_model"))
        {
            if (!project.Config.Upstream.Any(u => ModelCard.Names(baseModel, u.Name, u.Url)))
            {
                diagnostics.Add(Messages.BaseModelUndeclared.With(baseModel, project.Source.FileName), ModelCard.FileName, card.Lines.GetValueOrDefault("base_model"), 1);
            }
        }
    }

    /// <summary>
    /// The card's base_model_relation against the Hub's values and the release (MGP2012): a value the Hub does not
    /// define, quantized of full-precision weights, and a teacher (an extracted upstream) given as a base model.
    /// </summary>
    public static void BaseModelRelation(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        var relation = card.Values.GetValueOrDefault("base_model_relation");
        var line = card.Lines.GetValueOrDefault("base_model_relation");
        if (relation is not null && !ModelCard.BaseModelRelations.ContainsKey(relation))
        {
            diagnostics.Add(Messages.BaseModelRelationUnknown.With(relation), ModelCard.FileName, line, 1);
        }

        var weights = project.Artifacts.Where(a => a.Role == ArtifactRole.Weights && a.Weights is not null).ToList();
        if (relation == "quantized" && weights.Count > 0 && weights.All(w => w.Weights!.Precision == WeightPrecision.Full))
        {
            diagnostics.Add(Messages.BaseModelRelationQuantizedOfFull.With(string.Join(", ", weights.Select(w => w.Path))), ModelCard.FileName, line, 1);
        }

        foreach (var teacher in card.Strings("base_model").Where(b => project.Config.Upstream.Any(u => u.Relation == UpstreamRelation.Extracted && ModelCard.Names(b, u.Name, u.Url))))
        {
            diagnostics.Add(Messages.BaseModelIsTeacher.With(teacher, relation is null ? "fine-tuned from" : $"made from by '{relation}'"),
                ModelCard.FileName, card.Lines.GetValueOrDefault("base_model"), 1);
        }
    }

    /// <summary>NOTICE lacks the statement of modification a derivative upstream's declaration makes (MGP2009).</summary>
    public static void NoticeLacksStatement(NoticeRead notice, UpstreamDeclaration upstream, string statement, DiagnosticBag diagnostics) =>
        diagnostics.Add(Messages.NoticeLacksModification.With(notice.Describe, upstream.Name, NoticeRead.Shown(statement), notice.Fault), ProjectLoader.NoticeFileName);
}
