using System.Runtime.InteropServices;

namespace ModelGoPack.Tests.Support;

/// <summary>
/// The tool as users get it: ModelGoPack.Cli packed into the local feed and installed from there with
/// <c>dotnet tool install</c> into a private tool path, once per test run. On linux-x64 that is the native (AOT) binary;
/// elsewhere the framework-dependent fallback. Every test that runs modelgopack as a process of its own runs this one.
/// </summary>
public static class InstalledTool
{
    private static readonly Lazy<Installation> Installed = new(Install);

    /// <summary>The command the tool path holds (<c>modelgopack</c>), run as a program of its own.</summary>
    public static string Command => Installed.Value.Command;

    /// <summary>The folder of the installed tool's own files (the native binary, or the assemblies).</summary>
    public static string Files => Installed.Value.Files;

    /// <summary>The runtime identifier of the package <c>dotnet tool install</c> chose: <c>linux-x64</c>, or <c>any</c>.</summary>
    public static string PackageRid => Installed.Value.PackageRid;

    /// <summary>The platform's runtime identifier for which ModelGoPack.Cli ships a native package, or null.</summary>
    public static string? NativeRid => OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64 ? "linux-x64" : null;

    /// <summary>
    /// Installs <paramref name="packageId"/> from the local feed into a new tool path, with a NuGet config and a package
    /// cache of its own (only the local feed, never a stale cached copy), and returns the tool path.
    /// </summary>
    public static string InstallInto(string folder, string packageId)
    {
        var config = Path.Combine(folder, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{LocalFeed.Location}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(folder, "tools");
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(folder, "packages") };
        var (exit, output) = ProcessRunner.Run("dotnet", folder, environment, "tool", "install", packageId, "--tool-path", tools, "--configfile", config, "--version", ToolInfo.Version);
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet tool install {packageId} exited {exit}:\n{output}");
        }

        return tools;
    }

    /// <summary>The folder of the package the tool path's store holds for ModelGoPack.Cli, and that package's RID.</summary>
    public static (string Files, string Rid) StoredPackage(string tools, string packageId)
    {
        // .store/<id>/<version>/<chosen package id>/<version>/tools/<tfm or any>/<rid>/
        var version = Path.Combine(tools, ".store", packageId.ToLowerInvariant(), ToolInfo.Version);
        var settings = Directory.GetFiles(version, "DotnetToolSettings.xml", SearchOption.AllDirectories)
            .Where(f => Directory.GetFiles(Path.GetDirectoryName(f)!).Length > 1)
            .ToArray();
        var files = Path.GetDirectoryName(Assert.Single(settings))!;
        return (files, Path.GetFileName(files));
    }

    private static Installation Install()
    {
        var folder = Path.Combine(Path.GetTempPath(), "modelgopack-tests", "installed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(folder);
        var tools = InstallInto(folder, "ModelGoPack.Cli");
        var (files, rid) = StoredPackage(tools, "ModelGoPack.Cli");
        return new Installation(Path.Combine(tools, OperatingSystem.IsWindows() ? "modelgopack.exe" : "modelgopack"), files, rid);
    }

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Installation(string Command, string Files, string PackageRid);
}
