namespace ModelGoPack.Diagnostics;

/// <summary>
/// Every message ModelGoPack reports, as a format named for what it says, beside the code it reports
/// (<see cref="DiagnosticCatalog"/>). The class is split by the part of the tool that raises its messages
/// (Messages/Config.cs, Messages/Verify.cs, …); a name is unique across the parts. A call site fills the holes:
/// <c>diagnostics.Add(Messages.ProjectNotAFolder.With(path), path)</c>.
/// </summary>
public static partial class Messages
{
    private static DiagnosticMessage M(DiagnosticDescriptor descriptor, string format) => new(descriptor, format);

    /// <summary>
    /// The message of a family that reports <paramref name="code"/>: one wording declared once for each code a reader may
    /// raise (a release that cannot be read, by the reader's code), picked by the code the reader gave.
    /// </summary>
    private static DiagnosticMessage ForCode(DiagnosticDescriptor code, params DiagnosticMessage[] family) =>
        Array.Find(family, m => m.Descriptor == code) ?? throw new ArgumentException($"No message of this family is declared for {code.Code}.", nameof(code));

    /// <summary>All messages, for the tests that check them against the catalog.</summary>
    /// <remarks>
    /// Computed when asked, not a field: the order in which the fields of a partial class's files are initialised is not
    /// defined, so a field made of the others could see some of them still null.
    /// </remarks>
    public static IReadOnlyList<(string Name, DiagnosticMessage Message)> All =>
        typeof(Messages).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticMessage))
            .Select(f => (f.Name, (DiagnosticMessage)f.GetValue(null)!))
            .OrderBy(m => m.Item2.Descriptor.Code, StringComparer.Ordinal)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ToArray();
}
