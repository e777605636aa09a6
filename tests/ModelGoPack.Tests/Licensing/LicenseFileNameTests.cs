using ModelGoPack.Licensing;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>The parts of license-file discovery a publisher cannot see directly: which files, which link targets, which addresses.</summary>
public sealed class LicenseFileDiscoveryTests
{
    [Fact]
    public void Other_license_files_are_every_license_name_but_the_root_copy_and_the_link_target_in_ordinal_order()
    {
        var card = Inspection.ModelCard.Parse("---\nlicense_link: docs/terms.md\n---\n# m\n");
        string[] paths = ["z/COPYING", "LICENSE", "LICENSE.md", "a/LICENSE-MIT", "docs/terms.md", "docs/other.md", "b/x.license", "licenses/README.md", "LICENSE_HEADER.txt",
            "license_plate_detector.safetensors", "src/license_check.py", "LICENSEE.md", "copyright.txt"];

        Assert.Equal(["LICENSE_HEADER.txt", "a/LICENSE-MIT", "b/x.license", "docs/terms.md", "z/COPYING"], LicenseFiles.OtherLicenseFiles(paths, LicenseFiles.LinkedPath(card, Named("m"))?.Path));
        Assert.Equal(["LICENSE_HEADER.txt", "a/LICENSE-MIT", "b/x.license", "z/COPYING"], LicenseFiles.OtherLicenseFiles(paths, LicenseFiles.LinkedPath(null, Named("m"))?.Path));
    }

    [Theory]
    [InlineData("LICENSE", "LICENSE")]
    [InlineData("./././docs/LICENSE.md", "docs/LICENSE.md")]
    [InlineData("LICENSE#terms", "LICENSE")]
    [InlineData("LICENSE?plain=1", "LICENSE")]
    [InlineData("https://huggingface.co/org/m/resolve/v1.0/LICENSE", "LICENSE")]
    [InlineData("https://huggingface.co/org/m/blob/main/docs/My%20License.txt", "docs/My License.txt")]
    [InlineData("https://example.org/org/m/blob/main/LICENSE", null)]
    [InlineData("https://huggingface.co/org/m", null)]
    [InlineData("https://huggingface.co/org/m/blob/main/", null)]
    [InlineData("https://HuggingFace.co/Org/M/blob/main/LICENSE", "LICENSE")]
    [InlineData("http://huggingface.co/org/m/raw/main/LICENSE", "LICENSE")]
    [InlineData("https://hub.huggingface.co/org/m/blob/main/LICENSE", "LICENSE")]
    [InlineData("https://evilhuggingface.co/org/m/blob/main/LICENSE", null)]
    [InlineData("https://huggingface.co.example.org/org/m/blob/main/LICENSE", null)]
    [InlineData("https://huggingface.co/org/m/tree/main/LICENSE", null)]
    [InlineData("ftp://example.org/LICENSE", null)]
    [InlineData("file:///etc/passwd", null)]
    [InlineData("/etc/passwd", null)]
    [InlineData("#license", null)]
    [InlineData("../LICENSE", null)]
    [InlineData("?x", null)]
    public void A_license_link_names_a_release_file_only_by_a_relative_path_or_a_Hub_url_of_the_repo(string link, string? path) =>
        Assert.Equal(path is null ? null : new LinkedFile(path, Own: true), LicenseFiles.LinkedPath(Inspection.ModelCard.Parse($"---\nlicense_link: \"{link}\"\n---\n# m\n"), Named("m")));

    [Theory]
    [InlineData("https://huggingface.co/org/m-v2/blob/main/LICENSE", "LICENSE")] // a repo of another name: perhaps the project's
    [InlineData("https://huggingface.co/m/licenses/blob/main/docs/L.md", "docs/L.md")]
    [InlineData("https://huggingface.co/org/base-m/blob/main/LICENSE", null)] // the upstream's, by name
    [InlineData("https://huggingface.co/Org/BASE-M/blob/main/LICENSE", null)]
    [InlineData("https://huggingface.co/up/other/blob/main/LICENSE", null)] // the upstream's, by url
    public void A_Hub_file_of_a_repo_of_another_name_is_the_releases_only_if_it_holds_it_and_never_an_upstreams(string link, string? path) =>
        Assert.Equal(path is null ? null : new LinkedFile(path, Own: false), LicenseFiles.LinkedPath(Inspection.ModelCard.Parse($"---\nlicense_link: \"{link}\"\n---\n# m\n"), Named("m")));

    [Theory]
    [InlineData("Tiny-Model", "tiny-model")]
    [InlineData("tiny_model", "Tiny-Model")]
    [InlineData("tiny-model", "TINY_MODEL")]
    public void The_projects_own_Hub_repo_is_the_configs_name_in_any_case_an_underscore_read_as_a_hyphen(string name, string repo) =>
        Assert.Equal(new LinkedFile("LICENSE", Own: true),
            LicenseFiles.LinkedPath(Inspection.ModelCard.Parse($"---\nlicense_link: https://huggingface.co/org/{repo}/blob/main/LICENSE\n---\n# m\n"), Named(name)));

    private static Config.ModelGoConfig Named(string name) => new()
    {
        Name = name,
        Version = NuGet.Versioning.NuGetVersion.Parse("1.0.0"),
        License = "MG-BY-SA-2.0",
        Upstream =
        [
            new Config.UpstreamDeclaration { Name = "base-m", License = "MG-BY-SA-2.0", Relation = Config.UpstreamRelation.Derivative },
            new Config.UpstreamDeclaration { Name = "Other Base", Url = "https://huggingface.co/up/other", License = "MG-BY-SA-2.0", Relation = Config.UpstreamRelation.Extracted },
        ],
    };

    [Theory]
    [InlineData("LICENSE", true)]
    [InlineData("docs/licence", true)]
    [InlineData("a/b/COPYING", true)]
    [InlineData("LICENSE.txt", true)]
    [InlineData("LICENSE.MD", true)]
    [InlineData("license.markdown", true)]
    [InlineData("LICENSE.rst", true)]
    [InlineData("LICENSE.html", true)]
    [InlineData("LICENSE.htm", true)]
    [InlineData("LICENSE.license", true)]
    [InlineData("LICENSE-MIT", true)]
    [InlineData("LICENSE_CODE.txt", true)]
    [InlineData("LICENSE.Apache-2.0", true)]
    [InlineData("COPYING.LESSER", true)]
    [InlineData("LICENSE.zlib", true)]
    [InlineData("banner.png.license", true)]
    [InlineData("a/x.LICENSE", true)]
    [InlineData(".license", false)]
    [InlineData("license.ts", false)]
    [InlineData("LICENSE.py", false)]
    [InlineData("LICENSE.json", false)]
    [InlineData("LICENSE.pdf", false)]
    [InlineData("licence_check.go", false)]
    [InlineData("license_plate_detector.safetensors", false)]
    [InlineData("LICENSES", false)]
    [InlineData("LICENSEE.md", false)]
    [InlineData("my-license.txt", false)]
    [InlineData("docs/COPYING.png", false)]
    [InlineData("LICENSES/Apache-2.0.txt", true)]
    [InlineData("a/licenses/MIT", true)]
    [InlineData("LICENSES/logo.png", false)]
    [InlineData("my-LICENSES/MIT.txt", false)]
    [InlineData("LICENSES/sub/MIT.txt", false)]
    [InlineData("LICENSES/README.md", false)]
    public void A_license_name_ends_as_a_text_or_a_qualifier_not_as_a_code_data_or_media_file(string path, bool license) =>
        Assert.Equal(license, LicenseFiles.IsLicenseName(path));

    // Every ending of a known file type makes a license-like name that kind of file, but a text's ending, and the same
    // ending in capitals (a qualifier: COPYING.LIB), leave it a license file.
    [Fact]
    public void Every_known_file_type_ending_makes_a_license_name_no_license_file_unless_in_capitals()
    {
        Assert.True(LicenseFiles.FileTypes.Count > 150);
        foreach (var ending in LicenseFiles.FileTypes)
        {
            var text = ending is ".txt" or ".md" or ".markdown" or ".rst" or ".html" or ".htm";
            Assert.True(ending.Length > 1 && ending[0] == '.' && !ending.Any(char.IsUpper), ending);
            Assert.True(text == LicenseFiles.IsLicenseName("weights/LICENSE" + ending), ending);
            Assert.True(text == LicenseFiles.IsLicenseName("COPYING_notes" + ending), ending);
            Assert.True(LicenseFiles.IsLicenseName("weights/LICENSE" + ending.ToUpperInvariant()), ending);
        }
    }

    [Theory]
    [InlineData("LICENSE-CODE", "CODE")]
    [InlineData("license_code_and_data.txt", "code")]
    [InlineData("LICENSE.Apache-2.0", null)]
    [InlineData("LICENSE-HEADER.txt", null)]
    [InlineData("docs.md", null)]
    public void A_license_name_limits_it_to_the_first_part_it_names(string name, string? part) =>
        Assert.Equal(part, LicenseFiles.Part(name));

    [Theory]
    [InlineData("CODE")]
    [InlineData("SOURCE")]
    [InlineData("SOURCES")]
    [InlineData("SRC")]
    [InlineData("SCRIPT")]
    [InlineData("SCRIPTS")]
    [InlineData("TOOLS")]
    [InlineData("EXAMPLES")]
    [InlineData("SAMPLES")]
    [InlineData("NOTEBOOKS")]
    [InlineData("TESTS")]
    [InlineData("DOC")]
    [InlineData("DOCS")]
    [InlineData("DOCUMENTATION")]
    [InlineData("DATA")]
    [InlineData("DATASET")]
    [InlineData("DATASETS")]
    [InlineData("CORPUS")]
    [InlineData("ASSETS")]
    [InlineData("IMAGES")]
    [InlineData("MEDIA")]
    [InlineData("FONTS")]
    public void Every_part_qualifier_names_a_part_unless_the_name_also_names_the_model(string qualifier)
    {
        Assert.Equal(qualifier.ToLowerInvariant(), LicenseFiles.Part($"LICENSE-{qualifier.ToLowerInvariant()}.md"));
        Assert.All(new[] { "MODEL", "MODELS", "WEIGHT", "WEIGHTS", "CHECKPOINT", "CHECKPOINTS", "CKPT", "ADAPTER", "ADAPTERS" },
            model => Assert.Null(LicenseFiles.Part($"LICENSE-{model}-{qualifier}")));
    }

    [Theory]
    [InlineData("https://choosealicense.com/licenses/mit/", "mit")]
    [InlineData("https://www.apache.org/licenses/LICENSE-2.0.html", "Apache-2.0")]
    [InlineData("https://opensource.org/licenses/BSD-3-Clause.php", "BSD-3-Clause")]
    [InlineData("https://creativecommons.org/licenses/by-nc-sa/4.0/deed.en", "CC-BY-NC-SA-4.0")]
    [InlineData("https://www.apache.org/foundation/", null)]
    [InlineData("https://creativecommons.org/publicdomain/zero/1.0/", null)]
    [InlineData("https://example.org/licenses/MIT", null)]
    [InlineData("LICENSE", null)]
    [InlineData("mailto:legal@example.org", null)]
    public void Well_known_license_addresses_are_named(string link, string? license) =>
        Assert.Equal(license, LicenseFiles.LinkedLicense(link));
}

/// <summary>A model whose files only start with the word "license" is not a license file, nor read as one.</summary>
public sealed class LicenseNameTests
{
    [Fact]
    public void A_license_plate_detector_is_not_a_license_file()
    {
        using var project = new ModelProjectBuilder("license-plate-detector");
        File.Delete(Path.Combine(project.Root, "model.safetensors"));
        Safetensors.Write(Path.Combine(project.Root, "license_plate_detector.safetensors"), ("backbone.weight", "F32", [1200, 1000]));
        project.File("license_plate.py", "print('detect')\n").Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }
}
