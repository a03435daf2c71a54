namespace XapiSim.PoolFile;

/// <summary>
/// A storage target (LUN) the pool's hosts can reach without it being an SR of the pool, e.g. the replicated LUN at
/// the DR site: <c>SR.probe</c> finds the SR recorded in its folder and <c>PBD.plug</c> of a PBD with a matching
/// <c>device_config</c> attaches that folder.
/// </summary>
public sealed record StorageTargetDefinition
{
    /// <summary>SR driver type the target answers to (lvmoiscsi, lvmohba...).</summary>
    public required string Type { get; init; }

    /// <summary>The device_config keys and values that identify the target (e.g. target, targetIQN, SCSIid).</summary>
    public required IReadOnlyDictionary<string, string> DeviceConfig { get; init; }

    /// <summary>The shared-storage folder holding the target's content (full path; in the pool file relative to the pool file's folder).</summary>
    public required string Folder { get; init; }
}
