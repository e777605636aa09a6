using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// Debian's docker-registry (2.8), served by the test on 127.0.0.1 at a free port with its storage in a temporary
/// folder, optionally behind htpasswd basic auth (bcrypt entries made by htpasswd -B). Its access log is kept, so that a
/// test can count the requests it answered. Killed and removed on dispose.
/// </summary>
public sealed partial class LocalRegistry : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly Process process;
    private readonly List<string> log = [];

    private LocalRegistry(string? user, string? password)
    {
        this.Port = FreePort.Next();
        var auth = "";
        if (user is not null)
        {
            var (exit, entry) = ProcessRunner.Run("htpasswd", null, "-Bbn", user, password!);
            Assert.True(exit == 0, entry);
            File.WriteAllText(this.folder.Combine("htpasswd"), entry.Trim() + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: test-realm\n    path: {this.folder.Combine("htpasswd")}\n";
        }

        File.WriteAllText(this.folder.Combine("config.yml"),
            $"version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: {this.folder.Combine("data")}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{this.Port}\n{auth}");
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(this.folder.Combine("config.yml"));
        this.process = Process.Start(start)!;
        this.process.ErrorDataReceived += (_, e) => this.Keep(e.Data);
        this.process.OutputDataReceived += (_, e) => this.Keep(e.Data);
        this.process.BeginErrorReadLine();
        this.process.BeginOutputReadLine();
        this.WaitUntilServing();
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>host:port, as a reference names the registry.</summary>
    public string Address => $"127.0.0.1:{this.Port}";

    /// <summary>A registry without authentication.</summary>
    public static LocalRegistry Start() => new(null, null);

    /// <summary>A registry that asks for <paramref name="user"/> and <paramref name="password"/> (htpasswd, Basic).</summary>
    public static LocalRegistry StartWithBasicAuth(string user, string password) => new(user, password);

    /// <summary>How many requests of <paramref name="method"/> to a path holding <paramref name="pathPart"/> it has answered (its access log).</summary>
    public int Requests(string method, string pathPart)
    {
        lock (this.log)
        {
            return this.log.Select(l => AccessLine().Match(l)).Count(m => m.Success && m.Groups["method"].Value == method && m.Groups["path"].Value.Contains(pathPart, StringComparison.Ordinal));
        }
    }

    /// <summary>What it logged, for an assertion's message.</summary>
    public string Log
    {
        get
        {
            lock (this.log)
            {
                return string.Join("\n", this.log.TakeLast(40));
            }
        }
    }

    /// <summary>Whether the registry holds <c>REPO:REFERENCE</c> (HEAD of the manifest).</summary>
    public HttpStatusCode ManifestStatus(string repository, string reference)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{this.Address}/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = http.Send(request);
        return response.StatusCode;
    }

    public void Dispose()
    {
        try
        {
            this.process.Kill(entireProcessTree: true);
            this.process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        this.process.Dispose();
        this.folder.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (this.log)
            {
                this.log.Add(line);
            }
        }
    }

    private void WaitUntilServing()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            Assert.False(this.process.HasExited, "docker-registry ended:\n" + this.Log);
            try
            {
                using var response = http.GetAsync($"http://{this.Address}/v2/").GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Thread.Sleep(100);
        }

        Assert.Fail("docker-registry did not answer /v2/ within 30 s:\n" + this.Log);
    }

    [GeneratedRegex("\"(?<method>[A-Z]+) (?<path>\\S+) HTTP/[0-9.]+\" (?<status>[0-9]{3})")]
    private static partial Regex AccessLine();
}
