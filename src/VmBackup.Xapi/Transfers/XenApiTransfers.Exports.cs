using System.Net;
using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Transfers;

/// <content>Exports (HTTP GET).</content>
public sealed partial class XenApiTransfers
{
    /// <summary>
    /// <c>GET /export?ref=&amp;use_compression=</c>: the VM as an XVA (compressed as a whole if asked). The VM must be
    /// <c>Halted</c> or <c>Suspended</c> (export a snapshot of a running VM).
    /// </summary>
    /// <returns>The body; read it to its end (see <see cref="XenApiTransferStream"/> for the completeness contract).</returns>
    /// <exception cref="XenApiException">XAPI refused the export (e.g. <c>VM_BAD_POWER_STATE</c>, <c>HANDLE_INVALID</c>).</exception>
    /// <exception cref="XenApiConnectionException">The server cannot be reached or answered an unexpected status.</exception>
    public Task<XenApiTransferStream> ExportVmAsync(XenRef<VmRecord> vm, XvaCompression compression, CancellationToken cancellationToken)
    {
        RequireRef(vm, nameof(vm));
        var useCompression = compression switch
        {
            XvaCompression.None => "false",
            XvaCompression.Gzip => "true",
            XvaCompression.Zstd => "zstd",
            _ => throw new ArgumentOutOfRangeException(nameof(compression)),
        };
        return GetAsync("/export", [new("ref", vm.OpaqueRef), new("use_compression", useCompression)], "Export of VM " + vm.OpaqueRef, null, cancellationToken);
    }

    /// <summary><c>GET /export_metadata?ref=&amp;export_snapshots=</c>: a tar holding only the VM's <c>ova.xml</c> (what <c>xe vm-export --metadata</c> writes).</summary>
    /// <inheritdoc cref="ExportVmAsync" path="/exception"/>
    public Task<XenApiTransferStream> ExportVmMetadataAsync(XenRef<VmRecord> vm, bool exportSnapshots, CancellationToken cancellationToken)
    {
        RequireRef(vm, nameof(vm));
        return GetAsync("/export_metadata", [new("ref", vm.OpaqueRef), new("export_snapshots", Flag(exportSnapshots))], "Metadata export of VM " + vm.OpaqueRef, null, cancellationToken);
    }

    /// <summary>
    /// <c>GET /export_raw_vdi?vdi=&amp;format=[&amp;base=]</c>: one disk. With <paramref name="baseVdi"/> and
    /// <see cref="VdiExportFormat.Vhd"/>, a differencing VHD holding only the blocks that differ from the base.
    /// </summary>
    /// <inheritdoc cref="ExportVmAsync" path="/exception"/>
    public Task<XenApiTransferStream> ExportVdiAsync(XenRef<VdiRecord> vdi, VdiExportFormat format, XenRef<VdiRecord>? baseVdi, CancellationToken cancellationToken)
    {
        RequireRef(vdi, nameof(vdi));
        var query = new List<KeyValuePair<string, string>> { new("vdi", vdi.OpaqueRef), new("format", FormatName(format)) };
        if (baseVdi is { IsNull: false } parent)
        {
            query.Add(new("base", parent.OpaqueRef));
        }

        return GetAsync("/export_raw_vdi", query, "Export of VDI " + vdi.OpaqueRef, null, cancellationToken);
    }

    /// <summary><c>GET /pool/xmldbdump</c>: the pool database as XML (what <c>xe pool-dump-database</c> writes).</summary>
    /// <inheritdoc cref="ExportVmAsync" path="/exception"/>
    public Task<XenApiTransferStream> ExportPoolDatabaseAsync(CancellationToken cancellationToken) =>
        GetAsync("/pool/xmldbdump", [], "Pool database dump", null, cancellationToken);

    /// <summary>
    /// <c>GET /host_backup</c> on <paramref name="host"/>'s own address (same scheme and port as the session): a gzip
    /// tar of that host's dom0 file system (what <c>xe host-backup</c> writes).
    /// </summary>
    /// <inheritdoc cref="ExportVmAsync" path="/exception"/>
    public async Task<XenApiTransferStream> ExportHostBackupAsync(XenRef<HostRecord> host, CancellationToken cancellationToken)
    {
        RequireRef(host, nameof(host));
        var server = await HostServerAsync(host, cancellationToken).ConfigureAwait(false);
        return await GetAsync("/host_backup", [], "Backup of host " + host.OpaqueRef, server, cancellationToken).ConfigureAwait(false);
    }

    private static string Flag(bool value) => value ? "true" : "false";

    private static string FormatName(VdiExportFormat format) => format switch
    {
        VdiExportFormat.Raw => "raw",
        VdiExportFormat.Vhd => "vhd",
        VdiExportFormat.Tar => "tar",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static void RequireRef<T>(XenRef<T> value, string name)
        where T : IXenApiRecord<T>
    {
        if (value.IsNull)
        {
            throw new ArgumentException("The " + T.ClassName + " reference is null.", name);
        }
    }

    private async Task<Uri> HostServerAsync(XenRef<HostRecord> host, CancellationToken cancellationToken)
    {
        var address = await _session.Host.GetFieldAsync<string>(host, "address", cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(address) ? _session.ServerUri : new UriBuilder(_session.ServerUri) { Host = address }.Uri;
    }

    private async Task<XenApiTransferStream> GetAsync(string path, IEnumerable<KeyValuePair<string, string>> query, string what, Uri? server, CancellationToken cancellationToken)
    {
        var task = await TransferTask.CreateAsync(_session, "VmBackup: " + what, Options.TaskCompletionTimeout, cancellationToken).ConfigureAwait(false);
        HttpClient? client = null;
        HttpResponseMessage? response = null;
        try
        {
            client = NewClient();
            var uri = BuildUri(server, path, query, task);
            for (var hop = 0; ; hop++)
            {
                using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
                {
                    response = await SendAsync(client, request, what, cancellationToken).ConfigureAwait(false);
                }

                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                if (IsRedirect(response.StatusCode))
                {
                    var next = RedirectTarget(response, uri, hop, what);
                    response.Dispose();
                    response = null;
                    uri = next;
                    continue;
                }

                var failure = await HttpFailureAsync(task, response, uri, what, cancellationToken).ConfigureAwait(false);
                response = null;
                throw failure;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new XenApiTransferStream(client, response, body, task, what, uri, Options.ProgressInterval);
        }
        catch
        {
            response?.Dispose();
            client?.Dispose();
            await task.AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }
}
