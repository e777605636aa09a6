using System.CommandLine;
using System.CommandLine.Parsing;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Cli;

/// <summary>
/// The rules that make a usage error a usage error (docs/cli.md, "Usage errors"): unknown options, values
/// of options with a fixed set of them, contradictory flags, another system's absolute paths, and where a
/// command finds its project when DIR is not given.
/// </summary>
internal static class Usage
{
    /// <summary>
    /// The tokens before <c>--</c> that look like an option (start with '-') and are none of the command's:
    /// System.CommandLine would take one as the DIR argument, or leave it unmatched. A value given to an option
    /// (<c>--description -x</c>) is that option's, and a token after <c>--</c> is an argument whatever it looks like.
    /// </summary>
    public static IReadOnlyList<string> UnknownOptions(ParseResult parse)
    {
        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (SymbolResult? command = parse.CommandResult; command is not null; command = command.Parent)
        {
            if (command is CommandResult result)
            {
                foreach (var option in result.Children.OfType<OptionResult>())
                {
                    optionValues.UnionWith(option.Tokens);
                }
            }
        }

        var unknown = new List<string>();
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !optionValues.Contains(token))
            {
                unknown.Add(token.Value);
            }
        }

        return unknown;
    }

    /// <summary>"unknown option '--fromat'; did you mean '--format'?", the suggestion when one of the command's options is close.</summary>
    public static string UnknownOptionMessage(string token, Command command)
    {
        // --fromat=zip and --fromat:zip name the option before the '=' or ':'.
        var separator = token.IndexOfAny(['=', ':']);
        var name = separator > 0 ? token[..separator] : token;
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options.Where(o => ReferenceEquals(c, command) || o.Recursive))
            {
                names.Add(option.Name);
                names.AddRange(option.Aliases);
            }
        }

        var suggestion = Suggest(name, names);
        return suggestion is null ? $"unknown option '{name}'." : $"unknown option '{name}'; did you mean '{suggestion}'?";
    }

    /// <summary>
    /// The long option closest to <paramref name="name"/> by edit distance (a transposition counts one), when it
    /// is close: at most one edit for a name of up to five letters, two for a longer one; null otherwise.
    /// </summary>
    internal static string? Suggest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Where(c => c.StartsWith("--", StringComparison.Ordinal)))
        {
            var distance = Distance(name.ToLowerInvariant(), candidate);
            var letters = candidate.Length - 2;
            if (distance <= (letters <= 5 ? 1 : 2) && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The optimal string alignment distance: insertions, deletions, substitutions and transpositions of two neighbours.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>An option whose value is one of <paramref name="values"/>, in any case; a bad value's error lists them.</summary>
    public static Option<string> Choice(string name, string alias, string description, params string[] values)
    {
        var option = new Option<string>(name, alias)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => values[0],
        };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return values[0];
            }

            var text = result.Tokens[^1].Value;
            if (values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)) is { } value)
            {
                return value;
            }

            result.AddError($"'{text}' is not a value of {name}; the accepted values are {string.Join(", ", values)} (in any case).");
            return values[0];
        };
        return option;
    }

    /// <summary>Refuses <paramref name="second"/> given (true) together with <paramref name="first"/>: a contradiction is a usage error.</summary>
    public static void Contradiction(Command command, Option<string?> first, Option<bool> second, string why)
    {
        command.Validators.Add(result =>
        {
            if (result.GetResult(first) is { Implicit: false } && result.GetResult(second) is { Implicit: false } && result.GetValue(second))
            {
                result.AddError($"{first.Name} and {second.Name} contradict each other: {why} Give one of them.");
            }
        });
    }

    /// <summary>Refuses, as MGP8042, a value of <paramref name="option"/> that is an absolute path of another operating system.</summary>
    public static void RefuseForeignPath<T>(Option<T> option) =>
        option.Validators.Add(result =>
        {
            // Every value: a repeatable option (init --upstream) gives several.
            foreach (var token in result.Tokens)
            {
                if (ForeignPathMessage(option.Name, token.Value) is { } message)
                {
                    result.AddError(message);
                    return;
                }
            }
        });

    /// <summary>
    /// Refuses an empty (or blank) value of the path option <paramref name="option"/> as a usage error that names it:
    /// <c>--key ''</c> is a mistake in the command line, not a file that cannot be read.
    /// </summary>
    public static void RefuseEmptyPath(Option<string?> option) =>
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                result.AddError($"{option.Name} was given an empty path: name the {option.HelpName ?? "file"} it takes.");
            }
        });

    /// <summary>Refuses, as MGP8042, a value of <paramref name="argument"/> that is an absolute path of another operating system.</summary>
    public static void RefuseForeignPath<T>(Argument<T> argument) =>
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && ForeignPathMessage(argument.Name, result.Tokens[^1].Value) is { } message)
            {
                result.AddError(message);
            }
        });

    private static string? ForeignPathMessage(string name, string path) =>
        ForeignPath(path, OperatingSystem.IsWindows()) is { } what
            ? Messages.PathOfAnotherSystem.With(name, path, what).At().ToString()
            : null;

    /// <summary>
    /// What makes <paramref name="path"/> an absolute path of another operating system than the running one, or null.
    /// On Windows, every path is its own (a path rooted in '/' is rooted on the current drive). Elsewhere, Windows's
    /// forms: a drive (<c>C:</c>, <c>C:\out</c>, <c>C:/out</c>), a UNC path (<c>\\server\share</c>) and a path rooted
    /// in a backslash (<c>\out</c>, rooted on the current drive).
    /// </summary>
    internal static string? ForeignPath(string path, bool windows)
    {
        if (windows)
        {
            return null;
        }

        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':' && (path.Length == 2 || path[2] is '\\' or '/'))
        {
            return $"a Windows path on drive {char.ToUpperInvariant(path[0])}:";
        }

        if (path.StartsWith(@"\\", StringComparison.Ordinal))
        {
            return @"a Windows network (UNC) path";
        }

        return path.StartsWith('\\') ? "a Windows path rooted on the current drive" : null;
    }

    /// <summary>
    /// The project folder of a command run without DIR: the current folder when it holds modelgo.json; else the
    /// nearest folder above it that does, as git finds .git, looking no higher than a folder holding .git (the
    /// repository's root, which is looked in) or the file system's root. <paramref name="found"/> is null when
    /// none holds one, and <paramref name="last"/> the highest folder looked in.
    /// </summary>
    public static void FindProject(string start, out string? found, out string last)
    {
        found = null;
        last = start;
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            last = folder.FullName;
            if (File.Exists(Path.Combine(folder.FullName, ModelGoConfig.FileName)))
            {
                found = folder.FullName;
                return;
            }

            if (Path.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return;
            }
        }
    }
}
