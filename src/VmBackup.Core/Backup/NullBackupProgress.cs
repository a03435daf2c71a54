namespace VmBackup.Core.Backup;

/// <summary>An <see cref="IBackupProgress"/> that ignores everything.</summary>
public sealed class NullBackupProgress : IBackupProgress
{
    /// <summary>The instance.</summary>
    public static NullBackupProgress Instance { get; } = new();

    private NullBackupProgress()
    {
    }

    /// <inheritdoc />
    public void Started(string vmName, string kind, long? expectedBytes)
    {
    }

    /// <inheritdoc />
    public void Transferred(string vmName, long bytes)
    {
    }

    /// <inheritdoc />
    public void Finished(string vmName, bool success, long bytes)
    {
    }
}
