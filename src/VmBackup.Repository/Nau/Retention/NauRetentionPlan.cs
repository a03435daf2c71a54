namespace VmBackup.Repository.Nau.Retention;

/// <summary>An ordered list of <see cref="NauRetentionStep"/>s, carried out by <see cref="NauVmFolder.ExecuteAsync"/>.</summary>
/// <param name="Steps">The steps in order.</param>
public sealed record NauRetentionPlan(IReadOnlyList<NauRetentionStep> Steps)
{
    /// <summary>The folders the plan deletes, in order.</summary>
    public IReadOnlyList<string> Deletions => [.. Steps.Where(s => s.DeleteFolder is not null).Select(s => s.DeleteFolder!)];

    /// <summary>The messages in order.</summary>
    public IReadOnlyList<string> Messages => [.. Steps.Select(s => s.Message)];
}
