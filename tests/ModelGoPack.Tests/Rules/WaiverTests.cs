using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// What a waiver can and cannot do. A waiver records a reviewer's judgement on a finding the tool can only infer; the
/// obligations of the license itself (the license copy and text, clause 2.2(a)(i) and Section 6; the modification and
/// Extracted Model statements, (ii) and (iii); a known notice retained, (iv); share-alike, (vi)) are met or not, so no
/// waiver covers them: in modelgo.json such a waiver is an input error, in a received manifest a finding of its own.
/// </summary>
public sealed class WaiverTests
{
    private const string Mit = "MIT License\n\nCopyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n";

    // The obligations the license sets itself, by clause: none is waivable.
    [Theory]
    [InlineData("MGP1001")] // Section 6: the text unmodified
    [InlineData("MGP1002")] // (i): the current text
    [InlineData("MGP1003")] // (i): a copy of this license
    [InlineData("MGP1004")] // (i), (vi): the project's license
    [InlineData("MGP1005")] // (i): the package's license
    [InlineData("MGP1006")] // (i): a copy of the license in the bundle
    [InlineData("MGP2001")] // (ii): a dated modification
    [InlineData("MGP2004")] // (ii): a modification of a declared derivative
    [InlineData("MGP2006")] // (ii): every change declared
    [InlineData("MGP2009")] // (ii): the NOTICE says so
    [InlineData("MGP2010")] // (ii): the relevant date, not one after the release
    [InlineData("MGP3002")] // (iii): distillation makes an Extracted Model
    [InlineData("MGP3003")] // (iii): an extraction declared
    [InlineData("MGP3004")] // (iii): the NOTICE says so
    [InlineData("MGP4002")] // (iv): a known notice kept
    [InlineData("MGP4004")] // (iv): kept verbatim
    [InlineData("MGP4005")] // (iv): a NOTICE at all
    [InlineData("MGP6001")] // (vi)
    [InlineData("MGP6003")] // (vi): the card's license
    [InlineData("MGP6004")] // (vi): the license files
    [InlineData("MGP6005")] // (vi): the package's license
    public void A_waiver_of_an_obligation_of_the_license_is_an_input_error_that_says_why(string code)
    {
        using var project = new ModelProjectBuilder();
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = code, ["justification"] = "We think it does not apply." });
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var refused = Assert.Single(result.Diagnostics, d => d.Code == "MGP8036");
        Assert.Equal(Severity.Error, refused.Severity);
        Assert.Equal("modelgo.json", refused.Path);
        Assert.True(refused.Line > 1, "the finding points at the waiver");
        Assert.Contains($"The waiver of {code} (\"We think it does not apply.\"), which cannot be waived: it is ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("clause 2.2(a)(" , refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP8023");
        Assert.DoesNotContain("not applied", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith(DiagnosticCatalog.WaiverNotAllowed.Help, refused.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputErrors, result.ExitCode);
        Assert.False(DiagnosticCatalog.All.Single(d => d.Code == code).Waivable);
    }

    // What the tool infers and a reviewer may judge: an unclassified file, consent to use a name, a missing copyright line.
    [Theory]
    [InlineData("MGP2002")]
    [InlineData("MGP2005")]
    [InlineData("MGP2007")]
    [InlineData("MGP2011")]
    [InlineData("MGP4001")]
    [InlineData("MGP4003")]
    [InlineData("MGP5001")]
    [InlineData("MGP5002")]
    [InlineData("MGP5007")]
    [InlineData("MGP6002")]
    [InlineData("MGP6008")]
    [InlineData("MGP7001")]
    public void A_waiver_of_a_finding_the_tool_infers_is_allowed(string code)
    {
        using var project = new ModelProjectBuilder();
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = code, ["justification"] = "Reviewed." });
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP8036");
        Assert.Equal("MGP8023", Assert.Single(result.Diagnostics).Code); // matches nothing in this project, and says so
        Assert.True(DiagnosticCatalog.All.Single(d => d.Code == code).Waivable);
    }

    [Theory]
    [InlineData(null, "The waiver of MGP5001 matches no finding.")]
    [InlineData("*.bin", "The waiver of MGP5001 for '*.bin' matches no finding.")]
    public void A_waiver_covers_only_the_findings_its_path_names(string? path, string says)
    {
        // No weights at all (MGP5001) is a finding without a path: a waiver with a path does not cover it.
        using var project = new ModelProjectBuilder();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        var waiver = new JsonObject { ["code"] = "MGP5001", ["justification"] = "Weights ship separately." };
        if (path is not null)
        {
            waiver["path"] = path;
        }

        project.Config["waivers"] = new JsonArray(waiver, new JsonObject { ["code"] = "MGP5001", ["path"] = "other/*.bin", ["justification"] = "Stale." }, new JsonObject { ["code"] = "MGP5009", ["justification"] = "Stale." });
        project.Write();
        File.Delete(Path.Combine(project.Root, "model.safetensors"));

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var finding = Assert.Single(result.Diagnostics, d => d.Code == "MGP5001");
        Assert.Equal(path is null ? "Weights ship separately." : null, finding.Waiver);
        var unmatched = result.Diagnostics.Where(d => d.Code == "MGP8023").Select(d => d.Message[..d.Message.IndexOf(" matches no finding.", StringComparison.Ordinal)] + " matches no finding.").ToList();
        Assert.Contains("The waiver of MGP5001 for 'other/*.bin' matches no finding.", unmatched);
        Assert.Contains("The waiver of MGP5009 matches no finding.", unmatched);
        Assert.Equal(path is null ? 2 : 3, unmatched.Count);
        if (path is not null)
        {
            Assert.Contains(says, unmatched);
        }
    }

    [Fact]
    public void A_license_swapped_for_MIT_and_waived_in_modelgo_json_is_still_MGP1003_and_nothing_is_packed()
    {
        using var project = new ModelProjectBuilder();
        project.File("LICENSE", Mit);
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP1003", ["path"] = "LICENSE", ["justification"] = "MIT is compatible." });
        project.Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        var license = Assert.Single(result.Diagnostics, d => d.Code == "MGP1003");
        Assert.Null(license.Waiver);
        Assert.Equal(Severity.Error, license.Severity);
        Assert.Contains(result.Diagnostics, d => d.Code == "MGP8036");
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.Oci)]
    public void A_bundle_whose_LICENSE_was_swapped_rehashed_and_waived_in_its_manifest_is_not_compliant(BundleFormat format)
    {
        // The attack the issue names: LICENSE replaced by MIT, its digest listed again, and a waiver written into the
        // manifest as pack writes applied ones. verify judges LICENSE as it is, and names the forged waiver.
        using var project = new ModelProjectBuilder();
        project.Write();
        var folder = project.Pack(BundleFormat.Directory).OutputPath!;
        var mit = Encoding.UTF8.GetBytes(Mit);
        File.WriteAllBytes(Path.Combine(folder, "LICENSE"), mit);
        BundleFolder.EditManifest(folder, manifest =>
        {
            var entry = manifest["files"]!.AsArray().OfType<JsonObject>().Single(f => (string?)f["path"] == "LICENSE");
            entry["size"] = mit.Length;
            entry["sha256"] = Bundle.Sha256(mit);
            manifest["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP1003", ["path"] = "LICENSE", ["justification"] = "MIT is compatible.", ["findings"] = new JsonArray("LICENSE") });
        });
        var bundle = format == BundleFormat.Zip ? Zip(folder, project.Scratch) : folder;

        var result = ModelGoPackEngine.Verify(bundle);

        Assert.False(result.Compliant);
        var license = Assert.Single(result.Diagnostics, d => d.Code == "MGP1003");
        Assert.Null(license.Waiver);
        Assert.Equal(Severity.Error, license.Severity);
        var forged = Assert.Single(result.Diagnostics, d => d.Code == "MGP9017");
        Assert.Equal("modelgo-manifest.json", forged.Path);
        Assert.Contains("waives MGP1003 for 'LICENSE' (\"MIT is compatible.\"), which cannot be waived", forged.Message, StringComparison.Ordinal);
        Assert.Contains("The waiver is not applied.", forged.Message, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
    }

    [Fact]
    public void A_manifest_waiver_of_a_finding_the_tool_infers_applies_with_its_justification()
    {
        // The publisher's own claim, shown as such: the finding is info and carries the justification.
        using var project = new ModelProjectBuilder();
        project.Config["copyright"] = new JsonArray();
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP4001", ["justification"] = "Public domain dedication in README." });
        project.Write();
        var folder = project.Pack(BundleFormat.Directory).OutputPath!;

        var result = ModelGoPackEngine.Verify(folder);

        var waived = Assert.Single(result.Diagnostics, d => d.Code == "MGP4001");
        Assert.Equal(("Public domain dedication in README.", Severity.Info), (waived.Waiver, waived.Severity));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MGP9017");
        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
    }

    private static string Zip(string folder, string scratch)
    {
        var zip = Path.Combine(scratch, $"sent-{Guid.NewGuid():N}.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        return zip;
    }
}
