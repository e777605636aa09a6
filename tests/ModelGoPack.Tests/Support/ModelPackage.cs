using System.IO.Compression;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// A .nupkg laid out as ModelGoPack's MSBuild package makes one: NuGet's parts, a nuspec, the bundle's generated
/// files at the root and the model's others under model/, weights left to the bundle beside it.
/// </summary>
public static class ModelPackage
{
    public const string LicenseFile = """<license type="file">LICENSE</license>""";

    /// <summary>
    /// Writes <paramref name="nupkg"/> from the folder bundle <paramref name="bundle"/>, with this license element, more
    /// elements in the nuspec's metadata (<paramref name="nuspecMetadata"/>; null for a package without a nuspec) and
    /// these extra entries.
    /// </summary>
    public static string Write(string nupkg, string bundle, string license = LicenseFile, string? nuspecMetadata = "", params (string Name, string Text)[] extra) =>
        Write(nupkg, bundle, license, nuspecMetadata, escape: false, extra);

    /// <summary>As the other, with part names escaped as NuGet pack escapes them (<paramref name="escape"/>: a space is %20).</summary>
    public static string Write(string nupkg, string bundle, string license, string? nuspecMetadata, bool escape, params (string Name, string Text)[] extra)
    {
        using var archive = ZipFile.Open(nupkg, ZipArchiveMode.Create);
        void Text(string name, string text)
        {
            using var writer = new StreamWriter(archive.CreateEntry(name).Open());
            writer.Write(text);
        }

        Text("_rels/.rels", """<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships" />""");
        Text("[Content_Types].xml", """<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types" />""");
        if (nuspecMetadata is not null)
        {
            Text("tiny-model.nuspec", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>tiny-model</id>
                <version>1.0.0</version>
                <authors>Example Lab</authors>
                {license}
                <description>A tiny test model.</description>{nuspecMetadata}
              </metadata>
            </package>
            """);
        }

        Text("package/services/metadata/core-properties/0123456789abcdef0123456789abcdef.psmdcp", "<coreProperties />");
        foreach (var path in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(bundle, path).Replace('\\', '/');
            if (relative.EndsWith(".safetensors", StringComparison.Ordinal))
            {
                continue;
            }

            var generated = relative is "LICENSE" or "NOTICE" or "README.md" or "modelgo-manifest.json";
            var name = generated ? relative : "model/" + relative;
            archive.CreateEntryFromFile(path, escape ? string.Join('/', name.Split('/').Select(Uri.EscapeDataString)) : name);
        }

        foreach (var (name, text) in extra)
        {
            Text(name, text);
        }

        return nupkg;
    }
}
