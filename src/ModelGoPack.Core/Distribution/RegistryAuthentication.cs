using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ModelGoPack.Distribution;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> challenge (RFC 7235), as the distribution spec's token flow uses it:
/// <c>Basic realm="..."</c> or <c>Bearer realm="https://auth/token",service="registry",scope="repository:r:pull,push"</c>.
/// </summary>
/// <param name="Scheme">Basic or Bearer.</param>
/// <param name="Parameters">The challenge's parameters (realm, service, scope), names in lowercase.</param>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The first Basic or Bearer challenge of a 401 answer, or null when it has none.</summary>
    public static AuthChallenge? From(HttpResponseMessage response) =>
        response.Headers.WwwAuthenticate
            .Where(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            .Select(h => new AuthChallenge(h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? "Bearer" : "Basic", ParseParameters(h.Parameter)))
            .FirstOrDefault();

    /// <summary>A parameter's value, or null.</summary>
    public string? this[string name] => this.Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses <c>name="value", name=token</c>; a quoted value may hold commas and backslash escapes.</summary>
    internal static Dictionary<string, string> ParseParameters(string? text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (text is not null && i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var name = text[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                }

                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                {
                    value.Append(text[i]);
                }
            }

            parameters[name.ToLowerInvariant()] = value.ToString().Trim();
        }

        return parameters;
    }

    /// <summary>The Basic authorization for <paramref name="credentials"/>.</summary>
    internal static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    /// <summary>
    /// The token of a token server's answer (<c>token</c>, or OAuth's <c>access_token</c>), or null when the answer holds none.
    /// </summary>
    internal static string? ReadToken(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            foreach (var name in new[] { "token", "access_token" })
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var token)
                    && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                {
                    return value;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Whether <paramref name="status"/> is a refusal of who is asking (401, 403).</summary>
    internal static bool IsRefusal(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
