namespace VmBackup.Core.Dr;

/// <summary>What <see cref="DrSecondary"/> does after printing its plan.</summary>
public enum DrFailoverMode
{
    /// <summary>Print the plan only.</summary>
    DryRun,

    /// <summary>Recover the VMs (and start them when asked).</summary>
    Failover,

    /// <summary>Recover the VMs without starting them, check their disks, then remove them again.</summary>
    TestFailover,
}
