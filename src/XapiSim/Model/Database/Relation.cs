namespace XapiSim.Model.Database;

/// <summary>
/// A one-to-many relation of the datamodel: <see cref="ManyClass"/>.<see cref="RefField"/> points at an object of
/// <see cref="OneClass"/>, whose set field <see cref="SetField"/> lists every such object. The set side is never
/// stored: it is computed on read, so both sides always agree.
/// </summary>
internal sealed record Relation(string ManyClass, string RefField, string OneClass, string SetField)
{
    /// <summary>The relations of XAPI's datamodel (<c>all_relations</c>) whose many side is a single ref.</summary>
    public static IReadOnlyList<Relation> All { get; } =
    [
        new("VM", "snapshot_of", "VM", "snapshots"),
        new("VDI", "snapshot_of", "VDI", "snapshots"),
        new("VM", "parent", "VM", "children"),
        new("task", "subtask_of", "task", "subtasks"),
        new("task", "session", "session", "tasks"),
        new("PBD", "host", "host", "PBDs"),
        new("PBD", "SR", "SR", "PBDs"),
        new("VBD", "VDI", "VDI", "VBDs"),
        new("crashdump", "VDI", "VDI", "crash_dumps"),
        new("VBD", "VM", "VM", "VBDs"),
        new("crashdump", "VM", "VM", "crash_dumps"),
        new("VIF", "VM", "VM", "VIFs"),
        new("VIF", "network", "network", "VIFs"),
        new("PIF", "host", "host", "PIFs"),
        new("PIF", "network", "network", "PIFs"),
        new("VDI", "SR", "SR", "VDIs"),
        new("VTPM", "VM", "VM", "VTPMs"),
        new("console", "VM", "VM", "consoles"),
        new("VM", "resident_on", "host", "resident_VMs"),
        new("host_cpu", "host", "host", "host_CPUs"),
        new("host_crashdump", "host", "host", "crashdumps"),
        new("host_patch", "host", "host", "patches"),
        new("VM", "protection_policy", "VMPP", "VMs"),
        new("VM", "snapshot_schedule", "VMSS", "VMs"),
        new("VM", "appliance", "VM_appliance", "VMs"),
        new("VGPU", "VM", "VM", "VGPUs"),
        new("PCI", "host", "host", "PCIs"),
        new("PGPU", "host", "host", "PGPUs"),
        new("VUSB", "VM", "VM", "VUSBs"),
        new("PUSB", "host", "host", "PUSBs"),
        new("Feature", "host", "host", "features"),
        new("Certificate", "host", "host", "certificates"),
        new("VDI", "metadata_of_pool", "pool", "metadata_VDIs"),
        new("SR", "introduced_by", "DR_task", "introduced_SRs"),
    ];
}
