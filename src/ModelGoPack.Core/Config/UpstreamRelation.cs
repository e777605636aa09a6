namespace ModelGoPack.Config;

/// <summary>How the project was made from an upstream model, in the license's own words.</summary>
public enum UpstreamRelation
{
    /// <summary>The project modifies the upstream's Licensed Materials: it is Derivative Materials, 2.2(a)(ii).</summary>
    Derivative,

    /// <summary>The project was created from the upstream's Output (distillation, synthetic data): an Extracted Model, 2.2(a)(iii).</summary>
    Extracted,
}
