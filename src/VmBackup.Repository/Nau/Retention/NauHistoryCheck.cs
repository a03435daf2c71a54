namespace VmBackup.Repository.Nau.Retention;

/// <summary>The result of v3.25's <c>check_all_backups_success</c> after a successful backup.</summary>
/// <param name="AllSuccessful">True when every backup folder holds a success marker.</param>
/// <param name="Messages">The warning lines to log (empty when <paramref name="AllSuccessful"/>).</param>
public sealed record NauHistoryCheck(bool AllSuccessful, IReadOnlyList<string> Messages);
