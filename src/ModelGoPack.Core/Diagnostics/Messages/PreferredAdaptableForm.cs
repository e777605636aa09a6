namespace ModelGoPack.Diagnostics;

/// <summary>Clause 2.2(a)(v): Preferred Adaptable Form (Rules/PreferredAdaptableForm.cs), and the weight files it cannot read.</summary>
public static partial class Messages
{
    // MGP5001
    public static readonly DiagnosticMessage NoWeights = M(DiagnosticCatalog.NoWeights, "No file of the release holds model weights. {help}");

    // MGP5002: {0} each weight file with what it is, "; " between them.
    public static readonly DiagnosticMessage OnlyQuantizedWeights = M(DiagnosticCatalog.OnlyQuantizedWeights, "Every weight file is quantized or compiled: {0}. The full-precision weights are missing. {help}");

    // MGP5003
    public static readonly DiagnosticMessage WeightsWithoutArchitecture = M(DiagnosticCatalog.WeightsWithoutArchitecture, "{0} hold tensors only, and no config.json, params.json or model code is beside them or in a folder above. {help}");

    // MGP5004
    public static readonly DiagnosticMessage TokenizerMissing = M(DiagnosticCatalog.TokenizerMissing, "'{0}' names tokenizer files that are not in the release: {1}. {help}");

    // MGP5005: {1} what the owner does with them ("maps tensors to shards").
    public static readonly DiagnosticMessage WeightFilesMissing = M(DiagnosticCatalog.WeightFilesMissing, "'{0}' {1} that are missing: {2}. {help}");

    // MGP5006
    public static readonly DiagnosticMessage StrayShard = M(DiagnosticCatalog.StrayShard, "'{0}' is named like a shard, but no index beside it lists it. {help}");

    // MGP5007: {1} "is a …, and the release holds no source code it" or the plural.
    public static readonly DiagnosticMessage BytecodeWithoutSource = M(DiagnosticCatalog.CompiledWithoutSource, "'{0}' is Python bytecode, and its source '{1}' is not in the release. {help}");
    public static readonly DiagnosticMessage BinariesWithoutSource = M(DiagnosticCatalog.CompiledWithoutSource, "{0} {1} could be built from. {help}");

    // MGP5008
    public static readonly DiagnosticMessage PdfOnlyDocs = M(DiagnosticCatalog.PdfOnlyDocs, "'{0}' has no editable source beside it. {help}");

    // MGP5009
    public static readonly DiagnosticMessage PickleWeights = M(DiagnosticCatalog.PickleWeights, "'{0}' is a PyTorch pickle. {help}");

    // MGP5010
    public static readonly DiagnosticMessage CustomCodeMissing = M(DiagnosticCatalog.CustomCodeMissing, "'{0}' auto_map loads classes from {1}, which the release does not hold. {help}");

    // MGP5011: {1} the count, {2} "x" or "ces", {3} the first few names, {4} a note on weights not read per matrix, or nothing.
    public static readonly DiagnosticMessage QuantizedMatricesWithoutFullPrecision = M(DiagnosticCatalog.QuantizedMatrixWithoutFullPrecision, "'{0}' holds {1} quantized weight matri{2} with no full-precision counterpart in the release: {3}.{4} {help}");


    // MGP8021
    public static readonly DiagnosticMessage WeightFileMalformed = M(DiagnosticCatalog.WeightHeaderInvalid, "'{0}' is not a valid weight file: {1} {help}");

    // MGP8041: {1} the oid and size the pointer names.
    public static readonly DiagnosticMessage LfsPointer = M(DiagnosticCatalog.LfsPointer, "'{0}' is a Git LFS pointer to a file of {1}, not the file itself. {help}");
}
