namespace VmBackup.Core.Dr;

/// <summary>
/// One line of the recovery plan: a VM or a vApp, the copy chosen (the most recent of those found), why it is not
/// recovered (<see cref="Problem"/>) or what recovering it implies (<see cref="Notes"/>).
/// </summary>
internal sealed record DrPlanItem
{
    /// <summary>The VM, for a VM line.</summary>
    public DrVmCopy? Vm { get; init; }

    /// <summary>The vApp, for a vApp line.</summary>
    public DrApplianceCopy? Appliance { get; init; }

    /// <summary>Why it is not recovered; null when it is.</summary>
    public string? Problem { get; init; }

    /// <summary>
    /// For a failback: the VM belongs where it is (its disks are not on storage this pool sees, and this pool never
    /// had it): reported, not counted as a failure.
    /// </summary>
    public bool StaysAtSource { get; init; }

    /// <summary>What recovering it implies (copies considered, an older copy replaced).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>"VM" or "vApp".</summary>
    public string Kind => Appliance is null ? "VM" : "vApp";

    /// <summary>The name label.</summary>
    public string Name => Appliance?.Appliance.NameLabel ?? Vm!.Vm.NameLabel;

    /// <summary>The uuid, kept by the recovery.</summary>
    public string Uuid => Appliance?.Appliance.Uuid ?? Vm!.Vm.Uuid;

    /// <summary>The metadata database the copy is recovered from.</summary>
    public DrMetadataSource Source => Appliance?.Source ?? Vm!.Source;

    /// <summary>The ref of the VM or vApp in <see cref="Source"/>.</summary>
    public string SourceRef => Appliance?.Ref ?? Vm!.Ref;

    /// <summary>The VMs this line recovers: the vApp's, or the VM itself.</summary>
    public IReadOnlyList<DrVmCopy> Members => Appliance?.Vms ?? [Vm!];
}
