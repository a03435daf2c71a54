using System.Xml.Linq;
using XapiSim.PoolFile;
using XapiSim.Rpc;

namespace XapiSim.Model.Sr;

/// <summary>
/// What the storage manager (SM) would answer for the storage targets of a pool: the drivers it knows, which of them
/// keep SR metadata (DR), and which target a <c>device_config</c> names, failing as the SM driver would with
/// <c>SR_BACKEND_FAILURE_&lt;n&gt; ["", message, details]</c> (codes of SM's XE_SR_ERRORCODES.xml).
/// </summary>
internal static class SmBackend
{
    /// <summary>SM error 95: no <c>target</c>.</summary>
    public const int ConfigTargetMissing = 95;

    /// <summary>SM error 96: no or a wrong <c>targetIQN</c>.</summary>
    public const int ConfigTargetIqnMissing = 96;

    /// <summary>SM error 107: no or a wrong <c>SCSIid</c>.</summary>
    public const int ConfigScsiId = 107;

    /// <summary>SM error 115: a key of the target missing from device_config (types without a specific model).</summary>
    public const int ConfigParamsMissing = 115;

    /// <summary>SM error 141: nothing answers at the <c>target</c> address.</summary>
    public const int IscsiTarget = 141;

    /// <summary>SM error 40: the SR scan failed (the folder cannot be read).</summary>
    public const int SrScan = 40;

    /// <summary>SM error 47: the device_config names no storage of the type.</summary>
    public const int SrUnavailable = 47;

    private static readonly HashSet<string> Drivers = new(StringComparer.Ordinal)
    {
        "ext", "ext4", "file", "nfs", "lvm", "lvmoiscsi", "lvmohba", "lvmofcoe", "iso", "udev", "dummy", "smb", "cifs",
        "largeblock", "xfs", "zfs", "glusterfs", "cephfs", "moosefs", "linstor", "hba", "iscsi", "rawhba", "shm",
    };

    private static readonly Dictionary<int, string> Messages = new()
    {
        [SrScan] = "The SR scan failed ",
        [SrUnavailable] = "The SR is not available",
        [ConfigTargetMissing] = "The request is missing the target parameter",
        [ConfigTargetIqnMissing] = "The request is missing or has an incorrect target IQN parameter",
        [ConfigScsiId] = "The SCSIid parameter is missing or incorrect",
        [ConfigParamsMissing] = "Not all required parameters specified.",
        [IscsiTarget] = "Unable to connect to ISCSI service on target",
    };

    /// <summary>True for an SM driver type of XCP-ng (the SR types xapi would find a plugin for).</summary>
    public static bool IsKnownDriver(string type) => Drivers.Contains(type);

    /// <summary>True for the drivers with the SR_METADATA capability (DR).</summary>
    public static bool SupportsMetadata(string type) => type is "lvmoiscsi" or "lvmohba";

    /// <summary><c>SR_BACKEND_FAILURE_&lt;code&gt; ["", message, details]</c>, as xapi reports an SM error.</summary>
    public static XenApiFailure Failure(int code, string details = "")
        => new("SR_BACKEND_FAILURE_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty, Messages[code], details);

    /// <summary>The string values of a device_config argument.</summary>
    public static Dictionary<string, string> Strings(IReadOnlyDictionary<string, object> map)
        => map.ToDictionary(kv => kv.Key, kv => kv.Value as string ?? string.Empty, StringComparer.Ordinal);

    /// <summary>
    /// The storage targets of <paramref name="type"/> that <paramref name="deviceConfig"/> names: every key of the target
    /// with an equal value (<c>SCSIid</c> may be left out when <paramref name="anyLun"/>). Throws SM's error when none does;
    /// <c>SR_UNKNOWN_DRIVER [type]</c> for a type SM does not know.
    /// </summary>
    public static IReadOnlyList<StorageTargetDefinition> Resolve(SimulatedPool pool, string type, IReadOnlyDictionary<string, string> deviceConfig, bool anyLun)
    {
        if (!IsKnownDriver(type))
        {
            throw new XenApiFailure("SR_UNKNOWN_DRIVER", type);
        }

        var ofType = StorageState.For(pool).Targets.Where(t => t.Type == type).ToList();
        switch (type)
        {
            case "lvmoiscsi":
                return ResolveIscsi(ofType, deviceConfig, anyLun);
            case "lvmohba":
                return ResolveScsiId(ofType, deviceConfig, anyLun);
        }

        var matching = ofType.Where(t => Matches(t, deviceConfig, anyLun: false)).ToList();
        if (matching.Count > 0)
        {
            return matching;
        }

        throw ofType.Any(t => t.DeviceConfig.Keys.Any(k => !deviceConfig.ContainsKey(k)))
            ? Failure(ConfigParamsMissing)
            : Failure(SrUnavailable);
    }

    /// <summary>The <c>SCSIid</c> of a target (empty when its device_config has none).</summary>
    public static string ScsiIdOf(StorageTargetDefinition target) => target.DeviceConfig.GetValueOrDefault("SCSIid") ?? string.Empty;

    private static List<StorageTargetDefinition> ResolveIscsi(List<StorageTargetDefinition> targets, IReadOnlyDictionary<string, string> deviceConfig, bool anyLun)
    {
        if (deviceConfig.GetValueOrDefault("target") is not { Length: > 0 } address)
        {
            throw Failure(ConfigTargetMissing);
        }

        var atAddress = targets.Where(t => t.DeviceConfig.GetValueOrDefault("target") == address).ToList();
        if (atAddress.Count == 0)
        {
            throw Failure(IscsiTarget);
        }

        if (deviceConfig.GetValueOrDefault("targetIQN") is not { Length: > 0 } iqn || atAddress.All(t => t.DeviceConfig.GetValueOrDefault("targetIQN") != iqn))
        {
            var list = new XElement("iscsi-target-iqns", atAddress
                .Select(t => t.DeviceConfig.GetValueOrDefault("targetIQN") ?? string.Empty)
                .Distinct(StringComparer.Ordinal)
                .Select((name, i) => new XElement("TGT", new XElement("Index", i), new XElement("IPAddress", address), new XElement("TargetIQN", name))));
            throw Failure(ConfigTargetIqnMissing, Document(list));
        }

        return ResolveScsiId([.. atAddress.Where(t => t.DeviceConfig.GetValueOrDefault("targetIQN") == iqn)], deviceConfig, anyLun);
    }

    private static List<StorageTargetDefinition> ResolveScsiId(List<StorageTargetDefinition> targets, IReadOnlyDictionary<string, string> deviceConfig, bool anyLun)
    {
        if (!deviceConfig.ContainsKey("SCSIid") && !anyLun)
        {
            var luns = new XElement("iscsi-target", targets.Select((t, i) => new XElement(
                "LUN",
                new XElement("vendor", "XapiSim"),
                new XElement("serial", ScsiIdOf(t)),
                new XElement("LUNid", i),
                new XElement("SCSIid", ScsiIdOf(t)))));
            throw Failure(ConfigScsiId, Document(luns));
        }

        var matching = targets.Where(t => Matches(t, deviceConfig, anyLun)).ToList();
        return matching.Count > 0 ? matching : throw Failure(ConfigScsiId);
    }

    private static bool Matches(StorageTargetDefinition target, IReadOnlyDictionary<string, string> deviceConfig, bool anyLun)
        => target.DeviceConfig.All(kv => deviceConfig.TryGetValue(kv.Key, out var value) ? value == kv.Value : anyLun && kv.Key == "SCSIid");

    /// <summary>An XML document as SM prints it: the declaration, then the element.</summary>
    public static string Document(XElement root) => "<?xml version=\"1.0\" ?>" + root.ToString(SaveOptions.DisableFormatting);
}
