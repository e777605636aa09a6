namespace ModelGoPack.Discovery;

/// <summary>A file of the model project: its project-relative path ('/'-separated), full path and size.</summary>
public sealed record ProjectFile(string RelativePath, string FullPath, long Length);
