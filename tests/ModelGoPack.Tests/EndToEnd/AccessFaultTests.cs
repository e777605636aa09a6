using ModelGoPack.Tests.Support;

namespace ModelGoPack.Tests.EndToEnd;

/// <summary>
/// Faults of the machine rather than of the input, made real: files the user may not read (the tool run as
/// an unprivileged user, since root reads everything), and a disk that fills up (a 2 MiB tmpfs mounted in a
/// private mount namespace, so the host sees nothing). Each ends in its code, names the file, and leaves
/// neither a partial bundle nor a changed project.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AccessFaultTests
{
    [Theory]
    [InlineData("check", "model.safetensors")]
    [InlineData("check", "upstream/Teacher/NOTICE")]
    [InlineData("check", "docs/private.md")]
    [InlineData("pack", "model.safetensors")]
    [InlineData("pack", "upstream/Teacher/NOTICE")]
    [InlineData("pack", "docs/private.md")]
    public void An_unreadable_file_is_MGP8009_naming_it(string command, string unreadable)
    {
        using var project = new ModelProjectBuilder();
        project.Upstream("Teacher", "extracted", "distillation").File("docs/private.md", "not for you\n").Write();
        var output = Path.Combine(project.Scratch, "out");
        Directory.CreateDirectory(output);
        Unprivileged.OpenToAll(project.Scratch);
        File.SetUnixFileMode(Path.Combine(project.Root, unreadable), UnixFileMode.None);
        var before = project.Snapshot();

        var args = command == "pack"
            ? new[] { "pack", project.Root, "--format", "zip", "--output", Path.Combine(output, "b.zip"), "--no-cache", "--quiet" }
            : ["check", project.Root, "--no-cache", "--quiet"];
        var (exit, printed) = Unprivileged.Run(project.Scratch, args);

        Assert.True(exit == 2, printed);
        var line = printed.Split('\n').FirstOrDefault(l => l.Contains("error MGP8009", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains($"'{unreadable}'", StringComparison.Ordinal), printed);
        Assert.DoesNotContain("MGP8021", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("MGP8099", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output));
        File.SetUnixFileMode(Path.Combine(project.Root, unreadable), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(before, project.Snapshot());
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("tar.gz")]
    [InlineData("dir")]
    [InlineData("extract")]
    public void A_full_disk_is_MGP9001_and_leaves_nothing_on_it(string format)
    {
        using var project = new ModelProjectBuilder();
        var random = new byte[4 << 20];
        new Random(11).NextBytes(random);
        project.Bytes("big.safetensors", Safetensors.WithData(random)).Write();
        var disk = Path.Combine(project.Scratch, "disk");
        Directory.CreateDirectory(disk);
        var before = project.Snapshot();

        string[] command;
        if (format == "extract")
        {
            var bundle = Path.Combine(project.Scratch, "b.zip");
            Assert.True(ModelGoPackEngine.Pack(new ProjectRequest { ProjectDirectory = project.Root }, bundle, Emit.BundleFormat.Zip).Compliant);
            command = ["verify", bundle, "--extract", Path.Combine(disk, "made", "for", "it", "extracted"), "--quiet"];
        }
        else
        {
            command = ["pack", project.Root, "--format", format, "--output", Path.Combine(disk, "bundle" + (format == "dir" ? "" : "." + format)), "--no-cache", "--quiet"];
        }

        // A 2 MiB tmpfs over the folder, in a mount namespace of this command alone; what is left on it is listed before it goes.
        var (exit, printed) = ProcessRunner.Run("unshare", null,
            ["-r", "-m", "sh", "-c", "mount -t tmpfs -o size=2m tmpfs \"$0\" || exit 97; \"$@\"; code=$?; echo \"left:[$(ls -A \"$0\")]\"; exit $code", disk, .. Unprivileged.Command, .. command]);

        Assert.True(exit != 97, $"A tmpfs could not be mounted in a private mount namespace (unshare -r -m): {printed}");
        Assert.True(exit == 2, printed);
        Assert.True(printed.Contains("error MGP9001", StringComparison.Ordinal), printed);
        Assert.Matches("No space left on device|the disk was full", printed);
        Assert.Contains("left:[]", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("does not match", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.Equal(before, project.Snapshot());
    }
}
