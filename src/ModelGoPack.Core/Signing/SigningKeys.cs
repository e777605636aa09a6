using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ModelGoPack.Discovery;

namespace ModelGoPack.Signing;

/// <summary>
/// Reads the PEM files sign and verify take: an ECDSA private key on P-256 or P-384 (PKCS#8 "PRIVATE KEY" or SEC1
/// "EC PRIVATE KEY"), its public key ("PUBLIC KEY"), and certificates ("CERTIFICATE"). Anything else (RSA, Ed25519,
/// another curve, an encrypted key) is refused with a reason a user can act on: <see cref="KeyFileException"/>.
/// </summary>
internal static class SigningKeys
{
    /// <summary>The most a key or certificate file is read: 1 MiB (a chain of a few certificates is a few KiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private static readonly Dictionary<string, string> AlgorithmNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.1"] = "an RSA key",
        ["1.2.840.113549.1.1.10"] = "an RSA-PSS key",
        ["1.2.840.10040.4.1"] = "a DSA key",
        ["1.3.101.110"] = "an X25519 key",
        ["1.3.101.111"] = "an X448 key",
        ["1.3.101.112"] = "an Ed25519 key",
        ["1.3.101.113"] = "an Ed448 key",
    };

    /// <summary>The curves sign takes, with the hash each signs with (as sigstore and OMS pair them).</summary>
    private static readonly Dictionary<string, (string Name, HashAlgorithmName Hash)> Curves = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.7"] = ("P-256", HashAlgorithmName.SHA256),
        ["1.3.132.0.34"] = ("P-384", HashAlgorithmName.SHA384),
    };

    private static readonly Dictionary<string, string> OtherCurves = new(StringComparer.Ordinal)
    {
        ["1.3.132.0.35"] = "P-521",
        ["1.3.132.0.10"] = "secp256k1",
        ["1.2.840.10045.3.1.1"] = "P-192",
        ["1.3.132.0.33"] = "P-224",
        ["1.3.36.3.3.2.8.1.1.7"] = "brainpoolP256r1",
    };

    /// <summary>The private key in the PEM file at <paramref name="path"/>.</summary>
    /// <exception cref="KeyFileException">It cannot be read or used.</exception>
    public static ECDsa ReadPrivateKey(string path)
    {
        foreach (var (label, der) in Blocks(path))
        {
            switch (label)
            {
                case "PRIVATE KEY":
                    return Checked(Import(der, k => k.ImportPkcs8PrivateKey(der, out _), Pkcs8Algorithm(der)));
                case "EC PRIVATE KEY":
                    return Checked(Import(der, k => k.ImportECPrivateKey(der, out _), (EcPublicKeyOid, null)));
                case "ENCRYPTED PRIVATE KEY":
                    throw new KeyFileException("the private key is encrypted; give it unencrypted (openssl pkey -in KEY.pem -out PLAIN.pem) and keep that file private");
                case "RSA PRIVATE KEY":
                    throw new KeyFileException("it holds an RSA key; sign takes an ECDSA key on P-256 or P-384");
                case "OPENSSH PRIVATE KEY":
                    throw new KeyFileException("it holds an OpenSSH key; sign takes a PEM ECDSA key (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)");
                case "PUBLIC KEY" or "CERTIFICATE":
                    throw new KeyFileException($"it holds a {(label == "PUBLIC KEY" ? "public key" : "certificate")}, not a private key");
            }
        }

        throw new KeyFileException("it holds no PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    /// <summary>The public key in the PEM file at <paramref name="path"/>.</summary>
    /// <exception cref="KeyFileException">It cannot be read or used.</exception>
    public static ECDsa ReadPublicKey(string path)
    {
        foreach (var (label, der) in Blocks(path))
        {
            switch (label)
            {
                case "PUBLIC KEY":
                    return Checked(Import(der, k => k.ImportSubjectPublicKeyInfo(der, out _), SpkiAlgorithm(der)));
                case "PRIVATE KEY" or "EC PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" or "RSA PRIVATE KEY":
                    throw new KeyFileException("it holds a private key; give the public key (openssl ec -in KEY.pem -pubout -out KEY.pub.pem), and keep the private key private");
                case "CERTIFICATE":
                    throw new KeyFileException("it holds a certificate; give a certificate chain with --certificate-chain, or the public key with --public-key");
            }
        }

        throw new KeyFileException("it holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
    }

    /// <summary>Every certificate in the PEM file at <paramref name="path"/>, in order; at least one.</summary>
    /// <exception cref="KeyFileException">It cannot be read, or holds no certificate.</exception>
    public static List<X509Certificate2> ReadCertificates(string path)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var (label, der) in Blocks(path))
        {
            if (label is "CERTIFICATE" or "TRUSTED CERTIFICATE")
            {
                certificates.Add(Certificate(der));
            }
        }

        return certificates.Count > 0 ? certificates : throw new KeyFileException("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    /// <summary>A certificate from its DER bytes.</summary>
    /// <exception cref="KeyFileException">It is no certificate.</exception>
    public static X509Certificate2 Certificate(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new KeyFileException($"a certificate cannot be read ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>The ECDSA public key of <paramref name="certificate"/>, checked as a key file's is.</summary>
    /// <exception cref="KeyFileException">It is no ECDSA key on P-256 or P-384.</exception>
    public static ECDsa PublicKeyOf(X509Certificate2 certificate)
    {
        var der = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        return Checked(Import(der, k => k.ImportSubjectPublicKeyInfo(der, out _), SpkiAlgorithm(der)));
    }

    /// <summary>The hash a signature by <paramref name="key"/> uses: SHA-256 on P-256, SHA-384 on P-384.</summary>
    public static HashAlgorithmName HashFor(ECDsa key) => Curves[CurveOid(key)!].Hash;

    /// <summary>The curve's name (P-256, P-384).</summary>
    public static string CurveName(ECDsa key) => Curves[CurveOid(key)!].Name;

    /// <summary>
    /// The key's hint, as OMS's reference implementation makes it: the lower-case hex SHA-256 of its public key
    /// in PEM (SubjectPublicKeyInfo, lines of 64 characters, ending in a line break).
    /// </summary>
    public static string Hint(ECDsa key)
    {
        var pem = new string(PemEncoding.Write("PUBLIC KEY", key.ExportSubjectPublicKeyInfo())) + "\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(pem)));
    }

    /// <summary>Whether two keys are the same public key.</summary>
    public static bool SamePublicKey(ECDsa a, ECDsa b) => a.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(b.ExportSubjectPublicKeyInfo());

    // The PEM blocks of the file, label and bytes, in order; a block whose base64 is broken is an error.
    private static IEnumerable<(string Label, byte[] Der)> Blocks(string path)
    {
        string text;
        try
        {
            // Only a regular file (or a link to one): a named pipe would block the read forever.
            using var handle = FileType.OpenNamed(path, out var refused) ?? throw new KeyFileException($"it {refused}.", unreadable: true);
            using var stream = new FileStream(handle, FileAccess.Read);
            if (stream.Length > MaxFileBytes)
            {
                throw new KeyFileException($"it is {stream.Length:N0} bytes; a key or certificate file is at most {MaxFileBytes:N0}");
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(e.Message, unreadable: true);
        }

        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest.Span[fields.Base64Data], der, out var written))
            {
                throw new KeyFileException($"its {label} block is not valid base64");
            }

            yield return (label, der[..written]);
            rest = rest[fields.Location.End..];
        }
    }

    private static ECDsa Import(byte[] der, Action<ECDsa> import, (string? Algorithm, string? Curve) declared)
    {
        if (declared.Algorithm is { } algorithm && algorithm != EcPublicKeyOid)
        {
            throw new KeyFileException($"it holds {(AlgorithmNames.TryGetValue(algorithm, out var name) ? name : $"a key of algorithm {algorithm}")}; OMS signatures here are ECDSA on P-256 or P-384");
        }

        var key = ECDsa.Create();
        try
        {
            import(key);
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new KeyFileException(declared.Curve is { } curve && !Curves.ContainsKey(curve)
                ? CurveProblem(curve)
                : $"the key cannot be read ({e.Message.TrimEnd('.')})");
        }
    }

    private static ECDsa Checked(ECDsa key)
    {
        var curve = CurveOid(key);
        if (curve is null || !Curves.ContainsKey(curve))
        {
            key.Dispose();
            throw new KeyFileException(CurveProblem(curve));
        }

        return key;
    }

    private static string CurveProblem(string? curve) =>
        $"its key is on the curve {(curve is null ? "given by explicit parameters" : OtherCurves.TryGetValue(curve, out var name) ? name : curve)}; sign takes P-256 (prime256v1) or P-384 (secp384r1)";

    private static string? CurveOid(ECDsa key)
    {
        try
        {
            var curve = key.ExportParameters(false).Curve;
            return curve.IsNamed ? curve.Oid.Value ?? NamedOid(curve.Oid.FriendlyName) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string? NamedOid(string? friendlyName) => friendlyName switch
    {
        "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1" => "1.2.840.10045.3.1.7",
        "nistP384" or "ECDSA_P384" or "secp384r1" => "1.3.132.0.34",
        _ => null,
    };

    // PKCS#8: SEQUENCE { INTEGER version, AlgorithmIdentifier, OCTET STRING, ... }.
    private static (string?, string?) Pkcs8Algorithm(byte[] der) => Algorithm(der, skipVersion: true);

    // SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING }.
    private static (string?, string?) SpkiAlgorithm(byte[] der) => Algorithm(der, skipVersion: false);

    private static (string? Algorithm, string? Curve) Algorithm(byte[] der, bool skipVersion)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            if (skipVersion)
            {
                outer.ReadInteger();
            }

            var identifier = outer.ReadSequence();
            var algorithm = identifier.ReadObjectIdentifier();
            var curve = identifier.HasData && identifier.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier) ? identifier.ReadObjectIdentifier() : null;
            return (algorithm, curve);
        }
        catch (AsnContentException)
        {
            return (null, null);
        }
    }
}

/// <summary>A key or certificate file that cannot be used, and why (MGP9033).</summary>
internal sealed class KeyFileException(string reason, bool unreadable = false) : Exception(reason)
{
    /// <summary>Whether the file could not be read at all (rather than read and refused).</summary>
    public bool Unreadable { get; } = unreadable;
}
