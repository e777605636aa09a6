using ModelGoPack.Cli;

return await CommandLineApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected).ConfigureAwait(false);
