namespace VmBackup.Core.Nau.Run;

/// <summary>The outcome of one VM in a run; each VM adds exactly one to S, W or E.</summary>
public enum NauVmStatus
{
    /// <summary>Exported, marker written, no warning.</summary>
    Success,

    /// <summary>Exported and marked, but something needs attention (snapshot cleanup, empty device, history).</summary>
    Warning,

    /// <summary>No usable backup was made for this VM.</summary>
    Error,
}
