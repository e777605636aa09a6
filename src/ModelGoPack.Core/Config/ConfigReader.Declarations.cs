using System.Text.Json;
using ModelGoPack.Diagnostics;
using NuGet.Packaging;
using NuGet.Versioning;

namespace ModelGoPack.Config;

// The config reader, part 2: the declarations: the project itself (the root), its modifications and its waivers.
internal sealed partial class ConfigReader
{
    private ModelGoConfig? BindRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            this.Error(Messages.ConfigNotAnObject.With(Describe(root.ValueKind)), "$");
            return null;
        }

        this.CheckKeys(root, "$", RootKeys);
        _ = this.OptionalString(root, "$", "$schema");
        var name = this.RequiredString(root, "$", "name");
        var versionText = this.RequiredString(root, "$", "version");
        var license = this.OptionalString(root, "$", "license") ?? DefaultLicense;
        var copyright = this.StringList(root, "$", "copyright") ?? [];
        var releaseDate = this.OptionalDate(root, "$", "releaseDate");
        var include = this.StringList(root, "$", "include") ?? ["**/*"];
        var exclude = this.StringList(root, "$", "exclude") ?? [];

        if (name is not null && !PackageIdValidator.IsValidPackageId(name))
        {
            this.Error(Messages.NameNotPackageId.With(name, PackageIdValidator.MaxPackageIdLength), "$.name");
        }

        NuGetVersion? version = null;
        if (versionText is not null && !NuGetVersion.TryParse(versionText, out version))
        {
            this.Error(Messages.VersionNotSemantic.With(versionText), "$.version");
        }

        for (var i = 0; i < include.Count; i++)
        {
            this.CheckGlob(include[i], $"$.include[{i}]");
        }

        for (var i = 0; i < exclude.Count; i++)
        {
            this.CheckGlob(exclude[i], $"$.exclude[{i}]");
        }

        var upstream = this.ObjectList(root, "$", "upstream", this.BindUpstream);

        var modifications = this.ObjectList(root, "$", "modifications", this.BindModification);
        var waivers = this.ObjectList(root, "$", "waivers", this.BindWaiver);

        if (name is null || version is null)
        {
            return null;
        }

        return new ModelGoConfig
        {
            Name = name,
            Version = version,
            License = license,
            Copyright = copyright,
            ReleaseDate = releaseDate,
            Upstream = upstream,
            Modifications = modifications,
            Include = include,
            Exclude = exclude,
            Waivers = waivers,
        };
    }

    private ModificationDeclaration? BindModification(JsonElement element, string path)
    {
        this.CheckKeys(element, path, ModificationKeys);
        var date = this.Required(element, path, "date", Messages.ModificationDateMissing.With(path[2..]), Messages.ModificationDateNull.With())
            ? this.OptionalDate(element, path, "date")
            : null;

        var description = this.RequiredString(element, path, "description");
        var paths = this.StringList(element, path, "paths") ?? [];
        var upstream = this.OptionalString(element, path, "upstream");
        for (var i = 0; i < paths.Count; i++)
        {
            this.CheckGlob(paths[i], $"{path}.paths[{i}]");
        }

        return date is null || description is null
            ? null
            : new ModificationDeclaration { Date = date.Value, Description = description, Paths = paths, Upstream = upstream, JsonPath = path };
    }

    private WaiverDeclaration? BindWaiver(JsonElement element, string path)
    {
        this.CheckKeys(element, path, WaiverKeys);
        var code = this.RequiredString(element, path, "code");
        var glob = this.OptionalString(element, path, "path");
        string? justification = null;
        if (!element.TryGetProperty("justification", out var value) || value.ValueKind == JsonValueKind.Null
            || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())))
        {
            this.Error(Messages.WaiverWithoutJustification.With(code ?? "a finding"), path);
        }
        else
        {
            justification = this.OptionalString(element, path, "justification");
        }

        if (code is not null && !DiagnosticCatalog.All.Any(d => d.Code == code && d.Kind == DiagnosticKind.Compliance))
        {
            this.Error(Messages.WaiverCodeNotWaivable.With(code), path + ".code");
            code = null;
        }

        if (glob is not null)
        {
            this.CheckGlob(glob, path + ".path");
        }

        return code is null || justification is null
            ? null
            : new WaiverDeclaration { Code = code, Path = glob is null ? null : ProjectPath.Normalize(glob), Justification = justification, JsonPath = path };
    }
}
