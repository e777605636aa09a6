using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;

namespace ModelGoPack.Tasks;

/// <summary>
/// The MSBuild task <c>PackModel</c>: evaluates a model project against MG-BY-SA-2.0 and writes its bundle. A
/// thin adapter: <see cref="TaskRequest"/> passes MSBuild's values to a Core request, <see cref="DiagnosticLogger"/>
/// maps findings to MSBuild errors and warnings, and <see cref="PackState"/> lets an up-to-date build reuse the last
/// run's outputs without rendering or hashing again. Its old name, <see cref="ModelGoPack"/>, still works.
/// </summary>
public class PackModel : Microsoft.Build.Utilities.Task
{
    /// <summary>The model project's root folder.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>A folder for generated files (LICENSE, NOTICE, manifest, state), usually obj/modelgo/.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = "";

    /// <summary>The project file that diagnostics about MSBuild-supplied values name (default: the file calling the task).</summary>
    public string? ProjectFile { get; set; }

    /// <summary>The folder the bundle is written to; empty to check only.</summary>
    public string? BundleDirectory { get; set; }

    /// <summary>An exact bundle path; overrides <see cref="BundleDirectory"/>.</summary>
    public string? BundlePath { get; set; }

    /// <summary><c>zip</c> (default) or <c>dir</c>.</summary>
    public string? BundleFormat { get; set; }

    public string? TemplatesDirectory { get; set; }

    /// <summary><c>true</c> to hash upstream files a release records digests for, as <c>--verify-upstream</c>.</summary>
    public bool VerifyUpstream { get; set; }

    /// <summary><c>true</c> to put the bundle's CycloneDX BOM into it (and the .nupkg), as <c>pack --bom</c>.</summary>
    public bool Bom { get; set; }

    public string? SourceDateEpoch { get; set; }

    // Config values (MSBuild wins over modelgo.json, key by key).
    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? License { get; set; }

    public string? Copyright { get; set; }

    public string? ReleaseDate { get; set; }

    public string? Include { get; set; }

    public string? Exclude { get; set; }

    public ITaskItem[] Upstream { get; set; } = [];

    public ITaskItem[] Modifications { get; set; } = [];

    // NuGet facts used when modelgo.json does not set the key.
    public string? PackageId { get; set; }

    public string? PackageVersion { get; set; }

    public string? PackageCopyright { get; set; }

    // What the package is published with, checked for upstream licensors' names (Section 2.3).
    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? PackageTags { get; set; }

    // NuGet license metadata, checked for a clash with the MG-BY-SA-2.0 license file.
    public string? PackageLicenseExpression { get; set; }

    public string? PackageLicenseFile { get; set; }

    /// <summary>Put weight files inside the .nupkg too (small models only).</summary>
    public bool PackWeights { get; set; }

    /// <summary>Folders and files never part of the model (bin/, obj/, the package output, the .nupkg).</summary>
    public string[] ExcludedPaths { get; set; } = [];

    /// <summary>Reuse the last run's outputs when its inputs' fingerprint is unchanged and its bundle is as written.</summary>
    public bool ReuseState { get; set; }

    public bool TreatWarningsAsErrors { get; set; }

    public string? WarningsNotAsErrors { get; set; }

    public string? NoWarn { get; set; }

    /// <summary>The bundle written (or reused).</summary>
    [Output]
    public string? Bundle { get; private set; }

    /// <summary>Files for the .nupkg, each with <c>PackagePath</c> metadata.</summary>
    [Output]
    public ITaskItem[] PackageFiles { get; private set; } = [];

    /// <summary>The model card (README.md) for PackageReadmeFile, when the project has one.</summary>
    [Output]
    public string? Readme { get; private set; }

    /// <summary>Every file this task wrote, for FileWrites (clean).</summary>
    [Output]
    public ITaskItem[] FileWrites { get; private set; } = [];

    public override bool Execute()
    {
        try
        {
            return this.Run();
        }
#pragma warning disable CA1031 // The last resort: MSBuild shows a coded error, never MSB4018 with a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            this.Logger().Log([Messages.UncaughtException.With(e.GetType().Name, e.Message).At()], this.ProjectDirectory);
            return false;
        }
    }

    private bool Run()
    {
        var logger = this.Logger();
        logger.LogHost();
        var mapped = TaskRequest.Map(this, logger);
        if (mapped is null)
        {
            return false;
        }

        var (request, output, format) = mapped.Value;
        if (output is null)
        {
            CheckResult checkResult;
            using (this.ReportProgress(request.Progress!))
            {
                checkResult = ModelGoPackEngine.Check(request);
            }

            logger.Log(checkResult.Diagnostics, request.ProjectDirectory);
            return !this.Log.HasLoggedErrors;
        }

        // Up to date: same inputs (by fingerprint: file metadata, config, MSBuild values, templates, output)
        // and the bundle as it was written. Then nothing is rendered or hashed; the findings are replayed.
        var statePath = PackState.Path(this.IntermediateDirectory);
        var fingerprint = ModelGoPackEngine.Fingerprint(request, output, format) is { } f ? $"{f}|weights={this.PackWeights}" : null;
        if (this.ReuseState && fingerprint is not null && PackState.Load(statePath) is { } previous
            && previous.Fingerprint == fingerprint && previous.Bundle == output && previous.IsIntact())
        {
            logger.Message(MessageImportance.Normal, "ModelGoPack: {0} is up to date.", previous.Bundle);
            logger.Log(previous.Replay(), request.ProjectDirectory);
            this.SetOutputs(previous);
            return !this.Log.HasLoggedErrors;
        }

        PackResult result;
        using (this.ReportProgress(request.Progress!))
        {
            result = ModelGoPackEngine.Pack(request, output, format);
        }

        logger.Log(result.Diagnostics, request.ProjectDirectory);
        if (result.OutputPath is null || this.Log.HasLoggedErrors)
        {
            return false;
        }

        var written = PackState.Write(statePath, result, fingerprint, this.PackWeights);
        logger.Message(MessageImportance.High, "ModelGoPack: {0} -> {1}", result.Config!.Name, result.OutputPath);
        this.SetOutputs(written);
        return !this.Log.HasLoggedErrors;
    }

    /// <summary>Logs findings under the project's warning settings, naming the project file (default: the file calling the task).</summary>
    private DiagnosticLogger Logger() =>
        new(this.Log, this.TreatWarningsAsErrors, this.NoWarn, this.WarningsNotAsErrors, string.IsNullOrEmpty(this.ProjectFile) ? this.BuildEngine.ProjectFileOfTaskNode : this.ProjectFile);

    /// <summary>How often progress is logged; tests shorten it.</summary>
    internal static TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Logs how far hashing and packing are, every few seconds, as low-importance messages (shown with -v:d).</summary>
    private ProgressLog ReportProgress(ProgressCounter progress) => new(new Timer(
        _ =>
        {
            if (progress.Phase.Length > 0 && progress.BytesTotal > 0)
            {
                this.Log.LogMessage(MessageImportance.Low, "ModelGoPack: {0} {1:N0} of {2:N0} bytes ({3:0}%)", progress.Phase, progress.BytesDone, progress.BytesTotal, 100.0 * progress.BytesDone / progress.BytesTotal);
            }
        },
        null,
        ProgressInterval,
        ProgressInterval));

    /// <summary>Stops the progress timer and waits for a message being logged, so that none comes after the task returns.</summary>
    private sealed class ProgressLog(Timer timer) : IDisposable
    {
        public void Dispose()
        {
            using var stopped = new ManualResetEvent(false);
            if (timer.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }
    }

    private void SetOutputs(PackState state)
    {
        this.Bundle = state.Bundle;
        this.Readme = state.Readme;
        this.PackageFiles = state.PackageFiles.Select(f =>
        {
            var item = new TaskItem(f.Source);
            item.SetMetadata("PackagePath", f.PackagePath);
            return (ITaskItem)item;
        }).ToArray();
        this.FileWrites = state.Written.Select(p => (ITaskItem)new TaskItem(p)).ToArray();
    }
}
