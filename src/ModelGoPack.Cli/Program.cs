using ModelGoPack.Cli;

return await CommandLineApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable).ConfigureAwait(false);
