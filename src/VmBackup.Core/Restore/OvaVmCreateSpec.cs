using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;

namespace VmBackup.Core.Restore;

/// <summary>
/// Builds the struct of <c>VM.create</c> from the VM record of a saved ova.xml (<c>vm-metadata.xml</c>): the fields a
/// VM is created with (memory, vCPUs, boot and platform settings, actions, other_config, tags), never references to
/// objects of the original pool. <c>is_a_template</c> is always false.
/// </summary>
public static class OvaVmCreateSpec
{
    private static readonly string[] StringFields =
    [
        "name_description", "actions_after_shutdown", "actions_after_reboot", "actions_after_crash", "PV_bootloader",
        "PV_kernel", "PV_ramdisk", "PV_args", "PV_bootloader_args", "PV_legacy_args", "HVM_boot_policy", "PCI_bus",
        "recommendations", "ha_restart_priority", "generation_id", "reference_label", "domain_type",
    ];

    private static readonly string[] IntFields =
    [
        "user_version", "memory_target", "memory_static_max", "memory_dynamic_max", "memory_dynamic_min",
        "memory_static_min", "VCPUs_max", "VCPUs_at_startup", "order", "start_delay", "shutdown_delay",
        "hardware_platform_version",
    ];

    private static readonly string[] MapFields = ["VCPUs_params", "HVM_boot_params", "platform", "xenstore_data", "blocked_operations", "NVRAM"];

    /// <summary>The <c>VM.create</c> struct for the VM of <paramref name="vm"/>, named <paramref name="name"/>.</summary>
    /// <param name="vm">The VM object of the ova.xml.</param>
    /// <param name="name">The new VM's name-label.</param>
    /// <param name="keepMacSeed">Keep <c>other_config:mac_seed</c> (MACs preserved); otherwise it is dropped.</param>
    public static Dictionary<string, object?> Build(OvaObject vm, string name, bool keepMacSeed)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var s = vm.Snapshot;
        var spec = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name_label"] = name,
            ["is_a_template"] = false,
            ["affinity"] = "OpaqueRef:NULL",
        };
        foreach (var field in StringFields)
        {
            if (s[field] is { Kind: XmlRpcKind.String } v)
            {
                spec[field] = v.Text;
            }
        }

        foreach (var field in IntFields)
        {
            if (s[field] is { } v)
            {
                spec[field] = v.AsInt64();
            }
        }

        if (s["HVM_shadow_multiplier"] is { } multiplier)
        {
            spec["HVM_shadow_multiplier"] = multiplier.Kind == XmlRpcKind.Double ? multiplier.Double
                : double.Parse(multiplier.Text, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (s["has_vendor_device"] is { } vendor)
        {
            spec["has_vendor_device"] = vendor.AsBoolean();
        }

        foreach (var field in MapFields)
        {
            if (s[field] is { Kind: XmlRpcKind.Struct } v)
            {
                spec[field] = StringMap(v);
            }
        }

        var otherConfig = s["other_config"] is { Kind: XmlRpcKind.Struct } oc ? StringMap(oc) : [];
        if (!keepMacSeed)
        {
            otherConfig.Remove("mac_seed");
        }

        otherConfig.Remove("import_task");
        spec["other_config"] = otherConfig;
        spec["tags"] = s["tags"] is { Kind: XmlRpcKind.Array } tags ? tags.Items.Select(t => t.Text).ToList() : new List<string>();
        return spec;
    }

    private static Dictionary<string, string> StringMap(XmlRpcValue value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, v) in value.Members)
        {
            map[key] = v.Kind switch
            {
                XmlRpcKind.String => v.Text,
                XmlRpcKind.Int => v.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
                XmlRpcKind.Boolean => v.Boolean ? "true" : "false",
                _ => v.Text,
            };
        }

        return map;
    }
}
