using VmBackup.Xapi.Transfers;

namespace VmBackup.Core.Restore;

/// <summary>What a restore does (<c>vmbackup restore</c>'s options). Immutable.</summary>
public sealed record RestoreOptions
{
    /// <summary>The target SR: name-label or uuid; null for the pool's default SR. ISO SRs are refused.</summary>
    public string? Sr { get; init; }

    /// <summary>The restored VM's name-label; null for the backed-up VM's name.</summary>
    public string? NewName { get; init; }

    /// <summary>
    /// Keep the identity of the backup: the VM uuid and the MACs (an XVA is imported with <c>restore=true</c>; a raw/VHD
    /// backup's VM comes from its <c>vm-metadata.xml</c> through <c>PUT /import_metadata?restore=true</c>). Refused while the original VM or one of its
    /// MACs is on the pool, unless <see cref="Force"/> (then a Halted original is replaced).
    /// </summary>
    public bool Preserve { get; init; }

    /// <summary>Start the VM once restored.</summary>
    public bool Start { get; init; }

    /// <summary>Allow what would otherwise be refused: a VM of the same name, replacing the original with <see cref="Preserve"/>.</summary>
    public bool Force { get; init; }

    /// <summary>Restore only the disk(s) into new VDIs, no VM.</summary>
    public bool DiskOnly { get; init; }

    /// <summary>Create no network interface (the health check's "networks disconnected").</summary>
    public bool WithoutNetworks { get; init; }

    /// <summary>Transfer tuning (buffer size, progress interval); null for the defaults.</summary>
    public XenApiTransferOptions? Transfers { get; init; }

    /// <summary>How long the rollback of a failed restore may take.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock (durations).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
