namespace ModelGoPack.Diagnostics;

/// <summary>What rendering the bundle's NOTICE and README.md reports: the templates (Rendering/TemplateSet) and the size of what they make (GeneratedTextLimit).</summary>
public static partial class Messages
{
    // A templates folder given with --templates, and its templates (MGP8013, MGP8014, MGP8007, MGP8009).
    public static readonly DiagnosticMessage TemplatesFolderMissing = M(DiagnosticCatalog.TemplatesDirectoryMissing, "Templates directory '{0}' does not exist.");
    public static readonly DiagnosticMessage TemplatesFolderUnlistable = M(DiagnosticCatalog.FileUnreadable, "Cannot list templates directory '{0}': {1}");
    public static readonly DiagnosticMessage TemplateOverridesNothing = M(DiagnosticCatalog.TemplateUnknown, "'{0}' overrides no template (known: {1}; partials for include start with '_').");
    public static readonly DiagnosticMessage TemplateUnreadable = M(DiagnosticCatalog.FileUnreadable, "Cannot read template '{0}': {1}");
    public static readonly DiagnosticMessage TemplateNotFound = M(DiagnosticCatalog.TemplateError, "Template '{0}' not found.");
    public static readonly DiagnosticMessage TemplateDoesNotParse = M(DiagnosticCatalog.TemplateError, "Template '{0}' does not parse: {1}");
    public static readonly DiagnosticMessage TemplateFailed = M(DiagnosticCatalog.TemplateError, "Template '{0}' failed: {1}");

    /// <summary>
    /// MGP8035: {0} the file (NOTICE, README.md), {1} what made it, {2} its size ("5,000,000 bytes", or "more than …
    /// characters (its rendering stopped there)"), {3} the limit in bytes, {4} for a NOTICE, what it keeps (" It keeps no
    /// notice file.", or its largest notice files), else nothing.
    /// </summary>
    public static readonly DiagnosticMessage GeneratedTextTooLarge = M(DiagnosticCatalog.GeneratedTextTooLarge, "The bundle's {0}, from {1}, would be {2}: over the limit of {3:N0} bytes (4 MiB) for a generated NOTICE or README.md, the most check and verify read whole. Nothing was written.{4} {help}");
}
