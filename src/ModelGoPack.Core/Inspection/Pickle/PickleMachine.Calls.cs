namespace ModelGoPack.Inspection.Pickle;

/// <summary>
/// The opcodes that name and call: globals (named, never imported), REDUCE, BUILD, INST, OBJ, NEWOBJ, the extension
/// registry and persistent ids. Nothing is called: a call is opaque unless it is torch's rebuild of a tensor, and a
/// persistent id stands for a storage (PickleMachine.Torch).
/// </summary>
internal sealed partial class PickleMachine
{
    private bool StepCall()
    {
        switch (this.opcode)
        {
            case Opcodes.Persid:
                reader.ReadLine(0, "PERSID");
                this.Push(Value.Opaque);
                break;
            case Opcodes.BinPersid:
                this.Push(this.PersistentId(this.Pop()));
                break;
            case Opcodes.Reduce:
                this.Reduce();
                break;
            case Opcodes.Build:
                this.Pop();
                this.Top();
                break;
            case Opcodes.Global:
                this.Global();
                break;
            case Opcodes.StackGlobal:
                this.StackGlobal();
                break;
            case Opcodes.Inst:
                reader.ReadLine(0, "INST");
                reader.ReadLine(0, "INST");
                this.PopMark();
                this.Push(Value.Opaque);
                break;
            case Opcodes.Obj:
                if (this.PopMark() == 0)
                {
                    throw this.Error("has no class after its MARK");
                }

                this.Push(Value.Opaque);
                break;
            case Opcodes.NewObj:
                this.Pop();
                this.Pop();
                this.Push(Value.Opaque);
                break;
            case Opcodes.NewObjEx:
                this.Pop();
                this.Pop();
                this.Pop();
                this.Push(Value.Opaque);
                break;
            case Opcodes.Ext1:
                reader.ReadFixed(1, "EXT1");
                this.Push(Value.Opaque);
                break;
            case Opcodes.Ext2:
                reader.ReadFixed(2, "EXT2");
                this.Push(Value.Opaque);
                break;
            case Opcodes.Ext4:
                reader.ReadFixed(4, "EXT4");
                this.Push(Value.Opaque);
                break;
            default:
                return false;
        }

        return true;
    }

    // REDUCE: a callable applied to an argument tuple.
    private void Reduce()
    {
        var args = this.Pop();
        var callable = this.Pop();
        this.Push(this.Rebuild(callable, args));
    }

    // GLOBAL: a module and a name, each on its own line.
    private void Global()
    {
        var module = reader.ReadLine(MaxKeptString, "GLOBAL");
        var name = reader.ReadLine(MaxKeptString, "GLOBAL");
        this.Push(module.Whole && name.Whole ? new Value(Kind.Global, 0, new GlobalName(module.Text, name.Text)) : Value.Opaque);
    }

    // STACK_GLOBAL: a module and a name, as the top two strings.
    private void StackGlobal()
    {
        var name = this.Pop();
        var module = this.Pop();
        this.Push(module.Text is { } m && name.Text is { } n ? new Value(Kind.Global, 0, new GlobalName(m, n)) : Value.Opaque);
    }
}
