using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelGoPack.Config;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;

namespace ModelGoPack.Reporting.CycloneDx;

/// <summary>
/// Writes a CycloneDX 1.6 bill of materials (JSON) of a model release: the model as a <c>machine-learning-model</c>
/// component with its model card (architecture, weight format, precision) and its license, its upstreams as
/// <c>pedigree.ancestors</c> with the relation in words, its datasets as <c>data</c> components, and every file with its
/// SHA-256. Deterministic: the same <see cref="BomFacts"/> give the same bytes (files ordinal by path, the bundle's time,
/// a serial number derived from the content). docs/bom.md maps each fact to its field.
/// </summary>
internal static class BomWriter
{
    /// <summary>The BOM's file name in a bundle packed with <c>--bom</c>.</summary>
    public const string FileName = "modelgo-bom.cdx.json";

    /// <summary>The prefix of every property ModelGoPack writes where CycloneDX has no field (CycloneDX's property taxonomy asks for a namespace).</summary>
    public const string PropertyPrefix = "modelgopack:";

    /// <summary>
    /// The license as CycloneDX can name it with its text. MG-BY-SA-2.0 is not on the SPDX list, so <c>license.id</c> (an
    /// SPDX identifier, checked against the list by the schema) cannot hold it; an <c>expression</c> can, but carries no
    /// text. <c>license.name</c> with <c>text</c> is the one schema-valid placement that carries both the SPDX-style
    /// reference (<c>LicenseRef-</c>, as SPDX names a license off its list) and the text.
    /// </summary>
    public const string LicenseReference = "LicenseRef-" + LicenseText.Id;

    private const string Placeholder = "urn:uuid:00000000-0000-0000-0000-000000000000";

    private static readonly JsonWriterOptions Options = new() { Indented = true, NewLine = "\n", Encoder = BomJsonEncoder.Instance };

    /// <summary>
    /// The BOM's bytes (UTF-8, no byte order mark, ending in a newline), held once: the buffer they were written to, sized
    /// for about 512 bytes a file (a file's entry is about 480), never copied.
    /// </summary>
    public static ReadOnlyMemory<byte> Write(BomFacts facts)
    {
        using var buffer = new MemoryStream((int)Math.Min(Array.MaxLength, (64L * 1024) + (512L * facts.Files.Count)));
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            var model = Reference("model", $"{facts.Declared.Name}@{facts.Declared.Version.ToNormalizedString()}");
            var datasets = Datasets(facts);
            json.WriteStartObject();
            json.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
            json.WriteString("bomFormat", "CycloneDX");
            json.WriteString("specVersion", "1.6");
            json.WriteString("serialNumber", Placeholder);
            json.WriteNumber("version", 1);

            json.WriteStartObject("metadata");
            json.WriteString("timestamp", facts.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("tools");
            WriteArrayOfOne(json, "components", ("type", "application"), ("name", ToolInfo.Name), ("version", ToolInfo.Version));
            json.WriteEndObject();
            json.WritePropertyName("component");
            WriteModel(json, model, facts, datasets);
            json.WriteEndObject();

            json.WriteStartArray("components");
            foreach (var dataset in datasets)
            {
                WriteDataset(json, dataset, facts.Declared);
            }

            var artifacts = facts.Artifacts.GroupBy(a => a.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var file in facts.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                // Flushed as it goes: a bundle of a million files is never held twice.
                if (json.BytesPending > 1 << 16)
                {
                    json.Flush();
                }

                WriteFile(json, file, artifacts.GetValueOrDefault(file.Path));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        SetSerialNumber(bytes.Span);
        return bytes;
    }

    /// <summary>
    /// The serial number: a UUID made of the SHA-256 of the BOM written with a zero one (RFC 9562 version 8, the form for
    /// a UUID made by a hash other than MD5 and SHA-1), so that the same content has the same number and another content another.
    /// </summary>
    private static void SetSerialNumber(Span<byte> bytes)
    {
        var digest = SHA256.HashData(bytes);
        digest[6] = (byte)((digest[6] & 0x0F) | 0x80);
        digest[8] = (byte)((digest[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(digest.AsSpan(0, 16));
        var serial = Encoding.ASCII.GetBytes($"urn:uuid:{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}");

        // The first occurrence is the serialNumber's: it is written before anything a project supplies.
        var at = bytes.IndexOf(Encoding.ASCII.GetBytes(Placeholder));
        serial.CopyTo(bytes[at..]);
    }

    private static void WriteModel(Utf8JsonWriter json, string reference, BomFacts facts, IReadOnlyList<Dataset> datasets)
    {
        var config = facts.Declared;
        json.WriteStartObject();
        json.WriteString("type", "machine-learning-model");
        json.WriteString("bom-ref", reference);
        json.WriteString("name", config.Name);
        json.WriteString("version", config.Version.ToNormalizedString());
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteStartObject("license");
        json.WriteString("name", LicenseReference);
        json.WriteString("acknowledgement", "declared");
        json.WriteStartObject("text");
        json.WriteString("contentType", "text/plain");
        json.WriteString("content", LicenseText.Text);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        if (config.Copyright.Count > 0)
        {
            json.WriteString("copyright", string.Join("\n", config.Copyright));
        }

        if (config.Upstream.Count > 0)
        {
            json.WriteStartObject("pedigree");
            json.WriteStartArray("ancestors");
            foreach (var upstream in config.Upstream)
            {
                WriteUpstream(json, upstream, Reference("upstream", upstream.Name), Relation(upstream));
            }

            json.WriteEndArray();
            json.WriteString("notes", string.Join(" ", config.Upstream.Select(Relation)));
            json.WriteEndObject();
        }

        WriteModelCard(json, facts.Artifacts, datasets);
        var properties = new List<(string, string)>();
        if (config.ReleaseDate is { } release)
        {
            properties.Add(("releaseDate", Date(release)));
        }

        foreach (var modification in config.Modifications)
        {
            var upstream = modification.Upstream is { } named ? $" ({named})" : "";
            var paths = modification.Paths.Count > 0 ? $": {string.Join(", ", modification.Paths)}" : "";
            properties.Add(("modification", $"{Date(modification.Date)}{upstream} {modification.Description}{paths}"));
        }

        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    /// <summary>
    /// The model card: the architecture (config.json's <c>architectures</c> and <c>model_type</c>, else a GGUF header's
    /// <c>general.architecture</c>), the datasets, and (CycloneDX has no field for them) each weight format and precision
    /// found, as <c>modelgopack:</c> properties.
    /// </summary>
    private static void WriteModelCard(Utf8JsonWriter json, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Dataset> datasets)
    {
        // The shallowest architecture definition that names one (the model's own, not a sub-model's), ties ordinal by path.
        var definitions = artifacts.Where(a => a.Role == ArtifactRole.Architecture)
            .OrderBy(a => a.Path.Count(c => c == '/')).ThenBy(a => a.Path, StringComparer.Ordinal).ToList();
        var weights = artifacts.Where(a => a.Weights is not null).OrderBy(a => a.Path, StringComparer.Ordinal).ToList();
        var architecture = definitions.Select(a => a.Facts.GetValueOrDefault("architectures")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        var family = definitions.Select(a => a.Facts.GetValueOrDefault("model_type")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
            ?? weights.Select(a => a.Weights!.Metadata.GetValueOrDefault("general.architecture")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        json.WriteStartObject("modelCard");
        if (architecture is not null || family is not null || datasets.Count > 0)
        {
            json.WriteStartObject("modelParameters");
            if (family is not null)
            {
                json.WriteString("architectureFamily", family);
            }

            if (architecture is not null)
            {
                json.WriteString("modelArchitecture", architecture);
            }

            if (datasets.Count > 0)
            {
                json.WriteStartArray("datasets");
                foreach (var dataset in datasets)
                {
                    json.WriteStartObject();
                    json.WriteString("ref", dataset.Reference);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        var properties = new List<(string, string)>();
        properties.AddRange(weights.Select(a => a.Weights!.Format).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(f => ("format", f)));
        properties.AddRange(weights.Select(a => JsonReport.Name(a.Weights!.Precision)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(p => ("precision", p)));
        properties.AddRange(definitions.Select(a => a.Facts.GetValueOrDefault("quantization")).Where(q => q is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(q => ("quantization", q!)));
        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    /// <summary>An upstream as an ancestor: the model it is, its license and licensor, where it is published, and how this model came from it.</summary>
    private static void WriteUpstream(Utf8JsonWriter json, UpstreamDeclaration upstream, string? reference, string relation)
    {
        json.WriteStartObject();
        json.WriteString("type", "machine-learning-model");
        if (reference is not null)
        {
            json.WriteString("bom-ref", reference);
        }

        json.WriteString("name", upstream.Name);
        if (upstream.Version is { } version)
        {
            json.WriteString("version", version);
        }

        json.WriteString("description", relation);
        WriteLicense(json, upstream.License, upstream.Licensor);
        WriteWebsite(json, upstream.Url);
        var properties = new List<(string, string)>
        {
            ("relation", upstream.Relation == UpstreamRelation.Derivative ? "derivative" : "extracted"),
        };
        if (upstream.Method is { } method)
        {
            properties.Add(("method", method));
        }

        if (upstream.Revision is { } revision)
        {
            properties.Add(("revision", revision));
        }

        if (upstream.ReleaseDate is { } released)
        {
            properties.Add(("releaseDate", Date(released)));
        }

        if (upstream.ManifestSha256 is { } manifest)
        {
            properties.Add(("manifestSha256", manifest));
        }

        if (!IsWebUrl(upstream.Url) && upstream.Url is { } url)
        {
            properties.Add(("url", url));
        }

        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    /// <summary>The relation in words: what the license calls it, and what it means.</summary>
    internal static string Relation(UpstreamDeclaration upstream)
    {
        var named = upstream.Version is { } version ? $"{upstream.Name} {version}" : upstream.Name;
        var method = upstream.Method is { } how ? $" by {how}" : "";
        return upstream.Relation == UpstreamRelation.Derivative
            ? $"Derivative of {named}: this model is {named} modified{method} (Derivative Materials)."
            : $"Created from Output of {named}: this model was made from what {named} generated{method}, not from its weights (an Extracted Model).";
    }

    /// <summary>A license as a license object: MG-BY-SA-2.0 by its LicenseRef, any other by name as declared (it cannot be checked against the SPDX list here).</summary>
    private static void WriteLicense(Utf8JsonWriter json, string license, string? licensor)
    {
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteStartObject("license");
        json.WriteString("name", string.Equals(license.Trim(), LicenseText.Id, StringComparison.OrdinalIgnoreCase) ? LicenseReference : license);
        if (licensor is not null)
        {
            json.WriteStartObject("licensing");
            json.WriteStartObject("licensor");
            json.WriteStartObject("organization");
            json.WriteString("name", licensor);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    /// <summary>
    /// Where a model is published, as a <c>website</c> external reference, when it is an absolute http or https URL (a
    /// reader may follow it); any other (<c>javascript:</c>, <c>file:</c>, a relative path) is only a <c>modelgopack:url</c> property.
    /// </summary>
    private static void WriteWebsite(Utf8JsonWriter json, string? url)
    {
        if (!IsWebUrl(url))
        {
            return;
        }

        WriteArrayOfOne(json, "externalReferences", ("type", "website"), ("url", url!));
    }

    /// <summary>Whether <paramref name="url"/> is a well-formed absolute http or https URL.</summary>
    internal static bool IsWebUrl(string? url) =>
        Uri.IsWellFormedUriString(url, UriKind.Absolute) && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !string.IsNullOrEmpty(uri.Host);

    private static void WriteDataset(Utf8JsonWriter json, Dataset dataset, ModelGoConfig config)
    {
        json.WriteStartObject();
        json.WriteString("type", "data");
        json.WriteString("bom-ref", dataset.Reference);
        json.WriteString("name", dataset.Name);
        if (dataset.Stamp?.Description is { } description)
        {
            json.WriteString("description", description);
        }

        WriteArrayOfOne(json, "data", ("type", "dataset"), ("name", dataset.Name));

        // Where it came from: the model whose Output it holds, as its stamp names it and as the upstreams that list it are
        // declared. One ancestor per model: a stamp's generator that names an upstream (by the rule check holds stamps to,
        // MGP3003) is that upstream, as declared, and the notes say both.
        var generators = new List<(UpstreamDeclaration Model, string Notes)>();
        var stamp = dataset.Stamp;
        var listing = config.Upstream.Where(u => dataset.Upstreams.Contains(u.Name)).ToList();
        var stamped = stamp is null ? null : listing.FirstOrDefault(u => ModelCard.Names(stamp.GeneratorName, u.Name, u.Url));
        if (stamp is not null && stamped is null)
        {
            var generator = new UpstreamDeclaration
            {
                Name = stamp.GeneratorName,
                Version = stamp.GeneratorVersion,
                Url = stamp.GeneratorUrl,
                License = stamp.GeneratorLicense,
                Licensor = stamp.GeneratorLicensor,
                Relation = UpstreamRelation.Extracted,
            };
            generators.Add((generator, $"Created from Output of {stamp.GeneratorName}, as its dataset stamp {stamp.Path} records."));
        }

        foreach (var upstream in listing)
        {
            generators.Add((upstream, upstream == stamped
                ? $"Created from Output of {upstream.Name}, as its dataset stamp {stamp!.Path} records and the upstream {upstream.Name} declares it."
                : $"Created from Output of {upstream.Name}, as the upstream {upstream.Name} declares it."));
        }

        if (generators.Count > 0)
        {
            json.WriteStartObject("pedigree");
            json.WriteStartArray("ancestors");
            foreach (var (model, _) in generators)
            {
                json.WriteStartObject();
                json.WriteString("type", "machine-learning-model");
                json.WriteString("name", model.Name);
                if (model.Version is { } version)
                {
                    json.WriteString("version", version);
                }

                WriteLicense(json, model.License, model.Licensor);
                WriteWebsite(json, model.Url);
                if (!IsWebUrl(model.Url) && model.Url is { } url)
                {
                    WriteProperties(json, [("url", url)]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("notes", string.Join(" ", generators.Select(g => g.Notes)));
            json.WriteEndObject();
        }

        var properties = new List<(string, string)>();
        properties.AddRange(generators.Select(g => ("generatedFrom", g.Model.Name)));
        if (stamp is not null)
        {
            properties.Add(("stamp", stamp.Path));
            if (stamp.Created is { } created)
            {
                properties.Add(("created", Date(created)));
            }
        }

        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    private static void WriteFile(Utf8JsonWriter json, Emit.ManifestFile file, Artifact? artifact)
    {
        json.WriteStartObject();
        json.WriteString("type", "file");
        json.WriteString("bom-ref", Reference("file", file.Path));
        json.WriteString("name", file.Path);
        WriteArrayOfOne(json, "hashes", ("alg", "SHA-256"), ("content", file.Sha256));

        // The role a file's content gave it, else its name's (a generated LICENSE, NOTICE or card has no artifact of its own in a project).
        var properties = new List<(string, string)>
        {
            ("size", file.Size.ToString(CultureInfo.InvariantCulture)),
            ("role", JsonReport.Name(artifact?.Role ?? ArtifactInspector.RoleByName(file.Path))),
        };
        if (artifact?.Weights is { } weights)
        {
            properties.Add(("format", weights.Format));
            properties.Add(("formatFrom", weights.FromHeader ? "header" : "extension"));
            properties.Add(("precision", JsonReport.Name(weights.Precision)));
            properties.AddRange(weights.Dtypes.Select(d => ("dtype", d.Key)));
        }

        WriteProperties(json, properties);
        json.WriteEndObject();
    }

    /// <summary>An array of one object of string fields: <c>"name": [{"key": "value", ...}]</c>.</summary>
    private static void WriteArrayOfOne(Utf8JsonWriter json, string name, params (string Key, string Value)[] fields)
    {
        json.WriteStartArray(name);
        json.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter json, List<(string Name, string Value)> properties)
    {
        if (properties.Count == 0)
        {
            return;
        }

        json.WriteStartArray("properties");
        foreach (var (name, value) in properties)
        {
            json.WriteStartObject();
            json.WriteString("name", PropertyPrefix + name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// The datasets: each upstream's <c>datasets</c> (names or paths in the project), each stamped dataset's folder, and the
    /// datasets the model card's front matter declares (<c>datasets:</c>, Hub ids as a rule), one entry per name (a
    /// stamp's folder and an upstream's path that name the same folder are one), ordinal by name.
    /// </summary>
    private static List<Dataset> Datasets(BomFacts facts)
    {
        var byName = new SortedDictionary<string, Dataset>(StringComparer.Ordinal);
        Dataset Get(string name) => byName.TryGetValue(name, out var found) ? found : byName[name] = new Dataset(name, Reference("dataset", name));
        foreach (var stamp in facts.DatasetStamps.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            var folder = stamp.Path.Contains('/', StringComparison.Ordinal) ? stamp.Path[..stamp.Path.LastIndexOf('/')] : ".";
            var dataset = Get(folder);
            dataset.Stamp ??= stamp;
        }

        foreach (var upstream in facts.Declared.Upstream)
        {
            foreach (var name in upstream.Datasets.Select(Normalize).Where(n => n.Length > 0))
            {
                Get(name).Upstreams.Add(upstream.Name);
            }
        }

        foreach (var name in facts.CardDatasets.Select(Normalize).Where(n => n.Length > 0))
        {
            Get(name);
        }

        return [.. byName.Values];
    }

    // A dataset's path as a stamp's folder is written: no "./" before it, no "/" after it, no empty or "." segment
    // ("data//d3", "Data/./D4/" are "data/d3", "Data/D4"); case as given. A name that is only slashes and dots is ".".
    internal static string Normalize(string name)
    {
        var trimmed = name.Trim();
        var segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        return segments.Length > 0 ? string.Join('/', segments) : trimmed.Length > 0 ? "." : "";
    }

    private static string Reference(string kind, string name) => $"{kind}/{name}";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A dataset of the BOM: its name (a folder of the project, or a name), its reference, the stamp in its folder and the upstreams that list it.</summary>
    private sealed class Dataset(string name, string reference)
    {
        public string Name { get; } = name;

        public string Reference { get; } = reference;

        public DatasetStamp? Stamp { get; set; }

        public SortedSet<string> Upstreams { get; } = new(StringComparer.Ordinal);
    }
}
