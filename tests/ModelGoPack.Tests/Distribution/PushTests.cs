using System.Net;
using System.Text;
using ModelGoPack.Distribution;
using ModelGoPack.Oci;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Distribution;

/// <summary>
/// push against a real registry: Debian's docker-registry on 127.0.0.1 (<see cref="LocalRegistry"/>), read back by
/// Debian's skopeo. Each test starts its own registry with its own storage.
/// </summary>
public sealed class PushTests
{
    /// <summary>A layout of a config and three layers, one of 3 MiB (chunked when the chunk is 1 MiB).</summary>
    internal static OciLayoutBuilder Model() => new OciLayoutBuilder()
        .Layer("README.md", Encoding.UTF8.GetBytes("# tiny-llm\n"), OciMediaTypes.DocRaw)
        .Layer("config.json", Encoding.UTF8.GetBytes("{\"hidden_size\":8}\n"), OciMediaTypes.WeightConfigRaw)
        .Layer("model.safetensors", 3 * 1024 * 1024 + 17, seed: 1);

    /// <summary>An environment whose Docker config is a folder of the test (the user's own is never read).</summary>
    internal static Dictionary<string, string?> Environment(TempDirectory temp, string? config = null)
    {
        var folder = temp.Combine("docker-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        if (config is not null)
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), config);
        }

        return new Dictionary<string, string?> { ["DOCKER_CONFIG"] = folder, ["HOME"] = temp.Path };
    }

    /// <summary>A config.json with a base64 auth for <paramref name="registry"/>.</summary>
    internal static string AuthConfig(string registry, string user, string password) =>
        $"{{\"auths\":{{\"{registry}\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))}\"}}}}}}";

    /// <summary>skopeo copies the pushed manifest back into a new layout; returns that layout's folder.</summary>
    internal static string CopyBack(TempDirectory temp, string source, string? creds = null)
    {
        var back = temp.Combine("back-" + Guid.NewGuid().ToString("N")[..8]);
        string[] arguments = ["copy", "--insecure-policy", "--src-tls-verify=false", .. creds is null ? Array.Empty<string>() : ["--src-creds", creds], $"docker://{source}", $"oci:{back}:back"];
        var (exit, output) = ProcessRunner.Run("skopeo", null, arguments);
        Assert.True(exit == 0, "skopeo copy back failed:\n" + output);
        return back;
    }

    /// <summary>The copied-back layout names the same manifest digest, and holds every blob byte for byte.</summary>
    internal static void AssertSame(string layout, OciDescriptor pushed, string back)
    {
        var manifest = OciLayout.SelectManifest(OciLayout.ReadIndex(back), "back");
        Assert.Equal(pushed.Digest, manifest.Digest);
        var bytes = OciLayout.ReadBlob(back, manifest, OciManifest.MaxBytes);
        var parsed = OciManifest.Parse(bytes);
        Assert.Equal(OciMediaTypes.ModelManifest, parsed.ArtifactType);
        foreach (var blob in parsed.Layers.Prepend(parsed.Config))
        {
            Assert.Equal(File.ReadAllBytes(OciLayout.BlobPath(layout, blob.Digest)), File.ReadAllBytes(OciLayout.BlobPath(back, blob.Digest)));
        }
    }

    [Fact]
    public void A_pushed_layout_is_what_skopeo_copies_back_and_a_second_push_uploads_nothing()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);

        // The layout is one skopeo reads (without --raw, skopeo 1.9.3 refuses any artifact that is no image).
        var (inspectExit, raw) = ProcessRunner.Run("skopeo", null, "inspect", "--raw", $"oci:{layout}:1.0");
        Assert.True(inspectExit == 0, raw);
        Assert.Equal(OciMediaTypes.ModelManifest, OciManifest.Parse(System.Text.Encoding.UTF8.GetBytes(raw)).ArtifactType);

        // No tag given: the manifest's ref name (1.0) is the tag.
        var (exit, stdout, stderr) = CliRunner.Run(Environment(temp), "push", layout, $"{registry.Address}/models/tiny-llm", "--plain-http", "--quiet");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal($"Pushed {layout} to {registry.Address}/models/tiny-llm:1.0 ({pushed.Digest}): uploaded 4 of 4 blobs ({BlobBytes(layout):N0} bytes), 0 already there.\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal("", stderr);
        var uploads = registry.Requests("POST", "/blobs/uploads/");
        Assert.Equal(4, uploads);

        AssertSame(layout, pushed, CopyBack(temp, $"{registry.Address}/models/tiny-llm:1.0"));

        // Again: every blob is there (HEAD), none is uploaded, and the tag is put again.
        var (again, stdout2, _) = CliRunner.Run(Environment(temp), "push", $"{layout}:1.0", $"{registry.Address}/models/tiny-llm:1.0", "--plain-http", "--quiet");
        Assert.Equal(0, again);
        Assert.EndsWith("uploaded 0 of 4 blobs (0 bytes), 4 already there.\n", stdout2.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(uploads, registry.Requests("POST", "/blobs/uploads/"));
        Assert.Equal(0, registry.Requests("PATCH", "/blobs/uploads/"));
        Assert.Equal(2, registry.Requests("PUT", "/manifests/1.0"));
    }

    [Fact]
    public async Task A_blob_larger_than_a_chunk_goes_in_chunks_with_Content_Range_and_arrives_whole()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);
        var progress = new ModelGoPack.Hashing.ProgressCounter();

        var result = await RegistryPusher.PushAsync(Request(temp, layout, $"{registry.Address}/models/chunked:v1") with { ChunkSize = 1024 * 1024, Progress = progress });

        Assert.True(result.ExitCode == 0, string.Join("\n", result.Diagnostics));
        // 3 MiB + 17 bytes: four PATCHes, then the PUT ?digest=; the three small blobs are one PUT each.
        Assert.True(registry.Requests("PATCH", "/blobs/uploads/") == 4, registry.Log);
        Assert.Equal(4, registry.Requests("PUT", "digest=sha256"));
        Assert.Equal(BlobBytes(layout), progress.BytesDone);
        Assert.Equal(4, progress.FilesDone);
        AssertSame(layout, pushed, CopyBack(temp, $"{registry.Address}/models/chunked:v1"));
    }

    [Fact]
    public async Task An_interrupted_push_tags_nothing_and_the_next_run_uploads_only_what_is_missing()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);
        var target = $"{registry.Address}/models/resumed:1.0";
        using var interrupt = new CancellationTokenSource();

        // One blob at a time, in the manifest's order: the third upload to start is interrupted (as Ctrl-C would).
        var posts = 0;
        var first = Request(temp, layout, target) with
        {
            Parallelism = 1,
            Handler = inner => new Fault(inner, request =>
            {
                if (request.Method == HttpMethod.Post && Interlocked.Increment(ref posts) == 3)
                {
                    interrupt.Cancel();
                }
            }),
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RegistryPusher.PushAsync(first, interrupt.Token));
        Assert.Equal(HttpStatusCode.NotFound, registry.ManifestStatus("models/resumed", "1.0"));

        var second = await RegistryPusher.PushAsync(first with { Handler = null }, CancellationToken.None);
        Assert.True(second.ExitCode == 0, string.Join("\n", second.Diagnostics));
        Assert.Equal((4, 2, 2), (second.Blobs, second.Uploaded, second.AlreadyThere));
        Assert.Equal(HttpStatusCode.OK, registry.ManifestStatus("models/resumed", "1.0"));
        AssertSame(layout, pushed, CopyBack(temp, target));
    }

    [Fact]
    public async Task A_failed_upload_is_MGP9056_with_nothing_tagged_and_a_run_again_completes()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);
        var target = $"{registry.Address}/models/faulty:1.0";

        // The connection breaks while the large blob is sent.
        var request = Request(temp, layout, target) with
        {
            Handler = inner => new Fault(inner, r =>
            {
                if (r.Method == HttpMethod.Put && r.Content?.Headers.ContentLength > 1024 * 1024)
                {
                    throw new HttpRequestException("connection reset by the test");
                }
            }),
        };
        var failed = await RegistryPusher.PushAsync(request);
        var error = Assert.Single(failed.Diagnostics);
        Assert.Equal("MGP9056", error.Code);
        Assert.StartsWith("PUT /v2/models/faulty/blobs/uploads/", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection reset by the test", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal(HttpStatusCode.NotFound, registry.ManifestStatus("models/faulty", "1.0"));

        var again = await RegistryPusher.PushAsync(request with { Handler = null });
        Assert.True(again.ExitCode == 0, string.Join("\n", again.Diagnostics));
        Assert.Equal(1, again.Uploaded);
        AssertSame(layout, pushed, CopyBack(temp, target));
    }

    [Fact]
    public void A_blob_altered_after_the_layout_was_written_is_MGP9051_and_never_committed()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        var builder = Model();
        builder.Write(layout);
        var weights = OciManifest.Parse(OciLayout.ReadBlob(layout, OciLayout.SelectManifest(OciLayout.ReadIndex(layout), null), OciManifest.MaxBytes)).Layers[2];
        var path = OciLayout.BlobPath(layout, weights.Digest);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var (exit, stdout, _) = CliRunner.Run(Environment(temp), "push", layout, $"{registry.Address}/models/altered:1.0", "--plain-http", "--quiet");
        Assert.Equal(2, exit);
        Assert.Contains($"error MGP9051: The blob {weights.Digest} of '{layout}' does not have that SHA-256 (it has {OciLayoutBuilder.Digest(bytes)})", stdout, StringComparison.Ordinal);
        Assert.EndsWith($"{layout} was not pushed: {registry.Address}/models/altered:1.0 was not tagged.\n", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var head = http.Send(new HttpRequestMessage(HttpMethod.Head, $"http://{registry.Address}/v2/models/altered/blobs/{weights.Digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, registry.ManifestStatus("models/altered", "1.0"));
    }

    [Fact]
    public void A_manifest_the_registry_refuses_is_MGP9054_with_its_own_words()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");

        Model().Write(layout);

        // docker-registry 2.8 refuses a foreign layer whose URL is not http or https (with 500, MANIFEST_BLOB_UNKNOWN).
        var file = new OciLayoutFile(layout);
        file.EditManifest(m =>
        {
            m["layers"]![0]!["mediaType"] = "application/vnd.oci.image.layer.v1.tar";
            m["layers"]![0]!["urls"] = new System.Text.Json.Nodes.JsonArray("ftp://example.com/readme");
        });
        var pushed = OciLayout.SelectManifest(OciLayout.ReadIndex(layout), null);

        var (exit, stdout, _) = CliRunner.Run(Environment(temp), "push", layout, $"{registry.Address}/models/refused:1.0", "--plain-http", "--quiet");
        Assert.Equal(2, exit);
        Assert.True(stdout.Contains($"error MGP9054: {registry.Address} rejected the manifest {pushed.Digest} for models/refused:1.0: 500 Internal Server Error (", StringComparison.Ordinal), stdout);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN: blob unknown to registry: sha256:", stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, registry.ManifestStatus("models/refused", "1.0"));
    }

    [Fact]
    public void Basic_auth_takes_the_auths_of_config_json_and_a_wrong_password_is_MGP9052()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.StartWithBasicAuth("alice", "s3cret");
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);
        var target = $"{registry.Address}/models/private:1.0";

        var environment = Environment(temp, AuthConfig(registry.Address, "alice", "wrong"));
        var (refused, stdout, _) = CliRunner.Run(environment, "push", layout, target, "--plain-http", "--quiet");
        Assert.Equal(2, refused);
        Assert.Contains($"error MGP9052: {registry.Address} refused user 'alice' from {Path.Combine(environment["DOCKER_CONFIG"]!, "config.json")} for models/private: 401 Unauthorized.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", stdout, StringComparison.Ordinal);
        Assert.Equal(0, registry.Requests("POST", "/blobs/uploads/"));

        var empty = Environment(temp);
        var (none, stdout2, _) = CliRunner.Run(empty, "push", layout, target, "--plain-http", "--quiet");
        Assert.Equal(2, none);
        Assert.Contains($"error MGP9052: {registry.Address} asks for credentials to push to models/private, and {Path.Combine(empty["DOCKER_CONFIG"]!, "config.json")} has none for {registry.Address}.", stdout2, StringComparison.Ordinal);

        // "username" and "password" under a key with a scheme, as some tools write it.
        var config = $"{{\"auths\":{{\"http://{registry.Address}/v2/\":{{\"username\":\"alice\",\"password\":\"s3cret\"}}}}}}";
        var (exit, stdout3, _) = CliRunner.Run(Environment(temp, config), "push", layout, target, "--plain-http", "--quiet");
        Assert.True(exit == 0, stdout3);
        AssertSame(layout, pushed, CopyBack(temp, target, "alice:s3cret"));
    }

    [Fact]
    public void Bearer_tokens_come_from_the_challenge_realm_with_the_credentials_or_anonymously()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);

        using (var proxy = new BearerProxy(registry, "bob", "hunter2"))
        {
            var target = $"{proxy.Address}/models/bearer:1.0";
            var (exit, stdout, _) = CliRunner.Run(Environment(temp, AuthConfig(proxy.Address, "bob", "hunter2")), "push", layout, target, "--plain-http", "--quiet");
            Assert.True(exit == 0, stdout);
            Assert.Contains(proxy.TokenRequests, r => r.Authenticated && r.Query == "?service=test-registry&scope=repository%3Amodels%2Fbearer%3Apull%2Cpush");
            AssertSame(layout, pushed, CopyBack(temp, $"{registry.Address}/models/bearer:1.0"));

            var environment = Environment(temp, AuthConfig(proxy.Address, "bob", "nope"));
            var (refused, stdout2, _) = CliRunner.Run(environment, "push", layout, target, "--plain-http", "--quiet");
            Assert.Equal(2, refused);
            Assert.Contains($"error MGP9052: {proxy.Address} refused user 'bob' from {Path.Combine(environment["DOCKER_CONFIG"]!, "config.json")} for models/bearer: its token server http://{proxy.Address}/token answered 401 Unauthorized (UNAUTHORIZED: wrong user or password).", stdout2, StringComparison.Ordinal);
        }

        using (var anonymous = new BearerProxy(registry, accessToken: true))
        {
            var (exit, stdout, _) = CliRunner.Run(Environment(temp), "push", layout, $"{anonymous.Address}/models/anonymous:2.0", "--plain-http", "--quiet");
            Assert.True(exit == 0, stdout);
            Assert.All(anonymous.TokenRequests, r => Assert.False(r.SentCredentials));
            Assert.NotEmpty(anonymous.TokenRequests);
        }
    }

    [Fact]
    public async Task A_token_that_expires_mid_upload_is_renewed_and_the_chunk_sent_again_is_hashed_and_counted_once()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        using var proxy = new BearerProxy(registry, expireEvery: 2);
        var layout = temp.Combine("layout");
        var pushed = Model().Write(layout);
        var progress = new ModelGoPack.Hashing.ProgressCounter();

        var result = await RegistryPusher.PushAsync(Request(temp, layout, $"{proxy.Address}/models/expiring:1.0") with { ChunkSize = 1024 * 1024, Parallelism = 1, Progress = progress });

        Assert.True(result.ExitCode == 0, string.Join("\n", result.Diagnostics));
        Assert.True(proxy.Expired >= 5, $"only {proxy.Expired} tokens expired");
        Assert.True(registry.Requests("PATCH", "/blobs/uploads/") == 4, registry.Log);
        Assert.Equal(BlobBytes(layout), progress.BytesDone);
        Assert.Equal(BlobBytes(layout), progress.BytesHashed);
        AssertSame(layout, pushed, CopyBack(temp, $"{registry.Address}/models/expiring:1.0"));
    }

    [Fact]
    public void A_credential_helper_is_named_as_not_read_and_the_push_goes_on_without_it()
    {
        using var temp = new TempDirectory();
        using var registry = LocalRegistry.Start();
        var layout = temp.Combine("layout");
        Model().Write(layout);

        var config = $"{{\"auths\":{{\"{registry.Address}\":{{}}}},\"credsStore\":\"desktop\"}}";
        var environment = Environment(temp, config);
        var file = Path.Combine(environment["DOCKER_CONFIG"]!, "config.json");
        var (exit, stdout, _) = CliRunner.Run(environment, "push", layout, $"{registry.Address}/models/helper:1.0", "--plain-http", "--quiet");
        Assert.Equal(0, exit);
        Assert.StartsWith($"{file}: warning MGP9057: '{file}' leaves the credentials for {registry.Address} to the credential store docker-credential-desktop (credsStore)", stdout, StringComparison.Ordinal);
        Assert.Contains("uploaded 4 of 4 blobs", stdout, StringComparison.Ordinal);
    }

    /// <summary>A push of <paramref name="layout"/> to <paramref name="target"/> over plain HTTP, with a Docker config of the test's.</summary>
    private static PushRequest Request(TempDirectory temp, string layout, string target)
    {
        var environment = Environment(temp);
        return new PushRequest { Layout = layout, Target = target, PlainHttp = true, Environment = environment.GetValueOrDefault };
    }

    private static long BlobBytes(string layout) =>
        new DirectoryInfo(Path.Combine(layout, "blobs", "sha256")).EnumerateFiles().Sum(f => f.Length)
        - OciLayout.SelectManifest(OciLayout.ReadIndex(layout), null).Size;

    /// <summary>Sees each request before it is sent, and may throw or cancel there (a fault made by the test).</summary>
    private sealed class Fault(HttpMessageHandler inner, Action<HttpRequestMessage> before) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            before(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
