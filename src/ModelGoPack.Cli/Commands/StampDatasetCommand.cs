using System.CommandLine;
using System.Globalization;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack stamp-dataset</c>: write modelgo-dataset.json into a dataset's folder, naming the model whose Output it holds.</summary>
internal static class StampDatasetCommand
{
    public static Command Create(Host host)
    {
        var dataset = new Argument<string>("DIR") { Description = "The dataset's folder." };
        Usage.RefuseForeignPath(dataset);
        var options = new Options(
            new Option<string>("--generator") { Description = "The name of the model whose Output the dataset holds.", Required = true },
            new Option<string?>("--generator-version") { Description = "Its version." },
            new Option<string?>("--generator-url") { Description = "Where it is published." },
            new Option<string>("--generator-license") { Description = "Its license.", DefaultValueFactory = _ => "MG-BY-SA-2.0" },
            new Option<string?>("--generator-licensor") { Description = "Who licenses it." },
            new Option<string?>("--created") { Description = "When the dataset was generated (yyyy-MM-dd)." },
            new Option<string?>("--description") { Description = "What the dataset is." },
            new Option<bool>("--force") { Description = "Replace an existing stamp." });
        var stamp = new Command("stamp-dataset", "Write modelgo-dataset.json into a dataset's folder, naming the model whose Output it holds.")
        {
            dataset, options.Generator, options.GeneratorVersion, options.GeneratorUrl, options.GeneratorLicense, options.GeneratorLicensor, options.Created, options.Description, options.Force,
        };
        stamp.SetAction(parse => Run(parse, dataset, options, host.Stdout));
        return stamp;
    }

    private static int Run(ParseResult parse, Argument<string> dataset, Options options, TextWriter stdout)
    {
        var diagnostics = new DiagnosticBag();
        DateOnly? date = null;
        if (parse.GetValue(options.Created) is { } text)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                date = parsed;
            }
            else
            {
                diagnostics.Add(Messages.StampCreatedNotADate.With(text));
            }
        }

        var path = diagnostics.HasErrors ? null : new DatasetStamp
        {
            GeneratorName = parse.GetValue(options.Generator)!.Trim(),
            GeneratorVersion = parse.GetValue(options.GeneratorVersion),
            GeneratorUrl = parse.GetValue(options.GeneratorUrl),
            GeneratorLicense = parse.GetValue(options.GeneratorLicense)!.Trim(),
            GeneratorLicensor = parse.GetValue(options.GeneratorLicensor),
            Created = date,
            Description = parse.GetValue(options.Description),
        }.Write(parse.GetValue(dataset)!, parse.GetValue(options.Force), diagnostics);
        foreach (var d in diagnostics.Items)
        {
            stdout.WriteLine(d.ToString());
        }

        if (path is not null)
        {
            stdout.WriteLine($"Wrote {path}.");
        }

        return diagnostics.ExitCode;
    }

    private sealed record Options(
        Option<string> Generator,
        Option<string?> GeneratorVersion,
        Option<string?> GeneratorUrl,
        Option<string> GeneratorLicense,
        Option<string?> GeneratorLicensor,
        Option<string?> Created,
        Option<string?> Description,
        Option<bool> Force);
}
