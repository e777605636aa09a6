using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Inspection;
using ModelGoPack.Licensing;
using ModelGoPack.Loading;
using ModelGoPack.Releases;

namespace ModelGoPack.Rules;

/// <summary>
/// Clause 2.2(a)(vi): Derivative Materials and Extracted Models are licensed under MG-BY-SA-2.0 as well. What the
/// project declares ("license", MGP6001; an upstream's, MGP6002 and MGP6009), and what the model card says
/// (license, license_name, license_link: MGP6003, MGP6007). A project that is neither is still packed under
/// MG-BY-SA-2.0 only (MGP1004). Another license over the weights, in a license file of the release, is found by
/// <see cref="LicenseCopy.OtherLicenseFiles"/>'s walk (MGP6004, MGP6006, MGP6008).
/// </summary>
internal static class ShareAlike
{
    /// <summary>The project's and its upstreams' declared licenses.</summary>
    public static void Declared(ModelProject project, DiagnosticBag diagnostics)
    {
        var config = project.Config;
        if (config.License != LicenseText.Id)
        {
            var (where, line, column) = project.Source.Locate("$.license");
            diagnostics.Add(config.IsDerivative || config.IsExtracted
                ? Messages.ProjectLicenseBreaksShareAlike.With(config.License, Kind(config))
                : Messages.ProjectLicenseUnsupported.With(config.License), where, line, column);
        }

        foreach (var upstream in config.Upstream.Where(u => u.License != LicenseText.Id))
        {
            var (where, line, column) = project.Source.Locate(upstream.JsonPath + ".license");
            diagnostics.Add(Messages.UpstreamLicenseNotEvaluated.With(upstream.Name, upstream.License), where, line, column);
        }

        // What the release says it is under, against what the config declares: only MG-BY-SA-2.0 or not is judged,
        // since a license named by its title ("Apache License 2.0") and one by its SPDX id cannot be told apart reliably.
        foreach (var release in project.Releases.Where(r => r.License is not null))
        {
            var upstream = config.Upstream.FirstOrDefault(u => u.Name == release.Upstream);
            if (upstream is not null && ReleaseDescription.IsModelGo(release.License!) != ReleaseDescription.IsModelGo(upstream.License))
            {
                var (where, line, column) = project.Source.Locate(upstream.JsonPath + ".license");
                diagnostics.Add(Messages.UpstreamLicenseContradicted.With(upstream.Name, release.License, release.LicenseSource, project.Source.FileName, upstream.License), where, line, column);
            }
        }
    }

    /// <summary>The model card's license, license_name or license_link, when it names another license than MG-BY-SA-2.0.</summary>
    public static void ModelCardLicense(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        var licenses = card.Strings("license");
        var license = licenses.FirstOrDefault(l => !string.Equals(l, "other", StringComparison.OrdinalIgnoreCase)) ?? (licenses.Count > 0 ? licenses[0] : null);
        var name = card.Values.GetValueOrDefault("license_name");
        string? found = null;
        if (license is not null && !string.Equals(license, "other", StringComparison.OrdinalIgnoreCase))
        {
            found = $"license: {license}";
        }
        else if (name is not null && !string.Equals(name, LicenseText.Id, StringComparison.OrdinalIgnoreCase))
        {
            found = $"license_name: {name}";
        }

        var detail = "";
        if (found is null && LicenseLink(project, card, diagnostics) is { } linked)
        {
            (found, detail) = ($"license_link: {card.Values["license_link"]}", $" ({linked})");
        }

        if (found is null)
        {
            return;
        }

        var kind = project.Config.IsDerivative || project.Config.IsExtracted
            ? " A derivative or Extracted Model must be licensed under MG-BY-SA-2.0 (clause 2.2(a)(vi))."
            : "";
        var key = found[..found.IndexOf(':', StringComparison.Ordinal)];
        diagnostics.Add(Messages.ModelCardLicense.With(found, detail, kind), ModelCard.FileName, card.Lines.GetValueOrDefault(key), 1);
    }

    /// <summary>
    /// The card's license_link, a license statement as "license:" is: the file it names in the release, read and
    /// identified, or the address of a well-known license. Returns what it says when that is another license than
    /// MG-BY-SA-2.0 (to be reported as MGP6003); reports a link to a file the release does not hold (MGP6007). A link to
    /// an address that is not a well-known license's (the ModelGo license's site, for one) is not judged.
    /// </summary>
    private static string? LicenseLink(ModelProject project, ModelCard card, DiagnosticBag diagnostics)
    {
        if (card.Values.GetValueOrDefault("license_link") is not { Length: > 0 } link)
        {
            return null;
        }

        if (LicenseFiles.LinkedLicense(link) is { } named)
        {
            return $"the address of the {named} license";
        }

        if (LicenseFiles.LinkedPath(card, project.Config) is not { } target)
        {
            return null;
        }

        var path = target.Path;
        var linked = project.LicenseFiles.Concat(project.OtherLicenseFiles).FirstOrDefault(l => l.File.RelativePath == path);
        if (linked.File is null)
        {
            // The root LICENSE is the bundle's generated canonical copy whatever the project holds. A file of a Hub repo
            // that may not be this release's, and that the release does not hold, is an address elsewhere.
            if (target.Own && path != ProjectLoader.LicenseFileName)
            {
                diagnostics.Add(Messages.LicenseLinkMissing.With(link, path), ModelCard.FileName, card.Lines.GetValueOrDefault("license_link"), 1);
            }

            return null;
        }

        return linked.Identification.Kind switch
        {
            LicenseMatchKind.Other => $"{path} is the {linked.Identification.Name} license",
            LicenseMatchKind.Unknown => $"{path} is not the {LicenseText.Id} text",
            _ => null,
        };
    }

    /// <summary>What a project is to its upstreams, as a message names it.</summary>
    internal static string Kind(ModelGoConfig config) =>
        config.IsDerivative && config.IsExtracted ? "Derivative Materials and an Extracted Model"
        : config.IsDerivative ? "Derivative Materials"
        : "an Extracted Model";
}
