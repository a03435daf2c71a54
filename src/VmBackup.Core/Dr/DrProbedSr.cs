namespace VmBackup.Core.Dr;

/// <summary>
/// An SR found on the replicated storage by <c>SR.probe</c> with <c>sm_config:metadata=true</c>, with the device
/// configuration that reaches its LUN (the one given, plus the LUN's <c>SCSIid</c> when the storage has several).
/// </summary>
public sealed record DrProbedSr(string Uuid, string NameLabel, string NameDescription, IReadOnlyDictionary<string, string> DeviceConfig);
