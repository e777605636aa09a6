namespace ModelGoPack.Diagnostics;

/// <summary>What the config reader (Config/ConfigReader*.cs) says of modelgo.json, and init (ConfigSkeleton) of the folder it writes in.</summary>
public static partial class Messages
{
    // The file as a whole: MGP8001 missing, MGP8002 not JSON, MGP8009 unreadable, MGP8029 an invisible control.
    // MGP8011: an input check of the config, not a rule.
    public static readonly DiagnosticMessage UpstreamNameRepeated = M(DiagnosticCatalog.DuplicateUpstream, "Upstream name \"{0}\" is used {1} times.");

    public static readonly DiagnosticMessage ConfigMissing = M(DiagnosticCatalog.ConfigMissing, "No modelgo.json in '{0}'. {help}");
    public static readonly DiagnosticMessage ConfigTooLarge = M(DiagnosticCatalog.ConfigMalformed, "modelgo.json is {0} bytes; a config is at most {1} bytes.");
    public static readonly DiagnosticMessage ConfigUnreadable = M(DiagnosticCatalog.FileUnreadable, "Cannot read modelgo.json: {0}");
    public static readonly DiagnosticMessage ConfigNotUtf8 = M(DiagnosticCatalog.ConfigMalformed, "modelgo.json is not UTF-8 text (invalid byte at offset {0}). Save it as UTF-8.");
    public static readonly DiagnosticMessage ConfigNotJson = M(DiagnosticCatalog.ConfigMalformed, "modelgo.json is not valid JSON: {0}");
    public static readonly DiagnosticMessage ConfigBidiControl = M(DiagnosticCatalog.BidiControl, "modelgo.json holds U+{0:X4}, an invisible bidirectional control. {help}");
    public static readonly DiagnosticMessage ConfigNotUnicode = M(DiagnosticCatalog.ConfigInvalidValue, "modelgo.json holds a key or string that is not valid Unicode text (a lone surrogate escape such as \\ud800).");
    public static readonly DiagnosticMessage ConfigNotAConfig = M(DiagnosticCatalog.ConfigInvalidValue, "modelgo.json could not be read as a config.");
    public static readonly DiagnosticMessage ConfigNotAnObject = M(DiagnosticCatalog.ConfigWrongType, "The config must be a JSON object, not {0}.");

    /// <summary>{0}: the key a host (MSBuild, the CLI) set; {1}: its code point; {2}: the value, the control shown.</summary>
    public static readonly DiagnosticMessage HostValueBidiControl = M(DiagnosticCatalog.BidiControl, "The value of \"{0}\" holds U+{1:X4}, an invisible bidirectional control, in '{2}'. {help}");

    // Keys. {1} of an unknown key: where it is ("the config", or a path such as upstream[0]).
    public static readonly DiagnosticMessage ConfigKeyUnknown = M(DiagnosticCatalog.ConfigUnknownKey, "Unknown key '{0}' in {1} Known keys: {2}.");
    public static readonly DiagnosticMessage ConfigKeyUnknownLike = M(DiagnosticCatalog.ConfigUnknownKey, "Unknown key '{0}' in {1}; did you mean '{2}'? Known keys: {3}.");
    public static readonly DiagnosticMessage ConfigKeyNotUnicode = M(DiagnosticCatalog.ConfigInvalidValue, "A key in {0} is not valid Unicode text (it holds a lone surrogate escape).");
    public static readonly DiagnosticMessage ConfigKeyMissing = M(DiagnosticCatalog.ConfigMissingKey, "Required key \"{0}\" is missing.");
    public static readonly DiagnosticMessage ConfigKeyMissingIn = M(DiagnosticCatalog.ConfigMissingKey, "Required key \"{0}\" is missing in {1}.");
    public static readonly DiagnosticMessage ConfigKeyNull = M(DiagnosticCatalog.ConfigWrongType, "Required key \"{0}\" is null; it must be a string.");
    public static readonly DiagnosticMessage ModificationDateMissing = M(DiagnosticCatalog.ConfigMissingKey, "Required key \"date\" is missing in {0}. Clause 2.2(a)(ii) requires the date (yyyy-MM-dd) of each modification.");
    public static readonly DiagnosticMessage ModificationDateNull = M(DiagnosticCatalog.ConfigWrongType, "Required key \"date\" is null; it must be a string. Clause 2.2(a)(ii) requires the date (yyyy-MM-dd) of each modification.");

    // Values of a key, by type. {1} of a wrong type: what the value is ("a number", "an object"…).
    public static readonly DiagnosticMessage ConfigValueNotString = M(DiagnosticCatalog.ConfigWrongType, "\"{0}\" must be a string, not {1}.");
    public static readonly DiagnosticMessage ConfigValueNotUnicode = M(DiagnosticCatalog.ConfigInvalidValue, "\"{0}\" is not valid Unicode text (it holds a lone surrogate escape such as \\ud800).");
    public static readonly DiagnosticMessage ConfigValueEmpty = M(DiagnosticCatalog.ConfigInvalidValue, "\"{0}\" is empty.");
    public static readonly DiagnosticMessage ConfigValueNotDate = M(DiagnosticCatalog.ConfigInvalidValue, "\"{0}\" '{1}' is not an ISO 8601 date (yyyy-MM-dd, for example 2026-05-01).");
    public static readonly DiagnosticMessage ConfigValueNotStringList = M(DiagnosticCatalog.ConfigWrongType, "\"{0}\" must be an array of strings, not {1}.");
    public static readonly DiagnosticMessage ConfigItemNotString = M(DiagnosticCatalog.ConfigWrongType, "Each item of \"{0}\" must be a non-empty string, not {1}.");
    public static readonly DiagnosticMessage ConfigItemNotText = M(DiagnosticCatalog.ConfigInvalidValue, "Each item of \"{0}\" must be non-empty, valid Unicode text.");
    public static readonly DiagnosticMessage ConfigValueNotObjectList = M(DiagnosticCatalog.ConfigWrongType, "\"{0}\" must be an array of objects, not {1}.");
    public static readonly DiagnosticMessage ConfigItemNotObject = M(DiagnosticCatalog.ConfigWrongType, "Each item of \"{0}\" must be an object, not {1}.");

    // Paths and globs (include, exclude, modifications' paths, waivers' path, notices, release locations).
    public static readonly DiagnosticMessage GlobControlCharacter = M(DiagnosticCatalog.ConfigInvalidValue, "'{0}' holds a control character; a path or glob cannot.");
    public static readonly DiagnosticMessage GlobOutsideProject = M(DiagnosticCatalog.ConfigInvalidValue, "'{0}' must be relative to the project root and stay inside it (no leading '/', drive letter or '..').");
    public static readonly DiagnosticMessage PathControlCharacter = M(DiagnosticCatalog.ConfigInvalidValue, "'{0}' holds a control character; a path cannot.");
    public static readonly DiagnosticMessage PathOutsideProject = M(DiagnosticCatalog.ConfigInvalidValue, "'{0}' must be a path relative to the project root that stays inside it.");
    public static readonly DiagnosticMessage ReleasePathBlank = M(DiagnosticCatalog.ConfigInvalidValue, "'{0}' is not a path: it is blank or holds a control character.");

    // The project's identity.
    public static readonly DiagnosticMessage NameNotPackageId = M(DiagnosticCatalog.ConfigInvalidValue, "\"name\" '{0}' is not a valid package id: use letters, digits, '.', '-' and '_', at most {1} characters.");
    public static readonly DiagnosticMessage VersionNotSemantic = M(DiagnosticCatalog.ConfigInvalidValue, "\"version\" '{0}' is not a semantic version (for example 1.0.0 or 2.1.0-rc.1).");

    // An upstream's declaration.
    public static readonly DiagnosticMessage UpstreamReleaseFormsSeveral = M(DiagnosticCatalog.ConfigInvalidValue, "Give an upstream one of \"manifest\", \"bundle\" or \"git\", not several.");
    public static readonly DiagnosticMessage UpstreamRepositoryWithoutGit = M(DiagnosticCatalog.ConfigInvalidValue, "\"repository\" names the local clone in which \"git\" is looked up; give \"git\" (a commit, tag or branch of that clone) too.");
    public static readonly DiagnosticMessage UpstreamRevisionInvalid = M(DiagnosticCatalog.ConfigInvalidValue, "\"revision\" '{0}' is not a commit, tag or version name (at most 256 characters, no control characters).");
    public static readonly DiagnosticMessage UpstreamManifestSha256Invalid = M(DiagnosticCatalog.ConfigInvalidValue, "\"manifestSha256\" '{0}' is not a SHA-256 (64 hexadecimal digits).");
    public static readonly DiagnosticMessage UpstreamGitInvalid = M(DiagnosticCatalog.ConfigInvalidValue, "\"git\" '{0}' is not a commit or tag name.");
    public static readonly DiagnosticMessage UpstreamUrlInvalid = M(DiagnosticCatalog.ConfigInvalidValue, "\"url\" '{0}' is not an absolute http(s) URL.");
    public static readonly DiagnosticMessage UpstreamRelationUnknown = M(DiagnosticCatalog.ConfigInvalidValue, "\"relation\" '{0}' is neither \"derivative\" (you modified the upstream's materials) nor \"extracted\" (you made a model from its Output).");

    // Waivers. {0} of a waiver without justification: the code it waives, or "a finding".
    public static readonly DiagnosticMessage WaiverWithoutJustification = M(DiagnosticCatalog.WaiverWithoutJustification, "The waiver of {0} has no \"justification\". {help}");
    public static readonly DiagnosticMessage WaiverCodeNotWaivable = M(DiagnosticCatalog.ConfigInvalidValue, "\"code\" '{0}' is not a compliance finding that can be waived (MGP1xxx to MGP7xxx; config and input errors cannot be waived).");

    // init (ConfigSkeleton): the folder it writes in (its project folder is said as the engine says it: ProjectNotAFolder…).
    public static readonly DiagnosticMessage ConfigExists = M(DiagnosticCatalog.ConfigExists, "{0} already exists. {help}");
    public static readonly DiagnosticMessage ConfigNotWritten = M(DiagnosticCatalog.OutputWriteFailed, "Cannot write {0}: {1}");

    // A release init cannot read, under the code its reader gave (Releases.ReleaseException.Code): {0} the file at fault, {1} what is wrong.
    private const string InitReleaseProblem = "'{0}' {1} {help}";

    public static readonly DiagnosticMessage InitReleaseUnreadable = M(DiagnosticCatalog.UpstreamReleaseUnreadable, InitReleaseProblem);
    public static readonly DiagnosticMessage InitReleaseGitUnavailable = M(DiagnosticCatalog.GitUnavailable, InitReleaseProblem);
    public static readonly DiagnosticMessage InitReleaseBlobMissing = M(DiagnosticCatalog.UpstreamBlobMissing, InitReleaseProblem);
    public static readonly DiagnosticMessage InitReleaseDigestMismatch = M(DiagnosticCatalog.UpstreamDigestMismatch, InitReleaseProblem);
    public static readonly DiagnosticMessage InitReleaseBidiControl = M(DiagnosticCatalog.BidiControl, InitReleaseProblem);

    /// <summary>What init says of a release it cannot read, by the code its reader raised.</summary>
    internal static DiagnosticMessage InitReleaseProblemFor(DiagnosticDescriptor code) =>
        ForCode(code, InitReleaseUnreadable, InitReleaseGitUnavailable, InitReleaseBlobMissing, InitReleaseDigestMismatch, InitReleaseBidiControl);
}
