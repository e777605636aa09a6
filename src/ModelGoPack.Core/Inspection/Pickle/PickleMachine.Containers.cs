namespace ModelGoPack.Inspection.Pickle;

/// <summary>
/// The opcodes that build containers: tuples (kept while short and shallow), and lists, dicts and sets, which stay
/// opaque; a dict's string keys name the tensors set in it (PickleMachine.Torch).
/// </summary>
internal sealed partial class PickleMachine
{
    private bool StepContainer()
    {
        switch (this.opcode)
        {
            case Opcodes.Append:
                this.Pop();
                this.Top();
                break;
            case Opcodes.SetItems:
                this.NameTensors();
                this.PopMark();
                this.Top();
                break;
            case Opcodes.Appends:
            case Opcodes.AddItems:
                this.PopMark();
                this.Top();
                break;
            case Opcodes.SetItem:
                this.SetItem();
                break;
            case Opcodes.Dict:
                this.NameTensors();
                this.PopMark();
                this.Push(Value.Opaque);
                break;
            case Opcodes.List:
            case Opcodes.FrozenSet:
                this.PopMark();
                this.Push(Value.Opaque);
                break;
            case Opcodes.EmptyDict:
            case Opcodes.EmptyList:
            case Opcodes.EmptySet:
                this.Push(Value.Opaque);
                break;
            case Opcodes.Tuple:
                this.TupleFromMark();
                break;
            case Opcodes.EmptyTuple:
                this.Push(Value.EmptyTuple);
                break;
            case Opcodes.Tuple1:
            case Opcodes.Tuple2:
            case Opcodes.Tuple3:
                this.TupleOfTop();
                break;
            default:
                return false;
        }

        return true;
    }

    // SETITEM: a key and a value set in the dict below them.
    private void SetItem()
    {
        var value = this.Pop();
        var key = this.Pop();
        this.Top();
        this.NameTensor(key, value);
    }

    // TUPLE: the values above the last MARK.
    private void TupleFromMark()
    {
        if (this.marks.Count == 0)
        {
            throw this.Error("needs a MARK, but there is none");
        }

        var fence = this.Fence();
        var count = this.stack.Count - fence;
        var tuple = this.MakeTuple(count);
        this.marks.RemoveAt(this.marks.Count - 1);
        this.Push(tuple);
    }

    // TUPLE1, TUPLE2, TUPLE3: the top one, two or three values.
    private void TupleOfTop()
    {
        var count = this.opcode - Opcodes.Tuple1 + 1;
        if (this.stack.Count - this.Fence() < count)
        {
            throw this.Error($"needs {count} values on the stack");
        }

        this.Push(this.MakeTuple(count));
    }

    private Value MakeTuple(int count)
    {
        Value tuple;
        if (count > MaxTupleItems)
        {
            tuple = Value.Opaque;
        }
        else
        {
            var items = new Value[count];
            var depth = 1;
            for (var i = 0; i < count; i++)
            {
                var item = this.stack[this.stack.Count - count + i];
                depth = Math.Max(depth, item.Depth + 1);
                items[i] = item;
            }

            tuple = depth > MaxTupleDepth ? Value.Opaque : count == 0 ? Value.EmptyTuple : new Value(Kind.Tuple, depth, items);
        }

        this.stack.RemoveRange(this.stack.Count - count, count);
        return tuple;
    }
}
