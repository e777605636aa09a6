using ModelGoPack.Distribution;

namespace ModelGoPack.Tests.Distribution;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parameters_are_read_quoted_or_not_with_commas_and_escapes_inside_quotes()
    {
        var parameters = AuthChallenge.ParseParameters("realm=\"https://auth.example/token\",service=\"registry.example\", scope=\"repository:a/b:pull,push\",error=insufficient_scope,Note=\"say \\\"hi\\\"\"");
        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["service"]);
        Assert.Equal("repository:a/b:pull,push", parameters["scope"]);
        Assert.Equal("insufficient_scope", parameters["error"]);
        Assert.Equal("say \"hi\"", parameters["note"]);
    }

    [Theory]
    [InlineData("{\"token\":\"t1\"}", "t1")]
    [InlineData("{\"access_token\":\"t2\",\"expires_in\":60}", "t2")]
    [InlineData("{\"token\":\"\",\"access_token\":\"t3\"}", "t3")]
    [InlineData("{\"token\":7}", null)]
    [InlineData("<html>", null)]
    public void A_token_server_answer_gives_token_or_access_token(string body, string? token) =>
        Assert.Equal(token, AuthChallenge.ReadToken(System.Text.Encoding.UTF8.GetBytes(body)));
}
