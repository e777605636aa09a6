using CsCheck;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Property-based fuzzing (CsCheck) of everything that parses untrusted bytes: modelgo.json, the
/// safetensors, GGUF, ONNX and PyTorch (zip and legacy pickle) header readers, and verify of received zip
/// and tar.gz archives. Inputs are random bytes and
/// random mutations (flips, overwrites, insertions, truncation) of valid files. The property: the reader
/// returns, or rejects the input with its own format error (which becomes MGP8021 or a config diagnostic);
/// nothing else is thrown and no input makes it allocate more than 64 MiB. Each target runs for
/// MODELGOPACK_FUZZ_SECONDS (default 10; .ci/run uses 12, 72 s in all for the 6 targets). An input that fails is printed with
/// its seed; keep it under Fixtures/fuzz/{target}/ and the regression theory replays it forever.
/// </summary>
public sealed class FuzzTests
{
    private const long AllocationLimit = 64L * 1024 * 1024;

    private static readonly int Seconds = int.TryParse(Environment.GetEnvironmentVariable("MODELGOPACK_FUZZ_SECONDS"), out var s) && s > 0 ? s : 10;

    private static readonly Dictionary<string, Func<Stream, long, WeightFacts>> Readers = new(StringComparer.Ordinal)
    {
        ["safetensors"] = SafetensorsInspector.Inspect,
        ["gguf"] = GgufInspector.Inspect,
        ["onnx"] = OnnxInspector.Inspect,
        ["pytorch"] = PyTorchInspector.Inspect,
    };

    public static TheoryData<string> Targets => ["safetensors", "gguf", "onnx", "pytorch"];

    public static TheoryData<string, string> Regressions()
    {
        var data = new TheoryData<string, string>();
        var root = Path.Combine(RepositoryRoot.Path, "tests", "ModelGoPack.Tests", "Fixtures", "fuzz");
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(Path.GetDirectoryName(file))!, Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Header_reader_returns_or_rejects_every_input(string target)
    {
        var seeds = Seeds(target);
        Mutated(seeds).Sample(input => Holds(target, input), time: Seconds, threads: 1, print: Describe);
    }

    [Fact]
    public void Config_reader_gives_diagnostics_for_every_input()
    {
        var seeds = new[]
        {
            File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled", "modelgo.json")),
            "{\"name\":\"m\",\"version\":\"1.0.0\",\"license\":\"MG-BY-SA-2.0\",\"waivers\":[{\"code\":\"MGP5001\",\"path\":\"*.bin\",\"justification\":\"x\"}]}"u8.ToArray(),
            System.Text.Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        };
        Mutated(seeds).Sample(input => ConfigHolds(input), time: Seconds, threads: 1, print: Describe);
    }

    [Fact]
    public void Verify_gives_diagnostics_for_every_received_archive()
    {
        using var temp = new TempDirectory();
        var seeds = new[] { Emit.BundleFormat.Zip, Emit.BundleFormat.TarGz }.Select(format =>
        {
            var output = temp.Combine("seed" + ModelGoPackEngine.Extension(format));
            var packed = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = Path.Combine(RepositoryRoot.Path, "tests", "examples", "tiny-llm-distilled") }, output, format);
            Assert.True(packed.Compliant, string.Join("\n", packed.Diagnostics));
            return File.ReadAllBytes(output);
        }).ToList();

        // Zips that readers read differently: a hidden local entry, a local name other than the central one, encryption,
        // an entry hidden after a deflate stream that ends early or in a folder entry, a descriptor of the wrong width,
        // split end records, an end record signature inside the end record.
        var zip = temp.Combine("seed.zip");
        foreach (var edit in new Action<string>[]
        {
            z => ZipSurgery.HideLocalEntry(z, "evil.sh", "rm -rf ~\n"u8.ToArray()),
            z => ZipSurgery.RenameLocal(z, "config.json", "../../x.cfg"),
            z => ZipSurgery.SetEncrypted(z, "README.md"),
            z => RawZip.HideAfterDeflate(z, "README.md", new RawZip.Entry("evil.sh", "rm -rf ~\n"u8.ToArray()) { Method = 0 }),
            z => RawZip.NarrowDescriptor(z, "LICENSE", "NOTICE", new RawZip.Entry("evil.sh", "rm -rf ~\n"u8.ToArray()) { Method = 0 }),
            z => RawZip.SplitEndRecords(z, "config.json", "{}"u8.ToArray()),
            z => RawZip.HideInFolderEntry(z, "docs/", new RawZip.Entry("evil.sh", "rm -rf ~\n"u8.ToArray()) { Method = 0 }),
            RawZip.OverlapEndRecord,
        })
        {
            File.WriteAllBytes(zip, seeds[0]);
            edit(zip);
            seeds.Add(File.ReadAllBytes(zip));
        }

        var path = temp.Combine("received.bin");
        Mutated([.. seeds]).Sample(input => BundleHolds(path, input), time: Seconds, threads: 1, print: Describe);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Kept_fuzz_inputs_still_hold(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "ModelGoPack.Tests", "Fixtures", "fuzz", target, file));
        if (target == "config")
        {
            ConfigHolds(input);
        }
        else if (target == "bundle")
        {
            using var temp = new TempDirectory();
            BundleHolds(temp.Combine("received.bin"), input);
        }
        else
        {
            Holds(target, input);
        }
    }

    private static void Holds(string target, byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using var stream = new MemoryStream(input, writable: false);
            Readers[target](stream, input.Length);
        }
        catch (Exception e) when (e is ArtifactFormatException or EndOfStreamException)
        {
            // Rejected with a reason (or "the file ends inside its header"): reported as MGP8021.
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > AllocationLimit)
        {
            throw new InvalidOperationException($"{target}: {allocated:N0} bytes allocated for a {input.Length}-byte input.");
        }
    }

    private static void ConfigHolds(byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var diagnostics = new DiagnosticBag();
        var source = Config.ConfigReader.Parse(input, diagnostics);
        if (source is null && !diagnostics.HasErrors)
        {
            throw new InvalidOperationException("The config was refused without an error diagnostic.");
        }

        if (diagnostics.Items.Any(d => !d.Code.StartsWith("MGP", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("A diagnostic without a code.");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > AllocationLimit)
        {
            throw new InvalidOperationException($"config: {allocated:N0} bytes allocated for a {input.Length}-byte input.");
        }
    }

    // verify of any archive ends in diagnostics with codes: it never throws, whatever the bytes.
    private static void BundleHolds(string path, byte[] input)
    {
        File.WriteAllBytes(path, input);
        var result = ModelGoPackEngine.Verify(path);
        if (result.Diagnostics.Any(d => !d.Code.StartsWith("MGP", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("A diagnostic without a code.");
        }

        if (result.ExitCode == ExitCodes.Success && !input.AsSpan().StartsWith("PK"u8) && !input.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            throw new InvalidOperationException("Something that is neither a zip nor a gzip file verified.");
        }
    }

    /// <summary>Random bytes, or a valid seed with a few random edits.</summary>
    private static Gen<byte[]> Mutated(byte[][] seeds)
    {
        var edit = Gen.Select(Gen.Int[0, 3], Gen.Int.NonNegative, Gen.Byte);
        var mutated = Gen.Select(Gen.Int[0, seeds.Length - 1], edit.Array[1, 8], Gen.Int.NonNegative, Gen.Bool)
            .Select(t => Apply(seeds[t.Item1], t.Item2, t.Item3, t.Item4));
        return Gen.Frequency((1, Gen.Byte.Array[0, 512]), (4, mutated));
    }

    private static byte[] Apply(byte[] seed, (int Kind, int Position, byte Value)[] edits, int cut, bool truncate)
    {
        var bytes = new List<byte>(seed);
        foreach (var (kind, position, value) in edits)
        {
            var at = bytes.Count == 0 ? 0 : position % bytes.Count;
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << (value % 8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = value;
                    break;
                case 2:
                    bytes.Insert(at, value);
                    break;
                default:
                    // Interesting values: lengths and counts that are zero, huge or negative.
                    var huge = value % 3 == 0 ? 0xFF : value % 3 == 1 ? 0x7F : 0x00;
                    for (var i = 0; i < 8 && at + i < bytes.Count; i++)
                    {
                        bytes[at + i] = (byte)huge;
                    }

                    break;
            }
        }

        return truncate && bytes.Count > 0 ? bytes.Take(cut % bytes.Count).ToArray() : bytes.ToArray();
    }

    private static byte[][] Seeds(string target)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("seed");
        switch (target)
        {
            case "safetensors":
                Safetensors.Write(path, ("embed.weight", "F32", [4, 2]), ("head.weight", "BF16", [2, 4]));
                return [File.ReadAllBytes(path)];
            case "gguf":
                return [Gguf.Bytes([("general.architecture", "llama"), ("general.name", "tiny")], ("token_embd.weight", 0, [4, 2]), ("output.weight", 1, [2, 4]))];
            case "onnx":
                Onnx.Write(path, ("w", 1, [4, 2], false), ("b", 10, [2], false));
                return [File.ReadAllBytes(path)];
            default:
                PyTorchZip.Write(path, ("embed.weight", "FloatStorage", [4, 2]), ("head.weight", "HalfStorage", [2, 4]));
                var zip = File.ReadAllBytes(path);
                PyTorchZip.WriteLegacy(path, ("embed.weight", "FloatStorage", [4, 2]));
                return [zip, File.ReadAllBytes(path), PyTorchZip.StateDictPickle([("w", "FloatStorage", [2, 2])], legacy: false)];
        }
    }

    private static string Describe(byte[] input) => $"{input.Length} bytes: {Convert.ToBase64String(input)}";
}
