using System.Net;
using System.Text;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// A token server and a reverse proxy in front of a real <see cref="LocalRegistry"/>, so that push meets the distribution
/// spec's Bearer flow against a real registry: a request without the token gets 401 and
/// <c>WWW-Authenticate: Bearer realm="http://127.0.0.1:PORT/token",service="test-registry"</c>; GET /token (with Basic
/// credentials when <see cref="User"/> is set, anonymously otherwise) answers an opaque token (no JWT); requests bearing
/// it are forwarded to the registry as they are (Host kept, so its Location headers name the proxy).
/// </summary>
public sealed class BearerProxy : IDisposable
{
    private int generation;
    private int forwarded;
    private readonly HttpListener listener = new();
    private readonly HttpClient upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private readonly LocalRegistry registry;
    private readonly Task loop;

    public BearerProxy(LocalRegistry registry, string? user = null, string? password = null, bool accessToken = false, int expireEvery = 0)
    {
        this.ExpireEvery = expireEvery;
        this.registry = registry;
        this.User = user;
        this.Password = password;
        this.AccessToken = accessToken;
        this.Port = FreePort.Next();
        this.listener.Prefixes.Add($"http://127.0.0.1:{this.Port}/");
        this.listener.Start();
        this.loop = Task.Run(this.ServeAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{this.Port}";

    /// <summary>The user the token server asks for, or null to give tokens to anyone.</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>Every this many forwarded requests, the token expires (the next request with it is challenged again); 0: never.</summary>
    public int ExpireEvery { get; }

    /// <summary>How many tokens expired while in use.</summary>
    public int Expired => Volatile.Read(ref this.generation);

    /// <summary>The token of now: opaque, no JWT.</summary>
    private string Token => $"opaque-token-7f3a-{Volatile.Read(ref this.generation)}";

    /// <summary>Answer OAuth's access_token rather than token.</summary>
    public bool AccessToken { get; }

    /// <summary>The query strings the token server was asked with, and whether each came with the right Basic credentials.</summary>
    public List<(string Query, bool Authenticated, bool SentCredentials)> TokenRequests { get; } = [];

    public void Dispose()
    {
        this.listener.Stop();
        this.listener.Close();
        try
        {
            this.loop.Wait(5000);
        }
        catch (AggregateException)
        {
        }

        this.upstream.Dispose();
    }

    private async Task ServeAsync()
    {
        while (this.listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await this.listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => this.AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (request.Url!.AbsolutePath == "/token")
            {
                var basic = this.User is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{this.User}:{this.Password}"));
                var authenticated = basic is not null && request.Headers["Authorization"] == basic;
                lock (this.TokenRequests)
                {
                    this.TokenRequests.Add((request.Url.Query, authenticated, request.Headers["Authorization"] is not null));
                }

                if (basic is not null && !authenticated)
                {
                    await Write(response, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"wrong user or password\"}]}");
                    return;
                }

                await Write(response, 200, $"{{\"{(this.AccessToken ? "access_token" : "token")}\":\"{this.Token}\",\"expires_in\":300}}");
                return;
            }

            if (request.Headers["Authorization"] != "Bearer " + this.Token)
            {
                // As a registry behind nginx does: the body is read (and dropped) before the challenge.
                await request.InputStream.CopyToAsync(Stream.Null);
                response.Headers["WWW-Authenticate"] = $"Bearer realm=\"http://{this.Address}/token\",service=\"test-registry\"";
                await Write(response, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }

            await this.ForwardAsync(request, response);
            if (this.ExpireEvery > 0 && Interlocked.Increment(ref this.forwarded) % this.ExpireEvery == 0)
            {
                Interlocked.Increment(ref this.generation);
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException)
        {
            response.Abort();
        }
    }

    private async Task ForwardAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), $"http://{this.registry.Address}{request.Url!.PathAndQuery}");
        forward.Headers.Host = this.Address;
        if (request.HasEntityBody || request.ContentLength64 > 0)
        {
            forward.Content = new StreamContent(request.InputStream);
            forward.Content.Headers.ContentLength = request.ContentLength64;
            foreach (var name in new[] { "Content-Type", "Content-Range" })
            {
                if (request.Headers[name] is { } value)
                {
                    forward.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }

        if (request.Headers["Accept"] is { } accept)
        {
            forward.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var answer = await this.upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (name == "Content-Type")
            {
                response.ContentType = string.Join(",", values);
            }
            else if (name is not ("Content-Length" or "Transfer-Encoding" or "Connection" or "Date" or "Keep-Alive"))
            {
                response.Headers[name] = string.Join(",", values);
            }
        }

        var body = await answer.Content.ReadAsByteArrayAsync();
        if (request.HttpMethod == "HEAD")
        {
            response.ContentLength64 = answer.Content.Headers.ContentLength ?? 0;
        }
        else
        {
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }

        response.Close();
    }

    private static async Task Write(HttpListenerResponse response, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
