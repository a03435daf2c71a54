namespace VmBackup.Core.Nau.Run;

/// <summary>The session or the connection to the pool is gone: the run stops after cleaning up.</summary>
internal sealed class NauSessionLostException(string statusDetail, Exception inner) : Exception(inner.Message, inner)
{
    /// <summary>The status-log end detail of the VM that was running.</summary>
    public string StatusDetail { get; } = statusDetail;
}
