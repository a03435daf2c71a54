namespace VmBackup.Core.Dr;

/// <summary>Options of <c>vmbackup dr failover|test-failover</c>.</summary>
public sealed record DrFailoverOptions
{
    /// <summary>What to do after the plan.</summary>
    public DrFailoverMode Mode { get; init; }

    /// <summary>Only the VMs with these names or uuids; empty for every VM of the metadata.</summary>
    public IReadOnlyList<string> Vms { get; init; } = [];

    /// <summary>Only the metadata on these SRs (name label or uuid); empty for every SR.</summary>
    public IReadOnlyList<string> Srs { get; init; } = [];

    /// <summary>Start the recovered VMs (failover only).</summary>
    public bool Start { get; init; }

    /// <summary>Replace a VM that already exists on this pool with the same uuid (failover only).</summary>
    public bool Force { get; init; }
}
