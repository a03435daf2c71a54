namespace VmBackup.Repository.Nau.Metadata;

/// <summary>The VDI fields v3.25 writes to <c>vdi.cfg</c>.</summary>
/// <param name="NameLabel">VDI <c>name_label</c> (written as UTF-8).</param>
/// <param name="NameDescription">VDI <c>name_description</c> (written as UTF-8).</param>
/// <param name="VirtualSize">VDI <c>virtual_size</c> in bytes.</param>
/// <param name="Type">VDI <c>type</c> (e.g. <c>user</c>, <c>system</c>).</param>
/// <param name="Sharable">VDI <c>sharable</c>.</param>
/// <param name="ReadOnly">VDI <c>read_only</c>.</param>
/// <param name="Uuid">The VDI uuid (<c>orig_uuid</c>).</param>
/// <param name="SrUuid">The uuid of the VDI's SR (<c>orig_sr_uuid</c>).</param>
public sealed record NauVdiRecord(
    string NameLabel,
    string NameDescription,
    long VirtualSize,
    string Type,
    bool Sharable,
    bool ReadOnly,
    string Uuid,
    string SrUuid);
