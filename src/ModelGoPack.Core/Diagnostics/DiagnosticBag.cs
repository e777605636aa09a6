namespace ModelGoPack.Diagnostics;

/// <summary>Collects findings in the order they were found.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];

    public IReadOnlyList<Diagnostic> Items => this.items;

    public bool HasErrors => this.items.Exists(d => d.Severity == Severity.Error);

    public void Add(Diagnostic diagnostic) => this.items.Add(diagnostic);

    /// <summary>Records a message of <see cref="Messages"/>, its holes filled in, found at a place.</summary>
    public void Add(MessageText message, string? path = null, int line = 0, int column = 0) =>
        this.items.Add(message.At(path, line, column));

    /// <summary>Replaces each finding with what <paramref name="map"/> makes of it (used by waivers).</summary>
    public void Update(Func<Diagnostic, Diagnostic> map)
    {
        for (var i = 0; i < this.items.Count; i++)
        {
            this.items[i] = map(this.items[i]);
        }
    }

    /// <summary>The CLI exit code for these findings: 0 none, 1 compliance errors, 2 input errors.</summary>
    public int ExitCode => ExitCodes.For(this.items);
}
