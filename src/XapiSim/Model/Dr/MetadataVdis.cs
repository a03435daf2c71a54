namespace XapiSim.Model.Dr;

/// <summary>
/// The bookkeeping of metadata VDIs when a shared SR is plugged or scanned (xapi_dr <c>handle_metadata_vdis</c> and
/// <c>update_metadata_latest</c>): each metadata VDI's database is read; <c>metadata_of_pool</c> becomes this pool when
/// the database is this pool's, else the foreign pool's ref; the foreign VDIs' database generations are remembered
/// and, per foreign pool, only the VDIs with the highest generation get <c>metadata_latest</c> = true. Replication into
/// this pool's own metadata VDI is switched back on when the SR is plugged.
/// </summary>
internal static class MetadataVdis
{
    /// <summary>Reads the metadata VDIs of <paramref name="sr"/> and recomputes <c>metadata_latest</c>; with <paramref name="plugged"/>, resumes replication into this pool's own one.</summary>
    public static void Refresh(SimulatedPool pool, string sr, bool plugged)
    {
        var db = pool.Database;
        var state = DrState.For(pool);
        string? own = null;
        lock (db.SyncRoot)
        {
            var ownUuid = db.GetString("pool", pool.PoolRef, "uuid");
            foreach (var vdi in MetadataVdisOf(pool, sr))
            {
                if (Read(pool, vdi) is not { } content)
                {
                    // A database that cannot be read is left out, as xapi leaves it out of its cache.
                    state.MetadataGenerations.TryRemove(vdi, out _);
                    own ??= db.GetString("VDI", vdi, "metadata_of_pool") == pool.PoolRef ? vdi : null;
                    continue;
                }

                if (content.PoolUuid == ownUuid)
                {
                    db.Set("VDI", vdi, "metadata_of_pool", pool.PoolRef);
                    state.MetadataGenerations.TryRemove(vdi, out _);
                    own ??= vdi;
                }
                else
                {
                    db.Set("VDI", vdi, "metadata_of_pool", content.PoolRef);
                    state.MetadataGenerations[vdi] = content.Generation;
                }
            }

            UpdateLatest(pool);
        }

        if (plugged && own is not null && pool.DiskOf(own) is not null)
        {
            state.StartReplication(pool, sr, own);
        }
    }

    /// <summary>The SR is unplugged: its foreign metadata VDIs leave the cache with <c>metadata_latest</c> = false; replication into its own one stops.</summary>
    public static void Unplugged(SimulatedPool pool, string sr)
    {
        var db = pool.Database;
        var state = DrState.For(pool);
        state.StopReplication(sr);
        lock (db.SyncRoot)
        {
            foreach (var vdi in MetadataVdisOf(pool, sr).Where(v => db.GetString("VDI", v, "metadata_of_pool") != pool.PoolRef))
            {
                state.MetadataGenerations.TryRemove(vdi, out _);
                db.Set("VDI", vdi, "metadata_latest", false);
            }

            UpdateLatest(pool);
        }
    }

    private static List<string> MetadataVdisOf(SimulatedPool pool, string sr)
        => [.. pool.Database.GetStrings("SR", sr, "VDIs").Where(v => pool.Database.GetString("VDI", v, "type") == "metadata")];

    /// <summary>Per foreign pool, <c>metadata_latest</c> = (generation = the highest generation known for that pool).</summary>
    private static void UpdateLatest(SimulatedPool pool)
    {
        var db = pool.Database;
        var cache = DrState.For(pool).MetadataGenerations;
        foreach (var gone in cache.Keys.Where(v => !db.Exists(v, "VDI")).ToList())
        {
            cache.TryRemove(gone, out _);
        }

        foreach (var group in cache.GroupBy(kv => db.GetString("VDI", kv.Key, "metadata_of_pool"), StringComparer.Ordinal))
        {
            var maximum = group.Max(kv => kv.Value);
            foreach (var (vdi, generation) in group)
            {
                db.Set("VDI", vdi, "metadata_latest", generation == maximum);
            }
        }
    }

    private static (string PoolRef, string PoolUuid, long Generation)? Read(SimulatedPool pool, string vdi)
    {
        if (pool.DiskOf(vdi) is not { } disk || MetadataVdiContent.TryRead(pool.Disks, disk) is not { } dump)
        {
            return null;
        }

        try
        {
            var database = DbDumpReader.Read(dump, out var generation);
            return database.GetAll("pool") is [var poolRef, ..] ? (poolRef, database.GetString("pool", poolRef, "uuid"), generation) : null;
        }
        catch (Exception exception) when (exception is FormatException or System.Xml.XmlException or InvalidCastException or ArgumentException)
        {
            return null;
        }
    }
}
