using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ModelGoPack.Distribution;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Distribution;

/// <summary>
/// push against registries that answer what a registry should not (in memory, no sockets): an upload Location on another
/// host, a token realm on plain HTTP elsewhere, a HEAD that names another blob, a Location that is no HTTP, an answer
/// that never comes. Credentials stay with the registry; every case is a coded finding, never a hang or MGP8099.
/// </summary>
public sealed class HostileRegistryTests
{
    private const string Password = "S3cret-Passw0rd";

    [Fact]
    public async Task An_upload_Location_on_another_host_gets_no_credentials()
    {
        var registry = new FakeRegistry(basic: true) { Location = "http://192.0.2.7:9/upload/x?state=1" };
        var result = await Push(registry, "127.0.0.1:1/models/m:1", withCredentials: true, plainHttp: true);

        Assert.True(result.ExitCode == 0, string.Join("\n", result.Diagnostics));
        var elsewhere = registry.Seen.Where(s => s.Uri.Host == "192.0.2.7").ToList();
        Assert.NotEmpty(elsewhere);
        Assert.All(elsewhere, s => Assert.Null(s.Authorization));
        Assert.Contains(registry.Seen, s => s.Uri.Host == "127.0.0.1" && s.Authorization?.StartsWith("Basic ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_token_realm_on_plain_HTTP_on_another_host_never_gets_the_password()
    {
        var registry = new FakeRegistry(basic: false) { Realm = "http://192.0.2.7:9/token" };
        var result = await Push(registry, "127.0.0.1:1/models/m:1", withCredentials: true, plainHttp: false);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP9056", error.Code);
        Assert.Contains("not sent there unencrypted", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Seen, s => s.Uri.Host == "192.0.2.7");
    }

    [Fact]
    public async Task A_HEAD_that_answers_another_size_is_not_taken_as_the_blob()
    {
        var registry = new FakeRegistry(basic: false) { HeadLength = 1 };
        var result = await Push(registry, "127.0.0.1:1/models/m:1", withCredentials: false, plainHttp: true);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP9056", error.Code);
        Assert.Contains("this is not the blob", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Seen, s => s.Method == "PUT" && s.Uri.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Location_that_is_not_HTTP_is_MGP9056()
    {
        var registry = new FakeRegistry(basic: false) { Location = "ftp://192.0.2.7/x" };
        var result = await Push(registry, "127.0.0.1:1/models/m:1", withCredentials: false, plainHttp: true);

        Assert.Equal("MGP9056", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public async Task A_registry_that_stops_answering_fails_after_the_idle_time()
    {
        var registry = new FakeRegistry(basic: false) { Silent = true };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await Push(registry, "127.0.0.1:1/models/m:1", withCredentials: false, plainHttp: true, idle: TimeSpan.FromSeconds(1));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP9056", error.Code);
        Assert.Contains("no progress for 1 s", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), watch.Elapsed.ToString());
    }

    private static async Task<PushResult> Push(FakeRegistry registry, string target, bool withCredentials, bool plainHttp, TimeSpan? idle = null)
    {
        using var temp = new TempDirectory();
        var layout = temp.Combine("layout");
        PushTests.Model().Write(layout);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Password}"));
        var environment = PushTests.Environment(temp, withCredentials ? $"{{\"auths\":{{\"127.0.0.1:1\":{{\"auth\":\"{auth}\"}}}}}}" : null);
        var result = await RegistryPusher.PushAsync(new PushRequest
        {
            Layout = layout,
            Target = target,
            PlainHttp = plainHttp,
            Environment = environment.GetValueOrDefault,
            Handler = _ => registry,
            IdleTimeout = idle,
        });
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains(Password, StringComparison.Ordinal) || d.Message.Contains(auth, StringComparison.Ordinal));
        return result;
    }

    /// <summary>A registry in memory: Basic or Bearer, uploads to <see cref="Location"/>, and the faults the test names.</summary>
    private sealed class FakeRegistry(bool basic) : HttpMessageHandler
    {
        public ConcurrentQueue<(string Method, Uri Uri, string? Authorization)> Seen { get; } = new();

        public string Location { get; init; } = "/upload/x?state=1";

        public string Realm { get; init; } = "https://127.0.0.1:1/token";

        public long? HeadLength { get; init; }

        public bool Silent { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            this.Seen.Enqueue((request.Method.Method, uri, request.Headers.Authorization?.ToString()));
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(Stream.Null, cancellationToken);
            }

            if (this.Silent && request.Method == HttpMethod.Head)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var path = uri.AbsolutePath;
            var answer = new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request, Content = new ByteArrayContent([]) };
            answer.Headers.Add("Docker-Distribution-API-Version", "registry/2.0");
            if (path == "/token")
            {
                answer.StatusCode = HttpStatusCode.OK;
                answer.Content = new StringContent("{\"token\":\"tok\"}");
            }
            else if (uri.Host == "127.0.0.1" && (basic ? request.Headers.Authorization?.Scheme != "Basic" : request.Headers.Authorization?.ToString() != "Bearer tok"))
            {
                answer.StatusCode = HttpStatusCode.Unauthorized;
                answer.Headers.WwwAuthenticate.ParseAdd(basic ? "Basic realm=\"r\"" : $"Bearer realm=\"{this.Realm}\",service=\"s\"");
            }
            else if (path == "/v2/")
            {
                answer.StatusCode = HttpStatusCode.OK;
            }
            else if (request.Method == HttpMethod.Head && this.HeadLength is { } length)
            {
                answer.StatusCode = HttpStatusCode.OK;
                answer.Content.Headers.ContentLength = length;
            }
            else if (request.Method == HttpMethod.Post)
            {
                answer.StatusCode = HttpStatusCode.Accepted;
                answer.Headers.TryAddWithoutValidation("Location", this.Location);
            }
            else if (request.Method == HttpMethod.Put)
            {
                answer.StatusCode = HttpStatusCode.Created;
            }

            return answer;
        }
    }
}
