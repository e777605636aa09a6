using System.Buffers.Binary;
using System.IO.Compression;
using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Real third-party model files (Fixtures/real, with their sources and licenses in its README): what inspect reads of
/// each agrees with a count made independently of ModelGoPack's readers, and a release made of one is judged by what
/// inspect calls it.
/// </summary>
public sealed class RealModelTests
{
    private static readonly string Real = Path.Combine(AppContext.BaseDirectory, "Fixtures", "real");

    public static TheoryData<string> OnnxModels => new() { "silero-vad-v5/silero_vad.onnx", "silero-vad-legacy/silero_vad_legacy.onnx" };

    [Theory]
    [MemberData(nameof(OnnxModels))]
    public void Onnx_tensors_and_elements_match_an_independent_protobuf_walk(string file)
    {
        var path = Path.Combine(Real, file);
        var expected = OnnxWalk.Count(File.ReadAllBytes(path));

        var artifact = InspectOne(path);

        Assert.Equal(ArtifactRole.Weights, artifact.Role);
        Assert.Equal(expected.Tensors, artifact.Weights!.TensorCount);
        Assert.Equal(expected.Elements.OrderBy(e => e.Key, StringComparer.Ordinal), artifact.Weights.Dtypes.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(WeightPrecision.Full, artifact.Weights.Precision);
    }

    [Fact]
    public void Silero_v5_keeps_its_weights_in_Constant_nodes_and_the_legacy_model_in_If_subgraphs()
    {
        // The figures the issue gives, from the files' own graphs: the walk that the theory above trusts is checked here.
        var v5 = OnnxWalk.Count(File.ReadAllBytes(Path.Combine(Real, "silero-vad-v5/silero_vad.onnx")));
        var legacy = OnnxWalk.Count(File.ReadAllBytes(Path.Combine(Real, "silero-vad-legacy/silero_vad_legacy.onnx")));

        Assert.Equal((341, 0, 545_286L), (v5.Tensors, v5.Initializers, v5.Elements["FLOAT"]));
        Assert.Equal((259, 259, 444_944L, 190), (legacy.Tensors, legacy.Initializers, legacy.Elements["FLOAT"], legacy.InSubgraphs));
    }

    [Fact]
    public void A_release_of_the_Silero_v5_model_alone_holds_weights()
    {
        using var project = new ModelProjectBuilder("silero-vad");
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        File.Delete(Path.Combine(project.Root, "config.json"));
        File.Copy(Path.Combine(Real, "silero-vad-v5/silero_vad.onnx"), Path.Combine(project.Root, "silero_vad.onnx"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "MGP5001" or "MGP5002" or "MGP5003");
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(ArtifactRole.Weights, result.Artifacts.Single(a => a.Path == "silero_vad.onnx").Role);
    }

    [Fact]
    public void A_vocabulary_only_GGUF_is_not_called_weights_and_a_release_of_it_alone_has_none()
    {
        var path = Path.Combine(Real, "llama-cpp-vocab/ggml-vocab-bert-bge.gguf");
        var header = File.ReadAllBytes(path).AsSpan(0, 24);
        Assert.True(header.StartsWith("GGUF"u8));
        var (version, tensors, keys) = (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]), BinaryPrimitives.ReadInt64LittleEndian(header[8..]), BinaryPrimitives.ReadInt64LittleEndian(header[16..]));

        var artifact = InspectOne(path);

        Assert.Equal((3u, 0L, 20L), (version, tensors, keys));
        Assert.Equal(tensors, artifact.Weights!.TensorCount);
        Assert.Equal("bert", artifact.Weights.Metadata["general.architecture"]);
        Assert.Equal(ArtifactRole.Other, artifact.Role);
        Assert.Equal("holds no tensors (not model weights)", artifact.Facts["kind"]);

        using var project = new ModelProjectBuilder("vocab-only");
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        File.Copy(path, Path.Combine(project.Root, "ggml-vocab-bert-bge.gguf"));
        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP5001");
    }

    [Fact]
    public void A_TorchScript_archive_counts_the_tensors_its_storage_entries_hold()
    {
        var path = Path.Combine(Real, "cp2k-nequip/water.pth");
        using (var zip = ZipFile.OpenRead(path))
        {
            // Independent of the pickle reader: each tensor of this model has its own float32 storage entry.
            var storages = zip.Entries.Where(e => e.FullName.StartsWith("water-deploy/data/", StringComparison.Ordinal)).ToList();
            var artifact = InspectOne(path);

            Assert.Equal(ArtifactRole.Weights, artifact.Role);
            Assert.Equal(storages.Count, artifact.Weights!.TensorCount);
            Assert.Equal(storages.Sum(s => s.Length) / 4, artifact.Weights.Dtypes["FloatStorage"]);
            Assert.Equal(WeightPrecision.Full, artifact.Weights.Precision);
        }
    }

    private static Artifact InspectOne(string path)
    {
        using var temp = new TempDirectory();
        File.Copy(path, temp.Combine(Path.GetFileName(path)));
        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = temp.Path });
        return Assert.Single(result.Artifacts);
    }

    /// <summary>
    /// An ONNX walk written from onnx.proto for these tests alone, sharing no code with OnnxInspector: it decodes the
    /// whole file into fields, then counts the initializers of every graph and subgraph and the value of every Constant.
    /// </summary>
    private static class OnnxWalk
    {
        private static readonly Dictionary<ulong, string> Types = new() { [1] = "FLOAT", [6] = "INT32", [7] = "INT64", [9] = "BOOL", [10] = "FLOAT16", [11] = "DOUBLE" };

        public static Counts Count(byte[] bytes)
        {
            var counts = new Counts();
            foreach (var graph in Fields(bytes, 0, bytes.Length).Where(f => f.Field == 7))
            {
                Graph(bytes, graph.Range, counts, depth: 0);
            }

            return counts;
        }

        private static void Graph(byte[] bytes, (int Start, int End) range, Counts counts, int depth)
        {
            foreach (var (field, _, _, inner) in Fields(bytes, range.Start, range.End))
            {
                if (field == 5)
                {
                    counts.Initializers++;
                    counts.InSubgraphs += depth > 0 ? 1 : 0;
                    Tensor(bytes, inner, counts);
                }
                else if (field == 1)
                {
                    Node(bytes, inner, counts, depth);
                }
            }
        }

        private static void Node(byte[] bytes, (int Start, int End) range, Counts counts, int depth)
        {
            var fields = Fields(bytes, range.Start, range.End).ToList();
            var op = fields.Where(f => f.Field == 4).Select(f => System.Text.Encoding.UTF8.GetString(bytes, f.Range.Start, f.Range.End - f.Range.Start)).SingleOrDefault();
            foreach (var attribute in fields.Where(f => f.Field == 5))
            {
                foreach (var (field, _, _, inner) in Fields(bytes, attribute.Range.Start, attribute.Range.End))
                {
                    if (field is 6 or 11)
                    {
                        Graph(bytes, inner, counts, depth + 1);
                    }
                    else if (field == 5 && op == "Constant")
                    {
                        Tensor(bytes, inner, counts);
                    }
                }
            }
        }

        private static void Tensor(byte[] bytes, (int Start, int End) range, Counts counts)
        {
            long elements = 1;
            var type = "UNDEFINED";
            foreach (var (field, wire, value, inner) in Fields(bytes, range.Start, range.End))
            {
                if (field == 1 && wire == 0)
                {
                    elements *= (long)value;
                }
                else if (field == 1 && wire == 2)
                {
                    for (var i = inner.Start; i < inner.End;)
                    {
                        elements *= (long)Varint(bytes, ref i);
                    }
                }
                else if (field == 2)
                {
                    type = Types.GetValueOrDefault(value, "TYPE_" + value);
                }
            }

            counts.Tensors++;
            counts.Elements[type] = counts.Elements.GetValueOrDefault(type) + elements;
        }

        private static List<(int Field, int Wire, ulong Value, (int Start, int End) Range)> Fields(byte[] bytes, int start, int end)
        {
            var list = new List<(int, int, ulong, (int, int))>();
            for (var i = start; i < end;)
            {
                var tag = Varint(bytes, ref i);
                var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
                switch (wire)
                {
                    case 0:
                        list.Add((field, wire, Varint(bytes, ref i), (i, i)));
                        break;
                    case 1:
                        list.Add((field, wire, 0, (i, i + 8)));
                        i += 8;
                        break;
                    case 5:
                        list.Add((field, wire, 0, (i, i + 4)));
                        i += 4;
                        break;
                    case 2:
                        var length = (int)Varint(bytes, ref i);
                        list.Add((field, wire, 0, (i, i + length)));
                        i += length;
                        break;
                    default:
                        throw new InvalidDataException($"wire type {wire} at byte {i}");
                }
            }

            return list;
        }

        private static ulong Varint(byte[] bytes, ref int i)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[i++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }

    private sealed class Counts
    {
        public int Tensors { get; set; }

        public int Initializers { get; set; }

        public int InSubgraphs { get; set; }

        public Dictionary<string, long> Elements { get; } = new(StringComparer.Ordinal);
    }
}
