namespace VmBackup.Core.Dr;

/// <summary>An SR found on the replicated storage by <c>SR.probe</c> with <c>sm_config:metadata=true</c>.</summary>
public sealed record DrProbedSr(string Uuid, string NameLabel, string NameDescription);
