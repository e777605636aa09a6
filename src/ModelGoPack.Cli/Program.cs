using System.Runtime.InteropServices;
using ModelGoPack.Cli;

// Ctrl+C and SIGTERM cancel the run: the partial bundle and temporary files are removed and the exit code
// is 130. A second signal terminates at once.
using var interrupted = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    if (!interrupted.IsCancellationRequested)
    {
        context.Cancel = true;
        interrupted.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
await using var stdoutBytes = Console.OpenStandardOutput();
return await CommandLineApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected, stdoutBytes, interrupted.Token).ConfigureAwait(false);
