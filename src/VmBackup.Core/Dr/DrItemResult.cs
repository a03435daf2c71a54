namespace VmBackup.Core.Dr;

/// <summary>What a failover, test failover or failback planned and did for one VM or vApp (for <c>--json</c>).</summary>
public sealed class DrItemResult
{
    /// <summary>"VM" or "vApp".</summary>
    public required string Kind { get; init; }

    /// <summary>The name label.</summary>
    public required string Name { get; init; }

    /// <summary>The uuid (kept by the recovery).</summary>
    public required string Uuid { get; init; }

    /// <summary>The uuid of the pool whose metadata the copy comes from.</summary>
    public required string SourcePool { get; init; }

    /// <summary>The SR holding that metadata.</summary>
    public required string SourceSr { get; init; }

    /// <summary>"recover", "skip" (not recovered: a failure) or "leave" (a failback leaves it where it is).</summary>
    public required string Action { get; init; }

    /// <summary>Why it is skipped or left; null when recovered.</summary>
    public string? Problem { get; init; }

    /// <summary>The plan's notes (copies considered, an older copy replaced, start order).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The VMs it brings (a vApp's, in start order; the VM itself).</summary>
    public IReadOnlyList<string> Vms { get; init; } = [];

    /// <summary>Recovered onto the pool.</summary>
    public bool Recovered { get; set; }

    /// <summary>Started after recovery.</summary>
    public bool Started { get; set; }

    /// <summary>The XAPI error of a failed recovery or start.</summary>
    public string? Error { get; set; }

    /// <summary>Test failover: disks found present on the recovered VMs; null when not checked.</summary>
    public int? DisksPresent { get; set; }

    /// <summary>Test failover: a recovered VM misses a disk.</summary>
    public bool CheckFailed { get; set; }

    /// <summary>Test failover: removed again.</summary>
    public bool Removed { get; set; }
}
