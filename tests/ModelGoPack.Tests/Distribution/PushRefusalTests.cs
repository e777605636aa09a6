using System.Net;
using ModelGoPack.Oci;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Distribution;

/// <summary>What push refuses before it uploads: a layout it cannot push (MGP9051), a target without a tag (MGP9050), and addresses that are no registry (MGP9053).</summary>
public sealed class PushRefusalTests
{
    [Theory]
    [InlineData(404, "text/html", "404 Not Found")]
    [InlineData(200, "text/html", "200 OK with text/html and no Docker-Distribution-API-Version header")]
    public async Task A_web_server_that_is_no_registry_is_MGP9053(int status, string type, string answered)
    {
        using var temp = new TempDirectory();
        var layout = temp.Combine("layout");
        PushTests.Model().Write(layout);
        var port = FreePort.Next();
        using var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var serving = Task.Run(async () =>
        {
            // A web site: every path is a page (or none), never the distribution API.
            while (server.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await server.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var page = "<html><body>It works!</body></html>"u8.ToArray();
                context.Response.StatusCode = status;
                context.Response.ContentType = type;
                context.Response.ContentLength64 = page.Length;
                await context.Response.OutputStream.WriteAsync(page);
                context.Response.Close();
            }
        });

        var (exit, stdout, _) = CliRunner.Run(PushTests.Environment(temp), "push", layout, $"127.0.0.1:{port}/models/x:1.0", "--plain-http", "--quiet");
        server.Stop();
        await serving;
        Assert.Equal(2, exit);
        Assert.StartsWith($"error MGP9053: 127.0.0.1:{port} is not an OCI registry: GET http://127.0.0.1:{port}/v2/ answered {answered}. ", stdout, StringComparison.Ordinal);
        Assert.Contains("needs --plain-http", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_listening_or_HTTPS_spoken_to_a_plain_HTTP_registry_is_MGP9053()
    {
        using var temp = new TempDirectory();
        var layout = temp.Combine("layout");
        PushTests.Model().Write(layout);
        var port = FreePort.Next();
        var (exit, stdout, _) = CliRunner.Run(PushTests.Environment(temp), "push", layout, $"127.0.0.1:{port}/models/x:1.0", "--plain-http", "--quiet");
        Assert.Equal(2, exit);
        Assert.StartsWith($"error MGP9053: 127.0.0.1:{port} cannot be reached as a registry: Connection refused", stdout, StringComparison.Ordinal);

        using var registry = LocalRegistry.Start();
        var (tls, stdout2, _) = CliRunner.Run(PushTests.Environment(temp), "push", layout, $"{registry.Address}/models/x:1.0", "--quiet");
        Assert.Equal(2, tls);
        Assert.StartsWith($"error MGP9053: {registry.Address} cannot be reached as a registry: The SSL connection could not be established", stdout2, StringComparison.Ordinal);
        Assert.Equal(0, registry.Requests("POST", "/blobs/uploads/"));
    }

    [Theory]
    [InlineData("no-marker", "it is not an OCI image layout (it has no oci-layout file)")]
    [InlineData("not-a-model", "its manifest sha256:")]
    [InlineData("missing-blob", "of layer 1 ('README.md') is missing")]
    [InlineData("short-blob", "of layer 1 ('README.md') is 10 bytes; its descriptor says 11")]
    [InlineData("unknown-ref", "index.json names no image manifest 'nope' (it names: 1.0)")]
    public void A_layout_that_cannot_be_pushed_is_MGP9051_before_any_request(string damage, string why)
    {
        using var temp = new TempDirectory();
        var layout = temp.Combine("layout");
        var builder = PushTests.Model();
        builder.ArtifactType = damage == "not-a-model" ? "application/vnd.example.thing" : builder.ArtifactType;
        builder.Write(layout);
        var readme = OciLayoutBuilder.Digest("# tiny-llm\n"u8.ToArray());
        switch (damage)
        {
            case "no-marker":
                File.Delete(Path.Combine(layout, OciMediaTypes.LayoutFile));
                break;
            case "missing-blob":
                File.Delete(OciLayout.BlobPath(layout, readme));
                break;
            case "short-blob":
                File.WriteAllText(OciLayout.BlobPath(layout, readme), "# tiny-llm");
                break;
        }

        // Port 9 (discard): nothing is asked of it, since the layout is refused first.
        var (exit, stdout, _) = CliRunner.Run(PushTests.Environment(temp), "push", damage == "unknown-ref" ? layout + ":nope" : layout, "127.0.0.1:9/models/x:1.0", "--plain-http", "--quiet");
        Assert.Equal(2, exit);
        Assert.StartsWith($"{layout}: error MGP9051: '{layout}' cannot be pushed: ", stdout, StringComparison.Ordinal);
        Assert.Contains(why, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_tag_or_ref_name_or_with_another_digest_the_target_is_MGP9050()
    {
        using var temp = new TempDirectory();
        var layout = temp.Combine("layout");
        var pushed = new OciLayoutBuilder { RefName = null }.Layer("a.bin", 10, seed: 2).Write(layout);

        var (exit, stdout, _) = CliRunner.Run(PushTests.Environment(temp), "push", layout, "127.0.0.1:9/models/x", "--plain-http", "--quiet");
        Assert.Equal(2, exit);
        Assert.StartsWith("error MGP9050: '127.0.0.1:9/models/x' names no tag, and the manifest pushed has no ref name", stdout, StringComparison.Ordinal);

        var other = "sha256:" + new string('0', 64);
        var (exit2, stdout2, _) = CliRunner.Run(PushTests.Environment(temp), "push", layout, $"127.0.0.1:9/models/x@{other}", "--plain-http", "--quiet");
        Assert.Equal(2, exit2);
        Assert.StartsWith($"error MGP9050: '127.0.0.1:9/models/x@{other}' names the digest {other}, but the manifest pushed is {pushed.Digest}.", stdout2, StringComparison.Ordinal);
    }
}
