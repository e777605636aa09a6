namespace ModelGoPack.Inspection;

/// <summary>Decides a weight file's precision from its element counts per data type.</summary>
internal static class Precision
{
    /// <summary>
    /// Full when at least half of all elements are in a full-precision type; quantized otherwise;
    /// unknown when there are no elements.
    /// </summary>
    public static WeightPrecision FromElements(IReadOnlyDictionary<string, long> elements, Func<string, bool> isFullPrecision)
    {
        long full = 0;
        long total = 0;
        foreach (var (dtype, count) in elements)
        {
            total = Add(total, count);
            if (isFullPrecision(dtype))
            {
                full = Add(full, count);
            }
        }

        return total == 0 ? WeightPrecision.Unknown : full >= total - full ? WeightPrecision.Full : WeightPrecision.Quantized;
    }

    /// <summary>The product of a tensor's dimensions, saturating instead of overflowing.</summary>
    public static long Elements(IEnumerable<long> dims)
    {
        long product = 1;
        foreach (var dim in dims)
        {
            if (dim < 0)
            {
                throw new ArtifactFormatException($"a tensor dimension is negative ({dim}).");
            }

            product = dim == 0 ? 0 : product > long.MaxValue / dim ? long.MaxValue : product * dim;
        }

        return product;
    }

    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
