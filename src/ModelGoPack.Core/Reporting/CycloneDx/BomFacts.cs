using ModelGoPack.Config;
using ModelGoPack.Emit;
using ModelGoPack.Inspection;

namespace ModelGoPack.Reporting.CycloneDx;

/// <summary>
/// What a CycloneDX BOM is made of, as the engine already knows it: the declaration (the config a bundle's manifest
/// records, upstreams with their provenance), every file listed with its SHA-256, what inspection read of each file,
/// the dataset stamps, and the bundle's time. The same facts give the same bytes (<see cref="BomWriter"/>).
/// </summary>
internal sealed record BomFacts
{
    /// <summary>What the bundle declares: its identity, copyright, upstreams and modifications, as its manifest lists them.</summary>
    public required ModelGoConfig Declared { get; init; }

    /// <summary>The files the BOM lists, with their SHA-256 (any order; written ordinal by path).</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>What inspection read of each file (role, weight format, precision, architecture facts), by path where there is one.</summary>
    public required IReadOnlyList<Artifact> Artifacts { get; init; }

    /// <summary>The dataset stamps found (modelgo-dataset.json): which model's Output each dataset holds.</summary>
    public IReadOnlyList<DatasetStamp> DatasetStamps { get; init; } = [];

    /// <summary>The datasets the model card's front matter declares (<c>datasets:</c>), as written there.</summary>
    public IReadOnlyList<string> CardDatasets { get; init; } = [];

    /// <summary>The bundle's time (<see cref="BundleTimestamp"/>): the BOM's <c>metadata.timestamp</c>, never the clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
