namespace ModelGoPack.Licensing;

/// <summary>What a license file turned out to be.</summary>
public enum LicenseMatchKind
{
    /// <summary>The MG-BY-SA-2.0 text, unmodified under the SPDX matching guidelines.</summary>
    Canonical,

    /// <summary>The MG-BY-SA-2.0 text with words added, removed or changed.</summary>
    Modified,

    /// <summary>The superseded May 2025 text that also calls itself "Version 2.0".</summary>
    Superseded,

    /// <summary>Another license that ModelGoPack recognises by its title.</summary>
    Other,

    /// <summary>Not a license text ModelGoPack recognises.</summary>
    Unknown,
}

/// <summary>The result of identifying a license file.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">For <see cref="LicenseMatchKind.Other"/>, the license's name.</param>
/// <param name="Expected">For a modified text, the canonical words at the first difference.</param>
/// <param name="Found">For a modified text, the file's words at the first difference.</param>
/// <param name="Line">For a modified text, the file's line of the first difference.</param>
/// <param name="WordIndex">For a modified text, the 1-based index of the first differing word.</param>
/// <param name="Sentence">
/// For another license, whether a grant sentence opening the text names it ("Licensed under the Apache License, Version
/// 2.0"; the header that source files carry), rather than its title heading a license text.
/// </param>
/// <param name="Header">
/// For a text not recognised, whether it is as short as a source file's license header (at most 2 KiB) and holds a
/// copyright line: what a header's template holds.
/// </param>
public sealed record LicenseIdentification(LicenseMatchKind Kind, string? Name = null, string? Expected = null, string? Found = null, int Line = 0, int WordIndex = 0, bool Sentence = false, bool Header = false);
