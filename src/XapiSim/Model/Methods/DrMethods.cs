using XapiSim.Faults;
using XapiSim.Model.Database;
using XapiSim.Model.Dr;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>
/// Disaster recovery (§8): <c>SR.enable/disable_database_replication</c> into a "Metadata for DR" VDI of a
/// shared SR, <c>VDI.read_database_pool_uuid</c>, <c>VDI.open_database</c> (a database session whose getters
/// answer from the VDI's read-only database), and the recovery messages of VMs and appliances
/// (<c>get_SRs_required_for_recovery</c>, <c>assert_can_be_recovered</c>, <c>recover</c>).
/// Register last: it wraps the getters registered before it.
/// </summary>
internal static class DrMethods
{
    /// <summary>The name of the VDI that receives the replicated database.</summary>
    public const string MetadataVdiName = "Metadata for DR";

    /// <summary>Classes whose getters a database session must not answer from the foreign database.</summary>
    private static readonly HashSet<string> LiveOnly = new(StringComparer.Ordinal) { "session", "task", "event" };

    public static void Register(MethodTable table)
    {
        RouteGettersOfDatabaseSessions(table);
        table.Add("SR.assert_supports_database_replication", call =>
        {
            RequireReplicable(call.Pool, call.Str(0));
            return RpcVoid.Instance;
        });
        table.Add("SR.enable_database_replication", EnableReplication);
        table.Add("SR.disable_database_replication", DisableReplication);
        table.Add("VDI.read_database_pool_uuid", ReadDatabasePoolUuid);
        table.Add("VDI.open_database", OpenDatabase);
        table.Add("VM.get_SRs_required_for_recovery", call => Recovery(call, "VM", (source, self, live) => VmRecovery.SrsRequiredForRecovery(source, self, live.Database).Cast<object>().ToList()));
        table.Add("VM.assert_can_be_recovered", call => Recovery(call, "VM", (source, self, live) => VmRecovery.AssertCanBeRecovered(source, self, live.Database)));
        table.Add("VM.recover", call => Recovery(call, "VM", (source, self, live) => VmRecovery.Recover(source, self, live, call.Bool(2))));
        table.Add("VM_appliance.get_SRs_required_for_recovery", call => Recovery(call, "VM_appliance", (source, self, live) => ApplianceRecovery.SrsRequiredForRecovery(source, self, live.Database).Cast<object>().ToList()));
        table.Add("VM_appliance.assert_can_be_recovered", call => Recovery(call, "VM_appliance", (source, self, live) => ApplianceRecovery.AssertCanBeRecovered(source, self, live.Database)));
        table.Add("VM_appliance.recover", call => Recovery(call, "VM_appliance", (source, self, live) => ApplianceRecovery.Recover(source, self, live, call.Bool(2))));
    }

    /// <summary>
    /// Every getter (<c>get_*</c>) of the datamodel's classes answers, for a database session, from that session's
    /// database instead of the live one; <c>session.logout</c> forgets the database.
    /// </summary>
    private static void RouteGettersOfDatabaseSessions(MethodTable table)
    {
        foreach (var schema in PoolDatabase.Model.Classes.Values.Where(c => !LiveOnly.Contains(c.Name)))
        {
            foreach (var message in schema.Messages.Values.Where(m => m.Name.StartsWith("get_", StringComparison.Ordinal) && !m.IsRemoved))
            {
                if ((table.Find(message.WireName) ?? GenericMethods.Find(message)) is not { } inner)
                {
                    continue;
                }

                table.Add(message.WireName, (call, cancellationToken) => DrState.For(call.Pool).TryGetDatabase(call.Session, out var database)
                    ? inner(call with { Pool = database }, cancellationToken)
                    : inner(call, cancellationToken));
            }
        }

        if (table.Find("session.logout") is { } logout)
        {
            table.Add("session.logout", (call, cancellationToken) =>
            {
                DrState.For(call.Pool).RemoveDatabaseSession(call.Session!);
                return logout(call, cancellationToken);
            });
        }
    }

    /// <summary>
    /// A recovery message <c>(self, session_to, ...)</c>: <c>self</c> is an object of the database the calling
    /// session reads (the foreign one for a database session), <c>session_to</c> a session of the live pool.
    /// </summary>
    private static object Recovery(MethodCall call, string className, Func<PoolDatabase, string, SimulatedPool, object> action)
    {
        var source = SourceOf(call).Database;
        source.Require(className, call.Str(0));
        call.Pool.ValidateSession(call.Str(1));
        return action(source, call.Str(0), call.Pool);
    }

    private static object Recovery(MethodCall call, string className, Action<PoolDatabase, string, SimulatedPool> action)
        => Recovery(call, className, (source, self, live) =>
        {
            action(source, self, live);
            return RpcVoid.Instance;
        });

    /// <summary>The pool a database session reads; the live pool for a normal session.</summary>
    private static SimulatedPool SourceOf(MethodCall call)
        => DrState.For(call.Pool).TryGetDatabase(call.Session, out var database) ? database : call.Pool;

    /// <summary>Only a shared (replicated) SR stores a metadata VDI: <c>SR_OPERATION_NOT_SUPPORTED [sr]</c> otherwise (xapi: no SR_METADATA capability).</summary>
    private static string RequireReplicable(SimulatedPool pool, string sr)
    {
        pool.Database.Require("SR", sr);
        return pool.SharedStorageOf(sr) ?? throw new XenApiFailure("SR_OPERATION_NOT_SUPPORTED", sr);
    }

    /// <summary>
    /// As xapi_sr.disable_database_replication: stops the writer, then destroys this pool's metadata VDIs of the SR
    /// with their VBDs (on a shared SR their files go too: the secondary site no longer sees this pool's metadata).
    /// </summary>
    private static object DisableReplication(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var sr = call.Str(0);
        db.Require("SR", sr);
        DrState.For(pool).StopReplication(sr);
        lock (db.SyncRoot)
        {
            foreach (var vdi in db.GetStrings("SR", sr, "VDIs").Where(v => db.GetString("VDI", v, "type") == "metadata" && db.GetString("VDI", v, "metadata_of_pool") == pool.PoolRef).ToList())
            {
                foreach (var vbd in db.GetStrings("VDI", vdi, "VBDs"))
                {
                    db.Destroy(vbd);
                }

                pool.DropDisk(vdi);
                db.Destroy(vdi);
            }

            new PoolObjects(pool).RefreshSrUsage(sr);
        }

        return RpcVoid.Instance;
    }

    private static object EnableReplication(MethodCall call)
    {
        var pool = call.Pool;
        var sr = call.Str(0);
        RequireReplicable(pool, sr);
        var db = pool.Database;
        string vdi;
        lock (db.SyncRoot)
        {
            // As xapi's find_or_create_metadata_vdi: only a metadata VDI of this pool is reused, never another pool's
            // (the DR site enabling replication must not overwrite the primary's metadata on the same SR).
            vdi = db.GetStrings("SR", sr, "VDIs").FirstOrDefault(v => db.GetString("VDI", v, "type") == "metadata" && db.GetString("VDI", v, "metadata_of_pool") == pool.PoolRef && pool.DiskOf(v) is not null)
                ?? new PoolObjects(pool).CreateEmptyVdi(sr, MetadataVdiName, "metadata", MetadataVdiContent.VirtualSize, new Dictionary<string, object>
                {
                    ["name_description"] = "Used for disaster recovery",
                    ["sm_config"] = new Dictionary<string, object> { ["type"] = "raw" },
                    ["other_config"] = new Dictionary<string, object> { ["ctxs-pool-backup"] = "true" },
                });
            db.Set("VDI", vdi, "metadata_of_pool", pool.PoolRef);
            db.Set("VDI", vdi, "metadata_latest", true);
        }

        DrState.For(pool).StartReplication(pool, sr, vdi);
        return RpcVoid.Instance;
    }

    /// <summary>The database stored in a metadata VDI; <c>VDI_INCOMPATIBLE_TYPE</c> for another type, <c>COULD_NOT_IMPORT_DATABASE</c> when it holds none.</summary>
    private static PoolDatabase ReadDatabase(SimulatedPool pool, string vdi)
    {
        var type = pool.Database.GetString("VDI", vdi, "type");
        if (type != "metadata")
        {
            throw new XenApiFailure("VDI_INCOMPATIBLE_TYPE", vdi, type);
        }

        var dump = pool.DiskOf(vdi) is { } disk ? MetadataVdiContent.TryRead(pool.Disks, disk) : null;
        try
        {
            return dump is null ? throw new FormatException("no database") : DbDumpReader.Read(dump);
        }
        catch (Exception exception) when (exception is FormatException or System.Xml.XmlException or InvalidCastException or ArgumentException)
        {
            throw new XenApiFailure("COULD_NOT_IMPORT_DATABASE", exception.Message);
        }
    }

    private static object ReadDatabasePoolUuid(MethodCall call)
    {
        var database = ReadDatabase(call.Pool, call.Str(0));
        return database.GetAll("pool") is [var pool, ..] ? database.GetString("pool", pool, "uuid") : string.Empty;
    }

    private static object OpenDatabase(MethodCall call)
    {
        var live = call.Pool;
        var database = ReadDatabase(live, call.Str(0));
        var user = call.Session is { } session && live.Database.Exists(session, "session") ? live.Database.GetString("session", session, "auth_user_name") : "root";
        var opened = live.CreateSession(user, call.HostRef, "VDI.open_database");
        DrState.For(live).AddDatabaseSession(opened, new SimulatedPool(database, live.Disks, live.Time, new FaultKnobs(), live.Users));
        return opened;
    }
}
