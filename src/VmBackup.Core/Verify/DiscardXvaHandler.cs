using VmBackup.Formats.Disks;
using VmBackup.Formats.Xva;

namespace VmBackup.Core.Verify;

/// <summary>An <see cref="IXvaReadHandler"/> that drops every disk's data (the reader still verifies each chunk).</summary>
internal sealed class DiscardXvaHandler : IXvaReadHandler
{
    public static DiscardXvaHandler Instance { get; } = new();

    public ValueTask OnMetadataAsync(OvaXml metadata, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IDiskSink> BeginDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken) => ValueTask.FromResult<IDiskSink>(DiscardDiskSink.Instance);

    public ValueTask EndDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
