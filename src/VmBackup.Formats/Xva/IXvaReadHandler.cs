using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Xva;

/// <summary>Receives what <see cref="XvaReader"/> finds, in stream order.</summary>
public interface IXvaReadHandler
{
    /// <summary>Called once with the parsed ova.xml, before any disk.</summary>
    ValueTask OnMetadataAsync(OvaXml metadata, CancellationToken cancellationToken);

    /// <summary>Called when the first chunk of a disk is found; returns where the disk's data goes.</summary>
    ValueTask<IDiskSink> BeginDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken);

    /// <summary>Called when the disk is complete (offset ≥ virtual size).</summary>
    ValueTask EndDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken);
}
