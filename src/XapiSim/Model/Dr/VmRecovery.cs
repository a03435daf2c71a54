using XapiSim.Model.Database;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Dr;

/// <summary>
/// <c>VM.recover</c> (§8.2) and the checks it shares with <c>VM_appliance.recover</c>: a VM of a foreign database
/// (a metadata VDI opened with <c>VDI.open_database</c>) is recovered onto the live pool when every SR it needs is
/// there with an attached PBD, by the <see cref="MetadataImport"/> of xapi's <c>Xapi_dr.recover_vms</c>; the SRs
/// the recovered VMs use then have <c>introduced_by</c> cleared.
/// </summary>
internal static class VmRecovery
{
    /// <summary>
    /// xapi's <c>list_required_SRs</c>: the SRs of the VDIs of the VM's non-CD VBDs, ISO SRs left out, each once,
    /// in ref order (refs of <paramref name="db"/>).
    /// </summary>
    public static List<string> RequiredSrs(PoolDatabase db, string vm)
    {
        lock (db.SyncRoot)
        {
            return [.. db.GetStrings("VM", vm, "VBDs")
                .Where(vbd => db.GetString("VBD", vbd, "type") != "CD")
                .Select(vbd => db.GetString("VBD", vbd, "VDI"))
                .Where(vdi => !XapiValues.IsNull(vdi) && db.Exists(vdi, "VDI"))
                .Select(vdi => db.GetString("VDI", vdi, "SR"))
                .Where(sr => db.Exists(sr, "SR") && db.GetString("SR", sr, "content_type") != "iso")
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// <c>VM.get_SRs_required_for_recovery</c>: the required SRs (refs of <paramref name="source"/>) that the live
    /// pool lacks or has without a currently attached PBD.
    /// </summary>
    public static List<string> SrsRequiredForRecovery(PoolDatabase source, string vm, PoolDatabase target)
        => [.. RequiredSrs(source, vm).Where(sr => UsableSr(target, source.GetString("SR", sr, "uuid")) is null)];

    /// <summary>
    /// <c>assert_can_be_recovered</c>: <c>VM_REQUIRES_SR [vm, sr]</c> for the first required SR that is missing
    /// (the foreign SR ref) or has no currently attached PBD (the live SR ref).
    /// </summary>
    public static void AssertCanBeRecovered(PoolDatabase source, string vm, PoolDatabase target)
    {
        foreach (var sr in RequiredSrs(source, vm))
        {
            var uuid = source.GetString("SR", sr, "uuid");
            if (target.FindByUuid("SR", uuid) is not { } live)
            {
                throw new XenApiFailure("VM_REQUIRES_SR", vm, sr);
            }

            if (UsableSr(target, uuid) is null)
            {
                throw new XenApiFailure("VM_REQUIRES_SR", vm, live);
            }
        }
    }

    /// <summary><c>VM.recover</c>: checks the SRs, then imports the VM with its snapshots.</summary>
    public static void Recover(PoolDatabase source, string vm, SimulatedPool target, bool force)
    {
        AssertCanBeRecovered(source, vm, target.Database);
        RecoverVms(source, [vm], target, force);
    }

    /// <summary>xapi's <c>Xapi_dr.recover_vms</c>: the import, then <c>introduced_by</c> cleared on the SRs the recovered VMs need.</summary>
    /// <returns>The recovered live VMs (snapshots included).</returns>
    public static IReadOnlyList<string> RecoverVms(PoolDatabase source, IReadOnlyList<string> vms, SimulatedPool target, bool force)
    {
        var db = target.Database;
        lock (db.SyncRoot)
        {
            var recovered = MetadataImport.Run(source, vms, target, force);
            foreach (var sr in recovered.SelectMany(vm => RequiredSrs(db, vm)).Distinct(StringComparer.Ordinal))
            {
                db.Set("SR", sr, "introduced_by", XapiValues.NullRef);
            }

            return recovered;
        }
    }

    /// <summary>The live SR with this uuid if it has a currently attached PBD, else null.</summary>
    private static string? UsableSr(PoolDatabase target, string uuid)
        => target.FindByUuid("SR", uuid) is { } sr && target.GetStrings("SR", sr, "PBDs").Any(pbd => (bool)target.Get("PBD", pbd, "currently_attached"))
            ? sr
            : null;
}
