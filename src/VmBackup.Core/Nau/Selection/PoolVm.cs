namespace VmBackup.Core.Nau.Selection;

/// <summary>One VM object of the pool (VM, template, snapshot or control domain), in pool order.</summary>
/// <param name="Ref">The OpaqueRef.</param>
/// <param name="NameLabel">name_label.</param>
/// <param name="IsATemplate">is_a_template.</param>
/// <param name="IsASnapshot">is_a_snapshot.</param>
/// <param name="IsControlDomain">is_control_domain (dom0).</param>
public sealed record PoolVm(string Ref, string NameLabel, bool IsATemplate, bool IsASnapshot, bool IsControlDomain)
{
    /// <summary>True for a selectable VM: not a template, not a snapshot, not a control domain (v3.25's <c>all_vms</c>).</summary>
    public bool IsSelectable => !IsATemplate && !IsASnapshot && !IsControlDomain;

    /// <summary>v3.25's <c>all_vms</c>: names of the selectable VMs in pool order (duplicates kept).</summary>
    public static IReadOnlyList<string> SelectableNames(IEnumerable<PoolVm> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Where(v => v.IsSelectable).Select(v => v.NameLabel).ToList();
    }
}
