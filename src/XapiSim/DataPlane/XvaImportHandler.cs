using VmBackup.Formats.Disks;
using VmBackup.Formats.Xva;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>Receives an XVA being read: creates the objects when ova.xml arrives and points each disk at its new VDI.</summary>
internal sealed class XvaImportHandler(SimulatedPool pool, OvaImporter importer, Transfer transfer) : IXvaReadHandler
{
    public ValueTask OnMetadataAsync(OvaXml metadata, CancellationToken cancellationToken)
    {
        importer.CreateAll(metadata);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IDiskSink> BeginDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken)
    {
        var vdi = importer.Lookup(disk.Id) ?? throw new XenApiFailure("IMPORT_ERROR_FAILED_TO_FIND_OBJECT", disk.Id);
        var diskId = pool.DiskOf(vdi) ?? throw new XenApiFailure("IMPORT_ERROR_FAILED_TO_FIND_OBJECT", disk.Id);
        var exchange = transfer.Exchange;
        return ValueTask.FromResult<IDiskSink>(new StoreDiskSink(pool.Disks, diskId, () => transfer.Progress(exchange.RequestBodyBytesRead, exchange.RequestContentLength ?? 0)));
    }

    public ValueTask EndDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
