using System.Globalization;

namespace ModelGoPack.Inspection.Pickle;

/// <summary>What a shadow stack value is: the kinds the machine tells apart; everything else is opaque.</summary>
internal enum Kind : byte
{
    Opaque,
    None,
    Bool,
    Int,
    BigInt,
    Str,
    Global,
    Tuple,
    Storage,
    Tensor,
}

/// <summary>A shadow of one pickle stack value: only what resolving storages needs.</summary>
internal readonly record struct Value(Kind Kind, long Number = 0, object? Ref = null)
{
    public static readonly Value Opaque = new(Kind.Opaque);
    public static readonly Value EmptyTuple = new(Kind.Tuple, 1, Array.Empty<Value>());

    public string? Text => this.Kind == Kind.Str ? (string)this.Ref! : null;

    // Tuples keep their items while short and shallow (the persistent id, the rebuild arguments).
    public Value[]? Items => this.Kind == Kind.Tuple ? (Value[])this.Ref! : null;

    public int Depth => this.Kind == Kind.Tuple ? (int)this.Number : 0;

    // A tensor keeps its size tuple's items (all ints, none negative) and the index of its storage's class.
    public Value[]? Size => this.Kind == Kind.Tensor ? (Value[])this.Ref! : null;

    /// <summary>The value as a message quotes it: an int, a string, a global, or its kind.</summary>
    public string Describe() => this.Kind switch
    {
        Kind.Int => this.Number.ToString(CultureInfo.InvariantCulture),
        Kind.Str => $"'{this.Ref}'",
        Kind.Global => ((GlobalName)this.Ref!).ToString(),
        _ => this.Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A global a pickle names (GLOBAL, STACK_GLOBAL): a module and a name, never imported.</summary>
internal sealed record GlobalName(string Module, string Name)
{
    public override string ToString() => this.Module + "." + this.Name;
}
