using System.Text;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Tests;

public sealed class ConfigReaderTests
{
    private const string Full = """
        {
          "$schema": "./modelgo.schema.json",
          "name": "tiny-llm-distilled",
          "version": "1.0.0",
          "license": "MG-BY-SA-2.0",
          "copyright": ["Copyright 2026 Example Lab"],
          "releaseDate": "2026-06-01",
          "upstream": [{
            "name": "Teacher-7B", "version": "2.1", "url": "https://example.org/teacher-7b",
            "license": "MG-BY-SA-2.0", "licensor": "Teacher Labs",
            "relation": "extracted", "method": "distillation",
            "notices": ["./upstream/NOTICE"]
          }, {
            "name": "Base", "relation": "derivative", "method": "fine-tuning"
          }],
          "modifications": [{ "date": "2026-05-01", "description": "Fine-tuned on X", "paths": ["model.safetensors"], "upstream": "Base" }],
          "include": ["**/*"], "exclude": ["runs/**"]
        }
        """;

    [Fact]
    public void Reads_every_key_of_the_contract()
    {
        var (source, diagnostics) = Parse(Full);

        Assert.Empty(diagnostics);
        var config = source!.Config;
        Assert.Equal("tiny-llm-distilled", config.Name);
        Assert.Equal("1.0.0", config.Version.ToNormalizedString());
        Assert.Equal(["Copyright 2026 Example Lab"], config.Copyright);
        Assert.Equal(new DateOnly(2026, 6, 1), config.ReleaseDate);
        Assert.Equal(2, config.Upstream.Count);
        var teacher = config.Upstream[0];
        Assert.Equal(("Teacher-7B", "2.1", "https://example.org/teacher-7b", "Teacher Labs", UpstreamRelation.Extracted, "distillation"),
            (teacher.Name, teacher.Version, teacher.Url, teacher.Licensor, teacher.Relation, teacher.Method));
        Assert.Equal(["upstream/NOTICE"], teacher.Notices);
        Assert.Equal(UpstreamRelation.Derivative, config.Upstream[1].Relation);
        Assert.True(config.IsDerivative);
        Assert.True(config.IsExtracted);
        var modification = Assert.Single(config.Modifications);
        Assert.Equal((new DateOnly(2026, 5, 1), "Fine-tuned on X", "Base"), (modification.Date, modification.Description, modification.Upstream));
        Assert.Equal(["runs/**"], config.Exclude);
    }

    [Fact]
    public void Defaults_license_include_and_exclude()
    {
        var (source, diagnostics) = Parse("""{ "name": "m", "version": "1.0" }""");

        Assert.Empty(diagnostics);
        Assert.Equal("MG-BY-SA-2.0", source!.Config.License);
        Assert.Equal(["**/*"], source.Config.Include);
        Assert.Empty(source.Config.Exclude);
        Assert.Empty(source.Config.Upstream);
    }

    [Fact]
    public void Accepts_comments_trailing_commas_and_a_bom()
    {
        var text = "\uFEFF// a comment\n{ /* name */ \"name\": \"m\", \"version\": \"1.0.0\", }";
        var (source, diagnostics) = Parse(text);

        Assert.Empty(diagnostics);
        Assert.Equal("m", source!.Config.Name);
    }

    [Fact]
    public void Bad_json_is_MGP8002_with_its_position()
    {
        var (source, diagnostics) = Parse("{\n  \"name\": \"m\",\n  \"version\": \n}");

        Assert.Null(source);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MGP8002", d.Code);
        Assert.Equal("modelgo.json", d.Path);
        Assert.Equal(4, d.Line);
        Assert.DoesNotContain("LineNumber", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_is_MGP8003_naming_the_key_its_line_and_a_suggestion()
    {
        var (source, diagnostics) = Parse("{\n  \"name\": \"m\",\n  \"version\": \"1.0.0\",\n  \"copyrights\": []\n}");

        Assert.Null(source);
        var d = Assert.Single(diagnostics);
        Assert.Equal("MGP8003", d.Code);
        Assert.Equal(4, d.Line);
        Assert.Equal(3, d.Column);
        Assert.Contains("'copyrights'", d.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'copyright'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_inside_upstream_and_modifications_are_each_reported()
    {
        var (_, diagnostics) = Parse("""
            { "name": "m", "version": "1.0.0",
              "upstream": [{ "name": "T", "relation": "extracted", "method": "distillation", "licence": "x" }],
              "modifications": [{ "date": "2026-01-01", "description": "d", "file": "a" }] }
            """);

        Assert.Equal(["MGP8003", "MGP8003"], diagnostics.Select(d => d.Code));
        Assert.Contains(diagnostics, d => d.Message.Contains("'licence' in upstream[0]", StringComparison.Ordinal) && d.Line == 2);
        Assert.Contains(diagnostics, d => d.Message.Contains("'file' in modifications[0]", StringComparison.Ordinal) && d.Line == 3);
    }

    [Theory]
    [InlineData("""{ "version": "1.0.0" }""", "MGP8005", "\"name\"")]
    [InlineData("""{ "name": "m", "version": 1 }""", "MGP8004", "\"version\" must be a string")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "copyright": "Copyright X" }""", "MGP8004", "array of strings")]
    [InlineData("""{ "name": "m", "version": "one" }""", "MGP8006", "not a semantic version")]
    [InlineData("""{ "name": "my model", "version": "1.0.0" }""", "MGP8006", "not a valid package id")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "releaseDate": "01/06/2026" }""", "MGP8006", "ISO 8601")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": "T", "relation": "distilled" }] }""", "MGP8006", "neither \"derivative\"")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": "T" }] }""", "MGP8005", "\"relation\"")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": "T", "relation": "extracted", "url": "teacher" }] }""", "MGP8006", "absolute http")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "modifications": [{ "description": "d" }] }""", "MGP8005", "\"date\"")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "modifications": [{ "date": "2026-13-01", "description": "d" }] }""", "MGP8006", "ISO 8601")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "exclude": ["../outside/**"] }""", "MGP8006", "stay inside")]
    [InlineData("""{ "name": "m", "version": "1.0.0", "upstream": [{ "name": "T", "relation": "extracted", "notices": ["/etc/passwd"] }] }""", "MGP8006", "stays inside")]
    [InlineData("""[1, 2]""", "MGP8004", "JSON object")]
    public void Invalid_values_are_reported_with_a_code_and_what_is_wrong(string json, string code, string fragment)
    {
        var (source, diagnostics) = Parse(json);

        Assert.Null(source);
        var d = Assert.Single(diagnostics);
        Assert.Equal(code, d.Code);
        Assert.Contains(fragment, d.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, d.Severity);
    }

    [Fact]
    public void Deeply_nested_json_is_a_diagnostic_not_a_crash()
    {
        var json = "{ \"name\": " + new string('[', 5000) + new string(']', 5000) + " }";
        var (source, diagnostics) = Parse(json);

        Assert.Null(source);
        Assert.Equal("MGP8002", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Non_utf8_config_is_MGP8002()
    {
        var bytes = Encoding.UTF8.GetBytes("{ \"name\": \"m\", \"version\": \"1.0.0\", \"copyright\": [\"X\"] }");
        bytes[^5] = 0xFF;
        var diagnostics = new DiagnosticBag();

        Assert.Null(ConfigReader.Parse(bytes, diagnostics));
        Assert.Contains("not UTF-8", Assert.Single(diagnostics.Items).Message, StringComparison.Ordinal);
    }

    private static (ConfigSource? Source, IReadOnlyList<Diagnostic> Diagnostics) Parse(string json)
    {
        var diagnostics = new DiagnosticBag();
        var source = ConfigReader.Parse(Encoding.UTF8.GetBytes(json), diagnostics);
        return (source, diagnostics.Items);
    }

    [Fact]
    public void Locations_are_found_by_path_below_long_keys_and_fall_back_to_the_nearest_parent()
    {
        // Nodes are kept by parent and name or index, not by their whole path: a long key over many values costs its
        // length once. Lookups still walk the path.
        var key = new string('k', 5000);
        var json = $"{{\n  \"a\": {{\n    \"{key}\": [1,\n      2, {{\"b\": 3}}]\n  }},\n  \"upstream\": [\n    {{ \"notices\": [\"x\",\n      \"y\"] }}\n  ]\n}}\n";
        var map = JsonLocationMap.Build(Encoding.UTF8.GetBytes(json), default);

        Assert.Equal((1, 1), map.Find("$"));
        Assert.Equal((2, 3), map.Find("$.a"));
        Assert.Equal((3, 5), map.Find($"$.a.{key}"));
        Assert.Equal((4, 7), map.Find($"$.a.{key}[1]"));
        Assert.Equal((4, 11), map.Find($"$.a.{key}[2].b"));
        Assert.Equal((8, 7), map.Find("$.upstream[0].notices[1]"));
        Assert.Equal((7, 5), map.Find("$.upstream[0].nope"));
        Assert.Equal((6, 3), map.Find("$.upstream[7]"));
        Assert.Equal((1, 1), map.Find("nothing"));
    }
}

/// <summary>The config reader's key lists and modelgo.schema.json name the same keys, so that neither drifts.</summary>
public sealed class ConfigReaderSchemaTests
{
    [Theory]
    [InlineData("")]
    [InlineData("upstream")]
    [InlineData("modification")]
    [InlineData("waiver")]
    public void The_reader_knows_exactly_the_keys_the_schema_defines(string definition)
    {
        using var schema = System.Text.Json.JsonDocument.Parse(ConfigSkeleton.Schema);
        var element = definition.Length == 0 ? schema.RootElement : schema.RootElement.GetProperty("$defs").GetProperty(definition);
        var keys = element.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

        var known = definition switch
        {
            "" => ConfigReader.RootKeys,
            "upstream" => ConfigReader.UpstreamKeys,
            "modification" => ConfigReader.ModificationKeys,
            _ => ConfigReader.WaiverKeys,
        };

        Assert.Equal(keys, known.Order(StringComparer.Ordinal));
        Assert.Equal(known.Length, known.Distinct(StringComparer.Ordinal).Count());
    }
}
