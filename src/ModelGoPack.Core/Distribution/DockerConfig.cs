using System.Text;
using System.Text.Json;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Distribution;

/// <summary>A user name and password for a registry, from Docker's config.json.</summary>
/// <param name="Username">The user name.</param>
/// <param name="Password">The password or access token.</param>
/// <param name="Source">The config.json they were read from, for messages.</param>
public sealed record RegistryCredentials(string Username, string Password, string Source)
{
    /// <summary>Never the password: a record's generated text would print it.</summary>
    public override string ToString() => $"user '{this.Username}' from {this.Source}";
}

/// <summary>
/// Reads registry credentials as Docker and skopeo write them: <c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>, its <c>auths</c> keyed by registry (<c>host:port</c>, optionally with a scheme and a
/// path), each a base64 <c>auth</c> of <c>user:password</c> or a <c>username</c> and <c>password</c>. Credentials kept by
/// a credential store or helper are not read (MGP9057): push then goes without them.
/// </summary>
public static class DockerConfig
{
    /// <summary>The most a config.json may be (1 MiB).</summary>
    private const int MaxBytes = 1024 * 1024;

    /// <summary>The config.json push reads, from <c>DOCKER_CONFIG</c> or <c>HOME</c>; null when there is no home to look in.</summary>
    public static string? PathFrom(Func<string, string?> environment)
    {
        if (environment("DOCKER_CONFIG") is { Length: > 0 } folder)
        {
            return Path.Combine(folder, "config.json");
        }

        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 ? null : Path.Combine(home, ".docker", "config.json");
    }

    /// <summary>
    /// The credentials <paramref name="path"/> holds for <paramref name="registry"/>, or null (no file, no entry, or
    /// one kept by a helper: MGP9057). A file that is not a valid config is MGP9058, an error.
    /// </summary>
    public static RegistryCredentials? Find(string? path, string registry, DiagnosticBag diagnostics)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            if (stream.Length > MaxBytes)
            {
                diagnostics.Add(Messages.DockerConfigInvalid.With(path, $"it is {stream.Length:N0} bytes, more than the {MaxBytes:N0} a config.json may be"), path);
                return null;
            }

            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            diagnostics.Add(Messages.DockerConfigInvalid.With(path, $"it is not JSON ({e.Message})"), path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.DockerConfigInvalid.With(path, e.Message), path);
            return null;
        }

        using (document)
        {
            return Read(document.RootElement, path, registry, diagnostics);
        }
    }

    private static RegistryCredentials? Read(JsonElement root, string path, string registry, DiagnosticBag diagnostics)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Add(Messages.DockerConfigInvalid.With(path, "it is not a JSON object"), path);
            return null;
        }

        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object
            && helpers.EnumerateObject().FirstOrDefault(h => Matches(h.Name, registry)) is { Value.ValueKind: JsonValueKind.String } helper)
        {
            diagnostics.Add(Messages.CredentialHelperSkipped.With(path, registry, $"the credential helper docker-credential-{helper.Value.GetString()} (credHelpers)"), path);
            return null;
        }

        JsonElement entry = default;
        var found = root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object
            && auths.EnumerateObject().Any(a =>
            {
                entry = a.Value;
                return Matches(a.Name, registry);
            });
        if (found && entry.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Add(Messages.DockerConfigInvalid.With(path, $"its auths entry for {registry} is not a JSON object"), path);
            return null;
        }

        var before = diagnostics.Items.Count;
        var credentials = found ? FromEntry(entry, path, registry, diagnostics) : null;
        if (credentials is null && diagnostics.Items.Count == before)
        {
            if (found && entry.TryGetProperty("identitytoken", out _))
            {
                diagnostics.Add(Messages.CredentialHelperSkipped.With(path, registry, "an identity token (identitytoken)"), path);
            }
            else if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String)
            {
                diagnostics.Add(Messages.CredentialHelperSkipped.With(path, registry, $"the credential store docker-credential-{store.GetString()} (credsStore)"), path);
            }
        }

        return credentials;
    }

    private static RegistryCredentials? FromEntry(JsonElement entry, string path, string registry, DiagnosticBag diagnostics)
    {
        if (entry.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String && auth.GetString() is { Length: > 0 } encoded)
        {
            string pair;
            try
            {
                pair = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(encoded));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                diagnostics.Add(Messages.DockerConfigInvalid.With(path, $"its auth for {registry} is not base64 of UTF-8 text"), path);
                return null;
            }

            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                diagnostics.Add(Messages.DockerConfigInvalid.With(path, $"its auth for {registry} is not base64 of user:password"), path);
                return null;
            }

            return new RegistryCredentials(pair[..colon], pair[(colon + 1)..], path);
        }

        return entry.TryGetProperty("username", out var user) && user.ValueKind == JsonValueKind.String && user.GetString() is { Length: > 0 } name
            && entry.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String
            ? new RegistryCredentials(name, password.GetString()!, path)
            : null;
    }

    /// <summary>Whether an auths key (<c>host:port</c>, <c>https://host:port/v1/</c>) names <paramref name="registry"/>.</summary>
    internal static bool Matches(string key, string registry)
    {
        var host = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
            }
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        host = slash < 0 ? host : host[..slash];

        // docker login stores Docker Hub's credentials under https://index.docker.io/v1/; its API is registry-1.docker.io.
        return string.Equals(host, registry, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(registry, RegistryReference.DockerHub, StringComparison.OrdinalIgnoreCase) && host.ToLowerInvariant() is "index.docker.io" or "docker.io");
    }
}
