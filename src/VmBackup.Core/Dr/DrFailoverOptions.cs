namespace VmBackup.Core.Dr;

/// <summary>Options of <c>vmbackup dr failover|test-failover|failback</c>.</summary>
public sealed record DrFailoverOptions
{
    /// <summary>What to do after the plan.</summary>
    public DrFailoverMode Mode { get; init; }

    /// <summary>Print the plan and change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The replicated storage to introduce first; null when the SRs are already attached to this pool.</summary>
    public DrStorageTarget? Storage { get; init; }

    /// <summary>Only the VMs with these names or uuids. With <see cref="Appliances"/> also empty: every VM and vApp.</summary>
    public IReadOnlyList<string> Vms { get; init; } = [];

    /// <summary>Only the vApps with these names or uuids.</summary>
    public IReadOnlyList<string> Appliances { get; init; } = [];

    /// <summary>Only the metadata on these SRs of this pool (name label or uuid); empty for every SR.</summary>
    public IReadOnlyList<string> Srs { get; init; } = [];

    /// <summary>Start the recovered VMs and vApps (vApps in their start order); not for a test failover.</summary>
    public bool Start { get; init; }

    /// <summary>Replace a VM of this pool with the same uuid even when it is as recent (xapi's <c>force</c>); not for a test failover.</summary>
    public bool Force { get; init; }
}
