using VmBackup.Formats.Disks;

namespace VmBackup.Core.Verify;

/// <summary>An <see cref="IDiskSink"/> that drops the data: verification only needs the reader's checks.</summary>
internal sealed class DiscardDiskSink : IDiskSink
{
    public static DiscardDiskSink Instance { get; } = new();

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
