namespace VmBackup.Core.Nau.Run;

/// <summary>Ends one VM's backup as an error with v3.25's status-log detail (the lines were logged already).</summary>
internal sealed class NauVmFailure(string statusDetail) : Exception(statusDetail)
{
    /// <summary>The status-log end detail (<see cref="NauStatusDetail"/>).</summary>
    public string StatusDetail { get; } = statusDetail;
}
