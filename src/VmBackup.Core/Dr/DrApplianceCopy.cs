using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>A vApp as one metadata database describes it, with its VMs (in start order).</summary>
internal sealed record DrApplianceCopy(DrMetadataSource Source, string Ref, VmApplianceRecord Appliance, IReadOnlyList<DrVmCopy> Vms);
