using XapiSim.DataPlane;
using XapiSim.Rpc;

namespace XapiSim.Model.Dr;

/// <summary>
/// Keeps the "Metadata for DR" VDI of one SR up to date: writes the pool database (the <c>/pool/xmldbdump</c>
/// document) at once, then again after every database change, debounced by <see cref="Debounce"/>.
/// </summary>
internal sealed class DatabaseReplication(SimulatedPool pool, string vdi) : IDisposable
{
    /// <summary>How long a change waits for further changes before the database is rewritten.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start()
    {
        var written = WriteNow();
        _loop = Task.Run(() => RunAsync(written, _stop.Token), CancellationToken.None);
    }

    /// <summary>Stops the writer and waits for a write in progress, so that no half-written database is left behind.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }

    /// <summary>Writes the database into the VDI. Returns the generation written.</summary>
    private long WriteNow()
    {
        var disk = pool.DiskOf(vdi) ?? throw new XenApiFailure("VDI_MISSING", pool.Database.GetString("VDI", vdi, "SR"), vdi);
        var generation = pool.Database.Generation;
        MetadataVdiContent.Write(pool.Disks, disk, XmlDbDumpWriter.Write(pool));
        return generation;
    }

    private async Task RunAsync(long written, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await pool.Database.WaitForChangeAsync(written, cancellationToken).ConfigureAwait(false);
                await Task.Delay(Debounce, pool.Time, cancellationToken).ConfigureAwait(false);
                if (!pool.Database.Exists(vdi, "VDI"))
                {
                    return;
                }

                written = WriteNow();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The simulator (its disk store) is gone: nothing left to replicate to.
        }
#pragma warning disable CA1031 // A background writer must not crash the process; the next enable starts a new one.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
