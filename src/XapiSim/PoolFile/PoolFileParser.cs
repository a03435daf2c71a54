using System.Text.Json;
using XapiSim.Faults;

namespace XapiSim.PoolFile;

/// <summary>
/// Parses and validates a pool file (docs/simulator.md). Every problem is a <see cref="PoolFileException"/> naming
/// the entry, e.g. <c>vms[2].disks[0].sr: no SR named "Fast"</c>.
/// </summary>
public static class PoolFileParser
{
    private static readonly string[] PowerStates = ["Halted", "Running", "Paused", "Suspended"];

    /// <summary>Reads and parses a pool file from disk.</summary>
    public static PoolDefinition Load(string path) => Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <summary>Parses pool-file JSON text; relative paths are relative to the current directory.</summary>
    public static PoolDefinition Parse(string json) => Parse(json, null);

    /// <summary>Parses pool-file JSON text; relative paths (<c>shared_storage</c>) are relative to <paramref name="baseDirectory"/> (default: the current directory).</summary>
    public static PoolDefinition Parse(string json, string? baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new PoolFileException(string.Empty, "invalid JSON: " + exception.Message);
        }

        using (document)
        {
            var definition = Read(new JsonSection(document.RootElement, string.Empty), baseDirectory ?? Directory.GetCurrentDirectory());
            Validate(definition);
            return definition;
        }
    }

    private static PoolDefinition Read(JsonSection root, string baseDirectory)
    {
        var defaults = new PoolDefinition();
        var definition = defaults;
        if (root.Get("pool") is { } poolElement)
        {
            var pool = new JsonSection(poolElement, root.At("pool"));
            definition = definition with
            {
                NameLabel = pool.String("name_label") ?? defaults.NameLabel,
                NameDescription = pool.String("name_description") ?? string.Empty,
                Uuid = pool.Uuid("uuid"),
            };
            pool.RejectUnknownKeys();
        }

        if (root.Has("hosts"))
        {
            definition = definition with { Hosts = [.. root.Objects("hosts").Select(ReadHost)] };
        }

        if (root.StringMap("users") is { } users)
        {
            definition = definition with { Users = users };
        }

        if (root.Has("srs"))
        {
            definition = definition with { Srs = [.. root.Objects("srs").Select(s => ReadSr(s, baseDirectory))] };
        }

        if (root.Has("networks"))
        {
            definition = definition with { Networks = [.. root.Objects("networks").Select(ReadNetwork)] };
        }

        definition = definition with
        {
            StorageTargets = [.. root.Objects("storage_targets").Select(t => ReadStorageTarget(t, baseDirectory))],
            Vms = [.. root.Objects("vms").Select(ReadVm)],
            Appliances = [.. root.Objects("appliances").Select(ReadAppliance)],
            DefaultTemplates = root.Bool("default_templates") ?? true,
        };

        if (root.Get("faults") is { } faultsElement)
        {
            definition = definition with { Faults = ReadFaults(new JsonSection(faultsElement, root.At("faults"))) };
        }

        root.RejectUnknownKeys();
        return definition;
    }

    private static HostDefinition ReadHost(JsonSection s)
    {
        var host = new HostDefinition
        {
            NameLabel = s.String("name_label") ?? throw new PoolFileException(s.At("name_label"), "missing"),
            Hostname = s.String("hostname"),
            Master = s.Bool("master") ?? false,
            Address = s.String("address"),
            Uuid = s.Uuid("uuid"),
        };
        if (host.Address is not null && !System.Net.IPAddress.TryParse(host.Address, out _))
        {
            throw new PoolFileException(s.At("address"), $"not an IP address: \"{host.Address}\"");
        }

        s.RejectUnknownKeys();
        return host;
    }

    private static SrDefinition ReadSr(JsonSection s, string baseDirectory)
    {
        var defaults = new SrDefinition();
        var sr = new SrDefinition
        {
            NameLabel = s.String("name_label") ?? throw new PoolFileException(s.At("name_label"), "missing"),
            NameDescription = s.String("name_description") ?? string.Empty,
            Type = s.String("type") ?? defaults.Type,
            Size = s.Size("size") ?? defaults.Size,
            Default = s.Bool("default") ?? false,
            Shared = s.Bool("shared") ?? false,
            Host = s.String("host"),
            Isos = s.Strings("isos"),
            Uuid = s.Uuid("uuid"),
            SharedStorage = FolderPath(s, "shared_storage", baseDirectory),
            DeviceConfig = s.StringMap("device_config"),
        };
        if (sr.SharedStorage is not null && sr.Type == "iso")
        {
            throw new PoolFileException(s.At("shared_storage"), "an ISO SR cannot have shared storage");
        }

        if (sr.Isos.Count > 0 && sr.Type != "iso")
        {
            throw new PoolFileException(s.At("isos"), "only an SR of type \"iso\" holds ISO images");
        }

        s.RejectUnknownKeys();
        return sr;
    }

    private static StorageTargetDefinition ReadStorageTarget(JsonSection s, string baseDirectory)
    {
        var target = new StorageTargetDefinition
        {
            Type = s.String("type") ?? throw new PoolFileException(s.At("type"), "missing"),
            DeviceConfig = s.StringMap("device_config") ?? throw new PoolFileException(s.At("device_config"), "missing"),
            Folder = FolderPath(s, "folder", baseDirectory) ?? throw new PoolFileException(s.At("folder"), "missing"),
        };
        if (target.Type.Trim().Length == 0 || target.Type == "iso")
        {
            throw new PoolFileException(s.At("type"), $"not a block storage type: \"{target.Type}\"");
        }

        if (target.DeviceConfig.Count == 0)
        {
            throw new PoolFileException(s.At("device_config"), "at least one key (e.g. target, targetIQN, SCSIid) is needed");
        }

        s.RejectUnknownKeys();
        return target;
    }

    /// <summary>The full path of the folder named by <paramref name="key"/>, relative to <paramref name="baseDirectory"/>; null when absent.</summary>
    private static string? FolderPath(JsonSection s, string key, string baseDirectory)
    {
        if (s.Get(key) is not { } value)
        {
            return null;
        }

        var at = s.At(key);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new PoolFileException(at, "expected a folder path");
        }

        var text = value.GetString()!;
        if (text.Trim().Length == 0 || text.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || text.Contains('\0', StringComparison.Ordinal))
        {
            throw new PoolFileException(at, $"not a folder path: \"{text}\"");
        }

        string full;
        try
        {
            full = Path.GetFullPath(text, baseDirectory);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PoolFileException(at, $"not a folder path: \"{text}\"");
        }

        if (File.Exists(full))
        {
            throw new PoolFileException(at, $"\"{text}\" is a file, not a folder");
        }

        return full;
    }

    private static NetworkDefinition ReadNetwork(JsonSection s)
    {
        var defaults = new NetworkDefinition();
        var network = new NetworkDefinition
        {
            NameLabel = s.String("name_label") ?? throw new PoolFileException(s.At("name_label"), "missing"),
            NameDescription = s.String("name_description") ?? string.Empty,
            Bridge = s.String("bridge") ?? defaults.Bridge,
            Mtu = s.Integer("mtu") ?? defaults.Mtu,
            Uuid = s.Uuid("uuid"),
        };
        s.RejectUnknownKeys();
        return network;
    }

    private static ApplianceDefinition ReadAppliance(JsonSection s)
    {
        var appliance = new ApplianceDefinition
        {
            NameLabel = s.String("name_label") ?? throw new PoolFileException(s.At("name_label"), "missing"),
            NameDescription = s.String("name_description") ?? string.Empty,
            Uuid = s.Uuid("uuid"),
        };
        s.RejectUnknownKeys();
        return appliance;
    }

    private static VmDefinition ReadVm(JsonSection s)
    {
        var defaults = new VmDefinition { NameLabel = string.Empty };
        string? cd = null;
        var hasCd = false;
        if (s.Get("cd") is { } cdValue)
        {
            switch (cdValue.ValueKind)
            {
                case JsonValueKind.True:
                    hasCd = true;
                    break;
                case JsonValueKind.False:
                    break;
                case JsonValueKind.String:
                    hasCd = true;
                    cd = cdValue.GetString();
                    break;
                default:
                    throw new PoolFileException(s.At("cd"), "expected true, false or an ISO name");
            }
        }

        var vm = new VmDefinition
        {
            NameLabel = s.String("name_label") ?? throw new PoolFileException(s.At("name_label"), "missing"),
            NameDescription = s.String("name_description") ?? string.Empty,
            PowerState = s.String("power_state") ?? defaults.PowerState,
            Memory = s.Size("memory") ?? defaults.Memory,
            Vcpus = s.Integer("vcpus") ?? defaults.Vcpus,
            Tags = s.Strings("tags"),
            Cd = cd,
            HasCd = hasCd,
            Disks = [.. s.Objects("disks").Select(ReadDisk)],
            Vifs = [.. s.Objects("vifs").Select(ReadVif)],
            IsATemplate = s.Bool("is_a_template") ?? false,
            IsDefaultTemplate = s.Bool("is_default_template") ?? false,
            SnapshotOf = s.String("snapshot_of"),
            Host = s.String("host"),
            OtherConfig = s.StringMap("other_config") ?? defaults.OtherConfig,
            Uuid = s.Uuid("uuid"),
            Appliance = s.String("appliance"),
            Order = s.Integer("order") ?? 0,
            StartDelay = s.Integer("start_delay") ?? 0,
        };
        if (vm.Order < 0)
        {
            throw new PoolFileException(s.At("order"), "must be 0 or more");
        }

        if (vm.StartDelay < 0)
        {
            throw new PoolFileException(s.At("start_delay"), "must be 0 or more");
        }
        if (!PowerStates.Contains(vm.PowerState, StringComparer.Ordinal))
        {
            throw new PoolFileException(s.At("power_state"), $"expected one of {string.Join(", ", PowerStates)}, not \"{vm.PowerState}\"");
        }

        if ((vm.IsATemplate || vm.IsDefaultTemplate) && vm.PowerState != "Halted")
        {
            throw new PoolFileException(s.At("power_state"), "a template must be Halted");
        }

        if (vm.Vcpus < 1)
        {
            throw new PoolFileException(s.At("vcpus"), "must be at least 1");
        }

        if (vm.SnapshotOf is not null && (vm.Disks.Count > 0 || vm.Vifs.Count > 0 || hasCd))
        {
            throw new PoolFileException(s.At("snapshot_of"), "a snapshot takes its devices from its VM; remove disks, vifs and cd");
        }

        s.RejectUnknownKeys();
        return vm;
    }

    private static DiskDefinition ReadDisk(JsonSection s)
    {
        var defaults = new DiskDefinition();
        var disk = new DiskDefinition
        {
            Device = s.String("device") ?? defaults.Device,
            Size = s.Size("size") ?? defaults.Size,
            Sr = s.String("sr"),
            Fill = s.Number("fill") ?? 0,
            Seed = (int)(s.Integer("seed") ?? 0),
            NameLabel = s.String("name_label"),
            Type = s.String("type"),
            Cbt = s.Bool("cbt") ?? false,
            Uuid = s.Uuid("uuid"),
        };
        if (disk.Fill is < 0 or > 1)
        {
            throw new PoolFileException(s.At("fill"), "must be between 0 and 1");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(disk.Device, "^(xvd|hd|sd)[a-z]$"))
        {
            throw new PoolFileException(s.At("device"), $"expected a device name like xvda, not \"{disk.Device}\"");
        }

        s.RejectUnknownKeys();
        return disk;
    }

    private static VifDefinition ReadVif(JsonSection s)
    {
        var vif = new VifDefinition
        {
            Device = s.String("device") ?? "0",
            Network = s.String("network"),
            Mac = s.String("mac"),
        };
        s.RejectUnknownKeys();
        return vif;
    }

    private static FaultsDefinition ReadFaults(JsonSection s)
    {
        var defaults = new FaultsDefinition();
        var faults = new FaultsDefinition
        {
            CallDelay = TimeSpan.FromMilliseconds(s.Number("call_delay_ms") ?? 0),
            SessionLifetime = s.Number("session_lifetime_seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            AuthFailureDelay = s.Number("auth_failure_delay_ms") is { } ms ? TimeSpan.FromMilliseconds(ms) : defaults.AuthFailureDelay,
            Methods = [.. s.Objects("methods").Select(m =>
            {
                var fault = new MethodFault(
                    m.String("method") ?? throw new PoolFileException(m.At("method"), "missing"),
                    m.String("error") ?? throw new PoolFileException(m.At("error"), "missing"),
                    m.Strings("params"),
                    m.Integer("on_call") is { } n ? (int)n : null,
                    m.Integer("times") is { } t ? (int)t : null);
                m.RejectUnknownKeys();
                return fault;
            })],
        };
        s.RejectUnknownKeys();
        return faults;
    }

    private static void Validate(PoolDefinition d)
    {
        if (d.Hosts.Count == 0)
        {
            throw new PoolFileException("hosts", "at least one host is needed");
        }

        if (d.Hosts.Count(h => h.Master) > 1)
        {
            throw new PoolFileException($"hosts[{d.Hosts.Select((h, i) => (h, i)).Where(x => x.h.Master).Skip(1).First().i}].master", "more than one master");
        }

        Unique(d.Hosts.Select(h => h.NameLabel), "hosts", "host");
        Unique(d.Srs.Select(s => s.NameLabel), "srs", "SR");
        Unique(d.Networks.Select(n => n.NameLabel), "networks", "network");
        if (d.Srs.Count(s => s.Default) > 1)
        {
            throw new PoolFileException($"srs[{d.Srs.Select((s, i) => (s, i)).Where(x => x.s.Default).Skip(1).First().i}].default", "more than one default SR");
        }

        for (var i = 0; i < d.Srs.Count; i++)
        {
            var sr = d.Srs[i];
            if (sr.Host is not null && d.Hosts.All(h => h.NameLabel != sr.Host))
            {
                throw new PoolFileException($"srs[{i}].host", $"no host named \"{sr.Host}\"");
            }

            if (sr.SharedStorage is not null && d.Srs.Take(i).Any(o => string.Equals(o.SharedStorage, sr.SharedStorage, StringComparison.Ordinal)))
            {
                throw new PoolFileException($"srs[{i}].shared_storage", "another SR of this pool uses the same folder");
            }

            if (sr.DeviceConfig is { Count: 0 })
            {
                throw new PoolFileException($"srs[{i}].device_config", "at least one key is needed");
            }

            if (sr.Default && sr.Type == "iso")
            {
                throw new PoolFileException($"srs[{i}].default", "an ISO SR cannot be the default SR");
            }
        }

        for (var i = 0; i < d.Appliances.Count; i++)
        {
            if (d.Appliances.Take(i).Any(a => a.NameLabel == d.Appliances[i].NameLabel))
            {
                throw new PoolFileException($"appliances[{i}].name_label", $"another appliance is named \"{d.Appliances[i].NameLabel}\"");
            }
        }

        for (var i = 0; i < d.StorageTargets.Count; i++)
        {
            var target = d.StorageTargets[i];
            if (d.StorageTargets.Take(i).Any(o => string.Equals(o.Folder, target.Folder, StringComparison.Ordinal)))
            {
                throw new PoolFileException($"storage_targets[{i}].folder", "another storage target uses the same folder");
            }
        }

        var isos = d.Srs.SelectMany(s => s.Isos).ToHashSet(StringComparer.Ordinal);
        var userSrs = d.Srs.Where(s => s.Type != "iso").ToList();
        for (var i = 0; i < d.Vms.Count; i++)
        {
            var vm = d.Vms[i];
            var at = $"vms[{i}]";
            if (vm.Host is not null && d.Hosts.All(h => h.NameLabel != vm.Host))
            {
                throw new PoolFileException(at + ".host", $"no host named \"{vm.Host}\"");
            }

            if (vm.Appliance is not null)
            {
                if (d.Appliances.All(a => a.NameLabel != vm.Appliance))
                {
                    throw new PoolFileException(at + ".appliance", $"no appliance named \"{vm.Appliance}\" in appliances");
                }

                if (vm.IsATemplate || vm.IsDefaultTemplate || vm.SnapshotOf is not null)
                {
                    throw new PoolFileException(at + ".appliance", "only a VM (not a template or snapshot) can belong to an appliance");
                }
            }

            if (vm.Cd is not null && !isos.Contains(vm.Cd))
            {
                throw new PoolFileException(at + ".cd", $"no ISO named \"{vm.Cd}\" in any ISO SR");
            }

            if (vm.SnapshotOf is not null)
            {
                var sources = d.Vms.Select((v, j) => (v, j)).Where(x => x.v.NameLabel == vm.SnapshotOf && x.v.SnapshotOf is null).ToList();
                if (sources.Count == 0)
                {
                    throw new PoolFileException(at + ".snapshot_of", $"no VM named \"{vm.SnapshotOf}\"");
                }

                if (sources.Count > 1)
                {
                    throw new PoolFileException(at + ".snapshot_of", $"more than one VM named \"{vm.SnapshotOf}\"");
                }

                if (sources[0].v.IsATemplate)
                {
                    throw new PoolFileException(at + ".snapshot_of", $"\"{vm.SnapshotOf}\" is a template");
                }
            }

            var devices = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < vm.Disks.Count; k++)
            {
                var disk = vm.Disks[k];
                var diskAt = $"{at}.disks[{k}]";
                if (!devices.Add(disk.Device) || (vm.HasCd && disk.Device == "xvdd"))
                {
                    throw new PoolFileException(diskAt + ".device", $"device {disk.Device} is used twice");
                }

                if (disk.Sr is null)
                {
                    if (userSrs.Count == 0)
                    {
                        throw new PoolFileException(diskAt + ".sr", "no SR to put the disk on");
                    }
                }
                else
                {
                    var sr = d.Srs.FirstOrDefault(s => s.NameLabel == disk.Sr) ?? throw new PoolFileException(diskAt + ".sr", $"no SR named \"{disk.Sr}\"");
                    if (sr.Type == "iso")
                    {
                        throw new PoolFileException(diskAt + ".sr", $"\"{disk.Sr}\" is an ISO SR");
                    }
                }
            }

            for (var k = 0; k < vm.Vifs.Count; k++)
            {
                var vif = vm.Vifs[k];
                if (vif.Network is not null && d.Networks.All(n => n.NameLabel != vif.Network))
                {
                    throw new PoolFileException($"{at}.vifs[{k}].network", $"no network named \"{vif.Network}\"");
                }

                if (vif.Network is null && d.Networks.Count == 0)
                {
                    throw new PoolFileException($"{at}.vifs[{k}].network", "no network to connect to");
                }
            }
        }

        var uuids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (uuid, path) in AllUuids(d))
        {
            if (!uuids.Add(uuid))
            {
                throw new PoolFileException(path, $"uuid {uuid} is used twice");
            }
        }
    }

    private static IEnumerable<(string Uuid, string Path)> AllUuids(PoolDefinition d)
    {
        if (d.Uuid is not null)
        {
            yield return (d.Uuid, "pool.uuid");
        }

        foreach (var (h, i) in d.Hosts.Select((h, i) => (h, i)).Where(x => x.h.Uuid is not null))
        {
            yield return (h.Uuid!, $"hosts[{i}].uuid");
        }

        foreach (var (s, i) in d.Srs.Select((s, i) => (s, i)).Where(x => x.s.Uuid is not null))
        {
            yield return (s.Uuid!, $"srs[{i}].uuid");
        }

        foreach (var (n, i) in d.Networks.Select((n, i) => (n, i)).Where(x => x.n.Uuid is not null))
        {
            yield return (n.Uuid!, $"networks[{i}].uuid");
        }

        for (var i = 0; i < d.Vms.Count; i++)
        {
            if (d.Vms[i].Uuid is { } vmUuid)
            {
                yield return (vmUuid, $"vms[{i}].uuid");
            }

            for (var k = 0; k < d.Vms[i].Disks.Count; k++)
            {
                if (d.Vms[i].Disks[k].Uuid is { } diskUuid)
                {
                    yield return (diskUuid, $"vms[{i}].disks[{k}].uuid");
                }
            }
        }
    }

    private static void Unique(IEnumerable<string> names, string list, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var name in names)
        {
            if (!seen.Add(name))
            {
                throw new PoolFileException($"{list}[{i}].name_label", $"duplicate {what} name \"{name}\"");
            }

            i++;
        }
    }
}
