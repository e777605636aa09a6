using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>PyTorch checkpoints are read by scanning data.pkl's opcodes: never unpickled, never executed.</summary>
public sealed partial class PyTorchInspectorTests
{
    [Fact]
    public void Float_storages_are_full_precision_and_flagged_as_executing_code()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.pt");
        PyTorchZip.Write(path, ("layer.weight", "FloatStorage", [2, 3]), ("layer.bias", "FloatStorage", [3]), ("steps", "LongStorage", [2]));

        var facts = Inspect(path);

        Assert.Equal("pytorch", facts.Format);
        Assert.True(facts.ExecutesCodeOnLoad);
        Assert.False(facts.CarriesArchitecture);
        Assert.Equal(3, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["FloatStorage"] = 9, ["LongStorage"] = 2 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
        Assert.Equal("archive", facts.Metadata["archive"]);
        Assert.Equal("3", facts.Metadata["version"]);
        Assert.Equal("little", facts.Metadata["byteorder"]);
    }

    [Theory]
    [InlineData("HalfStorage")]
    [InlineData("BFloat16Storage")]
    [InlineData("DoubleStorage")]
    public void Half_bfloat16_and_double_storages_are_full_precision(string storageClass)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.bin");
        PyTorchZip.Write(path, ("w", storageClass, [4, 4]), ("ids", "ByteStorage", [8]));

        var facts = Inspect(path);

        Assert.Equal(new Dictionary<string, long> { [storageClass] = 16, ["ByteStorage"] = 8 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
    }

    [Theory]
    [InlineData("CharStorage")]
    [InlineData("QInt8Storage")]
    [InlineData("QUInt8Storage")]
    [InlineData("QUInt4x2Storage")]
    public void Int8_and_quantized_storages_that_dominate_are_quantized(string storageClass)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.pt");
        PyTorchZip.Write(path, ("q.weight", storageClass, [8, 8]), ("q.bias", "FloatStorage", [8]), ("norm", "HalfStorage", [8]));

        var facts = Inspect(path);

        Assert.Equal(3, facts.TensorCount);
        Assert.Equal(64, facts.Dtypes[storageClass]);
        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
    }

    [Fact]
    public void Newer_dtypes_saved_as_untyped_storage_with_rebuild_v3_count_elements_not_bytes()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("fp8.pt");
        PyTorchZip.Write(path, ("w", "Float8_e4m3fnStorage", [16, 16]), ("scale", "FloatStorage", [16]), ("u", "UInt32Storage", [4]));

        var facts = Inspect(path);

        Assert.Equal(new Dictionary<string, long> { ["Float8_e4m3fnStorage"] = 256, ["FloatStorage"] = 16, ["UInt32Storage"] = 4 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
    }

    [Fact]
    public void Many_tensors_use_long_memo_indexes_and_several_setitems_batches()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("many.pt");
        var tensors = Enumerable.Range(0, 2100).Select(i => ($"t{i}", i % 2 == 0 ? "FloatStorage" : "HalfStorage", new long[] { 2, 1, 1, 2 })).ToArray();
        PyTorchZip.Write(path, tensors);

        var facts = Inspect(path);

        Assert.Equal(2100, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["FloatStorage"] = 4200, ["HalfStorage"] = 4200 }, facts.Dtypes);
    }

    [Fact]
    public void Scalars_and_empty_tensors_count_their_elements()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("odd.pt");
        PyTorchZip.Write(path, ("scalar", "FloatStorage", []), ("empty", "CharStorage", [0, 5]), ("big", "FloatStorage", [70_000]));

        var facts = Inspect(path);

        Assert.Equal(3, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["CharStorage"] = 0, ["FloatStorage"] = 70_001 }, facts.Dtypes);
    }

    [Fact]
    public void A_shared_storage_is_counted_once()
    {
        // Two tensors viewing one storage: the second persistent id reuses the memoized key.
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.EmptyDict);
        p.Put();
        p.Op(PyTorchZip.Pickler.Mark);
        for (var i = 0; i < 2; i++)
        {
            p.Str(i == 0 ? "a" : "b");
            p.Global("torch._utils", "_rebuild_tensor_v2");
            p.Op(PyTorchZip.Pickler.Mark);
            p.Op(PyTorchZip.Pickler.Mark);
            p.Str("storage", shared: true);
            p.Global("torch", "FloatStorage");
            p.Str("0", shared: true);
            p.Str("cpu", shared: true);
            p.SaveInt(12);
            p.Op(PyTorchZip.Pickler.Tuple);
            p.Put();
            p.Op(PyTorchZip.Pickler.BinPersid);
            p.SaveInt(i * 6);
            p.IntTuple([6]);
            p.IntTuple([1]);
            p.Op(PyTorchZip.Pickler.NewFalse);
            p.Op(PyTorchZip.Pickler.None);
            p.Op(PyTorchZip.Pickler.Tuple);
            p.Put();
            p.Op(PyTorchZip.Pickler.Reduce);
            p.Put();
        }

        p.Op(PyTorchZip.Pickler.SetItems);
        p.Op(PyTorchZip.Pickler.Stop);

        var facts = InspectPickle(p.ToArray());

        Assert.Equal(1, facts.TensorCount);
        Assert.Equal(12, facts.Dtypes["FloatStorage"]);
    }

    [Fact]
    public void Protocol_4_stack_globals_and_frames_resolve_storage_classes()
    {
        var p = new PyTorchZip.Pickler();
        p.Raw([0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0]);
        p.Raw(ShortUnicode("torch._utils"));
        p.Raw(ShortUnicode("_rebuild_tensor_v2"));
        p.Raw([0x93, 0x94, (byte)'(', (byte)'(']);
        p.Raw(ShortUnicode("storage"));
        p.Raw(ShortUnicode("torch"));
        p.Raw(ShortUnicode("BFloat16Storage"));
        p.Raw([0x93, 0x94]);
        p.Raw(ShortUnicode("7"));
        p.Raw(ShortUnicode("cuda:0"));
        p.Raw([(byte)'J', 0x00, 0x00, 0x01, 0x00, (byte)'t', (byte)'Q', (byte)'K', 0, (byte)')', (byte)')', 0x89, (byte)'N', (byte)'t', (byte)'R', (byte)'.']);

        var facts = InspectPickle(p.ToArray());

        Assert.Equal(new Dictionary<string, long> { ["BFloat16Storage"] = 65536 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
    }

    [Fact]
    public void Every_opcode_of_protocols_0_to_5_is_stepped_over_with_its_argument()
    {
        // Each opcode once, with its argument; a storage after them all shows the scan kept its place.
        var pickle = Bytes(
            "\u0080\u0005", "\u0095", new byte[8], "(", "I42\n", "I01\n", "L12345678901234567890L\n", "F1.5\n", "G", new byte[8],
            "J\u0001\u0002\u0003\u0004", "K\u0001", "M\u0002\u0001", "\u008a\u0002\u00ff\u007f", "\u008b\u0002\u0000\u0000\u0000\u0001\u0002", "N\u0088\u0089",
            "S'abc'\n", "T\u0003\u0000\u0000\u0000abc", "U\u0003abc", "Vxyz\n", "X\u0003\u0000\u0000\u0000abc", "\u008c\u0003abc",
            "\u008d\u0003\u0000\u0000\u0000\u0000\u0000\u0000\u0000abc", "B\u0003\u0000\u0000\u0000abc", "C\u0003abc", "\u008e\u0003\u0000\u0000\u0000\u0000\u0000\u0000\u0000abc",
            "\u0096\u0003\u0000\u0000\u0000\u0000\u0000\u0000\u0000abc", "p0\n", "g0\n", "q\u0001", "h\u0001", "r\u0002\u0000\u0000\u0000", "j\u0002\u0000\u0000\u0000",
            "\u0094", "20", "\u0082\u0001", "\u0083\u0001\u0000", "\u0084\u0001\u0000\u0000\u0000", "t0",
            "}(X\u0001\u0000\u0000\u0000kNuX\u0002\u0000\u0000\u0000k2Ns0", "]Na(NNe0", "\u008f(N\u00900", "(N\u00910", "(NNl0", "(NNd0", "(N1",
            "(ccopyreg\n_reconstructor\nNNo0", "(i__main__\nC\n0", "cbuiltins\nobject\n)\u00810", "cbuiltins\nobject\n)}\u00920",
            "N}b0", "\u0097\u00980", "Pfoo\n0", "\u008c\u0005torch\u008c\u000cFloatStorage\u00930",
            "(X\u0007\u0000\u0000\u0000storagectorch\nHalfStorage\nX\u0001\u0000\u0000\u0000kX\u0003\u0000\u0000\u0000cpuK\u0007tQ.");

        var facts = InspectPickle(pickle);

        Assert.Equal(new Dictionary<string, long> { ["HalfStorage"] = 7 }, facts.Dtypes);
    }

    [Fact]
    public void A_legacy_checkpoint_is_read_from_its_pickles_without_loading_storages()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("old.pth");
        PyTorchZip.WriteLegacy(path, ("w", "HalfStorage", [3, 3]), ("q", "CharStorage", [4]));

        var facts = Inspect(path);

        Assert.Equal("pytorch", facts.Format);
        Assert.True(facts.ExecutesCodeOnLoad);
        Assert.Equal(2, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["CharStorage"] = 4, ["HalfStorage"] = 9 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
        Assert.Equal("true", facts.Metadata["legacy"]);
    }

    [Fact]
    public void A_torchscript_archive_carries_its_architecture()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("scripted.pt");
        PyTorchZip.Write(path, ("w", "FloatStorage", [2]));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var code = zip.CreateEntry("archive/code/__torch__/model.py").Open();
            code.Write("class Model(Module):\n  pass\n"u8);
        }

        Assert.True(Inspect(path).CarriesArchitecture);
    }

    [Fact]
    public void A_pickle_that_would_run_a_command_is_only_scanned()
    {
        using var temp = new TempDirectory();
        var marker = temp.Combine("pwned");
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.Mark);
        p.Global("os", "system");
        p.Str($"touch '{marker}'");
        p.Op(PyTorchZip.Pickler.Tuple1);
        p.Put();
        p.Op(PyTorchZip.Pickler.Reduce);
        p.Global("builtins", "exec");
        p.Str($"open('{marker}', 'w').write('x')");
        p.Op(PyTorchZip.Pickler.Tuple1);
        p.Op(PyTorchZip.Pickler.Reduce);
        p.Raw("i__main__\nEvil\n"u8);
        p.Op(PyTorchZip.Pickler.Stop);
        var path = temp.Combine("evil.pt");
        PyTorchZip.WriteRaw(path, p.ToArray());

        var facts = Inspect(path);

        Assert.False(File.Exists(marker));
        Assert.True(facts.ExecutesCodeOnLoad);
        Assert.Equal(0, facts.TensorCount);
        Assert.Equal(WeightPrecision.Unknown, facts.Precision);
    }

    [Fact]
    public void A_file_that_is_neither_zip_nor_pickle_is_refused()
    {
        var error = Refused(Encoding.ASCII.GetBytes("just some text, not a checkpoint"));

        Assert.Contains("neither a zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_starts_like_a_zip_but_is_not_one_is_refused()
    {
        var error = Refused([(byte)'P', (byte)'K', 3, 4, .. new byte[200]]);

        Assert.Contains("not a readable one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pickle_without_the_torch_magic_number_is_refused()
    {
        var error = Refused([0x80, 2, (byte)'K', 1, (byte)'.']);

        Assert.Contains("magic number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_without_data_pkl_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("plain.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var entry = zip.CreateEntry("archive/notes.txt").Open();
            entry.Write("hello"u8);
        }

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(path));

        Assert.Contains("no */data.pkl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_with_two_pickles_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("two.pt");
        PyTorchZip.Write(path, ("w", "FloatStorage", [2]));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var entry = zip.CreateEntry("other/data.pkl").Open();
            entry.Write([0x80, 2, (byte)'N', (byte)'.']);
        }

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(path));

        Assert.Contains("two pickles", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_in_data_pkl_stops_at_the_cap_without_allocating_its_size()
    {
        // A valid, endless pickle (NONE, POP, ...) that deflates about a thousandfold: 100 MiB inflated.
        using var temp = new TempDirectory();
        var path = temp.Combine("bomb.pt");
        var inflated = new byte[100 * 1024 * 1024];
        MemoryMarshal.Cast<byte, ushort>(inflated.AsSpan()).Fill('N' | ('0' << 8));
        inflated[0] = 0x80;
        inflated[1] = 2;
        PyTorchZip.WriteRaw(path, inflated, deflate: true);
        Assert.True(new FileInfo(path).Length < 2 * 1024 * 1024);

        // Declared honestly, the size alone refuses it.
        var declared = Assert.Throws<ArtifactFormatException>(() => Inspect(path));
        Assert.Contains("declares 104,857,600 bytes", declared.Message, StringComparison.Ordinal);

        // Declared as 100 bytes, reading stops at the cap (or at the declared size), and memory stays small.
        PyTorchZip.DeclareUncompressedSize(path, "archive/data.pkl", 100);
        using var stream = File.OpenRead(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ArtifactFormatException>(() => PyTorchInspector.Inspect(stream, stream.Length));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated:N0} bytes");
        Assert.Matches("longer than 67,108,864 bytes|truncated", error.Message);
    }

    [Fact]
    public void A_legacy_pickle_that_never_stops_is_cut_at_the_cap_as_it_is_read()
    {
        // Magic number, protocol version and sys_info pickles, then a pickle of 100 MiB of NONE, POP, ... and no STOP.
        byte[] head = [0x80, 2, 0x8a, 10, .. PyTorchZip.LegacyMagic, (byte)'.', 0x80, 2, (byte)'M', 0xe9, 0x03, (byte)'.', 0x80, 2, (byte)'}', (byte)'.', 0x80, 2, (byte)'N'];
        var bytes = new byte[100 * 1024 * 1024];
        MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan()).Fill('N' | ('0' << 8));
        head.CopyTo(bytes, 0);
        using var stream = new MemoryStream(bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ArtifactFormatException>(() => PyTorchInspector.Inspect(stream, stream.Length));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("the pickle is longer than 67,108,864 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated:N0} bytes");
        Assert.True(stream.Position <= PyTorchInspector.MaxPickleBytes + 1);
    }

    [Theory]
    [InlineData("80 02 63 6F 73 0A 73 79 73", "truncated: it ends at byte 9, in GLOBAL")]
    [InlineData("80 02 58 05 00 00 00 61 62", "BINUNICODE at byte 2 declares 5 bytes, but only 2 remain")]
    [InlineData("80 02 4E", "truncated: it ends at byte 3, in an opcode (the pickle has no STOP)")]
    [InlineData("80 02 FF 2E", "byte 0xFF at byte 2 is not a pickle opcode")]
    [InlineData("80 02 4E 0B 2E", "byte 0x0B at byte 3 is not a pickle opcode")]
    [InlineData("80 02 58 FF FF FF 7F 61 62 63 2E", "BINUNICODE at byte 2 declares 2,147,483,647 bytes, but only 4 remain")]
    [InlineData("80 02 8D FF FF FF FF FF FF FF FF 2E", "BINUNICODE8 at byte 2 declares 9,223,372,036,854,775,807 bytes")]
    [InlineData("80 02 42 00 00 00 80 2E", "BINBYTES at byte 2 declares 2,147,483,648 bytes")]
    [InlineData("80 02 54 FF FF FF FF 2E", "BINSTRING at byte 2 declares a negative length (-1)")]
    [InlineData("80 02 8B 00 00 00 40 2E", "LONG4 at byte 2 declares 1,073,741,824 bytes")]
    [InlineData("80 02 52 2E", "REDUCE at byte 2 pops an empty stack")]
    [InlineData("80 02 68 05 2E", "BINGET at byte 2 reads memo entry 5, which was never stored")]
    [InlineData("80 02 71 00 2E", "BINPUT at byte 2 needs a value, but the stack is empty")]
    [InlineData("80 02 65 2E", "APPENDS at byte 2 needs a MARK, but there is none")]
    [InlineData("80 02 28 4E 86 2E", "TUPLE2 at byte 4 needs 2 values on the stack")]
    [InlineData("80 09 4E 2E", "PROTO at byte 0 names protocol 9")]
    [InlineData("80 02 2E", "STOP at byte 2 needs a value")]
    public void Malformed_pickles_are_refused_with_the_opcode_and_offset(string hex, string fragment)
    {
        var error = Assert.Throws<ArtifactFormatException>(() => InspectPickle(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal))));

        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("archive/data.pkl: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_checkpoint_pickle_is_refused()
    {
        var pickle = PyTorchZip.StateDictPickle([("w", "FloatStorage", [4, 4])], legacy: false);

        var error = Assert.Throws<ArtifactFormatException>(() => InspectPickle(pickle[..(pickle.Length / 2)]));

        Assert.Matches("truncated|but only [0-9]+ remain", error.Message);
    }

    [Fact]
    public void Deeply_nested_marks_are_refused()
    {
        var pickle = new byte[1_000_003];
        pickle[0] = 0x80;
        pickle[1] = 2;
        pickle.AsSpan(2, 1_000_000).Fill((byte)'(');
        pickle[^1] = (byte)'.';

        var error = Assert.Throws<ArtifactFormatException>(() => InspectPickle(pickle));

        Assert.Contains("MARK at byte 10,002 opens more than 10,000 nested MARKs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_that_never_stops_growing_is_refused()
    {
        var pickle = new byte[2_000_003];
        pickle[0] = 0x80;
        pickle[1] = 2;
        pickle.AsSpan(2, 2_000_000).Fill((byte)'N');
        pickle[^1] = (byte)'.';

        var error = Assert.Throws<ArtifactFormatException>(() => InspectPickle(pickle));

        Assert.Contains("pushes more than 1,000,000 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_strings_are_skipped_not_kept()
    {
        // A 4 MiB BINUNICODE and BINBYTES8 sit in the pickle; the scan passes them in chunks.
        var p = new PyTorchZip.Pickler();
        p.Proto();
        p.Op(PyTorchZip.Pickler.Mark);
        p.Str(new string('a', 4 * 1024 * 1024));
        p.Raw([0x8e, 0, 0, 0x40, 0, 0, 0, 0, 0]);
        p.Raw(new byte[4 * 1024 * 1024]);
        p.Op(PyTorchZip.Pickler.Tuple);
        p.Op(PyTorchZip.Pickler.Stop);
        var pickle = p.ToArray();

        var facts = InspectPickle(pickle);

        Assert.Equal(WeightPrecision.Unknown, facts.Precision);
    }
}
