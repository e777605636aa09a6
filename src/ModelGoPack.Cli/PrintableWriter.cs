using System.Text;
using ModelGoPack.Reporting;

namespace ModelGoPack.Cli;

/// <summary>
/// Standard output and standard error as the command line writes them: every character a command prints
/// passes <see cref="PrintableText"/>, so no file name, message, fact read from a file or argument echoed
/// can carry a control character; only <c>WriteLine</c> ends a line. Every way to write text ends in an
/// override here (a write this class does not know goes through <see cref="Write(char)"/>, which escapes a
/// newline too), so nothing reaches the real stream unescaped.
/// </summary>
internal sealed class PrintableWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    /// <summary>Writes <paramref name="text"/> line by line (a JSON or SARIF document, whose strings escape their own control characters).</summary>
    public static void WriteLines(TextWriter output, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            output.WriteLine(line);
        }
    }

    public override void Write(char value) => inner.Write(PrintableText.IsUnprintable(value) ? PrintableText.Escape(value.ToString()) : value.ToString());

    public override void Write(string? value) => inner.Write(PrintableText.Escape(value));

    public override void Write(char[] buffer, int index, int count) => this.Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => this.Write(new string(buffer));

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value) => inner.WriteLine(PrintableText.Escape(value));

    public override void WriteLine(char[] buffer, int index, int count) => this.WriteLine(new string(buffer, index, count));

    public override void WriteLine(ReadOnlySpan<char> buffer) => this.WriteLine(new string(buffer));

    public override Task WriteAsync(char value) => inner.WriteAsync(PrintableText.Escape(value.ToString()));

    public override Task WriteAsync(string? value) => inner.WriteAsync(PrintableText.Escape(value));

    public override Task WriteAsync(char[] buffer, int index, int count) => this.WriteAsync(new string(buffer, index, count));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(PrintableText.Escape(new string(buffer.Span)).AsMemory(), cancellationToken);

    public override Task WriteLineAsync() => inner.WriteLineAsync();

    public override Task WriteLineAsync(char value) => inner.WriteLineAsync(PrintableText.Escape(value.ToString()));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(PrintableText.Escape(value));

    public override Task WriteLineAsync(char[] buffer, int index, int count) => this.WriteLineAsync(new string(buffer, index, count));

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) => inner.WriteLineAsync(PrintableText.Escape(new string(buffer.Span)).AsMemory(), cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
