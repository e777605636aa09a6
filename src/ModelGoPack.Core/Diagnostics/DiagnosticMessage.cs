using System.Globalization;
using System.Text;

namespace ModelGoPack.Diagnostics;

/// <summary>
/// One named message of a rule (MinVer's way: one code per named message): a composite format whose holes
/// ({0}, {1}, …) the call site fills with what it found. A literal <c>{help}</c> stands for the rule's fix-it
/// help, spliced in here once, so that no call site appends help text by hand. Every message lives in
/// <see cref="Messages"/>, so that the wording of every finding can be read and reviewed in one place.
/// </summary>
public sealed class DiagnosticMessage
{
    /// <summary>The hole that stands for <see cref="DiagnosticDescriptor.Help"/>.</summary>
    public const string HelpHole = "{help}";

    private readonly CompositeFormat composite;

    public DiagnosticMessage(DiagnosticDescriptor descriptor, string format)
    {
        this.Descriptor = descriptor;
        this.Format = format;
        // The help is text, not a format: its braces (a template's {{ upstream.statement }}) are doubled to stay literal.
        var help = descriptor.Help.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        this.composite = CompositeFormat.Parse(format.Replace(HelpHole, help, StringComparison.Ordinal));
    }

    /// <summary>The rule this message reports.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The format as declared, with its <c>{help}</c> hole.</summary>
    public string Format { get; }

    /// <summary>How many values the call site fills in.</summary>
    public int ArgumentCount => this.composite.MinimumArgumentCount;

    /// <summary>The message with its holes filled in (invariant culture: reports read the same on every machine).</summary>
    /// <exception cref="ArgumentException">When the number of values is not the format's: a defect at the call site.</exception>
    public MessageText With(params object?[] args)
    {
        if (args.Length != this.ArgumentCount)
        {
            throw new ArgumentException($"{this.Descriptor.Code}'s message \"{this.Format}\" takes {this.ArgumentCount} values, not {args.Length}.", nameof(args));
        }

        return new MessageText(this.Descriptor, string.Format(CultureInfo.InvariantCulture, this.composite, args));
    }

    public override string ToString() => $"{this.Descriptor.Code}: {this.Format}";
}

/// <summary>A message with its holes filled in: what a <see cref="DiagnosticBag"/> records, with where it was found.</summary>
public readonly record struct MessageText(DiagnosticDescriptor Descriptor, string Text)
{
    /// <summary>The finding this message makes at a place.</summary>
    public Diagnostic At(string? path = null, int line = 0, int column = 0) => new(this.Descriptor, this.Text, path, line, column);
}
