namespace ModelGoPack.Inspection;

/// <summary>
/// A weight matrix of a model, by its logical name: <c>model.layers.0.mlp.down_proj</c> for the full-precision
/// <c>model.layers.0.mlp.down_proj.weight</c>, for GPTQ/AWQ's <c>….qweight</c>, and for the int8, FP8 or bitsandbytes
/// <c>….weight</c> that <c>….SCB</c>, <c>….weight_scale</c> or <c>….weight.absmax</c> accompany.
/// </summary>
/// <param name="Name">The logical name: the tensor's name without its <c>.weight</c> or <c>.qweight</c>.</param>
/// <param name="Quantized">Stored in a quantized type (8 bits or fewer, integer-packed or block-quantized), not F16/BF16/F32/F64.</param>
/// <param name="Elements">The elements the tensor stores (packed ones for GPTQ's qweight, logical ones for GGUF).</param>
public readonly record struct WeightMatrix(string Name, bool Quantized, long Elements)
{
    /// <summary>
    /// The matrix a tensor is, or null when it is none: a tensor of two or more dimensions named <c>*.weight</c> (full
    /// precision in a floating-point type of 16 bits or more, quantized in any other type but bool), or named
    /// <c>*.qweight</c> (GPTQ, AWQ: always quantized). Biases and norms (one dimension), scales, zero points, group
    /// indexes, position ids and masks are not matrices, so int position ids and bool masks are not quantization.
    /// </summary>
    public static WeightMatrix? Of(string name, string dtype, int rank, long elements, bool fullPrecision)
    {
        if (name.EndsWith(".qweight", StringComparison.Ordinal))
        {
            return new WeightMatrix(name[..^".qweight".Length], true, elements);
        }

        if (rank < 2 || !name.EndsWith(".weight", StringComparison.Ordinal) || dtype == "BOOL")
        {
            return null;
        }

        return new WeightMatrix(name[..^".weight".Length], !fullPrecision, elements);
    }
}
