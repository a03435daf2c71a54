using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;
using XapiSim.Model;
using XapiSim.Rpc;

namespace XapiSim.DataPlane;

/// <summary>
/// xapi's <c>assert_can_restore_backup</c> (import.ml), run before a <c>restore=true</c> import creates anything: a VM
/// of the ova.xml whose <c>other_config:mac_seed</c> an existing VM also has fails the import with
/// <c>DUPLICATE_MAC_SEED [seed]</c>, unless the two are the same VM (same uuid), two snapshots of the same VM, or a
/// snapshot and the VM it was taken from. A snapshot's VM is found in the archive (<c>Ref:N</c>) or the pool.
/// </summary>
internal static class RestoreBackupCheck
{
    /// <summary>Throws <c>DUPLICATE_MAC_SEED</c> when a VM of <paramref name="metadata"/> clashes with one of <paramref name="pool"/>.</summary>
    public static void Assert(SimulatedPool pool, OvaXml metadata)
    {
        var db = pool.Database;
        var imported = metadata.OfClass("VM")
            .Select(vm => (Seed: MacSeed(vm.Snapshot["other_config"]), Vm: Identity(vm, metadata, db)))
            .Where(v => v.Seed is not null)
            .ToList();
        if (imported.Count == 0)
        {
            return;
        }

        foreach (var existing in db.GetAll("VM"))
        {
            var record = db.GetRecord("VM", existing);
            if (record.GetValueOrDefault("other_config") is not IReadOnlyDictionary<string, object> otherConfig
                || otherConfig.GetValueOrDefault("mac_seed") is not string seed)
            {
                continue;
            }

            var live = new VmIdentity(
                record.GetValueOrDefault("is_a_snapshot") is true,
                record.GetValueOrDefault("uuid") as string ?? string.Empty,
                record.GetValueOrDefault("snapshot_of") is string of && db.Exists(of, "VM") ? db.GetString("VM", of, "uuid") : null);
            foreach (var (importSeed, vm) in imported)
            {
                if (importSeed == seed && !Compatible(vm, live))
                {
                    throw new XenApiFailure("DUPLICATE_MAC_SEED", seed);
                }
            }
        }
    }

    private static string? MacSeed(XmlRpcValue? otherConfig)
        => otherConfig is { Kind: XmlRpcKind.Struct } && otherConfig["mac_seed"] is { Kind: XmlRpcKind.String } seed ? seed.Text : null;

    private static VmIdentity Identity(OvaObject vm, OvaXml metadata, Model.Database.PoolDatabase db)
    {
        var isSnapshot = vm.Snapshot["is_a_snapshot"] is { Kind: XmlRpcKind.Boolean, Boolean: true };
        var snapshotOf = vm.GetString("snapshot_of") ?? string.Empty;
        string? of = null;
        if (snapshotOf.StartsWith("Ref:", StringComparison.Ordinal))
        {
            of = metadata.FindById(snapshotOf) is { Class: "VM" } parent ? parent.GetString("uuid") : null;
        }
        else if (snapshotOf.StartsWith("OpaqueRef:", StringComparison.Ordinal) && db.Exists(snapshotOf, "VM"))
        {
            of = db.GetString("VM", snapshotOf, "uuid");
        }

        return new VmIdentity(isSnapshot, vm.GetString("uuid") ?? string.Empty, of);
    }

    private static bool Compatible(VmIdentity a, VmIdentity b) => (a.IsSnapshot, b.IsSnapshot) switch
    {
        (false, false) => a.Uuid == b.Uuid,
        (true, true) => a.SnapshotOf is not null && a.SnapshotOf == b.SnapshotOf,
        (true, false) => a.SnapshotOf == b.Uuid,
        (false, true) => b.SnapshotOf == a.Uuid,
    };

    /// <summary>What the check compares of a VM: snapshot or not, its uuid, the uuid of the VM a snapshot was taken from.</summary>
    private sealed record VmIdentity(bool IsSnapshot, string Uuid, string? SnapshotOf);
}
