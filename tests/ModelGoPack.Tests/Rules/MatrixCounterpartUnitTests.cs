using ModelGoPack.Inspection;

namespace ModelGoPack.Tests;

/// <summary>
/// The matrix arithmetic under MGP5011, one rule at a time: when a packed matrix is a full-precision matrix's copy,
/// which names are weights packed flat, how ONNX Runtime's MatMulNBits and MXFP4 blocks unpack (and where they would
/// overflow), and what a tensor's unknown integer width counts as.
/// </summary>
public sealed class MatrixCounterpartUnitTests
{
    private static WeightMatrix Full(params long[] dims) =>
        new("m", false, dims.Aggregate(1L, (a, b) => a * b), MatrixShape.Of(dims, dims.Aggregate(1L, (a, b) => a * b)));

    private static WeightMatrix Packed(long a, long b) => new("m", true, a * b, MatrixShape.Of([a, b], a * b)) { PackedBits = 32 };

    [Fact]
    public void A_packed_matrix_is_no_copy_of_a_full_precision_matrix_without_weights()
    {
        Assert.False(Packed(512, 4096).IsCopy(Full(0, 4096)));
        Assert.True(Packed(512, 4096).IsCopy(Full(4096, 4096)));
    }

    [Fact]
    public void A_packed_matrix_meets_a_full_one_by_a_shared_dimension_or_by_all_its_weights_never_by_an_unshared_one()
    {
        // 1,000 x 64 int32: the 64 would unpack to 256 at 8 bits, but the full matrix shares no dimension with it (3,000
        // x 256), and its 768,000 weights are no whole number of bits for 2,048,000 stored bits.
        Assert.False(Packed(1000, 64).IsCopy(Full(3000, 256)));

        // Sharing the 1,000, the 64 unpacks to 256 at 8 bits.
        Assert.True(Packed(1000, 64).IsCopy(Full(1000, 256)));
    }

    [Theory]
    [InlineData("model.layers.0.mlp.qweight", true)]
    [InlineData("model.layers.0.mlp.weight_packed", true)]
    [InlineData("model.layers.0.mlp.q_weight", true)]
    [InlineData("model.layers.0.mlp.experts.gate_up_proj_blocks", true)]
    [InlineData("onnx::MatMul_Bnb4", true)]
    [InlineData("model.layers.0.mlp._weight_qdata", true)]
    [InlineData("model.layers.0.mlp.codes", false)]
    [InlineData("model.layers.0.mlp.weight", false)]
    [InlineData("model.layers.0.mlp.qweight.bias", false)]
    public void Only_the_layouts_that_flatten_weights_are_packed_at_any_rank(string tensor, bool flat) =>
        Assert.Equal(flat, WeightMatrix.IsFlatPackedName(tensor));

    [Fact]
    public void A_shape_of_more_than_three_dimensions_keeps_its_element_count()
    {
        Assert.Equal(120, MatrixShape.Of([2, 3, 4, 5], 120).Elements);
        Assert.Equal(24, MatrixShape.Of([2, 3, 4], 24).Elements);
        Assert.Equal(long.MaxValue, MatrixShape.Of([long.MaxValue, 2], long.MaxValue).Elements);
    }

    [Fact]
    public void MatMulNBits_weights_unpack_from_bytes_only()
    {
        // [N 4096, 128 blocks, 16 bytes] of 4-bit weights: the matrix [K 4096, N 4096].
        var bytes = Collect("layer_Q4", [4096, 128, 16], 4096L * 128 * 16, integerBits: 8);
        Assert.Equal(new MatrixShape(2, 4096, 4096, 0), bytes.Shape);
        Assert.Equal(4096L * 4096, bytes.Elements);
        Assert.Equal(0, bytes.PackedBits);

        // Not in bytes, the tensor is taken as stored.
        var words = Collect("layer_Q4", [4096, 128, 16], 4096L * 128 * 16, integerBits: 32);
        Assert.Equal(3, words.Shape.Rank);

        // At exactly the largest count there is, still unpacked; past it, taken as stored.
        var largest = Collect("layer_Q8", [1, long.MaxValue, 1], long.MaxValue, integerBits: 8);
        Assert.Equal(new MatrixShape(2, long.MaxValue, 1, 0), largest.Shape);
        var past = Collect("layer_Q4", [1L << 40, 1L << 20, 1L << 10], long.MaxValue, integerBits: 8);
        Assert.Equal(3, past.Shape.Rank);
    }

    [Fact]
    public void MXFP4_blocks_unpack_from_bytes_only_and_never_past_the_largest_count()
    {
        // [rows 2880, 90 blocks, 16 bytes] of 32 four-bit weights a block: the matrix [2880, 2880].
        var blocks = Collect("model.layers.0.mlp.experts.down_proj_blocks", [2880, 90, 16], 2880L * 90 * 16, integerBits: 8);
        Assert.Equal(new MatrixShape(2, 2880, 2880, 0), blocks.Shape);
        Assert.Equal(2880L * 90 * 16 * 2, blocks.Elements);

        // Four dimensions (experts first) unpack alike.
        Assert.Equal(32L * 2880 * 90 * 16 * 2, Collect("e_blocks", [32, 2880, 90, 16], 32L * 2880 * 90 * 16, integerBits: 8).Elements);

        // In full precision, or not in bytes, the tensor is taken as stored.
        Assert.Equal(3, Collect("x_blocks", [2880, 90, 16], 2880L * 90 * 16, integerBits: 8, fullPrecision: true).Shape.Rank);
        Assert.Equal(3, Collect("x_blocks", [2880, 90, 16], 2880L * 90 * 16, integerBits: 16).Shape.Rank);

        // Twice its elements, or its columns, past the largest count: taken as stored.
        Assert.Equal(3, Collect("x_blocks", [1L << 40, 1L << 10, 1L << 10], long.MaxValue, integerBits: 8).Shape.Rank);
        Assert.Equal(3, Collect("x_blocks", [2, 1L << 62, 4], 8, integerBits: 8).Shape.Rank);
    }

    [Fact]
    public void A_tensor_of_unknown_integer_width_counts_as_32_bit_only_under_a_packed_name()
    {
        var collector = new MatrixCollector();
        collector.Add("a.qweight", MatrixShape.Of([512, 4096], 512L * 4096), 512L * 4096, fullPrecision: false, quantizedType: false, boolean: false);
        collector.Add("b.packed_values", MatrixShape.Of([512, 4096], 512L * 4096), 512L * 4096, fullPrecision: false, quantizedType: false, boolean: false);

        var matrix = Assert.Single(collector.Build());
        Assert.Equal("a", matrix.Name);
        Assert.Equal(32, matrix.PackedBits);
    }

    private static WeightMatrix Collect(string name, long[] dims, long elements, int integerBits, bool fullPrecision = false)
    {
        var collector = new MatrixCollector();
        collector.Add(name, dims, elements, fullPrecision, quantizedType: !fullPrecision, boolean: false, integerBits);
        return Assert.Single(collector.Build());
    }
}
