namespace VmBackup.Core.Dr;

/// <summary>
/// The replicated storage to introduce on the recovering pool (<c>DR_task.create</c>): the SR driver type (e.g.
/// <c>lvmoiscsi</c>, <c>lvmohba</c>), its device configuration (target, IQN, SCSI id...) and, optionally, the uuids of
/// the SRs to use among those the probe finds.
/// </summary>
public sealed record DrStorageTarget
{
    /// <summary>The SR type the probe and the PBDs use.</summary>
    public required string Type { get; init; }

    /// <summary>The <c>device_config</c> of the probe and of the PBDs.</summary>
    public required IReadOnlyDictionary<string, string> DeviceConfig { get; init; }

    /// <summary>Only these SR uuids; empty for every SR the probe finds.</summary>
    public IReadOnlyList<string> SrUuids { get; init; } = [];
}
