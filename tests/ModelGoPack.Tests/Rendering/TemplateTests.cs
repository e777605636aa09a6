using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

/// <summary>The template scenarios, run in process on the JIT build, and the data model's documentation.</summary>
public sealed class TemplateTests : TemplateScenarios
{
    protected override TemplateRun Check(string project, string templates) =>
        TemplateRun.Of(ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project, TemplatesDirectory = templates }));

    protected override TemplateRun Pack(string project, string templates, string output, BundleFormat format) =>
        TemplateRun.Of(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project, TemplatesDirectory = templates }, output, format));

    // Templates get Scriban's built-in objects made on first use (LazyBuiltins): the same names as Scriban's own.
    [Fact]
    public void The_lazy_builtins_hold_every_name_of_Scriban_s_builtins()
    {
        Assert.Equal(
            Scriban.TemplateContext.GetDefaultBuiltinObject().Keys.Order(StringComparer.Ordinal),
            Rendering.LazyBuiltins.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_data_model_in_templates_README_documents_every_variable()
    {
        // Every variable the built-in NOTICE template uses, and every key of the model, is documented.
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "templates", "README.md"));
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "merge").Modification("2026-01-01", "m", "model.safetensors").Write();
        var source = Config.ConfigReader.Read(project.Root, new Diagnostics.DiagnosticBag())!;
        var model = Rendering.TemplateModel.Build(source.Config, [new Rendering.NoticeText("NOTICE", "n", null)], new DateOnly(2026, 1, 1));

        var documented = new List<string>();
        void Walk(string prefix, Scriban.Runtime.ScriptObject scriptObject)
        {
            foreach (var key in scriptObject.Keys)
            {
                var name = prefix.Length == 0 ? key : $"{prefix}.{key}";
                documented.Add(name);
                switch (scriptObject[key])
                {
                    case Scriban.Runtime.ScriptObject child:
                        Walk(name, child);
                        break;
                    case Scriban.Runtime.ScriptArray { Count: > 0 } array when array[0] is Scriban.Runtime.ScriptObject item:
                        Walk(name + "[]", item);
                        break;
                }
            }
        }

        Walk("", model);

        // derivatives[] and extracted[] hold upstream objects; an upstream's notices[] are notice objects.
        documented = documented
            .Select(n => n.Replace("derivatives[].", "upstreams[].", StringComparison.Ordinal).Replace("extracted[].", "upstreams[].", StringComparison.Ordinal))
            .Select(n => n.Replace("upstreams[].notices[].", "notices[].", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains("upstreams[].modifications[].date", documented);
        Assert.All(documented, name => Assert.Contains($"`{name}`", readme, StringComparison.Ordinal));
    }
}

/// <summary>
/// The template scenarios run by the native tool as users install it (<see cref="InstalledTool"/>): Scriban renders
/// the same data model, with the same built-in functions, include and errors, with no reflection or runtime code of its
/// own (Native AOT). The findings are the JSON report of <c>check</c>; a pack's are its exit code and output.
/// </summary>
public sealed class NativeTemplateTests : TemplateScenarios
{
    protected override TemplateRun Check(string project, string templates)
    {
        var (exit, output) = ProcessRunner.Run(ToolProcess.Command, null, new Dictionary<string, string?>(), "check", project, "--templates", templates, "--format", "json", "--no-cache", "--quiet");
        using var report = JsonDocument.Parse(output);
        var findings = report.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => new TemplateFinding(
            d.GetProperty("code").GetString()!,
            Enum.Parse<Severity>(d.GetProperty("severity").GetString()!, ignoreCase: true),
            d.TryGetProperty("path", out var path) ? path.GetString() : null,
            d.TryGetProperty("line", out var line) ? line.GetInt32() : 0,
            d.GetProperty("message").GetString()!)).ToList();
        Assert.Equal(exit, report.RootElement.GetProperty("exitCode").GetInt32());
        return new TemplateRun(exit, findings);
    }

    protected override TemplateRun Pack(string project, string templates, string output, BundleFormat format)
    {
        var check = this.Check(project, templates);
        var name = format switch { BundleFormat.Directory => "dir", BundleFormat.Zip => "zip", _ => throw new ArgumentOutOfRangeException(nameof(format)) };
        var (exit, printed) = ToolProcess.Run(null, "pack", project, "--templates", templates, "--format", name, "--output", output, "--no-cache");
        Assert.All(check.Diagnostics, d => Assert.Contains(d.Code, printed, StringComparison.Ordinal));
        return check with { ExitCode = exit };
    }
}

/// <summary>What a check or pack with templates gave: its exit code and findings.</summary>
public sealed record TemplateRun(int ExitCode, IReadOnlyList<TemplateFinding> Diagnostics)
{
    public bool Compliant => this.ExitCode == 0;

    public static TemplateRun Of(CheckResult result) =>
        new(result.ExitCode, [.. result.Diagnostics.Select(d => new TemplateFinding(d.Code, d.Severity, d.Path, d.Line, d.Message))]);
}

/// <summary>One finding of a <see cref="TemplateRun"/>.</summary>
public sealed record TemplateFinding(string Code, Severity Severity, string? Path, int Line, string Message);

/// <summary>Templates that override the built-in ones: rendering, the data model, include, and template errors.</summary>
public abstract class TemplateScenarios
{
    protected abstract TemplateRun Check(string project, string templates);

    protected abstract TemplateRun Pack(string project, string templates, string output, BundleFormat format);

    [Fact]
    public void Override_by_file_name_replaces_the_built_in_notice()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").Write();
        var templates = Templates(project, "NOTICE.scriban", "Custom notice for {{ project.name }}:{{ for u in extracted }}\n  {{ u.statement }}{{ end }}\n{{ for n in notices }}{{ n.text }}{{ end }}");
        var output = Path.Combine(project.Scratch, "out");

        var result = this.Pack(project.Root, templates, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(
            "Custom notice for tiny-model:\n  tiny-model is an Extracted Model. It was created from Output of the\n  model \"Teacher\" version 2.1 by Teacher Labs (https://example.org/teacher),\n  provided under the ModelGo Attribution-ShareAlike License 2.0,\n  by distillation.\nTeacher\nCopyright 2025 Teacher Labs\n",
            File.ReadAllText(Path.Combine(output, "NOTICE")));
    }

    [Fact]
    public void An_extracted_upstream_has_no_modifications_in_the_data_model_and_a_derivative_has_its_own_and_the_shared_ones()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Upstream("Teacher", "extracted", "distillation").Modification("2026-05-01", "Fine-tuned");
        project.Write();
        var templates = Templates(project, "NOTICE.scriban",
            "{{ for u in upstreams }}{{ u.name }}={{ u.modifications.size }};{{ end }}\n{{ for u in upstreams }}{{ u.statement }}\n{{ end }}{{ for n in notices }}{{ n.text }}{{ end }}");
        var output = Path.Combine(project.Scratch, "out");

        var result = this.Pack(project.Root, templates, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.StartsWith("Base=1;Teacher=0;\n", File.ReadAllText(Path.Combine(output, "NOTICE")), StringComparison.Ordinal);
    }

    // Clauses 2.2(a)(ii) and (iii) ask for statements, not words: a custom template that says "modified" and "Output" in
    // sentences of its own, with every name and date, does not make them (issue 13, point 4).
    [Fact]
    public void A_custom_template_that_words_the_statements_its_own_way_is_MGP2009_and_MGP3004()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Base", "derivative", "fine-tuning").Upstream("Teacher", "extracted", "distillation").Modification("2026-05-01", "Fine-tuned");
        project.Write();
        var templates = Templates(project, "NOTICE.scriban",
            "{{ project.name }}. Output of this model may be wrong.{{ for u in upstreams }} We thank {{ u.name }}; modified on {{ for m in u.modifications }}{{ m.date }}{{ end }}.{{ end }}\n{{ for n in notices }}{{ n.text }}{{ end }}");

        var result = this.Check(project.Root, templates);

        Assert.Equal(["MGP2009", "MGP3004"], result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Code));
        Assert.All(result.Diagnostics.Where(d => d.Severity == Severity.Error), d => Assert.Contains(Path.Combine(templates, "NOTICE.scriban"), d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_override_that_drops_an_upstream_notice_is_MGP4004()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").Write();
        var templates = Templates(project, "NOTICE.scriban", "{{ project.name }}: all notices omitted for brevity.{{ for u in extracted }}\n{{ u.statement }}{{ end }}\n");

        var result = this.Check(project.Root, templates);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("MGP4004", "upstream/Teacher/NOTICE"), (d.Code, d.Path));
        Assert.Contains(Path.Combine(templates, "NOTICE.scriban"), d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ project.nme }}", "nme")]
    [InlineData("{{ no_such_variable }}", "no_such_variable")]
    [InlineData("{{ for x in project.copyright }}", "end")]
    [InlineData("{{ include '../../etc/passwd' }}", "not allowed")]
    [InlineData("{{ include 'missing' }}", "no such template")]
    public void Template_errors_and_undefined_variables_fail_the_run_with_MGP8007(string template, string fragment)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var templates = Templates(project, "NOTICE.scriban", "line one\n" + template + "\n");
        var output = Path.Combine(project.Scratch, "out.zip");

        var result = this.Pack(project.Root, templates, output, BundleFormat.Zip);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("MGP8007", d.Code);
        Assert.Equal(Path.Combine(templates, "NOTICE.scriban"), d.Path);
        Assert.Equal(2, d.Line);
        Assert.Contains(fragment, d.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Include_of_a_partial_in_the_templates_folder_works()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var templates = Templates(project, "_header.scriban", "HEADER {{ project.version }}");
        File.WriteAllText(Path.Combine(templates, "NOTICE.scriban"), "{{ include '_header' }}\n");
        var output = Path.Combine(project.Scratch, "out");

        var result = this.Pack(project.Root, templates, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal("HEADER 1.0.0\n", File.ReadAllText(Path.Combine(output, "NOTICE")));
    }

    // One of Scriban's built-in functions from each of its objects, as the native tool must render them too: Scriban
    // finds them by reflection, which trimming breaks unless they are kept (src/ModelGoPack.Cli/TrimmerRoots.xml).
    [Theory]
    [InlineData("project.name | string.upcase", "TINY-MODEL")]
    [InlineData("project.version | string.replace '.' '-'", "1-0-0")]
    [InlineData("project.name | string.truncate 5 '~'", "tiny~")]
    [InlineData("['b', 'c', 'a'] | array.sort | array.join ','", "a,b,c")]
    [InlineData("6 | math.times 7", "42")]
    [InlineData("3.7 | math.floor", "3")]
    [InlineData("project | object.has_key 'license'", "true")]
    [InlineData("project.copyright | object.typeof", "array")]
    [InlineData("'<b>' | html.escape", "&lt;b&gt;")]
    [InlineData("'2026-01-02' | date.parse | date.to_string '%Y'", "2026")]
    [InlineData("timespan.from_days 2 | object.format 'c'", "2.00:00:00")]
    [InlineData("'a1b2' | regex.replace '[0-9]' '#'", "a#b#")]
    [InlineData("{ a: 1, b: [true, null, 'x', 2.5] } | object.to_json", "{\"a\":1,\"b\":[true,null,\"x\",2.5]}")]
    [InlineData("project.copyright | object.to_json", "[\"Copyright 2026 Example Lab\"]")]
    [InlineData("[3000000000, 7 / 2, '\"'] | object.to_json", "[3000000000,3.5,\"\\u0022\"]")]
    public void Built_in_functions_render_as_Scriban_documents_them(string expression, string rendered)
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var templates = Templates(project, "NOTICE.scriban", "{{ " + expression + " }}\n");
        var output = Path.Combine(project.Scratch, "out");

        var result = this.Pack(project.Root, templates, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal(rendered + "\n", File.ReadAllText(Path.Combine(output, "NOTICE")));
    }

    [Fact]
    public void A_misnamed_override_is_a_warning_and_a_missing_folder_an_error()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var templates = Templates(project, "NOTCE.scriban", "typo");

        var warned = this.Check(project.Root, templates);
        var missing = this.Check(project.Root, Path.Combine(project.Scratch, "nope"));

        var d = Assert.Single(warned.Diagnostics);
        Assert.Equal(("MGP8014", Severity.Warning), (d.Code, d.Severity));
        Assert.Equal("MGP8013", Assert.Single(missing.Diagnostics).Code);
    }

    private static string Templates(ModelProjectBuilder project, string name, string content)
    {
        var folder = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), content);
        return folder;
    }
}
