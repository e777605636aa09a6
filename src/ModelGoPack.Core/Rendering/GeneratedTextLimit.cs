using System.Globalization;
using System.Text;
using ModelGoPack.Diagnostics;
using ModelGoPack.Loading;

namespace ModelGoPack.Rendering;

/// <summary>
/// The limit on the text files ModelGoPack generates, the bundle's NOTICE and README.md (the model card):
/// at most <see cref="MaxBytes"/> bytes of UTF-8 each, what check and verify read whole, so that verify
/// judges every bundle pack writes (a larger NOTICE would be read by nobody). Never cut short: a text over
/// the limit is MGP8035, naming the limit, the size, and the notice files that make it large, and nothing is
/// written. Templates render at most <see cref="RenderCharacters"/> characters, where Scriban is told to throw
/// rather than truncate; a size past that is given as "more than".
/// </summary>
internal static class GeneratedTextLimit
{
    /// <summary>The largest generated NOTICE or README.md, in bytes of UTF-8: 4 MiB, as for the files check reads.</summary>
    public const int MaxBytes = ProjectLoader.MaxTextFileBytes;

    /// <summary>Where a template's rendering stops (UTF-16 characters): 64 Mi, far past <see cref="MaxBytes"/>.</summary>
    public const int RenderCharacters = 64 * 1024 * 1024;

    // How many of the largest notice files a message names.
    private const int Named = 5;

    /// <summary>Whether <paramref name="text"/> (null: its rendering stopped at <see cref="RenderCharacters"/>) is within the limit.</summary>
    public static bool Fits(string? text) => text is not null && Encoding.UTF8.GetByteCount(text) <= MaxBytes;

    /// <summary>
    /// MGP8035 for a generated <paramref name="file"/> over the limit: <paramref name="text"/> as rendered
    /// (null when the rendering stopped), made by <paramref name="source"/> (the template, and for the model
    /// card the project's README.md). A NOTICE's finding names the notice texts it keeps, largest first, and
    /// points at the largest; else it points at <paramref name="blame"/>.
    /// </summary>
    public static Diagnostic TooLarge(string file, string? text, string source, IReadOnlyList<NoticeText> notices, string blame)
    {
        var size = text is null
            ? string.Create(CultureInfo.InvariantCulture, $"more than {RenderCharacters:N0} characters (its rendering stopped there)")
            : string.Create(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetByteCount(text):N0} bytes");
        var largest = notices.Select(n => (Notice: n, Bytes: (long)Encoding.UTF8.GetByteCount(n.Text)))
            .OrderByDescending(n => n.Bytes).ThenBy(n => n.Notice.Path, StringComparer.Ordinal).ToList();
        var cause = file != ProjectLoader.NoticeFileName ? ""
            : largest.Count == 0 ? " It keeps no notice file."
            : " " + string.Create(CultureInfo.InvariantCulture,
                $"The {largest.Count} notice file{(largest.Count == 1 ? "" : "s")} it keeps verbatim total {largest.Sum(n => n.Bytes):N0} bytes; the largest: {string.Join(", ", largest.Take(Named).Select(n => $"'{n.Notice.Path}'{(n.Notice.Upstream is null ? "" : $" (from \"{n.Notice.Upstream}\")")}, {n.Bytes:N0} bytes"))}{(largest.Count > Named ? $", and {largest.Count - Named} more" : "")}.");
        return Messages.GeneratedTextTooLarge.With(file, source, size, MaxBytes, cause)
            .At(largest.Count > 0 && file == ProjectLoader.NoticeFileName ? largest[0].Notice.Path : blame);
    }
}
