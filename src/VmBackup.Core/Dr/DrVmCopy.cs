using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>A VM as one metadata database describes it (<see cref="Ref"/> is a ref of that database).</summary>
internal sealed record DrVmCopy(DrMetadataSource Source, string Ref, VmRecord Vm);
