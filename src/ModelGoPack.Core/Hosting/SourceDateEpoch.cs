using System.Globalization;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Hosting;

/// <summary>
/// SOURCE_DATE_EPOCH (reproducible-builds.org): the instant, in seconds since 1970-01-01 UTC, a build is dated by.
/// Each front door receives it its own way, and reads it here: the command line from the environment variable
/// (<see cref="FromEnvironment"/>: set but empty is unset), the MSBuild task from the property
/// <c>$(SOURCE_DATE_EPOCH)</c> (<see cref="FromProperty"/>: blank is unset). A value given is digits only, or MGP8017.
/// </summary>
public static class SourceDateEpoch
{
    /// <summary>The environment variable, and the MSBuild property the targets pass on.</summary>
    public const string Name = "SOURCE_DATE_EPOCH";

    /// <summary>The variable's value in <paramref name="environment"/>, or null when it is unset or empty.</summary>
    public static string? FromEnvironment(Func<string, string?> environment) => environment(Name) is { Length: > 0 } text ? text : null;

    /// <summary>The MSBuild property's value, or null when it is blank.</summary>
    public static string? FromProperty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// The seconds <paramref name="text"/> gives, or null when it is null (no epoch). When it is no whole number of
    /// seconds (digits only), null with MGP8017 in <paramref name="diagnostics"/>, at <paramref name="path"/>.
    /// </summary>
    public static long? Parse(string? text, DiagnosticBag diagnostics, string? path = null)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        diagnostics.Add(Messages.SourceDateEpochNotSeconds.With(text), path);
        return null;
    }
}
