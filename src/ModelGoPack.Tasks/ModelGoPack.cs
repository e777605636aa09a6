namespace ModelGoPack.Tasks;

/// <summary>
/// The task's old name, kept so that build scripts calling <c>&lt;ModelGoPack … /&gt;</c> after
/// <c>UsingTask TaskName="ModelGoPack.Tasks.ModelGoPack"</c> keep working. Obsolete: call <see cref="PackModel"/>,
/// which this is in every respect (docs/msbuild.md, "The task").
/// </summary>
public sealed class ModelGoPack : PackModel;
