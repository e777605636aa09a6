using ModelGoPack.Emit;
using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests;

public sealed class TemplateTests
{
    [Fact]
    public void Override_by_file_name_replaces_the_built_in_notice()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").Write();
        var templates = Templates(project, "NOTICE.scriban", "Custom notice for {{ project.name }}:{{ for u in extracted }}\n  {{ u.statement }}{{ end }}\n{{ for n in notices }}{{ n.text }}{{ end }}");
        var output = Path.Combine(project.Scratch, "out");

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, BundleFormat.Directory);

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

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, BundleFormat.Directory);

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

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates });

        Assert.Equal(["MGP2009", "MGP3004"], result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Code));
        Assert.All(result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error), d => Assert.Contains(Path.Combine(templates, "NOTICE.scriban"), d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_override_that_drops_an_upstream_notice_is_MGP4004()
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").Write();
        var templates = Templates(project, "NOTICE.scriban", "{{ project.name }}: all notices omitted for brevity.{{ for u in extracted }}\n{{ u.statement }}{{ end }}\n");

        var result = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates });

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

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, BundleFormat.Zip);

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

        var result = ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates }, output, BundleFormat.Directory);

        Assert.True(result.Compliant, string.Join("\n", result.Diagnostics));
        Assert.Equal("HEADER 1.0.0\n", File.ReadAllText(Path.Combine(output, "NOTICE")));
    }

    [Fact]
    public void A_misnamed_override_is_a_warning_and_a_missing_folder_an_error()
    {
        using var project = new ModelProjectBuilder();
        project.Write();
        var templates = Templates(project, "NOTCE.scriban", "typo");

        var warned = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = templates });
        var missing = ModelGoPackEngine.Check(new ProjectRequest { ProjectDirectory = project.Root, TemplatesDirectory = Path.Combine(project.Scratch, "nope") });

        var d = Assert.Single(warned.Diagnostics);
        Assert.Equal(("MGP8014", Diagnostics.Severity.Warning), (d.Code, d.Severity));
        Assert.Equal("MGP8013", Assert.Single(missing.Diagnostics).Code);
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

    private static string Templates(ModelProjectBuilder project, string name, string content)
    {
        var folder = Path.Combine(project.Scratch, "templates");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), content);
        return folder;
    }
}
