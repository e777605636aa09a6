namespace ModelGoPack.Diagnostics;

/// <summary>
/// Every diagnostic ModelGoPack can report. Codes are public API: never renumber or reuse one.
/// Ranges follow the license: 1xxx license text (2.2(a)(i), Section 6), 2xxx derivative notices (ii),
/// 3xxx Extracted Models (iii), 4xxx retained notices (iv), 5xxx Preferred Adaptable Form (v),
/// 6xxx share-alike (vi), 7xxx names (2.3), 8xxx config and input, 9xxx bundle output and integrity.
/// The diagnostics table in docs/diagnostics.md is checked against this list by a test.
/// </summary>
public static class DiagnosticCatalog
{
    // 1xxx: the license copy (2.2(a)(i)) and its text (Section 6).
    public static readonly DiagnosticDescriptor LicenseModified = Obligation("MGP1001", Severity.Error,
        "License file is a modified MG-BY-SA-2.0 text",
        "Section 6 forbids modifying the license. Replace the file with the unmodified MG-BY-SA-2.0 text, or delete it: the bundle always gets the canonical LICENSE.");

    public static readonly DiagnosticDescriptor LicenseSuperseded = Obligation("MGP1002", Severity.Error,
        "License file is the superseded May 2025 \"Version 2.0\" text",
        "The May 2025 text has no Extracted Models clause. Replace the file with the MG-BY-SA-2.0 text of December 2025, or delete it: the bundle always gets the current LICENSE.");

    public static readonly DiagnosticDescriptor LicenseOther = Obligation("MGP1003", Severity.Error,
        "License file is another license",
        "A project packed by ModelGoPack is licensed under MG-BY-SA-2.0. Replace the file with the MG-BY-SA-2.0 text or delete it; keep third-party licenses under another name (for example LICENSE-THIRD-PARTY.txt).");

    public static readonly DiagnosticDescriptor ProjectLicenseUnsupported = Obligation("MGP1004", Severity.Error,
        "Project license is not MG-BY-SA-2.0",
        "Set \"license\": \"MG-BY-SA-2.0\" in modelgo.json. ModelGoPack evaluates and packs the ModelGo Attribution-ShareAlike License 2.0 only.");

    public static readonly DiagnosticDescriptor PackageLicenseClash = Obligation("MGP1005", Severity.Error,
        "Package license metadata contradicts the MG-BY-SA-2.0 license file",
        "ModelGoPack sets PackageLicenseFile to the bundle's LICENSE. Remove PackageLicenseExpression (NuGet allows only one of the two, NU5033) and any other PackageLicenseFile from the project.");

    public static readonly DiagnosticDescriptor LicenseCopyMissing = Obligation("MGP1006", Severity.Error,
        "Bundle has no copy of the license",
        "Clause 2.2(a)(i) requires a copy of the license with the model. The bundle must hold the MG-BY-SA-2.0 text as LICENSE at its root; pack it with ModelGoPack, or add the file.");

    public static readonly DiagnosticDescriptor PartUnderOtherLicense = Judgement("MGP1007", Severity.Warning,
        "A license file puts part of the release under another license",
        "A license file below the root covers its folder. Third-party code or data under its own license is normal beside an MG-BY-SA-2.0 model, but make sure the folder holds no part of the model itself, and that its license allows redistribution. Waive this with a justification saying what the folder is.");

    public static readonly DiagnosticDescriptor LicenseFileUnidentified = Judgement("MGP1008", Severity.Info,
        "A license file's text is not recognised",
        "The file is named like a license file (LICENSE*, LICENCE*, COPYING*, *.license), and its text is neither MG-BY-SA-2.0 nor a license ModelGoPack knows by its title. Check what it licenses; an SPDX-License-Identifier line names its license.");

    // 2xxx: Derivative Materials, 2.2(a)(ii).
    public static readonly DiagnosticDescriptor DerivativeWithoutModification = Obligation("MGP2001", Severity.Error,
        "Derivative upstream has no dated modification",
        "Clause 2.2(a)(ii) requires a notice stating that you modified the Licensed Materials and when. Add a \"modifications\" entry with \"date\" and \"description\" for this upstream.");

    public static readonly DiagnosticDescriptor ModificationPathUnmatched = Judgement("MGP2002", Severity.Warning,
        "Modification path matches no file",
        "Each path in a modification names files of the project (a glob, relative to the project root). Fix the path or remove it.");

    public static readonly DiagnosticDescriptor ModificationWithoutDerivative = Judgement("MGP2003", Severity.Warning,
        "Modifications declared, but no upstream is a derivative",
        "Modifications belong to an upstream with \"relation\": \"derivative\". Declare the upstream you modified, or remove the modifications.");

    public static readonly DiagnosticDescriptor ModificationUpstreamUnknown = Obligation("MGP2004", Severity.Error,
        "Modification names an upstream that is not a declared derivative",
        "\"upstream\" in a modification must be the \"name\" of an upstream with \"relation\": \"derivative\".");

    public static readonly DiagnosticDescriptor BaseModelUndeclared = Judgement("MGP2005", Severity.Warning,
        "Model card names a base model that no upstream declares",
        "Every base_model in README.md's front matter is a model this one was made from. Declare it in \"upstream\" (with its relation), or correct base_model.");

    public static readonly DiagnosticDescriptor ChangeUndeclared = Obligation("MGP2006", Severity.Error,
        "A file differs from the upstream release, and no modification declares it",
        "Clause 2.2(a)(ii) requires the date of each modification. Add a \"modifications\" entry with the date, a description and this path.");

    public static readonly DiagnosticDescriptor ModificationDidNotHappen = Judgement("MGP2007", Severity.Warning,
        "A declared modification matches only files identical to the upstream release",
        "The files this modification names are the same as in the upstream's release. Correct its \"paths\", or remove it.");

    public static readonly DiagnosticDescriptor ChangeDatedFromGit = Judgement("MGP2008", Severity.Warning,
        "A change to the upstream is not declared; its date comes from git",
        "The NOTICE lists it with the date of the last commit that touched the file. Declare it in \"modifications\" with a description of what changed.");

    public static readonly DiagnosticDescriptor NoticeLacksModification = Obligation("MGP2009", Severity.Error,
        "NOTICE does not state that a derivative upstream was modified, and when",
        "Clause 2.2(a)(ii) requires a prominent notice that the Licensed Materials were modified, with the date of each modification. NOTICE must hold the statement of modification ModelGoPack makes from the declaration (the upstream, the license, and every modification with its date), as the built-in template renders it. In a custom NOTICE template, place {{ upstream.statement }} for every derivatives[] entry.");

    public static readonly DiagnosticDescriptor ModificationAfterRelease = Obligation("MGP2010", Severity.Error,
        "Modification dated after the release",
        "Clause 2.2(a)(ii) requires the relevant date of each modification, and NOTICE states it: a date after the release (\"releaseDate\", else the day of SOURCE_DATE_EPOCH, else of the run, both taken at UTC+14) cannot be one. Correct the modification's \"date\", or set \"releaseDate\" to the day of the release.");

    public static readonly DiagnosticDescriptor ModificationBeforeUpstreamRelease = Judgement("MGP2011", Severity.Warning,
        "Modification dated before the upstream's release",
        "The upstream's own release date is known (its \"releaseDate\" in modelgo.json, else its release manifest's), and a modification of it dated earlier is unlikely. Correct the modification's \"date\" or the upstream's \"releaseDate\"; waive this with a justification if both are right (for example, work on a pre-release).");

    // 3xxx: Extracted Models, 2.2(a)(iii).
    public static readonly DiagnosticDescriptor BaseModelRelationMismatch = Judgement("MGP2012", Severity.Warning,
        "Model card's base_model_relation does not describe the release",
        "The Hub defines four base_model_relation values, all of them derivatives: adapter, finetune, merge and quantized (and ignores any other). Use the one that says how this model was made from its base_model: quantized only when the release's weights are quantized. An Extracted Model's teacher is no base model: leave it out of base_model (the Hub would read it as fine-tuned), and name it in the card's text and in \"upstream\" with relation extracted.");

    public static readonly DiagnosticDescriptor ExtractedWithoutMethod = Judgement("MGP3001", Severity.Info,
        "Extracted upstream does not say how Output was used",
        "Clause 2.2(a)(iii) asks only for a notice that the model was created from the upstream's Output, so NOTICE states that without a method. Set \"method\" (for example \"distillation\" or \"synthetic-data\") to say how as well.");

    // The license's definitions (Dec 2025) exclude from Derivative Materials "any model developed by transferring
    // patterns from Output, such as through distillation methods or synthetic data generation". ModelGoPack refuses the
    // contradiction rather than relabel the upstream: the publisher, not the tool, says which statement NOTICE makes.
    public static readonly DiagnosticDescriptor RelationMethodMismatch = Obligation("MGP3002", Severity.Error,
        "Derivative upstream made by distillation or synthetic data",
        "The license's definitions exclude from Derivative Materials \"any model developed by transferring patterns from Output, such as through distillation methods or synthetic data generation\": such a model is an Extracted Model, whose NOTICE must state that it was created from Output (clause 2.2(a)(iii)). Set \"relation\": \"extracted\". If the Output came from another model, declare that model as an extracted upstream and give this one the method of its own change (for example \"fine-tuning\").");

    public static readonly DiagnosticDescriptor UndisclosedExtraction = Obligation("MGP3003", Severity.Error,
        "Dataset made from an MG-BY-SA-2.0 model's Output, with no extracted upstream",
        "A model trained on another model's Output is an Extracted Model, and clause 2.2(a)(iii) requires a notice saying so. Declare the generator in \"upstream\" with \"relation\": \"extracted\" and its \"method\", or remove the dataset from the project.");

    public static readonly DiagnosticDescriptor NoticeLacksExtraction = Obligation("MGP3004", Severity.Error,
        "NOTICE does not state that the model was created from an upstream's Output",
        "Clause 2.2(a)(iii) requires a prominent notice that the Extracted Model was created from the Output of a model under this license. NOTICE must hold the Extracted Model statement ModelGoPack makes from the declaration (this model, the upstream, and the license it is provided under), as the built-in template renders it. In a custom NOTICE template, place {{ upstream.statement }} for every extracted[] entry.");

    // 4xxx: retained notices, 2.2(a)(iv).
    public static readonly DiagnosticDescriptor NoCopyright = Judgement("MGP4001", Severity.Warning,
        "No copyright lines declared",
        "Add the project's copyright and attribution lines to \"copyright\" in modelgo.json; they open the bundle's NOTICE.");

    public static readonly DiagnosticDescriptor UpstreamNoticeMissing = Obligation("MGP4002", Severity.Error,
        "Upstream notice file is missing",
        "Clause 2.2(a)(iv) requires keeping every copyright and attribution notice of the upstream. Restore the file at this path, or correct the path in \"notices\".");

    public static readonly DiagnosticDescriptor UpstreamWithoutNotices = Judgement("MGP4003", Severity.Warning,
        "Upstream declares no notice files",
        "List the upstream's NOTICE, COPYRIGHT or AUTHORS files in \"notices\" so that they are kept verbatim in the bundle's NOTICE, or name the upstream's release in modelgo.json (\"bundle\", \"git\"): the notice files it holds are kept without being listed.");

    // 5xxx: Preferred Adaptable Form, 2.2(a)(v).
    public static readonly DiagnosticDescriptor NoWeights = Judgement("MGP5001", Severity.Error,
        "No model weights in the release",
        "Clause 2.2(a)(v) requires the model in Preferred Adaptable Form. Include the full-precision weights (for example model.safetensors in F16, BF16 or F32), or check \"include\" and \"exclude\".");

    public static readonly DiagnosticDescriptor OnlyQuantizedWeights = Judgement("MGP5002", Severity.Error,
        "Only quantized or compiled weights",
        "A quantized or compiled export is not the form preferred for adapting a model. Add the full-precision weights it was made from (F16, BF16 or F32, preferably as .safetensors) beside it.");

    public static readonly DiagnosticDescriptor WeightsWithoutArchitecture = Judgement("MGP5003", Severity.Error,
        "Weights without an architecture definition",
        "Tensor files alone cannot be loaded or adapted. Include the architecture definition: config.json (Hugging Face), params.json, or the source code that defines the model.");

    public static readonly DiagnosticDescriptor TokenizerMissing = Judgement("MGP5004", Severity.Error,
        "Tokenizer referenced but missing",
        "tokenizer_config.json names tokenizer files (vocab_file, tokenizer_file, merges_file, ...) that are not in the release. Include them beside it.");

    public static readonly DiagnosticDescriptor WeightFilesMissing = Judgement("MGP5005", Severity.Error,
        "Weight shards or external data files are missing",
        "An index or an ONNX model refers to weight files that are not in the release. Include every shard and external data file, or fix the index.");

    public static readonly DiagnosticDescriptor StrayShard = Judgement("MGP5006", Severity.Warning,
        "Weight shard not listed in its index",
        "A file named like a shard is not in the shard index beside it: a leftover from another export, or a broken index. Remove it, or regenerate the index.");

    public static readonly DiagnosticDescriptor CompiledWithoutSource = Judgement("MGP5007", Severity.Error,
        "Compiled code without its source",
        "For code, the Preferred Adaptable Form is the source. Include the .py files of Python bytecode, and the source code of native binaries, .NET assemblies and WebAssembly modules.");

    public static readonly DiagnosticDescriptor PdfOnlyDocs = Judgement("MGP5008", Severity.Warning,
        "Documentation only as PDF",
        "A PDF is hard to adapt. Include its editable source (Markdown, LaTeX, reStructuredText, HTML or an office document) beside it.");

    public static readonly DiagnosticDescriptor PickleWeights = Judgement("MGP5009", Severity.Warning,
        "Weights in a pickle-based format",
        "Loading a PyTorch pickle can run arbitrary code, so many users will not adapt it. Convert the weights to .safetensors and ship those (the pickle may stay beside them).");

    public static readonly DiagnosticDescriptor CustomCodeMissing = Judgement("MGP5010", Severity.Error,
        "config.json names custom code that is missing",
        "config.json's auto_map loads the model's classes from Python modules of the repo. Include those .py files beside config.json.");

    // Waivable like MGP5002: the quantized types are certain, but whether the full-precision form is provided (for
    // example published beside the release, at a stated address) is a reviewer's judgement.
    public static readonly DiagnosticDescriptor QuantizedMatrixWithoutFullPrecision = Judgement("MGP5011", Severity.Error,
        "Quantized weight matrices without a full-precision counterpart",
        "Preferred Adaptable Form is judged per matrix, not by the share of elements: a quantized matrix (GPTQ/AWQ qweight, compressed-tensors weight_packed, EXL2 q_weight, MXFP4 blocks, int8, FP8 or bitsandbytes weight, a GGUF block type, an 8-bit ONNX initializer) is fine beside a full-precision copy of itself, never instead of it. Add the full-precision (F16, BF16 or F32) weights it was made from: a matrix of the same name and shape (model.layers.0.mlp.down_proj.weight for model.layers.0.mlp.down_proj.qweight), or for a GGUF or ONNX export one of the same shape, or the same layer's weights split or fused otherwise, in a file of another format.");

    public static readonly DiagnosticDescriptor NoticeDropped = Obligation("MGP4004", Severity.Error,
        "The rendered NOTICE does not keep an upstream notice verbatim",
        "Clause 2.2(a)(iv) requires keeping every existing notice. The NOTICE template in use dropped or changed this text: render every notices[].text unchanged.");

    public static readonly DiagnosticDescriptor NoticeMissing = Obligation("MGP4005", Severity.Error,
        "Bundle has no NOTICE",
        "The bundle declares upstream models, so clauses 2.2(a)(ii) to (iv) require notices. A bundle made by ModelGoPack has NOTICE at its root; pack it again, or add the notices.");

    public static readonly DiagnosticDescriptor UpstreamReleaseUnreadable = Input("MGP8027",
        "Upstream release cannot be read",
        "Point \"bundle\" at the upstream's release as you have it (a folder, a Hub cache snapshot, a .zip or a .tar.gz), \"manifest\" at its modelgo-manifest.json, or \"git\" at a commit or tag (of another clone with \"repository\"). A path is relative to the project, absolute, or under ~/. docs/lineage.md lists the forms.");

    // 6xxx: share-alike, 2.2(a)(vi).
    public static readonly DiagnosticDescriptor ShareAlikeViolated = Obligation("MGP6001", Severity.Error,
        "Derivative or Extracted Model is not licensed MG-BY-SA-2.0",
        "Clause 2.2(a)(vi) requires Derivative Materials and Extracted Models to be licensed under MG-BY-SA-2.0. Set \"license\": \"MG-BY-SA-2.0\".");

    public static readonly DiagnosticDescriptor UpstreamLicenseNotEvaluated = Judgement("MGP6002", Severity.Warning,
        "Upstream is not under MG-BY-SA-2.0",
        "ModelGoPack evaluates MG-BY-SA-2.0 obligations only. Check the upstream's own license terms by hand, or correct \"license\" of this upstream.");

    public static readonly DiagnosticDescriptor ModelCardLicense = Obligation("MGP6003", Severity.Error,
        "Model card declares a license other than MG-BY-SA-2.0",
        "Hugging Face shows the front matter's license. Set license: other, license_name: mg-by-sa-2.0 and license_link: LICENSE in README.md; the bundle's model card gets them either way.");

    public static readonly DiagnosticDescriptor LicenseFileShareAlike = Obligation("MGP6004", Severity.Error,
        "A derivative or Extracted Model ships another license",
        "Clause 2.2(a)(vi) requires Derivative Materials and Extracted Models to be licensed under MG-BY-SA-2.0. Replace the license file with the MG-BY-SA-2.0 text, or delete it (the bundle always gets the canonical LICENSE).");

    public static readonly DiagnosticDescriptor PackageLicenseShareAlike = Obligation("MGP6005", Severity.Error,
        "A derivative or Extracted Model's package declares another license",
        "Clause 2.2(a)(vi) requires Derivative Materials and Extracted Models to be licensed under MG-BY-SA-2.0. Remove PackageLicenseExpression from the project: ModelGoPack sets PackageLicenseFile to the MG-BY-SA-2.0 LICENSE.");

    public static readonly DiagnosticDescriptor WeightsUnderOtherLicense = Obligation("MGP6006", Severity.Error,
        "Model weights of a derivative or Extracted Model under another license",
        "Clause 2.2(a)(vi) requires Derivative Materials and Extracted Models to be licensed under MG-BY-SA-2.0, and a license file covers the folder it sits in. Remove the other license from the folder of the weights, or replace it with the MG-BY-SA-2.0 text.");

    public static readonly DiagnosticDescriptor LicenseLinkMissing = Judgement("MGP6007", Severity.Warning,
        "Model card's license_link names a file the release does not hold",
        "README.md's license_link is shown as the model's license. Point it at the LICENSE file (license_link: LICENSE); the bundle's model card gets that either way.");

    public static readonly DiagnosticDescriptor WeightsUnderUnknownLicense = Judgement("MGP6008", Severity.Error,
        "Model weights of a derivative or Extracted Model under a license text ModelGoPack does not recognise",
        "Clause 2.2(a)(vi) requires Derivative Materials and Extracted Models to be licensed under MG-BY-SA-2.0, and a license file covers the folder it sits in (X.license covers X). ModelGoPack cannot tell what this text grants. Replace it with the MG-BY-SA-2.0 text or an SPDX-License-Identifier: MG-BY-SA-2.0 line, or move it away from the weights; or, once someone has read it and found that it licenses the weights under MG-BY-SA-2.0 (or does not license them at all), waive MGP6008 with a justification saying so.");

    public static readonly DiagnosticDescriptor UpstreamLicenseContradicted = Judgement("MGP6009", Severity.Warning,
        "Upstream's release states another license than declared",
        "The upstream's release (its LICENSE, else its model card's license or license_name) names a license that contradicts the upstream's \"license\" in modelgo.json: one is MG-BY-SA-2.0 and the other is not. Which obligations apply depends on it. Check the release's terms, then correct \"license\" of the upstream; if the release's file covers only part of it (its code, say), waive MGP6009 with a justification saying so.");

    // 7xxx: the licensor's names, Section 2.3.
    public static readonly DiagnosticDescriptor LicensorNameUsed = Judgement("MGP7001", Severity.Error,
        "An upstream licensor's name is used for publicity",
        "Section 2.3 forbids referring to the licensor, or using its trademarks, trade names or service marks, for publicity without its prior written consent. Take the name out of the model card's title, headline and title-like front matter and the package's Title, Description and PackageTags (the NOTICE and the card's body may name the licensor: that attribution is what clause 2.2(a)(iv) requires); or, with the licensor's written consent, waive MGP7001 in modelgo.json with a justification that says who consented and when.");

    // 8xxx: config and input.
    public static readonly DiagnosticDescriptor ConfigMissing = Input("MGP8001",
        "modelgo.json not found",
        "Run `modelgopack init` in the model project to write a modelgo.json skeleton, then fill it in.");

    public static readonly DiagnosticDescriptor ConfigMalformed = Input("MGP8002",
        "modelgo.json is not valid JSON",
        "Fix the JSON syntax at the position given (comments and trailing commas are allowed).");

    public static readonly DiagnosticDescriptor ConfigUnknownKey = Input("MGP8003",
        "Unknown key in modelgo.json",
        "Remove the key or correct its spelling; the config reference (docs/configuration.md) and the JSON schema list every key.");

    public static readonly DiagnosticDescriptor ConfigWrongType = Input("MGP8004",
        "Value in modelgo.json has the wrong type",
        "Give the value the type the config reference names (string, array of strings, array of objects).");

    public static readonly DiagnosticDescriptor ConfigMissingKey = Input("MGP8005",
        "Required key missing in modelgo.json",
        "Add the key; the config reference (docs/configuration.md) says which keys are required.");

    public static readonly DiagnosticDescriptor ConfigInvalidValue = Input("MGP8006",
        "Value in modelgo.json is not valid",
        "Correct the value as the message says (dates are ISO 8601 yyyy-MM-dd, versions are SemVer, names are NuGet package ids).");

    public static readonly DiagnosticDescriptor TemplateError = Input("MGP8007",
        "Notice template failed",
        "Fix the template at the position given. Templates see only the documented data model; an undefined variable is an error.");

    public static readonly DiagnosticDescriptor SymlinkRejected = Input("MGP8008",
        "Symbolic link in the project",
        "ModelGoPack does not follow symbolic links. Replace the link with the file it points to, or exclude it with \"exclude\".");

    public static readonly DiagnosticDescriptor FileUnreadable = Input("MGP8009",
        "File cannot be read",
        "Check the file's permissions and that it is not locked or being written, then run again.");

    public static readonly DiagnosticDescriptor ReservedBundlePath = Input("MGP8010",
        "Project file collides with a file ModelGoPack generates",
        "The bundle root's LICENSE, NOTICE and modelgo-manifest.json are generated. Move or exclude this file.");

    public static readonly DiagnosticDescriptor DuplicateUpstream = Input("MGP8011",
        "Two upstreams have the same name",
        "Give each upstream a distinct \"name\"; modifications and notices refer to upstreams by name.");

    public static readonly DiagnosticDescriptor ProjectDirectoryMissing = Input("MGP8012",
        "Project directory not found",
        "Pass the model project's folder (the one holding modelgo.json), or run from inside it.");

    public static readonly DiagnosticDescriptor TemplatesDirectoryMissing = Input("MGP8013",
        "Templates directory not found",
        "Pass an existing folder to --templates; it holds overrides named like the defaults (NOTICE.scriban).");

    public static readonly DiagnosticDescriptor TemplateUnknown = Input("MGP8014", Severity.Warning,
        "Templates directory has a file that overrides nothing",
        "Override templates are matched by file name. Rename the file to one of the default template names (NOTICE.scriban), or remove it.");

    public static readonly DiagnosticDescriptor OutputNotABundle = Input("MGP8015",
        "Output path holds something that is not a ModelGoPack bundle",
        "ModelGoPack replaces only what it provably wrote: a bundle whose modelgo-manifest.json lists exactly the files there (by name and size) and nothing else, never a link, and inside the project only under bin/ and obj/. Choose another --output, or remove what is there yourself.");

    public static readonly DiagnosticDescriptor ConfigExists = Input("MGP8016",
        "modelgo.json already exists",
        "`init` never overwrites a config. Edit the existing modelgo.json, or remove it first.");

    public static readonly DiagnosticDescriptor EnvironmentInvalid = Input("MGP8017",
        "Environment variable has an invalid value",
        "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01T00:00:00Z. Correct or unset it.");

    public static readonly DiagnosticDescriptor MSBuildUnsupported = Input("MGP8018",
        "This MSBuild cannot run the ModelGoPack task",
        "The ModelGoPack task needs MSBuild 18 or later: the .NET 10 SDK, or Visual Studio 2026 (which runs it in a .NET task host). Update the build tools, or run the modelgopack tool instead.");

    public static readonly DiagnosticDescriptor MSBuildItemInvalid = Input("MGP8019",
        "MSBuild item has unknown metadata",
        "ModelGoUpstream items take Version, Url, License, Licensor, Relation, Method and Notices; ModelGoModification items take Date, Paths and Upstream. Remove or correct the metadata.");

    public static readonly DiagnosticDescriptor PackageIdentityMismatch = Input("MGP8020", Severity.Warning,
        "Package identity differs from the model's name or version",
        "The .nupkg is named by PackageId and PackageVersion, the bundle by modelgo.json's name and version. Make them agree: set PackageId and Version in the project, or remove name and version from modelgo.json so that the project's are used.");

    public static readonly DiagnosticDescriptor WeightHeaderInvalid = Input("MGP8021",
        "Weight file header is malformed",
        "The header contradicts itself or the file (lengths, offsets, types, a tensor name given twice, a negative size). Re-export the file with its original tool; a file truncated in transfer must be copied again.");

    public static readonly DiagnosticDescriptor WaiverWithoutJustification = Input("MGP8022",
        "Waiver without a justification",
        "Every waiver needs a \"justification\" that tells a reviewer why the finding does not apply. Add it, or remove the waiver.");

    public static readonly DiagnosticDescriptor WaiverUnmatched = Input("MGP8023", Severity.Warning,
        "Waiver matches no finding",
        "Remove the waiver, or correct its \"code\" and \"path\": stale waivers hide nothing but mislead reviewers.");

    public static readonly DiagnosticDescriptor ModelCardInvalid = Input("MGP8024",
        "Model card front matter is not valid YAML",
        "Fix README.md's front matter (the YAML between the two '---' lines); Hugging Face cannot read it either.");

    public static readonly DiagnosticDescriptor DatasetStampInvalid = Input("MGP8025",
        "Dataset stamp is not valid",
        "Rewrite the stamp with `modelgopack stamp-dataset DIR --generator NAME ...`; its format is in docs/dataset-stamps.md.");

    public static readonly DiagnosticDescriptor DatasetStampExists = Input("MGP8026",
        "Dataset stamp already exists",
        "`stamp-dataset` never replaces a stamp silently. Check the existing modelgo-dataset.json, and pass --force to replace it.");

    public static readonly DiagnosticDescriptor GitUnavailable = Input("MGP8028",
        "git is needed but cannot be run",
        "An upstream names a git revision, or a change needs its date from git. Install git (or set MODELGOPACK_GIT to its path) and check that it can read the repository, or declare the change with a date in \"modifications\".");

    public static readonly DiagnosticDescriptor BidiControl = Input("MGP8029",
        "Text holds invisible bidirectional control characters",
        "A notice must read as it renders. Remove the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069) from the config, the notice file or the file name; the marks LRM and RLM are allowed.");

    public static readonly DiagnosticDescriptor CaseCollision = Input("MGP8030",
        "Two files would be one where case or Unicode normalization does not count",
        "Two paths that differ only in case or Unicode normalization (LICENSE and license, café in NFC and NFD), or a file whose name another path uses as a folder (Docs and docs/x.md), are one path on Windows and macOS and in most zip tools: one would overwrite the other. Rename or exclude one of them; the bundle's LICENSE, NOTICE, README.md and modelgo-manifest.json count too.");

    public static readonly DiagnosticDescriptor FileNameNotPortable = Input("MGP8031",
        "A file name cannot be written on every system",
        "A segment that is a Windows device name (CON, NUL, AUX, COM1, LPT1, with any extension), ends in a dot or a space, or holds a backslash or one of : * ? \" < > | cannot be extracted on Windows, and a path longer than 1,024 bytes (or a name longer than 255) on most systems; verify refuses such a name in a bundle (MGP9010). Rename or exclude the file.");

    public static readonly DiagnosticDescriptor BundleLimitExceeded = Input("MGP8032",
        "The release is larger than a bundle may be",
        "A bundle holds at most 1,000,000 files and a modelgo-manifest.json of at most 256 MiB, so that verify can read every bundle pack writes. Exclude files that are not part of the release (\"exclude\" in modelgo.json), or ship them as an archive inside the bundle.");

    public static readonly DiagnosticDescriptor PathTooLongForSystem = Input("MGP8033",
        "A path in the project is longer than the system allows",
        "The operating system cannot open a path this long, so the file can be neither read nor packed. Shorten the folder names, or exclude the folder with \"exclude\" in modelgo.json: nothing excluded is read, and a path too long under an excluded folder is no error.");

    public static readonly DiagnosticDescriptor DigestCacheIgnored = Input("MGP8034", Severity.Info,
        "Digest cache ignored or corrected",
        "The digest cache only spares hashing, and is never trusted for what pack writes. A cache file that is a link, a pipe or a device, larger than 256 MiB or malformed was not read, and is replaced by a regular file when the digests are saved; a cached digest the file's bytes contradict was corrected. Nothing needs fixing; if it happens again, check what else writes to the cache folder, or use --no-cache.");

    public static readonly DiagnosticDescriptor GeneratedTextTooLarge = Input("MGP8035",
        "Generated NOTICE or model card is larger than its limit",
        "A bundle's NOTICE and README.md are at most 4 MiB each (4,194,304 bytes of UTF-8), what check and verify read whole; ModelGoPack never cuts a notice short. Keep each notice file once and only the notice texts the license asks for (copyright and attribution), or shorten the model card.");

    public static readonly DiagnosticDescriptor ReleaseLeftOut = Input("MGP8037", Severity.Info,
        "Upstream release or earlier bundle inside the project left out",
        "Nothing of an upstream release is bundled, and no bundle goes into the next: a release an upstream names inside the project (its Hub cache folder, its clone), and any earlier output of pack (a folder or zip holding ModelGoPack's modelgo-manifest.json, a tar.gz carrying pack's gzip mark), are left out of the bundle; the upstream's declared notice files stay. Nothing needs fixing; to keep the project clean, keep releases and outputs outside it.");

    public static readonly DiagnosticDescriptor UpstreamBlobMissing = Input("MGP8038",
        "Upstream Hub snapshot is incomplete",
        "A file of the Hugging Face Hub cache snapshot links to a blob that is not there, or refs/main names a snapshot that is not: the download was interrupted. Download the model again (huggingface-cli download ORG/NAME), then run again.");

    public static readonly DiagnosticDescriptor UpstreamDigestMismatch = Input("MGP8039",
        "Upstream file does not hold what its release records",
        "The file's bytes do not have the SHA-256 its release records for it (its blob name in the Hub cache, huggingface_hub's download metadata, or the release's modelgo-manifest.json): the file is damaged or was replaced. Download the release again.");

    public static readonly DiagnosticDescriptor ConfigLeftOut = Input("MGP8040", Severity.Info,
        "modelgo.json left out of the bundle: it names where a release is on this machine",
        "An upstream's \"bundle\", \"manifest\" or \"repository\" names a path of this machine (absolute, under ~/, up through .., or leading out of the project through a link), which a bundle never records. The project's modelgo.json is therefore not bundled; the bundle's modelgo-manifest.json declares the same lineage, with the release's revision and url. Nothing needs fixing; to bundle modelgo.json, keep the release inside the project.");

    public static readonly DiagnosticDescriptor LfsPointer = Input("MGP8041",
        "File is a Git LFS pointer, not the file's content",
        "The model repository was cloned without its Git LFS content, so the file holds only a pointer (its oid and size). Run `git lfs install` once, then `git lfs pull` in the repository, and run again.");

    public static readonly DiagnosticDescriptor ForeignAbsolutePath = Input("MGP8042",
        "Path is an absolute path of another operating system",
        "On Linux and macOS, a Windows path (C:\\out\\m.zip, C:/out, a bare drive C:, \\\\server\\share\\x, or \\out rooted on the current drive) is no absolute path but the name of a file in the current folder, which ModelGoPack neither creates nor reads. Give a path of this system (under WSL, C:\\out is /mnt/c/out). On Windows, a path rooted in / is on the current drive, and is accepted.");

    public static readonly DiagnosticDescriptor WaiverNotAllowed = Input("MGP8036",
        "Waiver of a finding that cannot be waived",
        "A waiver records a reviewer's judgement on a finding the tool can only infer. An obligation of the license itself (the license copy and its text, the modification and Extracted Model notices, a known notice retained, share-alike) is met or not, and no waiver covers it: fix the release and remove the waiver. docs/diagnostics.md marks which codes can be waived.");

    public static readonly DiagnosticDescriptor InternalError = Input("MGP8099",
        "Unexpected failure",
        "ModelGoPack hit a condition it does not handle. Nothing was written. Please report it with the message and the command that produced it.");

    // 9xxx: bundle output and integrity.
    public static readonly DiagnosticDescriptor OutputWriteFailed = Input("MGP9001",
        "Bundle could not be written",
        "Check free space and permissions at the output path. Nothing was left behind: the bundle is written under a temporary name and renamed only when complete.");

    public static readonly DiagnosticDescriptor FileChangedDuringPack = Input("MGP9002",
        "File changed while it was being read",
        "A file's size, modification time or inode changed between discovery and the end of reading it, so its digest would be wrong. Stop whatever is writing to the project and run again.");

    public static readonly DiagnosticDescriptor BundleFileAltered = Input("MGP9003",
        "Bundle file differs from its manifest",
        "The file's size or SHA-256 is not what modelgo-manifest.json lists: it was changed or damaged after packing. Get the bundle again from its publisher, or pack it again.");

    public static readonly DiagnosticDescriptor BundleFileMissing = Input("MGP9004",
        "File listed in the manifest is missing from the bundle",
        "The bundle lost a file after packing (or the copy is incomplete). Get the bundle again, or pack it again.");

    public static readonly DiagnosticDescriptor BundleFileUnlisted = Input("MGP9005",
        "Bundle holds a file its manifest does not list",
        "A file added after packing is covered by no digest. Remove it, or pack the bundle again so that the manifest lists it.");

    public static readonly DiagnosticDescriptor BundleManifestInvalid = Input("MGP9006",
        "Bundle has no valid modelgo-manifest.json",
        "verify checks a bundle against the manifest ModelGoPack writes at its root, and cannot use one that is malformed, oversized or lists paths outside the bundle. Point verify at the bundle (folder, .zip, .tar.gz or .nupkg) itself, or get it again from its publisher.");

    public static readonly DiagnosticDescriptor BundleUnreadable = Input("MGP9007",
        "Bundle cannot be read",
        "Pass a bundle folder, an OCI image layout (LAYOUT or LAYOUT:REF), a .zip, a .tar.gz or a .nupkg. A damaged archive or layout must be downloaded or copied again.");

    public static readonly DiagnosticDescriptor BundleWithoutManifest = Input("MGP9008", Severity.Warning,
        "Bundle has no modelgo-manifest.json; its integrity is not checked",
        "Without a manifest there are no digests to check the files against: verify evaluates the license obligations on what the bundle holds, and lists the digests it computed. Bundles made by ModelGoPack carry the manifest at their root.");

    public static readonly DiagnosticDescriptor WeightHeaderNotRead = Input("MGP9009", Severity.Warning,
        "A weight file's header inside an archive was not read",
        "verify reads an archive once, keeping the first 16 MiB and the last 1 MiB of each weight file; this file's header lies beyond that, so its precision is not judged. Verify the unpacked folder (verify --extract DIR, then verify DIR) to judge it.");

    public static readonly DiagnosticDescriptor ArchiveEntryUnsafe = Input("MGP9010",
        "Archive entry has an unsafe name",
        "An entry that is absolute, leaves the folder (..), holds a backslash, a control character or one of : * ? \" < > |, is a Windows device name (NUL, COM1), is longer than a bundle path may be (1,024 bytes, 255 for a name), or collides with another entry once case and Unicode normalization are ignored would write outside the target, overwrite another file or fail on some systems. Such a bundle was not made by ModelGoPack: get it from its publisher again.");

    public static readonly DiagnosticDescriptor ExtractTargetExists = Input("MGP9011",
        "The folder to extract to exists and is not empty",
        "verify --extract writes a new folder, or fills an empty one, and never replaces or merges into anything already there (a file, a link, a folder that holds something). Name a folder that does not exist yet or is empty, or move what is there out of the way first.");

    public static readonly DiagnosticDescriptor PackageBundleMismatch = Input("MGP9012",
        "The .nupkg and its bundle disagree",
        "A package made by ModelGoPack carries the same modelgo-manifest.json as the bundle beside it, and leaves out only weight files. Pack both again, or pass the bundle that belongs to this package with --bundle.");

    public static readonly DiagnosticDescriptor StaleTemporaryRemoved = Input("MGP9013", Severity.Info,
        "Removed what an interrupted run left beside the output",
        "A run of ModelGoPack that was killed (kill -9, a crash, a power cut) left its temporary output; its lock proves the process that wrote it has ended, so this run removed it. Nothing to do.");

    public static readonly DiagnosticDescriptor OutputNotRemoved = Input("MGP9014", Severity.Warning,
        "An old bundle or a temporary output could not be removed",
        "The new bundle is in place, but the old one (or what an interrupted run left) could not be deleted. Check the permissions of the output's folder; the next run beside the output removes it, or delete it by hand: its name starts with .modelgopack-tmp-.");

    public static readonly DiagnosticDescriptor PackageSignatureInvalid = Input("MGP9015",
        "The package's signature is not valid for it",
        "A .nupkg's .signature.p7s must be a whole signature whose content hash is this package's: this one is damaged, or the package was changed after it was signed. Get the package again from its publisher.");

    public static readonly DiagnosticDescriptor PackageSigned = Input("MGP9016", Severity.Info,
        "The package is signed; its signer's trust was not checked",
        "verify checked that the signature is valid and signs this very package, not whether to trust the certificate that made it (its chain, revocation and timestamp). To decide that, run `dotnet nuget verify --all` on the package, or compare the certificate's SHA-256 with the one its publisher names.");

    public static readonly DiagnosticDescriptor ManifestWaiverNotAllowed = Input("MGP9017",
        "The bundle's manifest waives a finding that cannot be waived",
        "A manifest's waivers are its publisher's own claim. One of an obligation of the license itself (the license copy and its text, the modification and Extracted Model notices, a known notice retained, share-alike) is not applied: verify judges the finding as it is. A bundle packed by ModelGoPack never carries such a waiver; ask its publisher for one that does not.");

    public static readonly DiagnosticDescriptor OciDescriptionContradicted = Input("MGP9018",
        "The OCI layout describes the model otherwise than its bundle does",
        "Registries and ModelPack tools show an OCI layout's config and manifest annotations, not its files: its licenses must be LicenseRef-MG-BY-SA-2.0 (clause 2.2(a)(vi)), its name and version those of modelgo-manifest.json, its diffIds its layers' digests in order, and each layer's org.cncf.model.file.metadata+json that layer's file (its name and size, a regular file, a mode within 0777). Pack the model again with ModelGoPack, or ask its publisher for a layout whose description is true.");

    // 9030 to 9049: OMS signatures (sign, verify --signature).
    public static readonly DiagnosticDescriptor SignatureUnreadable = Input("MGP9030",
        "The signature file cannot be read, or is not an OMS signature",
        "A signature made by modelgopack sign is an OpenSSF Model Signing v1.0 bundle: a sigstore bundle v0.3 JSON file whose DSSE envelope carries an in-toto statement with the predicate https://model_signing/signature/v1.0 over the files, hashed with SHA-256 one by one (serialization 'files'). Pass the signature that was published with this bundle (by default BUNDLE.sig beside it), or sign the bundle again.");

    public static readonly DiagnosticDescriptor SignatureInvalid = Input("MGP9031",
        "The signature does not verify",
        "The DSSE signature is not a signature of this statement by the key the signature names: the signature file was altered or damaged after signing. Get the bundle and its signature again from the publisher.");

    public static readonly DiagnosticDescriptor SignerNotTrusted = Input("MGP9032",
        "The bundle was signed by another key, or by a certificate the given chain does not trust",
        "verify --signature checks the signature against the key you give (--public-key) or the certificate authorities you trust (--certificate-chain), never against a key the signature brings along. Pass the publisher's own public key or CA chain; if it is that one, the bundle was not signed by the publisher.");

    public static readonly DiagnosticDescriptor SigningKeyUnusable = Input("MGP9033",
        "A key or certificate file cannot be used",
        "sign takes an ECDSA private key on P-256 or P-384 in PEM (PKCS#8 'PRIVATE KEY' or SEC1 'EC PRIVATE KEY', not encrypted) and, for the certificate method, a PEM file with its X.509 certificate first and any intermediate certificates after it; verify takes the matching PEM public key ('PUBLIC KEY') or a PEM file of the CA certificates to trust. Make the key with `openssl ecparam -name prime256v1 -genkey -noout -out key.pem` (or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem`) and its public key with `openssl ec -in key.pem -pubout -out key.pub.pem`.");

    public static readonly DiagnosticDescriptor SignedFileMissing = Input("MGP9034",
        "A signed file is missing from the bundle",
        "The signature covers a file that the bundle does not hold: the bundle lost it after it was signed (or the copy is incomplete). Get the bundle again from its publisher.");

    public static readonly DiagnosticDescriptor UnsignedFile = Input("MGP9035",
        "The bundle holds a file the signature does not cover",
        "Every file of a signed bundle is in its signature (the files under the ignore paths it records aside, which modelgo-manifest.json covers). A file added after signing is vouched for by no one: remove it, or have the publisher pack and sign the bundle again.");

    public static readonly DiagnosticDescriptor SignedFileDiffers = Input("MGP9036",
        "A bundle file differs from its signed digest",
        "The file's SHA-256 is not the one the signature lists: it was replaced after signing. A file swapped and its digest written into modelgo-manifest.json is caught here, since the manifest is signed too. Get the bundle again from its publisher.");

    public static readonly DiagnosticDescriptor SignatureNotWritten = Input("MGP9037",
        "The signature cannot be written there",
        "sign writes the signature atomically (a temporary file beside it, renamed into place) to BUNDLE.sig beside the bundle or to --signature PATH, which must be outside the bundle (a file inside it would be a file its manifest does not list) and must not be a folder or a file that is not an earlier signature. Choose another path, or check the folder's permissions and free space.");

    public static readonly DiagnosticDescriptor BundleNotSignable = Input("MGP9038",
        "This bundle cannot be signed",
        "sign signs a bundle folder, .zip, .tar.gz or OCI layout that verifies: every file as its modelgo-manifest.json lists it. A .nupkg leaves weights to its bundle, so sign the bundle beside it instead; a bundle with no file has nothing to sign.");

    public static readonly DiagnosticDescriptor SignatureWillNotVerify = Input("MGP9039", Severity.Warning,
        "The signing certificate will make a signature that does not verify",
        "verify --certificate-chain refuses a signature whose certificate has expired (or whose intermediate has) or may not sign (key usage digitalSignature or extended key usage codeSigning; a certificate with neither allows nothing). sign writes the signature all the same, as asked, but no verifier will accept it: sign with a certificate that is valid and allows signing.");

    // MGP9050 to MGP9069: push, an OCI layout sent to a registry (Distribution/).
    public static readonly DiagnosticDescriptor PushTargetInvalid = Input("MGP9050",
        "The registry reference cannot be pushed to",
        "Name the target as REGISTRY/REPOSITORY:TAG (or @sha256:DIGEST), the registry as its host and port (127.0.0.1:5000, ghcr.io), the repository in lowercase. There is no default registry: docker.io's short names (ubuntu, library/ubuntu) are not expanded. Without a tag, the layout's ref name is the tag.");

    public static readonly DiagnosticDescriptor PushLayoutInvalid = Input("MGP9051",
        "The OCI layout cannot be pushed",
        "push sends an OCI image layout (oci-layout, index.json, blobs/sha256/) holding a model manifest (artifactType application/vnd.cncf.model.manifest.v1+json), every blob present with the size and SHA-256 its descriptor gives. Write the layout again (pack --format oci), or name one of its manifests as LAYOUT:REF. push does not judge the license: run verify for that.");

    public static readonly DiagnosticDescriptor RegistryCredentialsRefused = Input("MGP9052",
        "The registry refused the credentials",
        "push reads credentials from the auths of Docker's config.json ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): a base64 \"auth\" of user:password, or \"username\" and \"password\". Log in again (docker login, skopeo login --authfile), check that the account may push to this repository, and run push again: it uploads only what is missing.");

    public static readonly DiagnosticDescriptor NotARegistry = Input("MGP9053",
        "The address does not answer as an OCI registry",
        "push speaks the OCI distribution API, which answers GET /v2/ with 200 or a 401 challenge. Check the host and port; a registry served over plain HTTP (a test registry on 127.0.0.1) needs --plain-http, and one served over HTTPS must not be given it.");

    public static readonly DiagnosticDescriptor RegistryManifestRejected = Input("MGP9054",
        "The registry rejected the manifest",
        "Every blob was uploaded, but the registry refused the manifest, so the tag was not written. Its own words are quoted: a registry may refuse artifact manifests (artifactType), foreign layers (urls) or manifests over its size limit. Use a registry that accepts OCI artifacts, or write the layout again.");

    public static readonly DiagnosticDescriptor RegistryBlobRejected = Input("MGP9055",
        "The registry refused a blob",
        "The registry would not store a blob the layout holds (its own words are quoted): a digest or size it did not accept, an upload it lost, or a quota reached. Run push again; if it is refused again, write the layout again.");

    public static readonly DiagnosticDescriptor RegistryRequestFailed = Input("MGP9056",
        "A request to the registry failed",
        "The connection broke or the registry answered with an error it did not explain as a refusal. Nothing was tagged; the blobs already uploaded stay in the registry, and running push again uploads only what is missing.");

    public static readonly DiagnosticDescriptor CredentialHelperNotRead = Input("MGP9057", Severity.Warning,
        "Credentials kept by a Docker credential helper are not read",
        "push reads the credentials written in config.json's auths only, not those kept by a credential store or helper (credsStore, credHelpers, identitytoken), so it pushes without them. To push with credentials, write them to an auth file (skopeo login --authfile DIR/config.json REGISTRY) and set DOCKER_CONFIG=DIR.");

    public static readonly DiagnosticDescriptor DockerConfigUnreadable = Input("MGP9058",
        "Docker's config.json cannot be read",
        "push reads registry credentials from $DOCKER_CONFIG/config.json, else ~/.docker/config.json; this one is not JSON, or its auths are not what Docker writes (an object per registry with a base64 \"auth\" of user:password). Repair it (docker login writes it), or point DOCKER_CONFIG at a folder with a valid one.");

    // 907x: the CycloneDX bill of materials (bom, pack --bom).
    public static readonly DiagnosticDescriptor BomBundleUndeclared = Input("MGP9070",
        "The bundle declares nothing a bill of materials can describe",
        "A BOM names the model, its license and its upstreams as the bundle's modelgo-manifest.json declares them (or the modelgo.json it carries, when it has no manifest). This bundle has neither: make the BOM of the project it was packed from, or get the bundle as its publisher packed it.");

    public static readonly DiagnosticDescriptor BomOutputNotReplaceable = Input("MGP9071",
        "The BOM's output path holds something else, or is inside the bundle or the project",
        "bom --output replaces only a CycloneDX BOM (a file whose \"bomFormat\" is \"CycloneDX\"), never a folder or another file, and writes nothing into the bundle it describes (a file added there is one its manifest does not list) nor into the project it describes (the next pack would bundle it; bin/ and obj/ aside). Choose another --output, or leave it out to write the BOM to standard output.");

    public static readonly DiagnosticDescriptor BomNameReserved = Input("MGP9072", Severity.Warning,
        "A project file has the name of the BOM, and is not bundled",
        "modelgo-bom.cdx.json at the bundle's root is the CycloneDX BOM pack --bom writes, and a reader takes the file of that name for the bundle's own BOM; so a project's own file of that name (in any case) is never bundled. Without --bom it is left out; with --bom the BOM pack makes replaces it. Delete or rename it (an earlier BOM belongs outside the project, or in bin/), or pack with --bom.");

    public static readonly DiagnosticDescriptor BomCarriedNotOwn = Input("MGP9073", Severity.Warning,
        "The bundle carries a modelgo-bom.cdx.json that is not its own BOM",
        "The file of the BOM's name in this bundle is not the BOM of the bundle's other files (its bytes differ from the BOM made of them, dated as it is or as the bundle declares): another tool's, an older one, or a file packed by a ModelGoPack that bundled a project's own file of that name. Its claims are not the bundle's; the BOM written lists it as a file like any other. Trust the BOM bom writes, not the one carried; the publisher can pack again with --bom.");

    /// <summary>All descriptors, ordered by code.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
        typeof(DiagnosticCatalog).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Code, StringComparer.Ordinal)
            .ToArray();

    // An obligation of the license itself (the license copy and its text, the modification and Extracted Model
    // statements, a known notice retained, share-alike): it is either met or not, and no reviewer's judgement
    // releases it, so no waiver covers it.
    private static DiagnosticDescriptor Obligation(string code, Severity severity, string title, string help) =>
        new(code, severity, DiagnosticKind.Compliance, title, help);

    // A finding the tool can only infer (a file it cannot classify, a name used with consent): a reviewer's waiver,
    // with its justification, may settle it.
    private static DiagnosticDescriptor Judgement(string code, Severity severity, string title, string help) =>
        new(code, severity, DiagnosticKind.Compliance, title, help) { Waivable = true };

    /// <summary>
    /// What a code's obligation is, by its range, for a message that says why a waiver cannot cover it.
    /// </summary>
    public static string ObligationOf(DiagnosticDescriptor descriptor) => descriptor.Code[3] switch
    {
        '1' => "the license copy and its unmodified text (clause 2.2(a)(i) and Section 6)",
        '2' => "the notice that the model was modified, and when (clause 2.2(a)(ii))",
        '3' => "the notice that the model was created from an upstream's Output (clause 2.2(a)(iii))",
        '4' => "keeping every existing notice (clause 2.2(a)(iv))",
        '5' => "Preferred Adaptable Form (clause 2.2(a)(v))",
        '6' => "licensing the model under MG-BY-SA-2.0 (clause 2.2(a)(vi))",
        '7' => "the licensor's name (Section 2.3)",
        _ => "an input error",
    };

    private static DiagnosticDescriptor Input(string code, string title, string help) =>
        new(code, Severity.Error, DiagnosticKind.Input, title, help);

    private static DiagnosticDescriptor Input(string code, Severity severity, string title, string help) =>
        new(code, severity, DiagnosticKind.Input, title, help);
}
