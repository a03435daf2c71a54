using XapiSim.Http;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>
/// XAPI's HTTP data plane on a simulated pool: <c>/export</c>, <c>/export_metadata</c>, <c>/export_raw_vdi</c>,
/// <c>/import</c>, <c>/import_metadata</c>, <c>/import_raw_vdi</c>, <c>/pool/xmldbdump</c>, <c>/host_backup</c> and
/// <c>/host_restore</c>, with xapi's authentication, task, redirect and error behaviour (docs/simulator.md, "HTTP
/// handlers"). Fault knobs: <see cref="TransferFaults.For"/>.
/// </summary>
public static class DataPlaneEndpoints
{
    /// <summary>Registers every data-plane handler on <paramref name="router"/> (safe while the server runs).</summary>
    public static void Map(HttpRouter router, SimulatedPool pool)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(pool);
        router.Map("GET", "/export", new ExportHandler(pool));
        router.Map("GET", "/export_metadata", new ExportMetadataHandler(pool));
        router.Map("GET", "/export_raw_vdi", new RawVdiExportHandler(pool));
        router.Map("PUT", "/import", new ImportHandler(pool));
        router.Map("PUT", "/import_metadata", new ImportMetadataHandler(pool));
        router.Map("PUT", "/import_raw_vdi", new RawVdiImportHandler(pool));
        router.Map("GET", "/pool/xmldbdump", new XmlDbDumpHandler(pool));
        router.Map("PUT", "/pool/xmldbdump", new XmlDbDumpHandler(pool));
        router.Map("GET", "/host_backup", new HostBackupHandler(pool));
        router.Map("PUT", "/host_restore", new HostBackupHandler(pool));
    }
}
