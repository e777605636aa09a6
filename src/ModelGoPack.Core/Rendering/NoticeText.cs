namespace ModelGoPack.Rendering;

/// <summary>A notice file's text to keep verbatim: the project's own NOTICE or an upstream's notice file.</summary>
/// <param name="Path">The notice file's project-relative path.</param>
/// <param name="Text">Its text, exactly as read (decoded, line endings as in the file).</param>
/// <param name="Upstream">The upstream it belongs to; null for the project's own notice.</param>
public sealed record NoticeText(string Path, string Text, string? Upstream);
