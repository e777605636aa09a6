using System.Text.Json;
using System.Text.Json.Nodes;
using ModelGoPack.Diagnostics;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>
/// Section 2.3: "You shall not refer to the Licensor or use the Licensor's trademarks, trade names, and service marks,
/// for any publicity, advertising or marketing purposes, without the Licensor's prior written consent." Where a release
/// advertises itself (the card's title, headline and title-like front matter; the package's Title, Description and
/// PackageTags) the licensor's name is error MGP7001. The NOTICE and the card's body are attribution, which clause
/// 2.2(a)(iv) requires, and are not checked. Consent is a waiver whose justification records it.
/// </summary>
public sealed class PublicityTests
{
    private const string Consent = "Acme Labs, Inc. consented in writing on 2026-05-02 (letter ACME-123).";

    // The upstream's licensor carries its legal form; the texts name it without, in any case, joined or not.
    private static ModelProjectBuilder Project(string card, string? licensor = "Acme Labs, Inc.")
    {
        var project = new ModelProjectBuilder();
        project.Upstream("Teacher-7B", "extracted", "distillation", "Teacher-7B\nCopyright 2025 Acme Labs, Inc.\n");
        var upstream = (JsonObject)project.Array("upstream")[0]!;
        upstream.Remove("licensor");
        if (licensor is not null)
        {
            upstream["licensor"] = licensor;
        }

        project.File("README.md", card).Write();
        return project;
    }

    [Fact]
    public void The_licensor_in_the_card_title_is_an_error_check_exits_1_and_pack_writes_nothing()
    {
        using var project = Project("# Acme Labs Tiny: the official small model\n\nA tiny model.\n");
        var output = Path.Combine(project.Scratch, "out.zip");

        var (checkExit, checkOut, _) = CliRunner.Run("check", project.Root, "--quiet", "--no-cache");
        var (packExit, packOut, _) = CliRunner.Run("pack", project.Root, "--format", "zip", "--output", output, "--quiet", "--no-cache");

        Assert.Equal(ExitCodes.ComplianceErrors, checkExit);
        Assert.Contains("README.md(1,1): error MGP7001: README.md's first heading (\"Acme Labs Tiny: the official small model\") uses \"Acme Labs\", the name of \"Acme Labs, Inc.\", the licensor of upstream \"Teacher-7B\", for publicity. Section 2.3 ", checkOut, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ComplianceErrors, packExit);
        Assert.Contains("error MGP7001", packOut, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    // The headline: a one-line paragraph under the title (past blank lines, lines of spaces and a template's one-line
    // comment), and the front matter's title-like keys. Each names the licensor in a form of its own.
    [Theory]
    [InlineData("# Tiny\n\n*The official small model from ACME LABS*\n   \n## Usage\n\nRun it.\n", 3, "headline, the one-line paragraph under its title (\"*The official small model from ACME LABS*\")", "ACME LABS")]
    [InlineData("# Tiny\r\n  \r\n<!-- Provide a quick summary. -->\r\n\r\n  > Acme-Labs' distilled chat model \r\n", 5, "headline, the one-line paragraph under its title (\"> Acme-Labs' distilled chat model\")", "Acme-Labs")]
    [InlineData("# Tiny\nacmelabs inside", 2, "headline", "acmelabs")]
    [InlineData("---\nlicense: other\nlicense_name: mg-by-sa-2.0\nsummary: The Acme Labs Inc. tiny model\n---\n# Tiny\n\nBody text\nmore text.\n", 4, "front matter key 'summary' (\"The Acme Labs Inc. tiny model\")", "Acme Labs")]
    [InlineData("---\ntags: [llm]\ntitle: Acme_Labs tiny\n---\n\n# Tiny\n", 3, "front matter key 'title'", "Acme_Labs")]
    [InlineData("---\nmodel_name: acme.labs-tiny\n---\n", 2, "front matter key 'model_name'", "acme.labs")]
    [InlineData("---\nshort_description: Acme Labs, small\n---\n", 2, "front matter key 'short_description'", "Acme Labs")]
    [InlineData("---\ndescription: [Tiny, by Acme Labs]\n---\n", 2, "front matter key 'description' (\"by Acme Labs\")", "Acme Labs")]
    [InlineData("---\ntagline: \"Acme Labs inside\"\n---\n", 2, "front matter key 'tagline'", "Acme Labs")]
    public void The_licensor_in_the_card_headline_is_an_error(string card, int line, string where, string used)
    {
        using var project = Project(card);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP7001", Severity.Error, "README.md", line, 1), (d.Code, d.Severity, d.Path, d.Line, d.Column));
        Assert.StartsWith($"README.md's {where}", d.Message, StringComparison.Ordinal);
        Assert.Contains($" uses \"{used}\", the name of \"Acme Labs, Inc.\"", d.Message, StringComparison.Ordinal);
        Assert.EndsWith(DiagnosticCatalog.LicensorNameUsed.Help, d.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ComplianceErrors, result.ExitCode);
    }

    // The name the licensor is known by, without its legal form; its words joined as a text may join them.
    [Theory]
    [InlineData("Acme Labs, Inc.", "Acme Labs")]
    [InlineData(" Acme Labs Inc ", "Acme Labs")]
    [InlineData("Acme Co., Ltd.", "Acme")]
    [InlineData("ACME GMBH", "ACME")]
    [InlineData("Acme Co Labs", "Acme Co Labs")]
    [InlineData("Acme.ai-Research_Lab", "Acme ai Research Lab")]
    [InlineData("Incorporated", "Incorporated")]
    public void A_licensor_is_known_by_its_name_without_its_legal_form(string licensor, string words)
    {
        Assert.Equal(words, string.Join(' ', Rules.LicensorNames.Words(licensor)));
    }

    [Fact]
    public void A_licensor_of_several_upstreams_is_one_finding_and_the_package_texts_come_in_order()
    {
        using var project = Project("# Tiny\n\nA tiny model.\n");
        project.Upstream("Base-1B", "extracted", "distillation");
        ((JsonObject)project.Array("upstream")[1]!)["licensor"] = "ACME labs";
        project.Write();

        var result = ModelGoPackEngine.Check(new ProjectRequest
        {
            ProjectDirectory = project.Root,
            PublicityTexts = new Dictionary<string, string> { ["Title"] = "Acme Labs Tiny", ["PackageTags"] = "9acme-labs;acme-labs2;acme-labs", ["Description"] = "By Acme Labs." },
        });

        Assert.Equal(["Description", "PackageTags", "Title"], result.Diagnostics.Select(d => d.Message.Split(' ')[2]));
        Assert.All(result.Diagnostics, d => Assert.Equal(("MGP7001", null, 0, 0), (d.Code, d.Path, d.Line, d.Column)));
        Assert.All(result.Diagnostics, d => Assert.Contains("the name of \"Acme Labs, Inc.\", the licensor of upstream \"Teacher-7B\"", d.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Title", "Acme Labs Tiny")]
    [InlineData("Description", "A small model.\nDistilled from the Acme-Labs teacher.")]
    [InlineData("PackageTags", "llm;AcmeLabs;tiny")]
    [InlineData("PackageTags", "llm acme labs tiny")]
    public void The_licensor_in_the_package_Title_Description_or_PackageTags_fails_the_task(string property, string value)
    {
        using var project = Project("# Tiny\n\nA tiny model.\n");
        var (task, engine) = TaskTests.Create(project);
        typeof(Tasks.ModelGoPack).GetProperty(property)!.SetValue(task, value);

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(("MGP7001", Path.Combine(project.Root, "model.proj"), 0), (error.Code, error.File, error.LineNumber));
        Assert.StartsWith($"The package's {property} (\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("the licensor of upstream \"Teacher-7B\"", error.Message, StringComparison.Ordinal);
        Assert.Null(task.Bundle);
    }

    [Fact]
    public void A_waiver_with_the_licensors_consent_passes_and_its_justification_is_shown_and_kept_in_the_manifest()
    {
        using var project = Project("# Acme Labs Tiny\n\n*Built with Acme Labs*\n\nA tiny model.\n");
        project.Config["waivers"] = new JsonArray(new JsonObject { ["code"] = "MGP7001", ["justification"] = Consent });
        project.Write();
        var output = Path.Combine(project.Scratch, "cli-out");

        var (exit, stdout, _) = CliRunner.Run("pack", project.Root, "--output", output, "--quiet", "--no-cache");

        Assert.True(exit == 0, stdout);
        Assert.Contains($"README.md(1,1): info MGP7001: waived ({Consent}): README.md's first heading", stdout, StringComparison.Ordinal);
        Assert.Contains($"README.md(3,1): info MGP7001: waived ({Consent}): README.md's headline", stdout, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "modelgo-manifest.json")));
        var waiver = Assert.Single(manifest.RootElement.GetProperty("waivers").EnumerateArray());
        Assert.Equal(("MGP7001", Consent), (waiver.GetProperty("code").GetString(), waiver.GetProperty("justification").GetString()));
        Assert.Equal(["README.md"], waiver.GetProperty("findings").EnumerateArray().Select(f => f.GetString()));

        // Under MSBuild the waived finding is a message that carries the justification too.
        var (task, engine) = TaskTests.Create(project);
        task.PackageTags = "acme-labs";
        Assert.True(task.Execute(), TaskTests.Describe(engine));
        Assert.Empty(engine.Warnings);
        var messages = engine.Messages.Where(m => m.Code == "MGP7001").Select(m => m.Message).ToList();
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.StartsWith($"waived ({Consent}): ", m, StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("The package's PackageTags (\"acme-labs\")", StringComparison.Ordinal));
    }

    // Attribution is not publicity: the NOTICE (which keeps the upstream's notice naming Acme Labs, Inc.), the card's
    // body, and a first paragraph of several lines name the licensor as clause 2.2(a)(iv) requires. Only the headline
    // (the line given) is a finding.
    [Theory]
    [InlineData("# Tiny\n\n*Acme Labs' teacher, made small*\n\nA small chat model.\n\n## Attribution\n\nBased on Teacher-7B by Acme Labs, Inc., under MG-BY-SA-2.0.\n", 3)]
    [InlineData("---\nsummary: distilled from Acme Labs' Teacher-7B\n---\n# Tiny\n\nThis model was distilled from Teacher-7B by Acme Labs.\nIt answers short questions.\n", 2)]
    [InlineData("---\ndescription: Acme Labs tiny\n---\nA card without a title: Teacher-7B by Acme Labs.\n\nBy Acme Labs.\n", 2)]
    public void Only_the_headline_is_publicity_the_body_and_the_NOTICE_are_attribution(string card, int line)
    {
        using var project = Project(card);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP7001", "README.md", line), (d.Code, d.Path, d.Line));
    }

    // Whole words only: a name inside another word is not the licensor's, the same name as a word of its own is.
    [Theory]
    [InlineData("Acme Inc.", "# Acmeville Tiny\n\nMade in Acmeville.\n", "acmeville;tiny;acme", "acme")]
    [InlineData("Acme Labs, Inc.", "# AcmeLabsX Tiny\n\nNot AcmeLabs2.\n", "xacme-labs acme-labs", "acme-labs")]
    public void A_name_inside_another_word_is_no_finding(string licensor, string card, string tags, string used)
    {
        using var project = Project(card, licensor);

        var result = ModelGoPackEngine.Check(new ProjectRequest
        {
            ProjectDirectory = project.Root,
            PublicityTexts = new Dictionary<string, string> { ["PackageTags"] = tags, ["Title"] = card },
        });

        var d = Assert.Single(result.Diagnostics);
        Assert.StartsWith($"The package's PackageTags (\"{tags}\") uses \"{used}\", the name of \"{licensor}\"", d.Message, StringComparison.Ordinal);
    }

    // In prose a one-word name followed by a hyphen and a lowercase letter is a compound word; in identifiers it is
    // the name, and a capital after the hyphen is the name in prose too.
    [Theory]
    [InlineData("# Meta-learning adapters for tiny-model\n\nBody.\n", null, null)]
    [InlineData("# Tiny\n\nMeta-tuned on our data.\n", null, null)]
    [InlineData("# Meta-Llama tuned\n\nBody.\n", null, "Meta")]
    [InlineData("# Tiny, from Meta-\n\nBody.\n", null, "Meta")]
    [InlineData("---\nmodel_name: meta-llama-3-tuned\n---\n# Tiny\n", null, "meta")]
    [InlineData("---\nsummary: meta-learning for small models\n---\n# Tiny\n", null, null)]
    [InlineData("# Tiny\n", "meta-learning;tiny", "meta")]
    [InlineData("# Tiny\n", "meta learning", "meta")]
    public void A_one_word_name_in_a_compound_word_is_no_finding_in_prose(string card, string? tags, string? used)
    {
        using var project = Project(card, "Meta");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, PublicityTexts = tags is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PackageTags"] = tags } });

        var findings = result.Diagnostics.Where(d => d.Code == "MGP7001").ToList();
        Assert.Equal(used is null ? 0 : 1, findings.Count);
        if (used is not null)
        {
            Assert.Contains($" uses \"{used}\", the name of \"Meta\"", findings[0].Message, StringComparison.Ordinal);
        }
    }

    // A name of several words is the name before a hyphen too: "Stability AI-free" refers to Stability AI.
    [Theory]
    [InlineData("Stability AI", "# Tiny\n\nStability AI-free training.\n", "Stability AI")]
    [InlineData("Apple", "# Apple leaf disease classifier\n\nBody.\n", "Apple")]
    [InlineData("Acme & Co.", "# Acme tiny-model\n\nBody.\n", "Acme")]
    [InlineData("Meta Platforms, Inc.", "# Meta tiny-model\n\nBody.\n", "Meta")]
    [InlineData("Meta Platforms, Inc.", "# Tiny\n\nBuilt on meta platforms.\n", "meta platforms")]
    [InlineData("Northwind AI", "# Northwind-Tiny\n\nBody.\n", "Northwind")]
    [InlineData("智谱", "# 智谱模型微调版\n\nBody.\n", "智谱")]
    [InlineData("智谱AI", "# 基于智谱AI的模型\n\nBody.\n", "智谱AI")]
    [InlineData("Acme", "# 基于Acme的模型\n\nBody.\n", "Acme")]
    public void Names_are_found_as_a_reader_would_read_them(string licensor, string card, string used)
    {
        using var project = Project(card, licensor);

        var d = Assert.Single(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP7001");

        Assert.Contains($" uses \"{used}\", the name of \"{licensor}\"", d.Message, StringComparison.Ordinal);
    }

    // The first word alone: four letters or more, capitalised, not an article, and only as the licensor writes it.
    [Theory]
    [InlineData("Meta Platforms, Inc.", "# meta tiny-model\n\nBody.\n")]
    [InlineData("The Acme Foundation", "# The tiny model\n\nBody.\n")]
    [InlineData("Big Lab", "# Big tiny model\n\nBody.\n")]
    [InlineData("deep thought labs", "# deep tiny model\n\nBody.\n")]
    [InlineData("Meta Platforms", "# Metaverse tiny model\n\nBody.\n")]
    [InlineData("智谱", "# 模型\n\n智谱 in the body,\nwhich is attribution.\n")]
    public void The_first_word_alone_is_the_name_only_when_distinctive(string licensor, string card)
    {
        using var project = Project(card, licensor);

        Assert.DoesNotContain(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics, d => d.Code == "MGP7001");
    }

    // A name is a whole word where its script is spaced: "SuperAcme" and "Acmelike" hold no "Acme"; a name that starts
    // or ends in a script written without spaces needs no boundary there ("Super智谱" holds "智谱").
    [Theory]
    [InlineData("Acme", "# SuperAcme tiny model\n\nBody.\n", false)]
    [InlineData("Acme", "# Acmelike tiny model\n\nBody.\n", false)]
    [InlineData("Acme", "# Acme tiny model\n\nBody.\n", true)]
    [InlineData("智谱", "# Super智谱 model\n\nBody.\n", true)]
    [InlineData("智谱", "# 智谱Tuned model\n\nBody.\n", true)]
    public void A_name_is_a_whole_word_only_in_spaced_scripts(string licensor, string card, bool used)
    {
        using var project = Project(card, licensor);

        Assert.Equal(used, ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics.Any(d => d.Code == "MGP7001"));
    }

    // The upstream model's name is what the notices name, not the licensor: licensor "Teacher Labs" of upstream
    // "Teacher-7B" is not used by a title naming the model; it is when the text names the licensor beside it.
    [Theory]
    [InlineData("# Tiny, distilled from Teacher-7B\n\nBody.\n", null)]
    [InlineData("# Tiny, distilled from teacher-7b\n\nBody.\n", null)]
    [InlineData("# Teacher-7B and Teacher-7B-mini\n\nBody.\n", null)]
    [InlineData("# Teacher Labs' Teacher-7B, distilled\n\nBody.\n", "Teacher Labs")]
    [InlineData("# Teacher-7B, distilled by Teacher fans\n\nBody.\n", "Teacher")]
    public void A_match_inside_the_upstream_models_name_is_the_model_not_the_licensor(string card, string? used)
    {
        using var project = Project(card, "Teacher Labs");
        ((JsonObject)project.Array("upstream")[0]!)["name"] = "Teacher-7B";
        project.Write();

        var findings = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root }).Diagnostics.Where(d => d.Code == "MGP7001").ToList();

        Assert.Equal(used is null ? [] : [$"\"{used}\""], findings.Select(d => d.Message.Split(" uses ")[1].Split(", the name")[0]).ToList());
    }

    [Theory]
    [InlineData("Meta", true)]
    [InlineData("Acme", true)]
    [InlineData("Big", false)]
    [InlineData("meta", false)]
    [InlineData("The", false)]
    [InlineData("Theory", true)]
    public void Distinctive_first_words(string word, bool distinctive) => Assert.Equal(distinctive, Rules.LicensorNames.DistinctiveFirstWord(word));

    [Theory]
    [InlineData('智', true)]
    [InlineData('ひ', true)]
    [InlineData('カ', true)]
    [InlineData('한', true)]
    [InlineData('㐀', true)]
    [InlineData('豈', true)]
    [InlineData('A', false)]
    [InlineData('é', false)]
    [InlineData('ก', false)]
    [InlineData('\u303F', false)] // each range's ends, and the characters beside them
    [InlineData('\u3040', true)]
    [InlineData('\u30FF', true)]
    [InlineData('\u3100', false)]
    [InlineData('\u33FF', false)]
    [InlineData('\u4DBF', true)]
    [InlineData('\u4DC0', false)]
    [InlineData('\u4E00', true)]
    [InlineData('\u9FFF', true)]
    [InlineData('\uA000', false)]
    [InlineData('\uABFF', false)]
    [InlineData('\uAC00', true)]
    [InlineData('\uD7AF', true)]
    [InlineData('\uD7B0', false)]
    [InlineData('\uF8FF', false)]
    [InlineData('\uFAFF', true)]
    [InlineData('\uFB00', false)]
    public void Scripts_written_without_spaces(char c, bool unspaced) => Assert.Equal(unspaced, Rules.LicensorNames.IsUnspaced(c));

    [Fact]
    public void A_card_without_a_title_has_no_headline()
    {
        using var project = Project("Teacher-7B by Acme Labs, made small.\n");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root });

        Assert.Empty(result.Diagnostics);
    }

    // No licensor declared, or one that is a legal form alone, is nothing to check.
    [Theory]
    [InlineData(null)]
    [InlineData(", Inc.")]
    public void No_licensor_is_nothing_to_check(string? licensor)
    {
        using var project = Project("# Acme Labs Tiny\n\nBy Acme Labs, Inc.\n", licensor);

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, PublicityTexts = new Dictionary<string, string> { ["PackageTags"] = "inc;acme" } });

        Assert.Empty(result.Diagnostics);
    }
}
