namespace ModelGoPack.Diagnostics;

/// <summary>What the command line reports of its own (ModelGoPack.Cli): its arguments, and where it looked for the project.</summary>
public static partial class Messages
{
    // MGP8001: DIR not given, and no folder from the current one up to the repository's root holds modelgo.json
    // ({0} modelgo.json, {1} the current folder, {2} the last folder looked in, {3} what that folder is)
    public static readonly DiagnosticMessage ConfigNotFoundUpToRoot = M(DiagnosticCatalog.ConfigMissing, "No {0} in the current folder ({1}) or a folder above it up to {2}{3}. Pass the project's folder as DIR, or run from inside it. {help}");

    // MGP8006
    public static readonly DiagnosticMessage StampCreatedNotADate = M(DiagnosticCatalog.ConfigInvalidValue, "--created '{0}' is not an ISO 8601 date (yyyy-MM-dd).");

    // MGP8042: {0} the option or argument, {1} the path, {2} what system's path it is
    public static readonly DiagnosticMessage PathOfAnotherSystem = M(DiagnosticCatalog.ForeignAbsolutePath, "{0} '{1}' is {2}; on this system it is no absolute path, but a file named so in the current folder. {help}");
}
