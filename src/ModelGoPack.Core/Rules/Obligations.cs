using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;
using ModelGoPack.Rendering;

namespace ModelGoPack.Rules;

/// <summary>
/// Evaluate: the license's obligations as rules over a project's facts. Only this folder knows what MG-BY-SA-2.0
/// requires, one file per obligation, named by the license's own word:
/// <list type="table">
/// <item><term>2.2(a)(i), Section 6</term><description><see cref="LicenseCopy"/>: a copy of the license, its text unchanged.</description></item>
/// <item><term>2.2(a)(ii)</term><description><see cref="DerivativeMaterials"/>: a notice that the model was modified, and when.</description></item>
/// <item><term>2.2(a)(iii)</term><description><see cref="ExtractedModels"/>: a notice that it was created from Output.</description></item>
/// <item><term>2.2(a)(iv)</term><description><see cref="RetainedNotices"/>: every existing notice kept.</description></item>
/// <item><term>2.2(a)(v)</term><description><see cref="PreferredAdaptableForm"/>: the model in the form preferred for adapting it.</description></item>
/// <item><term>2.2(a)(vi)</term><description><see cref="ShareAlike"/>: derivatives and Extracted Models under MG-BY-SA-2.0.</description></item>
/// <item><term>2.3</term><description><see cref="LicensorNames"/>: the licensor's name not used for publicity.</description></item>
/// </list>
/// Every rule reports under a code of <see cref="DiagnosticCatalog"/>, whose range is its clause; what a finding says
/// is a format of <see cref="Messages"/>. Waivers (<see cref="Waivers"/>) apply after every rule has run.
/// </summary>
internal static class Obligations
{
    public static void Evaluate(ModelProject project, DiagnosticBag diagnostics, CancellationToken cancellationToken = default)
    {
        DerivativeMaterials.Lineage(project, diagnostics, cancellationToken);
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
        LicenseCopy.RootCopies(project, diagnostics);
        LicenseCopy.OtherLicenseFiles(project, diagnostics);
        if (declared)
        {
            ShareAlike.Declared(project, diagnostics);
            UpstreamNames(project.Source, diagnostics);
            DerivativeMaterials.Declared(project, diagnostics);
            DerivativeMaterials.ModificationDates(project, diagnostics);
            ExtractedModels.Declared(project, diagnostics);
            RetainedNotices.Declared(project, diagnostics);
        }

        PreferredAdaptableForm.Evaluate(project.Artifacts, diagnostics);
        if (project.ModelCard is { } card)
        {
            ShareAlike.ModelCardLicense(project, card, diagnostics);
            DerivativeMaterials.BaseModels(project, card, diagnostics);
            DerivativeMaterials.BaseModelRelation(project, card, diagnostics);
        }

        LicensorNames.Evaluate(project, diagnostics);
    }

    /// <summary>
    /// What a NOTICE must say, judged on its text, whoever wrote it: the bundle's NOTICE as a template rendered it
    /// (pack), or as a received bundle holds it (verify). Every existing notice verbatim (2.2(a)(iv)); then, derivative
    /// upstreams first and extracted ones after, each in config order, the statement that a derivative upstream was
    /// modified, with every modification's date (2.2(a)(ii)), or that the model was created from an extracted
    /// upstream's Output (2.2(a)(iii)), each as the unit <see cref="NoticeStatement"/> makes from the declaration.
    /// </summary>
    /// <param name="notice">The NOTICE's text.</param>
    /// <param name="template">The template that rendered it; null for a NOTICE read from a bundle.</param>
    /// <param name="config">What the bundle declares: its upstreams and modifications.</param>
    /// <param name="notices">The notice texts it must keep verbatim (a file listed twice counts once).</param>
    /// <param name="diagnostics">Where findings go.</param>
    public static void EvaluateNotice(string notice, NoticeTemplate? template, ModelGoConfig config, IReadOnlyList<NoticeText> notices, DiagnosticBag diagnostics)
    {
        var read = new NoticeRead(notice, template);
        RetainedNotices.InNotice(read, notices, diagnostics);
        foreach (var upstream in config.Upstream.OrderBy(u => u.Relation == UpstreamRelation.Derivative ? 0 : 1))
        {
            var statement = NoticeStatement.For(config, upstream);
            if (read.Holds(statement))
            {
                continue;
            }

            if (upstream.Relation == UpstreamRelation.Derivative)
            {
                DerivativeMaterials.NoticeLacksStatement(read, upstream, statement, diagnostics);
            }
            else
            {
                ExtractedModels.NoticeLacksStatement(read, upstream, statement, diagnostics);
            }
        }
    }

    /// <summary>
    /// Modifications, notices, releases and waivers name an upstream: a name used twice is MGP8011, at its last use. An
    /// input check of the declaration, made when a declaration is evaluated (a project's config, a received bundle's
    /// manifest or modelgo.json), not when one is read: a config or manifest that repeats a name is still read, so that
    /// an upstream's release that does is still compared, and a bundle that does is still verified file by file.
    /// </summary>
    private static void UpstreamNames(ConfigSource source, DiagnosticBag diagnostics)
    {
        foreach (var duplicate in source.Config.Upstream.GroupBy(u => u.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var (where, line, column) = source.Locate(duplicate.Last().JsonPath + ".name");
            diagnostics.Add(Messages.UpstreamNameRepeated.With(duplicate.Key, duplicate.Count()), where, line, column);
        }
    }
}

/// <summary>The template that rendered a NOTICE: its name as a message shows it, and whether it is the built-in one.</summary>
internal sealed record NoticeTemplate(string Name, bool BuiltIn);

/// <summary>
/// A NOTICE as the notice rules read it: its text with white space normalised, and how a finding names it, as the one
/// who must act on it knows it: the bundle's, or the one a template rendered, built in or the user's own.
/// </summary>
internal sealed class NoticeRead(string notice, NoticeTemplate? template)
{
    // A statement is shown in a finding up to this many characters (one with a thousand modifications is long).
    private const int MaxShown = 600;

    private readonly string normalized = NoticeStatement.Normalize(notice);

    /// <summary>The NOTICE's raw text.</summary>
    public string Text => notice;

    /// <summary>How a finding names the NOTICE.</summary>
    public string Describe { get; } = template switch
    {
        null => ProjectLoader.NoticeFileName,
        { BuiltIn: true } => $"NOTICE, rendered by the built-in template {template.Name},",
        _ => $"NOTICE, rendered by the template '{template.Name}',",
    };

    /// <summary>What a finding adds when the built-in template left something out: a fault of ModelGoPack.</summary>
    public string Fault { get; } = template is { BuiltIn: true }
        ? " The built-in template renders every notice text whole, so this is a fault of ModelGoPack: please report it."
        : "";

    /// <summary>
    /// Whether the NOTICE holds a statement, white space aside: each is a unit made from the declaration
    /// (NoticeStatement), the one the built-in template renders and a custom one places with {{ upstream.statement }}.
    /// </summary>
    public bool Holds(string statement) => this.normalized.Contains(NoticeStatement.Normalize(statement), StringComparison.Ordinal);

    /// <summary>A statement as a finding shows it: normalised, and cut after <see cref="MaxShown"/> characters.</summary>
    public static string Shown(string statement) =>
        NoticeStatement.Normalize(statement.Length <= MaxShown ? statement : statement[..MaxShown] + " [...]");
}
