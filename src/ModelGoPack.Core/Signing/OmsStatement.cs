using System.Security.Cryptography;
using System.Text.Json;
using ModelGoPack.Hashing;

namespace ModelGoPack.Signing;

/// <summary>One signed file: its path in the bundle ('/'-separated) and its SHA-256.</summary>
internal readonly record struct SignedResource(string Name, Sha256Digest Digest);

/// <summary>
/// The in-toto Statement v1 an OMS v1.0 signature signs: one subject (the bundle's name and its root digest), the
/// predicate <c>https://model_signing/signature/v1.0</c> listing every file with its SHA-256 (serialization
/// <c>files</c>), sorted by code point (5.2.1) when ModelGoPack signs, and the root digest, the SHA-256 of their raw
/// digests in that order (6.5.1). A statement read is taken in the order it lists its files, whatever that is. Written with a fixed key order, so that the same bundle gives the same bytes.
/// </summary>
internal sealed record OmsStatement(string SubjectName, Sha256Digest RootDigest, IReadOnlyList<SignedResource> Resources, IReadOnlyList<string> IgnorePaths)
{
    /// <summary>The in-toto statement type.</summary>
    public const string StatementType = "https://in-toto.io/Statement/v1";

    /// <summary>The OMS v1.0 predicate type.</summary>
    public const string PredicateType = "https://model_signing/signature/v1.0";

    /// <summary>
    /// The paths OMS excludes by default (6.2), matched as top-level components: never signed, and recorded as
    /// ignore_paths. A bundle's manifest still lists such a file, and the manifest is signed.
    /// </summary>
    public static IReadOnlyList<string> DefaultIgnorePaths { get; } = [".git", ".gitattributes", ".github", ".gitignore"];

    /// <summary>The statement over <paramref name="resources"/> (in any order; sorted here), the default ignore paths left out.</summary>
    public static OmsStatement Create(string subjectName, IEnumerable<SignedResource> resources)
    {
        var sorted = resources.Where(r => !IsIgnored(r.Name, DefaultIgnorePaths)).OrderBy(r => r.Name, CodePointComparer.Instance).ToList();
        return new OmsStatement(subjectName, Root(sorted), sorted, DefaultIgnorePaths);
    }

    /// <summary>Whether <paramref name="path"/> is one of <paramref name="ignored"/> or under it (6.2.1: from the root, never deeper).</summary>
    public static bool IsIgnored(string path, IEnumerable<string> ignored) =>
        ignored.Any(i => path == i || (path.StartsWith(i, StringComparison.Ordinal) && path.Length > i.Length && path[i.Length] == '/'));

    /// <summary>The root digest (6.5.1): SHA-256 over the resources' raw digests, in the order given.</summary>
    public static Sha256Digest Root(IEnumerable<SignedResource> sorted)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> raw = stackalloc byte[32];
        foreach (var resource in sorted)
        {
            resource.Digest.CopyTo(raw);
            hash.AppendData(raw);
        }

        return Sha256Digest.From(hash.GetHashAndReset());
    }

    /// <summary>The statement as JSON (UTF-8, compact, keys in a fixed order): the DSSE payload.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("_type", StatementType);
            json.WriteStartArray("subject");
            json.WriteStartObject();
            json.WriteString("name", this.SubjectName);
            json.WriteStartObject("digest");
            json.WriteString("sha256", this.RootDigest.ToString());
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("predicateType", PredicateType);
            json.WriteStartObject("predicate");
            json.WriteStartArray("resources");
            foreach (var resource in this.Resources)
            {
                json.WriteStartObject();
                json.WriteString("name", resource.Name);
                json.WriteString("algorithm", "sha256");
                json.WriteString("digest", resource.Digest.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("serialization");
            json.WriteString("method", "files");
            json.WriteString("hash_type", "sha256");
            json.WriteBoolean("allow_symlinks", false);
            json.WriteStartArray("ignore_paths");
            foreach (var path in this.IgnorePaths)
            {
                json.WriteStringValue(path);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a DSSE payload as an OMS v1.0 statement (8.3): the statement type, one subject with a SHA-256, the predicate
    /// type, every resource a canonical path with a SHA-256, none twice (in any order: sign writes code-point order, the
    /// reference implementation path-component order), serialization <c>files</c>
    /// with <c>sha256</c> (shards are refused, as 6.3.2 asks of a verifier that does not implement them), and the root
    /// digest recomputed and compared. Null, with the reason, when it is not one.
    /// </summary>
    public static OmsStatement? Parse(byte[] payload, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
            return Read(document.RootElement, out problem);
        }
        catch (JsonException e)
        {
            problem = $"its payload is not valid JSON ({e.Message.Split(" LineNumber:")[0].TrimEnd('.')})";
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString of an escaped lone surrogate ("\udc00"): valid JSON, but no string.
            problem = "a string in its payload is not valid Unicode (a lone surrogate)";
            return null;
        }
    }

    private static OmsStatement? Read(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object || String(root, "_type") != StatementType)
        {
            problem = $"its payload is not an in-toto statement ('_type' is not {StatementType})";
            return null;
        }

        if (String(root, "predicateType") is var type && type != PredicateType)
        {
            problem = $"its predicate type is {(type is null ? "missing" : $"'{type}'")}, not {PredicateType}";
            return null;
        }

        if (!root.TryGetProperty("subject", out var subjects) || subjects.ValueKind != JsonValueKind.Array || subjects.GetArrayLength() != 1
            || String(subjects[0], "name") is not { Length: > 0 } name
            || !subjects[0].TryGetProperty("digest", out var digests) || digests.ValueKind != JsonValueKind.Object
            || !Sha256Digest.TryParse(String(digests, "sha256"), out var rootDigest))
        {
            problem = "its statement does not have exactly one subject with a name and a SHA-256 digest";
            return null;
        }

        if (!root.TryGetProperty("predicate", out var predicate) || predicate.ValueKind != JsonValueKind.Object
            || !predicate.TryGetProperty("serialization", out var serialization) || serialization.ValueKind != JsonValueKind.Object)
        {
            problem = "its predicate has no serialization";
            return null;
        }

        if (String(serialization, "method") is var method && method != "files")
        {
            problem = method == "shards"
                ? "it signs the files in shards (serialization 'shards'), which ModelGoPack does not verify; it signs and verifies whole files ('files')"
                : $"its serialization method is {(method is null ? "missing" : $"'{method}'")}, not 'files'";
            return null;
        }

        if (String(serialization, "hash_type") is var hashType && hashType != "sha256")
        {
            problem = $"its files are hashed with {(hashType is null ? "no hash_type" : $"'{hashType}'")}; ModelGoPack verifies sha256";
            return null;
        }

        var ignored = new List<string>();
        if (serialization.TryGetProperty("ignore_paths", out var ignorePaths))
        {
            if (ignorePaths.ValueKind != JsonValueKind.Array || ignorePaths.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String || p.GetString()!.Length == 0))
            {
                problem = "its ignore_paths is not a list of paths";
                return null;
            }

            ignored.AddRange(ignorePaths.EnumerateArray().Select(p => p.GetString()!));
        }

        if (!predicate.TryGetProperty("resources", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            problem = "its predicate lists no resources";
            return null;
        }

        var resources = new List<SignedResource>(list.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            if (String(item, "name") is not { } path || !IsCanonical(path))
            {
                problem = $"a resource's name is {(String(item, "name") is { } bad ? $"'{bad}', not a canonical relative path" : "missing")}";
                return null;
            }

            if (String(item, "algorithm") != "sha256" || !Sha256Digest.TryParse(String(item, "digest"), out var digest))
            {
                problem = $"the resource '{path}' has no lower-case hex sha256 digest";
                return null;
            }

            // Any order (a verifier need not impose one: OMS's reference implementation sorts by path components, so
            // 'checkpoint/w.bin' before 'checkpoint-500/w.bin'); the root digest is recomputed in the order given.
            if (!names.Add(path))
            {
                problem = $"it lists the resource '{path}' twice";
                return null;
            }

            resources.Add(new SignedResource(path, digest));
        }

        if (Root(resources) is var computed && computed != rootDigest)
        {
            problem = $"its subject's root digest {rootDigest} is not the SHA-256 of its resources' digests ({computed})";
            return null;
        }

        return new OmsStatement(name, rootDigest, resources, ignored);
    }

    // 6.1.2: '/'-separated, relative, no '.', '..' or empty segment (so no leading, trailing or doubled '/').
    private static bool IsCanonical(string path) =>
        path.Length > 0 && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..") && !path.Contains('\\', StringComparison.Ordinal);

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
