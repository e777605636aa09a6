using ModelGoPack.Config;

namespace ModelGoPack.Loading;

/// <summary>
/// The release's day, that no modification may be dated after (MGP2010): the config's <c>releaseDate</c>, else the
/// day of SOURCE_DATE_EPOCH, else the day of the run. The instant of SOURCE_DATE_EPOCH or of the run is taken at
/// UTC+14, the latest time zone, because the days it is compared with are local days: git dates a commit by its
/// committer's zone, and a publisher dates a modification by theirs. A commit made at or before the instant has,
/// in any zone, a day no later than the instant's day at UTC+14.
/// <para>
/// The order differs from <see cref="Emit.BundleTimestamp"/>'s on purpose: a file time follows the reproducible-builds
/// convention that SOURCE_DATE_EPOCH overrides; the release's day is a fact the publisher may state, and a stated
/// <c>releaseDate</c> is more specific than the time of the last commit.
/// </para>
/// </summary>
internal static class ReleaseDay
{
    /// <summary>
    /// SOURCE_DATE_EPOCH values up to 1980-01-02 are placeholders, not release times: Nix sets 315532800
    /// (1980-01-01, the zip epoch) and some builders 0 or 1 when nothing dates the build.
    /// </summary>
    public const long PlaceholderEpochs = 315_619_200;

    // DateTimeOffset's last second, less 14 hours, so the shift to UTC+14 stays in range.
    private const long LatestEpoch = 253_402_300_799 - (14 * 3600);

    /// <summary>The release day the inputs give, and where it comes from; null when only the clock could give one.</summary>
    public static (DateOnly Day, string From)? FromInputs(ModelGoConfig config, long? sourceDateEpoch) =>
        config.ReleaseDate is { } declared ? (declared, "\"releaseDate\"")
        : sourceDateEpoch is > PlaceholderEpochs and var epoch ? (AtLatestZone(DateTimeOffset.FromUnixTimeSeconds(Math.Min(epoch, LatestEpoch))), "SOURCE_DATE_EPOCH, its day at UTC+14")
        : null;

    /// <summary>The release day, from the inputs or else from the clock.</summary>
    public static (DateOnly Day, string From) Resolve(ModelGoConfig config, long? sourceDateEpoch) =>
        FromInputs(config, sourceDateEpoch) ?? (AtLatestZone(DateTimeOffset.UtcNow), "today, the day of this run at UTC+14 (no \"releaseDate\" or SOURCE_DATE_EPOCH is set)");

    private static DateOnly AtLatestZone(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime.AddHours(14));
}
