using System.Text.RegularExpressions;

namespace ModelGoPack.Inspection;

/// <summary>
/// A weight matrix of a model, by its logical name: <c>model.layers.0.mlp.down_proj</c> for the full-precision
/// <c>model.layers.0.mlp.down_proj.weight</c>, for GPTQ/AWQ's <c>….qweight</c>, compressed-tensors'
/// <c>….weight_packed</c>, EXL2's <c>….q_weight</c>, MXFP4's <c>…_blocks</c>, AQLM's <c>….codes</c>, HQQ's
/// <c>….W_q</c>, quanto's <c>….weight._data</c>, EXL3's <c>….trellis</c>, Marlin's <c>….B</c>, ONNX Runtime's
/// <c>…_quantized</c> and <c>…_Q4</c>, and for the int8, FP8 or bitsandbytes <c>….weight</c> that <c>….SCB</c>,
/// <c>….weight_scale</c> or <c>….weight.absmax</c> accompany.
/// </summary>
/// <param name="Name">The logical name: the tensor's name without its <c>.weight</c>, <c>.qweight</c> or packing suffix.</param>
/// <param name="Quantized">Stored in a quantized type (8 bits or fewer, integer-packed or block-quantized), not F16/BF16/F32/F64.</param>
/// <param name="Elements">The elements it holds: the weights, or for a packed matrix (<see cref="PackedBits"/>) the stored integers.</param>
/// <param name="Shape">Its dimensions in an order-free form, so a GGUF or ONNX matrix (stored transposed) meets its PyTorch original; the stored ones for a packed matrix.</param>
public readonly partial record struct WeightMatrix(string Name, bool Quantized, long Elements, MatrixShape Shape)
{
    /// <summary>Suffixes that packed or block-quantized formats put on a matrix's name, removed first.</summary>
    private static readonly string[] PackingSuffixes = ["_blocks", "_quantized", "._data", "._weight_qdata", ".weight:qdata", "_Bnb4"];

    /// <summary>Suffixes that name a matrix's stored tensor, removed after the packing suffix.</summary>
    private static readonly string[] TensorSuffixes = [".qweight", ".weight_packed", ".q_weight", ".codes", ".W_q", ".trellis", ".Qidxs", ".indices", ".B", ".weight"];

    /// <summary>The names of packed or quantized weights whatever their type (and, for 1-D ones, whatever their rank).</summary>
    private static readonly string[] PackedNames =
        [".qweight", ".weight_packed", ".q_weight", "_blocks", ".codes", ".W_q", "._data", ".trellis", ".B", ".Qidxs", ".indices", "._weight_qdata", ".weight:qdata", "_Bnb4"];

    /// <summary>
    /// The bits of each stored integer of a quantized matrix stored in integers, which may each pack several weights
    /// (GPTQ/AWQ qweight in int32, NVFP4 and bitsandbytes 4-bit in uint8, AQLM codes in int16): its shape need not be
    /// the weights' shape. Zero when <see cref="Shape"/> and <see cref="Elements"/> are the weights' own (full
    /// precision, FP8, GGUF block types, unpacked MXFP4 and MatMulNBits).
    /// </summary>
    public int PackedBits { get; init; }

    /// <summary>Whether its shape is taken for the weights' shape where no name decides: unpacked, or one byte each (int8 and uint8 hold one weight a byte most often).</summary>
    public bool ShapeIsWeights => this.PackedBits <= 8;

    /// <summary>For an integer tensor of a layout of no known name (<c>x.packed_values</c>), its module (<c>x</c>), whose full-precision matrix may be its original; else null.</summary>
    public string? Module { get; init; }

    /// <summary>The weights it stands for: its elements, or for a matrix packed in integers wider than a byte as many 4-bit weights as they hold (an estimate).</summary>
    public Int128 Weights => this.PackedBits > 8 ? (Int128)this.Elements * this.PackedBits / 4 : this.Elements;

    /// <summary>
    /// Whether a full-precision matrix of its name is this matrix's copy: of its shape, or, for a packed matrix, of
    /// exactly the weights its integers hold at 1, 2, 3, 4 or 8 bits (one dimension equal and the other unpacked, or in
    /// all). A name alone is not enough: ONNX graph names, GGUF names and Hugging Face names repeat across models (a
    /// 13B model's q_proj is no copy of a 7B model's), and a stub of the right name holds none of the weights.
    /// </summary>
    /// <param name="full">A full-precision matrix of its name.</param>
    /// <param name="bits">The bits of each weight, when the export's config.json says them (quantization_config.bits); 0 when it does not.</param>
    public bool IsCopy(WeightMatrix full, int bits = 0)
    {
        if (this.PackedBits == 0)
        {
            return full.Shape == this.Shape;
        }

        if (full.Elements <= 0)
        {
            return false;
        }

        // Packed along one dimension (GPTQ's [in × bits / 32, out], torchao's int4 [out, in / 2]): the other is equal.
        if (this.Shape.Rank == 2 && full.Shape.Rank == 2)
        {
            (long, long)[] pairs = [(this.Shape.A, this.Shape.B), (this.Shape.B, this.Shape.A)];
            foreach (var (same, packed) in pairs)
            {
                foreach (var (other, unpacked) in ((long, long)[])[(full.Shape.A, full.Shape.B), (full.Shape.B, full.Shape.A)])
                {
                    if (same == other && same > 1 && this.Unpacks(packed, unpacked, bits))
                    {
                        return true;
                    }
                }
            }
        }

        // Else by its weights: exactly as many as its integers hold at 1, 2, 3, 4 or 8 bits each.
        return this.Unpacks(this.Elements, full.Elements, bits);
    }

    // Whether `stored` integers of PackedBits hold exactly `weights` weights of the given bits, or, when the export does
    // not say them, of 2, 3, 4, 5, 6 or 8 bits (1-bit and 7-bit exports declare theirs).
    private bool Unpacks(long stored, long weights, int bits)
    {
        for (var width = 1; width <= 8; width++)
        {
            if ((bits == width || (bits == 0 && width is not (1 or 7))) && width <= this.PackedBits && (Int128)weights * width == (Int128)stored * this.PackedBits)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The logical name of a tensor: <c>x.weight</c>, <c>x.qweight</c>, <c>x.weight_packed</c>, <c>x.q_weight</c>,
    /// <c>x_blocks</c>, <c>x.weight_blocks</c>, <c>x.codes</c>, <c>x.W_q</c>, <c>x.weight._data</c>, <c>x.trellis</c>,
    /// <c>x.B</c> and ONNX Runtime's <c>x_quantized</c> and <c>x_Q4</c> are all <c>x</c>.
    /// </summary>
    public static string LogicalName(string tensor)
    {
        var name = NBitsSuffix().Replace(tensor, "", 1);
        foreach (var suffix in PackingSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        foreach (var suffix in TensorSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    /// <summary>Whether a tensor's name says it is packed quantized weights whatever its type: qweight, weight_packed, q_weight, _blocks, codes, W_q, _data, trellis, B, _Q4.</summary>
    public static bool IsPackedName(string tensor) => NBits(tensor) > 0 || PackedNames.Any(suffix => tensor.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>Whether a packed name is weights at any rank (its layout may flatten them): GPTQ's, compressed-tensors', EXL2's, MXFP4's, ONNX Runtime's _Bnb4.</summary>
    public static bool IsFlatPackedName(string tensor) =>
        tensor.EndsWith(".qweight", StringComparison.Ordinal) || tensor.EndsWith(".weight_packed", StringComparison.Ordinal)
        || tensor.EndsWith(".q_weight", StringComparison.Ordinal) || tensor.EndsWith("_blocks", StringComparison.Ordinal)
        || tensor.EndsWith("_Bnb4", StringComparison.Ordinal) || tensor.EndsWith("._weight_qdata", StringComparison.Ordinal);

    /// <summary>The bits of ONNX Runtime's MatMulNBits weights (<c>x_Q4</c>, <c>x_Q8</c>), 0 for any other name.</summary>
    public static int NBits(string tensor) => NBitsSuffix().Match(tensor) is { Success: true } match ? match.Groups["bits"].Value[0] - '0' : 0;

    /// <summary>
    /// The matrix whose scales a tensor holds, or null when it holds none: <c>x.scales</c> (GPTQ, AWQ),
    /// <c>x.weight_scale</c> (FP8, compressed-tensors), <c>x.weight_scale_inv</c> (DeepSeek FP8), <c>x.SCB</c> and
    /// <c>x.weight.absmax</c> (bitsandbytes), <c>x.q_scale</c> and <c>x.q_scale_max</c> (EXL2), <c>x_scales</c>
    /// (MXFP4), <c>x_scale</c> (ONNX Runtime) are all scales of <c>x</c>.
    /// </summary>
    public static string? ScaleOwner(string tensor) =>
        (tensor.Contains("scale", StringComparison.Ordinal) || tensor.EndsWith("absmax", StringComparison.Ordinal) || tensor.EndsWith("SCB", StringComparison.Ordinal))
        && ScalePattern().Match(tensor) is { Success: true } match ? match.Groups["owner"].Value : null;

    [GeneratedRegex(@"^(?<owner>.+?)(?:\.weight)?[._:](?:q_)?(?:scales?|scale_inv|scale_max|absmax|SCB)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ScalePattern();

    [GeneratedRegex(@"_Q(?<bits>[1-8])$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NBitsSuffix();
}

/// <summary>
/// A tensor's dimensions without their order: the largest three, largest first, for ranks 1 to 3; the element count
/// for ranks above 3. GGUF stores [in, out] where PyTorch stores [out, in], and ONNX MatMul weights are transposed,
/// so only the sizes can meet.
/// </summary>
public readonly record struct MatrixShape(int Rank, long A, long B, long C)
{
    /// <summary>The elements a tensor of this shape holds (saturating).</summary>
    public long Elements
    {
        get
        {
            if (this.Rank > 3)
            {
                return this.A;
            }

            Int128 product = this.A;
            product *= this.Rank >= 2 ? this.B : 1;
            product *= this.Rank >= 3 ? this.C : 1;
            return product > long.MaxValue ? long.MaxValue : (long)product;
        }
    }

    /// <summary>The order-free shape of a tensor of <paramref name="dims"/>.</summary>
    public static MatrixShape Of(IReadOnlyList<long> dims, long elements)
    {
        if (dims.Count > 3)
        {
            return new MatrixShape(dims.Count, elements, 0, 0);
        }

        Span<long> sorted = [0, 0, 0];
        for (var i = 0; i < dims.Count; i++)
        {
            sorted[i] = dims[i];
        }

        sorted.Sort();
        return new MatrixShape(dims.Count, sorted[2], sorted[1], sorted[0]);
    }

    /// <summary>
    /// For a stack of equal matrices (a GGUF or fused MoE tensor [experts, rows, columns]), each way of taking one
    /// dimension as the count: the count and the two-dimensional shape of each matrix.
    /// </summary>
    public IEnumerable<(long Count, MatrixShape Each)> Unstacked()
    {
        if (this.Rank != 3)
        {
            yield break;
        }

        yield return (this.A, new MatrixShape(2, this.B, this.C, 0));
        if (this.B != this.A)
        {
            yield return (this.B, new MatrixShape(2, this.A, this.C, 0));
        }

        if (this.C != this.B)
        {
            yield return (this.C, new MatrixShape(2, this.A, this.B, 0));
        }
    }
}

/// <summary>
/// Collects the weight matrices of one file as its header is read, then decides which are quantized. A tensor of two
/// or more dimensions is a full-precision matrix when its type is a floating-point type of 16 bits or more and it is
/// not a scale. It is a quantized matrix, in any other type but bool, when its name says it is (<c>*.weight</c>,
/// <c>*.qweight</c>, <c>*.weight_packed</c>, <c>*.q_weight</c>, <c>*_blocks</c>, <c>*.codes</c>, <c>*.W_q</c> and
/// the other names of <see cref="WeightMatrix.IsPackedName"/>), when another tensor of the file holds its scales,
/// when the file holds other quantized matrices or scales and it is an integer tensor of no auxiliary name (a
/// layout ModelGoPack has no name for), or when its type alone says so (a GGUF block type; in ONNX, 8 bits or fewer
/// under a quantized name such as <c>x_quantized</c>). Biases and norms (one dimension), scales, zero points, group indexes, permutations, int position ids, masks
/// and bool tensors are not matrices.
/// </summary>
internal sealed partial class MatrixCollector
{
    private readonly List<WeightMatrix> matrices = [];
    private readonly List<(string Tensor, WeightMatrix Matrix, int Bits)> unnamed = [];
    private readonly HashSet<string> scaled = new(StringComparer.Ordinal);

    /// <summary>Takes one tensor of the header, by its dimensions in stored order, working out the weights' own shape where the layout says it.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dims">Its dimensions, in stored order.</param>
    /// <param name="elements">Its element count.</param>
    /// <param name="fullPrecision">Its type is a floating-point type of 16 bits or more.</param>
    /// <param name="quantizedType">Its type alone makes it quantized (a GGUF block type; in ONNX, 8 bits or fewer under a quantized name).</param>
    /// <param name="boolean">Its type is bool.</param>
    /// <param name="integerBits">The bits of its type when that is an integer type (8 for int8 and uint8, 32 for int32), else 0.</param>
    public void Add(string name, IReadOnlyList<long> dims, long elements, bool fullPrecision, bool quantizedType, bool boolean, int integerBits)
    {
        if (!fullPrecision && WeightMatrix.NBits(name) is var bits and > 0 && dims.Count == 3 && integerBits == 8)
        {
            // ONNX Runtime's MatMulNBits: [N, blocks, bytes per block] of bits-wide weights, the matrix [K, N].
            var k = (Int128)dims[1] * dims[2] * 8 / bits;
            if (k <= long.MaxValue && k * dims[0] <= long.MaxValue)
            {
                this.Add(name, MatrixShape.Of([dims[0], (long)k], (long)(k * dims[0])), (long)(k * dims[0]), fullPrecision, quantizedType, boolean, 0);
                return;
            }
        }

        if (!fullPrecision && name.EndsWith("_blocks", StringComparison.Ordinal) && dims.Count >= 3 && integerBits == 8)
        {
            // MXFP4: [..., rows, blocks, 16 bytes] of 32 four-bit weights a block, the matrix [..., rows, blocks × 32].
            var columns = (Int128)dims[^2] * dims[^1] * 2;
            var total = (Int128)elements * 2;
            if (columns <= long.MaxValue && total <= long.MaxValue)
            {
                this.Add(name, MatrixShape.Of([.. dims.Take(dims.Count - 2), (long)columns], (long)total), (long)total, fullPrecision, quantizedType, boolean, 0);
                return;
            }
        }

        this.Add(name, MatrixShape.Of(dims, elements), elements, fullPrecision, quantizedType, boolean, integerBits);
    }

    /// <summary>Takes one tensor of the header by its order-free shape (a reader that keeps no dimensions' order).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="shape">Its order-free shape (<see cref="MatrixShape.Of"/>).</param>
    /// <param name="elements">Its element count.</param>
    /// <param name="fullPrecision">Its type is a floating-point type of 16 bits or more.</param>
    /// <param name="quantizedType">Its type alone makes it quantized (a GGUF block type; in ONNX, 8 bits or fewer under a quantized name).</param>
    /// <param name="boolean">Its type is bool.</param>
    /// <param name="integerBits">The bits of its type when that is an integer type, else 0; unknown (-1) counts a packed name as 32-bit.</param>
    public void Add(string name, MatrixShape shape, long elements, bool fullPrecision, bool quantizedType, bool boolean, int integerBits = -1)
    {
        if (WeightMatrix.ScaleOwner(name) is { } owner)
        {
            this.scaled.Add(owner);
            return;
        }

        // Packed names are weights at any rank only where their layouts flatten them (GPTQ, MXFP4, ONNX's _Bnb4); an
        // integer .weight of one dimension is bitsandbytes 4-bit flattened when the file holds its absmax.
        var packed = !fullPrecision && WeightMatrix.IsPackedName(name);
        var flatWeight = shape.Rank < 2 && !fullPrecision && integerBits > 0 && name.EndsWith(".weight", StringComparison.Ordinal);
        if (boolean || (shape.Rank < 2 && !(packed && WeightMatrix.IsFlatPackedName(name)) && !flatWeight))
        {
            return;
        }

        // Integers may each pack several weights: the shape need not be the weights' shape. An int8 or uint8 tensor
        // holds one weight a byte (bitsandbytes 8-bit, ONNX's _quantized) or two (NVFP4's [out, in / 2], bitsandbytes
        // 4-bit's column or flat run), a wider integer more.
        var bits = integerBits < 0 ? (packed ? 32 : 0) : integerBits;
        var packedBits = fullPrecision ? 0 : bits;
        var matrix = new WeightMatrix(WeightMatrix.LogicalName(name), !fullPrecision, elements, shape) { PackedBits = packedBits };
        if (fullPrecision || packed || (name.EndsWith(".weight", StringComparison.Ordinal) && !flatWeight) || quantizedType)
        {
            this.matrices.Add(matrix);
        }
        else
        {
            // An integer tensor of another name is a matrix only if the file holds its scales (seen later, perhaps),
            // or quantized matrices or scales of others (decided at the end).
            // (A flat .weight is one only beside its absmax: never a layout of its own.)
            this.unnamed.Add((name, matrix, flatWeight ? 0 : bits));
        }
    }

    /// <summary>The file's matrices, in header order for those its name or type decides, then those its scales or its other quantized matrices decide.</summary>
    public IReadOnlyList<WeightMatrix> Build()
    {
        var quantizedFile = this.scaled.Count > 0 || this.matrices.Any(m => m.Quantized);
        foreach (var (tensor, matrix, bits) in this.unnamed)
        {
            // Of a quantized file, an 8-, 16- or 32-bit integer tensor of a module's name (not an ONNX graph's own
            // name, as its Reshape shapes have) is weights in a layout ModelGoPack has no name for.
            var unknownLayout = quantizedFile && bits is 8 or 16 or 32 && !Auxiliary().IsMatch(tensor)
                && !tensor.StartsWith("onnx::", StringComparison.Ordinal) && !tensor.StartsWith('/');
            if (this.scaled.Contains(tensor) || this.scaled.Contains(matrix.Name))
            {
                this.matrices.Add(matrix);
            }
            else if (unknownLayout)
            {
                // Of its own name, or its module's, as its full-precision original is (x.packed_values is x of x.weight).
                var dot = tensor.LastIndexOf('.');
                this.matrices.Add(matrix with { Module = dot > 0 ? tensor[..dot] : null });
            }
        }

        return this.matrices;
    }

    // Integer tensors of a quantized file that are not weights: zero points, group indexes, permutations, position or
    // token ids, masks and biases (GPT-2's causal mask), lookup tables and codebooks' indexes.
    [GeneratedRegex(@"zero|idx|index|indices|perm|position|_ids$|\bids$|mask|bias|quant_map|quant_state|nested|lut|offset|shape|group", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Auxiliary();
}
