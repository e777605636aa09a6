using System.CommandLine;
using ModelGoPack.Config;

namespace ModelGoPack.Cli.Commands;

/// <summary><c>modelgopack inspect</c>: list every file of the project with its role and what its header says.</summary>
internal static class InspectCommand
{
    public static Command Create(ProjectOptions options, Host host)
    {
        var format = Usage.Choice("--format", "-f", "The listing's form: text or json.", "text", "json");
        var inspect = new Command("inspect", "List every file of the project with its role (weights, architecture, tokenizer, code, docs, notice, data, other) and what its header says.")
        {
            options.Project, format,
        };
        inspect.SetAction((parse, cancellationToken) => Task.FromResult(Run(parse, options, format, host, cancellationToken)));
        return inspect;
    }

    private static int Run(ParseResult parse, ProjectOptions options, Option<string> format, Host host, CancellationToken cancellationToken)
    {
        var stdout = host.Stdout;
        var directory = options.Find(parse, host).Directory;
        var result = ModelGoPackEngine.Inspect(new ProjectRequest { ProjectDirectory = directory }, cancellationToken);
        if (parse.GetValue(format) == "json")
        {
            // inspect lists files and judges no obligation: its report carries no verdict, and says why.
            var configured = File.Exists(Path.Combine(directory, ModelGoConfig.FileName));
            Report.WriteJson(stdout, result.Diagnostics, result.Artifacts, notEvaluated: configured
                ? "inspect lists the files and what their headers say, and does not evaluate the license obligations; run check for a verdict."
                : $"The folder holds no {ModelGoConfig.FileName}, so it is no model project to evaluate; inspect lists its files. Run modelgopack init, then check, for a verdict.");
        }
        else
        {
            Report.WriteArtifacts(stdout, result.Artifacts);
            foreach (var d in result.Diagnostics)
            {
                stdout.WriteLine(d.ToString());
            }
        }

        return result.ExitCode;
    }
}
