using System.Net;
using VmBackup.Xapi.Records;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Transfers;

/// <content>Imports (HTTP PUT).</content>
public sealed partial class XenApiTransfers
{
    /// <summary>
    /// <c>PUT /import?sr_id=&amp;restore=&amp;force=</c>: imports an XVA (plain, gzip or zstd) and returns the new VMs
    /// (XAPI lists only non-snapshots, unless only snapshots were imported).
    /// </summary>
    /// <param name="xva">The XVA; read from its current position.</param>
    /// <param name="length">Its length in bytes; <see langword="null"/> for the rest of a seekable <paramref name="xva"/>.</param>
    /// <param name="sr">The SR for the disks; <see langword="null"/> for the pool's default SR.</param>
    /// <param name="restore">Keep the UUIDs and MACs of the export (a restore rather than a copy).</param>
    /// <param name="force">Ignore checksum errors and skip the cleanup of a failed import.</param>
    /// <param name="progress">Receives the bytes sent so far (throttled, and once at the end).</param>
    /// <param name="cancellationToken">Cancels the upload and the task.</param>
    /// <exception cref="XenApiException">XAPI refused or failed the import (e.g. <c>IMPORT_ERROR</c>, <c>SR_FULL</c>).</exception>
    /// <exception cref="XenApiConnectionException">The server cannot be reached or answered an unexpected status.</exception>
    /// <exception cref="ArgumentException">The length is unknown (non-seekable stream without <paramref name="length"/>).</exception>
    public async Task<IReadOnlyList<XenRef<VmRecord>>> ImportVmAsync(Stream xva, long? length, XenRef<SrRecord>? sr, bool restore, bool force, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (sr is { IsNull: false } target)
        {
            query.Add(new("sr_id", target.OpaqueRef));
        }

        query.Add(new("restore", Flag(restore)));
        query.Add(new("force", Flag(force)));
        var result = await PutAsync("/import", query, "Import of a VM", xva, length, progress, null, cancellationToken).ConfigureAwait(false);
        return Refs<VmRecord>(result);
    }

    /// <summary><c>PUT /import_metadata?restore=&amp;force=&amp;dry_run=</c>: imports a metadata tar (<c>ova.xml</c> only) and returns the VMs it created (or would create).</summary>
    /// <inheritdoc cref="ImportVmAsync" path="/exception"/>
    public Task<IReadOnlyList<XenRef<VmRecord>>> ImportVmMetadataAsync(Stream metadata, long? length, bool restore, bool force, bool dryRun, IProgress<long>? progress, CancellationToken cancellationToken)
        => ImportVmMetadataAsync(metadata, length, restore, force, dryRun, new Dictionary<string, string>(), progress, cancellationToken);

    /// <summary>
    /// <c>PUT /import_metadata?restore=&amp;force=&amp;dry_run=&amp;vdi:&lt;uuid&gt;=&lt;uuid&gt;…</c>: as
    /// <see cref="ImportVmMetadataAsync(Stream, long?, bool, bool, bool, IProgress{long}?, CancellationToken)"/>, with a
    /// VDI map: the VBDs of a VDI of the metadata (by its uuid, or the <c>SCSIid</c> of its sm_config) are attached to the
    /// VDI of the pool with the mapped uuid (or <c>SCSIid</c>) instead of the one found by SR and location.
    /// </summary>
    /// <param name="metadata">The tar holding <c>ova.xml</c>; read from its current position.</param>
    /// <param name="length">Its length in bytes; <see langword="null"/> for the rest of a seekable <paramref name="metadata"/>.</param>
    /// <param name="restore">Keep the uuids and MACs of the metadata.</param>
    /// <param name="force">Skip VDIs that cannot be found and the cleanup of a failed import.</param>
    /// <param name="dryRun">Check only; nothing is created.</param>
    /// <param name="vdiMap">Uuid of a VDI in the metadata → uuid of the pool's VDI to use for it.</param>
    /// <param name="progress">Receives the bytes sent so far.</param>
    /// <param name="cancellationToken">Cancels the upload and the task.</param>
    /// <inheritdoc cref="ImportVmAsync" path="/exception"/>
    public async Task<IReadOnlyList<XenRef<VmRecord>>> ImportVmMetadataAsync(Stream metadata, long? length, bool restore, bool force, bool dryRun, IReadOnlyDictionary<string, string> vdiMap, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vdiMap);
        var query = new List<KeyValuePair<string, string>> { new("restore", Flag(restore)), new("force", Flag(force)), new("dry_run", Flag(dryRun)) };
        foreach (var (original, target) in vdiMap.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            query.Add(new("vdi:" + original, target));
        }

        var result = await PutAsync("/import_metadata", query, "Metadata import", metadata, length, progress, null, cancellationToken).ConfigureAwait(false);
        return Refs<VmRecord>(result);
    }

    /// <summary>
    /// <c>PUT /import_raw_vdi?vdi=&amp;format=</c>: writes <paramref name="length"/> bytes into an existing VDI. A raw
    /// body overwrites from offset 0; a VHD body writes only the blocks it holds (how a differencing export is applied).
    /// </summary>
    /// <returns>The VDI XAPI reports as written.</returns>
    /// <inheritdoc cref="ImportVmAsync" path="/exception"/>
    public async Task<XenRef<VdiRecord>> ImportVdiAsync(XenRef<VdiRecord> vdi, Stream data, long length, VdiImportFormat format, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        RequireRef(vdi, nameof(vdi));
        var formatName = format switch
        {
            VdiImportFormat.Raw => "raw",
            VdiImportFormat.Vhd => "vhd",
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        var result = await PutAsync("/import_raw_vdi", [new("vdi", vdi.OpaqueRef), new("format", formatName)], "Import into VDI " + vdi.OpaqueRef, data, length, progress, null, cancellationToken).ConfigureAwait(false);
        var refs = Refs<VdiRecord>(result);
        return refs.Count > 0 ? refs[0] : vdi;
    }

    /// <summary>
    /// <c>PUT /pool/xmldbdump?dry_run=</c>: validates a pool database dump and, unless <paramref name="dryRun"/>, stages
    /// it and restarts the master's toolstack (what <c>xe pool-restore-database</c> does). After a real restore the
    /// session is gone; a lost connection once the upload was accepted is therefore not an error.
    /// </summary>
    /// <inheritdoc cref="ImportVmAsync" path="/exception"/>
    public async Task RestorePoolDatabaseAsync(Stream database, long length, bool dryRun, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>> { new("dry_run", Flag(dryRun)) };
        await PutAsync("/pool/xmldbdump", query, "Pool database restore", database, length, progress, null, cancellationToken, taskMayVanish: !dryRun).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PUT /host_restore</c> on <paramref name="host"/>'s own address: restores a backup made by
    /// <see cref="ExportHostBackupAsync"/> (what <c>xe host-restore</c> does; it takes effect at the host's next boot).
    /// </summary>
    /// <inheritdoc cref="ImportVmAsync" path="/exception"/>
    public async Task RestoreHostAsync(XenRef<HostRecord> host, Stream backup, long length, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        RequireRef(host, nameof(host));
        var server = await HostServerAsync(host, cancellationToken).ConfigureAwait(false);
        await PutAsync("/host_restore", [], "Restore of host " + host.OpaqueRef, backup, length, progress, server, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decodes a task result of refs: an XML-RPC array of refs, one ref, or void.</summary>
    internal static IReadOnlyList<XenRef<T>> Refs<T>(object? result)
        where T : IXenApiRecord<T> => result switch
        {
            null => [],
            string text => text.Length == 0 ? [] : [new XenRef<T>(text)],
            _ => XenValueConverter.Convert<IReadOnlyList<XenRef<T>>>(result),
        };

    private static long UploadLength(Stream body, long? length)
    {
        if (length is { } known)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(known, nameof(length));
            return known;
        }

        if (body.CanSeek)
        {
            return body.Length - body.Position;
        }

        throw new ArgumentException("XAPI refuses chunked uploads: pass the length of a non-seekable stream.", nameof(length));
    }

    private async Task<object?> PutAsync(string path, IEnumerable<KeyValuePair<string, string>> query, string what, Stream body, long? length, IProgress<long>? progress, Uri? server, CancellationToken cancellationToken, bool taskMayVanish = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var size = UploadLength(body, length);
        var start = body.CanSeek ? body.Position : -1;
        var task = await TransferTask.CreateAsync(_session, "VmBackup: " + what, Options.TaskCompletionTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            using var client = NewClient();
            var reporter = new ProgressThrottle(progress, Options.ProgressInterval);
            var uri = BuildUri(server, path, query, task);
            for (var hop = 0; ; hop++)
            {
                HttpResponseMessage response;
                UploadContent content;
                try
                {
                    (response, content) = await SendUploadAsync(client, uri, body, size, reporter, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // XAPI closes the connection when an import fails while reading: its task says why.
                    throw await task.FailureAsync(ConnectionFailure(what, uri, e), cancellationToken).ConfigureAwait(false);
                }

                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        reporter.Finish(content.BytesSent);
                        await DrainAsync(response, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                    if (!IsRedirect(response.StatusCode))
                    {
                        throw await HttpFailureAsync(task, response, uri, what, cancellationToken).ConfigureAwait(false);
                    }

                    var next = RedirectTarget(response, uri, hop, what);
                    if (content.Started)
                    {
                        if (start < 0)
                        {
                            throw new XenApiConnectionException(
                                what + ": " + Where(uri) + " redirected after the upload started, and the source stream cannot be rewound.",
                                TransferTask.Authority(uri))
                            {
                                HttpStatusCode = (int)response.StatusCode,
                            };
                        }

                        body.Position = start;
                    }

                    uri = next;
                }
            }

            try
            {
                return await task.WaitAsync(what, uri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (taskMayVanish && (e is XenApiConnectionException || e is XenApiException { ErrorCode: XenApiErrorCodes.SessionInvalid or XenApiErrorCodes.HandleInvalid }))
            {
                // The upload was accepted and the server restarts: the task (and the session) may be gone.
                _session.Options.Trace?.Invoke(what + ": accepted; the task could not be read afterwards (" + e.GetType().Name + ").");
                return null;
            }
        }
        catch (Exception e) when (e is not XenApiException)
        {
            await task.AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(HttpResponseMessage Response, UploadContent Content)> SendUploadAsync(HttpClient client, Uri uri, Stream body, long size, ProgressThrottle reporter, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(PutMethod, uri);
        var content = new UploadContent(body, size, Options.UploadBufferSize, reporter.Report);
        request.Content = content;
        request.Headers.ExpectContinue = true; // no body before the headers: a redirect then needs no rewind
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return (response, content);
    }

    /// <summary>Reads XAPI's (normally empty, close-delimited) response body to its end; a reset after the body is not an error (the task decides).</summary>
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The import's outcome is in its task.
        }
    }
}
