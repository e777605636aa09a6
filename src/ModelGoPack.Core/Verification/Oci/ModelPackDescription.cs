using System.Text.Json;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Licensing;
using ModelGoPack.Oci;

namespace ModelGoPack.Verification;

/// <summary>
/// What a received layout's ModelPack config says of the model: the part registries and ModelPack tools show instead
/// of the files. verify holds it to the bundle (MGP9018): a license other than MG-BY-SA-2.0, a name or version other
/// than modelgo-manifest.json's, or diffIds other than the layers' digests is a false description of the model.
/// Fields the spec leaves optional and that are absent say nothing, and are not judged.
/// </summary>
internal sealed record ModelPackDescription(string? Name, string? Version, IReadOnlyList<string>? Licenses, IReadOnlyList<string>? DiffIds)
{
    /// <summary>Reads the config; throws <see cref="OciFormatException"/> when it is not the JSON object ModelPack's schema requires.</summary>
    public static ModelPackDescription Parse(byte[] config)
    {
        try
        {
            using var document = JsonDocument.Parse(config, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("descriptor", out var descriptor) || descriptor.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("modelfs", out var modelfs) || modelfs.ValueKind != JsonValueKind.Object)
            {
                throw new OciFormatException("its config has no descriptor and modelfs objects, as a ModelPack config has");
            }

            return new ModelPackDescription(
                String(descriptor, "name"),
                String(descriptor, "version"),
                Strings(descriptor, "licenses"),
                Strings(modelfs, "diffIds"));
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"its config is not JSON ({e.Message})");
        }
        catch (InvalidOperationException)
        {
            throw new OciFormatException("its config has a string that is not valid Unicode (a lone surrogate)");
        }
    }

    /// <summary>Reports (MGP9018) where the config or the manifest's annotations contradict the bundle.</summary>
    public void Compare(OciManifest manifest, ModelGoConfig? declared, DiagnosticBag diagnostics, string root)
    {
        foreach (var license in this.Licenses ?? [])
        {
            if (!IsTheLicense(license))
            {
                diagnostics.Add(Messages.OciLicenseMisstated.With("The config's descriptor.licenses", license), root);
            }
        }

        if (manifest.Annotations?.GetValueOrDefault("org.opencontainers.image.licenses") is { } annotated && !IsTheLicense(annotated))
        {
            diagnostics.Add(Messages.OciLicenseMisstated.With("The manifest's org.opencontainers.image.licenses", annotated), root);
        }

        if (declared is not null && this.Name is { } name && name != declared.Name)
        {
            diagnostics.Add(Messages.OciIdentityMisstated.With("name", name, declared.Name), root);
        }

        if (declared is not null && this.Version is { } version && version != declared.Version.ToNormalizedString() && version != declared.Version.ToString())
        {
            diagnostics.Add(Messages.OciIdentityMisstated.With("version", version, declared.Version.ToNormalizedString()), root);
        }

        if (this.DiffIds is { } diffIds && !diffIds.SequenceEqual(manifest.Layers.Select(l => l.Digest), StringComparer.Ordinal))
        {
            diagnostics.Add(Messages.OciDiffIdsMisstated.With(manifest.Layers.Count), root);
        }
    }

    /// <summary>
    /// Reports (MGP9018) a layer whose <c>org.cncf.model.file.metadata+json</c> annotation, which ModelPack tools extract
    /// by, describes another file than the one it holds: it must be a JSON object whose name is the file's name (the
    /// last segment of its path), size the layer's, typeflag 48 (<c>'0'</c>, a regular file), and mode a permission
    /// within 0777 (no setuid, setgid or sticky bit). A layer without the annotation says nothing, and is not judged.
    /// </summary>
    public static void CheckFileMetadata(OciDescriptor layer, int number, string path, DiagnosticBag diagnostics, string root)
    {
        if (layer.Annotation(OciMediaTypes.FileMetadataAnnotation) is not { } text)
        {
            return;
        }

        if (FileMetadataProblem(text, path[(path.LastIndexOf('/') + 1)..], layer.Size) is { } problem)
        {
            diagnostics.Add(Messages.OciFileMetadataMisstated.With(number, ProjectPath.Printable(path), problem), root);
        }
    }

    private static string? FileMetadataProblem(string text, string name, long size)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "is not a JSON object";
            }

            if (String(root, "name") is var named && named != name)
            {
                return named is null ? "has no name" : $"names the file '{ProjectPath.Printable(named)}', not '{ProjectPath.Printable(name)}'";
            }

            if (!root.TryGetProperty("size", out var sized) || sized.ValueKind != JsonValueKind.Number || !sized.TryGetInt64(out var said) || said != size)
            {
                return sized.ValueKind == JsonValueKind.Undefined ? "has no size" : $"gives its size as {sized.GetRawText()}, not the layer's {size}";
            }

            if (!root.TryGetProperty("typeflag", out var type) || type.ValueKind != JsonValueKind.Number || !type.TryGetInt32(out var flag) || flag != '0')
            {
                return type.ValueKind == JsonValueKind.Undefined ? "has no typeflag" : $"gives its typeflag as {type.GetRawText()}, not 48 ('0', a regular file)";
            }

            if (!root.TryGetProperty("mode", out var moded) || moded.ValueKind != JsonValueKind.Number || !moded.TryGetInt64(out var mode) || mode < 0 || (mode & ~0x1FF) != 0)
            {
                return moded.ValueKind == JsonValueKind.Undefined ? "has no mode"
                    : moded.ValueKind == JsonValueKind.Number && moded.TryGetInt64(out var bits) && bits >= 0 ? $"gives its mode as 0{Convert.ToString(bits, 8)}, with bits outside 0777 (setuid, setgid, sticky or a file type)"
                    : $"gives its mode as {moded.GetRawText()}, not a permission within 0777";
            }

            return null;
        }
        catch (JsonException)
        {
            return "is not JSON";
        }
        catch (InvalidOperationException)
        {
            // Every value is read by its kind first: what is left to throw is a string of a lone surrogate.
            return "has a string that is not valid Unicode";
        }
    }

    // MG-BY-SA-2.0 as an SPDX expression: its LicenseRef (as pack writes it), or its bare id.
    private static bool IsTheLicense(string expression) => expression.Trim() is LicenseText.SpdxReference or LicenseText.Id;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())]
            : null;
}
