using ModelGoPack.Distribution;

namespace ModelGoPack.Tests.Distribution;

public sealed class RegistryReferenceTests
{
    [Theory]
    [InlineData("127.0.0.1:5000/models/tiny-llm:1.0", "127.0.0.1:5000", "models/tiny-llm", "1.0", null)]
    [InlineData("localhost/tiny", "localhost", "tiny", null, null)]
    [InlineData("ghcr.io/org/sub/model_x", "ghcr.io", "org/sub/model_x", null, null)]
    [InlineData("[::1]:5000/a__b/c-d:V_1.2-rc", "[::1]:5000", "a__b/c-d", "V_1.2-rc", null)]
    [InlineData("reg.example:443/m@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "reg.example:443", "m", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parses_registry_repository_tag_and_digest(string text, string registry, string repository, string? tag, string? digest)
    {
        var reference = RegistryReference.Parse(text, out var problem);
        Assert.Null(problem);
        Assert.Equal(new RegistryReference(registry, repository, tag, digest), reference);
        Assert.Equal(text, reference!.ToString());
    }

    [Theory]
    [InlineData("docker.io/library/ubuntu:22.04")]
    [InlineData("index.docker.io/library/ubuntu:22.04")]
    public void Docker_Hubs_names_for_people_lead_to_its_API(string text)
    {
        var reference = RegistryReference.Parse(text, out var problem);
        Assert.Null(problem);
        Assert.Equal(new RegistryReference("registry-1.docker.io", "library/ubuntu", "22.04", null), reference);
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "registry-1.docker.io", true)]
    [InlineData("docker.io", "registry-1.docker.io", true)]
    [InlineData("index.docker.io", "registry-1.docker.io", true)]
    [InlineData("https://index.docker.io/v1/", "example.com", false)]
    [InlineData("registry-1.docker.io", "registry-1.docker.io", true)]
    [InlineData("https://ghcr.io", "ghcr.io", true)]
    [InlineData("ghcr.io:443", "ghcr.io", false)]
    public void Docker_logins_Hub_key_serves_its_API(string key, string registry, bool matches) =>
        Assert.Equal(matches, DockerConfig.Matches(key, registry));

    [Theory]
    [InlineData("ubuntu:22.04", "it names no registry")]
    [InlineData("library/ubuntu", "it names no registry")]
    [InlineData("127.0.0.1:5000/Models/x", "the repository 'Models/x' is not lowercase")]
    [InlineData("127.0.0.1:5000/models//x", "the repository 'models//x'")]
    [InlineData("127.0.0.1:5000/models/x:.bad", "the tag '.bad'")]
    [InlineData("127.0.0.1:5000/models/x:1.0\n", "the tag '1.0\n'")]
    [InlineData("127.0.0.1:5000/models/x@sha256:abc", "the digest 'sha256:abc'")]
    [InlineData("bad_host.io/x", "'bad_host.io' is not a host")]
    [InlineData("example.com:99999/x:1", "'example.com:99999' is not a host with an optional port (1 to 65535)")]
    [InlineData("[1]:5000/x:1", "'[1]:5000' is not a host")]
    public void Refuses_what_the_distribution_spec_does_not_name(string text, string problemStart)
    {
        Assert.Null(RegistryReference.Parse(text, out var problem));
        Assert.StartsWith(problemStart, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_target_is_MGP9050_before_the_layout_or_the_network_is_touched()
    {
        var (exit, stdout, _) = Support.CliRunner.Run("push", "/nonexistent/layout", "tiny-llm:1.0", "--quiet");
        Assert.Equal(2, exit);
        Assert.StartsWith("error MGP9050: 'tiny-llm:1.0' is not a registry reference: it names no registry", stdout, StringComparison.Ordinal);
    }
}
