namespace ModelGoPack.Inspection.Pickle;

/// <summary>
/// Scans one pickle, from PROTO (or its first opcode) to STOP, over a bounded shadow of the stack and memo. This
/// file holds the machine: its limits, the stack and its MARKs, and the dispatch of each opcode to the file that
/// reads its group (PickleMachine.Constants: numbers, strings, bytes and the memo; PickleMachine.Containers: tuples,
/// lists, dicts and sets; PickleMachine.Calls: globals, REDUCE, BUILD, objects and persistent ids); what torch adds,
/// storages and tensors, is in PickleMachine.Torch.
/// </summary>
internal sealed partial class PickleMachine(PickleReader reader)
{
    private const int MaxStack = 1_000_000;
    private const int MaxMarks = 10_000;
    private const int MaxMemo = 1_000_000;
    private const int MaxTupleItems = 16;
    private const int MaxTupleDepth = 2;
    private const int MaxKeptString = 256;

    private readonly List<Value> stack = [];
    private readonly List<int> marks = [];
    private readonly Dictionary<long, Value> memo = [];
    private long opcodeAt;
    private byte opcode;

    /// <summary>At most <paramref name="max"/> characters of <paramref name="value"/>, to quote in a message.</summary>
    public static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;

    /// <summary>Scans to STOP and returns the value left on top of the stack.</summary>
    public Value Run()
    {
        while (true)
        {
            this.opcodeAt = reader.Position;
            this.opcode = reader.ReadByte("an opcode (the pickle has no STOP)");
            if (this.opcode == Opcodes.Stop)
            {
                return this.Top();
            }

            this.Step();
        }
    }

    // Each group takes the opcodes it knows and says whether it took this one; the commonest groups ask first.
    private void Step()
    {
        if (!(this.StepConstant() || this.StepMemo() || this.StepContainer() || this.StepCall() || this.StepStack()))
        {
            throw new ArtifactFormatException(
                $"{reader.Source}: byte 0x{this.opcode:X2} at byte {this.opcodeAt:N0} is not a pickle opcode (protocols 0 to 5).");
        }
    }

    // MARK, POP, POP_MARK, DUP, and the framing opcodes PROTO and FRAME.
    private bool StepStack()
    {
        switch (this.opcode)
        {
            case Opcodes.Mark:
                if (this.marks.Count >= MaxMarks)
                {
                    throw this.Error($"opens more than {MaxMarks:N0} nested MARKs");
                }

                this.marks.Add(this.stack.Count);
                break;
            case Opcodes.Pop:
                if (this.stack.Count > this.Fence())
                {
                    this.stack.RemoveAt(this.stack.Count - 1);
                }
                else
                {
                    this.PopMark();
                }

                break;
            case Opcodes.PopMark:
                this.PopMark();
                break;
            case Opcodes.Dup:
                this.Push(this.Top());
                break;
            case Opcodes.Proto:
            {
                var protocol = reader.ReadFixed(1, "PROTO")[0];
                if (protocol > 5)
                {
                    throw this.Error($"names protocol {protocol}; the highest is 5");
                }

                break;
            }

            case Opcodes.Frame:
                reader.ReadFixed(8, "FRAME");
                break;
            default:
                return false;
        }

        return true;
    }

    private int Fence() => this.marks.Count == 0 ? 0 : this.marks[^1];

    private void Push(Value value)
    {
        if (this.stack.Count >= MaxStack)
        {
            throw this.Error($"pushes more than {MaxStack:N0} values");
        }

        this.stack.Add(value);
    }

    private Value Pop()
    {
        if (this.stack.Count <= this.Fence())
        {
            throw this.Error("pops an empty stack");
        }

        var value = this.stack[^1];
        this.stack.RemoveAt(this.stack.Count - 1);
        return value;
    }

    private Value Top() =>
        this.stack.Count > this.Fence() ? this.stack[^1] : throw this.Error("needs a value, but the stack is empty");

    // Drops everything above the last MARK and the MARK itself; returns how many values were dropped.
    private int PopMark()
    {
        if (this.marks.Count == 0)
        {
            throw this.Error("needs a MARK, but there is none");
        }

        var fence = this.marks[^1];
        this.marks.RemoveAt(this.marks.Count - 1);
        var count = this.stack.Count - fence;
        this.stack.RemoveRange(fence, count);
        return count;
    }

    private ArtifactFormatException Error(string what) =>
        new($"{reader.Source}: {Opcodes.Name(this.opcode)} at byte {this.opcodeAt:N0} {what}.");
}
