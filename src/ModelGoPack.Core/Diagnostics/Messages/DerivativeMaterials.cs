namespace ModelGoPack.Diagnostics;

/// <summary>Clause 2.2(a)(ii): Derivative Materials (Rules/DerivativeMaterials.cs, Rules/DerivativeMaterials.Lineage.cs).</summary>
public static partial class Messages
{
    // MGP2001
    public static readonly DiagnosticMessage DerivativeWithoutModification = M(DiagnosticCatalog.DerivativeWithoutModification, "Upstream \"{0}\" is a derivative, but no modification of it is declared. {help}");

    // MGP2002
    public static readonly DiagnosticMessage ModificationPathUnmatched = M(DiagnosticCatalog.ModificationPathUnmatched, "Modification path '{0}' matches no file of the bundle. {help}");

    // MGP2003
    public static readonly DiagnosticMessage ModificationWithoutDerivative = M(DiagnosticCatalog.ModificationWithoutDerivative, "{0} modification(s) declared, but no upstream has \"relation\": \"derivative\". {help}");

    // MGP2004
    public static readonly DiagnosticMessage ModificationUpstreamUnknown = M(DiagnosticCatalog.ModificationUpstreamUnknown, "Modification names upstream \"{0}\", which is not a declared derivative upstream. {help}");

    // MGP2005: {1} the config's file name.
    public static readonly DiagnosticMessage BaseModelUndeclared = M(DiagnosticCatalog.BaseModelUndeclared, "README.md's base_model '{0}' matches no upstream in {1} (by name or url). {help}");

    // MGP2006, MGP2008, MGP8028: {0} the file, {1} added, modified or removed, {2} the upstream, {3} where its release is.
    public static readonly DiagnosticMessage ChangeUndeclared = M(DiagnosticCatalog.ChangeUndeclared, "'{0}' is {1} compared with the release of \"{2}\" ({3}), no modification of it is declared, and {4}, so it has no date. {help}");
    public static readonly DiagnosticMessage ChangeDatedFromGit = M(DiagnosticCatalog.ChangeDatedFromGit, "'{0}' is {1} compared with the release of \"{2}\" ({3}); the last commit touching it is of {4:yyyy-MM-dd}. {help}");
    public static readonly DiagnosticMessage ChangeNeedsGit = M(DiagnosticCatalog.GitUnavailable, "'{0}' is {1} compared with the release of \"{2}\" and no modification declares it, so its date must come from git, but {3} {help}");

    // MGP2007
    public static readonly DiagnosticMessage ModificationDidNotHappen = M(DiagnosticCatalog.ModificationDidNotHappen, "The modification of {0:yyyy-MM-dd} (\"{1}\") names {2}, identical to the release of \"{3}\". {help}");

    // MGP2009: {0} how the NOTICE is named, {2} the statement, {3} the built-in template's fault, or nothing.
    public static readonly DiagnosticMessage NoticeLacksModification = M(DiagnosticCatalog.NoticeLacksModification, "{0} does not hold the statement of modification for derivative upstream \"{1}\" that its declaration makes: \"{2}\".{3} {help}");

    // MGP2010: {3} where the release date comes from.
    public static readonly DiagnosticMessage ModificationAfterRelease = M(DiagnosticCatalog.ModificationAfterRelease, "The modification \"{0}\" is dated {1:yyyy-MM-dd}, after the release date {2:yyyy-MM-dd} ({3}). {help}");

    // MGP2011: {4} which release date.
    public static readonly DiagnosticMessage ModificationBeforeUpstreamRelease = M(DiagnosticCatalog.ModificationBeforeUpstreamRelease, "The modification \"{0}\" of \"{1}\" is dated {2:yyyy-MM-dd}, before \"{1}\" was released on {3:yyyy-MM-dd} ({4}). {help}");

    // MGP2012
    public static readonly DiagnosticMessage BaseModelRelationUnknown = M(DiagnosticCatalog.BaseModelRelationMismatch, "README.md's base_model_relation '{0}' is none the Hub defines (adapter, finetune, merge, quantized), so the Hub ignores it. {help}");
    public static readonly DiagnosticMessage BaseModelRelationQuantizedOfFull = M(DiagnosticCatalog.BaseModelRelationMismatch, "README.md's base_model_relation is 'quantized', but every weight file of the release is full precision ({0}). {help}");
    public static readonly DiagnosticMessage BaseModelIsTeacher = M(DiagnosticCatalog.BaseModelRelationMismatch, "README.md's base_model '{0}' is an upstream this model was extracted from (a teacher), which the Hub reads as the base model it was {1}. {help}");
}
