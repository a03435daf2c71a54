namespace VmBackup.Core.Dr;

/// <summary>What <see cref="DrRecovery"/> does after printing its plan.</summary>
public enum DrFailoverMode
{
    /// <summary>On the secondary: recover the VMs and vApps (and start them when asked).</summary>
    Failover,

    /// <summary>On the secondary: recover without starting, check the disks, then remove what was recovered and forget the SRs.</summary>
    TestFailover,

    /// <summary>
    /// On the primary once it returns: recover the secondary's newer copies (read from the secondary's replicated
    /// metadata) over this pool's older ones; refused for a VM still running on the secondary.
    /// </summary>
    Failback,
}
