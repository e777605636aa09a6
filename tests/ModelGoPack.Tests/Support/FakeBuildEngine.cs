using System.Collections;
using Microsoft.Build.Framework;

namespace ModelGoPack.Tests.Support;

/// <summary>A build engine that records what a task logs, as SourceLink's MockEngine does.</summary>
public sealed class FakeBuildEngine(string projectFile) : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode { get; } = projectFile;

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e) => this.Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        // The task logs progress from a timer thread.
        lock (this.Messages)
        {
            this.Messages.Add(e);
        }
    }

    public void LogWarningEvent(BuildWarningEventArgs e) => this.Warnings.Add(e);
}
