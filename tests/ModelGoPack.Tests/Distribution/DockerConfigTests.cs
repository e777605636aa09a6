using System.Text;
using ModelGoPack.Diagnostics;
using ModelGoPack.Distribution;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.Distribution;

public sealed class DockerConfigTests
{
    [Fact]
    public void DOCKER_CONFIG_comes_before_HOME()
    {
        Assert.Equal(Path.Combine("/cfg", "config.json"), DockerConfig.PathFrom(n => n switch { "DOCKER_CONFIG" => "/cfg", "HOME" => "/home/u", _ => null }));
        Assert.Equal(Path.Combine("/home/u", ".docker", "config.json"), DockerConfig.PathFrom(n => n == "HOME" ? "/home/u" : null));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("https://127.0.0.1:5000", true)]
    [InlineData("http://127.0.0.1:5000/v2/", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:50000", false)]
    public void An_auths_key_names_the_registry_with_or_without_scheme_and_path(string key, bool matches) =>
        Assert.Equal(matches, DockerConfig.Matches(key, "127.0.0.1:5000"));

    [Theory]
    [InlineData("{\"auths\":{\"r.io\":{\"auth\":\"dTpwOnc=\"}}}", "u", "p:w")]
    [InlineData("{\"auths\":{\"r.io\":{\"username\":\"u\",\"password\":\"pw-secret\"}}}", "u", "pw-secret")]
    public void Reads_a_base64_auth_or_username_and_password(string json, string user, string password)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("config.json"), json);
        var diagnostics = new DiagnosticBag();
        var credentials = DockerConfig.Find(temp.Combine("config.json"), "r.io", diagnostics);
        Assert.Empty(diagnostics.Items);
        Assert.Equal((user, password), (credentials!.Username, credentials.Password));
        Assert.DoesNotContain(password, credentials.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"auths\":", "MGP9058", "it is not JSON")]
    [InlineData("[]", "MGP9058", "it is not a JSON object")]
    [InlineData("{\"auths\":{\"r.io\":{\"auth\":\"***\"}}}", "MGP9058", "its auth for r.io is not base64 of UTF-8 text")]
    [InlineData("{\"auths\":{\"r.io\":{\"auth\":\"bm9jb2xvbg==\"}}}", "MGP9058", "its auth for r.io is not base64 of user:password")]
    [InlineData("{\"auths\":{\"r.io\":\"x\"}}", "MGP9058", "its auths entry for r.io is not a JSON object")]
    [InlineData("{\"credHelpers\":{\"r.io\":\"gcloud\"}}", "MGP9057", "the credential helper docker-credential-gcloud (credHelpers)")]
    [InlineData("{\"auths\":{\"r.io\":{\"identitytoken\":\"t\"}}}", "MGP9057", "an identity token (identitytoken)")]
    [InlineData("{\"auths\":{},\"credsStore\":\"pass\"}", "MGP9057", "the credential store docker-credential-pass (credsStore)")]
    public void A_config_that_cannot_be_used_is_coded(string json, string code, string why)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("config.json"), json, new UTF8Encoding(false));
        var diagnostics = new DiagnosticBag();
        Assert.Null(DockerConfig.Find(temp.Combine("config.json"), "r.io", diagnostics));
        var d = Assert.Single(diagnostics.Items);
        Assert.Equal(code, d.Code);
        Assert.Contains(why, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_config_is_no_credentials_and_no_finding()
    {
        using var temp = new TempDirectory();
        var diagnostics = new DiagnosticBag();
        Assert.Null(DockerConfig.Find(temp.Combine("config.json"), "r.io", diagnostics));
        Assert.Empty(diagnostics.Items);
    }
}
