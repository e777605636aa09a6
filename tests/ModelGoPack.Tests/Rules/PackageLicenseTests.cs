using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Rules;
using NuGet.Versioning;

namespace ModelGoPack.Tests;

/// <summary>The package's license metadata against the bundle's LICENSE (MGP1005) and share-alike (MGP6005), decided in Core.</summary>
public sealed class PackageLicenseTests
{
    private static readonly ModelGoConfig Original = new() { Name = "m", Version = NuGetVersion.Parse("1.0.0"), License = "MG-BY-SA-2.0" };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("LICENSE")]
    public void The_bundle_s_LICENSE_or_no_license_file_is_no_finding(string? file)
    {
        var diagnostics = new DiagnosticBag();
        PackageLicense.CheckFile(file, diagnostics, "model.proj");
        PackageLicense.CheckExpression(file == "LICENSE" ? null : file, Original, diagnostics, "model.proj");
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void Another_license_file_is_MGP1005()
    {
        var diagnostics = new DiagnosticBag();
        PackageLicense.CheckFile("license.txt", diagnostics, "model.proj");

        var d = Assert.Single(diagnostics.Items);
        Assert.Equal(("MGP1005", "model.proj"), (d.Code, d.Path));
        Assert.Equal($"PackageLicenseFile is 'license.txt', not the bundle's LICENSE. {DiagnosticCatalog.PackageLicenseClash.Help}", d.Message);
    }

    [Theory]
    [InlineData(null, "MGP1005")]
    [InlineData(UpstreamRelation.Derivative, "MGP6005")]
    [InlineData(UpstreamRelation.Extracted, "MGP6005")]
    public void A_license_expression_is_MGP1005_or_for_a_derivative_or_Extracted_Model_MGP6005(UpstreamRelation? relation, string code)
    {
        var config = relation is { } r ? Original with { Upstream = [new UpstreamDeclaration { Name = "base", License = "MG-BY-SA-2.0", Relation = r }] } : Original;
        var diagnostics = new DiagnosticBag();
        PackageLicense.CheckExpression("MIT", config, diagnostics, "model.proj");

        var d = Assert.Single(diagnostics.Items);
        Assert.Equal((code, "model.proj"), (d.Code, d.Path));
        Assert.Equal(
            code == "MGP6005"
                ? $"PackageLicenseExpression is 'MIT', but this model is a derivative or Extracted Model of an MG-BY-SA-2.0 model. {DiagnosticCatalog.PackageLicenseShareAlike.Help}"
                : $"PackageLicenseExpression is 'MIT', but this package is licensed MG-BY-SA-2.0 by its LICENSE file. {DiagnosticCatalog.PackageLicenseClash.Help}",
            d.Message);
    }

    [Fact]
    public void A_license_expression_beside_an_invalid_config_is_MGP1005()
    {
        var diagnostics = new DiagnosticBag();
        PackageLicense.CheckExpression("Apache-2.0", null, diagnostics, null);
        Assert.Equal("MGP1005", Assert.Single(diagnostics.Items).Code);
    }
}
