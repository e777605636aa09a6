namespace ModelGoPack.Verification;

/// <summary>A zip that readers would read differently, or that no reader reads; <see cref="NameProblem"/> when it is about a name (MGP9010).</summary>
internal sealed class ZipStructureException(string message, bool nameProblem = false) : IOException(message)
{
    public bool NameProblem { get; } = nameProblem;
}
