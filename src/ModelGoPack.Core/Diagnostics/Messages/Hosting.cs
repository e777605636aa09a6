namespace ModelGoPack.Diagnostics;

/// <summary>What either front door, the command line or the MSBuild task, reports about the host it runs in (Hosting/).</summary>
public static partial class Messages
{
    // MGP8017
    public static readonly DiagnosticMessage SourceDateEpochNotSeconds = M(DiagnosticCatalog.EnvironmentInvalid, "SOURCE_DATE_EPOCH is '{0}'. {help}");

    // MGP8099: an exception no one caught (its type's name, its message)
    public static readonly DiagnosticMessage UncaughtException = M(DiagnosticCatalog.InternalError, "{0}: {1} {help}");
}
