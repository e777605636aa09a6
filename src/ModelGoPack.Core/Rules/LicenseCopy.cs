using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;
using ModelGoPack.Loading;

namespace ModelGoPack.Rules;

/// <summary>
/// Clause 2.2(a)(i), "a copy of this License", and Section 6, which forbids modifying it: the release's license copy
/// is the unmodified MG-BY-SA-2.0 text (MGP1001, MGP1002, MGP1003), and so is any other copy of it in the release.
/// The bundle always gets the canonical LICENSE; a bundle without one is MGP1006 (verify). A project license that is
/// not MG-BY-SA-2.0 is judged with share-alike (<see cref="ShareAlike"/>), and so is another license over the weights
/// of a derivative or Extracted Model (MGP6004, MGP6006, MGP6008), which the walk over license files finds here.
/// </summary>
/// <remarks>
/// Every license file of a release, at any depth: a file named LICENSE*, LICENCE*, COPYING* or *.license beyond the
/// root's license copy, and the file the model card's <c>license_link</c> names. A modified or superseded
/// MG-BY-SA-2.0 text anywhere is MGP1001/MGP1002 (Section 6, clause (i)), as at the root. Another license covers what
/// its name says: a REUSE <c>X.license</c> file covers X alone; a name qualified by a part of a release
/// (LICENSE-CODE, LICENSE_DATA.md) covers that part of its folder; any other name (LICENSE, COPYING.txt,
/// LICENSE-APACHE, LICENSE-MODEL) covers its folder. For a derivative or Extracted Model, another license over model
/// weights (a folder that holds them, or a weight file's own .license) contradicts share-alike (MGP6006, clause (vi));
/// otherwise it is reported with what it covers (MGP1007), since third-party code under its own license is normal. A
/// file whose name says it is the template of a source file's license header (LICENSE_HEADER.txt) covers nothing by
/// itself (MGP1007). A text the tool cannot identify, and a
/// .license file of a file the release does not hold, are a note (MGP1008).
/// </remarks>
internal static class LicenseCopy
{
    /// <summary>The root's license copies (LICENSE, LICENSE.md, …): the MG-BY-SA-2.0 text, unmodified.</summary>
    public static void RootCopies(ModelProject project, DiagnosticBag diagnostics)
    {
        foreach (var (file, identification) in project.LicenseFiles)
        {
            var path = file.RelativePath;
            switch (identification.Kind)
            {
                case LicenseMatchKind.Modified or LicenseMatchKind.Superseded:
                    TextChanged(path, identification, diagnostics);
                    break;
                case LicenseMatchKind.Other when project.Config.IsDerivative || project.Config.IsExtracted:
                    diagnostics.Add(Messages.LicenseCopyBreaksShareAlike.With(path, identification.Name, ShareAlike.Kind(project.Config)), path, 1, 1);
                    break;
                case LicenseMatchKind.Other:
                    diagnostics.Add(Messages.LicenseCopyIsOther.With(path, identification.Name, LicenseText.Id), path, 1, 1);
                    break;
                case LicenseMatchKind.Unknown:
                    diagnostics.Add(Messages.LicenseCopyUnknown.With(path, LicenseText.Id), path, 1, 1);
                    break;
            }
        }
    }

    /// <summary>A copy of MG-BY-SA-2.0 changed, which Section 6 forbids: modified from a word on (MGP1001), or the superseded May 2025 text (MGP1002).</summary>
    private static void TextChanged(string path, LicenseIdentification identification, DiagnosticBag diagnostics) =>
        diagnostics.Add(identification.Kind == LicenseMatchKind.Modified
            ? Messages.LicenseTextModified.With(path, LicenseText.Id, identification.WordIndex, identification.Expected, identification.Found)
            : Messages.LicenseTextSuperseded.With(path), path, identification.Kind == LicenseMatchKind.Modified ? identification.Line : 1, 1);

    /// <summary>
    /// Every license file of a release but the root's license copy, at any depth, and the file the model card's
    /// <c>license_link</c> names (see the remarks of this class).
    /// </summary>
    public static void OtherLicenseFiles(ModelProject project, DiagnosticBag diagnostics)
    {
        if (project.OtherLicenseFiles.Count == 0)
        {
            return;
        }

        var config = project.Config;
        var shareAlike = config.IsDerivative || config.IsExtracted;
        var covered = Coverage(project);

        // The role of each file of the release, by path, for the files X.license files annotate: made only when there is one.
        Dictionary<string, ArtifactRole>? roles = null;
        foreach (var (file, identification) in project.OtherLicenseFiles)
        {
            var path = file.RelativePath;
            var folder = LicenseFiles.FolderOf(path);
            var name = path[folder.Length..];
            var held = covered[folder];
            var annotated = LicenseFiles.AnnotatedName(name) is { } annotatedName ? folder + annotatedName : null;
            var annotatedRole = annotated is null ? (ArtifactRole?)null
                : (roles ??= Roles(project)).TryGetValue(annotated, out var role) ? role : null;

            // A part qualifier limits a license to that part of its folder when the folder holds files of that part: a
            // LICENSE-DATA beside weights and no data covers what is there, the weights.
            var part = annotated is null && LicenseFiles.Part(name) is { } named && (held.Kinds & PartKinds(named)) != 0 ? named : null;

            // A text of a REUSE LICENSES/ folder, or a header's template, is the text that files name by an SPDX line: it
            // licenses no folder by itself. Not a LICENSES/ folder that holds weights, nor a template that is a full
            // license text (its title at its top): such a file is the folder's license, whatever it is named.
            var reuse = LicenseFiles.IsReuseText(path) && held.Weights == 0;
            // A template is a header: an SPDX line, a grant sentence ("Licensed under the Apache License, Version 2.0"), or
            // a short text ModelGoPack does not recognise that holds a copyright line; a full license text is its folder's
            // license whatever its name.
            var template = annotated is null && !reuse && LicenseFiles.IsHeaderTemplate(name)
                && (identification.Kind == LicenseMatchKind.Unknown ? identification.Header : identification.Line > 0 || identification.Sentence);
            var covers = reuse ? "the files that name it in an SPDX-License-Identifier line"
                : template ? "the files that carry the header"
                : annotated ?? (folder.Length == 0 ? "the whole release" : folder);
            covers = part is null || reuse ? covers : $"the {PartName(part)} of {covers}";

            // Model weights the file licenses, when this is a derivative or Extracted Model: a weight file it annotates,
            // or the weights of the folder it covers whole.
            var overWeights = !shareAlike || reuse || template ? null
                : annotated is not null ? annotatedRole == ArtifactRole.Weights ? $"the model weights '{annotated}'" : null
                : part is null && held.Weights > 0 ? $"{covers}, which holds the model weights {held.FewWeights()}" : null;
            switch (identification.Kind)
            {
                // A REUSE text named as MG-BY-SA-2.0 is the text the files whose SPDX lines name it are under: another
                // text there is the license changed (Section 6).
                case LicenseMatchKind.Other or LicenseMatchKind.Unknown when reuse && IsModelGoText(name):
                    diagnostics.Add(Messages.ReuseModelGoTextIsOther.With(path, LicenseText.Id, identification.Name is { } other ? $"the {other} license" : "not that text"), path, 1, 1);
                    break;
                case LicenseMatchKind.Modified or LicenseMatchKind.Superseded:
                    TextChanged(path, identification, diagnostics);
                    break;
                case LicenseMatchKind.Other when identification.Name is { } license:
                    // A license named by its SPDX line is on that line; one known by its text, at the top.
                    var line = Math.Max(identification.Line, 1);
                    if (reuse)
                    {
                        diagnostics.Add(Messages.ReuseTextOfOtherLicense.With(path, license, covers), path, line, 1);
                    }
                    else if (template)
                    {
                        diagnostics.Add(Messages.HeaderTemplateOfOtherLicense.With(path, license), path, line, 1);
                    }
                    else if (annotated is not null && annotatedRole is null)
                    {
                        diagnostics.Add(Messages.LicenseOfMissingFile.With(path, license, annotated), path, line, 1);
                    }
                    else if (overWeights is not null)
                    {
                        diagnostics.Add(Messages.WeightsUnderOtherLicense.With(path, license, overWeights, ShareAlike.Kind(config)), path, line, 1);
                    }
                    else
                    {
                        var count = held.Files - 1;
                        var what = annotated is not null ? $"it covers {annotated}, the file it annotates"
                            : part is not null ? $"its name limits it to {covers}"
                            : $"it covers {covers} ({count} other file{(count == 1 ? "" : "s")})";
                        diagnostics.Add(Messages.PartUnderOtherLicense.With(path, license, what), path, line, 1);
                    }

                    break;
                case LicenseMatchKind.Unknown when overWeights is not null:
                    // What the text says of the weights needs a reader: share-alike may be broken, and a reviewer who read
                    // it records what it says as a waiver.
                    diagnostics.Add(Messages.WeightsUnderUnknownLicense.With(path, overWeights, ShareAlike.Kind(config)), path, 1, 1);
                    break;
                case LicenseMatchKind.Unknown:
                    diagnostics.Add(Messages.LicenseTextUnrecognised.With(path, covers), path, 1, 1);
                    break;
            }
        }
    }

    // What each license file's folder holds, its own files and those of every folder below it: each artifact is counted
    // in every license folder above it, found by a lookup of the path's prefixes of a license folder's length (no
    // substring made per folder, none looked up that no license folder could be). Paths come sorted: a path keeps the
    // license folders of the folders it shares with the path before it, and looks up only the rest of its own.
    private static Dictionary<string, Held> Coverage(ModelProject project)
    {
        var folders = new Dictionary<string, Held>(StringComparer.Ordinal);
        foreach (var (file, _) in project.OtherLicenseFiles)
        {
            folders.TryAdd(LicenseFiles.FolderOf(file.RelativePath), new Held());
        }

        var lengths = folders.Keys.Select(f => f.Length).ToHashSet();
        var lookup = folders.GetAlternateLookup<ReadOnlySpan<char>>();
        var above = new List<(int Length, Held Held)>();
        var last = "";
        var lastLength = -1;
        foreach (var artifact in project.Artifacts)
        {
            var path = artifact.Path;
            var length = path.LastIndexOf('/') + 1;
            if (length != lastLength || !path.AsSpan(0, length).SequenceEqual(last.AsSpan(0, lastLength)))
            {
                // The folders both paths are in: up to the last slash of their common start (none for the first path).
                var shared = lastLength < 0 ? -1 : path.AsSpan(0, length).CommonPrefixLength(last.AsSpan(0, lastLength));
                shared = shared <= 0 ? shared : path.LastIndexOf('/', shared - 1) + 1;
                while (above.Count > 0 && above[^1].Length > shared)
                {
                    above.RemoveAt(above.Count - 1);
                }
                var first = shared < 0 ? 0 : shared == length ? -1 : path.IndexOf('/', shared) + 1;
                for (var end = first; end >= 0 && end <= length; end = path.IndexOf('/', end) + 1)
                {
                    if (lengths.Contains(end) && lookup.TryGetValue(path.AsSpan(0, end), out var held))
                    {
                        above.Add((end, held));
                    }

                    if (end == length)
                    {
                        break;
                    }
                }

                (last, lastLength) = (path, length);
            }

            var kind = above.Count == 0 ? PartKind.None : KindOf(artifact);
            foreach (var (_, held) in above)
            {
                held.Add(artifact, kind);
            }
        }

        return folders;
    }

    // Each file's role, by path: its artifact's, or Other for a file verify could not inspect (a damaged entry).
    private static Dictionary<string, ArtifactRole> Roles(ModelProject project)
    {
        var roles = project.Files.ToDictionary(f => f.RelativePath, _ => ArtifactRole.Other, StringComparer.Ordinal);

        // The files every bundle holds, which pack writes whether the project has them or not.
        roles.TryAdd(ProjectLoader.LicenseFileName, ArtifactRole.Notice);
        roles.TryAdd(ProjectLoader.NoticeFileName, ArtifactRole.Notice);
        roles.TryAdd(ModelCard.FileName, ArtifactRole.Docs);
        foreach (var artifact in project.Artifacts)
        {
            roles[artifact.Path] = artifact.Role;
        }

        return roles;
    }

    // Whether a REUSE LICENSES text's name says it is MG-BY-SA-2.0 (MG-BY-SA-2.0.txt, LicenseRef-MG-BY-SA-2.0.txt).
    private static bool IsModelGoText(string name)
    {
        var stem = LicenseFiles.TextEndings.Contains(Path.GetExtension(name)) ? Path.GetFileNameWithoutExtension(name) : name;
        return stem.Equals(LicenseText.Id, StringComparison.OrdinalIgnoreCase) || stem.Equals("LicenseRef-" + LicenseText.Id, StringComparison.OrdinalIgnoreCase);
    }

    // How a message names a part: LICENSE-THIRD-PARTY covers the third-party files, LICENSE-CODE the CODE.
    private static string PartName(string part) => part.ToUpperInvariant() is "THIRD" or "THIRDPARTY" or "3RD" or "3RDPARTY" ? "third-party files" : part;

    // The kinds of file a part qualifier names: a LICENSE-CODE licenses code, a LICENSE-DOCS documents, a
    // LICENSE-THIRD-PARTY what came from elsewhere (never the model's weights or architecture).
    private static PartKind PartKinds(string part) => part.ToUpperInvariant() switch
    {
        "DOC" or "DOCS" or "DOCUMENTATION" => PartKind.Docs,
        "DATA" or "DATASET" or "DATASETS" or "CORPUS" => PartKind.Data,
        "ASSETS" or "IMAGES" or "MEDIA" or "FONTS" => PartKind.Media,
        "EXAMPLES" or "SAMPLES" or "NOTEBOOKS" => PartKind.Code | PartKind.Data | PartKind.Media,
        "TOKENIZER" => PartKind.Tokenizer,
        "THIRD" or "THIRDPARTY" or "3RD" or "3RDPARTY" => PartKind.Code | PartKind.Docs | PartKind.Data | PartKind.Media | PartKind.Tokenizer,
        _ => PartKind.Code,
    };

    // The part of a release a file is, for a part qualifier: none for the files every model folder has beside its weights
    // (README, a weight index, .gitattributes, configuration, the files a bundle generates), which no part names.
    private static PartKind KindOf(Artifact artifact)
    {
        var name = artifact.Path.AsSpan(artifact.Path.LastIndexOf('/') + 1);
        var extension = Path.GetExtension(name);
        if (name.StartsWith("README", StringComparison.OrdinalIgnoreCase) || name.StartsWith(".") || name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)
            || name.SequenceEqual(ModelGoConfig.FileName) || name.SequenceEqual(ProjectLoader.ManifestFileName))
        {
            return PartKind.None;
        }

        var configuration = LicenseFiles.ConfigEndings.GetAlternateLookup<ReadOnlySpan<char>>().Contains(extension);
        return LicenseFiles.MediaEndings.GetAlternateLookup<ReadOnlySpan<char>>().Contains(extension) ? PartKind.Media
            : artifact.Role switch
            {
                ArtifactRole.Code when !configuration => PartKind.Code,
                ArtifactRole.Docs => PartKind.Docs,
                ArtifactRole.Data when !configuration => PartKind.Data,
                ArtifactRole.Tokenizer => PartKind.Tokenizer,
                _ => PartKind.None,
            };
    }

    [Flags]
    private enum PartKind
    {
        None = 0,
        Code = 1,
        Docs = 2,
        Data = 4,
        Media = 8,
        Tokenizer = 16,
    }

    // What a license folder holds: its files, the parts among them, its weights and the first few of their paths.
    private sealed class Held
    {
        private readonly List<string> firstWeights = new(3);

        public int Files { get; private set; }

        public PartKind Kinds { get; private set; }

        public int Weights { get; private set; }

        public void Add(Artifact artifact, PartKind kind)
        {
            this.Files++;
            this.Kinds |= kind;
            if (artifact.Role == ArtifactRole.Weights)
            {
                this.Weights++;
                if (this.firstWeights.Count < 3)
                {
                    this.firstWeights.Add(artifact.Path);
                }
            }
        }

        public string FewWeights() =>
            string.Join(", ", this.firstWeights.Select(p => $"'{p}'")) + (this.Weights > 3 ? $" and {this.Weights - 3} more" : "");
    }
}
