using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelGoPack.Tests.Support;

/// <summary>Edits a folder bundle as a publisher who changed it by hand would: its files, and its manifest.</summary>
internal static class BundleFolder
{
    /// <summary>
    /// Writes a file of a folder bundle; with <paramref name="rehash"/> its manifest entry is listed again to match
    /// (added, like the manifest's first entry, when the manifest lists no such file).
    /// </summary>
    public static void Replace(string bundle, string path, byte[] content, bool rehash)
    {
        File.WriteAllBytes(Path.Combine(bundle, path), content);
        if (rehash)
        {
            EditManifest(bundle, manifest =>
            {
                var entry = Files(manifest).SingleOrDefault(f => (string?)f["path"] == path);
                if (entry is null)
                {
                    entry = Files(manifest).First().DeepClone().AsObject();
                    entry["path"] = path;
                    manifest["files"]!.AsArray().Add(entry);
                }

                entry["size"] = content.Length;
                entry["sha256"] = Bundle.Sha256(content);
            });
        }
    }

    public static void Replace(string bundle, string path, string content, bool rehash) => Replace(bundle, path, Encoding.UTF8.GetBytes(content), rehash);

    public static void EditManifest(string bundle, Action<JsonObject> edit)
    {
        var path = Path.Combine(bundle, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static IEnumerable<JsonObject> Files(JsonObject manifest) => manifest["files"]!.AsArray().OfType<JsonObject>();
}
