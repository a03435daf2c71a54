namespace VmBackup.Core.Verify;

/// <summary>The verification state of a restore point as <c>vmbackup list</c> reports it, from its <c>verified</c> file.</summary>
public enum VerificationState
{
    /// <summary>No (readable) <c>verified</c> file: never verified.</summary>
    Never,

    /// <summary>Verified OK, and the data file is unchanged since (same name, size and modification time).</summary>
    Ok,

    /// <summary>The last verification failed, and the data file is unchanged since.</summary>
    Failed,

    /// <summary>A <c>verified</c> file exists but the data file changed (or appeared or vanished) after it was written.</summary>
    Stale,
}
