using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Limits that fail loudly: a NOTICE or model card is rendered whole or not at all, and never larger than
/// check and verify read (MGP8035, nothing written); a notice file listed twice is kept once.
/// </summary>
public sealed class NoticeLimitTests
{
    private const int Limit = 4 * 1024 * 1024;

    [Theory]
    [InlineData(BundleFormat.Zip)]
    [InlineData(BundleFormat.Directory)]
    [InlineData(BundleFormat.Oci)]
    public void A_NOTICE_over_4_MiB_is_MGP8035_naming_the_limit_its_size_and_the_notice_files_and_nothing_is_written(BundleFormat format)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation", Text("Teacher notice", 2_600_000))
            .Upstream("Base", "extracted", "synthetic-data", Text("Base notice", 2_500_000))
            .File("upstream/small/NOTICE", "Small print\n");
        ((JsonArray)((JsonObject)project.Array("upstream")[1]!)["notices"]!).Add("upstream/small/NOTICE");
        project.Write();
        var output = Path.Combine(project.Scratch, "out" + ModelGoPackEngine.Extension(format));

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, format);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8035", "upstream/Teacher/NOTICE", ExitCodes.InputErrors), (d.Code, d.Path, result.ExitCode));
        Assert.Contains("over the limit of 4,194,304 bytes (4 MiB)", d.Message, StringComparison.Ordinal);
        Assert.Matches(@"NOTICE, from templates/NOTICE\.scriban \(built in\), would be 5,10\d,\d{3} bytes", d.Message);
        Assert.Contains("The 3 notice files it keeps verbatim total 5,100,012 bytes; the largest: 'upstream/Teacher/NOTICE' (from \"Teacher\"), 2,600,000 bytes, 'upstream/Base/NOTICE' (from \"Base\"), 2,500,000 bytes, 'upstream/small/NOTICE' (from \"Base\"), 12 bytes.", d.Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(output));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(project.Scratch), e => Path.GetFileName(e).StartsWith(".modelgopack-tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_NOTICE_of_exactly_4_MiB_is_packed_and_judged_by_its_own_verify_and_one_byte_more_is_MGP8035()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation", "x").Write();
        var output = Path.Combine(project.Scratch, "probe");
        var probe = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);
        Assert.True(probe.Compliant, string.Join("\n", probe.Diagnostics));

        // The notice "x" stands in the NOTICE as "x\n": the rest of the NOTICE and a notice of this size make 4 MiB.
        var rest = (int)(Limit - new FileInfo(Path.Combine(output, "NOTICE")).Length);
        project.File("upstream/Teacher/NOTICE", Text("Teacher notice", rest + 2));
        var exact = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, Path.Combine(project.Scratch, "exact"), BundleFormat.Directory);
        project.File("upstream/Teacher/NOTICE", Text("Teacher notice", rest + 3));
        var over = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, Path.Combine(project.Scratch, "over"), BundleFormat.Directory);

        Assert.True(exact.Compliant, string.Join("\n", exact.Diagnostics));
        Assert.Equal(Limit, new FileInfo(Path.Combine(project.Scratch, "exact", "NOTICE")).Length);
        Assert.Empty(ModelGoPackEngine.Verify(Path.Combine(project.Scratch, "exact")).Diagnostics);
        var d = Assert.Single(over.Diagnostics);
        Assert.Equal("MGP8035", d.Code);
        Assert.Contains("would be 4,194,305 bytes", d.Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(project.Scratch, "over")));
    }

    [Fact]
    public void A_template_that_renders_past_the_render_limit_is_MGP8035_not_a_NOTICE_cut_short()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation", Text("Teacher notice", 1 << 20)).Write();
        var templates = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "NOTICE.scriban"), "Made from the Output of Teacher.\n{{ for i in 1..70 }}{{ notices[0].text }}{{ end }}");
        var output = Path.Combine(project.Scratch, "out.zip");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, BundleFormat.Zip);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP8035", d.Code);
        Assert.Contains($"NOTICE, from {Path.Combine(templates, "NOTICE.scriban")}, would be more than 67,108,864 characters (its rendering stopped there)", d.Message, StringComparison.Ordinal);
        Assert.Contains("'upstream/Teacher/NOTICE' (from \"Teacher\"), 1,048,576 bytes", d.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_model_card_that_would_pass_4_MiB_with_its_generated_section_is_MGP8035_at_README()
    {
        using var project = new ModelProjectBuilder();
        project.File("README.md", "# tiny-model\n\n" + Text("A long model card", Limit - 100)).Write();
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, output, BundleFormat.Directory);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8035", "README.md"), (d.Code, d.Path));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"README.md, from the project's README.md ({Limit - 100 + 14:N0} bytes) and templates/MODELCARD.scriban (built in), would be 4,19"), d.Message, StringComparison.Ordinal);
        Assert.False(Path.Exists(output));
    }

    [Fact]
    public void Verify_calls_a_NOTICE_over_4_MiB_MGP8035_unjudged_not_missing()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").Write();
        var folder = project.Pack(BundleFormat.Directory).OutputPath!;
        var notice = File.ReadAllText(Path.Combine(folder, "NOTICE")) + Text("Padding", Limit);
        var bytes = Encoding.UTF8.GetBytes(notice);
        File.WriteAllBytes(Path.Combine(folder, "NOTICE"), bytes);
        var manifestPath = Path.Combine(folder, "modelgo-manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var entry = manifest["files"]!.AsArray().Single(f => (string?)f!["path"] == "NOTICE")!;
        entry["size"] = bytes.Length;
        entry["sha256"] = Bundle.Sha256(bytes);
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var result = ModelGoPackEngine.Verify(folder);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP8035", "NOTICE", ExitCodes.InputErrors), (d.Code, d.Path, result.ExitCode));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"The bundle's NOTICE is {bytes.Length:N0} bytes, over the limit of 4,194,304 bytes"), d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notice_file_listed_twice_by_one_upstream_and_by_another_is_kept_once_under_the_first()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation", "Shared Labs notice\n").Upstream("Base", "derivative", "fine-tuning")
            .Modification("2026-05-01", "Fine-tuned", "model.safetensors");
        var teacher = (JsonArray)((JsonObject)project.Array("upstream")[0]!)["notices"]!;
        teacher.Add("upstream/Teacher/NOTICE");
        var baseNotices = (JsonArray)((JsonObject)project.Array("upstream")[1]!)["notices"]!;
        baseNotices.Add("upstream/Teacher/NOTICE");
        project.Write();
        var templates = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(templates);
        File.WriteAllText(Path.Combine(templates, "MODELCARD.scriban"), "{{ for u in upstreams }}{{ u.name }}: {{ for n in u.notices }}{{ n.path }} {{ end }}\n{{ end }}");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, Path.Combine(project.Scratch, "out"), BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        var notice = File.ReadAllText(Path.Combine(project.Scratch, "out", "NOTICE"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(notice, "Shared Labs notice"));
        Assert.Contains("----- upstream/Teacher/NOTICE (from \"Teacher\") -----\nShared Labs notice\n", notice, StringComparison.Ordinal);
        Assert.Contains("----- upstream/Base/NOTICE (from \"Base\") -----\n", notice, StringComparison.Ordinal);
        var card = File.ReadAllText(Path.Combine(project.Scratch, "out", "README.md"));
        Assert.Contains("Teacher: upstream/Teacher/NOTICE \n", card, StringComparison.Ordinal);
        Assert.Contains("Base: upstream/Teacher/NOTICE upstream/Base/NOTICE \n", card, StringComparison.Ordinal);
        Assert.Empty(ModelGoPackEngine.Verify(Path.Combine(project.Scratch, "out")).Diagnostics);
    }

    [Fact]
    public void The_MGP8035_message_names_at_most_five_notice_files_largest_first_and_points_at_the_largest()
    {
        var notices = Enumerable.Range(1, 7).Select(i => new Rendering.NoticeText($"n{8 - i}", new string('x', i <= 2 ? 10 : 5), i == 1 ? null : "U")).ToList();

        var seven = Rendering.GeneratedTextLimit.TooLarge("NOTICE", null, "the template", notices, "the template");
        var one = Rendering.GeneratedTextLimit.TooLarge("NOTICE", "x", "the template", notices.Take(1).ToList(), "the template");
        var none = Rendering.GeneratedTextLimit.TooLarge("NOTICE", "x", "the template", [], "the template");
        var card = Rendering.GeneratedTextLimit.TooLarge("README.md", "x", "the card", notices, "README.md");

        Assert.Equal("n6", seven.Path);
        Assert.Contains("The 7 notice files it keeps verbatim total 45 bytes; the largest: 'n6' (from \"U\"), 10 bytes, 'n7', 10 bytes, 'n1' (from \"U\"), 5 bytes, 'n2' (from \"U\"), 5 bytes, 'n3' (from \"U\"), 5 bytes, and 2 more. ", seven.Message, StringComparison.Ordinal);
        var five = Rendering.GeneratedTextLimit.TooLarge("NOTICE", "x", "the template", notices.Take(5).ToList(), "the template");
        Assert.Contains("Nothing was written. The 1 notice file it keeps verbatim total 10 bytes; the largest: 'n7', 10 bytes. ", one.Message, StringComparison.Ordinal);
        Assert.EndsWith("'n5' (from \"U\"), 5 bytes. " + DiagnosticCatalog.GeneratedTextTooLarge.Help, five.Message, StringComparison.Ordinal);
        Assert.Equal(("the template", "The bundle's NOTICE, from the template, would be 1 bytes: over the limit of 4,194,304 bytes (4 MiB) for a generated NOTICE or README.md, the most check and verify read whole. Nothing was written. It keeps no notice file. " + DiagnosticCatalog.GeneratedTextTooLarge.Help), (none.Path, none.Message));
        Assert.Equal(("README.md", "The bundle's README.md, from the card, would be 1 bytes: over the limit of 4,194,304 bytes (4 MiB) for a generated NOTICE or README.md, the most check and verify read whole. Nothing was written. " + DiagnosticCatalog.GeneratedTextTooLarge.Help), (card.Path, card.Message));
    }

    /// <summary>Lines of words, exactly <paramref name="bytes"/> bytes of ASCII, ending in a newline.</summary>
    private static string Text(string words, int bytes)
    {
        var line = words + " " + new string('w', 60) + "\n";
        var text = new StringBuilder(bytes);
        while (text.Length + line.Length <= bytes)
        {
            text.Append(line);
        }

        text.Append('z', Math.Max(bytes - text.Length - 1, 0)).Append('\n');
        return text.ToString(0, bytes);
    }
}
