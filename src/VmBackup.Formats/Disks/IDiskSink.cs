namespace VmBackup.Formats.Disks;

/// <summary>
/// Receives the content of a disk as (offset, data) writes. Ranges never written are zero (for a full disk) or keep
/// the base disk's content (when a differencing disk is applied on top of a base). Calls come from one caller at a
/// time; <paramref name="data"/> is only valid during the call.
/// </summary>
public interface IDiskSink
{
    /// <summary>Writes <paramref name="data"/> at byte <paramref name="offset"/>.</summary>
    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
