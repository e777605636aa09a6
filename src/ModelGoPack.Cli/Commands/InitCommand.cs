using System.CommandLine;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Cli.Commands;

/// <summary>
/// <c>modelgopack init</c>: write modelgo.json, filled with what the project says of itself. Writes into the folder it
/// is given, or the current one; never searches above, judges nothing, never overwrites a config.
/// </summary>
internal static class InitCommand
{
    public static Command Create(Host host)
    {
        var project = new Argument<string>("DIR")
        {
            Description = "The folder to write modelgo.json into (default: the current folder).",
            DefaultValueFactory = _ => ".",
        };
        Usage.RefuseForeignPath(project);
        var upstreams = new Option<string[]>("--upstream")
        {
            Description = "A downloaded release of an upstream model (a folder, Hub cache snapshot, .zip or .tar.gz) to fill an upstream entry from; repeatable.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        Usage.RefuseForeignPath(upstreams);
        var init = new Command("init", "Write modelgo.json, filled with what the project says of itself (model card, copyright lines, base models, upstream notices), with a TODO at each key still to fill in. Judges nothing; never overwrites a config.")
        {
            project,
            upstreams,
        };
        init.SetAction(parse => Run(parse, project, upstreams, host.Stdout));
        return init;
    }

    private static int Run(ParseResult parse, Argument<string> project, Option<string[]> upstreams, TextWriter stdout)
    {
        var directory = parse.GetValue(project)!;
        var diagnostics = new DiagnosticBag();
        var result = ConfigSkeleton.Write(directory, diagnostics, parse.GetValue(upstreams) ?? []);
        if (result is null)
        {
            Report.WriteText(stdout, directory, diagnostics.Items, verdict: false);
            stdout.WriteLine("Nothing was written.");
            return diagnostics.ExitCode;
        }

        // init judges nothing: it says what it wrote and what is left to fill in, never a verdict.
        stdout.WriteLine($"Wrote {result.Path}.");
        foreach (var filled in result.Filled)
        {
            stdout.WriteLine($"  filled: {filled}");
        }

        if (result.Note is { } note)
        {
            stdout.WriteLine($"  note: {note}");
        }

        foreach (var (line, what) in result.Todos)
        {
            stdout.WriteLine($"  TODO {ModelGoConfig.FileName}:{line}: {what}");
        }

        stdout.WriteLine($"Fill in its {result.Todos.Count} TODO{(result.Todos.Count == 1 ? "" : "s")}, then run: modelgopack check {directory}");
        return ExitCodes.Success;
    }
}
