using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;

namespace ModelGoPack.Rendering;

/// <summary>
/// Scriban's built-in objects (<c>string</c>, <c>array</c>, <c>object</c>, <c>date</c>, ...), each made the first time
/// a template names it. Scriban's default builtins make all twelve for the first template of a process, and each fills
/// itself with its class's methods by reflection: about a tenth of a warm <c>check</c>'s CPU time in the native tool,
/// where the built-in NOTICE template uses only <c>string</c>. The same objects, read-only as Scriban makes them.
/// </summary>
internal sealed class LazyBuiltins() : ScriptObject(12, autoImportStaticsFromThisType: false)
{
    // Scriban 7.5's BuiltinFunctions, name for name.
    private static readonly Dictionary<string, Func<object>> Factories = new(StringComparer.Ordinal)
    {
        ["array"] = () => new ArrayFunctions(),
        ["empty"] = () => EmptyScriptObject.Default,
        ["blank"] = () => EmptyScriptObject.Default,
        ["include"] = () => new IncludeFunction(),
        ["include_join"] = () => new IncludeJoinFunction(),
        ["date"] = () => new DateTimeFunctions(),
        ["html"] = () => new HtmlFunctions(),
        ["math"] = () => new MathFunctions(),
        ["object"] = () => new ObjectFunctions(),
        ["regex"] = () => new RegexFunctions(),
        ["string"] = () => new StringFunctions(),
        ["timespan"] = () => new TimeSpanFunctions(),
    };

    /// <summary>The names Scriban's own builtins object holds, for the test that keeps this class in step with it.</summary>
    public static IEnumerable<string> Names => Factories.Keys;

    public override bool Contains(string member) => base.Contains(member) || Factories.ContainsKey(member);

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        if (!base.Contains(member) && Factories.TryGetValue(member, out var make))
        {
            this.SetValue(member, make(), readOnly: true);
        }

        return base.TryGetValue(context, span, member, out value);
    }

    public override bool CanWrite(string member) => !Factories.ContainsKey(member) && base.CanWrite(member);
}
