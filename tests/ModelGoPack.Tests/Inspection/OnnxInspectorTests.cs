using System.Text;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class OnnxInspectorTests
{
    [Fact]
    public void FloatInitializersAreFullPrecision()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.onnx");
        Onnx.Write(path, ("w1", Onnx.F32, [64, 32], false), ("b1", Onnx.F32, [32], false), ("scalar", Onnx.F32, [], false));

        var facts = InspectFile(path);

        Assert.Equal("onnx", facts.Format);
        Assert.Equal(3, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["FLOAT"] = (64 * 32) + 32 + 1 }, facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
        Assert.Equal(Onnx.Producer, facts.Metadata["producer_name"]);
        Assert.Equal(Onnx.ProducerVersion, facts.Metadata["producer_version"]);
        Assert.Empty(facts.ExternalFiles);
        Assert.True(facts.CarriesArchitecture);
        Assert.False(facts.ExecutesCodeOnLoad);
    }

    [Fact]
    public void Float16InitializersAreFullPrecision()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.onnx");
        Onnx.Write(path, ("w", Onnx.F16, [128, 64], false), ("shape", Onnx.I64, [2], false));

        var facts = InspectFile(path);

        Assert.Equal(WeightPrecision.Full, facts.Precision);
        Assert.Equal(128 * 64, facts.Dtypes["FLOAT16"]);
        Assert.Equal(2, facts.Dtypes["INT64"]);
    }

    [Fact]
    public void Int8WeightsDominatingAreQuantized()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.onnx");

        // MatMulInteger style: int8 weight and zero point, a float scale and bias, an int64 shape constant.
        Onnx.Write(
            path,
            ("w_quantized", Onnx.I8, [256, 256], false),
            ("w_zero_point", Onnx.I8, [], false),
            ("w_scale", Onnx.F32, [], false),
            ("bias", Onnx.F32, [256], false),
            ("shape", Onnx.I64, [2], false));

        var facts = InspectFile(path);

        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
        Assert.Equal(5, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["FLOAT"] = 257, ["INT64"] = 2, ["INT8"] = (256 * 256) + 1 }, facts.Dtypes);
        Assert.Equal(["FLOAT", "INT64", "INT8"], facts.Dtypes.Keys);
    }

    [Fact]
    public void Int4WeightsAreQuantized()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.onnx");
        Onnx.Write(path, ("w_int4", Onnx.I4, [128, 63], false), ("w_scales", Onnx.F16, [128, 2], false));

        var facts = InspectFile(path);

        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
        Assert.Equal(128 * 63, facts.Dtypes["INT4"]);
        Assert.Equal(256, facts.Dtypes["FLOAT16"]);
    }

    [Fact]
    public void ExternalDataListsTheSharedDataFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.onnx");
        Onnx.Write(path, ("w1", Onnx.F32, [16, 16], true), ("w2", Onnx.F32, [16], true), ("b", Onnx.F32, [4], false));

        var facts = InspectFile(path);

        Assert.Equal([Onnx.ExternalDataFile], facts.ExternalFiles);
        Assert.Equal((16 * 16 * 4) + (16 * 4), new FileInfo(temp.Combine(Onnx.ExternalDataFile)).Length);
        Assert.Equal(3, facts.TensorCount);
        Assert.Equal(16 * 16 + 16 + 4, facts.Dtypes["FLOAT"]);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
    }

    [Fact]
    public void ExternalLocationsAreDistinctSortedAndNormalized()
    {
        var model = Onnx.Model(
            "weights/b.bin",
            Stream.Null,
            ("b1", Onnx.F32, [2], true),
            ("b2", Onnx.F32, [2], true));
        var graph = new ProtoWriter()
            .Message(5, Onnx.Tensor("a", Onnx.F32, [2], "./a.bin", Stream.Null))
            .Message(5, Onnx.Tensor("c", Onnx.F32, [2], "weights\\b.bin", Stream.Null));

        // A second graph field merges into the first, as protobuf merges repeated message fields.
        var facts = Inspect([.. model, .. new ProtoWriter().Message(7, graph).ToArray()]);

        Assert.Equal(["a.bin", "weights/b.bin"], facts.ExternalFiles);
        Assert.Equal(4, facts.TensorCount);
    }

    [Fact]
    public void LargeRawDataIsSkippedNotRead()
    {
        using var temp = new TempDirectory();
        var small = temp.Combine("small.onnx");
        var large = temp.Combine("large.onnx");
        Onnx.Write(small, ("w", Onnx.F32, [4], false));
        Onnx.Write(large, ("bias", Onnx.F32, [1024], false), ("big", Onnx.F32, [2048, 1024], false), ("after", Onnx.F16, [8], false));
        Assert.True(new FileInfo(large).Length > 8 * 1024 * 1024);
        InspectFile(small);

        using var stream = File.OpenRead(large);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var facts = OnnxInspector.Inspect(stream, stream.Length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1024 * 1024, $"Inspect allocated {allocated} bytes for an 8 MiB initializer.");
        Assert.Equal(3, facts.TensorCount);
        Assert.Equal((2048 * 1024) + 1024, facts.Dtypes["FLOAT"]);
        Assert.Equal(8, facts.Dtypes["FLOAT16"]);
    }

    [Fact]
    public void NonSeekableStreamsGiveTheSameFacts()
    {
        var bytes = Onnx.Model(Onnx.ExternalDataFile, Stream.Null, ("w", Onnx.F32, [300, 300], false), ("q", Onnx.I8, [10], true));
        var seekable = Inspect(bytes);

        using var stream = new ForwardOnlyStream(bytes);
        var forward = OnnxInspector.Inspect(stream, bytes.Length);

        Assert.Equal(seekable.Dtypes, forward.Dtypes);
        Assert.Equal(seekable.ExternalFiles, forward.ExternalFiles);
        Assert.Equal(seekable.TensorCount, forward.TensorCount);
    }

    [Fact]
    public void UnpackedDimsAndSparseInitializersAreCounted()
    {
        var dense = new ProtoWriter().Varint(1, 3).Varint(1, 5).Varint(2, Onnx.F32).Text(8, "unpacked");
        var sparse = new ProtoWriter()
            .Message(1, Onnx.Tensor("values", Onnx.F16, [10], null, Stream.Null))
            .Message(2, Onnx.Tensor("indices", Onnx.I64, [10], null, Stream.Null))
            .Bytes(3, new ProtoWriter().RawVarint(100).RawVarint(100).ToArray());
        var model = new ProtoWriter()
            .Varint(1, 9)
            .Message(7, new ProtoWriter().Message(5, dense).Message(15, sparse))
            .ToArray();

        var facts = Inspect(model);

        Assert.Equal(2, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["FLOAT"] = 15, ["FLOAT16"] = 10 }, facts.Dtypes);
    }

    [Fact]
    public void UnknownDataTypesAreNamedByNumber()
    {
        var model = new ProtoWriter()
            .Varint(1, 9)
            .Message(7, new ProtoWriter().Message(5, new ProtoWriter().Varint(1, 4).Varint(2, 99)))
            .ToArray();

        var facts = Inspect(model);

        Assert.Equal(4, facts.Dtypes["TYPE_99"]);

        // A type ModelGoPack cannot name is neither full precision nor a quantized weight type: precision unknown.
        Assert.Equal(WeightPrecision.Unknown, facts.Precision);
    }

    [Fact]
    public void MetadataPropsAreCappedAndTruncated()
    {
        var model = new ProtoWriter().Varint(1, 9).Message(7, new ProtoWriter());
        model.Message(14, Onnx.Entry("long", new string('x', 5000)));
        for (var i = 0; i < 100; i++)
        {
            model.Message(14, Onnx.Entry($"key{i:D3}", $"value{i}"));
        }

        // producer_name after metadata_props, and a metadata_props entry of the same name, still give the producer.
        model.Message(14, Onnx.Entry("producer_name", "spoofed")).Text(2, "exporter");

        var facts = Inspect(model.ToArray());

        Assert.Equal(OnnxInspector.MaxMetadataEntries + 1, facts.Metadata.Count);
        Assert.Equal(OnnxInspector.MaxMetadataChars, facts.Metadata["long"].Length);
        Assert.Equal("value0", facts.Metadata["key000"]);
        Assert.False(facts.Metadata.ContainsKey("key099"));
        Assert.Equal("exporter", facts.Metadata["producer_name"]);
        Assert.Equal(WeightPrecision.Unknown, facts.Precision);
        Assert.Equal(0, facts.TensorCount);
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        var error = Assert.Throws<ArtifactFormatException>(() => Inspect([]));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomTextIsRejected()
    {
        var random = new Random(1234);
        var text = new StringBuilder("This is not an ONNX model, only some words.\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append((char)random.Next(' ', '~' + 1));
        }

        Assert.Throws<ArtifactFormatException>(() => Inspect(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Fact]
    public void LengthBeyondTheFileIsRejectedWithoutAllocating()
    {
        var model = new ProtoWriter().Varint(1, 9).Tag(7, 2).RawVarint(1UL << 40).Raw(1, 2, 3).ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024);

        Assert.Contains("graph (field 7)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"declares {1L << 40} bytes, but only 3 remain in the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthBeyondTheParentMessageIsRejected()
    {
        // The initializer fits in the file but not in its graph.
        var tensor = new ProtoWriter().Varint(2, Onnx.F32).ToArray();
        var graph = new ProtoWriter().Tag(5, 2).RawVarint((ulong)tensor.Length + 5).Raw(tensor).ToArray();
        var model = new ProtoWriter().Varint(1, 9).Bytes(7, graph).Raw(new byte[32]).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains("GraphProto.initializer (field 5)", error.Message, StringComparison.Ordinal);
        Assert.Contains("remain in its message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ElevenByteVarintIsRejected()
    {
        var model = new ProtoWriter().Tag(1, 0).Raw([.. Enumerable.Repeat((byte)0xFF, 10), 0x01]).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains("longer than 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, "start group")]
    [InlineData(4, "end group")]
    [InlineData(6, "wire type 6")]
    [InlineData(7, "wire type 7")]
    public void GroupAndUndefinedWireTypesAreRejected(int wireType, string expected)
    {
        var model = new ProtoWriter().Varint(1, 9).Tag(7, wireType).Raw(0, 0, 0, 0).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd", "'..'")]
    [InlineData("weights/../../secret.bin", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("\\\\server\\share\\w.bin", "absolute")]
    [InlineData("C:\\weights.bin", "':'")]
    [InlineData("weights\n.bin", "control character")]
    [InlineData("", "empty")]
    [InlineData("./", "names no file")]
    public void HostileExternalLocationsAreRejected(string location, string expected)
    {
        var model = Onnx.Model(location, Stream.Null, ("w", Onnx.F32, [4, 4], true));

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("initializer #1 'w'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalDataWithoutLocationIsRejected()
    {
        var tensor = new ProtoWriter().Varint(1, 4).Varint(2, Onnx.F32).Message(13, Onnx.Entry("offset", "0")).Varint(14, 1);
        var model = new ProtoWriter().Varint(1, 9).Message(7, new ProtoWriter().Message(5, tensor)).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains("no location", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGraphIsRejected()
    {
        var model = new ProtoWriter().Varint(1, 9).Text(2, Onnx.Producer).Message(8, new ProtoWriter().Varint(2, 17)).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.StartsWith("no graph", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeDimensionIsRejected()
    {
        var tensor = new ProtoWriter().Varint(1, unchecked((ulong)-1L)).Varint(2, Onnx.F32);
        var model = new ProtoWriter().Varint(1, 9).Message(7, new ProtoWriter().Message(5, tensor)).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongStringIsRejected()
    {
        var model = new ProtoWriter().Varint(1, 9).Text(2, new string('p', OnnxInspector.MaxStringBytes + 1)).Message(7, new ProtoWriter()).ToArray();

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(model));

        Assert.Contains("producer_name", error.Message, StringComparison.Ordinal);
        Assert.Contains("over the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclaredLengthLongerThanTheStreamIsRejected()
    {
        var model = Onnx.Model(Onnx.ExternalDataFile, Stream.Null, ("w", Onnx.F32, [4], false));
        using var stream = new MemoryStream(model);

        Assert.Throws<ArtifactFormatException>(() => OnnxInspector.Inspect(stream, model.Length + 10));
        using var forward = new ForwardOnlyStream(model);
        Assert.Throws<ArtifactFormatException>(() => OnnxInspector.Inspect(forward, model.Length + 10));
    }

    [Fact]
    public void EveryTruncationEitherParsesOrIsAFormatError()
    {
        var model = Onnx.Model("data.bin", Stream.Null, ("w", Onnx.F32, [3, 3], false), ("q", Onnx.I8, [9], true));
        for (var length = 0; length < model.Length; length++)
        {
            AssertOnlyFormatErrors(model.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void RandomCorruptionOnlyEverRaisesFormatErrors()
    {
        var model = Onnx.Model("data.bin", Stream.Null, ("w", Onnx.F32, [3, 3], false), ("q", Onnx.I8, [9], true));
        var random = new Random(20240601);
        for (var round = 0; round < 5000; round++)
        {
            var corrupt = (byte[])model.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            }

            AssertOnlyFormatErrors(corrupt);
        }
    }

    private static void AssertOnlyFormatErrors(byte[] bytes)
    {
        try
        {
            Inspect(bytes);
        }
        catch (ArtifactFormatException)
        {
        }
    }

    private static WeightFacts Inspect(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return OnnxInspector.Inspect(stream, bytes.Length);
    }

    private static WeightFacts InspectFile(string path)
    {
        using var stream = File.OpenRead(path);
        return OnnxInspector.Inspect(stream, stream.Length);
    }

    /// <summary>A stream that can only be read forward, as a pipe or a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : ReadOnlyStream
    {
        private readonly MemoryStream inner = new(bytes, writable: false);

        public override int Read(Span<byte> buffer) => this.inner.Read(buffer[..Math.Min(buffer.Length, 7)]);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                this.inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
