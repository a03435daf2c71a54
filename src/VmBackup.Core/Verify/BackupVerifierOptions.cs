namespace VmBackup.Core.Verify;

/// <summary>Options of <see cref="BackupVerifier"/>.</summary>
public sealed record BackupVerifierOptions
{
    /// <summary>The clock for the record's date and the duration. <value>The default is <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Write the result to the <c>verified</c> file in the backup folder. <value>The default is true.</value></summary>
    public bool WriteRecord { get; init; } = true;

    /// <summary>Size of each of the two read-ahead buffers, in bytes (1-16 MiB). <value>The default is 4 MiB.</value></summary>
    public int ReadBufferSize { get; init; } = 4 * 1024 * 1024;
}
