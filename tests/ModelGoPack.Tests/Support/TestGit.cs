namespace ModelGoPack.Tests.Support;

/// <summary>Runs git in a test repository with a fixed identity, no user or system config, and the given commit time.</summary>
public static class TestGit
{
    /// <param name="root">The repository.</param>
    /// <param name="date">The author and committer time, in any form git reads (2026-03-02T01:00:00+09:00).</param>
    /// <param name="arguments">git's arguments.</param>
    public static void Run(string root, string date, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_DATE"] = date,
            ["GIT_AUTHOR_NAME"] = "Test",
            ["GIT_AUTHOR_EMAIL"] = "test@example.org",
            ["GIT_COMMITTER_NAME"] = "Test",
            ["GIT_COMMITTER_EMAIL"] = "test@example.org",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        };
        var (exit, output) = ProcessRunner.Run("git", root, environment, arguments);
        Assert.True(exit == 0, $"git {string.Join(' ', arguments)}: {output}");
    }
}
