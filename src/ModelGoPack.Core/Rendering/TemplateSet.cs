using System.Text;
using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hosting;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;
using ModelGoPack.Rules;

namespace ModelGoPack.Rendering;

/// <summary>
/// The Scriban templates that render the bundle's generated files: the embedded defaults (the repo's
/// <c>templates/</c> folder), each overridable by a file of the same name in a templates directory.
/// Rendering is sandboxed: strict variables, loop and recursion limits, and <c>include</c> only of
/// templates in the set.
/// </summary>
internal sealed partial class TemplateSet
{
    /// <summary>The templates ModelGoPack renders, and the bundle file each one writes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Outputs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NOTICE.scriban"] = "NOTICE",
    };

    /// <summary>The template of the generated section in the bundle's README.md (the model card).</summary>
    public const string ModelCardSection = "MODELCARD.scriban";

    private const string ResourcePrefix = "ModelGoPack.Templates.";
    private const int MaxTemplateBytes = 1024 * 1024;

    private readonly string? overrideDirectory;

    private TemplateSet(string? overrideDirectory) => this.overrideDirectory = overrideDirectory;

    /// <summary>
    /// Opens the set. A missing templates directory is an error; a file there that overrides nothing
    /// (and is not a partial named <c>_*.scriban</c>) is a warning, since it is most likely misnamed.
    /// </summary>
    public static TemplateSet? Open(string? overrideDirectory, DiagnosticBag diagnostics)
    {
        if (overrideDirectory is null)
        {
            return new TemplateSet(null);
        }

        var full = Path.GetFullPath(overrideDirectory);
        if (!Directory.Exists(full))
        {
            diagnostics.Add(Messages.TemplatesFolderMissing.With(overrideDirectory), full);
            return null;
        }

        try
        {
            foreach (var file in Directory.EnumerateFiles(full).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (!Outputs.ContainsKey(name) && name != ModelCardSection && !name.StartsWith('_'))
                {
                    diagnostics.Add(Messages.TemplateOverridesNothing.With(name, string.Join(", ", Outputs.Keys.Append(ModelCardSection))), file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.TemplatesFolderUnlistable.With(overrideDirectory, e.Message), full);
            return null;
        }

        return new TemplateSet(full);
    }

    /// <summary>Where a template comes from, for diagnostics: the override file, or the embedded default.</summary>
    public string Describe(string name) =>
        this.OverridePath(name) is { } path ? path : DisplayPath.BuiltIn($"templates/{name}");

    /// <summary>The template <paramref name="name"/> as NOTICE findings name it: the override file, or the built-in one.</summary>
    public NoticeTemplate NoticeTemplate(string name) =>
        this.OverridePath(name) is { } path ? new(path, BuiltIn: false) : new($"templates/{name}", BuiltIn: true);

    /// <summary>
    /// Renders template <paramref name="name"/> over <paramref name="model"/>; null with a diagnostic on any error.
    /// Null with <paramref name="stopped"/> (and no diagnostic: the caller says what made it large) when the
    /// output reached <see cref="GeneratedTextLimit.RenderCharacters"/>: a text is rendered whole or not at all.
    /// </summary>
    public string? Render(string name, ScriptObject model, DiagnosticBag diagnostics, out bool stopped)
    {
        stopped = false;
        string? source;
        try
        {
            source = this.Load(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.TemplateUnreadable.With(name, e.Message), this.Describe(name));
            return null;
        }

        if (source is null)
        {
            diagnostics.Add(Messages.TemplateNotFound.With(name), this.Describe(name));
            return null;
        }

        var template = Template.Parse(source, this.Describe(name));
        if (template.HasErrors)
        {
            foreach (var message in template.Messages.Where(m => m.Type == ParserMessageType.Error))
            {
                diagnostics.Add(Messages.TemplateDoesNotParse.With(name, message.Message), this.Describe(name), message.Span.Start.Line + 1, message.Span.Start.Column + 1);
            }

            return null;
        }

        var context = new TemplateContext(new LazyBuiltins())
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            EnableRelaxedTargetAccess = false,
            EnableRelaxedFunctionAccess = false,
            EnableRelaxedIndexerAccess = false,
            LoopLimit = 100_000,
            RecursiveLimit = 64,
            // A value and the whole output are rendered whole or not at all: Scriban's default is to cut them
            // short with an ellipsis, and a cut notice is not kept verbatim.
            LimitToString = GeneratedTextLimit.RenderCharacters,
            OnStringLimit = ScriptLimitBehavior.Throw,
            OutputLimit = GeneratedTextLimit.RenderCharacters,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            TemplateLoader = new Loader(this),
            MemberRenamer = member => member.Name,
            NewLine = "\n",
        };
        context.PushGlobal(model);
        try
        {
            // Notice texts arrive with LF line ends; only a template's own CRLF or CR is converted, so that a
            // form feed or U+2028 in a notice stays as written.
            return template.Render(context).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }
        catch (ScriptRuntimeException e) when (ReachedLimit(e))
        {
            stopped = true;
            return null;
        }
        catch (ScriptRuntimeException e)
        {
            // An included template's span names it by its plain file name.
            var file = e.Span.FileName is { Length: > 0 } f ? (SafeName().IsMatch(f) ? this.Describe(f) : f) : this.Describe(name);
            diagnostics.Add(Messages.TemplateFailed.With(name, e.OriginalMessage), file, e.Span.Start.Line + 1, e.Span.Start.Column + 1);
            return null;
        }
    }

    // Scriban 7.5 says so in its message only: "Rendered output exceeds OutputLimit", "String conversion
    // reaches LimitToString", "... exceeds LimitToString" (a test renders past both, so a change is caught).
    private static bool ReachedLimit(ScriptRuntimeException e) =>
        e.OriginalMessage.Contains("OutputLimit", StringComparison.Ordinal) || e.OriginalMessage.Contains("LimitToString", StringComparison.Ordinal);

    private string? OverridePath(string name)
    {
        if (this.overrideDirectory is null)
        {
            return null;
        }

        var path = Path.Combine(this.overrideDirectory, name);
        return File.Exists(path) ? path : null;
    }

    private string? Load(string name)
    {
        if (!SafeName().IsMatch(name))
        {
            return null;
        }

        if (this.OverridePath(name) is { } path)
        {
            var info = new FileInfo(path);
            if (info.Length > MaxTemplateBytes || info.LinkTarget is not null)
            {
                return null;
            }

            return File.ReadAllText(path, Encoding.UTF8);
        }

        using var stream = typeof(TemplateSet).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // A template name is a plain file name: no folder, no '..'.
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.scriban$")]
    private static partial Regex SafeName();

    private sealed class Loader(TemplateSet set) : ITemplateLoader
    {
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
        {
            var name = templateName.EndsWith(".scriban", StringComparison.Ordinal) ? templateName : templateName + ".scriban";
            if (!SafeName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
            {
                throw new ScriptRuntimeException(callerSpan, $"include '{templateName}' is not allowed: templates include only other templates of the set, by plain file name.");
            }

            return name;
        }

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath)
        {
            try
            {
                return set.Load(templatePath) ?? throw new ScriptRuntimeException(callerSpan, $"include '{templatePath}': no such template.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ScriptRuntimeException(callerSpan, $"include '{templatePath}': cannot read it: {e.Message}");
            }
        }

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            ValueTask.FromResult<string?>(this.Load(context, callerSpan, templatePath));
    }
}
