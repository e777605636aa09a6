using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Inspection;

/// <summary>
/// <c>modelgo-dataset.json</c>: a stamp in a dataset's folder naming the model whose Output the dataset
/// holds. Dataset cards have no key for that; the stamp fills the gap, so that a model trained on the data
/// can be held to clause 2.2(a)(iii). Format version 1:
/// <c>{"stampVersion": 1, "generator": {"name", "version"?, "url"?, "license", "licensor"?}, "created"?, "description"?}</c>.
/// </summary>
public sealed record DatasetStamp
{
    public const string FileName = "modelgo-dataset.json";
    public const int CurrentVersion = 1;

    /// <summary>The stamp's project-relative path.</summary>
    public string Path { get; init; } = FileName;

    public required string GeneratorName { get; init; }

    public string? GeneratorVersion { get; init; }

    public string? GeneratorUrl { get; init; }

    public required string GeneratorLicense { get; init; }

    public string? GeneratorLicensor { get; init; }

    public DateOnly? Created { get; init; }

    public string? Description { get; init; }

    /// <summary>Writes the stamp into <paramref name="directory"/>; an existing stamp is replaced only with <paramref name="force"/>.</summary>
    public string? Write(string directory, bool force, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            diagnostics.Add(Messages.DatasetFolderMissing.With(directory));
            return null;
        }

        if (string.IsNullOrWhiteSpace(this.GeneratorName) || string.IsNullOrWhiteSpace(this.GeneratorLicense))
        {
            diagnostics.Add(Messages.DatasetStampIncomplete.With());
            return null;
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FileName);
        if (File.Exists(path) && !force)
        {
            diagnostics.Add(Messages.DatasetStampAlreadyExists.With(path), path);
            return null;
        }

        try
        {
            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, this.ToJson(), new System.Text.UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.DatasetStampWriteFailed.With(path, e.Message), path);
            return null;
        }
    }

    /// <summary>The stamp's JSON text.</summary>
    public string ToJson()
    {
        var generator = new JsonObject { ["name"] = this.GeneratorName };
        void Optional(JsonObject target, string key, string? value)
        {
            if (value is not null)
            {
                target[key] = value;
            }
        }

        Optional(generator, "version", this.GeneratorVersion);
        Optional(generator, "url", this.GeneratorUrl);
        generator["license"] = this.GeneratorLicense;
        Optional(generator, "licensor", this.GeneratorLicensor);
        var stamp = new JsonObject { ["stampVersion"] = CurrentVersion, ["generator"] = generator };
        Optional(stamp, "created", this.Created?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Optional(stamp, "description", this.Description);
        return stamp.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Reads a stamp; throws <see cref="ArtifactFormatException"/> with what is wrong.</summary>
    public static DatasetStamp Parse(string path, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("stampVersion", out var version) || !version.TryGetInt32(out var number) || number != CurrentVersion)
            {
                throw new ArtifactFormatException($"it is not a version {CurrentVersion} dataset stamp (\"stampVersion\": {CurrentVersion}).");
            }

            if (!root.TryGetProperty("generator", out var generator) || generator.ValueKind != JsonValueKind.Object
                || String(generator, "name") is not { } name || String(generator, "license") is not { } license)
            {
                throw new ArtifactFormatException("it needs a \"generator\" with \"name\" and \"license\".");
            }

            DateOnly? created = null;
            if (String(root, "created") is { } text)
            {
                created = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date
                    : throw new ArtifactFormatException($"\"created\" '{text}' is not an ISO 8601 date (yyyy-MM-dd).");
            }
            return new DatasetStamp
            {
                Path = path,
                GeneratorName = name,
                GeneratorVersion = String(generator, "version"),
                GeneratorUrl = String(generator, "url"),
                GeneratorLicense = license,
                GeneratorLicensor = String(generator, "licensor"),
                Created = created,
                Description = String(root, "description"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ArtifactFormatException($"it is not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
        }
    }

    private static string? String(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;
}
