using ModelGoPack.Config;

namespace ModelGoPack.Emit;

/// <summary>
/// The one timestamp every bundle entry carries. It comes from the inputs, never from the clock:
/// SOURCE_DATE_EPOCH if set, else the config's <c>releaseDate</c>, else its latest modification date,
/// else 1980-01-01, the earliest time a zip can hold.
/// </summary>
internal static class BundleTimestamp
{
    public static readonly DateTimeOffset Earliest = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2107, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset Resolve(long? sourceDateEpoch, ModelGoConfig config)
    {
        DateTimeOffset value;
        if (sourceDateEpoch is { } epoch)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(epoch, Earliest.ToUnixTimeSeconds(), Latest.ToUnixTimeSeconds()));
        }
        else if (config.ReleaseDate is { } release)
        {
            value = new DateTimeOffset(release.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        else if (config.Modifications.Count > 0)
        {
            value = new DateTimeOffset(config.Modifications.Max(m => m.Date).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        else
        {
            value = Earliest;
        }

        return value < Earliest ? Earliest : value > Latest ? Latest : value;
    }

    /// <summary>The bundle's date for templates: null when nothing in the inputs dates it.</summary>
    public static DateOnly? ResolveDate(long? sourceDateEpoch, ModelGoConfig config)
    {
        var value = Resolve(sourceDateEpoch, config);
        return value == Earliest && sourceDateEpoch is null ? null : DateOnly.FromDateTime(value.UtcDateTime);
    }
}
