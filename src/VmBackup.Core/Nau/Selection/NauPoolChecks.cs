namespace VmBackup.Core.Nau.Selection;

/// <summary>
/// v3.25's name look-ups against the pool, as pure functions. <c>VM.get_by_name_label</c> returns every object
/// with the name: VMs, templates, snapshots and control domains, in pool order.
/// </summary>
public static class NauPoolChecks
{
    /// <summary>The refs <c>VM.get_by_name_label(name)</c> returns.</summary>
    public static IReadOnlyList<PoolVm> ByNameLabel(string name, IReadOnlyList<PoolVm> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Where(v => string.Equals(v.NameLabel, name, StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// The preview duplicate-name scan: for every name in <paramref name="remainingVms"/> (v3.25's <c>all_vms</c>
    /// after excludes, one check per occurrence) with more than one non-snapshot object (VMs, templates, dom0),
    /// the line <c>*** ERROR: duplicate VM name found: NAME | ['OpaqueRef:…', …]</c>. Does not change the exit status.
    /// </summary>
    public static IReadOnlyList<NauLogLine> PreviewDuplicateScan(IReadOnlyList<string> remainingVms, IReadOnlyList<PoolVm> pool)
    {
        ArgumentNullException.ThrowIfNull(remainingVms);
        var lines = new List<NauLogLine>();
        foreach (var name in remainingVms)
        {
            var refs = ByNameLabel(name, pool).Where(v => !v.IsASnapshot).Select(v => v.Ref).ToList();
            if (refs.Count > 1)
            {
                lines.Add(NauLogLine.Log($"*** ERROR: duplicate VM name found: {name} | {PythonText.ReprList(refs)}"));
            }
        }

        return lines;
    }

    /// <summary>
    /// v3.25's run-time <c>verify_vm_name</c>: more than one non-snapshot object with the name is an error for that
    /// VM; none at all is "no machines found". Unlike v3.25 (which returned the first object, possibly a snapshot),
    /// the ref returned is the first non-snapshot object.
    /// </summary>
    public static NauVmNameCheck VerifyVmName(string name, IReadOnlyList<PoolVm> pool)
    {
        ArgumentNullException.ThrowIfNull(name);
        var all = ByNameLabel(name, pool);
        var nonSnapshots = all.Where(v => !v.IsASnapshot).ToList();
        if (nonSnapshots.Count > 1)
        {
            return new NauVmNameCheck(
                null,
                [NauLogLine.Log($"ERROR: duplicate VM name found: {name} | {PythonText.ReprList(nonSnapshots.Select(v => v.Ref))}")],
                $"ERROR more than one vm with the name {name}");
        }

        if (nonSnapshots.Count == 0)
        {
            return new NauVmNameCheck(null, [], $"ERROR no machines found with the name {name}");
        }

        return new NauVmNameCheck(nonSnapshots[0].Ref, [], null);
    }

    /// <summary>
    /// v3.25's <c>verify_config_vms_exist</c>: every vdi then vm entry's name must exist (any object);
    /// missing names give <c>ERROR - vm(s) List does not exist: a b </c> (fatal); missing excludes only warn.
    /// </summary>
    /// <returns>The lines and whether all export names exist.</returns>
    public static (IReadOnlyList<NauLogLine> Lines, bool AllExist) VerifyConfigVmsExist(
        IReadOnlyList<NauSelectionEntry> vdiExport,
        IReadOnlyList<NauSelectionEntry> vmExport,
        IReadOnlyList<string> exclude,
        IReadOnlyList<PoolVm> pool)
    {
        ArgumentNullException.ThrowIfNull(vdiExport);
        ArgumentNullException.ThrowIfNull(vmExport);
        ArgumentNullException.ThrowIfNull(exclude);
        var lines = new List<NauLogLine>();
        var missing = string.Concat(vdiExport.Concat(vmExport)
            .Where(e => ByNameLabel(e.VmName, pool).Count == 0)
            .Select(e => e.VmName + " "));
        if (missing.Length > 0)
        {
            lines.Add(NauLogLine.Log($"ERROR - vm(s) List does not exist: {missing}"));
        }

        var missingExcludes = string.Concat(exclude.Where(n => ByNameLabel(n, pool).Count == 0).Select(n => n + " "));
        if (missingExcludes.Length > 0)
        {
            lines.Add(NauLogLine.Log($"***WARNING - vm(s) Exclude does not exist: {missingExcludes}"));
        }

        return (lines, missing.Length == 0);
    }
}
