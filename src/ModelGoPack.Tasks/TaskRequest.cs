using System.Text.Json.Nodes;
using Microsoft.Build.Framework;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Hashing;
using ModelGoPack.Hosting;
using ModelGoPack.Rules;

namespace ModelGoPack.Tasks;

/// <summary>
/// Maps the task's parameters to a Core request. MSBuild properties and items become config overrides:
/// a value set in MSBuild replaces the same key of modelgo.json (a list replaces the whole list), and
/// NuGet's PackageId, PackageVersion and Copyright fill in keys that modelgo.json does not set. The values are
/// judged in Core: the host's (Hosting/), the package's license (Rules/PackageLicense.cs), the config's (the engine).
/// </summary>
internal static class TaskRequest
{
    private static readonly string[] UpstreamMetadata = ["Version", "Url", "License", "Licensor", "Relation", "Method", "Notices"];
    private static readonly string[] ModificationMetadata = ["Date", "Paths", "Upstream"];

    public static (ProjectRequest Request, string? Output, BundleFormat Format)? Map(PackModel task, DiagnosticLogger logger)
    {
        var diagnostics = new DiagnosticBag();
        var projectFile = logger.ProjectFile;
        var directory = Path.GetFullPath(task.ProjectDirectory);

        var format = BundleFormats.Parse(task.BundleFormat, BundleFormats.MSBuildDefault);
        if (format is null)
        {
            diagnostics.Add(Messages.BundleFormatPropertyUnknown.With(task.BundleFormat), projectFile);
        }

        var epoch = SourceDateEpoch.Parse(SourceDateEpoch.FromProperty(task.SourceDateEpoch), diagnostics, projectFile);
        PackageLicense.CheckFile(task.PackageLicenseFile, diagnostics, projectFile);

        var overrides = new ConfigOverrides
        {
            Source = projectFile,
            Values = Values(task, diagnostics, projectFile),
            Fallbacks = Fallbacks(task),
        };

        // The config in effect names the bundle, and says whether share-alike applies; if it is invalid,
        // the engine reports why.
        var config = ModelGoPackEngine.ReadConfig(directory, overrides, new DiagnosticBag());
        PackageLicense.CheckExpression(task.PackageLicenseExpression, config, diagnostics, projectFile);

        if (diagnostics.HasErrors)
        {
            logger.Log(diagnostics.Items, directory);
            return null;
        }

        if (config is not null)
        {
            CheckIdentity(task, config, diagnostics, projectFile);
            logger.Log(diagnostics.Items, directory);
        }

        var intermediate = Path.GetFullPath(task.IntermediateDirectory);
        var excluded = task.ExcludedPaths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Path.GetFullPath).Append(intermediate);
        string? output = null;
        if (!string.IsNullOrWhiteSpace(task.BundlePath))
        {
            output = Path.GetFullPath(task.BundlePath);
        }
        else if (!string.IsNullOrWhiteSpace(task.BundleDirectory))
        {
            var bundleDirectory = Path.GetFullPath(task.BundleDirectory);
            excluded = excluded.Append(bundleDirectory);
            output = Path.Combine(bundleDirectory, config is null ? "invalid" : ModelGoPackEngine.BundleName(config, format!.Value));
        }

        var request = new ProjectRequest
        {
            ProjectDirectory = directory,
            TemplatesDirectory = string.IsNullOrWhiteSpace(task.TemplatesDirectory) ? null : task.TemplatesDirectory,
            SourceDateEpoch = epoch,
            Overrides = overrides,
            ExcludedPaths = excluded.ToList(),
            GitExecutable = GitExecutable.From(Environment.GetEnvironmentVariable),
            DigestCacheDirectory = Path.Combine(intermediate, "digests"),
            Progress = new ProgressCounter(),
            VerifyUpstream = task.VerifyUpstream,
            Bom = task.Bom,
            PublicityTexts = new[] { ("Title", task.Title), ("Description", task.Description), ("PackageTags", task.PackageTags) }
                .Where(p => !string.IsNullOrWhiteSpace(p.Item2) && p.Item2 != "Package Description")
                .ToDictionary(p => p.Item1, p => p.Item2!, StringComparer.Ordinal),
        };
        return (request, output, format!.Value);
    }

    private static Dictionary<string, ConfigValue> Values(PackModel task, DiagnosticBag diagnostics, string projectFile)
    {
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        void Scalar(string key, string? value, string property)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = new ConfigValue(JsonValue.Create(value.Trim()), $"MSBuild property {property}");
            }
        }

        void List(string key, string? value, string property)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = new ConfigValue(Strings(value), $"MSBuild property {property}");
            }
        }

        Scalar("name", task.Name, "ModelGoName");
        Scalar("version", task.Version, "ModelGoVersion");
        Scalar("license", task.License, "ModelGoLicense");
        Scalar("releaseDate", task.ReleaseDate, "ModelGoReleaseDate");
        List("copyright", task.Copyright, "ModelGoCopyright");
        List("include", task.Include, "ModelGoInclude");
        List("exclude", task.Exclude, "ModelGoExclude");

        void Items(string key, ITaskItem[] items, string itemType, string identityKey, string[] known, string[] lists)
        {
            if (items.Length == 0)
            {
                return;
            }

            var array = new JsonArray();
            foreach (var item in items)
            {
                var entry = new JsonObject { [identityKey] = item.ItemSpec };
                Metadata(item, itemType, known, entry, lists, diagnostics, projectFile);
                array.Add(entry);
            }

            values[key] = new ConfigValue(array, $"MSBuild items {itemType}");
        }

        Items("upstream", task.Upstream, "ModelGoUpstream", "name", UpstreamMetadata, ["Notices"]);
        Items("modifications", task.Modifications, "ModelGoModification", "description", ModificationMetadata, ["Paths"]);

        return values;
    }

    /// <summary>Warns when the .nupkg and the bundle would carry different names or versions.</summary>
    private static void CheckIdentity(PackModel task, ModelGoConfig config, DiagnosticBag diagnostics, string projectFile)
    {
        if (!string.IsNullOrWhiteSpace(task.PackageId) && !string.Equals(task.PackageId, config.Name, StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(Messages.PackageIdNotModelName.With(task.PackageId, config.Name), projectFile);
        }

        if (!string.IsNullOrWhiteSpace(task.PackageVersion) && NuGet.Versioning.NuGetVersion.TryParse(task.PackageVersion, out var version) && version != config.Version)
        {
            diagnostics.Add(Messages.PackageVersionNotModelVersion.With(task.PackageVersion, config.Version.ToNormalizedString()), projectFile);
        }
    }

    private static Dictionary<string, ConfigValue> Fallbacks(PackModel task)
    {
        var fallbacks = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(task.PackageId))
        {
            fallbacks["name"] = new ConfigValue(JsonValue.Create(task.PackageId), "MSBuild property PackageId");
        }

        if (!string.IsNullOrWhiteSpace(task.PackageVersion))
        {
            fallbacks["version"] = new ConfigValue(JsonValue.Create(task.PackageVersion), "MSBuild property PackageVersion");
        }

        if (!string.IsNullOrWhiteSpace(task.PackageCopyright))
        {
            fallbacks["copyright"] = new ConfigValue(new JsonArray(task.PackageCopyright), "MSBuild property Copyright");
        }

        return fallbacks;
    }

    /// <summary>Copies an item's custom metadata into a config object: <c>Relation</c> becomes <c>relation</c>.</summary>
    private static void Metadata(ITaskItem item, string itemType, string[] known, JsonObject target, string[] lists, DiagnosticBag diagnostics, string projectFile)
    {
        var metadata = item.CloneCustomMetadata();
        foreach (var name in metadata.Keys.Cast<string>().Order(StringComparer.OrdinalIgnoreCase))
        {
            var value = metadata[name] as string;
            var match = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                diagnostics.Add(Messages.ItemMetadataUnknown.With(itemType, item.ItemSpec, name), projectFile);
                continue;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var key = char.ToLowerInvariant(match[0]) + match[1..];
            target[key] = lists.Contains(match) ? Strings(value) : JsonValue.Create(value.Trim());
        }
    }

    private static JsonArray Strings(string list) =>
        new(list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
}
