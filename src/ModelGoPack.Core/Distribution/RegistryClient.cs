using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Distribution;

/// <summary>
/// The OCI distribution API of one repository, over <see cref="HttpClient"/>: the <c>/v2/</c> check (is this a registry,
/// and how does it authenticate), blob HEAD, blob uploads (<see cref="BlobUploader"/>) and manifest PUT. Authentication
/// follows the registry's 401 challenge: Basic with the credentials of Docker's config.json, or Bearer with a token
/// asked of the challenge's realm (with those credentials when there are some, anonymously otherwise) for the scope
/// <c>repository:REPO:pull,push</c>. Every refusal or failure is a <see cref="RegistryException"/> with its code.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    /// <summary>The most of an error answer read (64 KiB): a registry's error JSON is small.</summary>
    private const int MaxErrorBytes = 64 * 1024;

    private readonly HttpClient http;
    private readonly SemaphoreSlim authenticating = new(1, 1);
    private readonly RegistryCredentials? credentials;
    private readonly string? configPath;
    private readonly bool plainHttp;
    private readonly TimeSpan idleTimeout;
    private AuthenticationHeaderValue? authorization;

    /// <summary>The request under way in this flow, whose idle timer a body being sent restarts (<see cref="KeepAlive"/>).</summary>
    private static readonly AsyncLocal<(CancellationTokenSource Source, TimeSpan Idle)?> Watchdog = new();

    /// <summary>How long a request may go without progress (no byte of its body sent, no answer) by default: 2 minutes.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A client of <paramref name="target"/>'s repository; <paramref name="handler"/> replaces the socket handler (tests).</summary>
    public RegistryClient(RegistryReference target, bool plainHttp, RegistryCredentials? credentials, string? configPath, HttpMessageHandler? handler = null, TimeSpan? idleTimeout = null)
    {
        this.Target = target;
        this.plainHttp = plainHttp;
        this.idleTimeout = idleTimeout ?? DefaultIdleTimeout;
        this.credentials = credentials;
        this.configPath = configPath;
        this.Root = new Uri($"{(plainHttp ? "http" : "https")}://{target.Registry}/");
        handler ??= new SocketsHttpHandler
        {
            // A registry on loopback is never reached through a proxy the environment names; others are, as curl would.
            UseProxy = !IsLoopback(target.Registry),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        this.http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        this.http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("modelgopack", ToolInfo.Version));
    }

    /// <summary>The repository pushed to.</summary>
    public RegistryReference Target { get; }

    /// <summary>The registry's address, <c>http(s)://host:port/</c>.</summary>
    public Uri Root { get; }

    /// <summary>The registry as messages name it.</summary>
    public string Name => this.Target.Registry;

    /// <summary>The repository's path under <c>/v2/</c>.</summary>
    private string RepositoryPath => $"v2/{this.Target.Repository}";

    /// <summary>
    /// Checks that the address is a registry (GET /v2/ answers 200, or 401 with a challenge) and authenticates as its
    /// challenge asks, checking the credentials with a second GET /v2/.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(this.Root, "v2/");
        using (var response = await this.GetBaseAsync(uri, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (!LooksLikeRegistry(response))
                {
                    throw new RegistryException(Messages.NotARegistryAnswer.With(this.Name, uri, $"{Status(response)} with {response.Content.Headers.ContentType?.MediaType ?? "no content type"} and no Docker-Distribution-API-Version header"));
                }

                return;
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                throw new RegistryException(Messages.NotARegistryAnswer.With(this.Name, uri, Status(response)));
            }

            var challenge = AuthChallenge.From(response)
                ?? throw new RegistryException(Messages.NotARegistryAnswer.With(this.Name, uri, $"{Status(response)} with no Basic or Bearer challenge (WWW-Authenticate)"));
            await this.AuthenticateAsync(challenge, null, cancellationToken).ConfigureAwait(false);
        }

        using var again = await this.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
        if (!again.IsSuccessStatusCode)
        {
            throw await this.FailureAsync(again, "GET", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the repository holds the blob (HEAD /v2/REPO/blobs/DIGEST: 200 yes, 404 no).</summary>
    public async Task<bool> BlobExistsAsync(string digest, long size, CancellationToken cancellationToken)
    {
        var uri = new Uri(this.Root, $"{this.RepositoryPath}/blobs/{digest}");
        using var response = await this.SendAsync(() => new HttpRequestMessage(HttpMethod.Head, uri), cancellationToken).ConfigureAwait(false);

        // A registry answers HEAD of a blob it holds with its size: another size (or another digest) is no such blob,
        // and taking it as there would tag a manifest whose blobs were never sent.
        if (response.StatusCode == HttpStatusCode.OK
            && ((response.Content.Headers.ContentLength is { } length && length != size)
                || (response.Headers.TryGetValues("Docker-Content-Digest", out var said) && said.FirstOrDefault() is { } other && other != digest)))
        {
            throw new RegistryException(Messages.RegistryRequestError.With("HEAD", PathOf(uri), $"200 OK for a blob of {response.Content.Headers.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} bytes (Docker-Content-Digest {(response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.FirstOrDefault() : "none")}), not the {size} bytes of {digest}: this is not the blob"));
        }

        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw await this.FailureAsync(response, "HEAD", cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// PUTs the manifest under <paramref name="reference"/> (a tag or its digest), its bytes exactly as the layout holds
    /// them; returns the digest the registry says it stored (Docker-Content-Digest), or null when it says none.
    /// </summary>
    public async Task<string?> PutManifestAsync(byte[] manifest, string mediaType, string digest, string reference, CancellationToken cancellationToken)
    {
        var uri = new Uri(this.Root, $"{this.RepositoryPath}/manifests/{reference}");
        using var response = await this.SendAsync(
            () =>
            {
                var content = new ByteArrayContent(manifest);
                content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
            },
            cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        }

        // A refusal of the manifest itself: a 4xx, or an answer whose errors name the manifest (docker-registry 2.8 answers
        // a layer it will not accept with 500 and MANIFEST_BLOB_UNKNOWN).
        var answer = await ReadAnswerAsync(response, cancellationToken).ConfigureAwait(false);
        if (!AuthChallenge.IsRefusal(response.StatusCode) && ((int)response.StatusCode is >= 400 and < 500 || answer.Codes.Any(c => c.StartsWith("MANIFEST_", StringComparison.Ordinal) || c is "TAG_INVALID" or "NAME_INVALID")))
        {
            throw new RegistryException(Messages.ManifestRejected.With(this.Name, digest, $"{this.Target.Repository}:{reference}", answer.Text));
        }

        throw this.Failure(response, "PUT", answer);
    }

    /// <summary>
    /// Sends a request made by <paramref name="make"/> (called again for a retry, so a body is read again from its start)
    /// with the current authorization. On a 401, authenticates as its challenge asks (a new token for its scope) and sends
    /// once more; what the registry then answers is returned as it is.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken cancellationToken)
    {
        var sent = this.authorization;
        var response = await this.SendOnceAsync(make, sent, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !this.IsRegistry(response.RequestMessage?.RequestUri) || AuthChallenge.From(response) is not { } challenge)
        {
            return response;
        }

        response.Dispose();
        await this.AuthenticateAsync(challenge, sent, cancellationToken).ConfigureAwait(false);
        return await this.SendOnceAsync(make, this.authorization, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> make, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var request = make();

        // The registry's credentials and tokens go to the registry only: an upload's Location on another host (blob
        // storage, or whatever the answer names) gets none, as Docker sends them by the host they were asked for.
        request.Headers.Authorization = this.IsRegistry(request.RequestUri) ? authorization : null;
        try
        {
            return await this.SendWithTimeoutAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(Messages.RegistryRequestError.With(request.Method, PathOf(request.RequestUri), Describe(e)));
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>
    /// Answers a challenge: Basic with the credentials (none: MGP9052); Bearer with a token from its realm for the scope
    /// it names, else pull and push on the repository. Several uploads meeting an expired token take one new token.
    /// </summary>
    private async Task AuthenticateAsync(AuthChallenge challenge, AuthenticationHeaderValue? sent, CancellationToken cancellationToken)
    {
        await this.authenticating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sent is not null && !ReferenceEquals(sent, this.authorization))
            {
                return;
            }

            if (challenge.Scheme == "Basic")
            {
                if (this.credentials is null)
                {
                    throw new RegistryException(Messages.CredentialsRequired.With(this.Name, this.Target.Repository, this.configPath ?? "Docker's config.json"));
                }

                if (sent is not null)
                {
                    throw new RegistryException(Messages.CredentialsRefused.With(this.Name, this.credentials, this.Target.Repository, "401 Unauthorized"));
                }

                this.authorization = AuthChallenge.Basic(this.credentials);
                return;
            }

            this.authorization = new AuthenticationHeaderValue("Bearer", await this.FetchTokenAsync(challenge, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            this.authenticating.Release();
        }
    }

    private async Task<string> FetchTokenAsync(AuthChallenge challenge, CancellationToken cancellationToken)
    {
        if (challenge["realm"] is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("http" or "https"))
        {
            throw new RegistryException(Messages.NotARegistryAnswer.With(this.Name, new Uri(this.Root, "v2/"), $"a Bearer challenge without a realm to ask for a token ('{challenge["realm"]}')"));
        }

        var query = new StringBuilder(realmUri.Query.Length > 0 ? "&" : "?");
        if (challenge["service"] is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString(challenge["scope"] is { Length: > 0 } scope ? scope : $"repository:{this.Target.Repository}:pull,push"));
        var tokenUri = new Uri(realmUri + query.ToString());
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (this.credentials is not null)
        {
            // Never the password in clear over the network: a realm on plain HTTP gets it only on loopback, or when the
            // registry itself was given --plain-http.
            if (realmUri.Scheme == "http" && !this.plainHttp && !IsLoopback(realmUri.Authority))
            {
                throw new RegistryException(Messages.RegistryRequestError.With("GET", realmUri.GetLeftPart(UriPartial.Path), "the token server is on plain HTTP on another host than loopback, and the credentials are not sent there unencrypted (--plain-http allows it)"));
            }

            request.Headers.Authorization = AuthChallenge.Basic(this.credentials);
        }

        HttpResponseMessage response;
        try
        {
            response = await this.SendWithTimeoutAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(Messages.RegistryRequestError.With("GET", tokenUri.GetLeftPart(UriPartial.Path), Describe(e)));
        }

        using (response)
        {
            if (AuthChallenge.IsRefusal(response.StatusCode))
            {
                throw this.credentials is null
                    ? new RegistryException(Messages.CredentialsRequired.With(this.Name, this.Target.Repository, this.configPath ?? "Docker's config.json"))
                    : new RegistryException(Messages.CredentialsRefused.With(this.Name, this.credentials, this.Target.Repository, $"its token server {realmUri.GetLeftPart(UriPartial.Path)} answered {await DescribeAsync(response, cancellationToken).ConfigureAwait(false)}"));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException(Messages.RegistryRequestError.With("GET", tokenUri.GetLeftPart(UriPartial.Path), await DescribeAsync(response, cancellationToken).ConfigureAwait(false)));
            }

            var body = await ReadLimitedAsync(response, MaxErrorBytes, cancellationToken).ConfigureAwait(false);
            return AuthChallenge.ReadToken(body)
                ?? throw new RegistryException(Messages.RegistryRequestError.With("GET", tokenUri.GetLeftPart(UriPartial.Path), "the answer holds no token (token or access_token)"));
        }
    }

    /// <summary>
    /// The coded failure of an answer that is not what was asked: a refusal of who is asking (401, 403: MGP9052), else
    /// the request failed (MGP9056) with the registry's own error codes and messages.
    /// </summary>
    internal async Task<RegistryException> FailureAsync(HttpResponseMessage response, string method, CancellationToken cancellationToken) =>
        this.Failure(response, method, await ReadAnswerAsync(response, cancellationToken).ConfigureAwait(false));

    private RegistryException Failure(HttpResponseMessage response, string method, RegistryAnswer answer)
    {
        var described = answer.Text;
        if (AuthChallenge.IsRefusal(response.StatusCode))
        {
            return this.credentials is null && response.StatusCode == HttpStatusCode.Unauthorized
                ? new RegistryException(Messages.CredentialsRequired.With(this.Name, this.Target.Repository, this.configPath ?? "Docker's config.json"))
                : new RegistryException(Messages.CredentialsRefused.With(this.Name, (object?)this.credentials ?? "anonymous access", this.Target.Repository, described));
        }

        return new RegistryException(Messages.RegistryRequestError.With(method, PathOf(response.RequestMessage?.RequestUri), described));
    }

    /// <summary>
    /// The answer's status and the registry's errors (<c>{"errors":[{"code","message"}]}</c>), as <c>400 Bad Request
    /// (MANIFEST_INVALID: manifest invalid)</c>; at most 64 KiB of the body is read, and at most 500 characters kept.
    /// </summary>
    internal static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await ReadAnswerAsync(response, cancellationToken).ConfigureAwait(false)).Text;

    /// <summary>The answer's description (as <see cref="DescribeAsync"/>) and the registry's error codes.</summary>
    private static async Task<RegistryAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = Status(response);
        byte[] body;
        try
        {
            body = await ReadLimitedAsync(response, MaxErrorBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return new RegistryAnswer(status, []);
        }

        var errors = new List<string>();
        var codes = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
                {
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    codes.Add(code ?? "");
                    var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    var detail = error.TryGetProperty("detail", out var d) && d.ValueKind is JsonValueKind.String ? d.GetString() : null;
                    errors.Add(string.Join(": ", new[] { code, message, detail }.Where(s => !string.IsNullOrEmpty(s))));
                }
            }
        }
        catch (JsonException)
        {
        }

        var text = errors.Count == 0 ? status : $"{status} ({string.Join("; ", errors)})";
        return new RegistryAnswer(text.Length <= 500 ? text : text[..500] + "...", codes);
    }

    /// <summary>What a registry answered: its status and errors as text, and its error codes.</summary>
    private sealed record RegistryAnswer(string Text, IReadOnlyList<string> Codes);

    /// <summary>Resolves an upload's Location (absolute or relative to the registry).</summary>
    internal Uri Resolve(Uri? location) =>
        location is null ? throw new RegistryException(Messages.RegistryRequestError.With("POST", $"/{this.RepositoryPath}/blobs/uploads/", "the answer gives no Location to upload to"))
        : (location.IsAbsoluteUri ? location : new Uri(this.Root, location)) is { Scheme: "http" or "https" } resolved ? resolved
        : throw new RegistryException(Messages.RegistryRequestError.With("POST", $"/{this.RepositoryPath}/blobs/uploads/", $"the answer gives a Location that is not HTTP or HTTPS ({location.Scheme}:)"));

    /// <summary>The path of <paramref name="uri"/>, without the query (an upload's state, a token).</summary>
    internal static string PathOf(Uri? uri) => uri is null ? "" : uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];

    /// <summary>What went wrong with a connection: the exception's message and its causes'.</summary>
    internal static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            var message = x.Message.Replace(", see inner exception.", "", StringComparison.Ordinal).TrimEnd('.');
            if (message.Length > 0 && !parts.Contains(message))
            {
                parts.Add(message);
            }
        }

        return string.Join(": ", parts);
    }

    private static string Status(HttpResponseMessage response) => $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();

    private static bool LooksLikeRegistry(HttpResponseMessage response) =>
        response.Headers.Contains("Docker-Distribution-API-Version") || response.Content.Headers.ContentType?.MediaType == "application/json";

    private static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    private async Task<HttpResponseMessage> GetBaseAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            return await this.SendWithTimeoutAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(Messages.RegistryUnreachable.With(this.Name, Describe(e)));
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        // An answer's body that stops coming is given up after the idle time, as a request is.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(DefaultIdleTimeout);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[max];
                var read = 0;
                int n;
                while (read < max && (n = await stream.ReadAsync(buffer.AsMemory(read), idle.Token).ConfigureAwait(false)) > 0)
                {
                    read += n;
                    idle.CancelAfter(DefaultIdleTimeout);
                }

                return buffer[..read];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"the answer's body stopped for {DefaultIdleTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/>, giving up (an <see cref="HttpRequestException"/>) when it makes no progress for
    /// the idle time: no byte of its body sent (<see cref="KeepAlive"/>) and no answer. A slow registry is waited for;
    /// one that stops answering is not, forever.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithTimeoutAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(this.idleTimeout);
        var outer = Watchdog.Value;
        Watchdog.Value = (idle, this.idleTimeout);
        try
        {
            return await this.http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"no progress for {this.idleTimeout.TotalSeconds:0} s (nothing sent, no answer)");
        }
        finally
        {
            Watchdog.Value = outer;
        }
    }

    /// <summary>Restarts the idle timer of the request under way: its body made progress.</summary>
    internal static void KeepAlive()
    {
        try
        {
            if (Watchdog.Value is var (source, time))
            {
                source.CancelAfter(time);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Whether <paramref name="uri"/> is the registry's own origin (scheme, host and port): where its credentials go.</summary>
    private bool IsRegistry(Uri? uri) =>
        uri is not null && (!uri.IsAbsoluteUri || Uri.Compare(uri, this.Root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);

    /// <summary>Closes the connections.</summary>
    public void Dispose()
    {
        this.http.Dispose();
        this.authenticating.Dispose();
    }
}
