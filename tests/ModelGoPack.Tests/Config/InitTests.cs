using System.Text.Json.Nodes;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// init reads what the project says of itself and judges nothing: name, version and base models from the model card,
/// copyright lines, upstream notices and releases; a TODO exactly above each key that still needs a person.
/// </summary>
public sealed class InitTests
{
    private const string Card = """
        ---
        license: other
        license_name: mg-by-sa-2.0
        base_model: meta-llama/Llama-3.1-8B
        base_model_relation: finetune
        version: 2.0.1
        ---
        # Tiny Llama Chat

        A chat model.

        - Copyright 2026 Example Lab
        """;

    [Fact]
    public void An_empty_folder_gets_TODOs_exactly_above_the_keys_to_fill_and_no_verdict()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, _) = CliRunner.Run("init", temp.Path);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("ompliant", stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(temp.Combine("modelgo.json"));
        var todos = TodoLines(stdout);
        Assert.Equal(3, todos.Count);
        Assert.Equal("\"version\": \"1.0.0\",", KeyAfter(lines, todos[0]));
        Assert.Equal("\"copyright\": [],", KeyAfter(lines, todos[1]));
        Assert.Equal("// Example of one entry:", KeyAfter(lines, todos[2]));
        Assert.Equal(lines.Count(l => l.TrimStart().StartsWith("// TODO:", StringComparison.Ordinal)), todos.Count);
        Assert.Contains("Fill in its 3 TODOs, then run: modelgopack check", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_card_copyright_lines_and_upstream_notices_fill_the_config_which_check_reads()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("chat");
        Directory.CreateDirectory(Path.Combine(root, "upstream", "Llama-3.1-8B"));
        File.WriteAllText(Path.Combine(root, "README.md"), Card);
        File.WriteAllText(Path.Combine(root, "upstream", "Llama-3.1-8B", "NOTICE"), "Llama 3.1, Copyright © Meta Platforms, Inc.\n");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "MG-BY-SA-2.0-May-2025.LICENSE"), Path.Combine(root, "LICENSE"));

        var (exit, stdout, _) = CliRunner.Run("init", root);

        Assert.Equal(0, exit);
        var config = Config(root);
        Assert.Equal(("Tiny-Llama-Chat", "2.0.1"), ((string)config["name"]!, (string)config["version"]!));
        Assert.Equal(["Copyright 2026 Example Lab"], config["copyright"]!.AsArray().Select(c => (string)c!));
        var upstream = Assert.Single(config["upstream"]!.AsArray())!;
        Assert.Equal(
            ("meta-llama/Llama-3.1-8B", "https://huggingface.co/meta-llama/Llama-3.1-8B", "derivative", "fine-tuning", "upstream/Llama-3.1-8B/NOTICE"),
            ((string)upstream["name"]!, (string)upstream["url"]!, (string)upstream["relation"]!, (string)upstream["method"]!, (string)upstream["notices"]![0]!));
        Assert.Contains("filled: copyright from README.md line 12", stdout, StringComparison.Ordinal);
        Assert.Contains("filled: notices of upstream 'meta-llama/Llama-3.1-8B' from upstream/Llama-3.1-8B/", stdout, StringComparison.Ordinal);
        Assert.Contains("what you changed in the upstream, and when", stdout, StringComparison.Ordinal);

        // The config reads back: check's findings are of the release (no modification declared, no weights), not of the config.
        var (_, check, _) = CliRunner.Run("check", root);
        Assert.DoesNotContain("MGP80", check, StringComparison.Ordinal);
        Assert.Contains("error MGP2001", check, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finetune", "derivative", "fine-tuning")]
    [InlineData("adapter", "derivative", "adapter")]
    [InlineData("merge", "derivative", "merge")]
    [InlineData("quantized", "derivative", "quantization")]
    public void Each_Hub_relation_is_a_derivative_by_its_method(string hub, string relation, string method)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("README.md"), Card.Replace("base_model_relation: finetune", $"base_model_relation: {hub}", StringComparison.Ordinal));

        Assert.Equal(0, CliRunner.Run("init", temp.Path).ExitCode);

        var upstream = Config(temp.Path)["upstream"]![0]!;
        Assert.Equal((relation, method), ((string)upstream["relation"]!, (string)upstream["method"]!));
    }

    [Fact]
    public void A_relation_the_Hub_does_not_define_is_a_TODO_that_check_stops_at()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("README.md"), Card.Replace("base_model_relation: finetune", "base_model_relation: distilled", StringComparison.Ordinal));

        var (_, stdout, _) = CliRunner.Run("init", temp.Path);

        var lines = File.ReadAllLines(temp.Combine("modelgo.json"));
        var todo = Assert.Single(TodoLines(stdout), t => lines[t - 1].Contains("base_model_relation 'distilled' is none the Hub defines", StringComparison.Ordinal));
        Assert.Equal("\"relation\": \"TODO\",", KeyAfter(lines, todo));
        var (exit, check, _) = CliRunner.Run("check", temp.Path);
        Assert.Equal(2, exit);
        Assert.Contains($"modelgo.json({todo + 1},", check, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true, "adapter")]
    [InlineData(null, false, "fine-tuning")]
    [InlineData("\n  - org/second", false, "merge")]
    public void Without_a_relation_the_method_is_inferred_as_the_Hub_does(string? secondBase, bool adapter, string method)
    {
        using var temp = new TempDirectory();
        var card = Card.Replace("base_model_relation: finetune\n", "", StringComparison.Ordinal);
        if (secondBase is not null)
        {
            card = card.Replace("base_model: meta-llama/Llama-3.1-8B", "base_model:\n  - meta-llama/Llama-3.1-8B" + secondBase, StringComparison.Ordinal);
        }

        File.WriteAllText(temp.Combine("README.md"), card);
        if (adapter)
        {
            File.WriteAllText(temp.Combine("adapter_config.json"), "{}");
        }

        Assert.Equal(0, CliRunner.Run("init", temp.Path).ExitCode);

        var upstreams = Config(temp.Path)["upstream"]!.AsArray();
        Assert.All(upstreams, u => Assert.Equal(method, (string)u!["method"]!));
        Assert.Equal(secondBase is null ? 1 : 2, upstreams.Count);
    }

    [Fact]
    public void Upstream_fills_an_entry_from_a_downloaded_release()
    {
        using var upstream = new ModelProjectBuilder("base-model");
        upstream.Config["version"] = "3.2.0";
        upstream.Write();
        var zip = Path.Combine(upstream.Scratch, "base-model.3.2.0.zip");
        Assert.Equal(0, CliRunner.Run("pack", upstream.Root, "--format", "zip", "--output", zip).ExitCode);
        using var temp = new TempDirectory();

        var (exit, stdout, _) = CliRunner.Run("init", temp.Path, "--upstream", zip);

        Assert.Equal(0, exit);
        var entry = Assert.Single(Config(temp.Path)["upstream"]!.AsArray())!;
        Assert.Equal(("base-model", "3.2.0", zip, "TODO", "Copyright 2026 Example Lab"), ((string)entry["name"]!, (string)entry["version"]!, (string)entry["bundle"]!, (string)entry["relation"]!, (string)entry["licensor"]!));
        Assert.Contains($"filled: upstream 'base-model' from the release {zip}", stdout, StringComparison.Ordinal);

        var (missing, error, _) = CliRunner.Run("init", temp.Combine("other"), "--upstream", temp.Combine("nothing-here.zip"));
        Assert.Equal(2, missing);
        Assert.DoesNotContain("ompliant", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_that_cannot_be_read_is_its_diagnostic_and_nothing_is_written()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, _) = CliRunner.Run("init", temp.Path, "--upstream", temp.Combine("missing-release"));

        Assert.Equal(2, exit);
        Assert.Contains("error MGP8027", stdout, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was written.", stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("modelgo.json")));
    }

    private static JsonNode Config(string root) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(root, "modelgo.json")), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;

    private static List<int> TodoLines(string stdout) =>
        stdout.Split('\n').Where(l => l.StartsWith("  TODO modelgo.json:", StringComparison.Ordinal))
            .Select(l => int.Parse(l["  TODO modelgo.json:".Length..l.IndexOf(": ", "  TODO modelgo.json:".Length, StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    // The line after a TODO (1-based line of the TODO): the key it stands above.
    private static string KeyAfter(string[] lines, int todo)
    {
        Assert.StartsWith("// TODO:", lines[todo - 1].TrimStart(), StringComparison.Ordinal);
        return lines[todo].Trim();
    }
}
