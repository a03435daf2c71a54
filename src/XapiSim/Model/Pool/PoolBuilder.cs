using System.Net;
using XapiSim.Model.Dr;
using XapiSim.Model.Schema;
using XapiSim.Model.Sr;
using XapiSim.PoolFile;
using XapiSim.Storage;

namespace XapiSim.Model.Pool;

/// <summary>
/// Fills a <see cref="SimulatedPool"/> from a <see cref="PoolDefinition"/>: pool, hosts (control domain, metrics,
/// CPU, PIFs), networks, SRs with PBDs, ISO images, VMs with disks, CDs and VIFs, stock templates, then snapshots.
/// The VDIs already in a shared SR's folder (<see cref="SrDefinition.SharedStorage"/>) are introduced, as an SR scan
/// would; pool-file disks on such an SR are created there, or attach the existing VDI their <c>uuid</c> names.
/// </summary>
internal sealed class PoolBuilder(SimulatedPool pool, PoolDefinition definition)
{
    private readonly PoolObjects _objects = new(pool) { DeferSrRefresh = true };
    private readonly Dictionary<string, string> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _srs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _isos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _vms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sharedFolders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string VdiRef, string SrName)> _sharedVdis = new(StringComparer.Ordinal);

    /// <summary>The address each host listens on, master first.</summary>
    public List<(string HostRef, IPAddress Address)> HostAddresses { get; } = [];

    public void Build(IPAddress masterAddress)
    {
        var db = pool.Database;
        lock (db.SyncRoot)
        {
            var poolRef = db.Create("pool", new Dictionary<string, object>
            {
                ["uuid"] = definition.Uuid ?? XapiValues.NewUuid(),
                ["name_label"] = definition.NameLabel,
                ["name_description"] = definition.NameDescription,
                ["other_config"] = new Dictionary<string, object> { ["memory-ratio-hvm"] = "0.25", ["memory-ratio-pv"] = "0.25" },
                ["restrictions"] = new Dictionary<string, object> { ["restrict_cbt"] = "false", ["restrict_dr"] = "false", ["restrict_vss"] = "true" },
                ["cpu_info"] = new Dictionary<string, object> { ["cpu_count"] = "8", ["socket_count"] = "1", ["vendor"] = "GenuineIntel" },
                ["allowed_operations"] = new List<object>(),
                ["migration_compression"] = false,
                ["tls_verification_enabled"] = true,
            });
            CreateHosts(masterAddress);
            db.Set("pool", poolRef, "master", _hosts[definition.Hosts.FirstOrDefault(h => h.Master)?.NameLabel ?? definition.Hosts[0].NameLabel]);
            CreateNetworks();
            AddStorageTargets();
            CreateSrs();
            var defaultSr = definition.Srs.FirstOrDefault(s => s.Default) ?? definition.Srs.FirstOrDefault(s => s.Type != "iso");
            if (defaultSr is not null)
            {
                var sr = _srs[defaultSr.NameLabel];
                db.Set("pool", poolRef, "default_SR", sr);
                db.Set("pool", poolRef, "suspend_image_SR", sr);
                db.Set("pool", poolRef, "crash_dump_SR", sr);
            }

            if (definition.DefaultTemplates)
            {
                CreateStockTemplates();
            }

            var appliances = definition.Appliances.ToDictionary(a => a.NameLabel, CreateAppliance, StringComparer.Ordinal);
            foreach (var vm in definition.Vms.Where(v => v.SnapshotOf is null))
            {
                _vms[vm.NameLabel] = CreateVm(vm);
                db.Set("VM", _vms[vm.NameLabel], "order", vm.Order);
                db.Set("VM", _vms[vm.NameLabel], "start_delay", vm.StartDelay);
                if (vm.Appliance is not null)
                {
                    db.Set("VM", _vms[vm.NameLabel], "appliance", appliances[vm.Appliance]);
                }
            }

            foreach (var appliance in appliances.Values)
            {
                ApplianceOperations.Update(db, appliance);
            }

            foreach (var vm in definition.Vms.Where(v => v.SnapshotOf is not null))
            {
                var snapshot = VmCopies.Copy(_objects, _vms[vm.SnapshotOf!], vm.NameLabel, [], VmCopies.Kind.Snapshot, vm.Uuid);

                db.Set("VM", snapshot, "name_description", vm.NameDescription);
                db.Set("VM", snapshot, "tags", vm.Tags.Cast<object>().ToList());
            }

            foreach (var sr in _srs.Values)
            {
                _objects.RefreshSrUsage(sr);
            }

            // The hosts plug the shared SRs at start: their metadata VDIs are handled as PBD.plug handles them.
            foreach (var sr in definition.Srs.Where(s => s.Shared && s.SharedStorage is not null))
            {
                MetadataVdis.Refresh(pool, _srs[sr.NameLabel], plugged: true);
            }
        }
    }

    private void CreateHosts(IPAddress masterAddress)
    {
        var db = pool.Database;
        var master = definition.Hosts.FirstOrDefault(h => h.Master) ?? definition.Hosts[0];
        var next = 2;
        foreach (var host in definition.Hosts)
        {
            IPAddress address;
            if (host.Address is not null)
            {
                address = IPAddress.Parse(host.Address);
            }
            else if (ReferenceEquals(host, master))
            {
                address = masterAddress;
            }
            else
            {
                do
                {
                    address = IPAddress.Parse("127.0.0." + next++);
                }
                while (address.Equals(masterAddress));
            }

            if (address.Equals(IPAddress.Any))
            {
                // A master listening on every interface is reached (and advertised) on loopback.
                address = IPAddress.Loopback;
            }

            var metrics = db.Create("host_metrics", new Dictionary<string, object>
            {
                ["memory_total"] = 64L << 30,
                ["live"] = true,
                ["last_updated"] = pool.Now,
            });
            var hostname = host.Hostname ?? host.NameLabel;
            var hostRef = db.Create("host", new Dictionary<string, object>
            {
                ["uuid"] = host.Uuid ?? XapiValues.NewUuid(),
                ["name_label"] = host.NameLabel,
                ["name_description"] = "Default install",
                ["memory_overhead"] = 1L << 30,
                ["allowed_operations"] = new List<object> { "provision", "evacuate", "reboot", "shutdown", "vm_start", "vm_resume", "vm_migrate" },
                ["API_version_major"] = 2L,
                ["API_version_minor"] = 21L,
                ["API_version_vendor"] = "XenSource",
                ["API_version_vendor_implementation"] = new Dictionary<string, object>(),
                ["enabled"] = true,
                ["software_version"] = new Dictionary<string, object>
                {
                    ["product_version"] = "8.3.0",
                    ["product_version_text"] = "8.3",
                    ["product_version_text_short"] = "8.3",
                    ["platform_name"] = "XCP",
                    ["platform_version"] = "3.4.0",
                    ["product_brand"] = "XCP-ng",
                    ["build_number"] = "cloud",
                    ["git_id"] = "0",
                    ["hostname"] = hostname,
                    ["date"] = "2024-10-01",
                    ["dbv"] = "0.0.1",
                    ["xapi"] = "24.19",
                    ["xapi_build"] = "24.19.2",
                    ["xen"] = "4.17.5-3",
                    ["linux"] = "4.19.0+1",
                    ["xencenter_min"] = "2.21",
                    ["xencenter_max"] = "2.21",
                    ["network_backend"] = "openvswitch",
                    ["db_schema"] = "5.775",
                },
                ["other_config"] = new Dictionary<string, object> { ["agent_start_time"] = "1700000000.", ["boot_time"] = "1700000000." },
                ["capabilities"] = new List<object> { "xen-3.0-x86_64", "hvm-3.0-x86_32", "hvm-3.0-x86_32p", "hvm-3.0-x86_64" },
                ["cpu_configuration"] = new Dictionary<string, object>(),
                ["sched_policy"] = "credit",
                ["supported_bootloaders"] = new List<object> { "pygrub", "eliloader" },
                ["logging"] = new Dictionary<string, object>(),
                ["metrics"] = metrics,
                ["address"] = address.ToString(),
                ["hostname"] = hostname,
                ["cpu_info"] = new Dictionary<string, object> { ["cpu_count"] = "8", ["socket_count"] = "1", ["vendor"] = "GenuineIntel", ["speed"] = "2400.000", ["modelname"] = "Intel(R) Xeon(R) CPU" },
                ["edition"] = "xcp-ng",
                ["license_params"] = new Dictionary<string, object>(),
                ["chipset_info"] = new Dictionary<string, object> { ["iommu"] = "true" },
                ["ssl_legacy"] = false,
                ["control_domain"] = XapiValues.NullRef,
                ["display"] = "enabled",
                ["virtual_hardware_platform_versions"] = new List<object> { 0L, 1L, 2L },
                ["iscsi_iqn"] = "iqn.2024-01.org.example:" + host.NameLabel,
                ["multipathing"] = false,
                ["https_only"] = false,
                ["tls_verification_enabled"] = true,
            });
            _hosts[host.NameLabel] = hostRef;
            HostAddresses.Add((hostRef, address));
            pool.MapHostAddress(address, hostRef);

            db.Create("host_cpu", new Dictionary<string, object>
            {
                ["host"] = hostRef,
                ["number"] = 0L,
                ["vendor"] = "GenuineIntel",
                ["speed"] = 2400L,
                ["modelname"] = "Intel(R) Xeon(R) CPU",
                ["family"] = 6L,
                ["model"] = 85L,
                ["stepping"] = "4",
            });

            var dom0Memory = 4L << 30;
            var dom0 = db.Create("VM", new Dictionary<string, object>
            {
                ["name_label"] = "Control domain on host: " + host.NameLabel,
                ["name_description"] = "The domain which manages physical devices and manages other domains",
                ["power_state"] = "Running",
                ["is_control_domain"] = true,
                ["is_a_template"] = false,
                ["resident_on"] = hostRef,
                ["affinity"] = hostRef,
                ["domid"] = 0L,
                ["domarch"] = "x64",
                ["memory_static_max"] = dom0Memory,
                ["memory_dynamic_max"] = dom0Memory,
                ["memory_dynamic_min"] = dom0Memory,
                ["memory_static_min"] = dom0Memory,
                ["memory_target"] = dom0Memory,
                ["VCPUs_max"] = 8L,
                ["VCPUs_at_startup"] = 8L,
                ["actions_after_shutdown"] = "destroy",
                ["actions_after_reboot"] = "restart",
                ["actions_after_crash"] = "restart",
                ["allowed_operations"] = VmAllowedOperations.For("Running", false, false, true),
                ["metrics"] = _objects.CreateVmMetrics(dom0Memory, 8, true),
                ["domain_type"] = "pv",
                ["user_version"] = 1L,
                ["other_config"] = new Dictionary<string, object> { ["storage_driver_domain"] = string.Empty, ["is_system_domain"] = "true" },
            });
            db.Set("host", hostRef, "control_domain", dom0);
            db.Create("console", new Dictionary<string, object>
            {
                ["protocol"] = "rfb",
                ["location"] = $"https://{address}/console?uuid={XapiValues.NewUuid()}",
                ["VM"] = dom0,
            });
        }
    }

    private void CreateNetworks()
    {
        var db = pool.Database;
        var index = 0;
        foreach (var network in definition.Networks)
        {
            var networkRef = db.Create("network", new Dictionary<string, object>
            {
                ["uuid"] = network.Uuid ?? XapiValues.NewUuid(),
                ["name_label"] = network.NameLabel,
                ["name_description"] = network.NameDescription,
                ["bridge"] = network.Bridge,
                ["MTU"] = network.Mtu,
                ["managed"] = true,
                ["allowed_operations"] = new List<object>(),
                ["other_config"] = new Dictionary<string, object>(),
                ["default_locking_mode"] = "unlocked",
            });
            _networks[network.NameLabel] = networkRef;
            foreach (var hostRef in _hosts.Values)
            {
                db.Create("PIF", new Dictionary<string, object>
                {
                    ["device"] = "eth" + index,
                    ["network"] = networkRef,
                    ["host"] = hostRef,
                    ["MAC"] = PoolObjects.NewMac(),
                    ["MTU"] = network.Mtu,
                    ["VLAN"] = -1L,
                    ["physical"] = true,
                    ["currently_attached"] = true,
                    ["ip_configuration_mode"] = index == 0 ? "DHCP" : "None",
                    ["management"] = index == 0,
                    ["managed"] = true,
                    ["properties"] = new Dictionary<string, object> { ["gro"] = "on" },
                });
            }

            index++;
        }
    }

    /// <summary>The storage targets the hosts see: the pool file's, and each shared SR declared with a device_config.</summary>
    private void AddStorageTargets()
    {
        var storage = StorageState.For(pool);
        foreach (var target in definition.StorageTargets)
        {
            storage.AddTarget(target);
        }

        foreach (var sr in definition.Srs.Where(s => s.SharedStorage is not null && s.DeviceConfig is not null))
        {
            storage.AddTarget(new StorageTargetDefinition { Type = sr.Type, DeviceConfig = sr.DeviceConfig!, Folder = sr.SharedStorage! });
        }
    }

    private void CreateSrs()
    {
        var db = pool.Database;
        var masterName = (definition.Hosts.FirstOrDefault(h => h.Master) ?? definition.Hosts[0]).NameLabel;
        foreach (var sr in definition.Srs)
        {
            var isIso = sr.Type == "iso";
            // An SR declared without uuid on a folder that records one is that SR.
            var uuid = sr.Uuid ?? (sr.SharedStorage is { } folder ? SharedSrIdentity.TryRead(folder)?.Uuid : null) ?? XapiValues.NewUuid();
            var srRef = db.Create("SR", new Dictionary<string, object>
            {
                ["uuid"] = uuid,
                ["name_label"] = sr.NameLabel,
                ["name_description"] = sr.NameDescription,
                ["allowed_operations"] = new List<object> { "forget", "vdi_create", "vdi_snapshot", "plug", "update", "destroy", "vdi_destroy", "scan", "vdi_clone", "vdi_resize", "unplug", "vdi_enable_cbt", "vdi_list_changed_blocks", "vdi_disable_cbt", "vdi_data_destroy" },
                ["physical_size"] = sr.Size,
                ["type"] = sr.Type,
                ["content_type"] = isIso ? "iso" : "user",
                ["shared"] = sr.Shared,
                ["other_config"] = isIso ? new Dictionary<string, object> { ["xenserver_tools_sr"] = "false" } : new Dictionary<string, object>(),
                ["sm_config"] = isIso ? new Dictionary<string, object>() : new Dictionary<string, object> { ["devserial"] = string.Empty },
                ["local_cache_enabled"] = false,
                ["clustered"] = false,
                ["is_tools_sr"] = false,
            });
            _srs[sr.NameLabel] = srRef;
            var hosts = sr.Shared || isIso ? _hosts.Values.ToList() : [_hosts[sr.Host ?? masterName]];
            foreach (var hostRef in hosts)
            {
                db.Create("PBD", new Dictionary<string, object>
                {
                    ["host"] = hostRef,
                    ["SR"] = srRef,
                    ["device_config"] = sr.DeviceConfig?.ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal) ?? sr.Type switch
                    {
                        "nfs" => new Dictionary<string, object> { ["server"] = "nfs.example.org", ["serverpath"] = "/export/" + sr.NameLabel.Replace(' ', '-') },
                        "iso" => new Dictionary<string, object> { ["location"] = "/opt/iso", ["legacy_mode"] = "true" },
                        _ => new Dictionary<string, object> { ["device"] = "/dev/sdb" },
                    },
                    ["currently_attached"] = true,
                });
            }

            if (sr.SharedStorage is not null)
            {
                IntroduceSharedVdis(sr, srRef, uuid);
            }

            foreach (var iso in sr.Isos)
            {
                _isos[iso] = _objects.CreateVdi(srRef, iso, "user", 512L << 20, null, new Dictionary<string, object>
                {
                    ["location"] = iso,
                    ["read_only"] = true,
                    ["sharable"] = true,
                    ["allowed_operations"] = new List<object> { "forget", "destroy", "update" },
                });
            }
        }
    }

    private ISharedDiskStore SharedStore
        => pool.Disks as ISharedDiskStore ?? throw new InvalidOperationException("The pool's disk store cannot hold shared-SR disks.");

    /// <summary>
    /// Creates the SR's folder if needed, records the SR's identity in its <c>sr.json</c> (a folder recording another
    /// SR is an error) and adds a VDI record for every VDI in it (same uuid, sidecar names).
    /// </summary>
    private void IntroduceSharedVdis(SrDefinition sr, string srRef, string uuid)
    {
        var folder = sr.SharedStorage!;
        var at = $"srs[{IndexOf(definition.Srs, sr)}].shared_storage";
        IReadOnlyList<(SharedVdiInfo Info, string VdiRef)> found;
        try
        {
            Directory.CreateDirectory(folder);
            if (SharedSrIdentity.TryRead(folder) is { } recorded && recorded.Uuid != uuid)
            {
                throw new PoolFileException(at, $"the folder holds SR {recorded.Uuid} ({SharedSrIdentity.PathOf(folder)}), not {uuid}");
            }

            new SharedSrIdentity { Uuid = uuid, NameLabel = sr.NameLabel, NameDescription = sr.NameDescription, Type = sr.Type }.Write(folder);
            found = SharedVdiScan.IntroduceNew(_objects, srRef, folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PoolFileException(at, $"cannot use folder \"{folder}\": {exception.Message}");
        }

        _sharedFolders[sr.NameLabel] = folder;
        pool.MapSharedStorage(srRef, folder);
        foreach (var (info, vdi) in found)
        {
            _sharedVdis[info.Uuid] = (vdi, sr.NameLabel);
        }
    }

    private static int IndexOf<T>(IReadOnlyList<T> list, T item)
        where T : class
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The VDI of a pool-file disk: an existing shared VDI it names by uuid, a new one on a shared SR, or a private generated disk.</summary>
    private string CreateDiskVdi(VmDefinition vm, DiskDefinition disk, string name, string type)
    {
        var at = $"vms[{IndexOf(definition.Vms, vm)}].disks[{IndexOf(vm.Disks, disk)}]";
        var srName = disk.Sr ?? (definition.Srs.FirstOrDefault(s => s.Default) ?? definition.Srs.First(s => s.Type != "iso")).NameLabel;
        if (disk.Uuid is not null && _sharedVdis.TryGetValue(disk.Uuid, out var existing))
        {
            if (disk.Sr is not null && disk.Sr != existing.SrName)
            {
                throw new PoolFileException(at + ".sr", $"VDI {disk.Uuid} is on SR \"{existing.SrName}\", not \"{disk.Sr}\"");
            }

            if (disk.NameLabel is not null)
            {
                pool.Database.Set("VDI", existing.VdiRef, "name_label", disk.NameLabel);
            }

            return existing.VdiRef;
        }

        var vdiValues = new Dictionary<string, object> { ["cbt_enabled"] = disk.Cbt };
        string diskId;
        if (_sharedFolders.TryGetValue(srName, out var folder))
        {
            var uuid = disk.Uuid ?? XapiValues.NewUuid();
            try
            {
                diskId = SharedStore.CreateShared(folder, new SharedVdiInfo
                {
                    Uuid = uuid,
                    VirtualSize = disk.Size,
                    NameLabel = name,
                    Type = type,
                    Fill = disk.Fill > 0 ? disk.Fill : null,
                    Seed = disk.Fill > 0 ? disk.Seed : null,
                });
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new PoolFileException(at, $"cannot create the VDI in \"{folder}\": {exception.Message}");
            }

            vdiValues["uuid"] = uuid;
            var vdi = _objects.CreateVdi(_srs[srName], name, type, disk.Size, diskId, vdiValues);
            _sharedVdis[uuid] = (vdi, srName);
            return vdi;
        }

        diskId = pool.Disks.CreateGenerated(disk.Size, disk.Fill, disk.Seed);
        if (disk.Uuid is not null)
        {
            vdiValues["uuid"] = disk.Uuid;
        }

        return _objects.CreateVdi(_srs[srName], name, type, disk.Size, diskId, vdiValues);
    }

    private void CreateStockTemplates()
    {
        string[] names = ["Debian Bookworm 12", "Ubuntu Jammy Jellyfish 22.04", "Rocky Linux 9", "Windows Server 2022 (64-bit)", "Other install media"];
        foreach (var name in names)
        {
            _objects.CreateVm(name, 2L << 30, 2, "Halted", new Dictionary<string, object>
            {
                ["is_a_template"] = true,
                ["is_default_template"] = true,
                ["name_description"] = "Template that allows VM installation from Xen-aware distributions or install media.",
                ["other_config"] = new Dictionary<string, object>
                {
                    ["default_template"] = "true",
                    ["install-methods"] = "cdrom,nfs,http,ftp",
                    ["disks"] = "<provision><disk device=\"0\" size=\"10737418240\" sr=\"\" bootable=\"true\" type=\"system\"/></provision>",
                },
            });
        }
    }

    private string CreateAppliance(ApplianceDefinition appliance)
    {
        var values = new Dictionary<string, object>
        {
            ["name_label"] = appliance.NameLabel,
            ["name_description"] = appliance.NameDescription,
        };
        if (appliance.Uuid is not null)
        {
            values["uuid"] = appliance.Uuid;
        }

        return pool.Database.Create("VM_appliance", values);
    }

    private string CreateVm(VmDefinition vm)
    {
        var db = pool.Database;
        var running = vm.PowerState is "Running" or "Paused";
        var host = running ? _hosts[vm.Host ?? _hosts.First(h => h.Value == pool.MasterRef).Key] : XapiValues.NullRef;
        var otherConfig = new Dictionary<string, object> { ["mac_seed"] = XapiValues.NewUuid(), ["base_template_name"] = "Debian Bookworm 12" };
        foreach (var (k, v) in vm.OtherConfig)
        {
            otherConfig[k] = v;
        }

        var values = new Dictionary<string, object>
        {
            ["name_description"] = vm.NameDescription,
            ["tags"] = vm.Tags.Cast<object>().ToList(),
            ["is_a_template"] = vm.IsATemplate || vm.IsDefaultTemplate,
            ["is_default_template"] = vm.IsDefaultTemplate,
            ["resident_on"] = host,
            ["other_config"] = otherConfig,
        };
        if (vm.Uuid is not null)
        {
            values["uuid"] = vm.Uuid;
        }

        var vmRef = _objects.CreateVm(vm.NameLabel, vm.Memory, vm.Vcpus, vm.PowerState, values);
        var first = true;
        foreach (var disk in vm.Disks)
        {
            var userdevice = (disk.Device[^1] - 'a').ToString(System.Globalization.CultureInfo.InvariantCulture);
            var vdi = CreateDiskVdi(vm, disk, disk.NameLabel ?? $"{vm.NameLabel} {userdevice}", disk.Type ?? (first ? "system" : "user"));
            _objects.CreateVbd(vmRef, vdi, userdevice, "Disk", first, "RW", running, new Dictionary<string, object> { ["owner"] = "true" });
            first = false;
        }

        if (vm.HasCd)
        {
            _objects.CreateVbd(vmRef, vm.Cd is null ? XapiValues.NullRef : _isos[vm.Cd], "3", "CD", false, "RO", running);
        }

        foreach (var vif in vm.Vifs)
        {
            _objects.CreateVif(vmRef, _networks[vif.Network ?? definition.Networks[0].NameLabel], vif.Device, vif.Mac, running);
        }

        if (vm.PowerState == "Suspended")
        {
            var sr = db.GetString("pool", pool.PoolRef, "suspend_image_SR");
            var size = vm.Memory + (1L << 20);
            db.Set("VM", vmRef, "suspend_VDI", _objects.CreateEmptyVdi(sr, "Suspend image", "suspend", size));
        }

        return vmRef;
    }
}
