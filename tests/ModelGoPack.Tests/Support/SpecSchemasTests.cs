using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>The schema helper itself: it must refuse what a spec refuses, or every test built on it proves nothing.</summary>
public sealed class SpecSchemasTests
{
    [Fact]
    public void ModelPackConfigSchema_AcceptsTheSpecsExampleAndRefusesAnUnknownKey()
    {
        const string valid = """{"descriptor":{"name":"m","createdAt":"2025-01-01T00:00:00Z"},"config":{"format":"safetensors"},"modelfs":{"type":"layers","diffIds":["sha256:00"]}}""";
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.ModelPackConfig, valid));
        Assert.NotEmpty(SpecSchemas.Errors(SpecSchemas.ModelPackConfig, valid.Replace("\"format\"", "\"formats\"", StringComparison.Ordinal)));
        Assert.NotEmpty(SpecSchemas.Errors(SpecSchemas.ModelPackConfig, valid.Replace("2025-01-01T00:00:00Z", "yesterday", StringComparison.Ordinal)));
    }

    [Fact]
    public void CycloneDxSchema_ResolvesTheSpdxReference()
    {
        const string bom = """{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"x","licenses":[{"license":{"id":"MIT"}}]}]}""";
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, bom));
        Assert.NotEmpty(SpecSchemas.Errors(SpecSchemas.CycloneDx16, bom.Replace("\"MIT\"", "\"NOT-A-LICENSE-ID\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void OmsBundleSchema_ResolvesTheEnvelopeReference()
    {
        var vectors = Path.Combine(SpecSchemas.Folder, "oms-v1.0", "test-vectors", "v1.0", "valid");
        var any = Directory.GetFiles(vectors, "*", SearchOption.AllDirectories).First(f => f.EndsWith(".sig", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.Oms("bundle"), File.ReadAllText(any)));
        Assert.NotEmpty(SpecSchemas.Errors(SpecSchemas.Oms("bundle"), "{}"));
    }
}
