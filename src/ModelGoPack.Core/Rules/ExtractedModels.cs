using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;
using ModelGoPack.Loading;

namespace ModelGoPack.Rules;

/// <summary>
/// Clause 2.2(a)(iii): an Extracted Model carries "a prominent notice stating that it was created using Output of a
/// model under this License". A stamped dataset of an MG-BY-SA-2.0 model's Output is declared as an extracted upstream
/// (MGP3003); an extracted upstream says how its Output was used (MGP3001); a "derivative" made by distillation or
/// synthetic data is an Extracted Model by the license's definitions (MGP3002); NOTICE holds the Extracted Model
/// statement (MGP3004).
/// </summary>
internal static class ExtractedModels
{
    // A method that transfers patterns from Output, in the words of the license's definitions: "distillation methods or
    // synthetic data generation" ("distillation", "knowledge-distillation", "self-distilled", "synthetic-data", ...).
    private static readonly string[] ExtractionMethods = ["distil", "synthetic"];

    /// <summary>What the declaration says of Output: stamped datasets declared, and each extracted upstream's method.</summary>
    public static void Declared(ModelProject project, DiagnosticBag diagnostics)
    {
        // A stamped dataset made from an MG-BY-SA-2.0 model's Output, with no extracted upstream naming that
        // model: the undisclosed distillation the Extracted Models clause exists for.
        foreach (var stamp in project.DatasetStamps.Where(s => string.Equals(s.GeneratorLicense.Trim(), LicenseText.Id, StringComparison.OrdinalIgnoreCase)))
        {
            // The generator by its name or by its Hub id ("org/teacher-7b"), matched to an upstream's name or url as the
            // model card's base_model is.
            var naming = project.Config.Upstream.Where(u => ModelCard.Names(stamp.GeneratorName, u.Name, u.Url)).ToList();
            if (naming.Any(u => u.Relation == UpstreamRelation.Extracted))
            {
                continue;
            }

            var declared = naming.FirstOrDefault();

            var folder = stamp.Path.Contains('/', StringComparison.Ordinal) ? stamp.Path[..stamp.Path.LastIndexOf('/')] + "/" : "the project root";
            diagnostics.Add(Messages.UndisclosedExtraction.With(folder, stamp.GeneratorName, stamp.GeneratorLicensor is null ? "" : $" by {stamp.GeneratorLicensor}", LicenseText.Id,
                declared is null ? "no upstream names that model" : "its upstream entry says \"relation\": \"derivative\""), stamp.Path);
        }

        foreach (var upstream in project.Config.Upstream.Where(u => u.Relation == UpstreamRelation.Extracted && u.Method is null))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath);
            diagnostics.Add(Messages.ExtractedWithoutMethod.With(upstream.Name), where, line, column);
        }
    }

    /// <summary>A derivative upstream whose method is distillation or synthetic data: an Extracted Model (MGP3002).</summary>
    public static void DerivativeMadeFromOutput(ModelProject project, UpstreamDeclaration upstream, DiagnosticBag diagnostics)
    {
        if (upstream.Method is { } method && ExtractionMethods.Any(m => method.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath + ".relation");
            diagnostics.Add(Messages.DerivativeMadeFromOutput.With(upstream.Name, method), where, line, column);
        }
    }

    /// <summary>NOTICE lacks the Extracted Model statement an extracted upstream's declaration makes (MGP3004).</summary>
    public static void NoticeLacksStatement(NoticeRead notice, UpstreamDeclaration upstream, string statement, DiagnosticBag diagnostics) =>
        diagnostics.Add(Messages.NoticeLacksExtraction.With(notice.Describe, upstream.Name, NoticeRead.Shown(statement), notice.Fault), ProjectLoader.NoticeFileName);
}
