using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Records;

/// <summary>A <c>VM_appliance</c> record (a vApp: VMs started and stopped together, in <c>VM.order</c>).</summary>
public sealed record VmApplianceRecord : IXenApiRecord<VmApplianceRecord>
{
    /// <inheritdoc />
    public static string ClassName => "VM_appliance";

    /// <summary><c>uuid</c>.</summary>
    public string Uuid { get; init; } = string.Empty;

    /// <summary><c>name_label</c>.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary><c>name_description</c>.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary><c>VMs</c>.</summary>
    public IReadOnlyList<XenRef<VmRecord>> Vms { get; init; } = [];

    /// <inheritdoc />
    public static VmApplianceRecord FromStruct(IReadOnlyDictionary<string, object?> fields)
    {
        var r = new XenStructReader(fields, ClassName);
        return new VmApplianceRecord
        {
            Uuid = r.String("uuid"),
            NameLabel = r.String("name_label"),
            NameDescription = r.String("name_description"),
            Vms = r.Refs<VmRecord>("VMs"),
        };
    }
}
