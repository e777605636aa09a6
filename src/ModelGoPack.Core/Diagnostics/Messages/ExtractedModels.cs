namespace ModelGoPack.Diagnostics;

/// <summary>Clause 2.2(a)(iii): Extracted Models (Rules/ExtractedModels.cs).</summary>
public static partial class Messages
{
    // MGP3001
    public static readonly DiagnosticMessage ExtractedWithoutMethod = M(DiagnosticCatalog.ExtractedWithoutMethod, "Upstream \"{0}\" is extracted and has no \"method\"; NOTICE states that this model was created from its Output without saying how. {help}");

    // MGP3002
    public static readonly DiagnosticMessage DerivativeMadeFromOutput = M(DiagnosticCatalog.RelationMethodMismatch, "Upstream \"{0}\" has \"relation\": \"derivative\" but \"method\": \"{1}\". {help}");

    // MGP3003: {0} the dataset's folder, {1} the generator, {2} " by" its licensor or nothing, {3} MG-BY-SA-2.0, {4} what the config says of it.
    public static readonly DiagnosticMessage UndisclosedExtraction = M(DiagnosticCatalog.UndisclosedExtraction, "The dataset in {0} holds Output of \"{1}\"{2}, provided under {3}, and {4}. {help}");

    // MGP3004: as MGP2009.
    public static readonly DiagnosticMessage NoticeLacksExtraction = M(DiagnosticCatalog.NoticeLacksExtraction, "{0} does not hold the Extracted Model statement for extracted upstream \"{1}\" that its declaration makes: \"{2}\".{3} {help}");
}
