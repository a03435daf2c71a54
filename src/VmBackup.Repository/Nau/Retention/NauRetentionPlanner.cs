namespace VmBackup.Repository.Nau.Retention;

/// <summary>
/// v3.25's retention decisions (section 7 of the behaviour spec), as pure functions of a
/// <see cref="NauVmFolderListing"/>, with the exact log lines. Differences from v3.25 (see
/// docs/naubackup-compatibility.md):
/// <list type="bullet">
/// <item>Only <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> directories are backups. Other entries (stray files, other folders,
/// symbolic links) are never counted nor deleted; each is reported once per run with a warning line.</item>
/// <item><c>max_backups</c> counts <em>successful</em> backups: the newest <c>max_backups</c> successful backups are kept
/// (the new one included), and failed folders older than the newest successful backup are deleted (they hold
/// metadata only). Failed folders newer than that are left to the failed-previous rule.</item>
/// <item>The folder being written and the newest successful backup are never deleted.</item>
/// </list>
/// </summary>
public static class NauRetentionPlanner
{
    /// <summary>
    /// v3.25's <c>process_backup_dir</c> before the new folder is created: logs
    /// <c>Check for last **unsuccessful** backup: &lt;vmdir&gt;</c>, reports foreign entries, and deletes the newest
    /// backup folder when it has no success marker and there are at least two backup folders
    /// (<c>Delete last **unsuccessful** backup &lt;vmdir&gt;/&lt;entry&gt; </c>). A lone failed folder is kept.
    /// </summary>
    public static NauRetentionPlan PlanFailedPreviousCleanup(string vmDir, NauVmFolderListing listing)
    {
        ArgumentNullException.ThrowIfNull(vmDir);
        ArgumentNullException.ThrowIfNull(listing);
        var steps = new List<NauRetentionStep> { new($"Check for last **unsuccessful** backup: {vmDir}") };
        steps.AddRange(listing.Foreign.Select(f => new NauRetentionStep(ForeignEntryWarning(vmDir, f.Name))));
        if (listing.Backups.Count >= 2 && listing.Backups[^1] is { IsSuccessful: false } last)
        {
            steps.Add(new($"Delete last **unsuccessful** backup {vmDir}/{last.Name} ", last.Name));
        }

        return new NauRetentionPlan(steps);
    }

    /// <summary>The warning for an entry of a VM folder that is not a backup folder.</summary>
    public static string ForeignEntryWarning(string vmDir, string entry) =>
        $"WARNING: not a backup folder, left alone - {vmDir}/{entry}";

    /// <summary>
    /// v3.25's <c>pre_cleanup</c> (<c>pre_clean=True</c>), run after the new (empty) folder
    /// <paramref name="currentFolder"/> was created and before the snapshot: logs
    /// <c>success identifying directory : &lt;vmdir&gt; </c> and <c>pre_VM_max_backups: &lt;max-1&gt; </c>; with
    /// <c>max_backups</c> = 1 logs <c>No pre_cleanup needed for &lt;vmdir&gt; </c>; otherwise keeps the newest
    /// <c>max-1</c> successful backups besides the new one (<c>Deleting oldest backup &lt;vmdir&gt;/&lt;entry&gt; </c> for
    /// each deletion, oldest first).
    /// </summary>
    public static NauRetentionPlan PlanPreClean(string vmDir, NauVmFolderListing listing, int maxBackups, string currentFolder)
    {
        ArgumentNullException.ThrowIfNull(vmDir);
        ArgumentNullException.ThrowIfNull(listing);
        var pre = maxBackups - 1;
        var steps = new List<NauRetentionStep>
        {
            new($"success identifying directory : {vmDir} "),
            new($"pre_VM_max_backups: {pre} "),
        };
        if (pre < 1)
        {
            steps.Add(new($"No pre_cleanup needed for {vmDir} "));
            return new NauRetentionPlan(steps);
        }

        steps.AddRange(Prune(vmDir, listing, maxBackups, currentFolder));
        return new NauRetentionPlan(steps);
    }

    /// <summary>
    /// v3.25's retention in <c>final_cleanup</c>, after the success marker of <paramref name="currentFolder"/> was
    /// written: keeps the newest <paramref name="maxBackups"/> successful backups (the new one included), logging
    /// <c>Deleting oldest backup &lt;vmdir&gt;/&lt;entry&gt; </c> for each deletion, oldest first.
    /// </summary>
    public static NauRetentionPlan PlanAfterSuccess(string vmDir, NauVmFolderListing listing, int maxBackups, string currentFolder)
    {
        ArgumentNullException.ThrowIfNull(vmDir);
        ArgumentNullException.ThrowIfNull(listing);
        return new NauRetentionPlan([.. Prune(vmDir, listing, maxBackups, currentFolder)]);
    }

    /// <summary>
    /// v3.25's <c>check_all_backups_success</c>: when a backup folder has no success marker, the lines
    /// <c>WARNING: directory not successful - &lt;entry&gt;</c> (the first one in name order) and
    /// <c>WARNING cleanup needed - not all backup history is successful</c>; the VM's status becomes warning.
    /// </summary>
    public static NauHistoryCheck CheckHistory(NauVmFolderListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        const string cleanup = "WARNING cleanup needed - not all backup history is successful";
        if (listing.Backups.Count == 0)
        {
            return new NauHistoryCheck(false, [cleanup]);
        }

        var failed = listing.Backups.FirstOrDefault(b => !b.IsSuccessful);
        return failed is null
            ? new NauHistoryCheck(true, [])
            : new NauHistoryCheck(false, [$"WARNING: directory not successful - {failed.Name}", cleanup]);
    }

    private static IEnumerable<NauRetentionStep> Prune(string vmDir, NauVmFolderListing listing, int maxBackups, string currentFolder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBackups, 1);
        ArgumentNullException.ThrowIfNull(currentFolder);
        var others = listing.Backups.Where(b => !string.Equals(b.Name, currentFolder, StringComparison.Ordinal)).ToList();
        var successfulOthers = others.Where(b => b.IsSuccessful).ToList();

        // The new folder takes one of the max_backups places, successful yet or not.
        var keep = maxBackups - 1;
        var toDelete = new HashSet<string>(StringComparer.Ordinal);
        foreach (var old in successfulOthers.Take(Math.Max(0, successfulOthers.Count - keep)))
        {
            toDelete.Add(old.Name);
        }

        var newestSuccessful = listing.NewestSuccessful;
        if (newestSuccessful is not null)
        {
            foreach (var failed in others.Where(b => !b.IsSuccessful && string.CompareOrdinal(b.Name, newestSuccessful.Name) < 0))
            {
                toDelete.Add(failed.Name);
            }

            // Never the newest successful backup, whatever the arithmetic above says.
            toDelete.Remove(newestSuccessful.Name);
        }

        return others.Where(b => toDelete.Contains(b.Name))
            .Select(b => new NauRetentionStep($"Deleting oldest backup {vmDir}/{b.Name} ", b.Name));
    }
}
