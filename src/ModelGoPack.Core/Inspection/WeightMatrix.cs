using System.Text.RegularExpressions;

namespace ModelGoPack.Inspection;

/// <summary>
/// A weight matrix of a model, by its logical name: <c>model.layers.0.mlp.down_proj</c> for the full-precision
/// <c>model.layers.0.mlp.down_proj.weight</c>, for GPTQ/AWQ's <c>….qweight</c>, compressed-tensors'
/// <c>….weight_packed</c>, EXL2's <c>….q_weight</c>, MXFP4's <c>…_blocks</c>, and for the int8, FP8 or bitsandbytes
/// <c>….weight</c> that <c>….SCB</c>, <c>….weight_scale</c> or <c>….weight.absmax</c> accompany.
/// </summary>
/// <param name="Name">The logical name: the tensor's name without its <c>.weight</c>, <c>.qweight</c> or packing suffix.</param>
/// <param name="Quantized">Stored in a quantized type (8 bits or fewer, integer-packed or block-quantized), not F16/BF16/F32/F64.</param>
/// <param name="Elements">The elements the tensor stores (packed ones for GPTQ's qweight, logical ones for GGUF).</param>
/// <param name="Shape">Its dimensions in an order-free form, so a GGUF or ONNX matrix (stored transposed) meets its PyTorch original.</param>
public readonly partial record struct WeightMatrix(string Name, bool Quantized, long Elements, MatrixShape Shape)
{
    /// <summary>Suffixes that packed or block-quantized formats put on a matrix's name, removed first.</summary>
    private static readonly string[] PackingSuffixes = ["_blocks", "_quantized"];

    /// <summary>Suffixes that name a matrix's stored tensor, removed after the packing suffix.</summary>
    private static readonly string[] TensorSuffixes = [".qweight", ".weight_packed", ".q_weight", ".weight"];

    /// <summary>
    /// The logical name of a tensor: <c>x.weight</c>, <c>x.qweight</c>, <c>x.weight_packed</c>, <c>x.q_weight</c>,
    /// <c>x_blocks</c>, <c>x.weight_blocks</c> and ONNX Runtime's <c>x_quantized</c> are all <c>x</c>.
    /// </summary>
    public static string LogicalName(string tensor)
    {
        var name = tensor;
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

    /// <summary>Whether a tensor's name says it is packed quantized weights whatever its type: qweight, weight_packed, q_weight, _blocks.</summary>
    public static bool IsPackedName(string tensor) =>
        tensor.EndsWith(".qweight", StringComparison.Ordinal) || tensor.EndsWith(".weight_packed", StringComparison.Ordinal)
        || tensor.EndsWith(".q_weight", StringComparison.Ordinal) || tensor.EndsWith("_blocks", StringComparison.Ordinal);

    /// <summary>
    /// The matrix whose scales a tensor holds, or null when it holds none: <c>x.scales</c> (GPTQ, AWQ),
    /// <c>x.weight_scale</c> (FP8, compressed-tensors), <c>x.weight_scale_inv</c> (DeepSeek FP8), <c>x.SCB</c> and
    /// <c>x.weight.absmax</c> (bitsandbytes), <c>x.q_scale</c> and <c>x.q_scale_max</c> (EXL2), <c>x_scales</c>
    /// (MXFP4), <c>x_scale</c> (ONNX Runtime) are all scales of <c>x</c>.
    /// </summary>
    public static string? ScaleOwner(string tensor) =>
        (tensor.Contains("scale", StringComparison.Ordinal) || tensor.EndsWith("absmax", StringComparison.Ordinal) || tensor.EndsWith("SCB", StringComparison.Ordinal))
        && ScalePattern().Match(tensor) is { Success: true } match ? match.Groups["owner"].Value : null;

    [GeneratedRegex(@"^(?<owner>.+?)(?:\.weight)?[._](?:q_)?(?:scales?|scale_inv|scale_max|absmax|SCB)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ScalePattern();
}

/// <summary>
/// A tensor's dimensions without their order: the largest three, largest first, for ranks 1 to 3; the element count
/// for ranks above 3. GGUF stores [in, out] where PyTorch stores [out, in], and ONNX MatMul weights are transposed,
/// so only the sizes can meet.
/// </summary>
public readonly record struct MatrixShape(int Rank, long A, long B, long C)
{
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
/// <c>*.qweight</c>, <c>*.weight_packed</c>, <c>*.q_weight</c>, <c>*_blocks</c>), when another tensor of the file holds
/// its scales, or, in ONNX, whose initializer names are graph names, when its type has 8 bits or fewer. Biases and
/// norms (one dimension), scales, zero points, group indexes, int position ids and bool masks are not matrices.
/// </summary>
internal sealed class MatrixCollector
{
    private readonly List<WeightMatrix> matrices = [];
    private readonly List<(string Tensor, WeightMatrix Matrix)> unnamed = [];
    private readonly HashSet<string> scaled = new(StringComparer.Ordinal);

    /// <summary>Takes one tensor of the header.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="shape">Its order-free shape (<see cref="MatrixShape.Of"/>).</param>
    /// <param name="elements">Its element count.</param>
    /// <param name="fullPrecision">Its type is a floating-point type of 16 bits or more.</param>
    /// <param name="quantizedType">Its type alone makes it quantized (ONNX: 8 bits or fewer), whatever its name.</param>
    /// <param name="boolean">Its type is bool.</param>
    public void Add(string name, MatrixShape shape, long elements, bool fullPrecision, bool quantizedType, bool boolean)
    {
        if (WeightMatrix.ScaleOwner(name) is { } owner)
        {
            this.scaled.Add(owner);
            return;
        }

        var packed = WeightMatrix.IsPackedName(name);
        if (boolean || (shape.Rank < 2 && !packed))
        {
            return;
        }

        var matrix = new WeightMatrix(WeightMatrix.LogicalName(name), !fullPrecision, elements, shape);
        if (fullPrecision || packed || name.EndsWith(".weight", StringComparison.Ordinal) || quantizedType)
        {
            this.matrices.Add(matrix);
        }
        else
        {
            // An integer tensor of another name is a matrix only if the file holds its scales (seen later, perhaps).
            this.unnamed.Add((name, matrix));
        }
    }

    /// <summary>The file's matrices, in header order for those its name or type decides, then those its scales decide.</summary>
    public IReadOnlyList<WeightMatrix> Build()
    {
        foreach (var (tensor, matrix) in this.unnamed)
        {
            if (this.scaled.Contains(tensor) || this.scaled.Contains(matrix.Name))
            {
                this.matrices.Add(matrix);
            }
        }

        return this.matrices;
    }
}
