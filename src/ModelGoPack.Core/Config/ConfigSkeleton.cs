using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelGoPack.Diagnostics;
using NuGet.Packaging;
using ModelGoPack.Releases;

namespace ModelGoPack.Config;

/// <summary>
/// Writes <c>modelgo.json</c> skeletons for <c>init</c>: every key with a comment taken from the JSON
/// schema's description, so that the skeleton and the schema never disagree.
/// </summary>
public static partial class ConfigSkeleton
{
    // Characters as they are: a copyright line's "©" or an upstream's name stays readable in the file.
    // Strings as JSON literals with only what JSON requires escaped (the skeleton is read by people).
    private static readonly ConfigJson JsonStrings = new(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The JSON schema of modelgo.json, as shipped in the tool.</summary>
    public static string Schema { get; } = ReadSchema();

    /// <summary>
    /// Writes a skeleton into <paramref name="projectDirectory"/>, filled with what the project already says (its model
    /// card, copyright lines, base models, upstream notices, and the releases <paramref name="releases"/> names) and a
    /// <c>// TODO:</c> line above each key a person must still fill in or confirm. Never overwrites an existing config,
    /// and judges nothing: <c>check</c> does.
    /// </summary>
    public static InitResult? Write(string projectDirectory, DiagnosticBag diagnostics, IReadOnlyList<string>? releases = null)
    {
        if (string.IsNullOrWhiteSpace(projectDirectory) || ProjectPath.HasControlCharacters(projectDirectory))
        {
            diagnostics.Add(Messages.ProjectPathUnusable.With(ProjectPath.Printable(projectDirectory)));
            return null;
        }

        var root = Path.GetFullPath(projectDirectory);
        if (!Directory.Exists(root))
        {
            diagnostics.Add(Messages.ProjectNotAFolder.With(projectDirectory), root);
            return null;
        }

        var path = Path.Combine(root, ModelGoConfig.FileName);
        if (File.Exists(path))
        {
            diagnostics.Add(Messages.ConfigExists.With(path), ModelGoConfig.FileName);
            return null;
        }

        Survey survey;
        try
        {
            survey = ProjectSurvey.Read(root, releases ?? []);
        }
        catch (ReleaseException e)
        {
            diagnostics.Add(Messages.InitReleaseProblemFor(e.Code).With(ProjectPath.Printable(e.File), e.Message), e.File);
            return null;
        }

        var (text, todos) = Render(survey);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(Encoding.UTF8.GetBytes(text));
            return new InitResult(path, survey.Filled, todos, survey.Note);
        }
        catch (IOException) when (File.Exists(path))
        {
            diagnostics.Add(Messages.ConfigExists.With(path), ModelGoConfig.FileName);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Messages.ConfigNotWritten.With(path, e.Message), ModelGoConfig.FileName);
            return null;
        }
    }

    /// <summary>The skeleton's text for a project folder named <paramref name="folderName"/> that says nothing of itself.</summary>
    public static string Render(string folderName) =>
        Render(new Survey(folderName, null, [], [], [], null)).Text;

    /// <summary>The skeleton's text for what a project says, and the TODOs in it (1-based line, what is needed).</summary>
    internal static (string Text, IReadOnlyList<(int Line, string What)> Todos) Render(Survey survey)
    {
        using var schema = JsonDocument.Parse(Schema);
        var properties = schema.RootElement.GetProperty("properties");
        var upstreamSchema = schema.RootElement.GetProperty("$defs").GetProperty("upstream").GetProperty("properties");
        var modification = schema.RootElement.GetProperty("$defs").GetProperty("modification").GetProperty("properties");
        var text = new StringBuilder();
        var todos = new List<(int Line, string What)>();
        void Doc(JsonElement props, string key, string indent) =>
            text.Append(CultureInfo.InvariantCulture, $"{indent}// {props.GetProperty(key).GetProperty("description").GetString()}\n");
        void Todo(string indent, string what)
        {
            what = Comment(what);
            todos.Add((text.ToString().Count(c => c == '\n') + 1, what));
            text.Append(CultureInfo.InvariantCulture, $"{indent}// TODO: {what}\n");
        }

        static string Json(string value) => JsonSerializer.Serialize(value, JsonStrings.String);

        // Text from the project inside a // comment: a line break would end it, and a separator or a bidirectional
        // control is refused by the JSON reader or by check; each such character shows as '?'.
        static string Comment(string text) => string.Concat(text.Select(c => ProjectSurvey.Unreadable(c) ? '?' : c));

        text.Append("// modelgo.json: ModelGoPack's config for this model project. Reference: ModelGoPack's docs/configuration.md.\n");
        text.Append("// `modelgopack init` filled in what the project says of itself; fill in each TODO, then run `modelgopack check`.\n");
        text.Append("{\n");
        Doc(properties, "name", "  ");
        text.Append(CultureInfo.InvariantCulture, $"  \"name\": {Json(PackageName(survey.Name))},\n");
        Doc(properties, "version", "  ");
        if (survey.Version is null)
        {
            Todo("  ", "the version of this release (1.0.0 is a placeholder).");
        }

        text.Append(CultureInfo.InvariantCulture, $"  \"version\": {Json(survey.Version ?? "1.0.0")},\n");
        Doc(properties, "license", "  ");
        text.Append("  \"license\": \"MG-BY-SA-2.0\",\n");
        Doc(properties, "copyright", "  ");
        if (survey.Copyright.Count == 0)
        {
            Todo("  ", "your copyright line, such as \"Copyright 2026 Example Lab\" (none was found in README.md or LICENSE).");
            text.Append("  \"copyright\": [],\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  \"copyright\": [{string.Join(", ", survey.Copyright.Select(Json))}],\n");
        }

        Doc(properties, "upstream", "  ");
        Todo("  ", "if this model was distilled from another model, or trained on data another model generated, add that model (the teacher) with \"relation\": \"extracted\" and a \"method\" (the model card has no field for it); otherwise delete this line.");
        if (survey.Upstreams.Count == 0)
        {
            text.Append("  // Example of one entry:\n");
            foreach (var (key, value) in new[] { ("name", "\"Teacher-7B\""), ("version", "\"2.1\""), ("url", "\"https://example.org/teacher-7b\""), ("license", "\"MG-BY-SA-2.0\""), ("licensor", "\"Teacher Labs\""), ("relation", "\"extracted\""), ("method", "\"distillation\""), ("notices", "[\"upstream/NOTICE\"]") })
            {
                Doc(upstreamSchema, key, "  //   ");
                text.Append(CultureInfo.InvariantCulture, $"  //   \"{key}\": {value},\n");
            }

            text.Append("  \"upstream\": [],\n");
        }
        else
        {
            text.Append("  \"upstream\": [\n");
            for (var i = 0; i < survey.Upstreams.Count; i++)
            {
                var upstream = survey.Upstreams[i];
                text.Append(CultureInfo.InvariantCulture, $"    // From {Comment(upstream.Source)}.\n");
                text.Append("    {\n");
                text.Append(CultureInfo.InvariantCulture, $"      \"name\": {Json(upstream.Name)},\n");
                if (upstream.Version is null)
                {
                    Todo("      ", "the upstream's version, as its licensor publishes it.");
                    text.Append("      // \"version\": \"\",\n");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"      \"version\": {Json(upstream.Version)},\n");
                }

                if (upstream.Url is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $"      \"url\": {Json(upstream.Url)},\n");
                }

                if (upstream.License is null)
                {
                    Todo("      ", "confirm the upstream's license: MG-BY-SA-2.0 is assumed (another one is warning MGP6002).");
                }

                text.Append(CultureInfo.InvariantCulture, $"      \"license\": {Json(upstream.License ?? "MG-BY-SA-2.0")},\n");
                if (upstream.Licensor is null)
                {
                    Todo("      ", "who licenses the upstream model, as its NOTICE or model card names them.");
                    text.Append("      // \"licensor\": \"\",\n");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"      // Its release's first copyright line: confirm it names the licensor.\n      \"licensor\": {Json(upstream.Licensor)},\n");
                }
                if (upstream.Relation is null)
                {
                    Todo("      ", $"\"derivative\" if you modified the upstream (fine-tuning, merging, quantizing), \"extracted\" if you made this model from its Output (distillation, synthetic data){(upstream.RelationNote is { } why ? $"; {why}" : "")}.");
                    text.Append("      \"relation\": \"TODO\",\n");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"      // {Comment(upstream.RelationNote!)}.\n");
                    text.Append(CultureInfo.InvariantCulture, $"      \"relation\": {Json(upstream.Relation)},\n");
                    text.Append(CultureInfo.InvariantCulture, $"      \"method\": {Json(upstream.Method!)},\n");
                }

                if (upstream.Bundle is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $"      \"bundle\": {Json(upstream.Bundle)},\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"      \"notices\": [{string.Join(", ", upstream.Notices.Select(Json))}]\n");
                text.Append(i == survey.Upstreams.Count - 1 ? "    }\n" : "    },\n");
            }

            text.Append("  ],\n");
        }

        Doc(properties, "modifications", "  ");
        if (survey.Upstreams.Any(u => u.Relation == "derivative"))
        {
            Todo("  ", "what you changed in the upstream, and when: one dated entry each (clause 2.2(a)(ii)).");
        }

        text.Append("  // Example of one entry:\n");
        foreach (var (key, value) in new[] { ("date", "\"2026-05-01\""), ("description", "\"Fine-tuned on X\""), ("paths", "[\"model.safetensors\"]") })
        {
            Doc(modification, key, "  //   ");
            text.Append(CultureInfo.InvariantCulture, $"  //   \"{key}\": {value},\n");
        }

        text.Append("  \"modifications\": [],\n");
        Doc(properties, "include", "  ");
        text.Append("  \"include\": [\"**/*\"],\n");
        Doc(properties, "exclude", "  ");
        text.Append("  \"exclude\": []\n");
        text.Append("}\n");
        return (text.ToString(), todos);
    }

    private static string PackageName(string folderName)
    {
        var name = InvalidIdCharacters().Replace(folderName, "-").Trim('-', '.', '_');
        if (name.Length > PackageIdValidator.MaxPackageIdLength)
        {
            name = name[..PackageIdValidator.MaxPackageIdLength].Trim('-', '.', '_');
        }

        return PackageIdValidator.IsValidPackageId(name) ? name : "my-model";
    }

    private static string ReadSchema()
    {
        using var stream = typeof(ConfigSkeleton).Assembly.GetManifestResourceStream("ModelGoPack.Schema.modelgo.schema.json")
            ?? throw new InvalidOperationException("The embedded modelgo.json schema is missing from ModelGoPack.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex InvalidIdCharacters();
}

/// <summary>What <c>init</c> wrote: the config's path, what it filled in and from where, and each TODO left (line, what).</summary>
public sealed record InitResult(string Path, IReadOnlyList<string> Filled, IReadOnlyList<(int Line, string What)> Todos, string? Note);
