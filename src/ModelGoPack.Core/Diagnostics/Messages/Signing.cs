namespace ModelGoPack.Diagnostics;

/// <summary>What sign and verify --signature report (Signing/): the signature file, the keys, the signed files.</summary>
public static partial class Messages
{
    // MGP9030: the signature file
    public static readonly DiagnosticMessage SignatureFileUnreadable = M(DiagnosticCatalog.SignatureUnreadable, "Cannot read the signature '{0}': {1} {help}");
    public static readonly DiagnosticMessage SignatureNotOms = M(DiagnosticCatalog.SignatureUnreadable, "'{0}' is not an OMS signature: {1}. {help}");

    // MGP9031: the signature itself
    public static readonly DiagnosticMessage SignatureDoesNotVerify = M(DiagnosticCatalog.SignatureInvalid, "The signature in '{0}' does not verify with {1}. {help}");

    // MGP9032: another signer
    public static readonly DiagnosticMessage SignedByOtherKey = M(DiagnosticCatalog.SignerNotTrusted, "'{0}' was signed by the key with hint {1}, not by the key in '{2}' (hint {3}). {help}");
    public static readonly DiagnosticMessage SignatureMethodNotGiven = M(DiagnosticCatalog.SignerNotTrusted, "'{0}' is signed with the {1} method; verify it with {2}. {help}");
    public static readonly DiagnosticMessage CertificateNotTrusted = M(DiagnosticCatalog.SignerNotTrusted, "The certificate '{0}' that signed '{1}' is not trusted by '{2}': {3}. {help}");

    // MGP9033: keys and certificates
    public static readonly DiagnosticMessage KeyFileUnreadable = M(DiagnosticCatalog.SigningKeyUnusable, "Cannot read '{0}': {1} {help}");
    public static readonly DiagnosticMessage KeyFileUnusable = M(DiagnosticCatalog.SigningKeyUnusable, "'{0}' cannot be used: {1}. {help}");

    // MGP9034 to MGP9036: the bundle's files against the signed ones
    public static readonly DiagnosticMessage SignedFileNotInBundle = M(DiagnosticCatalog.SignedFileMissing, "'{0}' is signed but is not in the bundle. {help}");
    public static readonly DiagnosticMessage FileNotSigned = M(DiagnosticCatalog.UnsignedFile, "'{0}' is in the bundle but not in the signature. {help}");
    public static readonly DiagnosticMessage SignedDigestDiffers = M(DiagnosticCatalog.SignedFileDiffers, "'{0}' has SHA-256 {1}; the signature lists {2}. {help}");
    public static readonly DiagnosticMessage SignedFileNotRead = M(DiagnosticCatalog.SignedFileDiffers, "'{0}' could not be read whole, so it cannot match the SHA-256 the signature lists ({1}). {help}");

    // MGP9037: where the signature goes
    public static readonly DiagnosticMessage SignatureInsideBundle = M(DiagnosticCatalog.SignatureNotWritten, "'{0}' is inside the bundle '{1}'; a signature there would be a file the manifest does not list. {help}");
    public static readonly DiagnosticMessage SignaturePathTaken = M(DiagnosticCatalog.SignatureNotWritten, "'{0}' {1}, so it is not replaced. {help}");
    public static readonly DiagnosticMessage SignatureWriteFailed = M(DiagnosticCatalog.SignatureNotWritten, "Cannot write the signature '{0}': {1} {help}");

    // MGP9038: what cannot be signed
    public static readonly DiagnosticMessage PackageNotSignable = M(DiagnosticCatalog.BundleNotSignable, "'{0}' is a NuGet package. {help}");
    public static readonly DiagnosticMessage EmptyBundleNotSignable = M(DiagnosticCatalog.BundleNotSignable, "'{0}' holds no file to sign. {help}");
    public static readonly DiagnosticMessage BundleDoesNotVerify = M(DiagnosticCatalog.BundleNotSignable, "'{0}' does not verify (above), so it was not signed. {help}");

    // MGP9039 (a warning): a certificate whose signatures no verifier accepts
    /// <summary>{0}: the certificate's subject; {1}: the --certificate file; {2}: which certificate it is; {3}: when it expired (UTC).</summary>
    public static readonly DiagnosticMessage SigningCertificateExpired = M(DiagnosticCatalog.SignatureWillNotVerify, "'{0}', {2} in '{1}', expired on {3}; verify refuses a signature by an expired certificate. {help}");

    /// <summary>{0}: the signing certificate's subject; {1}: the --certificate file; {2}: why it may not sign.</summary>
    public static readonly DiagnosticMessage SigningCertificateMayNotSign = M(DiagnosticCatalog.SignatureWillNotVerify, "The signing certificate '{0}' in '{1}' may not sign: {2}; verify refuses its signatures. {help}");
}
