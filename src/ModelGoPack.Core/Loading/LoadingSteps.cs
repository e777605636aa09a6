using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Licensing;
using ModelGoPack.Rendering;
using ModelGoPack.Inspection;

namespace ModelGoPack.Loading;

/// <summary>
/// One load under way: the facts gathered so far, and the steps a project folder (<see cref="FolderLoading"/>) and a
/// received bundle (<see cref="BundleLoading"/>) share. The two differ in where a text is read from
/// (<see cref="ReadText"/>, <see cref="ReadNotice"/>): a folder reads from disk and reports what it cannot read; a
/// bundle serves what verify kept while it hashed, and reads again from the archive what it did not keep.
/// </summary>
internal abstract class LoadingSteps(string root, ConfigSource source, DiagnosticBag diagnostics)
{
    protected string Root { get; } = root;

    protected ConfigSource Source { get; } = source;

    protected ModelGoConfig Config => this.Source.Config;

    protected DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>The files that go into the bundle (or that a received bundle holds), sorted by path.</summary>
    protected IReadOnlyList<ProjectFile> Files { get; set; } = [];

    /// <summary>Every file's role and header facts.</summary>
    protected IReadOnlyList<Artifact> Artifacts { get; set; } = [];

    protected List<(ProjectFile File, LicenseIdentification Identification)> LicenseCopies { get; } = [];

    protected List<(ProjectFile File, LicenseIdentification Identification)> OtherLicenses { get; } = [];

    /// <summary>Notice texts kept verbatim: a project's own NOTICE first, then each upstream's, in config order.</summary>
    protected List<NoticeText> Notices { get; } = [];

    protected string? CardText { get; private set; }

    protected ModelCard? Card { get; private set; }

    /// <summary>The bytes of a license file or the model card, or null when it cannot be read.</summary>
    protected abstract byte[]? ReadText(ProjectFile file);

    /// <summary>The bytes of the notice file <paramref name="upstream"/> lists at <paramref name="index"/>, or null (reported) when it cannot be used.</summary>
    protected abstract byte[]? ReadNotice(UpstreamDeclaration upstream, int index);

    /// <summary>Reads again, whole, the texts about to be read that were not kept (a bundle's); a folder's files are on disk.</summary>
    protected virtual void Fetch(IEnumerable<string> paths)
    {
    }

    /// <summary>Step: a root license copy, identified against the MG-BY-SA-2.0 text.</summary>
    protected void IdentifyLicenseCopy(ProjectFile file, byte[] bytes) => this.LicenseCopies.Add((file, LicenseIdentifier.Identify(bytes)));

    /// <summary>Step: the model card, README.md at the root, read and parsed (front matter that is not valid YAML is MGP8024).</summary>
    protected void ReadModelCard(ProjectFile? readme)
    {
        this.CardText = readme is not null && this.ReadText(readme) is { } bytes ? TextDecoder.Decode(bytes) : null;
        this.Card = ParseModelCard(this.CardText, this.Diagnostics);
    }

    /// <summary>
    /// Step: every other license file, at any depth, and the one the card's license_link names: only these are read, and
    /// only they are kept by path (a release of a million files makes no map of them all). A file too large for a license
    /// text is one ModelGoPack cannot read: unrecognised, in a project as in a bundle.
    /// </summary>
    protected void ReadOtherLicenses(IEnumerable<ProjectFile> files)
    {
        var link = LicenseFiles.LinkedPath(this.Card, this.Config)?.Path;
        var byPath = files.Where(f => f.RelativePath == link || LicenseFiles.IsLicenseName(f.RelativePath)).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var paths = LicenseFiles.OtherLicenseFiles(byPath.Keys, link);
        this.Fetch(paths);
        foreach (var path in paths)
        {
            if (byPath[path].Length > ProjectLoader.MaxTextFileBytes)
            {
                this.OtherLicenses.Add((byPath[path], LicenseFiles.TooLarge));
            }
            else if (this.ReadText(byPath[path]) is { } bytes)
            {
                this.OtherLicenses.Add((byPath[path], LicenseFiles.Identify(bytes)));
            }
        }
    }

    /// <summary>
    /// Step: each upstream's notice files, kept verbatim (2.2(a)(iv)). With <paramref name="keepOnce"/>, a notice file
    /// listed twice (by this upstream, or by two upstreams that share it, as two models of one licensor may) is kept once,
    /// under the first that lists it: the clause asks to keep each notice, not to repeat it, and refusing the second
    /// listing would make the user misstate which upstreams a notice belongs to. A received bundle's are judged as it
    /// declares them, each listing on its own.
    /// </summary>
    protected void ReadUpstreamNotices(bool keepOnce)
    {
        foreach (var upstream in this.Config.Upstream)
        {
            for (var i = 0; i < upstream.Notices.Count; i++)
            {
                var path = upstream.Notices[i];
                if (keepOnce && this.Notices.Any(n => n.Path == path))
                {
                    continue;
                }

                if (this.ReadNotice(upstream, i) is { } bytes)
                {
                    this.Notices.Add(new NoticeText(path, TextDecoder.DecodeLines(bytes), upstream.Name));
                }
            }
        }
    }

    /// <summary>What was gathered, as the rules read it.</summary>
    protected ModelProject Gathered() => new()
    {
        Root = this.Root,
        Source = this.Source,
        Files = this.Files,
        Artifacts = this.Artifacts,
        LicenseFiles = this.LicenseCopies,
        OtherLicenseFiles = this.OtherLicenses,
        ModelCard = this.Card,
        ModelCardText = this.CardText,
        Notices = this.Notices,
    };

    /// <summary>File names holding a bidirectional control: MGP8029 each.</summary>
    protected static void ReportBidiNames(IEnumerable<string> paths, DiagnosticBag diagnostics)
    {
        foreach (var path in paths.Where(p => ProjectPath.IndexOfBidiControl(p) >= 0))
        {
            var shown = ProjectPath.ShowBidi(path);
            diagnostics.Add(Messages.FileNameHoldsBidiControl.With(shown), shown);
        }
    }

    /// <summary>Notice texts holding a bidirectional control: MGP8029 each, at its line and column.</summary>
    protected static void ReportBidiNotices(IEnumerable<NoticeText> notices, DiagnosticBag diagnostics)
    {
        foreach (var notice in notices.Where(n => ProjectPath.IndexOfBidiControl(n.Text) >= 0))
        {
            var index = ProjectPath.IndexOfBidiControl(notice.Text);
            var (line, column) = ProjectPath.LineAndColumn(notice.Text, index);
            diagnostics.Add(Messages.NoticeHoldsBidiControl.With(notice.Path, (int)notice.Text[index]), notice.Path, line, column);
        }
    }

    /// <summary>The model card README.md's text parsed, or null; front matter that is not valid YAML is MGP8024.</summary>
    private static ModelCard? ParseModelCard(string? text, DiagnosticBag diagnostics)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return ModelCard.Parse(text);
        }
        catch (ArtifactFormatException e)
        {
            var (message, line) = FrontMatterProblem(e.Message);
            diagnostics.Add(Messages.ModelCardFrontMatterInvalid.With(message), ModelCard.FileName, line, line > 0 ? 1 : 0);
            return null;
        }
    }

    /// <summary>
    /// What the card's reader says of its front matter ("the front matter is not valid YAML (line 4): ..."), as said
    /// of README.md ("front matter is not valid YAML: ..."), and the line of README.md it names (the YAML parser's,
    /// counted in the file; 1 for a front matter never closed), or 0.
    /// </summary>
    private static (string Message, int Line) FrontMatterProblem(string problem)
    {
        const string Subject = "the front matter ";
        var message = problem.StartsWith(Subject, StringComparison.Ordinal) ? problem[4..] : $"front matter is not readable: {problem}";
        const string LineMark = " (line ";
        var at = message.IndexOf(LineMark, StringComparison.Ordinal);
        var end = at < 0 ? -1 : message.IndexOf(')', at);
        if (at >= 0 && end > at && int.TryParse(message.AsSpan(at + LineMark.Length, end - at - LineMark.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line))
        {
            return (message.Remove(at, end + 1 - at), line);
        }

        return (message, message.Contains("opened by '---' on line 1", StringComparison.Ordinal) ? 1 : 0);
    }
}
