using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;

namespace ModelGoPack.Evaluation;

/// <summary>
/// What the model card and the publicity texts say, against the license: the front matter's license
/// (share-alike, 2.2(a)(vi)), its base_model (lineage, 2.2(a)(ii)/(iii)), and the licensor's name in the
/// title, description or tags (Section 2.3).
/// </summary>
internal static class ModelCardRules
{
    public static void Evaluate(ModelProject project, DiagnosticBag diagnostics)
    {
        if (project.ModelCard is { } card)
        {
            License(project, card, diagnostics);
            BaseModels(project, card, diagnostics);
            BaseModelRelation(project, card, diagnostics);
        }

        PublicityRules.Evaluate(project, diagnostics);
    }

    private static void License(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        var licenses = card.Strings("license");
        var license = licenses.FirstOrDefault(l => !string.Equals(l, "other", StringComparison.OrdinalIgnoreCase)) ?? (licenses.Count > 0 ? licenses[0] : null);
        var name = card.Values.GetValueOrDefault("license_name");
        string? found = null;
        if (license is not null && !string.Equals(license, "other", StringComparison.OrdinalIgnoreCase))
        {
            found = $"license: {license}";
        }
        else if (name is not null && !string.Equals(name, LicenseText.Id, StringComparison.OrdinalIgnoreCase))
        {
            found = $"license_name: {name}";
        }

        var detail = "";
        if (found is null && LicenseLink(project, card, diagnostics) is { } linked)
        {
            (found, detail) = ($"license_link: {card.Values["license_link"]}", $" ({linked})");
        }

        if (found is null)
        {
            return;
        }

        var kind = project.Config.IsDerivative || project.Config.IsExtracted
            ? " A derivative or Extracted Model must be licensed under MG-BY-SA-2.0 (clause 2.2(a)(vi))."
            : "";
        var key = found[..found.IndexOf(':', StringComparison.Ordinal)];
        diagnostics.Add(DiagnosticCatalog.ModelCardLicense,
            $"README.md's front matter says '{found}'{detail}.{kind} {DiagnosticCatalog.ModelCardLicense.Help}", ModelCard.FileName, card.Lines.GetValueOrDefault(key), 1);
    }

    /// <summary>
    /// The card's license_link, a license statement as "license:" is: the file it names in the release, read and
    /// identified, or the address of a well-known license. Returns what it says when that is another license than
    /// MG-BY-SA-2.0 (to be reported as MGP6003); reports a link to a file the release does not hold (MGP6007). A link to
    /// an address that is not a well-known license's (the ModelGo license's site, for one) is not judged.
    /// </summary>
    private static string? LicenseLink(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        if (card.Values.GetValueOrDefault("license_link") is not { Length: > 0 } link)
        {
            return null;
        }

        if (LicenseFileRules.LinkedLicense(link) is { } named)
        {
            return $"the address of the {named} license";
        }

        if (LicenseFileRules.LinkedPath(card, project.Config) is not { } target)
        {
            return null;
        }

        var path = target.Path;
        var linked = project.LicenseFiles.Concat(project.OtherLicenseFiles).FirstOrDefault(l => l.File.RelativePath == path);
        if (linked.File is null)
        {
            // The root LICENSE is the bundle's generated canonical copy whatever the project holds. A file of a Hub repo
            // that may not be this release's, and that the release does not hold, is an address elsewhere.
            if (target.Own && path != ProjectLoader.LicenseFileName)
            {
                diagnostics.Add(DiagnosticCatalog.LicenseLinkMissing,
                    $"README.md's front matter says 'license_link: {link}', but the release holds no file '{path}'. {DiagnosticCatalog.LicenseLinkMissing.Help}",
                    ModelCard.FileName, card.Lines.GetValueOrDefault("license_link"), 1);
            }

            return null;
        }

        return linked.Identification.Kind switch
        {
            LicenseMatchKind.Other => $"{path} is the {linked.Identification.Name} license",
            LicenseMatchKind.Unknown => $"{path} is not the {LicenseText.Id} text",
            _ => null,
        };
    }

    private static void BaseModels(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        foreach (var baseModel in card.Strings("base_model"))
        {
            if (!project.Config.Upstream.Any(u => Names(baseModel, u.Name, u.Url)))
            {
                diagnostics.Add(DiagnosticCatalog.BaseModelUndeclared,
                    $"README.md's base_model '{baseModel}' matches no upstream in {project.Source.FileName} (by name or url). {DiagnosticCatalog.BaseModelUndeclared.Help}",
                    ModelCard.FileName, card.Lines.GetValueOrDefault("base_model"), 1);
            }
        }
    }

    /// <summary>
    /// The card's base_model_relation against the Hub's values and the release (MGP2012): a value the Hub does not
    /// define, quantized of full-precision weights, and a teacher (an extracted upstream) given as a base model.
    /// </summary>
    private static void BaseModelRelation(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        var relation = card.Values.GetValueOrDefault("base_model_relation");
        var line = card.Lines.GetValueOrDefault("base_model_relation");
        if (relation is not null && !ModelCard.BaseModelRelations.ContainsKey(relation))
        {
            diagnostics.Add(DiagnosticCatalog.BaseModelRelationMismatch,
                $"README.md's base_model_relation '{relation}' is none the Hub defines (adapter, finetune, merge, quantized), so the Hub ignores it. {DiagnosticCatalog.BaseModelRelationMismatch.Help}",
                ModelCard.FileName, line, 1);
        }

        var weights = project.Artifacts.Where(a => a.Role == ArtifactRole.Weights && a.Weights is not null).ToList();
        if (relation == "quantized" && weights.Count > 0 && weights.All(w => w.Weights!.Precision == WeightPrecision.Full))
        {
            diagnostics.Add(DiagnosticCatalog.BaseModelRelationMismatch,
                $"README.md's base_model_relation is 'quantized', but every weight file of the release is full precision ({string.Join(", ", weights.Select(w => w.Path))}). {DiagnosticCatalog.BaseModelRelationMismatch.Help}",
                ModelCard.FileName, line, 1);
        }

        foreach (var teacher in card.Strings("base_model").Where(b => project.Config.Upstream.Any(u => u.Relation == Config.UpstreamRelation.Extracted && Names(b, u.Name, u.Url))))
        {
            diagnostics.Add(DiagnosticCatalog.BaseModelRelationMismatch,
                $"README.md's base_model '{teacher}' is an upstream this model was extracted from (a teacher), which the Hub reads as the base model it was {(relation is null ? "fine-tuned from" : $"made from by '{relation}'")}. {DiagnosticCatalog.BaseModelRelationMismatch.Help}",
                ModelCard.FileName, card.Lines.GetValueOrDefault("base_model"), 1);
        }
    }

    // "org/base-tiny" names upstream "Base-Tiny", and so does a url ending in "/org/base-tiny" or "/base-tiny".
    internal static bool Names(string reference, string name, string? url)
    {
        var repo = reference.Trim().TrimEnd('/');
        var last = repo[(repo.LastIndexOf('/') + 1)..];
        return string.Equals(repo, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(last, name, StringComparison.OrdinalIgnoreCase)
            || (url is not null && url.TrimEnd('/').EndsWith("/" + repo, StringComparison.OrdinalIgnoreCase));
    }
}
