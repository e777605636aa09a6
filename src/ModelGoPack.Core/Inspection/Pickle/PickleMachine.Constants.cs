using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ModelGoPack.Inspection.Pickle;

/// <summary>The opcodes that push a constant (none, bools, ints, floats, strings, bytes, buffers) and the memo's.</summary>
internal sealed partial class PickleMachine
{
    private bool StepConstant()
    {
        switch (this.opcode)
        {
            case Opcodes.Float:
                reader.ReadLine(0, "FLOAT");
                this.Push(Value.Opaque);
                break;
            case Opcodes.Int:
                this.Push(ParseInt(reader.ReadLine(32, "INT"), allowBool: true));
                break;
            case Opcodes.Long:
                this.Push(ParseInt(reader.ReadLine(32, "LONG"), allowBool: false));
                break;
            case Opcodes.BinInt:
                this.Push(new Value(Kind.Int, BinaryPrimitives.ReadInt32LittleEndian(reader.ReadFixed(4, "BININT"))));
                break;
            case Opcodes.BinInt1:
                this.Push(new Value(Kind.Int, reader.ReadFixed(1, "BININT1")[0]));
                break;
            case Opcodes.BinInt2:
                this.Push(new Value(Kind.Int, BinaryPrimitives.ReadUInt16LittleEndian(reader.ReadFixed(2, "BININT2"))));
                break;
            case Opcodes.Long1:
                this.Push(this.ReadLong(reader.ReadFixed(1, "LONG1")[0], "LONG1"));
                break;
            case Opcodes.Long4:
                this.Push(this.ReadLong(BinaryPrimitives.ReadInt32LittleEndian(reader.ReadFixed(4, "LONG4")), "LONG4"));
                break;
            case Opcodes.None:
                this.Push(new Value(Kind.None));
                break;
            case Opcodes.NewTrue:
            case Opcodes.NewFalse:
                this.Push(new Value(Kind.Bool, this.opcode == Opcodes.NewTrue ? 1 : 0));
                break;
            case Opcodes.BinFloat:
                reader.ReadFixed(8, "BINFLOAT");
                this.Push(Value.Opaque);
                break;
            case Opcodes.String:
                this.Push(Str(Unquote(reader.ReadLine(MaxKeptString, "STRING"))));
                break;
            case Opcodes.Unicode:
                this.Push(Str(reader.ReadLine(MaxKeptString, "UNICODE")));
                break;
            case Opcodes.BinString:
                this.Push(this.ReadString(BinaryPrimitives.ReadInt32LittleEndian(reader.ReadFixed(4, "BINSTRING")), "BINSTRING", Encoding.Latin1));
                break;
            case Opcodes.ShortBinString:
                this.Push(this.ReadString(reader.ReadFixed(1, "SHORT_BINSTRING")[0], "SHORT_BINSTRING", Encoding.Latin1));
                break;
            case Opcodes.BinUnicode:
                this.Push(this.ReadString(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "BINUNICODE")), "BINUNICODE", Encoding.UTF8));
                break;
            case Opcodes.ShortBinUnicode:
                this.Push(this.ReadString(reader.ReadFixed(1, "SHORT_BINUNICODE")[0], "SHORT_BINUNICODE", Encoding.UTF8));
                break;
            case Opcodes.BinUnicode8:
                this.Push(this.ReadString(Length8(reader.ReadFixed(8, "BINUNICODE8")), "BINUNICODE8", Encoding.UTF8));
                break;
            case Opcodes.BinBytes:
                this.SkipPayload(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "BINBYTES")), "BINBYTES");
                break;
            case Opcodes.ShortBinBytes:
                this.SkipPayload(reader.ReadFixed(1, "SHORT_BINBYTES")[0], "SHORT_BINBYTES");
                break;
            case Opcodes.BinBytes8:
                this.SkipPayload(Length8(reader.ReadFixed(8, "BINBYTES8")), "BINBYTES8");
                break;
            case Opcodes.ByteArray8:
                this.SkipPayload(Length8(reader.ReadFixed(8, "BYTEARRAY8")), "BYTEARRAY8");
                break;
            case Opcodes.NextBuffer:
                this.Push(Value.Opaque);
                break;
            case Opcodes.ReadOnlyBuffer:
                this.Top();
                break;
            default:
                return false;
        }

        return true;
    }

    private bool StepMemo()
    {
        switch (this.opcode)
        {
            case Opcodes.Get:
                this.Push(this.Recall(this.ParseIndex(reader.ReadLine(32, "GET"))));
                break;
            case Opcodes.BinGet:
                this.Push(this.Recall(reader.ReadFixed(1, "BINGET")[0]));
                break;
            case Opcodes.LongBinGet:
                this.Push(this.Recall(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "LONG_BINGET"))));
                break;
            case Opcodes.Put:
                this.Memoize(this.ParseIndex(reader.ReadLine(32, "PUT")));
                break;
            case Opcodes.BinPut:
                this.Memoize(reader.ReadFixed(1, "BINPUT")[0]);
                break;
            case Opcodes.LongBinPut:
                this.Memoize(BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadFixed(4, "LONG_BINPUT")));
                break;
            case Opcodes.Memoize:
                this.Memoize(this.memo.Count);
                break;
            default:
                return false;
        }

        return true;
    }

    private Value ReadLong(long length, string name)
    {
        if (length < 0)
        {
            throw this.Error($"declares a negative length ({length})");
        }

        this.CheckLength(length, name);
        if (length <= 8)
        {
            Span<byte> bytes = stackalloc byte[8];
            var payload = reader.ReadFixed((int)length, name);
            payload.CopyTo(bytes);
            if (length > 0 && (payload[^1] & 0x80) != 0)
            {
                bytes[(int)length..].Fill(0xFF);
            }

            return new Value(Kind.Int, BinaryPrimitives.ReadInt64LittleEndian(bytes));
        }

        if (length <= 16)
        {
            return new Value(Kind.BigInt, 0, reader.ReadFixed((int)length, name).ToArray());
        }

        reader.Skip(length, name);
        return Value.Opaque;
    }

    private Value ReadString(long length, string name, Encoding encoding)
    {
        if (length < 0)
        {
            throw this.Error($"declares a negative length ({length})");
        }

        this.CheckLength(length, name);
        if (length <= MaxKeptString)
        {
            return new Value(Kind.Str, 0, encoding.GetString(reader.ReadFixed((int)length, name)));
        }

        reader.Skip(length, name);
        return Value.Opaque;
    }

    private void SkipPayload(long length, string name)
    {
        if (length < 0)
        {
            throw this.Error($"declares a negative length ({length})");
        }

        this.CheckLength(length, name);
        reader.Skip(length, name);
        this.Push(Value.Opaque);
    }

    private void CheckLength(long length, string name)
    {
        var remaining = reader.Declared - reader.Position;
        if (length > remaining)
        {
            throw this.Error($"declares {length:N0} bytes, but only {Math.Max(remaining, 0):N0} remain in the pickle");
        }
    }

    private static long Length8(ReadOnlySpan<byte> bytes)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return value > long.MaxValue ? long.MaxValue : (long)value;
    }

    private static Value ParseInt((string Text, bool Whole) line, bool allowBool)
    {
        var text = line.Text.TrimEnd('L');
        if (!line.Whole)
        {
            return Value.Opaque;
        }

        if (allowBool && text is "00" or "01")
        {
            return new Value(Kind.Bool, text == "01" ? 1 : 0);
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? new Value(Kind.Int, value)
            : Value.Opaque;
    }

    private long ParseIndex((string Text, bool Whole) line) =>
        line.Whole && long.TryParse(line.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw this.Error($"has a memo index '{Truncate(line.Text, 32)}' that is not a number");

    // A protocol 0 STRING argument is a quoted Python literal; escapes are left as they are.
    private static (string Text, bool Whole) Unquote((string Text, bool Whole) line) =>
        line.Text.Length >= 2 && line.Text[0] == line.Text[^1] && line.Text[0] is '\'' or '"'
            ? (line.Text[1..^1], line.Whole)
            : line;

    private static Value Str((string Text, bool Whole) line) => line.Whole ? new Value(Kind.Str, 0, line.Text) : Value.Opaque;

    private Value Recall(long index) =>
        this.memo.TryGetValue(index, out var value) ? value : throw this.Error($"reads memo entry {index}, which was never stored");

    private void Memoize(long index)
    {
        var value = this.Top();
        if (this.memo.Count >= MaxMemo && !this.memo.ContainsKey(index))
        {
            throw this.Error($"stores more than {MaxMemo:N0} memo entries");
        }

        this.memo[index] = value;
    }
}
