using System.Text.Json;
using ModelGoPack.Diagnostics;
using ModelGoPack.Hashing;

namespace ModelGoPack.Config;

// The config reader, part 3: an upstream's declaration: what it is, how the project relates to it, and where its release is.
internal sealed partial class ConfigReader
{
    private UpstreamDeclaration? BindUpstream(JsonElement element, string path)
    {
        this.CheckKeys(element, path, this.manifest ? ManifestUpstreamKeys : UpstreamKeys);
        var name = this.RequiredString(element, path, "name");
        var version = this.OptionalString(element, path, "version");
        var url = this.OptionalString(element, path, "url");
        var license = this.OptionalString(element, path, "license") ?? DefaultLicense;
        var licensor = this.OptionalString(element, path, "licensor");
        var relationText = this.RequiredString(element, path, "relation");
        var method = this.OptionalString(element, path, "method");
        var notices = this.StringList(element, path, "notices") ?? [];
        var datasets = this.StringList(element, path, "datasets") ?? [];
        var manifest = this.OptionalString(element, path, "manifest") is { } m ? this.CheckReleasePath(m, path + ".manifest") : null;
        var bundle = this.OptionalString(element, path, "bundle") is { } b ? this.CheckReleasePath(b, path + ".bundle") : null;
        var git = this.OptionalString(element, path, "git");
        var repository = this.OptionalString(element, path, "repository") is { } r ? this.CheckReleasePath(r, path + ".repository") : null;
        var revision = this.OptionalString(element, path, "revision");
        var releaseDate = this.OptionalDate(element, path, "releaseDate");
        var manifestSha256 = this.manifest ? this.OptionalString(element, path, "manifestSha256") : null;
        var removed = this.manifest ? this.StringList(element, path, "removed") ?? [] : [];
        var releaseNotices = this.manifest ? this.StringList(element, path, "releaseNotices") ?? [] : [];
        if (new[] { manifest, bundle, git }.Count(v => v is not null) > 1)
        {
            this.Error(Messages.UpstreamReleaseFormsSeveral.With(), path);
        }

        if (repository is not null && git is null)
        {
            this.Error(Messages.UpstreamRepositoryWithoutGit.With(), path + ".repository");
        }

        if (revision is not null && (revision.Length > 256 || ProjectPath.HasControlCharacters(revision)))
        {
            this.Error(Messages.UpstreamRevisionInvalid.With(ProjectPath.Printable(revision)), path + ".revision");
        }

        if (manifestSha256 is not null && !Sha256Digest.TryParse(manifestSha256, out _))
        {
            this.Error(Messages.UpstreamManifestSha256Invalid.With(ProjectPath.Printable(manifestSha256)), path + ".manifestSha256");
        }

        if (git is not null && (git.StartsWith('-') || ProjectPath.HasControlCharacters(git)))
        {
            this.Error(Messages.UpstreamGitInvalid.With(ProjectPath.Printable(git)), path + ".git");
        }

        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            this.Error(Messages.UpstreamUrlInvalid.With(url), path + ".url");
        }

        UpstreamRelation? relation = relationText switch
        {
            null => null,
            "derivative" => UpstreamRelation.Derivative,
            "extracted" => UpstreamRelation.Extracted,
            _ => null,
        };
        if (relationText is not null && relation is null)
        {
            this.Error(Messages.UpstreamRelationUnknown.With(relationText), path + ".relation");
        }

        var normalizedNotices = new List<string>(notices.Count);
        for (var i = 0; i < notices.Count; i++)
        {
            var notice = this.CheckRelativePath(notices[i], $"{path}.notices[{i}]");
            if (notice is not null)
            {
                normalizedNotices.Add(notice);
            }
        }

        return name is null || relation is null
            ? null
            : new UpstreamDeclaration
            {
                Name = name,
                Version = version,
                Url = url,
                License = license,
                Licensor = licensor,
                Relation = relation.Value,
                Method = method,
                Notices = normalizedNotices,
                Datasets = datasets,
                Manifest = manifest,
                Bundle = bundle,
                Git = git,
                Repository = repository,
                Revision = revision,
                ManifestSha256 = manifestSha256?.ToLowerInvariant(),
                Removed = removed,
                ReleaseNotices = releaseNotices,
                ReleaseDate = releaseDate,
                JsonPath = path,
            };
    }

    /// <summary>
    /// A release's location: relative to the project root (it may lie outside it), absolute, or under the home
    /// folder (<c>~/</c>). Kept as written; <see cref="Releases.ReleaseLocation"/> resolves it.
    /// </summary>
    private string? CheckReleasePath(string value, string path)
    {
        if (ProjectPath.HasControlCharacters(value) || value.Trim().Length == 0)
        {
            this.Error(Messages.ReleasePathBlank.With(ProjectPath.Printable(value)), path);
            return null;
        }

        return value;
    }
}
