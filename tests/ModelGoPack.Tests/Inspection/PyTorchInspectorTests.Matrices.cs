using System.Text;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>What a checkpoint lists matrix by matrix: names, shapes, quantized storages, and the bounds on how many.</summary>
public sealed partial class PyTorchInspectorTests
{
    [Fact]
    public void A_full_precision_checkpoint_lists_its_matrices_by_name_and_shape()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("pytorch_model.bin");
        PyTorchZip.Write(path, ("model.embed_tokens.weight", "FloatStorage", [512, 64]), ("model.layers.0.self_attn.q_proj.weight", "HalfStorage", [64, 32]),
            ("model.layers.0.self_attn.q_proj.bias", "HalfStorage", [64]), ("model.layers.0.mlp.experts.gate_up_proj", "BFloat16Storage", [4, 32, 64]),
            ("model.norm.weight", "FloatStorage", [64]), ("attention_mask", "BoolStorage", [8, 8]), ("position_ids", "LongStorage", [1, 512]));

        var facts = Inspect(path);

        Assert.Equal(
            [
                new WeightMatrix("model.embed_tokens", false, 32768, new MatrixShape(2, 512, 64, 0)),
                new WeightMatrix("model.layers.0.self_attn.q_proj", false, 2048, new MatrixShape(2, 64, 32, 0)),
                new WeightMatrix("model.layers.0.mlp.experts.gate_up_proj", false, 8192, new MatrixShape(3, 64, 32, 4)),
            ],
            facts.Matrices);
    }

    [Fact]
    public void Quantized_storages_list_quantized_matrices_GPTQ_by_qweight_int8_by_its_scales_and_other_integers_of_the_file()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.pt");
        PyTorchZip.Write(path, ("a.qweight", "IntStorage", [8, 64]), ("a.qzeros", "IntStorage", [2, 8]), ("a.scales", "HalfStorage", [2, 64]), ("a.g_idx", "IntStorage", [64]),
            ("b.weight", "CharStorage", [16, 16]), ("b.SCB", "FloatStorage", [16]), ("c", "CharStorage", [16, 16]), ("c.scale", "FloatStorage", [1]),
            ("d", "ByteStorage", [16, 16]), ("e.weight", "Float8_e4m3fnStorage", [16, 16]), ("f.weight", "QInt8Storage", [8, 8]));

        var facts = Inspect(path);

        Assert.Equal(
            [
                new WeightMatrix("a", true, 512, new MatrixShape(2, 64, 8, 0)) { PackedBits = 32 }, // int32 integers each packing weights
                new WeightMatrix("b", true, 256, new MatrixShape(2, 16, 16, 0)) { PackedBits = 8 }, // int8: a weight a byte or more
                new WeightMatrix("e", true, 256, new MatrixShape(2, 16, 16, 0)),
                new WeightMatrix("f", true, 64, new MatrixShape(2, 8, 8, 0)) { PackedBits = 8 },
                new WeightMatrix("c", true, 256, new MatrixShape(2, 16, 16, 0)) { PackedBits = 8 },
                new WeightMatrix("d", true, 256, new MatrixShape(2, 16, 16, 0)) { PackedBits = 8 }, // an integer tensor of a quantized file: a layout of its own
            ],
            facts.Matrices);
    }

    [Fact]
    public void A_legacy_checkpoint_lists_its_matrices_too()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("old.pth");
        PyTorchZip.WriteLegacy(path, ("w.weight", "HalfStorage", [3, 5]), ("q.weight", "CharStorage", [4, 2]));

        Assert.Equal([new WeightMatrix("w", false, 15, new MatrixShape(2, 5, 3, 0)), new WeightMatrix("q", true, 8, new MatrixShape(2, 4, 2, 0)) { PackedBits = 8 }], Inspect(path).Matrices);
    }

    [Fact]
    public void A_list_of_tensors_names_none()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("list.pt");
        PyTorchZip.WriteList(path, ("w.weight", "HalfStorage", [4, 4]));

        var facts = Inspect(path);

        Assert.Equal(16, facts.Dtypes["HalfStorage"]);
        Assert.Empty(facts.Matrices);
    }

    [Fact]
    public void Nested_dicts_parameters_and_protocol_0_dicts_name_their_tensors_once()
    {
        // {"epoch": 3, "state_dict": {"a.weight": Parameter(t0)}, "ema": DICT("a.weight": t1, "b.weight": t2)}
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Put();
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str("epoch");
        p.SaveInt(3);
        p.Str("state_dict");
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Put();
        p.Str("a.weight");
        p.Global("torch._utils", "_rebuild_parameter");
        RebuildTensor(p, "FloatStorage", "0", q => q.IntTuple([4, 8]));
        p.Op(PyTorchZip.Pickler.NewTrue);
        p.Global("collections", "OrderedDict");
        p.EmptyTuple();
        p.Op(PyTorchZip.Pickler.Reduce);
        p.Op(PyTorchZip.Pickler.Tuple3);
        p.Op(PyTorchZip.Pickler.Reduce);
        p.Op(PyTorchZip.Pickler.SetItem);
        p.Str("ema");
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str("a.weight");
        RebuildTensor(p, "FloatStorage", "1", q => q.IntTuple([4, 8]));
        p.Str("b.weight");
        RebuildTensor(p, "CharStorage", "2", q => q.IntTuple([2, 3]));
        p.Raw("d"u8);
        p.Op(PyTorchZip.Pickler.SetItems);
        p.Op(PyTorchZip.Pickler.Stop);

        var facts = InspectPickle(p.ToArray());

        Assert.Equal(3, facts.TensorCount);
        Assert.Equal([new WeightMatrix("a", false, 32, new MatrixShape(2, 8, 4, 0)), new WeightMatrix("b", true, 6, new MatrixShape(2, 3, 2, 0)) { PackedBits = 8 }], facts.Matrices);
    }

    [Fact]
    public void Tensors_under_keys_that_are_not_kept_strings_are_not_listed()
    {
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Op(PyTorchZip.Pickler.Mark);
        p.SaveInt(0); // an int key (an optimizer's state)
        RebuildTensor(p, "HalfStorage", "0", q => q.IntTuple([4, 4]));
        p.Op(PyTorchZip.Pickler.None);
        RebuildTensor(p, "HalfStorage", "1", q => q.IntTuple([4, 4]));
        p.Str("k");
        p.Op(PyTorchZip.Pickler.Tuple1); // a tuple key
        RebuildTensor(p, "HalfStorage", "2", q => q.IntTuple([4, 4]));
        p.Raw(Bytes("C\u0008x.weight")); // a bytes key
        RebuildTensor(p, "HalfStorage", "3", q => q.IntTuple([4, 4]));
        p.Str(new string('n', 300) + ".weight"); // a key longer than the scan keeps
        RebuildTensor(p, "HalfStorage", "4", q => q.IntTuple([4, 4]));
        p.Str("ok.weight");
        RebuildTensor(p, "HalfStorage", "5", q => q.IntTuple([4, 4]));
        p.Op(PyTorchZip.Pickler.SetItems);
        p.Op(PyTorchZip.Pickler.Stop);

        var facts = InspectPickle(p.ToArray());

        Assert.Equal(6, facts.TensorCount);
        Assert.Equal([new WeightMatrix("ok", false, 16, new MatrixShape(2, 4, 4, 0))], facts.Matrices);
    }

    public static TheoryData<string, byte[]> OddSizes => new()
    {
        { "a float", [(byte)'K', 2, (byte)'G', 0x40, 0, 0, 0, 0, 0, 0, 0, 0x86] },
        { "a string", [(byte)'K', 2, 0x8c, 1, (byte)'x', 0x86] },
        { "an int of 9 bytes", [(byte)'K', 2, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x86] },
        { "None", [(byte)'N'] },
        { "17 dimensions", [(byte)'(', .. Enumerable.Repeat(new byte[] { (byte)'K', 1 }, 17).SelectMany(b => b), (byte)'t'] },
        { "a tuple in a tuple", [(byte)'K', 2, (byte)'K', 2, 0x85, 0x86] },
    };

    [Theory]
    [MemberData(nameof(OddSizes))]
    public void A_tensor_whose_size_is_not_a_tuple_of_ints_is_counted_but_not_listed(string what, byte[] size)
    {
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str("odd.weight");
        RebuildTensor(p, "CharStorage", "0", q => q.Raw(size));
        p.Str("fine.weight");
        RebuildTensor(p, "CharStorage", "1", q => q.IntTuple([2, 2]));
        p.Op(PyTorchZip.Pickler.SetItems);
        p.Op(PyTorchZip.Pickler.Stop);

        var facts = InspectPickle(p.ToArray());

        Assert.Equal(2, facts.TensorCount);
        Assert.True(facts.Matrices.Select(m => m.Name).SequenceEqual(["fine"]), what);
    }

    [Fact]
    public void A_tensor_of_a_storage_class_from_elsewhere_is_not_listed()
    {
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Str("evil.weight");
        p.Global("torch._utils", "_rebuild_tensor_v2");
        p.Op(PyTorchZip.Pickler.Mark);
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str("storage");
        p.Global("evil", "FloatStorage");
        p.Str("0");
        p.Str("cpu");
        p.SaveInt(4);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.BinPersid);
        p.SaveInt(0);
        p.IntTuple([2, 2]);
        p.IntTuple([2, 1]);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.Reduce);
        p.Op(PyTorchZip.Pickler.SetItem);
        p.Op(PyTorchZip.Pickler.Stop);

        var facts = InspectPickle(p.ToArray());

        Assert.Equal(4, facts.Dtypes["evil.FloatStorage"]);
        Assert.Empty(facts.Matrices);
    }

    [Fact]
    public void A_tensor_of_negative_size_is_refused()
    {
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Str("w.weight");
        RebuildTensor(p, "FloatStorage", "0", q => q.IntTuple([2, -3]));
        p.Op(PyTorchZip.Pickler.SetItem);
        p.Op(PyTorchZip.Pickler.Stop);

        var error = Assert.Throws<ArtifactFormatException>(() => InspectPickle(p.ToArray()));

        Assert.Contains("REDUCE at byte", error.Message, StringComparison.Ordinal);
        Assert.Contains("rebuilds a tensor of size (2, -3): a size cannot be negative", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_000_000, false)]
    [InlineData(1_000_001, true)]
    public void A_million_named_tensors_are_listed_in_bounded_memory_and_more_are_refused(int count, bool refused)
    {
        // One storage and one argument tuple, memoized; each tensor is its name, BINGET, BINGET, REDUCE: 15 bytes. A million
        // named 2x2 matrices allocate about 210 MB (their names, the set that keeps each once, the list of matrices).
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Raw(Bytes("ctorch._utils\n_rebuild_tensor_v2\nq\u00000(("));
        p.Raw(Bytes("\u008c\u0007storagectorch\nFloatStorage\n\u008c\u00010\u008c\u0003cpuK\u0004tQK\u0000K\u0002K\u0002\u0086K\u0002K\u0001\u0086\u0089Ntq\u00010"));
        var name = new byte[10];
        for (var start = 0; start < count; start += 1000)
        {
            p.Op(PyTorchZip.Pickler.Mark);
            for (var i = start; i < Math.Min(count, start + 1000); i++)
            {
                name[0] = 0x8c;
                name[1] = 8;
                Encoding.ASCII.GetBytes(i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), name.AsSpan(2));
                p.Raw(name);
                p.Raw("h\u0000h\u0001R"u8);
            }

            p.Op(PyTorchZip.Pickler.SetItems);
        }

        p.Op(PyTorchZip.Pickler.Stop);
        using var temp = new TempDirectory();
        var path = temp.Combine("million.pt");
        PyTorchZip.WriteRaw(path, p.ToArray());
        using var stream = File.OpenRead(path);

        var before = GC.GetAllocatedBytesForCurrentThread();
        WeightFacts? facts = null;
        var error = Record.Exception(() => facts = PyTorchInspector.Inspect(stream, stream.Length));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        if (refused)
        {
            Assert.Contains("SETITEMS at byte", Assert.IsType<ArtifactFormatException>(error).Message, StringComparison.Ordinal);
            Assert.Contains("names more than 1,000,000 tensors", error!.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(error);
            Assert.Equal(count, facts!.Matrices.Count);
            Assert.Equal(1, facts.TensorCount);
        }

        Assert.True(allocated < 256L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    private static WeightFacts Inspect(string path)
    {
        using var stream = File.OpenRead(path);
        return PyTorchInspector.Inspect(stream, stream.Length);
    }

    private static WeightFacts InspectPickle(byte[] pickle)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("raw.pt");
        PyTorchZip.WriteRaw(path, pickle);
        return Inspect(path);
    }

    private static ArtifactFormatException Refused(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return Assert.Throws<ArtifactFormatException>(() => PyTorchInspector.Inspect(stream, stream.Length));
    }

    // Strings are Latin-1 (each char one byte); byte arrays are copied as they are.
    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(part => part is string text ? Encoding.Latin1.GetBytes(text) : (byte[])part)];

    // _rebuild_tensor_v2(('storage', torch.<class>, key, 'cpu', 4), 0, <size>, (1,), False, None): the size as the caller writes it.
    private static void RebuildTensor(PyTorchZip.Pickler p, string storageClass, string key, Action<PyTorchZip.Pickler> size)
    {
        p.Global("torch._utils", "_rebuild_tensor_v2");
        p.Op(PyTorchZip.Pickler.Mark);
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str("storage", shared: true);
        p.Global("torch", storageClass);
        p.Str(key);
        p.Str("cpu", shared: true);
        p.SaveInt(4);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.BinPersid);
        p.SaveInt(0);
        size(p);
        p.IntTuple([1]);
        p.Op(PyTorchZip.Pickler.NewFalse);
        p.Op(PyTorchZip.Pickler.None);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.Reduce);
    }

    private static byte[] ShortUnicode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [0x8c, (byte)bytes.Length, .. bytes];
    }

}
