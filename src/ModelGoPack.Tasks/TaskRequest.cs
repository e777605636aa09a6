using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Build.Framework;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;

namespace ModelGoPack.Tasks;

/// <summary>
/// Maps the task's parameters to a Core request. MSBuild properties and items become config overrides:
/// a value set in MSBuild replaces the same key of modelgo.json (a list replaces the whole list), and
/// NuGet's PackageId, PackageVersion and Copyright fill in keys that modelgo.json does not set.
/// </summary>
internal static class TaskRequest
{
    private static readonly string[] UpstreamMetadata = ["Version", "Url", "License", "Licensor", "Relation", "Method", "Notices"];
    private static readonly string[] ModificationMetadata = ["Date", "Paths", "Upstream"];

    public static (ProjectRequest Request, string? Output, BundleFormat Format)? Map(ModelGoPack task, DiagnosticLogger logger)
    {
        var diagnostics = new DiagnosticBag();
        var projectFile = logger.ProjectFile;
        var directory = Path.GetFullPath(task.ProjectDirectory);

        var format = (task.BundleFormat ?? "zip").ToLowerInvariant() switch
        {
            "zip" or "" => BundleFormat.Zip,
            "dir" or "directory" => BundleFormat.Directory,
            "tar.gz" or "tgz" => BundleFormat.TarGz,
            _ => (BundleFormat?)null,
        };
        if (format is null)
        {
            diagnostics.Add(DiagnosticCatalog.ConfigInvalidValue, $"ModelGoBundleFormat is '{task.BundleFormat}'; use zip, tar.gz or dir.", projectFile);
        }

        long? epoch = null;
        if (!string.IsNullOrWhiteSpace(task.SourceDateEpoch))
        {
            if (long.TryParse(task.SourceDateEpoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                epoch = seconds;
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.EnvironmentInvalid, $"SOURCE_DATE_EPOCH is '{task.SourceDateEpoch}'. {DiagnosticCatalog.EnvironmentInvalid.Help}", projectFile);
            }
        }

        if (!string.IsNullOrWhiteSpace(task.PackageLicenseFile) && !string.Equals(task.PackageLicenseFile, "LICENSE", StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.PackageLicenseClash,
                $"PackageLicenseFile is '{task.PackageLicenseFile}', not the bundle's LICENSE. {DiagnosticCatalog.PackageLicenseClash.Help}", projectFile);
        }

        var overrides = new ConfigOverrides
        {
            Source = projectFile,
            Values = Values(task, diagnostics, projectFile),
            Fallbacks = Fallbacks(task),
        };

        // The config in effect names the bundle, and says whether share-alike applies; if it is invalid,
        // the engine reports why.
        var config = ModelGoPackEngine.ReadConfig(directory, overrides, new DiagnosticBag());
        if (!string.IsNullOrWhiteSpace(task.PackageLicenseExpression))
        {
            if (config is { } c && (c.IsDerivative || c.IsExtracted))
            {
                diagnostics.Add(DiagnosticCatalog.PackageLicenseShareAlike,
                    $"PackageLicenseExpression is '{task.PackageLicenseExpression}', but this model is a derivative or Extracted Model of an MG-BY-SA-2.0 model. {DiagnosticCatalog.PackageLicenseShareAlike.Help}", projectFile);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.PackageLicenseClash,
                    $"PackageLicenseExpression is '{task.PackageLicenseExpression}', but this package is licensed MG-BY-SA-2.0 by its LICENSE file. {DiagnosticCatalog.PackageLicenseClash.Help}", projectFile);
            }
        }

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
            GitExecutable = Environment.GetEnvironmentVariable("MODELGOPACK_GIT") is { Length: > 0 } git ? git : "git",
            DigestCacheDirectory = Path.Combine(intermediate, "digests"),
            Progress = new Hashing.ProgressCounter(),
            VerifyUpstream = task.VerifyUpstream,
            PublicityTexts = new[] { ("Title", task.Title), ("Description", task.Description), ("PackageTags", task.PackageTags) }
                .Where(p => !string.IsNullOrWhiteSpace(p.Item2) && p.Item2 != "Package Description")
                .ToDictionary(p => p.Item1, p => p.Item2!, StringComparer.Ordinal),
        };
        return (request, output, format!.Value);
    }

    private static Dictionary<string, ConfigValue> Values(ModelGoPack task, DiagnosticBag diagnostics, string projectFile)
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
    private static void CheckIdentity(ModelGoPack task, ModelGoConfig config, DiagnosticBag diagnostics, string projectFile)
    {
        if (!string.IsNullOrWhiteSpace(task.PackageId) && !string.Equals(task.PackageId, config.Name, StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(DiagnosticCatalog.PackageIdentityMismatch,
                $"PackageId is '{task.PackageId}' but the model's name is '{config.Name}'. {DiagnosticCatalog.PackageIdentityMismatch.Help}", projectFile);
        }

        if (!string.IsNullOrWhiteSpace(task.PackageVersion) && NuGet.Versioning.NuGetVersion.TryParse(task.PackageVersion, out var version) && version != config.Version)
        {
            diagnostics.Add(DiagnosticCatalog.PackageIdentityMismatch,
                $"PackageVersion is '{task.PackageVersion}' but the model's version is '{config.Version.ToNormalizedString()}'. {DiagnosticCatalog.PackageIdentityMismatch.Help}", projectFile);
        }
    }

    private static Dictionary<string, ConfigValue> Fallbacks(ModelGoPack task)
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
                diagnostics.Add(DiagnosticCatalog.MSBuildItemInvalid,
                    $"{itemType} '{item.ItemSpec}' has unknown metadata '{name}'. {DiagnosticCatalog.MSBuildItemInvalid.Help}", projectFile);
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
