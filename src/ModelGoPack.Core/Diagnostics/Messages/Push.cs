namespace ModelGoPack.Diagnostics;

/// <summary>What push reports: the target, the layout, the credentials and the registry's answers (Distribution/).</summary>
public static partial class Messages
{
    // MGP9050: the target
    public static readonly DiagnosticMessage PushTargetMalformed = M(DiagnosticCatalog.PushTargetInvalid, "'{0}' is not a registry reference: {1}. {help}");
    public static readonly DiagnosticMessage PushTagUnknown = M(DiagnosticCatalog.PushTargetInvalid, "'{0}' names no tag, and the manifest pushed has no ref name (org.opencontainers.image.ref.name) to be its tag. {help}");
    public static readonly DiagnosticMessage PushDigestDiffers = M(DiagnosticCatalog.PushTargetInvalid, "'{0}' names the digest {1}, but the manifest pushed is {2}. {help}");

    // MGP9051: the layout
    public static readonly DiagnosticMessage PushLayoutUnusable = M(DiagnosticCatalog.PushLayoutInvalid, "'{0}' cannot be pushed: {1}. {help}");
    public static readonly DiagnosticMessage PushBlobAltered = M(DiagnosticCatalog.PushLayoutInvalid, "The blob {0} of '{1}' does not have that SHA-256 (it has {2}): it was altered after the layout was written, and was not uploaded. {help}");

    // MGP9052: credentials
    public static readonly DiagnosticMessage CredentialsRefused = M(DiagnosticCatalog.RegistryCredentialsRefused, "{0} refused {1} for {2}: {3}. {help}");
    public static readonly DiagnosticMessage CredentialsRequired = M(DiagnosticCatalog.RegistryCredentialsRefused, "{0} asks for credentials to push to {1}, and {2} has none for {0}. {help}");

    // MGP9053: not a registry
    public static readonly DiagnosticMessage NotARegistryAnswer = M(DiagnosticCatalog.NotARegistry, "{0} is not an OCI registry: GET {1} answered {2}. {help}");
    public static readonly DiagnosticMessage RegistryUnreachable = M(DiagnosticCatalog.NotARegistry, "{0} cannot be reached as a registry: {1}. {help}");

    // MGP9054 to MGP9056: the registry's refusals and failures
    public static readonly DiagnosticMessage ManifestRejected = M(DiagnosticCatalog.RegistryManifestRejected, "{0} rejected the manifest {1} for {2}: {3}. {help}");
    public static readonly DiagnosticMessage BlobRejected = M(DiagnosticCatalog.RegistryBlobRejected, "{0} refused the blob {1} ({2:N0} bytes): {3}. {help}");
    public static readonly DiagnosticMessage RegistryRequestError = M(DiagnosticCatalog.RegistryRequestFailed, "{0} {1} failed: {2}. {help}");

    // MGP9057, MGP9058: Docker's config.json
    public static readonly DiagnosticMessage CredentialHelperSkipped = M(DiagnosticCatalog.CredentialHelperNotRead, "'{0}' leaves the credentials for {1} to {2}, which push does not read; it pushes without credentials. {help}");
    public static readonly DiagnosticMessage DockerConfigInvalid = M(DiagnosticCatalog.DockerConfigUnreadable, "'{0}' cannot be read: {1}. {help}");
}
