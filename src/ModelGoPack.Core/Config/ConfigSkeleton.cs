using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using NuGet.Packaging;

namespace ModelGoPack.Config;

/// <summary>
/// Writes <c>modelgo.json</c> skeletons for <c>init</c>: every key with a comment taken from the JSON
/// schema's description, so that the skeleton and the schema never disagree.
/// </summary>
public static partial class ConfigSkeleton
{
    /// <summary>The JSON schema of modelgo.json, as shipped in the tool.</summary>
    public static string Schema { get; } = ReadSchema();

    /// <summary>Writes a skeleton into <paramref name="projectDirectory"/>; never overwrites an existing config.</summary>
    public static string? Write(string projectDirectory, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(projectDirectory) || ProjectPath.HasControlCharacters(projectDirectory))
        {
            diagnostics.Add(DiagnosticCatalog.ProjectDirectoryMissing, $"The project folder '{ProjectPath.Printable(projectDirectory)}' is not a usable path. {DiagnosticCatalog.ProjectDirectoryMissing.Help}");
            return null;
        }

        var root = Path.GetFullPath(projectDirectory);
        if (!Directory.Exists(root))
        {
            diagnostics.Add(DiagnosticCatalog.ProjectDirectoryMissing, $"'{projectDirectory}' is not a folder. {DiagnosticCatalog.ProjectDirectoryMissing.Help}", root);
            return null;
        }

        var path = Path.Combine(root, ModelGoConfig.FileName);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(Encoding.UTF8.GetBytes(Render(Path.GetFileName(root))));
            return path;
        }
        catch (IOException) when (File.Exists(path))
        {
            diagnostics.Add(DiagnosticCatalog.ConfigExists, $"{path} already exists. {DiagnosticCatalog.ConfigExists.Help}", ModelGoConfig.FileName);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed, $"Cannot write {path}: {e.Message}", ModelGoConfig.FileName);
            return null;
        }
    }

    /// <summary>The skeleton's text for a project folder named <paramref name="folderName"/>.</summary>
    public static string Render(string folderName)
    {
        using var schema = JsonDocument.Parse(Schema);
        var properties = schema.RootElement.GetProperty("properties");
        var upstream = schema.RootElement.GetProperty("$defs").GetProperty("upstream").GetProperty("properties");
        var modification = schema.RootElement.GetProperty("$defs").GetProperty("modification").GetProperty("properties");
        string Doc(JsonElement props, string key, string indent) =>
            $"{indent}// {props.GetProperty(key).GetProperty("description").GetString()}\n";

        var name = PackageName(folderName);
        var text = new StringBuilder();
        text.Append("// modelgo.json: ModelGoPack's config for this model project. Reference: ModelGoPack's docs/configuration.md.\n");
        text.Append("// Fill in every TODO, then run `modelgopack check`.\n");
        text.Append("{\n");
        text.Append(Doc(properties, "name", "  ")).Append(CultureInfo.InvariantCulture, $"  \"name\": {JsonSerializer.Serialize(name)},\n");
        text.Append(Doc(properties, "version", "  ")).Append("  \"version\": \"1.0.0\",\n");
        text.Append(Doc(properties, "license", "  ")).Append("  \"license\": \"MG-BY-SA-2.0\",\n");
        text.Append(Doc(properties, "copyright", "  ")).Append("  \"copyright\": [],\n");
        text.Append(Doc(properties, "upstream", "  "));
        text.Append("  // Example of one entry:\n");
        foreach (var (key, value) in new[] { ("name", "\"Teacher-7B\""), ("version", "\"2.1\""), ("url", "\"https://example.org/teacher-7b\""), ("license", "\"MG-BY-SA-2.0\""), ("licensor", "\"Teacher Labs\""), ("relation", "\"extracted\""), ("method", "\"distillation\""), ("notices", "[\"upstream/NOTICE\"]") })
        {
            text.Append(Doc(upstream, key, "  //   ")).Append(CultureInfo.InvariantCulture, $"  //   \"{key}\": {value},\n");
        }

        text.Append("  \"upstream\": [],\n");
        text.Append(Doc(properties, "modifications", "  "));
        text.Append("  // Example of one entry:\n");
        foreach (var (key, value) in new[] { ("date", "\"2026-05-01\""), ("description", "\"Fine-tuned on X\""), ("paths", "[\"model.safetensors\"]") })
        {
            text.Append(Doc(modification, key, "  //   ")).Append(CultureInfo.InvariantCulture, $"  //   \"{key}\": {value},\n");
        }

        text.Append("  \"modifications\": [],\n");
        text.Append(Doc(properties, "include", "  ")).Append("  \"include\": [\"**/*\"],\n");
        text.Append(Doc(properties, "exclude", "  ")).Append("  \"exclude\": []\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static string PackageName(string folderName)
    {
        var name = InvalidIdCharacters().Replace(folderName, "-").Trim('-', '.', '_');
        if (name.Length > PackageIdValidator.MaxPackageIdLength)
        {
            name = name[..PackageIdValidator.MaxPackageIdLength].Trim('-', '.', '_');
        }

        return PackageIdValidator.IsValidPackageId(name) ? name : "my-model";
    }

    private static string ReadSchema()
    {
        using var stream = typeof(ConfigSkeleton).Assembly.GetManifestResourceStream("ModelGoPack.Schema.modelgo.schema.json")
            ?? throw new InvalidOperationException("The embedded modelgo.json schema is missing from ModelGoPack.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex InvalidIdCharacters();
}
