using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelGoPack.Tests.Support;

/// <summary>Builds a model project in a temp folder: modelgo.json, tiny real weights, notices.</summary>
public sealed class ModelProjectBuilder : IDisposable
{
    private readonly TempDirectory temp = new();

    public ModelProjectBuilder(string name = "tiny-model")
    {
        this.Root = this.temp.Combine("project");
        Directory.CreateDirectory(this.Root);
        this.Config = new JsonObject
        {
            ["name"] = name,
            ["version"] = "1.0.0",
            ["license"] = "MG-BY-SA-2.0",
            ["copyright"] = new JsonArray("Copyright 2026 Example Lab"),
        };
        Safetensors.Write(Path.Combine(this.Root, "model.safetensors"), ("embed.weight", "F32", [4, 2]), ("head.weight", "BF16", [2, 4]));
        this.File("config.json", """{"architectures": ["TinyForCausalLM"], "model_type": "tiny", "torch_dtype": "float32"}""");
        this.File("README.md", "# tiny-model\n\nA tiny test model.\n");
    }

    public string Root { get; }

    /// <summary>A folder beside the project for outputs and templates.</summary>
    public string Scratch => this.temp.Path;

    public JsonObject Config { get; }

    public ModelProjectBuilder File(string relativePath, string content)
    {
        var path = Path.Combine(this.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return this;
    }

    public ModelProjectBuilder Bytes(string relativePath, byte[] content)
    {
        var path = Path.Combine(this.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return this;
    }

    /// <summary>Adds an upstream with a NOTICE file under upstream/{name}/NOTICE.</summary>
    public ModelProjectBuilder Upstream(string name, string relation, string? method, string? notice = null)
    {
        var upstream = new JsonObject
        {
            ["name"] = name,
            ["version"] = "2.1",
            ["url"] = $"https://example.org/{name.ToLowerInvariant()}",
            ["license"] = "MG-BY-SA-2.0",
            ["licensor"] = $"{name} Labs",
            ["relation"] = relation,
        };
        if (method is not null)
        {
            upstream["method"] = method;
        }

        var noticePath = $"upstream/{name}/NOTICE";
        this.File(noticePath, notice ?? $"{name}\nCopyright 2025 {name} Labs\n");
        upstream["notices"] = new JsonArray(noticePath);
        this.Array("upstream").Add(upstream);
        return this;
    }

    public ModelProjectBuilder Modification(string date, string description, params string[] paths)
    {
        var modification = new JsonObject { ["date"] = date, ["description"] = description };
        if (paths.Length > 0)
        {
            modification["paths"] = new JsonArray(paths.Select(p => (JsonNode)p!).ToArray());
        }

        this.Array("modifications").Add(modification);
        return this;
    }

    public JsonArray Array(string key)
    {
        if (this.Config[key] is not JsonArray array)
        {
            array = [];
            this.Config[key] = array;
        }

        return array;
    }

    /// <summary>
    /// Packs the project into a bundle in <see cref="Scratch"/> (named <paramref name="name"/>, else
    /// <c>bundle-{guid}</c> with the format's ending), asserting that it is compliant.
    /// </summary>
    public PackResult Pack(Emit.BundleFormat format, string? name = null)
    {
        var output = Path.Combine(this.Scratch, name ?? $"bundle-{Guid.NewGuid():N}{ModelGoPackEngine.Extension(format)}");
        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = this.Root }, output, format);
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        return result;
    }

    /// <summary>Writes modelgo.json from <see cref="Config"/> and returns the project root.</summary>
    public string Write()
    {
        System.IO.File.WriteAllText(Path.Combine(this.Root, "modelgo.json"), this.Config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return this.Root;
    }

    /// <summary>
    /// SHA-256, size and modification time of every file under the project, to prove that nothing was
    /// changed; files over <paramref name="hashUpTo"/> bytes are compared by size and time only.
    /// </summary>
    public SortedDictionary<string, string> Snapshot(long hashUpTo = long.MaxValue)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(this.Root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            string digest;
            if (info.LinkTarget is null && !info.Exists)
            {
                result[Path.GetRelativePath(this.Root, file)] = "(a name .NET cannot decode)";
                continue;
            }

            if (info.LinkTarget is not null || !Discovery.FileType.IsRegular(file))
            {
                digest = info.LinkTarget is not null ? $"(link to {info.LinkTarget})" : "(not a regular file)";
            }
            else if (info.Length > hashUpTo)
            {
                digest = "(not hashed)";
            }
            else
            {
                using var stream = System.IO.File.OpenRead(file);
                digest = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            result[Path.GetRelativePath(this.Root, file)] = info.LinkTarget is not null ? digest : $"{digest} {info.Length} {info.LastWriteTimeUtc:O}";
        }

        return result;
    }

    public void Dispose() => this.temp.Dispose();
}
