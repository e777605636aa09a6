using ModelGoPack.Inspection;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// ONNX weights wherever a graph keeps them: initializers, the values of Constant nodes (every value attribute, sparse
/// too), and the subgraphs of If, Loop and Scan nodes, nested. Other nodes' tensor attributes are not weights.
/// </summary>
public sealed class OnnxGraphTests
{
    [Fact]
    public void Every_value_attribute_of_a_Constant_counts_as_a_tensor_of_its_type()
    {
        var graph = new ProtoWriter()
            .Message(1, Constant("w", Attribute("value").Message(5, Tensor("", Onnx.F32, [8, 4]))))
            .Message(1, Constant("f", Attribute("value_float").Tag(2, 5).Raw(0, 0, 128, 63)))
            .Message(1, Constant("fs", Attribute("value_floats").Bytes(7, new byte[12])))
            .Message(1, Constant("fs_unpacked", Attribute("value_floats").Tag(7, 5).Raw(0, 0, 0, 0).Tag(7, 5).Raw(0, 0, 0, 0)))
            .Message(1, Constant("i", Attribute("value_int").Varint(3, 7)))
            .Message(1, Constant("is", Attribute("value_ints").Bytes(8, [1, 0x96, 0x01, 3, 4])))
            .Message(1, Constant("is_unpacked", Attribute("value_ints").Varint(8, 1).Varint(8, 300)))
            .Message(1, Constant("s", Attribute("value_string").Text(4, "hello")))
            .Message(1, Constant("ss", Attribute("value_strings").Text(9, "a").Text(9, "b").Text(9, "c")))
            .Message(1, Constant("sparse", Attribute("sparse_value").Message(22, new ProtoWriter()
                .Message(1, Tensor("sparse_values", Onnx.F32, [5]))
                .Message(2, Tensor("sparse_indices", Onnx.I64, [5]))
                .Varint(3, 100))));

        var facts = Inspect(graph);

        Assert.Equal(10, facts.TensorCount);
        Assert.Equal(
            new Dictionary<string, long> { ["FLOAT"] = 32 + 1 + 3 + 2 + 5, ["INT64"] = 1 + 4 + 2, ["STRING"] = 1 + 3 },
            facts.Dtypes);
        Assert.Equal(WeightPrecision.Full, facts.Precision);
    }

    [Fact]
    public void Only_Constant_nodes_of_the_default_domain_hold_weights()
    {
        var graph = new ProtoWriter()
            .Message(1, Node("ConstantOfShape", "filled", Attribute("value").Message(5, Tensor("", Onnx.F32, [1]))))
            .Message(1, Node("Constant", "custom", Attribute("value").Message(5, Tensor("", Onnx.F32, [64, 64]))).Text(7, "com.example"))
            .Message(1, Node("Constant", "standard", Attribute("value").Message(5, Tensor("", Onnx.F32, [2, 3]))).Text(7, "ai.onnx"))
            .Message(1, Node("Constant", "unnamed", Attribute("other").Message(5, Tensor("", Onnx.F32, [9]))));

        var facts = Inspect(graph);

        Assert.Equal(1, facts.TensorCount);
        Assert.Equal(6, facts.Dtypes["FLOAT"]);
    }

    [Fact]
    public void A_node_read_in_any_field_order_names_its_value_by_its_output()
    {
        // attribute before op_type and output, the attribute's tensor before its name: protobuf allows any order.
        var node = new ProtoWriter()
            .Message(5, new ProtoWriter().Message(5, Tensor("", Onnx.I8, [256, 256])).Text(1, "value"))
            .Text(4, "Constant")
            .Text(2, "w_quantized")
            .Text(2, "second_output_ignored");

        var facts = Inspect(new ProtoWriter().Message(1, node));

        Assert.Equal(1, facts.TensorCount);
        Assert.Equal(256 * 256, facts.Dtypes["INT8"]);
        Assert.Equal(WeightPrecision.Quantized, facts.Precision);
        Assert.Contains(facts.Matrices, m => m.Name == WeightMatrix.LogicalName("w_quantized") && m.Quantized && m.Elements == 256 * 256);
    }

    [Fact]
    public void Subgraphs_of_If_Loop_and_Scan_count_their_initializers_and_Constants_at_any_depth()
    {
        var inner = new ProtoWriter()
            .Message(5, Tensor("deep.weight", Onnx.F32, [3, 3]))
            .Message(1, Constant("deep_const", Attribute("value").Message(5, Tensor("", Onnx.F16, [4]))));
        var loop = new ProtoWriter()
            .Message(5, Tensor("body.weight", Onnx.F32, [2, 2]))
            .Message(1, Node("If", "y", Attribute("then_branch").Message(6, inner), Attribute("else_branch").Message(6, new ProtoWriter().Message(5, Tensor("else.bias", Onnx.F32, [5])))));
        var graph = new ProtoWriter()
            .Message(5, Tensor("top.weight", Onnx.F32, [10]))
            .Message(1, Node("Loop", "out", Attribute("body").Message(6, loop)))
            .Message(1, Node("CustomScan", "z", Attribute("bodies").Message(11, new ProtoWriter().Message(5, Tensor("g1", Onnx.F64, [7]))).Message(11, new ProtoWriter().Message(5, Tensor("g2", Onnx.F64, [1])))));

        var facts = Inspect(graph);

        Assert.Equal(7, facts.TensorCount);
        Assert.Equal(new Dictionary<string, long> { ["DOUBLE"] = 8, ["FLOAT"] = 10 + 4 + 9 + 5, ["FLOAT16"] = 4 }, facts.Dtypes);
    }

    [Fact]
    public void Subgraphs_nested_past_the_limit_are_refused()
    {
        ProtoWriter Nest(int depth) => depth == 0
            ? new ProtoWriter().Message(5, Tensor("w", Onnx.F32, [1]))
            : new ProtoWriter().Message(1, Node("If", "y", Attribute("then_branch").Message(6, Nest(depth - 1))));

        Assert.Equal(1, Inspect(Nest(OnnxInspector.MaxGraphDepth)).TensorCount);
        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(Nest(OnnxInspector.MaxGraphDepth + 1)));
        Assert.Equal($"subgraphs nest more than {OnnxInspector.MaxGraphDepth} levels deep.", error.Message);
    }

    [Fact]
    public void A_node_with_more_value_attributes_than_a_Constant_can_have_is_refused()
    {
        var node = Node("Constant", "c");
        for (var i = 0; i <= OnnxInspector.MaxValueAttributes; i++)
        {
            node.Message(5, Attribute("value_int").Varint(3, 1));
        }

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(new ProtoWriter().Message(1, node)));
        Assert.Contains($"a node has more than {OnnxInspector.MaxValueAttributes} value attributes", error.Message, StringComparison.Ordinal);
        node = Node("Constant", "c");
        for (var i = 0; i < OnnxInspector.MaxValueAttributes; i++)
        {
            node.Message(5, Attribute("value_int").Varint(3, 1));
        }

        Assert.Equal(OnnxInspector.MaxValueAttributes, Inspect(new ProtoWriter().Message(1, node)).TensorCount);
    }

    [Fact]
    public void Packed_floats_of_a_broken_length_are_refused()
    {
        var graph = new ProtoWriter().Message(1, Constant("fs", Attribute("value_floats").Bytes(7, new byte[6])));

        var error = Assert.Throws<ArtifactFormatException>(() => Inspect(graph));
        Assert.Contains("packed floats of 6 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_attribute_in_external_data_names_that_file_whatever_its_node()
    {
        var tensor = new ProtoWriter().Bytes(1, [4]).Varint(2, Onnx.F32).Message(13, Onnx.Entry("location", "weights/const.bin")).Varint(14, 1);
        var graph = new ProtoWriter()
            .Message(1, Constant("c", Attribute("value").Message(5, tensor)))
            .Message(1, Node("ConstantOfShape", "d", Attribute("value").Message(5, new ProtoWriter().Bytes(1, [1]).Varint(2, Onnx.F32).Message(13, Onnx.Entry("location", "not-a-weight.bin")).Varint(14, 1))));

        var facts = Inspect(graph);

        // ONNX loads an attribute's external data for any node: both files belong to the model; one tensor is a weight.
        Assert.Equal(["not-a-weight.bin", "weights/const.bin"], facts.ExternalFiles);
        Assert.Equal(1, facts.TensorCount);
    }

    private static WeightFacts Inspect(ProtoWriter graph)
    {
        var bytes = new ProtoWriter().Varint(1, 9).Text(2, "test").Message(7, graph).ToArray();
        using var stream = new MemoryStream(bytes, writable: false);
        return OnnxInspector.Inspect(stream, bytes.Length);
    }

    private static ProtoWriter Constant(string output, ProtoWriter attribute) => Node("Constant", output, attribute);

    private static ProtoWriter Node(string op, string output, params ProtoWriter[] attributes)
    {
        var node = new ProtoWriter().Text(2, output).Text(4, op);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }

        return node;
    }

    private static ProtoWriter Attribute(string name) => new ProtoWriter().Text(1, name);

    private static ProtoWriter Tensor(string name, int dataType, long[] dims) => Onnx.Tensor(name, dataType, dims, null, Stream.Null);
}
