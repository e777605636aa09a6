namespace ModelGoPack.Hosting;

/// <summary>The git that lineage runs: MODELGOPACK_GIT when the environment sets it, else <c>git</c> on the PATH.</summary>
public static class GitExecutable
{
    /// <summary>The environment variable that names another git executable.</summary>
    public const string Variable = "MODELGOPACK_GIT";

    /// <summary>The git run when the environment names none.</summary>
    public const string Default = "git";

    /// <summary>The git executable <paramref name="environment"/> names, or <see cref="Default"/>.</summary>
    public static string From(Func<string, string?> environment) => environment(Variable) is { Length: > 0 } git ? git : Default;
}
